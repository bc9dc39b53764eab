//! The team store's schema: ONE list of migrations for both engines, applied in order on
//! first use and recorded in `socops_schema`. Statements are written in the SQL both engines
//! share; the few words that differ are placeholders filled per dialect ([`Dialect::render`]).
//! A database whose schema is newer than [`LATEST`] is refused, never written.

/// The SQL flavour of an engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

/// One step of the schema.
pub struct Migration {
    pub version: i64,
    /// What the step does, for the version table.
    pub name: &'static str,
    /// Statements separated by `;` on a line of its own (`;;`-free SQL).
    pub sql: &'static str,
}

/// The schema, oldest first. Never edit a released step: add a new one.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "approval requests and the append-only team audit",
        sql: r#"
CREATE TABLE approval_requests (
    id {ID},
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'approved', 'rejected', 'expired', 'withdrawn')),
    profile TEXT NOT NULL,
    tenant TEXT NOT NULL,
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    target_name TEXT NOT NULL,
    description TEXT NOT NULL,
    parameters TEXT NOT NULL,
    comment TEXT NOT NULL,
    requester TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_comment TEXT,
    outcome TEXT,
    action_id TEXT
)
;
CREATE INDEX approval_requests_state ON approval_requests (state, expires_at)
;
CREATE TABLE team_audit (
    id {ID},
    request_id BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL
)
;
CREATE INDEX team_audit_request ON team_audit (request_id)
;
{APPEND_ONLY}
"#,
    },
    Migration {
        version: 2,
        name: "every identity of requester and decider, the tenant queue, row versions",
        sql: r#"
ALTER TABLE approval_requests ADD COLUMN requester_login TEXT
;
ALTER TABLE approval_requests ADD COLUMN requester_upn TEXT
;
ALTER TABLE approval_requests ADD COLUMN requester_db_user TEXT
;
ALTER TABLE approval_requests ADD COLUMN decided_by_login TEXT
;
ALTER TABLE approval_requests ADD COLUMN decided_by_upn TEXT
;
ALTER TABLE approval_requests ADD COLUMN decided_by_db_user TEXT
;
ALTER TABLE approval_requests ADD COLUMN version BIGINT NOT NULL DEFAULT 1
;
CREATE INDEX approval_requests_tenant ON approval_requests (tenant, state)
;
{VERSION_BUMP}
;
{NOTIFY}
"#,
    },
];

/// The newest schema version this binary knows.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// The version table, created before anything else.
pub(crate) const VERSION_TABLE: &str = "CREATE TABLE IF NOT EXISTS socops_schema (\
    version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

/// The team audit refuses UPDATE and DELETE in the database itself, so not even a bug in
/// socops can rewrite it.
const SQLITE_APPEND_ONLY: &str = "\
CREATE TRIGGER team_audit_no_update BEFORE UPDATE ON team_audit \
BEGIN SELECT RAISE(ABORT, 'team_audit is append-only'); END
;
CREATE TRIGGER team_audit_no_delete BEFORE DELETE ON team_audit \
BEGIN SELECT RAISE(ABORT, 'team_audit is append-only'); END";

const POSTGRES_APPEND_ONLY: &str = "\
CREATE FUNCTION team_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN RAISE EXCEPTION 'team_audit is append-only'; END $$
;
CREATE TRIGGER team_audit_no_change BEFORE UPDATE OR DELETE ON team_audit \
FOR EACH ROW EXECUTE FUNCTION team_audit_append_only()";

/// Every change of a request raises its version, whoever makes it and however (even a
/// statement typed by hand that sets `version` itself): an approval names the version it was
/// shown, so a row changed since is never approved.
const SQLITE_VERSION_BUMP: &str = "\
CREATE TRIGGER approval_requests_version AFTER UPDATE ON approval_requests \
FOR EACH ROW WHEN NEW.version <> OLD.version + 1 \
BEGIN UPDATE approval_requests SET version = OLD.version + 1 WHERE id = NEW.id; END";

const POSTGRES_VERSION_BUMP: &str = "\
CREATE FUNCTION approval_requests_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN NEW.version := OLD.version + 1; RETURN NEW; END $$
;
CREATE TRIGGER approval_requests_version BEFORE UPDATE ON approval_requests \
FOR EACH ROW EXECUTE FUNCTION approval_requests_bump_version()";

/// PostgreSQL tells listening consoles that the queue changed (`LISTEN socops_approvals`);
/// SQLite consoles poll.
pub(crate) const NOTIFY_CHANNEL: &str = "socops_approvals";

const POSTGRES_NOTIFY: &str = "\
CREATE FUNCTION approval_requests_notify() RETURNS trigger LANGUAGE plpgsql AS $$ \
BEGIN PERFORM pg_notify('socops_approvals', NEW.id::text); RETURN NULL; END $$
;
CREATE TRIGGER approval_requests_changed AFTER INSERT OR UPDATE ON approval_requests \
FOR EACH ROW EXECUTE FUNCTION approval_requests_notify()";

impl Dialect {
    /// The statements of `m` in this dialect.
    pub(crate) fn render(self, m: &Migration) -> Vec<String> {
        let (id, append_only, bump, notify) = match self {
            Dialect::Sqlite => (
                "INTEGER PRIMARY KEY AUTOINCREMENT",
                SQLITE_APPEND_ONLY,
                SQLITE_VERSION_BUMP,
                "",
            ),
            Dialect::Postgres => (
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                POSTGRES_APPEND_ONLY,
                POSTGRES_VERSION_BUMP,
                POSTGRES_NOTIFY,
            ),
        };
        m.sql
            .replace("{ID}", id)
            .replace("{APPEND_ONLY}", append_only)
            .replace("{VERSION_BUMP}", bump)
            .replace("{NOTIFY}", notify)
            .split("\n;")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The steps to apply to a database at `current`, or the refusal of a newer schema.
pub fn pending(current: i64) -> Result<Vec<&'static Migration>, super::TeamError> {
    if current > LATEST {
        return Err(super::TeamError::SchemaTooNew {
            found: current,
            known: LATEST,
        });
    }
    Ok(MIGRATIONS.iter().filter(|m| m.version > current).collect())
}

/// The columns every engine reads, in [`super::ApprovalRequest`] order.
pub(crate) const REQUEST_COLUMNS: &str = "id, state, profile, tenant, kind, target_id, target_name, \
    description, parameters, comment, requester, requested_at, expires_at, decided_by, \
    decided_at, decision_comment, outcome, action_id, requester_login, requester_upn, \
    requester_db_user, decided_by_login, decided_by_upn, decided_by_db_user, version";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_by_one_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "{}", m.name);
        }
    }

    #[test]
    fn both_dialects_fill_every_placeholder() {
        for d in [Dialect::Sqlite, Dialect::Postgres] {
            for m in MIGRATIONS {
                for stmt in d.render(m) {
                    assert!(!stmt.contains('{'), "{d:?}: {stmt}");
                }
            }
        }
    }

    #[test]
    fn a_newer_schema_is_refused_with_both_versions() {
        let e = pending(LATEST + 1).err().expect("refused");
        let msg = e.to_string();
        assert!(msg.contains(&format!("version {}", LATEST + 1)), "{msg}");
        assert!(msg.contains("upgrade socops"), "{msg}");
        assert_eq!(pending(LATEST).unwrap().len(), 0);
        assert_eq!(pending(0).unwrap().len(), MIGRATIONS.len());
    }
}
