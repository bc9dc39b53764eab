//! Defender for Endpoint `/api/...` routing: single reads by id, the shared entity and
//! `$filter` helpers, and dispatch to the lists, actions, indicators and TVM modules.

use super::mde_lists::{actions, alerts, deviceavinfo, investigations, machines};
use super::odata::Expr;
use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState, limits, mde_actions, mde_links, mde_tvm};
use crate::sim::tenant::alert_json;
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
pub(crate) fn limit_for(req: &Req) -> limits::Limit {
    let r: Vec<String> = route(req).iter().map(|s| s.to_ascii_lowercase()).collect();
    match (r.first().map(String::as_str), r.get(2).map(String::as_str)) {
        (Some("deviceavinfo"), _) => limits::AVINFO,
        (Some("machineactions"), Some("getpackageuri")) => limits::PACKAGE,
        (Some("machines"), Some("runliveresponse")) => limits::LIVE_RESPONSE,
        (Some("machines"), Some("startinvestigation")) => limits::INVESTIGATION,
        (Some("machines"), Some("vulnerabilities")) => limits::MACHINE_VULNS,
        (
            Some(
                "exposurescore" | "configurationscore" | "recommendations" | "vulnerabilities"
                | "software" | "remediationtasks",
            ),
            _,
        ) => limits::TVM,
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

/// Routes an `/api` request.
pub fn handle(st: &SimState, req: &Req) -> Reply {
    let r = route(req);
    let low: Vec<String> = r.iter().map(|s| s.to_ascii_lowercase()).collect();
    let l: Vec<&str> = low.iter().map(String::as_str).collect();
    let now = st.clock.now();
    if req.method == Method::POST {
        return mde_actions::post(st, req, &r, &l);
    }
    if req.method == Method::PATCH {
        return match l.as_slice() {
            ["alerts", _] => super::triage::patch_alert(st, req, &r[1]),
            _ => not_found(),
        };
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
        ["machines", _, list] => match super::mde_device::get(st, req, &t, &r[1], list) {
            Some(reply) => reply,
            None => not_found(),
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
        ["alerts", _, list] => match super::mde_related::get(st, req, &t, &r[1], list) {
            Some(reply) => reply,
            None => not_found(),
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
        ["machineactions", _, "getpackageuri"] => mde_links::package_uri(st, &t, &r[1]),
        ["machineactions", _, link] if link.starts_with("getliveresponseresultdownloadlink") => {
            mde_links::result_link(st, &t, &r[1], link)
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
pub(crate) fn not_found() -> Reply {
    mde_error(404, "NotFound", "The requested resource was not found")
}
/// 404 for an unknown device.
pub(crate) fn machine_missing(id: &str) -> Reply {
    mde_error(
        404,
        "ResourceNotFound",
        &format!("Machine {id} was not found"),
    )
}
/// 404 for an unknown action.
pub(crate) fn action_missing(id: &str) -> Reply {
    mde_error(
        404,
        "ResourceNotFound",
        &format!("MachineAction {id} was not found"),
    )
}
