//! The console's side of the team queue: a task that polls the team store every few seconds
//! and feeds the pending requests to the app (`Msg::TeamQueue`), and the approve/reject
//! commands, run in the background with their result as a toast.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::api::Client;
use crate::api::calls::ActionRequest;
use crate::app::Msg;
use crate::app::team::TeamRequest;
use crate::runtime::actions::ActionRunner;
use crate::runtime::team::{self, TeamContext, TeamGate};
use crate::store::audit::AuditLog;
use crate::store::team::{RequestState, TeamStore, now};
use crate::text::line;

/// How often the console reads the queue.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// One read of the queue: expire what is due, list this profile's pending requests with
/// the exact request each will send.
pub async fn read_queue(
    store: &TeamStore,
    ctx: &TeamContext,
    client: &Client,
) -> Result<Vec<TeamRequest>, String> {
    store.expire(now()).await.map_err(|e| e.to_string())?;
    let rows = store
        .list(Some(RequestState::Pending))
        .await
        .map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .filter(|r| r.profile == ctx.profile)
        .map(|row| {
            let request_lines = match serde_json::from_str::<ActionRequest>(&row.parameters) {
                Ok(req) => crate::api::dispatch::request_text(client, &req),
                Err(e) => vec![format!("(written by another socops version: {e})")],
            };
            TeamRequest { row, request_lines }
        })
        .collect())
}

/// Poll the store of `gate` until the app goes away.
pub fn spawn_poller(gate: TeamGate, client: Client, tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let ctx = gate.0.clone();
        let mut store: Option<TeamStore> = None;
        loop {
            if store.is_none() {
                store = ctx.open().await.ok();
            }
            let result = match &store {
                Some(st) => read_queue(st, &ctx, &client).await,
                None => Err("the team store is unreachable".to_string()),
            };
            if result.is_err() {
                // Reopen next time (a restarted server, a moved file).
                store = None;
            }
            let msg = Msg::TeamQueue {
                me: ctx.me.clone(),
                result: result.map_err(|e| line(&e).into_owned()),
            };
            if tx.send(msg).is_err() {
                return;
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    });
}

impl ActionRunner {
    fn team(&self) -> Option<TeamGate> {
        self.ctx.team.clone()
    }

    /// Approve `ids` one after the other, each dispatched once; one toast each.
    pub fn team_approve(&self, ids: Vec<i64>, comment: String) {
        let r = self.clone();
        tokio::spawn(async move {
            for id in ids {
                let text = r.approve_one(id, &comment).await;
                let _ = r.tx.send(Msg::Toast(text));
            }
        });
    }

    async fn approve_one(&self, id: i64, comment: &str) -> String {
        let Some(gate) = self.team() else {
            return "no team store for this tenant".into();
        };
        let ctx = &gate.0;
        let store = match ctx.open().await {
            Ok(s) => s,
            Err(e) => return format!("request {id}: {}; nothing was sent", line(&e.to_string())),
        };
        let audit = match AuditLog::open(&self.ctx.data_dir) {
            Ok(a) => a,
            Err(e) => return format!("request {id}: cannot open the audit log: {e}"),
        };
        // The request as the store holds it now: `approve` derives what it sends from its
        // parameters, refuses parameters that disagree with the columns the pane showed, and
        // the store approves only while the parameters are still these.
        let row = match store.get(id).await {
            Ok(Some(row)) => row,
            Ok(None) => return format!("request {id}: not found"),
            Err(e) => return format!("request {id}: {}; nothing was sent", line(&e.to_string())),
        };
        let args = team::ApproveArgs {
            shown: &row,
            comment,
            read_only: self.ctx.read_only,
            dry_run: false,
        };
        match team::approve(&store, &self.client, &audit, ctx, args).await {
            Ok(team::Approval::DryRun(_)) => format!("request {id}: dry run only; still pending"),
            Ok(team::Approval::Done(done)) => {
                let what = match team::parked_request(&done.request, ctx) {
                    Ok(req) => team::request_summary(&done.request, &req),
                    Err(_) => format!("{} {}", done.request.kind, done.request.target_name),
                };
                let mut text = match &done.sent {
                    Ok(d) => format!(
                        "request {id} approved: {what} sent{}",
                        d.action_id
                            .as_deref()
                            .map(|a| format!(" (action {a})"))
                            .unwrap_or_default()
                    ),
                    Err(e) => format!("request {id} approved, but {what}: {e}"),
                };
                if let Some(e) = &done.record_error {
                    text.push_str(&format!(
                        "; the team store could not record the outcome: {e}"
                    ));
                }
                line(&text).into_owned()
            }
            // The error names the request (and who won a race).
            Err(e) => line(&e.to_string()).into_owned(),
        }
    }

    /// Reject `id` with `comment`; one toast.
    pub fn team_reject(&self, id: i64, comment: String) {
        let r = self.clone();
        tokio::spawn(async move {
            let text = match r.team() {
                None => "no team store for this tenant".to_string(),
                Some(gate) => match gate.0.open().await {
                    Err(e) => format!("request {id}: {e}"),
                    Ok(store) => match team::reject(&store, &gate.0, id, &comment).await {
                        Ok(_) => format!("request {id} rejected"),
                        Err(e) => format!("request {id}: {e}"),
                    },
                },
            };
            let _ = r.tx.send(Msg::Toast(line(&text).into_owned()));
        });
    }
}
