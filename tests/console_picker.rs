//! `:find NAME` in the console: one match opens the device, several open a picker naming
//! each candidate's id, last-seen time and health (nothing happens until one is chosen), none
//! says so. Snapshots of the picker at 80×24 and 120×40.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use socops::api::model::Machine;
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View,
    start, update,
};

mod screen;
use screen::draw;

const OLD: &str = "1111111111111111111111111111111111111111";
const NEW: &str = "2222222222222222222222222222222222222222";
const OTHER: &str = "3333333333333333333333333333333333333333";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
}

fn machine(id: &str, name: &str, seen: &str, health: &str) -> Machine {
    serde_json::from_value(json!({
        "id": id, "computerDnsName": name, "lastSeen": seen, "healthStatus": health,
        "osPlatform": "Windows11", "riskScore": "Low", "exposureLevel": "Low"
    }))
    .unwrap()
}

/// A console with three devices, two of them named `pc-01` (a re-imaged machine's old record
/// and the new one, as happens in real tenants).
fn state() -> AppState {
    let settings = Settings {
        tenant_label: "contoso".into(),
        demo: true,
        ..Settings::default()
    };
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    let devices = vec![
        machine(
            OLD,
            "pc-01.contoso.local",
            "2026-10-02T09:00:00Z",
            "Inactive",
        ),
        machine(NEW, "PC-01.contoso.local", "2026-11-30T07:40:00Z", "Active"),
        machine(
            OTHER,
            "pc-02.contoso.local",
            "2026-11-30T07:00:00Z",
            "Active",
        ),
    ];
    s.data.start(ResourceKind::Machines, 900);
    update(
        &mut s,
        Msg::Loaded {
            id: 900,
            at: now(),
            payload: Box::new(Payload::Machines(devices.into())),
        },
    );
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn command(s: &mut AppState, text: &str) -> Vec<Command> {
    key(s, Key::ch(':'));
    for c in text.chars() {
        key(s, Key::ch(c));
    }
    key(s, Key::plain(KeyCode::Enter))
}

#[test]
fn a_name_of_several_devices_opens_a_picker_and_nothing_happens_until_one_is_chosen() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state();
        let cmds = command(&mut s, "find pc-01");
        assert!(cmds.is_empty(), "nothing is loaded or sent: {cmds:?}");
        let p = s.picker.as_ref().expect("a picker");
        // The most recently seen first.
        let ids: Vec<&str> = p.candidates.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, [NEW, OLD]);
        assert!(s.detail.is_none());
        let screen = draw(&mut s, w, h);
        assert!(screen.contains(NEW) || w < 100, "{screen}");
        insta::assert_snapshot!(format!("device_picker_{w}x{h}"), screen);
    }
}

#[test]
fn picking_the_second_candidate_opens_that_device_selected_in_devices() {
    let mut s = state();
    command(&mut s, "find pc-01");
    key(&mut s, Key::plain(KeyCode::Down));
    key(&mut s, Key::plain(KeyCode::Enter));
    assert!(s.picker.is_none());
    assert_eq!(s.view, View::Devices);
    assert_eq!(s.detail_id.as_deref(), Some(OLD));
    let row = s.table(TableId::Devices).unwrap().selected_row().unwrap();
    assert_eq!(row.id, OLD);
}

#[test]
fn esc_closes_the_picker_and_one_match_opens_at_once() {
    let mut s = state();
    command(&mut s, "find pc-01");
    key(&mut s, Key::plain(KeyCode::Esc));
    assert!(s.picker.is_none());
    assert!(s.detail.is_none());

    command(&mut s, "find pc-02");
    assert!(s.picker.is_none());
    assert_eq!(s.detail_id.as_deref(), Some(OTHER));

    let mut s = state();
    command(&mut s, "find nosuch");
    assert!(s.picker.is_none() && s.detail.is_none());
    assert!(
        s.toasts
            .iter()
            .any(|t| t.text.contains("no loaded device is named nosuch")),
        "{:?}",
        s.toasts
    );
}
