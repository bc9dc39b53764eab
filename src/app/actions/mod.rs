//! Response actions in the console: the device action menu, the confirmation dialogs, the
//! answers of the runtime (sent, duplicate, failed, dry run) and tracking each action to a
//! terminal status. Pure: requests leave as `Command::SendAction`, polling as
//! `Command::TrackAction`; the safety pipeline itself runs in the runtime.

pub mod approvals;
pub mod bulk;
pub mod center;
pub mod dialog;
pub mod form;
pub mod indicators;
pub mod isolation;
pub mod kind;
pub mod on_key;
pub mod recheck;
pub mod target;
pub mod track;
pub mod triage;

use std::collections::{BTreeMap, BTreeSet};

use crate::api::calls::ActionRequest;
pub use crate::app::basic::{ResultKind, SendResult, Tracked};
pub use dialog::{Dialog, DialogKey, Field, FieldId, FieldKind};
pub use kind::{ActionKind, DeviceRef, KindExt};
pub use on_key::on_key;
pub use track::{on_progress, on_sent, resume};

/// The device action menu (the portal's ellipsis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Menu {
    pub device: DeviceRef,
    pub items: Vec<ActionKind>,
    pub selected: usize,
    /// Marked devices the chosen action goes to (one dialog for all); empty: `device`.
    pub bulk: Vec<DeviceRef>,
}

/// What an open dialog will do when confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// An action on one device.
    Device(ActionKind, DeviceRef),
    /// The same action on each of these devices (marked rows), one request each.
    Bulk(ActionKind, Vec<DeviceRef>),
    /// Cancel these machine actions (ids) with one comment.
    Cancel(Vec<String>),
    /// Triage these incidents or alerts (the form of `t` and `a`).
    Triage(
        crate::api::calls::TriageEntity,
        Vec<crate::app::actions::triage::TriageTarget>,
    ),
    /// Comment on these incidents or alerts (`c`).
    Comment(
        crate::api::calls::TriageEntity,
        Vec<crate::app::actions::triage::TriageTarget>,
    ),
    /// Approve these team requests, exactly as they were shown.
    TeamApprove(Vec<crate::store::team::types::ApprovalRequest>),
    /// Reject this team request.
    TeamReject(i64),
    /// Add an indicator (the Indicators view's `n`).
    AddIndicator,
    /// Replace the existing indicator of a value with this request (the add form's second
    /// step when the value already has one).
    ReplaceIndicator(indicators::IndicatorInput),
    /// Delete this indicator (its value typed to confirm).
    DeleteIndicator { id: String, value: String },
    /// Send a triage change over what another analyst changed meanwhile (see `recheck`).
    Overwrite,
}

/// An open dialog and its purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDialog {
    pub dialog: Dialog,
    pub purpose: Purpose,
}

/// A request on its way (ticket -> what it is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    pub label: String,
    pub device: String,
    pub result: ResultKind,
    /// Creates a machine action the tracker can follow.
    pub trackable: bool,
    /// A triage write: its answer re-reads incidents and alerts.
    pub triage: bool,
}

