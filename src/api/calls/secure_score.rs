//! Microsoft Secure Score through Graph: the daily snapshots (`$top=n` = the n most recent
//! days) and the control profiles they join with.

use super::{ListRequest, NO_TOP};
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::SecureScore;

/// `GET /v1.0/security/secureScores?$top={days}`, newest first; never pages further.
pub fn secure_scores(days: usize) -> ListRequest {
    let days = days.clamp(1, 90);
    ListRequest::new(
        Resource::Graph,
        "security/secureScores",
        &[("$top", Some(days.to_string()))],
        days,
    )
}

/// `GET /v1.0/security/secureScoreControlProfiles`, every page. No `$top`: real tenants have
/// ~290 controls over two pages, and a `$top` carried into the next link together with the
/// skip token has been answered with 400 "Query option 'SkipToken' is not allowed".
pub fn control_profiles() -> ListRequest {
    ListRequest::new(
        Resource::Graph,
        "security/secureScoreControlProfiles",
        &[],
        NO_TOP,
    )
}

/// The most recent snapshot, if the tenant has any.
pub async fn latest_secure_score(client: &Client) -> Result<Option<SecureScore>, ApiError> {
    let mut scores: Vec<SecureScore> = secure_scores(1).fetch(client, Some(1)).await?;
    Ok(if scores.is_empty() {
        None
    } else {
        Some(scores.swap_remove(0))
    })
}
