//! The digest end to end against the simulated tenant on 127.0.0.1: a golden first digest at
//! a fixed seed and instant, a second run that reports an action created in between, and the
//! all-profiles view with one dead tenant.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use socops::api::auth::StaticToken;
use socops::api::calls::ActionRequest;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::digest::{DigestFormat, collect, offline_digest, run_all, run_digest};
use socops::sim::{RunningSim, SimConfig, start};
use socops::store::SnapshotStore;

fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-11T08:00:00Z")
        .unwrap()
        .to_utc()
}

/// A simulator whose clock stands still (so its answers do not depend on test speed).
async fn sim(seed: u64) -> RunningSim {
    start(SimConfig {
        seed,
        devices: 40,
        now: Some(fixed_now()),
        rate_limits: false,
        time_scale: 1e-9,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap()
}

fn client_for(base: &str) -> Client {
    let ep = Endpoints::for_cloud(Cloud::Global, "t1").with_overrides(
        Some(base),
        Some(base),
        Some(base),
    );
    Client::with_policy(
        ep,
        Arc::new(StaticToken::new("t", "tester")),
        RetryPolicy::fast(),
    )
}

#[tokio::test]
async fn golden_digest_then_changes_after_an_action() {
    let s = sim(7).await;
    let client = client_for(&s.base_url());
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path());
    let now = fixed_now();

    let first = run_digest(
        &client,
        &store,
        "fabrikam",
        "Fabrikam",
        now,
        DigestFormat::Text,
    )
    .await
    .unwrap();
    assert!(first.contains("First digest for this profile"), "{first}");
    assert!(!first.contains("Could not read"), "{first}");
    insta::assert_snapshot!("sim_first_digest", first);

    // Scan a device that has no pending action yet, then run the digest an hour later.
    let snap = collect(&client, "fabrikam", "Fabrikam", now).await.unwrap();
    let pending: Vec<&str> = snap
        .pending_actions
        .iter()
        .map(|a| a.device.as_str())
        .collect();
    let device = snap
        .devices_at_risk
        .iter()
        .find(|d| !pending.contains(&d.name.as_str()) && d.health_status == "Active")
        .expect("an active device at risk without a pending action");
    ActionRequest::RunAntiVirusScan {
        machine_id: device.id.clone(),
        comment: "digest test".into(),
        full: false,
    }
    .send(&client)
    .await
    .unwrap();

    let later = now + Duration::hours(1);
    let json = run_digest(
        &client,
        &store,
        "fabrikam",
        "Fabrikam",
        later,
        DigestFormat::Json,
    )
    .await
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let new_actions: Vec<&serde_json::Value> = changes
        .iter()
        .filter(|c| c["kind"] == "newPendingAction")
        .collect();
    assert_eq!(new_actions.len(), 1, "{json}");
    assert!(
        new_actions[0]["summary"]
            .as_str()
            .unwrap()
            .contains(&device.name),
        "{json}"
    );
    assert_eq!(store.list("fabrikam").unwrap().len(), 2);

    let text = offline_digest(
        &store,
        "fabrikam",
        later + Duration::minutes(30),
        DigestFormat::Text,
    )
    .unwrap();
    assert!(
        text.starts_with("Offline: the digest of 2026-03-11 09:00 UTC (30m ago)"),
        "{text}"
    );
    assert!(text.contains("Changes since last run (1)"), "{text}");
    assert!(
        text.contains(&format!("RunAntiVirusScan on {}", device.name)),
        "{text}"
    );
}

#[tokio::test]
async fn run_all_shows_each_tenant_and_a_dead_one() {
    let (a, b) = (sim(1).await, sim(2).await);
    // A port that was just bound and released: nothing listens there.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path());
    let profiles = vec![
        (
            "alpha".to_string(),
            "Alpha".to_string(),
            client_for(&a.base_url()),
        ),
        (
            "gone".to_string(),
            "Gone Ltd".to_string(),
            client_for(&dead),
        ),
        (
            "beta".to_string(),
            "Beta".to_string(),
            client_for(&b.base_url()),
        ),
    ];
    let run = run_all(
        profiles,
        &store,
        fixed_now(),
        socops::digest::TENANT_DEADLINE,
    )
    .await;
    assert_eq!(run.failed, 1);
    let out = run.text;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[1].starts_with("alpha (Alpha): exposure "), "{out}");
    assert!(
        lines[2].starts_with("gone (Gone Ltd): FAILED: cannot reach"),
        "{out}"
    );
    assert!(lines[3].starts_with("beta (Beta): exposure "), "{out}");
    assert!(
        !lines[1].contains("failed") && !lines[3].contains("failed"),
        "{out}"
    );
    assert_ne!(
        lines[1]["alpha (Alpha)".len()..],
        lines[3]["beta (Beta)".len()..],
        "different seeds give different tenants"
    );
    assert_eq!(store.list("alpha").unwrap().len(), 1);
    assert!(store.list("gone").unwrap().is_empty());
    // The dead tenant's port is random; the error names the host, so redact the port.
    let out = out.replace(dead.trim_start_matches("http://"), "127.0.0.1:PORT");
    insta::assert_snapshot!("sim_run_all", out);
}
