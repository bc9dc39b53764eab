//! Daily views: exposure, action center, devices at risk, incidents, alerts, the inventory.

use std::collections::HashMap;

use crate::api::model::{ActionStatus, InvestigationState, Machine};
use crate::app::rows::{or_dash, points, portal, set, severity, ts};
use crate::app::state::{AppState, Panel, TableId};
use crate::app::table::Row;
use crate::app::view::View;

/// The exposure level Microsoft gives a score: 0–29 low, 30–69 medium, 70–100 high.
pub fn exposure_level(score: f64) -> &'static str {
    if score < 30.0 {
        "Low"
    } else if score < 70.0 {
        "Medium"
    } else {
        "High"
    }
}

fn device_link(s: &AppState, id: &str) -> Option<String> {
    Some(format!("{}/machines/v2/{id}/overview", portal(s)))
}

fn word(v: Option<&str>) -> String {
    match v {
        Some("None") | None => "—".to_string(),
        Some(w) => w.to_string(),
    }
}

fn machine_row(s: &AppState, m: &Machine, cells: Vec<String>) -> Row {
    Row::new(m.id.clone(), cells).link(device_link(s, &m.id))
}

/// Exposure summary, groups and the most exposed devices.
pub fn exposure(s: &mut AppState) {
    let mut lines = Vec::new();
    if let Some(e) = s.data.exposure_score.data()
        && let Some(score) = e.score
    {
        lines.push(format!(
            "{} {}   (0–29 low · 30–69 medium · 70+ high)",
            points(score),
            exposure_level(score)
        ));
    }
    if let Some(ms) = s.data.machines.data() {
        let high = ms.iter().filter(|m| m.exposure_rank() == 3).count();
        let med = ms.iter().filter(|m| m.exposure_rank() == 2).count();
        lines.push(format!(
            "{high} devices with high exposure, {med} medium, of {}",
            ms.len()
        ));
    }
    if !lines.is_empty() {
        s.panels.insert(
            View::Exposure,
            vec![Panel {
                title: "Exposure score".into(),
                lines,
            }],
        );
    }
    let groups: Vec<Row> = s
        .data
        .group_exposure
        .data()
        .map(|gs| {
            let mut gs: Vec<_> = gs.iter().collect();
            gs.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
            gs.iter()
                .map(|g| {
                    let name = g
                        .rbac_group_name
                        .clone()
                        .unwrap_or_else(|| "(unassigned)".into());
                    let devices = s.data.machines.data().map(|ms| {
                        ms.iter()
                            .filter(|m| m.rbac_group_name == g.rbac_group_name)
                            .count()
                    });
                    let score = g.score.unwrap_or(0.0);
                    Row::new(
                        name.clone(),
                        vec![
                            name,
                            points(score),
                            devices.map_or("—".into(), |n| n.to_string()),
                        ],
                    )
                    .rank(1, (score * 10.0) as i64)
                    .rank(2, devices.unwrap_or(0) as i64)
                })
                .collect()
        })
        .unwrap_or_default();
    set(s, TableId::ExposureGroups, groups);
    let rows = s
        .data
        .machines
        .data()
        .map(|ms| {
            let mut ms: Vec<&Machine> = ms.iter().filter(|m| m.exposure_rank() >= 2).collect();
            ms.sort_by_key(|m| std::cmp::Reverse((m.exposure_rank(), m.risk_rank())));
            ms.iter()
                .map(|m| {
                    machine_row(
                        s,
                        m,
                        vec![
                            word(m.exposure_level.as_ref().map(|e| e.as_str())),
                            word(m.risk_score.as_ref().map(|r| r.as_str())),
                            m.short_name().to_string(),
                            or_dash(m.os_platform.as_deref()),
                            or_dash(m.rbac_group_name.as_deref()),
                            String::new(),
                        ],
                    )
                    .rank(0, i64::from(m.exposure_rank()))
                    .rank(1, i64::from(m.risk_rank()))
                    .rank(5, ts(m.last_seen))
                })
                .collect()
        })
        .unwrap_or_default();
    set(s, TableId::ExposureDevices, rows);
}

/// Open alerts per device id.
pub fn open_alerts_by_device(s: &AppState) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    if let Some(alerts) = s.data.alerts.data() {
        for a in alerts.iter().filter(|a| a.is_open()) {
            if let Some(id) = &a.machine_id {
                *map.entry(id.clone()).or_insert(0) += 1;
            }
        }
    }
    map
}

/// Devices at risk and the full inventory.
pub fn devices(s: &mut AppState) {
    let Some(ms) = s.data.machines.data() else {
        return;
    };
    let alerts = open_alerts_by_device(s);
    let mut at_risk: Vec<&Machine> = ms
        .iter()
        .filter(|m| m.risk_rank() >= 3 || alerts.get(&m.id).is_some_and(|n| *n > 0))
        .collect();
    at_risk.sort_by_key(|m| {
        std::cmp::Reverse((m.risk_rank(), alerts.get(&m.id).copied().unwrap_or(0)))
    });
    let risk_rows = at_risk
        .iter()
        .map(|m| {
            let n = alerts.get(&m.id).copied().unwrap_or(0);
            machine_row(
                s,
                m,
                vec![
                    word(m.risk_score.as_ref().map(|r| r.as_str())),
                    word(m.exposure_level.as_ref().map(|e| e.as_str())),
                    m.short_name().to_string(),
                    n.to_string(),
                    or_dash(m.os_platform.as_deref()),
                    or_dash(m.health_status.as_ref().map(|h| h.as_str())),
                    String::new(),
                ],
            )
            .rank(0, i64::from(m.risk_rank()))
            .rank(1, i64::from(m.exposure_rank()))
            .rank(3, n as i64)
            .rank(6, ts(m.last_seen))
        })
        .collect();
    let all = ms
        .iter()
        .map(|m| {
            machine_row(
                s,
                m,
                vec![
                    m.short_name().to_string(),
                    or_dash(m.os_platform.as_deref()),
                    word(m.risk_score.as_ref().map(|r| r.as_str())),
                    word(m.exposure_level.as_ref().map(|e| e.as_str())),
                    or_dash(m.health_status.as_ref().map(|h| h.as_str())),
                    or_dash(m.defender_av_status.as_ref().map(|h| h.as_str())),
                    or_dash(m.rbac_group_name.as_deref()),
                    String::new(),
                ],
            )
            .rank(2, i64::from(m.risk_rank()))
            .rank(3, i64::from(m.exposure_rank()))
            .rank(7, ts(m.last_seen))
        })
        .collect();
    set(s, TableId::DevicesAtRisk, risk_rows);
    set(s, TableId::Devices, all);
}

