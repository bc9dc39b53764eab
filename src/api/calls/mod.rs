//! Typed calls over [`Client`]: one file per noun. Collections are described by a
//! [`ListRequest`] (resource, path with its OData query, page size) so the same description
//! serves typed fetching, raw export and the dry-run view; single reads and the response
//! actions ([`ActionRequest`]) are plain async functions and values.

pub mod actions;
pub mod alerts;
pub mod device_av;
pub mod incidents;
pub mod indicators;
pub mod investigations;
pub mod lenient;
pub mod live_response;
pub mod live_response_command;
pub mod machine_actions;
pub mod machines;
pub mod odata;
pub mod secure_score;
pub mod triage;
pub mod tvm;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::client::{Client, path_with_query};
use crate::api::cloud::Resource;
use crate::api::error::ApiError;

pub use actions::{ActionOutcome, ActionRequest};
pub use alerts::{alert, alerts, graph_alerts, machine_alerts};
pub use device_av::device_av_info;
pub use incidents::{incident, incidents};
pub use indicators::indicators;
pub use investigations::{investigation, investigations};
pub use lenient::{LenientPages, Skipped, type_leniently};
pub use live_response::{library_files, live_response_link, package_uri, script_output};
pub use live_response_command::LiveResponseCommandRequest;
pub use machine_actions::{machine_action, machine_actions};
pub use machines::{machine, machines};
pub use secure_score::{control_profiles, latest_secure_score, secure_scores};
pub use triage::{Assignee, TriageChange, TriageEntity, TriageStatus, TriageView};
pub use tvm::{
    configuration_score, exposure_by_group, exposure_score, recommendation_machines,
    recommendations, remediation_tasks, vulnerabilities,
};

/// Largest MDE page (`$top` ≤ 10,000 on most lists).
pub const MDE_PAGE: usize = 10_000;
/// Largest vulnerabilities page.
pub(crate) const VULNERABILITIES_PAGE: usize = 8_000;
/// Largest Graph incidents page (`$top=100` is a 400).
pub(crate) const GRAPH_INCIDENTS_PAGE: usize = 50;
/// Graph alerts_v2 page.
pub(crate) const GRAPH_ALERTS_PAGE: usize = 1_000;
/// Send no `$top` at all: the service picks its page and the walk follows
/// `@odata.nextLink` only (secureScoreControlProfiles refuses `$top` next to its skip token).
pub(crate) const NO_TOP: usize = 0;

/// A collection read: which API family, the path (with `$filter`/`$expand`, never `$top`
/// unless the caller wants a hard cap), and the page size sent as `$top`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRequest {
    pub resource: Resource,
    pub path: String,
    pub page_size: usize,
    /// A 404 on the first page means "nothing there" (`GET /api/machines` answers 404 when
    /// the tenant has no recent machines), not a failure.
    pub not_found_is_empty: bool,
}

impl ListRequest {
    /// Build from a base path and OData options (`None` options are left out).
    pub fn new(
        resource: Resource,
        base: &str,
        params: &[(&str, Option<String>)],
        page_size: usize,
    ) -> Self {
        ListRequest {
            resource,
            path: path_with_query(base, params),
            page_size,
            not_found_is_empty: false,
        }
    }

    /// Read a 404 on the first page as an empty collection.
    pub(crate) fn empty_when_not_found(mut self) -> Self {
        self.not_found_is_empty = true;
        self
    }

    /// Every record (up to `limit`), typed.
    pub async fn fetch<T: DeserializeOwned>(
        &self,
        client: &Client,
        limit: Option<usize>,
    ) -> Result<Vec<T>, ApiError> {
        if !self.not_found_is_empty {
            return client
                .list(self.resource, &self.path, self.page_size, self.cap(limit))
                .await;
        }
        let mut raw: Vec<Box<RawValue>> = Vec::new();
        self.for_each_raw(client, limit, |page| {
            raw.extend(page);
            Ok(())
        })
        .await?;
        raw.iter()
            .enumerate()
            .map(|(i, r)| {
                serde_json::from_str::<T>(r.get()).map_err(|e| ApiError::Malformed {
                    service: crate::api::response::service_of(self.resource),
                    detail: format!("record {} of {}: {e}", i + 1, self.path),
                })
            })
            .collect()
    }

