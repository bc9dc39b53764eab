//! The console's write pipeline in the runtime: the audit intent is written before a request
//! that then fails; a scan against the simulator is sent, guarded against a duplicate, and
//! tracked to Succeeded; the add-indicator form's re-read of a value answers with what the
//! API has.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use socops::api::auth::StaticToken;
use socops::api::calls::{ActionRequest, machines};
use socops::api::model::Machine;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::Msg;
use socops::app::actions::SendResult;
use socops::runtime::actions::{ActionContext, ActionRunner};
use socops::sim::{SimConfig, start as start_sim};
use socops::store::audit::{AuditEntry, read_entries};
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The next message, or a failure after 30 s instead of a test that hangs.
async fn next_msg(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Option<Msg> {
    tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
        .await
        .expect("no message within 30 s")
}

fn client(url: &str) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

fn runner(client: Client, dir: &std::path::Path) -> (ActionRunner, mpsc::UnboundedReceiver<Msg>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut ctx = ActionContext::new(dir.to_path_buf(), "work".into(), "contoso".into());
    ctx.poll_first = Duration::from_millis(20);
    ctx.poll_max = Duration::from_millis(100);
    (ActionRunner::new(client, tx, ctx), rx)
}

#[tokio::test]
async fn audit_intent_is_written_even_when_the_send_fails() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/machines/m1/isolate"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let (r, _rx) = runner(client(&server.uri()), dir.path());
    let req = ActionRequest::Isolate {
        machine_id: "m1".into(),
        comment: "contain".into(),
        selective: false,
    };
    let result = r
        .execute(&req, vec!["m1".into(), "pc-01".into()], false)
        .await;
    // A 503 may have performed it and the look-up found nothing: unknown, never "failed".
    assert!(matches!(result, SendResult::Unknown(_)), "{result:?}");
    let entries = read_entries(&dir.path().join("audit.jsonl")).unwrap();
    assert!(matches!(&entries[0], AuditEntry::Intent { intent, .. }
        if intent.action == "Isolate device" && intent.operator == "ana@contoso.com"
            && intent.targets == vec!["m1".to_string(), "pc-01".to_string()]));
    assert!(matches!(&entries[1], AuditEntry::Outcome { outcome, .. }
        if !outcome.ok && outcome.outcome == Some(socops::api::dispatch::Outcome::Unknown)));
}

#[tokio::test]
async fn a_read_only_tenant_is_refused_by_the_pipeline_itself() {
    // The app layer refuses first; this is the runtime's own refusal, should the app slip.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let ctx = ActionContext::new(dir.path().to_path_buf(), "work".into(), "contoso".into())
        .read_only(true);
    let r = ActionRunner::new(client(&server.uri()), tx, ctx);
    let req = ActionRequest::Isolate {
        machine_id: "m1".into(),
        comment: "contain".into(),
        selective: false,
    };
    let result = r.execute(&req, vec!["m1".into()], false).await;
    assert!(
        matches!(&result, SendResult::Refused(m) if m.contains("read-only")),
        "{result:?}"
    );
    assert!(!dir.path().join("audit.jsonl").exists(), "nothing audited");
    server.verify().await;
}

