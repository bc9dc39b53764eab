//! Responses: the per-family headers (MDE OData, Graph, Entra, blob) and error bodies shaped
//! exactly like each service's.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};

/// Which service a response imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Mde,
    Graph,
    Entra,
    Blob,
}

/// A response under construction.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub family: Family,
    pub body: Vec<u8>,
    pub content_type: Option<&'static str>,
    pub retry_after: Option<u64>,
}

impl Reply {
    /// A JSON body.
    pub fn json(family: Family, status: u16, v: &Value) -> Reply {
        Reply {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            family,
            body: serde_json::to_vec(v).unwrap_or_default(),
            content_type: None,
            retry_after: None,
        }
    }
    /// 200 with a JSON body.
    pub fn ok(family: Family, v: &Value) -> Reply {
        Reply::json(family, 200, v)
    }
    /// A body-less reply (204).
    pub fn empty(family: Family, status: u16) -> Reply {
        Reply {
            body: Vec::new(),
            ..Reply::json(family, status, &Value::Null)
        }
    }
    /// Raw bytes with a content type.
    pub fn bytes(family: Family, body: Vec<u8>, content_type: &'static str) -> Reply {
        Reply {
            status: StatusCode::OK,
            family,
            body,
            content_type: Some(content_type),
            retry_after: None,
        }
    }
    /// Adds `Retry-After`.
    pub(crate) fn with_retry_after(mut self, secs: u64) -> Reply {
        self.retry_after = Some(secs);
        self
    }

    /// Into an axum response with the family's headers.
    pub(crate) fn into_response(self) -> Response {
        let ct = self.content_type.unwrap_or(match self.family {
            Family::Mde => "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8",
            Family::Graph => "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
            Family::Entra => "application/json; charset=utf-8",
            Family::Blob => "application/octet-stream",
        });
        let mut r = Response::new(Body::from(self.body));
        *r.status_mut() = self.status;
        let h = r.headers_mut();
        if r_has_body(self.status) {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        if self.family == Family::Mde {
            h.insert("odata-version", HeaderValue::from_static("4.0"));
        }
        if let Some(s) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        let rid = uuid::Uuid::new_v4().to_string();
        if let Ok(v) = HeaderValue::from_str(&rid) {
            h.insert("request-id", v);
        }
        r
    }
}

fn r_has_body(s: StatusCode) -> bool {
    s != StatusCode::NO_CONTENT
}

/// An MDE error: `{"error":{"code","message","target"}}`.
pub(crate) fn mde_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::json(
        Family::Mde,
        status,
        &json!({"error": {"code": code, "message": message, "target": uuid::Uuid::new_v4().to_string()}}),
    )
}

/// A Graph error: `{"error":{"code","message","innerError":{date, request-id, client-request-id}}}`.
pub(crate) fn graph_error(status: u16, code: &str, message: &str) -> Reply {
    let rid = uuid::Uuid::new_v4().to_string();
    Reply::json(
        Family::Graph,
        status,
        &json!({"error": {"code": code, "message": message, "details": [],
        "innerError": {"date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(), "request-id": rid, "client-request-id": rid}}}),
    )
}

/// The family's error.
pub fn error(family: Family, status: u16, code: &str, message: &str) -> Reply {
    match family {
        Family::Graph => graph_error(status, code, message),
        _ => mde_error(status, code, message),
    }
}

/// An Entra ID error: `{"error","error_description":"AADSTSnnnn: …","error_codes",…}`.
pub fn entra_error(status: u16, error: &str, code: u32, text: &str) -> Reply {
    let now = Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
    let trace = uuid::Uuid::new_v4().to_string();
    let corr = uuid::Uuid::new_v4().to_string();
    Reply::json(
        Family::Entra,
        status,
        &json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {corr} Timestamp: {now}"),
            "error_codes": [code], "timestamp": now, "trace_id": trace, "correlation_id": corr,
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
        }),
    )
}
