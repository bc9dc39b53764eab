//! On-disk state: config parsing and refusals, token cache permissions, the audit log.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::TimeZone;
use socops::api::Cloud;
use socops::api::model::ActionStatus;
use socops::store::{
    AuditEntry, AuditHandover, AuditIntent, AuditLog, AuditOutcome, AuthMethod, CachedRefreshToken,
    Config, StoreError, TokenCache,
};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn write_mode(p: &Path, text: &str, m: u32) {
    std::fs::write(p, text).unwrap();
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

const CFG: &str = r#"
default_profile = "prod"
[keys]
isolate = "I"
[profiles.prod]
tenant_id = "t-prod"
client_id = "c-prod"
client_secret_env = "PROD_SECRET"
cloud = "gcchigh"
protected = true
[profiles.lab]
tenant_id = "t-lab"
client_id = "c-lab"
mde_url = "http://127.0.0.1:9/"
"#;

#[test]
fn config_parses_and_infers_auth() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("config.toml");
    write_mode(&p, CFG, 0o600);
    let cfg = Config::load(&p).unwrap();
    assert_eq!(cfg.refresh_interval_secs, 60);
    assert_eq!(cfg.keys["isolate"], "I");
    let (name, prod) = cfg.profile(None).unwrap();
    assert_eq!(name, "prod");
    assert_eq!(prod.auth, Some(AuthMethod::Secret));
    assert_eq!(prod.cloud, Cloud::GccHigh);
    assert!(prod.protected && !prod.read_only);
    let (_, lab) = cfg.profile(Some("lab")).unwrap();
    assert_eq!(lab.auth_method(), AuthMethod::DeviceCode);
    assert_eq!(
        lab.endpoints().url(socops::api::Resource::Mde, "machines"),
        "http://127.0.0.1:9/api/machines"
    );
    let err = cfg.profile(Some("nope")).unwrap_err().to_string();
    assert!(err.contains("lab, prod"), "{err}");
}

#[test]
fn profile_choice_errors_list_names() {
    let mut cfg = Config::parse(Path::new("c.toml"), CFG).unwrap();
    cfg.default_profile = None;
    let err = cfg.profile(None).unwrap_err();
    assert!(matches!(err, StoreError::AmbiguousProfile { .. }));
    assert!(err.to_string().contains("lab, prod"));
    cfg.profiles.remove("prod");
    assert_eq!(cfg.profile(None).unwrap().0, "lab");
    assert!(matches!(
        Config::default().profile(None),
        Err(StoreError::NoProfiles)
    ));
}

#[test]
fn missing_config_is_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Config::load(&tmp.path().join("none.toml")).unwrap();
    assert_eq!(cfg, Config::default());
}

#[test]
fn readable_config_is_refused_with_chmod_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("config.toml");
    write_mode(&p, CFG, 0o644);
    let err = Config::load(&p).unwrap_err().to_string();
    assert!(err.contains(&format!("chmod 600 {}", p.display())), "{err}");
}

