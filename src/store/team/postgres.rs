//! The team store on PostgreSQL, for a team working from several boxes: a small connection
//! pool (deadpool), TLS through rustls (on ring, with the platform's roots) when the URL asks
//! for it with `sslmode=require` (or `verify-ca`/`verify-full`: the certificate is always
//! verified, stricter than libpq's `require`). The database's roles define the team.
//! Migrations run under a transaction-scoped advisory lock, so two first starts at once
//! apply them once.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::Row;
use tokio_postgres::config::SslMode;

use super::events::AuditRow;
use super::schema::{self, Dialect, REQUEST_COLUMNS};
use super::{
    ApprovalRequest, Decision, Engine, NewRequest, RequestState, TeamAuditEntry, TeamError, events,
    redact_url,
};

/// The database's clock, in epoch seconds (the transaction's start): every time the store
/// keeps is the database's, so no analyst's clock decides what has expired.
const NOW: &str = "CAST(floor(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP)) AS BIGINT)";

/// Any fixed number: the key of the advisory lock that serializes migrations.
const MIGRATION_LOCK: i64 = 0x50C0_7EA4;

/// The team store in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// The URL without its password, for messages.
    label: Arc<str>,
    /// How to open the listening connection of [`PgStore::watch`] (outside the pool).
    config: Arc<tokio_postgres::Config>,
}

fn db(e: tokio_postgres::Error) -> TeamError {
    TeamError::Db(pg_text(&e))
}

/// The server's message when there is one, else the client's error with its cause.
fn pg_text(e: &tokio_postgres::Error) -> String {
    if let Some(d) = e.as_db_error() {
        return format!("{}: {}", d.severity(), d.message());
    }
    match std::error::Error::source(e) {
        Some(src) => format!("{e}: {src}"),
        None => e.to_string(),
    }
}

/// `verify-ca` and `verify-full` are libpq's words for what socops always does with TLS;
/// tokio-postgres knows only `require`.
fn normalize_sslmode(url: &str) -> String {
    url.replace("sslmode=verify-full", "sslmode=require")
        .replace("sslmode=verify-ca", "sslmode=require")
}

/// The rustls connector for `sslmode=require`: ring, the platform's roots.
fn tls() -> Result<tokio_postgres_rustls::MakeRustlsConnect, TeamError> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| TeamError::Config(format!("cannot set up TLS for the team store: {e}")))?
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The password libpq would use for `config`: `PGPASSWORD`, else the passfile line for its
/// first host, port, database and user (tokio-postgres reads neither).
fn password_from_environment(config: &tokio_postgres::Config) -> Result<Option<String>, String> {
    use tokio_postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".to_string(),
    };
    let user = config
        .get_user()
        .map(str::to_string)
        .or_else(|| super::identity::os_login().ok())
        .unwrap_or_default();
    let target = super::secret::Target {
        host: &host,
        port: config.get_ports().first().copied().unwrap_or(5432),
        database: config.get_dbname().unwrap_or(&user),
        user: &user,
    };
    super::secret::password_for(&target, |k| std::env::var(k).ok())
}

