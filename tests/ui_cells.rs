//! How cells are drawn, whatever the view: a cut cell ends in `…` (also in rows with the
//! since-last-run mark column), no text touches a border, a popup clears its rectangle and a
//! one-cell margin all round (and nothing else), the checklist's figures stay in their box,
//! and Pending and History say an action type the same way.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod console_common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use console_common::load_at;
use serde_json::json;
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Cadence, Key, KeyCode, Keymap, Msg, Payload, Settings, View, start, update,
};
use socops::digest::Snapshot;

mod screen;
use screen::boxes::{Bx, Grid, assert_padded};
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

/// The demo tenant from the recorded fixtures (every resource), on the tests' clock.
fn loaded() -> AppState {
    let mut s = console_common::empty_state();
    let payloads = console_common::ALL_KINDS
        .iter()
        .map(|k| console_common::fixture(*k))
        .collect();
    console_common::deliver(
        &mut s,
        payloads,
        console_common::now() - Duration::seconds(12),
    );
    s
}

fn press(s: &mut AppState, keys: &[Key]) {
    for k in keys {
        update(s, Msg::Key(*k));
    }
}

fn go(s: &mut AppState, view: View) {
    s.view = view;
    s.detail = None;
}

/// The box drawn with the popup open that was not there without it.
fn popup_box(before: &Grid, after: &Grid) -> Bx {
    let old = before.boxes();
    let new: Vec<Bx> = after
        .boxes()
        .into_iter()
        .filter(|b| !old.contains(b))
        .collect();
    assert_eq!(new.len(), 1, "one new box: {new:?}");
    new[0]
}

/// With the popup open, every cell of its one-cell margin (kept in `rows` of the screen) is
/// blank, and every cell of those rows beyond the margin is as it was without the popup.
fn assert_clears_exactly(before: &str, after: &str, w: usize, rows: std::ops::Range<usize>) {
    let (b, a) = (Grid::of(before, w), Grid::of(after, w));
    let p = popup_box(&b, &a);
    let near = |x: usize, y: usize| {
        x + 1 >= p.left && x <= p.right + 1 && y + 1 >= p.top && y <= p.bottom + 1
    };
    let inside = |x: usize, y: usize| x >= p.left && x <= p.right && y >= p.top && y <= p.bottom;
    for y in rows {
        for x in 0..w {
            if inside(x, y) {
                continue;
            }
            if near(x, y) {
                assert_eq!(
                    a.at(x, y),
                    ' ',
                    "({x},{y}) in the margin of {p:?}:\n{after}"
                );
            } else {
                assert_eq!(
                    a.at(x, y),
                    b.at(x, y),
                    "({x},{y}) beyond the margin of {p:?} changed:\n{before}\n{after}"
                );
            }
        }
    }
}

#[test]
fn a_popup_clears_its_rectangle_and_a_margin_all_round_and_nothing_else() {
    let mut s = loaded();
    s.settings.protected = true;
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 50)] {
        let (wu, hu) = (usize::from(w), usize::from(h));
        // The body's rows: the header above and the footer's two lines below stay.
        let body = 1..hu - 2;
        go(&mut s, View::DevicesAtRisk);
        press(
            &mut s,
            &[Key::plain(KeyCode::Down), Key::plain(KeyCode::Down)],
        );
        let table = draw(&mut s, w, h);
        press(&mut s, &[Key::ch('.')]);
        let menu = draw(&mut s, w, h);
        assert!(menu.contains("Isolate device"), "{menu}");
        assert_clears_exactly(&table, &menu, wu, body.clone());
        press(&mut s, &[Key::plain(KeyCode::Esc), Key::ch('i')]);
        let dialog = draw(&mut s, w, h);
        assert!(dialog.contains("Comment"), "{dialog}");
        assert_clears_exactly(&table, &dialog, wu, body.clone());
        press(&mut s, &[Key::plain(KeyCode::Esc)]);

        // The palette's suggestions stand on the body's bottom edge.
        go(&mut s, View::Incidents);
        let incidents = draw(&mut s, w, h);
        press(&mut s, &[Key::ch(':'), Key::ch('i'), Key::ch('n')]);
        let palette = draw(&mut s, w, h);
        assert_clears_exactly(&incidents, &palette, wu, body.clone());
        press(&mut s, &[Key::plain(KeyCode::Esc)]);

        // Help floats over the whole screen where it is narrower than it.
        if w > 80 {
            press(&mut s, &[Key::ch('?')]);
            let help = draw(&mut s, w, h);
            assert_clears_exactly(&incidents, &help, wu, 0..hu - 2);
            press(&mut s, &[Key::plain(KeyCode::Esc)]);
        }
    }
}

