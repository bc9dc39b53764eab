//! Vulnerability management: exposure and configuration scores, recommendations (and the
//! devices they concern), vulnerabilities and remediation activities.

use super::{ListRequest, MDE_PAGE, VULNERABILITIES_PAGE, encode_segment};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::{ConfigurationScore, ExposureScore};

/// `GET /api/recommendations?$filter=…`.
pub fn recommendations(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "recommendations",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}

/// `GET /api/recommendations/{id}/machineReferences` (rows parse as `Machine`).
pub fn recommendation_machines(id: &str) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        &format!(
            "recommendations/{}/machineReferences",
            encode_segment(id.trim())
        ),
        &[],
        MDE_PAGE,
    )
}

/// `GET /api/vulnerabilities?$filter=…` in pages of 8,000.
pub fn vulnerabilities(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "vulnerabilities",
        &[("$filter", filter)],
        VULNERABILITIES_PAGE,
    )
}

/// `GET /api/remediationTasks?$filter=…`.
pub fn remediation_tasks(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "remediationTasks",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}

/// `GET /api/exposureScore/ByMachineGroups` (rows are `GroupExposureScore`).
pub fn exposure_by_group() -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "exposureScore/ByMachineGroups",
        &[],
        MDE_PAGE,
    )
}

/// `GET /api/exposureScore`.
pub async fn exposure_score(client: &Client) -> Result<ExposureScore, ApiError> {
    client.get(Resource::Mde, "exposureScore").await
}

/// `GET /api/configurationScore` (Secure Score for Devices).
pub async fn configuration_score(client: &Client) -> Result<ConfigurationScore, ApiError> {
    client.get(Resource::Mde, "configurationScore").await
}
