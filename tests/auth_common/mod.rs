//! Helpers shared by the Entra sign-in tests: a wiremock form matcher and token bodies.
#![allow(dead_code)]

use std::collections::BTreeMap;

use socops::api::{Cloud, Endpoints};
use wiremock::{MockServer, Request};

pub const MDE_SCOPE: &str = "https://api.securitycenter.microsoft.com/.default";
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default";
pub const TOKEN_PATH: &str = "/t1.example.com/oauth2/v2.0/token";

pub fn endpoints(server: &MockServer) -> Endpoints {
    Endpoints::for_cloud(Cloud::Global, "t1.example.com").with_overrides(
        Some(&server.uri()),
        None,
        None,
    )
}

pub fn form(req: &Request) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(&req.body)
        .into_owned()
        .collect()
}

/// Matches when the form body has exactly these fields (any value for "*").
pub struct FormIs(Vec<(String, String)>);
impl wiremock::Match for FormIs {
    fn matches(&self, req: &Request) -> bool {
        let got = form(req);
        got.len() == self.0.len()
            && self
                .0
                .iter()
                .all(|(k, v)| got.get(k).is_some_and(|g| v == "*" || g == v))
    }
}

pub fn form_is(pairs: &[(&str, &str)]) -> FormIs {
    FormIs(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

pub fn token_body(access: &str, expires_in: u64) -> serde_json::Value {
    serde_json::json!({"token_type":"Bearer","expires_in":expires_in,"ext_expires_in":expires_in,"access_token":access})
}

pub fn b64(v: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v)
}

pub fn id_token(upn: &str) -> String {
    format!(
        "{}.{}.x",
        b64(r#"{"alg":"none"}"#),
        b64(&format!(r#"{{"upn":"{upn}"}}"#))
    )
}