/// Every screen a user reaches: the views of the four cadences, the detail pages, the
/// dialogs, the palette, help.
fn every_screen(s: &mut AppState, w: u16, h: u16) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut shot = |s: &mut AppState, name: &str| out.push((name.to_string(), draw(s, w, h)));
    for c in Cadence::ALL {
        for view in c.views() {
            go(s, *view);
            shot(s, &format!("{view:?}"));
        }
    }
    for (view, page) in [
        (View::Devices, "device page"),
        (View::ActionCenter, "action page"),
        (View::DeviceScore, "recommendation page"),
        (View::Incidents, "incident page"),
        (View::Alerts, "alert page"),
    ] {
        go(s, view);
        press(s, &[Key::plain(KeyCode::Enter)]);
        assert!(s.detail.is_some(), "{page} opens");
        shot(s, page);
    }
    go(s, View::DevicesAtRisk);
    press(s, &[Key::ch('.')]);
    shot(s, "action menu");
    press(s, &[Key::plain(KeyCode::Esc), Key::ch('i')]);
    for c in "contain ransomware on the finance laptop, ticket IR-2214 from the night shift".chars()
    {
        press(s, &[Key::ch(c)]);
    }
    shot(s, "isolate dialog");
    press(s, &[Key::plain(KeyCode::Esc)]);
    go(s, View::Checklist(Cadence::Daily));
    press(s, &[Key::ch(':'), Key::ch('d')]);
    shot(s, "palette");
    press(s, &[Key::plain(KeyCode::Esc), Key::ch('?')]);
    shot(s, "help");
    press(s, &[Key::plain(KeyCode::Esc)]);
    out
}

#[test]
fn no_text_touches_a_border_on_any_screen() {
    let mut s = loaded();
    for (w, h) in [(80u16, 24u16), (120, 40), (200, 50)] {
        for (name, screen) in every_screen(&mut s, w, h) {
            assert_padded(&screen, usize::from(w), &format!("{name} at {w}x{h}"));
        }
    }
}

#[test]
fn a_long_typed_comment_stays_on_its_line() {
    let mut s = loaded();
    go(&mut s, View::DevicesAtRisk);
    press(&mut s, &[Key::ch('i')]);
    let comment = "contain ransomware on the finance laptop, ticket IR-2214 from the night shift";
    for c in comment.chars() {
        press(&mut s, &[Key::ch(c)]);
    }
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let screen = draw(&mut s, w, h);
        let line = screen
            .lines()
            .find(|l| l.contains("Comment"))
            .expect("the comment field");
        // The end of what is typed is in view, cut at its start with `…`, on one line.
        assert!(line.contains("night shift▏]"), "{w}x{h}:\n{screen}");
        assert!(line.contains("[…"), "{w}x{h}:\n{screen}");
        assert!(!screen.contains("\n│ │ shift"), "{w}x{h}:\n{screen}");
    }
}

#[test]
fn checklist_figures_stay_in_their_box() {
    let mut s = loaded();
    for c in Cadence::ALL {
        go(&mut s, View::Checklist(c));
        let tasks = socops::app::data::checklist::tasks(c);
        for (w, h) in [(80u16, 24u16), (60, 20), (200, 50)] {
            let screen = draw(&mut s, w, h);
            let g = Grid::of(&screen, usize::from(w));
            // The checklist is the first box whose rows name the tasks.
            let list = g
                .boxes()
                .into_iter()
                .find(|b| {
                    g.text(b.top + 1, b.left, b.right)
                        .contains(tasks[0].title.get(..8).unwrap())
                })
                .unwrap_or_else(|| panic!("{c:?} {w}x{h}: the checklist box\n{screen}"));
            for (i, task) in tasks.iter().enumerate() {
                let y = list.top + 1 + i;
                let row = g.text(y, list.left + 1, list.right - 1);
                assert_eq!(row.chars().last(), Some(' '), "{c:?} {w}x{h}:\n{screen}");
                let figure = &s.figures[&(c, task.id)];
                let shown = row.trim_end();
                // The figure whole, or cut with `…` at the end of the line's room.
                let whole = shown.ends_with(figure.as_str());
                let cut = shown.ends_with('…')
                    && (1..figure.chars().count()).any(|n| {
                        let head: String = figure.chars().take(n).collect();
                        shown.ends_with(&format!("{}…", head.trim_end()))
                    });
                assert!(
                    whole || cut,
                    "{c:?} {w}x{h}: {figure:?} in {row:?}\n{screen}"
                );
            }
        }
    }
}
