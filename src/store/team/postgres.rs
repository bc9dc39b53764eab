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

use super::schema::{self, Dialect, REQUEST_COLUMNS};
use super::{
    ApprovalRequest, Decision, Engine, NewRequest, RequestState, TeamAuditEntry, TeamError, events,
    redact_url,
};

/// Any fixed number: the key of the advisory lock that serializes migrations.
const MIGRATION_LOCK: i64 = 0x50C0_7EA4;

/// The team store in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
    /// The URL without its password, for messages.
    label: Arc<str>,
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

impl PgStore {
    /// Connect (failing early when the server cannot be reached) and migrate.
    pub async fn open(url: &str) -> Result<PgStore, TeamError> {
        let label: Arc<str> = redact_url(url).into();
        let mut config: tokio_postgres::Config = normalize_sslmode(url).parse().map_err(|e| {
            TeamError::Config(format!("the team store URL {label} is not valid: {e}"))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("socops");
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
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
        let store = PgStore { pool, label };
        store.migrate().await?;
        Ok(store)
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
        let tx = client.transaction().await.map_err(db)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(db)?;
        tx.batch_execute(schema::VERSION_TABLE).await.map_err(db)?;
        let current: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM socops_schema",
                &[],
            )
            .await
            .map_err(db)?
            .get(0);
        for m in schema::pending(current)? {
            for stmt in Dialect::Postgres.render(m) {
                tx.batch_execute(&stmt).await.map_err(db)?;
            }
            tx.execute(
                "INSERT INTO socops_schema (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&m.version, &m.name, &super::now()],
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }
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
    e: &TeamAuditEntry,
) -> Result<(), TeamError> {
    c.execute(
        "INSERT INTO team_audit (request_id, at, actor, event, detail) VALUES ($1, $2, $3, $4, $5)",
        &[&e.request_id, &e.at, &e.actor, &e.event, &e.detail],
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
                "INSERT INTO approval_requests (profile, tenant, kind, target_id, target_name, \
                 description, parameters, comment, requester, requested_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                &[
                    &new.profile,
                    &new.tenant,
                    &new.kind,
                    &new.target_id,
                    &new.target_name,
                    &new.description,
                    &new.parameters,
                    &new.comment,
                    &new.requester,
                    &new.requested_at,
                    &new.expires_at,
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

    async fn list(&self, state: Option<RequestState>) -> Result<Vec<ApprovalRequest>, TeamError> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {REQUEST_COLUMNS} FROM approval_requests \
             WHERE $1::TEXT IS NULL OR state = $1 ORDER BY id DESC"
        );
        let state = state.map(RequestState::as_str);
        let rows = client.query(&sql, &[&state]).await.map_err(db)?;
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
        // against the committed row and matches nothing: the database decides.
        let changed = tx
            .execute(
                "UPDATE approval_requests SET state = $1, decided_by = $2, decided_at = $3, \
                 decision_comment = $4 WHERE id = $5 AND state = 'pending' \
                 AND expires_at > $3 AND requester <> $2 \
                 AND ($6::TEXT IS NULL OR parameters = $6)",
                &[
                    &d.verdict.state().as_str(),
                    &d.by,
                    &d.now,
                    &d.comment,
                    &d.id,
                    &d.parameters,
                ],
            )
            .await
            .map_err(db)?;
        let row = get_in(&tx, d.id).await?.ok_or(TeamError::NotFound(d.id))?;
        if changed == 0 {
            return Err(events::why_not(&row, &d));
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

    async fn withdraw(&self, id: i64, by: &str, now: i64) -> Result<ApprovalRequest, TeamError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let changed = tx
            .execute(
                "UPDATE approval_requests SET state = 'withdrawn', decided_by = $1, \
                 decided_at = $2 WHERE id = $3 AND state = 'pending' AND requester = $1",
                &[&by, &now, &id],
            )
            .await
            .map_err(db)?;
        let row = get_in(&tx, id).await?.ok_or(TeamError::NotFound(id))?;
        if changed == 0 {
            return Err(events::why_not_withdrawn(&row));
        }
        audit_in(&tx, &events::withdrawn(id, by, now)).await?;
        tx.commit().await.map_err(db)?;
        Ok(row)
    }

    async fn expire(&self, now: i64) -> Result<Vec<i64>, TeamError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let ids: Vec<i64> = tx
            .query(
                "UPDATE approval_requests SET state = 'expired', decided_at = $1 \
                 WHERE state = 'pending' AND expires_at <= $1 RETURNING id",
                &[&now],
            )
            .await
            .map_err(db)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for id in &ids {
            audit_in(&tx, &events::expired(*id, now)).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(ids)
    }

    async fn append_audit(&self, entry: TeamAuditEntry) -> Result<(), TeamError> {
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
}