    /// Walk the pages as raw JSON records (for verbatim export). Returns the record count.
    pub async fn for_each_raw<F>(
        &self,
        client: &Client,
        limit: Option<usize>,
        on_page: F,
    ) -> Result<usize, ApiError>
    where
        F: FnMut(Vec<Box<RawValue>>) -> Result<(), ApiError>,
    {
        let mut on_page = on_page;
        let mut pages = 0usize;
        let walked = client
            .for_each_page(
                self.resource,
                &self.path,
                self.page_size,
                self.cap(limit),
                |page| {
                    pages += 1;
                    on_page(page)
                },
            )
            .await;
        match walked {
            // Only the first page: a 404 after records arrived is a real failure.
            Err(e) if self.not_found_is_empty && pages == 0 && e.is_not_found() => Ok(0),
            other => other,
        }
    }

    /// An explicit `$top` in the path is a hard cap (secure scores: `$top=n` = n days), so
    /// paging does not go on with `$skip` after a full page.
    fn cap(&self, limit: Option<usize>) -> Option<usize> {
        let explicit = self
            .path
            .split_once('?')
            .and_then(|(_, q)| {
                q.split('&')
                    .find_map(|kv| kv.strip_prefix("$top=").or(kv.strip_prefix("%24top=")))
            })
            .and_then(|v| v.parse::<usize>().ok());
        match (limit, explicit) {
            (Some(l), Some(e)) => Some(l.min(e)),
            (l, e) => l.or(e),
        }
    }
}

/// Whether `segment` is one a URL parser removes or climbs with: `.` or `..`, spelled with
/// dots or `%2e` (the URL Standard's single- and double-dot path segments,
/// https://url.spec.whatwg.org/#single-dot-path-segment).
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase().replace("%2e", ".");
    s == "." || s == ".."
}

/// Percent-encode one path segment (an id or a computer name): everything but unreserved
/// characters, so `/`, `?`, `#`, `%` and spaces cannot change the request. A dot segment
/// (`.`, `..`) would still be removed or climbed by the URL parser, turning
/// `recommendations/../machineReferences` into `/api/machineReferences`; its dots are sent
/// as `%252E`, an id no record has, so the service answers for that id (404) and the path
/// keeps its shape. Writes refuse such an id before this (`ActionRequest::validate`).
pub(crate) fn encode_segment(segment: &str) -> String {
    if is_dot_segment(segment) {
        return "%252E".repeat(segment.matches('.').count().max(1));
    }
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The `value` of an `{"value": "<url>"}` answer, with stray surrounding quotes removed (a
/// doc example wraps the URL in extra quotes).
pub(crate) fn unquote_value(v: &serde_json::Value) -> Option<String> {
    let s = match v {
        serde_json::Value::String(s) => s.as_str(),
        serde_json::Value::Object(o) => o.get("value")?.as_str()?,
        _ => return None,
    };
    let t = s.trim().trim_matches('"').trim();
    (!t.is_empty()).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("pc-01.contoso.local"), "pc-01.contoso.local");
        assert_eq!(encode_segment("a/b c?"), "a%2Fb%20c%3F");
    }

    #[test]
    fn a_dot_segment_keeps_the_path_shape() {
        // Parsed as a URL, the path still ends where it was built to end.
        for id in [".", "..", "%2e", ".%2E", "%2e%2e"] {
            let url = format!(
                "https://api.securitycenter.microsoft.com/api/recommendations/{}/machineReferences",
                encode_segment(id)
            );
            let parsed = reqwest::Url::parse(&url).unwrap();
            let segments: Vec<&str> = parsed.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 4, "{id}: {parsed}");
            assert_eq!(segments[1], "recommendations", "{id}: {parsed}");
            assert_eq!(segments[3], "machineReferences", "{id}: {parsed}");
        }
        assert_eq!(encode_segment("..a"), "..a");
    }

    #[test]
    fn explicit_top_caps_the_walk() {
        let r = ListRequest::new(Resource::Graph, "security/secureScores?$top=7", &[], 7);
        assert_eq!(r.cap(None), Some(7));
        assert_eq!(r.cap(Some(3)), Some(3));
        let m = ListRequest::new(Resource::Mde, "machines", &[], MDE_PAGE);
        assert_eq!(m.cap(None), None);
    }

    #[test]
    fn value_links_lose_extra_quotes() {
        let v = serde_json::json!({"value": "\"https://x/y?sig=1\""});
        assert_eq!(unquote_value(&v).as_deref(), Some("https://x/y?sig=1"));
    }
}
