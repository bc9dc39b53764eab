//! Table rows, summary panels and details from the typed models. Built in `update` when a
//! resource loads (never per frame); each row carries its lowercase search text.

mod action_page;
mod daily;
pub(crate) mod details;
mod device_page;
mod devices;
mod monthly;
mod pages;
mod recommendation_page;
mod weekly;

use chrono::{DateTime, Utc};

use crate::api::model::AlertSeverity;
use crate::app::state::{AppState, TableId};
use crate::app::tables::table::Row;
use crate::app::view::ResourceKind;

pub use action_page::{
    DEVICE_FACT, action_device, action_facts, action_page, command_lines, requestor_cell,
    requestor_text,
};
pub use daily::device_cell;
pub use details::detail;
pub use device_page::{INACTIVE_AFTER_DAYS, device_page};
pub use devices::exposure_level;
pub use pages::{alert_devices, alert_page, incident_devices, incident_page};
pub use recommendation_page::{portal_link as recommendation_link, recommendation_page};

/// Rebuild the tables and panels that show a resource.
pub fn rebuild(s: &mut AppState, kind: ResourceKind) {
    use ResourceKind as R;
    match kind {
        R::Machines => {
            devices::devices(s);
            devices::exposure(s);
            // Actions and alerts whose computerDnsName is null are named from the devices.
            daily::actions(s);
            daily::alerts(s);
        }
        R::Alerts => {
            devices::devices(s);
            daily::alerts(s);
            monthly::reports(s);
        }
        R::MachineActions => {
            crate::app::actions::isolation::rebuild(s);
            devices::devices(s);
            daily::actions(s);
            monthly::reports(s);
        }
        R::Investigations => daily::actions(s),
        R::Incidents => {
            daily::incidents(s);
            monthly::reports(s);
        }
        R::ExposureScore | R::GroupExposure => devices::exposure(s),
        R::SecureScores | R::ControlProfiles => weekly::secure_score(s),
        R::ConfigurationScore | R::RemediationTasks => weekly::device_score(s),
        R::Recommendations => {
            weekly::device_score(s);
            monthly::threats(s);
        }
        R::Vulnerabilities => monthly::threats(s),
        R::Indicators => monthly::indicators(s),
        R::AvInfo => monthly::reports(s),
    }
}

/// Replace a table's rows.
fn set(s: &mut AppState, id: TableId, rows: Vec<Row>) {
    crate::app::data::derive::set(s, id, rows);
}

/// Epoch seconds of a time, 0 when unknown (drawn as `—`).
fn ts(t: Option<DateTime<Utc>>) -> i64 {
    t.map_or(0, |t| t.timestamp())
}

/// A severity word (short) and its rank.
fn severity(sev: Option<&AlertSeverity>) -> (String, i64) {
    match sev {
        Some(s) => {
            let word = match s {
                AlertSeverity::Medium => "Med".to_string(),
                AlertSeverity::Informational => "Info".to_string(),
                other => other.as_str().to_string(),
            };
            (word, i64::from(s.rank()))
        }
        None => ("—".to_string(), 0),
    }
}

/// Text of an optional value, `—` when missing.
fn or_dash(v: Option<&str>) -> String {
    match v {
        Some(s) if !s.trim().is_empty() => s.to_string(),
        _ => "—".to_string(),
    }
}

/// A number of points with one decimal, without a trailing `.0` for integers.
fn points(v: f64) -> String {
    if (v - v.round()).abs() < 0.05 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The portal base without a trailing slash.
fn portal(s: &AppState) -> String {
    s.settings.portal.trim_end_matches('/').to_string()
}
