//! `AppState`: everything the console knows, and nothing it does (see `update`).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Offset, Utc};

use crate::app::data::checklist::Marks;
use crate::app::data::store::DataStore;
use crate::app::input::keymap::Keymap;
use crate::app::msg::LoadError;
use crate::app::tables::table::TableState;
use crate::app::view::{Cadence, ResourceKind, View};

/// The tables of the console; a view shows one or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableId {
    ExposureDevices,
    ExposureGroups,
    ActionsPending,
    ActionsHistory,
    DevicesAtRisk,
    Incidents,
    Alerts,
    Controls,
    Recommendations,
    Remediation,
    Learn,
    Threats,
    Devices,
    Indicators,
    Errors,
    /// The Action center's Team approvals pane (with a `[team]` table).
    TeamApprovals,
}

impl TableId {
    /// Every table, in declaration order (`tables::columns::empty_tables` makes one of each).
    pub const ALL: [TableId; 16] = [
        TableId::ExposureDevices,
        TableId::ExposureGroups,
        TableId::ActionsPending,
        TableId::ActionsHistory,
        TableId::DevicesAtRisk,
        TableId::Incidents,
        TableId::Alerts,
        TableId::Controls,
        TableId::Recommendations,
        TableId::Remediation,
        TableId::Learn,
        TableId::Threats,
        TableId::Devices,
        TableId::Indicators,
        TableId::Errors,
        TableId::TeamApprovals,
    ];
}

/// What keys go to: the view, the filter line, the palette, or the help overlay.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Normal,
    /// Typing a filter for the focused table.
    Filter,
    /// Typing a `:` command.
    Palette { input: String, selected: usize },
    /// The help overlay.
    Help,
}

/// A details panel opened with Enter on a row. A working page (an incident, an alert, a
/// device) also has selectable rows and the record it is about (see `page`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Detail {
    pub title: String,
    pub lines: Vec<String>,
    pub link: Option<String>,
    pub scroll: usize,
    /// Selectable rows of a working page; empty on a text panel.
    pub items: Vec<crate::app::pages::working::Item>,
    /// The selected item.
    pub selected: usize,
    /// What a working page is about.
    pub subject: Option<crate::app::pages::working::Subject>,
}

/// A small box of summary lines above a view's table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Panel {
    pub title: String,
    pub lines: Vec<String>,
}

/// An error as kept for the `:errors` view and the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The latest time it happened.
    pub at: DateTime<Utc>,
    /// The first time it happened (`at` when it happened once).
    pub first: DateTime<Utc>,
    pub what: String,
    pub error: LoadError,
    /// How many times it happened (the same what, text and code collapse into one entry).
    pub count: u32,
}

/// A short-lived message at the bottom of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub text: String,
}

/// Options of the console (the tenant's label and safety flags change with `:ctx`).
#[derive(Debug, Clone)]
pub struct Settings {
    pub tenant_label: String,
    pub demo: bool,
    pub read_only: bool,
    /// Destructive actions also require typing the device name.
    pub protected: bool,
    /// The tenant's licence: the device menu offers only what it includes.
    pub plan: crate::api::plan::Plan,
    /// Portal base URL, e.g. `https://security.microsoft.com`.
    pub portal: String,
    pub refresh_interval: Duration,
    /// `--offline`: data from the response cache and the last snapshot; nothing is sent.
    pub offline: bool,
    /// The local time zone, for checklist periods and dates.
    pub offset: FixedOffset,
    /// The wheel scrolls and a click selects (config `mouse = true`).
    pub mouse: bool,
    /// Who "me" is for "assign to me" (the signed-in person, or the profile's analyst).
    pub me: Option<String>,
    /// The app id socops signs in as on this profile (none for a signed-in person): a machine
    /// action requested by it is named as this profile's app.
    pub own_app: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            tenant_label: String::new(),
            demo: false,
            read_only: false,
            protected: false,
            plan: crate::api::plan::Plan::default(),
            portal: "https://security.microsoft.com".into(),
            refresh_interval: Duration::from_secs(60),
            offline: false,
            offset: Utc.fix(),
            mouse: false,
            me: None,
            own_app: None,
        }
    }
}

