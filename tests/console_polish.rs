//! Scenario tests of the console polish: column widths, device names from the loaded devices,
//! the since-last-run panel and row marks, and table exports.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use socops::app::data::checklist::Marks;
use socops::app::export::{Format, file_name, grid, render};
use socops::app::tables::table::Column;
use socops::app::tables::widths::{fit, wants};
use socops::app::{
    AppState, Command, Key, Keymap, Msg, Payload, Settings, TableId, View, start, update,
};
use socops::digest::Snapshot;
use socops::digest::model::{ActionItem, SecureScoreFigure};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 12, 0).unwrap()
}

fn state(enabled: bool, previous: Option<Snapshot>) -> AppState {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    s.since.enabled = enabled;
    s.since.profile = "p".into();
    s.since.previous = previous;
    start(&mut s);
    s
}

fn load(s: &mut AppState, payload: Payload) -> Vec<Command> {
    let kind = payload.kind();
    let id = 90_000 + s.next_request;
    s.next_request += 1;
    s.data.start(kind, id);
    update(
        s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(payload),
        },
    )
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn machines() -> Payload {
    Payload::Machines(from(json!([
        {"id": "m1", "computerDnsName": "ws-014.fabrikam.local", "riskScore": "High",
         "exposureLevel": "High", "healthStatus": "Active"},
        {"id": "m2", "computerDnsName": "srv-sql-02", "riskScore": "Low",
         "exposureLevel": "Medium", "healthStatus": "Active"},
    ])))
}

fn actions() -> Payload {
    let t = (now() - Duration::hours(3)).to_rfc3339();
    Payload::MachineActions(from(json!([
        {"id": "a1", "type": "Isolate", "status": "Pending", "machineId": "m1",
         "computerDnsName": null, "creationDateTimeUtc": t},
        {"id": "a2", "type": "RunAntiVirusScan", "status": "Succeeded", "machineId": "m2",
         "requestor": "ana@fabrikam.com", "creationDateTimeUtc": t, "lastUpdateDateTimeUtc": t},
    ])))
}

fn incidents() -> Payload {
    let old = (now() - Duration::days(5)).to_rfc3339();
    let new = (now() - Duration::hours(2)).to_rfc3339();
    Payload::Incidents(from(json!([
        {"id": "4101", "displayName": "Ransomware on ws-014", "severity": "high",
         "status": "active", "createdDateTime": new, "lastUpdateDateTime": new},
        {"id": "4090", "displayName": "Old credential theft", "severity": "medium",
         "status": "active", "createdDateTime": old, "lastUpdateDateTime": old},
        {"id": "4095", "displayName": "Another medium", "severity": "low",
         "status": "resolved", "createdDateTime": old, "lastUpdateDateTime": old},
    ])))
}

#[test]
fn width_function_keeps_short_columns_whole() {
    let cols = vec![
        Column::severity("RISK", 8),
        Column::text("DEVICE", 24),
        Column::text("OS", 12),
        Column::text("TITLE", 40),
        Column::age("SEEN", 5),
    ];
    // Content: RISK "Informational" (13), DEVICE 12, OS "WindowsServer2022" (17), TITLE 70.
    let w = wants(&cols, &[13, 12, 17, 70, 0], &[]);
    let f = fit(&w, 100);
    assert_eq!(&f[..3], &[13, 12, 17]);
    assert_eq!(f.iter().sum::<u16>(), 100);
    // Narrow: the free text gives way first, the short columns stay whole.
    let f = fit(&w, 70);
    assert_eq!(&f[..3], &[13, 12, 17]);
    assert_eq!(f[3], 70 - 13 - 12 - 17 - 5);
    // Very narrow: everything fits in the room, nothing below 3.
    let f = fit(&w, 30);
    assert_eq!(f.iter().sum::<u16>(), 30);
}

#[test]
fn actions_without_a_dns_name_are_named_from_the_devices() {
    let mut s = state(false, None);
    load(&mut s, actions());
    let row = |s: &AppState| {
        s.tables[&TableId::ActionsPending]
            .rows
            .cell(0, 1)
            .to_string()
    };
    assert_eq!(row(&s), "m1", "before devices load, the machine id");
    load(&mut s, machines());
    assert_eq!(row(&s), "ws-014");
}

fn previous() -> Snapshot {
    let mut p = Snapshot::empty("p", "t", now() - Duration::hours(24));
    p.incidents = vec![];
    p.pending_actions = vec![ActionItem {
        id: "a2".into(),
        action_type: "RunAntiVirusScan".into(),
        device: "srv-sql-02".into(),
        status: "Pending".into(),
        ..Default::default()
    }];
    p.secure_score = Some(SecureScoreFigure {
        current: 50.0,
        max: 100.0,
        percent: 50.0,
    });
    p
}

#[test]
fn since_last_run_panel_and_marks() {
    let mut s = state(true, Some(previous()));
    load(&mut s, machines());
    load(&mut s, actions());
    load(&mut s, incidents());
    load(
        &mut s,
        Payload::SecureScores(from(json!([
            {"id": "x", "currentScore": 52.5, "maxScore": 100.0,
             "createdDateTime": now().to_rfc3339()}
        ]))),
    );
    let lines = s.since.lines.join("\n");
    assert!(lines.contains("+ 1 incident (1 High)"), "{lines}");
    assert!(lines.contains("+ 1 device at high risk: ws-014"), "{lines}");
    assert!(
        lines.contains("✓ RunAntiVirusScan srv-sql-02 succeeded (ana,"),
        "{lines}"
    );
    assert!(lines.contains("▲ Secure Score 52.5% (+2.5)"), "{lines}");
    assert_eq!(
        socops::app::tables::since::title(&s),
        "Since last run (yesterday 08:12)"
    );
    // Marks: incidents not in the previous snapshot are new; the new high-risk device too.
    let inc = &s.tables[&TableId::Incidents];
    let marks: Vec<(String, char)> = inc
        .rows
        .iter()
        .map(|r| (r.id().to_string(), r.mark()))
        .collect();
    assert!(marks.contains(&("4101".into(), '+')), "{marks:?}");
    assert!(
        s.tables[&TableId::DevicesAtRisk]
            .rows
            .get(0)
            .unwrap()
            .mark()
            == '+'
    );
    assert!(inc.has_marks());
}

