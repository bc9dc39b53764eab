//! The transport: one client per tenant over the process-wide HTTP client. It attaches the
//! token of the API family, spends the client-side budget, honours 429 Retry-After, retries
//! GETs on 5xx and timeouts with jittered backoff, refreshes the token once on a 401, follows
//! `@odata.nextLink` paging, and turns every failure into an [`ApiError`].

use std::sync::Arc;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::auth::TokenSource;
use crate::api::budget::{Budgets, Family, MAX_BUDGET_WAIT, Usage};
use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::{ApiError, Service, decode_error};
use crate::api::http;
use crate::api::permissions::required_permission;

/// How hard the transport tries before giving up.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries of a GET after a 5xx, a timeout or a network failure.
    pub max_retries: usize,
    /// First backoff delay; doubles each time, with jitter.
    pub min_backoff: Duration,
    pub max_backoff: Duration,
    /// Longest Retry-After (or budget wait) honoured before reporting `Throttled`.
    pub max_throttle_wait: Duration,
    /// Times a 429 is waited out for one request.
    pub max_throttle_retries: usize,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_throttle_wait: Duration::from_secs(60),
            max_throttle_retries: 3,
            timeout: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Short waits for tests against wiremock and the simulator.
    pub fn fast() -> Self {
        RetryPolicy {
            max_retries: 3,
            min_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_millis(40),
            max_throttle_wait: Duration::from_secs(5),
            max_throttle_retries: 3,
            timeout: Duration::from_secs(10),
        }
    }
}

/// A page of a collection, records kept as raw JSON so they can be written out verbatim.
pub struct RawPage {
    pub records: Vec<Box<RawValue>>,
    pub next_link: Option<String>,
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    tokens: Arc<dyn TokenSource>,
    budgets: Budgets,
    retry: RetryPolicy,
}

