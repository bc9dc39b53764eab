//! Entra ID v2 token and device-code endpoints. Any client credentials are accepted; the
//! request shape (grant types, client_id, scopes of one known resource) is checked like Entra.

use super::reply::{Family, Reply, entra_error};
use super::{Req, SimState};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;

const RESERVED: [&str; 4] = ["offline_access", "openid", "profile", "email"];

/// The polling interval Entra hands out with a device code (seconds).
pub(crate) const DEVICE_CODE_INTERVAL: i64 = 5;

/// A device code handed out: its polls, the interval the client must keep, and the grant.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    pub polls: u32,
    pub last_poll: Option<chrono::DateTime<chrono::Utc>>,
    /// Grows by 5 s with every `slow_down` (RFC 8628 §3.5).
    pub interval: i64,
    pub offline: bool,
    pub scope: String,
}

fn form(req: &Req) -> HashMap<String, String> {
    url::form_urlencoded::parse(&req.body)
        .into_owned()
        .collect()
}

/// Checks scopes: all of one known resource. Returns whether `offline_access` was asked for.
fn check_scope(scope: &str) -> Result<bool, Reply> {
    let mut resource: Option<String> = None;
    let mut offline = false;
    for s in scope.split_whitespace() {
        if RESERVED.contains(&s) {
            offline |= s == "offline_access";
            continue;
        }
        let res = s
            .rsplit_once('/')
            .map(|(r, _)| r.to_ascii_lowercase())
            .unwrap_or_default();
        let known = [
            "securitycenter",
            "security.microsoft",
            "graph.microsoft",
            "dod-graph",
            "127.0.0.1",
            "localhost",
        ]
        .iter()
        .any(|k| res.contains(k));
        if !known {
            return Err(entra_error(
                400,
                "invalid_scope",
                70011,
                &format!(
                    "The provided value for the input parameter 'scope' is not valid. The scope {s} is not valid."
                ),
            ));
        }
        if resource.as_ref().is_some_and(|r| *r != res) {
            return Err(entra_error(
                400,
                "invalid_scope",
                28000,
                "Provided value for the input parameter scope is not valid because it contains more than one resource.",
            ));
        }
        resource = Some(res);
    }
    Ok(offline)
}

/// The user who signs in with the device code on the simulated tenant.
pub(crate) const SIGNED_IN_USER: &str = "analyst@fabrikam.example";

