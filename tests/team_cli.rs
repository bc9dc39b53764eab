//! `socops` with a `[team]` table, against a simulator shared by every run: a held action
//! prints its request number and exits 0, `--json` prints it pending, the requester is the
//! OS login (not $USER), self-approval exits 3, `approvals list/show` read the queue, and an
//! unreachable store sends nothing.

use std::os::unix::fs::PermissionsExt;
use std::process::{Output, Stdio};

use serde_json::Value;
use socops::sim::{RunningSim, SimConfig, start as start_sim};

struct Env {
    dir: tempfile::TempDir,
    sim: RunningSim,
}

async fn env(store: Option<&str>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let sim = start_sim(SimConfig {
        seed: 5,
        devices: 6,
        now: None,
        rate_limits: false,
        time_scale: 1.0,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let store = store
        .map(String::from)
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("team.db").display()));
    let file = config.join("config.toml");
    std::fs::write(&file, format!("[team]\nstore = \"{store}\"\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    Env { dir, sim }
}

async fn run(e: &Env, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec!["--demo".into(), "--mde-url".into(), e.sim.base_url()];
    all.extend(args.iter().map(|a| a.to_string()));
    let data = e.dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_socops"))
            .env("SOCOPS_CONFIG_DIR", data.join("config"))
            .env("SOCOPS_DATA_DIR", data.join("data"))
            // The identity never comes from the environment.
            .env("USER", "mallory")
            .env("LOGNAME", "mallory")
            .args(&all)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The first active device's name, and the Isolate actions on it.
async fn device(e: &Env) -> String {
    let o = run(e, &["--json", "devices", "list"]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    let list = v.as_array().cloned().unwrap_or_default();
    list.iter()
        .find(|m| m["healthStatus"] == "Active")
        .and_then(|m| m["computerDnsName"].as_str())
        .unwrap()
        .to_string()
}

async fn isolations(e: &Env, name: &str) -> usize {
    let o = run(e, &["--json", "actions", "list"]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|a| a["computerDnsName"] == name && a["type"] == "Isolate")
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_held_isolation_prints_its_request_and_the_requester_cannot_approve_it() {
    let e = env(None).await;
    let name = device(&e).await;
    let o = run(&e, &["device", &name, "isolate", "--comment", "c", "--yes"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let short = name.split('.').next().unwrap();
    assert_eq!(
        out(&o).trim(),
        format!("Isolate {short} awaits approval: request 1")
    );
    assert_eq!(isolations(&e, &name).await, 0, "nothing was sent");

    let o = run(
        &e,
        &[
            "--json",
            "device",
            &name,
            "isolate",
            "--comment",
            "c",
            "--yes",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["state"], "pending");
    assert_eq!(v["id"], 2);

    let o = run(&e, &["--json", "approvals", "list"]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let me = whoami::username().unwrap();
    assert_eq!(rows[0]["requester"], me.as_str(), "the OS login, not $USER");
    assert_ne!(me, "mallory");

    let o = run(&e, &["approvals", "approve", "1", "--yes"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(
        err(&o).contains("another analyst must decide it"),
        "{}",
        err(&o)
    );
    assert_eq!(isolations(&e, &name).await, 0);

    let o = run(&e, &["approvals", "show", "1"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("Isolate device"), "{text}");
    assert!(text.contains("POST "), "the exact request: {text}");
    assert!(text.contains("requested"), "{text}");

    let o = run(&e, &["approvals", "withdraw", "1", "--yes"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&e, &["--csv", "approvals", "list", "--state", "all"]).await;
    let csv = out(&o);
    assert!(csv.starts_with("ID,STATE,"), "{csv}");
    assert!(csv.contains("withdrawn"), "{csv}");
    let o = run(
        &e,
        &["approvals", "reject", "2", "--comment", "no", "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(3), "own request: {}", err(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scan_is_not_held_by_the_demo_policy() {
    let e = env(None).await;
    let name = device(&e).await;
    let o = run(&e, &["device", &name, "scan", "--comment", "c", "--yes"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(!out(&o).contains("awaits approval"), "{}", out(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_store_sends_nothing_and_says_so() {
    let e = env(Some("postgres://socops@127.0.0.1:1/socops")).await;
    let name = device(&e).await;
    let o = run(&e, &["device", &name, "isolate", "--comment", "c", "--yes"]).await;
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let msg = err(&o);
    assert!(msg.contains("unreachable"), "{msg}");
    assert!(msg.contains("nothing was sent"), "{msg}");
    assert_eq!(isolations(&e, &name).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_digest_lists_pending_team_requests() {
    let e = env(None).await;
    let name = device(&e).await;
    let o = run(&e, &["device", &name, "isolate", "--comment", "c", "--yes"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let o = run(&e, &["digest"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("Team approvals (1 pending)"), "{text}");
    assert!(text.contains(&format!("#1 Isolate {name}")), "{text}");
    let o = run(&e, &["--json", "digest"]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["team_approvals"]["pending"][0]["state"], "pending");
}
