//! A second action of a pending type, sent after socops' own guard passed (another analyst
//! got there first, between the check and the send): the service answers either with the
//! pending action or with 400 `ActiveRequestAlreadyExists`, and socops names the pending
//! action either way, as not performed, and audits it so.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use std::sync::Mutex;

use roundtrip_common::{as_app, client, frozen, windows_devices};
use socops::api::Resource;
use socops::api::calls::ActionRequest;
use socops::api::dispatch::{
    self, AuditIntent, AuditOutcome, AuditSink, DispatchError, DuplicateSeen, Mode, Origin,
    Prepared,
};

#[derive(Default)]
struct Memory(Mutex<Vec<String>>);
impl AuditSink for Memory {
    fn record_intent(&self, i: &AuditIntent) -> Result<String, socops::api::dispatch::SinkError> {
        let mut v = self.0.lock().unwrap();
        v.push(format!("intent {}", i.action));
        Ok(v.len().to_string())
    }
    fn record_outcome(
        &self,
        _: &str,
        o: &AuditOutcome,
    ) -> Result<(), socops::api::dispatch::SinkError> {
        self.0
            .lock()
            .unwrap()
            .push(format!("outcome ok={} {:?}", o.ok, o.error));
        Ok(())
    }
}

const SEND: Mode = Mode {
    dry_run: false,
    read_only: false,
    recover: true,
};

/// Prepares `req` (the guard sees nothing pending), lets "another analyst" send `path` with
/// their own comment, then commits `req`. Returns the error and the other action's id.
async fn race(kind: &str, req: ActionRequest) -> (DispatchError, String, Vec<String>) {
    let s = frozen(20).await;
    let c = client(&s);
    let sink = Memory::default();
    let machine = req.target_machine().unwrap().to_string();
    let checked = dispatch::check(&req, SEND).unwrap();
    let Ok(Prepared::Ready(ready)) = checked.prepare(&c, &sink, Origin::default()).await else {
        panic!("the guard refused before anything was pending");
    };
    let (status, other) = as_app(
        &s,
        reqwest::Method::POST,
        Resource::Mde,
        &format!("machines/{machine}/{kind}"),
        &serde_json::json!({"Comment": "the other analyst"}),
    )
    .await;
    assert_eq!(status, 201, "{other}");
    // Three seconds pass (the other action is still running), and socops' client sees the
    // service's clock move on with any answer.
    s.advance(3.0);
    c.get_page(Resource::Mde, "machines?$top=1").await.unwrap();
    let e = ready.commit().await.unwrap_err();
    let log = sink.0.lock().unwrap().clone();
    (e, other["id"].as_str().unwrap().to_string(), log)
}

#[tokio::test]
async fn a_refused_duplicate_names_the_pending_action() {
    let s = frozen(20).await;
    let id = windows_devices(&client(&s), 1).await.remove(0);
    drop(s);
    let req = ActionRequest::Isolate {
        machine_id: id,
        comment: "contain".into(),
        selective: false,
    };
    let (e, other, log) = race("isolate", req).await;
    let DispatchError::Duplicate { id, seen, .. } = &e else {
        panic!("not reported as a duplicate: {e}");
    };
    assert_eq!(*seen, DuplicateSeen::Refused);
    assert_eq!(*id, other);
    let text = e.to_string();
    assert!(text.starts_with("not performed:"), "{text}");
    assert!(text.contains("ActiveRequestAlreadyExists"), "{text}");
    assert!(text.contains(&other), "{text}");
    assert!(
        log.last().unwrap().starts_with("outcome ok=false"),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_duplicate_answered_with_the_pending_action_is_not_reported_as_new() {
    let s = frozen(20).await;
    let id = windows_devices(&client(&s), 1).await.remove(0);
    drop(s);
    let req = ActionRequest::RunAntiVirusScan {
        machine_id: id,
        comment: "scan it".into(),
        full: false,
    };
    let (e, other, log) = race("runAntiVirusScan", req).await;
    let DispatchError::Duplicate {
        id, seen, status, ..
    } = &e
    else {
        panic!("not reported as a duplicate: {e}");
    };
    assert_eq!(*seen, DuplicateSeen::Returned);
    assert_eq!(*id, other);
    // Three simulated seconds after it was sent, the other action is running.
    assert_eq!(status.as_str(), "InProgress");
    let text = e.to_string();
    assert!(text.starts_with("no new action:"), "{text}");
    assert!(text.contains(&other), "{text}");
    assert!(
        log.last().unwrap().starts_with("outcome ok=false"),
        "{log:?}"
    );
}
