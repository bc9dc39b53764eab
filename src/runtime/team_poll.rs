//! The console's side of the team queue: a task that reads the team store every few seconds
//! (and at once when woken: after a decision, or on PostgreSQL when the database notifies a
//! change through LISTEN/NOTIFY) and feeds this tenant's pending requests to the app (`Msg::TeamQueue`), and the
//! approve/reject commands, run in the background. Each approval answers `ActionSent` for
//! the ticket the app gave it, so an approved action joins the action tracker.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::api::Client;
use crate::api::calls::ActionRequest;
use crate::app::Msg;
use crate::app::actions::SendResult;
use crate::app::actions::approvals::TeamRequest;
use crate::runtime::actions::ActionRunner;
use crate::runtime::audit_sink::RuntimeAudit;
use crate::runtime::team::{self, ApproveError, TeamContext, TeamGate};
use crate::store::team::{ApprovalRequest, RequestState, TeamStore};
use crate::text::line;

/// How often the console reads the queue when nothing wakes it.
pub(crate) const POLL_EVERY: Duration = Duration::from_secs(5);

/// One read of the queue: expire what is due, list this tenant's pending requests with the
/// exact request each will send and whether this analyst made it.
pub(crate) async fn read_queue(
    store: &TeamStore,
    ctx: &TeamContext,
    client: &Client,
) -> Result<Vec<TeamRequest>, String> {
    store.expire().await.map_err(|e| e.to_string())?;
    let rows = store
        .list(Some(RequestState::Pending), Some(&ctx.tenant))
        .await
        .map_err(|e| e.to_string())?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let request_lines = match serde_json::from_str::<ActionRequest>(&row.parameters) {
                Ok(req) => crate::api::dispatch::request_text(client, &req),
                Err(e) => vec![format!("(written by another socops version: {e})")],
            };
            let own = ctx.me.made(&row);
            TeamRequest {
                row,
                request_lines,
                own,
            }
        })
        .collect())
}

/// Read the store of `gate` every [`POLL_EVERY`], or sooner when woken, until the app goes
/// away.
pub(crate) fn spawn_poller(gate: TeamGate, client: Client, tx: mpsc::UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let ctx = gate.0.clone();
        let mut store: Option<TeamStore> = None;
        let mut listener: Option<tokio::task::JoinHandle<()>> = None;
        loop {
            if store.is_none() {
                store = ctx.open().await.ok();
            }
            // On PostgreSQL a NOTIFY wakes the reader at once; polling stays the fallback.
            if let Some(st) = &store
                && listener.as_ref().is_none_or(|l| l.is_finished())
            {
                listener = st.watch(ctx.wake.clone()).await;
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
                me: ctx.me.name().to_string(),
                result: result.map_err(|e| line(&e).into_owned()),
            };
            if tx.send(msg).is_err() {
                if let Some(l) = listener {
                    l.abort();
                }
                return;
            }
            tokio::select! {
                _ = tokio::time::sleep(POLL_EVERY) => {}
                _ = ctx.wake.notified() => {}
            }
        }
    });
}

/// What the console shows for an approval the store or this session refused: nothing was
/// decided or sent.
fn refused(id: i64, e: &ApproveError) -> SendResult {
    SendResult::Refused(line(&format!("request {id}: {e}")).into_owned())
}

impl ActionRunner {
    fn team(&self) -> Option<TeamGate> {
        self.ctx.team.clone()
    }

    /// Approve each `(ticket, row as shown)` one after the other, each dispatched once; one
    /// `ActionSent` per ticket. The queue is re-read afterwards, so a request that changed
    /// or was decided elsewhere shows as it now is.
    pub fn team_approve(&self, items: Vec<(u64, ApprovalRequest)>, comment: String) {
        let r = self.clone();
        tokio::spawn(async move {
            for (ticket, shown) in items {
                let result = r.approve_shown(&shown, &comment).await;
                let _ = r.tx.send(Msg::ActionSent { ticket, result });
            }
            if let Some(gate) = r.team() {
                gate.0.wake.notify_one();
            }
        });
    }

    /// Approve the request exactly as `shown`: the store approves it only while its version
    /// and parameters are still the ones shown, so a request changed since is refused.
    pub async fn approve_shown(&self, shown: &ApprovalRequest, comment: &str) -> SendResult {
        let id = shown.id;
        let Some(gate) = self.team() else {
            return SendResult::Refused("no team store for this tenant".into());
        };
        let ctx = &gate.0;
        let store = match ctx.open().await {
            Ok(s) => s,
            Err(e) => return refused(id, &ApproveError::Team(e)),
        };
        let audit = match RuntimeAudit::open(&self.ctx.data_dir).await {
            Ok(a) => a,
            Err(e) => return SendResult::Refused(format!("cannot open the audit log: {e}")),
        };
        let args = team::ApproveArgs {
            shown,
            comment,
            read_only: self.ctx.read_only,
            dry_run: false,
        };
        match team::approve(&store, &self.client, &audit, ctx, args).await {
            Ok(team::Approval::DryRun(_)) => {
                SendResult::Refused(format!("request {id}: dry run only; still pending"))
            }
            Ok(team::Approval::Done(done)) => {
                let text = format!("request {id} approved by you");
                let _ = self.tx.send(Msg::Toast(text));
                if let Some(e) = &done.record_error {
                    let text = format!(
                        "request {id}: the team store could not record the outcome: {}",
                        line(e)
                    );
                    let _ = self.tx.send(Msg::Toast(text));
                }
                match done.sent {
                    Ok(d) => SendResult::Sent {
                        id: d.action_id,
                        status: d.status,
                    },
                    Err(e) => crate::runtime::actions::send_result(e),
                }
            }
            Err(e) => refused(id, &e),
        }
    }

    /// Reject `id` with `comment`; one toast, then the queue is re-read.
    pub(crate) fn team_reject(&self, id: i64, comment: String) {
        let r = self.clone();
        tokio::spawn(async move {
            let text = match r.team() {
                None => "no team store for this tenant".to_string(),
                Some(gate) => {
                    let text = match gate.0.open().await {
                        Err(e) => format!("request {id}: {e}"),
                        Ok(store) => match team::reject(&store, &gate.0, id, &comment).await {
                            Ok(_) => format!("request {id} rejected"),
                            Err(e) => format!("request {id}: {e}"),
                        },
                    };
                    gate.0.wake.notify_one();
                    text
                }
            };
            let _ = r.tx.send(Msg::Toast(line(&text).into_owned()));
        });
    }
}
