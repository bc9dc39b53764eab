//! The tenants of one console: a client per profile, the runtime side of `:ctx` (a fresh
//! worker, action runner and per-profile files for the new tenant) and the All tenants view's
//! loads (`digest::collect` per tenant, concurrently; each client keeps its own budget).

use std::path::PathBuf;

use chrono::Utc;
use tokio::sync::mpsc;

use crate::api::Client;
use crate::app::data::checklist::Marks;
use crate::app::data::tenants::TenantInfo;
use crate::app::{Command, Msg};
use crate::runtime::actions::{ActionContext, ActionRunner};
use crate::runtime::effects::Effects;
use crate::runtime::offline::OfflineSource;
use crate::runtime::worker::Worker;
use crate::store::{ResponseCache, SnapshotStore};

/// One tenant the console can open: a profile of the config and its client.
#[derive(Clone)]
pub struct TenantHandle {
    /// Profile name (files are per profile).
    pub name: String,
    /// Shown in the header.
    pub label: String,
    /// The profile's header colour (a 16-colour name).
    pub color: Option<String>,
    pub read_only: bool,
    pub protected: bool,
    /// The tenant's licence (menus and the pipeline offer only what it includes).
    pub plan: crate::api::plan::Plan,
    /// The client, or why its credentials could not be built (shown as unavailable).
    pub client: Result<Client, String>,
    /// The team's four-eyes step for this profile (`None` without a `[team]` table).
    pub team: Option<crate::runtime::team::TeamGate>,
    /// The profile's `analyst` (who "me" is when socops signs in as an application).
    pub analyst: Option<String>,
}

impl std::fmt::Debug for TenantHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantHandle")
            .field("name", &self.name)
            .field("label", &self.label)
            .field("available", &self.client.is_ok())
            .finish()
    }
}

impl TenantHandle {
    /// What the app knows of the tenant.
    pub fn info(&self) -> TenantInfo {
        TenantInfo {
            name: self.name.clone(),
            label: self.label.clone(),
            color: self.color.clone(),
            read_only: self.read_only,
            protected: self.protected,
            plan: self.plan,
            unavailable: self.client.as_ref().err().cloned(),
            me: self.client.as_ref().ok().and_then(|c| {
                crate::api::calls::triage::me(&c.operator(), self.analyst.as_deref())
            }),
            own_app: self
                .client
                .as_ref()
                .ok()
                .and_then(|c| crate::api::first_party::own_app_of(&c.operator())),
        }
    }
}

/// The tenants and where their files live.
pub struct TenantSet {
    pub handles: Vec<TenantHandle>,
    /// Data dir: audit log, tracked actions, snapshots, cache, downloads.
    pub data_dir: PathBuf,
    /// Checklist files, one `<profile>.json` each.
    pub checklist_dir: PathBuf,
    /// The config's `export_dir` (none: the current directory).
    pub export_dir: Option<PathBuf>,
    /// `--offline`: loads read the cache of the profile.
    pub offline: bool,
    pub tx: mpsc::UnboundedSender<Msg>,
}

impl TenantSet {
    /// The app's view of the tenants, in order.
    pub fn infos(&self) -> Vec<TenantInfo> {
        self.handles.iter().map(TenantHandle::info).collect()
    }

    /// The checklist file of a profile.
    pub fn checklist_path(&self, profile: &str) -> PathBuf {
        self.checklist_dir.join(format!("{profile}.json"))
    }

    /// The effects of tenant `i` (its worker, action runner and files); `None` when it has
    /// no client.
    pub fn effects(&self, i: usize) -> Option<Effects> {
        let h = self.handles.get(i)?;
        let client = h.client.as_ref().ok()?.clone();
        let cache = ResponseCache::new(&self.data_dir);
        let worker = Worker::new(client.clone(), self.tx.clone());
        let worker = if self.offline {
            worker.offline(OfflineSource {
                cache,
                profile: h.name.clone(),
                snapshot: SnapshotStore::new(&self.data_dir)
                    .latest(&h.name)
                    .ok()
                    .flatten(),
            })
        } else {
            worker.with_cache(cache, h.name.clone())
        };
        let ctx = ActionContext::new(self.data_dir.clone(), h.name.clone(), h.label.clone())
            .read_only(h.read_only)
            .plan(h.plan)
            .with_team(h.team.clone());
        let runner = ActionRunner::new(client.clone(), self.tx.clone(), ctx);
        Some(
            Effects::new(client, self.tx.clone(), self.checklist_path(&h.name))
                .with_worker(worker)
                .with_actions(runner)
                .with_store(self.data_dir.clone(), h.name.clone())
                .with_export_dir(self.export_dir.clone()),
        )
    }

    /// Carry out a tenant command: `SwitchTenant` replaces `fx`; `LoadTenants` starts the
    /// All tenants loads. Returns false for any other command.
    pub fn run(&self, cmd: &Command, fx: &mut Effects) -> bool {
        match cmd {
            Command::SwitchTenant(i) => {
                if let Some(new) = self.effects(*i) {
                    let (done, restored) = tokio::sync::watch::channel(false);
                    *fx = new.after_restore(restored);
                    self.restore(*i, done);
                }
                true
            }
            Command::LoadTenants { round } => {
                self.load_all(*round);
                true
            }
            _ => false,
        }
    }

    /// Read tenant `i`'s checklist marks, last snapshot and tracked actions on the blocking
    /// pool (never on the UI loop), send them, then set `done`: the new tenant's worker holds
    /// its answers until then, so they still arrive after the restored files.
    pub fn restore(&self, i: usize, done: tokio::sync::watch::Sender<bool>) {
        let Some(h) = self.handles.get(i) else { return };
        let checklist = self.checklist_path(&h.name);
        let ctx = ActionContext::new(self.data_dir.clone(), h.name.clone(), h.label.clone());
        let (profile, tx) = (h.name.clone(), self.tx.clone());
        tokio::task::spawn_blocking(move || {
            let marks = std::fs::read_to_string(checklist)
                .map(|t| Marks::from_json(&t))
                .unwrap_or_default();
            let previous = SnapshotStore::new(&ctx.data_dir)
                .latest(&profile)
                .ok()
                .flatten()
                .map(Box::new);
            let tracked = crate::runtime::tracker::load_tracked(&ctx.tracked_path());
            let _ = tx.send(Msg::TenantRestored {
                profile,
                marks,
                previous,
                tracked,
            });
            let _ = done.send(true);
        });
    }

    /// Collect every available tenant's summary concurrently; each answers on its own, a
    /// failing one with its error.
    pub(crate) fn load_all(&self, round: u64) {
        let now = Utc::now();
        for (index, h) in self.handles.iter().enumerate() {
            let Ok(client) = h.client.clone() else {
                continue;
            };
            let (name, label, tx) = (h.name.clone(), h.label.clone(), self.tx.clone());
            tokio::spawn(async move {
                // A stalled tenant gives up on its own deadline; the others still answer.
                let deadline = crate::digest::TENANT_DEADLINE;
                let result = crate::digest::collect_within(&client, &name, &label, now, deadline)
                    .await
                    .map(Box::new);
                let _ = tx.send(Msg::TenantSummary {
                    round,
                    index,
                    result,
                });
            });
        }
    }
}
