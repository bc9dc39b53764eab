//! Integration tests of the simulated tenant's reads over real HTTP on 127.0.0.1: the seed,
//! paging, `$top` and `$filter`, the token endpoint, faults and rate limits.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use serde_json::{Value, json};
use socops::sim::{SimConfig, start};

mod sim_common;
use sim_common::*;

#[tokio::test]
async fn same_seed_same_tenant() {
    let (a, b) = (sim(48).await, sim(48).await);
    for path in [
        "/api/machines",
        "/api/alerts?$expand=evidence",
        "/v1.0/security/incidents?$expand=alerts",
        "/api/vulnerabilities",
    ] {
        let (_, va) = get(&a, path).await;
        let (_, vb) = get(&b, path).await;
        let strip = |v: Value| {
            v.to_string()
                .replace(&a.base_url(), "")
                .replace(&b.base_url(), "")
        };
        assert_eq!(strip(va), strip(vb), "{path}");
    }
    let (_, m) = get(&a, "/api/machines").await;
    let list = m["value"].as_array().unwrap();
    assert_eq!(list.len(), 48);
    assert!(list.iter().any(|d| d["riskScore"] == "High"));
    assert!(list.iter().any(|d| {
        d["computerDnsName"]
            .as_str()
            .unwrap()
            .ends_with(".fabrikam.local")
    }));
}

