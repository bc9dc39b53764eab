//! Microsoft Graph security routes: incidents (`$top` ≤ 50), alerts_v2 (`$top` clamped at
//! 1,000), secure scores and control profiles, with Graph's camelCase enums and error bodies.

use super::odata::{Expr, Record, Val};
use super::paging::{PageRule, envelope, page};
use super::query::order_by;
use super::reply::{Family, Reply, graph_error};
use super::{Req, SimState};
use crate::sim::tenant::Tenant;
use crate::sim::tenant::alert_json::{self, camel};
use crate::sim::tenant::alerts::Alert;
use crate::sim::tenant::catalog::{ALERT_STATUS, SEVERITY};
use crate::sim::tenant::incidents::Incident;
use crate::sim::tenant::scores;
use axum::http::Method;
use serde_json::Value;

fn context(st: &SimState, set: &str) -> String {
    format!("{}/v1.0/$metadata#{set}", st.base_url)
}

/// Parses `$filter`, refusing the properties the entity's list page does not name as
/// filterable (`entity` is the type in Graph's message, e.g. `microsoft.graph.security.alert`).
fn filter(req: &Req, allowed: &[&str], entity: &str) -> Result<Option<Expr>, Reply> {
    let Some(f) = req.q("$filter") else {
        return Ok(None);
    };
    let e = Expr::parse(f)
        .map_err(|m| graph_error(400, "BadRequest", &format!("Invalid filter clause: {m}")))?;
    if let Some(bad) = e.fields().into_iter().find(|f| !allowed.contains(f)) {
        return Err(graph_error(
            400,
            "BadRequest",
            &format!(
                "Invalid filter clause: Could not find a property named '{bad}' on type '{entity}'."
            ),
        ));
    }
    Ok(Some(e))
}

/// The filterable properties of `GET /security/incidents`: "assignedTo, classification,
/// createdDateTime, determination, lastUpdateDateTime, severity, and status" — not
/// `displayName` or `incidentWebUrl`
/// (https://learn.microsoft.com/en-us/graph/api/security-list-incidents).
const INCIDENT_FIELDS: &[&str] = &[
    "status",
    "severity",
    "assignedto",
    "classification",
    "determination",
    "createddatetime",
    "lastupdatedatetime",
];

/// The filterable properties of `alerts_v2`: "assignedTo, classification, determination,
/// createdDateTime, lastUpdateDateTime, severity, serviceSource and status"
/// (https://learn.microsoft.com/en-us/graph/api/security-list-alerts_v2).
const GRAPH_ALERT_FIELDS: &[&str] = &[
    "status",
    "severity",
    "assignedto",
    "classification",
    "determination",
    "servicesource",
    "createddatetime",
    "lastupdatedatetime",
];

struct IncRec<'a>(&'a Incident);
impl Record for IncRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let i = self.0;
        Some(match name {
            "status" => Val::Str(i.status().into()),
            "severity" => Val::Str(i.severity()),
            "assignedto" => i.assigned_to.clone().map(Val::Str).unwrap_or(Val::Null),
            "classification" => Val::Str(i.classification.unwrap_or("unknown").into()),
            "determination" => Val::Str(
                i.determination
                    .map(alert_json::graph_determination)
                    .unwrap_or_else(|| "unknown".into()),
            ),
            "createddatetime" => Val::Date(i.created),
            "lastupdatedatetime" => Val::Date(i.updated),
            _ => return None,
        })
    }
}

struct AlertRec<'a>(&'a Alert);
impl Record for AlertRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let a = self.0;
        Some(match name {
            "status" => Val::Str(camel(ALERT_STATUS[a.status as usize])),
            "severity" => Val::Str(camel(SEVERITY[a.severity as usize])),
            "classification" => Val::Str(
                a.classification
                    .map(camel)
                    .unwrap_or_else(|| "unknown".into()),
            ),
            "determination" => Val::Str(
                a.determination
                    .map(alert_json::graph_determination)
                    .unwrap_or_else(|| "unknown".into()),
            ),
            "assignedto" => a.assigned_to.clone().map(Val::Str).unwrap_or(Val::Null),
            "servicesource" => Val::Str("microsoftDefenderForEndpoint".into()),
            "createddatetime" => Val::Date(a.created),
            "lastupdatedatetime" => Val::Date(a.updated),
            _ => return None,
        })
    }
}

