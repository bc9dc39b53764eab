//! The Indicators view adds and deletes indicators from the keyboard: `n` opens the add form
//! (type, value, action, title, comment), a value that already has an indicator turns the
//! form into a replace step that shows the existing one (as the API has it when Enter is
//! pressed: the runtime re-reads the value's indicators first), and `d` deletes the selected
//! indicator once its value is typed. Every change leaves as one `SendAction` (the runtime
//! audits and sends it through the one write pipeline). Snapshots at 80×24 and 120×40.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use socops::api::calls::ActionRequest;
use socops::api::model::{IndicatorAction, IndicatorType};
use socops::app::actions::FieldId;
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View,
    start, update,
};

mod screen;
use screen::draw;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn indicators() -> Payload {
    let v = json!([
        {"id": "101", "indicatorValue": "evil.example", "indicatorType": "DomainName",
         "action": "Audit", "title": "Watch evil.example", "createdBy": "ana@fabrikam.example",
         "creationTimeDateTimeUtc": "2026-11-28T10:00:00Z", "severity": "Medium"},
        {"id": "102", "indicatorValue": "203.0.113.7", "indicatorType": "IpAddress",
         "action": "Block", "title": "C2 server", "createdBy": "bo@fabrikam.example",
         "creationTimeDateTimeUtc": "2026-11-29T10:00:00Z", "severity": "High"}
    ]);
    Payload::Indicators(serde_json::from_value(v).unwrap())
}

fn feed(s: &mut AppState, payload: Payload) {
    let kind = payload.kind();
    let id = match s.data.pending(kind) {
        Some(id) => id,
        None => {
            update(s, Msg::Key(Key::ch('r')));
            s.data.pending(kind).unwrap_or(0)
        }
    };
    update(
        s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(payload),
        },
    );
}

fn on_indicators(settings: Settings) -> AppState {
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    s.view = View::Indicators;
    feed(&mut s, indicators());
    socops::app::data::derive::rebuild(&mut s, ResourceKind::Indicators);
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn plain(s: &mut AppState, code: KeyCode) -> Vec<Command> {
    key(s, Key::plain(code))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, Key::ch(c));
    }
}

/// The indicators the API has now (the answer to `CheckIndicator`).
fn api_has(v: serde_json::Value) -> Vec<socops::api::model::Indicator> {
    serde_json::from_value(v).unwrap()
}

fn evil_now() -> Vec<socops::api::model::Indicator> {
    api_has(json!([
        {"id": "101", "indicatorValue": "evil.example", "indicatorType": "DomainName",
         "action": "Audit", "title": "Watch evil.example", "createdBy": "ana@fabrikam.example",
         "creationTimeDateTimeUtc": "2026-11-28T10:00:00Z", "severity": "Medium"}
    ]))
}

/// Enter on the add form asks the runtime to re-read the value's indicators (and sends
/// nothing); the answer `found` is then delivered.
fn enter_and_answer(
    s: &mut AppState,
    value: &str,
    found: Result<Vec<socops::api::model::Indicator>, String>,
) -> Vec<Command> {
    let cmds = plain(s, KeyCode::Enter);
    assert!(
        sends(&cmds).is_empty(),
        "nothing is sent before the API answers"
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::CheckIndicator { value: v } if v == value)),
        "{cmds:?}"
    );
    update(
        s,
        Msg::IndicatorChecked {
            value: value.into(),
            result: found,
        },
    )
}

fn sends(cmds: &[Command]) -> Vec<ActionRequest> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SendAction { request, .. } => Some((**request).clone()),
            _ => None,
        })
        .collect()
}

/// `n`, then the form filled for a domain indicator with `value` (the type is the 6th
/// choice; the focus starts on the value).
fn fill_domain(s: &mut AppState, value: &str) {
    key(s, Key::ch('n'));
    typed(s, value);
    plain(s, KeyCode::Up);
    for _ in 0..5 {
        plain(s, KeyCode::Right);
    }
    // Value, Action (Block stays), Title.
    for _ in 0..3 {
        plain(s, KeyCode::Down);
    }
    typed(s, "Block phishing domain");
    plain(s, KeyCode::Down);
    typed(s, "phishing wave of 1 Dec");
}

#[test]
fn n_adds_a_new_indicator_in_one_send() {
    let mut s = on_indicators(Settings::default());
    fill_domain(&mut s, "phish.example");
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Add indicator");
    assert_eq!(d.value(FieldId::IndicatorType), "DomainName");
    let reqs = sends(&enter_and_answer(&mut s, "phish.example", Ok(Vec::new())));
    assert_eq!(reqs.len(), 1, "one send");
    let ActionRequest::AddIndicator { indicator } = &reqs[0] else {
        panic!("{reqs:?}");
    };
    assert_eq!(indicator.indicator_value, "phish.example");
    assert_eq!(indicator.indicator_type, IndicatorType::DomainName);
    assert_eq!(indicator.action, IndicatorAction::Block);
    assert_eq!(indicator.title, "Block phishing domain");
    assert_eq!(indicator.description, "phishing wave of 1 Dec");
    assert!(s.actions.dialog.is_none());
}

#[test]
fn an_invalid_type_and_action_is_refused_in_the_form() {
    let mut s = on_indicators(Settings::default());
    key(&mut s, Key::ch('n'));
    typed(&mut s, "phish.example");
    // FileSha256 with a domain value: the catalogue refuses it, nothing is sent.
    for _ in 0..4 {
        plain(&mut s, KeyCode::Down);
    }
    typed(&mut s, "c");
    let cmds = plain(&mut s, KeyCode::Enter);
    assert!(sends(&cmds).is_empty());
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert!(d.error.is_some(), "{d:?}");
}

