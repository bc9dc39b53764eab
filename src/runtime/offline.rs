//! The console's two uses of the response cache: reading it instead of the tenant
//! (`--offline`, with the last snapshot for the scores the cache does not hold), and writing
//! the full, unfiltered lists an online session loads (so `--offline` works after a console
//! session too). Cache files are named like the headless lists' (`devices`, `av-health` …).

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::calls::{ListRequest, Skipped, type_leniently};
use crate::api::model::{Alert, ConfigurationScore, ExposureScore, GraphAlert, SecureScore};
use crate::api::{ApiError, Client};
use crate::app::{Payload, ResourceKind};
use crate::digest::Snapshot;
use crate::store::ResponseCache;

/// The cache file of a resource and the command that fills it; `None` for the scores.
pub(crate) fn cache_name(kind: ResourceKind) -> Option<(&'static str, &'static str)> {
    use ResourceKind as R;
    Some(match kind {
        R::Machines => ("devices", "socops devices list"),
        R::MachineActions => ("actions", "socops actions list"),
        R::Investigations => ("investigations", "socops investigations list"),
        R::Alerts => ("alerts", "socops alerts list"),
        R::Incidents => ("incidents", "socops incidents list"),
        R::Recommendations => ("recommendations", "socops recommendations list"),
        R::RemediationTasks => ("remediation", "socops remediation list"),
        R::Vulnerabilities => ("vulnerabilities", "socops vulnerabilities list"),
        R::Indicators => ("indicators", "socops indicators list"),
        R::AvInfo => ("av-health", "socops report av-health"),
        R::ExposureScore
        | R::GroupExposure
        | R::ConfigurationScore
        | R::SecureScores
        | R::ControlProfiles => return None,
    })
}

/// Where offline data comes from: one profile's cache and its last snapshot.
#[derive(Debug, Clone)]
pub struct OfflineSource {
    pub cache: ResponseCache,
    pub profile: String,
    pub snapshot: Option<Snapshot>,
}

impl OfflineSource {
    /// A resource from the cache (or the snapshot), with the time it was read online; the
    /// error is the line the view shows.
    pub fn payload(&self, kind: ResourceKind) -> Result<(Payload, DateTime<Utc>), String> {
        use ResourceKind as R;
        // The console's own action and alert loads are 30-day windows, never whole lists, so
        // only the headless commands fill these caches: the hint names the command.
        let missing = |hint: &str| format!("no offline data — run `{hint}` online once");
        if let Some((name, hint)) = cache_name(kind) {
            let (records, at) = self
                .cache
                .load_raw(&self.profile, name)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| missing(hint))?;
            let p = match kind {
                R::Machines => Payload::Machines(typed(&records)?),
                R::MachineActions => Payload::MachineActions(typed(&records)?),
                R::Investigations => Payload::Investigations(typed(&records)?),
                // `socops alerts list` caches Graph alerts_v2; the console shows MDE alerts.
                R::Alerts => Payload::Alerts(
                    typed::<GraphAlert>(&records)?
                        .into_iter()
                        .map(mde_alert)
                        .collect(),
                ),
                R::Incidents => Payload::Incidents(typed(&records)?),
                R::Recommendations => Payload::Recommendations(typed(&records)?),
                R::RemediationTasks => Payload::RemediationTasks(typed(&records)?),
                R::Vulnerabilities => Payload::Vulnerabilities(typed(&records)?),
                R::Indicators => Payload::Indicators(typed(&records)?),
                _ => Payload::AvInfo(typed(&records)?),
            };
            return Ok((p, at));
        }
        let snap = self
            .snapshot
            .as_ref()
            .ok_or_else(|| missing("socops digest"))?;
        let at = snap.taken_at;
        let p = match kind {
            R::ExposureScore => Payload::ExposureScore(ExposureScore {
                time: Some(at),
                score: snap.exposure_score.as_ref().map(|e| e.score),
            }),
            R::ConfigurationScore => Payload::ConfigurationScore(ConfigurationScore {
                time: Some(at),
                score: snap.configuration_score,
            }),
            R::SecureScores => Payload::SecureScores(
                snap.secure_score
                    .as_ref()
                    .map(|s| SecureScore {
                        created_date_time: Some(at),
                        current_score: Some(s.current),
                        max_score: Some(s.max),
                        ..Default::default()
                    })
                    .into_iter()
                    .collect(),
            ),
            _ => return Err("not kept offline (only the last digest's scores are)".into()),
        };
        Ok((p, at))
    }
}

/// A Graph alert in the shape of the console's MDE alert (the fields both carry).
fn mde_alert(g: GraphAlert) -> Alert {
    let machine_id = g.device_ids().first().map(|s| s.to_string());
    Alert {
        id: g.provider_alert_id.clone().unwrap_or(g.id),
        incident_id: g.incident_id,
        assigned_to: g.assigned_to,
        severity: g.severity,
        status: g.status,
        classification: g.classification,
        determination: g.determination,
        detection_source: g.detection_source,
        detector_id: g.detector_id,
        category: g.category,
        threat_family_name: g.threat_family_name,
        title: g.title,
        description: g.description,
        alert_creation_time: g.created_date_time,
        first_event_time: g.first_activity_date_time,
        last_event_time: g.last_activity_date_time,
        last_update_time: g.last_update_date_time,
        resolved_time: g.resolved_date_time,
        machine_id,
        aad_tenant_id: g.tenant_id,
        threat_name: g.threat_display_name,
        mitre_techniques: g.mitre_techniques,
        ..Default::default()
    }
}

fn typed<T: DeserializeOwned>(records: &[Box<RawValue>]) -> Result<Vec<T>, String> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::from_str(r.get())
                .map_err(|e| format!("cached record {} is damaged: {e}", i + 1))
        })
        .collect()
}

/// Read a full list, keeping the raw records for the cache. Returns the typed records and
/// the raw ones when the read was complete (fewer than `cap`), else no raw ones.
pub(crate) async fn fetch_keeping_raw<T: DeserializeOwned>(
    client: &Client,
    req: &ListRequest,
    cap: Option<usize>,
    skipped: &mut Skipped,
) -> Result<(Vec<T>, Option<Vec<Box<RawValue>>>), ApiError> {
    let mut raw: Vec<Box<RawValue>> = Vec::new();
    req.for_each_raw(client, cap, |page| {
        raw.extend(page);
        Ok(())
    })
    .await?;
    // One record that does not fit is skipped and counted, not the whole list lost.
    let (items, s) = type_leniently(req, &raw)?;
    skipped.merge(s);
    let complete = cap.is_none_or(|c| raw.len() < c);
    Ok((items, complete.then_some(raw)))
}
