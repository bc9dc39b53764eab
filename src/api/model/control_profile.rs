//! Secure Score control profiles (Graph `/security/secureScoreControlProfiles`): what each
//! control is worth, how to fix it, and the state an admin set on it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;
use super::secure_score::VendorInformation;

/// A state change an admin recorded on a control.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ControlStateUpdate {
    pub assigned_to: Option<String>,
    pub comment: Option<String>,
    /// `Default`, `Ignored`, `ThirdParty`, `Reviewed`.
    pub state: Option<String>,
    pub updated_by: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub updated_date_time: Option<DateTime<Utc>>,
}

/// Metadata of one Secure Score control.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecureScoreControlProfile {
    /// Joins with `ControlScore::control_name`.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub azure_tenant_id: Option<String>,
    pub action_type: Option<String>,
    pub action_url: Option<String>,
    pub control_category: Option<String>,
    pub title: Option<String>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub deprecated: Option<bool>,
    pub implementation_cost: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_modified_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub max_score: Option<f64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub rank: Option<i64>,
    pub remediation: Option<String>,
    pub remediation_impact: Option<String>,
    pub service: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub threats: Vec<String>,
    pub tier: Option<String>,
    pub user_impact: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub compliance_information: Vec<serde_json::Value>,
    #[serde(deserialize_with = "de::vec")]
    pub control_state_updates: Vec<ControlStateUpdate>,
    pub vendor_information: Option<VendorInformation>,
}

impl SecureScoreControlProfile {
    /// The most recent state update (by time, else the last listed).
    pub fn latest_state(&self) -> Option<&ControlStateUpdate> {
        self.control_state_updates
            .iter()
            .enumerate()
            .max_by_key(|(i, u)| (u.updated_date_time, *i))
            .map(|(_, u)| u)
    }
}
