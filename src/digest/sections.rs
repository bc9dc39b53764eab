//! The digest snapshot's lists built from typed records, by the shared predicates of
//! [`crate::predicates`]: used by `socops digest` (records the service already filtered, so
//! the predicate is checked again, harmlessly) and by the console's session snapshot
//! (everything it loaded), so both keep the same records in the same order. Pure.

use chrono::{DateTime, Utc};

use super::model::{
    ActionItem, DeviceItem, InactiveDevice, IncidentItem, InvestigationItem, RecommendationItem,
};
use crate::api::model::{Incident, Investigation, MachineAction, Recommendation};
use crate::predicates::{self, DeviceFacts};

/// Incidents kept at most (newest update first).
pub const MAX_INCIDENTS: usize = 200;
/// High-impact recommendations kept.
pub const MAX_RECOMMENDATIONS: usize = 10;

/// How a list names an action's or investigation's device (the console knows every device's
/// name; the digest has the record's own host name).
pub type DeviceName<'a, T> = &'a dyn Fn(&T) -> String;

fn opt_text(s: Option<&str>) -> String {
    s.unwrap_or("").to_string()
}

fn action_item(a: &MachineAction, device: String) -> ActionItem {
    ActionItem {
        id: a.id.clone(),
        action_type: a.type_label().to_string(),
        device,
        status: a.status_label().to_string(),
        created: a.creation_date_time_utc,
        updated: a.last_update(),
    }
}

fn newest_actions<'a>(
    actions: impl Iterator<Item = &'a MachineAction>,
    device: DeviceName<'_, MachineAction>,
) -> Vec<ActionItem> {
    let mut v: Vec<&MachineAction> = actions.collect();
    v.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
    v.into_iter().map(|a| action_item(a, device(a))).collect()
}

/// Machine actions still waiting ([`predicates::is_waiting`]), newest first.
pub fn pending_actions(
    actions: &[MachineAction],
    device: DeviceName<'_, MachineAction>,
) -> Vec<ActionItem> {
    newest_actions(actions.iter().filter(|a| predicates::is_waiting(a)), device)
}

/// Actions that failed or timed out lately ([`predicates::failed_recently`]), newest first.
pub fn failed_actions(
    actions: &[MachineAction],
    now: DateTime<Utc>,
    device: DeviceName<'_, MachineAction>,
) -> Vec<ActionItem> {
    newest_actions(
        actions
            .iter()
            .filter(|a| predicates::failed_recently(a, now)),
        device,
    )
}

/// Investigations awaiting approval ([`predicates::awaits_approval`]), newest first.
pub fn pending_investigations(
    investigations: &[Investigation],
    device: DeviceName<'_, Investigation>,
) -> Vec<InvestigationItem> {
    let mut v: Vec<&Investigation> = investigations
        .iter()
        .filter(|i| predicates::awaits_approval(i))
        .collect();
    v.sort_by_key(|i| std::cmp::Reverse(i.start_time));
    v.into_iter()
        .map(|i| InvestigationItem {
            id: i.id.clone(),
            device: device(i),
            start: i.start_time,
        })
        .collect()
}

/// Devices with threat detections ([`predicates::is_at_risk`]), riskiest first: from the
/// service's records (the digest) or the console's packed devices.
pub fn devices_at_risk<D: DeviceFacts>(machines: impl IntoIterator<Item = D>) -> Vec<DeviceItem> {
    let mut v: Vec<D> = machines
        .into_iter()
        .filter(|m| predicates::is_at_risk(m))
        .collect();
    v.sort_by(|a, b| predicates::riskiest_first(a, b));
    v.into_iter()
        .map(|m| DeviceItem {
            id: m.id().to_string(),
            name: m.short_name().to_string(),
            risk_score: opt_text(m.risk_text()),
            exposure_level: opt_text(m.exposure_text()),
            health_status: opt_text(m.health_text()),
        })
        .collect()
}

/// Devices whose sensor is inactive ([`predicates::is_inactive`]), last seen first.
pub fn inactive_devices<D: DeviceFacts>(
    machines: impl IntoIterator<Item = D>,
) -> Vec<InactiveDevice> {
    let mut v: Vec<D> = machines
        .into_iter()
        .filter(|m| predicates::is_inactive(m))
        .collect();
    v.sort_by_key(|m| std::cmp::Reverse(m.last_seen()));
    v.into_iter()
        .map(|m| InactiveDevice {
            id: m.id().to_string(),
            name: m.short_name().to_string(),
            last_seen: m.last_seen(),
        })
        .collect()
}

/// Incidents updated lately ([`predicates::updated_recently`]), newest update first, at
/// most [`MAX_INCIDENTS`].
pub fn incidents(incidents: &[Incident], now: DateTime<Utc>) -> Vec<IncidentItem> {
    let mut v: Vec<&Incident> = incidents
        .iter()
        .filter(|i| predicates::updated_recently(i, now))
        .collect();
    v.sort_by_key(|i| std::cmp::Reverse(i.last_update_date_time));
    v.into_iter()
        .take(MAX_INCIDENTS)
        .map(|i| IncidentItem {
            id: i.id.clone(),
            title: opt_text(i.display_name.as_deref()),
            severity: i.severity.as_ref().map(|s| s.camel()).unwrap_or_default(),
            status: i.status.as_ref().map(|s| s.camel()).unwrap_or_default(),
            last_update_date_time: i.last_update_date_time,
            created_date_time: i.created_date_time,
            assigned_to: i.assigned_to.clone().filter(|a| !a.trim().is_empty()),
            classification: i.classification.as_ref().map(|c| c.as_str().to_string()),
            determination: i.determination.as_ref().map(|d| d.as_str().to_string()),
        })
        .collect()
}

/// Recommendations worth fixing ([`predicates::worth_fixing`]), highest impact first, at
/// most [`MAX_RECOMMENDATIONS`].
pub fn recommendations(recs: &[Recommendation]) -> Vec<RecommendationItem> {
    let mut v: Vec<&Recommendation> = recs
        .iter()
        .filter(|r| predicates::worth_fixing(r))
        .collect();
    v.sort_by(|a, b| Recommendation::by_impact(a, b));
    v.into_iter()
        .take(MAX_RECOMMENDATIONS)
        .map(|r| RecommendationItem {
            id: r.id.clone(),
            name: r.display_name().to_string(),
            exposure_impact: r.exposure_impact,
            config_score_impact: r.config_score_impact,
            exposed_machines_count: r.exposed_machines_count,
        })
        .collect()
}
