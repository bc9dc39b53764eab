//! The team store on SQLite: one file on one jump box, shared by every analyst's socops
//! process. WAL mode lets readers run beside a writer; writes take the database lock up
//! front (`BEGIN IMMEDIATE`) and wait up to [`BUSY_TIMEOUT`] for it, so concurrent
//! processes queue instead of failing. rusqlite is synchronous: every call runs on
//! `spawn_blocking`.
//!
//! The file's permissions define the team: socops creates it 0660 (owner and group read and
//! write; the group is the team) and refuses to use one that others can open.

#[cfg(unix)]
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, named_params, params,
};

use super::events::{self, AuditRow};
use super::schema::{self, Dialect, REQUEST_COLUMNS};
use super::{
    ApprovalRequest, Decision, Engine, NewRequest, RequestState, TeamAuditEntry, TeamError,
};

/// The database's clock, in epoch seconds: every time the store keeps is the database's,
/// so no analyst's clock decides what has expired.
const NOW: &str = "CAST(strftime('%s', 'now') AS INTEGER)";

/// How long a writer waits for another process's transaction.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The team store in one SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl SqliteStore {
    /// Open (creating 0660 when missing) and migrate the store at `path`.
    pub async fn open(path: &Path) -> Result<SqliteStore, TeamError> {
        let path = path.to_path_buf();
        let p = path.clone();
        let conn = tokio::task::spawn_blocking(move || open_blocking(&p))
            .await
            .map_err(|e| TeamError::Db(e.to_string()))??;
        Ok(SqliteStore {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run `f` on the connection off the async threads.
    async fn run<T, F>(&self, f: F) -> Result<T, TeamError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, TeamError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| TeamError::Db("the store's connection was poisoned".into()))?;
            f(&mut guard)
        })
        .await
        .map_err(|e| TeamError::Db(e.to_string()))?
    }
}

fn unreachable(path: &Path, e: impl std::fmt::Display) -> TeamError {
    TeamError::Unreachable(format!("{}: {e}", path.display()))
}

fn db(e: rusqlite::Error) -> TeamError {
    TeamError::Db(e.to_string())
}

fn open_blocking(path: &Path) -> Result<Connection, TeamError> {
    create_or_check(path)?;
    // SQLite itself refuses a link put at the name after the check above.
    let flags = OpenFlags::default() | OpenFlags::SQLITE_OPEN_NOFOLLOW;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| unreachable(path, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| unreachable(path, e))?;
    // WAL: readers never block the writer; the mode is stored in the file, so every
    // process sharing it uses it.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| unreachable(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(unreachable(
            path,
            format!("cannot switch to WAL mode (got {mode})"),
        ));
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(|e| unreachable(path, e))?;
    let mut conn = conn;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Create the file 0660 when missing; refuse a file anyone outside owner and group can open,
/// and a symbolic link: the store often sits in a directory the whole team can write, and
/// creating or chmod-ing through a link planted there would hand the team a file of this
/// analyst's wherever it points.
#[cfg(unix)]
fn create_or_check(path: &Path) -> Result<(), TeamError> {
    refuse_link(path)?;
    // `create_new` (O_EXCL) never follows a link; an existing file is left as it is.
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o660)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
    {
        // The umask may have narrowed the mode; the team (the file's group) needs it. Set
        // on the open file, never by name.
        Ok(file) => file
            .set_permissions(std::fs::Permissions::from_mode(0o660))
            .map_err(|e| unreachable(path, e))?,
        // Another analyst's socops made it meanwhile, or it was there: checked below.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(unreachable(path, e)),
    }
    let meta = std::fs::symlink_metadata(path).map_err(|e| unreachable(path, e))?;
    if meta.file_type().is_symlink() {
        return Err(link_refused(path));
    }
    let mode = meta.permissions().mode();
    if mode & 0o007 != 0 {
        return Err(TeamError::Config(format!(
            "the team store {} can be opened by anyone on this machine (mode {:o}); \
             its group is the team: chmod o-rwx it",
            path.display(),
            mode & 0o777
        )));
    }
    Ok(())
}

#[cfg(unix)]
fn refuse_link(path: &Path) -> Result<(), TeamError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(link_refused(path)),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn link_refused(path: &Path) -> TeamError {
    TeamError::Config(format!(
        "the team store {} is a symbolic link; socops does not open the store through a \
         link: point the store's URL at the file itself",
        path.display()
    ))
}

/// Elsewhere the file's access is the directory's ACL: socops creates the file and leaves
/// the ACL to the administrator who shares the store (no Unix modes to check).
#[cfg(not(unix))]
fn create_or_check(path: &Path) -> Result<(), TeamError> {
    if !path.exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| unreachable(path, e))?;
    }
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), TeamError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    tx.execute(schema::VERSION_TABLE, []).map_err(db)?;
    let current: i64 = tx
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM socops_schema",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    for m in schema::pending(current)? {
        for stmt in Dialect::Sqlite.render(m) {
            tx.execute_batch(&stmt).map_err(db)?;
        }
        tx.execute(
            &format!(
                "INSERT INTO socops_schema (version, name, applied_at) VALUES (?1, ?2, {NOW})"
            ),
            params![m.version, m.name],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}

