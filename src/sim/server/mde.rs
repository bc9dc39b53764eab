//! Defender for Endpoint `/api/...` GET routes: machines, alerts, machine actions,
//! investigations, device AV health; dispatch to actions and TVM modules.

use super::odata::{Expr, Record, Val};
use super::paging::{MDE_LIST, PageRule, page};
use super::query::order_by;
use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState, limits, mde_actions, mde_tvm};
use crate::sim::tenant::actions::{Action, Investigation};
use crate::sim::tenant::alert_json;
use crate::sim::tenant::alerts::Alert;
use crate::sim::tenant::catalog::{ALERT_STATUS, KINDS, SEVERITY};
use crate::sim::tenant::devices::Device;
use crate::sim::tenant::{Tenant, avinfo};
use axum::http::Method;
use serde_json::Value;

/// Segments after `/api` (and an optional `v1.0`), lower-cased for matching.
fn route(req: &Req) -> Vec<String> {
    let mut s: Vec<String> = req.segs.iter().skip(1).cloned().collect();
    if s.first().is_some_and(|x| x.eq_ignore_ascii_case("v1.0")) {
        s.remove(0);
    }
    s
}

/// The documented rate-limit family of a request.
pub fn limit_for(req: &Req) -> limits::Limit {
    let r: Vec<String> = route(req).iter().map(|s| s.to_ascii_lowercase()).collect();
    match (r.first().map(String::as_str), r.get(2).map(String::as_str)) {
        (Some("deviceavinfo"), _) => limits::AVINFO,
        (Some("machineactions"), Some("getpackageuri")) => limits::PACKAGE,
        (Some("machines"), Some("runliveresponse")) => limits::LIVE_RESPONSE,
        (Some("machines"), Some("startinvestigation")) => limits::INVESTIGATION,
        _ => limits::MDE,
    }
}

/// `@odata.context` for an MDE entity set.
pub fn context(st: &SimState, set: &str) -> String {
    format!("{}/api/$metadata#{set}", st.base_url)
}

/// Adds `@odata.context` to an entity.
pub fn entity(st: &SimState, set: &str, mut v: Value) -> Reply {
    if let Value::Object(m) = &mut v {
        let mut out = serde_json::Map::new();
        out.insert(
            "@odata.context".into(),
            format!("{}/api/$metadata#{set}/$entity", st.base_url).into(),
        );
        out.extend(std::mem::take(m));
        *m = out;
    }
    Reply::ok(Family::Mde, &v)
}

/// Parses `$filter` and rejects properties the entity does not allow.
pub fn filter(req: &Req, allowed: &[&str]) -> Result<Option<Expr>, Reply> {
    let Some(f) = req.q("$filter") else {
        return Ok(None);
    };
    let e = Expr::parse(f)
        .map_err(|m| mde_error(400, "ODataError", &format!("Invalid filter clause: {m}")))?;
    if let Some(bad) = e.fields().into_iter().find(|f| !allowed.contains(f)) {
        return Err(mde_error(
            400,
            "ODataError",
            &format!("Invalid filter clause: Could not find a property named '{bad}'."),
        ));
    }
    Ok(Some(e))
}

fn matching<R: Record>(items: impl Iterator<Item = R>, f: &Option<Expr>) -> Vec<R> {
    items
        .filter(|r| f.as_ref().is_none_or(|e| e.eval(r)))
        .collect()
}

/// Routes an `/api` request.
pub fn handle(st: &SimState, req: &Req) -> Reply {
    let r = route(req);
    let low: Vec<String> = r.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = low.iter().map(String::as_str).collect();
    let now = st.clock.now();
    if req.method == Method::POST {
        return mde_actions::post(st, req, &r, &l);
    }
    if req.method == Method::DELETE {
        return match l.as_slice() {
            ["indicators", _] => super::mde_indicators::delete_indicator(st, &r[1]),
            _ => not_found(),
        };
    }
    if req.method != Method::GET {
        return mde_error(
            405,
            "MethodNotAllowed",
            "The HTTP method is not allowed for this resource",
        );
    }
    let Ok(t) = st.tenant.read() else {
        return mde_error(500, "InternalServerError", "state lock poisoned");
    };
    match l.as_slice() {
        ["machines"] => machines(st, req, &t),
        ["machines", _] => match t.device(&r[1]) {
            Some(i) => entity(st, "Machines", t.devices[i as usize].to_json()),
            None => machine_missing(&r[1]),
        },
        ["machines", _, "alerts"] => match t.device(&r[1]) {
            Some(i) => alerts(st, req, &t, Some(i)),
            None => machine_missing(&r[1]),
        },
        ["alerts"] => alerts(st, req, &t, None),
        ["alerts", _] => match t.alert(&r[1]) {
            Some(i) => entity(
                st,
                "Alerts",
                alert_json::mde(
                    &t.alerts[i],
                    &t.devices[t.alerts[i].device as usize],
                    &st.tenant_id,
                    true,
                ),
            ),
            None => mde_error(
                404,
                "ResourceNotFound",
                &format!("Alert {} was not found", r[1]),
            ),
        },
        ["alerts", _, "machine"] => match t.alert(&r[1]) {
            Some(i) => entity(
                st,
                "Machines",
                t.devices[t.alerts[i].device as usize].to_json(),
            ),
            None => mde_error(
                404,
                "ResourceNotFound",
                &format!("Alert {} was not found", r[1]),
            ),
        },
        ["machineactions"] => actions(st, req, &t),
        ["machineactions", _] => {
            match t.actions.iter().find(|a| a.id.eq_ignore_ascii_case(&r[1])) {
                Some(a) => entity(
                    st,
                    "MachineActions",
                    a.to_json(&t.devices[a.device as usize], now),
                ),
                None => action_missing(&r[1]),
            }
        }
        ["machineactions", _, "getpackageuri"] => mde_actions::package_uri(st, &t, &r[1]),
        ["machineactions", _, link] if link.starts_with("getliveresponseresultdownloadlink") => {
            mde_actions::result_link(st, &t, &r[1], link)
        }
        ["investigations"] => investigations(st, req, &t),
        ["investigations", _] => match t
            .investigations
            .iter()
            .find(|i| i.id == r[1] || i.trigger.as_deref() == Some(&r[1]))
        {
            Some(i) => entity(
                st,
                "Investigations",
                i.to_json(&t.devices[i.device as usize], now),
            ),
            None => mde_error(
                404,
                "ResourceNotFound",
                &format!("Investigation {} was not found", r[1]),
            ),
        },
        ["deviceavinfo"] => deviceavinfo(st, req, &t),
        [..] => mde_tvm::get(st, req, &t, &r, &l),
    }
}

