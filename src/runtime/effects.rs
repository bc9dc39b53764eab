//! Carrying out `Command`s: loads go to the worker; clipboard (OSC 52), browser, checklist
//! file and toast timers are handled here. Every failure comes back as a visible toast.

use std::io::{Write, stdout};
use std::path::PathBuf;

use crossterm::clipboard::CopyToClipboard;
use tokio::sync::mpsc;

use crate::api::Client;
use crate::app::{Command, Msg};
use crate::runtime::actions::ActionRunner;
use crate::runtime::worker::Worker;

/// The runtime's hands.
pub struct Effects {
    worker: Worker,
    tx: mpsc::UnboundedSender<Msg>,
    checklist_path: PathBuf,
    actions: Option<ActionRunner>,
    /// Data dir and profile for snapshots and exports (set with `with_store`).
    store: Option<(PathBuf, String)>,
    /// The config's `export_dir` (none: the current directory).
    export_dir: Option<PathBuf>,
}

impl Effects {
    /// Effects reporting to `tx`.
    pub fn new(client: Client, tx: mpsc::UnboundedSender<Msg>, checklist_path: PathBuf) -> Self {
        Effects {
            worker: Worker::new(client, tx.clone()),
            tx,
            checklist_path,
            actions: None,
            store: None,
            export_dir: None,
        }
    }

    /// Effects that can also send actions (without it, action commands toast a refusal).
    pub fn with_actions(mut self, runner: ActionRunner) -> Self {
        self.actions = Some(runner);
        self
    }

    /// Use `worker` for loads (offline source, response cache).
    pub(crate) fn with_worker(mut self, worker: Worker) -> Self {
        self.worker = worker;
        self
    }

    /// Hold the worker's answers until `restored` turns true (see `Worker::after`).
    pub(crate) fn after_restore(mut self, restored: tokio::sync::watch::Receiver<bool>) -> Self {
        self.worker = self.worker.after(restored);
        self
    }

    /// Keep snapshots and exports under `data_dir` for `profile`.
    pub(crate) fn with_store(mut self, data_dir: PathBuf, profile: String) -> Self {
        self.store = Some((data_dir, profile));
        self
    }

    /// The current tenant's request meter (`None` offline).
    pub fn budget_usage(&self) -> Option<crate::api::budget::Usage> {
        self.worker.budget_usage()
    }

    /// Write exports into `dir` (the config's `export_dir`) instead of the current directory.
    pub(crate) fn with_export_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.export_dir = dir;
        self
    }

    /// Carry out one command (never blocks on the network).
    pub fn run(&self, cmd: Command) {
        match cmd {
            Command::Load(kind, id) => self.worker.load(kind, id),
            Command::LoadPage { id, fetch } => self.worker.load_page(fetch, id),
            Command::CopyToClipboard(text) => {
                let mut out = stdout();
                if crossterm::execute!(out, CopyToClipboard::to_clipboard_from(text.as_bytes()))
                    .is_err()
                {
                    self.toast(format!("could not copy; the text is: {text}"));
                }
                let _ = out.flush();
            }
            Command::OpenUrl(url) => self.open_url(url),
            Command::SaveChecklist { json } => {
                let path = self.checklist_path.clone();
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = save_checklist(&path, &json) {
                        let _ = tx.send(Msg::Toast(format!("could not save the checklist: {e}")));
                    }
                });
            }
            Command::ExpireToast { id, after } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Msg::ToastExpired(id));
                });
            }
            Command::SaveSnapshot(snap) => {
                if let Some((dir, profile)) = &self.store {
                    crate::runtime::files::save_snapshot(
                        dir.clone(),
                        profile.clone(),
                        *snap,
                        self.tx.clone(),
                    );
                }
            }
            Command::Export { name, content } => {
                let dir = self
                    .store
                    .as_ref()
                    .map(|(d, _)| d.clone())
                    .unwrap_or_else(std::env::temp_dir);
                crate::runtime::files::export(
                    self.export_dir.clone(),
                    dir,
                    name,
                    content,
                    self.tx.clone(),
                );
            }
            Command::Quit => {}
            other => self.run_action(other),
        }
    }

    fn run_action(&self, cmd: Command) {
        let Some(a) = &self.actions else {
            self.toast("actions are not available in this session".into());
            return;
        };
        match cmd {
            Command::SendAction {
                ticket,
                request,
                targets,
                dry_run,
            } => a.send(ticket, *request, targets, dry_run),
            Command::TrackAction { id } => a.track(id),
            Command::RecheckTriage { ticket, checks } => a.recheck(ticket, checks),
            Command::TeamApprove { items, comment } => a.team_approve(items, comment),
            Command::TeamReject { id, comment } => a.team_reject(id, comment),
            Command::SaveTracked(tracked) => a.save_tracked(&tracked),
            Command::FetchResult { id, what, device } => a.fetch_result(id, what, device),
            Command::LoadLibrary => a.load_library(),
            Command::CheckIndicator { value } => a.check_indicator(value),
            Command::ShowAudit => a.show_audit(),
            Command::Handover {
                action,
                url,
                targets,
            } => a.handover(action, url, targets),
            _ => {}
        }
    }

    fn toast(&self, text: String) {
        let _ = self.tx.send(Msg::Toast(text));
    }

    fn open_url(&self, url: String) {
        if !super::links::may_open(&url) {
            self.toast(format!(
                "not opened: {} is not an https link to a Microsoft portal",
                crate::text::line(&url)
            ));
            return;
        }
        let opener = if cfg!(target_os = "macos") {
            Some("open")
        } else if std::env::var_os("DISPLAY").is_some()
            || std::env::var_os("WAYLAND_DISPLAY").is_some()
        {
            Some("xdg-open")
        } else {
            None
        };
        let spawned = opener.is_some_and(|cmd| {
            std::process::Command::new(cmd)
                .arg(&url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .is_ok()
        });
        if !spawned {
            self.toast(format!("open {}", crate::text::line(&url)));
        }
    }
}

/// Save the checklist marks: 0600 in a 0700 directory, atomically, never through a link (the
/// marks say what this analyst checked on which tenant).
fn save_checklist(path: &std::path::Path, json: &str) -> Result<(), crate::store::StoreError> {
    crate::store::secure_file::write_private(path, json.as_bytes())
}

#[cfg(test)]
#[cfg(unix)]
mod checklist_file_tests {
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn checklist_marks_are_private() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("checklist").join("demo.json");
        super::save_checklist(&path, "{}").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
