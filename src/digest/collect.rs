//! Collect one tenant's [`Snapshot`]: every read runs concurrently, with the filters done
//! server-side where the API has them. A failing read is noted in `Snapshot.errors` and the
//! digest goes on; only a sign-in failure, or every read failing, is an error.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use futures::join;

use super::model::{
    ActionItem, DeviceItem, ExposureFigure, InactiveDevice, IncidentItem, InvestigationItem,
    RecommendationItem, SecureScoreFigure, Snapshot,
};
use crate::api::calls::{self, Skipped, odata};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::model::{Incident, Investigation, Machine, MachineAction, Recommendation};

/// Days of incident updates the snapshot keeps.
pub(crate) const INCIDENT_DAYS: i64 = 30;
/// Days of failed actions the snapshot keeps.
pub(crate) const FAILED_ACTION_DAYS: i64 = 7;
/// Incidents kept at most (newest update first).
pub(crate) const MAX_INCIDENTS: usize = 200;
/// High-impact recommendations kept.
pub(crate) const MAX_RECOMMENDATIONS: usize = 10;
/// Rows kept at most in the device and action lists (the snapshot stays small).
pub(crate) const MAX_ROWS: usize = 500;

/// Number of reads a digest makes (all failing means there is no digest).
const READS: usize = 10;

/// Read everything the digest shows for one tenant at `now`.
pub async fn collect(
    client: &Client,
    profile: &str,
    tenant: &str,
    now: DateTime<Utc>,
) -> Result<Snapshot, ApiError> {
    let pending_filter = odata::any_of("status", &["Pending", "InProgress"]);
    let failed_filter = odata::and([
        odata::any_of("status", &["Failed", "TimeOut"]),
        odata::ge_time(
            "creationDateTimeUtc",
            now - Duration::days(FAILED_ACTION_DAYS),
        ),
    ]);
    let me = crate::api::calls::triage::me(&client.operator(), None);
    let incident_filter = odata::ge_time("lastUpdateDateTime", now - Duration::days(INCIDENT_DAYS));
    let limit = Some(MAX_ROWS);

    let pending_req = calls::machine_actions(Some(pending_filter));
    let failed_req = calls::machine_actions(Some(failed_filter));
    let inv_req = calls::investigations(Some(odata::eq("state", "PendingApproval")));
    let risk_req = calls::machines(Some(odata::any_of("riskScore", &["High", "Medium"])));
    let inactive_req = calls::machines(Some(odata::eq("healthStatus", "Inactive")));
    let incident_req = calls::incidents(Some(incident_filter), false);
    let rec_req = calls::recommendations(Some(odata::eq("status", "Active")));

    let (exposure, config, secure, pending, failed, invs, risky, inactive, incidents, recs) = join!(
        calls::exposure_score(client),
        calls::configuration_score(client),
        calls::latest_secure_score(client),
        pending_req.fetch_lenient::<MachineAction>(client, limit),
        failed_req.fetch_lenient::<MachineAction>(client, limit),
        inv_req.fetch_lenient::<Investigation>(client, limit),
        risk_req.fetch_lenient::<Machine>(client, limit),
        inactive_req.fetch_lenient::<Machine>(client, limit),
        incident_req.fetch_lenient::<Incident>(client, Some(MAX_INCIDENTS)),
        rec_req.fetch_lenient::<Recommendation>(client, None),
    );

    let mut snap = Snapshot::empty(profile, tenant, now);
    snap.me = me;
    let mut failures: Vec<ApiError> = Vec::new();
    let mut note = |what: &str, e: ApiError, snap: &mut Snapshot| {
        snap.errors.push(format!("{what}: {e}"));
        failures.push(e);
    };

    match exposure {
        Ok(e) => snap.exposure_score = e.score.map(ExposureFigure::from_score),
        Err(e) => note("exposure score", e, &mut snap),
    }
    match config {
        Ok(c) => snap.configuration_score = c.score,
        Err(e) => note("secure score for devices", e, &mut snap),
    }
    match secure {
        Ok(s) => {
            snap.secure_score = s.and_then(|s| {
                let (current, max) = (s.current_score?, s.max_score?);
                Some(SecureScoreFigure {
                    current,
                    max,
                    percent: s.percent().unwrap_or(0.0),
                })
            })
        }
        Err(e) => note("Microsoft Secure Score", e, &mut snap),
    }
    match pending {
        Ok((a, skipped)) => {
            snap.pending_actions = actions(a);
            skipped_note("pending actions", &skipped, &mut snap);
        }
        Err(e) => note("pending actions", e, &mut snap),
    }
    match failed {
        Ok((a, skipped)) => {
            snap.failed_actions = actions(a);
            skipped_note("failed actions", &skipped, &mut snap);
        }
        Err(e) => note("failed actions", e, &mut snap),
    }
    match invs {
        Ok((v, skipped)) => {
            snap.pending_investigations = investigations(v);
            skipped_note("investigations awaiting approval", &skipped, &mut snap);
        }
        // Automated investigation was retired on 2026-09-01: a tenant that no longer answers
        // has nothing awaiting approval, which is not an error of the digest.
        // An unreachable tenant is still an error.
        Err(e) if e.status().is_some() => {
            tracing::info!("investigations not available (retired service): {e}")
        }
        Err(e) => note("investigations awaiting approval", e, &mut snap),
    }
    match risky {
        Ok((v, skipped)) => {
            snap.devices_at_risk = devices_at_risk(v);
            skipped_note("devices at risk", &skipped, &mut snap);
        }
        Err(e) => note("devices at risk", e, &mut snap),
    }
    match inactive {
        Ok((v, skipped)) => {
            snap.inactive_devices = inactive_devices(v);
            skipped_note("inactive devices", &skipped, &mut snap);
        }
        Err(e) => note("inactive devices", e, &mut snap),
    }
    match incidents {
        Ok((v, skipped)) => {
            snap.incidents = incident_items(v);
            skipped_note("incidents", &skipped, &mut snap);
        }
        Err(e) => note("incidents", e, &mut snap),
    }
    match recs {
        Ok((v, skipped)) => {
            snap.recommendations = recommendations(v);
            skipped_note("recommendations", &skipped, &mut snap);
        }
        Err(e) => note("recommendations", e, &mut snap),
    }

    // A pending action's computerDnsName may be null: name it from the devices read here.
    let names: HashMap<&str, &str> = snap
        .devices_at_risk
        .iter()
        .map(|d| (d.id.as_str(), d.name.as_str()))
        .chain(
            snap.inactive_devices
                .iter()
                .map(|d| (d.id.as_str(), d.name.as_str())),
        )
        .collect();
    let renamed = |list: &[ActionItem]| -> Vec<ActionItem> {
        list.iter()
            .map(|a| ActionItem {
                device: names
                    .get(a.device.as_str())
                    .map_or_else(|| a.device.clone(), |n| n.to_string()),
                ..a.clone()
            })
            .collect()
    };
    let (pending, failed) = (
        renamed(&snap.pending_actions),
        renamed(&snap.failed_actions),
    );
    snap.pending_actions = pending;
    snap.failed_actions = failed;

    // A sign-in failure is the same for every read; with nothing read there is no digest.
    if let Some(auth) = failures.iter().find(|e| matches!(e, ApiError::Auth(_))) {
        return Err(auth.clone());
    }
    if failures.len() == READS {
        return Err(failures.swap_remove(0));
    }
    Ok(snap)
}

