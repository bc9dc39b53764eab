//! The simulator checks tokens like the services: a token for one API is refused by the
//! other (401 in that API's words), and a token without the role an endpoint needs gets the
//! service's 403. The demo's credential sends each API its own token.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use roundtrip_common::{client, endpoints};
use socops::api::Resource;
use socops::api::auth::{ClientSecretCredential, Secret, TokenSource};
use socops::api::calls;
use socops::api::model::{Incident, Machine};
use socops::sim::{RunningSim, SimConfig, start};

async fn sim_with_roles(roles: Option<&[&str]>) -> RunningSim {
    let s = start(SimConfig {
        devices: 10,
        rate_limits: false,
        now: Some(roundtrip_common::fixed_now()),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    s.grant_roles(roles.map(|r| r.iter().map(|s| s.to_string()).collect()));
    s
}

async fn raw(
    s: &RunningSim,
    resource: Resource,
    path: &str,
    token: &str,
) -> (u16, serde_json::Value) {
    let r = socops::api::http::shared()
        .get(endpoints(s).url(resource, path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

fn app(s: &RunningSim) -> ClientSecretCredential {
    ClientSecretCredential::new(
        endpoints(s),
        "11111111-2222-3333-4444-555555555555",
        Secret::new("sim-secret"),
    )
}

#[tokio::test]
async fn a_token_for_one_api_is_refused_by_the_other() {
    let s = sim_with_roles(None).await;
    let cred = app(&s);
    let mde = cred.token(Resource::Mde, false).await.unwrap();
    let graph = cred.token(Resource::Graph, false).await.unwrap();
    assert_eq!(raw(&s, Resource::Mde, "machines?$top=1", &mde).await.0, 200);
    assert_eq!(
        raw(&s, Resource::Graph, "security/incidents?$top=1", &graph)
            .await
            .0,
        200
    );

    let (status, body) = raw(&s, Resource::Graph, "security/incidents", &mde).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Invalid audience")
    );

    let (status, body) = raw(&s, Resource::Mde, "machines", &graph).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "Unauthorized");
}

#[tokio::test]
async fn a_missing_role_is_the_services_403_and_socops_names_the_permission() {
    let s = sim_with_roles(Some(&["Machine.ReadWrite.All", "Alert.Read.All"])).await;
    let c = client(&s);
    // Read-write satisfies read.
    let m: Vec<Machine> = calls::machines(None).fetch(&c, Some(3)).await.unwrap();
    assert!(!m.is_empty());
    let mde = app(&s).token(Resource::Mde, false).await.unwrap();
    let (status, body) = raw(&s, Resource::Mde, "recommendations", &mde).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["code"], "Forbidden");
    let msg = body["error"]["message"].as_str().unwrap();
    assert!(
        msg.starts_with(
            "Missing application roles. API required roles: SecurityRecommendation.Read.All"
        ),
        "{msg}"
    );
    let e = calls::incidents(None, false)
        .fetch::<Incident>(&c, None)
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(403), "{e}");
    assert!(e.to_string().contains("SecurityIncident.Read.All"), "{e}");
    // An action needs its own permission: Machine.ReadWrite.All does not isolate.
    let id = m[0].id.clone();
    let (status, body) = roundtrip_common::as_app(
        &s,
        reqwest::Method::POST,
        Resource::Mde,
        &format!("machines/{id}/isolate"),
        &serde_json::json!({"Comment": "no role"}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Machine.Isolate")
    );
}

#[tokio::test]
async fn the_demo_credential_sends_each_api_its_own_token() {
    let s = sim_with_roles(None).await;
    let tokens = socops::sim::DemoTokens::new("analyst@fabrikam.example");
    let mde = tokens.token(Resource::Mde, false).await.unwrap();
    let graph = tokens.token(Resource::Graph, false).await.unwrap();
    assert_eq!(raw(&s, Resource::Mde, "machines?$top=1", &mde).await.0, 200);
    assert_eq!(
        raw(&s, Resource::Graph, "security/incidents?$top=1", &graph)
            .await
            .0,
        200
    );
    assert_eq!(
        raw(&s, Resource::Graph, "security/incidents?$top=1", &mde)
            .await
            .0,
        401
    );
    // A simulator that granted less grants less, whatever the token lists.
    let narrow = sim_with_roles(Some(&["Machine.Read.All"])).await;
    assert_eq!(
        raw(&narrow, Resource::Mde, "machines?$top=1", &mde).await.0,
        200
    );
    assert_eq!(raw(&narrow, Resource::Mde, "indicators", &mde).await.0, 403);
}