/// 404 for an unknown MDE route.
pub fn not_found() -> Reply {
    mde_error(404, "NotFound", "The requested resource was not found")
}
/// 404 for an unknown device.
pub fn machine_missing(id: &str) -> Reply {
    mde_error(
        404,
        "ResourceNotFound",
        &format!("Machine {id} was not found"),
    )
}
/// 404 for an unknown action.
pub fn action_missing(id: &str) -> Reply {
    mde_error(
        404,
        "ResourceNotFound",
        &format!("MachineAction {id} was not found"),
    )
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

fn machines(st: &SimState, req: &Req, t: &Tenant) -> Reply {
    let f = match filter(req, MACHINE_FIELDS) {
        Ok(f) => f,
        Err(r) => return r,
    };
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
            "assignedto" => a
                .assigned_to
                .map(|s| Val::Str(s.into()))
                .unwrap_or(Val::Null),
            "detectionsource" => Val::Str(KINDS[a.kind as usize].source.into()),
            "category" => Val::Str(KINDS[a.kind as usize].category.into()),
            "alertcreationtime" => Val::Date(a.created),
            "lastupdatetime" => Val::Date(a.updated),
            "lasteventtime" => Val::Date(a.last_event),
            _ => return None,
        })
    }
}
const ALERT_FIELDS: &[&str] = &[
    "id",
    "status",
    "severity",
    "machineid",
    "incidentid",
    "investigationid",
    "assignedto",
    "detectionsource",
    "category",
    "alertcreationtime",
    "lastupdatetime",
    "lasteventtime",
];

fn alerts(st: &SimState, req: &Req, t: &Tenant, device: Option<u32>) -> Reply {
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

const ACTION_FIELDS: &[&str] = &[
    "id",
    "status",
    "machineid",
    "type",
    "requestor",
    "creationdatetimeutc",
    "lastupdatedatetimeutc",
];

/// `GET /api/machineactions`, newest first unless `$orderby` says otherwise.
///
/// The machine entity has no isolation field (see the API research), so the console derives
/// a device's isolation state from this list:
/// `$filter=machineId eq '{id}' and (type eq 'Isolate' or type eq 'Unisolate')` with
/// `$orderby=creationDateTimeUtc desc`. The newest *Succeeded* record decides (Isolate =
/// isolated, Unisolate = released); a newer Pending/InProgress one shows as "isolating" or
/// "releasing"; Failed, TimeOut and Cancelled records change nothing.
fn actions(st: &SimState, req: &Req, t: &Tenant) -> Reply {
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

const INVESTIGATION_FIELDS: &[&str] =
    &["id", "state", "machineid", "starttime", "triggeringalertid"];

fn investigations(st: &SimState, req: &Req, t: &Tenant) -> Reply {
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

struct AvRec<'a>(&'a Device);
impl Record for AvRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        avinfo::field(self.0, name).map(Val::Str)
    }
}

fn deviceavinfo(st: &SimState, req: &Req, t: &Tenant) -> Reply {
    let allowed = [
        "machineid",
        "computerdnsname",
        "oskind",
        "osplatform",
        "avmode",
        "avissignatureuptodate",
        "avisengineuptodate",
        "avisplatformuptodate",
        "quickscanresult",
        "rbacgroupid",
    ];
    let f = match filter(req, &allowed) {
        Ok(f) => f,
        Err(r) => return r,
    };
    let now = st.clock.now();
    let m = matching(t.devices.iter().map(AvRec), &f);
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
        |r| avinfo::to_json(r.0, now),
    )
}
