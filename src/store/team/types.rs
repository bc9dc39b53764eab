//! The values the team store keeps and the ways it says no.

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

/// Where a request stands. Only `Pending` can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestState {
    Pending,
    Approved,
    Rejected,
    Expired,
    Withdrawn,
}

impl RequestState {
    pub const ALL: [RequestState; 5] = [
        RequestState::Pending,
        RequestState::Approved,
        RequestState::Rejected,
        RequestState::Expired,
        RequestState::Withdrawn,
    ];

    /// The word stored in the `state` column.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Rejected => "rejected",
            RequestState::Expired => "expired",
            RequestState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<RequestState> {
        RequestState::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for RequestState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request about to be parked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub profile: String,
    pub tenant: String,
    /// The policy name: a machine action `type` (`Isolate`, `Offboard`, …) or `Indicator`.
    pub kind: String,
    pub target_id: String,
    pub target_name: String,
    /// What it will do, as the confirm dialog says it (e.g. "Isolate device").
    pub description: String,
    /// The serialized `ActionRequest` that approving will dispatch.
    pub parameters: String,
    pub comment: String,
    pub requester: String,
    pub requested_at: i64,
    pub expires_at: i64,
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalRequest {
    pub id: i64,
    pub state: RequestState,
    pub profile: String,
    pub tenant: String,
    pub kind: String,
    pub target_id: String,
    pub target_name: String,
    pub description: String,
    #[serde(serialize_with = "as_json")]
    pub parameters: String,
    pub comment: String,
    pub requester: String,
    #[serde(serialize_with = "as_time")]
    pub requested_at: i64,
    #[serde(serialize_with = "as_time")]
    pub expires_at: i64,
    pub decided_by: Option<String>,
    #[serde(serialize_with = "as_opt_time")]
    pub decided_at: Option<i64>,
    pub decision_comment: Option<String>,
    /// What dispatching an approved request did: `sent`, `failed: …`, `unknown: …`.
    pub outcome: Option<String>,
    /// The machine action (or indicator) id the service answered.
    pub action_id: Option<String>,
}

/// An epoch-seconds value as RFC 3339 UTC.
pub fn time_text(t: i64) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| t.to_string())
}

fn as_time<S: Serializer>(t: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&time_text(*t))
}

fn as_opt_time<S: Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&time_text(*t)),
        None => s.serialize_none(),
    }
}

/// The parameters are JSON text; show them as JSON, not as a string of JSON.
fn as_json<S: Serializer>(p: &str, s: S) -> Result<S::Ok, S::Error> {
    match serde_json::from_str::<serde_json::Value>(p) {
        Ok(v) => v.serialize(s),
        Err(_) => s.serialize_str(p),
    }
}

/// Approve or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

impl Verdict {
    pub fn state(self) -> RequestState {
        match self {
            Verdict::Approve => RequestState::Approved,
            Verdict::Reject => RequestState::Rejected,
        }
    }
}

/// A decision on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: i64,
    pub verdict: Verdict,
    pub by: String,
    pub comment: String,
    pub now: i64,
    /// The parameters the decider was shown: the decision applies only while the stored
    /// request still holds exactly these (anyone who can write the store could change them
    /// between show and approve). `None` for a rejection, which sends nothing.
    pub parameters: Option<String>,
}

/// One row of the team audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamAuditEntry {
    pub request_id: i64,
    #[serde(serialize_with = "as_time")]
    pub at: i64,
    pub actor: String,
    /// `requested`, `approved`, `rejected`, `withdrawn`, `expired`, `dispatched`, …
    pub event: String,
    pub detail: String,
}

/// Why the team store said no.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// The `[team]` settings are wrong.
    #[error("{0}")]
    Config(String),
    /// The store cannot be reached or opened: nothing was written.
    #[error("the team store is unreachable: {0}")]
    Unreachable(String),
    /// The database's schema is newer than this binary.
    #[error(
        "the team store's schema is version {found}, newer than this socops knows ({known}); \
         upgrade socops on this machine"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("no approval request {0}")]
    NotFound(i64),
    /// Four eyes: the requester cannot decide their own request.
    #[error("request {id} was made by {requester}; another analyst must decide it")]
    OwnRequest { id: i64, requester: String },
    /// Someone else decided first (or it was withdrawn or expired).
    #[error("{}", already_text(*.id, *.state, .by.as_deref()))]
    AlreadyDecided {
        id: i64,
        state: RequestState,
        by: Option<String>,
    },
    /// The request's parameters are no longer what the decider was shown.
    #[error("request {0} changed after it was shown; nothing was decided or sent: show it again")]
    Changed(i64),
    /// Past its expiry; it was never sent.
    #[error("request {0} has expired; nothing was sent")]
    Expired(i64),
    /// Only the requester may withdraw.
    #[error("request {id} was made by {requester}; only they can withdraw it")]
    NotRequester { id: i64, requester: String },
    /// A statement failed.
    #[error("team store: {0}")]
    Db(String),
}

fn already_text(id: i64, state: RequestState, by: Option<&str>) -> String {
    match (state, by) {
        (RequestState::Approved, Some(by)) => format!("request {id} was already approved by {by}"),
        (RequestState::Rejected, Some(by)) => format!("request {id} was already rejected by {by}"),
        (RequestState::Withdrawn, _) => format!("request {id} was withdrawn by its requester"),
        (RequestState::Expired, _) => format!("request {id} has expired; nothing was sent"),
        (s, _) => format!("request {id} is {s}"),
    }
}
