//! Contract tests on loopback (wiremock): every typed read sends the documented method,
//! path, query (`$top`, `$filter` with `%20`) and bearer token; the transport pages, waits
//! out 429s, refreshes on 401, retries GETs (not POSTs) on 5xx and decodes every error body,
//! naming the missing permission on a 403. The writes are in `contract_actions.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;
use serde_json::{Value, json};
use socops::api::auth::TokenSource;
use socops::api::calls::{self, ActionRequest, odata};
use socops::api::model::*;
use socops::api::{ApiError, Resource};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod contract_common;
use contract_common::*;

#[tokio::test]
async fn machines_filter_is_encoded_with_percent_twenty() {
    let server = MockServer::start().await;
    let filter = odata::or([
        odata::eq("riskScore", "High"),
        odata::eq("riskScore", "Medium"),
    ]);
    expect_get(
        &server,
        "/api/machines",
        &[
            ("$filter", "riskScore eq 'High' or riskScore eq 'Medium'"),
            ("$top", "10000"),
        ],
        one_record(),
    )
    .await;
    let client = client_for(&server);
    let got: Vec<Machine> = calls::machines(Some(filter))
        .fetch(&client, None)
        .await
        .expect("machines");
    assert_eq!(got.len(), 1);
    let reqs = server.received_requests().await.expect("recorded");
    let raw = reqs[0].url.query().unwrap_or("");
    assert!(raw.contains("riskScore%20eq%20"), "{raw}");
}

#[tokio::test]
async fn every_collection_builder_sends_its_path_and_page_size() {
    let server = MockServer::start().await;
    let f = || Some(odata::eq("status", "Active"));
    let fq = "status eq 'Active'";
    let cases: Vec<ListCase> = vec![
        (
            calls::machine_actions(f()),
            "/api/machineactions",
            vec![("$filter", fq), ("$top", "10000")],
        ),
        (
            calls::investigations(f()),
            "/api/investigations",
            vec![("$filter", fq), ("$top", "10000")],
        ),
        (
            calls::alerts(f(), true),
            "/api/alerts",
            vec![("$filter", fq), ("$expand", "evidence"), ("$top", "10000")],
        ),
        (
            calls::machine_alerts("4b7e/x"),
            "/api/machines/4b7e%2Fx/alerts",
            vec![("$top", "10000")],
        ),
        (
            calls::graph_alerts(f()),
            "/v1.0/security/alerts_v2",
            vec![("$filter", fq), ("$top", "1000")],
        ),
        (
            calls::incidents(f(), true),
            "/v1.0/security/incidents",
            vec![("$filter", fq), ("$expand", "alerts"), ("$top", "50")],
        ),
        (
            calls::recommendations(None),
            "/api/recommendations",
            vec![("$top", "10000")],
        ),
        (
            calls::vulnerabilities(f()),
            "/api/vulnerabilities",
            vec![("$filter", fq), ("$top", "8000")],
        ),
        (
            calls::remediation_tasks(None),
            "/api/remediationTasks",
            vec![("$top", "10000")],
        ),
        (
            calls::indicators(None),
            "/api/indicators",
            vec![("$top", "10000")],
        ),
        (
            calls::device_av_info(None),
            "/api/deviceavinfo",
            vec![("$top", "10000")],
        ),
        (
            calls::control_profiles(),
            "/v1.0/security/secureScoreControlProfiles",
            // No `$top`: with the skip token it is refused (see calls::control_profiles).
            vec![],
        ),
        (
            calls::library_files(),
            "/api/libraryfiles",
            vec![("$top", "10000")],
        ),
        (
            calls::exposure_by_group(),
            "/api/exposureScore/ByMachineGroups",
            vec![("$top", "10000")],
        ),
        (
            calls::recommendation_machines("va-_-google-_-chrome"),
            "/api/recommendations/va-_-google-_-chrome/machineReferences",
            vec![("$top", "10000")],
        ),
    ];
    for (_, p, query) in &cases {
        expect_get(&server, p, query, one_record()).await;
    }
    let client = client_for(&server);
    for (req, p, _) in &cases {
        let got: Vec<Value> = req
            .fetch(&client, None)
            .await
            .unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(got.len(), 1, "{p}");
    }
}

#[tokio::test]
async fn secure_scores_ask_for_n_days_and_do_not_page_on() {
    let server = MockServer::start().await;
    let body = json!({"value": [{"id": "a", "currentScore": 1.0, "maxScore": 2.0},
                                {"id": "b", "currentScore": 1.0, "maxScore": 4.0}]});
    expect_get(
        &server,
        "/v1.0/security/secureScores",
        &[("$top", "2")],
        body,
    )
    .await;
    let client = client_for(&server);
    let got: Vec<SecureScore> = calls::secure_scores(2)
        .fetch(&client, None)
        .await
        .expect("scores");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].percent(), Some(50.0));
}

