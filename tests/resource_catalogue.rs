//! One resource catalogue: the console and the headless lists read and write the same
//! response-cache entry, in the same shape, for every list they share. Each direction is
//! tried for every list: the CLI writes and the offline console reads, and the console writes
//! and the offline CLI reads. The CLI commands are the catalogue's own `fill_command`s (the
//! hint the offline console shows), so a hint that names no real command fails here too.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

mod bin_common;
use std::path::Path;
use std::process::Output;

use roundtrip_common::{client, fixed_now, sim};
use serde_json::Value;
use socops::api::resources::ListResource;
use socops::app::{Payload, ResourceKind};
use socops::runtime::catalogue::{Offline, Online, entry};
use socops::runtime::fetch::fetch_for_cache;
use socops::runtime::offline::OfflineSource;
use socops::store::ResponseCache;

/// The demo profile's name: `--demo` files its cache under it.
const PROFILE: &str = "demo";

fn socops(dir: &Path, args: &[&str]) -> Output {
    bin_common::command(dir)
        .arg("--demo")
        .args(args)
        .output()
        .unwrap()
}

/// Run the CLI, expecting success; its stdout as JSON records.
fn json_records(dir: &Path, args: &[&str]) -> Vec<Value> {
    let o = socops(dir, args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{args:?}: {err}");
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The arguments of a list's fill command (`socops devices list` → `devices list`).
fn command_of(list: ListResource) -> Vec<&'static str> {
    let mut words = list.fill_command().split_whitespace();
    assert_eq!(words.next(), Some("socops"), "{list:?}");
    words.collect()
}

/// The console resource served from `list`'s cache entry.
fn kind_of(list: ListResource) -> ResourceKind {
    let kinds: Vec<ResourceKind> = ResourceKind::ALL
        .into_iter()
        .filter(|k| entry(*k).offline == Offline::Cache(list))
        .collect();
    assert_eq!(kinds.len(), 1, "{list:?}: {kinds:?}");
    kinds[0]
}

fn records_in(p: &Payload) -> usize {
    match p {
        Payload::Machines(v) => v.len(),
        Payload::MachineActions(v) => v.len(),
        Payload::Investigations(v) => v.len(),
        Payload::Alerts(v) => v.len(),
        Payload::Incidents(v) => v.len(),
        Payload::GroupExposure(v) => v.len(),
        Payload::Recommendations(v) => v.len(),
        Payload::RemediationTasks(v) => v.len(),
        Payload::Vulnerabilities(v) => v.len(),
        Payload::Indicators(v) => v.len(),
        Payload::AvInfo(v) => v.len(),
        Payload::SecureScores(v) => v.len(),
        Payload::ControlProfiles(v) => v.len(),
        Payload::ExposureScore(_) | Payload::ConfigurationScore(_) => 1,
    }
}

/// The CLI writes each list's entry with a full read; the offline console reads every record
/// of it back as its resource, none skipped. Incidents come with their alerts, which the
/// console's incident pages need (before the catalogue, `incidents list` cached them without,
/// and the offline console showed incidents with no alerts).
#[test]
fn the_offline_console_reads_what_the_cli_wrote() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cache = ResponseCache::new(&d.join("data"));
    let src = OfflineSource {
        cache: cache.clone(),
        profile: PROFILE.into(),
        snapshot: None,
    };
    for list in ListResource::ALL {
        let kind = kind_of(list);
        let missing = src.read(kind).unwrap_err();
        assert!(missing.contains(list.fill_command()), "{missing}");

        let mut args = command_of(list);
        args.push("--json");
        let written = json_records(d, &args);
        assert!(!written.is_empty(), "{list:?}: the demo tenant has records");
        let (payload, _, skipped) = src.read(kind).unwrap();
        assert_eq!(payload.kind(), kind);
        assert!(skipped.is_empty(), "{list:?}: {}", skipped.summary());
        assert_eq!(records_in(&payload), written.len(), "{list:?}");
        if let Payload::Incidents(incidents) = &payload {
            assert!(
                incidents.iter().all(|i| i.alerts.is_some()),
                "the cached incidents carry their alerts"
            );
            assert!(
                incidents
                    .iter()
                    .any(|i| !i.alerts.as_ref().unwrap().is_empty())
            );
        }
    }
}

/// The console writes the entry of each list it reads whole; the offline CLI prints exactly
/// the records the console read, in the shape a full online read of the CLI has (incidents
/// with their alerts on both sides).
#[tokio::test]
async fn the_offline_cli_reads_what_the_console_wrote() {
    let s = sim(12).await;
    let c = client(&s);
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().to_path_buf();
    let cache = ResponseCache::new(&d.join("data"));
    let mut shared = 0;
    for kind in ResourceKind::ALL {
        let Online::Whole(list) = entry(kind).online else {
            continue;
        };
        shared += 1;
        let (payload, raw) = fetch_for_cache(&c, kind, fixed_now()).await.unwrap();
        let (filed, records) = raw.expect("a whole read under its cap is kept");
        assert_eq!(filed, list);
        assert_eq!(records_in(&payload), records.len(), "{list:?}");
        assert!(
            cache
                .save_raw(PROFILE, list, &records, fixed_now())
                .unwrap()
        );

        let mut args = vec!["--offline"];
        args.extend(command_of(list));
        args.push("--json");
        let dir = d.clone();
        let printed = tokio::task::spawn_blocking(move || json_records(&dir, &args))
            .await
            .unwrap();
        let wrote: Vec<Value> = records
            .iter()
            .map(|r| serde_json::from_str(r.get()).unwrap())
            .collect();
        // The recommendations list prints by impact; compare as sets of records.
        let key = |v: &Value| v.to_string();
        let mut printed_keys: Vec<String> = printed.iter().map(key).collect();
        let mut wrote_keys: Vec<String> = wrote.iter().map(key).collect();
        printed_keys.sort();
        wrote_keys.sort();
        assert_eq!(printed_keys, wrote_keys, "{list:?}");

        if list == ListResource::Incidents {
            assert!(printed.iter().all(|i| i["alerts"].is_array()));
            // A full online read of the CLI has the same shape.
            let tmp2 = tempfile::tempdir().unwrap();
            let dir2 = tmp2.path().to_path_buf();
            let online = tokio::task::spawn_blocking(move || {
                json_records(&dir2, &["incidents", "list", "--json"])
            })
            .await
            .unwrap();
            assert!(!online.is_empty() && online.iter().all(|i| i["alerts"].is_array()));
        }
    }
    assert_eq!(shared, 8, "the lists the console reads whole");
}

/// Offline, `actions list` names the devices of actions whose record has no name from the
/// devices list's cache entry, as online it does from the devices list (before, offline
/// tables showed those devices by id).
#[test]
fn the_offline_actions_table_names_devices_from_the_devices_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let actions = json_records(d, &["actions", "list", "--json"]);
    let unnamed: Vec<&Value> = actions
        .iter()
        .filter(|a| a["computerDnsName"].is_null())
        .collect();
    assert!(!unnamed.is_empty(), "the demo keeps one unnamed action");
    // Without the devices entry the table says why devices show by id.
    let o = socops(d, &["--offline", "actions", "list"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("socops devices list"), "{err}");

    json_records(d, &["devices", "list", "--json"]);
    let o = socops(d, &["--offline", "actions", "list"]);
    assert!(o.status.success());
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("warning"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for a in unnamed {
        let id = a["id"].as_str().unwrap();
        let machine = a["machineId"].as_str().unwrap();
        let line = table.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(!line.contains(machine), "named by id: {line}");
    }
}
