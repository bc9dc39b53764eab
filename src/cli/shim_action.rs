//! Stand-in for `api::calls::ActionRequest` and `store::audit` until those branches merge:
//! the method, path and exact body casing of every write the CLI sends, and the audit log.

use serde_json::{Value, json};

/// A write request against the Defender API.
#[derive(Debug, Clone)]
pub enum ActionRequest {
    RunAntiVirusScan {
        machine_id: String,
        comment: String,
        full: bool,
    },
    Isolate {
        machine_id: String,
        comment: String,
        selective: bool,
    },
    Unisolate {
        machine_id: String,
        comment: String,
    },
    RestrictCodeExecution {
        machine_id: String,
        comment: String,
    },
    UnrestrictCodeExecution {
        machine_id: String,
        comment: String,
    },
    CollectInvestigationPackage {
        machine_id: String,
        comment: String,
    },
    StopAndQuarantineFile {
        machine_id: String,
        comment: String,
        sha1: String,
    },
    StartInvestigation {
        machine_id: String,
        comment: String,
    },
    RunLiveResponse {
        machine_id: String,
        comment: String,
        commands: Value,
    },
    CancelAction {
        action_id: String,
        comment: String,
    },
    AddIndicator {
        body: Value,
    },
    DeleteIndicator {
        id: String,
    },
}

use ActionRequest as A;

impl ActionRequest {
    pub fn method(&self) -> &'static str {
        match self {
            A::DeleteIndicator { .. } => "DELETE",
            _ => "POST",
        }
    }

    pub fn path(&self) -> String {
        match self {
            A::RunAntiVirusScan { machine_id, .. } => {
                format!("machines/{machine_id}/runAntiVirusScan")
            }
            A::Isolate { machine_id, .. } => format!("machines/{machine_id}/isolate"),
            A::Unisolate { machine_id, .. } => format!("machines/{machine_id}/unisolate"),
            A::RestrictCodeExecution { machine_id, .. } => {
                format!("machines/{machine_id}/restrictCodeExecution")
            }
            A::UnrestrictCodeExecution { machine_id, .. } => {
                format!("machines/{machine_id}/unrestrictCodeExecution")
            }
            A::CollectInvestigationPackage { machine_id, .. } => {
                format!("machines/{machine_id}/collectInvestigationPackage")
            }
            A::StopAndQuarantineFile { machine_id, .. } => {
                format!("machines/{machine_id}/StopAndQuarantineFile")
            }
            A::StartInvestigation { machine_id, .. } => {
                format!("machines/{machine_id}/startInvestigation")
            }
            A::RunLiveResponse { machine_id, .. } => {
                format!("machines/{machine_id}/runliveresponse")
            }
            A::CancelAction { action_id, .. } => format!("machineactions/{action_id}/cancel"),
            A::AddIndicator { .. } => "indicators".to_string(),
            A::DeleteIndicator { id } => format!("indicators/{id}"),
        }
    }

    /// The JSON body (PascalCase keys for machine actions, camelCase for indicators).
    pub fn body(&self) -> Option<Value> {
        Some(match self {
            A::RunAntiVirusScan { comment, full, .. } => json!({
                "Comment": comment, "ScanType": if *full { "Full" } else { "Quick" }
            }),
            A::Isolate {
                comment, selective, ..
            } => json!({
                "Comment": comment, "IsolationType": if *selective { "Selective" } else { "Full" }
            }),
            A::StopAndQuarantineFile { comment, sha1, .. } => {
                json!({"Comment": comment, "Sha1": sha1})
            }
            A::RunLiveResponse {
                comment, commands, ..
            } => {
                json!({"Commands": commands, "Comment": comment})
            }
            A::Unisolate { comment, .. }
            | A::RestrictCodeExecution { comment, .. }
            | A::UnrestrictCodeExecution { comment, .. }
            | A::CollectInvestigationPackage { comment, .. }
            | A::StartInvestigation { comment, .. }
            | A::CancelAction { comment, .. } => json!({"Comment": comment}),
            A::AddIndicator { body } => body.clone(),
            A::DeleteIndicator { .. } => return None,
        })
    }

    /// Short human name, e.g. `Isolate`.
    pub fn label(&self) -> &'static str {
        match self {
            A::RunAntiVirusScan { .. } => "Antivirus scan",
            A::Isolate { .. } => "Isolate",
            A::Unisolate { .. } => "Release from isolation",
            A::RestrictCodeExecution { .. } => "Restrict app execution",
            A::UnrestrictCodeExecution { .. } => "Remove app restriction",
            A::CollectInvestigationPackage { .. } => "Collect investigation package",
            A::StopAndQuarantineFile { .. } => "Stop and quarantine file",
            A::StartInvestigation { .. } => "Automated investigation",
            A::RunLiveResponse { .. } => "Live response",
            A::CancelAction { .. } => "Cancel action",
            A::AddIndicator { .. } => "Add indicator",
            A::DeleteIndicator { .. } => "Delete indicator",
        }
    }

    /// The machine action `type` the request creates (for the duplicate guard).
    pub fn expected_action_type(&self) -> Option<&'static str> {
        Some(match self {
            A::RunAntiVirusScan { .. } => "RunAntiVirusScan",
            A::Isolate { .. } => "Isolate",
            A::Unisolate { .. } => "Unisolate",
            A::RestrictCodeExecution { .. } => "RestrictCodeExecution",
            A::UnrestrictCodeExecution { .. } => "UnrestrictCodeExecution",
            A::CollectInvestigationPackage { .. } => "CollectInvestigationPackage",
            A::StopAndQuarantineFile { .. } => "StopAndQuarantineFile",
            A::RunLiveResponse { .. } => "LiveResponse",
            _ => return None,
        })
    }

    /// Whether the action disrupts the user of the device.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            A::Isolate { .. }
                | A::RestrictCodeExecution { .. }
                | A::StopAndQuarantineFile { .. }
                | A::RunLiveResponse { .. }
                | A::DeleteIndicator { .. }
        )
    }

    /// Check the input before anything is sent.
    pub fn validate(&self) -> Result<(), String> {
        let comment = match self {
            A::RunAntiVirusScan { comment, .. }
            | A::Isolate { comment, .. }
            | A::Unisolate { comment, .. }
            | A::RestrictCodeExecution { comment, .. }
            | A::UnrestrictCodeExecution { comment, .. }
            | A::CollectInvestigationPackage { comment, .. }
            | A::StopAndQuarantineFile { comment, .. }
            | A::StartInvestigation { comment, .. }
            | A::RunLiveResponse { comment, .. }
            | A::CancelAction { comment, .. } => Some(comment),
            _ => None,
        };
        if comment.is_some_and(|c| c.trim().is_empty()) {
            return Err("a comment is required (--comment)".into());
        }
        if let A::StopAndQuarantineFile { sha1, .. } = self
            && !is_hex(sha1, 40)
        {
            return Err(format!("'{sha1}' is not a SHA-1 (40 hex digits)"));
        }
        Ok(())
    }
}