#[tokio::test]
async fn latest_secure_score_reads_one_day() {
    let server = MockServer::start().await;
    let sample: Value = serde_json::from_str(include_str!("../fixtures/graph_secure_scores.json"))
        .expect("fixture");
    expect_get(
        &server,
        "/v1.0/security/secureScores",
        &[("$top", "1")],
        sample,
    )
    .await;
    let latest = calls::latest_secure_score(&client_for(&server))
        .await
        .expect("latest")
        .expect("one");
    assert!(latest.percent().is_some());
}

#[tokio::test]
async fn single_reads_use_their_paths() {
    let server = MockServer::start().await;
    let mde = |s: &str| json!({"id": s});
    expect_get(&server, "/api/machines/pc-01.contoso.local", &[], mde("m")).await;
    expect_get(&server, "/api/machineactions/a-1", &[], mde("a")).await;
    expect_get(
        &server,
        "/api/investigations/63004",
        &[],
        json!({"id": 63004}),
    )
    .await;
    expect_get(&server, "/api/alerts/da1_-2", &[], mde("al")).await;
    expect_get(
        &server,
        "/v1.0/security/incidents/4711",
        &[("$expand", "alerts")],
        json!({"id": "4711", "alerts": []}),
    )
    .await;
    expect_get(
        &server,
        "/api/exposureScore",
        &[],
        json!({"time": "2026-03-11T08:20:53.280499Z", "score": 38.5}),
    )
    .await;
    expect_get(
        &server,
        "/api/configurationScore",
        &[],
        json!({"score": 412}),
    )
    .await;
    let c = client_for(&server);
    assert_eq!(
        calls::machine(&c, "pc-01.contoso.local")
            .await
            .expect("m")
            .id,
        "m"
    );
    assert_eq!(calls::machine_action(&c, "a-1").await.expect("a").id, "a");
    assert_eq!(
        calls::investigation(&c, "63004").await.expect("i").id,
        "63004"
    );
    assert_eq!(calls::alert(&c, "da1_-2").await.expect("al").id, "al");
    let inc = calls::incident(&c, "4711", true).await.expect("inc");
    assert_eq!(inc.alerts.map(|a| a.len()), Some(0));
    assert_eq!(
        calls::exposure_score(&c).await.expect("e").score,
        Some(38.5)
    );
    assert_eq!(
        calls::configuration_score(&c).await.expect("c").score,
        Some(412.0)
    );
}

#[tokio::test]
async fn download_links_are_unwrapped() {
    let server = MockServer::start().await;
    expect_get(
        &server,
        "/api/machineactions/a-1/getPackageUri",
        &[],
        json!({"value": "\"https://blob.example/pkg.zip?sig=1\""}),
    )
    .await;
    expect_get(
        &server,
        "/api/machineactions/a-1/GetLiveResponseResultDownloadLink(index=1)",
        &[],
        json!({"@odata.context": "x", "value": "https://blob.example/out?sig=2"}),
    )
    .await;
    let c = client_for(&server);
    assert_eq!(
        calls::package_uri(&c, "a-1").await.expect("pkg"),
        "https://blob.example/pkg.zip?sig=1"
    );
    assert_eq!(
        calls::live_response_link(&c, "a-1", 1).await.expect("lr"),
        "https://blob.example/out?sig=2"
    );
}

#[tokio::test]
async fn paging_follows_next_link_on_the_same_host() {
    let server = MockServer::start().await;
    let next = format!("{}/api/machines?$skiptoken=opaque%3D%3D", server.uri());
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"value": [{"id": "1"}, {"id": "2"}], "@odata.nextLink": next}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(query_param("$skiptoken", "opaque=="))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "3"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let got: Vec<Machine> = calls::machines(None)
        .fetch(&client_for(&server), None)
        .await
        .expect("pages");
    assert_eq!(
        got.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3"]
    );
}

#[tokio::test]
async fn full_page_without_next_link_continues_with_skip() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(q(&[("$top", "2")]))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "1"}, {"id": "2"}]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .and(q(&[("$top", "2"), ("$skip", "2")]))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "3"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let req = calls::ListRequest {
        resource: Resource::Mde,
        path: "machines".into(),
        page_size: 2,
        not_found_is_empty: false,
    };
    let mut pages = 0;
    let n = req
        .for_each_raw(&client_for(&server), None, |_| {
            pages += 1;
            Ok(())
        })
        .await
        .expect("walk");
    assert_eq!((n, pages), (3, 2));
}

