//! The ONE write-safety pipeline: every `ActionRequest` the headless CLI or the console sends
//! goes through here, in this order, which the types below enforce:
//!
//! 1. [`check`] (no IO): validate the input, then refuse on a read-only session.
//! 2. The caller opens its [`AuditSink`] (the audit log on disk).
//! 3. [`Checked::prepare`]: on a dry run, audit the intent (marked `dry_run`) and return the
//!    exact request text instead of sending; otherwise refuse a duplicate of a pending
//!    machine action of the same type on the same device (when `Mode::recover`).
//!    Then [`Ready::gate`], the team's four-eyes policy ([`ApprovalGate`]): a request that
//!    needs a second analyst is audited as a request and parked in the team store instead
//!    of being sent; approving it later runs it through these same steps as the approver.
//! 4. The caller confirms (a terminal prompt in the CLI, a dialog before the console sends).
//! 5. [`Ready::commit`]: audit the intent, durable BEFORE the request leaves; send exactly
//!    once; after an ambiguous failure (timeout, broken connection, 5xx, unreadable answer)
//!    look the action up instead of resending (when `Mode::recover`); audit the outcome as
//!    [`Outcome::Performed`], [`Outcome::NotPerformed`] or [`Outcome::Unknown`] (with the
//!    command that checks it), never claiming more than is known.
//!
//! [`run`] chains the steps for a caller that has confirmed already (the console's dialog).
//! The network steps (`api::dispatch_steps`) and the transport's writes (`Client::post/patch/delete`)
//! are private to the api layer, so nothing else can send a change.
//!
//! A [`Ready`] can only be made by `prepare`, and a [`Checked`] only by `check`, so no caller
//! can send without the earlier steps. The records written are [`AuditIntent`] and
//! [`AuditOutcome`]; `store::audit::AuditLog` implements [`AuditSink`] (api knows no files).

use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::calls::{ActionOutcome, ActionRequest};
use crate::api::model::ActionStatus;
use crate::api::{ApiError, Client, dispatch_steps};

/// What is about to be sent (one line of the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditIntent {
    pub profile: String,
    pub tenant: String,
    pub operator: String,
    /// e.g. `isolate`, `run_av_scan`.
    pub action: String,
    pub method: String,
    pub path: String,
    /// Device ids or names.
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub dry_run: bool,
}

/// What became of a request, as far as socops knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The service accepted it (or it was found after an ambiguous failure).
    Performed,
    /// It was refused or never reached the service.
    NotPerformed,
    /// It may or may not have been performed: check before trying again.
    Unknown,
}

/// What came back (one line of the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditOutcome {
    pub ok: bool,
    /// HTTP status, when an answer came.
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub action_id: Option<String>,
    #[serde(default)]
    pub final_status: Option<String>,
    /// One line: Microsoft's code and correlation id. Never a token.
    #[serde(default)]
    pub error: Option<String>,
    /// Performed, not performed or unknown (absent in records of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
}

/// Why a sink (the audit log) or the approval gate (the team store) failed: the sink's own
/// error, kept whole so its cause (an IO error, a database error) stays reachable through
/// `source()` instead of becoming text early. api knows neither files nor databases.
pub type SinkError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Where the pipeline records intents and outcomes. `Sync` because the console runs the
/// pipeline on a background task.
pub trait AuditSink: Sync {
    /// Record `intent` durably; returns the record id its outcome will carry.
    fn record_intent(&self, intent: &AuditIntent) -> Result<String, SinkError>;
    /// Record the outcome of the intent `id`.
    fn record_outcome(&self, id: &str, outcome: &AuditOutcome) -> Result<(), SinkError>;
}

/// How a request is to be dispatched.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mode {
    /// Audit and show the request instead of sending it.
    pub dry_run: bool,
    /// The session may not change the tenant: refuse before anything is written.
    pub read_only: bool,
    /// A device action: refuse a pending duplicate, and look the action up after an
    /// ambiguous failure (never resend).
    pub recover: bool,
}

/// Who asks, and for which devices (recorded with the intent).
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub profile: String,
    pub tenant: String,
    /// Device ids or names.
    pub targets: Vec<String>,
}

