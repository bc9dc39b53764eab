//! What changed between two snapshots (pure). "New or updated since the last digest" means
//! after the previous snapshot's `taken_at`; with no previous snapshot it means the 24 hours
//! before the current one, and list-membership changes (new device at risk …) are not
//! reported because there is nothing to compare with.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::model::{IncidentItem, ListName, Snapshot, fmt_num};

/// Kind of a change, serialized camelCase (`newIncident` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    ExposureChange,
    SecureScoreChange,
    DeviceScoreChange,
    NewIncident,
    UpdatedIncident,
    NewPendingAction,
    NewPendingApproval,
    NewDeviceAtRisk,
    DeviceRiskChange,
    DeviceNowInactive,
    ActionFailed,
    NewRecommendation,
}

/// One change worth a line in the digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Id of the thing that changed (incident, device, action …; the score name for scores).
    pub id: String,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
}

/// How a console row differs from the previous snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowMark {
    New,
    Changed,
}

/// The instant "new" is measured from: the previous snapshot, else 24 h before `cur`.
pub fn since(prev: Option<&Snapshot>, cur: &Snapshot) -> DateTime<Utc> {
    prev.map_or(crate::predicates::new_since(cur.taken_at), |p| p.taken_at)
}

/// An instant after `since`: "new" in the digest, as the console's checklist counts it
/// ([`crate::predicates::created_after`]).
fn after(t: Option<DateTime<Utc>>, since: DateTime<Utc>) -> bool {
    crate::predicates::created_after(t, since)
}

/// An incident created or updated after `since` (the digest's "new or updated").
pub(crate) fn new_or_updated(i: &IncidentItem, since: DateTime<Utc>) -> bool {
    after(i.last_update_date_time, since) || after(i.created_date_time, since)
}

fn change(kind: ChangeKind, id: &str, summary: String, severity: Option<String>) -> Change {
    Change {
        kind,
        id: id.to_string(),
        summary,
        severity,
    }
}

/// Score moves smaller than this are rounding noise.
const SCORE_EPSILON: f64 = 0.05;

fn score_change(
    kind: ChangeKind,
    id: &str,
    label: &str,
    prev: Option<f64>,
    cur: Option<f64>,
) -> Option<Change> {
    let (p, c) = (prev?, cur?);
    let d = c - p;
    (d.abs() >= SCORE_EPSILON).then(|| {
        let sign = if d > 0.0 { "+" } else { "-" };
        let summary = format!(
            "{label} {} -> {} ({sign}{})",
            fmt_num(p),
            fmt_num(c),
            fmt_num(d.abs())
        );
        change(kind, id, summary, None)
    })
}

/// `prev` when it holds the whole of `list`. A list the previous digest cut at its cap cannot
/// tell what is new by absence (a record it did not keep may have been there): such a list
/// falls back to the record's own time, or says nothing.
fn whole(prev: Option<&Snapshot>, list: ListName) -> Option<&Snapshot> {
    prev.filter(|p| p.truncated(list).is_none())
}

/// Changes from `prev` to `cur`, scores first, then incidents by severity, then the lists.
pub fn changes(prev: Option<&Snapshot>, cur: &Snapshot) -> Vec<Change> {
    use ChangeKind::*;
    let since = since(prev, cur);
    let mut out = Vec::new();
    if let Some(p) = prev {
        out.extend(score_change(
            ExposureChange,
            "exposureScore",
            "Exposure score",
            p.exposure_score.as_ref().map(|e| e.score),
            cur.exposure_score.as_ref().map(|e| e.score),
        ));
        out.extend(score_change(
            SecureScoreChange,
            "secureScore",
            "Secure Score %",
            p.secure_score.as_ref().map(|s| s.percent),
            cur.secure_score.as_ref().map(|s| s.percent),
        ));
        out.extend(score_change(
            DeviceScoreChange,
            "configurationScore",
            "Secure Score for devices",
            p.configuration_score,
            cur.configuration_score,
        ));
    }

    let mut incidents: Vec<_> = cur
        .incidents
        .iter()
        .filter(|i| new_or_updated(i, since))
        .collect();
    incidents.sort_by(|a, b| {
        b.severity_rank()
            .cmp(&a.severity_rank())
            .then_with(|| b.last_update_date_time.cmp(&a.last_update_date_time))
    });
    for i in incidents {
        let sev = Some(i.severity.clone()).filter(|s| !s.is_empty());
        let (kind, word) = if after(i.created_date_time, since) {
            (NewIncident, "New")
        } else {
            (UpdatedIncident, "Updated")
        };
        out.push(change(
            kind,
            &i.id,
            format!(
                "{word} incident {} [{}] {} ({})",
                i.id, i.severity, i.title, i.status
            ),
            sev,
        ));
    }

    for a in &cur.pending_actions {
        let is_new = match whole(prev, ListName::PendingActions) {
            Some(p) => !p.pending_actions.iter().any(|x| x.id == a.id),
            None => after(a.created, since),
        };
        if is_new {
            out.push(change(
                NewPendingAction,
                &a.id,
                format!(
                    "New pending action: {} on {} ({})",
                    a.action_type, a.device, a.status
                ),
                None,
            ));
        }
    }
    for i in &cur.pending_investigations {
        let is_new = match whole(prev, ListName::PendingInvestigations) {
            Some(p) => !p.pending_investigations.iter().any(|x| x.id == i.id),
            None => after(i.start, since),
        };
        if is_new {
            out.push(change(
                NewPendingApproval,
                &i.id,
                format!("Investigation {} on {} awaits approval", i.id, i.device),
                None,
            ));
        }
    }
    if let Some(p) = prev {
        let risk_compared = whole(prev, ListName::DevicesAtRisk).is_some();
        for d in &cur.devices_at_risk {
            match p.devices_at_risk.iter().find(|x| x.id == d.id) {
                None if risk_compared => out.push(change(
                    NewDeviceAtRisk,
                    &d.id,
                    format!("{} is now at risk ({} risk)", d.name, d.risk_score),
                    Some(d.risk_score.clone()),
                )),
                Some(old) if old.risk_score != d.risk_score => out.push(change(
                    DeviceRiskChange,
                    &d.id,
                    format!("{} risk {} -> {}", d.name, old.risk_score, d.risk_score),
                    Some(d.risk_score.clone()),
                )),
                _ => {}
            }
        }
        let inactive_compared = whole(prev, ListName::InactiveDevices).is_some();
        for d in &cur.inactive_devices {
            if inactive_compared && !p.inactive_devices.iter().any(|x| x.id == d.id) {
                out.push(change(
                    DeviceNowInactive,
                    &d.id,
                    format!("{} is now inactive", d.name),
                    None,
                ));
            }
        }
    }
    for a in &cur.failed_actions {
        let is_new = match whole(prev, ListName::FailedActions) {
            Some(p) => !p.failed_actions.iter().any(|x| x.id == a.id),
            None => after(a.updated.or(a.created), since),
        };
        if is_new {
            out.push(change(
                ActionFailed,
                &a.id,
                format!("{} on {} ended {}", a.action_type, a.device, a.status),
                None,
            ));
        }
    }
    if let Some(p) = prev {
        for r in &cur.recommendations {
            if !p.recommendations.iter().any(|x| x.id == r.id) {
                let impact = r.exposure_impact.map_or(String::new(), |x| {
                    format!(", exposure impact {}", crate::api::model::impact_text(x))
                });
                out.push(change(
                    NewRecommendation,
                    &r.id,
                    format!("New high-impact recommendation: {}{impact}", r.name),
                    None,
                ));
            }
        }
    }
    out
}

