//! A tenant with no recent machines: `GET /api/machines` answers 404 there (documented at
//! https://learn.microsoft.com/en-us/defender-endpoint/api/get-machines), the simulator does
//! the same for `--devices 0`, and every reader — the console's fetch, the headless list and
//! the digest — shows an empty list instead of an error.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

mod bin_common;

use chrono::Utc;
use roundtrip_common::{client, fixed_now, sim};
use socops::api::calls::{self, odata};
use socops::api::model::Machine;
use socops::app::{Payload, ResourceKind};

#[tokio::test]
async fn the_simulator_answers_404_for_a_tenant_without_machines() {
    let s = sim(0).await;
    let c = client(&s);
    let Err(err) = c.get_page(socops::api::Resource::Mde, "machines").await else {
        panic!("an empty tenant has no machines list");
    };
    assert_eq!(err.status(), Some(404), "{err}");
    // A filter that matches nothing in a tenant that has machines is an empty 200.
    let s2 = sim(3).await;
    let none: Vec<Machine> = calls::machines(Some(odata::eq("computerDnsName", "no-such-pc")))
        .fetch(&client(&s2), None)
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn the_console_fetch_reads_the_404_as_no_devices() {
    let s = sim(0).await;
    let c = client(&s);
    let payload = socops::runtime::fetch::fetch(&c, ResourceKind::Machines, Utc::now())
        .await
        .expect("no devices is not an error");
    assert!(matches!(payload, Payload::Machines(ref v) if v.is_empty()));
    let (payload, raw) =
        socops::runtime::fetch::fetch_for_cache(&c, ResourceKind::Machines, Utc::now())
            .await
            .expect("no devices is not an error");
    assert!(matches!(payload, Payload::Machines(ref v) if v.is_empty()));
    assert!(raw.is_some_and(|(_, r)| r.is_empty()));
}

#[tokio::test]
async fn the_digest_reads_the_404_as_no_devices_at_risk() {
    let s = sim(0).await;
    let c = client(&s);
    let snap = socops::digest::collect(&c, "p", "Empty", fixed_now())
        .await
        .unwrap();
    assert!(snap.devices_at_risk.is_empty() && snap.inactive_devices.is_empty());
    assert!(
        !snap.errors.iter().any(|e| e.contains("devices")),
        "{:?}",
        snap.errors
    );
}

#[test]
fn the_headless_list_prints_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        bin_common::command(dir.path())
            .args(["--demo", "--devices", "0"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["devices", "list", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!([]));
    let out = run(&["devices", "list", "--risk", "high"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "only the header: {text}");
}

#[tokio::test]
async fn a_404_after_the_first_page_is_still_an_error() {
    use std::sync::Arc;
    use wiremock::matchers::{method, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(query_param("$skiptoken", "2"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(
                serde_json::json!({"error": {"code": "NotFound", "message": "gone"}}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07"}],
            "@odata.nextLink": format!("{base}/api/machines?$skiptoken=2"),
        })))
        .mount(&server)
        .await;
    let ep = socops::api::Endpoints::for_cloud(socops::api::Cloud::Global, "t").with_overrides(
        Some(&base),
        Some(&base),
        Some(&base),
    );
    let c = socops::api::Client::with_policy(
        ep,
        Arc::new(socops::api::auth::StaticToken::new("t", "tester")),
        socops::api::RetryPolicy::fast(),
    );
    let r: Result<Vec<Machine>, _> = calls::machines(None).fetch(&c, None).await;
    assert_eq!(r.expect_err("records were lost").status(), Some(404));
}
