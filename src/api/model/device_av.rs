//! Defender Antivirus health per device (`/api/deviceavinfo`): mode, versions, up-to-date
//! flags (sent as "True"/"False"/"Unknown" strings) and last scans.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;

/// One device's antivirus health.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DeviceAvInfo {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(deserialize_with = "de::opt_id")]
    pub machine_id: Option<String>,
    pub computer_dns_name: Option<String>,
    /// `windows`, `mac`, `linux`.
    pub os_kind: Option<String>,
    pub os_platform: Option<String>,
    pub os_version: Option<String>,
    /// `"0"`..`"5"` or `""`; see [`DeviceAvInfo::av_mode_name`].
    #[serde(deserialize_with = "de::opt_id")]
    pub av_mode: Option<String>,
    pub av_signature_version: Option<String>,
    pub av_engine_version: Option<String>,
    pub av_platform_version: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_seen_time: Option<DateTime<Utc>>,
    /// `Completed`, `Canceled`, `Failed` or empty.
    #[serde(deserialize_with = "de::opt_text")]
    pub quick_scan_result: Option<String>,
    #[serde(deserialize_with = "de::opt_text")]
    pub quick_scan_error: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub quick_scan_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_text")]
    pub full_scan_result: Option<String>,
    #[serde(deserialize_with = "de::opt_text")]
    pub full_scan_error: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub full_scan_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub data_refresh_timestamp: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub av_engine_update_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub av_signature_update_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub av_platform_update_time: Option<DateTime<Utc>>,
    /// `None` when the service says "Unknown".
    #[serde(deserialize_with = "de::opt_bool")]
    pub av_is_signature_up_to_date: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub av_is_engine_up_to_date: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub av_is_platform_up_to_date: Option<bool>,
    #[serde(deserialize_with = "de::datetime")]
    pub av_signature_publish_time: Option<DateTime<Utc>>,
    pub cloud_protection_state: Option<String>,
    pub rbac_group_name: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub rbac_group_id: Option<i64>,
}

/// Name of an `avMode` code.
pub fn av_mode_name(code: Option<&str>) -> &'static str {
    match code.map(str::trim) {
        Some("0") => "Active",
        Some("1") => "Passive",
        Some("2") => "Disabled",
        Some("3") | Some("") | None => "Other",
        Some("4") => "EDR blocked",
        Some("5") => "Passive audit",
        Some(_) => "Unknown",
    }
}

impl DeviceAvInfo {
    /// The antivirus mode by name ("Active", "Passive" …).
    pub fn av_mode_name(&self) -> &'static str {
        av_mode_name(self.av_mode.as_deref())
    }

    /// True when any of signature, engine or platform is known to be out of date.
    pub fn is_out_of_date(&self) -> bool {
        [
            self.av_is_signature_up_to_date,
            self.av_is_engine_up_to_date,
            self.av_is_platform_up_to_date,
        ]
        .contains(&Some(false))
    }

    /// Host name before the first dot, else the machine id.
    pub fn device_label(&self) -> &str {
        match self.computer_dns_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n),
            _ => self.machine_id.as_deref().unwrap_or(&self.id),
        }
    }
}
