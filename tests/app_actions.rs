//! Scenario tests of response actions in `update` up to the send: dialogs, typed-name
//! confirmation, the plan's menu, dry run, read-only refusal, the duplicate guard and
//! multi-select cancel. What follows the send is in `app_action_tracking.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::api::calls::ActionRequest;
use socops::app::actions::SendResult;
use socops::app::{Command, Key, KeyCode, Msg, Settings, View, update};

mod app_actions_common;
use app_actions_common::*;

#[test]
fn scan_dialog_types_a_comment_and_confirms_into_one_send() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    let cmds = key(&mut s, Key::ch('V'));
    assert!(cmds.contains(&Command::LoadLibrary));
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Run antivirus scan");
    assert!(d.targets[0].contains("pc-01.contoso.local · Windows11 · risk High"));
    // Empty comment: refused in the dialog, nothing sent.
    assert!(sends(&enter(&mut s)).is_empty());
    assert!(s.actions.dialog.as_ref().unwrap().dialog.error.is_some());
    typed(&mut s, "weekly check");
    // Shift-tab to the Scan choice, pick Full.
    key(&mut s, Key::plain(KeyCode::BackTab));
    key(&mut s, Key::plain(KeyCode::Right));
    let sent = sends(&enter(&mut s));
    assert_eq!(
        sent,
        vec![(
            0,
            ActionRequest::RunAntiVirusScan {
                machine_id: "m-win".into(),
                comment: "weekly check".into(),
                full: true
            },
            false
        )]
    );
    assert!(s.actions.dialog.is_none());
}

#[test]
fn menu_hides_windows_only_actions_on_linux_and_opens_a_dialog() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "srv-02");
    key(&mut s, Key::ch('.'));
    let menu = s.actions.menu.clone().unwrap();
    let titles: Vec<&str> = menu.items.iter().map(|k| k.title()).collect();
    assert!(titles.contains(&"Isolate device"));
    assert!(!titles.contains(&"Restrict app execution"));
    assert!(!titles.contains(&"Collect investigation package"));
    select_device(&mut s, "pc-01");
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::ch('.'));
    assert!(
        s.actions
            .menu
            .as_ref()
            .unwrap()
            .items
            .iter()
            .any(|k| k.title() == "Stop and quarantine file")
    );
    key(&mut s, Key::ch('j'));
    enter(&mut s);
    // The retired automated investigation's entry opens the full scan.
    assert_eq!(
        s.actions.dialog.as_ref().unwrap().dialog.title,
        "Run full antivirus scan"
    );
}

#[test]
fn investigate_key_opens_the_full_scan_with_a_note_on_the_retirement() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('I'));
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Run full antivirus scan");
    assert!(d.effect.contains("retired on 2026-09-01"), "{}", d.effect);
    typed(&mut s, "suspicious process");
    let sent = sends(&enter(&mut s));
    assert_eq!(
        sent,
        vec![(
            0,
            ActionRequest::RunAntiVirusScan {
                machine_id: "m-win".into(),
                comment: "suspicious process".into(),
                full: true
            },
            false
        )]
    );
}

#[test]
fn the_menu_offers_only_what_the_plan_includes() {
    let mut s = on_devices(Settings {
        plan: socops::api::plan::Plan::Business,
        ..Settings::default()
    });
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('.'));
    let titles: Vec<&str> = s
        .actions
        .menu
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|k| k.title())
        .collect();
    assert!(titles.contains(&"Isolate device"), "{titles:?}");
    assert!(titles.contains(&"Add file indicator (block/allow)"));
    for p2 in [
        "Stop and quarantine file",
        "Restrict app execution",
        "Collect investigation package",
        "Live response: run script",
    ] {
        assert!(
            !titles.contains(&p2),
            "{p2} offered on Defender for Business"
        );
    }
    key(&mut s, Key::plain(KeyCode::Esc));
    // Plan 1 adds stop and quarantine, still no live response.
    s.settings.plan = socops::api::plan::Plan::P1;
    key(&mut s, Key::ch('.'));
    let items = &s.actions.menu.as_ref().unwrap().items;
    assert!(
        items
            .iter()
            .any(|k| k.title() == "Stop and quarantine file")
    );
    assert!(!items.iter().any(|k| k.title() == "Live response: get file"));
}

