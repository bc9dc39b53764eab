//! Tracking sent machine actions to a terminal status: ONE background poller per tenant's
//! action runner (`api::tracking::Poller`, shared with `socops action ID wait`) reads every
//! due action with one filtered list request per batch, each action backing off on its own
//! (2 s doubling to 30 s, every five minutes once pending for ten), as background work of
//! the API budget; it reports `Msg::ActionProgress` and input is never blocked. `max_errors`
//! failed reads in a row stop tracking with `Msg::TrackingStopped`, and so does an action the
//! service no longer lists. The tracked list lives in `tracked-<profile>.json` (0600) so a
//! restarted console resumes.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::api::Client;
use crate::api::model::ActionStatus;
use crate::api::tracking::{PollPolicy, Poller, Update};
use crate::app::Msg;
use crate::app::actions::Tracked;
use crate::runtime::actions::ActionRunner;
use crate::store::secure_file;

impl ActionRunner {
    /// Follow action `id` until it ends; every read is reported. All actions of this runner
    /// share one poller task, started on first use.
    pub fn track(&self, id: String) {
        let ids = self.poller.get_or_init(|| {
            let (ids, rx) = mpsc::unbounded_channel();
            let policy = PollPolicy {
                first: self.ctx.poll_first,
                max: self.ctx.poll_max,
                max_errors: self.ctx.max_errors,
                ..PollPolicy::default()
            };
            // Tracking is background work: it never takes the budget kept for the analyst.
            let client = self.client.background();
            let (tx, data_dir) = (self.tx.clone(), self.ctx.data_dir.clone());
            tokio::spawn(run_poller(client, policy, tx, data_dir, rx));
            ids
        });
        let _ = ids.send(id);
    }

    /// Write the tracked list (0600) off the UI loop; a failure comes back as a toast. Writes
    /// run on the blocking pool in any order, so each carries its place in the sequence and
    /// one older than the list already written is dropped: the newest list always wins.
    pub fn save_tracked(&self, tracked: &[Tracked]) {
        let path = self.ctx.tracked_path();
        let (tracked, tx, saves) = (tracked.to_vec(), self.tx.clone(), self.saves.clone());
        let seq = saves
            .issued
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        tokio::task::spawn_blocking(move || {
            let mut written = saves.written.lock().unwrap_or_else(|p| p.into_inner());
            if *written > seq {
                return;
            }
            match save_tracked(&path, &tracked) {
                Ok(()) => *written = seq,
                Err(e) => {
                    let _ = tx.send(Msg::Toast(format!(
                        "could not save tracked actions to {}: {e}",
                        path.display()
                    )));
                }
            }
        });
    }
}

/// The runner's one poller: takes new ids from `ids`, reads what is due, reports each read.
/// Ends when the console is gone, or when the runner is gone and nothing is left to follow.
async fn run_poller(
    client: Client,
    policy: PollPolicy,
    tx: mpsc::UnboundedSender<Msg>,
    data_dir: PathBuf,
    mut ids: mpsc::UnboundedReceiver<String>,
) {
    let mut poller = Poller::new(policy);
    let mut open = true;
    loop {
        let due = poller.next_due();
        if due.is_none() && !open {
            break;
        }
        tokio::select! {
            id = ids.recv(), if open => match id {
                Some(id) => poller.add(&id),
                None => open = false,
            },
            _ = sleep_until(due), if due.is_some() => {
                for u in poller.poll(&client).await {
                    if tx.send(message(&data_dir, u).await).is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// Sleep until `at` (never for `None`; the select guard keeps that branch off).
async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// What the console is told of one read; a terminal status is audited first.
async fn message(data_dir: &Path, u: Update) -> Msg {
    match u {
        Update::Status {
            id,
            status,
            terminal,
            ..
        } => {
            if terminal {
                audit_final_status(data_dir, &id, &status).await;
            }
            Msg::ActionProgress { id, status }
        }
        Update::Gone { id } => Msg::TrackingStopped {
            id,
            error: "action not found".into(),
            gone: true,
        },
        Update::Stopped { id, error } => Msg::TrackingStopped {
            id,
            error: error.to_string(),
            gone: false,
        },
    }
}

/// Append the action's terminal status to the audit log (off the async threads).
async fn audit_final_status(data_dir: &Path, id: &str, status: &ActionStatus) {
    let dir = data_dir.to_path_buf();
    let (id, status) = (id.to_string(), status.clone());
    let written = tokio::task::spawn_blocking(move || {
        crate::store::AuditLog::open(&dir)
            .and_then(|log| log.record_final_status(&id, &status, chrono::Utc::now()))
    })
    .await;
    if let Ok(Err(e)) = written {
        tracing::error!("cannot write the final status to the audit log: {e}");
    }
}

/// The order of a runner's tracked-list writes: how many were asked for, and the newest one
/// on disk.
#[derive(Debug, Default)]
pub(crate) struct SaveOrder {
    issued: std::sync::atomic::AtomicU64,
    written: std::sync::Mutex<u64>,
}

/// Write `tracked` to `path`, 0600.
pub fn save_tracked(path: &Path, tracked: &[Tracked]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        secure_file::ensure_private_dir(dir)?;
    }
    let json = serde_json::to_vec_pretty(tracked)?;
    secure_file::write_private(path, &json)?;
    Ok(())
}

/// Read the tracked list; a missing or unreadable file is an empty list.
pub fn load_tracked(path: &Path) -> Vec<Tracked> {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}