/// Everything the console knows about actions.
#[derive(Debug, Clone, Default)]
pub struct ActionsState {
    pub menu: Option<Menu>,
    pub dialog: Option<OpenDialog>,
    pub sending: BTreeMap<u64, Sending>,
    pub tracked: Vec<Tracked>,
    /// Marked rows (machine action ids) of the Action center's pending pane.
    pub marked: BTreeSet<String>,
    /// Live-response library file names (for the script picker).
    pub library: Vec<String>,
    pub library_requested: bool,
    pub next_ticket: u64,
    /// Resources an action changed while a load of them was already in flight (that load
    /// may predate the change): reloaded as soon as it lands.
    pub dirty: BTreeSet<crate::app::view::ResourceKind>,
    /// Marked rows per table (Incidents, Alerts): what `t`, `a` and `c` act on.
    pub table_marks: BTreeMap<crate::app::state::TableId, BTreeSet<String>>,
    /// Incidents and alerts changed here whose re-read has not landed yet.
    pub triage_pending: BTreeSet<String>,
    /// Isolation state per machine id, derived when machine actions load.
    pub isolation: std::collections::HashMap<String, isolation::Isolation>,
    /// Comments of forms left unsent this session, by form (see `form`).
    pub comments: BTreeMap<String, String>,
    /// The form behind a dry run's page, and the ticket of that dry run.
    pub dry_run: Option<(u64, OpenDialog)>,
    /// "Which device?" before an action on a record with several.
    pub picker: Option<crate::app::pages::working::Picker>,
    /// A confirmed triage change waiting for its records to be read again.
    pub recheck: Option<crate::app::actions::recheck::Recheck>,
    /// The requests of one confirmation on their way (progress line, results page).
    pub batch: Option<crate::app::actions::bulk::Batch>,
    /// The add-indicator form's read of its value from the API (asked, or answered "none").
    pub indicator_check: Option<indicators::IndicatorCheck>,
}

/// The label, device and follow-up of a request.
pub(crate) fn describe(req: &ActionRequest, device: &str) -> Sending {
    use crate::api::calls::LiveResponseCommandRequest as L;
    let result = match req {
        ActionRequest::CollectInvestigationPackage { .. } => ResultKind::Package,
        ActionRequest::RunLiveResponse { commands, .. } => match commands.first() {
            Some(L::RunScript { .. }) => ResultKind::Script,
            Some(L::GetFile { .. }) => ResultKind::File,
            _ => ResultKind::None,
        },
        _ => ResultKind::None,
    };
    Sending {
        label: req.label().to_string(),
        device: device.to_string(),
        result,
        trackable: req.expected_action_type().is_some(),
        triage: false,
    }
}

/// Hint-bar entries for the focused table (none on a read-only profile).
pub fn hints(s: &crate::app::AppState) -> Vec<(crate::app::Action, &'static str)> {
    use crate::app::{Action, TableId};
    let all = if s
        .table(TableId::Incidents)
        .is_some_and(|t| t.scope.is_some())
    {
        "all"
    } else {
        "unresolved"
    };
    if s.settings.read_only {
        return match s.focused_table() {
            Some(TableId::Incidents) => vec![(Action::AllIncidents, all)],
            _ => Vec::new(),
        };
    }
    match s.focused_table() {
        Some(TableId::Indicators) => vec![
            (Action::NewIndicator, "add"),
            (Action::DeleteIndicator, "delete"),
        ],
        Some(TableId::ActionsPending) => vec![
            (Action::ToggleDone, "mark"),
            (Action::MarkAll, "mark all"),
            (Action::CancelActions, "cancel"),
        ],
        Some(TableId::Incidents) => vec![
            (Action::AllIncidents, all),
            (Action::Triage, "triage"),
            (Action::AssignMe, "assign me"),
            (Action::Comment, "comment"),
            (Action::ToggleDone, "mark"),
            (Action::DeviceMenu, "actions"),
            (Action::Isolate, "isolate"),
        ],
        Some(TableId::Alerts) => vec![
            (Action::Triage, "triage"),
            (Action::AssignMe, "assign me"),
            (Action::Comment, "comment"),
            (Action::ToggleDone, "mark"),
            (Action::DeviceMenu, "actions"),
            (Action::Isolate, "isolate"),
        ],
        Some(TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices) => vec![
            (Action::ToggleDone, "mark"),
            (Action::DeviceMenu, "actions"),
            (Action::Scan, "scan"),
            (
                Action::Isolate,
                if isolation::selected(s).offers_release() {
                    "release"
                } else {
                    "isolate"
                },
            ),
            (Action::Investigate, "full scan"),
        ],
        _ => Vec::new(),
    }
}
