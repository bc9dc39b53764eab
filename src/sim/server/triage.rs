//! Triage writes: `PATCH /api/alerts/{id}` (MDE, camelCase body: `status`, `assignedTo`,
//! `classification`, `determination`, `comment`) and `PATCH /v1.0/security/incidents/{id}`
//! (Graph: `status`, `assignedTo`, `classification`, `determination`). Values are checked
//! against the documented enums; the record's last-update time moves to now.

use super::body::{body, check};
use super::mde::entity;
use super::reply::{Family, Reply, graph_error, mde_error};
use super::{Req, SimState};
use crate::sim::tenant::alert_json;
use crate::sim::tenant::alerts::Comment;
use serde_json::{Map, Value};

/// MDE alert classifications.
const CLASSIFICATIONS: [&str; 3] = [
    "TruePositive",
    "InformationalExpectedActivity",
    "FalsePositive",
];
/// Determinations as stored (MDE spelling); Graph shows them camelCased, with the renames
/// of `alert_json::graph_determination`.
const DETERMINATIONS: [&str; 14] = [
    "MultiStagedAttack",
    "MaliciousUserActivity",
    "CompromisedUser",
    "Malware",
    "Phishing",
    "UnwantedSoftware",
    "SecurityTesting",
    "LineOfBusinessApplication",
    "ConfirmedActivity",
    "NotMalicious",
    "Clean",
    "InsufficientData",
    "Other",
    "Apt",
];

/// An optional string field: absent = unchanged; present but not a string (or null where
/// null is not allowed) is an error.
fn text(m: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("Invalid value '{other}' for property '{key}'")),
    }
}

fn pick(list: &[&'static str], v: &str, key: &str) -> Result<&'static str, String> {
    list.iter()
        .find(|x| x.eq_ignore_ascii_case(v))
        .copied()
        .ok_or_else(|| format!("Invalid value '{v}' for property '{key}'"))
}

/// `PATCH /api/alerts/{id}`.
pub fn patch_alert(st: &SimState, req: &Req, id: &str) -> Reply {
    let m = match body(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let allowed = [
        "status",
        "assignedTo",
        "classification",
        "determination",
        "comment",
    ];
    if let Err(r) = check(&m, &allowed, &[]) {
        return r;
    }
    let Ok(mut t) = st.tenant.write() else {
        return mde_error(500, "InternalServerError", "state lock poisoned");
    };
    let Some(i) = t.alert(id) else {
        return mde_error(
            404,
            "ResourceNotFound",
            &format!("Alert {id} was not found"),
        );
    };
    let now = st.clock.now();
    let apply = |a: &mut crate::sim::tenant::alerts::Alert| -> Result<(), String> {
        if let Some(s) = text(&m, "status")? {
            let idx = ["New", "InProgress", "Resolved"]
                .iter()
                .position(|x| x.eq_ignore_ascii_case(&s))
                .ok_or_else(|| format!("Invalid value '{s}' for property 'status'"))?;
            a.status = idx as u8;
            a.resolved = (idx == 2).then_some(now);
        }
        if let Some(s) = text(&m, "assignedTo")? {
            a.assigned_to = Some(s);
        }
        if let Some(s) = text(&m, "classification")? {
            a.classification = Some(pick(&CLASSIFICATIONS, &s, "classification")?);
        }
        if let Some(s) = text(&m, "determination")? {
            a.determination = Some(pick(&DETERMINATIONS, &s, "determination")?);
        }
        if let Some(s) = text(&m, "comment")? {
            a.comments.push(Comment {
                text: s,
                by: super::body::REQUESTOR.into(),
                at: now,
            });
        }
        a.updated = now;
        Ok(())
    };
    // Validate on a copy so a bad value changes nothing.
    let mut copy = t.alerts[i].clone();
    if let Err(msg) = apply(&mut copy) {
        return mde_error(400, "InvalidRequestBody", &msg);
    }
    t.alerts[i] = copy;
    let a = &t.alerts[i];
    entity(
        st,
        "Alerts",
        alert_json::mde(a, &t.devices[a.device as usize], &st.tenant_id, true),
    )
}

/// `PATCH /v1.0/security/incidents/{id}`: answers the updated incident.
pub fn patch_incident(st: &SimState, req: &Req, id: &str) -> Reply {
    let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&req.body) else {
        return graph_error(
            400,
            "BadRequest",
            "The request body is not a valid JSON object.",
        );
    };
    let allowed = ["status", "assignedTo", "classification", "determination"];
    if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
        return graph_error(
            400,
            "BadRequest",
            &format!(
                "The property '{k}' does not exist on type 'microsoft.graph.security.incident'. Make sure to only use property names that are defined by the type."
            ),
        );
    }
    let Ok(mut t) = st.tenant.write() else {
        return graph_error(500, "InternalServerError", "state lock poisoned");
    };
    let Some(i) = t.incidents.iter().position(|x| x.id.to_string() == id) else {
        return graph_error(404, "NotFound", &format!("Incident {id} was not found"));
    };
    let now = st.clock.now();
    let mut inc = t.incidents[i].clone();
    let result = (|| -> Result<(), String> {
        if let Some(s) = text(&m, "status")? {
            // Index into INCIDENT_STATUS; `redirected` is set by the service, not by PATCH.
            inc.status = ["active", "inProgress", "resolved"]
                .iter()
                .position(|x| x.eq_ignore_ascii_case(&s))
                .ok_or_else(|| format!("Invalid value '{s}' for property 'status'"))?
                as u8;
        }
        if let Some(s) = text(&m, "assignedTo")? {
            inc.assigned_to = (!s.is_empty()).then_some(s);
        }
        if let Some(s) = text(&m, "classification")? {
            let graph = [
                "unknown",
                "falsePositive",
                "truePositive",
                "informationalExpectedActivity",
            ];
            let c = pick(&graph, &s, "classification")?;
            inc.classification = (c != "unknown").then_some(c);
        }
        if let Some(s) = text(&m, "determination")? {
            inc.determination = if s.eq_ignore_ascii_case("unknown") {
                None
            } else {
                Some(
                    DETERMINATIONS
                        .iter()
                        .find(|d| alert_json::graph_determination(d).eq_ignore_ascii_case(&s))
                        .copied()
                        .ok_or_else(|| {
                            format!("Invalid value '{s}' for property 'determination'")
                        })?,
                )
            };
        }
        Ok(())
    })();
    if let Err(msg) = result {
        return graph_error(400, "BadRequest", &msg);
    }
    inc.updated = now;
    let v = inc.to_json(&st.tenant_id, None);
    t.incidents[i] = inc;
    Reply::ok(Family::Graph, &v)
}