/// A client for one tenant. Cheap to clone; clones share budgets and tokens.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl Client {
    pub fn new(endpoints: Endpoints, tokens: Arc<dyn TokenSource>) -> Self {
        Self::with_policy(endpoints, tokens, RetryPolicy::default())
    }

    pub fn with_policy(
        endpoints: Endpoints,
        tokens: Arc<dyn TokenSource>,
        retry: RetryPolicy,
    ) -> Self {
        Client {
            inner: Arc::new(Inner {
                http: http::shared(),
                endpoints,
                tokens,
                budgets: Budgets::new(),
                retry,
            }),
        }
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Who acts, as the token source knows it.
    pub fn operator(&self) -> String {
        self.inner.tokens.operator()
    }

    /// Budget use of the main MDE family, for the status line.
    pub fn budget_usage(&self) -> Usage {
        self.inner.budgets.usage(Family::Mde)
    }

    pub fn budget_usage_of(&self, family: Family) -> Usage {
        self.inner.budgets.usage(family)
    }

    /// GET a JSON document.
    pub async fn get<T: DeserializeOwned>(
        &self,
        resource: Resource,
        path: &str,
    ) -> Result<T, ApiError> {
        let url = self.inner.endpoints.url(resource, path);
        let bytes = self.send(Method::GET, resource, &url, None, true).await?;
        parse_json(resource, &bytes)
    }

    /// GET a body as text (`$count` answers a bare number).
    pub async fn get_text(&self, resource: Resource, path: &str) -> Result<String, ApiError> {
        let url = self.inner.endpoints.url(resource, path);
        let bytes = self.send(Method::GET, resource, &url, None, true).await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// GET one page at an absolute URL (a `@odata.nextLink`) or an API path.
    pub async fn get_page(
        &self,
        resource: Resource,
        path_or_url: &str,
    ) -> Result<RawPage, ApiError> {
        let url = if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            self.check_next_link(resource, path_or_url)?;
            path_or_url.to_string()
        } else {
            self.inner.endpoints.url(resource, path_or_url)
        };
        let bytes = self.send(Method::GET, resource, &url, None, true).await?;
        parse_page(resource, &bytes)
    }

    /// Walk a collection page by page, handing each page's raw records to `on_page`.
    ///
    /// `path` may carry a query (`machines?$filter=…`). A `$top` of `page_size` is added when
    /// the path has none. Paging follows `@odata.nextLink` as an opaque URL; where a full page
    /// comes without one, it continues with `$skip` (MDE does not promise nextLink on every
    /// list). `limit` stops after that many records. Returns the number of records seen.
    pub async fn for_each_page<F>(
        &self,
        resource: Resource,
        path: &str,
        page_size: usize,
        limit: Option<usize>,
        mut on_page: F,
    ) -> Result<usize, ApiError>
    where
        F: FnMut(Vec<Box<RawValue>>) -> Result<(), ApiError>,
    {
        let page_size = match limit {
            Some(l) => page_size.min(l.max(1)),
            None => page_size,
        };
        let (base, top) = with_top(path, page_size);
        let mut next: Option<String> = Some(base.clone());
        let mut seen = 0usize;
        let mut skip = 0usize;
        while let Some(target) = next.take() {
            let page = self.get_page(resource, &target).await?;
            let n = page.records.len();
            skip += n;
            let mut records = page.records;
            if let Some(l) = limit {
                records.truncate(l.saturating_sub(seen));
            }
            seen += records.len();
            on_page(records)?;
            if limit.is_some_and(|l| seen >= l) {
                break;
            }
            next = match page.next_link {
                Some(link) => Some(link),
                None if n > 0 && n >= top && !base.contains("$skip=") => {
                    Some(with_skip(&base, skip))
                }
                None => None,
            };
        }
        Ok(seen)
    }

    /// Every record of a collection, typed. A record that does not fit the model is an error
    /// naming its position: nothing is dropped silently.
    pub async fn list<T: DeserializeOwned>(
        &self,
        resource: Resource,
        path: &str,
        page_size: usize,
        limit: Option<usize>,
    ) -> Result<Vec<T>, ApiError> {
        let mut out: Vec<T> = Vec::new();
        self.for_each_page(resource, path, page_size, limit, |records| {
            out.reserve(records.len());
            for raw in records {
                let item =
                    serde_json::from_str::<T>(raw.get()).map_err(|e| ApiError::Malformed {
                        service: service_of(resource),
                        detail: format!("record {} of {path}: {e}", out.len() + 1),
                    })?;
                out.push(item);
            }
            Ok(())
        })
        .await?;
        Ok(out)
    }

    /// POST a JSON body and read the JSON answer. Never retried blindly: only a 429 (not
    /// processed) or a 401 (refreshed token) is sent again.
    pub async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        resource: Resource,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let bytes = self.post_raw(resource, path, body).await?;
        parse_json(resource, &bytes)
    }

    /// POST where the service answers with an empty body (200/204).
    pub async fn post_no_content<B: Serialize + ?Sized>(
        &self,
        resource: Resource,
        path: &str,
        body: &B,
    ) -> Result<(), ApiError> {
        self.post_raw(resource, path, body).await.map(|_| ())
    }

    async fn post_raw<B: Serialize + ?Sized>(
        &self,
        resource: Resource,
        path: &str,
        body: &B,
    ) -> Result<Vec<u8>, ApiError> {
        let url = self.inner.endpoints.url(resource, path);
        let json = serde_json::to_vec(body)
            .map_err(|e| ApiError::Refused(format!("cannot encode the request body: {e}")))?;
        self.send(Method::POST, resource, &url, Some(json), false)
            .await
    }

    /// PATCH a JSON body.
    pub async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        resource: Resource,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let url = self.inner.endpoints.url(resource, path);
        let json = serde_json::to_vec(body)
            .map_err(|e| ApiError::Refused(format!("cannot encode the request body: {e}")))?;
        let bytes = self
            .send(Method::PATCH, resource, &url, Some(json), false)
            .await?;
        parse_json(resource, &bytes)
    }

    /// DELETE (204 expected).
    pub async fn delete(&self, resource: Resource, path: &str) -> Result<(), ApiError> {
        let url = self.inner.endpoints.url(resource, path);
        self.send(Method::DELETE, resource, &url, None, false)
            .await
            .map(|_| ())
    }

    /// Download a pre-signed (SAS) URL: no bearer token, its own longer timeout.
    pub async fn download(&self, url: &str) -> Result<Vec<u8>, ApiError> {
        let service = Service::Mde;
        let resp = self
            .inner
            .http
            .get(url)
            .timeout(Duration::from_secs(600))
            .send()
            .await
            .map_err(|e| transport_error(service, &e))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| transport_error(service, &e))?;
        if !status.is_success() {
            return Err(ApiError::Service(Box::new(decode_error(
                service,
                status.as_u16(),
                &bytes,
                None,
            ))));
        }
        Ok(bytes.to_vec())
    }

    /// A nextLink is followed with the same bearer token only on the configured host or a
    /// Microsoft host: a token must never be handed to anyone else.
    fn check_next_link(&self, resource: Resource, url: &str) -> Result<(), ApiError> {
        let configured = match resource {
            Resource::Mde => &self.inner.endpoints.mde,
            Resource::Graph => &self.inner.endpoints.graph,
        };
        let host_of = |u: &str| {
            url::Url::parse(u)
                .ok()
                .and_then(|p| p.host_str().map(str::to_ascii_lowercase))
        };
        let host = host_of(url).unwrap_or_default();
        let trusted_suffixes = [
            ".microsoft.com",
            ".microsoft.us",
            ".windows.com",
            ".apps.mil",
        ];
        if Some(&host) == host_of(configured).as_ref()
            || trusted_suffixes.iter().any(|s| host.ends_with(s))
        {
            Ok(())
        } else {
            Err(ApiError::Malformed {
                service: service_of(resource),
                detail: format!(
                    "a next-page link points to an unexpected host ({host}); not followed"
                ),
            })
        }
    }

    /// The one place a request is sent: budget, token, retry, 429, 401.
    async fn send(
        &self,
        method: Method,
        resource: Resource,
        url: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, ApiError> {
        let service = service_of(resource);
        let policy = &self.inner.retry;
        let family = Family::classify(resource, method.as_str(), api_path(url));
        let mut backoff = ExponentialBuilder::default()
            .with_min_delay(policy.min_backoff)
            .with_max_delay(policy.max_backoff)
            .with_max_times(policy.max_retries)
            .with_jitter()
            .build();
        let mut refreshed = false;
        let mut throttled = 0usize;
        loop {
            match self
                .inner
                .budgets
                .acquire(family, MAX_BUDGET_WAIT.min(policy.max_throttle_wait))
            {
                Ok(wait) if !wait.is_zero() => tokio::time::sleep(wait).await,
                Ok(_) => {}
                Err(wait) => {
                    return Err(ApiError::Throttled {
                        service,
                        retry_after: wait,
                        last: None,
                    });
                }
            }
            let token = self.inner.tokens.token(resource, refreshed).await?;
            let mut req = self
                .inner
                .http
                .request(method.clone(), url)
                .bearer_auth(&token)
                .header(reqwest::header::ACCEPT, "application/json")
                .timeout(policy.timeout);
            if resource == Resource::Graph {
                req = req.header("Prefer", "include-unknown-enum-members");
            }
            if let Some(b) = &body {
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.clone());
            }
            let started = std::time::Instant::now();
            let outcome = match req.send().await {
                Ok(resp) => read_response(service, &method, resp).await,
                Err(e) => Err(Failure::Other(transport_error(service, &e))),
            };
            tracing::debug!(
                method = %method,
                path = %redact_path(url),
                ms = started.elapsed().as_millis() as u64,
                ok = outcome.is_ok(),
                "api call"
            );
            let err = match outcome {
                Ok(bytes) => return Ok(bytes),
                Err(e) => e,
            };
            match &err {
                Failure::Status { status: 401, .. } if !refreshed => {
                    refreshed = true;
                    continue;
                }
                Failure::Status {
                    status: 429,
                    retry_after,
                    ..
                } if throttled < policy.max_throttle_retries => {
                    let wait = retry_after.unwrap_or(Duration::from_secs(5));
                    if wait > policy.max_throttle_wait {
                        return Err(err.into_throttled(service, wait));
                    }
                    throttled += 1;
                    tracing::info!(
                        seconds = wait.as_secs_f32(),
                        "throttled (429); waiting for Retry-After"
                    );
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Failure::Status {
                    status: 429,
                    retry_after,
                    ..
                } => {
                    let wait = retry_after.unwrap_or(Duration::from_secs(5));
                    return Err(err.into_throttled(service, wait));
                }
                _ => {}
            }
            let api_err = err.into_api_error();
            if idempotent
                && api_err.is_transient()
                && let Some(delay) = backoff.next()
            {
                tracing::info!(error = %api_err, delay_ms = delay.as_millis() as u64, "retrying GET");
                tokio::time::sleep(delay).await;
                continue;
            }
            return Err(api_err);
        }
    }
}

