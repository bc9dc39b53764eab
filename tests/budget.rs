//! The client-side API budget holds under concurrency: hundreds of tasks asking at once on
//! tokio's paused clock never get more calls in any minute than the family allows; a waiter
//! takes a call again after sleeping instead of assuming one; background work leaves the
//! analyst's headroom and waits while the analyst waits; the meter counts every request.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use socops::api::auth::StaticToken;
use socops::api::budget::{Budgets, Family, Priority};
use socops::api::{Client, Cloud, Endpoints, Resource, RetryPolicy};
use tokio::time::Instant;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The most calls that started in any 60-second window of `starts`.
fn busiest_minute(starts: &mut [Instant]) -> usize {
    starts.sort();
    let mut most = 0;
    for (i, s) in starts.iter().enumerate() {
        let n = starts[i..]
            .iter()
            .take_while(|t| t.duration_since(*s) < Duration::from_secs(60))
            .count();
        most = most.max(n);
    }
    most
}

#[tokio::test(start_paused = true)]
async fn three_hundred_concurrent_trackers_never_exceed_the_minute_limit() {
    let budgets = Arc::new(Budgets::new());
    let starts = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for i in 0..300 {
        let (b, starts) = (budgets.clone(), starts.clone());
        let priority = if i % 3 == 0 {
            Priority::Interactive
        } else {
            Priority::Background
        };
        tasks.push(tokio::spawn(async move {
            // Each task polls four times, as a tracker of one action would.
            for _ in 0..4 {
                if b.acquire(Family::Mde, priority, Duration::from_secs(3600))
                    .await
                    .is_ok()
                {
                    starts.lock().unwrap().push(Instant::now());
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }));
    }
    for t in tasks {
        tokio::time::timeout(Duration::from_secs(7200), t)
            .await
            .expect("tasks finish")
            .unwrap();
    }
    let mut starts = starts.lock().unwrap().clone();
    // Every call was eventually made, and no minute saw more than the documented 100.
    assert_eq!(starts.len(), 1200);
    let most = busiest_minute(&mut starts);
    assert!(most <= 100, "{most} calls in one minute");
    assert!(most >= 90, "the budget should be used, not starved: {most}");
}

#[tokio::test(start_paused = true)]
async fn a_waiting_analyst_gets_the_next_free_call_before_background_work() {
    let budgets = Arc::new(Budgets::new());
    for _ in 0..100 {
        budgets
            .acquire(Family::Mde, Priority::Interactive, Duration::ZERO)
            .await
            .unwrap();
    }
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    // Background waiters queue up first …
    for i in 0..5 {
        let (b, order) = (budgets.clone(), order.clone());
        tasks.push(tokio::spawn(async move {
            b.acquire(Family::Mde, Priority::Background, Duration::from_secs(600))
                .await
                .unwrap();
            order.lock().unwrap().push(format!("bg{i}"));
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    // … and the analyst's action, asked for later, is still sent first.
    let (b, o) = (budgets.clone(), order.clone());
    tasks.push(tokio::spawn(async move {
        b.acquire(Family::Mde, Priority::Interactive, Duration::from_secs(600))
            .await
            .unwrap();
        o.lock().unwrap().push("analyst".to_string());
    }));
    for t in tasks {
        tokio::time::timeout(Duration::from_secs(3600), t)
            .await
            .expect("tasks finish")
            .unwrap();
    }
    let order = order.lock().unwrap().clone();
    assert_eq!(
        order.first().map(String::as_str),
        Some("analyst"),
        "{order:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_caller_whose_wait_is_too_long_is_told_so_and_takes_nothing() {
    let b = Budgets::new();
    for _ in 0..100 {
        b.acquire(Family::Mde, Priority::Interactive, Duration::ZERO)
            .await
            .unwrap();
    }
    let err = b
        .acquire(Family::Mde, Priority::Interactive, Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(err > Duration::from_secs(10), "{err:?}");
    assert_eq!(b.usage(Family::Mde).used_last_minute, 100);
}

#[tokio::test]
async fn the_meter_counts_every_request_sent_pages_and_retries_included() {
    let server = MockServer::start().await;
    let next = format!("{}/api/machines?$skip=1", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(query_param("$skip", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "b"}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a"}], "@odata.nextLink": next
        })))
        .mount(&server)
        .await;
    // One 503 first, then a good answer: two requests for one read.
    Mock::given(method("GET"))
        .and(path("/api/alerts"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/alerts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    let url = server.uri();
    let c = Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&url), Some(&url), Some(&url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    );
    c.for_each_page(Resource::Mde, "machines", 10, None, |_| Ok(()))
        .await
        .unwrap();
    c.for_each_page(Resource::Mde, "alerts", 10, None, |_| Ok(()))
        .await
        .unwrap();
    let sent = server.received_requests().await.unwrap().len() as u32;
    assert_eq!(sent, 4);
    // A background handle of the same tenant shares the meter.
    assert_eq!(c.background().budget_usage().used_last_minute, sent);
}
