//! Tracking sent actions: one filtered list request per batch of due actions (never a GET
//! per action), served by the simulator too; an action the service stops listing is reported
//! gone, one whose reads keep failing stops visibly.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use socops::api::auth::StaticToken;
use socops::api::calls::{machine_actions, odata};
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::Msg;
use socops::runtime::actions::{ActionContext, ActionRunner};
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(url: &str) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

async fn next_msg(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a message within 30 s")
        .expect("channel open")
}

fn runner(url: &str, dir: &std::path::Path) -> (ActionRunner, mpsc::UnboundedReceiver<Msg>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut ctx = ActionContext::new(dir.to_path_buf(), "work".into(), "c".into());
    ctx.poll_first = Duration::from_millis(20);
    ctx.poll_max = Duration::from_millis(40);
    ctx.max_errors = 3;
    (ActionRunner::new(client(url), tx, ctx), rx)
}

/// Answers a machineactions list with every id its `$filter` names, Succeeded.
struct ListsTheFilteredIds;

impl Respond for ListsTheFilteredIds {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let filter = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "$filter")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        let records: Vec<Value> = filter
            .split(" or ")
            .filter_map(|c| {
                c.strip_prefix("id eq '")?
                    .strip_suffix('\'')
                    .map(str::to_string)
            })
            .map(|id| json!({"id": id, "type": "RunAntiVirusScan", "status": "Succeeded"}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({ "value": records }))
    }
}

#[tokio::test]
async fn thirty_tracked_actions_are_read_with_one_filtered_request_per_batch() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ListsTheFilteredIds)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let (r, mut rx) = runner(&server.uri(), dir.path());
    let ids: Vec<String> = (0..30).map(|i| format!("a{i:02}")).collect();
    for id in &ids {
        r.track(id.clone());
    }
    let mut done = std::collections::BTreeSet::new();
    while done.len() < ids.len() {
        match next_msg(&mut rx).await {
            Msg::ActionProgress { id, status } => {
                assert_eq!(status, socops::api::model::ActionStatus::Succeeded);
                done.insert(id);
            }
            other => panic!("{other:?}"),
        }
    }
    let requests = server.received_requests().await.unwrap();
    // 30 actions due together: two requests (25 + 5), no GET machineactions/{id}.
    assert_eq!(requests.len(), 2, "{requests:?}");
    for req in &requests {
        assert_eq!(req.url.path(), "/api/machineactions");
        let q = req.url.query().unwrap_or_default();
        assert!(
            q.contains("%24filter=id+eq+") || q.contains("$filter=id"),
            "{q}"
        );
    }
}

#[tokio::test]
async fn an_action_no_longer_listed_is_gone_and_failing_reads_stop_tracking() {
    let dir = tempfile::tempdir().unwrap();
    let empty = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&empty)
        .await;
    let (r, mut rx) = runner(&empty.uri(), dir.path());
    r.track("gone".into());
    match next_msg(&mut rx).await {
        Msg::TrackingStopped { id, error, gone } => {
            assert_eq!(id, "gone");
            assert!(gone);
            assert_eq!(error, "action not found");
        }
        other => panic!("{other:?}"),
    }

    let failing = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&failing)
        .await;
    let (r, mut rx) = runner(&failing.uri(), dir.path());
    r.track("flaky".into());
    match next_msg(&mut rx).await {
        Msg::TrackingStopped { id, gone, .. } => {
            assert_eq!(id, "flaky");
            assert!(!gone);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_simulator_serves_the_tracking_filter() {
    let sim = socops::sim::start(socops::sim::SimConfig {
        seed: 7,
        devices: 20,
        now: None,
        rate_limits: false,
        time_scale: 0.0,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap();
    let c = client(&sim.base_url());
    let all: Vec<Value> = machine_actions(None).fetch(&c, Some(5)).await.unwrap();
    assert!(all.len() >= 3, "the demo tenant has actions");
    let ids: Vec<&str> = all[..3].iter().map(|a| a["id"].as_str().unwrap()).collect();
    let picked: Vec<Value> = machine_actions(Some(odata::any_of("id", &ids)))
        .fetch(&c, None)
        .await
        .unwrap();
    let mut got: Vec<&str> = picked.iter().map(|a| a["id"].as_str().unwrap()).collect();
    let mut want = ids.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    sim.shutdown();
}