/// All console state.
#[derive(Debug, Clone)]
pub struct AppState {
    pub settings: Settings,
    pub keymap: Keymap,
    pub now: DateTime<Utc>,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    pub view: View,
    pub mode: Mode,
    pub data: DataStore,
    pub tables: BTreeMap<TableId, TableState>,
    /// Selected pane of a two-pane view (Action center: pending/history …).
    pub pane: BTreeMap<View, usize>,
    pub checklist: Marks,
    /// Selected task per cadence.
    pub checklist_selected: BTreeMap<Cadence, usize>,
    /// Live figure per (cadence, task id).
    pub figures: BTreeMap<(Cadence, &'static str), String>,
    pub detail: Option<Detail>,
    /// Summary boxes per view, rebuilt when data loads.
    pub panels: BTreeMap<View, Vec<Panel>>,
    /// Secure Score trend (percent × 10, oldest first).
    pub trend: Vec<u64>,
    pub errors: Vec<ErrorEntry>,
    pub toasts: Vec<Toast>,
    /// (calls in the last minute, per-minute limit).
    pub budget: Option<(u32, u32)>,
    pub next_request: u64,
    pub next_toast: u64,
    pub quit: bool,
    /// Response actions: menu, dialog, requests in flight, tracked actions, marks.
    pub actions: crate::app::actions::ActionsState,
    /// The team's four-eyes queue (Team approvals pane).
    pub team: crate::app::actions::approvals::TeamState,
    /// Since the last run: previous snapshot, row marks, the Daily panel (see `since`).
    pub since: crate::app::tables::since::Since,
    /// `e` was pressed: the next key picks the export format.
    pub export_prompt: bool,
    /// The profiles the console can switch to, and the All tenants view.
    pub tenants: crate::app::data::tenants::Tenants,
    /// First line shown by the help overlay (j/k scroll it when it does not fit).
    pub help_scroll: usize,
    /// First line of the Reports view shown when its boxes are taller than the screen.
    pub reports_scroll: usize,
    /// The views `Esc` returns to, the oldest first (see `nav`).
    pub back: Vec<View>,
    /// The id of the row the open detail was opened from (`y` copies it).
    pub detail_id: Option<String>,
    /// Where the focused table's rows were drawn last (a click picks a row from it).
    pub rows_area: Option<crate::app::input::mouse::RowsArea>,
    /// A name matched several devices: the analyst picks one (see `picker`).
    pub picker: Option<crate::app::pages::picker::DevicePicker>,
    /// `u` asked for every incident; otherwise the Incidents view shows unresolved ones.
    pub incidents_all: bool,
    /// The pages under the open one (an alert opened from an incident): `Esc` returns.
    pub detail_back: Vec<(Detail, Option<String>)>,
    /// The `:` palette's history and suggestions (see `palette`).
    pub palette: crate::app::input::palette::PaletteState,
    /// What pages read beyond the loaded lists (a recommendation's exposed devices).
    pub extras: crate::app::pages::extra::Extras,
}

impl AppState {
    /// A console on the daily checklist, nothing loaded yet.
    pub fn new(settings: Settings, keymap: Keymap, checklist: Marks, now: DateTime<Utc>) -> Self {
        let mut s = AppState {
            settings,
            keymap,
            now,
            size: (80, 24),
            view: View::Checklist(Cadence::Daily),
            mode: Mode::Normal,
            data: DataStore::default(),
            tables: crate::app::tables::columns::empty_tables(),
            pane: BTreeMap::new(),
            checklist,
            checklist_selected: BTreeMap::new(),
            figures: BTreeMap::new(),
            detail: None,
            panels: BTreeMap::new(),
            trend: Vec::new(),
            errors: Vec::new(),
            toasts: Vec::new(),
            budget: None,
            next_request: 1,
            next_toast: 1,
            quit: false,
            actions: Default::default(),
            team: Default::default(),
            since: Default::default(),
            export_prompt: false,
            tenants: Default::default(),
            help_scroll: 0,
            reports_scroll: 0,
            back: Vec::new(),
            detail_id: None,
            rows_area: None,
            picker: None,
            incidents_all: false,
            detail_back: Vec::new(),
            palette: Default::default(),
            extras: Default::default(),
        };
        crate::app::data::scope::defaults(&mut s);
        s
    }

    /// The cadence tab on screen.
    pub fn cadence(&self) -> Cadence {
        self.view.cadence()
    }

    /// The pane selected in the current view.
    pub fn pane(&self) -> usize {
        self.pane.get(&self.view).copied().unwrap_or(0)
    }

    /// The table that keys act on in the current view.
    pub fn focused_table(&self) -> Option<TableId> {
        crate::app::tables::columns::focused(self.view, self.pane())
    }

    /// A table by id.
    pub fn table(&self, id: TableId) -> Option<&TableState> {
        self.tables.get(&id)
    }

    /// The oldest data time among the resources of the view on screen.
    pub(crate) fn data_time(&self) -> Option<DateTime<Utc>> {
        self.view
            .resources()
            .iter()
            .filter_map(|k| self.data.at(*k))
            .min()
    }

    /// Whether any resource of the view is loading.
    pub fn loading(&self) -> bool {
        self.view
            .resources()
            .iter()
            .any(|k| self.data.pending(*k).is_some())
    }

    /// Current errors of the view's resources.
    pub fn view_errors(&self) -> Vec<(ResourceKind, &LoadError)> {
        self.view
            .resources()
            .iter()
            // Automated investigations were retired on 2026-09-01: a tenant that no longer
            // answers them is not in error (the Action center says so in its note).
            .filter(|k| **k != ResourceKind::Investigations)
            .filter_map(|k| self.data.error(*k).map(|e| (*k, e)))
            .collect()
    }

    /// Rows that fit the body of the screen (header, footer and frame removed).
    pub fn page_rows(&self) -> usize {
        usize::from(self.size.1.saturating_sub(8)).max(1)
    }

    /// A device's short name by machine id, when devices are loaded.
    pub(crate) fn device_name(&self, machine_id: Option<&str>) -> Option<&str> {
        let machines = self.data.machines.data()?;
        machines.find(machine_id?).map(|m| m.short_name())
    }

    /// Selected checklist task of a cadence.
    pub fn checklist_selected(&self, c: Cadence) -> usize {
        self.checklist_selected.get(&c).copied().unwrap_or(0)
    }
}
