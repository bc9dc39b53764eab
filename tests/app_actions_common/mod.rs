//! Response-action scenario support: a console on the Devices list with two machines and
//! their actions loaded, keys, and the sends a step asked for.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use socops::api::calls::ActionRequest;
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View,
    start, update,
};

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

pub fn machines() -> Payload {
    let ms = json!([
        {"id": "m-win", "computerDnsName": "pc-01.contoso.local", "osPlatform": "Windows11",
         "riskScore": "High", "healthStatus": "Active"},
        {"id": "m-lin", "computerDnsName": "srv-02.contoso.local", "osPlatform": "Ubuntu",
         "riskScore": "Low", "healthStatus": "Active"}
    ]);
    Payload::Machines(serde_json::from_value(ms).unwrap())
}

pub fn actions_payload() -> Payload {
    let a = json!([
        {"id": "a1", "type": "RunAntiVirusScan", "status": "Pending", "machineId": "m-win",
         "computerDnsName": "pc-01.contoso.local", "requestor": "ana@contoso.com",
         "requestorComment": "scan", "creationDateTimeUtc": "2026-11-30T07:00:00Z"},
        {"id": "a2", "type": "Isolate", "status": "InProgress", "machineId": "m-lin",
         "computerDnsName": null, "requestor": "bo@contoso.com",
         "requestorComment": "iso", "creationDateTimeUtc": "2026-11-30T06:00:00Z"}
    ]);
    Payload::MachineActions(serde_json::from_value(a).unwrap())
}

pub fn state_with(settings: Settings) -> AppState {
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    feed(&mut s, machines());
    s
}

pub fn feed(s: &mut AppState, payload: Payload) {
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

pub fn on_devices(settings: Settings) -> AppState {
    let mut s = state_with(settings);
    s.view = View::Devices;
    socops::app::data::derive::rebuild(&mut s, ResourceKind::Machines);
    s
}

pub fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

pub fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, Key::ch(c));
    }
}

pub fn enter(s: &mut AppState) -> Vec<Command> {
    key(s, Key::plain(KeyCode::Enter))
}

pub fn sends(cmds: &[Command]) -> Vec<(u64, ActionRequest, bool)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SendAction {
                ticket,
                request,
                dry_run,
                ..
            } => Some((*ticket, (**request).clone(), *dry_run)),
            _ => None,
        })
        .collect()
}

pub fn select_device(s: &mut AppState, name: &str) {
    let t = s.tables.get_mut(&TableId::Devices).unwrap();
    let pos = t
        .view
        .iter()
        .position(|i| t.rows.get(*i).unwrap().cells().any(|c| c.contains(name)))
        .unwrap();
    t.selected = pos;
}

pub fn go_actions(s: &mut AppState) {
    s.view = View::ActionCenter;
    update(s, Msg::Key(Key::ch('r')));
}
