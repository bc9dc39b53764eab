//! A TVM remediation activity (`/api/remediationTasks`). Read-only: the API cannot create
//! one, the portal can.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;

/// A remediation activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RemediationTask {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub title: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub created_on: Option<DateTime<Utc>>,
    pub requester_id: Option<String>,
    pub requester_email: Option<String>,
    /// `Active`, `Completed`.
    pub status: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub status_last_modified_on: Option<DateTime<Utc>>,
    pub description: Option<String>,
    pub related_component: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub target_devices: Option<i64>,
    #[serde(deserialize_with = "de::vec")]
    pub rbac_group_names: Vec<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub fixed_devices: Option<i64>,
    pub requester_notes: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub due_on: Option<DateTime<Utc>>,
    /// `Software`, `Security configuration`.
    pub category: Option<String>,
    pub productivity_impact_remediation_type: Option<String>,
    /// `High`, `Medium`, `Low`.
    pub priority: Option<String>,
    /// `Automatic`, `Manual`.
    pub completion_method: Option<String>,
    pub completer_id: Option<String>,
    pub completer_email: Option<String>,
    pub scid: Option<String>,
    /// `Update`, `Upgrade`, `Uninstall`, `ConfigurationChange` …
    #[serde(rename = "type")]
    pub task_type: Option<String>,
    pub product_id: Option<String>,
    pub vendor_id: Option<String>,
    pub name_id: Option<String>,
    pub recommended_version: Option<String>,
    pub recommended_vendor: Option<String>,
    pub recommended_program: Option<String>,
}

impl RemediationTask {
    /// Fixed devices as a share of targeted devices, 0–100.
    pub fn progress_percent(&self) -> Option<f64> {
        let target = self.target_devices.filter(|t| *t > 0)?;
        let fixed = self.fixed_devices.unwrap_or(0).clamp(0, target);
        Some(fixed as f64 * 100.0 / target as f64)
    }

    /// Whether it is still open.
    pub fn is_active(&self) -> bool {
        self.status
            .as_deref()
            .is_none_or(|s| !s.eq_ignore_ascii_case("Completed"))
    }
}