/// True when `s` is exactly `len` hex digits.
pub fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What is about to be sent (mirrors `store::audit::AuditIntent`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AuditIntent {
    pub profile: String,
    pub tenant: String,
    pub operator: String,
    pub action: String,
    pub method: String,
    pub path: String,
    pub targets: Vec<String>,
    pub comment: String,
    pub dry_run: bool,
}

/// What came back (mirrors `store::audit::AuditOutcome`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct AuditOutcome {
    pub ok: bool,
    pub status: Option<u16>,
    pub action_id: Option<String>,
    pub final_status: Option<String>,
    pub error: Option<String>,
}

/// The audit log (mirrors `store::audit::AuditLog`): JSON lines, 0600.
pub struct AuditLog {
    path: std::path::PathBuf,
}

impl AuditLog {
    pub fn open(data_dir: &std::path::Path) -> std::io::Result<AuditLog> {
        std::fs::create_dir_all(data_dir)?;
        Ok(AuditLog {
            path: data_dir.join("audit.jsonl"),
        })
    }

    fn append(&self, v: Value) -> std::io::Result<()> {
        use std::io::Write;
        let mut o = std::fs::OpenOptions::new();
        o.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        let mut f = o.open(&self.path)?;
        let mut line = v.to_string();
        line.push('\n');
        f.write_all(line.as_bytes())?;
        f.sync_data()
    }

    pub fn record_intent(
        &self,
        intent: &AuditIntent,
        time: chrono::DateTime<chrono::Utc>,
    ) -> std::io::Result<String> {
        let id = uuid::Uuid::new_v4().to_string();
        let mut v = serde_json::to_value(intent).map_err(std::io::Error::other)?;
        v["kind"] = json!("intent");
        v["id"] = json!(id);
        v["time"] = json!(time);
        self.append(v)?;
        Ok(id)
    }

    pub fn record_outcome(
        &self,
        id: &str,
        outcome: &AuditOutcome,
        time: chrono::DateTime<chrono::Utc>,
    ) -> std::io::Result<()> {
        let mut v = serde_json::to_value(outcome).map_err(std::io::Error::other)?;
        v["kind"] = json!("outcome");
        v["id"] = json!(id);
        v["time"] = json!(time);
        self.append(v)
    }

    pub fn read_entries(&self) -> std::io::Result<Vec<Value>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect())
    }
}