enum Failure {
    Status {
        status: u16,
        retry_after: Option<Duration>,
        error: ApiError,
    },
    Other(ApiError),
}

impl Failure {
    fn into_api_error(self) -> ApiError {
        match self {
            Failure::Status { error, .. } | Failure::Other(error) => error,
        }
    }

    /// `Throttled`, keeping the 429's code and correlation id for the message.
    fn into_throttled(self, service: Service, retry_after: Duration) -> ApiError {
        let last = match self.into_api_error() {
            ApiError::Service(e) => Some(e),
            _ => None,
        };
        ApiError::Throttled {
            service,
            retry_after,
            last,
        }
    }
}

async fn read_response(
    service: Service,
    method: &Method,
    resp: reqwest::Response,
) -> Result<Vec<u8>, Failure> {
    let status = resp.status();
    let url = resp.url().to_string();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .map(|s| Duration::from_secs_f64(s.clamp(0.0, 86_400.0)));
    let request_id = resp
        .headers()
        .get("request-id")
        .or_else(|| resp.headers().get("x-ms-request-id"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| Failure::Other(transport_error(service, &e)))?;
    if status.is_success() {
        return Ok(bytes.to_vec());
    }
    let mut decoded = decode_error(service, status.as_u16(), &bytes, request_id);
    if status == StatusCode::FORBIDDEN {
        decoded.missing_permission =
            required_permission(method.as_str(), api_path(&url)).map(str::to_string);
    }
    Err(Failure::Status {
        status: status.as_u16(),
        retry_after,
        error: ApiError::Service(Box::new(decoded)),
    })
}

fn transport_error(service: Service, e: &reqwest::Error) -> ApiError {
    if e.is_timeout() {
        ApiError::Timeout { service }
    } else if e.is_decode() || e.is_body() {
        ApiError::Malformed {
            service,
            detail: format!("body could not be read: {}", root_cause(e)),
        }
    } else if e.is_connect() {
        ApiError::Network {
            service,
            detail: format!("connect failed: {}", root_cause(e)),
        }
    } else {
        ApiError::Network {
            service,
            detail: root_cause(e),
        }
    }
}

/// The innermost cause of a reqwest error, without the URL (which may carry a SAS signature).
fn root_cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    let text = source.to_string();
    match e.url() {
        Some(u) => text.replace(u.as_str(), "<url>"),
        None => text,
    }
}

