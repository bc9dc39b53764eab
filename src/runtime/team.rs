//! Four-eyes approvals at run time, shared by the headless CLI and the console:
//! - [`TeamGate`], the write pipeline's "needs approval → park in the team store" step;
//! - [`approve`], which lets the database pick the one approver that wins, then dispatches
//!   the parked request through the same pipeline (duplicate guard, audit intent, send once)
//!   under the approver's session and records the outcome on the request;
//! - [`reject`] and [`withdraw`].

use std::sync::Arc;

use futures::future::BoxFuture;
use serde_json::Value;

use crate::api::calls::ActionRequest;
use crate::api::dispatch::{self, ApprovalGate, AuditSink, DispatchError, Held, Mode, Origin};
use crate::api::{Client, Resource};
use crate::store::team::policy::kind_of;
use crate::store::team::{
    ApprovalPolicy, ApprovalRequest, AuditRow, Decision, Identity, NewRequest, TeamError,
    TeamStore, Verdict,
};
use crate::store::{Config, Profile};

/// The team settings of one session.
#[derive(Debug, Clone)]
pub struct TeamContext {
    /// `[team] store`.
    pub url: String,
    pub policy: ApprovalPolicy,
    /// The profile requests are filed from (shown in the queue).
    pub profile: String,
    /// The tenant id: the queue is the tenant's, shared by every profile pointing at it, and
    /// a request of another tenant is never decided or sent from this session.
    pub tenant: String,
    /// Who this process is in the team store: its OS login and, when signed in, its UPN.
    pub me: Identity,
    /// Wakes the console's queue reader now (after a decision, or a NOTIFY).
    pub wake: Arc<tokio::sync::Notify>,
}

/// The policy the demo tenant uses when the config has a `[team]` table (the demo has no
/// profile of its own): the example rules.
pub(crate) fn demo_policy() -> ApprovalPolicy {
    ApprovalPolicy {
        required: [
            "Isolate",
            "Offboard",
            "StopAndQuarantineFile",
            "LiveResponse",
            "Indicator",
        ]
        .map(String::from)
        .to_vec(),
        required_for_tags: vec!["Server".into(), "VIP".into()],
        expires_secs: crate::store::team::policy::DEFAULT_EXPIRES_SECS,
    }
}

impl TeamContext {
    /// The team settings of `profile` (`None` for the demo tenant) in tenant `tenant_id`, or
    /// `None` when the config has no `[team]` table. `signed_in` is the Entra user of a
    /// device-code session.
    pub(crate) fn from_config(
        cfg: &Config,
        profile_name: &str,
        profile: Option<&Profile>,
        tenant_id: &str,
        signed_in: Option<&str>,
    ) -> Result<Option<TeamContext>, TeamError> {
        let Some(team) = &cfg.team else {
            return Ok(None);
        };
        let policy = match profile {
            Some(p) => p.approval_policy(),
            None => demo_policy(),
        };
        Ok(Some(TeamContext {
            url: team.store.clone(),
            policy,
            profile: profile_name.to_string(),
            tenant: tenant_key(tenant_id),
            me: Identity::current(signed_in)?,
            wake: Arc::default(),
        }))
    }

    pub async fn open(&self) -> Result<TeamStore, TeamError> {
        TeamStore::open(&self.url).await
    }
}

/// A tenant id as the queue keys it (GUIDs and domains are case-insensitive).
pub fn tenant_key(tenant_id: &str) -> String {
    tenant_id.trim().to_ascii_lowercase()
}

/// The signed-in user of a session: the delegated (device-code) user's name, never an app.
pub(crate) fn signed_in_user(profile: Option<&Profile>, client: &Client) -> Option<String> {
    use crate::store::AuthMethod;
    let delegated = profile.is_some_and(|p| p.auth_method() == AuthMethod::DeviceCode);
    let op = client.operator();
    (delegated && op.contains('@')).then_some(op)
}

/// The pipeline's approval step for one session.
#[derive(Debug, Clone)]
pub struct TeamGate(pub Arc<TeamContext>);

impl TeamGate {
    pub fn new(ctx: TeamContext) -> TeamGate {
        TeamGate(Arc::new(ctx))
    }
}

