//! One rendering of a record list: the console's `e` CSV of a view and the CLI's `… list
//! --csv` of the same records, read from the same simulated tenant, have the same header and
//! the same cells, and in the view's default order the same bytes (devices, recommendations,
//! remediation activities).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::app::{Command, Key, KeyCode, Msg, ResourceKind, View, update};

mod bin_common;
mod console_common;

/// `socops --demo --mde-url URL ARGS` with a clean environment.
async fn cli(url: String, args: &'static [&'static str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = bin_common::demo_at(&url, dir.path(), &[], args).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn header_and_rows(csv: &str) -> (String, Vec<String>) {
    let mut lines = csv.lines().map(str::to_string);
    let header = lines.next().unwrap_or_default();
    let mut rows: Vec<String> = lines.collect();
    rows.sort();
    (header, rows)
}

/// The console's `e` `c` CSV of the table on screen after typing `:{view}`, Enter and
/// `panes_right` times `l` (the next pane), with `kinds` loaded from `sim`.
async fn console_csv(
    sim: &socops::sim::RunningSim,
    kinds: &[ResourceKind],
    view: &str,
    panes_right: usize,
) -> (View, String) {
    let client = console_common::client(sim);
    let mut s = console_common::empty_state();
    let payloads = console_common::sim_payloads(&client, kinds).await;
    console_common::deliver(&mut s, payloads, console_common::now());
    update(&mut s, Msg::Key(Key::ch(':')));
    for c in view.chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    update(&mut s, Msg::Key(Key::plain(KeyCode::Enter)));
    for _ in 0..panes_right {
        update(&mut s, Msg::Key(Key::ch('l')));
    }
    update(&mut s, Msg::Key(Key::ch('e')));
    let cmds = update(&mut s, Msg::Key(Key::ch('c')));
    let Some(Command::Export { content, .. }) = cmds.into_iter().next() else {
        panic!("no export on {view}")
    };
    (s.view, content)
}

#[tokio::test]
async fn the_console_and_the_cli_write_the_same_device_csv() {
    let sim = console_common::sim().await;
    let (view, content) = console_csv(&sim, &[ResourceKind::Machines], "devices", 0).await;
    assert_eq!(view, View::Devices);

    let printed = cli(sim.base_url(), &["devices", "list", "--csv"]).await;
    let (console_header, console_rows) = header_and_rows(&content);
    let (cli_header, cli_rows) = header_and_rows(&printed);
    assert_eq!(console_header, cli_header);
    assert!(
        console_header.starts_with("NAME,OS,HEALTH,RISK"),
        "{console_header}"
    );
    assert_eq!(console_rows.len(), 40);
    assert_eq!(console_rows, cli_rows);
    // In the view's default order the whole file is the CLI's, byte for byte.
    assert_eq!(content, printed);
}

#[tokio::test]
async fn the_console_and_the_cli_write_the_same_recommendations_csv() {
    let sim = console_common::sim().await;
    let (view, content) =
        console_csv(&sim, &[ResourceKind::Recommendations], "recommendations", 0).await;
    assert_eq!(view, View::DeviceScore);

    let printed = cli(sim.base_url(), &["recommendations", "list", "--csv"]).await;
    let (console_header, console_rows) = header_and_rows(&content);
    let (cli_header, cli_rows) = header_and_rows(&printed);
    assert_eq!(
        console_header,
        "ID,IMPACT,CONFIG,RECOMMENDATION,CATEGORY,SEVERITY,EXPOSED,STATUS"
    );
    assert_eq!(console_header, cli_header);
    assert!(console_rows.len() > 5, "{content}");
    assert_eq!(console_rows, cli_rows);
    // In the view's default order the whole file is the CLI's, byte for byte.
    assert_eq!(content, printed);
}

#[tokio::test]
async fn the_console_and_the_cli_write_the_same_remediation_csv() {
    let sim = console_common::sim().await;
    // The Remediation activities are the second pane of the recommendations view.
    let (view, content) = console_csv(
        &sim,
        &[
            ResourceKind::Recommendations,
            ResourceKind::RemediationTasks,
        ],
        "recommendations",
        1,
    )
    .await;
    assert_eq!(view, View::DeviceScore);

    let printed = cli(sim.base_url(), &["remediation", "list", "--csv"]).await;
    let (console_header, console_rows) = header_and_rows(&content);
    let (cli_header, cli_rows) = header_and_rows(&printed);
    assert!(
        console_header.starts_with("Remediation activity,Status,Priority,Created by,"),
        "{console_header}"
    );
    assert!(console_header.ends_with(",Device groups,Activity ID"));
    assert_eq!(console_header, cli_header);
    assert!(!console_rows.is_empty(), "{content}");
    assert_eq!(console_rows, cli_rows);
    // In the view's default order the whole file is the CLI's, byte for byte.
    assert_eq!(content, printed);
}