/// A section that lost records it could not read says so in the digest's notes (the rest of
/// the section is kept).
fn skipped_note(what: &str, skipped: &Skipped, snap: &mut Snapshot) {
    if !skipped.is_empty() {
        snap.notes.push(format!("{what}: {}", skipped.summary()));
    }
}

fn opt_text(s: Option<&str>) -> String {
    s.unwrap_or("").to_string()
}

fn actions(mut v: Vec<MachineAction>) -> Vec<ActionItem> {
    v.sort_by_key(|x| std::cmp::Reverse(x.creation_date_time_utc));
    v.into_iter()
        .map(|a| ActionItem {
            device: a.device_label().to_string(),
            action_type: a.type_label().to_string(),
            status: a.status_label().to_string(),
            created: a.creation_date_time_utc,
            updated: a.last_update(),
            id: a.id,
        })
        .collect()
}

fn investigations(mut v: Vec<Investigation>) -> Vec<InvestigationItem> {
    v.sort_by_key(|x| std::cmp::Reverse(x.start_time));
    v.into_iter()
        .map(|i| InvestigationItem {
            device: i.device_label().to_string(),
            start: i.start_time,
            id: i.id,
        })
        .collect()
}

fn devices_at_risk(mut v: Vec<Machine>) -> Vec<DeviceItem> {
    v.sort_by(|a, b| {
        (b.risk_rank(), b.exposure_rank())
            .cmp(&(a.risk_rank(), a.exposure_rank()))
            .then_with(|| a.short_name().cmp(b.short_name()))
    });
    v.into_iter()
        .map(|m| DeviceItem {
            name: m.short_name().to_string(),
            risk_score: opt_text(m.risk_score.as_ref().map(|r| r.as_str())),
            exposure_level: opt_text(m.exposure_level.as_ref().map(|r| r.as_str())),
            health_status: opt_text(m.health_status.as_ref().map(|r| r.as_str())),
            id: m.id,
        })
        .collect()
}

fn inactive_devices(mut v: Vec<Machine>) -> Vec<InactiveDevice> {
    v.sort_by_key(|x| std::cmp::Reverse(x.last_seen));
    v.into_iter()
        .map(|m| InactiveDevice {
            name: m.short_name().to_string(),
            last_seen: m.last_seen,
            id: m.id,
        })
        .collect()
}

fn incident_items(mut v: Vec<Incident>) -> Vec<IncidentItem> {
    v.sort_by_key(|x| std::cmp::Reverse(x.last_update_date_time));
    v.into_iter()
        .map(|i| IncidentItem {
            title: opt_text(i.display_name.as_deref()),
            severity: i.severity.as_ref().map(|s| s.camel()).unwrap_or_default(),
            status: i.status.as_ref().map(|s| s.camel()).unwrap_or_default(),
            last_update_date_time: i.last_update_date_time,
            created_date_time: i.created_date_time,
            assigned_to: i.assigned_to.filter(|a| !a.trim().is_empty()),
            classification: i.classification.as_ref().map(|c| c.as_str().to_string()),
            determination: i.determination.as_ref().map(|d| d.as_str().to_string()),
            id: i.id,
        })
        .collect()
}

/// Active recommendations that reach devices, highest exposure impact first.
fn recommendations(v: Vec<Recommendation>) -> Vec<RecommendationItem> {
    let mut v: Vec<Recommendation> = v
        .into_iter()
        .filter(|r| r.is_active() && r.exposed_machines_count.unwrap_or(0) > 0)
        .collect();
    v.sort_by(Recommendation::by_impact);
    v.into_iter()
        .take(MAX_RECOMMENDATIONS)
        .map(|r| RecommendationItem {
            name: r.display_name().to_string(),
            exposure_impact: r.exposure_impact,
            config_score_impact: r.config_score_impact,
            exposed_machines_count: r.exposed_machines_count,
            id: r.id,
        })
        .collect()
}
