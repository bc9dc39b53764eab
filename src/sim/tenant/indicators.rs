//! Custom indicators (block/allow file hashes, IPs, URLs, domains) and the live-response
//! library files.

use super::Ctx;
use crate::sim::clock::{ts, ts_opt};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

/// One indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub value: String,
    pub kind: String,
    pub action: String,
    pub title: String,
    pub description: String,
    pub severity: Option<String>,
    pub application: Option<String>,
    pub expiration: Option<DateTime<Utc>>,
    pub recommended: Option<String>,
    pub generate_alert: bool,
    pub created_by: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub updated_by: Option<String>,
    pub source: &'static str,
}

/// The starting set of indicators.
pub fn generate(ctx: &Ctx) -> Vec<Indicator> {
    let mk = |id: u64, value: &str, kind: &str, action: &str, title: &str, days: i64| Indicator {
        id: id.to_string(),
        value: value.into(),
        kind: kind.into(),
        action: action.into(),
        title: title.into(),
        description: format!("{title} (added by the SOC)"),
        severity: Some(
            if action == "Allowed" {
                "Informational"
            } else {
                "High"
            }
            .into(),
        ),
        application: None,
        expiration: None,
        recommended: None,
        generate_alert: action != "Allowed",
        created_by: "itadmin@fabrikam.com".into(),
        created: ctx.now - Duration::days(days),
        updated: ctx.now - Duration::days(days),
        updated_by: None,
        source: "Portal",
    };
    vec![
        mk(
            9,
            "bec1b52d350d721c7e22a6d4bb0a92909893a3ae",
            "FileSha1",
            "Allowed",
            "Allow line-of-business tool",
            110,
        ),
        mk(
            17,
            "bad-updates.example",
            "DomainName",
            "Block",
            "Block fake update domain",
            60,
        ),
        mk(
            23,
            "185.220.101.7",
            "IpAddress",
            "Block",
            "Known malware distribution server",
            21,
        ),
        mk(
            31,
            "https://fabrikam-sso.login-verify.co/owa",
            "Url",
            "Block",
            "Phishing kit targeting Fabrikam",
            9,
        ),
        mk(
            41,
            "5b1c0f3e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c",
            "FileSha256",
            "BlockAndRemediate",
            "Ransomware dropper invoice_viewer.exe",
            2,
        ),
        mk(
            44,
            "9e107d9d372bb6826bd81d3542a419d6",
            "FileMd5",
            "Audit",
            "Audit a suspicious installer",
            1,
        ),
    ]
}

impl Indicator {
    /// The MDE indicator entity (real captured key set).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "indicatorValue": self.value, "indicatorType": self.kind, "action": self.action,
            "createdBy": self.created_by, "severity": self.severity, "category": 1, "application": self.application,
            "educateUrl": null, "bypassDurationHours": null, "title": self.title, "description": self.description,
            "recommendedActions": self.recommended, "creationTimeDateTimeUtc": ts(self.created),
            "expirationTime": ts_opt(self.expiration), "lastUpdateTime": ts(self.updated), "lastUpdatedBy": self.updated_by,
            "rbacGroupNames": [], "rbacGroupIds": [], "notificationId": null, "notificationBody": null, "version": null,
            "mitreTechniques": [], "historicalDetection": false, "lookBackPeriod": null, "generateAlert": self.generate_alert,
            "additionalInfo": null, "createdByDisplayName": self.created_by, "externalId": null,
            "createdBySource": self.source, "certificateInfo": null,
        })
    }
}

/// Live-response library files: (name, description, has parameters, parameters description).
pub(crate) const LIBRARY: &[(&str, &str, bool, Option<&str>)] = &[
    (
        "Collect-Triage.ps1",
        "Collects event logs, prefetch and autoruns into a zip",
        true,
        Some("-OutFile <path> [-Full]"),
    ),
    (
        "Get-RunningProcesses.ps1",
        "Lists running processes with hashes and signers",
        false,
        None,
    ),
    (
        "Remove-ScheduledTask.ps1",
        "Removes a scheduled task by name",
        true,
        Some("-TaskName <name>"),
    ),
    (
        "collect_logs.sh",
        "Collects syslog and auth logs on Linux/macOS",
        false,
        None,
    ),
];

/// The library listing.
pub(crate) fn library_json(now: DateTime<Utc>) -> Vec<Value> {
    LIBRARY
        .iter()
        .enumerate()
        .map(|(i, (name, desc, has, pdesc))| {
            json!({"fileName": name, "sha256": format!("{:064x}", 0xabcdef_u64 * (i as u64 + 7)), "description": desc,
                   "creationTime": ts(now - Duration::days(90 - 10 * i as i64)), "lastUpdatedTime": ts(now - Duration::days(30 - 5 * i as i64)),
                   "createdBy": "itadmin@fabrikam.com", "hasParameters": has, "parametersDescription": pdesc})
        })
        .collect()
}
