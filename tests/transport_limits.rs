//! The transport's invariants: a next-page link on another host, port or scheme is refused;
//! a repeated link ends the walk with an error; a bearer token or a client secret never goes
//! over plain http to anything but loopback; a tenant id that is not a GUID or a domain never
//! becomes a request path; the token endpoint is retried on 429/5xx like a GET.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::process::{Command, Stdio};
use std::sync::Arc;

use serde_json::json;
use socops::api::auth::{ClientSecretCredential, Secret, StaticToken};
use socops::api::{ApiError, Client, Cloud, Endpoints, Resource, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TENANT: &str = "8f5a3c2e-1b4d-4e6f-9a7b-0c1d2e3f4a5b";

fn client(url: &str) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, TENANT).with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

/// A first page of machines whose next link is `next`.
async fn first_page_linking_to(server: &MockServer, next: &str) {
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "a"}],
            "@odata.nextLink": next,
        })))
        .mount(server)
        .await;
}

async fn walk(c: &Client) -> Result<usize, ApiError> {
    c.for_each_page(Resource::Mde, "machines", 10, None, |_| Ok(()))
        .await
}

#[tokio::test]
async fn next_links_to_another_port_scheme_or_host_are_refused() {
    let server = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .expect(0)
        .mount(&other)
        .await;
    let port = server.address().port();
    let other_port = other.address().port();
    for link in [
        // same host, another port: another service
        format!("http://127.0.0.1:{other_port}/api/machines?$skip=1"),
        // another scheme at the same host and port
        format!("https://127.0.0.1:{port}/api/machines?$skip=1"),
        // a foreign host
        String::from("https://evil.example.com/api/machines?$skip=1"),
        // a Microsoft-looking host over plain http
        String::from("http://api.securitycenter.microsoft.com/api/machines?$skip=1"),
    ] {
        server.reset().await;
        first_page_linking_to(&server, &link).await;
        let err = walk(&client(&server.uri())).await.unwrap_err();
        assert!(
            err.to_string().contains("next-page link points elsewhere"),
            "{link}: {err}"
        );
    }
    other.verify().await;
}

#[tokio::test]
async fn a_next_link_at_the_configured_origin_is_followed() {
    let server = MockServer::start().await;
    let next = format!("{}/api/machines2", server.uri());
    first_page_linking_to(&server, &next).await;
    Mock::given(method("GET"))
        .and(path("/api/machines2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"id": "b"}]})))
        .mount(&server)
        .await;
    assert_eq!(walk(&client(&server.uri())).await.unwrap(), 2);
}

#[tokio::test]
async fn a_repeated_next_link_ends_the_walk() {
    let server = MockServer::start().await;
    let next = format!("{}/api/machines2", server.uri());
    first_page_linking_to(&server, &next).await;
    // The second page links to itself: without the check the walk never ends.
    Mock::given(method("GET"))
        .and(path("/api/machines2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"id": "b"}],
            "@odata.nextLink": next,
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        walk(&client(&server.uri())),
    )
    .await
    .expect("the walk ends")
    .unwrap_err();
    assert!(
        err.to_string().contains("same next-page link twice"),
        "{err}"
    );
    server.verify().await;
}

#[tokio::test]
async fn a_bearer_token_never_goes_over_http_to_a_remote_host() {
    let c = client("http://192.0.2.1:9");
    let err = c
        .get::<serde_json::Value>(Resource::Mde, "machines")
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Refused(_)), "{err}");
    assert!(err.to_string().contains("loopback"), "{err}");
}

#[tokio::test]
async fn the_token_endpoint_is_retried_on_503() {
    let server = MockServer::start().await;
    let token_path = format!("/{TENANT}/oauth2/v2.0/token");
    Mock::given(method("POST"))
        .and(path(token_path.clone()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(token_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "at", "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/exposureScore"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"score": 1})))
        .mount(&server)
        .await;
    let url = server.uri();
    let ep = Endpoints::for_cloud(Cloud::Global, TENANT).with_overrides(
        Some(&url),
        Some(&url),
        Some(&url),
    );
    let cred = ClientSecretCredential::new(ep.clone(), "client", Secret::new("s"));
    let c = Client::with_policy(ep, Arc::new(cred), RetryPolicy::fast());
    let v: serde_json::Value = c.get(Resource::Mde, "exposureScore").await.unwrap();
    assert_eq!(v["score"], 1);
    server.verify().await;
}

#[tokio::test]
async fn a_hostile_tenant_id_never_becomes_a_request_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let url = server.uri();
    let ep = Endpoints::for_cloud(Cloud::Global, "../../x?y#").with_overrides(
        Some(&url),
        Some(&url),
        Some(&url),
    );
    let cred = ClientSecretCredential::new(ep.clone(), "client", Secret::new("s"));
    let c = Client::with_policy(ep, Arc::new(cred), RetryPolicy::fast());
    let err = c
        .get::<serde_json::Value>(Resource::Mde, "exposureScore")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("tenant id"), "{err}");
    server.verify().await;
}

/// The CLI refuses a plain-http URL to a remote host, and a bad tenant id, with exit 2.
#[test]
fn cli_refuses_remote_http_and_bad_tenant_ids_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec![
            "--tenant-id",
            TENANT,
            "--mde-url",
            "http://api.securitycenter.microsoft.com",
            "devices",
            "list",
        ],
        vec!["--tenant-id", "../../x?y#", "devices", "list"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_socops"))
            .env_remove("SOCOPS_PROFILE")
            .env_remove("AZURE_TENANT_ID")
            .env_remove("AZURE_AUTHORITY_HOST")
            .env("AZURE_CLIENT_ID", "c")
            .env("AZURE_CLIENT_SECRET", "s")
            .env("SOCOPS_CONFIG_DIR", dir.path().join("config"))
            .env("SOCOPS_DATA_DIR", dir.path().join("data"))
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn client_with(url: &str, policy: RetryPolicy) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, TENANT).with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        policy,
    )
}

#[tokio::test]
async fn a_stalled_server_is_reported_within_the_request_timeout_naming_the_host() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"value": []}))
                .set_delay(std::time::Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        timeout: std::time::Duration::from_millis(200),
        ..RetryPolicy::fast()
    };
    let c = client_with(&server.uri(), policy);
    let err = tokio::time::timeout(std::time::Duration::from_secs(20), walk(&c))
        .await
        .expect("the per-request timeout ends the wait, not the test's guard")
        .unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    let host = format!("127.0.0.1:{}", server.address().port());
    assert!(err.to_string().contains(&host), "{err}");
    // A timed-out GET is not retried: the service stalled.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_page_larger_than_the_cap_is_refused_naming_the_host() {
    let server = MockServer::start().await;
    let records: Vec<_> = (0..200).map(|i| json!({"id": format!("m{i}")})).collect();
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": records})))
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_body: 1_000,
        ..RetryPolicy::fast()
    };
    let err = walk(&client_with(&server.uri(), policy)).await.unwrap_err();
    let text = err.to_string();
    let host = format!("127.0.0.1:{}", server.address().port());
    assert!(
        text.contains(&host) && text.contains("larger than 1000 bytes"),
        "{text}"
    );
    // Under the cap, the same page reads.
    let page = client(&server.uri())
        .get_page(Resource::Mde, "machines")
        .await
        .unwrap();
    assert_eq!(page.records.len(), 200);
}
