//! The console's side of the write pipeline: runs each confirmed request through
//! `api::dispatch` (the one pipeline, shared with the headless CLI) in the background and
//! answers `Msg::ActionSent`; also where actions are recorded and tracked.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::api::Client;
use crate::api::calls::ActionRequest;
use crate::api::dispatch::{self, DispatchError, DuplicateSeen, Mode, Origin, Ran};
use crate::app::actions::SendResult;
use crate::app::{LoadError, Msg};
use crate::runtime::audit_sink::RuntimeAudit;
use crate::runtime::team::TeamGate;

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
    /// The tenant's profile refuses actions: passed into `api::dispatch`, so read-only holds
    /// even if the app layer let a request through.
    pub read_only: bool,
    /// The team's four-eyes step (`[team]` in the config): requests it holds are parked.
    pub team: Option<TeamGate>,
    /// The tenant's licence: a request outside it is refused before anything is written.
    pub plan: crate::api::plan::Plan,
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
            read_only: false,
            team: None,
            plan: crate::api::plan::Plan::default(),
        }
    }

    /// The same context with the team's approval step.
    pub fn with_team(mut self, team: Option<TeamGate>) -> Self {
        self.team = team;
        self
    }

    /// The same context for a tenant with this licence.
    pub fn plan(mut self, plan: crate::api::plan::Plan) -> Self {
        self.plan = plan;
        self
    }

    /// The same context for a read-only (or writable) tenant.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// `tracked-<profile>.json` in the data dir.
    pub(crate) fn tracked_path(&self) -> PathBuf {
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
    /// The runner's one tracking poller (see `tracker`), started by the first `track`.
    pub(crate) poller: Arc<std::sync::OnceLock<mpsc::UnboundedSender<String>>>,
    /// Orders the tracked list's writes, which run off the UI loop (see `tracker`).
    pub(crate) saves: Arc<crate::runtime::tracker::SaveOrder>,
}

impl ActionRunner {
    /// A runner reporting to `tx`.
    pub fn new(client: Client, tx: mpsc::UnboundedSender<Msg>, ctx: ActionContext) -> Self {
        ActionRunner {
            client,
            tx,
            ctx: Arc::new(ctx),
            poller: Arc::default(),
            saves: Arc::default(),
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

    /// Read each record of a triage change again and compare it with what the analyst saw
    /// (the CLI's comparison); answer `TriageRechecked { ticket }`.
    pub fn recheck(&self, ticket: u64, checks: Vec<crate::app::actions::recheck::Check>) {
        let r = self.clone();
        tokio::spawn(async move {
            let result = r.recheck_now(checks).await;
            let _ = r.tx.send(Msg::TriageRechecked { ticket, result });
        });
    }

    /// `recheck`, awaitable (for tests).
    pub async fn recheck_now(
        &self,
        checks: Vec<crate::app::actions::recheck::Check>,
    ) -> Result<Vec<(String, Vec<String>)>, String> {
        let mut out = Vec::new();
        for (entity, id, seen) in checks {
            let name = format!("{} {id}", entity.noun());
            let now = crate::api::calls::triage::current_view(&self.client, entity, &id)
                .await
                .map_err(|e| format!("{name}: {e}"))?;
            out.push((name, seen.changes_since(&now)));
        }
        Ok(out)
    }

    /// The pipeline (`api::dispatch`) with no confirmation step of its own: the console
    /// asked before sending. Awaitable, for tests.
    pub async fn execute(
        &self,
        req: &ActionRequest,
        targets: Vec<String>,
        dry_run: bool,
    ) -> SendResult {
        let mode = Mode {
            dry_run,
            // The app refuses writes on a read-only tenant before asking; the pipeline
            // refuses them again, whatever the app layer did.
            read_only: self.ctx.read_only,
            recover: true,
        };
        // Refusals that need no audit log come first (nothing is opened or written).
        if let Err(e) = dispatch::check(req, mode) {
            return send_result(e);
        }
        if let Err(reason) = crate::api::catalog::check_plan(self.ctx.plan, req) {
            return SendResult::Refused(reason);
        }
        let audit = match RuntimeAudit::open(&self.ctx.data_dir).await {
            Ok(a) => a,
            Err(e) => return SendResult::Refused(format!("cannot open the audit log: {e}")),
        };
        let origin = Origin {
            profile: self.ctx.profile.clone(),
            tenant: self.ctx.tenant.clone(),
            targets,
        };
        let gate = self
            .ctx
            .team
            .as_ref()
            .map(|g| g as &dyn dispatch::ApprovalGate);
        match dispatch::run_gated(&self.client, &audit, origin, req, mode, gate).await {
            Ok(Ran::DryRun(lines)) => SendResult::DryRun(lines),
            Ok(Ran::Held(h)) => SendResult::AwaitingApproval {
                request: h.request_id,
            },
            Ok(Ran::Sent(d)) => SendResult::Sent {
                id: d.action_id,
                status: d.status,
            },
            Err(e) => send_result(e),
        }
    }
}

/// The console's answer for each refusal or failure of the pipeline.
pub(crate) fn send_result(e: DispatchError) -> SendResult {
    match e {
        DispatchError::Invalid(m) => SendResult::Refused(m),
        DispatchError::Team(m) => SendResult::Refused(format!("{m}; no approval request was made")),
        DispatchError::ReadOnly | DispatchError::Audit(_) => SendResult::Refused(e.to_string()),
        DispatchError::Duplicate {
            id,
            status,
            seen: DuplicateSeen::Guard,
            ..
        } => SendResult::Duplicate { id, status },
        DispatchError::Duplicate { .. } => SendResult::AlreadyPending(e.to_string()),
        DispatchError::Send(e) if crate::api::plan::is_licence_refusal(&e) => {
            SendResult::Refused(crate::api::plan::licence_message(&e))
        }
        DispatchError::Lookup(e) | DispatchError::Send(e) => SendResult::Failed(load_error(&e)),
        DispatchError::Unknown { ref error, .. } => SendResult::Unknown(LoadError {
            text: e.to_string(),
            code: error.code().map(str::to_string),
            correlation_id: error.correlation_id().map(str::to_string),
        }),
    }
}

/// An API error as the console shows it.
pub(crate) fn load_error(e: &crate::api::ApiError) -> LoadError {
    LoadError {
        text: e.to_string(),
        code: e.code().map(str::to_string),
        correlation_id: e.correlation_id().map(str::to_string),
    }
}
