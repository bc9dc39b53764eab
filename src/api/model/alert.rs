//! An MDE alert (`/api/alerts`, `$expand=evidence`) and the triage enums shared with Graph
//! alerts and incidents (severity, status, classification, determination).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;
use super::investigation::InvestigationState;
use crate::open_enum;

open_enum! {
    /// Alert / incident / indicator severity (MDE `UnSpecified`, Graph `unknown`).
    pub enum AlertSeverity {
        UnSpecified = "UnSpecified",
        Unknown = "Unknown",
        Informational = "Informational",
        Low = "Low",
        Medium = "Medium",
        High = "High",
    }
}

open_enum! {
    /// Alert status (MDE PascalCase, Graph camelCase).
    pub enum AlertStatus {
        Unknown = "Unknown",
        New = "New",
        InProgress = "InProgress",
        Resolved = "Resolved",
    }
}

open_enum! {
    /// Triage classification.
    pub enum Classification {
        Unknown = "Unknown",
        TruePositive = "TruePositive",
        FalsePositive = "FalsePositive",
        InformationalExpectedActivity = "InformationalExpectedActivity",
    }
}

open_enum! {
    /// Triage determination. The spellings drift between APIs and pages, so each seen
    /// spelling is its own variant: send back the one the service used.
    pub enum Determination {
        Unknown = "Unknown",
        NotAvailable = "NotAvailable",
        Apt = "Apt",
        MultiStagedAttack = "MultiStagedAttack",
        MaliciousUserActivity = "MaliciousUserActivity",
        CompromisedUser = "CompromisedUser",
        CompromisedAccount = "CompromisedAccount",
        Malware = "Malware",
        Phishing = "Phishing",
        UnwantedSoftware = "UnwantedSoftware",
        SecurityPersonnel = "SecurityPersonnel",
        SecurityTesting = "SecurityTesting",
        LineOfBusinessApplication = "LineOfBusinessApplication",
        ConfirmedUserActivity = "ConfirmedUserActivity",
        ConfirmedActivity = "ConfirmedActivity",
        Clean = "Clean",
        NotMalicious = "NotMalicious",
        InsufficientData = "InsufficientData",
        NotEnoughDataToValidate = "NotEnoughDataToValidate",
        NoEnoughDataToValidate = "NoEnoughDataToValidate",
        /// The service's "Other" determination (not an unknown value).
        OtherDetermination = "Other",
    }
}

impl AlertSeverity {
    /// Ordering for sorting: unspecified/unknown 0 … High 4.
    pub fn rank(&self) -> u8 {
        match self {
            AlertSeverity::Informational => 1,
            AlertSeverity::Low => 2,
            AlertSeverity::Medium => 3,
            AlertSeverity::High => 4,
            _ => 0,
        }
    }
}

impl AlertStatus {
    /// Not resolved yet.
    pub fn is_open(&self) -> bool {
        !matches!(self, AlertStatus::Resolved)
    }
}

/// The user an alert relates to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RelatedUser {
    pub user_name: Option<String>,
    pub domain_name: Option<String>,
}

/// A comment on an MDE alert.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AlertComment {
    pub comment: Option<String>,
    pub created_by: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub created_time: Option<DateTime<Utc>>,
}

/// One evidence entity of an MDE alert. Every key is present; unused ones are null.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Evidence {
    /// `User`, `Process`, `File`, `Ip`, `Url`, `Registry` …
    pub entity_type: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub evidence_creation_time: Option<DateTime<Utc>>,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    pub file_path: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub process_id: Option<i64>,
    pub process_command_line: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub process_creation_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub parent_process_id: Option<i64>,
    #[serde(deserialize_with = "de::datetime")]
    pub parent_process_creation_time: Option<DateTime<Utc>>,
    pub parent_process_file_name: Option<String>,
    pub parent_process_file_path: Option<String>,
    pub ip_address: Option<String>,
    pub url: Option<String>,
    pub registry_key: Option<String>,
    pub registry_hive: Option<String>,
    pub registry_value_type: Option<String>,
    pub registry_value: Option<String>,
    pub account_name: Option<String>,
    pub domain_name: Option<String>,
    pub user_sid: Option<String>,
    pub aad_user_id: Option<String>,
    pub user_principal_name: Option<String>,
    /// `Detected`, `Prevented`, `Blocked` or null.
    pub detection_status: Option<String>,
}

impl Evidence {
    /// A one-line description of the entity for lists.
    pub fn summary(&self) -> String {
        let kind = self.entity_type.as_deref().unwrap_or("Entity");
        let what = self
            .file_name
            .as_deref()
            .or(self.user_principal_name.as_deref())
            .or(self.account_name.as_deref())
            .or(self.ip_address.as_deref())
            .or(self.url.as_deref())
            .or(self.registry_key.as_deref())
            .or(self.sha256.as_deref())
            .or(self.sha1.as_deref())
            .unwrap_or("");
        format!("{kind}: {what}")
            .trim_end_matches([':', ' '])
            .to_string()
    }
}

/// An alert as the MDE API returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Alert {
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    /// Numeric in MDE, kept as text so it joins with Graph incident ids.
    #[serde(deserialize_with = "de::opt_id")]
    pub incident_id: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub investigation_id: Option<String>,
    pub assigned_to: Option<String>,
    pub severity: Option<AlertSeverity>,
    pub status: Option<AlertStatus>,
    pub classification: Option<Classification>,
    pub determination: Option<Determination>,
    pub investigation_state: Option<InvestigationState>,
    pub detection_source: Option<String>,
    pub detector_id: Option<String>,
    /// Old alerts carry the literal text "null": read as `None`.
    #[serde(deserialize_with = "de::opt_text")]
    pub category: Option<String>,
    pub threat_family_name: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub alert_creation_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub first_event_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_event_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub last_update_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub resolved_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::opt_id")]
    pub machine_id: Option<String>,
    pub computer_dns_name: Option<String>,
    pub rbac_group_name: Option<String>,
    pub aad_tenant_id: Option<String>,
    pub threat_name: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub mitre_techniques: Vec<String>,
    pub related_user: Option<RelatedUser>,
    #[serde(deserialize_with = "de::vec")]
    pub comments: Vec<AlertComment>,
    /// Only with `$expand=evidence` on lists; always on GET by id.
    #[serde(deserialize_with = "de::vec")]
    pub evidence: Vec<Evidence>,
}

impl Alert {
    /// Severity rank for sorting.
    pub fn severity_rank(&self) -> u8 {
        self.severity.as_ref().map_or(0, AlertSeverity::rank)
    }

    /// Not resolved (unknown status counts as open).
    pub fn is_open(&self) -> bool {
        self.status.as_ref().is_none_or(AlertStatus::is_open)
    }

    /// Device host name before the first dot, else the machine id, else "".
    pub fn device_label(&self) -> &str {
        match self.computer_dns_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n),
            _ => self.machine_id.as_deref().unwrap_or(""),
        }
    }
}
