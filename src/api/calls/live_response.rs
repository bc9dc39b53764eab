//! Live response and forensics reads: the script library, the investigation package link,
//! the result link of a live-response command, and a `RunScript` result behind its link.

use super::{ListRequest, MDE_PAGE, encode_segment, unquote_value};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::{ApiError, Service};
use crate::api::model::ScriptOutput;

/// `GET /api/libraryfiles`.
pub fn library_files() -> ListRequest {
    ListRequest::new(Resource::Mde, "libraryfiles", &[], MDE_PAGE)
}

/// `GET /api/machineactions/{id}/getPackageUri`: a short-lived SAS URL (404 until the
/// collection has finished; 2 calls a minute).
pub async fn package_uri(client: &Client, action_id: &str) -> Result<String, ApiError> {
    let path = format!(
        "machineactions/{}/getPackageUri",
        encode_segment(action_id.trim())
    );
    value_link(client, &path).await
}

/// `GET /api/machineactions/{id}/GetLiveResponseResultDownloadLink(index={n})`: a SAS URL
/// valid 30 minutes for the result of command `index` (0-based, request order).
pub async fn live_response_link(
    client: &Client,
    action_id: &str,
    index: usize,
) -> Result<String, ApiError> {
    let path = format!(
        "machineactions/{}/GetLiveResponseResultDownloadLink(index={index})",
        encode_segment(action_id.trim())
    );
    value_link(client, &path).await
}

/// Download and read a `RunScript` result from its SAS link (no bearer token is sent).
pub async fn script_output(client: &Client, sas_url: &str) -> Result<ScriptOutput, ApiError> {
    let bytes = client.download(sas_url).await?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError::Malformed {
        service: Service::Mde,
        detail: format!("script output: {e}"),
    })
}

async fn value_link(client: &Client, path: &str) -> Result<String, ApiError> {
    let v: serde_json::Value = client.get(Resource::Mde, path).await?;
    unquote_value(&v).ok_or_else(|| ApiError::Malformed {
        service: Service::Mde,
        detail: String::from("the answer holds no download link"),
    })
}
