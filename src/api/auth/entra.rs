//! Plumbing shared by every Entra ID credential: the oauth2 client type over the process's one
//! reqwest client (the oauth2 5 ↔ reqwest 0.13 adapter), the token response with `id_token`,
//! and the mapping of every failure to an `ApiError` that holds no secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthType, ClientId, EndpointNotSet, EndpointSet, ErrorResponse, ExtraTokenFields,
    RequestTokenError, StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};

use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::{ApiError, Service, decode_error};

/// Extra fields of Entra's token response that socops reads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EntraTokenFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}
impl ExtraTokenFields for EntraTokenFields {}

/// Entra's token response.
pub(crate) type EntraTokenResponse = StandardTokenResponse<EntraTokenFields, BasicTokenType>;

/// The oauth2 client with a token URL (and, for device code, a device authorization URL).
pub(crate) type EntraClient<HasDeviceAuthUrl = EndpointNotSet> = oauth2::Client<
    BasicErrorResponse,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    HasDeviceAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// An oauth2 client for `client_id` posting to the tenant's token URL, credentials in the
/// request body (what Entra expects).
pub fn client(endpoints: &Endpoints, client_id: &str) -> Result<EntraClient, ApiError> {
    // A secret or an assertion never goes over plain http to another machine, and a tenant
    // id never becomes anything but one path segment.
    endpoints.validate().map_err(ApiError::Refused)?;
    let token_url = TokenUrl::new(endpoints.token_url())
        .map_err(|e| ApiError::Auth(format!("invalid token URL: {e}")))?;
    Ok(oauth2::Client::new(ClientId::new(client_id.to_string()))
        .set_token_uri(token_url)
        .set_auth_type(AuthType::RequestBody))
}

