//! Generation of incidents, the alerts they group (with evidence) and the automated
//! investigations those alerts triggered. Device risk scores follow the open alerts.

use super::Ctx;
use super::actions::Investigation;
use super::catalog::{ANALYSTS, Ev, KINDS, PEOPLE};
use super::devices::Device;
pub use super::evidence::Evidence;
use super::evidence::make_evidence;
use super::incidents::Incident;
use crate::sim::clock::secs;
use crate::sim::rng::Rng;
use chrono::{DateTime, Utc};

/// A comment on an alert or incident.
#[derive(Debug, Clone)]
pub struct Comment {
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One MDE alert (Graph alerts_v2 is a view of the same rows).
#[derive(Debug, Clone)]
pub struct Alert {
    pub id: String,
    pub incident: u64,
    pub investigation: Option<u64>,
    pub investigation_state: &'static str,
    pub assigned_to: Option<String>,
    pub severity: u8,
    pub status: u8,
    pub classification: Option<&'static str>,
    pub determination: Option<&'static str>,
    pub kind: u8,
    pub detector: String,
    pub created: DateTime<Utc>,
    pub first_event: DateTime<Utc>,
    pub last_event: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub resolved: Option<DateTime<Utc>>,
    pub device: u32,
    pub user: Option<usize>,
    pub comments: Vec<Comment>,
    pub evidence: Vec<Evidence>,
}

/// Everything the alert generator produces.
pub struct Generated {
    pub alerts: Vec<Alert>,
    pub incidents: Vec<Incident>,
    pub investigations: Vec<Investigation>,
}

fn pick_kind(rng: &mut Rng, severity: u8) -> u8 {
    let options: Vec<usize> = (0..KINDS.len())
        .filter(|&k| KINDS[k].severity == severity)
        .collect();
    *rng.pick(&options) as u8
}

/// Generates incidents, alerts and investigations and raises device risk accordingly.
pub fn generate(ctx: &Ctx, devices: &mut [Device]) -> Generated {
    let mut rng = Rng::stream(ctx.seed, 2);
    let n_inc = (devices.len() * 2 / 3).clamp(12, 600);
    // Ages: five within the last day, the rest over 30 days; oldest first so ids grow with time.
    let mut ages: Vec<f64> = (0..n_inc)
        .map(|i| {
            if i < 5 {
                1800.0 + rng.unit() * 80_000.0
            } else {
                86_400.0 + rng.unit() * 29.0 * 86_400.0
            }
        })
        .collect();
    ages.sort_by(|a, b| b.total_cmp(a));
    let mut out = Generated {
        alerts: Vec::new(),
        incidents: Vec::new(),
        investigations: Vec::new(),
    };
    let mut pending_approval = 0;
    let mut next_inv = 1800u64;
    for (k, age) in ages.iter().enumerate() {
        let recent = *age < 86_400.0;
        let order = n_inc - 1 - k; // 0 = newest
        let created = ctx.now - secs(*age);
        let status: u8 = match order {
            0..=4 => {
                if order == 3 {
                    1
                } else {
                    0
                }
            }
            5 => 3,
            6 => 1,
            _ => match rng.below(100) {
                0..60 => 2,
                60..80 => 0,
                80..95 => 1,
                _ => 3,
            },
        };
        let severity: u8 = if order < 8 {
            (3 - order % 4) as u8
        } else {
            *rng.pick(&[0u8, 1, 1, 2, 2, 2, 3, 3])
        };
        let id = 4000 + k as u64;
        let n_alerts = 1 + rng.below(3) as usize;
        let dev0 = rng.below(devices.len() as u64) as u32;
        let dev1 = if rng.chance(20) {
            rng.below(devices.len() as u64) as u32
        } else {
            dev0
        };
        let person = rng.below(PEOPLE.len() as u64) as usize;
        let assigned = if status != 0 || rng.chance(30) {
            Some(*rng.pick(ANALYSTS))
        } else {
            None
        };
        let resolved_like = status >= 2;
        let mut alert_ix = Vec::new();
        let mut last_update = created;
        let mut first_kind = 0u8;
        for a in 0..n_alerts {
            let sev = if a == 0 {
                severity
            } else {
                rng.below(severity as u64 + 1) as u8
            };
            let kind = pick_kind(&mut rng, sev);
            if a == 0 {
                first_kind = kind;
            }
            let kd = &KINDS[kind as usize];
            let device = if a == 0 {
                dev0
            } else if a == 1 {
                dev1
            } else {
                dev0
            };
            let a_created = created - secs(60.0 + rng.unit() * 600.0) + secs(a as f64 * 240.0);
            let first_event = a_created - secs(30.0 + rng.unit() * 300.0);
            let last_event = first_event + secs(rng.unit() * 120.0);
            let a_status: u8 = match status {
                0 => {
                    if rng.chance(80) {
                        0
                    } else {
                        1
                    }
                }
                1 => 1,
                _ => 2,
            };
            let resolved = (a_status == 2)
                .then(|| a_created + secs(3600.0 + rng.unit() * 20.0 * 3600.0))
                .map(|t| t.min(ctx.now));
            let updated =
                resolved.unwrap_or_else(|| (a_created + secs(rng.unit() * 900.0)).min(ctx.now));
            last_update = last_update.max(updated);
            let d = &devices[device as usize];
            let windows = d.os.is_windows();
            // An automated investigation for about half of the endpoint detections on Windows.
            let mut inv = None;
            let mut inv_state = if windows {
                "UnsupportedAlertType"
            } else {
                "UnsupportedOs"
            };
            if windows
                && matches!(kd.source, "WindowsDefenderAtp" | "WindowsDefenderAv")
                && rng.chance(55)
            {
                let state = if a_status == 2 {
                    *rng.pick(&[
                        "SuccessfullyRemediated",
                        "SuccessfullyRemediated",
                        "Benign",
                        "PartiallyRemediated",
                        "TerminatedByUser",
                    ])
                } else if pending_approval < 2 {
                    pending_approval += 1;
                    "PendingApproval"
                } else {
                    *rng.pick(&[
                        "Running",
                        "PartiallyInvestigated",
                        "SuccessfullyRemediated",
                        "Queued",
                    ])
                };
                next_inv += 1 + rng.below(6);
                inv = Some(next_inv);
                inv_state = state;
            }
            let alert_id = format!(
                "da{}_{}",
                638_700_000_000_000_000u64 + a_created.timestamp() as u64 * 10 + rng.below(10),
                rng.next_u64() as i32
            );
            if let Some(inv_id) = inv {
                // Automated investigation was retired on 2026-09-01 (MC1411577): a tenant seen
                // after that holds only old history, dated before the retirement; what was
                // running then was ended by the system. (Same random draws either way.)
                let retired = crate::sim::tenant::air_retired(ctx.now);
                let shift = if retired {
                    ctx.now - crate::sim::tenant::air_retired_at() + chrono::Duration::days(30)
                } else {
                    chrono::Duration::zero()
                };
                if retired && matches!(inv_state, "Running" | "Queued") {
                    inv_state = "TerminatedBySystem";
                }
                let terminal = !matches!(inv_state, "Running" | "PendingApproval" | "Queued");
                let start = a_created + secs(20.0 + rng.unit() * 40.0) - shift;
                // The end is drawn only for a terminal one (as before the retirement).
                let end = terminal
                    .then(|| (a_created + secs(900.0 + rng.unit() * 3600.0) - shift).min(ctx.now));
                out.investigations.push(Investigation {
                    id: inv_id.to_string(),
                    start,
                    end,
                    state: inv_state,
                    cancelled_by: (inv_state == "TerminatedByUser").then_some("lead@fabrikam.com"),
                    device,
                    trigger: Some(alert_id.clone()),
                    live: None,
                });
            }
            let evidence = make_evidence(&mut rng, kd.evidence, kd, d, person, first_event);
            let mut comments = Vec::new();
            if a_status != 0 && rng.chance(40) {
                comments.push(Comment {
                    text: if a_status == 2 {
                        "Remediated by AIR; closing."
                    } else {
                        "Looking into this with the user."
                    }
                    .into(),
                    by: assigned.unwrap_or("analyst@fabrikam.com").into(),
                    at: updated,
                });
            }
            let (classification, determination) = if a_status == 2 {
                if kd.determination == "SecurityTesting" {
                    (
                        Some("InformationalExpectedActivity"),
                        Some("SecurityTesting"),
                    )
                } else if rng.chance(15) {
                    (Some("FalsePositive"), Some("Clean"))
                } else {
                    (Some("TruePositive"), Some(kd.determination))
                }
            } else {
                (None, None)
            };
            if a_status != 2 {
                let d = &mut devices[device as usize];
                d.risk = d.risk.max(sev + 1);
            }
            alert_ix.push(out.alerts.len() as u32);
            out.alerts.push(Alert {
                id: alert_id,
                incident: id,
                investigation: inv,
                investigation_state: inv_state,
                assigned_to: assigned.map(str::to_string),
                severity: sev,
                status: a_status,
                classification,
                determination,
                kind,
                detector: rng.uuid(),
                created: a_created,
                first_event,
                last_event,
                updated,
                resolved,
                device,
                user: kd.evidence.contains(&Ev::User).then_some(person),
                comments,
                evidence,
            });
        }
        let kd = &KINDS[first_kind as usize];
        let name = format!(
            "{} on {}",
            kd.incident,
            if dev0 != dev1 {
                "multiple endpoints"
            } else {
                "one endpoint"
            }
        );
        let mut comments = Vec::new();
        if resolved_like || rng.chance(25) {
            comments.push(Comment {
                text: if resolved_like {
                    "Contained and remediated; closing."
                } else {
                    "Escalated to tier 2."
                }
                .into(),
                by: assigned.unwrap_or("lead@fabrikam.com").into(),
                at: last_update,
            });
        }
        out.incidents.push(Incident {
            id,
            name,
            created,
            updated: last_update,
            assigned_to: assigned.map(str::to_string),
            status,
            severity,
            classification: resolved_like.then_some(if kd.determination == "SecurityTesting" {
                "informationalExpectedActivity"
            } else {
                "truePositive"
            }),
            determination: resolved_like.then_some(kd.determination),
            tags: if kd.category == "Ransomware" {
                vec!["Ransomware".to_string()]
            } else if recent && order == 0 {
                vec!["Needs review".to_string()]
            } else {
                vec![]
            },
            comments,
            alerts: alert_ix,
            redirect: (status == 3).then_some(id + 1),
        });
    }
    out
}
