//! The outline of a text or Markdown digest: title, lead lines and titled sections of short
//! items, in the order the morning routine reads them. Pure; the formats only lay it out.

use chrono::{DateTime, Utc};

use super::diff::{Change, ChangeKind, since};
use super::model::{IncidentItem, ListName, Snapshot, fmt_num};
use super::render::when;
use crate::api::resources::ListResource;

/// Longest list shown; the rest is counted.
const MAX_LINES: usize = 15;

fn opt_when(t: Option<DateTime<Utc>>) -> String {
    t.map_or_else(|| "unknown time".to_string(), when)
}

/// A digest as a title, lead lines and titled sections of items.
pub(crate) struct Outline {
    pub(crate) title: String,
    pub(crate) lead: Vec<String>,
    pub(crate) sections: Vec<(String, Vec<String>)>,
}

/// Incidents created or updated after `since`, highest severity first.
pub(crate) fn recent_incidents(prev: Option<&Snapshot>, cur: &Snapshot) -> Vec<IncidentItem> {
    let since = since(prev, cur);
    let mut v: Vec<IncidentItem> = cur
        .incidents
        .iter()
        .filter(|i| super::diff::new_or_updated(i, since))
        .cloned()
        .collect();
    v.sort_by(|a, b| {
        b.severity_rank()
            .cmp(&a.severity_rank())
            .then_with(|| b.last_update_date_time.cmp(&a.last_update_date_time))
    });
    v
}

/// "+7 since last digest", "no change", or "" without a previous figure.
pub(crate) fn delta_text(prev: Option<f64>, cur: f64, unit: &str) -> String {
    match prev {
        None => String::new(),
        Some(p) if (cur - p).abs() < 0.05 => ", no change since last digest".to_string(),
        Some(p) => {
            let d = cur - p;
            let sign = if d > 0.0 { "+" } else { "-" };
            format!(", {sign}{}{unit} since last digest", fmt_num(d.abs()))
        }
    }
}

fn capped(mut items: Vec<String>) -> Vec<String> {
    if items.len() > MAX_LINES {
        let more = items.len() - MAX_LINES;
        items.truncate(MAX_LINES);
        items.push(format!("... and {more} more"));
    }
    items
}

/// The count of a list made from a cut one: `n`, or "n shown; more may exist" (the records
/// the digest did not keep may belong here too).
fn derived_count(n: usize, cut: bool) -> String {
    if cut {
        format!("{n} shown; more may exist")
    } else {
        n.to_string()
    }
}

/// One note per list the digest stopped reading at its cap, saying where the whole list is (a
/// ranked list read whole, such as the recommendations, says "10 of 37" in its title).
fn truncation_notes(cur: &Snapshot) -> Vec<String> {
    cur.truncated
        .iter()
        .filter(|t| t.total.is_none())
        .map(|t| {
            let (what, resource) = match t.list {
                ListName::PendingActions => ("Pending actions", ListResource::Actions),
                ListName::FailedActions => ("Failed or timed-out actions", ListResource::Actions),
                ListName::PendingInvestigations => (
                    "Investigations awaiting approval",
                    ListResource::Investigations,
                ),
                ListName::DevicesAtRisk => {
                    ("Devices with threat detections", ListResource::Devices)
                }
                ListName::InactiveDevices => ("Inactive devices", ListResource::Devices),
                ListName::Incidents => ("Incidents updated lately", ListResource::Incidents),
                ListName::Recommendations => {
                    ("High-impact recommendations", ListResource::Recommendations)
                }
            };
            let cap = match t.list {
                ListName::Incidents => super::sections::MAX_INCIDENTS,
                _ => super::collect::MAX_ROWS,
            };
            format!(
                "{what}: {} (the digest reads at most {} a list; `{}` lists them all)",
                t.count_text(),
                cap,
                resource.fill_command()
            )
        })
        .collect()
}

fn has_change(changes: &[Change], kind: ChangeKind, id: &str) -> bool {
    changes.iter().any(|c| c.kind == kind && c.id == id)
}

fn incident_line(i: &IncidentItem) -> String {
    format!(
        "[{}] {} {} ({}, updated {})",
        i.severity,
        i.id,
        i.title,
        i.status,
        opt_when(i.last_update_date_time)
    )
}

