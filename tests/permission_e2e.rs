//! Permissions end to end, through the real binary: a simulated tenant whose app was granted
//! only `Machine.Read.All`. Signed in as an app (client secret from the Azure variables), a
//! refused read names the application permission; signed in as a user (a profile's
//! device-code refresh token), it names the delegated one. The simulator refuses like the
//! service: 403 with the service's words.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use socops::sim::{DEMO_TENANT_ID, RunningSim, SimConfig, start};
use socops::store::token_cache::{CachedRefreshToken, TokenCache};

async fn restricted() -> RunningSim {
    let s = start(SimConfig {
        rate_limits: false,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    s.grant_roles(Some(vec!["Machine.Read.All".into()]));
    s
}

/// Runs the binary with `dir` as its config and data home and `env` set.
async fn run(dir: &Path, args: Vec<String>, env: Vec<(&'static str, String)>) -> Output {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_socops"));
        for k in bin_common::FOREIGN_ENV {
            cmd.env_remove(k);
        }
        cmd.env("SOCOPS_CONFIG_DIR", dir.join("config"))
            .env("SOCOPS_DATA_DIR", dir.join("data"))
            .envs(env)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_app_is_told_the_application_permission() {
    let sim = restricted().await;
    let base = sim.base_url();
    let dir = tempfile::tempdir().unwrap();
    let env = vec![
        ("AZURE_TENANT_ID", DEMO_TENANT_ID.to_string()),
        (
            "AZURE_CLIENT_ID",
            "11111111-2222-3333-4444-555555555555".to_string(),
        ),
        ("AZURE_CLIENT_SECRET", "sim-secret".to_string()),
    ];
    let urls = [
        "--authority-url",
        &base,
        "--mde-url",
        &base,
        "--graph-url",
        &base,
    ];
    let with = |rest: &[&str]| {
        let mut v = strings(&urls);
        v.extend(strings(rest));
        v
    };
    let ok = run(
        dir.path(),
        with(&["devices", "list", "--limit", "2"]),
        env.clone(),
    )
    .await;
    assert!(ok.status.success(), "{}", err(&ok));

    let recs = run(dir.path(), with(&["recommendations", "list"]), env.clone()).await;
    assert!(!recs.status.success());
    let e = err(&recs);
    assert!(e.contains("403"), "{e}");
    assert!(e.contains("SecurityRecommendation.Read.All"), "{e}");

    let inc = run(dir.path(), with(&["incidents", "list"]), env).await;
    assert!(!inc.status.success());
    let e = err(&inc);
    assert!(e.contains("SecurityIncident.Read.All"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_in_user_is_told_the_delegated_permission() {
    let sim = restricted().await;
    let base = sim.base_url();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let file = config.join("config.toml");
    std::fs::write(
        &file,
        format!(
            "[profiles.lab]\ntenant_id = \"{DEMO_TENANT_ID}\"\nclient_id = \"pub1\"\n\
             authority_url = \"{base}\"\nmde_url = \"{base}\"\ngraph_url = \"{base}\"\n"
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    // As after `socops login`: the profile's refresh token.
    TokenCache::new(&dir.path().join("data"))
        .save(
            "lab",
            &CachedRefreshToken {
                tenant_id: DEMO_TENANT_ID.into(),
                client_id: "pub1".into(),
                refresh_token: "sim-refresh".into(),
                username: None,
                saved_at: chrono::Utc::now(),
            },
        )
        .unwrap();
    let args = |rest: &[&str]| {
        let mut v = strings(&["--profile", "lab"]);
        v.extend(strings(rest));
        v
    };
    let ok = run(
        dir.path(),
        args(&["devices", "list", "--limit", "2"]),
        vec![],
    )
    .await;
    assert!(ok.status.success(), "{}", err(&ok));

    let tasks = run(dir.path(), args(&["remediation", "list"]), vec![]).await;
    assert!(!tasks.status.success());
    let e = err(&tasks);
    assert!(e.contains("RemediationTask.Read"), "{e}");
    assert!(!e.contains("RemediationTasks.Read.All"), "{e}");

    let recs = run(dir.path(), args(&["recommendations", "list"]), vec![]).await;
    let e = err(&recs);
    assert!(e.contains("SecurityRecommendation.Read"), "{e}");
    assert!(!e.contains("SecurityRecommendation.Read.All"), "{e}");
}

#[test]
fn sim_refuses_a_role_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_socops"))
        .env("SOCOPS_CONFIG_DIR", dir.path().join("config"))
        .env("SOCOPS_DATA_DIR", dir.path().join("data"))
        .args([
            "sim",
            "--port",
            "0",
            "--roles",
            "Machine.Read.All,Machine.Everything",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", err(&out));
    let e = err(&out);
    assert!(e.contains("unknown role 'Machine.Everything'"), "{e}");
    assert!(e.contains("Machine.Isolate"), "lists the known roles: {e}");
}
