//! Machine actions: the list (`/api/machineactions`, the history of manual responses) and
//! one action by id (what the poller reads until the action ends).

use super::{ListRequest, MDE_PAGE, encode_segment};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::MachineAction;

/// `GET /api/machineactions?$filter=…` (filterable on id, status, machineId, type,
/// requestor, creationDateTimeUtc).
pub fn machine_actions(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "machineactions",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}

/// `GET /api/machineactions/{id}`.
pub async fn machine_action(client: &Client, id: &str) -> Result<MachineAction, ApiError> {
    client
        .get(
            Resource::Mde,
            &format!("machineactions/{}", encode_segment(id.trim())),
        )
        .await
}
