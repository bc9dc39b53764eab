//! Graph triage writes: `PATCH /v1.0/security/incidents/{id}`,
//! `PATCH /v1.0/security/alerts_v2/{id}` and `POST …/{id}/comments`, validated like Graph:
//! enum values in Graph's camelCase only (Graph compares them case-sensitively), unknown
//! properties rejected, `redirected` not settable, deprecated determinations refused,
//! classification/determination pairs checked against the documented lists (Defender
//! update-alert page), comments appended with the caller's name and time, and
//! `lastUpdateDateTime` moved. Resolving an incident resolves its alerts, as the portal does.

use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::body::REQUESTOR;
use super::reply::{Family, Reply, graph_error};
use super::{Req, SimState};
use crate::sim::tenant::alert_json::{self, graph_determination};
use crate::sim::tenant::alerts::Comment;

const INCIDENT_STATUS: [&str; 4] = ["active", "inProgress", "resolved", "awaitingAction"];
const ALERT_STATUS: [&str; 3] = ["new", "inProgress", "resolved"];
const CLASSIFICATIONS: [&str; 4] = [
    "unknown",
    "falsePositive",
    "truePositive",
    "informationalExpectedActivity",
];
/// Stored (MDE) spellings of the determinations PATCH accepts; Graph shows them through
/// `graph_determination` (`Clean` → `notMalicious` …).
const DETERMINATIONS: [&str; 12] = [
    "MultiStagedAttack",
    "MaliciousUserActivity",
    "CompromisedUser",
    "Malware",
    "Phishing",
    "UnwantedSoftware",
    "SecurityTesting",
    "LineOfBusinessApplication",
    "ConfirmedActivity",
    "Clean",
    "InsufficientData",
    "Other",
];
/// Withdrawn in August 2022 (update-alert page): Graph still reads them, writes refuse.
const DEPRECATED: [&str; 2] = ["apt", "securityPersonnel"];

/// The determinations (Graph spelling) that fit a classification (Graph spelling).
fn fitting(classification: &str) -> &'static [&'static str] {
    match classification {
        "truePositive" => &[
            "multiStagedAttack",
            "maliciousUserActivity",
            "compromisedAccount",
            "malware",
            "phishing",
            "unwantedSoftware",
            "other",
        ],
        "informationalExpectedActivity" => &[
            "securityTesting",
            "lineOfBusinessApplication",
            "confirmedActivity",
            "other",
        ],
        "falsePositive" => &["notMalicious", "notEnoughDataToValidate", "other"],
        _ => &["unknown"],
    }
}

fn bad(msg: &str) -> Reply {
    graph_error(400, "BadRequest", msg)
}

fn object(req: &Req) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(bad("The request body is not a valid JSON object.")),
    }
}

fn no_such_property(m: &Map<String, Value>, allowed: &[&str], ty: &str) -> Result<(), Reply> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(bad(&format!(
            "The property '{k}' does not exist on type 'microsoft.graph.security.{ty}'. Make sure to only use property names that are defined by the type."
        ))),
        None => Ok(()),
    }
}

/// An enum property: absent = unchanged; the exact camelCase member or a 400.
fn member(
    m: &Map<String, Value>,
    key: &str,
    members: &[&'static str],
    ty: &str,
) -> Result<Option<&'static str>, Reply> {
    match m.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => members
            .iter()
            .find(|x| **x == s.as_str())
            .copied()
            .map(Some)
            .ok_or_else(|| {
                bad(&format!(
                    "Cannot convert the literal '{s}' to the expected type 'microsoft.graph.security.{ty}'."
                ))
            }),
        Some(other) => Err(bad(&format!(
            "Cannot convert the literal '{other}' to the expected type 'microsoft.graph.security.{ty}'."
        ))),
    }
}