/// Open incidents assigned to the digest's reader, highest severity first; the title says
/// how to set who that is when socops cannot know.
fn assigned_to_me(cur: &Snapshot) -> (String, Vec<String>) {
    let Some(me) = cur.me.as_deref() else {
        return (
            "Assigned to me".to_string(),
            vec![
                "socops signs in as an app here: set analyst = \"name@domain\" in the profile"
                    .to_string(),
            ],
        );
    };
    let mut v: Vec<&IncidentItem> = cur
        .incidents
        .iter()
        .filter(|i| i.is_open())
        .filter(|i| {
            i.assigned_to
                .as_deref()
                .is_some_and(|a| a.trim().eq_ignore_ascii_case(me))
        })
        .collect();
    v.sort_by(|a, b| {
        b.severity_rank()
            .cmp(&a.severity_rank())
            .then_with(|| b.last_update_date_time.cmp(&a.last_update_date_time))
    });
    let cut = cur.truncated(ListName::Incidents).is_some();
    (
        format!("Assigned to me, {me} ({})", derived_count(v.len(), cut)),
        v.into_iter().map(incident_line).collect(),
    )
}

/// Open high-severity incidents nobody owns, oldest first (they have waited longest).
fn unassigned_high(cur: &Snapshot) -> Vec<String> {
    let mut v: Vec<&IncidentItem> = cur
        .incidents
        .iter()
        .filter(|i| i.is_open() && i.severity_rank() >= 4)
        .filter(|i| i.assigned_to.as_deref().is_none_or(|a| a.trim().is_empty()))
        .collect();
    v.sort_by_key(|i| i.created_date_time);
    v.into_iter().map(incident_line).collect()
}

