//! The runtime side of `:ctx` against two simulated tenants (different seeds): the effects of
//! the first tenant load from it, `SwitchTenant` swaps them so the next loads reach the
//! second, and `LoadTenants` answers one summary per tenant.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::{Command, Msg, Payload, ResourceKind};
use socops::runtime::tenants::{TenantHandle, TenantSet};
use socops::sim::{SimConfig, start};
use tokio::sync::mpsc;

/// The next message, or a failure after 30 s instead of a test that hangs.
async fn next_msg(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Option<Msg> {
    tokio::time::timeout(std::time::Duration::from_secs(30), rx.recv())
        .await
        .expect("no message within 30 s")
}

async fn sim_client(seed: u64) -> (socops::sim::RunningSim, Client) {
    let sim = start(SimConfig {
        seed,
        devices: 12,
        now: Some(Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()),
        rate_limits: false,
        time_scale: 1e-9,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap();
    let url = sim.base_url();
    let client = Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&url), Some(&url), Some(&url)),
        Arc::new(StaticToken::new("tok", "test")),
        RetryPolicy::fast(),
    );
    (sim, client)
}

fn handle(name: &str, client: Result<Client, String>) -> TenantHandle {
    TenantHandle {
        name: name.into(),
        label: name.to_uppercase(),
        color: Some("cyan".into()),
        read_only: false,
        protected: false,
        plan: socops::api::plan::Plan::P2,
        client,
        team: None,
        analyst: None,
    }
}

async fn device_names(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Vec<String> {
    loop {
        match next_msg(rx).await.expect("an answer") {
            Msg::Loaded { payload, .. } => match *payload {
                Payload::Machines(m) => {
                    let mut names: Vec<String> = m
                        .iter()
                        .filter_map(|m| m.computer_dns_name().map(str::to_string))
                        .collect();
                    names.sort();
                    return names;
                }
                other => panic!("unexpected payload {:?}", other.kind()),
            },
            Msg::LoadFailed { error, .. } => panic!("load failed: {}", error.text),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_between_two_simulated_tenants() {
    let (_a, client_a) = sim_client(1).await;
    let (_b, client_b) = sim_client(2).await;
    let dir = tempfile::tempdir().unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let set = TenantSet {
        handles: vec![
            handle("alpha", Ok(client_a)),
            handle("beta", Ok(client_b)),
            handle("gamma", Err("no credential".into())),
        ],
        data_dir: dir.path().to_path_buf(),
        checklist_dir: dir.path().join("checklist"),
        export_dir: None,
        offline: false,
        tx,
    };
    assert_eq!(set.infos()[2].unavailable.as_deref(), Some("no credential"));
    assert!(set.effects(2).is_none());
    let mut fx = set.effects(0).unwrap();
    fx.run(Command::Load(ResourceKind::Machines, 1));
    let alpha = device_names(&mut rx).await;

    assert!(set.run(&Command::SwitchTenant(1), &mut fx));
    loop {
        match next_msg(&mut rx).await.unwrap() {
            Msg::Budget { .. } => continue,
            Msg::TenantRestored { profile, .. } => assert_eq!(profile, "beta"),
            other => panic!("expected the restored files first, got {other:?}"),
        }
        break;
    }
    fx.run(Command::Load(ResourceKind::Machines, 2));
    let beta = device_names(&mut rx).await;
    assert!(!alpha.is_empty() && !beta.is_empty());
    assert_ne!(alpha, beta, "the second load reached the second tenant");

    // The full device list was written to each profile's response cache.
    let cache = socops::store::ResponseCache::new(dir.path());
    for _ in 0..2000 {
        if cache
            .load_raw("beta", socops::api::resources::ListResource::Devices)
            .unwrap()
            .is_some()
        {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let (records, _) = cache
        .load_raw("beta", socops::api::resources::ListResource::Devices)
        .unwrap()
        .unwrap();
    assert_eq!(records.len(), beta.len());

    // All tenants: one answer per available tenant.
    assert!(set.run(&Command::LoadTenants { round: 7 }, &mut fx));
    let mut got = Vec::new();
    while got.len() < 2 {
        if let Msg::TenantSummary {
            round,
            index,
            result,
        } = next_msg(&mut rx).await.unwrap()
        {
            assert_eq!(round, 7);
            let snap = result.expect("summary");
            got.push((index, snap.profile.clone()));
        }
    }
    got.sort();
    assert_eq!(got, vec![(0, "alpha".into()), (1, "beta".into())]);
}
