//! Several tenants in one console: the profiles of the config, which one is on screen, the
//! `:ctx NAME` switch (per-tenant data reset and reloaded) and the All tenants view (one
//! digest summary per tenant, loaded concurrently by the runtime).

use crate::app::actions::Tracked;
use crate::app::data::checklist::Marks;
use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::state::{AppState, Mode};
use crate::app::steps::toast;
use crate::app::update::start;
use crate::app::view::{Cadence, View};
use crate::digest::Snapshot;

/// One tenant the console can show (a profile of the config).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TenantInfo {
    /// Profile name (`:ctx NAME`; checklist, snapshots, audit and tracked actions file).
    pub name: String,
    /// Shown in the header.
    pub label: String,
    /// A named 16-colour for the header (unknown names are ignored by the renderer).
    pub color: Option<String>,
    pub read_only: bool,
    pub protected: bool,
    /// The tenant's licence.
    pub plan: crate::api::plan::Plan,
    /// Why the tenant cannot be opened (its credentials could not be built).
    pub unavailable: Option<String>,
    /// Who "me" is on this tenant (its signed-in person, or its profile's analyst): "assign
    /// to me" after a switch assigns to this tenant's analyst, never the previous one's.
    pub me: Option<String>,
    /// The app id this profile signs in as (none for a person): its actions are named as
    /// this profile's app.
    pub own_app: Option<String>,
}

/// A line of the All tenants view.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TenantSummary {
    #[default]
    NotLoaded,
    Loading,
    Ready(Box<Snapshot>),
    Failed(String),
}

/// The tenants and the All tenants view's state.
#[derive(Debug, Clone, Default)]
pub struct Tenants {
    pub list: Vec<TenantInfo>,
    /// Index in `list` of the tenant on screen.
    pub current: usize,
    /// One per `list` entry.
    pub summaries: Vec<TenantSummary>,
    /// Selected line of the All tenants view.
    pub selected: usize,
    /// Loads of the All tenants view: an answer of an older round is dropped.
    pub round: u64,
}

impl Tenants {
    /// The tenant on screen, when the console knows its tenants.
    pub fn current(&self) -> Option<&TenantInfo> {
        self.list.get(self.current)
    }

    /// Profile names, in config order.
    pub fn names(&self) -> Vec<&str> {
        self.list.iter().map(|t| t.name.as_str()).collect()
    }
}

/// Set the tenants (the current one first) when the console starts.
pub fn init(s: &mut AppState, list: Vec<TenantInfo>) {
    s.tenants.summaries = vec![TenantSummary::NotLoaded; list.len()];
    s.tenants.list = list;
    s.tenants.current = 0;
}

/// Open the tenant named `name` (`:ctx NAME`, Enter in the All tenants view).
pub(crate) fn switch_to(s: &mut AppState, name: &str) -> Vec<Command> {
    let name = name.trim();
    let Some(i) = s.tenants.list.iter().position(|t| t.name == name) else {
        let known = s.tenants.names().join(", ");
        return toast(s, format!("no tenant `{name}` (profiles: {known})"));
    };
    switch(s, i)
}

/// Open tenant `i`: per-tenant data is reset, then reloaded through the new client.
pub fn switch(s: &mut AppState, i: usize) -> Vec<Command> {
    let Some(t) = s.tenants.list.get(i).cloned() else {
        return Vec::new();
    };
    if let Some(why) = &t.unavailable {
        return toast(s, format!("{} is unavailable: {why}", t.name));
    }
    if s.settings.offline {
        return toast(
            s,
            "offline: other tenants need the network; nothing was switched".into(),
        );
    }
    if i == s.tenants.current {
        s.mode = Mode::Normal;
        return crate::app::pages::nav::home(s, Cadence::Daily);
    }
    reset(s);
    s.tenants.current = i;
    s.settings.tenant_label = t.label.clone();
    s.settings.read_only = t.read_only;
    s.settings.protected = t.protected;
    s.settings.plan = t.plan;
    s.settings.me = t.me.clone();
    s.settings.own_app = t.own_app.clone();
    s.since.profile = t.name.clone();
    s.view = View::Checklist(Cadence::Daily);
    // The switch goes first: the loads after it must reach the new tenant's client.
    let mut cmds = vec![Command::SwitchTenant(i)];
    cmds.extend(start(s));
    cmds.extend(toast(s, format!("tenant {}", t.label)));
    cmds
}