/// Why the four-eyes gate could not decide or park a request (nothing was sent); each keeps
/// its cause for `source()`.
#[derive(Debug, thiserror::Error)]
pub(crate) enum GateError {
    /// The device's tags (for `approval_required_for_tags`) could not be read.
    #[error("cannot read the device's tags for the approval policy: {0}")]
    Tags(#[source] crate::api::ApiError),
    /// The request could not be written as the stored parameters.
    #[error("cannot encode the request for the team store: {0}")]
    Encode(#[from] serde_json::Error),
    /// The team store refused or could not be reached.
    #[error(transparent)]
    Store(#[from] TeamError),
}

/// The tags of the device `id` (for `approval_required_for_tags`).
async fn device_tags(client: &Client, id: &str) -> Result<Vec<String>, GateError> {
    let path = format!("machines/{}", crate::api::client::encode_query_value(id));
    let v: Value = client
        .get(Resource::Mde, &path)
        .await
        .map_err(GateError::Tags)?;
    Ok(v["machineTags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// What a request acts on: (id, name) for the queue.
fn target_of(req: &ActionRequest, targets: &[String]) -> (String, String) {
    let id = match req {
        ActionRequest::AddIndicator { indicator } => indicator.indicator_value.clone(),
        ActionRequest::DeleteIndicator { id } => id.clone(),
        ActionRequest::CancelAction { action_id, .. } => action_id.clone(),
        other => other.target_machine().unwrap_or_default().to_string(),
    };
    let name = targets
        .iter()
        .find(|t| **t != id)
        .cloned()
        .unwrap_or_else(|| id.clone());
    (id, name)
}

impl TeamGate {
    async fn needs(&self, client: &Client, req: &ActionRequest) -> Result<bool, GateError> {
        let policy = &self.0.policy;
        if policy.is_empty() {
            return Ok(false);
        }
        let tags = match req.target_machine() {
            Some(id)
                if !policy.required_for_tags.is_empty() && !policy.needs_approval(req, &[]) =>
            {
                device_tags(client, id).await?
            }
            _ => Vec::new(),
        };
        Ok(policy.needs_approval(req, &tags))
    }

    async fn park_inner(&self, req: &ActionRequest, targets: &[String]) -> Result<Held, GateError> {
        let ctx = &self.0;
        let parameters = serde_json::to_string(req)?;
        let (target_id, target_name) = target_of(req, targets);
        let new = NewRequest {
            profile: ctx.profile.clone(),
            tenant: ctx.tenant.clone(),
            kind: kind_of(req).to_string(),
            target_id,
            target_name,
            description: req.label().to_string(),
            parameters,
            comment: req.comment().unwrap_or_default().to_string(),
            requester: ctx.me.clone(),
            expires_in_secs: ctx.policy.expires_secs,
        };
        let store = ctx.open().await?;
        let row = store.request(new).await?;
        Ok(Held {
            request_id: row.id,
            summary: format!("{} {}", row.kind, row.target_name),
            json: serde_json::to_value(&row).unwrap_or_default(),
        })
    }
}

impl ApprovalGate for TeamGate {
    fn needs_approval<'a>(
        &'a self,
        client: &'a Client,
        req: &'a ActionRequest,
    ) -> BoxFuture<'a, Result<bool, dispatch::SinkError>> {
        Box::pin(async move { Ok(self.needs(client, req).await?) })
    }

    fn park<'a>(
        &'a self,
        req: &'a ActionRequest,
        targets: &'a [String],
    ) -> BoxFuture<'a, Result<Held, dispatch::SinkError>> {
        Box::pin(async move { Ok(self.park_inner(req, targets).await?) })
    }
}

/// Why an approval did not dispatch.
#[derive(Debug, thiserror::Error)]
pub enum ApproveError {
    /// The store refused (not found, own request, already decided, expired, unreachable).
    #[error(transparent)]
    Team(#[from] TeamError),
    /// Refused before anything was decided (other profile, read-only, unreadable request).
    #[error("{0}")]
    Refused(String),
    /// A dry run could not be audited: nothing was decided or sent.
    #[error(transparent)]
    Dispatch(#[from] DispatchError),
}

/// What an approval did.
#[derive(Debug)]
pub struct Approved {
    /// The request as decided.
    pub request: ApprovalRequest,
    /// The pipeline's answer: sent (with the service's answer) or why not.
    pub sent: Result<dispatch::Dispatched, DispatchError>,
    /// The outcome recorded on the request (`sent`, `not performed: …`, `failed: …`).
    pub outcome: String,
    /// Set when the outcome could not be written back to the store.
    pub record_error: Option<String>,
}

/// What [`approve`] did: a dry run leaves the request pending and shows what approving
/// would send; otherwise the request was decided (and dispatched, or why not).
#[derive(Debug)]
pub enum Approval {
    /// Dry run: nothing was decided or sent; the exact request approving would send.
    DryRun(Vec<String>),
    Done(Box<Approved>),
}

/// The parked request of `row`, refused (undecided) when this session cannot dispatch it or
/// when its parameters disagree with the columns the queue shows: anyone who can write the
/// store can write any of its columns, so what is shown and sent is derived from the
/// parameters, and the columns must agree with them.
pub(crate) fn parked_request(
    row: &ApprovalRequest,
    ctx: &TeamContext,
) -> Result<ActionRequest, ApproveError> {
    if tenant_key(&row.tenant) != ctx.tenant {
        return Err(ApproveError::Refused(format!(
            "request {} is for tenant {} (filed from profile '{}'), not this session's; \
             nothing was decided: use a profile of that tenant",
            row.id, row.tenant, row.profile
        )));
    }
    let req: ActionRequest = serde_json::from_str(&row.parameters).map_err(|e| {
        ApproveError::Refused(format!(
            "request {} cannot be read (written by another socops version, or altered): {e}; \
             nothing was decided",
            row.id
        ))
    })?;
    let kind = kind_of(&req);
    let (target_id, _) = target_of(&req, &[]);
    if kind != row.kind || target_id != row.target_id {
        return Err(ApproveError::Refused(format!(
            "request {} is inconsistent: it is listed as {} on {} but its parameters are {} on {}; \
             nothing was decided",
            row.id, row.kind, row.target_id, kind, target_id
        )));
    }
    Ok(req)
}

/// `Isolate device fin-lt-0142 (id 4b7e…)`: the parsed request's own label and target,
/// never the row's free-text columns.
pub(crate) fn request_summary(row: &ApprovalRequest, req: &ActionRequest) -> String {
    let (id, _) = target_of(req, &[]);
    let short = row
        .target_name
        .split('.')
        .next()
        .unwrap_or(&row.target_name);
    if short.is_empty() || short == id {
        format!("{} {id}", req.label())
    } else {
        format!("{} {short} (id {id})", req.label())
    }
}

/// What an approver asks for.
#[derive(Debug, Clone, Copy)]
pub struct ApproveArgs<'a> {
    /// The request exactly as it was shown to the approver: the store approves only when its
    /// parameters are still these.
    pub shown: &'a ApprovalRequest,
    pub comment: &'a str,
    pub read_only: bool,
    /// Show what approving would send; decide nothing.
    pub dry_run: bool,
}

/// Approve the request `args.shown` as `ctx.me` and dispatch it once through the pipeline.
/// The database decides which approver wins, and only while the request's parameters are
/// the ones shown; only the winner sends.
pub async fn approve(
    store: &TeamStore,
    client: &Client,
    audit: &dyn AuditSink,
    ctx: &TeamContext,
    args: ApproveArgs<'_>,
) -> Result<Approval, ApproveError> {
    let shown = args.shown;
    let id = shown.id;
    let req = parked_request(shown, ctx)?;
    let mode = Mode {
        dry_run: args.dry_run,
        read_only: args.read_only,
        recover: req.target_machine().is_some(),
    };
    // Refuse what this session could never send before deciding anything.
    dispatch::check(&req, mode).map_err(|e| ApproveError::Refused(e.to_string()))?;
    let origin = Origin {
        profile: ctx.profile.clone(),
        tenant: ctx.tenant.clone(),
        targets: vec![shown.target_id.clone(), shown.target_name.clone()],
    };
    if args.dry_run {
        return match dispatch::check(&req, mode)?
            .prepare(client, audit, origin)
            .await?
        {
            dispatch::Prepared::DryRun(lines) => Ok(Approval::DryRun(lines)),
            dispatch::Prepared::Ready(_) => Err(ApproveError::Refused("not a dry run".into())),
        };
    }
    store.expire().await?;
    let decided = store
        .decide(Decision {
            id,
            tenant: ctx.tenant.clone(),
            verdict: Verdict::Approve,
            by: ctx.me.clone(),
            comment: args.comment.to_string(),
            version: Some(shown.version),
            parameters: Some(shown.parameters.clone()),
        })
        .await?;
    let sent = match dispatch::check(&req, mode) {
        Ok(checked) => match checked.prepare(client, audit, origin).await {
            Ok(dispatch::Prepared::Ready(ready)) => ready.commit().await,
            Ok(dispatch::Prepared::DryRun(_)) => Err(DispatchError::Invalid("dry run".into())),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    let (outcome, action_id) = match &sent {
        Ok(d) => ("sent".to_string(), d.action_id.clone()),
        Err(DispatchError::Send(e)) => (format!("failed: {e}"), None),
        Err(e) => (format!("not performed: {e}"), None),
    };
    let mut record_error = store
        .record_outcome(id, &outcome, action_id.as_deref())
        .await
        .err()
        .map(|e| e.to_string());
    let detail = match &action_id {
        Some(a) => format!("{outcome}: machine action {a}"),
        None => outcome.clone(),
    };
    if let Err(e) = store
        .append_audit(AuditRow {
            request_id: id,
            actor: ctx.me.name().to_string(),
            event: String::from("dispatched"),
            detail,
        })
        .await
    {
        record_error.get_or_insert(e.to_string());
    }
    let request = store.get(id).await.ok().flatten().unwrap_or(decided);
    Ok(Approval::Done(Box::new(Approved {
        request,
        sent,
        outcome,
        record_error,
    })))
}

/// Reject request `id` as `ctx.me` with `comment` (required).
pub async fn reject(
    store: &TeamStore,
    ctx: &TeamContext,
    id: i64,
    comment: &str,
) -> Result<ApprovalRequest, ApproveError> {
    if comment.trim().is_empty() {
        return Err(ApproveError::Refused(
            "a rejection needs a comment: --comment \"why\"".into(),
        ));
    }
    store.expire().await?;
    Ok(store
        .decide(Decision {
            id,
            tenant: ctx.tenant.clone(),
            verdict: Verdict::Reject,
            by: ctx.me.clone(),
            comment: comment.to_string(),
            version: None,
            parameters: None,
        })
        .await?)
}

/// Withdraw request `id` (its requester only).
pub async fn withdraw(
    store: &TeamStore,
    ctx: &TeamContext,
    id: i64,
) -> Result<ApprovalRequest, ApproveError> {
    store.expire().await?;
    Ok(store.withdraw(id, ctx.me.name()).await?)
}
