//! How cells are drawn, whatever the view: a cut cell ends in `…` (also in rows with the
//! since-last-run mark column), no cell touches the right border, a popup clears a margin
//! beside its sides, and Pending and History say an action type the same way.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod console_common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use console_common::load_at;
use serde_json::json;
use socops::app::data::checklist::Marks;
use socops::app::{AppState, Key, KeyCode, Keymap, Msg, Payload, Settings, View, start, update};
use socops::digest::Snapshot;

mod screen;
use screen::draw;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 12, 0).unwrap()
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn state(since: bool) -> AppState {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    if since {
        s.since.enabled = true;
        s.since.profile = "p".into();
        s.since.previous = Some(Snapshot::empty("p", "t", now() - Duration::hours(24)));
    }
    start(&mut s);
    s
}

fn load(s: &mut AppState, payload: Payload) {
    load_at(s, payload, now());
}

const TITLES: [&str; 3] = [
    "Credential theft on one endpoint involving one user",
    "Suspicious execution of a renamed system binary on one endpoint",
    "Ransomware activity on one endpoint",
];

fn incidents() -> Payload {
    let t = (now() - Duration::hours(2)).to_rfc3339();
    Payload::Incidents(from(json!([
        {"id": "4101", "displayName": TITLES[0], "severity": "high", "status": "active",
         "assignedTo": "soc-tier2@fabrikam.com", "createdDateTime": t, "lastUpdateDateTime": t},
        {"id": "4102", "displayName": TITLES[1], "severity": "medium", "status": "inProgress",
         "assignedTo": "analyst@fabrikam.com", "createdDateTime": t, "lastUpdateDateTime": t},
        {"id": "4103", "displayName": TITLES[2], "severity": "low", "status": "active",
         "createdDateTime": t, "lastUpdateDateTime": t},
    ])))
}

/// The lines of the screen that show the rows of `ids`.
fn rows_of<'a>(screen: &'a str, ids: &[&str]) -> Vec<&'a str> {
    screen
        .lines()
        .filter(|l| ids.iter().any(|id| l.contains(&format!(" {id} "))))
        .collect()
}

/// Every line inside a box ends in a space before the right border.
fn assert_gap_before_border(screen: &str, width: usize) {
    for l in screen.lines() {
        let cells: Vec<char> = l.chars().collect();
        if cells.len() == width && cells[0] == '│' && cells[width - 1] == '│' {
            assert_eq!(
                cells[width - 2],
                ' ',
                "a cell touches the border:\n{l}\n{screen}"
            );
        }
    }
}

#[test]
fn cut_titles_end_in_an_ellipsis_in_rows_with_the_since_mark() {
    let mut s = state(true);
    load(&mut s, incidents());
    let t = &s.tables[&socops::app::TableId::Incidents];
    assert!(
        t.has_marks(),
        "the new incidents carry the since-last-run mark"
    );
    s.view = View::Incidents;
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        let rows = rows_of(&screen, &["4101", "4102", "4103"]);
        assert_eq!(rows.len(), 3, "{screen}");
        for (row, title) in rows.iter().zip(TITLES) {
            // The title is whole, or a prefix of it cut with `…`: never a bare cut.
            let whole = row.contains(title);
            let cut = (8..title.len()).any(|n| row.contains(&format!("{}…", &title[..n])));
            assert!(whole || cut, "{w}x{h}: title cut bare:\n{row}\n{screen}");
        }
        assert_gap_before_border(&screen, usize::from(w));
    }
}

fn recommendations() -> Payload {
    Payload::Recommendations(from(json!([
        {"id": "sca-1", "recommendationName": "Update Windows 10", "severityScore": 5.78,
         "exposedMachinesCount": 6, "publicExploit": true, "recommendationCategory": "OS",
         "status": "Exception"},
        {"id": "sca-2", "recommendationName": "Turn on tamper protection", "severityScore": 5.2,
         "exposedMachinesCount": 4, "publicExploit": false,
         "recommendationCategory": "SecurityControls", "status": "Active"},
    ])))
}

#[test]
fn no_cell_touches_the_right_border() {
    let mut s = state(false);
    load(&mut s, incidents());
    load(&mut s, recommendations());
    for view in [View::Incidents, View::DeviceScore] {
        s.view = view;
        for (w, h) in [(80, 24), (100, 30), (120, 40), (200, 50)] {
            let screen = draw(&mut s, w, h);
            assert!(
                screen.contains("Exception") || view == View::Incidents,
                "{screen}"
            );
            assert_gap_before_border(&screen, usize::from(w));
        }
    }
}

fn machines() -> Payload {
    let seen = (now() - Duration::hours(1)).to_rfc3339();
    let rows: Vec<serde_json::Value> = (0..30)
        .map(|i| {
            json!({"id": format!("m{i}"), "computerDnsName": format!("fin-ws-{i:04}.fabrikam.local"),
                   "osPlatform": "Windows11", "riskScore": "Medium", "exposureLevel": "High",
                   "healthStatus": "ImpairedCommunication", "lastSeen": seen})
        })
        .collect();
    Payload::Machines(from(serde_json::Value::Array(rows)))
}

