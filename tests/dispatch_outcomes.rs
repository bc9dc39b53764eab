//! What the write pipeline reports after a fault must be true: "performed" only when the
//! action this request created was found, "not performed" when the request cannot have been
//! acted on, "unknown" (with the command that checks it) otherwise. Against the simulator's
//! fault switches, wiremock and a raw socket that drops the connection after the request.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use std::sync::Mutex;
use std::time::Duration;

use roundtrip_common::{client, frozen, wait_terminal, windows_devices};
use socops::api::Client;
use socops::api::calls::{self, ActionRequest};
use socops::api::dispatch::{
    self, AuditIntent, AuditOutcome, AuditSink, DispatchError, Dispatched, Mode, Origin, Outcome,
    Prepared,
};
use socops::api::model::MachineAction;
use socops::sim::RunningSim;

/// Keeps every outcome the pipeline recorded.
#[derive(Default)]
struct Memory(Mutex<Vec<AuditOutcome>>);

impl AuditSink for Memory {
    fn record_intent(&self, _: &AuditIntent) -> Result<String, socops::api::dispatch::SinkError> {
        Ok("r".into())
    }
    fn record_outcome(
        &self,
        _: &str,
        outcome: &AuditOutcome,
    ) -> Result<(), socops::api::dispatch::SinkError> {
        self.0.lock().unwrap().push(outcome.clone());
        Ok(())
    }
}

const RECOVER: Mode = Mode {
    dry_run: false,
    read_only: false,
    recover: true,
};

async fn run(
    c: &Client,
    audit: &Memory,
    req: &ActionRequest,
    mode: Mode,
) -> Result<Dispatched, DispatchError> {
    run_armed(c, audit, req, mode, || {}).await
}

/// Runs the pipeline, calling `arm` after the duplicate guard's read and before the send, so
/// a fault armed there hits the send itself.
async fn run_armed(
    c: &Client,
    audit: &Memory,
    req: &ActionRequest,
    mode: Mode,
    arm: impl FnOnce(),
) -> Result<Dispatched, DispatchError> {
    let checked = dispatch::check(req, mode).unwrap();
    match checked.prepare(c, audit, Origin::default()).await? {
        Prepared::Ready(r) => {
            arm();
            r.commit().await
        }
        Prepared::DryRun(_) => panic!("not a dry run"),
    }
}

fn isolate(id: &str) -> ActionRequest {
    ActionRequest::Isolate {
        machine_id: id.into(),
        comment: "contain INC-7".into(),
        selective: false,
    }
}

async fn actions_of(c: &Client, device: &str) -> Vec<MachineAction> {
    let f = calls::odata::eq("machineId", device);
    calls::machine_actions(Some(f))
        .fetch(c, None)
        .await
        .unwrap()
}

/// Sends `req` and lets the simulated clock move on until the action has ended.
async fn done(s: &RunningSim, c: &Client, audit: &Memory, req: &ActionRequest) -> String {
    let d = run(c, audit, req, RECOVER).await.unwrap();
    let id = d.action_id.unwrap();
    wait_terminal(s, c, &id).await;
    s.advance(60.0);
    id
}

/// A simulator whose clock starts at the real time and stands still until moved: an older
/// action then lies within any "last few minutes" window of the local clock.
async fn frozen_at_real_time() -> RunningSim {
    socops::sim::start(socops::sim::SimConfig {
        devices: 5,
        now: Some(chrono::Utc::now()),
        rate_limits: false,
        time_scale: 1e-6,
        ..socops::sim::SimConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn an_older_isolate_is_never_reported_as_the_new_one() {
    let s = frozen_at_real_time().await;
    let c = client(&s);
    let audit = Memory::default();
    let dev = windows_devices(&c, 1).await.remove(0);
    let first = done(&s, &c, &audit, &isolate(&dev)).await;
    let release = ActionRequest::Unisolate {
        machine_id: dev.clone(),
        comment: "contain INC-7".into(),
    };
    done(&s, &c, &audit, &release).await;
    // The third request (isolate again, same comment) gets a 503 that did not perform it.
    let err = run_armed(&c, &audit, &isolate(&dev), RECOVER, || {
        s.faults.fail_next(1, 503)
    })
    .await
    .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, DispatchError::Unknown { .. }),
        "must not be reported as performed: {text}"
    );
    assert!(!text.contains(&first), "{text}");
    assert!(
        text.contains(&format!("socops actions list --device {dev}")),
        "{text}"
    );
    let last = audit.0.lock().unwrap().last().cloned().unwrap();
    assert!(!last.ok, "audit must not say ok: {last:?}");
    assert_eq!(last.outcome, Some(Outcome::Unknown));
    assert_eq!(last.action_id, None);
    // The device really is released: only one isolate exists.
    let isolates = actions_of(&c, &dev)
        .await
        .into_iter()
        .filter(|a| a.action_type.as_ref().map(|t| t.as_str()) == Some("Isolate"))
        .count();
    assert_eq!(isolates, 1);
}

/// An answer that was cut short, is not JSON or is empty came after the service handled the
/// request: the action it created is looked up and reported as performed, with its id.
#[tokio::test]
async fn an_unreadable_answer_to_a_performed_action_is_looked_up_and_found() {
    for fault in ["truncate", "malformed", "empty"] {
        let s = frozen(5).await;
        let c = client(&s);
        let audit = Memory::default();
        let dev = windows_devices(&c, 1).await.remove(0);
        // An older isolate of the same device must not be taken for the new one.
        let older = done(&s, &c, &audit, &isolate(&dev)).await;
        done(
            &s,
            &c,
            &audit,
            &ActionRequest::Unisolate {
                machine_id: dev.clone(),
                comment: "contain INC-7".into(),
            },
        )
        .await;
        let arm = || match fault {
            "truncate" => s.faults.truncate_next(1),
            "malformed" => s.faults.malformed_next(1),
            _ => s.faults.empty_next(1),
        };
        let d = run_armed(&c, &audit, &isolate(&dev), RECOVER, arm)
            .await
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        let id = d.action_id.clone().expect("the found action's id");
        assert_ne!(id, older, "{fault}: the older isolate was reported");
        assert!(d.recovered_from.is_some(), "{fault}");
        let created: Vec<_> = actions_of(&c, &dev)
            .await
            .into_iter()
            .filter(|a| {
                a.action_type.as_ref().map(|t| t.as_str()) == Some("Isolate") && a.id != older
            })
            .collect();
        assert_eq!(created.len(), 1, "{fault}: sent exactly once");
        assert_eq!(created[0].id, id, "{fault}");
        let last = audit.0.lock().unwrap().last().cloned().unwrap();
        assert!(
            last.ok && last.outcome == Some(Outcome::Performed),
            "{last:?}"
        );
    }
}

/// A server that answers the isolate of `m1` with `answer` once and fails the test on any
/// look-up (`GET`); the pipeline runs without recovery.
async fn send_without_recover(
    answer: wiremock::ResponseTemplate,
) -> (wiremock::MockServer, Memory, DispatchError) {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/machines/m1/isolate"))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": []})))
        .expect(0)
        .mount(&server)
        .await;
    let c = static_client(&server.uri());
    let audit = Memory::default();
    let mode = Mode {
        recover: false,
        ..RECOVER
    };
    let err = run(&c, &audit, &isolate("m1"), mode).await.unwrap_err();
    (server, audit, err)
}

