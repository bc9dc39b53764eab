//! The action safety pipeline of the binary against wiremock (`--demo --mde-url URL` points
//! the demo session at it): what is sent, what is refused, what is audited.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use bin_common::demo_at;
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6";
const NAME: &str = "fin-lt-0142.fabrikam.local";

async fn server() -> MockServer {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/machines/{NAME}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": ID, "computerDnsName": NAME, "healthStatus": "Active"
        })))
        .mount(&s)
        .await;
    s
}

fn action(status: &str) -> Value {
    json!({"id": "5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3", "type": "Isolate", "status": status,
           "machineId": ID, "computerDnsName": NAME,
           "creationDateTimeUtc": chrono::Utc::now().to_rfc3339()})
}

async fn run(s: &MockServer, dir: &tempfile::TempDir, args: &[&str]) -> Output {
    demo_at(&s.uri(), dir.path(), &[], args).await
}

async fn posts(s: &MockServer) -> usize {
    s.received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .count()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

async fn no_pending(s: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(s)
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn isolate_sends_pascal_case_body_and_audits() {
    let s = server().await;
    no_pending(&s).await;
    Mock::given(method("POST"))
        .and(path(format!("/api/machines/{ID}/isolate")))
        .and(body_json(
            json!({"Comment": "c", "IsolationType": "Selective"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(action("Pending")))
        .expect(1)
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &s,
        &dir,
        &[
            "device",
            NAME,
            "isolate",
            "--selective",
            "--comment",
            "c",
            "--yes",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", err(&out));
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(line.starts_with("Isolate"), "{line}");
    assert!(
        line.trim()
            .ends_with("fin-lt-0142 queued: action 5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3 (Pending)"),
        "{line}"
    );
    let audit = run(&s, &dir, &["audit", "list", "--json"]).await;
    let entries: Vec<Value> = serde_json::from_slice(&audit.stdout).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["kind"], "intent");
    assert_eq!(entries[1]["kind"], "outcome");
    assert_eq!(entries[1]["ok"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_send_nothing() {
    let s = server().await;
    no_pending(&s).await;
    let dir = tempfile::tempdir().unwrap();
    // No terminal and no --yes.
    let out = run(&s, &dir, &["device", NAME, "isolate", "--comment", "c"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", err(&out));
    assert!(err(&out).contains("--yes"));
    // Read-only.
    let out = run(
        &s,
        &dir,
        &[
            "--read-only",
            "device",
            NAME,
            "isolate",
            "--comment",
            "c",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(3));
    assert!(err(&out).contains("read-only"));
    // Bad hash, empty comment.
    let out = run(
        &s,
        &dir,
        &[
            "device",
            NAME,
            "quarantine-file",
            "--sha1",
            "xyz",
            "--comment",
            "c",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    let out = run(
        &s,
        &dir,
        &["device", NAME, "scan", "--comment", " ", "--yes"],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(posts(&s).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn duplicate_guard_names_the_pending_action() {
    let s = server().await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .and(query_param(
            "$filter",
            format!("machineId eq '{ID}' and type eq 'Isolate'"),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [action("InProgress")]})),
        )
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &s,
        &dir,
        &["device", NAME, "isolate", "--comment", "c", "--yes"],
    )
    .await;
    assert_eq!(out.status.code(), Some(3), "{}", err(&out));
    assert!(err(&out).contains("5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3"));
    assert_eq!(posts(&s).await, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn dry_run_prints_request_and_sends_nothing() {
    let s = server().await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &s,
        &dir,
        &[
            "--dry-run",
            "device",
            NAME,
            "scan",
            "--full",
            "--comment",
            "why",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", err(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!(
            "POST {}/api/machines/{ID}/runAntiVirusScan\n",
            s.uri()
        )),
        "{text}"
    );
    assert!(text.contains("Authorization: Bearer <elided>"));
    assert!(text.contains("\"Comment\": \"why\"") && text.contains("\"ScanType\": \"Full\""));
    assert!(!text.contains("demo-token"));
    assert_eq!(posts(&s).await, 0);
    let audit = run(&s, &dir, &["audit", "list", "--json"]).await;
    let entries: Vec<Value> = serde_json::from_slice(&audit.stdout).unwrap();
    assert_eq!(entries[0]["dry_run"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn ambiguous_failure_finds_the_action_instead_of_resending() {
    let s = server().await;
    // Nothing pending before; the action exists after the 503.
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .up_to_n_times(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [action("Pending")]})),
        )
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/api/machines/{ID}/isolate")))
        .respond_with(ResponseTemplate::new(503))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &s,
        &dir,
        &[
            "device",
            NAME,
            "isolate",
            "--comment",
            "c",
            "--yes",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", err(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "Pending");
    assert_eq!(posts(&s).await, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_follows_the_action_to_success() {
    let s = server().await;
    let id = "5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3";
    // `wait` reads with the tracker's filtered list request, not a GET per action.
    let filter = format!("id eq '{id}'");
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .and(query_param("$filter", filter.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [action("InProgress")]})),
        )
        .up_to_n_times(1)
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .and(query_param("$filter", filter.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [action("Succeeded")]})),
        )
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(&s, &dir, &["action", id, "wait"]).await;
    assert!(out.status.success(), "{}", err(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("InProgress") && text.contains("Succeeded"),
        "{text}"
    );
}

/// The status is typed as the poller reads it (case-insensitive): an answer spelled
/// `succeeded` ends the wait with success, as the poller already stopped reading it.
#[tokio::test(flavor = "multi_thread")]
async fn wait_ends_on_a_terminal_status_in_any_spelling() {
    let s = server().await;
    let id = "5f2a9c7e-1b3d-4e6f-8a0b-c2d4e6f8a1b3";
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .and(query_param("$filter", format!("id eq '{id}'").as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [action("succeeded")]})),
        )
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(&s, &dir, &["action", id, "wait", "--timeout", "30"]).await;
    assert!(out.status.success(), "{}", err(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Succeeded"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_devices_and_long_comments_are_refused_before_sending() {
    let s = server().await;
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(1001);
    let o = run(
        &s,
        &dir,
        &["device", NAME, "scan", "--comment", &long, "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("at most 1000"), "{}", err(&o));
    for bad in ["../machines", "x?$top=1", "a#b", "a/b", "pc\u{1b}[2J", ".."] {
        let o = run(
            &s,
            &dir,
            &["device", bad, "isolate", "--comment", "c", "--yes"],
        )
        .await;
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", err(&o));
        assert!(!err(&o).contains('\u{1b}'), "{}", err(&o));
    }
    assert!(
        s.received_requests().await.unwrap_or_default().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_that_matches_several_devices_is_refused_listing_them() {
    let s = server().await;
    let other = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d";
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            {"id": ID, "computerDnsName": NAME, "lastSeen": "2026-11-30T08:00:00Z"},
            {"id": other, "computerDnsName": NAME, "lastSeen": "2026-06-02T10:15:00Z"},
        ]})))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &s,
        &dir,
        &[
            "device",
            "fin-lt-0142",
            "isolate",
            "--comment",
            "c",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", err(&out));
    let e = err(&out);
    assert!(e.contains("names 2 devices"), "{e}");
    assert!(e.contains(ID) && e.contains(other), "{e}");
    assert!(
        e.contains("2026-11-30 08:00 UTC") && e.contains("2026-06-02 10:15 UTC"),
        "{e}"
    );
    assert_eq!(posts(&s).await, 0);
}
