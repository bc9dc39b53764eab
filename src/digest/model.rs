//! The digest snapshot: the few figures and ids the morning routine watches, small enough to
//! keep thirty per tenant on disk and to diff against the next run. Field names are stable
//! camelCase; every field defaults so older or newer snapshot files still read.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Organisation exposure score (0–100, lower is better) and its portal band.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExposureFigure {
    pub score: f64,
    /// `Low` (0–29), `Medium` (30–69) or `High` (70–100), as the portal bands it.
    pub level: String,
}

impl ExposureFigure {
    /// The figure with its level derived from the score.
    pub fn from_score(score: f64) -> Self {
        ExposureFigure {
            score,
            level: exposure_level(score).to_string(),
        }
    }
}

/// The portal's band of an exposure score.
pub fn exposure_level(score: f64) -> &'static str {
    if score >= 70.0 {
        "High"
    } else if score >= 30.0 {
        "Medium"
    } else {
        "Low"
    }
}

/// Microsoft Secure Score (Graph): points, maximum and share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecureScoreFigure {
    pub current: f64,
    pub max: f64,
    pub percent: f64,
}

/// A machine action (pending, in progress, failed or timed out).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ActionItem {
    pub id: String,
    #[serde(rename = "type")]
    pub action_type: String,
    /// Host name, else machine id.
    pub device: String,
    pub status: String,
    pub created: Option<DateTime<Utc>>,
    /// Last update (when a failed action failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<DateTime<Utc>>,
}

/// An automated investigation waiting for approval in the Action center.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InvestigationItem {
    pub id: String,
    pub device: String,
    pub start: Option<DateTime<Utc>>,
}

/// A device with threat detections (risk Medium or High).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceItem {
    pub id: String,
    pub name: String,
    pub risk_score: String,
    pub exposure_level: String,
    pub health_status: String,
}

/// A device whose sensor reports inactive.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct InactiveDevice {
    pub id: String,
    pub name: String,
    pub last_seen: Option<DateTime<Utc>>,
}

/// An incident updated in the last 30 days.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IncidentItem {
    pub id: String,
    pub title: String,
    /// Graph spelling, e.g. `high`.
    pub severity: String,
    pub status: String,
    pub last_update_date_time: Option<DateTime<Utc>>,
    pub created_date_time: Option<DateTime<Utc>>,
    /// Who works on it, and how it was classified (absent in older snapshots).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub determination: Option<String>,
}

impl IncidentItem {
    /// What an analyst would call a change: status, severity, assignee, classification
    /// and determination (not timestamps or the title).
    pub(crate) fn analyst_key(&self) -> (&str, &str, Option<&str>, Option<&str>, Option<&str>) {
        (
            &self.status,
            &self.severity,
            self.assigned_to.as_deref(),
            self.classification.as_deref(),
            self.determination.as_deref(),
        )
    }

    /// High 4 … informational 1, anything else 0.
    pub fn severity_rank(&self) -> u8 {
        severity_rank(&self.severity)
    }

    /// Not resolved or redirected (the typed status's rule, read from the snapshot's text).
    pub fn is_open(&self) -> bool {
        crate::api::model::IncidentStatus::parse(&self.status).is_open()
    }
}

/// Rank of an incident or alert severity text (case-insensitive).
pub fn severity_rank(severity: &str) -> u8 {
    match severity.to_ascii_lowercase().as_str() {
        "high" => 4,
        "medium" => 3,
        "low" => 2,
        "informational" => 1,
        _ => 0,
    }
}

/// A figure for text: whole numbers without decimals, others with one.
pub(crate) fn fmt_num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// A high-impact security recommendation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RecommendationItem {
    pub id: String,
    pub name: String,
    pub exposure_impact: Option<f64>,
    pub config_score_impact: Option<f64>,
    pub exposed_machines_count: Option<i64>,
}

/// A list of the snapshot, by its camelCase field name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ListName {
    PendingActions,
    PendingInvestigations,
    DevicesAtRisk,
    InactiveDevices,
    Incidents,
    FailedActions,
    Recommendations,
}

/// A list the snapshot holds only part of: the digest keeps at most a few hundred records a
/// list, so a count read from the list is what was shown, not what the tenant has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Truncated {
    pub list: ListName,
    /// Records the list holds.
    pub shown: usize,
    /// How many the tenant has, when the digest knows (it read them all and kept the top
    /// `shown`); `None` when it stopped reading and only knows that more exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
}