pub(crate) fn service_of(resource: Resource) -> Service {
    match resource {
        Resource::Mde => Service::Mde,
        Resource::Graph => Service::Graph,
    }
}

fn parse_json<T: DeserializeOwned>(resource: Resource, bytes: &[u8]) -> Result<T, ApiError> {
    // Some answers wrap a string in extra quotes or come empty: let the caller's type decide.
    let slice = if bytes.is_empty() {
        b"null".as_slice()
    } else {
        bytes
    };
    serde_json::from_slice(slice).map_err(|e| ApiError::Malformed {
        service: service_of(resource),
        detail: explain_json_error(&e, bytes),
    })
}

/// Say what is wrong with a body in words an operator can act on: not JSON at all (a proxy
/// or gateway page, quoted briefly), cut short, or JSON of an unexpected shape.
fn explain_json_error(e: &serde_json::Error, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let start = text.trim_start();
    if !start.is_empty() && !start.starts_with(['{', '[', '"']) && e.is_syntax() {
        let first: String = start
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect();
        return format!("the body is not JSON; it begins with \"{first}\"");
    }
    if e.is_eof() {
        return format!("the body was cut short ({e})");
    }
    e.to_string()
}

#[derive(serde::Deserialize)]
struct PageEnvelope {
    #[serde(default)]
    value: Option<Vec<Box<RawValue>>>,
    #[serde(rename = "@odata.nextLink", default)]
    next_link: Option<String>,
}

