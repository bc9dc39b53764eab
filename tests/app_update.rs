//! Scenario tests of `update`: messages in, state and commands out.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use socops::app::data::checklist::{Marks, period_key};
use socops::app::{
    AppState, Cadence, Command, Key, KeyCode, Keymap, LoadError, Mode, Msg, Payload, ResourceKind,
    Settings, TableId, View, start, update,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

fn state() -> AppState {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    start(&mut s);
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn ch(s: &mut AppState, c: char) -> Vec<Command> {
    key(s, Key::ch(c))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

fn pending_id(s: &AppState, kind: ResourceKind) -> u64 {
    s.data.pending(kind).expect("a request in flight")
}

#[test]
fn start_loads_the_first_screen_first() {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    let cmds = start(&mut s);
    assert_eq!(
        cmds.first(),
        Some(&Command::Load(ResourceKind::ExposureScore, 1))
    );
    assert!(cmds.contains(&Command::Load(ResourceKind::SecureScores, 6)));
    // No resource is requested twice.
    let mut kinds: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::Load(k, _) => Some(*k),
            _ => None,
        })
        .collect();
    let n = kinds.len();
    kinds.dedup();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), n);
}

#[test]
fn tabs_views_and_back() {
    let mut s = state();
    ch(&mut s, '2');
    assert_eq!(s.view, View::Checklist(Cadence::Weekly));
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(s.view, View::SecureScore);
    key(&mut s, Key::plain(KeyCode::BackTab));
    key(&mut s, Key::plain(KeyCode::BackTab));
    assert_eq!(s.view, View::DeviceScore);
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.view, View::Checklist(Cadence::Weekly));
    ch(&mut s, '1');
    ch(&mut s, 'j');
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.view, View::ActionCenter);
    // Pending actions were requested by start; opening does not ask again.
    assert!(cmds.is_empty());
}

#[test]
fn checklist_toggle_persists_per_period() {
    let mut s = state();
    ch(&mut s, 'j');
    let cmds = ch(&mut s, ' ');
    assert!(
        matches!(cmds.as_slice(), [Command::SaveChecklist { json }] if json == &s.checklist.to_json())
    );
    let period = period_key(Cadence::Daily, now(), s.settings.offset);
    assert!(s.checklist.is_done(&period, "pending"));
    let saved = Marks::from_json(&s.checklist.to_json());
    assert!(saved.is_done("daily:2026-11-30", "pending"));
    // The next day starts unticked.
    update(&mut s, Msg::Tick(now() + chrono::Duration::days(1)));
    let next = period_key(Cadence::Daily, s.now, s.settings.offset);
    assert!(!s.checklist.is_done(&next, "pending"));
    ch(&mut s, ' ');
    ch(&mut s, ' ');
    assert!(!s.checklist.is_done(&next, "pending"));
}

#[test]
fn filter_and_sort_on_a_table() {
    let mut s = state();
    ch(&mut s, '3');
    key(&mut s, Key::plain(KeyCode::Tab));
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(s.view, View::Learn);
    ch(&mut s, '/');
    assert_eq!(s.mode, Mode::Filter);
    typed(&mut s, "SIM");
    let t = s.table(TableId::Learn).unwrap();
    assert_eq!(t.view.len(), 1);
    assert_eq!(t.selected_row().unwrap().cells[0], "Attack simulations");
    key(&mut s, Key::plain(KeyCode::Backspace));
    key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.mode, Mode::Normal);
    assert_eq!(s.table(TableId::Learn).unwrap().filter, "si");
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.table(TableId::Learn).unwrap().view.len(), 6);
    ch(&mut s, 's');
    let t = s.table(TableId::Learn).unwrap();
    assert_eq!(t.cell(t.view[0], 0), "Attack simulations");
    ch(&mut s, 'S');
    let t = s.table(TableId::Learn).unwrap();
    assert_eq!(t.cell(t.view[0], 0), "Vulnerability dashboard");
}

#[test]
fn enter_on_a_portal_only_item_copies_and_opens() {
    let mut s = state();
    typed(&mut s, ":learn");
    key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.view, View::Learn);
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    let url = "https://security.microsoft.com/tutorials/all".to_string();
    assert!(cmds.contains(&Command::CopyToClipboard(url.clone())));
    assert!(cmds.contains(&Command::OpenUrl(url)));
}

#[test]
fn palette_completes_and_navigates() {
    let mut s = state();
    ch(&mut s, ':');
    typed(&mut s, "dev");
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(
        s.mode,
        Mode::Palette {
            input: "devices".into(),
            selected: 0
        }
    );
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.view, View::Devices);
    assert_eq!(s.mode, Mode::Normal);
    // Devices were already requested by start: nothing new.
    assert!(cmds.is_empty());
    ch(&mut s, ':');
    typed(&mut s, "zzz");
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert!(s.toasts.iter().any(|t| t.text.contains("zzz")));
    assert!(matches!(cmds[0], Command::ExpireToast { .. }));
}

