//! The digest `Snapshot` built from what the console already loaded (no extra API calls), so
//! each console session leaves a snapshot for the next run's "since last run". Its lists are
//! made by the digest's own builders (`digest::sections`), with the shared predicates of
//! `crate::predicates`, so the console and `socops digest` keep the same records.

use chrono::{DateTime, Utc};

use crate::app::state::AppState;
use crate::app::tables::rows::device_cell;
use crate::app::view::ResourceKind;
use crate::digest::Snapshot;
use crate::digest::model::{ExposureFigure, ListName, SecureScoreFigure, Truncated};
use crate::digest::sections;
use crate::predicates;

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
        let device = |a: &crate::api::model::MachineAction| {
            device_cell(s, a.computer_dns_name.as_deref(), a.machine_id.as_deref())
        };
        snap.pending_actions = sections::pending_actions(actions, &device);
        snap.failed_actions = sections::failed_actions(actions, now, &device);
    }
    if let Some(invs) = d.investigations.data() {
        let device = |i: &crate::api::model::Investigation| {
            device_cell(s, i.computer_dns_name.as_deref(), i.machine_id.as_deref())
        };
        snap.pending_investigations = sections::pending_investigations(invs, &device);
    }
    if let Some(ms) = d.machines.data() {
        snap.devices_at_risk = sections::devices_at_risk(ms.iter());
        snap.inactive_devices = sections::inactive_devices(ms.iter());
    }
    // The console holds whole lists, so a list its section cuts has a known total; the cut
    // is marked as `socops digest` marks it, or the next run would take a record the cut left
    // out for a new one, and the digest would count the cut list as the tenant's.
    if let Some(incs) = d.incidents.data() {
        snap.incidents = sections::incidents(incs, now);
        let total = incs
            .iter()
            .filter(|i| predicates::updated_recently(i, now))
            .count();
        mark_cut(&mut snap, ListName::Incidents, total);
    }
    if let Some(recs) = d.recommendations.data() {
        snap.recommendations = sections::recommendations(recs);
        let total = recs.iter().filter(|r| predicates::worth_fixing(r)).count();
        mark_cut(&mut snap, ListName::Recommendations, total);
    }
    snap.errors = RESOURCES
        .iter()
        .filter_map(|k| d.error(*k).map(|e| format!("{}: {}", k.label(), e.text)))
        .collect();
    snap
}

/// Mark `list` truncated when its section kept fewer than the `total` records that qualify.
fn mark_cut(snap: &mut Snapshot, list: ListName, total: usize) {
    let shown = snap.len_of(list);
    if total > shown {
        snap.truncated.push(Truncated {
            list,
            shown,
            total: Some(total),
        });
    }
}

/// Whether every resource of the snapshot has answered (data or error), none in flight.
pub fn ready(s: &AppState) -> bool {
    RESOURCES.iter().all(|k| {
        s.data.pending(*k).is_none() && (s.data.at(*k).is_some() || s.data.error(*k).is_some())
    })
}