#[test]
fn snapshot_saved_once_when_its_data_is_in() {
    let mut s = state(true, None);
    let mut saves = 0;
    for p in [machines(), actions(), incidents()] {
        saves += load(&mut s, p)
            .iter()
            .filter(|c| matches!(c, Command::SaveSnapshot(_)))
            .count();
    }
    assert_eq!(saves, 0, "not everything is in yet");
    for k in socops::app::data::session_digest::RESOURCES {
        if let Some(id) = s.data.pending(k) {
            let cmds = update(
                &mut s,
                Msg::LoadFailed {
                    id,
                    at: now(),
                    kind: k,
                    error: socops::app::LoadError {
                        text: "down".into(),
                        code: None,
                        correlation_id: None,
                    },
                },
            );
            saves += cmds
                .iter()
                .filter(|c| matches!(c, Command::SaveSnapshot(_)))
                .count();
        }
    }
    assert_eq!(saves, 1);
    let cur = s.since.current.as_ref().unwrap();
    assert_eq!(cur.pending_actions[0].device, "ws-014");
    assert!(!cur.errors.is_empty());
}

#[test]
fn export_takes_filtered_rows_in_sort_order() {
    let mut s = state(false, None);
    load(&mut s, incidents());
    update(&mut s, Msg::Key(Key::ch(':')));
    for c in "incidents".chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    update(&mut s, Msg::Key(Key::plain(socops::app::KeyCode::Enter)));
    assert_eq!(s.view, View::Incidents);
    // Every incident, the resolved one too (the list opens on unresolved ones).
    update(&mut s, Msg::Key(Key::ch('u')));
    // Filter to the two older incidents, sort by ID descending.
    update(&mut s, Msg::Key(Key::ch('/')));
    for c in "40".chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    update(&mut s, Msg::Key(Key::ch('9')));
    update(&mut s, Msg::Key(Key::plain(socops::app::KeyCode::Enter)));
    let t = s.tables.get_mut(&TableId::Incidents).unwrap();
    t.cycle_sort();
    t.cycle_sort();
    t.reverse_sort();
    assert!(update(&mut s, Msg::Key(Key::ch('e'))).is_empty());
    assert!(s.export_prompt);
    let cmds = update(&mut s, Msg::Key(Key::ch('c')));
    let Some(Command::Export { name, content }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(name, "incidents-2026-11-30T0812Z.csv");
    let lines: Vec<&str> = content.lines().collect();
    // The columns of `incidents list --csv`: one rendering of the list for both.
    assert_eq!(lines[0], "ID,SEVERITY,STATUS,NAME,ASSIGNED,UPDATED");
    assert_eq!(lines.len(), 3, "{content}");
    assert!(lines[1].starts_with("4095,"), "{content}");
    assert!(lines[1].contains(",Another medium,,"), "{content}");
    assert!(lines[2].starts_with("4090,"), "{content}");
    assert!(lines[2].ends_with(",2026-11-25T08:12:00Z"), "{content}");
    // JSON: the same rows as objects.
    let t = &s.tables[&TableId::Incidents];
    let (h, rows) = grid(t);
    let j: serde_json::Value = serde_json::from_str(&render(&h, &rows, Format::Json)).unwrap();
    assert_eq!(j[0]["ID"], "4095");
    assert_eq!(
        file_name(TableId::Alerts, now(), Format::Json),
        "alerts-2026-11-30T0812Z.json"
    );
}

#[test]
fn remediation_export_uses_portal_columns() {
    let mut s = state(false, None);
    load(
        &mut s,
        Payload::RemediationTasks(from(json!([
            {"id": "r1", "title": "=Update Chrome", "status": "Active", "priority": "High",
             "targetDevices": 10, "fixedDevices": 4, "requesterEmail": "ana@fabrikam.com",
             "createdOn": "2026-11-20T09:30:00Z"}
        ]))),
    );
    update(&mut s, Msg::Key(Key::ch(':')));
    for c in "recommendations".chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    update(&mut s, Msg::Key(Key::plain(socops::app::KeyCode::Enter)));
    // The Remediation activities are the second pane.
    update(&mut s, Msg::Key(Key::ch('l')));
    assert_eq!(s.focused_table(), Some(TableId::Remediation));
    update(&mut s, Msg::Key(Key::ch('e')));
    let cmds = update(&mut s, Msg::Key(Key::ch('c')));
    let Some(Command::Export { name, content }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(name, "remediation-activities-2026-11-30T0812Z.csv");
    assert!(
        content.starts_with("Remediation activity,Status,Priority,Created by,Created on,"),
        "{content}"
    );
    // A title that starts like a formula is quoted (text::csv_cell), times are ISO instants.
    assert!(
        content.contains("\n'=Update Chrome,Active,High,ana@fabrikam.com,2026-11-20T09:30:00Z,"),
        "{content}"
    );
    assert!(content.ends_with(",r1\n"), "{content}");
}
