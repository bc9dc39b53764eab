//! A console for the working-page tests (the recorded tenant, or the simulator where a page
//! reads from the service), and the keys they press.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use socops::api::auth::StaticToken;
use socops::api::plan::Plan;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::data::checklist::Marks;
use socops::app::{AppState, Key, KeyCode, Keymap, Msg, ResourceKind, Settings, start, update};
use socops::runtime::fetch::fetch;
use socops::sim::{RunningSim, SimConfig, start as start_sim};

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

/// The recorded payloads (`tests/fixtures/console/`: the tenant `console_on` starts, seed 7,
/// 40 devices, this clock).
#[path = "../console_common/mod.rs"]
mod recorded;

/// A console on the recorded tenant (devices, alerts, incidents loaded) with this licence:
/// what the pages show does not follow the simulator's generator, so their snapshots stay
/// put. The reads are the same under every licence (it only gates actions).
pub fn console(plan: Plan) -> AppState {
    recorded_console(plan, &[])
}

/// The same with more resources loaded.
pub fn recorded_console(plan: Plan, more: &[ResourceKind]) -> AppState {
    let mut s = AppState::new(settings(plan), Keymap::default(), Marks::default(), now());
    start(&mut s);
    let payloads = BASE_KINDS
        .iter()
        .chain(more)
        .map(|k| recorded::fixture(*k))
        .collect();
    recorded::deliver(&mut s, payloads, now());
    s
}

/// What every page console loads, in this order.
const BASE_KINDS: [ResourceKind; 4] = [
    ResourceKind::Machines,
    ResourceKind::MachineActions,
    ResourceKind::Alerts,
    ResourceKind::Incidents,
];

fn settings(plan: Plan) -> Settings {
    Settings {
        tenant_label: "fabrikam".into(),
        demo: true,
        plan,
        me: Some("ana@fabrikam.com".into()),
        ..Settings::default()
    }
}

/// A console on the simulated tenant with more resources loaded, and the client and running
/// simulator (for the reads a page asks the runtime for).
pub async fn console_on(plan: Plan, more: &[ResourceKind]) -> (AppState, Client, RunningSim) {
    let sim = start_sim(SimConfig {
        seed: 7,
        devices: 40,
        now: Some(now()),
        rate_limits: false,
        time_scale: 1e-9,
        plan,
    })
    .await
    .unwrap();
    let url = sim.base_url();
    let client = Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&url), Some(&url), Some(&url)),
        Arc::new(StaticToken::new("tok", "test")),
        RetryPolicy::fast(),
    );
    let mut s = AppState::new(settings(plan), Keymap::default(), Marks::default(), now());
    start(&mut s);
    for (i, kind) in BASE_KINDS.iter().chain(more).copied().enumerate() {
        let payload = fetch(&client, kind, now()).await.unwrap();
        let id = 20_000 + i as u64;
        s.data.start(kind, id);
        update(
            &mut s,
            Msg::Loaded {
                id,
                at: now(),
                payload: Box::new(payload),
            },
        );
    }
    (s, client, sim)
}

pub fn key(s: &mut AppState, k: Key) -> Vec<socops::app::Command> {
    update(s, Msg::Key(k))
}

pub fn ch(s: &mut AppState, c: char) -> Vec<socops::app::Command> {
    key(s, Key::ch(c))
}

pub fn enter(s: &mut AppState) {
    key(s, Key::plain(KeyCode::Enter));
}

pub fn esc(s: &mut AppState) {
    key(s, Key::plain(KeyCode::Esc));
}

/// Run a `:` palette command (`device NAME`, `incidents`, …).
pub fn palette(s: &mut AppState, cmd: &str) {
    key(s, Key::ch(':'));
    for c in cmd.chars() {
        ch(s, c);
    }
    enter(s);
}

/// Move the page's selection down to the first row matching `f`.
pub fn select(s: &mut AppState, f: impl Fn(&socops::app::pages::working::Target) -> bool) {
    let d = s.detail.as_ref().unwrap();
    let want = d
        .items
        .iter()
        .position(|i| f(&i.target))
        .expect("no such row");
    let from = d.selected;
    for _ in from..want {
        ch(s, 'j');
    }
    assert_eq!(s.detail.as_ref().unwrap().selected, want);
}
