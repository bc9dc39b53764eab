//! The audit log as the write pipeline's sink inside the console's runtime. Every record is
//! appended with an fsync (`AuditLog` is durable before a request leaves), and the pipeline
//! runs on a runtime worker: an fsync there would stall the other tasks of that worker (loads,
//! tracking, the input reader) for as long as the disk takes. Opening goes to the blocking
//! pool and each append runs under `block_in_place`, which hands the worker's other tasks to
//! another thread while this one waits on the disk.

use std::path::Path;

use crate::api::dispatch::{AuditIntent, AuditOutcome, AuditSink, SinkError};
use crate::store::audit::AuditLog;

/// `AuditLog`, written without blocking a runtime worker.
pub(crate) struct RuntimeAudit(AuditLog);

impl RuntimeAudit {
    /// Open the audit log of `dir` on the blocking pool.
    pub(crate) async fn open(dir: &Path) -> Result<Self, String> {
        let dir = dir.to_path_buf();
        match tokio::task::spawn_blocking(move || AuditLog::open(&dir)).await {
            Ok(Ok(log)) => Ok(RuntimeAudit(log)),
            Ok(Err(e)) => Err(e.to_string()),
            Err(e) => Err(format!("the audit log's open did not finish: {e}")),
        }
    }
}

impl AuditSink for RuntimeAudit {
    fn record_intent(&self, intent: &AuditIntent) -> Result<String, SinkError> {
        off_worker(|| AuditSink::record_intent(&self.0, intent))
    }

    fn record_outcome(&self, id: &str, outcome: &AuditOutcome) -> Result<(), SinkError> {
        off_worker(|| AuditSink::record_outcome(&self.0, id, outcome))
    }
}

/// Run blocking `f` so the current runtime worker's other tasks keep running: under
/// `block_in_place` on a multi-threaded runtime (the console's); directly elsewhere (a
/// current-thread runtime has no other worker to hand them to, and outside a runtime there is
/// nothing to stall).
fn off_worker<R>(f: impl FnOnce() -> R) -> R {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => tokio::task::block_in_place(f),
        _ => f(),
    }
}