impl Truncated {
    /// "500 shown; more exist", or "10 of 37" when the total is known.
    pub fn count_text(&self) -> String {
        match self.total {
            Some(t) => format!("{} of {t}", self.shown),
            None => format!("{} shown; more exist", self.shown),
        }
    }
}

/// What one digest run saw for one tenant.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Snapshot {
    pub taken_at: DateTime<Utc>,
    pub profile: String,
    /// Tenant label (display name or id).
    pub tenant: String,
    pub exposure_score: Option<ExposureFigure>,
    /// Microsoft Secure Score for Devices (`/api/configurationScore`).
    pub configuration_score: Option<f64>,
    pub secure_score: Option<SecureScoreFigure>,
    /// Machine actions Pending or InProgress.
    pub pending_actions: Vec<ActionItem>,
    pub pending_investigations: Vec<InvestigationItem>,
    pub devices_at_risk: Vec<DeviceItem>,
    pub inactive_devices: Vec<InactiveDevice>,
    /// Updated in the 30 days before `taken_at`, newest update first.
    pub incidents: Vec<IncidentItem>,
    /// Failed or TimeOut actions created in the 7 days before `taken_at`.
    pub failed_actions: Vec<ActionItem>,
    /// Active recommendations with the highest exposure impact.
    pub recommendations: Vec<RecommendationItem>,
    /// Reads that failed without sinking the digest, one line each.
    pub errors: Vec<String>,
    /// Sections that skipped records they could not read ("incidents: 1 record could not be
    /// read (…)"); the rest of each section is kept.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The lists cut at the digest's cap while the tenant has more (absent: every list is
    /// whole).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub truncated: Vec<Truncated>,
    /// Who the digest is for ("assigned to me"): the signed-in person or the profile's
    /// analyst; absent when socops signs in as an app and no analyst is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me: Option<String>,
}

impl crate::store::digest_history::Stamped for Snapshot {
    fn taken_at(&self) -> DateTime<Utc> {
        self.taken_at
    }
}

impl Snapshot {
    /// An empty snapshot of `profile` at `taken_at`.
    pub fn empty(profile: &str, tenant: &str, taken_at: DateTime<Utc>) -> Self {
        Snapshot {
            taken_at,
            profile: profile.to_string(),
            tenant: tenant.to_string(),
            ..Default::default()
        }
    }

    /// How `list` was cut, if it was.
    pub fn truncated(&self, list: ListName) -> Option<&Truncated> {
        self.truncated.iter().find(|t| t.list == list)
    }

    /// How many records `list` holds.
    pub fn len_of(&self, list: ListName) -> usize {
        match list {
            ListName::PendingActions => self.pending_actions.len(),
            ListName::PendingInvestigations => self.pending_investigations.len(),
            ListName::DevicesAtRisk => self.devices_at_risk.len(),
            ListName::InactiveDevices => self.inactive_devices.len(),
            ListName::Incidents => self.incidents.len(),
            ListName::FailedActions => self.failed_actions.len(),
            ListName::Recommendations => self.recommendations.len(),
        }
    }

    /// The count of `list` for a title: its length, or "500 shown; more exist" when cut.
    pub fn count_text(&self, list: ListName) -> String {
        self.truncated(list)
            .map_or_else(|| self.len_of(list).to_string(), Truncated::count_text)
    }

    /// Open incidents counted by severity rank: `[high, medium, low, informational, other]`.
    pub(crate) fn open_incidents_by_severity(&self) -> [usize; 5] {
        let mut counts = [0usize; 5];
        for i in self.incidents.iter().filter(|i| i.is_open()) {
            let slot = match i.severity_rank() {
                4 => 0,
                3 => 1,
                2 => 2,
                1 => 3,
                _ => 4,
            };
            counts[slot] += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_portal_bands() {
        assert_eq!(exposure_level(12.0), "Low");
        assert_eq!(exposure_level(30.0), "Medium");
        assert_eq!(exposure_level(70.0), "High");
    }

    #[test]
    fn snapshot_round_trips_with_camel_case() {
        let s = Snapshot::empty("p", "t", DateTime::<Utc>::default());
        let v = serde_json::to_value(&s).unwrap();
        assert!(v.get("takenAt").is_some());
        assert!(v.get("pendingActions").is_some());
        let back: Snapshot = serde_json::from_value(v).unwrap();
        assert_eq!(back, s);
        // Missing fields default (older files still read).
        let old: Snapshot = serde_json::from_str(r#"{"profile":"x"}"#).unwrap();
        assert_eq!(old.profile, "x");
    }
}
