//! Team-store test support: every test runs on SQLite (a temp file) and on a real
//! PostgreSQL server (a fresh database per test) when `SOCOPS_TEST_POSTGRES_URL` names one.
//! Without it the PostgreSQL half says it was skipped, unless `SOCOPS_TEST_REQUIRE_POSTGRES`
//! is set (CI), where a missing server fails the test.
#![allow(dead_code)]

use socops::store::team::{Identity, NewRequest, TeamStore};

/// One engine under test; keeps its temp dir alive.
pub struct Under {
    pub name: &'static str,
    /// What opens another connection to the same store (another analyst's process).
    pub url: String,
    pub store: TeamStore,
    _dir: Option<tempfile::TempDir>,
}

impl Under {
    /// Another, independent opening of the same store (a second analyst).
    pub async fn reopen(&self) -> TeamStore {
        TeamStore::open(&self.url).await.expect("reopen")
    }

    /// The URL another analyst opens the store with: on PostgreSQL as a database role of
    /// their own (`socops_<who>`, with the grants the README gives an analyst), since the
    /// requester's role can never decide; on SQLite the same file.
    pub async fn url_as(&self, who: &str) -> String {
        if self.name != "postgres" {
            return self.url.clone();
        }
        let role = format!("socops_{who}");
        let (client, conn) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .expect("connect as admin");
        let task = tokio::spawn(conn);
        // Roles are cluster-wide and tests run at once: create it once, quietly.
        client
            .batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {role} LOGIN; \
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;"
            ))
            .await
            .expect("create role");
        client
            .batch_execute(&format!(
                "GRANT SELECT, INSERT, UPDATE ON approval_requests TO {role}; \
                 GRANT SELECT, INSERT ON team_audit TO {role}; \
                 GRANT SELECT ON socops_schema TO {role}; \
                 GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role};"
            ))
            .await
            .expect("grant");
        drop(client);
        connection_closed(task).await;
        let mut u = url::Url::parse(&self.url).unwrap();
        u.set_username(&role).unwrap();
        u.to_string()
    }

    /// The store as another analyst `who` opens it (see [`Under::url_as`]).
    pub async fn as_(&self, who: &str) -> TeamStore {
        TeamStore::open(&self.url_as(who).await)
            .await
            .expect("open as another analyst")
    }
}

/// An analyst known only by their OS login.
pub fn login(name: &str) -> Identity {
    Identity {
        login: name.into(),
        upn: None,
    }
}

/// An analyst signed in to Entra as `upn`, running as OS login `name`.
pub fn signed_in(name: &str, upn: &str) -> Identity {
    Identity {
        login: name.into(),
        upn: Some(upn.into()),
    }
}

pub async fn sqlite() -> Under {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("team.db").display());
    let store = TeamStore::open(&url).await.expect("open sqlite");
    Under {
        name: "sqlite",
        url,
        store,
        _dir: Some(dir),
    }
}

/// The admin URL of the test server, or `None` (having said the tests were skipped).
pub fn postgres_url() -> Option<String> {
    match std::env::var("SOCOPS_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var_os("SOCOPS_TEST_REQUIRE_POSTGRES").is_none(),
                "SOCOPS_TEST_REQUIRE_POSTGRES is set but SOCOPS_TEST_POSTGRES_URL is not"
            );
            eprintln!(
                "PostgreSQL team-store tests skipped: set SOCOPS_TEST_POSTGRES_URL \
                 (bash .ci/postgres-up starts a throwaway server)"
            );
            None
        }
    }
}

/// A fresh, empty database on the test server; its URL.
pub async fn fresh_postgres_db(admin: &str) -> String {
    let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls)
        .await
        .expect("connect to the test server");
    let task = tokio::spawn(conn);
    let name = format!("socops_t_{}", uuid::Uuid::new_v4().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    drop(client);
    connection_closed(task).await;
    let mut u = url::Url::parse(admin).unwrap();
    u.set_path(&format!("/{name}"));
    u.to_string()
}

pub async fn postgres() -> Option<Under> {
    let admin = postgres_url()?;
    let url = fresh_postgres_db(&admin).await;
    let store = TeamStore::open(&url).await.expect("open postgres");
    Some(Under {
        name: "postgres",
        url,
        store,
        _dir: None,
    })
}

/// SQLite, and PostgreSQL when there is a server.
pub async fn engines() -> Vec<Under> {
    let mut v = vec![sqlite().await];
    v.extend(postgres().await);
    v
}

/// The tenant id the test requests are filed under.
pub const TENANT: &str = "contoso.onmicrosoft.com";

/// A pending Isolate request by OS login `requester`, valid for an hour.
pub fn isolate(requester: &str) -> NewRequest {
    by(login(requester))
}

/// A pending Isolate request by `requester`, valid for an hour.
pub fn by(requester: Identity) -> NewRequest {
    NewRequest {
        profile: "contoso".into(),
        tenant: TENANT.into(),
        kind: "Isolate".into(),
        target_id: "m-002".into(),
        target_name: "ws-002.contoso.local".into(),
        description: "Isolate device".into(),
        parameters: r#"{"action":"Isolate","machine_id":"m-002","comment":"c","selective":false}"#
            .into(),
        comment: "c".into(),
        requester,
        expires_in_secs: 3600,
    }
}

/// Wait (at most 30 s) for a dropped client's connection task to end: a server that keeps
/// the connection open fails the test instead of hanging it.
async fn connection_closed(task: tokio::task::JoinHandle<Result<(), tokio_postgres::Error>>) {
    let ended = tokio::time::timeout(std::time::Duration::from_secs(30), task).await;
    assert!(ended.is_ok(), "the test server kept the connection open");
}

/// Run one statement straight on the engine's database, as another program would.
pub async fn raw(e: &Under, sql: &str) -> Result<(), String> {
    if e.name == "sqlite" {
        let path = e.url.trim_start_matches("sqlite://").to_string();
        let sql = sql.to_string();
        tokio::task::spawn_blocking(move || {
            rusqlite::Connection::open(path)
                .and_then(|c| c.execute_batch(&sql))
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap()
    } else {
        let (c, conn) = tokio_postgres::connect(&e.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c.batch_execute(sql).await.map_err(|e| {
            e.as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string())
        })
    }
}
