//! Defender Antivirus health (`/api/deviceavinfo`). Its default page is 20 records, so the
//! request always carries an explicit `$top` of 10,000.

use super::{ListRequest, MDE_PAGE};
use crate::api::cloud::Resource;

/// `GET /api/deviceavinfo?$filter=…&$top=10000`.
pub fn device_av_info(filter: Option<String>) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "deviceavinfo",
        &[("$filter", filter)],
        MDE_PAGE,
    )
}
