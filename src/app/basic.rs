//! The plain data that messages and commands carry (`msg.rs`): no behaviour, and no imports
//! from the rest of `app`, so `msg` depends only on these, on `api`/`digest` types and on the
//! key and resource enums. The modules that own the logic re-export what they use.

use crate::api::calls::{TriageEntity, TriageView};
use crate::api::model::{ActionStatus, Machine};
// The team store's row type: plain data (`store::team::types` does no IO).
use crate::store::team::types::ApprovalRequest;
use serde::{Deserialize, Serialize};

/// Identifies one load request, so an answer to an older request is dropped.
pub type RequestId = u64;

/// A failed load as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The error's text (never holds a secret: `ApiError`'s display).
    pub text: String,
    /// Microsoft's error code, when there is one.
    pub code: Option<String>,
    /// The correlation / request id to quote to support.
    pub correlation_id: Option<String>,
}

/// What to fetch once a tracked action has succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ResultKind {
    /// Nothing to fetch.
    #[default]
    None,
    /// The investigation package (saved to downloads).
    Package,
    /// A live-response `RunScript` output (shown).
    Script,
    /// A live-response `GetFile` result (saved to downloads).
    File,
}

/// A machine action followed to its terminal status (kept on disk so a restart resumes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    pub id: String,
    pub label: String,
    pub device: String,
    pub status: ActionStatus,
    /// Its reads kept failing: no longer followed in this session (a restart resumes it).
    #[serde(default)]
    pub stopped: bool,
    #[serde(default)]
    pub result: ResultKind,
}

/// What the runtime's safety pipeline did with a `SendAction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendResult {
    /// Sent (or found after an ambiguous failure): the created record's id and status.
    Sent {
        id: Option<String>,
        status: Option<ActionStatus>,
    },
    /// Not sent: an action of the same type is already pending on the device.
    Duplicate { id: String, status: ActionStatus },
    /// Sent, and the service answered that an action of the same type was already pending
    /// (refused with `ActiveRequestAlreadyExists`, or answered with the pending action): no
    /// new action. The text names the pending action.
    AlreadyPending(String),
    /// Dry run: the exact request, not sent.
    DryRun(Vec<String>),
    /// Not sent (audit log unavailable, validation).
    Refused(String),
    /// Failed and not performed (refused by the service, or it never reached it).
    Failed(LoadError),
    /// Not sent: the team's four-eyes policy parked it as this approval request.
    AwaitingApproval { request: i64 },
    /// May have been performed and could not be confirmed: the text says how to check.
    Unknown(LoadError),
}

/// What the mouse did, in terminal cells (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    ScrollUp,
    ScrollDown,
    /// Left button pressed at (column, row).
    Click(u16, u16),
}

/// Where the focused table's rows were last drawn, and the first row shown there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowsArea {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
    pub first: usize,
}

/// What a page asks the runtime to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageFetch {
    /// `GET /api/recommendations/{id}/machineReferences`.
    ExposedDevices(String),
}

/// What came back.
#[derive(Debug, Clone)]
pub enum PageData {
    ExposedDevices(Vec<Machine>),
}

/// One pending request as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRequest {
    pub row: ApprovalRequest,
    /// The exact request approving will send (the confirm dialog's dry-run text).
    pub request_lines: Vec<String>,
    /// This analyst made it, under which name (OS login or Entra user): they can never
    /// decide it. Set by the runtime, which knows every name of this process.
    pub own: Option<String>,
}

/// One record to re-read: what it is and what the analyst saw of it.
pub(crate) type Check = (TriageEntity, String, TriageView);
