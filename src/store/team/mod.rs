//! The team store: the four-eyes approval queue shared by a SOC's analysts. One schema and
//! one list of migrations ([`schema`]) for two engines behind one small trait ([`Engine`]):
//! SQLite in WAL mode for analysts sharing one jump box ([`sqlite`]), PostgreSQL with a pool
//! when the team works from several ([`postgres`]).
//!
//! The database decides every race: a decision is a conditional
//! `UPDATE … WHERE id = ? AND state = 'pending'` inside a transaction, so two analysts
//! approving the same request at once produce one winner, and the loser is told who won.
//! The team audit table is append-only (socops never updates or deletes it; the schema's
//! triggers refuse it too). The store holds no secrets and no tokens.

pub mod events;
pub mod identity;
pub mod policy;
pub mod postgres;
pub mod schema;
pub mod secret;
pub mod sqlite;
pub mod types;

use std::future::Future;

pub use events::AuditRow;
pub use identity::Identity;
pub use policy::{ApprovalPolicy, TeamConfig};
pub use secret::redact_url;
pub use types::{
    ApprovalRequest, Decision, NewRequest, RequestState, TeamAuditEntry, TeamError, Verdict,
    time_text,
};

/// One engine of the team store. Every state change writes its team-audit row in the same
/// transaction, so the queue and its audit never disagree.
pub trait Engine: Send + Sync {
    /// Park a new pending request; returns it with its id.
    fn request(
        &self,
        new: NewRequest,
    ) -> impl Future<Output = Result<ApprovalRequest, TeamError>> + Send;
    /// Requests in `state` (all when `None`) of `tenant` (every tenant when `None`), newest
    /// first.
    fn list(
        &self,
        state: Option<RequestState>,
        tenant: Option<&str>,
    ) -> impl Future<Output = Result<Vec<ApprovalRequest>, TeamError>> + Send;
    /// One request, `None` when no such id.
    fn get(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<ApprovalRequest>, TeamError>> + Send;
    /// Approve or reject: pending → approved/rejected when the request is still pending, of
    /// the decider's tenant, not expired by the database's clock, at the version shown, and
    /// made under none of the decider's names. Otherwise the error says why (and who won).
    fn decide(
        &self,
        d: Decision,
    ) -> impl Future<Output = Result<ApprovalRequest, TeamError>> + Send;
    /// Record what happened when an approved request was dispatched (once: only while no
    /// outcome is recorded).
    fn record_outcome(
        &self,
        id: i64,
        outcome: &str,
        action_id: Option<&str>,
    ) -> impl Future<Output = Result<(), TeamError>> + Send;
    /// pending → withdrawn, by the requester (under the name the request shows) only.
    fn withdraw(
        &self,
        id: i64,
        by: &str,
    ) -> impl Future<Output = Result<ApprovalRequest, TeamError>> + Send;
    /// pending → expired for every request past its expiry by the database's clock; returns
    /// their ids.
    fn expire(&self) -> impl Future<Output = Result<Vec<i64>, TeamError>> + Send;
    /// Append one row to the team audit (never updated, never deleted), at the database's
    /// time.
    fn append_audit(&self, entry: AuditRow) -> impl Future<Output = Result<(), TeamError>> + Send;
    /// The team audit of one request, oldest first.
    fn audit_of(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Vec<TeamAuditEntry>, TeamError>> + Send;
    /// The database's clock (epoch seconds): what expiry is measured against.
    fn clock(&self) -> impl Future<Output = Result<i64, TeamError>> + Send;
}

/// The configured engine. Cheap to clone (both engines share their connections).
#[derive(Clone)]
pub enum TeamStore {
    Sqlite(sqlite::SqliteStore),
    Postgres(postgres::PgStore),
}

/// Dispatch one call to the engine in use.
macro_rules! each {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            TeamStore::Sqlite($s) => $call.await,
            TeamStore::Postgres($s) => $call.await,
        }
    };
}