/// Forget everything that belongs to the tenant on screen. Request and ticket counters go on,
/// so an answer to a request of the previous tenant matches nothing and is dropped.
fn reset(s: &mut AppState) {
    s.data = Default::default();
    s.tables = crate::app::tables::columns::empty_tables();
    s.pane.clear();
    s.checklist = Marks::default();
    s.figures.clear();
    s.detail = None;
    s.extras = Default::default();
    s.panels.clear();
    s.trend.clear();
    s.errors.clear();
    s.budget = None;
    s.export_prompt = false;
    s.mode = Mode::Normal;
    let ticket = s.actions.next_ticket;
    s.actions = Default::default();
    s.actions.next_ticket = ticket;
    let enabled = s.since.enabled;
    s.since = Default::default();
    s.since.enabled = enabled;
}

/// The files of a profile, read by the runtime after a switch.
pub fn restored(
    s: &mut AppState,
    profile: String,
    marks: Marks,
    previous: Option<Box<Snapshot>>,
    tracked: Vec<Tracked>,
) -> Vec<Command> {
    if s.tenants.current().map(|t| t.name.as_str()) != Some(profile.as_str()) {
        return Vec::new();
    }
    s.checklist = marks;
    s.since.previous = previous.map(|b| *b);
    crate::app::data::figures::compute(s);
    crate::app::actions::resume(s, tracked)
}

/// Entering the All tenants view loads it the first time.
pub(crate) fn on_enter(s: &mut AppState) -> Vec<Command> {
    s.tenants.selected = s.tenants.current;
    let loaded = s
        .tenants
        .summaries
        .iter()
        .any(|x| !matches!(x, TenantSummary::NotLoaded));
    if loaded { Vec::new() } else { load_all(s) }
}

/// Load every tenant's summary (a new round; answers of older rounds are dropped).
pub(crate) fn load_all(s: &mut AppState) -> Vec<Command> {
    if s.settings.offline {
        return toast(s, "offline: the All tenants view needs the network".into());
    }
    s.tenants.round += 1;
    for (i, t) in s.tenants.list.iter().enumerate() {
        s.tenants.summaries[i] = match &t.unavailable {
            Some(why) => TenantSummary::Failed(format!("unavailable: {why}")),
            None => TenantSummary::Loading,
        };
    }
    vec![Command::LoadTenants {
        round: s.tenants.round,
    }]
}

/// One tenant's summary arrived.
pub(crate) fn on_summary(
    s: &mut AppState,
    round: u64,
    index: usize,
    result: Result<Box<Snapshot>, String>,
) {
    if round != s.tenants.round {
        return;
    }
    if let Some(slot) = s.tenants.summaries.get_mut(index) {
        *slot = match result {
            Ok(snap) => TenantSummary::Ready(snap),
            Err(e) => TenantSummary::Failed(e),
        };
    }
}

/// Keys of the All tenants view; `None` leaves the key to the ordinary keymap.
pub(crate) fn on_action(s: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let n = s.tenants.list.len();
    let sel = &mut s.tenants.selected;
    match action {
        Action::Down => *sel = (*sel + 1).min(n.saturating_sub(1)),
        Action::Up => *sel = sel.saturating_sub(1),
        Action::Top => *sel = 0,
        Action::Bottom => *sel = n.saturating_sub(1),
        Action::Open => {
            let i = *sel;
            return Some(switch(s, i));
        }
        Action::Refresh => return Some(load_all(s)),
        _ => return None,
    }
    Some(Vec::new())
}

/// The figures of one line: `Loading…`, the error, or the digest's summary parts.
pub fn line_text(summary: &TenantSummary) -> String {
    match summary {
        TenantSummary::NotLoaded => String::new(),
        TenantSummary::Loading => "loading…".into(),
        TenantSummary::Ready(snap) => crate::digest::summary_parts(snap).join(" │ "),
        TenantSummary::Failed(e) => format!("FAILED: {e}"),
    }
}

/// The same figures in fewer columns (narrow screens): shorter words, same numbers.
pub(crate) fn line_text_compact(summary: &TenantSummary) -> String {
    match summary {
        TenantSummary::Ready(snap) => crate::digest::summary_parts(snap)
            .iter()
            .map(|p| {
                p.replace("exposure ", "exp ")
                    .replace("Secure Score ", "SS ")
                    .replace("pending ", "pend ")
                    .replace(" + ", "+")
                    .replace(" approval", "")
                    .replace("incidents ", "")
                    .replace("at risk ", "risk ")
            })
            .collect::<Vec<_>>()
            .join(" · "),
        other => line_text(other),
    }
}
