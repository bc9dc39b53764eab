//! Contract-test support: a client pointed at a wiremock server, an exact query matcher
//! and a canned GET.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use serde_json::{Value, json};
use socops::api::auth::{StaticToken, TokenSource};
use socops::api::calls::{self};
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

pub fn client_for(server: &MockServer) -> Client {
    client_with(server, Arc::new(StaticToken::new("tok", "test")))
}

pub fn client_with(server: &MockServer, tokens: Arc<dyn TokenSource>) -> Client {
    let uri = server.uri();
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&uri), Some(&uri), Some(&uri)),
        tokens,
        RetryPolicy::fast(),
    )
}

/// The decoded query pairs, in order, and no `+` for spaces on the wire.
pub struct Query(Vec<(String, String)>);

impl Match for Query {
    fn matches(&self, request: &Request) -> bool {
        let raw = request.url.query().unwrap_or("");
        let pairs: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        !raw.contains('+') && !raw.contains(' ') && pairs == self.0
    }
}

pub fn q(pairs: &[(&str, &str)]) -> Query {
    Query(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// Mount a GET expected exactly once with this path and query, answering `body`.
pub async fn expect_get(server: &MockServer, p: &str, query: &[(&str, &str)], body: Value) {
    Mock::given(method("GET"))
        .and(path(p))
        .and(q(query))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

/// A collection request, its expected path and its expected query pairs.
pub type ListCase = (
    calls::ListRequest,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

pub fn one_record() -> Value {
    json!({"value": [{"id": "1"}]})
}

/// A machine id the action contract tests aim at.
pub const MID: &str = "4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6";
