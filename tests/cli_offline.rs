//! `--offline` and `--out` end to end: a list read online (demo tenant) is served offline
//! from the response cache of the same data dir, in table and JSON, with client-side filters;
//! actions are refused offline; exports refuse to overwrite; the remediation CSV carries the
//! portal-style export columns.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn socops(dir: &Path, args: &[&str]) -> Output {
    bin_common::command(dir)
        .arg("--demo")
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> (String, String) {
    let o = socops(dir, args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(o.status.success(), "{args:?}: {err}");
    (String::from_utf8(o.stdout).unwrap(), err)
}

fn array(text: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(text).unwrap()
}

#[test]
fn offline_serves_the_last_full_read_in_table_and_json() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Nothing cached yet: a clear message, exit 1.
    let o = socops(d, &["--offline", "devices", "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("online first"));

    // A filtered read is not cached; the full read is.
    ok(d, &["devices", "list", "--risk", "High"]);
    assert!(socops(d, &["--offline", "devices", "list"]).status.code() == Some(1));
    let (online, _) = ok(d, &["devices", "list", "--json"]);
    let online = array(&online);

    let (json, err) = ok(d, &["--offline", "devices", "list", "--json"]);
    assert_eq!(array(&json), online);
    assert!(err.starts_with("offline: data from "), "{err}");
    assert!(err.contains(" old"), "{err}");

    let (table, _) = ok(d, &["--offline", "devices", "list"]);
    assert!(table.lines().next().unwrap().starts_with("NAME"));
    assert_eq!(table.lines().count(), online.len() + 1);

    // Filters apply client-side; --limit too; an OData filter is refused.
    let (high, _) = ok(
        d,
        &["--offline", "devices", "list", "--risk", "high", "--json"],
    );
    let high = array(&high);
    let want = online.iter().filter(|v| v["riskScore"] == "High").count();
    assert_eq!(high.len(), want);
    assert!(want > 0);
    let (two, _) = ok(
        d,
        &["--offline", "devices", "list", "--limit", "2", "--json"],
    );
    assert_eq!(array(&two).len(), 2);
    let o = socops(
        d,
        &["--offline", "devices", "list", "--filter", "osBuild gt 1"],
    );
    assert_eq!(o.status.code(), Some(2));

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let f = d.join("data/cache/demo/devices.json");
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn offline_refuses_actions() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for args in [
        &[
            "--offline",
            "device",
            "fin-lt-0142",
            "isolate",
            "--comment",
            "c",
            "--yes",
        ][..],
        &["--offline", "action", "abc", "cancel", "--yes"][..],
        &["--offline", "indicators", "delete", "1", "--yes"][..],
    ] {
        let o = socops(d, args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("--offline") && err.contains("nothing was sent"),
            "{err}"
        );
    }
    // Nothing was attempted, so nothing reached the audit log.
    assert!(!d.join("data/audit.jsonl").exists());
}

#[test]
fn out_writes_once_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let file = d.join("remediation.csv");
    let f = file.to_str().unwrap();
    let (stdout, err) = ok(d, &["remediation", "list", "--out", f]);
    assert!(stdout.is_empty());
    assert!(err.contains("wrote "), "{err}");
    let csv = std::fs::read_to_string(&file).unwrap();
    let header = csv.lines().next().unwrap();
    for h in [
        "Remediation activity",
        "Status",
        "Priority",
        "Created by",
        "Created on",
        "Due date",
        "Category",
        "Remediation type",
        "Related component",
        "Exposed devices",
        "Completed devices",
        "Completed by",
        "Completion method",
        "Requester notes",
        "Description",
    ] {
        assert!(header.split(',').any(|c| c == h), "{h} missing: {header}");
    }
    assert!(header.starts_with("Remediation activity,Status,Priority"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "an export holds tenant data");
    }

    let o = socops(d, &["remediation", "list", "--out", f]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);

    // --force replaces it; JSON by default for a non-.csv name.
    let j = d.join("devices.json");
    let j = j.to_str().unwrap();
    ok(d, &["devices", "list", "--out", j]);
    ok(d, &["remediation", "list", "--json", "--out", j, "--force"]);
    let v: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(j).unwrap()).unwrap();
    assert!(v[0].get("title").is_some());
    // No temp files are left beside the exports.
    let stray = std::fs::read_dir(d)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(stray, 0);
}

/// The offline console's Action center and Alerts read the caches `socops actions list` and
/// `socops alerts list` write (Graph alerts shown as the console's MDE alerts); without
/// them the message names the command that fills each.
#[test]
fn offline_console_serves_headless_actions_and_alerts() {
    use socops::app::{Payload, ResourceKind};
    use socops::runtime::offline::OfflineSource;
    use socops::store::ResponseCache;

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let (alerts, _) = ok(d, &["alerts", "list", "--json"]);
    let alerts = array(&alerts);
    ok(d, &["actions", "list"]);
    let cache = ResponseCache::new(&d.join("data"));
    let src = |profile: &str| OfflineSource {
        cache: cache.clone(),
        profile: profile.to_string(),
        snapshot: None,
    };
    let empty = src("nobody").payload(ResourceKind::Alerts).unwrap_err();
    assert!(empty.contains("`socops alerts list`"), "{empty}");
    let empty = src("nobody")
        .payload(ResourceKind::MachineActions)
        .unwrap_err();
    assert!(empty.contains("`socops actions list`"), "{empty}");

    let (p, _) = src("demo").payload(ResourceKind::Alerts).unwrap();
    let Payload::Alerts(a) = p else { panic!() };
    assert_eq!(a.len(), alerts.len());
    assert!(!a.is_empty() && a.iter().all(|x| x.alert_creation_time.is_some()));
    assert!(
        a.iter()
            .any(|x| x.machine_id.is_some() && x.severity.is_some())
    );
    let (p, _) = src("demo").payload(ResourceKind::MachineActions).unwrap();
    let Payload::MachineActions(m) = p else {
        panic!()
    };
    assert!(!m.is_empty());
}