#[tokio::test]
async fn throttled_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/exposureScore"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "0")
                .set_body_json(json!({"error": {"code": "TooManyRequests", "message": "slow"}})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/exposureScore"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"score": 1.5})))
        .expect(1)
        .mount(&server)
        .await;
    let s = calls::exposure_score(&client_for(&server))
        .await
        .expect("after 429");
    assert_eq!(s.score, Some(1.5));
}

#[tokio::test]
async fn a_retry_after_of_nan_or_infinity_is_ignored_not_a_panic() {
    // `NaN` parses as an f64; a Duration from it panics. A hostile or broken proxy may add the
    // header to any answer, including the answer to an action it let through.
    for value in ["NaN", "inf", "-inf"] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/api/exposureScore"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Retry-After", value)
                    .set_body_json(json!({"score": 2.5})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let s = calls::exposure_score(&client_for(&server))
            .await
            .expect("read despite the header");
        assert_eq!(s.score, Some(2.5), "Retry-After: {value}");
    }
}

/// Hands out `tok` until forced to refresh, then `tok2`; counts the forced refreshes.
struct Refreshing {
    forced: AtomicUsize,
}

impl TokenSource for Refreshing {
    fn token(&self, _r: Resource, force_refresh: bool) -> BoxFuture<'_, Result<String, ApiError>> {
        if force_refresh {
            self.forced.fetch_add(1, Ordering::SeqCst);
        }
        let t = if self.forced.load(Ordering::SeqCst) > 0 {
            "tok2"
        } else {
            "tok"
        };
        Box::pin(async move { Ok(t.to_string()) })
    }
    fn operator(&self) -> String {
        "test".into()
    }
}

#[tokio::test]
async fn unauthorized_refreshes_the_token_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"code": "Unauthorized", "message": "expired"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions/a-1"))
        .and(header("authorization", "Bearer tok2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "a-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let tokens = Arc::new(Refreshing {
        forced: AtomicUsize::new(0),
    });
    let c = client_with(&server, tokens.clone());
    let a = calls::machine_action(&c, "a-1")
        .await
        .expect("after refresh");
    assert_eq!(a.id, "a-1");
    assert_eq!(tokens.forced.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn server_errors_retry_gets_but_not_posts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/configurationScore"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/configurationScore"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"score": 3})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(format!("/api/machines/{MID}/isolate")))
        .respond_with(ResponseTemplate::new(500).set_body_json(
            json!({"error": {"code": "InternalServerError", "message": "boom", "target": "corr-1"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let c = client_for(&server);
    assert_eq!(
        calls::configuration_score(&c).await.expect("retried").score,
        Some(3.0)
    );
    let err = ActionRequest::Isolate {
        machine_id: MID.into(),
        comment: "x".into(),
        selective: false,
    }
    .send(&c)
    .await
    .expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert!(err.is_ambiguous());
}

#[tokio::test]
async fn error_bodies_are_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machines/nope"))
        .respond_with(
            ResponseTemplate::new(404).set_body_string(include_str!("../fixtures/error_mde.json")),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/security/incidents"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_string(include_str!("../fixtures/error_graph_top.json")),
        )
        .mount(&server)
        .await;
    let c = client_for(&server);
    let e = calls::machine(&c, "nope").await.expect_err("404");
    assert!(e.is_not_found());
    assert_eq!(e.code(), Some("ResourceNotFound"));
    assert_eq!(
        e.correlation_id(),
        Some("43f4cb08-8fac-4b65-9db1-745c2ae65f3a")
    );
    let e = calls::incidents(None, false)
        .fetch::<Incident>(&c, None)
        .await
        .expect_err("400");
    assert_eq!(e.status(), Some(400));
    assert_eq!(
        e.correlation_id(),
        Some("65fe78a8-cade-409c-9e18-61374c132118")
    );
    assert!(e.to_string().contains("limit of '50'"));
}

#[tokio::test]
async fn forbidden_names_the_missing_permission() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/machines/{MID}/isolate")))
        .respond_with(ResponseTemplate::new(403).set_body_json(
            json!({"error": {"code": "Forbidden", "message": "Missing role", "target": "c-9"}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/security/incidents"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": {"code": "Forbidden", "message": "no"}})),
        )
        .mount(&server)
        .await;
    let c = client_for(&server);
    let e = ActionRequest::Isolate {
        machine_id: MID.into(),
        comment: "x".into(),
        selective: true,
    }
    .send(&c)
    .await
    .expect_err("403");
    match &e {
        ApiError::Service(s) => {
            assert_eq!(s.missing_permission.as_deref(), Some("Machine.Isolate"))
        }
        other => panic!("{other}"),
    }
    assert!(e.to_string().contains("Machine.Isolate"));
    let e = calls::incidents(None, false)
        .fetch::<Incident>(&c, None)
        .await
        .expect_err("403");
    assert!(e.to_string().contains("SecurityIncident.Read.All"), "{e}");
}