pub(crate) fn outline(prev: Option<&Snapshot>, cur: &Snapshot, changes: &[Change]) -> Outline {
    let mut lead = vec![format!("Generated {}", when(cur.taken_at))];
    lead.push(match prev {
        Some(p) => format!("Compared with the digest of {}", when(p.taken_at)),
        None => "First digest for this profile: \"new\" means the last 24 hours".to_string(),
    });

    let mut scores = Vec::new();
    scores.push(match &cur.exposure_score {
        Some(e) => {
            let p = prev
                .and_then(|p| p.exposure_score.as_ref())
                .map(|e| e.score);
            format!(
                "Exposure score: {} ({}){}",
                fmt_num(e.score),
                e.level,
                delta_text(p, e.score, "")
            )
        }
        None => "Exposure score: not available".to_string(),
    });
    scores.push(match &cur.secure_score {
        Some(s) => {
            let p = prev
                .and_then(|p| p.secure_score.as_ref())
                .map(|s| s.percent);
            format!(
                "Microsoft Secure Score: {}% ({} of {}){}",
                fmt_num(s.percent),
                fmt_num(s.current),
                fmt_num(s.max),
                delta_text(p, s.percent, " points")
            )
        }
        None => "Microsoft Secure Score: not available".to_string(),
    });
    scores.push(match cur.configuration_score {
        Some(c) => {
            let p = prev.and_then(|p| p.configuration_score);
            format!(
                "Secure Score for devices: {}{}",
                fmt_num(c),
                delta_text(p, c, "")
            )
        }
        None => "Secure Score for devices: not available".to_string(),
    });

    let mark = |kind: ChangeKind, id: &str| {
        if has_change(changes, kind, id) {
            " [new]"
        } else {
            ""
        }
    };
    let pending: Vec<String> = cur
        .pending_actions
        .iter()
        .map(|a| {
            format!(
                "{} on {}: {} since {}{}",
                a.action_type,
                a.device,
                a.status,
                opt_when(a.created),
                mark(ChangeKind::NewPendingAction, &a.id)
            )
        })
        .collect();
    let approvals: Vec<String> = cur
        .pending_investigations
        .iter()
        .map(|i| {
            format!(
                "Investigation {} on {}, started {}{}",
                i.id,
                i.device,
                opt_when(i.start),
                mark(ChangeKind::NewPendingApproval, &i.id)
            )
        })
        .collect();
    let devices: Vec<String> = cur
        .devices_at_risk
        .iter()
        .map(|d| {
            let m = if has_change(changes, ChangeKind::NewDeviceAtRisk, &d.id) {
                " [new]"
            } else if has_change(changes, ChangeKind::DeviceRiskChange, &d.id) {
                " [changed]"
            } else {
                ""
            };
            format!(
                "{}: {} risk, {} exposure, {}{m}",
                d.name, d.risk_score, d.exposure_level, d.health_status
            )
        })
        .collect();
    let incidents: Vec<String> = recent_incidents(prev, cur)
        .iter()
        .map(|i| {
            let m = if has_change(changes, ChangeKind::NewIncident, &i.id) {
                "new"
            } else {
                "updated"
            };
            format!(
                "[{}] {} {} ({}, {m} {})",
                i.severity,
                i.id,
                i.title,
                i.status,
                opt_when(i.last_update_date_time)
            )
        })
        .collect();
    let (mine_title, mine) = assigned_to_me(cur);
    let incidents_cut = cur.truncated(ListName::Incidents).is_some();
    let unassigned = unassigned_high(cur);
    let failed: Vec<String> = cur
        .failed_actions
        .iter()
        .map(|a| {
            format!(
                "{} on {}: {}, {}{}",
                a.action_type,
                a.device,
                a.status,
                opt_when(a.updated.or(a.created)),
                mark(ChangeKind::ActionFailed, &a.id)
            )
        })
        .collect();
    let by_kind = |kind: ChangeKind| -> Vec<String> {
        changes
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| c.summary.clone())
            .collect()
    };

    let mut sections = vec![
        ("Scores".to_string(), scores),
        (
            format!(
                "Pending actions ({})",
                cur.count_text(ListName::PendingActions)
            ),
            capped(pending),
        ),
        (
            format!(
                "Devices with threat detections ({})",
                cur.count_text(ListName::DevicesAtRisk)
            ),
            capped(devices),
        ),
        (
            format!(
                "Incidents new or updated since {} ({})",
                when(since(prev, cur)),
                derived_count(incidents.len(), incidents_cut)
            ),
            capped(incidents),
        ),
        (mine_title, capped(mine)),
        (
            format!(
                "Unassigned high-severity incidents ({})",
                derived_count(unassigned.len(), incidents_cut)
            ),
            capped(unassigned),
        ),
        (
            format!(
                "Failed or timed-out actions, last 7 days ({})",
                cur.count_text(ListName::FailedActions)
            ),
            capped(failed),
        ),
    ];
    // Automated investigation was retired on 2026-09-01: the section appears only while the
    // tenant still shows investigations awaiting approval.
    if !approvals.is_empty() {
        sections.insert(
            2,
            (
                format!(
                    "Investigations awaiting approval ({})",
                    cur.count_text(ListName::PendingInvestigations)
                ),
                capped(approvals),
            ),
        );
    }
    if prev.is_some() {
        let inactive = by_kind(ChangeKind::DeviceNowInactive);
        sections.push((
            format!(
                "Devices newly inactive ({})",
                derived_count(
                    inactive.len(),
                    cur.truncated(ListName::InactiveDevices).is_some()
                )
            ),
            capped(inactive),
        ));
        let recs = by_kind(ChangeKind::NewRecommendation);
        sections.push((
            format!("New high-impact recommendations ({})", recs.len()),
            capped(recs),
        ));
    } else {
        sections.push((
            format!(
                "Inactive devices ({})",
                cur.count_text(ListName::InactiveDevices)
            ),
            capped(
                cur.inactive_devices
                    .iter()
                    .map(|d| format!("{}, last seen {}", d.name, opt_when(d.last_seen)))
                    .collect(),
            ),
        ));
        sections.push((
            format!(
                "High-impact recommendations ({})",
                cur.count_text(ListName::Recommendations)
            ),
            capped(
                cur.recommendations
                    .iter()
                    .map(|r| {
                        let impact = r.exposure_impact.map_or(String::new(), |x| {
                            format!(", exposure impact {}", crate::api::model::impact_text(x))
                        });
                        format!(
                            "{}{impact}, {} devices",
                            r.name,
                            r.exposed_machines_count.unwrap_or(0)
                        )
                    })
                    .collect(),
            ),
        ));
    }
    let summaries: Vec<String> = changes.iter().map(|c| c.summary.clone()).collect();
    let changes_title = if prev.is_some() {
        "Changes since last run"
    } else {
        "New in the last 24 hours"
    };
    sections.push((
        format!("{changes_title} ({})", summaries.len()),
        capped(summaries),
    ));
    if !cur.errors.is_empty() {
        sections.push(("Could not read".to_string(), cur.errors.clone()));
    }
    let notes: Vec<String> = truncation_notes(cur)
        .into_iter()
        .chain(cur.notes.iter().cloned())
        .collect();
    if !notes.is_empty() {
        sections.push(("Notes".to_string(), notes));
    }
    Outline {
        title: format!("socops digest: {} ({})", cur.profile, cur.tenant),
        lead,
        sections,
    }
}
