//! Automated investigations: the list (pending approvals live here) and one by id.

use super::{ListRequest, MDE_PAGE, encode_segment};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::Investigation;

/// `GET /api/investigations?$filter=…` (e.g. `state eq 'PendingApproval'`).
pub fn investigations(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "investigations",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}

/// `GET /api/investigations/{id}` (the id or the triggering alert id).
pub async fn investigation(client: &Client, id: &str) -> Result<Investigation, ApiError> {
    client
        .get(
            Resource::Mde,
            &format!("investigations/{}", encode_segment(id.trim())),
        )
        .await
}
