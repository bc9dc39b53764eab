//! Tracking sent machine actions to a terminal status: one background task per action polls
//! `GET machineactions/{id}` with backoff (2 s doubling to 30 s; every call goes through the
//! client's API budget) and reports `Msg::ActionProgress`; input is never blocked. A pending
//! action is followed as long as it stays pending (a live response may wait days for an
//! offline device), but `max_errors` failed reads in a row stop tracking with
//! `Msg::TrackingStopped` (a 404 stops at once: the action is gone). The tracked list lives
//! in `tracked-<profile>.json` (0600) so a restarted console resumes.

use std::path::Path;

use crate::api::calls::machine_action;
use crate::app::Msg;
use crate::app::actions::Tracked;
use crate::runtime::actions::ActionRunner;
use crate::store::secure_file;

impl ActionRunner {
    /// Poll action `id` until it ends; every read is reported.
    pub fn track(&self, id: String) {
        let r = self.clone();
        tokio::spawn(async move {
            let mut delay = r.ctx.poll_first;
            let mut errors = 0u32;
            loop {
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(r.ctx.poll_max);
                let stop = |error: String, gone: bool| Msg::TrackingStopped {
                    id: id.clone(),
                    error,
                    gone,
                };
                let status = match machine_action(&r.client.background(), &id).await {
                    Ok(a) => {
                        errors = 0;
                        a.status.map(|s| s.as_str().to_string())
                    }
                    Err(e) if e.is_not_found() => {
                        let _ = r.tx.send(stop("action not found".into(), true));
                        break;
                    }
                    Err(e) => {
                        // Transient or not, a few failures in a row are retried after the
                        // next delay; a lasting one stops tracking visibly.
                        errors += 1;
                        if errors >= r.ctx.max_errors {
                            let _ = r.tx.send(stop(e.to_string(), false));
                            break;
                        }
                        None
                    }
                };
                let Some(status) = status else { continue };
                let done = crate::api::model::ActionStatus::parse(&status).is_terminal();
                if done {
                    r.audit_final_status(&id, &status).await;
                }
                if r.tx
                    .send(Msg::ActionProgress {
                        id: id.clone(),
                        status,
                    })
                    .is_err()
                    || done
                {
                    break;
                }
            }
        });
    }

    /// Append the action's terminal status to the audit log (off the async threads).
    async fn audit_final_status(&self, id: &str, status: &str) {
        let dir = self.ctx.data_dir.clone();
        let (id, status) = (id.to_string(), status.to_string());
        let written = tokio::task::spawn_blocking(move || {
            crate::store::AuditLog::open(&dir)
                .and_then(|log| log.record_final_status(&id, &status, chrono::Utc::now()))
        })
        .await;
        if let Ok(Err(e)) = written {
            tracing::error!("cannot write the final status to the audit log: {e}");
        }
    }

    /// Write the tracked list (0600); a failure comes back as a toast.
    pub fn save_tracked(&self, tracked: &[Tracked]) {
        let path = self.ctx.tracked_path();
        if let Err(e) = save_tracked(&path, tracked) {
            let _ = self.tx.send(Msg::Toast(format!(
                "could not save tracked actions to {}: {e}",
                path.display()
            )));
        }
    }
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
