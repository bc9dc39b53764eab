//! The values the team store keeps and the ways it says no.

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

pub(super) use super::identity::Identity;

/// Where a request stands. Only `Pending` can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RequestState {
    #[default]
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

/// A request about to be parked. Its times are the database's: it is stamped with the
/// database's clock and expires `expires_in_secs` later by that same clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    /// The profile it was filed from (shown; requests are matched on `tenant`).
    pub profile: String,
    /// The tenant id: the queue of a tenant is shared by every profile pointing at it.
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
    pub requester: Identity,
    pub expires_in_secs: i64,
}

/// A request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
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
    /// Who asked, as shown: the Entra UPN when signed in, else the OS login.
    pub requester: String,
    /// Every identity of the requester, each of which blocks self-approval: the OS login of
    /// the process, the Entra UPN when signed in, and on PostgreSQL the database role
    /// (`session_user`). `None` where not known (no UPN; SQLite has no roles).
    pub requester_login: Option<String>,
    pub requester_upn: Option<String>,
    pub requester_db_user: Option<String>,
    #[serde(serialize_with = "as_time")]
    pub requested_at: i64,
    #[serde(serialize_with = "as_time")]
    pub expires_at: i64,
    pub decided_by: Option<String>,
    pub decided_by_login: Option<String>,
    pub decided_by_upn: Option<String>,
    pub decided_by_db_user: Option<String>,
    #[serde(serialize_with = "as_opt_time")]
    pub decided_at: Option<i64>,
    pub decision_comment: Option<String>,
    /// What dispatching an approved request did: `sent`, `failed: …`, `unknown: …`.
    pub outcome: Option<String>,
    /// The machine action (or indicator) id the service answered.
    pub action_id: Option<String>,
    /// Raised by the database on every change of the row: a decision applies only to the
    /// version the decider was shown.
    pub version: i64,
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

/// A decision on one request, taken at the database's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: i64,
    /// The tenant of the decider's session: a request of another tenant never matches.
    pub tenant: String,
    pub verdict: Verdict,
    pub by: Identity,
    pub comment: String,
    /// The row version the decider was shown (`None`: whatever the store holds now).
    pub version: Option<i64>,
    /// The parameters the decider was shown: the decision applies only while the stored
    /// request still holds exactly these (anyone who can write the store could change them
    /// between show and approve). `None` for a rejection, which sends nothing.
    pub parameters: Option<String>,
}

/// One row of the team audit. Its `at` is the database's time when it was appended.
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
    /// Four eyes: the requester cannot decide their own request, under any of their
    /// identities (`via` says which one matched).
    #[error("request {id} was made by {requester} ({via}); another analyst must decide it")]
    OwnRequest {
        id: i64,
        requester: String,
        via: String,
    },
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
    /// The request belongs to another tenant than the decider's session.
    #[error(
        "request {id} is for tenant {tenant}, not this session's; nothing was decided \
         (use a profile of that tenant)"
    )]
    OtherTenant { id: i64, tenant: String },
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
