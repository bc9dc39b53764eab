//! Microsoft Secure Score (Graph `/security/secureScores`): daily snapshots of the tenant's
//! score, per-control scores (whose numbers sometimes arrive as strings) and comparisons.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;

/// Who produced a Graph security record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct VendorInformation {
    pub provider: Option<String>,
    pub provider_version: Option<String>,
    pub sub_provider: Option<String>,
    pub vendor: Option<String>,
}

/// Average score of comparable tenants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AverageComparativeScore {
    /// `AllTenants`, `TotalSeats`, `IndustryTypes`.
    pub basis: Option<String>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub average_score: Option<f64>,
}

/// The tenant's score on one control. Numbers may be strings (`"0.0"`, `"100.0"`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ControlScore {
    pub control_category: Option<String>,
    /// Joins with [`super::SecureScoreControlProfile::id`].
    pub control_name: Option<String>,
    pub description: Option<String>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub score: Option<f64>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub score_in_percentage: Option<f64>,
    pub implementation_status: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_synced: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub count: Option<f64>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub total: Option<f64>,
}

/// One daily Secure Score snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecureScore {
    /// `{tenantId}_{yyyy-mm-dd}`.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub azure_tenant_id: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub active_user_count: Option<i64>,
    #[serde(deserialize_with = "de::datetime")]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub current_score: Option<f64>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub max_score: Option<f64>,
    #[serde(deserialize_with = "de::vec")]
    pub enabled_services: Vec<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub licensed_user_count: Option<i64>,
    #[serde(deserialize_with = "de::vec")]
    pub average_comparative_scores: Vec<AverageComparativeScore>,
    #[serde(deserialize_with = "de::vec")]
    pub control_scores: Vec<ControlScore>,
    pub vendor_information: Option<VendorInformation>,
}

impl SecureScore {
    /// `currentScore / maxScore * 100`, when both are known and the maximum is positive.
    pub fn percent(&self) -> Option<f64> {
        match (self.current_score, self.max_score) {
            (Some(c), Some(m)) if m > 0.0 => Some(c / m * 100.0),
            _ => None,
        }
    }

    /// The comparison average for a basis (`AllTenants` …), case-insensitive.
    pub fn average_for(&self, basis: &str) -> Option<f64> {
        self.average_comparative_scores
            .iter()
            .find(|a| {
                a.basis
                    .as_deref()
                    .is_some_and(|b| b.eq_ignore_ascii_case(basis))
            })
            .and_then(|a| a.average_score)
    }

    /// The score of one control by name.
    pub fn control(&self, name: &str) -> Option<&ControlScore> {
        self.control_scores
            .iter()
            .find(|c| c.control_name.as_deref() == Some(name))
    }
}
