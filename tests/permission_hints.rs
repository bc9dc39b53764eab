//! A 403 names the permission that is probably missing for the way socops signed in: the
//! delegated one (`Machine.Read`) for a user who signed in with the device code, the
//! application one (`Machine.Read.All`) for an app.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;

use futures::future::BoxFuture;
use socops::api::auth::TokenSource;
use socops::api::calls;
use socops::api::model::{Machine, RemediationTask};
use socops::api::{ApiError, Client, Cloud, Endpoints, Resource, RetryPolicy};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Token {
    delegated: bool,
}

impl TokenSource for Token {
    fn token(&self, _: Resource, _: bool) -> BoxFuture<'_, Result<String, ApiError>> {
        Box::pin(async { Ok("t".to_string()) })
    }
    fn operator(&self) -> String {
        "tester".into()
    }
    fn delegated(&self) -> bool {
        self.delegated
    }
}

async fn forbidden_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!(
            {"error": {"code": "Forbidden", "message": "Missing application roles."}}
        )))
        .mount(&server)
        .await;
    server
}

fn client(base: &str, delegated: bool) -> Client {
    let ep =
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(base), Some(base), Some(base));
    Client::with_policy(ep, Arc::new(Token { delegated }), RetryPolicy::fast())
}

#[tokio::test]
async fn the_hint_follows_the_sign_in() {
    let server = forbidden_server().await;
    let user = client(&server.uri(), true);
    let app = client(&server.uri(), false);

    let e = calls::machines(None)
        .fetch::<Machine>(&user, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("permission Machine.Read)"), "{e}");
    let e = calls::machines(None)
        .fetch::<Machine>(&app, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("permission Machine.Read.All)"), "{e}");

    let e = calls::remediation_tasks(None)
        .fetch::<RemediationTask>(&user, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("RemediationTask.Read)"), "{e}");
}
