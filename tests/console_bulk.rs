//! Bulk work (`update` on the recorded tenant's data, `tests/fixtures/console/`): `space`
//! marks rows in every table and moves the cursor down, `A` toggles all, the title counts
//! them; `V`, `i`, `I` and `.` on marked devices open ONE dialog (one comment, one
//! confirmation listing every device) and send one request per device; the status line
//! counts the answers and the last one opens a page with each row's result. Snapshots at
//! 80×24 and 120×40.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::api::calls::ActionRequest;
use socops::api::plan::Plan;
use socops::app::actions::{ActionKind, Purpose, SendResult};
use socops::app::{
    AppState, Command, Key, KeyCode, LoadError, Msg, ResourceKind, Settings, TableId, update,
};

mod console_common;
mod screen;
use screen::draw;

async fn console(protected: bool) -> AppState {
    let settings = Settings {
        plan: Plan::P2,
        protected,
        ..console_common::demo_settings()
    };
    // The recorded tenant (not the live generator): the snapshots below stay put.
    let mut s = console_common::fixture_state_with(
        settings,
        &[ResourceKind::Machines, ResourceKind::MachineActions],
        console_common::now(),
    );
    key(&mut s, Key::ch(':'));
    for c in "devices".chars() {
        key(&mut s, Key::ch(c));
    }
    key(&mut s, Key::plain(KeyCode::Enter));
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn marked(s: &AppState) -> usize {
    s.table(TableId::Devices)
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.marker() == '✓')
        .count()
}

fn sends(cmds: &[Command]) -> Vec<(u64, ActionRequest)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SendAction {
                ticket, request, ..
            } => Some((*ticket, (**request).clone())),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn space_marks_and_moves_down_and_a_toggles_all() {
    let mut s = console(false).await;
    let t = s.table(TableId::Devices).unwrap();
    let shown = t.view.len();
    assert_eq!(t.selected, 0);
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch(' '));
    assert_eq!(s.table(TableId::Devices).unwrap().selected, 3);
    assert_eq!(marked(&s), 3);
    assert!(draw(&mut s, 120, 40).contains("· 3 marked"));
    // Space on a marked row unmarks it.
    key(&mut s, Key::ch('k'));
    key(&mut s, Key::ch(' '));
    assert_eq!(marked(&s), 2);
    key(&mut s, Key::ch('A'));
    assert_eq!(marked(&s), shown);
    key(&mut s, Key::ch('A'));
    assert_eq!(marked(&s), 0);
}

#[tokio::test]
async fn v_on_marked_devices_is_one_dialog_and_one_request_each_with_results_per_row() {
    let mut s = console(false).await;
    for _ in 0..3 {
        key(&mut s, Key::ch(' '));
    }
    let ids: Vec<String> = {
        let t = s.table(TableId::Devices).unwrap();
        t.rows_in_view()
            .take(3)
            .map(|r| r.id().to_string())
            .collect()
    };
    key(&mut s, Key::ch('V'));
    let open = s.actions.dialog.as_ref().expect("one dialog");
    assert_eq!(open.dialog.title, "Run antivirus scan · 3 devices");
    assert_eq!(open.dialog.targets.len(), 3);
    assert!(matches!(&open.purpose, Purpose::Bulk(ActionKind::Scan, d) if d.len() == 3));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("bulk_dialog_{w}x{h}"), draw(&mut s, w, h));
    }
    for c in "weekly sweep".chars() {
        key(&mut s, Key::ch(c));
    }
    let sent = sends(&key(&mut s, Key::plain(KeyCode::Enter)));
    assert_eq!(sent.len(), 3);
    let mut to: Vec<String> = sent
        .iter()
        .map(|(_, r)| match r {
            ActionRequest::RunAntiVirusScan {
                machine_id,
                comment,
                ..
            } => {
                assert_eq!(comment, "weekly sweep");
                machine_id.clone()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    to.sort();
    let mut want = ids.clone();
    want.sort();
    assert_eq!(to, want);
    assert_eq!(marked(&s), 0, "the marks are spent");
    let line = socops::app::actions::bulk::progress_line(&s).unwrap();
    assert_eq!(line, "Run antivirus scan · 3 devices: 0 of 3 answered");
    // Answers come back one by one; the last opens the results, one line per device.
    update(
        &mut s,
        Msg::ActionSent {
            ticket: sent[0].0,
            result: SendResult::Sent {
                id: Some("a1".into()),
                status: Some("Pending".into()),
            },
        },
    );
    update(
        &mut s,
        Msg::ActionSent {
            ticket: sent[1].0,
            result: SendResult::Failed(LoadError {
                text: "403 Forbidden".into(),
                code: None,
                correlation_id: None,
            }),
        },
    );
    assert_eq!(
        socops::app::actions::bulk::progress_line(&s).unwrap(),
        "Run antivirus scan · 3 devices: 2 of 3 answered · 1 not done"
    );
    assert!(draw(&mut s, 120, 40).contains("2 of 3 answered"));
    update(
        &mut s,
        Msg::ActionSent {
            ticket: sent[2].0,
            result: SendResult::Duplicate {
                id: "a0".into(),
                status: "Pending".into(),
            },
        },
    );
    assert!(socops::app::actions::bulk::progress_line(&s).is_none());
    let d = s.detail.as_ref().expect("the results");
    assert_eq!(d.lines.len(), 3);
    assert!(d.lines[0].ends_with("sent (Pending)"), "{:?}", d.lines);
    assert!(
        d.lines[1].ends_with("not performed: 403 Forbidden"),
        "{:?}",
        d.lines
    );
    assert!(d.lines[2].contains("already Pending"), "{:?}", d.lines);
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("bulk_results_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[tokio::test]
async fn the_menu_and_i_act_on_every_marked_device() {
    let mut s = console(false).await;
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch('.'));
    let m = s.actions.menu.as_ref().expect("the menu");
    assert_eq!(m.bulk.len(), 2);
    assert!(
        !m.items.contains(&ActionKind::Offboard),
        "typed names are one device at a time"
    );
    let isolate = m
        .items
        .iter()
        .position(|k| *k == ActionKind::Isolate)
        .unwrap();
    for _ in 0..isolate {
        key(&mut s, Key::ch('j'));
    }
    key(&mut s, Key::plain(KeyCode::Enter));
    let open = s.actions.dialog.as_ref().expect("one dialog");
    assert!(matches!(&open.purpose, Purpose::Bulk(ActionKind::Isolate, d) if d.len() == 2));
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::ch('i'));
    assert!(matches!(
        &s.actions.dialog.as_ref().unwrap().purpose,
        Purpose::Bulk(ActionKind::Isolate, d) if d.len() == 2
    ));
}

#[tokio::test]
async fn a_protected_profile_isolates_one_typed_name_at_a_time() {
    let mut s = console(true).await;
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch('i'));
    assert!(s.actions.dialog.is_none());
    let t = &s.toasts.last().unwrap().text;
    assert!(t.contains("one device at a time"), "{t}");
    // A scan needs no typed name: one dialog for both.
    key(&mut s, Key::ch('V'));
    assert!(s.actions.dialog.is_some());
}