/// A token for the resource of `scope`: an app's (client credentials) with `roles`, or a
/// signed-in user's (`delegated`) with `scp`, as [`super::auth::mint`] writes them. The
/// `scope` is echoed for delegated grants only, as Entra does.
fn token(st: &SimState, scope: &str, delegated: bool, refresh: bool, client_id: &str) -> Reply {
    let access = super::auth::mint(
        &st.tenant_id,
        st.clock.now(),
        super::auth::Audience::of_scope(scope),
        &super::auth::granted(st),
        delegated.then_some(SIGNED_IN_USER),
        client_id,
    );
    let mut v = json!({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": access});
    if let Value::Object(m) = &mut v {
        if delegated {
            m.insert("scope".into(), scope.into());
        }
        if refresh {
            m.insert(
                "refresh_token".into(),
                format!("simrt{}", uuid::Uuid::new_v4().simple()).into(),
            );
        }
    }
    Reply::ok(Family::Entra, &v)
}

/// Routes `/{tenant}/oauth2/...`.
pub fn handle(st: &SimState, req: &Req) -> Reply {
    let last = req
        .segs
        .last()
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    if req.method != axum::http::Method::POST {
        return entra_error(
            405,
            "invalid_request",
            900561,
            "The endpoint only accepts POST requests.",
        );
    }
    let mut f = form(req);
    // HTTP Basic client authentication is accepted too.
    if let Some(basic) = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        && let Ok(raw) = base64::engine::general_purpose::STANDARD.decode(basic.trim())
        && let Some((id, secret)) = String::from_utf8_lossy(&raw)
            .split_once(':')
            .map(|(a, b)| (a.to_string(), b.to_string()))
    {
        f.entry("client_id".into()).or_insert(id);
        f.entry("client_secret".into()).or_insert(secret);
    }
    if f.get("client_id").is_none_or(|c| c.is_empty()) {
        return entra_error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    }
    let scope = f.get("scope").cloned().unwrap_or_default();
    match last.as_str() {
        "devicecode" => {
            let offline = match check_scope(&scope) {
                Ok(o) => o,
                Err(r) => return r,
            };
            let code = format!("SIMDC{}", uuid::Uuid::new_v4().simple());
            let user_code = format!("SIM{:06}", st.next_counter() % 1_000_000);
            if let Ok(mut m) = st.device_codes.lock() {
                m.insert(
                    code.clone(),
                    DeviceCode {
                        polls: 0,
                        last_poll: None,
                        interval: DEVICE_CODE_INTERVAL,
                        offline,
                        scope,
                    },
                );
            }
            let uri = format!("{}/devicelogin", st.base_url);
            Reply::ok(
                Family::Entra,
                &json!({
                    "user_code": user_code, "device_code": code, "verification_uri": uri, "expires_in": 900, "interval": DEVICE_CODE_INTERVAL,
                    "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {user_code} to authenticate."),
                }),
            )
        }
        "token" => grant(st, &f, &scope),
        _ => entra_error(404, "invalid_request", 900023, "Unknown endpoint."),
    }
}

fn client_id(f: &HashMap<String, String>) -> String {
    f.get("client_id").cloned().unwrap_or_default()
}

fn grant(st: &SimState, f: &HashMap<String, String>, scope: &str) -> Reply {
    let has = |k: &str| f.get(k).is_some_and(|v| !v.is_empty());
    match f.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {
            if !has("client_secret") && !has("client_assertion") {
                return entra_error(
                    401,
                    "invalid_client",
                    7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                );
            }
            if !scope.split_whitespace().all(|s| s.ends_with("/.default")) || scope.is_empty() {
                return entra_error(
                    400,
                    "invalid_scope",
                    1002012,
                    "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.",
                );
            }
            if let Err(r) = check_scope(scope) {
                return r;
            }
            token(st, scope, false, false, &client_id(f))
        }
        Some("refresh_token") => {
            if !has("refresh_token") {
                return entra_error(
                    400,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'refresh_token'.",
                );
            }
            match check_scope(scope) {
                Ok(_) => token(st, scope, true, true, &client_id(f)),
                Err(r) => r,
            }
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            let code = f.get("device_code").cloned().unwrap_or_default();
            let Ok(mut m) = st.device_codes.lock() else {
                return entra_error(500, "server_error", 50000, "state lock poisoned");
            };
            let Some(entry) = m.get_mut(&code) else {
                return entra_error(
                    400,
                    "bad_verification_code",
                    70019,
                    "Verification code is not valid.",
                );
            };
            // Polled sooner than the interval (on the simulator's clock): `slow_down`, and
            // the interval grows by 5 s as RFC 8628 says.
            let now = st.clock.now();
            if let Some(last) = entry.last_poll
                && (now - last).num_milliseconds() < entry.interval * 1000
            {
                entry.interval += 5;
                entry.last_poll = Some(now);
                return entra_error(
                    400,
                    "slow_down",
                    70016,
                    "OAuth 2.0 device flow error. Polling too frequently; slow down.",
                );
            }
            entry.last_poll = Some(now);
            entry.polls += 1;
            if entry.polls == 1 {
                return entra_error(
                    400,
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                );
            }
            let Some(done) = m.remove(&code) else {
                return entra_error(500, "server_error", 50000, "device code vanished");
            };
            drop(m);
            token(st, &done.scope, true, done.offline, &client_id(f))
        }
        Some(other) => entra_error(
            400,
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
        None => entra_error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ),
    }
}
