//! Per-device lists of Defender for Endpoint: `/api/machines/{id}/vulnerabilities`,
//! `/recommendations` and `/logonusers`, derived from the tenant's TVM data and people.

use super::mde::{context, machine_missing};
use super::paging::{MDE_LIST, page};
use super::reply::{Family, Reply};
use super::{Req, SimState};
use crate::sim::clock::ts;
use crate::sim::tenant::NETBIOS;
use crate::sim::tenant::Tenant;
use crate::sim::tenant::alert_json::sid;
use crate::sim::tenant::catalog::PEOPLE;
use crate::sim::tenant::devices::Device;
use crate::sim::tenant::tvm::{exposed, vulnerable};
use chrono::Duration;
use serde_json::{Value, json};

/// Routes `machines/{id}/{list}`; `None` when `list` is not one of ours.
pub fn get(st: &SimState, req: &Req, t: &Tenant, key: &str, list: &str) -> Option<Reply> {
    let kind = match list {
        "vulnerabilities" | "recommendations" | "logonusers" => list,
        _ => return None,
    };
    let Some(i) = t.device(key) else {
        return Some(machine_missing(key));
    };
    let d = &t.devices[i as usize];
    let base = &st.base_url;
    Some(match kind {
        "vulnerabilities" => {
            let total = t.devices.len();
            let m: Vec<_> = t
                .tvm
                .vulnerabilities
                .iter()
                .enumerate()
                .filter(|(vi, v)| vulnerable(d, *vi, v, total))
                .map(|(_, v)| v)
                .collect();
            let ctx = context(st, "Vulnerabilities");
            page(req, base, Family::Mde, MDE_LIST, ctx, &m, |v| v.to_json())
        }
        "recommendations" => {
            let m: Vec<_> = t
                .tvm
                .recommendations
                .iter()
                .enumerate()
                .filter(|(ri, r)| exposed(d, *ri, r.product, r.pct))
                .map(|(_, r)| r)
                .collect();
            let ctx = context(st, "Recommendations");
            page(req, base, Family::Mde, MDE_LIST, ctx, &m, |r| r.to_json())
        }
        _ => {
            let m = logon_users(d);
            let ctx = context(st, "Users");
            page(req, base, Family::Mde, MDE_LIST, ctx, &m, Value::clone)
        }
    })
}

/// The person a device belongs to, by its stable hash.
pub fn owner(d: &Device) -> usize {
    (d.h % PEOPLE.len() as u64) as usize
}

/// Users seen on a device. Defender for Business without Defender for Identity answers an
/// empty list for many devices; the simulator does so for non-Windows ones and one in four
/// Windows ones, so the console's empty state is exercised.
fn logon_users(d: &Device) -> Vec<Value> {
    if !d.os.is_windows() || (d.h >> 8).is_multiple_of(4) {
        return vec![];
    }
    let mut out = vec![user_json(owner(d), d.first_seen, d.last_seen, false)];
    if d.name.starts_with("srv-") {
        // Servers also see an administrator's remote logons.
        let admin = (owner(d) + 1) % PEOPLE.len();
        out.push(user_json(admin, d.first_seen, d.last_seen, true));
    }
    out
}

/// The MDE User entity of person `p`.
pub(crate) fn user_json(
    p: usize,
    first: chrono::DateTime<chrono::Utc>,
    last: chrono::DateTime<chrono::Utc>,
    admin: bool,
) -> Value {
    let name = PEOPLE[p].0;
    let domain = NETBIOS.to_ascii_lowercase();
    json!({
        "id": format!("{domain}\\{name}"), "accountName": name, "accountDomain": domain,
        "accountSid": sid(p), "firstSeen": ts(first), "lastSeen": ts(last - Duration::minutes(5)),
        "mostPrevalentMachineId": null, "leastPrevalentMachineId": null,
        "logonTypes": if admin { "RemoteInteractive" } else { "Interactive" },
        "logOnMachinesCount": 1 + (p % 3), "isDomainAdmin": admin, "isOnlyNetworkUser": false,
    })
}
