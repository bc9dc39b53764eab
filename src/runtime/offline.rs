//! The offline console: each resource from what its catalogue entry (`runtime/catalogue.rs`)
//! says `--offline` serves: its list's response-cache entry (written by the console's whole
//! reads and by the headless lists alike, in one shape), or the last digest snapshot for the
//! scores. The online console writes the cache in the worker (`runtime/worker.rs`).

use chrono::{DateTime, Utc};

use crate::api::calls::Skipped;
use crate::api::model::{ConfigurationScore, ExposureScore, SecureScore};
use crate::app::{Payload, ResourceKind};
use crate::digest::Snapshot;
use crate::runtime::catalogue::{Offline, SnapshotScore, entry, payload_of};
use crate::store::ResponseCache;

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
        self.read(kind).map(|(p, at, _)| (p, at))
    }

    /// [`OfflineSource::payload`], and the records of the cache entry that did not fit their
    /// model (skipped and counted, as online).
    pub fn read(&self, kind: ResourceKind) -> Result<(Payload, DateTime<Utc>, Skipped), String> {
        let missing = |hint: &str| format!("no offline data — run `{hint}` online once");
        let list = match entry(kind).offline {
            Offline::Cache(list) => list,
            Offline::Snapshot(score) => {
                return self.score(score).map(|(p, at)| (p, at, Skipped::default()));
            }
            Offline::NotKept => {
                return Err("not kept offline (only the last digest's scores are)".into());
            }
        };
        let (records, at) = self
            .cache
            .load_raw(&self.profile, list)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| missing(list.fill_command()))?;
        let (p, skipped) = payload_of(list, &records).map_err(|e| e.to_string())?;
        Ok((p, at, skipped))
    }

    /// A score from the last digest snapshot.
    fn score(&self, score: SnapshotScore) -> Result<(Payload, DateTime<Utc>), String> {
        let missing = |hint: &str| format!("no offline data — run `{hint}` online once");
        let snap = self
            .snapshot
            .as_ref()
            .ok_or_else(|| missing("socops digest"))?;
        let at = snap.taken_at;
        let p = match score {
            SnapshotScore::Exposure => Payload::ExposureScore(ExposureScore {
                time: Some(at),
                score: snap.exposure_score.as_ref().map(|e| e.score),
            }),
            SnapshotScore::Configuration => Payload::ConfigurationScore(ConfigurationScore {
                time: Some(at),
                score: snap.configuration_score,
            }),
            SnapshotScore::Secure => Payload::SecureScores(
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
        };
        Ok((p, at))
    }
}
