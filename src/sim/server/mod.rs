//! The simulator's HTTP front: one axum fallback handler that routes by path family (MDE
//! `/api`, Graph `/v1.0`, Entra `/{tenant}/oauth2/v2.0/…`, SAS blobs, `/_sim` control), applies
//! faults, bearer checks and rate limits, and shapes every answer like the real service.

pub mod auth;
pub mod blob;
pub mod body;
pub mod entra;
pub mod faults;
pub mod graph;
pub mod graph_controls;
pub mod graph_triage;
pub mod limits;
pub mod mde;
pub mod mde_actions;
pub mod mde_device;
pub mod mde_indicators;
pub mod mde_links;
pub mod mde_lists;
pub mod mde_related;
pub mod mde_tvm;
pub mod odata;
pub mod paging;
pub mod query;
pub mod reply;
pub mod triage;

use crate::sim::clock::Clock;
use crate::sim::tenant::Tenant;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use faults::{Fault, FaultRequest, Faults};
use limits::Limits;
use reply::{Family, Reply, error};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// Shared server state.
pub struct SimState {
    pub tenant: RwLock<Tenant>,
    pub clock: Clock,
    pub faults: Arc<Faults>,
    pub limits: Mutex<Limits>,
    pub rate_limits: bool,
    pub base_url: String,
    pub tenant_id: String,
    pub seed: u64,
    /// The tenant's licence: actions outside it are refused (403).
    pub plan: crate::api::plan::Plan,
    /// Device codes handed out and how they have been polled.
    pub device_codes: Mutex<HashMap<String, entra::DeviceCode>>,
    /// Counter for ids of things created at run time.
    pub counter: Mutex<u64>,
    /// The application permissions the simulated app was granted (`None`: all of them).
    pub roles: RwLock<Option<Vec<String>>>,
}

/// A parsed request.
pub struct Req {
    pub method: Method,
    pub path: String,
    pub segs: Vec<String>,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    /// A query option by case-insensitive name.
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

/// The router: everything goes through one dispatcher.
pub(crate) fn router(state: Arc<SimState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Every answer carries `Date` from the simulated clock, as the service's answers carry its
/// own time: a client bounds look-ups by the service's clock, never its own.
async fn handle(
    st: State<Arc<SimState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let now = st.clock.now();
    let mut resp = route(st, method, uri, headers, body).await;
    if let Ok(v) =
        axum::http::HeaderValue::from_str(&now.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
    {
        resp.headers_mut().insert(axum::http::header::DATE, v);
    }
    resp
}

async fn route(
    State(st): State<Arc<SimState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect();
    let query: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let req = Req {
        method,
        path,
        segs,
        query,
        headers,
        body,
    };
    let family = match req.segs.first().map(String::as_str) {
        Some("api") => Some(Family::Mde),
        Some("v1.0") => Some(Family::Graph),
        _ => None,
    };
    if req.segs.first().map(String::as_str) == Some("_sim") {
        return control(&st, &req).into_response();
    }
    let latency = st.faults.latency_ms();
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let Some(family) = family else {
        let reply = if req.segs.get(1).map(String::as_str) == Some("oauth2") {
            entra::handle(&st, &req)
        } else if req.segs.first().map(String::as_str) == Some("sim-blob") {
            blob::handle(&st, &req)
        } else {
            error(
                Family::Mde,
                404,
                "NotFound",
                "The requested resource was not found",
            )
        };
        return reply.into_response();
    };
    api(&st, &req, family).into_response()
}

fn api(st: &SimState, req: &Req, family: Family) -> Reply {
    match st.faults.before() {
        Some(Fault::Expired) => return unauthorized(family, "The access token has expired."),
        Some(Fault::Fail {
            status,
            retry_after,
        }) => {
            let r = if status == 429 {
                error(
                    family,
                    429,
                    "TooManyRequests",
                    "Too many requests. Retry later.",
                )
            } else {
                error(
                    family,
                    status,
                    "InternalServerError",
                    "An internal server error occurred. Please retry later.",
                )
            };
            return if status == 429 {
                r.with_retry_after(retry_after)
            } else {
                r
            };
        }
        _ => {}
    }
    let token = req
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let bearer = token
        .strip_prefix("Bearer ")
        .or_else(|| token.strip_prefix("bearer "))
        .unwrap_or("")
        .trim();
    if bearer.is_empty() {
        return unauthorized(
            family,
            if family == Family::Graph {
                "Access token is empty."
            } else {
                "Authorization header is missing or invalid."
            },
        );
    }
    if let Err(reply) = auth::check(st, req, family, bearer) {
        return reply;
    }
    let limit = match family {
        Family::Graph => limits::GRAPH,
        _ => mde::limit_for(req),
    };
    if st.rate_limits {
        let check = st
            .limits
            .lock()
            .map(|mut l| l.check(limit, Instant::now()))
            .unwrap_or(Ok(()));
        if let Err(wait) = check {
            return error(
                family,
                429,
                "TooManyRequests",
                &format!("Rate limit is exceeded. Try again in {wait} seconds."),
            )
            .with_retry_after(wait);
        }
    }
    let mut reply = match family {
        Family::Graph => graph::handle(st, req),
        _ => mde::handle(st, req),
    };
    match st.faults.after() {
        Some(Fault::Truncate) if !reply.body.is_empty() => {
            let cut = reply.body.len() / 2;
            reply.body.truncate(cut.max(1));
        }
        Some(Fault::Empty) => reply.body.clear(),
        Some(Fault::Malformed) => {
            reply.body =
                b"<html><body>Upstream gateway returned an invalid response</body>{\"value\": ["
                    .to_vec();
        }
        _ => {}
    }
    reply
}

fn unauthorized(family: Family, message: &str) -> Reply {
    match family {
        Family::Graph => error(family, 401, "InvalidAuthenticationToken", message),
        _ => error(family, 401, "Unauthorized", message),
    }
}

fn control(st: &SimState, req: &Req) -> Reply {
    if req.method != Method::POST || req.segs.get(1).map(String::as_str) != Some("faults") {
        return error(
            Family::Mde,
            404,
            "NotFound",
            "Unknown simulator control path",
        );
    }
    match serde_json::from_slice::<FaultRequest>(&req.body) {
        Ok(f) => {
            st.faults.apply(&f);
            Reply::empty(Family::Mde, 204)
        }
        Err(e) => error(
            Family::Mde,
            400,
            "InvalidRequestBody",
            &format!("Invalid fault request: {e}"),
        ),
    }
}

impl SimState {
    /// Sets the application permissions the simulated app is granted.
    pub fn grant_roles(&self, roles: Option<Vec<String>>) {
        if let Ok(mut r) = self.roles.write() {
            *r = roles;
        }
    }

    /// A fresh id number for run-time created things.
    pub(crate) fn next_counter(&self) -> u64 {
        self.counter
            .lock()
            .map(|mut c| {
                *c += 1;
                *c
            })
            .unwrap_or(0)
    }
}
