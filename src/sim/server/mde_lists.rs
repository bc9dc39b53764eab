//! Defender for Endpoint collections: machines, alerts (all or one device's), machine
//! actions, investigations and device AV health, each with its filterable properties,
//! `$filter`, `$orderby` and paging.

use super::mde::{context, filter};
use super::odata::{Expr, Record, Val};
use super::paging::{MDE_LIST, PageRule, page};
use super::query::order_by;
use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState};
use crate::sim::tenant::actions::{Action, Investigation};
use crate::sim::tenant::alert_json;
use crate::sim::tenant::alerts::Alert;
use crate::sim::tenant::catalog::{ALERT_STATUS, KINDS, SEVERITY};
use crate::sim::tenant::devices::Device;
use crate::sim::tenant::{Tenant, avinfo};
use serde_json::Value;

fn matching<R: Record>(items: impl Iterator<Item = R>, f: &Option<Expr>) -> Vec<R> {
    items
        .filter(|r| f.as_ref().is_none_or(|e| e.eval(r)))
        .collect()
}

struct DevRec<'a>(&'a Device);
impl Record for DevRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let d = self.0;
        Some(match name {
            "id" => Val::Str(d.id.clone()),
            "computerdnsname" => Val::Str(d.name.clone()),
            "riskscore" => Val::Str(d.risk().into()),
            "healthstatus" => Val::Str(d.health().into()),
            "exposurelevel" => Val::Str(d.exposure().into()),
            "osplatform" => Val::Str(d.os.platform().into()),
            "lastseen" => Val::Date(d.last_seen),
            "lastipaddress" => Val::Str(d.ip()),
            "onboardingstatus" => Val::Str("Onboarded".into()),
            "devicevalue" => Val::Str(if d.value_high { "High" } else { "Normal" }.into()),
            "rbacgroupid" => Val::Num(d.group().0 as f64),
            "aaddeviceid" => d.aad.clone().map(Val::Str).unwrap_or(Val::Null),
            "version" => Val::Null,
            _ => return None,
        })
    }
}
/// The filterable properties of `GET /api/machines`
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-machines).
const MACHINE_FIELDS: &[&str] = &[
    "id",
    "computerdnsname",
    "riskscore",
    "healthstatus",
    "exposurelevel",
    "osplatform",
    "lastseen",
    "lastipaddress",
    "onboardingstatus",
    "devicevalue",
    "rbacgroupid",
    "aaddeviceid",
    "version",
    "machinetags",
];

pub(super) fn machines(st: &SimState, req: &Req, t: &Tenant) -> Reply {
    let f = match filter(req, MACHINE_FIELDS) {
        Ok(f) => f,
        Err(r) => return r,
    };
    // "If there are no recent machines, you see 404 Not Found."
    // (https://learn.microsoft.com/en-us/defender-endpoint/api/get-machines)
    if t.devices.is_empty() {
        return mde_error(404, "NotFound", "No recent machines were found");
    }
    let mut m = matching(t.devices.iter().map(DevRec), &f);
    if let Err(r) = order_by(req, Family::Mde, MACHINE_FIELDS, &mut m) {
        return r;
    }
    page(
        req,
        &st.base_url,
        Family::Mde,
        MDE_LIST,
        context(st, "Machines"),
        &m,
        |d| d.0.to_json(),
    )
}

struct AlertRec<'a>(&'a Alert, &'a Device);
impl Record for AlertRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let a = self.0;
        Some(match name {
            "id" => Val::Str(a.id.clone()),
            "status" => Val::Str(ALERT_STATUS[a.status as usize].into()),
            "severity" => Val::Str(SEVERITY[a.severity as usize].into()),
            "machineid" => Val::Str(self.1.id.clone()),
            "incidentid" => Val::Num(a.incident as f64),
            "investigationid" => a
                .investigation
                .map(|i| Val::Num(i as f64))
                .unwrap_or(Val::Null),
            "assignedto" => a.assigned_to.clone().map(Val::Str).unwrap_or(Val::Null),
            "detectionsource" => Val::Str(KINDS[a.kind as usize].source.into()),
            "category" => Val::Str(KINDS[a.kind as usize].category.into()),
            "alertcreationtime" => Val::Date(a.created),
            "lastupdatetime" => Val::Date(a.updated),
            "lasteventtime" => Val::Date(a.last_event),
            _ => return None,
        })
    }
}
/// The filterable properties of `GET /api/alerts`: "alertCreationTime, lastUpdateTime,
/// incidentId, investigationId, id, assignedTo, detectionSource, lastEventTime, status,
/// severity and category" — not `machineId`: one device's alerts are
/// `/api/machines/{id}/alerts` (https://learn.microsoft.com/en-us/defender-endpoint/api/get-alerts).
const ALERT_FIELDS: &[&str] = &[
    "id",
    "status",
    "severity",
    "incidentid",
    "investigationid",
    "assignedto",
    "detectionsource",
    "category",
    "alertcreationtime",
    "lastupdatetime",
    "lasteventtime",
];

pub(super) fn alerts(st: &SimState, req: &Req, t: &Tenant, device: Option<u32>) -> Reply {
    let f = match filter(req, ALERT_FIELDS) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let expand = req
        .q("$expand")
        .is_some_and(|e| e.eq_ignore_ascii_case("evidence"));
    // Newest first, as the portal queue shows them.
    let items = t
        .alerts
        .iter()
        .rev()
        .filter(|a| device.is_none_or(|d| a.device == d))
        .map(|a| AlertRec(a, &t.devices[a.device as usize]));
    let mut m = matching(items, &f);
    if let Err(r) = order_by(req, Family::Mde, ALERT_FIELDS, &mut m) {
        return r;
    }
    page(
        req,
        &st.base_url,
        Family::Mde,
        MDE_LIST,
        context(st, "Alerts"),
        &m,
        |r| alert_json::mde(r.0, r.1, &st.tenant_id, expand),
    )
}

