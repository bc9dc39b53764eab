//! The recorded payloads the UI snapshots are drawn from (`tests/fixtures/console/`).
//!
//! Recording them again is deliberate, never a side effect of a test run:
//! `cargo test --test console_fixtures -- --ignored` reads every resource from the simulator
//! (seed 7, 40 devices, the tests' clock) and writes one JSON file per resource.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod console_common;
use console_common::{ALL_KINDS, client, decode, encode, fixture, record, sim, sim_payloads};

#[tokio::test]
#[ignore = "writes tests/fixtures/console from the simulator; run on purpose"]
async fn record_console_fixtures() {
    let sim = sim().await;
    for payload in sim_payloads(&client(&sim), &ALL_KINDS).await {
        record(&payload);
    }
}

/// Every resource has a fixture, and it reads back to the same JSON (so nothing the console
/// draws is lost between the recording and the snapshot).
#[test]
fn every_fixture_reads_back_unchanged() {
    for kind in ALL_KINDS {
        let payload = fixture(kind);
        assert_eq!(payload.kind(), kind);
        let json = encode(&payload);
        let again = decode(kind, &json.to_string()).unwrap();
        assert_eq!(encode(&again), json, "{kind:?}");
    }
}

/// The fixtures are a tenant, not empty files: devices, alerts and incidents are there.
#[test]
fn the_fixtures_hold_a_tenant() {
    use socops::app::Payload;
    let Payload::Machines(m) = fixture(socops::app::ResourceKind::Machines) else {
        unreachable!()
    };
    assert_eq!(m.len(), 40);
    let Payload::Incidents(i) = fixture(socops::app::ResourceKind::Incidents) else {
        unreachable!()
    };
    assert!(!i.is_empty());
}
