//! A TVM security recommendation (`/api/recommendations`): software updates and
//! configuration changes, with their exposure impact and the devices they concern.

use serde::{Deserialize, Serialize};

use super::de;

/// A security recommendation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Recommendation {
    /// `va-_-{vendor}-_-{product}` (software) or `sca-_-scid-{n}` (configuration).
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub product_name: Option<String>,
    pub recommendation_name: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub weaknesses: Option<i64>,
    pub vendor: Option<String>,
    pub recommended_version: Option<String>,
    pub recommended_program: Option<String>,
    pub recommended_vendor: Option<String>,
    /// `Accounts`, `Application`, `Network`, `OS`, `SecurityControls`.
    pub recommendation_category: Option<String>,
    pub sub_category: Option<String>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub severity_score: Option<f64>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub public_exploit: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub active_alert: Option<bool>,
    /// Threat-analytics report GUIDs.
    #[serde(deserialize_with = "de::vec")]
    pub associated_threats: Vec<String>,
    /// `ConfigurationChange`, `Update`, `Upgrade`, `Uninstall`.
    pub remediation_type: Option<String>,
    /// `Active`, `Exception`.
    pub status: Option<String>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub config_score_impact: Option<f64>,
    #[serde(deserialize_with = "de::opt_f64")]
    pub exposure_impact: Option<f64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub total_machine_count: Option<i64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub exposed_machines_count: Option<i64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub non_productivity_impacted_assets: Option<i64>,
    pub related_component: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub exposed_critical_devices: Option<i64>,
}

impl Recommendation {
    /// A configuration (SCA) recommendation rather than a software one.
    pub fn is_configuration(&self) -> bool {
        self.id.starts_with("sca-")
    }

    /// The Secure Score control id this configuration recommendation matches
    /// (`sca-_-scid-2500` -> `scid_2500`).
    pub fn secure_score_control(&self) -> Option<String> {
        let n = self.id.strip_prefix("sca-_-scid-")?;
        Some(format!("scid_{n}"))
    }

    /// Whether it still applies (not an exception).
    pub fn is_active(&self) -> bool {
        self.status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("Active"))
    }

    /// Name for display: the recommendation name, else the id.
    pub fn display_name(&self) -> &str {
        self.recommendation_name.as_deref().unwrap_or(&self.id)
    }
}
