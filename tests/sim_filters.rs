//! The simulator filters each MDE list only on the properties its documentation names, and
//! refuses any other with the service's 400, so a client that depends on an undocumented
//! filter fails here before it fails on a tenant. socops' own filters are all accepted.

mod roundtrip_common;

use roundtrip_common::{client, sim};
use socops::api::Resource;
use socops::api::calls::{self, odata};
use socops::api::model::{MachineAction, Recommendation, RemediationTask};

async fn refused(c: &socops::api::Client, path: &str, field: &str) {
    let Err(e) = c.get_page(Resource::Mde, path).await else {
        panic!("{path}: {field} is not a documented filter and must be refused");
    };
    assert_eq!(e.status(), Some(400), "{path}: {e}");
    assert_eq!(e.code(), Some("ODataError"), "{path}: {e}");
    assert!(e.to_string().to_lowercase().contains(field), "{path}: {e}");
}

#[tokio::test]
async fn undocumented_filters_are_refused_like_the_service() {
    let s = sim(20).await;
    let c = client(&s);
    refused(&c, "remediationTasks?$filter=title%20eq%20'x'", "title").await;
    refused(
        &c,
        "machineactions?$filter=lastUpdateDateTimeUtc%20gt%202026-01-01T00:00:00Z",
        "lastupdatedatetimeutc",
    )
    .await;
    refused(&c, "alerts?$filter=machineId%20eq%20'x'", "machineid").await;
    refused(
        &c,
        "recommendations?$filter=publicExploit%20eq%20true",
        "publicexploit",
    )
    .await;
    refused(
        &c,
        "machines?$filter=isPotentialDuplication%20eq%20true",
        "ispotentialduplication",
    )
    .await;
}

#[tokio::test]
async fn documented_filters_work() {
    let s = sim(20).await;
    let c = client(&s);
    let active: Vec<RemediationTask> =
        calls::remediation_tasks(Some(odata::eq("status", "Active")))
            .fetch(&c, None)
            .await
            .unwrap();
    let all: Vec<RemediationTask> = calls::remediation_tasks(None)
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(
        !active.is_empty() && active.len() < all.len(),
        "{} of {}",
        active.len(),
        all.len()
    );
    let recent: Vec<RemediationTask> = calls::remediation_tasks(Some(odata::ge_time(
        "createdOn",
        chrono::Utc::now() - chrono::Duration::days(3650),
    )))
    .fetch(&c, None)
    .await
    .unwrap();
    assert_eq!(recent.len(), all.len());
    let recs: Vec<Recommendation> =
        calls::recommendations(Some(odata::eq("recommendedVendor", "nobody")))
            .fetch(&c, None)
            .await
            .unwrap();
    assert!(recs.is_empty());
    let _: Vec<MachineAction> = calls::machine_actions(Some(odata::ge_time(
        "creationDateTimeUtc",
        chrono::Utc::now() - chrono::Duration::days(30),
    )))
    .fetch(&c, None)
    .await
    .unwrap();
}
