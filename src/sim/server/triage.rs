//! MDE triage write: `PATCH /api/alerts/{id}` (camelCase body: `status`, `assignedTo`,
//! `classification`, `determination`, `comment`). Values are checked against the documented
//! enums; the record's last-update time moves to now. Graph's triage writes are in
//! `graph_triage`.

use super::body::{body, check};
use super::mde::entity;
use super::reply::{Reply, mde_error};
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
pub(crate) fn patch_alert(st: &SimState, req: &Req, id: &str) -> Reply {
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