fn alerts_of(st: &SimState, t: &Tenant, inc: &Incident) -> Vec<Value> {
    inc.alerts
        .iter()
        .map(|&i| {
            let a = &t.alerts[i as usize];
            alert_json::graph(a, &t.devices[a.device as usize], &st.tenant_id)
        })
        .collect()
}

/// Routes a `/v1.0` request.
pub fn handle(st: &SimState, req: &Req) -> Reply {
    if let Some(reply) = super::graph_triage::route(st, req) {
        return reply;
    }
    if req.method != Method::GET {
        return graph_error(
            405,
            "Request_BadRequest",
            "The HTTP method is not supported by this simulated resource.",
        );
    }
    let low: Vec<String> = req
        .segs
        .iter()
        .skip(1)
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let l: Vec<&str> = low.iter().map(String::as_str).collect();
    let Ok(t) = st.tenant.read() else {
        return graph_error(500, "InternalServerError", "state lock poisoned");
    };
    let expand = req
        .q("$expand")
        .is_some_and(|e| e.eq_ignore_ascii_case("alerts"));
    match l.as_slice() {
        ["security", "incidents"] => {
            let f = match filter(req, INCIDENT_FIELDS, "microsoft.graph.security.incident") {
                Ok(f) => f,
                Err(r) => return r,
            };
            let mut m: Vec<_> = t
                .incidents
                .iter()
                .rev()
                .map(IncRec)
                .filter(|r| f.as_ref().is_none_or(|e| e.eval_exact(r)))
                .collect();
            if let Err(r) = order_by(req, Family::Graph, INCIDENT_FIELDS, &mut m) {
                return r;
            }
            let ctx = context(
                st,
                if expand {
                    "security/incidents(alerts())"
                } else {
                    "security/incidents"
                },
            );
            page(
                req,
                &st.base_url,
                Family::Graph,
                PageRule {
                    default: 50,
                    max: 50,
                    clamp: false,
                },
                ctx,
                &m,
                |r| {
                    r.0.to_json(&st.tenant_id, expand.then(|| alerts_of(st, &t, r.0)))
                },
            )
        }
        ["security", "incidents", id] => match t.incidents.iter().find(|i| i.id.to_string() == *id)
        {
            Some(i) => Reply::ok(
                Family::Graph,
                &i.to_json(&st.tenant_id, expand.then(|| alerts_of(st, &t, i))),
            ),
            None => graph_error(404, "NotFound", &format!("Incident {id} was not found")),
        },
        ["security", "alerts_v2"] => {
            let f = match filter(req, GRAPH_ALERT_FIELDS, "microsoft.graph.security.alert") {
                Ok(f) => f,
                Err(r) => return r,
            };
            let mut m: Vec<_> = t
                .alerts
                .iter()
                .rev()
                .map(AlertRec)
                .filter(|r| f.as_ref().is_none_or(|e| e.eval_exact(r)))
                .collect();
            if let Err(r) = order_by(req, Family::Graph, GRAPH_ALERT_FIELDS, &mut m) {
                return r;
            }
            page(
                req,
                &st.base_url,
                Family::Graph,
                PageRule {
                    default: 1000,
                    max: 1000,
                    clamp: true,
                },
                context(st, "security/alerts_v2"),
                &m,
                |r| alert_json::graph(r.0, &t.devices[r.0.device as usize], &st.tenant_id),
            )
        }
        ["security", "alerts_v2", _] => match t.alert(&req.segs[3]) {
            Some(i) => Reply::ok(
                Family::Graph,
                &alert_json::graph(
                    &t.alerts[i],
                    &t.devices[t.alerts[i].device as usize],
                    &st.tenant_id,
                ),
            ),
            None => graph_error(
                404,
                "NotFound",
                &format!("Alert {} was not found", req.segs[3]),
            ),
        },
        ["security", "securescores"] => {
            let top = req.q("$top").and_then(|v| v.parse::<usize>().ok());
            let v = scores::secure_scores(st.seed, &st.tenant_id, st.clock.now(), top);
            Reply::ok(
                Family::Graph,
                &envelope(context(st, "security/secureScores"), v, None, None),
            )
        }
        ["security", "securescorecontrolprofiles"] => {
            super::graph_controls::control_profiles(st, req)
        }
        _ => graph_error(
            404,
            "NotFound",
            &format!(
                "Resource not found for the segment '{}'.",
                req.segs.last().map(String::as_str).unwrap_or("")
            ),
        ),
    }
}
