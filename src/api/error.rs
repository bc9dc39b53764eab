//! Typed errors of the API layer: every failure of a Defender, Graph or Entra call ends here,
//! carrying Microsoft's code, message and correlation id so the console and the headless
//! commands can show what support will ask for.

use std::time::Duration;

use serde::Deserialize;

/// Which service answered (or failed to answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// Microsoft Defender for Endpoint API (`{mde}/api/...`).
    Mde,
    /// Microsoft Graph (`{graph}/v1.0/...`).
    Graph,
    /// Microsoft Entra ID token endpoints.
    Entra,
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Service::Mde => "Defender API",
            Service::Graph => "Microsoft Graph",
            Service::Entra => "Entra ID",
        })
    }
}

/// An error answered by a Microsoft service, decoded from its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub service: Service,
    pub status: u16,
    /// `error.code` (MDE/Graph) or `error` (Entra, e.g. `invalid_client`).
    pub code: String,
    /// `error.message` or `error_description`, trimmed to one line.
    pub message: String,
    /// MDE `error.target`, Graph `innerError.request-id`, Entra `correlation_id`.
    pub correlation_id: Option<String>,
    /// The `AADSTSnnnnn` code of an Entra error, when present.
    pub aadsts: Option<String>,
    /// On a 403, the permission that is probably missing for the call.
    pub missing_permission: Option<String>,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.service, self.status, self.code)?;
        if let Some(a) = &self.aadsts
            && !self.code.contains(a.as_str())
            && !self.message.contains(a.as_str())
        {
            write!(f, " {a}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(p) = &self.missing_permission {
            write!(f, " (probably missing permission {p})")?;
        }
        if let Some(c) = &self.correlation_id {
            write!(f, " [correlation {c}]")?;
        }
        Ok(())
    }
}

/// Every way an API call can fail.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The service answered with an error status and (usually) an error body.
    #[error("{0}")]
    Service(Box<ServiceError>),
    /// 429 that outlived our patience, or a client-side budget that is spent.
    #[error("throttled by {service}: retry after {}s{}", retry_after.as_secs(), throttle_detail(last))]
    Throttled {
        service: Service,
        retry_after: Duration,
        /// The service's last 429 answer (code, correlation id); `None` for a local budget.
        last: Option<Box<ServiceError>>,
    },
    /// No answer in time: the request was sent, so a write may have been performed.
    #[error("{service} at {host} did not answer in time")]
    Timeout { service: Service, host: String },
    /// The connection could not be made (refused, DNS, TLS handshake, connect timeout):
    /// nothing was sent.
    #[error("cannot reach {service} at {host}: {detail}")]
    Network {
        service: Service,
        host: String,
        detail: String,
    },
    /// The connection broke after the request was (or may have been) written: a write may
    /// have been performed. Never "cannot reach": the service may have acted on it.
    #[error("the connection to {service} at {host} broke after the request was sent: {detail}")]
    Interrupted {
        service: Service,
        host: String,
        detail: String,
    },
    /// The body could not be read as the expected JSON.
    #[error("{service} sent a response socops cannot read ({detail})")]
    Malformed { service: Service, detail: String },
    /// Credentials missing or unusable before any request was sent.
    #[error("sign-in: {0}")]
    Auth(String),
    /// The request was refused locally (read-only profile, offline, invalid input).
    #[error("{0}")]
    Refused(String),
}

impl ApiError {
    /// HTTP status of a service error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Service(e) => Some(e.status),
            _ => None,
        }
    }

    /// Microsoft's error code, when the service sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Service(e) => Some(e.code.as_str()),
            ApiError::Throttled { last: Some(e), .. } => Some(e.code.as_str()),
            _ => None,
        }
    }

    /// The correlation id to quote to Microsoft support.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            ApiError::Service(e) => e.correlation_id.as_deref(),
            ApiError::Throttled { last: Some(e), .. } => e.correlation_id.as_deref(),
            _ => None,
        }
    }

    /// Whether a GET may be retried: timeouts, network failures and 5xx.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            ApiError::Timeout { .. } | ApiError::Network { .. } | ApiError::Interrupted { .. } => {
                true
            }
            ApiError::Service(e) => e.status >= 500,
            _ => false,
        }
    }

    /// True when the outcome of a write is unknown: the request may have reached the service
    /// and been acted on. A timeout, a connection broken after the request was written, a 5xx,
    /// or an answer that could not be read (truncated, HTML, empty where an object was due).
    /// A connection that was never made (`Network`), a 4xx, a 429 and every local refusal
    /// mean the request was not performed.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            ApiError::Timeout { .. } | ApiError::Interrupted { .. } => true,
            ApiError::Service(e) => e.status >= 500,
            ApiError::Malformed { service, .. } => *service != Service::Entra,
            ApiError::Network { .. }
            | ApiError::Throttled { .. }
            | ApiError::Auth(_)
            | ApiError::Refused(_) => false,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: Option<serde_json::Value>,
    error_description: Option<String>,
    error_codes: Option<Vec<i64>>,
    correlation_id: Option<String>,
}

