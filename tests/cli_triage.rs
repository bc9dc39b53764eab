//! `incident ID show|update|comment` and `alert ID show|update|comment` of the binary,
//! against a simulator shared by the runs (`--demo --mde-url URL`), and against wiremock for
//! the "changed since it was read" refusal.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

mod bin_common;
use bin_common::demo_at;
use std::process::Output;

use serde_json::{Value, json};
use socops::sim::RunningSim;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn run_at(url: &str, dir: &tempfile::TempDir, args: &[&str]) -> Output {
    demo_at(url, dir.path(), &[], args).await
}

async fn run(s: &RunningSim, dir: &tempfile::TempDir, args: &[&str]) -> Output {
    run_at(&s.base_url(), dir, args).await
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", out(o)))
}

/// An open incident with alerts, and its first alert.
async fn pick(s: &RunningSim, dir: &tempfile::TempDir) -> (String, String) {
    let o = run(
        s,
        dir,
        &["incidents", "list", "--status", "active", "--json"],
    )
    .await;
    let list = json_of(&o);
    for inc in list.as_array().unwrap() {
        let id = inc["id"].as_str().unwrap().to_string();
        let o = run(s, dir, &["incident", &id, "show", "--json"]).await;
        let v = json_of(&o);
        if let Some(a) = v["alerts"].as_array().and_then(|a| a.first()) {
            return (id, a["id"].as_str().unwrap().to_string());
        }
    }
    panic!("no active incident with alerts")
}

#[tokio::test(flavor = "multi_thread")]
async fn incident_show_lists_alerts_devices_evidence_and_comments() {
    let s = roundtrip_common::sim(20).await;
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = pick(&s, &dir).await;
    let o = run(&s, &dir, &["incident", &id, "show"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    for part in [
        "Incident ",
        "Status",
        "Alerts (",
        "Devices (",
        "Users (",
        "Evidence (",
        "Comments (",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn incident_update_with_comment_patches_then_comments_and_audits_both() {
    let s = roundtrip_common::sim(20).await;
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = pick(&s, &dir).await;
    let o = run(
        &s,
        &dir,
        &[
            "incident",
            &id,
            "update",
            "--status",
            "RESOLVED",
            "--assign-me",
            "--classification",
            "truepositive",
            "--determination",
            "malware",
            "--tag",
            "Reviewed",
            "--comment",
            "Contained and reimaged",
            "--yes",
            "--json",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json_of(&o);
    assert_eq!(v["status"], "resolved");
    assert_eq!(v["assignedTo"], "analyst@fabrikam.example");
    assert_eq!(v["determination"], "malware");
    assert!(
        v["customTags"]
            .as_array()
            .unwrap()
            .contains(&json!("Reviewed"))
    );
    let shown = json_of(&run(&s, &dir, &["incident", &id, "show", "--json"]).await);
    let comments = shown["comments"].as_array().unwrap();
    assert_eq!(
        comments.last().unwrap()["comment"],
        "Contained and reimaged"
    );
    let audit = json_of(&run(&s, &dir, &["audit", "list", "--json"]).await);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "intent")
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(actions, ["Update incident", "Comment on incident"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn incident_comment_and_refusals() {
    let s = roundtrip_common::sim(20).await;
    let dir = tempfile::tempdir().unwrap();
    let (id, _) = pick(&s, &dir).await;
    let o = run(
        &s,
        &dir,
        &["incident", &id, "comment", "first look", "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("done"));
    // No terminal, no --yes: refused.
    let o = run(&s, &dir, &["incident", &id, "comment", "x"]).await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    // Read-only.
    let o = run(
        &s,
        &dir,
        &[
            "--read-only",
            "incident",
            &id,
            "update",
            "--status",
            "resolved",
            "--yes",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    // A determination that does not fit the classification: usage, nothing sent.
    let o = run(
        &s,
        &dir,
        &[
            "incident",
            &id,
            "update",
            "--classification",
            "falsePositive",
            "--determination",
            "malware",
            "--yes",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(err(&o).contains("notMalicious"), "{}", err(&o));
    // Not a value: clap lists them.
    let o = run(&s, &dir, &["incident", &id, "update", "--status", "closed"]).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("inProgress"), "{}", err(&o));
    // Dry run: the request, nothing changed.
    let o = run(
        &s,
        &dir,
        &[
            "--dry-run",
            "incident",
            &id,
            "update",
            "--status",
            "inProgress",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("PATCH "), "{}", out(&o));
    assert!(
        out(&o).contains("\"status\": \"inProgress\""),
        "{}",
        out(&o)
    );
    let shown = json_of(&run(&s, &dir, &["incident", &id, "show", "--json"]).await);
    assert_eq!(shown["status"], "active");
}

#[tokio::test(flavor = "multi_thread")]
async fn alert_show_update_and_comment() {
    let s = roundtrip_common::sim(20).await;
    let dir = tempfile::tempdir().unwrap();
    let (_, alert) = pick(&s, &dir).await;
    let o = run(&s, &dir, &["alert", &alert, "show"]).await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).starts_with("Alert "), "{}", out(&o));
    assert!(out(&o).contains("Evidence ("));
    let o = run(
        &s,
        &dir,
        &[
            "alert",
            &alert,
            "update",
            "--status",
            "inprogress",
            "--assign",
            "bob@fabrikam.example",
            "--yes",
            "--json",
        ],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let v = json_of(&o);
    assert_eq!(v["status"], "inProgress");
    assert_eq!(v["assignedTo"], "bob@fabrikam.example");
    let o = run(
        &s,
        &dir,
        &["alert", &alert, "comment", "looking", "--yes", "--json"],
    )
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o).contains("looking"));
    // Alerts have no tags in Graph.
    let o = run(
        &s,
        &dir,
        &["alert", &alert, "update", "--tag", "x", "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_by_someone_else_since_the_read_is_shown_and_nothing_is_sent() {
    let server = MockServer::start().await;
    // The read for the prompt: active, unassigned …
    Mock::given(method("GET"))
        .and(path("/v1.0/security/incidents/7"))
        .and(query_param("$expand", "alerts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "7", "displayName": "Ransomware", "status": "active", "assignedTo": null,
            "classification": "unknown", "alerts": []})))
        .mount(&server)
        .await;
    // … the read just before sending: another analyst took it.
    Mock::given(method("GET"))
        .and(path("/v1.0/security/incidents/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "7", "displayName": "Ransomware", "status": "inProgress",
            "assignedTo": "bob@contoso.com", "classification": "unknown"})))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let o = run_at(
        &server.uri(),
        &dir,
        &["incident", "7", "update", "--status", "resolved", "--yes"],
    )
    .await;
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("status: active → inProgress"), "{e}");
    assert!(e.contains("assigned to: — → bob@contoso.com"), "{e}");
    let sent = server.received_requests().await.unwrap();
    assert!(sent.iter().all(|r| r.method.as_str() == "GET"));
}
