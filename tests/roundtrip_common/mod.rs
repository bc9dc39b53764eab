//! Shared setup of the round-trip tests: a simulator on 127.0.0.1 and the real client built
//! exactly as the app builds it (client-secret sign-in against the simulator's token endpoint).

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use socops::api::auth::{ClientSecretCredential, Secret};
use socops::api::calls::machine_action;
use socops::api::model::MachineAction;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::sim::{DEMO_TENANT_ID, RunningSim, SimConfig, start};

/// The fixed start time of every round-trip simulator (reproducible timestamps).
pub fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-11T08:00:00Z")
        .unwrap()
        .to_utc()
}

/// A simulator with `devices` devices whose clock runs `time_scale` times real time.
pub async fn sim_with(devices: usize, time_scale: f64) -> RunningSim {
    start(SimConfig {
        devices,
        now: Some(fixed_now()),
        rate_limits: false,
        time_scale,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// A frozen simulator whose tenant has the licence `plan`.
pub async fn sim_plan(devices: usize, plan: socops::api::plan::Plan) -> RunningSim {
    start(SimConfig {
        devices,
        now: Some(fixed_now()),
        rate_limits: false,
        time_scale: 1e-6,
        plan,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

/// A small simulator whose actions end within a fraction of a second.
pub async fn sim(devices: usize) -> RunningSim {
    sim_with(devices, 2_000.0).await
}

/// Endpoints of the simulator: authority, MDE and Graph are all its base URL.
pub fn endpoints(s: &RunningSim) -> Endpoints {
    let url = s.base_url();
    Endpoints::for_cloud(Cloud::Global, DEMO_TENANT_ID).with_overrides(
        Some(&url),
        Some(&url),
        Some(&url),
    )
}

/// The client as the app builds it, with the given policy.
pub fn client_with(s: &RunningSim, policy: RetryPolicy) -> Client {
    let ep = endpoints(s);
    let cred = ClientSecretCredential::new(
        ep.clone(),
        "11111111-2222-3333-4444-555555555555",
        Secret::new("sim-secret"),
    );
    Client::with_policy(ep, Arc::new(cred), policy)
}

/// The client with `RetryPolicy::fast()`.
pub fn client(s: &RunningSim) -> Client {
    client_with(s, RetryPolicy::fast())
}

/// A simulator whose clock stands (nearly) still: tests move it with `advance`, so an
/// action stays Pending exactly as long as the test wants.
pub async fn frozen(devices: usize) -> RunningSim {
    sim_with(devices, 1e-6).await
}

/// Polls an action until it is terminal, moving the simulated clock one second per poll
/// (bounded: 30 polls; an action ends 4 simulated seconds after it was created).
pub async fn wait_terminal(s: &RunningSim, c: &Client, id: &str) -> MachineAction {
    for _ in 0..30 {
        let a = machine_action(c, id).await.unwrap();
        if a.is_terminal() {
            return a;
        }
        s.advance(1.0);
        tokio::task::yield_now().await;
    }
    panic!("action {id} never ended");
}

/// Ids of `n` active Windows 11 devices (every action is supported on them).
pub async fn windows_devices(c: &Client, n: usize) -> Vec<String> {
    let filter = socops::api::calls::odata::and([
        socops::api::calls::odata::eq("healthStatus", "Active"),
        socops::api::calls::odata::eq("osPlatform", "Windows11"),
    ]);
    let list: Vec<socops::api::model::Machine> = socops::api::calls::machines(Some(filter))
        .fetch(c, Some(n))
        .await
        .unwrap();
    assert_eq!(list.len(), n, "not enough Windows 11 devices");
    list.into_iter().map(|m| m.id).collect()
}

/// Send `method` to `path` of `resource` on the simulator as the app (its own token),
/// outside socops' write pipeline: for tests of the simulator's own rules (a body socops
/// would never send). Returns the status and the JSON body.
pub async fn as_app(
    s: &RunningSim,
    method: reqwest::Method,
    resource: socops::api::Resource,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    use socops::api::auth::TokenSource;
    let ep = endpoints(s);
    let cred = ClientSecretCredential::new(
        ep.clone(),
        "11111111-2222-3333-4444-555555555555",
        Secret::new("sim-secret"),
    );
    let token = cred.token(resource, false).await.unwrap();
    let r = socops::api::http::shared()
        .request(method, ep.url(resource, path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(serde_json::Value::Null))
}

/// [`as_app`] with PATCH.
pub async fn patch_as_app(
    s: &RunningSim,
    resource: socops::api::Resource,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    as_app(s, reqwest::Method::PATCH, resource, path, body).await
}
