//! Details panels: the working pages of incidents, alerts and devices (see `pages` and
//! `app::pages::working`), and the device facts a device page starts with.

use crate::app::state::{AppState, Detail, TableId};
use crate::app::tables::rows::{or_dash, portal};
use crate::app::tables::table::Row;

/// A details panel for a row, when the table has one.
pub fn detail(s: &AppState, table: TableId, row: &Row) -> Option<Detail> {
    match table {
        TableId::Incidents => crate::app::tables::rows::incident_page(s, &row.id),
        TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices => {
            crate::app::tables::rows::device_page(s, &row.id)
        }
        TableId::Alerts => crate::app::tables::rows::alert_page(s, &row.id),
        TableId::Recommendations => crate::app::tables::rows::recommendation_page(s, &row.id),
        // Machine actions (an investigation is not one: it keeps the plain panel).
        TableId::ActionsPending | TableId::ActionsHistory => {
            crate::app::tables::rows::action_page(s, &row.id)
        }
        _ => None,
    }
}

/// What the inventory says of device `id`: the start of its page (its last-seen line and
/// the rest are `device_page`'s).
pub(crate) fn device_facts(s: &AppState, id: &str) -> Option<Detail> {
    let m = s.data.machines.data()?.find(id)?.machine();
    let l = vec![
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
            "ip {}   external {}",
            or_dash(m.last_ip_address.as_deref()),
            or_dash(m.last_external_ip_address.as_deref())
        ),
        format!("sensor {}", or_dash(m.agent_version.as_deref())),
    ];
    Some(Detail {
        title: m.display_name().to_string(),
        lines: l,
        link: Some(format!("{}/machines/v2/{id}/overview", portal(s))),
        ..Default::default()
    })
}