fn parse_page(resource: Resource, bytes: &[u8]) -> Result<RawPage, ApiError> {
    let env: PageEnvelope = serde_json::from_slice(bytes).map_err(|e| ApiError::Malformed {
        service: service_of(resource),
        detail: format!("collection page: {}", explain_json_error(&e, bytes)),
    })?;
    let records = env.value.ok_or_else(|| ApiError::Malformed {
        service: service_of(resource),
        detail: String::from("collection page has no \"value\" array"),
    })?;
    Ok(RawPage {
        records,
        next_link: env.next_link.filter(|l| !l.is_empty()),
    })
}

/// The path part after `/api/` or `/v1.0/`, for budget classification.
fn api_path(url: &str) -> &str {
    for marker in ["/api/", "/v1.0/"] {
        if let Some(i) = url.find(marker) {
            return &url[i + marker.len()..];
        }
    }
    url
}

/// Drop the query string from a URL for logs (filters may hold user data).
fn redact_path(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// Add `$top=n` when the path has no `$top`; returns the path and the effective page size.
fn with_top(path: &str, n: usize) -> (String, usize) {
    if let Some(existing) = query_param(path, "$top") {
        let top = existing.parse().unwrap_or(n);
        return (path.to_string(), top);
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    (format!("{path}{sep}$top={n}"), n)
}

fn with_skip(path: &str, skip: usize) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}$skip={skip}")
}

fn query_param<'a>(path: &'a str, key: &str) -> Option<&'a str> {
    let query = path.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key || k == key.replace('$', "%24")).then_some(v)
    })
}

/// Percent-encode an OData query value (`$filter` expressions, search strings): spaces become
/// `%20` (not `+`), quotes and parentheses stay readable.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'\''
            | b'('
            | b')'
            | b','
            | b':'
            | b'$'
            | b'/'
            | b'@'
            | b'*' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Build `path?$filter=…&$top=…` from parts, encoding each value.
pub fn path_with_query(path: &str, params: &[(&str, Option<String>)]) -> String {
    let mut out = path.to_string();
    let mut first = !path.contains('?');
    for (k, v) in params {
        if let Some(v) = v {
            out.push(if first { '?' } else { '&' });
            first = false;
            out.push_str(k);
            out.push('=');
            out.push_str(&encode_query_value(v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_odata_filters_with_percent_twenty() {
        assert_eq!(
            path_with_query(
                "machines",
                &[
                    ("$filter", Some("riskScore eq 'High'".into())),
                    ("$top", None)
                ]
            ),
            "machines?$filter=riskScore%20eq%20'High'"
        );
        assert_eq!(encode_query_value("a&b+c#d"), "a%26b%2Bc%23d");
    }

    #[test]
    fn top_is_added_once() {
        assert_eq!(
            with_top("machines", 10),
            ("machines?$top=10".to_string(), 10)
        );
        assert_eq!(
            with_top("machines?$top=5", 10),
            ("machines?$top=5".to_string(), 5)
        );
        assert_eq!(with_top("a?$filter=x", 3).0, "a?$filter=x&$top=3");
    }

    #[test]
    fn api_path_strips_prefix() {
        assert_eq!(
            api_path("http://h/api/machines/1/isolate"),
            "machines/1/isolate"
        );
        assert_eq!(
            api_path("https://g/v1.0/security/incidents?$top=1"),
            "security/incidents?$top=1"
        );
    }
}