/// Why a request was not sent, or failed.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    /// The input does not validate; nothing was written or sent.
    #[error("{0}")]
    Invalid(String),
    /// The session is read-only; nothing was written or sent.
    #[error("this session is read-only; nothing was sent")]
    ReadOnly,
    /// The audit intent could not be written; nothing was sent.
    #[error("cannot write the audit log: {0}")]
    Audit(#[source] SinkError),
    /// A machine action of the same type is already pending on the device: seen by the
    /// guard before sending, or answered by the service (see [`DuplicateSeen`]).
    #[error("{}", duplicate_text(id, action_type, status, *seen))]
    Duplicate {
        id: String,
        action_type: String,
        status: ActionStatus,
        seen: DuplicateSeen,
    },
    /// The duplicate guard could not read the device's machine actions; nothing was sent.
    #[error(transparent)]
    Lookup(ApiError),
    /// The request failed and was not performed (refused by the service, or it never
    /// reached it).
    #[error("not performed: {0}")]
    Send(ApiError),
    /// The request may have been performed (timeout, broken connection, 5xx, unreadable
    /// answer) and the look-up could not confirm it either way. `check` is the command that
    /// shows whether it was.
    #[error("outcome unknown ({error}; {detail}) — check with `{check}` before trying again")]
    Unknown {
        error: ApiError,
        detail: String,
        check: String,
    },
    /// The request needs approval and could not be parked (team store unreachable …):
    /// nothing was sent and no request was made.
    #[error("{0}; nothing was sent and no approval request was made")]
    Team(#[source] SinkError),
}

/// Who noticed that an action of the same type was already pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicateSeen {
    /// socops' guard, before anything was sent.
    Guard,
    /// The service refused the request with 400 `ActiveRequestAlreadyExists`.
    Refused,
    /// The service answered with the action that was already pending instead of a new one.
    Returned,
}

fn duplicate_text(id: &str, ty: &str, status: &ActionStatus, seen: DuplicateSeen) -> String {
    match seen {
        DuplicateSeen::Guard => format!("action {id} ({ty}) is already {status} on this device"),
        DuplicateSeen::Refused => format!(
            "not performed: the service refused it (ActiveRequestAlreadyExists): an action of this type ({ty}) is already {status} on this device: {id}"
        ),
        DuplicateSeen::Returned => format!(
            "no new action: the service answered with the {ty} action already {status} on this device: {id}"
        ),
    }
}

/// The error code with which the service refuses a second action of a pending type.
pub const ACTIVE_REQUEST_ALREADY_EXISTS: &str = "ActiveRequestAlreadyExists";

/// A request the team's four-eyes policy parked for a second analyst instead of sending.
#[derive(Debug, Clone)]
pub struct Held {
    /// Its number in the team store.
    pub request_id: i64,
    /// e.g. `Isolate ws-002.contoso.local`.
    pub summary: String,
    /// The stored request (`"state": "pending"`).
    pub json: Value,
}

/// The team's approval policy and queue (`runtime::team::TeamGate`): api knows no database.
pub trait ApprovalGate: Sync {
    /// Does `req` wait for a second analyst? (May read the device's tags.)
    fn needs_approval<'a>(
        &'a self,
        client: &'a Client,
        req: &'a ActionRequest,
    ) -> BoxFuture<'a, Result<bool, SinkError>>;
    /// Write `req` to the team store as a pending request.
    fn park<'a>(
        &'a self,
        req: &'a ActionRequest,
        targets: &'a [String],
    ) -> BoxFuture<'a, Result<Held, SinkError>>;
}

/// The result of [`Ready::gate`].
pub enum Gated<'a> {
    /// No approval needed: confirm, then commit.
    Send(Box<Ready<'a>>),
    /// Parked for a second analyst; nothing was sent.
    Held(Held),
}

/// What the service answered to a sent request.
#[derive(Debug)]
pub struct Dispatched {
    /// The answer verbatim (`None` for 204 No Content).
    pub raw: Option<Box<RawValue>>,
    /// The answer's `id`, e.g. the machine action id.
    pub action_id: Option<String>,
    /// The answer's `status`, e.g. `Pending`.
    pub status: Option<ActionStatus>,
    /// Set when the send failed ambiguously and the action was then found: the failure.
    pub recovered_from: Option<String>,
}

