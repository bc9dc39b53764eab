//! `digest --all-profiles`: a stalled tenant is given up on its own deadline while the others
//! answer, and is counted as failed (the CLI then exits non-zero; see `cli_digest.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::digest::run_all;
use socops::store::SnapshotStore;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(url: &str) -> Client {
    let policy = RetryPolicy {
        // The request timeout is far longer than the tenant's deadline: the deadline decides.
        timeout: Duration::from_secs(120),
        ..RetryPolicy::fast()
    };
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        policy,
    )
}

#[tokio::test]
async fn a_stalled_tenant_gives_up_on_its_own_deadline_and_counts_as_failed() {
    let stalled = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": []}))
                .set_delay(Duration::from_secs(600)),
        )
        .mount(&stalled)
        .await;
    let quick = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&quick)
        .await;
    let tmp = tempfile::tempdir().unwrap();
    let store = SnapshotStore::new(tmp.path());
    let profiles = vec![
        (
            "slow".to_string(),
            "Slow".to_string(),
            client(&stalled.uri()),
        ),
        ("fast".to_string(), "Fast".to_string(), client(&quick.uri())),
    ];
    let run = tokio::time::timeout(
        Duration::from_secs(60),
        run_all(profiles, &store, Utc::now(), Duration::from_millis(300)),
    )
    .await
    .expect("the per-tenant deadline ends the stalled tenant, not this guard");
    let lines: Vec<&str> = run.text.lines().collect();
    assert_eq!(run.failed, 1, "{}", run.text);
    assert!(
        lines[1].starts_with("slow (Slow): FAILED: no answer within 300 ms; gave up"),
        "{}",
        run.text
    );
    assert!(lines[2].starts_with("fast (Fast): "), "{}", run.text);
    assert!(!lines[2].contains("FAILED"), "{}", run.text);
}
