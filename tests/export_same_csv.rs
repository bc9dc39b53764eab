//! One rendering of a record list: the console's `e` CSV of the Devices view and the CLI's
//! `devices list --csv`, read from the same simulated tenant, have the same header and the
//! same cells.
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

#[tokio::test]
async fn the_console_and_the_cli_write_the_same_device_csv() {
    let sim = console_common::sim().await;
    let client = console_common::client(&sim);
    let mut s = console_common::empty_state();
    let payloads = console_common::sim_payloads(&client, &[ResourceKind::Machines]).await;
    console_common::deliver(&mut s, payloads, console_common::now());
    for c in ":devices".chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    update(&mut s, Msg::Key(Key::plain(KeyCode::Enter)));
    assert_eq!(s.view, View::Devices);
    update(&mut s, Msg::Key(Key::ch('e')));
    let cmds = update(&mut s, Msg::Key(Key::ch('c')));
    let Some(Command::Export { content, .. }) = cmds.into_iter().next() else {
        panic!("no export")
    };

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
}
