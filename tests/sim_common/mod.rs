//! The simulated tenant on 127.0.0.1 with a standing clock, and the raw HTTP calls the
//! simulator tests make of it.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use serde_json::Value;
use socops::sim::{RunningSim, SimConfig, start};

pub fn fixed_now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-11T08:00:00Z")
        .unwrap()
        .to_utc()
}

/// A simulator whose clock stands still until a test moves it.
pub async fn sim(devices: usize) -> RunningSim {
    start(SimConfig {
        devices,
        now: Some(fixed_now()),
        rate_limits: false,
        time_scale: 0.0,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

pub fn client() -> reqwest::Client {
    socops::api::http::shared()
}

pub async fn get(s: &RunningSim, path: &str) -> (u16, Value) {
    let r = client()
        .get(format!("{}{path}", s.base_url()))
        .bearer_auth("t")
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        st,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

pub async fn post(s: &RunningSim, path: &str, body: Value) -> (u16, Value) {
    let r = client()
        .post(format!("{}{path}", s.base_url()))
        .bearer_auth("t")
        .json(&body)
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

/// An Active Windows client without queued actions.
pub async fn windows_device(s: &RunningSim) -> String {
    let (_, v) = get(
        s,
        "/api/machines?$filter=healthStatus eq 'Active' and osPlatform eq 'Windows11'&$top=1",
    )
    .await;
    v["value"][0]["id"].as_str().unwrap().to_string()
}

/// Polls an action until it reaches `want`, moving the standing simulated clock one second
/// per poll (an action ends 4 simulated seconds after it was created), so the outcome never
/// depends on how fast this machine is.
pub async fn wait_status(s: &RunningSim, id: &str, want: &str) -> Value {
    for _ in 0..30 {
        let (_, v) = get(s, &format!("/api/machineactions/{id}")).await;
        if v["status"] == want {
            return v;
        }
        s.advance(1.0);
    }
    panic!("action {id} never reached {want}");
}
