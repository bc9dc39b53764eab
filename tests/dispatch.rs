//! The one write pipeline (`api::dispatch`) against wiremock with an in-memory audit sink:
//! refusals write nothing, a dry run sends nothing, the intent is recorded before the
//! request and the outcome after, a pending duplicate is refused before the caller confirms.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::{Arc, Mutex};

use socops::api::auth::StaticToken;
use socops::api::calls::ActionRequest;
use socops::api::dispatch::{
    self, AuditIntent, AuditOutcome, AuditSink, DispatchError, Mode, Origin, Prepared,
};
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Records what the pipeline wrote, in order.
#[derive(Default)]
struct Memory(Mutex<Vec<String>>);

impl AuditSink for Memory {
    fn record_intent(
        &self,
        intent: &AuditIntent,
    ) -> Result<String, socops::api::dispatch::SinkError> {
        let mut v = self.0.lock().unwrap();
        v.push(format!(
            "intent {} dry_run={}",
            intent.action, intent.dry_run
        ));
        Ok(format!("r{}", v.len()))
    }

    fn record_outcome(
        &self,
        id: &str,
        outcome: &AuditOutcome,
    ) -> Result<(), socops::api::dispatch::SinkError> {
        self.0
            .lock()
            .unwrap()
            .push(format!("outcome {id} ok={}", outcome.ok));
        Ok(())
    }
}

/// An audit log that cannot be written (disk full, permissions).
struct Broken;

impl AuditSink for Broken {
    fn record_intent(&self, _: &AuditIntent) -> Result<String, socops::api::dispatch::SinkError> {
        Err(Box::new(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "disk full",
        )))
    }

    fn record_outcome(
        &self,
        _: &str,
        _: &AuditOutcome,
    ) -> Result<(), socops::api::dispatch::SinkError> {
        Err("disk full".into())
    }
}

fn client(url: &str) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

fn scan() -> ActionRequest {
    ActionRequest::RunAntiVirusScan {
        machine_id: "m1".into(),
        comment: "c".into(),
        full: false,
    }
}

/// A server whose machine-action list (the duplicate guard's read) is `actions`.
async fn with_actions(actions: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": actions})),
        )
        .mount(&server)
        .await;
    server
}

const SEND: Mode = Mode {
    dry_run: false,
    read_only: false,
    recover: true,
};

#[test]
fn read_only_and_invalid_input_are_refused_before_anything_is_written() {
    let req = scan();
    let ro = Mode {
        read_only: true,
        ..SEND
    };
    assert!(matches!(
        dispatch::check(&req, ro),
        Err(DispatchError::ReadOnly)
    ));
    let bad = ActionRequest::RunAntiVirusScan {
        machine_id: String::new(),
        comment: "c".into(),
        full: false,
    };
    assert!(matches!(
        dispatch::check(&bad, SEND),
        Err(DispatchError::Invalid(_))
    ));
}

