//! The incident list as a triager meets it (`update` only): it opens on unresolved
//! incidents with the filter in the title, `u` shows all and back; new and changed rows keep
//! their since-last-run marks across reloads until the incident is opened, and get them back
//! when someone else changes it afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Key, KeyCode, Keymap, Msg, Payload, Settings, TableId, View, start, update,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

fn incidents(updated_11: &str) -> Payload {
    let v: Value = json!([
        {"id": "11", "displayName": "Ransomware on pc-01", "status": "active", "severity": "high",
         "createdDateTime": "2026-11-29T07:00:00Z", "lastUpdateDateTime": updated_11,
         "alerts": []},
        {"id": "12", "displayName": "Phishing", "status": "resolved", "severity": "medium",
         "createdDateTime": "2026-11-28T06:00:00Z", "lastUpdateDateTime": "2026-11-28T06:00:00Z",
         "alerts": []},
        {"id": "13", "displayName": "Test", "status": "inProgress", "severity": "low",
         "createdDateTime": "2026-11-27T05:00:00Z", "lastUpdateDateTime": "2026-11-27T05:00:00Z",
         "alerts": []},
        {"id": "14", "displayName": "Moved", "status": "redirected", "severity": "low",
         "createdDateTime": "2026-11-27T04:00:00Z", "lastUpdateDateTime": "2026-11-27T04:00:00Z",
         "alerts": []}
    ]);
    Payload::Incidents(serde_json::from_value(v).unwrap())
}

fn feed(s: &mut AppState, payload: Payload) {
    let kind = payload.kind();
    let id = s.data.pending(kind).unwrap_or_else(|| {
        s.data.start(kind, 900);
        900
    });
    update(
        s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(payload),
        },
    );
}

fn key(s: &mut AppState, k: Key) {
    update(s, Msg::Key(k));
}

fn palette(s: &mut AppState, cmd: &str) {
    key(s, Key::ch(':'));
    for c in cmd.chars() {
        key(s, Key::ch(c));
    }
    key(s, Key::plain(KeyCode::Enter));
}

fn shown(s: &AppState) -> Vec<String> {
    let t = s.table(TableId::Incidents).unwrap();
    t.rows_in_view().map(|r| r.id().to_string()).collect()
}

fn mark(s: &AppState, id: &str) -> char {
    let t = s.table(TableId::Incidents).unwrap();
    t.rows.iter().find(|r| r.id() == id).unwrap().mark()
}

fn console() -> AppState {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    start(&mut s);
    feed(&mut s, incidents("2026-11-29T07:00:00Z"));
    s
}

#[test]
fn the_list_opens_on_unresolved_incidents_and_u_shows_all() {
    let mut s = console();
    palette(&mut s, "incidents");
    assert_eq!(s.view, View::Incidents);
    assert_eq!(
        shown(&s),
        ["11", "13"],
        "resolved and redirected are hidden"
    );
    let sc = s.table(TableId::Incidents).unwrap().scope.clone().unwrap();
    assert_eq!(sc.label, "unresolved");
    key(&mut s, Key::ch('u'));
    assert_eq!(shown(&s), ["11", "12", "13", "14"]);
    assert!(s.table(TableId::Incidents).unwrap().scope.is_none());
    // The choice holds when the analyst leaves and comes back, and through a reload.
    key(&mut s, Key::plain(KeyCode::Esc));
    palette(&mut s, "incidents");
    feed(&mut s, incidents("2026-11-29T07:00:00Z"));
    assert_eq!(shown(&s).len(), 4);
    key(&mut s, Key::ch('u'));
    assert_eq!(shown(&s), ["11", "13"]);
    // A record resolved elsewhere leaves the unresolved list on the next load.
    let mut v: Value = json!([
        {"id": "11", "status": "resolved", "createdDateTime": "2026-11-29T07:00:00Z"},
        {"id": "13", "status": "active", "createdDateTime": "2026-11-27T05:00:00Z"}
    ]);
    let p = Payload::Incidents(serde_json::from_value(v.take()).unwrap());
    feed(&mut s, p);
    assert_eq!(shown(&s), ["13"]);
}

#[test]
fn new_and_changed_rows_keep_their_marks_until_opened() {
    let mut s = console();
    // Yesterday's run knew only incident 13, as it is now.
    let mut prev =
        socops::app::data::session_digest::from_state(&s, "p", now() - chrono::Duration::hours(30));
    prev.incidents.retain(|i| i.id == "13");
    s.since.enabled = true;
    s.since.profile = "p".into();
    s.since.previous = Some(prev);
    feed(&mut s, incidents("2026-11-29T07:00:00Z"));
    palette(&mut s, "incidents");
    assert_eq!(mark(&s, "11"), '+');
    assert_eq!(mark(&s, "13"), ' ');
    // A reload keeps the marks.
    feed(&mut s, incidents("2026-11-29T07:00:00Z"));
    assert_eq!(mark(&s, "11"), '+');
    // Opening the incident spends its mark, for good across reloads.
    key(&mut s, Key::plain(KeyCode::Enter));
    assert!(s.detail.as_ref().unwrap().title.contains("Incident 11"));
    assert_eq!(mark(&s, "11"), ' ');
    key(&mut s, Key::plain(KeyCode::Esc));
    feed(&mut s, incidents("2026-11-29T07:00:00Z"));
    assert_eq!(mark(&s, "11"), ' ');
    // Someone else changes it afterwards: the mark is back.
    feed(&mut s, incidents("2026-11-30T07:30:00Z"));
    assert_ne!(mark(&s, "11"), ' ');
}