impl Dispatched {
    /// The answer typed as what `req` creates (machine action, indicator, …).
    pub fn outcome(&self, req: &ActionRequest) -> Result<ActionOutcome, ApiError> {
        ActionOutcome::decode(req, self.raw.as_deref().map(RawValue::get))
    }
}

/// What [`run`] did.
#[derive(Debug)]
pub enum Ran {
    /// Dry run: the intent was audited; the request that was not sent.
    DryRun(Vec<String>),
    /// Sent once; the service's answer.
    Sent(Dispatched),
    /// Parked for a second analyst by the team's policy; nothing was sent.
    Held(Held),
}

/// Every step for a caller whose confirmation came before (the console asks in its dialog
/// before the request reaches the runtime): check, prepare, commit.
pub async fn run(
    client: &Client,
    audit: &dyn AuditSink,
    origin: Origin,
    req: &ActionRequest,
    mode: Mode,
) -> Result<Ran, DispatchError> {
    run_gated(client, audit, origin, req, mode, None).await
}

/// [`run`] with the team's four-eyes step: a request the policy holds is parked
/// ([`Ran::Held`]) instead of sent.
pub async fn run_gated(
    client: &Client,
    audit: &dyn AuditSink,
    origin: Origin,
    req: &ActionRequest,
    mode: Mode,
    gate: Option<&dyn ApprovalGate>,
) -> Result<Ran, DispatchError> {
    match check(req, mode)?.prepare(client, audit, origin).await? {
        Prepared::DryRun(lines) => Ok(Ran::DryRun(lines)),
        Prepared::Ready(ready) => match ready.gate(gate).await? {
            Gated::Send(ready) => ready.commit().await.map(Ran::Sent),
            Gated::Held(held) => Ok(Ran::Held(held)),
        },
    }
}

/// The exact request as text lines (method, URL, headers with the token elided, body): what
/// a dry run shows, and what an approver reads before approving a parked request.
pub fn request_text(client: &Client, req: &ActionRequest) -> Vec<String> {
    dispatch_steps::request_text(client, req)
}

/// Step 1: validate and refuse on a read-only session (no IO).
pub fn check(req: &ActionRequest, mode: Mode) -> Result<Checked<'_>, DispatchError> {
    req.validate().map_err(DispatchError::Invalid)?;
    if mode.read_only {
        return Err(DispatchError::ReadOnly);
    }
    Ok(Checked { req, mode })
}

/// A request that validated on a session allowed to write.
#[derive(Debug)]
pub struct Checked<'a> {
    req: &'a ActionRequest,
    mode: Mode,
}

/// The result of [`Checked::prepare`].
pub enum Prepared<'a> {
    /// Dry run: the intent was audited; these lines are the request that was not sent.
    DryRun(Vec<String>),
    /// Ready to send once the caller has confirmed.
    Ready(Box<Ready<'a>>),
}

impl<'a> Checked<'a> {
    /// Step 3: dry run (audited) or the duplicate guard.
    pub async fn prepare(
        self,
        client: &'a Client,
        audit: &'a dyn AuditSink,
        origin: Origin,
    ) -> Result<Prepared<'a>, DispatchError> {
        let req = self.req;
        let intent = AuditIntent {
            profile: origin.profile,
            tenant: origin.tenant,
            operator: client.operator(),
            action: req.label().to_string(),
            method: req.method().to_string(),
            path: req.path(),
            targets: if origin.targets.is_empty() {
                req.audit_targets()
            } else {
                origin.targets
            },
            comment: req.audit_note(),
            dry_run: self.mode.dry_run,
        };
        if self.mode.dry_run {
            audit.record_intent(&intent).map_err(DispatchError::Audit)?;
            return Ok(Prepared::DryRun(dispatch_steps::request_text(client, req)));
        }
        if self.mode.recover
            && let Some(ty) = req.expected_action_type()
            && let Some(v) = dispatch_steps::pending_duplicate(client, req)
                .await
                .map_err(DispatchError::Lookup)?
        {
            return Err(DispatchError::Duplicate {
                id: v["id"].as_str().unwrap_or("?").to_string(),
                action_type: ty.to_string(),
                status: pending_status(&v),
                seen: DuplicateSeen::Guard,
            });
        }
        Ok(Prepared::Ready(Box::new(Ready {
            req,
            client,
            audit,
            intent,
            recover: self.mode.recover,
        })))
    }
}

