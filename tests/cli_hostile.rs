//! A tenant written by an attacker: device and incident names carrying OSC 52 (clipboard
//! write), OSC 0 (window title), CSI 2J (clear screen), a C1 control, a bidi override, a
//! zero-width space and a line break followed by a fake prompt. The binary runs against the
//! simulator (`--demo --mde-url SIM`) with that tenant; whatever it prints, on stdout or
//! stderr, must hold none of those characters raw.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod bin_common;
use bin_common::demo_at;
use std::process::Output;

use serde_json::Value;
use socops::sim::{self, RunningSim, SimConfig};

const HOSTILE: &str = "ws-evil\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\
                       \u{9b}1m\u{85}\u{202e}nacs\u{200b}\nFAKE: nothing will be isolated (harmless)";

/// Bytes a terminal would act on or reorder: ESC, BEL, the C1 range (UTF-8 `C2 80..9F`),
/// the bidi override and the zero-width space.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                || matches!(c, '\u{200b}' | '\u{200c}' | '\u{feff}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in {text:?}");
    // CSV keeps a line break inside a quoted cell (it is data there, and lossless), and
    // live-response output is a block whose lines are the endpoint's own.
    let block = what.contains("--csv") || what.contains(" output");
    assert!(
        block || !text.lines().any(|l| l.starts_with("FAKE:")),
        "{what}: a name started a line of its own: {text}"
    );
}

async fn hostile_sim() -> (RunningSim, String) {
    let sim = sim::start(SimConfig {
        devices: 12,
        rate_limits: false,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let mut id = String::new();
    sim.edit_tenant(|t| {
        t.devices[0].name = HOSTILE.to_string();
        // Seen just now: a device not seen for days would keep its actions pending.
        t.devices[0].health = 0;
        t.devices[0].last_seen = chrono::Utc::now();
        id = t.devices[0].id.clone();
        // No history on it: nothing already pending blocks the actions below.
        t.actions.retain(|a| a.device != 0);
        for i in t.incidents.iter_mut() {
            i.name = format!("{HOSTILE} incident");
        }
    });
    (sim, id)
}

async fn run(sim: &RunningSim, dir: &tempfile::TempDir, args: &[&str]) -> Output {
    // The hostile simulator is a Plan 2 tenant (live response is Plan 2 only).
    demo_at(&sim.base_url(), dir.path(), &["--plan", "p2"], args).await
}

async fn safe_run(sim: &RunningSim, dir: &tempfile::TempDir, args: &[&str]) -> String {
    let out = run(sim, dir, args).await;
    let what = args.join(" ");
    assert_terminal_safe(&format!("{what} (stdout)"), &out.stdout);
    assert_terminal_safe(&format!("{what} (stderr)"), &out.stderr);
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_and_digests_show_hostile_names_without_running_them() {
    let (sim, _) = hostile_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let table = safe_run(&sim, &dir, &["devices", "list"]).await;
    assert!(table.contains("ws-evil␛]52;c;"), "{table}");
    assert!(table.contains("\\u{202e}"), "{table}");
    safe_run(&sim, &dir, &["incidents", "list"]).await;
    let digest = safe_run(&sim, &dir, &["digest"]).await;
    assert!(!digest.is_empty());
    safe_run(&sim, &dir, &["digest", "--markdown"]).await;

    // JSON: escaped, and still the same names once parsed.
    let json = safe_run(&sim, &dir, &["devices", "list", "--json"]).await;
    let v: Value = serde_json::from_str(&json).unwrap();
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["computerDnsName"].as_str())
        .collect();
    assert!(names.contains(&HOSTILE), "the JSON escape is lossless");
    safe_run(&sim, &dir, &["digest", "--json"]).await;

    let csv = safe_run(&sim, &dir, &["devices", "list", "--csv"]).await;
    assert!(csv.contains("ws-evil␛]52"), "{csv}");
}

#[tokio::test(flavor = "multi_thread")]
async fn actions_audit_and_live_response_output_are_shown_safely() {
    let (sim, id) = hostile_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let line = safe_run(
        &sim,
        &dir,
        &["device", &id, "scan", "--comment", "triage", "--yes"],
    )
    .await;
    assert!(line.contains("queued"), "{line}");
    let audit = safe_run(&sim, &dir, &["audit", "list"]).await;
    assert!(audit.contains("ws-evil␛"), "{audit}");

    let isolated = safe_run(
        &sim,
        &dir,
        &[
            "device",
            &id,
            "isolate",
            "--comment",
            "triage",
            "--yes",
            "--json",
        ],
    )
    .await;
    let isolate: Value = serde_json::from_str(&isolated).unwrap();
    // The service names the device once the action leaves Pending.
    sim.advance(120.0);
    let shown = safe_run(
        &sim,
        &dir,
        &["action", isolate["id"].as_str().unwrap(), "show"],
    )
    .await;
    assert!(shown.contains("ws-evil␛"), "{shown}");

    let sent = safe_run(
        &sim,
        &dir,
        &[
            "device",
            &id,
            "run-script",
            "Collect-Triage.ps1",
            "--comment",
            "triage",
            "--yes",
            "--json",
        ],
    )
    .await;
    let action: Value = serde_json::from_str(&sent).unwrap();
    let action_id = action["id"].as_str().unwrap().to_string();
    sim.advance(3600.0);
    let output = safe_run(&sim, &dir, &["action", &action_id, "output"]).await;
    assert!(output.contains("Completed on ws-evil␛"), "{output}");

    // The error printer: a refusal quoting the hostile name.
    let refused = run(
        &sim,
        &dir,
        &["device", HOSTILE, "isolate", "--comment", "c"],
    )
    .await;
    assert!(!refused.status.success());
    assert_terminal_safe("refusal (stderr)", &refused.stderr);
}