/// `recover: false` never looks anything up: an ambiguous failure is reported as unknown.
#[tokio::test]
async fn without_recover_nothing_is_looked_up() {
    let (server, audit, err) = send_without_recover(wiremock::ResponseTemplate::new(503)).await;
    assert!(matches!(err, DispatchError::Unknown { .. }), "{err}");
    assert_eq!(
        audit.0.lock().unwrap().last().unwrap().outcome,
        Some(Outcome::Unknown)
    );
    server.verify().await;
}

/// `recover: false` never looks anything up, when the service refuses the send as a
/// duplicate either: the refusal is reported (not performed) without naming the pending action.
#[tokio::test]
async fn without_recover_a_refused_duplicate_is_not_looked_up() {
    let refusal = wiremock::ResponseTemplate::new(400).set_body_json(serde_json::json!({
        "error": {
            "code": "ActiveRequestAlreadyExists",
            "message": "Action is already in progress",
            "target": "c0ffee00-0000-0000-0000-000000000000"
        }
    }));
    let (server, audit, err) = send_without_recover(refusal).await;
    let DispatchError::Duplicate { id, seen, .. } = &err else {
        panic!("not reported as a duplicate: {err}");
    };
    assert_eq!(*seen, socops::api::dispatch::DuplicateSeen::Refused);
    assert!(
        id.starts_with("see `"),
        "no action was looked up to name: {id}"
    );
    assert!(!audit.0.lock().unwrap().last().unwrap().ok);
    server.verify().await;
}

fn static_client(url: &str) -> Client {
    use socops::api::auth::StaticToken;
    use socops::api::{Cloud, Endpoints, RetryPolicy};
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        std::sync::Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

/// A server that reads one request and closes the connection without answering.
async fn hang_up_after_request() -> String {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let mut seen = Vec::new();
            // Read the head and the body (Content-Length) before hanging up.
            loop {
                let n = match sock.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen);
                if let Some(end) = text.find("\r\n\r\n") {
                    let len = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + len {
                        break;
                    }
                }
            }
            drop(sock);
        }
    });
    format!("http://{addr}")
}

/// A connection closed after the request was written may have performed it: "unknown",
/// never "cannot reach" (an operator retry after that message isolated a device twice).
#[tokio::test]
async fn a_connection_closed_after_the_request_is_unknown_not_unreachable() {
    let url = hang_up_after_request().await;
    let c = static_client(&url);
    let audit = Memory::default();
    let mode = Mode {
        recover: false,
        ..RECOVER
    };
    let err = tokio::time::timeout(
        Duration::from_secs(20),
        run(&c, &audit, &isolate("m1"), mode),
    )
    .await
    .unwrap()
    .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, DispatchError::Unknown { .. }), "{text}");
    assert!(!text.contains("cannot reach"), "{text}");
    assert!(
        text.contains("check with `socops actions list --device m1`"),
        "{text}"
    );
}

/// A connection that was never made sent nothing: "not performed".
#[tokio::test]
async fn a_refused_connection_is_not_performed() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let c = static_client(&url);
    let audit = Memory::default();
    let mode = Mode {
        recover: false,
        ..RECOVER
    };
    let err = run(&c, &audit, &isolate("m1"), mode).await.unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, DispatchError::Send(_)), "{text}");
    assert!(text.starts_with("not performed: cannot reach"), "{text}");
    assert!(text.contains("127.0.0.1"), "names the host: {text}");
    assert_eq!(
        audit.0.lock().unwrap().last().unwrap().outcome,
        Some(Outcome::NotPerformed)
    );
}
