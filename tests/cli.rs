//! End-to-end tests of the headless commands: the built binary against the in-process demo
//! tenant (`--demo`), with the config and data dirs in a tempdir. Nothing reaches the
//! internet; nothing asserts wall-clock time.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn config_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("config")
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_socops"));
        for k in bin_common::FOREIGN_ENV {
            cmd.env_remove(k);
        }
        cmd.env("SOCOPS_CONFIG_DIR", self.config_dir())
            .env("SOCOPS_DATA_DIR", self.dir.path().join("data"))
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// `--demo ARGS`, asserting success; returns stdout.
    fn demo_ok(&self, args: &[&str]) -> String {
        let mut all = vec!["--demo"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn demo(&self, args: &[&str]) -> Output {
        let mut all = vec!["--demo"];
        all.extend_from_slice(args);
        self.run(&all)
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_array(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text).unwrap() {
        Value::Array(a) => a,
        other => panic!("not an array: {other}"),
    }
}

#[test]
fn lists_in_three_formats() {
    let env = Env::new();
    let lists: &[(&[&str], &str, &str)] = &[
        (&["devices", "list"], "NAME", "computerDnsName"),
        (&["incidents", "list"], "SEVERITY", "displayName"),
        (&["alerts", "list"], "SEVERITY", "serviceSource"),
        (&["actions", "list"], "TYPE", "requestor"),
        (&["investigations", "list"], "STATE", "state"),
        (
            &["recommendations", "list"],
            "RECOMMENDATION",
            "recommendationName",
        ),
        (&["vulnerabilities", "list"], "CVSS", "severity"),
        (&["remediation", "list"], "PRIORITY", "title"),
        (&["indicators", "list"], "VALUE", "indicatorValue"),
        (&["report", "av-health"], "MODE", "avMode"),
    ];
    for (args, header, field) in lists {
        let table = env.demo_ok(args);
        assert!(
            table.lines().next().unwrap_or("").contains(header),
            "{args:?}: {table}"
        );
        let mut j = args.to_vec();
        j.push("--json");
        let arr = json_array(&env.demo_ok(&j));
        if let Some(first) = arr.first() {
            assert!(
                first.get(*field).is_some(),
                "{args:?} lacks {field}: {first}"
            );
        }
        let mut c = args.to_vec();
        c.push("--csv");
        let csv = env.demo_ok(&c);
        // The remediation CSV is the portal-style export ("Priority"), the others the table's.
        let first = csv.lines().next().unwrap().to_ascii_uppercase();
        assert!(
            first.starts_with("ID") || first.contains(header),
            "{args:?}: {first}"
        );
    }
}

#[test]
fn devices_json_is_verbatim_and_filters_apply() {
    let env = Env::new();
    let arr = json_array(&env.demo_ok(&["devices", "list", "--risk", "High", "--json"]));
    assert!(!arr.is_empty());
    for d in &arr {
        assert_eq!(d["riskScore"], "High");
        assert!(d["computerDnsName"].is_string());
    }
    let arr = json_array(&env.demo_ok(&["devices", "list", "--limit", "3", "--json"]));
    assert_eq!(arr.len(), 3);
}

#[test]
fn score_json_has_three_raw_objects() {
    let env = Env::new();
    let v: Value = serde_json::from_str(&env.demo_ok(&["score", "--json"])).unwrap();
    assert!(v["exposureScore"]["score"].is_number());
    assert!(v["configurationScore"]["score"].is_number());
    assert!(v["secureScore"]["currentScore"].is_number());
    let table = env.demo_ok(&["score"]);
    assert!(table.contains("Fabrikam (DEMO)"));
}

fn first_device(env: &Env) -> (String, String) {
    let arr = json_array(&env.demo_ok(&["devices", "list", "--limit", "1", "--json"]));
    let d = &arr[0];
    (
        d["id"].as_str().unwrap().to_string(),
        d["computerDnsName"].as_str().unwrap().to_string(),
    )
}

/// One simulator shared by several runs (`--demo --mde-url`), so an action queued by one run
/// can be waited on by the next. The simulated clock stands still until the test moves it
/// past the scan's duration, so the outcome never depends on how fast this machine is.
#[tokio::test(flavor = "multi_thread")]
async fn scan_then_wait_succeeds_and_is_audited() {
    let sim = socops::sim::start(socops::sim::SimConfig {
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let base = sim.base_url();
    let env = Env::new();
    let run = |args: Vec<String>| {
        let env_dir = env.dir.path().to_path_buf();
        let base = base.clone();
        tokio::task::spawn_blocking(move || {
            let mut all = vec!["--demo".to_string(), "--mde-url".into(), base];
            all.extend(args);
            Command::new(env!("CARGO_BIN_EXE_socops"))
                .env("SOCOPS_CONFIG_DIR", env_dir.join("config"))
                .env("SOCOPS_DATA_DIR", env_dir.join("data"))
                .args(all)
                .stdin(Stdio::null())
                .output()
                .unwrap()
        })
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let out = run(s(&[
        "devices", "list", "--health", "active", "--limit", "1", "--json",
    ]))
    .await
    .unwrap();
    let name = json_array(&String::from_utf8_lossy(&out.stdout))[0]["computerDnsName"]
        .as_str()
        .unwrap()
        .to_string();
    let out = run(s(&[
        "device",
        &name,
        "scan",
        "--comment",
        "c",
        "--yes",
        "--json",
    ]))
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let action: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(action["type"], "RunAntiVirusScan");
    let id = action["id"].as_str().unwrap().to_string();
    sim.advance(3600.0);
    let out = run(s(&["action", &id, "wait", "--timeout", "120"]))
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Succeeded"));
    let out = env.run(&["audit", "list", "--json"]);
    let entries = json_array(&String::from_utf8_lossy(&out.stdout));
    let kinds: Vec<&str> = entries.iter().filter_map(|e| e["kind"].as_str()).collect();
    // The intent before sending, the answer after, and the final status `wait` saw.
    assert_eq!(kinds, ["intent", "outcome", "outcome"]);
    assert_eq!(entries[2]["final_status"], "Succeeded");
    assert_eq!(entries[2]["action_id"], id.as_str());
}

#[test]
fn isolate_needs_yes_without_a_terminal() {
    let env = Env::new();
    let (_, name) = first_device(&env);
    let out = env.demo(&["device", &name, "isolate", "--comment", "c"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"));
    assert_eq!(stderr(&out).trim().lines().count(), 1);
    // Nothing was sent, so nothing was audited.
    let audit = env.run(&["audit", "list", "--json"]);
    assert!(json_array(&String::from_utf8_lossy(&audit.stdout)).is_empty());
}

#[test]
fn read_only_refuses_and_comment_is_required() {
    let env = Env::new();
    let (_, name) = first_device(&env);
    let out = env.demo(&[
        "--read-only",
        "device",
        &name,
        "isolate",
        "--comment",
        "c",
        "--yes",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("read-only"));
    let out = env.demo(&["device", &name, "scan", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("comment"));
}

#[test]
fn dry_run_prints_the_request_without_token() {
    let env = Env::new();
    let (id, name) = first_device(&env);
    let out = env.demo_ok(&["--dry-run", "device", &name, "isolate", "--comment", "why"]);
    assert!(out.starts_with("POST http://127.0.0.1:"), "{out}");
    assert!(out.contains(&format!("/api/machines/{id}/isolate")));
    assert!(out.contains("\"Comment\": \"why\""));
    assert!(out.contains("\"IsolationType\": \"Full\""));
    assert!(out.contains("Bearer <elided>"));
    assert!(!out.contains("demo-token"));
    let audit = env.run(&["audit", "list", "--json"]);
    let entries = json_array(&String::from_utf8_lossy(&audit.stdout));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["dry_run"], true);
    // `audit list --limit N` shows the newest N entries.
    env.demo_ok(&["--dry-run", "device", &name, "scan", "--comment", "later"]);
    let audit = env.run(&["audit", "list", "--limit", "1", "--json"]);
    let entries = json_array(&String::from_utf8_lossy(&audit.stdout));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["comment"], "later", "{entries:?}");
}

#[test]
fn bad_cloud_is_a_usage_error() {
    let env = Env::new();
    let out = env.run(&["--cloud", "mars", "devices", "list"]);
    assert_eq!(out.status.code(), Some(2));
    // Refused by the parser, naming the value and listing the clouds there are.
    let err = stderr(&out);
    assert!(err.contains("mars"), "{err}");
    assert!(err.contains("global, gcc, gcc-high, dod"), "{err}");
    // The aliases the config accepts are accepted on the command line too.
    let out = env.run(&["--cloud", "GCC-High", "--offline", "devices", "list"]);
    assert!(!stderr(&out).contains("invalid value"), "{}", stderr(&out));
}

#[test]
fn world_readable_config_is_refused() {
    let env = Env::new();
    let dir = env.config_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        "[profiles.a]\ntenant_id = \"t\"\nclient_id = \"c\"\n",
    )
    .unwrap();
    set_mode(&file, 0o644);
    let out = env.run(&["--profile", "a", "devices", "list"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("chmod"), "{}", stderr(&out));
    let path = env.run(&["config", "path"]);
    assert_eq!(
        String::from_utf8_lossy(&path.stdout).trim(),
        file.display().to_string()
    );
}

#[cfg(unix)]
fn set_mode(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_p: &Path, _mode: u32) {}

#[cfg(unix)]
#[test]
fn the_log_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.demo_ok(&["devices", "list"]);
    let logs: Vec<_> = std::fs::read_dir(env.dir.path().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("socops.log"))
        })
        .collect();
    assert!(!logs.is_empty(), "a log file is kept");
    for l in logs {
        let mode = std::fs::metadata(&l).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", l.display());
    }
}

#[test]
fn device_counts_zero_to_the_maximum() {
    let env = Env::new();
    // An empty tenant answers; a count above the maximum is a usage error, not an abort.
    let out = env.demo(&["--devices", "0", "devices", "list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_array(&String::from_utf8_lossy(&out.stdout)).len(), 0);
    for n in ["100001", "18446744073709551615", "many"] {
        let out = env.demo(&["--devices", n, "devices", "list"]);
        assert_eq!(out.status.code(), Some(2), "{n}: {}", stderr(&out));
        assert!(stderr(&out).contains("0 to 100000"), "{}", stderr(&out));
    }
}

#[test]
fn investigate_is_retired_and_names_the_full_scan() {
    let env = Env::new();
    let (_, name) = first_device(&env);
    let out = env.demo(&["device", &name, "investigate", "--comment", "c", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("retired on 2026-09-01"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("scan --full"), "{}", stderr(&out));
    let audit = env.run(&["audit", "list", "--json"]);
    assert!(json_array(&String::from_utf8_lossy(&audit.stdout)).is_empty());
}

#[test]
fn the_demo_is_a_business_tenant_and_refuses_plan_2_actions_before_sending() {
    let env = Env::new();
    let (id, name) = first_device(&env);
    for verb in [
        vec!["collect"],
        vec!["restrict"],
        vec!["run-script", "Get-Processes.ps1"],
        vec!["quarantine-file", "--sha1", &"a".repeat(40)],
    ] {
        let mut args = vec!["device", name.as_str()];
        args.extend(verb.iter().copied());
        args.extend(["--comment", "c", "--yes"]);
        let out = env.demo(&args);
        assert_eq!(out.status.code(), Some(3), "{verb:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("Microsoft Defender for Business"), "{err}");
        assert!(err.contains("respond-machine-alerts"), "{err}");
    }
    // Nothing was sent, so nothing was audited.
    let audit = env.run(&["audit", "list", "--json"]);
    assert!(json_array(&String::from_utf8_lossy(&audit.stdout)).is_empty());
    // A Plan 2 tenant offers it.
    let out = env.demo_ok(&[
        "--plan",
        "p2",
        "--dry-run",
        "device",
        &name,
        "collect",
        "--comment",
        "c",
    ]);
    assert!(out.contains(&format!("/api/machines/{id}/collectInvestigationPackage")));
    let bad = env.demo(&["--plan", "e5", "devices", "list"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("business, p1, p2"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn offboard_asks_for_the_typed_device_name_even_with_yes() {
    let env = Env::new();
    let (_, name) = first_device(&env);
    let out = env.demo(&["device", &name, "offboard", "--comment", "retired", "--yes"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("device name must be typed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn network_indicators_are_checked_and_an_existing_one_needs_replace() {
    let env = Env::new();
    let add = |ip: &str, extra: &[&str]| {
        let mut a = vec![
            "indicators",
            "add",
            "--ip",
            ip,
            "--action",
            "Block",
            "--title",
            "c2 server",
            "--description",
            "beaconing seen on fin-lt",
            "--yes",
        ];
        a.extend_from_slice(extra);
        env.demo(&a)
    };
    let first = add("203.0.113.9", &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    // The demo tenant already blocks 185.220.101.7: refused, naming the existing indicator.
    let again = add("185.220.101.7", &[]);
    assert_eq!(again.status.code(), Some(3), "{}", stderr(&again));
    let err = stderr(&again);
    assert!(
        err.contains("already exists") && err.contains("--replace"),
        "{err}"
    );
    assert!(err.contains("Known malware distribution server"), "{err}");
    let replaced = add("185.220.101.7", &["--replace"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    // The audit record names value, type, action, title and the comment.
    let audit = std::fs::read_to_string(env.dir.path().join("data").join("audit.jsonl")).unwrap();
    for needle in [
        "185.220.101.7",
        "IpAddress",
        "Block",
        "c2 server",
        "beaconing seen on fin-lt",
    ] {
        assert!(audit.contains(needle), "{needle} not in {audit}");
    }
    // Type x action, checked before anything is sent.
    let bad = env.demo(&[
        "indicators",
        "add",
        "--url",
        "https://evil.example/x",
        "--action",
        "BlockAndRemediate",
        "--title",
        "t",
        "--yes",
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("file hashes"), "{}", stderr(&bad));
    let warn = env.demo(&[
        "indicators",
        "add",
        "--domain",
        "evil.example",
        "--action",
        "Warn",
        "--title",
        "t",
        "--yes",
    ]);
    assert_eq!(warn.status.code(), Some(2), "{}", stderr(&warn));
    assert!(
        stderr(&warn).contains("Defender for Cloud Apps"),
        "{}",
        stderr(&warn)
    );
}