#[test]
fn a_value_that_has_an_indicator_asks_to_replace_it() {
    let mut s = on_indicators(Settings::default());
    fill_domain(&mut s, "evil.example");
    // Enter: not sent, the replace step shows the existing indicator.
    let cmds = enter_and_answer(&mut s, "evil.example", Ok(evil_now()));
    assert!(
        sends(&cmds).is_empty(),
        "nothing is sent before the replace is confirmed"
    );
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Replace indicator?");
    assert!(d.targets[0].contains("Audit"), "{:?}", d.targets);
    assert!(d.targets[1].contains("id 101"), "{:?}", d.targets);
    assert!(d.targets[2].contains("Block"), "{:?}", d.targets);
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("indicator_replace_{w}x{h}"), draw(&mut s, w, h));
    }
    // Esc keeps the existing one: nothing sent.
    let cmds = plain(&mut s, KeyCode::Esc);
    assert!(sends(&cmds).is_empty());
    assert!(s.actions.dialog.is_none());
    // Again, and Enter replaces.
    fill_domain(&mut s, "evil.example");
    enter_and_answer(&mut s, "evil.example", Ok(evil_now()));
    let reqs = sends(&plain(&mut s, KeyCode::Enter));
    assert_eq!(reqs.len(), 1);
    let ActionRequest::AddIndicator { indicator } = &reqs[0] else {
        panic!("{reqs:?}");
    };
    assert_eq!(indicator.indicator_value, "evil.example");
    assert_eq!(indicator.action, IndicatorAction::Block);
}

#[test]
fn the_replace_step_follows_the_api_not_the_list_loaded_earlier() {
    // Loaded: evil.example has an indicator; someone deleted it a minute ago: plain add.
    let mut s = on_indicators(Settings::default());
    fill_domain(&mut s, "evil.example");
    let reqs = sends(&enter_and_answer(&mut s, "evil.example", Ok(Vec::new())));
    assert_eq!(reqs.len(), 1, "sent as a new indicator, no replace step");
    assert!(s.actions.dialog.is_none());
    // Loaded: nothing for fresh.example; someone added one a minute ago: the replace step
    // shows theirs.
    fill_domain(&mut s, "fresh.example");
    let theirs = api_has(json!([
        {"id": "207", "indicatorValue": "fresh.example", "indicatorType": "DomainName",
         "action": "Allowed", "title": "Vendor portal", "createdBy": "bo@fabrikam.example",
         "creationTimeDateTimeUtc": "2026-12-01T08:59:00Z"}
    ]));
    let cmds = enter_and_answer(&mut s, "fresh.example", Ok(theirs));
    assert!(sends(&cmds).is_empty());
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Replace indicator?");
    assert!(d.targets[0].contains("Allowed"), "{:?}", d.targets);
    assert!(d.targets[1].contains("id 207"), "{:?}", d.targets);
}

#[test]
fn a_failed_check_sends_nothing_and_a_stale_answer_is_dropped() {
    let mut s = on_indicators(Settings::default());
    fill_domain(&mut s, "phish.example");
    let cmds = enter_and_answer(
        &mut s,
        "phish.example",
        Err("503 ServiceUnavailable".into()),
    );
    assert!(sends(&cmds).is_empty());
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Add indicator");
    let error = d.error.as_deref().unwrap_or_default();
    assert!(error.starts_with("not sent"), "{error}");
    // Enter asks again; the form is then edited before the answer lands: the answer is for
    // other inputs and sends nothing.
    let cmds = plain(&mut s, KeyCode::Enter);
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::CheckIndicator { .. }))
    );
    typed(&mut s, " (edited)");
    let cmds = update(
        &mut s,
        Msg::IndicatorChecked {
            value: "phish.example".into(),
            result: Ok(Vec::new()),
        },
    );
    assert!(sends(&cmds).is_empty(), "{cmds:?}");
    assert!(s.actions.dialog.is_some());
}

#[test]
fn d_deletes_the_selected_indicator_after_its_value_is_typed() {
    let mut s = on_indicators(Settings::default());
    let t = s.tables.get_mut(&TableId::Indicators).unwrap();
    let pos = t.view.iter().position(|i| t.rows.id(*i) == "102").unwrap();
    t.selected = pos;
    key(&mut s, Key::ch('d'));
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Delete indicator");
    assert!(d.targets[0].contains("203.0.113.7"));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("indicator_delete_{w}x{h}"), draw(&mut s, w, h));
    }
    // Enter before the value is typed: refused in the dialog.
    assert!(sends(&plain(&mut s, KeyCode::Enter)).is_empty());
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.error.as_deref(), Some("type the value to confirm"));
    // A prefix of the value is not the value.
    typed(&mut s, "203.0.113");
    assert!(sends(&plain(&mut s, KeyCode::Enter)).is_empty());
    typed(&mut s, ".7");
    let reqs = sends(&plain(&mut s, KeyCode::Enter));
    assert_eq!(
        reqs,
        vec![ActionRequest::DeleteIndicator { id: "102".into() }]
    );
}

#[test]
fn the_add_form_at_two_sizes_and_the_hint_bar() {
    let mut s = on_indicators(Settings::default());
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        assert!(
            screen.contains("add") && screen.contains("delete"),
            "{screen}"
        );
    }
    key(&mut s, Key::ch('n'));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("indicator_add_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[test]
fn read_only_and_other_views_refuse() {
    let mut s = on_indicators(Settings {
        read_only: true,
        ..Settings::default()
    });
    let cmds = key(&mut s, Key::ch('n'));
    assert!(s.actions.dialog.is_none());
    assert!(sends(&cmds).is_empty());
    let mut s = on_indicators(Settings::default());
    s.view = View::Devices;
    key(&mut s, Key::ch('n'));
    assert!(s.actions.dialog.is_none());
}