#[test]
fn a_popup_clears_a_margin_beside_itself() {
    let mut s = state(false);
    load(&mut s, machines());
    s.view = View::Devices;
    update(&mut s, Msg::Key(Key::plain(KeyCode::Char('.'))));
    assert!(s.actions.menu.is_some(), "the action menu is open");
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
        // The popup's left border: the first `┌` after the table's own border.
        let (top, left) = lines
            .iter()
            .enumerate()
            .skip(2)
            .find_map(|(y, l)| l.iter().skip(1).position(|&c| c == '┌').map(|x| (y, x + 1)))
            .expect("a popup");
        let right = lines[top].iter().rposition(|&c| c == '┐').unwrap();
        let bottom = (top..lines.len())
            .find(|&y| lines[y].get(left) == Some(&'└'))
            .unwrap();
        for (y, l) in lines.iter().enumerate().take(bottom + 1).skip(top) {
            assert_eq!(
                l.get(left - 1),
                Some(&' '),
                "{w}x{h} line {y} left:\n{screen}"
            );
            let after = l.get(right + 1).copied().unwrap_or(' ');
            assert_eq!(after, ' ', "{w}x{h} line {y} right:\n{screen}");
        }
    }
}

fn actions() -> Payload {
    let t = (now() - Duration::hours(3)).to_rfc3339();
    let done = |id: &str, kind: &str| {
        json!({"id": id, "type": kind, "status": "Succeeded", "machineId": "m2",
               "computerDnsName": "srv-sql-02", "requestor": "ana@fabrikam.com",
               "requestorComment": "weekly hygiene", "creationDateTimeUtc": t,
               "lastUpdateDateTimeUtc": t})
    };
    Payload::MachineActions(from(json!([
        {"id": "p1", "type": "RunAntiVirusScan", "status": "Pending", "machineId": "m1",
         "computerDnsName": "ws-014", "requestor": "ana@fabrikam.com",
         "requestorComment": "after the alert", "creationDateTimeUtc": t},
        done("h1", "RunAntiVirusScan"),
        done("h2", "CollectInvestigationPackage"),
        done("h3", "StopAndQuarantineFile"),
    ])))
}

#[test]
fn pending_and_history_use_the_same_short_forms_at_80_columns() {
    let mut s = state(false);
    load(&mut s, actions());
    s.view = View::ActionCenter;
    let screen = draw(&mut s, 80, 24);
    let scans: Vec<&str> = screen
        .lines()
        .filter(|l| l.contains("ws-014") || l.contains("srv-sql-02"))
        .collect();
    assert!(scans.len() >= 2, "{screen}");
    assert!(!screen.contains("RunAntiVirusScan"), "{screen}");
    assert_eq!(
        screen.matches("AV scan").count(),
        2,
        "Pending and History both say AV scan:\n{screen}"
    );
    // The columns line up: the device column starts at the same cell in both tables.
    let col = |id: &str| {
        screen
            .lines()
            .find(|l| l.contains(id))
            .and_then(|l| l.find(id).map(|b| l[..b].chars().count()))
    };
    assert_eq!(col("ws-014"), col("srv-sql-02"), "{screen}");
    // With room, the words are whole in both.
    let wide = draw(&mut s, 200, 50);
    assert_eq!(wide.matches("RunAntiVirusScan").count(), 2, "{wide}");
}

#[test]
fn the_script_picker_keeps_its_radios_under_the_label() {
    let mut s = state(false);
    s.settings.plan = socops::api::plan::Plan::P2;
    load(&mut s, machines());
    update(
        &mut s,
        Msg::LibraryFiles(
            [
                "Collect-Triage.ps1",
                "Get-RunningProcesses.ps1",
                "Remove-ScheduledTask.ps1",
                "collect_logs.sh",
            ]
            .map(String::from)
            .to_vec(),
        ),
    );
    s.view = View::Devices;
    update(&mut s, Msg::Key(Key::plain(KeyCode::Char('.'))));
    let menu = s.actions.menu.as_ref().expect("the action menu");
    let pos = menu
        .items
        .iter()
        .position(|k| k.title() == "Live response: run script")
        .expect("run script on P2");
    for _ in 0..pos {
        update(&mut s, Msg::Key(Key::plain(KeyCode::Down)));
    }
    update(&mut s, Msg::Key(Key::plain(KeyCode::Enter)));
    assert!(s.actions.dialog.is_some(), "the run-script dialog is open");
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        let radios: Vec<&str> = screen
            .lines()
            .filter(|l| l.contains("( )") || l.contains("(•)"))
            .collect();
        assert!(!radios.is_empty(), "{screen}");
        for l in &radios {
            // Every line of radios starts at the value column, never at the box's edge,
            // and no radio is parted from its name.
            let at = l.find('(').unwrap();
            let col = l[..at].chars().count();
            assert!(col >= 20, "{w}x{h}: radio at column {col}:\n{screen}");
            assert!(
                !l.trim_end_matches(['│', ' ']).ends_with(')'),
                "{w}x{h}:\n{screen}"
            );
        }
        let all = radios.concat();
        for name in [
            "Collect-Triage.ps1",
            "Get-RunningProcesses.ps1",
            "collect_logs.sh",
        ] {
            assert!(all.contains(name), "{w}x{h}: {name}:\n{screen}");
        }
        insta::assert_snapshot!(format!("script_picker_{w}x{h}"), screen);
    }
}
