//! Integration tests of the simulated tenant's writes over real HTTP on 127.0.0.1: body casing,
//! the machine-action life cycle, packages, live response, investigations and indicators.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use serde_json::{Value, json};
use socops::sim::{SimConfig, start};

mod sim_common;
use sim_common::*;

#[tokio::test]
async fn body_casing_validation() {
    let s = sim(48).await;
    let id = windows_device(&s).await;
    let (st, v) = post(
        &s,
        &format!("/api/machines/{id}/isolate"),
        json!({"comment": "x", "IsolationType": "Full"}),
    )
    .await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("InvalidRequestBody"))
    );
    let (st, v) = post(
        &s,
        &format!("/api/machines/{id}/isolate"),
        json!({"IsolationType": "Full"}),
    )
    .await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("MissingRequiredParameter"))
    );
    let (st, v) = post(
        &s,
        &format!("/api/machines/{id}/StopAndQuarantineFile"),
        json!({"Comment": "x", "Sha1": "zz"}),
    )
    .await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("InvalidHashValue"))
    );
    let (st, v) = post(&s, "/api/machines/0000/isolate", json!({"Comment": "x"})).await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (404, Some("ResourceNotFound"))
    );
    let (_, m) = get(&s, "/api/machines?$filter=osPlatform eq 'macOS'&$top=1").await;
    let mac = m["value"][0]["id"].as_str().unwrap();
    let (st, v) = post(
        &s,
        &format!("/api/machines/{mac}/restrictCodeExecution"),
        json!({"Comment": "x"}),
    )
    .await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("OsPlatformNotSupported"))
    );
}

