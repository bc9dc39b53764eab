//! Devices: `GET /api/machines` (filterable) and one device by id or computer name.

use super::{ListRequest, MDE_PAGE, encode_segment};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::Machine;

/// `GET /api/machines?$filter=…` in pages of 10,000. A tenant with no recent machines
/// answers 404, which reads as an empty list: "If there are no recent machines, you see 404
/// Not Found" (https://learn.microsoft.com/en-us/defender-endpoint/api/get-machines).
pub fn machines(filter: Option<String>) -> ListRequest {
    ListRequest::new(Resource::Mde, "machines", &[("$filter", filter)], MDE_PAGE)
        .empty_when_not_found()
}

/// `GET /api/machines/{id}`; the service also accepts the computer name in place of the id.
pub async fn machine(client: &Client, id_or_name: &str) -> Result<Machine, ApiError> {
    client
        .get(
            Resource::Mde,
            &format!("machines/{}", encode_segment(id_or_name.trim())),
        )
        .await
}
