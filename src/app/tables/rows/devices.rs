//! Device views: exposure (score, groups, most exposed devices), devices at risk and the
//! full inventory.

use std::collections::HashMap;

use crate::app::data::devices::Device;
use crate::app::state::{AppState, Panel, TableId};
use crate::app::tables::rows::{or_dash, points, portal, set, ts};
use crate::app::tables::table::Row;
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

/// The device's short name with its isolation marker (`pc-01 [isolated]`).
fn name_cell(s: &AppState, m: Device<'_>) -> String {
    let mark = crate::app::actions::isolation::of(s, m.id()).marker();
    if mark.is_empty() {
        m.short_name().to_string()
    } else {
        format!("{} {mark}", m.short_name())
    }
}

fn machine_row(s: &AppState, m: Device<'_>, cells: Vec<String>) -> Row {
    Row::new(m.id(), cells).link(device_link(s, m.id()))
}

/// Exposure summary, groups and the most exposed devices.
pub(super) fn exposure(s: &mut AppState) {
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
                            .filter(|m| m.rbac_group_name() == g.rbac_group_name.as_deref())
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
    // Made one row at a time as the table stores it (most of a tenant can be exposed).
    crate::app::data::derive::set_with(s, TableId::ExposureDevices, |s, push| {
        let Some(ms) = s.data.machines.data() else {
            return;
        };
        let mut ms: Vec<Device<'_>> = ms.iter().filter(|m| m.exposure_rank() >= 2).collect();
        ms.sort_by_key(|m| std::cmp::Reverse((m.exposure_rank(), m.risk_rank())));
        for m in ms {
            push(
                machine_row(
                    s,
                    m,
                    vec![
                        word(m.exposure_text()),
                        word(m.risk_text()),
                        m.short_name().to_string(),
                        or_dash(m.os_platform()),
                        or_dash(m.rbac_group_name()),
                        String::new(),
                    ],
                )
                .rank(0, i64::from(m.exposure_rank()))
                .rank(1, i64::from(m.risk_rank()))
                .rank(5, ts(m.last_seen())),
            );
        }
    });
}

/// Open alerts per device id.
pub(super) fn open_alerts_by_device(s: &AppState) -> HashMap<String, usize> {
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
pub(super) fn devices(s: &mut AppState) {
    let Some(ms) = s.data.machines.data() else {
        return;
    };
    let alerts = open_alerts_by_device(s);
    let mut at_risk: Vec<Device<'_>> = ms
        .iter()
        .filter(|m| crate::predicates::is_at_risk(m) || alerts.get(m.id()).is_some_and(|n| *n > 0))
        .collect();
    at_risk.sort_by_key(|m| {
        std::cmp::Reverse((m.risk_rank(), alerts.get(m.id()).copied().unwrap_or(0)))
    });
    let risk_rows = at_risk
        .iter()
        .map(|&m| {
            let n = alerts.get(m.id()).copied().unwrap_or(0);
            machine_row(
                s,
                m,
                vec![
                    word(m.risk_text()),
                    word(m.exposure_text()),
                    name_cell(s, m),
                    n.to_string(),
                    or_dash(m.os_platform()),
                    or_dash(m.health_text()),
                    String::new(),
                ],
            )
            .rank(0, i64::from(m.risk_rank()))
            .rank(1, i64::from(m.exposure_rank()))
            .rank(3, n as i64)
            .rank(6, ts(m.last_seen()))
        })
        .collect();
    set(s, TableId::DevicesAtRisk, risk_rows);
    // The whole inventory is made one row at a time as the table stores it.
    crate::app::data::derive::set_with(s, TableId::Devices, |s, push| {
        for m in s.data.machines.data().into_iter().flat_map(|d| d.iter()) {
            push(
                machine_row(
                    s,
                    m,
                    vec![
                        name_cell(s, m),
                        or_dash(m.os_platform()),
                        word(m.risk_text()),
                        word(m.exposure_text()),
                        or_dash(m.health_text()),
                        or_dash(m.av_status_text()),
                        or_dash(m.rbac_group_name()),
                        String::new(),
                    ],
                )
                .rank(2, i64::from(m.risk_rank()))
                .rank(3, i64::from(m.exposure_rank()))
                .rank(7, ts(m.last_seen())),
            );
        }
    });
}