/// Decode an error body of any of the three services. Never fails: an unreadable body
/// becomes a code from the status and a message from the first line of the body.
pub(crate) fn decode_error(
    service: Service,
    status: u16,
    body: &[u8],
    header_request_id: Option<String>,
) -> ServiceError {
    let mut out = ServiceError {
        service,
        status,
        code: default_code(status).to_string(),
        message: String::new(),
        correlation_id: header_request_id,
        aadsts: None,
        missing_permission: None,
    };
    match serde_json::from_slice::<ErrorEnvelope>(body) {
        Ok(env) => match env.error {
            // MDE / Graph: {"error": {"code", "message", "target" | "innerError": {"request-id"}}}
            Some(serde_json::Value::Object(obj)) => {
                if let Some(c) = obj.get("code").and_then(|v| v.as_str()) {
                    out.code = c.to_string();
                }
                if let Some(m) = obj.get("message").and_then(|v| v.as_str()) {
                    out.message = one_line(m);
                }
                let inner = obj
                    .get("innerError")
                    .or_else(|| obj.get("innererror"))
                    .and_then(|v| v.as_object());
                let corr = obj.get("target").and_then(|v| v.as_str()).or_else(|| {
                    inner
                        .and_then(|i| i.get("request-id"))
                        .and_then(|v| v.as_str())
                });
                if let Some(c) = corr {
                    out.correlation_id = Some(c.to_string());
                }
            }
            // Entra: {"error": "invalid_client", "error_description": "AADSTS7000215: …"}
            Some(serde_json::Value::String(code)) => {
                out.code = code;
                if let Some(d) = env.error_description {
                    out.aadsts = aadsts_code(&d);
                    out.message = one_line(&d);
                }
                if out.aadsts.is_none() {
                    out.aadsts = env
                        .error_codes
                        .and_then(|c| c.first().copied())
                        .map(|n| format!("AADSTS{n}"));
                }
                if let Some(c) = env.correlation_id {
                    out.correlation_id = Some(c);
                }
            }
            _ => out.message = body_excerpt(body),
        },
        Err(_) => out.message = body_excerpt(body),
    }
    out
}

/// ` (TooManyRequests [correlation …])` after a throttling message, when the service said so.
fn throttle_detail(last: &Option<Box<ServiceError>>) -> String {
    let Some(e) = last else {
        return String::new();
    };
    match &e.correlation_id {
        Some(c) => format!(" ({} [correlation {c}])", e.code),
        None => format!(" ({})", e.code),
    }
}

fn default_code(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        429 => "TooManyRequests",
        500..=599 => "InternalServerError",
        _ => "HttpError",
    }
}

fn aadsts_code(text: &str) -> Option<String> {
    let start = text.find("AADSTS")?;
    let digits: String = text[start + 6..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (!digits.is_empty()).then(|| format!("AADSTS{digits}"))
}

fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    truncate_chars(line, 300)
}

fn body_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let line = one_line(&text);
    if line.is_empty() {
        String::from("(empty body)")
    } else {
        line
    }
}

/// Cut a string to at most `max` characters, on a character boundary, with an ellipsis.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_mde_error_with_target() {
        let body = br#"{"error":{"code":"ResourceNotFound","message":"Machine 123 was not found","target":"43f4cb08-aaaa"}}"#;
        let e = decode_error(Service::Mde, 404, body, None);
        assert_eq!(e.code, "ResourceNotFound");
        assert_eq!(e.message, "Machine 123 was not found");
        assert_eq!(e.correlation_id.as_deref(), Some("43f4cb08-aaaa"));
    }

    #[test]
    fn decodes_graph_error_with_request_id() {
        let body = br#"{"error":{"code":"BadRequest","message":"The limit of '50' for Top query has been exceeded.","innerError":{"date":"2026-01-01T00:00:00","request-id":"rid-1","client-request-id":"c-1"}}}"#;
        let e = decode_error(Service::Graph, 400, body, None);
        assert_eq!(e.code, "BadRequest");
        assert_eq!(e.correlation_id.as_deref(), Some("rid-1"));
    }

    #[test]
    fn decodes_entra_error_with_aadsts() {
        let body = br#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided.\r\nTrace ID: x","error_codes":[7000215],"correlation_id":"corr-9"}"#;
        let e = decode_error(Service::Entra, 401, body, None);
        assert_eq!(e.code, "invalid_client");
        assert_eq!(e.aadsts.as_deref(), Some("AADSTS7000215"));
        assert_eq!(e.correlation_id.as_deref(), Some("corr-9"));
        assert!(!e.message.contains('\n'));
    }

    #[test]
    fn garbage_body_keeps_status_code() {
        let e = decode_error(Service::Mde, 502, b"<html>Bad gateway</html>", None);
        assert_eq!(e.code, "InternalServerError");
        assert!(e.message.contains("Bad gateway"));
    }
}
