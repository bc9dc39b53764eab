//! The team store's database itself, on both engines: the append-only audit, the schema
//! version guard, concurrent migration, an unreachable store, TLS on PostgreSQL and the
//! SQLite file's permissions and journal mode.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod team_common;

use socops::store::team::{TeamError, TeamStore, schema};
use team_common::{engines, isolate, raw};

#[tokio::test]
async fn the_team_audit_refuses_update_and_delete() {
    for e in engines().await {
        let r = e.store.request(isolate("alice")).await.unwrap();
        let upd = raw(&e, "UPDATE team_audit SET actor = 'mallory'").await;
        assert!(
            upd.as_ref().is_err_and(|m| m.contains("append-only")),
            "{}: {upd:?}",
            e.name
        );
        let del = raw(&e, "DELETE FROM team_audit").await;
        assert!(
            del.as_ref().is_err_and(|m| m.contains("append-only")),
            "{}: {del:?}",
            e.name
        );
        assert_eq!(e.store.audit_of(r.id).await.unwrap()[0].actor, "alice");
    }
}

#[tokio::test]
async fn a_newer_schema_is_refused_with_a_clear_message() {
    for e in engines().await {
        let newer = schema::LATEST + 1;
        raw(
            &e,
            &format!(
                "INSERT INTO socops_schema (version, name, applied_at) VALUES ({newer}, 'future', 0)"
            ),
        )
        .await
        .unwrap();
        let Err(err) = TeamStore::open(&e.url).await else {
            panic!("{}: opened a newer schema", e.name)
        };
        assert!(
            matches!(err, TeamError::SchemaTooNew { found, known } if found == newer && known == schema::LATEST),
            "{}: {err:?}",
            e.name
        );
        assert!(err.to_string().contains("upgrade socops"), "{err}");
    }
}

#[tokio::test]
async fn opening_twice_at_once_migrates_once() {
    for e in engines().await {
        let (a, b) = tokio::join!(e.reopen(), e.reopen());
        a.request(isolate("alice")).await.unwrap();
        assert_eq!(b.list(None, None).await.unwrap().len(), 1, "{}", e.name);
    }
}

#[tokio::test]
async fn an_unreachable_store_says_so() {
    // Nothing listens on port 1 of loopback.
    let err = TeamStore::open("postgres://socops@127.0.0.1:1/socops?sslmode=disable")
        .await
        .err()
        .expect("unreachable");
    let msg = err.to_string();
    assert!(matches!(err, TeamError::Unreachable(_)), "{err:?}");
    assert!(
        msg.contains("unreachable") && msg.contains("127.0.0.1"),
        "{msg}"
    );

    let err = TeamStore::open("sqlite:///nonexistent-dir/team.db")
        .await
        .err()
        .expect("unreachable");
    assert!(matches!(err, TeamError::Unreachable(_)), "{err:?}");
    assert!(
        err.to_string().contains("/nonexistent-dir/team.db"),
        "{err}"
    );
}

#[tokio::test]
async fn sslmode_require_uses_tls_never_plaintext() {
    let Some(admin) = team_common::postgres_url() else {
        return;
    };
    // The test server has no TLS: with sslmode=require socops must refuse, not fall back.
    let sep = if admin.contains('?') { '&' } else { '?' };
    let err = TeamStore::open(&format!("{admin}{sep}sslmode=require"))
        .await
        .err()
        .expect("no plaintext fallback");
    assert!(matches!(err, TeamError::Unreachable(_)), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("tls"), "{err}");
}

mod sqlite_file {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[tokio::test]
    async fn the_store_file_is_created_for_owner_and_group_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        TeamStore::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660);
    }

    #[tokio::test]
    async fn a_store_file_others_can_open_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        let url = format!("sqlite://{}", path.display());
        TeamStore::open(&url).await.unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let err = TeamStore::open(&url).await.err().expect("refused");
        assert!(err.to_string().contains("chmod o-rwx"), "{err}");
    }

    #[tokio::test]
    async fn the_file_is_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.db");
        TeamStore::open(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let c = rusqlite::Connection::open(&path).unwrap();
        let mode: String = c
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
}
