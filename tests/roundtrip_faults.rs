//! Round trip of the transport's failure handling against the simulator's fault switches:
//! 429 waited out, 5xx on a GET retried, 5xx on an action POST surfaced as ambiguous, broken
//! bodies reported as `Malformed`, an expired token refreshed once, slowness as `Timeout`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

mod roundtrip_common;

use std::time::Duration;

use roundtrip_common::{client, client_with, frozen, windows_devices};
use socops::api::calls::{self, ActionRequest};
use socops::api::model::{Incident, Machine};
use socops::api::{ApiError, RetryPolicy};

#[tokio::test]
async fn throttle_is_waited_out() {
    let s = frozen(10).await;
    let c = client(&s);
    s.faults.throttle_next(1, 1);
    let list: Vec<Machine> = calls::machines(None).fetch(&c, None).await.unwrap();
    assert_eq!(list.len(), 10);
}

#[tokio::test]
async fn throttle_longer_than_the_policy_allows_is_reported() {
    let s = frozen(10).await;
    let c = client(&s);
    s.faults.throttle_next(1, 3600);
    let err = calls::machines(None)
        .fetch::<Machine>(&c, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Throttled { .. }), "{err}");
}

#[tokio::test]
async fn server_errors_on_a_get_are_retried() {
    let s = frozen(10).await;
    let c = client(&s);
    s.faults.fail_next(2, 503);
    let list: Vec<Incident> = calls::incidents(None, false).fetch(&c, None).await.unwrap();
    assert!(!list.is_empty());
}

#[tokio::test]
async fn server_error_on_an_action_is_ambiguous_and_not_retried() {
    let s = frozen(10).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let before: Vec<socops::api::model::MachineAction> =
        calls::machine_actions(None).fetch(&c, None).await.unwrap();
    s.faults.fail_next(1, 503);
    let err = ActionRequest::Isolate {
        machine_id: id,
        comment: "contain".into(),
        selective: false,
    }
    .send(&c)
    .await
    .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_ambiguous(), "{err}");
    // Not retried: the fault took the only attempt and no action was created.
    let after: Vec<socops::api::model::MachineAction> =
        calls::machine_actions(None).fetch(&c, None).await.unwrap();
    assert_eq!(after.len(), before.len());
}

#[tokio::test]
async fn broken_bodies_are_malformed_with_a_clear_message() {
    let s = frozen(10).await;
    let c = client(&s);
    // Warm the token so the fault hits the API call.
    calls::exposure_score(&c).await.unwrap();
    s.faults.malformed_next(1);
    let err = calls::machines(None)
        .fetch::<Machine>(&c, None)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Malformed { .. }), "{err}");
    assert!(err.to_string().contains("the body is not JSON"), "{err}");
    let devices: Vec<Machine> = calls::machines(None).fetch(&c, Some(1)).await.unwrap();
    s.faults.truncate_next(1);
    let err = calls::machine(&c, &devices[0].id).await.unwrap_err();
    assert!(matches!(err, ApiError::Malformed { .. }), "{err}");
    assert!(err.to_string().contains("cut short"), "{err}");
}

#[tokio::test]
async fn expired_token_is_refreshed_once() {
    let s = frozen(10).await;
    let c = client(&s);
    calls::exposure_score(&c).await.unwrap();
    s.faults.expire_tokens_next(1);
    let list: Vec<Machine> = calls::machines(None).fetch(&c, None).await.unwrap();
    assert_eq!(list.len(), 10);
    // Twice in a row is not refreshed forever: the second 401 is reported.
    s.faults.expire_tokens_next(2);
    let err = calls::machines(None)
        .fetch::<Machine>(&c, None)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn slow_service_times_out() {
    let s = frozen(10).await;
    let c = client_with(
        &s,
        RetryPolicy {
            max_retries: 0,
            timeout: Duration::from_millis(100),
            ..RetryPolicy::fast()
        },
    );
    calls::exposure_score(&c).await.unwrap();
    s.faults.set_latency(1_000);
    let err = calls::exposure_score(&c).await.unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err}");
    assert!(err.is_ambiguous());
    s.faults.set_latency(0);
}
