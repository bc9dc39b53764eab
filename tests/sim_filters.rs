//! The simulator filters each MDE and Graph security list only on the properties its
//! documentation names, and refuses any other with the service's 400, so a client that
//! depends on an undocumented filter fails here before it fails on a tenant. socops' own
//! filters are all accepted.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use roundtrip_common::{client, sim};
use socops::api::Resource;
use socops::api::calls::{self, odata};
use socops::api::model::{
    DeviceAvInfo, Incident, Indicator, Investigation, MachineAction, Recommendation,
    RemediationTask, Vulnerability,
};

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

async fn refused_by_graph(c: &socops::api::Client, path: &str, field: &str) {
    let Err(e) = c.get_page(Resource::Graph, path).await else {
        panic!("{path}: {field} is not a documented filter and must be refused");
    };
    assert_eq!(e.status(), Some(400), "{path}: {e}");
    assert_eq!(e.code(), Some("BadRequest"), "{path}: {e}");
    assert!(e.to_string().to_lowercase().contains(field), "{path}: {e}");
}

#[tokio::test]
async fn the_other_lists_refuse_undocumented_filters_too() {
    let s = sim(20).await;
    let c = client(&s);
    // deviceavinfo: "rbacgroupname and Id are not supported filter operators", nor the times.
    refused(&c, "deviceavinfo?$filter=id%20eq%20'x'", "id").await;
    refused(
        &c,
        "deviceavinfo?$filter=rbacGroupName%20eq%20'x'",
        "rbacgroupname",
    )
    .await;
    refused(
        &c,
        "deviceavinfo?$filter=lastSeenTime%20gt%202026-01-01T00:00:00Z",
        "lastseentime",
    )
    .await;
    refused(
        &c,
        "investigations?$filter=computerDnsName%20eq%20'x'",
        "computerdnsname",
    )
    .await;
    refused(
        &c,
        "vulnerabilities?$filter=publicExploit%20eq%20true",
        "publicexploit",
    )
    .await;
    refused(
        &c,
        "indicators?$filter=sourceType%20eq%20'User'",
        "sourcetype",
    )
    .await;
    refused_by_graph(
        &c,
        "security/incidents?$filter=displayName%20eq%20'x'",
        "displayname",
    )
    .await;
    refused_by_graph(&c, "security/alerts_v2?$filter=title%20eq%20'x'", "title").await;
}

#[tokio::test]
async fn every_documented_deviceavinfo_filter_is_accepted_and_filters() {
    let s = sim(40).await;
    let c = client(&s);
    let all: Vec<DeviceAvInfo> = calls::device_av_info(None).fetch(&c, None).await.unwrap();
    let first = &all[0];
    // Each documented property, filtered on the first row's own value, keeps that row.
    let cases = [
        ("machineId", first.machine_id.clone()),
        ("computerDnsName", first.computer_dns_name.clone()),
        ("osKind", first.os_kind.clone()),
        ("osPlatform", first.os_platform.clone()),
        ("osVersion", first.os_version.clone()),
        ("avMode", first.av_mode.clone()),
        ("avSignatureVersion", first.av_signature_version.clone()),
        ("avEngineVersion", first.av_engine_version.clone()),
        ("avPlatformVersion", first.av_platform_version.clone()),
        ("quickScanResult", first.quick_scan_result.clone()),
        ("quickScanError", first.quick_scan_error.clone()),
        ("fullScanResult", first.full_scan_result.clone()),
        ("fullScanError", first.full_scan_error.clone()),
    ];
    for (field, value) in cases {
        let value = value.unwrap_or_default();
        let got: Vec<DeviceAvInfo> = calls::device_av_info(Some(odata::eq(field, &value)))
            .fetch(&c, None)
            .await
            .unwrap_or_else(|e| panic!("{field} is documented as filterable: {e}"));
        assert!(got.iter().any(|r| r.id == first.id), "{field} eq '{value}'");
        assert!(got.len() <= all.len(), "{field}");
    }
    for field in [
        "avIsSignatureUpToDate",
        "avIsEngineUpToDate",
        "avIsPlatformUpToDate",
    ] {
        let _: Vec<DeviceAvInfo> = calls::device_av_info(Some(odata::eq(field, "True")))
            .fetch(&c, None)
            .await
            .unwrap_or_else(|e| panic!("{field} is documented as filterable: {e}"));
    }
    let group = first
        .rbac_group_id
        .expect("the simulator sends rbacGroupId");
    let same_group: Vec<DeviceAvInfo> =
        calls::device_av_info(Some(format!("rbacGroupId eq {group}")))
            .fetch(&c, None)
            .await
            .unwrap();
    assert!(same_group.iter().all(|r| r.rbac_group_id == Some(group)));
    assert!(same_group.iter().any(|r| r.id == first.id));
    // A filter narrows: the failed quick scans are fewer than all devices.
    let failed: Vec<DeviceAvInfo> =
        calls::device_av_info(Some(odata::eq("quickScanResult", "Failed")))
            .fetch(&c, None)
            .await
            .unwrap();
    assert!(failed.len() < all.len());
    assert!(
        failed
            .iter()
            .all(|r| r.quick_scan_result.as_deref() == Some("Failed"))
    );
}

#[tokio::test]
async fn documented_filters_of_the_other_lists_work() {
    let s = sim(20).await;
    let c = client(&s);
    let _: Vec<Investigation> =
        calls::investigations(Some(odata::starts_with("triggeringAlertId", "da")))
            .fetch(&c, None)
            .await
            .unwrap();
    let all: Vec<Vulnerability> = calls::vulnerabilities(None).fetch(&c, None).await.unwrap();
    let critical: Vec<Vulnerability> =
        calls::vulnerabilities(Some(odata::eq("severity", "Critical")))
            .fetch(&c, None)
            .await
            .unwrap();
    assert!(critical.len() < all.len());
    let _: Vec<Indicator> = calls::indicators(Some(odata::eq("indicatorValue", "1.2.3.4")))
        .fetch(&c, None)
        .await
        .unwrap();
    let _: Vec<Incident> =
        calls::incidents(Some(odata::eq("classification", "truePositive")), false)
            .fetch(&c, None)
            .await
            .unwrap();
    let _: Vec<socops::api::model::GraphAlert> = calls::graph_alerts(Some(odata::eq(
        "serviceSource",
        "microsoftDefenderForEndpoint",
    )))
    .fetch(&c, None)
    .await
    .unwrap();
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
