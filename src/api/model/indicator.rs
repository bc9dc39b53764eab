//! A custom indicator (`/api/indicators`): block, allow or audit a file hash, IP, URL,
//! domain or certificate. Also the body of a new indicator.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::alert::AlertSeverity;
use super::de;
use crate::open_enum;

open_enum! {
    /// What the indicator value is.
    pub enum IndicatorType {
        FileSha1 = "FileSha1",
        FileSha256 = "FileSha256",
        FileMd5 = "FileMd5",
        CertificateThumbprint = "CertificateThumbprint",
        IpAddress = "IpAddress",
        DomainName = "DomainName",
        Url = "Url",
    }
}

open_enum! {
    /// What Defender does on a match. `Alert` and `AlertAndBlock` only appear on old records.
    pub enum IndicatorAction {
        Allowed = "Allowed",
        Audit = "Audit",
        Warn = "Warn",
        Block = "Block",
        BlockAndRemediate = "BlockAndRemediate",
        Alert = "Alert",
        AlertAndBlock = "AlertAndBlock",
    }
}

impl IndicatorAction {
    /// A retired action that may be read but should not be sent.
    pub fn is_legacy(&self) -> bool {
        matches!(
            self,
            IndicatorAction::Alert | IndicatorAction::AlertAndBlock
        )
    }
}

impl IndicatorType {
    /// Check a value against the type (hash lengths, no CIDR, no spaces).
    pub(crate) fn validate_value(&self, value: &str) -> Result<(), String> {
        let v = value.trim();
        if v.is_empty() {
            return Err("the indicator value is empty".into());
        }
        let hex = |n: usize, name: &str| {
            if v.len() == n && v.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err(format!("a {name} is {n} hexadecimal characters"))
            }
        };
        match self {
            IndicatorType::FileSha1 | IndicatorType::CertificateThumbprint => hex(40, "SHA-1"),
            IndicatorType::FileSha256 => hex(64, "SHA-256"),
            IndicatorType::FileMd5 => hex(32, "MD5"),
            IndicatorType::IpAddress => v
                .parse::<std::net::IpAddr>()
                .map(|_| ())
                .map_err(|_| format!("'{v}' is not an IP address (CIDR ranges are not accepted)")),
            IndicatorType::DomainName | IndicatorType::Url => {
                if v.chars().any(char::is_whitespace) {
                    Err(format!("'{v}' contains spaces"))
                } else {
                    Ok(())
                }
            }
            IndicatorType::Other(t) => Err(format!("unknown indicator type '{t}'")),
        }
    }
}

/// An indicator as `GET /api/indicators` returns it (real keys, not the doc table's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Indicator {
    /// Numeric string.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    pub indicator_value: Option<String>,
    pub indicator_type: Option<IndicatorType>,
    pub action: Option<IndicatorAction>,
    /// UPN or app GUID.
    pub created_by: Option<String>,
    pub severity: Option<AlertSeverity>,
    /// An integer in real answers.
    #[serde(deserialize_with = "de::opt_i64")]
    pub category: Option<i64>,
    pub application: Option<String>,
    pub educate_url: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub bypass_duration_hours: Option<i64>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub recommended_actions: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub creation_time_date_time_utc: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub expiration_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_update_time: Option<DateTime<Utc>>,
    pub last_updated_by: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub rbac_group_names: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub rbac_group_ids: Vec<serde_json::Value>,
    #[serde(deserialize_with = "de::vec")]
    pub mitre_techniques: Vec<String>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub historical_detection: Option<bool>,
    #[serde(deserialize_with = "de::opt_bool")]
    pub generate_alert: Option<bool>,
    pub created_by_display_name: Option<String>,
    pub external_id: Option<String>,
    /// `Portal`, `PublicApi`.
    pub created_by_source: Option<String>,
}

impl Indicator {}

/// A new indicator, as the operator asks for it. The request body (camelCase) is built by
/// `ActionRequest::AddIndicator`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewIndicator {
    pub indicator_value: String,
    pub indicator_type: IndicatorType,
    pub action: IndicatorAction,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub severity: Option<AlertSeverity>,
    #[serde(default)]
    pub expiration_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub application: Option<String>,
    #[serde(default)]
    pub recommended_actions: Option<String>,
    #[serde(default)]
    pub rbac_group_names: Vec<String>,
    /// Forced to true for `Audit`, which requires it.
    #[serde(default)]
    pub generate_alert: Option<bool>,
}

impl NewIndicator {
    /// The `generateAlert` value to send.
    pub(crate) fn effective_generate_alert(&self) -> bool {
        self.action == IndicatorAction::Audit || self.generate_alert.unwrap_or(false)
    }
}
