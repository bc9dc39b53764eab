//! A Graph security alert (`/security/alerts_v2`, also inside expanded incidents) and its
//! polymorphic evidence, whose `@odata.type` decides which fields are filled.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::alert::{AlertSeverity, AlertStatus, Classification, Determination};
use super::de;
use super::incident::IncidentComment;

/// A file as Graph evidence describes it (`fileDetails`, `imageFile`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EvidenceFile {
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    pub file_path: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub file_size: Option<i64>,
    pub file_publisher: Option<String>,
    pub signer: Option<String>,
    pub issuer: Option<String>,
}

/// A user account as Graph evidence describes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EvidenceUser {
    pub account_name: Option<String>,
    pub domain_name: Option<String>,
    pub user_sid: Option<String>,
    pub azure_ad_user_id: Option<String>,
    pub user_principal_name: Option<String>,
    pub display_name: Option<String>,
}

/// One piece of Graph alert evidence. Device, file, process, user, IP, URL and registry
/// fields are typed; everything else (other evidence types, newer keys) lands in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GraphEvidence {
    /// e.g. `#microsoft.graph.security.deviceEvidence`.
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub created_date_time: Option<DateTime<Utc>>,
    /// `unknown`, `suspicious`, `malicious`, `noThreatsFound`.
    pub verdict: Option<String>,
    /// `none`, `remediated`, `prevented`, `blocked`, `notFound`.
    pub remediation_status: Option<String>,
    pub remediation_status_details: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub roles: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub detailed_roles: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub tags: Vec<String>,
    pub detection_status: Option<String>,
    // deviceEvidence (and the device a process/file was seen on)
    #[serde(deserialize_with = "de::opt_id")]
    pub mde_device_id: Option<String>,
    pub azure_ad_device_id: Option<String>,
    pub device_dns_name: Option<String>,
    pub os_platform: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub os_build: Option<i64>,
    pub health_status: Option<String>,
    pub risk_score: Option<String>,
    pub onboarding_status: Option<String>,
    pub defender_av_status: Option<String>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub rbac_group_id: Option<i64>,
    pub rbac_group_name: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub ip_interfaces: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub logged_on_users: Vec<EvidenceUser>,
    // fileEvidence
    pub file_details: Option<EvidenceFile>,
    // processEvidence
    #[serde(deserialize_with = "de::opt_i64")]
    pub process_id: Option<i64>,
    #[serde(deserialize_with = "de::opt_i64")]
    pub parent_process_id: Option<i64>,
    pub process_command_line: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub process_creation_date_time: Option<DateTime<Utc>>,
    pub image_file: Option<EvidenceFile>,
    pub parent_process_image_file: Option<EvidenceFile>,
    // processEvidence / userEvidence
    pub user_account: Option<EvidenceUser>,
    // ipEvidence
    pub ip_address: Option<String>,
    pub country_letter_code: Option<String>,
    // urlEvidence
    pub url: Option<String>,
    // registryKeyEvidence / registryValueEvidence
    pub registry_key: Option<String>,
    pub registry_hive: Option<String>,
    pub registry_value: Option<String>,
    pub registry_value_name: Option<String>,
    pub registry_value_type: Option<String>,
    /// Every other key, verbatim (mailbox, cloud application and future evidence types).
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl GraphEvidence {
    /// The type without its namespace: `deviceEvidence`, `fileEvidence` …
    pub fn kind(&self) -> &str {
        let t = self.odata_type.as_deref().unwrap_or("");
        t.rsplit('.').next().unwrap_or(t)
    }

    /// Whether this is a device (an "affected asset").
    pub fn is_device(&self) -> bool {
        self.kind().eq_ignore_ascii_case("deviceEvidence")
    }

    /// The main file of file or process evidence.
    pub fn file(&self) -> Option<&EvidenceFile> {
        self.file_details.as_ref().or(self.image_file.as_ref())
    }

    /// A one-line description for lists.
    pub fn summary(&self) -> String {
        let what = self
            .device_dns_name
            .as_deref()
            .or(self.file().and_then(|f| f.file_name.as_deref()))
            .or(self.user_account.as_ref().and_then(|u| {
                u.user_principal_name
                    .as_deref()
                    .or(u.account_name.as_deref())
            }))
            .or(self.ip_address.as_deref())
            .or(self.url.as_deref())
            .or(self.registry_key.as_deref())
            .unwrap_or("");
        format!("{}: {what}", self.kind())
            .trim_end_matches([':', ' '])
            .to_string()
    }
}

/// A Graph `alerts_v2` alert. XDR alert spellings (`alertId`, `creationTime`,
/// `lastUpdatedTime`) are accepted as aliases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GraphAlert {
    #[serde(alias = "alertId", deserialize_with = "de::id")]
    pub id: String,
    pub provider_alert_id: Option<String>,
    /// A string in Graph, a number in XDR.
    #[serde(deserialize_with = "de::opt_id")]
    pub incident_id: Option<String>,
    pub status: Option<AlertStatus>,
    pub severity: Option<AlertSeverity>,
    pub classification: Option<Classification>,
    pub determination: Option<Determination>,
    pub service_source: Option<String>,
    pub detection_source: Option<String>,
    pub detector_id: Option<String>,
    pub tenant_id: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub recommended_actions: Option<String>,
    #[serde(deserialize_with = "de::opt_text")]
    pub category: Option<String>,
    pub assigned_to: Option<String>,
    pub alert_web_url: Option<String>,
    pub incident_web_url: Option<String>,
    pub actor_display_name: Option<String>,
    pub threat_display_name: Option<String>,
    pub threat_family_name: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub mitre_techniques: Vec<String>,
    #[serde(alias = "creationTime", deserialize_with = "de::datetime")]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(alias = "lastUpdatedTime", deserialize_with = "de::datetime")]
    pub last_update_date_time: Option<DateTime<Utc>>,
    #[serde(alias = "resolvedTime", deserialize_with = "de::datetime")]
    pub resolved_date_time: Option<DateTime<Utc>>,
    #[serde(alias = "firstActivity", deserialize_with = "de::datetime")]
    pub first_activity_date_time: Option<DateTime<Utc>>,
    #[serde(alias = "lastActivity", deserialize_with = "de::datetime")]
    pub last_activity_date_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::vec")]
    pub comments: Vec<IncidentComment>,
    #[serde(deserialize_with = "de::vec")]
    pub system_tags: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub evidence: Vec<GraphEvidence>,
}

impl GraphAlert {
    /// Severity rank for sorting.
    pub fn severity_rank(&self) -> u8 {
        self.severity.as_ref().map_or(0, AlertSeverity::rank)
    }

    /// MDE device ids named by the evidence (devices first, then any other evidence).
    pub fn device_ids(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let devices = self.evidence.iter().filter(|e| e.is_device());
        let others = self.evidence.iter().filter(|e| !e.is_device());
        for e in devices.chain(others) {
            if let Some(id) = e.mde_device_id.as_deref()
                && !out.contains(&id)
            {
                out.push(id);
            }
        }
        out
    }
}
