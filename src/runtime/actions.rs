//! The console's write pipeline, the same safety as the headless CLI: validate, dry run
//! (audited as such), duplicate guard, audit intent BEFORE the request, send once, look the
//! action up after an ambiguous failure, audit outcome. Answers `Msg::ActionSent`.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::api::calls::ActionRequest;
use crate::api::{Client, guard};
use crate::app::actions::SendResult;
use crate::app::{LoadError, Msg};
use crate::store::audit::{AuditIntent, AuditLog};

/// Where and as whom actions are recorded.
#[derive(Debug, Clone)]
pub struct ActionContext {
    /// The data dir: `audit.jsonl`, `tracked-<profile>.json`, `downloads/`.
    pub data_dir: PathBuf,
    pub profile: String,
    pub tenant: String,
    /// First poll delay of a tracked action (doubles up to `poll_max`).
    pub poll_first: Duration,
    pub poll_max: Duration,
    /// Consecutive failed reads after which tracking stops (the id stays on disk).
    pub max_errors: u32,
}

impl ActionContext {
    /// Production polling: 2 s doubling to 30 s.
    pub fn new(data_dir: PathBuf, profile: String, tenant: String) -> Self {
        ActionContext {
            data_dir,
            profile,
            tenant,
            poll_first: Duration::from_secs(2),
            poll_max: Duration::from_secs(30),
            max_errors: 10,
        }
    }

    /// `tracked-<profile>.json` in the data dir.
    pub fn tracked_path(&self) -> PathBuf {
        self.data_dir.join(format!("tracked-{}.json", self.profile))
    }

    /// `downloads/` in the data dir.
    pub fn downloads(&self) -> PathBuf {
        self.data_dir.join("downloads")
    }
}

/// Runs writes, tracking and result fetching in the background.
#[derive(Clone)]
pub struct ActionRunner {
    pub(crate) client: Client,
    pub(crate) tx: mpsc::UnboundedSender<Msg>,
    pub(crate) ctx: Arc<ActionContext>,
}

impl ActionRunner {
    /// A runner reporting to `tx`.
    pub fn new(client: Client, tx: mpsc::UnboundedSender<Msg>, ctx: ActionContext) -> Self {
        ActionRunner {
            client,
            tx,
            ctx: Arc::new(ctx),
        }
    }

    /// Run `req` through the pipeline in the background; answer `ActionSent { ticket }`.
    pub fn send(&self, ticket: u64, req: ActionRequest, targets: Vec<String>, dry_run: bool) {
        let r = self.clone();
        tokio::spawn(async move {
            let result = r.execute(&req, targets, dry_run).await;
            let _ = r.tx.send(Msg::ActionSent { ticket, result });
        });
    }

    /// The pipeline itself (awaitable, for tests).
    pub async fn execute(
        &self,
        req: &ActionRequest,
        targets: Vec<String>,
        dry_run: bool,
    ) -> SendResult {
        if let Err(e) = req.validate() {
            return SendResult::Refused(e);
        }
        let audit = match AuditLog::open(&self.ctx.data_dir) {
            Ok(a) => a,
            Err(e) => return SendResult::Refused(format!("cannot open the audit log: {e}")),
        };
        let intent = AuditIntent {
            profile: self.ctx.profile.clone(),
            tenant: self.ctx.tenant.clone(),
            operator: self.client.operator(),
            action: req.label().to_string(),
            method: req.method().to_string(),
            path: req.path(),
            targets,
            comment: req.comment().unwrap_or_default().to_string(),
            dry_run,
        };
        if dry_run {
            if let Err(e) = audit.record_intent(&intent, Utc::now()) {
                return SendResult::Refused(format!("cannot write the audit log: {e}"));
            }
            return SendResult::DryRun(guard::request_text(&self.client, req));
        }
        match guard::pending_duplicate(&self.client, req).await {
            Ok(Some(v)) => {
                return SendResult::Duplicate {
                    id: v["id"].as_str().unwrap_or("?").to_string(),
                    status: v["status"].as_str().unwrap_or("pending").to_string(),
                };
            }
            Ok(None) => {}
            Err(e) => return SendResult::Failed(load_error(&e)),
        }
        let record = match audit.record_intent(&intent, Utc::now()) {
            Ok(id) => id,
            Err(e) => return SendResult::Refused(format!("cannot write the audit log: {e}")),
        };
        let result = guard::send_and_recover(&self.client, req).await;
        if let Err(e) = audit.record_outcome(&record, &guard::outcome_of(&result), Utc::now()) {
            tracing::error!("cannot write the audit outcome: {e}");
        }
        match result {
            Ok(raw) => {
                let v: Value = raw
                    .as_ref()
                    .and_then(|r| serde_json::from_str(r.get()).ok())
                    .unwrap_or_default();
                SendResult::Sent {
                    id: v["id"].as_str().map(str::to_string),
                    status: v["status"].as_str().map(str::to_string),
                }
            }
            Err(e) => SendResult::Failed(load_error(&e)),
        }
    }
}

/// An API error as the console shows it.
pub fn load_error(e: &crate::api::ApiError) -> LoadError {
    LoadError {
        text: e.to_string(),
        code: e.code().map(str::to_string),
        correlation_id: e.correlation_id().map(str::to_string),
    }
}
