//! Reading an answer: status, Retry-After and request id, the error body decoded (with the
//! permission a 403 probably lacks), and JSON bodies and collection pages parsed with a
//! message a person can act on.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::cloud::Resource;
use crate::api::error::{ApiError, Service, decode_error};
use crate::api::permissions::required_permission_for;
use crate::api::query::api_path;

/// A page of a collection, records kept as raw JSON so they can be written out verbatim.
pub struct RawPage {
    pub records: Vec<Box<RawValue>>,
    pub next_link: Option<String>,
}

pub(crate) enum Failure {
    Status {
        status: u16,
        retry_after: Option<Duration>,
        error: ApiError,
    },
    Other(ApiError),
}

impl Failure {
    pub(crate) fn into_api_error(self) -> ApiError {
        match self {
            Failure::Status { error, .. } | Failure::Other(error) => error,
        }
    }

    /// `Throttled`, keeping the 429's code and correlation id for the message.
    pub(crate) fn into_throttled(self, service: Service, retry_after: Duration) -> ApiError {
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

/// Seconds from a `Retry-After` header given in seconds. `NaN` and infinities parse as an
/// `f64` but are no delay (and would panic in `Duration::from_secs_f64`), so they are ignored
/// like any other unreadable value.
fn retry_after_secs(header: &str) -> Option<f64> {
    header.trim().parse::<f64>().ok().filter(|s| s.is_finite())
}

pub(crate) async fn read_response(
    service: Service,
    method: &Method,
    mut resp: reqwest::Response,
    delegated: bool,
    max_body: usize,
) -> Result<Vec<u8>, Failure> {
    let status = resp.status();
    let url = resp.url().to_string();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry_after_secs)
        .map(|s| Duration::from_secs_f64(s.clamp(0.0, 86_400.0)));
    let request_id = resp
        .headers()
        .get("request-id")
        .or_else(|| resp.headers().get("x-ms-request-id"))
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = read_capped(service, &mut resp, max_body).await?;
    if status.is_success() {
        return Ok(bytes);
    }
    let mut decoded = decode_error(service, status.as_u16(), &bytes, request_id);
    if status == StatusCode::FORBIDDEN {
        decoded.missing_permission =
            required_permission_for(method.as_str(), api_path(&url), delegated).map(str::to_string);
    }
    Err(Failure::Status {
        status: status.as_u16(),
        retry_after,
        error: ApiError::Service(Box::new(decoded)),
    })
}

/// The body, chunk by chunk, refusing one larger than `max` bytes (by its Content-Length
/// before reading, or as it streams in): a hostile or broken server cannot make socops hold
/// gigabytes.
async fn read_capped(
    service: Service,
    resp: &mut reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, Failure> {
    let too_big = |resp: &reqwest::Response| {
        Failure::Other(ApiError::Malformed {
            service,
            detail: format!(
                "the answer from {} is larger than {}; stopped reading",
                host_label(resp.url()),
                size_label(max)
            ),
        })
    };
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(too_big(resp));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| Failure::Other(transport_error(service, &e)))?
    {
        if body.len() + chunk.len() > max {
            return Err(too_big(resp));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn size_label(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Classify a reqwest failure by whether the request can have reached the service: a
/// failure while connecting (refused, DNS, TLS, connect timeout) sent nothing; anything after
/// the connection was made (timeout waiting for the answer, reset, body cut short) may have
/// been acted on.
pub(crate) fn transport_error(service: Service, e: &reqwest::Error) -> ApiError {
    let host = e
        .url()
        .map(host_label)
        .unwrap_or_else(|| String::from("(unknown host)"));
    if e.is_connect() {
        ApiError::Network {
            service,
            host,
            detail: format!("connect failed: {}", root_cause(e)),
        }
    } else if e.is_timeout() {
        ApiError::Timeout { service, host }
    } else if e.is_decode() || e.is_body() {
        ApiError::Malformed {
            service,
            detail: format!("body from {host} could not be read: {}", root_cause(e)),
        }
    } else {
        ApiError::Interrupted {
            service,
            host,
            detail: root_cause(e),
        }
    }
}

/// `host` or `host:port` of a URL, for error messages (never the path or query, which may
/// carry a SAS signature).
pub(crate) fn host_label(u: &reqwest::Url) -> String {
    match (u.host_str(), u.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::from("(unknown host)"),
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

pub(crate) fn parse_json<T: DeserializeOwned>(
    resource: Resource,
    bytes: &[u8],
) -> Result<T, ApiError> {
    // An empty answer where a document was due is an error, never `null`: a caller that
    // expects no body uses `post_no_content` / `delete`.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::Malformed {
            service: service_of(resource),
            detail: String::from("the body was empty where a JSON document was expected"),
        });
    }
    serde_json::from_slice(bytes).map_err(|e| ApiError::Malformed {
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

pub(crate) fn parse_page(resource: Resource, bytes: &[u8]) -> Result<RawPage, ApiError> {
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