#[tokio::test]
async fn action_lifecycle_cancel_and_duplicates() {
    let s = sim(48).await;
    let id = windows_device(&s).await;
    let (st, a) = post(
        &s,
        &format!("/api/machines/{id}/runAntiVirusScan"),
        json!({"Comment": "scan", "ScanType": "Full"}),
    )
    .await;
    assert_eq!(st, 201);
    assert_eq!(a["status"], "Pending");
    assert_eq!(a["scope"], "Full");
    // A second scan while one is pending: the service answers with the pending one.
    let (st, v) = post(
        &s,
        &format!("/api/machines/{id}/runAntiVirusScan"),
        json!({"Comment": "again"}),
    )
    .await;
    assert_eq!((st, &v["id"]), (201, &a["id"]));
    assert_eq!(v["requestorComment"], "scan");
    // A second isolation while one is pending: refused.
    let (st, _) = post(
        &s,
        &format!("/api/machines/{id}/isolate"),
        json!({"Comment": "contain"}),
    )
    .await;
    assert_eq!(st, 201);
    let (st, v) = post(
        &s,
        &format!("/api/machines/{id}/isolate"),
        json!({"Comment": "again"}),
    )
    .await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("ActiveRequestAlreadyExists"))
    );
    let done = wait_status(&s, a["id"].as_str().unwrap(), "Succeeded").await;
    assert_eq!(done["machineId"], id.as_str());
    let (st, _) = post(
        &s,
        &format!("/api/machineactions/{}/cancel", a["id"].as_str().unwrap()),
        json!({"Comment": "late"}),
    )
    .await;
    assert_eq!(st, 400);

    // Cancel while pending: use a fresh simulator whose clock stands still.
    let slow = start(SimConfig {
        devices: 48,
        now: Some(fixed_now()),
        rate_limits: false,
        time_scale: 0.0,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let id = windows_device(&slow).await;
    let (_, a) = post(
        &slow,
        &format!("/api/machines/{id}/isolate"),
        json!({"Comment": "contain", "IsolationType": "Selective"}),
    )
    .await;
    let (st, c) = post(
        &slow,
        &format!("/api/machineactions/{}/cancel", a["id"].as_str().unwrap()),
        json!({"Comment": "false alarm"}),
    )
    .await;
    assert_eq!(st, 200);
    assert_eq!(c["status"], "Cancelled");
    assert_eq!(c["cancellationComment"], "false alarm");
    assert!(c["cancellationDateTimeUtc"].is_string());
}

#[tokio::test]
async fn package_live_response_and_investigation() {
    let s = sim(48).await;
    let id = windows_device(&s).await;
    let (_, a) = post(
        &s,
        &format!("/api/machines/{id}/collectInvestigationPackage"),
        json!({"Comment": "forensics"}),
    )
    .await;
    let aid = a["id"].as_str().unwrap().to_string();
    let (st, _) = get(&s, &format!("/api/machineactions/{aid}/getPackageUri")).await;
    assert_eq!(st, 404);
    wait_status(&s, &aid, "Succeeded").await;
    let (st, v) = get(&s, &format!("/api/machineactions/{aid}/getPackageUri")).await;
    assert_eq!(st, 200);
    // The link comes wrapped in extra quotes, as the getPackageUri page's sample shows.
    let quoted = v["value"].as_str().unwrap();
    assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{quoted}");
    let bytes = client()
        .get(quoted.trim_matches('"'))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(bytes.starts_with(b"PK"));

    let body = json!({"Commands": [{"type": "RunScript", "params": [{"key": "ScriptName", "value": "Collect-Triage.ps1"}]}], "Comment": "triage"});
    let (st, lr) = post(
        &s,
        &format!("/api/machines/{id}/runliveresponse"),
        body.clone(),
    )
    .await;
    assert_eq!(st, 201);
    let (st, v) = post(&s, &format!("/api/machines/{id}/runliveresponse"), body).await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (400, Some("ActiveRequestAlreadyExists"))
    );
    let lid = lr["id"].as_str().unwrap();
    let done = wait_status(&s, lid, "Succeeded").await;
    assert_eq!(done["commands"][0]["commandStatus"], "Completed");
    let (st, v) = get(
        &s,
        &format!("/api/machineactions/{lid}/GetLiveResponseResultDownloadLink(index=0)"),
    )
    .await;
    assert_eq!(st, 200);
    let out: Value = client()
        .get(v["value"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(out["script_name"], "Collect-Triage.ps1");
    assert_eq!(out["exit_code"], 0);

    let (st, inv) = post(
        &s,
        &format!("/api/machines/{id}/startInvestigation"),
        json!({"Comment": "AIR"}),
    )
    .await;
    // Retired on 2026-09-01 (MC1411577): it can no longer be started.
    assert_eq!(st, 400, "{inv}");
    assert!(
        inv["error"]["message"]
            .as_str()
            .unwrap()
            .contains("full antivirus scan"),
        "{inv}"
    );
}

#[tokio::test]
async fn indicators_and_deviceavinfo() {
    let s = sim(48).await;
    let body = json!({"indicatorValue": "evil.example", "indicatorType": "DomainName", "action": "Block", "title": "t", "description": "d"});
    let (st, a) = post(&s, "/api/indicators", body.clone()).await;
    assert_eq!(st, 200);
    let (_, b) = post(&s, "/api/indicators", body).await;
    assert_eq!(a["id"], b["id"]);
    let r = client()
        .delete(format!(
            "{}/api/indicators/{}",
            s.base_url(),
            a["id"].as_str().unwrap()
        ))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let r = client()
        .delete(format!("{}/api/indicators/99999", s.base_url()))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let (_, v) = get(&s, "/api/deviceavinfo").await;
    assert_eq!(v["value"].as_array().unwrap().len(), 20);
    assert!(v["@odata.nextLink"].as_str().unwrap().contains("$skip=20"));
    assert!(matches!(
        v["value"][0]["avIsSignatureUpToDate"].as_str(),
        Some("True" | "False" | "Unknown")
    ));
}

#[tokio::test]
async fn indicator_type_and_action_must_fit() {
    let s = sim(8).await;
    let warn = json!({"indicatorValue": "evil.example", "indicatorType": "DomainName", "action": "Warn", "title": "t", "description": "d"});
    let (st, v) = post(&s, "/api/indicators", warn).await;
    assert_eq!(st, 400, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Cloud Apps"),
        "{v}"
    );
    let bar = json!({"indicatorValue": "198.51.100.7", "indicatorType": "IpAddress", "action": "BlockAndRemediate", "title": "t", "description": "d"});
    let (st, v) = post(&s, "/api/indicators", bar).await;
    assert_eq!(st, 400, "{v}");
    let ok = json!({"indicatorValue": "a".repeat(40), "indicatorType": "FileSha1", "action": "BlockAndRemediate", "title": "t", "description": "d"});
    let (st, v) = post(&s, "/api/indicators", ok).await;
    assert_eq!(st, 200, "{v}");
}
