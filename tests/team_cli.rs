//! `socops` with a `[team]` table, against a simulator shared by every run: a held action
//! prints its request number and exits 0, `--json` prints it pending, the requester is the
//! OS login (not $USER), self-approval exits 3, `approvals list/show` read the queue, and an
//! unreachable store sends nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

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
        time_scale: 0.0,
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

/// The Isolate actions on device `id` in the tenant's history.
async fn isolations_of(e: &Env, id: &str) -> usize {
    let o = run(e, &["--json", "actions", "list"]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|a| a["machineId"] == id && a["type"] == "Isolate")
        .count()
}

// The first active device's (id, name).
async fn device_id(e: &Env) -> (String, String) {
    let o = run(e, &["--json", "devices", "list"]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    let m = v
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["healthStatus"] == "Active")
        .cloned()
        .unwrap();
    (
        m["id"].as_str().unwrap().to_string(),
        m["computerDnsName"].as_str().unwrap().to_string(),
    )
}

/// Park a request as another analyst ("bob") straight in the store, as any team member
/// who can write it could: `kind`, `description` and the target columns as given, the
/// parameters as given.
async fn park_as_bob(e: &Env, kind: &str, description: &str, id: &str, parameters: &str) -> i64 {
    let bob = socops::store::team::Identity {
        login: "bob".into(),
        upn: None,
    };
    park_as(e, bob, kind, description, id, parameters).await
}

/// Park a request as `who` straight in the store.
async fn park_as(
    e: &Env,
    who: socops::store::team::Identity,
    kind: &str,
    description: &str,
    id: &str,
    parameters: &str,
) -> i64 {
    use socops::store::team::{NewRequest, TeamStore};
    let url = format!("sqlite://{}", e.dir.path().join("team.db").display());
    let store = TeamStore::open(&url).await.unwrap();
    store
        .request(NewRequest {
            profile: "demo".into(),
            tenant: socops::runtime::team::tenant_key(socops::sim::DEMO_TENANT_ID),
            kind: kind.into(),
            target_id: id.into(),
            target_name: id.into(),
            description: description.into(),
            parameters: parameters.into(),
            comment: "c".into(),
            requester: who,
            expires_in_secs: 3600,
        })
        .await
        .unwrap()
        .id
}

async fn state_of(e: &Env, id: i64) -> String {
    let o = run(e, &["--json", "approvals", "show", &id.to_string()]).await;
    let v: Value = serde_json::from_str(&out(&o)).unwrap();
    v["request"]["state"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_approver_is_shown_what_the_parameters_send_and_a_mismatch_is_refused() {
    let e = env(None).await;
    let (id, _) = device_id(&e).await;
    let isolate =
        format!(r#"{{"action":"Isolate","machine_id":"{id}","comment":"c","selective":false}}"#);
    // Listed as a harmless scan, but its parameters isolate: refused, nothing sent.
    let n = park_as_bob(
        &e,
        "RunAntiVirusScan",
        "Run quick antivirus scan",
        &id,
        &isolate,
    )
    .await;
    let o = run(&e, &["approvals", "approve", &n.to_string(), "--yes"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("inconsistent"), "{}", err(&o));
    assert_eq!(isolations_of(&e, &id).await, 0, "nothing was sent");
    assert_eq!(state_of(&e, n).await, "pending", "nothing was decided");
    // `show` names what the parameters do, not the description column.
    let o = run(&e, &["approvals", "show", &n.to_string()]).await;
    assert!(out(&o).contains("action:    Isolate device"), "{}", out(&o));
    // Unreadable parameters: refused.
    let n = park_as_bob(&e, "Isolate", "Isolate device", &id, "{not json").await;
    let o = run(&e, &["approvals", "approve", &n.to_string(), "--yes"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("cannot be read"), "{}", err(&o));
    assert_eq!(isolations_of(&e, &id).await, 0, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dry_run_approval_shows_the_request_and_leaves_it_pending() {
    let e = env(None).await;
    let (id, _) = device_id(&e).await;
    let isolate =
        format!(r#"{{"action":"Isolate","machine_id":"{id}","comment":"c","selective":false}}"#);
    let n = park_as_bob(&e, "Isolate", "Isolate device", &id, &isolate).await;
    let o = run(
        &e,
        &["--dry-run", "approvals", "approve", &n.to_string(), "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("POST "), "the exact request: {}", out(&o));
    assert!(out(&o).contains(&id), "{}", out(&o));
    assert!(err(&o).contains("still pending"), "{}", err(&o));
    assert_eq!(isolations_of(&e, &id).await, 0, "nothing was sent");
    assert_eq!(state_of(&e, n).await, "pending");
    // Without --dry-run the same approval sends it once.
    let o = run(&e, &["approvals", "approve", &n.to_string(), "--yes"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("Isolate device"), "{}", out(&o));
    assert_eq!(isolations_of(&e, &id).await, 1);
    assert_eq!(state_of(&e, n).await, "approved");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_made_under_another_sign_in_by_the_same_os_login_cannot_be_approved() {
    let e = env(None).await;
    let (id, _) = device_id(&e).await;
    let isolate =
        format!(r#"{{"action":"Isolate","machine_id":"{id}","comment":"c","selective":false}}"#);
    // Filed from a device-code profile by this same OS user: shown under the UPN.
    let me = socops::store::team::Identity {
        login: whoami::username().unwrap(),
        upn: Some("someone@contoso.com".into()),
    };
    let n = park_as(&e, me, "Isolate", "Isolate device", &id, &isolate).await;
    let o = run(&e, &["approvals", "approve", &n.to_string(), "--yes"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("OS login"), "{}", err(&o));
    assert_eq!(isolations_of(&e, &id).await, 0, "nothing was sent");
    assert_eq!(state_of(&e, n).await, "pending");
    let o = run(&e, &["approvals", "show", &n.to_string()]).await;
    assert!(out(&o).contains("entra someone@contoso.com"), "{}", out(&o));
}
