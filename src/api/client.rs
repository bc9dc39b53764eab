//! The transport: one client per tenant over the process-wide HTTP client. It attaches the
//! token of the API family, spends the client-side budget, honours 429 Retry-After, retries
//! GETs on 5xx and timeouts with jittered backoff, refreshes the token once on a 401, and turns every
//! failure into an [`ApiError`]. Paging lives in `paging.rs`, response decoding in
//! `response.rs`, query strings in `query.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::auth::TokenSource;
use crate::api::budget::{Budgets, Family, MAX_BUDGET_WAIT, Priority, Usage};
use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::{ApiError, Service, decode_error};
use crate::api::http;
use crate::api::query::{api_path, redact_path};
use crate::api::response::{Failure, parse_json, read_response, service_of, transport_error};

pub use crate::api::query::{encode_query_value, path_with_query};
pub use crate::api::response::RawPage;

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
    /// Largest answer body read; a bigger one is an error naming the host, never a process
    /// that eats the jump box's memory.
    pub max_body: usize,
}

/// 256 MiB: a full page of 10,000 devices with long tag lists is well under 100 MiB.
pub(crate) const MAX_BODY: usize = 256 << 20;

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_throttle_wait: Duration::from_secs(60),
            max_throttle_retries: 3,
            // A stalled service is reported within 30 s, naming the host (issue: 245 s of
            // silence before). A timed-out GET is not retried: the service stalled.
            timeout: Duration::from_secs(30),
            max_body: MAX_BODY,
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
            max_body: MAX_BODY,
        }
    }
}

struct Inner {
    http: reqwest::Client,
    endpoints: Endpoints,
    tokens: Arc<dyn TokenSource>,
    budgets: Budgets,
    retry: RetryPolicy,
    /// The service's clock as last seen: the `Date` header of the latest answer and the local
    /// instant it arrived. Used to bound look-ups after an ambiguous write by the service's
    /// time, so a skewed local clock cannot make an older action look new.
    server_clock: std::sync::Mutex<Option<(chrono::DateTime<chrono::Utc>, Instant)>>,
}

/// A client for one tenant. Cheap to clone; clones share budgets and tokens.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// Whose work this handle sends: background handles (tracking, refresh) leave the
    /// reserved part of every budget to the analyst.
    priority: Priority,
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
                server_clock: std::sync::Mutex::new(None),
            }),
            priority: Priority::Interactive,
        }
    }

    /// The same tenant and budgets, for background work (tracking, periodic refresh): it
    /// never takes the headroom reserved for the analyst's own actions and yields to them.
    pub fn background(&self) -> Client {
        Client {
            inner: self.inner.clone(),
            priority: Priority::Background,
        }
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Who acts, as the token source knows it.
    pub fn operator(&self) -> String {
        self.inner.tokens.operator()
    }

    /// The service's time at the local instant `at`, from the `Date` header of the latest
    /// answer (second resolution, so up to a second early). `None` before any answer carried
    /// a `Date`.
    pub(crate) fn server_time_at(&self, at: Instant) -> Option<chrono::DateTime<chrono::Utc>> {
        let seen = *self
            .inner
            .server_clock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (date, received) = seen?;
        let delta = if at >= received {
            chrono::Duration::from_std(at - received).ok()?
        } else {
            -chrono::Duration::from_std(received - at).ok()?
        };
        Some(date + delta)
    }

    fn note_server_date(&self, resp: &reqwest::Response) {
        let date = resp
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok());
        if let Some(d) = date {
            *self
                .inner
                .server_clock
                .lock()
                .unwrap_or_else(|p| p.into_inner()) =
                Some((d.with_timezone(&chrono::Utc), Instant::now()));
        }
    }

    /// The meter: every request this tenant's client sent in the last minute (every family,
    /// every page and retry, and its sign-in requests), against the MDE per-minute limit.
    pub fn budget_usage(&self) -> Usage {
        let token_url = self.inner.endpoints.token_url();
        Usage {
            used_last_minute: self.inner.budgets.sent_last_minute()
                + http::token_requests_last_minute(&token_url),
            per_minute: Family::Mde.limits().0,
        }
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

    /// POST a JSON body and read the JSON answer. Never retried blindly: only a 429 (not
    /// processed) or a 401 (refreshed token) is sent again. Writes are the api layer's own:
    /// everything else sends a change through `api::dispatch`.
    pub(in crate::api) async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        resource: Resource,
        path: &str,
        body: &B,
    ) -> Result<T, ApiError> {
        let bytes = self.post_raw(resource, path, body).await?;
        parse_json(resource, &bytes)
    }

    /// POST where the service answers with an empty body (200/204).
    #[allow(dead_code)]
    pub(in crate::api) async fn post_no_content<B: Serialize + ?Sized>(
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

    /// PATCH a JSON body (through `api::dispatch` only).
    #[allow(dead_code)]
    pub(in crate::api) async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(
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

    /// DELETE (204 expected; through `api::dispatch` only).
    pub(in crate::api) async fn delete(
        &self,
        resource: Resource,
        path: &str,
    ) -> Result<(), ApiError> {
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

    /// The one place a request is sent: budget, token, retry, 429, 401.
    pub(in crate::api) async fn send(
        &self,
        method: Method,
        resource: Resource,
        url: &str,
        body: Option<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Vec<u8>, ApiError> {
        let service = service_of(resource);
        // The bearer token never goes over plain http to another machine.
        url::Url::parse(url)
            .map_err(|e| e.to_string())
            .and_then(|u| crate::api::cloud::check_request_url(&u))
            .map_err(|e| ApiError::Refused(format!("not sent to {}: {e}", redact_path(url))))?;
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
                .acquire(
                    family,
                    self.priority,
                    MAX_BUDGET_WAIT.min(policy.max_throttle_wait),
                )
                .await
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
                req = req.header(
                    "Prefer",
                    crate::api::model::graph_enums::PREFER_UNKNOWN_ENUM_MEMBERS,
                );
            }
            if let Some(b) = &body {
                req = req
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(b.clone());
            }
            let started = std::time::Instant::now();
            self.inner.budgets.note_sent();
            let outcome = match req.send().await {
                Ok(resp) => {
                    self.note_server_date(&resp);
                    let delegated = self.inner.tokens.delegated();
                    read_response(service, &method, resp, delegated, policy.max_body).await
                }
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
                && !matches!(api_err, ApiError::Timeout { .. })
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
