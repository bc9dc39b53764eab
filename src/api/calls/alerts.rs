//! Alerts: the MDE queue (`/api/alerts`, optionally with evidence), a device's alerts, one
//! alert by id, and Graph `alerts_v2`.

use super::{GRAPH_ALERTS_PAGE, ListRequest, MDE_PAGE, encode_segment};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::Alert;

/// `GET /api/alerts?$filter=…[&$expand=evidence]`.
pub fn alerts(filter: Option<String>, expand_evidence: bool) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "alerts",
        &[
            ("$filter", filter),
            ("$expand", expand_evidence.then(|| "evidence".to_string())),
        ],
        MDE_PAGE,
    )
}

/// `GET /api/machines/{id}/alerts`.
pub fn machine_alerts(machine_id: &str) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        &format!("machines/{}/alerts", encode_segment(machine_id.trim())),
        &[],
        MDE_PAGE,
    )
}

/// `GET /v1.0/security/alerts_v2?$filter=…` in pages of 1,000.
pub fn graph_alerts(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Graph,
        "security/alerts_v2",
        &[("$filter", filter)],
        GRAPH_ALERTS_PAGE,
    )
}

/// `GET /api/alerts/{id}` (evidence included).
pub async fn alert(client: &Client, id: &str) -> Result<Alert, ApiError> {
    client
        .get(
            Resource::Mde,
            &format!("alerts/{}", encode_segment(id.trim())),
        )
        .await
}