impl PgStore {
    /// Connect (failing early when the server cannot be reached) and migrate.
    pub async fn open(url: &str) -> Result<PgStore, TeamError> {
        let label: Arc<str> = redact_url(url).into();
        let mut config: tokio_postgres::Config = normalize_sslmode(url).parse().map_err(|e| {
            TeamError::Config(format!("the team store URL {label} is not valid: {e}"))
        })?;
        if config.get_password().is_none()
            && let Some(pw) = password_from_environment(&config).map_err(TeamError::Config)?
        {
            config.password(pw);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("socops");
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let listen_config = Arc::new(config.clone());
        let manager = if config.get_ssl_mode() == SslMode::Require {
            Manager::from_config(config, tls()?, manager_config)
        } else {
            Manager::from_config(config, tokio_postgres::NoTls, manager_config)
        };
        let pool = Pool::builder(manager)
            .max_size(4)
            .runtime(Runtime::Tokio1)
            .create_timeout(Some(Duration::from_secs(10)))
            .wait_timeout(Some(Duration::from_secs(15)))
            .build()
            .map_err(|e| TeamError::Config(e.to_string()))?;
        let store = PgStore {
            pool,
            label,
            config: listen_config,
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Wake `on_change` whenever a request is filed or changes (`LISTEN` on the channel the
    /// schema's trigger notifies), from a connection of its own. The returned task ends when
    /// that connection does; the caller keeps polling as the fallback and listens again.
    pub async fn watch(
        &self,
        on_change: Arc<tokio::sync::Notify>,
    ) -> Result<tokio::task::JoinHandle<()>, TeamError> {
        let config = (*self.config).clone();
        let label = self.label.clone();
        if config.get_ssl_mode() == SslMode::Require {
            listen(config, tls()?, on_change, label).await
        } else {
            listen(config, tokio_postgres::NoTls, on_change, label).await
        }
    }

    async fn client(&self) -> Result<deadpool_postgres::Object, TeamError> {
        self.pool.get().await.map_err(|e| {
            let why = match &e {
                deadpool_postgres::PoolError::Backend(e) => pg_text(e),
                other => other.to_string(),
            };
            TeamError::Unreachable(format!("{}: {why}", self.label))
        })
    }

    async fn migrate(&self) -> Result<(), TeamError> {
        let mut client = self.client().await?;
        // An up-to-date schema needs no lock and no DDL: an analyst's role may read and
        // write the queue without being allowed to create tables.
        if schema::pending(current_version(&client).await?)?.is_empty() {
            return Ok(());
        }
        let tx = client.transaction().await.map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(db)?;
        tx.batch_execute(schema::VERSION_TABLE).await.map_err(db)?;
        let current = current_version(&tx).await?;
        for m in schema::pending(current)? {
            for stmt in Dialect::Postgres.render(m) {
                tx.batch_execute(&stmt).await.map_err(db)?;
            }
            tx.execute(
                &format!(
                    "INSERT INTO socops_schema (version, name, applied_at) VALUES ($1, $2, {NOW})"
                ),
                &[&m.version, &m.name],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
}

/// Open a connection, `LISTEN` on the schema's channel, and wake `on_change` on each
/// notification (and once when listening starts, for anything filed in between).
async fn listen<T>(
    config: tokio_postgres::Config,
    tls: T,
    on_change: Arc<tokio::sync::Notify>,
    label: Arc<str>,
) -> Result<tokio::task::JoinHandle<()>, TeamError>
where
    T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>,
    T::Stream: Send + 'static,
{
    use futures::StreamExt;
    use tokio_postgres::AsyncMessage;
    let (client, mut conn) = config
        .connect(tls)
        .await
        .map_err(|e| TeamError::Unreachable(format!("{label}: {}", pg_text(&e))))?;
    let mut messages = futures::stream::poll_fn(move |cx| conn.poll_message(cx));
    let notify = on_change.clone();
    let wake = move |m: Option<Result<AsyncMessage, tokio_postgres::Error>>| match m {
        Some(Ok(AsyncMessage::Notification(_))) => {
            notify.notify_one();
            true
        }
        Some(Ok(_)) => true,
        _ => false,
    };
    // The connection is driven by reading its messages, so LISTEN runs beside that loop.
    let listening = {
        let sql = format!("LISTEN {}", schema::NOTIFY_CHANNEL);
        let listen = client.batch_execute(&sql);
        tokio::pin!(listen);
        loop {
            tokio::select! {
                r = &mut listen => break r.map_err(db),
                m = messages.next() => if !wake(m) {
                    break Err(TeamError::Unreachable(format!("{label}: the connection closed")));
                },
            }
        }
    };
    listening?;
    on_change.notify_one();
    Ok(tokio::spawn(async move {
        while wake(messages.next().await) {}
        drop(client);
    }))
}

/// The schema version of the database (0 before the first migration).
async fn current_version(c: &impl deadpool_postgres::GenericClient) -> Result<i64, TeamError> {
    let exists: bool = c
        .query_one("SELECT to_regclass('socops_schema') IS NOT NULL", &[])
        .await
        .map_err(db)?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(c.query_one(
        "SELECT COALESCE(MAX(version), 0)::BIGINT FROM socops_schema",
        &[],
    )
    .await
    .map_err(db)?
    .get(0))
}

fn request_row(r: &Row) -> ApprovalRequest {
    let state: String = r.get(1);
    ApprovalRequest {
        id: r.get(0),
        state: RequestState::parse(&state).unwrap_or(RequestState::Pending),
        profile: r.get(2),
        tenant: r.get(3),
        kind: r.get(4),
        target_id: r.get(5),
        target_name: r.get(6),
        description: r.get(7),
        parameters: r.get(8),
        comment: r.get(9),
        requester: r.get(10),
        requested_at: r.get(11),
        expires_at: r.get(12),
        decided_by: r.get(13),
        decided_at: r.get(14),
        decision_comment: r.get(15),
        outcome: r.get(16),
        action_id: r.get(17),
        requester_login: r.get(18),
        requester_upn: r.get(19),
        requester_db_user: r.get(20),
        decided_by_login: r.get(21),
        decided_by_upn: r.get(22),
        decided_by_db_user: r.get(23),
        version: r.get(24),
    }
}

async fn get_in(
    c: &impl deadpool_postgres::GenericClient,
    id: i64,
) -> Result<Option<ApprovalRequest>, TeamError> {
    let sql = format!("SELECT {REQUEST_COLUMNS} FROM approval_requests WHERE id = $1");
    Ok(c.query_opt(&sql, &[&id])
        .await
        .map_err(db)?
        .as_ref()
        .map(request_row))
}

async fn audit_in(
    c: &impl deadpool_postgres::GenericClient,
    e: &AuditRow,
) -> Result<(), TeamError> {
    c.execute(
        &format!(
            "INSERT INTO team_audit (request_id, at, actor, event, detail) \
             VALUES ($1, {NOW}, $2, $3, $4)"
        ),
        &[&e.request_id, &e.actor, &e.event, &e.detail],
    )
    .await
    .map(drop)
    .map_err(db)
}

impl Engine for PgStore {
    async fn request(&self, new: NewRequest) -> Result<ApprovalRequest, TeamError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let id: i64 = tx
            .query_one(
                &format!(
                    "INSERT INTO approval_requests (profile, tenant, kind, target_id, \
                     target_name, description, parameters, comment, requester, requester_login, \
                     requester_upn, requester_db_user, requested_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, session_user, \
                     {NOW}, {NOW} + $12) RETURNING id"
                ),
                &[
                    &new.profile,
                    &new.tenant,
                    &new.kind,
                    &new.target_id,
                    &new.target_name,
                    &new.description,
                    &new.parameters,
                    &new.comment,
                    &new.requester.name(),
                    &new.requester.login,
                    &new.requester.upn,
                    &new.expires_in_secs,
                ],
            )
            .await
            .map_err(db)?
            .get(0);
        audit_in(&tx, &events::requested(id, &new)).await?;
        let row = get_in(&tx, id).await?.ok_or(TeamError::NotFound(id))?;
        tx.commit().await.map_err(db)?;
        Ok(row)
    }

    async fn list(
        &self,
        state: Option<RequestState>,
        tenant: Option<&str>,
    ) -> Result<Vec<ApprovalRequest>, TeamError> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM approval_requests \
             WHERE ($1::TEXT IS NULL OR state = $1) AND ($2::TEXT IS NULL OR tenant = $2) \
             ORDER BY id DESC"
        );
        let state = state.map(RequestState::as_str);
        let rows = client.query(&sql, &[&state, &tenant]).await.map_err(db)?;
        Ok(rows.iter().map(request_row).collect())
    }

    async fn get(&self, id: i64) -> Result<Option<ApprovalRequest>, TeamError> {
        let client = self.client().await?;
        get_in(&client, id).await
    }

    async fn decide(&self, d: Decision) -> Result<ApprovalRequest, TeamError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        // A second decider blocks on the row lock, then re-checks `state = 'pending'`
        // against the committed row and matches nothing: the database decides. The
        // database role is one more name of the decider: the requester's role never decides.
        let changed = tx
            .execute(
                &format!(
                    "UPDATE approval_requests SET state = $1, decided_by = $2, \
                     decided_by_login = $3, decided_by_upn = $4, decided_by_db_user = session_user, \
                     decided_at = {NOW}, decision_comment = $5 \
                     WHERE id = $6 AND state = 'pending' AND tenant = $7 AND expires_at > {NOW} \
                     AND requester <> $3 AND COALESCE(requester_login, '') <> $3 \
                     AND ($4::TEXT IS NULL OR (lower(requester) <> lower($4) \
                          AND lower(COALESCE(requester_upn, '')) <> lower($4))) \
                     AND COALESCE(requester_db_user, '') <> session_user \
                     AND ($8::TEXT IS NULL OR parameters = $8) \
                     AND ($9::BIGINT IS NULL OR version = $9)"
                ),
                &[
                    &d.verdict.state().as_str(),
                    &d.by.name(),
                    &d.by.login,
                    &d.by.upn,
                    &d.comment,
                    &d.id,
                    &d.tenant,
                    &d.parameters,
                    &d.version,
                ],
            )
            .await
            .map_err(db)?;
        let row = get_in(&tx, d.id).await?.ok_or(TeamError::NotFound(d.id))?;
        if changed == 0 {
            let me: String = tx
                .query_one("SELECT session_user::TEXT", &[])
                .await
                .map_err(db)?
                .get(0);
            return Err(events::why_not(&row, &d, Some(&me)));
        }
        audit_in(&tx, &events::decided(&d)).await?;
        tx.commit().await.map_err(db)?;
        Ok(row)
    }

    async fn record_outcome(
        &self,
        id: i64,
        outcome: &str,
        action_id: Option<&str>,
    ) -> Result<(), TeamError> {
        let client = self.client().await?;
        let changed = client
            .execute(
                "UPDATE approval_requests SET outcome = $1, action_id = $2 \
                 WHERE id = $3 AND state = 'approved' AND outcome IS NULL",
                &[&outcome, &action_id, &id],
            )
            .await
            .map_err(db)?;
        if changed == 0 {
            return Err(TeamError::Db(format!(
                "request {id} is not an approved request waiting for its outcome"
            )));
        }
        Ok(())
    }

    async fn withdraw(&self, id: i64, by: &str) -> Result<ApprovalRequest, TeamError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let changed = tx
            .execute(
                &format!(
                    "UPDATE approval_requests SET state = 'withdrawn', decided_by = $1, \
                     decided_at = {NOW} WHERE id = $2 AND state = 'pending' AND requester = $1"
                ),
                &[&by, &id],
            )
            .await
            .map_err(db)?;
        let row = get_in(&tx, id).await?.ok_or(TeamError::NotFound(id))?;
        if changed == 0 {
            return Err(events::why_not_withdrawn(&row));
        }
        audit_in(&tx, &events::withdrawn(id, by)).await?;
        tx.commit().await.map_err(db)?;
        Ok(row)
    }

    async fn expire(&self) -> Result<Vec<i64>, TeamError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let ids: Vec<i64> = tx
            .query(
                &format!(
                    "UPDATE approval_requests SET state = 'expired', decided_at = {NOW} \
                     WHERE state = 'pending' AND expires_at <= {NOW} RETURNING id"
                ),
                &[],
            )
            .await
            .map_err(db)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for id in &ids {
            audit_in(&tx, &events::expired(*id)).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn append_audit(&self, entry: AuditRow) -> Result<(), TeamError> {
        let client = self.client().await?;
        audit_in(&client, &entry).await
    }

    async fn audit_of(&self, id: i64) -> Result<Vec<TeamAuditEntry>, TeamError> {
        let client = self.client().await?;
        let rows = client
            .query(
                "SELECT request_id, at, actor, event, detail FROM team_audit \
                 WHERE request_id = $1 ORDER BY id",
                &[&id],
            )
            .await
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| TeamAuditEntry {
                request_id: r.get(0),
                at: r.get(1),
                actor: r.get(2),
                event: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }

    async fn clock(&self) -> Result<i64, TeamError> {
        let client = self.client().await?;
        Ok(client
            .query_one(&format!("SELECT {NOW}"), &[])
            .await
            .map_err(db)?
            .get(0))
    }
}
