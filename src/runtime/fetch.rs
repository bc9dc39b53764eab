//! Turning a `ResourceKind` into API calls and a `Payload` (filled in once the typed calls land).

use crate::api::{ApiError, Client};
use crate::app::{Payload, ResourceKind};

/// Fetch one resource.
pub async fn fetch(_client: &Client, kind: ResourceKind) -> Result<Payload, ApiError> {
    Err(ApiError::Refused(format!("{} not wired yet", kind.label())))
}