/// Pending and history of machine actions and investigations.
pub fn actions(s: &mut AppState) {
    let mut pending = Vec::new();
    let mut history = Vec::new();
    let pending_link = format!("{}/action-center/pending", portal(s));
    if let Some(actions) = s.data.machine_actions.data() {
        let mut actions: Vec<_> = actions.iter().collect();
        actions.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
        for a in actions {
            let open = matches!(
                a.status,
                Some(ActionStatus::Pending | ActionStatus::InProgress)
            );
            let row = Row::new(
                a.id.clone(),
                vec![
                    or_dash(a.action_type.as_ref().map(|t| t.as_str())),
                    or_dash(
                        a.computer_dns_name
                            .as_deref()
                            .map(|n| n.split('.').next().unwrap_or(n)),
                    ),
                    or_dash(a.status.as_ref().map(|t| t.as_str())),
                    or_dash(a.requestor.as_deref()),
                    or_dash(a.requestor_comment.as_deref()),
                    String::new(),
                ],
            )
            .rank(5, ts(a.creation_date_time_utc))
            .marker('●');
            if open {
                pending.push(row)
            } else {
                history.push(row.marker(' '))
            }
        }
    }
    if let Some(invs) = s.data.investigations.data() {
        for i in invs {
            let state = i.state.as_ref();
            let cells = vec![
                "Investigation".to_string(),
                i.device_label().to_string(),
                or_dash(state.map(|t| t.as_str())),
                or_dash(i.cancelled_by.as_deref().or(Some("(automated)"))),
                match &i.triggering_alert_id {
                    Some(a) => format!("triggered by alert {a}"),
                    None => or_dash(i.status_details.as_deref()),
                },
                String::new(),
            ];
            let row = Row::new(i.id.clone(), cells).rank(5, ts(i.start_time));
            if i.is_pending_approval() {
                pending.push(row.marker('⚑').link(Some(pending_link.clone())));
            } else if !state.is_some_and(InvestigationState::is_active) {
                history.push(row.link(Some(format!("{}/action-center/history", portal(s)))));
            } else {
                pending.push(
                    row.marker('●')
                        .link(Some(format!("{}/airinvestigation", portal(s)))),
                );
            }
        }
    }
    set(s, TableId::ActionsPending, pending);
    set(s, TableId::ActionsHistory, history);
}

/// The incident queue, newest first.
pub fn incidents(s: &mut AppState) {
    let Some(incs) = s.data.incidents.data() else {
        return;
    };
    let base = portal(s);
    let mut incs: Vec<_> = incs.iter().collect();
    incs.sort_by_key(|i| std::cmp::Reverse(i.created_date_time));
    let rows = incs
        .iter()
        .map(|i| {
            let (sev, rank) = severity(i.severity.as_ref());
            let devices = i.alerts.as_ref().map(|alerts| {
                let mut ids: Vec<&str> = alerts.iter().flat_map(|a| a.device_ids()).collect();
                ids.sort_unstable();
                ids.dedup();
                ids.len()
            });
            Row::new(
                i.id.clone(),
                vec![
                    sev,
                    i.id.clone(),
                    or_dash(i.display_name.as_deref()),
                    or_dash(i.status.as_ref().map(|s| s.as_str())),
                    or_dash(i.assigned_to.as_deref()),
                    devices.map_or("—".into(), |n| n.to_string()),
                    String::new(),
                ],
            )
            .rank(0, rank)
            .rank(5, devices.unwrap_or(0) as i64)
            .rank(6, ts(i.created_date_time))
            .link(Some(
                i.incident_web_url
                    .clone()
                    .unwrap_or_else(|| format!("{base}/incidents/{}", i.id)),
            ))
        })
        .collect();
    set(s, TableId::Incidents, rows);
}

/// The alert queue (MDE alerts, last 30 days), newest first.
pub fn alerts(s: &mut AppState) {
    let Some(alerts) = s.data.alerts.data() else {
        return;
    };
    let base = portal(s);
    let mut alerts: Vec<_> = alerts.iter().collect();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.alert_creation_time));
    let rows = alerts
        .iter()
        .map(|a| {
            let (sev, rank) = severity(a.severity.as_ref());
            Row::new(
                a.id.clone(),
                vec![
                    sev,
                    or_dash(a.title.as_deref()),
                    or_dash(Some(a.device_label())),
                    or_dash(a.status.as_ref().map(|s| s.as_str())),
                    or_dash(a.detection_source.as_deref()),
                    String::new(),
                ],
            )
            .rank(0, rank)
            .rank(5, ts(a.alert_creation_time))
            .link(Some(format!("{base}/alerts/{}", a.id)))
        })
        .collect();
    set(s, TableId::Alerts, rows);
}
