//! `collect` against wiremock: the server-side filters it sends, a refused optional read
//! (Graph Secure Score 403) kept as a note, and a sign-in failure as the only hard error.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde_json::json;
use socops::api::auth::{StaticToken, TokenSource};
use socops::api::{ApiError, Client, Cloud, Endpoints, Resource, RetryPolicy};
use socops::digest::collect;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-11T08:00:00Z")
        .unwrap()
        .to_utc()
}

fn client(server: &MockServer, tokens: Arc<dyn TokenSource>) -> Client {
    let ep = Endpoints::for_cloud(Cloud::Global, "t1").with_overrides(
        Some(&server.uri()),
        Some(&server.uri()),
        Some(&server.uri()),
    );
    Client::with_policy(ep, tokens, RetryPolicy::fast())
}

fn list(v: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "value": v }))
}

async fn mount(server: &MockServer, p: &str, filter: Option<&str>, body: ResponseTemplate) {
    let mut m = Mock::given(method("GET")).and(path(p));
    if let Some(f) = filter {
        m = m.and(query_param("$filter", f));
    }
    m.respond_with(body).expect(1).mount(server).await;
}

#[tokio::test]
async fn filters_are_server_side_and_a_403_is_only_a_note() {
    let server = MockServer::start().await;
    let machine = json!([{"id": "d1", "computerDnsName": "pc-01.contoso.local", "riskScore": "High",
        "exposureLevel": "Medium", "healthStatus": "Active"}]);
    mount(
        &server,
        "/api/exposureScore",
        None,
        ResponseTemplate::new(200).set_body_json(json!({"score": 41.2})),
    )
    .await;
    mount(
        &server,
        "/api/configurationScore",
        None,
        ResponseTemplate::new(200).set_body_json(json!({"score": 612})),
    )
    .await;
    mount(
        &server,
        "/v1.0/security/secureScores",
        None,
        ResponseTemplate::new(403)
            .set_body_json(json!({"error": {"code": "Forbidden", "message": "Missing role"}})),
    )
    .await;
    mount(&server, "/api/machineactions", Some("status eq 'Pending' or status eq 'InProgress'"),
        list(json!([{"id": "a1", "type": "Isolate", "status": "Pending", "machineId": "d1", "computerDnsName": null,
            "creationDateTimeUtc": "2026-03-11T07:00:00Z"}]))).await;
    mount(&server, "/api/machineactions",
        Some("(status eq 'Failed' or status eq 'TimeOut') and creationDateTimeUtc ge 2026-03-04T08:00:00Z"), list(json!([]))).await;
    mount(
        &server,
        "/api/investigations",
        Some("state eq 'PendingApproval'"),
        list(json!([])),
    )
    .await;
    mount(
        &server,
        "/api/machines",
        Some("riskScore eq 'High' or riskScore eq 'Medium'"),
        list(machine),
    )
    .await;
    mount(
        &server,
        "/api/machines",
        Some("healthStatus eq 'Inactive'"),
        list(json!([])),
    )
    .await;
    mount(
        &server,
        "/v1.0/security/incidents",
        Some("lastUpdateDateTime ge 2026-02-09T08:00:00Z"),
        // Records answer the filter they were read with: the snapshot applies the same rule.
        list(
            json!([{"id": "9", "displayName": "x", "severity": "high", "status": "active",
            "lastUpdateDateTime": "2026-03-10T08:00:00Z"}]),
        ),
    )
    .await;
    mount(&server, "/api/recommendations", Some("status eq 'Active'"), list(json!([
        {"id": "r1", "recommendationName": "Patch", "exposureImpact": 2.0, "exposedMachinesCount": 3, "status": "Active"},
        {"id": "r2", "recommendationName": "Nothing exposed", "exposureImpact": 9.0, "exposedMachinesCount": 0}
    ]))).await;

    let c = client(&server, Arc::new(StaticToken::new("t", "tester")));
    let s = collect(&c, "p", "Contoso", now()).await.unwrap();
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert!(
        s.errors[0].starts_with("Microsoft Secure Score: Microsoft Graph 403"),
        "{:?}",
        s.errors
    );
    assert!(s.secure_score.is_none());
    assert_eq!(s.exposure_score.as_ref().unwrap().level, "Medium");
    assert_eq!(s.configuration_score, Some(612.0));
    assert_eq!(
        s.pending_actions[0].device, "pc-01",
        "named from the devices read"
    );
    assert_eq!(s.devices_at_risk[0].name, "pc-01");
    assert_eq!(s.incidents[0].severity, "high");
    let recs: Vec<&str> = s.recommendations.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(recs, vec!["r1"]);
}

struct NoToken;
impl TokenSource for NoToken {
    fn token(&self, _: Resource, _: bool) -> BoxFuture<'_, Result<String, ApiError>> {
        Box::pin(async { Err(ApiError::Auth("no credentials".into())) })
    }
    fn operator(&self) -> String {
        "nobody".into()
    }
}

#[tokio::test]
async fn a_sign_in_failure_is_an_error() {
    let server = MockServer::start().await;
    let c = client(&server, Arc::new(NoToken));
    let err = collect(&c, "p", "T", now()).await.unwrap_err();
    assert!(matches!(err, ApiError::Auth(_)), "{err}");
}
