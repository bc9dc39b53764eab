//! App-only Entra sign-in (client secret, certificate) against a wiremock token endpoint:
//! exact form fields, caching, force_refresh, expiry, error decoding, no secret in output.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod auth_common;

use std::os::unix::fs::PermissionsExt;

use auth_common::*;
use socops::api::auth::{ClientSecretCredential, Secret, TokenSource};
use socops::api::{ApiError, Resource, Service};
use socops::cli::credential::certificate_from_pem_file;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn client_secret_sends_exact_form_and_caches_per_resource() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(form_is(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app1"),
            ("client_secret", "s3cr3t-value"),
            ("scope", MDE_SCOPE),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("mde-1", 3599)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(form_is(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app1"),
            ("client_secret", "s3cr3t-value"),
            ("scope", GRAPH_SCOPE),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("graph-1", 3599)))
        .expect(1)
        .mount(&server)
        .await;
    let cred = ClientSecretCredential::new(endpoints(&server), "app1", Secret::new("s3cr3t-value"));
    assert_eq!(cred.token(Resource::Mde, false).await.unwrap(), "mde-1");
    assert_eq!(cred.token(Resource::Mde, false).await.unwrap(), "mde-1");
    assert_eq!(cred.token(Resource::Graph, false).await.unwrap(), "graph-1");
    assert_eq!(cred.operator(), "app app1");
    let dbg = format!("{cred:?}");
    assert!(!dbg.contains("s3cr3t") && !dbg.contains("mde-1"), "{dbg}");
}

#[tokio::test]
async fn force_refresh_and_near_expiry_refetch() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("short", 60)))
        .expect(3)
        .mount(&server)
        .await;
    let cred = ClientSecretCredential::new(endpoints(&server), "app1", Secret::new("pw"));
    cred.token(Resource::Mde, false).await.unwrap();
    // expires inside the 5-minute margin: refetched
    cred.token(Resource::Mde, false).await.unwrap();
    cred.token(Resource::Mde, true).await.unwrap();
}

#[tokio::test]
async fn force_refresh_bypasses_a_fresh_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("long", 3600)))
        .expect(2)
        .mount(&server)
        .await;
    let cred = ClientSecretCredential::new(endpoints(&server), "app1", Secret::new("pw"));
    cred.token(Resource::Graph, false).await.unwrap();
    cred.token(Resource::Graph, false).await.unwrap();
    cred.token(Resource::Graph, true).await.unwrap();
}

#[tokio::test]
async fn entra_error_is_a_service_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x",
            "error_codes": [7000215],
            "correlation_id": "corr-1"
        })))
        .mount(&server)
        .await;
    let cred =
        ClientSecretCredential::new(endpoints(&server), "app1", Secret::new("top-secret-pw"));
    let err = cred.token(Resource::Mde, false).await.unwrap_err();
    let ApiError::Service(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.service, Service::Entra);
    assert_eq!(e.status, 401);
    assert_eq!(e.code, "invalid_client");
    assert_eq!(e.aadsts.as_deref(), Some("AADSTS7000215"));
    assert_eq!(e.correlation_id.as_deref(), Some("corr-1"));
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("top-secret-pw"), "{shown}");
}

#[tokio::test]
async fn certificate_sends_assertion_not_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(form_is(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app1"),
            (
                "client_assertion_type",
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ),
            ("client_assertion", "*"),
            ("scope", MDE_SCOPE),
        ]))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("cert-tok", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    let tmp = tempfile::tempdir().unwrap();
    let pem = tmp.path().join("c.pem");
    std::fs::copy("fixtures/auth/test-client-cert.pem", &pem).unwrap();
    std::fs::set_permissions(&pem, std::fs::Permissions::from_mode(0o600)).unwrap();
    let cred = certificate_from_pem_file(endpoints(&server), "app1", &pem).unwrap();
    assert_eq!(cred.token(Resource::Mde, false).await.unwrap(), "cert-tok");
    let req = &server.received_requests().await.unwrap()[0];
    let assertion = form(req)["client_assertion"].clone();
    assert_eq!(assertion.split('.').count(), 3);
    assert!(!format!("{cred:?}").contains(&assertion));
    // a key file others can read is refused
    std::fs::set_permissions(&pem, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = certificate_from_pem_file(endpoints(&server), "app1", &pem)
        .unwrap_err()
        .to_string();
    assert!(err.contains("chmod 600"), "{err}");
}
