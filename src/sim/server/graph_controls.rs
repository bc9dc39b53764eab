//! `GET /v1.0/security/secureScoreControlProfiles`, paged with `$skiptoken` like the service.
//!
//! Real tenants have ~290 controls that come over two pages (~250 first). The service's next
//! link repeats the query of the first request; with a `$top` in it, the second page has
//! been reported to fail with 400 "Query option 'SkipToken' is not allowed" — so a client
//! must send no `$top` and follow `@odata.nextLink`. The demo tenant has a handful of
//! controls, so it pages at [`CONTROL_PAGE`] to take the same path.

use super::paging::envelope;
use super::reply::{Family, Reply, graph_error};
use super::{Req, SimState};
use crate::sim::tenant::scores;

/// Controls per page of the simulated tenant.
pub(crate) const CONTROL_PAGE: usize = 4;

/// The Graph error for `$top` together with `$skiptoken`.
pub(crate) const SKIPTOKEN_NOT_ALLOWED: &str = "Query option 'SkipToken' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.";

/// One page of control profiles.
pub fn control_profiles(st: &SimState, req: &Req) -> Reply {
    let token = req.q("$skiptoken");
    let top = req.q("$top");
    if token.is_some() && top.is_some() {
        return graph_error(400, "BadRequest", SKIPTOKEN_NOT_ALLOWED);
    }
    let skip = match token.map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return graph_error(400, "BadRequest", "The skip token is not valid."),
    };
    let size = match top.map(str::parse::<usize>) {
        None => CONTROL_PAGE,
        Some(Ok(n)) => n.min(CONTROL_PAGE),
        Some(Err(_)) => {
            return graph_error(400, "BadRequest", "Invalid value for query option $top.");
        }
    };
    let all = scores::control_profiles(&st.tenant_id, st.clock.anchor());
    let end = skip.saturating_add(size).min(all.len());
    let page: Vec<_> = all.get(skip.min(all.len())..end).unwrap_or(&[]).to_vec();
    let next = (end < all.len()).then(|| {
        // The next link keeps the first request's options and adds the skip token.
        let mut q: Vec<String> = req
            .query
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("$skiptoken"))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        q.push(format!("$skiptoken={end}"));
        format!("{}{}?{}", st.base_url, req.path, q.join("&"))
    });
    Reply::ok(
        Family::Graph,
        &envelope(
            format!(
                "{}/v1.0/$metadata#security/secureScoreControlProfiles",
                st.base_url
            ),
            page,
            next,
            None,
        ),
    )
}