#[test]
fn protected_isolate_requires_the_typed_device_name() {
    let mut s = on_devices(Settings {
        protected: true,
        ..Settings::default()
    });
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('i'));
    typed(&mut s, "contain");
    assert!(sends(&enter(&mut s)).is_empty());
    assert_eq!(
        s.actions.dialog.as_ref().unwrap().dialog.error.as_deref(),
        Some("type the device name to confirm")
    );
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "pc-02");
    assert!(sends(&enter(&mut s)).is_empty());
    for _ in 0..5 {
        key(&mut s, Key::plain(KeyCode::Backspace));
    }
    typed(&mut s, "PC-01");
    let sent = sends(&enter(&mut s));
    assert!(matches!(
        &sent[..],
        [(_, ActionRequest::Isolate { selective: false, machine_id, .. }, false)] if machine_id == "m-win"
    ));
}

#[test]
fn dry_run_sends_nothing_and_shows_the_request() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('i'));
    typed(&mut s, "contain");
    let sent = sends(&key(&mut s, Key::ctrl('d')));
    assert_eq!(sent.len(), 1);
    assert!(sent[0].2, "dry run");
    let lines = vec!["POST https://x/api/machines/m-win/isolate".to_string()];
    update(
        &mut s,
        Msg::ActionSent {
            ticket: sent[0].0,
            result: SendResult::DryRun(lines.clone()),
        },
    );
    let d = s.detail.as_ref().unwrap();
    assert!(d.title.contains("nothing was sent"));
    assert_eq!(d.lines, lines);
}

#[test]
fn read_only_refuses_every_action_key_with_a_toast() {
    let mut s = on_devices(Settings {
        read_only: true,
        ..Settings::default()
    });
    select_device(&mut s, "pc-01");
    for c in ['.', 'V', 'i', 'I'] {
        let cmds = key(&mut s, Key::ch(c));
        assert!(sends(&cmds).is_empty());
        assert!(s.actions.dialog.is_none() && s.actions.menu.is_none());
        assert!(s.toasts.last().unwrap().text.starts_with("read-only"));
    }
    assert!(socops::app::actions::hints(&s).is_empty());
}

#[test]
fn duplicate_guard_answer_is_shown() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('V'));
    typed(&mut s, "again");
    let ticket = sends(&enter(&mut s))[0].0;
    update(
        &mut s,
        Msg::ActionSent {
            ticket,
            result: SendResult::Duplicate {
                id: "a1".into(),
                status: "InProgress".into(),
            },
        },
    );
    let t = &s.toasts.last().unwrap().text;
    assert!(
        t.contains("already InProgress") && t.contains("nothing was sent"),
        "{t}"
    );
    assert!(s.actions.tracked.is_empty());
}

#[test]
fn multi_select_cancel_asks_once_and_sends_one_cancel_each() {
    let mut s = state_with(Settings::default());
    feed(&mut s, actions_payload());
    update(&mut s, Msg::Key(Key::ch(':')));
    typed(&mut s, "actions");
    enter(&mut s);
    assert_eq!(s.view, View::ActionCenter);
    key(&mut s, Key::ch('A'));
    assert_eq!(s.actions.marked.len(), 2);
    key(&mut s, Key::ch(' '));
    assert_eq!(s.actions.marked.len(), 1);
    // Space moved the cursor down, as in every table: back up to mark it again.
    key(&mut s, Key::ch('k'));
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch('x'));
    let dlg = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(dlg.targets.len(), 2, "one confirmation lists all");
    typed(&mut s, "wrong device");
    let sent = sends(&enter(&mut s));
    let ids: Vec<String> = sent
        .iter()
        .map(|(_, r, _)| match r {
            ActionRequest::CancelAction { action_id, comment } => {
                assert_eq!(comment, "wrong device");
                action_id.clone()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"a1".to_string()) && ids.contains(&"a2".to_string()));
}