/// What a triage PATCH asks for, validated.
struct Patch {
    status: Option<&'static str>,
    /// `Some(None)`: unassign (`null` or `""`).
    assigned: Option<Option<String>>,
    classification: Option<&'static str>,
    /// Graph spelling.
    determination: Option<String>,
    tags: Option<Vec<String>>,
}

fn read_patch(m: &Map<String, Value>, statuses: &[&'static str], ty: &str) -> Result<Patch, Reply> {
    if m.get("status").and_then(Value::as_str) == Some("redirected") {
        return Err(bad(
            "The status 'redirected' is set by the service when incidents are merged.",
        ));
    }
    let status_type = if ty == "incident" {
        "incidentStatus"
    } else {
        "alertStatus"
    };
    let status = member(m, "status", statuses, status_type)?;
    let assigned = match m.get("assignedTo") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some((!s.trim().is_empty()).then(|| s.trim().to_string())),
        Some(other) => {
            return Err(bad(&format!(
                "Cannot convert the literal '{other}' to the expected type 'Edm.String'."
            )));
        }
    };
    let classification = member(m, "classification", &CLASSIFICATIONS, "alertClassification")?;
    let determination = match m.get("determination") {
        None => None,
        Some(Value::String(s)) if DEPRECATED.contains(&s.as_str()) => {
            return Err(bad(&format!(
                "The determination '{s}' is no longer supported."
            )));
        }
        Some(Value::String(s))
            if s == "unknown" || DETERMINATIONS.iter().any(|d| graph_determination(d) == *s) =>
        {
            Some(s.clone())
        }
        Some(other) => {
            let text = other.as_str().map_or(other.to_string(), str::to_string);
            return Err(bad(&format!(
                "Cannot convert the literal '{text}' to the expected type 'microsoft.graph.security.alertDetermination'."
            )));
        }
    };
    let tags = match m.get("customTags") {
        None => None,
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        ),
        Some(_) => {
            return Err(bad(
                "Cannot convert the literal to the expected type 'Collection(Edm.String)'.",
            ));
        }
    };
    Ok(Patch {
        status,
        assigned,
        classification,
        determination,
        tags,
    })
}

/// The classification and determination (Graph spellings) after the patch: a determination
/// must fit the classification it ends up with; a new classification that the old
/// determination does not fit clears the determination (the portal resets it).
fn classify(p: &Patch, current_c: &str, current_d: &str) -> Result<(String, String), Reply> {
    let c = p.classification.unwrap_or(current_c).to_string();
    let d = match &p.determination {
        Some(d) => {
            if !fitting(&c).contains(&d.as_str()) {
                return Err(bad(&format!(
                    "The determination '{d}' is not valid for the classification '{c}'. Valid values: {}.",
                    fitting(&c).join(", ")
                )));
            }
            d.clone()
        }
        None if fitting(&c).contains(&current_d) => current_d.to_string(),
        None => "unknown".to_string(),
    };
    Ok((c, d))
}

/// Stored (MDE) spelling of a Graph determination; `None` for `unknown`.
fn stored_determination(graph: &str) -> Option<&'static str> {
    DETERMINATIONS
        .iter()
        .find(|d| graph_determination(d) == graph)
        .copied()
}

/// The caller's name: the token's UPN when it is a JWT that carries one, else the name the
/// simulator gives API callers.
fn caller(req: &Req) -> String {
    let token = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    token
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .and_then(|v| {
            ["upn", "preferred_username"]
                .iter()
                .find_map(|k| v[k].as_str().map(str::to_string))
        })
        .unwrap_or_else(|| REQUESTOR.to_string())
}

/// The comment text of a `POST …/comments` body.
fn read_comment(req: &Req) -> Result<String, Reply> {
    let m = object(req)?;
    no_such_property(&m, &["@odata.type", "comment"], "alertComment")?;
    if let Some(t) = m.get("@odata.type")
        && t.as_str().map(|t| t.trim_start_matches('#'))
            != Some("microsoft.graph.security.alertComment")
    {
        return Err(bad(
            "The '@odata.type' of a comment must be 'microsoft.graph.security.alertComment'.",
        ));
    }
    match m.get("comment") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        _ => Err(bad("The property 'comment' is required.")),
    }
}