/// What a token request yields.
/// The client credentials grant (app-only sign-in) for `resource`: with `secret` for a
/// client secret, with `extra` form params for a certificate's client assertion.
pub async fn client_credentials(
    endpoints: &Endpoints,
    client_id: &str,
    resource: Resource,
    secret: Option<oauth2::ClientSecret>,
    extra: Vec<(&'static str, String)>,
) -> Result<Fetched, ApiError> {
    let mut client = client(endpoints, client_id)?;
    if let Some(secret) = secret {
        client = client.set_client_secret(secret);
    }
    let captured = Captured::default();
    let http = oauth_http(captured.clone());
    let mut req = client
        .exchange_client_credentials()
        .add_scope(oauth2::Scope::new(endpoints.scope(resource)));
    for (name, value) in extra {
        req = req.add_extra_param(name, value);
    }
    let resp = req
        .request_async(&http)
        .await
        .map_err(|e| map_error(e, &captured))?;
    Ok(Fetched::from_response(&resp))
}

pub struct Fetched {
    pub access_token: String,
    pub expires_in: Duration,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
}

impl Fetched {
    pub(crate) fn from_response(r: &EntraTokenResponse) -> Fetched {
        Fetched {
            access_token: r.access_token().secret().clone(),
            // Entra always sends expires_in; assume an hour if a proxy drops it.
            expires_in: r.expires_in().unwrap_or(Duration::from_secs(3600)),
            refresh_token: r.refresh_token().map(|t| t.secret().clone()),
            id_token: r.extra_fields().id_token.clone(),
        }
    }
}

/// Transport error of the adapter. Its text never includes a request body.
#[derive(Debug, thiserror::Error)]
pub(crate) enum HttpError {
    #[error(transparent)]
    Reqwest(#[from] reqwest::Error),
    #[error(transparent)]
    Http(#[from] oauth2::http::Error),
}

/// The last non-success answer of the token endpoint: status, body, request id header. Kept
/// so the error can be decoded with `decode_error` (oauth2 drops the status and correlation).
#[derive(Default, Clone)]
pub(crate) struct Captured(Arc<Mutex<Option<ErrorAnswer>>>);

/// Status, body and `x-ms-request-id` of an error answer.
type ErrorAnswer = (u16, Vec<u8>, Option<String>);

impl Captured {
    fn take(&self) -> Option<ErrorAnswer> {
        self.0.lock().ok().and_then(|mut g| g.take())
    }
}

/// Retries of a token request after 429 or 5xx (like a GET: asking for a token changes
/// nothing), and the longest Retry-After honoured.
const TOKEN_RETRIES: u32 = 3;
const TOKEN_MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Send a token request; a 429 or 5xx answer is retried after its Retry-After (or 0.5 s,
/// 1 s, 2 s) up to [`TOKEN_RETRIES`] times. The last answer is returned as it came.
async fn send_with_retry(
    client: &reqwest::Client,
    req: reqwest::Request,
) -> Result<reqwest::Response, reqwest::Error> {
    let mut attempt = 0u32;
    loop {
        let meter = req
            .url()
            .as_str()
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_string();
        crate::api::http::note_token_request(&meter);
        let Some(retry) = req.try_clone().filter(|_| attempt < TOKEN_RETRIES) else {
            return client.execute(req).await;
        };
        let resp = client.execute(retry).await?;
        let status = resp.status();
        if status != reqwest::StatusCode::TOO_MANY_REQUESTS && !status.is_server_error() {
            return Ok(resp);
        }
        let wait = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_millis(500 << attempt));
        if wait > TOKEN_MAX_RETRY_AFTER {
            return Ok(resp);
        }
        tracing::info!(status = status.as_u16(), "token endpoint busy; retrying");
        attempt += 1;
        tokio::time::sleep(wait).await;
    }
}

/// The adapter closure of deps.md §4 around `crate::api::http::shared()`, recording error
/// answers into `captured`.
pub(crate) fn oauth_http(
    captured: Captured,
) -> impl Fn(oauth2::HttpRequest) -> BoxFuture<'static, Result<oauth2::HttpResponse, HttpError>> {
    let client = crate::api::http::shared();
    move |req| {
        let client = client.clone();
        let captured = captured.clone();
        Box::pin(async move {
            let mut req = reqwest::Request::try_from(req)?;
            *req.timeout_mut() = Some(Duration::from_secs(30));
            let resp = send_with_retry(&client, req).await?;
            let status = resp.status();
            let mut b = oauth2::http::Response::builder().status(status);
            for (k, v) in resp.headers() {
                b = b.header(k, v);
            }
            let request_id = resp
                .headers()
                .get("x-ms-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let body = resp.bytes().await?.to_vec();
            if !status.is_success()
                && let Ok(mut g) = captured.0.lock()
            {
                *g = Some((status.as_u16(), body.clone(), request_id));
            }
            Ok(b.body(body)?)
        })
    }
}

/// Turn an oauth2 failure into an `ApiError`. Error answers of Entra become
/// `ApiError::Service` (Service::Entra, AADSTS kept); nothing of a request or a success body
/// (which could hold a token) is ever quoted.
pub(crate) fn map_error<TE: ErrorResponse + 'static>(
    err: RequestTokenError<HttpError, TE>,
    captured: &Captured,
) -> ApiError {
    if let Some((status, body, request_id)) = captured.take() {
        return ApiError::Service(Box::new(decode_error(
            Service::Entra,
            status,
            &body,
            request_id,
        )));
    }
    match err {
        RequestTokenError::Request(HttpError::Reqwest(e)) => {
            crate::api::response::transport_error(Service::Entra, &e)
        }
        RequestTokenError::Request(HttpError::Http(e)) => ApiError::Auth(e.to_string()),
        RequestTokenError::ServerResponse(e) => ApiError::Auth(format!("Entra ID refused: {e}")),
        RequestTokenError::Parse(e, _body) => ApiError::Malformed {
            service: Service::Entra,
            detail: format!("token response: {}", e.path()),
        },
        RequestTokenError::Other(msg) => ApiError::Auth(msg),
    }
}

/// The UPN of a JWT's payload (`upn`, `preferred_username`, `unique_name` or `email`).
/// Not verified: for display and the audit log's operator only.
pub(crate) fn jwt_username(jwt: &str) -> Option<String> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    ["upn", "preferred_username", "unique_name", "email"]
        .iter()
        .find_map(|k| v.get(*k).and_then(|x| x.as_str()))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    #[test]
    fn reads_upn_from_unverified_jwt() {
        let enc = |v: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let jwt = format!(
            "{}.{}.sig",
            enc(r#"{"alg":"none"}"#),
            enc(r#"{"preferred_username":"ana@contoso.com"}"#)
        );
        assert_eq!(
            super::jwt_username(&jwt).as_deref(),
            Some("ana@contoso.com")
        );
        assert_eq!(super::jwt_username("opaque"), None);
    }
}
