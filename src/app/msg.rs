//! What flows into `update` (`Msg`) and what comes out of it (`Command`).

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::api::calls::ActionRequest;
pub use crate::app::basic::{LoadError, RequestId};
use crate::app::basic::{ResultKind, SendResult};
use crate::app::data::store::Payload;
use crate::app::input::key::Key;
use crate::app::view::ResourceKind;

/// Everything that can happen to the console.
#[derive(Debug, Clone)]
pub enum Msg {
    /// The clock moved (sent by the runtime before each batch; also by tests).
    Tick(DateTime<Utc>),
    /// A key was pressed.
    Key(Key),
    /// The wheel turned or a button was clicked (only sent when the mouse is on).
    Mouse(crate::app::basic::Mouse),
    /// The terminal was resized to columns × rows.
    Resize(u16, u16),
    /// The terminal's input failed or ended: the runtime leaves with this cause.
    InputLost(String),
    /// A frame was drawn; the focused table's rows were drawn there (for scrolling with the
    /// real page height and for mouse clicks).
    Drawn(Option<crate::app::basic::RowsArea>),
    /// A load finished.
    Loaded {
        id: RequestId,
        at: DateTime<Utc>,
        payload: Box<Payload>,
    },
    /// What a page asked for (`LoadPage`), or why it could not be read.
    PageLoaded {
        id: RequestId,
        result: Result<crate::app::basic::PageData, LoadError>,
    },
    /// A load failed.
    LoadFailed {
        id: RequestId,
        at: DateTime<Utc>,
        kind: ResourceKind,
        error: LoadError,
    },
    /// A load kept what it could read but skipped records that did not fit the model:
    /// `summary` says how many and why ("1 record could not be read (…)").
    RecordsSkipped {
        at: DateTime<Utc>,
        kind: ResourceKind,
        summary: String,
    },
    /// Refresh the visible view (scheduler).
    RefreshDue,
    /// A toast reached its end of life.
    ToastExpired(u64),
    /// A line to show briefly (e.g. a link that could not be opened).
    Toast(String),
    /// The team store's pending requests for this profile (or why they could not be read),
    /// and who this console is there.
    TeamQueue {
        me: String,
        result: Result<Vec<crate::app::basic::TeamRequest>, String>,
    },
    /// API budget use (calls in the last minute, per-minute limit).
    Budget { used: u32, per_minute: u32 },
    /// The records of a triage change, read again (`RecheckTriage`): per record, what another
    /// hand changed since the view was loaded; or why they could not be read.
    TriageRechecked {
        ticket: u64,
        result: Result<Vec<(String, Vec<String>)>, String>,
    },
    /// The safety pipeline finished with a `SendAction`.
    ActionSent { ticket: u64, result: SendResult },
    /// A tracked machine action's status was read.
    ActionProgress {
        id: String,
        status: crate::api::model::ActionStatus,
    },
    /// Tracking of an action stopped: `gone` (404, forget it) or after repeated errors
    /// (keep it on disk so a restart resumes).
    TrackingStopped {
        id: String,
        error: String,
        gone: bool,
    },
    /// Lines to show in a scrollable overlay (audit log, script output).
    ShowText { title: String, lines: Vec<String> },
    /// The live-response library's file names.
    LibraryFiles(Vec<String>),
    /// The indicators the API has for `value` now (or why they could not be read).
    IndicatorChecked {
        value: String,
        result: Result<Vec<crate::api::model::Indicator>, String>,
    },
    /// One tenant's line of the All tenants view (`round` of `LoadTenants`).
    TenantSummary {
        round: u64,
        index: usize,
        result: Result<Box<crate::digest::Snapshot>, String>,
    },
    /// A profile's own files, read after a switch to it.
    TenantRestored {
        profile: String,
        marks: crate::app::data::checklist::Marks,
        previous: Option<Box<crate::digest::Snapshot>>,
        tracked: Vec<crate::app::basic::Tracked>,
    },
}

/// Work for the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Fetch a resource; answer with `Loaded`/`LoadFailed` carrying the id.
    Load(ResourceKind, RequestId),
    /// Read what a page needs beyond the loaded lists (supervised, within the budget; offline
    /// nothing is sent); answer `PageLoaded` carrying the id.
    LoadPage {
        id: RequestId,
        fetch: crate::app::basic::PageFetch,
    },
    /// Copy to the terminal's clipboard (OSC 52).
    CopyToClipboard(String),
    /// Open a URL in a browser, or show it when there is none.
    OpenUrl(String),
    /// Write the checklist (its JSON, as the checklist file holds it).
    SaveChecklist { json: String },
    /// Send `ToastExpired(id)` after a while.
    ExpireToast { id: u64, after: Duration },
    /// Save this session's snapshot (the digest's `Snapshot` built from loaded data).
    SaveSnapshot(Box<crate::digest::Snapshot>),
    /// Write an export file (named `name`, in the current directory or the data dir).
    Export { name: String, content: String },
    /// Leave the console.
    Quit,
    /// Run a write through the safety pipeline (duplicate guard, audit intent, send once,
    /// look up after an ambiguous failure, audit outcome); answer `ActionSent { ticket }`.
    SendAction {
        ticket: u64,
        request: Box<ActionRequest>,
        /// Device id and name (or action ids) for the audit log.
        targets: Vec<String>,
        /// Show the exact request instead of sending.
        dry_run: bool,
    },
    /// Read these incidents or alerts again and compare each with what the analyst saw;
    /// answer `TriageRechecked { ticket }`.
    RecheckTriage {
        ticket: u64,
        checks: Vec<crate::app::basic::Check>,
    },
    /// Poll `machineactions/{id}` with backoff until a terminal status (`ActionProgress`).
    TrackAction { id: String },
    /// Write the tracked actions to `tracked-<profile>.json` (the whole list, as it is now).
    SaveTracked(Vec<crate::app::basic::Tracked>),
    /// Fetch what a succeeded action produced (package, script output, file).
    FetchResult {
        id: String,
        what: ResultKind,
        device: String,
    },
    /// Load the live-response library (`LibraryFiles`).
    LoadLibrary,
    /// Read the audit log and show it (`ShowText`).
    ShowAudit,
    /// Swap the worker, the action runner and the per-profile files to tenant `i` (the
    /// loads that follow go to it); answer `TenantRestored`.
    SwitchTenant(usize),
    /// Collect every tenant's summary concurrently; answer one `TenantSummary` each.
    LoadTenants { round: u64 },
    /// Record a portal hand-over in the audit log.
    Handover {
        action: String,
        url: String,
        targets: Vec<String>,
    },
    /// Approve these team requests as they were shown (each dispatched once, as this
    /// analyst); answer `ActionSent { ticket }` for each.
    TeamApprove {
        items: Vec<(u64, crate::store::team::types::ApprovalRequest)>,
        comment: String,
    },
    /// Reject a team request with a comment.
    TeamReject { id: i64, comment: String },
    /// Read the indicators of this value from the API (as `indicators add` does before it
    /// adds); answer `IndicatorChecked`.
    CheckIndicator { value: String },
}
