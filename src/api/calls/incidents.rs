//! Incidents through Microsoft Graph (`/security/incidents`), 50 per page; alerts are
//! expanded only on request because `$expand=alerts` with a filter can fail on large tenants.

use super::{GRAPH_INCIDENTS_PAGE, ListRequest, encode_segment};
use crate::api::client::{Client, path_with_query};
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::Incident;

fn expand(expand_alerts: bool) -> Option<String> {
    expand_alerts.then(|| "alerts".to_string())
}

/// `GET /v1.0/security/incidents?$filter=…[&$expand=alerts]`.
pub fn incidents(filter: Option<String>, expand_alerts: bool) -> ListRequest {
    ListRequest::new(
        Resource::Graph,
        "security/incidents",
        &[("$filter", filter), ("$expand", expand(expand_alerts))],
        GRAPH_INCIDENTS_PAGE,
    )
}

/// `GET /v1.0/security/incidents/{id}[?$expand=alerts]`.
pub async fn incident(
    client: &Client,
    id: &str,
    expand_alerts: bool,
) -> Result<Incident, ApiError> {
    let path = path_with_query(
        &format!("security/incidents/{}", encode_segment(id.trim())),
        &[("$expand", expand(expand_alerts))],
    );
    client.get(Resource::Graph, &path).await
}
