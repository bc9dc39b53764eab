//! The digest keeps at most 500 records a list. A list the service had more of is never
//! passed off as the tenant's whole list: text, Markdown and JSON say "500 shown; more exist",
//! the one-line summary says "500+", and the next run does not call a record "new" only
//! because the cut list did not hold it. A list of exactly 500 is whole.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::digest::model::{DeviceItem, ListName, Truncated};
use socops::digest::{ChangeKind, DigestFormat, Snapshot, changes, collect, render, row_marks};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-11T08:00:00Z")
        .unwrap()
        .to_utc()
}

fn client(server: &MockServer) -> Client {
    let ep = Endpoints::for_cloud(Cloud::Global, "t1").with_overrides(
        Some(&server.uri()),
        Some(&server.uri()),
        Some(&server.uri()),
    );
    Client::with_policy(
        ep,
        Arc::new(StaticToken::new("t", "tester")),
        RetryPolicy::fast(),
    )
}

async fn mount(server: &MockServer, p: &str, filter: Option<&str>, body: Value) {
    let mut m = Mock::given(method("GET")).and(path(p));
    if let Some(f) = filter {
        m = m.and(query_param("$filter", f));
    }
    m.respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

fn devices(n: usize, risk: &str, health: &str) -> Value {
    let v: Vec<Value> = (0..n)
        .map(|i| {
            json!({"id": format!("{risk}{health}{i:034x}"), "computerDnsName": format!("pc-{i:04}"),
                "riskScore": risk, "exposureLevel": "Medium", "healthStatus": health,
                "lastSeen": "2026-03-01T08:00:00Z"})
        })
        .collect();
    json!({ "value": v })
}

/// A tenant with 501 devices at risk and 501 pending actions (more than the digest keeps)
/// and exactly 500 inactive devices (all of them fit).
async fn crowded_tenant() -> MockServer {
    let server = MockServer::start().await;
    mount(&server, "/api/exposureScore", None, json!({"score": 41.0})).await;
    mount(
        &server,
        "/api/configurationScore",
        None,
        json!({"score": 612}),
    )
    .await;
    mount(
        &server,
        "/v1.0/security/secureScores",
        None,
        json!({"value": []}),
    )
    .await;
    let pending: Vec<Value> = (0..501)
        .map(|i| {
            json!({"id": format!("a{i}"), "type": "RunAntiVirusScan", "status": "Pending",
                "machineId": format!("m{i}"), "computerDnsName": format!("pc-{i:04}"),
                "creationDateTimeUtc": "2026-03-01T07:00:00Z"})
        })
        .collect();
    mount(
        &server,
        "/api/machineactions",
        Some("status eq 'Pending' or status eq 'InProgress'"),
        json!({ "value": pending }),
    )
    .await;
    mount(
        &server,
        "/api/machineactions",
        Some("(status eq 'Failed' or status eq 'TimeOut') and creationDateTimeUtc ge 2026-03-04T08:00:00Z"),
        json!({"value": []}),
    )
    .await;
    mount(&server, "/api/investigations", None, json!({"value": []})).await;
    // The digest asks for one record past its cap: that record says more exist.
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(query_param(
            "$filter",
            "riskScore eq 'High' or riskScore eq 'Medium'",
        ))
        .and(query_param("$top", "501"))
        .respond_with(ResponseTemplate::new(200).set_body_json(devices(501, "High", "Active")))
        .expect(1)
        .mount(&server)
        .await;
    mount(
        &server,
        "/api/machines",
        Some("healthStatus eq 'Inactive'"),
        devices(500, "Low", "Inactive"),
    )
    .await;
    mount(
        &server,
        "/v1.0/security/incidents",
        None,
        json!({"value": []}),
    )
    .await;
    mount(&server, "/api/recommendations", None, json!({"value": []})).await;
    server
}

#[tokio::test]
async fn a_list_cut_at_500_says_more_exist_in_every_format() {
    let server = crowded_tenant().await;
    let snap = collect(&client(&server), "p", "Contoso", now())
        .await
        .unwrap();
    assert!(snap.errors.is_empty(), "{:?}", snap.errors);
    assert_eq!(snap.devices_at_risk.len(), 500);
    assert_eq!(snap.pending_actions.len(), 500);
    assert_eq!(snap.inactive_devices.len(), 500);
    assert_eq!(
        snap.truncated,
        vec![
            Truncated {
                list: ListName::PendingActions,
                shown: 500,
                total: None
            },
            Truncated {
                list: ListName::DevicesAtRisk,
                shown: 500,
                total: None
            },
        ],
        "exactly 500 inactive devices is the whole list"
    );

    let text = render(None, &snap, DigestFormat::Text);
    assert!(
        text.contains("\nDevices with threat detections (500 shown; more exist):\n"),
        "{text}"
    );
    assert!(
        text.contains("\nPending actions (500 shown; more exist):\n"),
        "{text}"
    );
    assert!(text.contains("\nInactive devices (500):\n"), "{text}");
    assert!(
        text.contains(
            "- Devices with threat detections: 500 shown; more exist (the digest reads at most \
             500 a list; `socops devices list` lists them all)"
        ),
        "{text}"
    );
    assert!(!text.contains("threat detections (500):"), "{text}");

    let md = render(None, &snap, DigestFormat::Markdown);
    assert!(
        md.contains("## Devices with threat detections (500 shown; more exist)"),
        "{md}"
    );

    let v: Value = serde_json::from_str(&render(None, &snap, DigestFormat::Json)).unwrap();
    assert_eq!(v["devicesAtRisk"].as_array().unwrap().len(), 500);
    assert_eq!(
        v["truncated"],
        json!([{"list": "pendingActions", "shown": 500}, {"list": "devicesAtRisk", "shown": 500}])
    );

    let line = socops::digest::summary_line(&snap);
    assert!(line.contains("pending 500+"), "{line}");
    assert!(line.contains("at risk 500+"), "{line}");

    // The stored snapshot keeps the mark: an offline read of it says the same.
    let back: Snapshot = serde_json::from_str(&serde_json::to_string(&snap).unwrap()).unwrap();
    assert_eq!(back.truncated, snap.truncated);
}

#[tokio::test]
async fn a_whole_tenant_has_an_empty_truncated_list() {
    let server = MockServer::start().await;
    let snap = {
        // Every read answers an empty list: nothing is cut.
        mount(&server, "/api/exposureScore", None, json!({"score": 10.0})).await;
        mount(
            &server,
            "/api/configurationScore",
            None,
            json!({"score": 1}),
        )
        .await;
        for p in [
            "/v1.0/security/secureScores",
            "/api/machineactions",
            "/api/investigations",
            "/api/machines",
            "/v1.0/security/incidents",
            "/api/recommendations",
        ] {
            mount(&server, p, None, json!({"value": []})).await;
        }
        collect(&client(&server), "p", "T", now()).await.unwrap()
    };
    assert!(snap.truncated.is_empty());
    let v: Value = serde_json::from_str(&render(None, &snap, DigestFormat::Json)).unwrap();
    assert_eq!(v["truncated"], json!([]));
    let text = render(None, &snap, DigestFormat::Text);
    assert!(!text.contains("more exist"), "{text}");
}

fn device(id: &str) -> DeviceItem {
    DeviceItem {
        id: id.into(),
        name: id.into(),
        risk_score: "High".into(),
        exposure_level: "Medium".into(),
        health_status: "Active".into(),
    }
}

fn snapshot(at: DateTime<Utc>, ids: &[&str], cut: bool) -> Snapshot {
    let mut s = Snapshot::empty("p", "T", at);
    s.devices_at_risk = ids.iter().map(|i| device(i)).collect();
    if cut {
        s.truncated.push(Truncated {
            list: ListName::DevicesAtRisk,
            shown: ids.len(),
            total: None,
        });
    }
    s
}

/// A device missing from a list the previous digest cut may have been beyond its cap: the
/// next digest does not say it "is now at risk", nor mark its row new. From a whole list, it
/// does.
#[test]
fn absence_from_a_cut_list_is_not_news() {
    let cur = snapshot(now(), &["d1", "d2"], false);
    let prev_cut = snapshot(now() - Duration::days(1), &["d1"], true);
    let prev_whole = snapshot(now() - Duration::days(1), &["d1"], false);

    let new_at_risk = |prev: &Snapshot| -> Vec<String> {
        changes(Some(prev), &cur)
            .into_iter()
            .filter(|c| c.kind == ChangeKind::NewDeviceAtRisk)
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(new_at_risk(&prev_whole), vec!["d2".to_string()]);
    assert!(new_at_risk(&prev_cut).is_empty());

    assert!(row_marks(Some(&prev_whole), &cur).contains_key("d2"));
    assert!(!row_marks(Some(&prev_cut), &cur).contains_key("d2"));
}
