//! `socops digest` end to end: the demo tenant in three formats, and `--all-profiles` over
//! two simulators started in-process plus one profile at a dead port (its line fails, the
//! others answer, exit 1). Config and data dirs live in a tempdir.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn socops(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_socops"));
    for k in bin_common::FOREIGN_ENV {
        cmd.env_remove(k);
    }
    cmd.env("SOCOPS_CONFIG_DIR", dir.join("config"))
        .env("SOCOPS_DATA_DIR", dir.join("data"))
        .envs(envs.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

#[test]
fn demo_digest_in_three_formats_then_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let o = socops(tmp.path(), &["--demo", "digest"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    assert!(t.starts_with("socops digest: demo"), "{t}");
    assert!(t.contains("Exposure score"), "{t}");

    let o = socops(tmp.path(), &["--demo", "digest", "--markdown"], &[]);
    assert!(o.status.success());
    assert!(text(&o.stdout).starts_with("# socops digest"));

    let o = socops(tmp.path(), &["--demo", "digest", "--json"], &[]);
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = [
        "profile",
        "generatedAt",
        "exposureScore",
        "configurationScore",
        "secureScore",
        "pendingActions",
        "devicesAtRisk",
        "incidents",
        "changes",
        "truncated",
    ];
    want.sort_unstable();
    assert_eq!(keys, want);
    assert_eq!(v["profile"], "demo");

    let o = socops(tmp.path(), &["--demo", "--offline", "digest"], &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("Offline: the digest of"));
}

#[test]
fn offline_digest_without_a_stored_one_says_run_online_first() {
    let tmp = tempfile::tempdir().unwrap();
    let o = socops(tmp.path(), &["--demo", "--offline", "digest"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("online first"),
        "{}",
        text(&o.stderr)
    );
}

fn profile(name: &str, base: &str) -> String {
    format!(
        "[profiles.{name}]\ntenant_id = \"11111111-0000-0000-0000-00000000000{n}\"\n\
         client_id = \"22222222-0000-0000-0000-000000000000\"\n\
         client_secret_env = \"DIGEST_TEST_SECRET\"\nauthority_url = \"{base}\"\n\
         mde_url = \"{base}\"\ngraph_url = \"{base}\"\n\n",
        n = name.len() % 10
    )
}

fn write_config(dir: &Path, text: &str) {
    let cfg = dir.join("config");
    std::fs::create_dir_all(&cfg).unwrap();
    let f = cfg.join("config.toml");
    std::fs::write(&f, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn all_profiles_one_line_each_and_a_dead_tenant_does_not_stop_the_others() {
    let start = |seed| {
        socops::sim::start(socops::sim::SimConfig {
            seed,
            ..Default::default()
        })
    };
    let (a, b) = (start(1).await.unwrap(), start(2).await.unwrap());
    // A port that was free a moment ago: nothing listens there.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let tmp = tempfile::tempdir().unwrap();
    let config = profile("alpha", &a.base_url())
        + &profile("bravo", &b.base_url())
        + &profile("charlie", &dead);
    write_config(tmp.path(), &config);
    let dir = tmp.path().to_path_buf();
    let run = move |args: &'static [&'static str]| {
        let dir = dir.clone();
        tokio::task::spawn_blocking(move || {
            socops(&dir, args, &[("DIGEST_TEST_SECRET", "not-a-real-secret")])
        })
    };
    let o = run(&["digest", "--all-profiles"]).await.unwrap();
    // One tenant failed: its line says why and the exit status says so (exit 1).
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("1 of 3 tenants failed"),
        "{}",
        text(&o.stderr)
    );
    let out = text(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[1].starts_with("alpha (alpha): exposure"), "{out}");
    assert!(lines[2].starts_with("bravo (bravo): exposure"), "{out}");
    assert!(lines[3].starts_with("charlie (charlie): FAILED"), "{out}");
    assert!(!out.contains("not-a-real-secret"));

    // Offline: the two stored snapshots, and the third says to run online first.
    let o = run(&["--offline", "digest", "--all-profiles"])
        .await
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("alpha (alpha): exposure"), "{out}");
    assert!(out.contains("charlie: no stored digest"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_profiles_exit_1_when_no_tenant_answers() {
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let tmp = tempfile::tempdir().unwrap();
    write_config(tmp.path(), &profile("only", &dead));
    let dir = tmp.path().to_path_buf();
    let o = tokio::task::spawn_blocking(move || {
        socops(
            &dir,
            &["digest", "--all-profiles"],
            &[("DIGEST_TEST_SECRET", "x")],
        )
    })
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("only (only): FAILED"));
}
