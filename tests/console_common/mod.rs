//! A loaded console for the scenario and snapshot tests, built one of two ways:
//!
//! - `sim_state`: from the simulator (seed 7, 40 devices, fixed clock) through the real typed
//!   calls, for tests of behaviour that must follow the simulator as it is;
//! - `fixture_state`: from recorded payloads in `tests/fixtures/console/` (the same tenant,
//!   written once by `cargo test --test console_fixtures -- --ignored`), for the UI snapshots,
//!   so a change to the simulator's generator does not rewrite every screen.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::data::checklist::Marks;
use socops::app::data::checklist::tasks;
use socops::app::{
    AppState, Cadence, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, start, update,
};
use socops::runtime::fetch::fetch;
use socops::sim::{RunningSim, SimConfig, start as start_sim};

/// Every resource the console loads.
pub const ALL_KINDS: [ResourceKind; 15] = ResourceKind::ALL;

/// What the Daily checklist needs.
pub const DAILY_KINDS: [ResourceKind; 6] = [
    ResourceKind::Machines,
    ResourceKind::MachineActions,
    ResourceKind::Investigations,
    ResourceKind::Alerts,
    ResourceKind::Incidents,
    ResourceKind::ExposureScore,
];

/// The tests' fixed clock: a Monday morning.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

/// The simulated tenant every console test uses (seed 7, 40 devices, P2, no rate limits).
pub async fn sim() -> RunningSim {
    sim_of(40).await
}

/// The same tenant with `devices` devices.
pub async fn sim_of(devices: usize) -> RunningSim {
    start_sim(SimConfig {
        seed: 7,
        devices,
        now: Some(now()),
        rate_limits: false,
        time_scale: 1e-9,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap()
}

/// A client of `sim` with a static token and fast retries.
pub fn client(sim: &RunningSim) -> Client {
    client_as(sim, "test")
}

/// A client of `sim` signed in as `user`.
pub fn client_as(sim: &RunningSim, user: &str) -> Client {
    let url = sim.base_url();
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&url), Some(&url), Some(&url)),
        Arc::new(StaticToken::new("tok", user)),
        RetryPolicy::fast(),
    )
}

/// The settings of the demo tenant "fabrikam".
pub fn demo_settings() -> Settings {
    Settings {
        tenant_label: "fabrikam".into(),
        demo: true,
        ..Settings::default()
    }
}

/// A started console of the demo tenant "fabrikam" with nothing loaded yet.
pub fn empty_state() -> AppState {
    empty_state_with(demo_settings())
}

/// A started console with `settings` and nothing loaded yet.
pub fn empty_state_with(settings: Settings) -> AppState {
    empty_state_at(settings, now())
}

/// A started console with `settings`, its clock at `at`, nothing loaded yet.
pub fn empty_state_at(settings: Settings, at: DateTime<Utc>) -> AppState {
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), at);
    start(&mut s);
    s
}

/// Deliver one payload through `update` as the answer to a request of its own (read at `at`).
pub fn load_at(s: &mut AppState, payload: Payload, at: DateTime<Utc>) {
    let id = 90_000 + s.next_request;
    s.next_request += 1;
    s.data.start(payload.kind(), id);
    update(
        s,
        Msg::Loaded {
            id,
            at,
            payload: Box::new(payload),
        },
    );
}

/// Deliver `payloads` through `update`, as the runtime does, read at `at`.
pub fn deliver(s: &mut AppState, payloads: Vec<Payload>, at: DateTime<Utc>) {
    for (i, payload) in payloads.into_iter().enumerate() {
        let id = 10_000 + i as u64;
        s.data.start(payload.kind(), id);
        update(
            s,
            Msg::Loaded {
                id,
                at,
                payload: Box::new(payload),
            },
        );
    }
}

/// `kinds` read from the simulator through the real typed calls.
pub async fn sim_payloads(client: &Client, kinds: &[ResourceKind]) -> Vec<Payload> {
    let mut out = Vec::new();
    for kind in kinds {
        let payload = fetch(client, *kind, now())
            .await
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        out.push(payload);
    }
    out
}

/// A console of the demo tenant with `kinds` loaded from the simulator.
pub async fn sim_state(kinds: &[ResourceKind]) -> AppState {
    sim_state_with(demo_settings(), kinds).await
}

/// A console with `settings` and `kinds` loaded from the simulator.
pub async fn sim_state_with(settings: Settings, kinds: &[ResourceKind]) -> AppState {
    let sim = sim().await;
    let payloads = sim_payloads(&client(&sim), kinds).await;
    let mut s = empty_state_with(settings);
    deliver(&mut s, payloads, now());
    s
}

/// A console of the demo tenant with `kinds` loaded from the recorded fixtures, read at `at`.
pub fn fixture_state(kinds: &[ResourceKind], at: DateTime<Utc>) -> AppState {
    fixture_state_with(demo_settings(), kinds, at)
}

/// A console with `settings` and `kinds` loaded from the recorded fixtures, read at `at`.
pub fn fixture_state_with(
    settings: Settings,
    kinds: &[ResourceKind],
    at: DateTime<Utc>,
) -> AppState {
    let mut s = empty_state_with(settings);
    let payloads = kinds.iter().map(|k| fixture(*k)).collect();
    deliver(&mut s, payloads, at);
    s
}

/// Where the recorded payloads live.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/console")
}

fn fixture_path(kind: ResourceKind) -> PathBuf {
    fixtures_dir().join(format!("{kind:?}.json").to_lowercase())
}

/// The recorded payload of `kind`.
pub fn fixture(kind: ResourceKind) -> Payload {
    let path = fixture_path(kind);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (record it: see tests/console_fixtures.rs)",
            path.display()
        )
    });
    decode(kind, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Write `payload` as the fixture of its kind.
pub fn record(payload: &Payload) {
    std::fs::create_dir_all(fixtures_dir()).unwrap();
    let mut text = serde_json::to_string_pretty(&encode(payload)).unwrap();
    text.push('\n');
    std::fs::write(fixture_path(payload.kind()), text).unwrap();
}

macro_rules! codec {
    ($( $kind:ident ),+ $(,)?) => {
        /// A payload as the JSON of its model (the API's field names).
        pub fn encode(payload: &Payload) -> serde_json::Value {
            match payload {
                $( Payload::$kind(d) => serde_json::to_value(d).unwrap(), )+
            }
        }

        /// A payload of `kind` from the JSON `encode` wrote.
        pub fn decode(kind: ResourceKind, text: &str) -> serde_json::Result<Payload> {
            Ok(match kind {
                $( ResourceKind::$kind => Payload::$kind(serde_json::from_str(text)?), )+
            })
        }
    };
}

codec!(
    Machines,
    MachineActions,
    Investigations,
    Alerts,
    Incidents,
    ExposureScore,
    GroupExposure,
    ConfigurationScore,
    Recommendations,
    RemediationTasks,
    Vulnerabilities,
    Indicators,
    AvInfo,
    SecureScores,
    ControlProfiles,
);

/// Open a Daily task from the checklist (`1`, select it, enter); returns its figure as the
/// checklist showed it.
pub fn open_daily_task(s: &mut AppState, id: &str) -> String {
    update(s, Msg::Key(Key::ch('1')));
    let i = tasks(Cadence::Daily)
        .iter()
        .position(|t| t.id == id)
        .unwrap();
    s.checklist_selected.insert(Cadence::Daily, i);
    let figure = s.figures[&(Cadence::Daily, tasks(Cadence::Daily)[i].id)].clone();
    update(s, Msg::Key(Key::plain(KeyCode::Enter)));
    figure
}
