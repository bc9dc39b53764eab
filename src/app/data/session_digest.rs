//! The digest `Snapshot` built from what the console already loaded (no extra API calls), so
//! each console session leaves a snapshot for the next run's "since last run".

use chrono::{DateTime, Duration, Utc};

use crate::api::model::{ActionStatus, MachineAction};
use crate::app::state::AppState;
use crate::app::tables::rows::device_cell;
use crate::app::view::ResourceKind;
use crate::digest::Snapshot;
use crate::digest::collect::{
    FAILED_ACTION_DAYS, INCIDENT_DAYS, MAX_INCIDENTS, MAX_RECOMMENDATIONS,
};
use crate::digest::model::{
    ActionItem, DeviceItem, ExposureFigure, InactiveDevice, IncidentItem, InvestigationItem,
    RecommendationItem, SecureScoreFigure,
};

/// The resources a snapshot is made of; it is saved once all of them answered.
pub const RESOURCES: [ResourceKind; 8] = [
    ResourceKind::Machines,
    ResourceKind::MachineActions,
    ResourceKind::Investigations,
    ResourceKind::Incidents,
    ResourceKind::ExposureScore,
    ResourceKind::ConfigurationScore,
    ResourceKind::SecureScores,
    ResourceKind::Recommendations,
];

fn text(s: Option<&str>) -> String {
    s.unwrap_or("").to_string()
}

fn action_item(s: &AppState, a: &MachineAction) -> ActionItem {
    ActionItem {
        id: a.id.clone(),
        action_type: a.type_label().to_string(),
        device: device_cell(s, a.computer_dns_name.as_deref(), a.machine_id.as_deref()),
        status: a.status_label().to_string(),
        created: a.creation_date_time_utc,
        updated: a.last_update(),
    }
}

/// What the console holds for `profile`, as a digest snapshot taken at `now`.
pub fn from_state(s: &AppState, profile: &str, now: DateTime<Utc>) -> Snapshot {
    let d = &s.data;
    let mut snap = Snapshot::empty(profile, &s.settings.tenant_label, now);
    snap.exposure_score = d
        .exposure_score
        .data()
        .and_then(|e| e.score)
        .map(ExposureFigure::from_score);
    snap.configuration_score = d.configuration_score.data().and_then(|c| c.score);
    snap.secure_score = d.secure_scores.data().and_then(|v| {
        let latest = v.iter().max_by_key(|x| x.created_date_time)?;
        Some(SecureScoreFigure {
            current: latest.current_score?,
            max: latest.max_score?,
            percent: latest.percent().unwrap_or(0.0),
        })
    });
    if let Some(actions) = d.machine_actions.data() {
        let mut v: Vec<&MachineAction> = actions.iter().collect();
        v.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
        let failed_since = now - Duration::days(FAILED_ACTION_DAYS);
        for a in v {
            match a.status {
                Some(ActionStatus::Pending | ActionStatus::InProgress) => {
                    snap.pending_actions.push(action_item(s, a))
                }
                Some(ActionStatus::Failed | ActionStatus::TimeOut)
                    if a.creation_date_time_utc.is_some_and(|t| t >= failed_since) =>
                {
                    snap.failed_actions.push(action_item(s, a))
                }
                _ => {}
            }
        }
    }
    if let Some(invs) = d.investigations.data() {
        snap.pending_investigations = invs
            .iter()
            .filter(|i| i.is_pending_approval())
            .map(|i| InvestigationItem {
                id: i.id.clone(),
                device: device_cell(s, i.computer_dns_name.as_deref(), i.machine_id.as_deref()),
                start: i.start_time,
            })
            .collect();
    }
    if let Some(ms) = d.machines.data() {
        let mut risky: Vec<_> = ms.iter().filter(|m| m.risk_rank() >= 3).collect();
        risky.sort_by(|a, b| {
            (b.risk_rank(), b.exposure_rank())
                .cmp(&(a.risk_rank(), a.exposure_rank()))
                .then_with(|| a.short_name().cmp(b.short_name()))
        });
        snap.devices_at_risk = risky
            .iter()
            .map(|m| DeviceItem {
                id: m.id.clone(),
                name: m.short_name().to_string(),
                risk_score: text(m.risk_score.as_ref().map(|r| r.as_str())),
                exposure_level: text(m.exposure_level.as_ref().map(|r| r.as_str())),
                health_status: text(m.health_status.as_ref().map(|r| r.as_str())),
            })
            .collect();
        snap.inactive_devices = ms
            .iter()
            .filter(|m| {
                m.health_status
                    .as_ref()
                    .is_some_and(|h| h.as_str() == "Inactive")
            })
            .map(|m| InactiveDevice {
                id: m.id.clone(),
                name: m.short_name().to_string(),
                last_seen: m.last_seen,
            })
            .collect();
    }
    if let Some(incs) = d.incidents.data() {
        let since = now - Duration::days(INCIDENT_DAYS);
        let mut v: Vec<_> = incs
            .iter()
            .filter(|i| i.last_update_date_time.is_none_or(|t| t >= since))
            .collect();
        v.sort_by_key(|i| std::cmp::Reverse(i.last_update_date_time));
        snap.incidents = v
            .into_iter()
            .take(MAX_INCIDENTS)
            .map(|i| IncidentItem {
                id: i.id.clone(),
                title: text(i.display_name.as_deref()),
                severity: i.severity.as_ref().map(|s| s.camel()).unwrap_or_default(),
                status: i.status.as_ref().map(|s| s.camel()).unwrap_or_default(),
                last_update_date_time: i.last_update_date_time,
                created_date_time: i.created_date_time,
                assigned_to: i.assigned_to.clone().filter(|a| !a.trim().is_empty()),
                classification: i.classification.as_ref().map(|c| c.as_str().to_string()),
                determination: i.determination.as_ref().map(|d| d.as_str().to_string()),
            })
            .collect();
    }
    if let Some(recs) = d.recommendations.data() {
        let mut v: Vec<_> = recs
            .iter()
            .filter(|r| r.is_active() && r.exposed_machines_count.unwrap_or(0) > 0)
            .collect();
        v.sort_by(|a, b| crate::api::model::Recommendation::by_impact(a, b));
        snap.recommendations = v
            .into_iter()
            .take(MAX_RECOMMENDATIONS)
            .map(|r| RecommendationItem {
                id: r.id.clone(),
                name: r.display_name().to_string(),
                exposure_impact: r.exposure_impact,
                config_score_impact: r.config_score_impact,
                exposed_machines_count: r.exposed_machines_count,
            })
            .collect();
    }
    snap.errors = RESOURCES
        .iter()
        .filter_map(|k| d.error(*k).map(|e| format!("{}: {}", k.label(), e.text)))
        .collect();
    snap
}

/// Whether every resource of the snapshot has answered (data or error), none in flight.
pub fn ready(s: &AppState) -> bool {
    RESOURCES.iter().all(|k| {
        s.data.pending(*k).is_none() && (s.data.at(*k).is_some() || s.data.error(*k).is_some())
    })
}