fn request_row(r: &Row<'_>) -> rusqlite::Result<ApprovalRequest> {
    let state: String = r.get(1)?;
    Ok(ApprovalRequest {
        id: r.get(0)?,
        state: RequestState::parse(&state).unwrap_or(RequestState::Pending),
        profile: r.get(2)?,
        tenant: r.get(3)?,
        kind: r.get(4)?,
        target_id: r.get(5)?,
        target_name: r.get(6)?,
        description: r.get(7)?,
        parameters: r.get(8)?,
        comment: r.get(9)?,
        requester: r.get(10)?,
        requested_at: r.get(11)?,
        expires_at: r.get(12)?,
        decided_by: r.get(13)?,
        decided_at: r.get(14)?,
        decision_comment: r.get(15)?,
        outcome: r.get(16)?,
        action_id: r.get(17)?,
        requester_login: r.get(18)?,
        requester_upn: r.get(19)?,
        requester_db_user: r.get(20)?,
        decided_by_login: r.get(21)?,
        decided_by_upn: r.get(22)?,
        decided_by_db_user: r.get(23)?,
        version: r.get(24)?,
    })
}

fn get_in(conn: &Connection, id: i64) -> Result<Option<ApprovalRequest>, TeamError> {
    conn.query_row(
        &format!("SELECT {REQUEST_COLUMNS} FROM approval_requests WHERE id = ?1"),
        [id],
        request_row,
    )
    .optional()
    .map_err(db)
}

fn audit_in(conn: &Connection, e: &AuditRow) -> Result<(), TeamError> {
    conn.execute(
        &format!(
            "INSERT INTO team_audit (request_id, at, actor, event, detail) \
             VALUES (?1, {NOW}, ?2, ?3, ?4)"
        ),
        params![e.request_id, e.actor, e.event, e.detail],
    )
    .map(drop)
    .map_err(db)
}