#[tokio::test]
async fn dry_run_is_audited_and_shows_the_request_with_the_token_elided() {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let (r, _rx) = runner(client(&server.uri()), dir.path());
    let req = ActionRequest::RunAntiVirusScan {
        machine_id: "m1".into(),
        comment: "c".into(),
        full: false,
    };
    let SendResult::DryRun(lines) = r.execute(&req, vec![], true).await else {
        panic!("not a dry run");
    };
    assert_eq!(
        lines[0],
        format!("POST {}/api/machines/m1/runAntiVirusScan", server.uri())
    );
    assert!(lines.contains(&"Authorization: Bearer <elided>".to_string()));
    assert!(lines.iter().any(|l| l.contains("\"ScanType\": \"Quick\"")));
    let entries = read_entries(&dir.path().join("audit.jsonl")).unwrap();
    assert!(matches!(&entries[..], [AuditEntry::Intent { intent, .. }] if intent.dry_run));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn scan_against_the_simulator_is_guarded_and_tracked_to_succeeded() {
    let sim = start_sim(SimConfig {
        seed: 7,
        devices: 10,
        now: None,
        rate_limits: false,
        // The simulated clock stands still until the test moves it, so the second scan
        // below meets the first one still pending, every time.
        time_scale: 0.0,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap();
    let c = client(&sim.base_url());
    let ms: Vec<Machine> = machines(None).fetch(&c, None).await.unwrap();
    let m = ms.iter().find(|m| m.is_active()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (r, mut rx) = runner(c, dir.path());
    let req = ActionRequest::RunAntiVirusScan {
        machine_id: m.id.clone(),
        comment: "e2e".into(),
        full: false,
    };
    let SendResult::Sent { id: Some(id), .. } = r.execute(&req, vec![], false).await else {
        panic!("not sent");
    };
    // A second scan while the first is pending is refused by the guard.
    let again = r.execute(&req, vec![], false).await;
    assert!(
        matches!(&again, SendResult::Duplicate { id: d, .. } if *d == id),
        "{again:?}"
    );
    // An hour later the scan has finished; the tracker follows it to its terminal status.
    sim.advance(3600.0);
    r.track(id.clone());
    let mut last = None;
    while let Some(msg) = next_msg(&mut rx).await {
        if let Msg::ActionProgress { id: got, status } = msg {
            assert_eq!(got, id);
            let terminal = status.is_terminal();
            last = Some(status);
            if terminal {
                break;
            }
        }
    }
    assert_eq!(last, Some(socops::api::model::ActionStatus::Succeeded));
    sim.shutdown();
}

#[tokio::test]
async fn getfile_result_is_saved_under_the_requested_file_name() {
    let sim = start_sim(SimConfig {
        seed: 7,
        devices: 10,
        now: None,
        rate_limits: false,
        // The clock moves only when the test moves it (below).
        time_scale: 0.0,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap();
    let c = client(&sim.base_url());
    let ms: Vec<Machine> = machines(None).fetch(&c, None).await.unwrap();
    let m = ms
        .iter()
        .find(|m| {
            m.is_active()
                && m.os_platform
                    .as_deref()
                    .is_some_and(|p| p.starts_with("Windows"))
        })
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (r, mut rx) = runner(c, dir.path());
    let req = ActionRequest::RunLiveResponse {
        machine_id: m.id.clone(),
        comment: "get".into(),
        commands: vec![socops::api::calls::LiveResponseCommandRequest::GetFile {
            path: r"C:\Users\ana\Downloads\report 1.pdf".into(),
        }],
    };
    let SendResult::Sent { id: Some(id), .. } = r.execute(&req, vec![], false).await else {
        panic!("not sent");
    };
    sim.advance(3600.0);
    r.track(id.clone());
    while let Some(msg) = next_msg(&mut rx).await {
        if let Msg::ActionProgress { status, .. } = msg
            && status.is_terminal()
        {
            assert_eq!(status, socops::api::model::ActionStatus::Succeeded);
            break;
        }
    }
    r.fetch_result(
        id,
        socops::app::actions::ResultKind::File,
        m.computer_dns_name.clone().unwrap_or_default(),
    );
    let Some(Msg::Toast(t)) = next_msg(&mut rx).await else {
        panic!("no toast");
    };
    assert!(t.contains("report_1.pdf") && !t.ends_with(".zip"), "{t}");
    sim.shutdown();
}

#[tokio::test]
async fn the_indicator_check_reads_the_value_from_the_api_and_answers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/indicators"))
        .and(wiremock::matchers::query_param(
            "$filter",
            "indicatorValue eq 'evil.example'",
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"value": [
                {"id": "9", "indicatorValue": "evil.example", "indicatorType": "DomainName",
                 "action": "Block", "title": "t"}
            ]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let (r, mut rx) = runner(client(&server.uri()), dir.path());
    r.check_indicator("evil.example".into());
    let Some(Msg::IndicatorChecked { value, result }) = next_msg(&mut rx).await else {
        panic!("no IndicatorChecked");
    };
    assert_eq!(value, "evil.example");
    let found = result.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, "9");
    // A failed read answers with its error (the form then sends nothing).
    let down = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "error": {"code": "Forbidden", "message": "Missing application roles"}
        })))
        .mount(&down)
        .await;
    let (r, mut rx) = runner(client(&down.uri()), dir.path());
    r.check_indicator("evil.example".into());
    let Some(Msg::IndicatorChecked { result, .. }) = next_msg(&mut rx).await else {
        panic!("no IndicatorChecked");
    };
    assert!(result.is_err());
}