#[test]
fn secret_in_config_is_refused_without_echoing_it() {
    let text = "[profiles.x]\ntenant_id = \"t\"\nclient_id = \"c\"\nclient_secret = \"hunter2-very-secret\"\n";
    let err = Config::parse(Path::new("c.toml"), text)
        .unwrap_err()
        .to_string();
    assert!(err.contains("client_secret_env"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn a_team_store_url_with_a_password_is_refused_without_echoing_it() {
    for store in [
        "postgres://socops:hunter2@db.internal/socops",
        "postgres://socops@db.internal/socops?sslmode=require&password=hunter2",
    ] {
        let text = format!("[team]\nstore = \"{store}\"\n");
        let err = Config::parse(Path::new("c.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("carries a password"), "{err}");
        assert!(
            err.contains("PGPASSWORD") && err.contains("passfile"),
            "{err}"
        );
        assert!(err.contains("db.internal"), "names the store: {err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    let ok = "[team]\nstore = \"postgres://socops@db.internal/socops?sslmode=require\"\n";
    assert!(
        Config::parse(Path::new("c.toml"), ok)
            .unwrap()
            .team
            .is_some()
    );
}

#[test]
fn toml_errors_name_the_line() {
    let text = "refresh_interval_secs = 60\n\n[profiles.x]\ntenant_id = 5\nclient_id = \"c\"\n";
    let err = Config::parse(Path::new("c.toml"), text).unwrap_err();
    match &err {
        StoreError::ConfigSyntax { line, .. } => assert_eq!(*line, 4, "{err}"),
        other => panic!("{other}"),
    }
    let err = Config::parse(Path::new("c.toml"), "a = = 1").unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn example_config_parses_and_save_is_private() {
    let cfg = Config::parse(Path::new("example"), Config::example()).unwrap();
    assert_eq!(cfg.profiles.len(), 2);
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("cfg/config.toml");
    cfg.save(&p).unwrap();
    assert_eq!(mode(&p), 0o600);
    assert_eq!(Config::load(&p).unwrap(), cfg);
}

#[test]
fn token_cache_roundtrip_0600_and_refuses_readable() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = TokenCache::new(tmp.path());
    assert!(cache.load("lab").unwrap().is_none());
    let tok = CachedRefreshToken {
        tenant_id: "t".into(),
        client_id: "c".into(),
        refresh_token: "rt-secret-value".into(),
        username: Some("a@b.c".into()),
        saved_at: chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    };
    assert!(!format!("{tok:?}").contains("rt-secret-value"));
    cache.save("lab", &tok).unwrap();
    let path = cache.path("lab").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(cache.load("lab").unwrap(), Some(tok));
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = cache.load("lab").unwrap_err().to_string();
    assert!(err.contains("chmod 600"), "{err}");
    cache.delete("lab").unwrap();
    cache.delete("lab").unwrap();
    assert!(cache.load("lab").unwrap().is_none());
    assert!(cache.path("../evil").is_err());
}

#[test]
fn audit_log_is_private_append_only_and_tolerant() {
    let tmp = tempfile::tempdir().unwrap();
    let t0 = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let intent = AuditIntent {
        profile: "prod".into(),
        tenant: "t".into(),
        operator: "app c".into(),
        action: "isolate".into(),
        method: "POST".into(),
        path: "machines/m1/isolate".into(),
        targets: vec!["m1".into()],
        comment: "ticket 42".into(),
        dry_run: false,
    };
    let id = {
        let log = AuditLog::open(tmp.path()).unwrap();
        assert_eq!(mode(log.path()), 0o600);
        let id = log.record_intent(&intent, t0).unwrap();
        // durable before the request: already on disk
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(text.contains(&id) && text.contains("\"kind\":\"intent\""));
        log.record_outcome(
            &id,
            &AuditOutcome {
                ok: true,
                status: Some(201),
                action_id: Some("a1".into()),
                final_status: None,
                error: None,
                outcome: None,
            },
            t0,
        )
        .unwrap();
        id
    };
    // A torn line from a crash, then a reopen: nothing is truncated, the torn line is skipped.
    let path = tmp.path().join("audit.jsonl");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, b"{\"id\":\"torn").unwrap();
    drop(f);
    let log = AuditLog::open(tmp.path()).unwrap();
    log.record_handover(
        &AuditHandover {
            action: "live_response".into(),
            url: "https://security.microsoft.com/x".into(),
            ..Default::default()
        },
        t0,
    )
    .unwrap();
    let entries = log.read_entries().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(matches!(&entries[0], AuditEntry::Intent { intent: i, .. } if *i == intent));
    assert!(
        matches!(&entries[1], AuditEntry::Outcome { outcome, .. } if outcome.status == Some(201))
    );
    assert!(matches!(&entries[2], AuditEntry::Handover { .. }));
    assert_eq!(entries[0].id(), id);
    assert_eq!(entries[1].id(), id);
    // refused once others can read it
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(AuditLog::open(tmp.path()).is_err());
}

#[test]
fn final_status_of_a_tracked_action_is_appended_once() {
    let tmp = tempfile::tempdir().unwrap();
    let log = AuditLog::open(tmp.path()).unwrap();
    let t = chrono::Utc.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap();
    let intent = AuditIntent {
        profile: "prod".into(),
        tenant: "t".into(),
        operator: "app c".into(),
        action: "scan".into(),
        method: "POST".into(),
        path: "machines/m1/runAntiVirusScan".into(),
        targets: vec!["m1".into()],
        comment: "weekly".into(),
        dry_run: false,
    };
    let id = log.record_intent(&intent, t).unwrap();
    let sent = AuditOutcome {
        ok: true,
        status: Some(201),
        action_id: Some("a-1".into()),
        final_status: Some("Pending".into()),
        error: None,
        outcome: None,
    };
    log.record_outcome(&id, &sent, t).unwrap();

    assert!(
        log.record_final_status("a-1", &ActionStatus::Succeeded, t)
            .unwrap()
    );
    assert!(
        !log.record_final_status("a-1", &ActionStatus::Succeeded, t)
            .unwrap(),
        "recorded twice"
    );
    assert!(
        !log.record_final_status("not-ours", &ActionStatus::Failed, t)
            .unwrap()
    );

    let finals: Vec<_> = log
        .read_entries()
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            socops::store::AuditEntry::Outcome {
                id: rid, outcome, ..
            } => Some((rid, outcome.final_status)),
            _ => None,
        })
        .collect();
    assert_eq!(
        finals,
        vec![
            (id.clone(), Some("Pending".to_string())),
            (id, Some("Succeeded".to_string()))
        ]
    );
}