#[test]
fn errors_show_in_view_and_in_the_errors_view_and_keep_data() {
    let mut s = state();
    let id = pending_id(&s, ResourceKind::Indicators);
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(Payload::Indicators(Default::default())),
        },
    );
    assert_eq!(s.data.at(ResourceKind::Indicators), Some(now()));
    // Refresh: the data stays while loading and after a failure.
    typed(&mut s, ":indicators");
    key(&mut s, Key::plain(KeyCode::Enter));
    let cmds = ch(&mut s, 'r');
    let Some(Command::Load(ResourceKind::Indicators, id2)) = cmds.first().cloned() else {
        panic!("refresh should reload indicators: {cmds:?}")
    };
    assert_eq!(s.data.at(ResourceKind::Indicators), Some(now()));
    let error = LoadError {
        text: "Defender API: 403 Forbidden".into(),
        code: Some("Forbidden".into()),
        correlation_id: Some("c0ffee".into()),
    };
    update(
        &mut s,
        Msg::LoadFailed {
            id: id2,
            at: now(),
            kind: ResourceKind::Indicators,
            error: error.clone(),
        },
    );
    assert_eq!(s.data.at(ResourceKind::Indicators), Some(now()));
    assert_eq!(s.view_errors(), vec![(ResourceKind::Indicators, &error)]);
    assert_eq!(s.errors.last().unwrap().error, error);
    typed(&mut s, ":errors");
    key(&mut s, Key::plain(KeyCode::Enter));
    let t = s.table(TableId::Errors).unwrap();
    assert_eq!(t.rows.len(), 1);
    assert_eq!(t.cell(0, 4), "c0ffee");
}

#[test]
fn stale_answers_are_dropped() {
    let mut s = state();
    let old = pending_id(&s, ResourceKind::Indicators);
    update(
        &mut s,
        Msg::Loaded {
            id: old,
            at: now(),
            payload: Box::new(Payload::Indicators(Default::default())),
        },
    );
    typed(&mut s, ":indicators");
    key(&mut s, Key::plain(KeyCode::Enter));
    ch(&mut s, 'r');
    let new = pending_id(&s, ResourceKind::Indicators);
    assert_ne!(old, new);
    let later = now() + chrono::Duration::minutes(5);
    // A late duplicate of the old answer changes nothing.
    update(
        &mut s,
        Msg::Loaded {
            id: old,
            at: later,
            payload: Box::new(Payload::Indicators(Default::default())),
        },
    );
    assert_eq!(s.data.at(ResourceKind::Indicators), Some(now()));
    assert_eq!(s.data.pending(ResourceKind::Indicators), Some(new));
    let e = LoadError {
        text: "late".into(),
        code: None,
        correlation_id: None,
    };
    update(
        &mut s,
        Msg::LoadFailed {
            id: old,
            at: later,
            kind: ResourceKind::Indicators,
            error: e,
        },
    );
    assert!(s.errors.is_empty());
}

#[test]
fn refresh_due_reloads_only_stale_resources_of_the_view() {
    let mut s = state();
    let id = pending_id(&s, ResourceKind::Indicators);
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(Payload::Indicators(Default::default())),
        },
    );
    typed(&mut s, ":indicators");
    key(&mut s, Key::plain(KeyCode::Enter));
    assert!(update(&mut s, Msg::RefreshDue).is_empty());
    update(&mut s, Msg::Tick(now() + chrono::Duration::seconds(61)));
    let cmds = update(&mut s, Msg::RefreshDue);
    assert!(matches!(
        cmds.as_slice(),
        [Command::Load(ResourceKind::Indicators, _)]
    ));
}

#[test]
fn help_quit_and_overridden_keys() {
    let mut keys = BTreeMap::new();
    keys.insert("refresh".to_string(), "ctrl-r".to_string());
    keys.insert("quit".to_string(), "x".to_string());
    let mut s = AppState::new(
        Settings::default(),
        Keymap::with_overrides(&keys).unwrap(),
        Marks::default(),
        now(),
    );
    start(&mut s);
    ch(&mut s, '?');
    assert_eq!(s.mode, Mode::Help);
    key(&mut s, Key::plain(KeyCode::Esc));
    assert_eq!(s.mode, Mode::Normal);
    assert!(ch(&mut s, 'q').is_empty());
    assert_eq!(ch(&mut s, 'x'), vec![Command::Quit]);
    let mut s = state();
    assert_eq!(key(&mut s, Key::ctrl('c')), vec![Command::Quit]);
}