impl TeamStore {
    /// Open the store named by `[team] store`: `sqlite:///path/team.db` or
    /// `postgres://user@host/db` (`postgresql://` too). Applies the migrations on first use
    /// and refuses a schema newer than this binary knows.
    pub async fn open(url: &str) -> Result<TeamStore, TeamError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(TeamError::Config(
                    "the team store 'sqlite://' names no file (e.g. sqlite:///srv/socops/team.db)"
                        .into(),
                ));
            }
            return Ok(TeamStore::Sqlite(
                sqlite::SqliteStore::open(path.as_ref()).await?,
            ));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            if secret::url_secret(url).is_some() {
                return Err(TeamError::Config(format!(
                    "the team store URL {} carries a password; socops keeps no secrets in its \
                     config: remove it and {}",
                    crate::text::line(&redact_url(url)),
                    secret::HOW_TO_GIVE_A_PASSWORD
                )));
            }
            return Ok(TeamStore::Postgres(postgres::PgStore::open(url).await?));
        }
        Err(TeamError::Config(format!(
            "the team store must be 'sqlite:///path' or 'postgres://…', not '{}'",
            crate::text::line(&redact_url(url))
        )))
    }

    pub async fn request(&self, new: NewRequest) -> Result<ApprovalRequest, TeamError> {
        each!(self, s => s.request(new))
    }
    pub async fn list(
        &self,
        state: Option<RequestState>,
        tenant: Option<&str>,
    ) -> Result<Vec<ApprovalRequest>, TeamError> {
        each!(self, s => s.list(state, tenant))
    }
    pub async fn get(&self, id: i64) -> Result<Option<ApprovalRequest>, TeamError> {
        each!(self, s => s.get(id))
    }
    pub async fn decide(&self, d: Decision) -> Result<ApprovalRequest, TeamError> {
        each!(self, s => s.decide(d))
    }
    pub async fn record_outcome(
        &self,
        id: i64,
        outcome: &str,
        action_id: Option<&str>,
    ) -> Result<(), TeamError> {
        each!(self, s => s.record_outcome(id, outcome, action_id))
    }
    pub async fn withdraw(&self, id: i64, by: &str) -> Result<ApprovalRequest, TeamError> {
        each!(self, s => s.withdraw(id, by))
    }
    pub async fn expire(&self) -> Result<Vec<i64>, TeamError> {
        each!(self, s => s.expire())
    }
    pub async fn append_audit(&self, entry: AuditRow) -> Result<(), TeamError> {
        each!(self, s => s.append_audit(entry))
    }
    pub async fn audit_of(&self, id: i64) -> Result<Vec<TeamAuditEntry>, TeamError> {
        each!(self, s => s.audit_of(id))
    }
    pub async fn clock(&self) -> Result<i64, TeamError> {
        each!(self, s => s.clock())
    }

    /// On PostgreSQL, wake `on_change` whenever a request is filed or changes (LISTEN/NOTIFY)
    /// until the returned task ends; `None` on SQLite (and when listening fails), where the
    /// reader polls.
    pub async fn watch(
        &self,
        on_change: std::sync::Arc<tokio::sync::Notify>,
    ) -> Option<tokio::task::JoinHandle<()>> {
        match self {
            TeamStore::Sqlite(_) => None,
            TeamStore::Postgres(p) => p.watch(on_change).await.ok(),
        }
    }
}

/// Seconds since the epoch by this machine's clock: for showing times only; the store
/// decides expiry by the database's clock.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_store_url_with_a_password_is_refused_before_connecting() {
        for url in [
            "postgres://socops:hunter2@127.0.0.1:1/socops",
            "postgres://socops@127.0.0.1:1/socops?password=hunter2",
        ] {
            let Err(e) = TeamStore::open(url).await else {
                panic!("opened {url}")
            };
            let msg = e.to_string();
            assert!(matches!(e, TeamError::Config(_)), "{msg}");
            assert!(
                msg.contains("PGPASSWORD") && msg.contains("passfile"),
                "{msg}"
            );
            assert!(!msg.contains("hunter2"), "{msg}");
        }
    }

    #[tokio::test]
    async fn refuses_an_unknown_scheme_without_echoing_a_password() {
        let Err(e) = TeamStore::open("mysql://u:hunter2@h/db").await else {
            panic!("opened")
        };
        let msg = e.to_string();
        assert!(msg.contains("sqlite:///path"), "{msg}");
        assert!(!msg.contains("hunter2"), "{msg}");
    }
}
