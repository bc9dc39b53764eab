//! The audit log: `<data dir>/audit.jsonl`, 0600, append-only JSON lines. Every write action
//! is recorded (and fsynced) as an `intent` before its request is sent and as an `outcome`
//! after, so a crash never loses the record of what was asked; portal hand-overs are
//! recorded as `handover`. The clock is a parameter so tests are deterministic.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::ops::ControlFlow;
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
    /// crash is closed with a newline so the next record starts on its own line: only the
    /// last byte is read for that, never the whole log (it grows with every action).
    pub fn open(data_dir: &Path) -> Result<AuditLog, StoreError> {
        let path = data_dir.join("audit.jsonl");
        let mut file = secure_file::open_append_private(&path)?;
        let len = file
            .metadata()
            .map_err(|e| StoreError::io("read", &path, e))?
            .len();
        if len > 0 && last_byte(&path, len)? != b'\n' {
            file.write_all(b"\n")
                .map_err(|e| StoreError::io("append to", &path, e))?;
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
    ///
    /// The log is read backwards from its end and only as far as the intent that sent the
    /// action (every outcome of an action follows its intent), so following an action that
    /// was sent recently reads the tail, not the whole log.
    pub fn record_final_status(
        &self,
        action_id: &str,
        status: &ActionStatus,
        time: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut intent_id: Option<String> = None;
        let mut recorded = false;
        lines_backwards(&self.path, |line| {
            match serde_json::from_slice::<AuditEntry>(line) {
                Ok(AuditEntry::Outcome { id, outcome, .. })
                    if outcome.action_id.as_deref() == Some(action_id) =>
                {
                    if outcome.final_status.as_deref() == Some(status.as_str()) {
                        recorded = true;
                        return ControlFlow::Break(());
                    }
                    intent_id = Some(id);
                }
                // The intent of the action's outcomes: nothing older belongs to it.
                Ok(AuditEntry::Intent { id, .. }) if intent_id.as_deref() == Some(id.as_str()) => {
                    return ControlFlow::Break(());
                }
                _ => {}
            }
            ControlFlow::Continue(())
        })?;
        let (false, Some(id)) = (recorded, intent_id) else {
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

/// The last byte of the file at `path` (`len` bytes long).
fn last_byte(path: &Path, len: u64) -> Result<u8, StoreError> {
    let read = |e| StoreError::io("read", path, e);
    let mut f = File::open(path).map_err(read)?;
    f.seek(SeekFrom::Start(len - 1)).map_err(read)?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b).map_err(read)?;
    Ok(b[0])
}

/// How much of the log one backwards step reads.
const BLOCK: u64 = 64 * 1024;

/// Call `f` with each non-empty line of the file, newest first, reading it in blocks from
/// its end until `f` breaks (or the start is reached). A missing file has no lines.
fn lines_backwards(
    path: &Path,
    mut f: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> Result<(), StoreError> {
    let read = |e| StoreError::io("read", path, e);
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(read(e)),
    };
    let mut pos = file.metadata().map_err(read)?.len();
    // The start of a line whose end was read already (it began before `pos`).
    let mut rest: Vec<u8> = Vec::new();
    while pos > 0 {
        let start = pos.saturating_sub(BLOCK);
        let mut buf = vec![0u8; usize::try_from(pos - start).unwrap_or(0)];
        file.seek(SeekFrom::Start(start)).map_err(read)?;
        file.read_exact(&mut buf).map_err(read)?;
        buf.extend_from_slice(&rest);
        pos = start;
        // Before the first newline is the end of a line that began in an earlier block.
        let whole_from = match (pos, buf.iter().position(|b| *b == b'\n')) {
            (0, _) => 0,
            (_, Some(i)) => i + 1,
            (_, None) => {
                rest = buf;
                continue;
            }
        };
        for line in buf[whole_from..].rsplit(|b| *b == b'\n') {
            if !line.iter().all(u8::is_ascii_whitespace) && f(line).is_break() {
                return Ok(());
            }
        }
        buf.truncate(whole_from.saturating_sub(1));
        rest = buf;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn backwards(path: &Path) -> Vec<String> {
        let mut out = Vec::new();
        lines_backwards(path, |l| {
            out.push(String::from_utf8_lossy(l).into_owned());
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    #[test]
    fn lines_backwards_reads_every_line_newest_first_across_blocks() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("log");
        // Lines shorter than, equal to and longer than a block, and blank lines.
        let mut lines: Vec<String> = (0..3000).map(|i| format!("line {i}")).collect();
        lines.insert(7, "x".repeat(BLOCK as usize));
        lines.insert(1500, "y".repeat(3 * BLOCK as usize + 17));
        let text = lines.join("\n\n") + "\n";
        std::fs::write(&path, &text).unwrap();
        let mut want = lines.clone();
        want.reverse();
        assert_eq!(backwards(&path), want);
        // Without a final newline, the torn last line comes first.
        std::fs::write(&path, "a\nb\ntorn").unwrap();
        assert_eq!(backwards(&path), ["torn", "b", "a"]);
        assert!(backwards(&d.path().join("missing")).is_empty());
    }

    /// Bytes this thread has read from files so far (Linux's per-thread IO accounting).
    #[cfg(target_os = "linux")]
    fn bytes_read_by_this_thread() -> u64 {
        let io = std::fs::read_to_string("/proc/thread-self/io").unwrap();
        io.lines()
            .find_map(|l| l.strip_prefix("rchar: "))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// Appending to a long log reads its last byte and, for a final status, the records back
    /// to the action's intent: never the whole file. The log here starts with 64 MiB (sparse,
    /// so the test costs no disk); the whole open-append-final-status cycle reads under 1 MiB.
    #[cfg(target_os = "linux")]
    #[test]
    fn appending_to_a_long_log_does_not_read_it_whole() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("audit.jsonl");
        let old = 64 * 1024 * 1024;
        {
            let f = secure_file::open_append_private(&path).unwrap();
            f.set_len(old).unwrap();
        }
        let t = Utc::now();
        let before = bytes_read_by_this_thread();
        let log = AuditLog::open(d.path()).unwrap();
        let id = log.record_intent(&AuditIntent::default(), t).unwrap();
        let sent = AuditOutcome {
            ok: true,
            action_id: Some("act-1".into()),
            final_status: Some("Pending".into()),
            ..Default::default()
        };
        log.record_outcome(&id, &sent, t).unwrap();
        assert!(
            log.record_final_status("act-1", &ActionStatus::Succeeded, t)
                .unwrap()
        );
        assert!(
            !log.record_final_status("act-1", &ActionStatus::Succeeded, t)
                .unwrap(),
            "recorded once"
        );
        let read = bytes_read_by_this_thread() - before;
        assert!(read < 1024 * 1024, "read {read} bytes of a {old}-byte log");
        // The torn start (no newline before the first record) was closed with one.
        let entries = log.read_entries().unwrap();
        assert_eq!(entries.len(), 3);
    }
}
