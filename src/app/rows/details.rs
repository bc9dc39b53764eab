//! Details panels: incidents (alerts, evidence, affected devices and users, comments),
//! devices (with their open alerts), alerts and machine actions.

use crate::app::rows::or_dash;
use crate::app::state::{AppState, Detail, TableId};
use crate::app::table::Row;

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or("—".into(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// A details panel for a row, when the table has one.
pub fn detail(s: &AppState, table: TableId, row: &Row) -> Option<Detail> {
    match table {
        TableId::Incidents => incident(s, row),
        TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices => device(s, row),
        TableId::Alerts => alert(s, row),
        _ => None,
    }
}

fn incident(s: &AppState, row: &Row) -> Option<Detail> {
    let i = s.data.incidents.data()?.iter().find(|i| i.id == row.id)?;
    let mut l = vec![
        format!(
            "severity {}   status {}   assigned {}",
            or_dash(i.severity.as_ref().map(|x| x.as_str())),
            or_dash(i.status.as_ref().map(|x| x.as_str())),
            or_dash(i.assigned_to.as_deref())
        ),
        format!(
            "created {}   updated {}",
            time(i.created_date_time),
            time(i.last_update_date_time)
        ),
        format!(
            "classification {}   determination {}",
            or_dash(i.classification.as_ref().map(|x| x.as_str())),
            or_dash(i.determination.as_ref().map(|x| x.as_str()))
        ),
    ];
    let tags = i.all_tags();
    if !tags.is_empty() {
        l.push(format!("tags {}", tags.join(", ")));
    }
    let alerts = i.alerts.as_deref().unwrap_or(&[]);
    l.push(String::new());
    l.push(format!("Alerts ({})", alerts.len()));
    for a in alerts {
        l.push(format!(
            "  {:<6} {}  [{}]",
            a.severity.as_ref().map_or("—", |x| x.as_str()),
            a.title.as_deref().unwrap_or(&a.id),
            a.status.as_ref().map_or("—", |x| x.as_str())
        ));
    }
    let mut devices: Vec<String> = Vec::new();
    let mut users: Vec<String> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    for e in alerts.iter().flat_map(|a| &a.evidence) {
        if e.is_device() {
            devices.push(
                e.device_dns_name
                    .clone()
                    .or(e.mde_device_id.clone())
                    .unwrap_or_default(),
            );
        } else if let Some(u) = &e.user_account {
            users.push(
                u.user_principal_name
                    .clone()
                    .or(u.account_name.clone())
                    .unwrap_or_default(),
            );
        } else {
            evidence.push(format!("{}: {}", e.kind(), e.summary()));
        }
        for u in &e.logged_on_users {
            users.push(u.account_name.clone().unwrap_or_default());
        }
    }
    for list in [&mut devices, &mut users, &mut evidence] {
        list.retain(|x| !x.is_empty());
        list.sort();
        list.dedup();
    }
    for (title, list) in [
        ("Affected devices", &devices),
        ("Affected users", &users),
        ("Evidence", &evidence),
    ] {
        l.push(String::new());
        l.push(format!("{title} ({})", list.len()));
        l.extend(list.iter().map(|x| format!("  {x}")));
    }
    l.push(String::new());
    l.push(format!("Comments ({})", i.comments.len()));
    for c in &i.comments {
        l.push(format!(
            "  {} · {}: {}",
            time(c.time()),
            c.author().unwrap_or("—"),
            c.comment.as_deref().unwrap_or("")
        ));
    }
    if i.alerts.is_none() {
        l.push("(alerts were not expanded by the service)".into());
    }
    Some(Detail {
        title: format!(
            "Incident {} · {}",
            i.id,
            i.display_name.as_deref().unwrap_or("")
        ),
        lines: l,
        link: row.link.clone(),
        scroll: 0,
    })
}

fn device(s: &AppState, row: &Row) -> Option<Detail> {
    let m = s.data.machines.data()?.iter().find(|m| m.id == row.id)?;
    let mut l = vec![
        format!("id {}", m.id),
        format!(
            "os {} {}   build {}",
            or_dash(m.os_platform.as_deref()),
            or_dash(m.version.as_deref()),
            m.os_build.map_or("—".into(), |b| b.to_string())
        ),
        format!(
            "risk {}   exposure {}   value {}",
            or_dash(m.risk_score.as_ref().map(|x| x.as_str())),
            or_dash(m.exposure_level.as_ref().map(|x| x.as_str())),
            or_dash(m.device_value.as_ref().map(|x| x.as_str()))
        ),
        format!(
            "health {}   antivirus {}   onboarding {}",
            or_dash(m.health_status.as_ref().map(|x| x.as_str())),
            or_dash(m.defender_av_status.as_ref().map(|x| x.as_str())),
            or_dash(m.onboarding_status.as_ref().map(|x| x.as_str()))
        ),
        format!(
            "group {}   tags {}",
            or_dash(m.rbac_group_name.as_deref()),
            if m.machine_tags.is_empty() {
                "—".into()
            } else {
                m.machine_tags.join(", ")
            }
        ),
        format!(
            "last seen {}   ip {}   external {}",
            time(m.last_seen),
            or_dash(m.last_ip_address.as_deref()),
            or_dash(m.last_external_ip_address.as_deref())
        ),
        format!("sensor {}", or_dash(m.agent_version.as_deref())),
    ];
    if let Some(alerts) = s.data.alerts.data() {
        let open: Vec<_> = alerts
            .iter()
            .filter(|a| a.machine_id.as_deref() == Some(&m.id) && a.is_open())
            .collect();
        l.push(String::new());
        l.push(format!("Open alerts ({})", open.len()));
        for a in open {
            l.push(format!(
                "  {:<6} {}  [{}]",
                a.severity.as_ref().map_or("—", |x| x.as_str()),
                a.title.as_deref().unwrap_or(&a.id),
                a.status.as_ref().map_or("—", |x| x.as_str())
            ));
        }
    }
    Some(Detail {
        title: m.display_name().to_string(),
        lines: l,
        link: row.link.clone(),
        scroll: 0,
    })
}

fn alert(s: &AppState, row: &Row) -> Option<Detail> {
    let a = s.data.alerts.data()?.iter().find(|a| a.id == row.id)?;
    let mut l = vec![
        format!(
            "severity {}   status {}   assigned {}",
            or_dash(a.severity.as_ref().map(|x| x.as_str())),
            or_dash(a.status.as_ref().map(|x| x.as_str())),
            or_dash(a.assigned_to.as_deref())
        ),
        format!(
            "device {}   incident {}",
            or_dash(Some(a.device_label())),
            or_dash(a.incident_id.as_deref())
        ),
        format!(
            "source {}   category {}   threat {}",
            or_dash(a.detection_source.as_deref()),
            or_dash(a.category.as_deref()),
            or_dash(a.threat_family_name.as_deref())
        ),
        format!(
            "created {}   last event {}",
            time(a.alert_creation_time),
            time(a.last_event_time)
        ),
        String::new(),
    ];
    if let Some(d) = &a.description {
        l.extend(d.lines().map(str::to_string));
    }
    Some(Detail {
        title: a.title.clone().unwrap_or_else(|| a.id.clone()),
        lines: l,
        link: row.link.clone(),
        scroll: 0,
    })
}