/// The service accepts exactly one scan of `m1` (as action `a9`, pending).
async fn accepts_the_scan_once(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/api/machines/m1/runAntiVirusScan"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(serde_json::json!({"id": "a9", "status": "Pending"})),
        )
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn dry_run_records_the_intent_and_sends_nothing() {
    let server = MockServer::start().await;
    let c = client(&server.uri());
    let sink = Memory::default();
    let req = scan();
    let mode = Mode {
        dry_run: true,
        ..SEND
    };
    let checked = dispatch::check(&req, mode).unwrap();
    let Ok(Prepared::DryRun(lines)) = checked.prepare(&c, &sink, Origin::default()).await else {
        panic!("not a dry run");
    };
    assert!(lines[0].starts_with("POST "));
    assert_eq!(sink.0.lock().unwrap().len(), 1);
    assert!(sink.0.lock().unwrap()[0].ends_with("dry_run=true"));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_pending_duplicate_is_refused_before_confirmation_and_writes_nothing() {
    let server = with_actions(serde_json::json!([
        {"id": "a1", "type": "RunAntiVirusScan", "status": "InProgress", "machineId": "m1"}
    ]))
    .await;
    let c = client(&server.uri());
    let sink = Memory::default();
    let req = scan();
    let checked = dispatch::check(&req, SEND).unwrap();
    let err = match checked.prepare(&c, &sink, Origin::default()).await {
        Err(e) => e,
        Ok(_) => panic!("the duplicate was not refused"),
    };
    assert_eq!(
        err.to_string(),
        "action a1 (RunAntiVirusScan) is already InProgress on this device"
    );
    assert!(sink.0.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_finished_action_of_the_same_type_is_not_a_duplicate() {
    // Only Pending/InProgress block a new action: one that was cancelled, failed, timed out
    // or succeeded must not be reported as "already pending".
    let server = with_actions(serde_json::json!([
        {"id": "a1", "type": "RunAntiVirusScan", "status": "Cancelled", "machineId": "m1"},
        {"id": "a2", "type": "RunAntiVirusScan", "status": "Failed", "machineId": "m1"},
        {"id": "a3", "type": "RunAntiVirusScan", "status": "TimeOut", "machineId": "m1"},
        {"id": "a4", "type": "RunAntiVirusScan", "status": "Succeeded", "machineId": "m1"}
    ]))
    .await;
    accepts_the_scan_once(&server).await;
    let c = client(&server.uri());
    let sink = Memory::default();
    let req = scan();
    let checked = dispatch::check(&req, SEND).unwrap();
    let Ok(Prepared::Ready(ready)) = checked.prepare(&c, &sink, Origin::default()).await else {
        panic!("a finished action was taken for a pending duplicate");
    };
    assert_eq!(
        ready.commit().await.unwrap().action_id.as_deref(),
        Some("a9")
    );
}

#[tokio::test]
async fn commit_records_the_intent_before_sending_and_the_outcome_after() {
    let server = with_actions(serde_json::json!([])).await;
    accepts_the_scan_once(&server).await;
    let c = client(&server.uri());
    let sink = Memory::default();
    let req = scan();
    let checked = dispatch::check(&req, SEND).unwrap();
    let Ok(Prepared::Ready(ready)) = checked.prepare(&c, &sink, Origin::default()).await else {
        panic!("not ready");
    };
    assert!(
        sink.0.lock().unwrap().is_empty(),
        "nothing before confirmation"
    );
    let sent = ready.commit().await.unwrap();
    assert_eq!(sent.action_id.as_deref(), Some("a9"));
    assert_eq!(sent.status, Some(socops::api::model::ActionStatus::Pending));
    assert_eq!(
        *sink.0.lock().unwrap(),
        vec![
            "intent Run quick antivirus scan dry_run=false".to_string(),
            "outcome r1 ok=true".to_string()
        ]
    );
}

#[tokio::test]
async fn no_request_is_sent_when_the_audit_intent_cannot_be_written() {
    let server = with_actions(serde_json::json!([])).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "a9"})))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .expect(0)
        .mount(&server)
        .await;
    let c = client(&server.uri());
    for req in [scan(), ActionRequest::DeleteIndicator { id: "42".into() }] {
        let err = dispatch::run(&c, &Broken, Origin::default(), &req, SEND)
            .await
            .unwrap_err();
        assert!(matches!(err, DispatchError::Audit(_)), "{err}");
        assert_eq!(err.to_string(), "cannot write the audit log: disk full");
        // The sink's own error is kept as the source, not flattened into text.
        let io = std::error::Error::source(&err)
            .and_then(|e| e.downcast_ref::<std::io::Error>())
            .expect("the IO error is the source");
        assert_eq!(io.kind(), std::io::ErrorKind::StorageFull);
    }
    // A dry run is audited too: no audit, no dry run.
    let dry = Mode {
        dry_run: true,
        ..SEND
    };
    let err = dispatch::run(&c, &Broken, Origin::default(), &scan(), dry)
        .await
        .unwrap_err();
    assert!(matches!(err, DispatchError::Audit(_)), "{err}");
    server.verify().await;
    let writes = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() != "GET")
        .count();
    assert_eq!(writes, 0);
}