/// Rows the console should mark: id -> New or Changed, over every list of the snapshot.
pub fn row_marks(prev: Option<&Snapshot>, cur: &Snapshot) -> HashMap<String, RowMark> {
    let since = since(prev, cur);
    let mut marks = HashMap::new();
    for i in &cur.incidents {
        let old = prev.and_then(|p| p.incidents.iter().find(|x| x.id == i.id));
        let compared = whole(prev, ListName::Incidents).is_some();
        if after(i.created_date_time, since) || (compared && old.is_none()) {
            marks.insert(i.id.clone(), RowMark::New);
        } else if after(i.last_update_date_time, since)
            || old.is_some_and(|o| o.analyst_key() != i.analyst_key())
        {
            marks.insert(i.id.clone(), RowMark::Changed);
        }
    }
    // compared: prev holds the whole list. old: None = not in prev, Some(same) = in prev and
    // equal or not. Absence from a list the previous digest cut says nothing: the record's
    // own time decides.
    let mut by_id =
        |compared: bool, id: &str, created: Option<DateTime<Utc>>, old: Option<bool>| {
            match (prev, old) {
                (Some(_), Some(false)) => Some(RowMark::Changed),
                (Some(_), None) if compared => Some(RowMark::New),
                (_, None) if after(created, since) => Some(RowMark::New),
                _ => None,
            }
            .map(|m| marks.insert(id.to_string(), m));
        };
    for a in &cur.pending_actions {
        by_id(
            whole(prev, ListName::PendingActions).is_some(),
            &a.id,
            a.created,
            prev.and_then(|p| p.pending_actions.iter().find(|x| x.id == a.id))
                .map(|o| o.status == a.status),
        );
    }
    for a in &cur.failed_actions {
        by_id(
            whole(prev, ListName::FailedActions).is_some(),
            &a.id,
            a.updated.or(a.created),
            prev.and_then(|p| p.failed_actions.iter().find(|x| x.id == a.id))
                .map(|o| o.status == a.status),
        );
    }
    for i in &cur.pending_investigations {
        by_id(
            whole(prev, ListName::PendingInvestigations).is_some(),
            &i.id,
            i.start,
            // Still pending: nothing an analyst would call a change.
            prev.and_then(|p| p.pending_investigations.iter().find(|x| x.id == i.id))
                .map(|_| true),
        );
    }
    for d in &cur.devices_at_risk {
        by_id(
            whole(prev, ListName::DevicesAtRisk).is_some(),
            &d.id,
            None,
            prev.and_then(|p| p.devices_at_risk.iter().find(|x| x.id == d.id))
                .map(|o| {
                    (&o.risk_score, &o.exposure_level, &o.health_status)
                        == (&d.risk_score, &d.exposure_level, &d.health_status)
                }),
        );
    }
    for d in &cur.inactive_devices {
        by_id(
            whole(prev, ListName::InactiveDevices).is_some(),
            &d.id,
            None,
            prev.and_then(|p| p.inactive_devices.iter().find(|x| x.id == d.id))
                .map(|_| true),
        );
    }
    for r in &cur.recommendations {
        by_id(
            // The previous top few by impact: a recommendation new to them is marked.
            prev.is_some(),
            &r.id,
            None,
            prev.and_then(|p| p.recommendations.iter().find(|x| x.id == r.id))
                .map(|o| o.exposed_machines_count == r.exposed_machines_count),
        );
    }
    marks
}