fn comments_reply(st: &SimState, comments: &[Comment]) -> Reply {
    let value: Vec<Value> = comments
        .iter()
        .map(|c| {
            json!({"@odata.type": "#microsoft.graph.security.alertComment", "comment": c.text,
                   "createdByDisplayName": c.by, "createdDateTime": crate::sim::clock::ts(c.at)})
        })
        .collect();
    Reply::ok(
        Family::Graph,
        &json!({
            "@odata.context": format!("{}/v1.0/$metadata#Collection(microsoft.graph.security.alertComment)", st.base_url),
            "value": value,
        }),
    )
}

/// `PATCH /v1.0/security/incidents/{id}`: answers the updated incident.
pub(crate) fn patch_incident(st: &SimState, req: &Req, id: &str) -> Reply {
    let m = match object(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let keys = [
        "status",
        "assignedTo",
        "classification",
        "determination",
        "customTags",
    ];
    if let Err(r) = no_such_property(&m, &keys, "incident") {
        return r;
    }
    let p = match read_patch(&m, &INCIDENT_STATUS, "incident") {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(mut t) = st.tenant.write() else {
        return graph_error(500, "InternalServerError", "state lock poisoned");
    };
    let Some(i) = t.incidents.iter().position(|x| x.id.to_string() == id) else {
        return graph_error(404, "NotFound", &format!("Incident {id} was not found"));
    };
    let now = st.clock.now();
    let mut inc = t.incidents[i].clone();
    let current_d = inc
        .determination
        .map(graph_determination)
        .unwrap_or_else(|| "unknown".into());
    let (c, d) = match classify(&p, inc.classification.unwrap_or("unknown"), &current_d) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(s) = p.status {
        inc.status = match super::super::tenant::catalog::INCIDENT_STATUS
            .iter()
            .position(|x| *x == s)
        {
            Some(ix) => ix as u8,
            // `awaitingAction` has no stored index: keep it as in progress.
            None => 1,
        };
    }
    if let Some(a) = p.assigned {
        inc.assigned_to = a;
    }
    inc.classification = CLASSIFICATIONS
        .iter()
        .find(|x| **x == c && c != "unknown")
        .copied();
    inc.determination = stored_determination(&d);
    if let Some(tags) = p.tags {
        inc.tags = tags;
    }
    inc.updated = now;
    if p.status == Some("resolved") {
        resolve_alerts(&mut t.alerts, &inc.alerts, now);
    }
    let v = inc.to_json(&st.tenant_id, None);
    t.incidents[i] = inc;
    Reply::ok(Family::Graph, &v)
}

fn resolve_alerts(
    alerts: &mut [crate::sim::tenant::alerts::Alert],
    ids: &[u32],
    now: DateTime<Utc>,
) {
    for &ix in ids {
        if let Some(a) = alerts.get_mut(ix as usize)
            && a.status != 2
        {
            a.status = 2;
            a.resolved = Some(now);
            a.updated = now;
        }
    }
}

/// `PATCH /v1.0/security/alerts_v2/{id}`: answers the updated alert.
pub(crate) fn patch_alert(st: &SimState, req: &Req, id: &str) -> Reply {
    let m = match object(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let keys = ["status", "assignedTo", "classification", "determination"];
    if let Err(r) = no_such_property(&m, &keys, "alert") {
        return r;
    }
    let p = match read_patch(&m, &ALERT_STATUS, "alert") {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Ok(mut t) = st.tenant.write() else {
        return graph_error(500, "InternalServerError", "state lock poisoned");
    };
    let Some(i) = t.alert(id) else {
        return graph_error(404, "NotFound", &format!("Alert {id} was not found"));
    };
    let now = st.clock.now();
    let mut a = t.alerts[i].clone();
    let current_c = a
        .classification
        .map(alert_json::camel)
        .unwrap_or_else(|| "unknown".into());
    let current_d = a
        .determination
        .map(graph_determination)
        .unwrap_or_else(|| "unknown".into());
    let (c, d) = match classify(&p, &current_c, &current_d) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if let Some(s) = p.status {
        let ix = ALERT_STATUS.iter().position(|x| *x == s).unwrap_or(0);
        a.status = ix as u8;
        a.resolved = (ix == 2).then_some(now);
    }
    if let Some(who) = p.assigned {
        a.assigned_to = who;
    }
    // Alerts keep the MDE spelling: `TruePositive` …
    a.classification = [
        "TruePositive",
        "FalsePositive",
        "InformationalExpectedActivity",
    ]
    .into_iter()
    .find(|x| alert_json::camel(x) == c);
    a.determination = stored_determination(&d);
    a.updated = now;
    let v = alert_json::graph(&a, &t.devices[a.device as usize], &st.tenant_id);
    t.alerts[i] = a;
    Reply::ok(Family::Graph, &v)
}

/// `POST /v1.0/security/incidents/{id}/comments`: answers the incident's comments.
pub(crate) fn comment_incident(st: &SimState, req: &Req, id: &str) -> Reply {
    let text = match read_comment(req) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Ok(mut t) = st.tenant.write() else {
        return graph_error(500, "InternalServerError", "state lock poisoned");
    };
    let Some(inc) = t.incidents.iter_mut().find(|x| x.id.to_string() == id) else {
        return graph_error(404, "NotFound", &format!("Incident {id} was not found"));
    };
    let now = st.clock.now();
    inc.comments.push(Comment {
        text,
        by: caller(req),
        at: now,
    });
    inc.updated = now;
    comments_reply(st, &inc.comments)
}

/// `POST /v1.0/security/alerts_v2/{id}/comments`: answers the alert's comments.
pub(crate) fn comment_alert(st: &SimState, req: &Req, id: &str) -> Reply {
    let text = match read_comment(req) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let Ok(mut t) = st.tenant.write() else {
        return graph_error(500, "InternalServerError", "state lock poisoned");
    };
    let Some(i) = t.alert(id) else {
        return graph_error(404, "NotFound", &format!("Alert {id} was not found"));
    };
    let now = st.clock.now();
    let a = &mut t.alerts[i];
    a.comments.push(Comment {
        text,
        by: caller(req),
        at: now,
    });
    a.updated = now;
    comments_reply(st, &a.comments)
}

/// Routes a Graph triage write, or `None` when the request is not one.
pub(crate) fn route(st: &SimState, req: &Req) -> Option<Reply> {
    use axum::http::Method;
    let segs: Vec<&str> = req.segs.iter().map(String::as_str).collect();
    let (noun, id, tail) = match segs.as_slice() {
        [_, sec, noun, id] if sec.eq_ignore_ascii_case("security") => (*noun, *id, None),
        [_, sec, noun, id, tail] if sec.eq_ignore_ascii_case("security") => {
            (*noun, *id, Some(*tail))
        }
        _ => return None,
    };
    let incident = noun.eq_ignore_ascii_case("incidents");
    let alert = noun.eq_ignore_ascii_case("alerts_v2");
    if !incident && !alert {
        return None;
    }
    Some(match (&req.method, tail) {
        (m, None) if *m == Method::PATCH && incident => patch_incident(st, req, id),
        (m, None) if *m == Method::PATCH => patch_alert(st, req, id),
        (m, Some(c)) if *m == Method::POST && c.eq_ignore_ascii_case("comments") => {
            if incident {
                comment_incident(st, req, id)
            } else {
                comment_alert(st, req, id)
            }
        }
        _ => return None,
    })
}
