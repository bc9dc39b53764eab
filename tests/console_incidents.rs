//! The incident list as a triager meets it (`update` only): it opens on unresolved
//! incidents with the filter in the title, `u` shows all and back; new and changed rows keep
//! their since-last-run marks across reloads until the incident is opened, and get them back
//! when someone else changes it afterwards. The session snapshot marks a list it cut, so
//! the next run does not call the records the cut left out new.
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

/// `n` incidents updated a minute apart, the newest a day before `now()`, created a week
/// before: none is new since yesterday's run.
fn many_incidents(n: usize, skip_newest: usize) -> Payload {
    let newest = now() - chrono::Duration::days(1);
    let v: Vec<Value> = (skip_newest..n)
        .map(|k| {
            let updated = newest - chrono::Duration::minutes(k as i64);
            json!({"id": format!("i{k:03}"), "displayName": "Old", "status": "active",
                   "severity": "low", "createdDateTime": "2026-11-23T07:00:00Z",
                   "lastUpdateDateTime": updated.to_rfc3339(), "alerts": []})
        })
        .collect();
    Payload::Incidents(serde_json::from_value(Value::Array(v)).unwrap())
}

#[test]
fn the_session_snapshot_marks_a_list_it_cut_and_the_next_run_does_not_call_the_rest_new() {
    use socops::digest::model::{ListName, Truncated};
    let mut s = console();
    feed(&mut s, many_incidents(205, 0));
    let v: Value = (0..12)
        .map(|k| {
            json!({"id": format!("r{k}"), "recommendationName": format!("Fix {k}"),
                        "status": "Active", "exposedMachinesCount": 1,
                        "exposureImpact": 1.0 + k as f64})
        })
        .collect();
    feed(
        &mut s,
        Payload::Recommendations(serde_json::from_value(v).unwrap()),
    );
    let prev =
        socops::app::data::session_digest::from_state(&s, "p", now() - chrono::Duration::hours(12));
    assert_eq!(prev.incidents.len(), 200);
    assert_eq!(
        prev.truncated(ListName::Incidents),
        Some(&Truncated {
            list: ListName::Incidents,
            shown: 200,
            total: Some(205)
        })
    );
    assert_eq!(prev.count_text(ListName::Incidents), "200 of 205");
    assert_eq!(prev.count_text(ListName::Recommendations), "10 of 12");
    // Five of the newest are gone today: the next five, left out of yesterday's cut list but
    // unchanged since, are not new.
    s.since.enabled = true;
    s.since.profile = "p".into();
    s.since.previous = Some(prev);
    feed(&mut s, many_incidents(205, 5));
    let cur = s.since.current.clone().unwrap();
    assert!(
        cur.truncated(ListName::Incidents).is_none(),
        "200 of 200 is whole"
    );
    palette(&mut s, "incidents");
    for id in ["i200", "i204", "i005"] {
        assert_eq!(mark(&s, id), ' ', "{id} was there yesterday, unchanged");
    }
}
