//! The audit log: `<data dir>/audit.jsonl`, 0600, append-only JSON lines. Every write action
//! is recorded (and fsynced) as an `intent` before its request is sent and as an `outcome`
//! after, so a crash never loses the record of what was asked; portal hand-overs are
//! recorded as `handover`. The clock is a parameter so tests are deterministic.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::secure_file;
pub use crate::api::dispatch::{AuditIntent, AuditOutcome};
use crate::api::dispatch::{AuditSink, SinkError};
use crate::api::model::ActionStatus;

/// An action the operator was sent to the portal for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditHandover {
    pub profile: String,
    pub tenant: String,
    pub operator: String,
    pub action: String,
    pub url: String,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub comment: String,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AuditEntry {
    Intent {
        id: String,
        time: DateTime<Utc>,
        #[serde(flatten)]
        intent: AuditIntent,
    },
    Outcome {
        id: String,
        time: DateTime<Utc>,
        #[serde(flatten)]
        outcome: AuditOutcome,
    },
    Handover {
        id: String,
        time: DateTime<Utc>,
        #[serde(flatten)]
        handover: AuditHandover,
    },
}

impl AuditEntry {
    /// The record id (an intent and its outcome share it).
    pub fn id(&self) -> &str {
        match self {
            AuditEntry::Intent { id, .. }
            | AuditEntry::Outcome { id, .. }
            | AuditEntry::Handover { id, .. } => id,
        }
    }
}

/// The open audit log. Writes are serialised by a mutex; each line is written whole, then
/// fsynced.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Mutex<File>,
}

impl AuditLog {
    /// Open (create 0600) `<data_dir>/audit.jsonl` for appending. A torn last line left by a
    /// crash is closed with a newline so the next record starts on its own line.
    pub fn open(data_dir: &Path) -> Result<AuditLog, StoreError> {
        let path = data_dir.join("audit.jsonl");
        let mut file = secure_file::open_append_private(&path)?;
        let len = file
            .metadata()
            .map_err(|e| StoreError::io("read", &path, e))?
            .len();
        if len > 0 {
            let bytes = std::fs::read(&path).map_err(|e| StoreError::io("read", &path, e))?;
            if bytes.last() != Some(&b'\n') {
                file.write_all(b"\n")
                    .map_err(|e| StoreError::io("append to", &path, e))?;
            }
        }
        Ok(AuditLog {
            path,
            file: Mutex::new(file),
        })
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Record an intent, durable before returning; returns its new record id.
    pub fn record_intent(
        &self,
        intent: &AuditIntent,
        time: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        self.append(&AuditEntry::Intent {
            id: id.clone(),
            time,
            intent: intent.clone(),
        })?;
        Ok(id)
    }

    /// Record the outcome of the intent `id`.
    pub fn record_outcome(
        &self,
        id: &str,
        outcome: &AuditOutcome,
        time: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.append(&AuditEntry::Outcome {
            id: id.to_string(),
            time,
            outcome: outcome.clone(),
        })
    }

    /// Record the terminal status a tracked action reached, as one more outcome of the intent
    /// that sent it (found by the action id of its first outcome). Returns false, writing
    /// nothing, when no intent here sent that action (it came from the portal or another
    /// machine) or when its final status is already recorded.
    pub fn record_final_status(
        &self,
        action_id: &str,
        status: &ActionStatus,
        time: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut intent_id = None;
        for entry in self.read_entries()? {
            if let AuditEntry::Outcome { id, outcome, .. } = entry
                && outcome.action_id.as_deref() == Some(action_id)
            {
                if outcome.final_status.as_deref() == Some(status.as_str()) {
                    return Ok(false);
                }
                intent_id.get_or_insert(id);
            }
        }
        let Some(id) = intent_id else {
            return Ok(false);
        };
        let outcome = AuditOutcome {
            ok: *status == ActionStatus::Succeeded,
            status: None,
            action_id: Some(action_id.to_string()),
            final_status: Some(status.as_str().to_string()),
            error: None,
            outcome: Some(crate::api::dispatch::Outcome::Performed),
        };
        self.record_outcome(&id, &outcome, time)?;
        Ok(true)
    }

    /// Record a portal hand-over; returns its record id.
    pub fn record_handover(
        &self,
        handover: &AuditHandover,
        time: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().to_string();
        self.append(&AuditEntry::Handover {
            id: id.clone(),
            time,
            handover: handover.clone(),
        })?;
        Ok(id)
    }

    fn append(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut line = serde_json::to_vec(entry).map_err(|e| StoreError::Json {
            path: self.path.clone(),
            message: e.to_string(),
        })?;
        line.push(b'\n');
        // A poisoned lock only means another writer panicked; the file is still usable.
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(&line)
            .and_then(|_| f.sync_data())
            .map_err(|e| StoreError::io("append to", &self.path, e))
    }

    /// Every readable record, oldest first. Lines that do not parse (a torn write) are skipped.
    pub fn read_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        read_entries(&self.path)
    }
}

/// The dispatch pipeline's sink: records stamped with the wall clock; a failure is the
/// `StoreError` itself (with its IO cause), not its text.
impl AuditSink for AuditLog {
    fn record_intent(&self, intent: &AuditIntent) -> Result<String, SinkError> {
        Ok(AuditLog::record_intent(self, intent, Utc::now())?)
    }

    fn record_outcome(&self, id: &str, outcome: &AuditOutcome) -> Result<(), SinkError> {
        Ok(AuditLog::record_outcome(self, id, outcome, Utc::now())?)
    }
}

/// Read the records of an audit log file (see [`AuditLog::read_entries`]).
pub fn read_entries(path: &Path) -> Result<Vec<AuditEntry>, StoreError> {
    let text = match std::fs::read(path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io("read", path, e)),
    };
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}