#[tokio::test]
async fn pages_25k_devices_with_next_link() {
    let s = sim(25_000).await;
    let mut url = format!("{}/api/machines", s.base_url());
    let mut seen = 0;
    let mut pages = 0;
    loop {
        let v: Value = client()
            .get(&url)
            .bearer_auth("t")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen += v["value"].as_array().unwrap().len();
        pages += 1;
        match v["@odata.nextLink"].as_str() {
            Some(n) => {
                assert!(n.starts_with(&s.base_url()));
                url = n.to_string();
            }
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!((seen, pages), (25_000, 3));
}

#[tokio::test]
async fn top_limits_and_errors() {
    let s = sim(48).await;
    let (st, v) = get(&s, "/api/machines?$top=10001").await;
    assert_eq!(st, 400);
    assert_eq!(v["error"]["code"], "ODataError");
    assert!(v["error"]["target"].is_string());
    let (st, v) = get(&s, "/v1.0/security/incidents?$top=100").await;
    assert_eq!(st, 400);
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("The limit of '50' for Top query has been exceeded")
    );
    assert!(v["error"]["innerError"]["request-id"].is_string());
    let (st, v) = get(&s, "/v1.0/security/incidents?$top=5").await;
    assert_eq!(st, 200);
    assert_eq!(v["value"].as_array().unwrap().len(), 5);
    assert!(v["@odata.nextLink"].is_string());
    let (st, v) = get(&s, "/v1.0/security/alerts_v2?$top=5000").await;
    assert_eq!(st, 200);
    assert!(!v["value"].as_array().unwrap().is_empty());
    let (st, v) = get(&s, "/api/machines/nope").await;
    assert_eq!(
        (st, v["error"]["code"].as_str()),
        (404, Some("ResourceNotFound"))
    );
    let r = client()
        .get(format!("{}/api/machines", s.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(r.headers()["odata-version"], "4.0");
    let (_, v) = get(&s, "/v1.0/security/secureScores?$top=3").await;
    let scores = v["value"].as_array().unwrap();
    assert_eq!(scores.len(), 3);
    assert!(scores[0]["createdDateTime"].as_str() > scores[1]["createdDateTime"].as_str());
    let (_, v) = get(&s, "/v1.0/security/secureScores").await;
    assert_eq!(v["value"].as_array().unwrap().len(), 90);
}

#[tokio::test]
async fn filters() {
    let s = sim(200).await;
    let (_, v) = get(
        &s,
        "/api/machines?$filter=riskScore eq 'High' or riskScore eq 'Medium'",
    )
    .await;
    let list = v["value"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|d| d["riskScore"] == "High" || d["riskScore"] == "Medium")
    );
    let (_, v) = get(
        &s,
        "/api/machines?$filter=startswith(computerDnsName,'srv-')",
    )
    .await;
    assert!(
        v["value"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["computerDnsName"].as_str().unwrap().starts_with("srv-"))
    );
    let (_, v) = get(
        &s,
        "/api/machines?$filter=lastSeen gt 2026-03-10T00:00:00Z and healthStatus eq 'Active'",
    )
    .await;
    assert!(!v["value"].as_array().unwrap().is_empty());
    let (st, _) = get(&s, "/api/machines?$filter=bogus eq 'x'").await;
    assert_eq!(st, 400);
    let (_, v) = get(
        &s,
        "/api/alerts?$filter=status ne 'Resolved' and severity eq 'High'&$expand=evidence",
    )
    .await;
    let list = v["value"].as_array().unwrap();
    assert!(
        list.iter()
            .all(|a| a["status"] != "Resolved" && a["severity"] == "High")
    );
    assert!(list.iter().all(|a| a["evidence"].is_array()));
    let (_, v) = get(
        &s,
        "/v1.0/security/incidents?$filter=status eq 'active'&$expand=alerts",
    )
    .await;
    let incidents = v["value"].as_array().unwrap();
    assert!(incidents.iter().all(|i| i["status"] == "active"));
    let ev = &incidents[0]["alerts"][0]["evidence"];
    assert_eq!(
        ev[0]["@odata.type"],
        "#microsoft.graph.security.deviceEvidence"
    );
    assert!(ev[0]["mdeDeviceId"].is_string());
    let (_, v) = get(&s, "/api/investigations?$filter=state eq 'PendingApproval'").await;
    assert_eq!(v["value"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn token_endpoint() {
    // A standing clock: the device-code poll spacing is measured on it.
    let s = start(SimConfig {
        devices: 10,
        now: Some(fixed_now()),
        rate_limits: false,
        time_scale: 1e-6,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let url = format!(
        "{}/{}/oauth2/v2.0/token",
        s.base_url(),
        socops::sim::DEMO_TENANT_ID
    );
    let form = |pairs: &[(&str, &str)]| {
        client()
            .post(&url)
            .form(
                &pairs
                    .iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect::<Vec<_>>(),
            )
            .send()
    };
    let r = form(&[
        ("grant_type", "client_credentials"),
        ("client_id", "c"),
        ("client_secret", "s"),
        ("scope", "https://api.securitycenter.microsoft.com/.default"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["token_type"].as_str(), v["expires_in"].as_u64()),
        (Some("Bearer"), Some(3599))
    );
    let r = form(&[
        ("grant_type", "client_credentials"),
        ("client_secret", "s"),
        ("scope", "https://graph.microsoft.com/.default"),
    ])
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    let v: Value = r.json().await.unwrap();
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .starts_with("AADSTS")
    );
    let r = form(&[
        ("grant_type", "client_credentials"),
        ("client_id", "c"),
        ("client_secret", "s"),
        ("scope", "https://evil.example/.default"),
    ])
    .await
    .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_scope");

    let dc: Value = client()
        .post(format!(
            "{}/organizations/oauth2/v2.0/devicecode",
            s.base_url()
        ))
        .form(&[
            ("client_id", "c"),
            (
                "scope",
                "https://api.securitycenter.microsoft.com/.default offline_access",
            ),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Entra's interval is 5 s; polling sooner is `slow_down` and the interval grows by 5 s.
    assert_eq!(dc["interval"], 5);
    let code = dc["device_code"].as_str().unwrap();
    let poll = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ("client_id", "c"),
        ("device_code", code),
    ];
    let r = form(&poll).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "authorization_pending"
    );
    let r = form(&poll).await.unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "slow_down");
    s.advance(10.5);
    let v: Value = form(&poll).await.unwrap().json().await.unwrap();
    let rt = v["refresh_token"].as_str().unwrap().to_string();
    let v: Value = form(&[
        ("grant_type", "refresh_token"),
        ("client_id", "c"),
        ("refresh_token", &rt),
        ("scope", "https://graph.microsoft.com/.default"),
    ])
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    // A JWT-shaped token for the resource of the scope (Graph), as Entra's.
    let at = v["access_token"].as_str().unwrap();
    assert_eq!(at.split('.').count(), 3, "{at}");
    assert!(at.starts_with("eyJ"), "{at}");
}

#[tokio::test]
async fn faults() {
    let s = sim(10).await;
    s.faults.throttle_next(1, 7);
    let r = client()
        .get(format!("{}/api/machines", s.base_url()))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    s.faults.fail_next(1, 503);
    assert_eq!(get(&s, "/v1.0/security/incidents").await.0, 503);
    s.faults.expire_tokens_next(1);
    assert_eq!(get(&s, "/api/alerts").await.0, 401);
    s.faults.truncate_next(1);
    let (st, v) = get(&s, "/api/machines").await;
    assert_eq!(st, 200);
    assert!(v.is_string(), "truncated body must not parse");
    s.faults.malformed_next(1);
    assert!(get(&s, "/api/machines").await.1.is_string());
    s.faults.set_latency(1);
    assert_eq!(get(&s, "/api/machines").await.0, 200);
    s.faults.clear();
    let r = client()
        .post(format!("{}/_sim/faults", s.base_url()))
        .json(&json!({"fail_next": 1, "status": 500}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert_eq!(get(&s, "/api/machines").await.0, 500);
    assert_eq!(get(&s, "/api/machines").await.0, 200);
}

#[tokio::test]
async fn rate_limits() {
    let s = start(SimConfig {
        devices: 10,
        now: Some(fixed_now()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let (_, v) = get(
        &s,
        "/api/machineactions?$filter=type eq 'CollectInvestigationPackage'",
    )
    .await;
    let id = v["value"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/machineactions/{id}/getPackageUri");
    get(&s, &path).await;
    get(&s, &path).await;
    let r = client()
        .get(format!("{}{path}", s.base_url()))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn hundred_thousand_devices_generate_and_page() {
    let s = sim(100_000).await;
    let (st, v) = get(&s, "/api/machines?$skip=90000&$top=100").await;
    assert_eq!(st, 200);
    assert_eq!(v["value"].as_array().unwrap().len(), 100);
    let (_, v) = get(&s, "/v1.0/security/incidents?$top=50").await;
    assert_eq!(v["value"].as_array().unwrap().len(), 50);
}
