//! Indicators: the list (`/api/indicators`). Creating and deleting are
//! [`super::ActionRequest`]s because they change the tenant.

use super::{ListRequest, MDE_PAGE};
use crate::api::cloud::Resource;

/// `GET /api/indicators?$filter=…`.
pub fn indicators(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "indicators",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}