impl Engine for SqliteStore {
    async fn request(&self, new: NewRequest) -> Result<ApprovalRequest, TeamError> {
        self.run(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            tx.execute(
                &format!(
                    "INSERT INTO approval_requests (profile, tenant, kind, target_id, \
                     target_name, description, parameters, comment, requester, requester_login, \
                     requester_upn, requested_at, expires_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, {NOW}, {NOW} + ?12)"
                ),
                params![
                    new.profile,
                    new.tenant,
                    new.kind,
                    new.target_id,
                    new.target_name,
                    new.description,
                    new.parameters,
                    new.comment,
                    new.requester.name(),
                    new.requester.login,
                    new.requester.upn,
                    new.expires_in_secs
                ],
            )
            .map_err(db)?;
            let id = tx.last_insert_rowid();
            audit_in(&tx, &events::requested(id, &new))?;
            let row = get_in(&tx, id)?.ok_or(TeamError::NotFound(id))?;
            tx.commit().map_err(db)?;
            Ok(row)
        })
        .await
    }

    async fn list(
        &self,
        state: Option<RequestState>,
        tenant: Option<&str>,
    ) -> Result<Vec<ApprovalRequest>, TeamError> {
        let tenant = tenant.map(str::to_string);
        self.run(move |conn| {
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {REQUEST_COLUMNS} FROM approval_requests \
                     WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR tenant = ?2) \
                     ORDER BY id DESC"
                ))
                .map_err(db)?;
            let rows = stmt
                .query_map(
                    params![state.map(RequestState::as_str), tenant],
                    request_row,
                )
                .map_err(db)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(db)
        })
        .await
    }

    async fn get(&self, id: i64) -> Result<Option<ApprovalRequest>, TeamError> {
        self.run(move |conn| get_in(conn, id)).await
    }

    async fn decide(&self, d: Decision) -> Result<ApprovalRequest, TeamError> {
        self.run(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            // The database decides: only a pending, unexpired request of this tenant, made
            // under none of the decider's names, still at the version shown, changes;
            // everyone else learns why from the row as it now is.
            let changed = tx
                .execute(
                    &format!(
                        "UPDATE approval_requests SET state = :state, decided_by = :name, \
                         decided_by_login = :login, decided_by_upn = :upn, decided_at = {NOW}, \
                         decision_comment = :comment \
                         WHERE id = :id AND state = 'pending' AND tenant = :tenant \
                         AND expires_at > {NOW} \
                         AND requester <> :login AND COALESCE(requester_login, '') <> :login \
                         AND (:upn IS NULL OR (lower(requester) <> lower(:upn) \
                              AND lower(COALESCE(requester_upn, '')) <> lower(:upn))) \
                         AND (:parameters IS NULL OR parameters = :parameters) \
                         AND (:version IS NULL OR version = :version)"
                    ),
                    named_params! {
                        ":state": d.verdict.state().as_str(),
                        ":name": d.by.name(),
                        ":login": d.by.login,
                        ":upn": d.by.upn,
                        ":comment": d.comment,
                        ":id": d.id,
                        ":tenant": d.tenant,
                        ":parameters": d.parameters,
                        ":version": d.version,
                    },
                )
                .map_err(db)?;
            let row = get_in(&tx, d.id)?.ok_or(TeamError::NotFound(d.id))?;
            if changed == 0 {
                return Err(events::why_not(&row, &d, None));
            }
            audit_in(&tx, &events::decided(&d))?;
            tx.commit().map_err(db)?;
            Ok(row)
        })
        .await
    }

    async fn record_outcome(
        &self,
        id: i64,
        outcome: &str,
        action_id: Option<&str>,
    ) -> Result<(), TeamError> {
        let (outcome, action_id) = (outcome.to_string(), action_id.map(str::to_string));
        self.run(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let changed = tx
                .execute(
                    "UPDATE approval_requests SET outcome = ?1, action_id = ?2 \
                     WHERE id = ?3 AND state = 'approved' AND outcome IS NULL",
                    params![outcome, action_id, id],
                )
                .map_err(db)?;
            if changed == 0 {
                return Err(TeamError::Db(format!(
                    "request {id} is not an approved request waiting for its outcome"
                )));
            }
            tx.commit().map_err(db)
        })
        .await
    }

    async fn withdraw(&self, id: i64, by: &str) -> Result<ApprovalRequest, TeamError> {
        let by = by.to_string();
        self.run(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let changed = tx
                .execute(
                    &format!(
                        "UPDATE approval_requests SET state = 'withdrawn', decided_by = ?1, \
                         decided_at = {NOW} WHERE id = ?2 AND state = 'pending' \
                         AND requester = ?1"
                    ),
                    params![by, id],
                )
                .map_err(db)?;
            let row = get_in(&tx, id)?.ok_or(TeamError::NotFound(id))?;
            if changed == 0 {
                return Err(events::why_not_withdrawn(&row));
            }
            audit_in(&tx, &events::withdrawn(id, &by))?;
            tx.commit().map_err(db)?;
            Ok(row)
        })
        .await
    }

    async fn expire(&self) -> Result<Vec<i64>, TeamError> {
        self.run(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(db)?;
            let ids: Vec<i64> = {
                let mut stmt = tx
                    .prepare(&format!(
                        "UPDATE approval_requests SET state = 'expired', decided_at = {NOW} \
                         WHERE state = 'pending' AND expires_at <= {NOW} RETURNING id"
                    ))
                    .map_err(db)?;
                stmt.query_map([], |r| r.get(0))
                    .map_err(db)?
                    .collect::<Result<_, _>>()
                    .map_err(db)?
            };
            for id in &ids {
                audit_in(&tx, &events::expired(*id))?;
            }
            tx.commit().map_err(db)?;
            Ok(ids)
        })
        .await
    }

    async fn append_audit(&self, entry: AuditRow) -> Result<(), TeamError> {
        self.run(move |conn| audit_in(conn, &entry)).await
    }

    async fn audit_of(&self, id: i64) -> Result<Vec<TeamAuditEntry>, TeamError> {
        self.run(move |conn| {
            let mut stmt = conn
                .prepare(
                    "SELECT request_id, at, actor, event, detail FROM team_audit \
                     WHERE request_id = ?1 ORDER BY id",
                )
                .map_err(db)?;
            stmt.query_map([id], |r| {
                Ok(TeamAuditEntry {
                    request_id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    event: r.get(3)?,
                    detail: r.get(4)?,
                })
            })
            .map_err(db)?
            .collect::<Result<_, _>>()
            .map_err(db)
        })
        .await
    }

    async fn clock(&self) -> Result<i64, TeamError> {
        self.run(|conn| {
            conn.query_row(&format!("SELECT {NOW}"), [], |r| r.get(0))
                .map_err(db)
        })
        .await
    }
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;

    #[test]
    fn a_link_at_the_store_name_is_refused_and_nothing_is_made_or_changed_through_it() {
        let d = tempfile::tempdir().unwrap();
        // A dangling link (the file would be made where it points) and a link to a file of
        // the analyst's (its mode would be widened to the team's).
        let missing = d.path().join("authorized_keys");
        let mine = d.path().join("notes");
        std::fs::write(&mine, "mine").unwrap();
        std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o600)).unwrap();
        for (name, target) in [("a.db", &missing), ("b.db", &mine)] {
            let link = d.path().join(name);
            std::os::unix::fs::symlink(target, &link).unwrap();
            let e = open_blocking(&link).expect_err("refused");
            assert!(e.to_string().contains("symbolic link"), "{e}");
        }
        assert!(!missing.exists());
        let mode = std::fs::metadata(&mine).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "mine");
    }

    #[test]
    fn a_new_store_is_a_0660_file_and_opens_again() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("team.db");
        drop(open_blocking(&p).unwrap());
        let mode = std::fs::symlink_metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660);
        drop(open_blocking(&p).unwrap());
    }
}