/// A request past the duplicate guard; [`Ready::commit`] sends it.
pub struct Ready<'a> {
    req: &'a ActionRequest,
    client: &'a Client,
    audit: &'a dyn AuditSink,
    intent: AuditIntent,
    recover: bool,
}

impl<'a> Ready<'a> {
    /// Step 3b: needs approval → park. Audits "Request approval: …" before writing the
    /// request to the team store and its request number after; a store that cannot be
    /// reached is an error (nothing sent, nothing parked). No gate: unchanged.
    pub async fn gate(
        self: Box<Self>,
        gate: Option<&dyn ApprovalGate>,
    ) -> Result<Gated<'a>, DispatchError> {
        let Some(gate) = gate else {
            return Ok(Gated::Send(self));
        };
        if !gate
            .needs_approval(self.client, self.req)
            .await
            .map_err(DispatchError::Team)?
        {
            return Ok(Gated::Send(self));
        }
        let mut intent = self.intent.clone();
        intent.action = format!("Request approval: {}", intent.action);
        let record = self
            .audit
            .record_intent(&intent)
            .map_err(DispatchError::Audit)?;
        let parked = gate.park(self.req, &self.intent.targets).await;
        let outcome = match &parked {
            Ok(h) => AuditOutcome {
                ok: true,
                final_status: Some(format!("AwaitingApproval (request {})", h.request_id)),
                ..Default::default()
            },
            Err(e) => AuditOutcome {
                ok: false,
                error: Some(format!("not performed: {e}")),
                ..Default::default()
            },
        };
        if let Err(e) = self.audit.record_outcome(&record, &outcome) {
            tracing::error!("cannot write the audit outcome: {e}");
        }
        parked.map(Gated::Held).map_err(DispatchError::Team)
    }

    /// Step 5: audit the intent, send once (recovering after an ambiguous failure when
    /// asked), audit the outcome. A failed outcome write is logged, not returned: the
    /// request has been sent by then and its answer matters more.
    pub async fn commit(self) -> Result<Dispatched, DispatchError> {
        let record = self
            .audit
            .record_intent(&self.intent)
            .map_err(DispatchError::Audit)?;
        let began = std::time::Instant::now();
        let result = match dispatch_steps::send_once(self.client, self.req).await {
            Ok(raw) => self.answered(raw, began),
            Err(e) if e.is_ambiguous() => self.settle_ambiguous(e, began).await,
            Err(e) if e.code() == Some(ACTIVE_REQUEST_ALREADY_EXISTS) => {
                Err(self.already_pending(e).await)
            }
            Err(e) => Err(DispatchError::Send(e)),
        };
        let outcome = match &result {
            Ok(d) => AuditOutcome {
                ok: true,
                status: None,
                action_id: d.action_id.clone(),
                final_status: d.status.as_ref().map(|s| s.to_string()),
                error: d.recovered_from.clone(),
                outcome: Some(Outcome::Performed),
            },
            Err(e) => AuditOutcome {
                ok: false,
                status: match e {
                    DispatchError::Send(a) | DispatchError::Unknown { error: a, .. } => a.status(),
                    _ => None,
                },
                error: Some(e.to_string()),
                outcome: Some(match e {
                    DispatchError::Unknown { .. } => Outcome::Unknown,
                    _ => Outcome::NotPerformed,
                }),
                ..Default::default()
            },
        };
        if let Err(e) = self.audit.record_outcome(&record, &outcome) {
            tracing::error!("cannot write the audit outcome: {e}");
        }
        result
    }

    /// A 2xx answer. For a machine action, an action created before this request was sent
    /// is the one that was already pending (the service answers a duplicate with it): no
    /// new action was created, and socops says so with its id.
    fn answered(
        &self,
        raw: Option<Box<RawValue>>,
        began: std::time::Instant,
    ) -> Result<Dispatched, DispatchError> {
        let d = dispatched(raw, None);
        if let Some(ty) = self.req.expected_action_type()
            && let Some(v) = d
                .raw
                .as_deref()
                .and_then(|r| serde_json::from_str(r.get()).ok())
            && dispatch_steps::predates_send(self.client, self.req, &v, began)
        {
            return Err(DispatchError::Duplicate {
                id: d.action_id.clone().unwrap_or_else(|| "?".into()),
                action_type: ty.to_string(),
                status: d.status.clone().unwrap_or(ActionStatus::Pending),
                seen: DuplicateSeen::Returned,
            });
        }
        Ok(d)
    }

    /// The service refused the request because an action of its type is pending (decided by
    /// the error code, never by the message). With `recover`, the pending action is looked
    /// up so its id can be named; the refusal stands either way.
    async fn already_pending(&self, e: ApiError) -> DispatchError {
        tracing::info!("refused as a duplicate: {e}");
        let ty = self
            .req
            .expected_action_type()
            .map(|t| t.to_string())
            .unwrap_or_else(|| self.req.label().to_string());
        let found = if self.recover {
            dispatch_steps::pending_duplicate(self.client, self.req)
                .await
                .ok()
                .flatten()
        } else {
            None
        };
        match found {
            Some(v) => DispatchError::Duplicate {
                id: v["id"].as_str().unwrap_or("?").to_string(),
                action_type: ty,
                status: pending_status(&v),
                seen: DuplicateSeen::Refused,
            },
            None => DispatchError::Duplicate {
                id: format!("see `{}`", check_command(self.req)),
                action_type: ty,
                status: ActionStatus::Pending,
                seen: DuplicateSeen::Refused,
            },
        }
    }

    /// The send failed in a way that may have performed it. With `recover`, look the action
    /// up (never resend): found = performed; otherwise unknown, with the command to check.
    /// Without `recover`, nothing is looked up: unknown.
    async fn settle_ambiguous(
        &self,
        error: ApiError,
        began: std::time::Instant,
    ) -> Result<Dispatched, DispatchError> {
        let check = check_command(self.req);
        if !self.recover {
            return Err(DispatchError::Unknown {
                error,
                detail: String::from("it may have been performed"),
                check,
            });
        }
        match dispatch_steps::look_up_after_failure(self.client, self.req, began).await {
            dispatch_steps::Recovery::Found(v) => {
                tracing::warn!(
                    "ambiguous failure ({error}); the action was found: {}",
                    v["id"]
                );
                let raw = RawValue::from_string(v.to_string()).ok();
                Ok(dispatched(raw, Some(error.to_string())))
            }
            dispatch_steps::Recovery::NotFound => Err(DispatchError::Unknown {
                error,
                detail: String::from(
                    "the service lists no new action of this type on the device yet",
                ),
                check,
            }),
            dispatch_steps::Recovery::Undecided(why) => Err(DispatchError::Unknown {
                error,
                detail: why,
                check,
            }),
        }
    }
}

/// The `Dispatched` of an answer body.
fn dispatched(raw: Option<Box<RawValue>>, recovered_from: Option<String>) -> Dispatched {
    let v: Value = raw
        .as_ref()
        .and_then(|r| serde_json::from_str(r.get()).ok())
        .unwrap_or_default();
    Dispatched {
        action_id: v["id"].as_str().map(str::to_string),
        status: v["status"].as_str().map(ActionStatus::parse),
        raw,
        recovered_from,
    }
}

/// The status of the pending action a duplicate names (`Pending` when it carries none).
fn pending_status(v: &Value) -> ActionStatus {
    v["status"]
        .as_str()
        .map_or(ActionStatus::Pending, ActionStatus::parse)
}

/// The headless command that shows whether `req` was performed.
pub fn check_command(req: &ActionRequest) -> String {
    match req {
        ActionRequest::CancelAction { action_id, .. } => format!("socops action {action_id} show"),
        ActionRequest::AddIndicator { .. } | ActionRequest::DeleteIndicator { .. } => {
            String::from("socops indicators list")
        }
        _ => match req.target_machine() {
            Some(m) => format!("socops actions list --device {m}"),
            None => String::from("socops actions list"),
        },
    }
}