struct ActionRec<'a>(&'a Action, &'a Device, chrono::DateTime<chrono::Utc>);
impl Record for ActionRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let a = self.0;
        Some(match name {
            "id" => Val::Str(a.id.clone()),
            "status" => Val::Str(a.status(self.2).0.into()),
            "machineid" => Val::Str(self.1.id.clone()),
            "type" => Val::Str(a.kind.into()),
            "requestor" => Val::Str(a.requestor.clone()),
            "creationdatetimeutc" => Val::Date(a.created),
            "lastupdatedatetimeutc" => Val::Date(a.status(self.2).1),
            _ => return None,
        })
    }
}

/// The filterable properties of `GET /api/machineactions`: "id, status, machineId, type,
/// requestor and creationDateTimeUtc" — not `lastUpdateDateTimeUtc`
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-machineactions-collection).
const ACTION_FIELDS: &[&str] = &[
    "id",
    "status",
    "machineid",
    "type",
    "requestor",
    "creationdatetimeutc",
];

/// `GET /api/machineactions`, newest first. `$orderby` is refused: it is not among the
/// documented options of this endpoint (`$filter`, `$top`, `$skip`), so a client must not
/// depend on it.
///
/// The machine entity has no isolation field (see the API research), so the console derives
/// a device's isolation state from this list:
/// `$filter=machineId eq '{id}' and (type eq 'Isolate' or type eq 'Unisolate')` with
/// `$orderby=creationDateTimeUtc desc`. The newest *Succeeded* record decides (Isolate =
/// isolated, Unisolate = released); a newer Pending/InProgress one shows as "isolating" or
/// "releasing"; Failed, TimeOut and Cancelled records change nothing.
pub(super) fn actions(st: &SimState, req: &Req, t: &Tenant) -> Reply {
    if req.q("$orderby").is_some() {
        return crate::sim::server::reply::error(
            Family::Mde,
            400,
            "BadRequest",
            "Invalid OData query: $orderby is not supported on MachineActions.",
        );
    }
    let f = match filter(req, ACTION_FIELDS) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let now = st.clock.now();
    let items = t
        .actions
        .iter()
        .map(|a| ActionRec(a, &t.devices[a.device as usize], now));
    let mut m = matching(items, &f);
    // Stable: actions created in the same instant keep their (newest-first) insertion order.
    m.sort_by_key(|r| std::cmp::Reverse(r.0.created));
    if let Err(r) = order_by(req, Family::Mde, ACTION_FIELDS, &mut m) {
        return r;
    }
    page(
        req,
        &st.base_url,
        Family::Mde,
        MDE_LIST,
        context(st, "MachineActions"),
        &m,
        |r| r.0.to_json(r.1, now),
    )
}

struct InvRec<'a>(&'a Investigation, &'a Device, chrono::DateTime<chrono::Utc>);
impl Record for InvRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let i = self.0;
        Some(match name {
            "id" => Val::Str(i.id.clone()),
            "state" => Val::Str(i.state(self.2).0.into()),
            "machineid" => Val::Str(self.1.id.clone()),
            "starttime" => Val::Date(i.start),
            "triggeringalertid" => i.trigger.clone().map(Val::Str).unwrap_or(Val::Null),
            _ => return None,
        })
    }
}

/// The filterable properties of `GET /api/investigations`: "startTime, id, state, machineId,
/// and triggeringAlertId" — not `computerDnsName`
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-investigation-collection).
const INVESTIGATION_FIELDS: &[&str] =
    &["id", "state", "machineid", "starttime", "triggeringalertid"];

pub(super) fn investigations(st: &SimState, req: &Req, t: &Tenant) -> Reply {
    let f = match filter(req, INVESTIGATION_FIELDS) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let now = st.clock.now();
    let items = t
        .investigations
        .iter()
        .rev()
        .map(|i| InvRec(i, &t.devices[i.device as usize], now));
    let mut m = matching(items, &f);
    if let Err(r) = order_by(req, Family::Mde, INVESTIGATION_FIELDS, &mut m) {
        return r;
    }
    page(
        req,
        &st.base_url,
        Family::Mde,
        MDE_LIST,
        context(st, "Investigations"),
        &m,
        |r| r.0.to_json(r.1, now),
    )
}

/// A `deviceavinfo` row, filtered on the values it serialises (so a filter sees exactly what
/// the client reads).
struct AvRec(Value);
impl Record for AvRec {
    fn field(&self, name: &str) -> Option<Val> {
        Some(match self.0.get(avinfo::filter_key(name)?)? {
            Value::String(s) => Val::Str(s.clone()),
            Value::Number(n) => Val::Num(n.as_f64().unwrap_or_default()),
            _ => Val::Null,
        })
    }
}

pub(super) fn deviceavinfo(st: &SimState, req: &Req, t: &Tenant) -> Reply {
    let allowed: Vec<&str> = avinfo::FILTER_FIELDS.iter().map(|(low, _)| *low).collect();
    let f = match filter(req, &allowed) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let now = st.clock.now();
    // Rows are built for the filter only when there is one; the page serialises its own.
    let m: Vec<&Device> = t
        .devices
        .iter()
        .filter(|d| {
            f.as_ref()
                .is_none_or(|e| e.eval(&AvRec(avinfo::to_json(d, now))))
        })
        .collect();
    let rule = PageRule {
        default: 20,
        max: 10_000,
        clamp: false,
    };
    page(
        req,
        &st.base_url,
        Family::Mde,
        rule,
        context(st, "DeviceAvInfo"),
        &m,
        |d| avinfo::to_json(d, now),
    )
}
