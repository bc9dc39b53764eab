//! The console's `e` export: JSON carries the API's records with the API's field names (as
//! the CLI's `--json`), in the table's view order and filter; a derived table keeps its column
//! titles; the config's `export_dir` is read.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod console_common;
use chrono::{DateTime, TimeZone, Utc};
use console_common::{empty_state_at, load_at};
use serde_json::{Value, json};
use socops::app::{AppState, Command, Key, KeyCode, Msg, Payload, Settings, View, update};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 12, 0).unwrap()
}

fn state() -> AppState {
    empty_state_at(Settings::default(), now())
}

fn load(s: &mut AppState, payload: Payload) {
    load_at(s, payload, now());
}

fn from<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn keys(s: &mut AppState, text: &str) -> Vec<Command> {
    let mut last = Vec::new();
    for c in text.chars() {
        last = update(s, Msg::Key(Key::ch(c)));
    }
    last
}

/// Open a view through the `:` palette.
fn go(s: &mut AppState, view: &str) {
    keys(s, &format!(":{view}"));
    update(s, Msg::Key(Key::plain(KeyCode::Enter)));
}

/// Press `e` then `j` and return the file name and content of the export.
fn export_json(s: &mut AppState) -> (String, Value) {
    keys(s, "e");
    let cmds = keys(s, "j");
    let Some(Command::Export { name, content }) = cmds.into_iter().next() else {
        panic!("no export")
    };
    (name, serde_json::from_str(&content).expect("valid JSON"))
}

#[test]
fn json_export_has_the_api_records_of_the_rows_in_view() {
    let mut s = state();
    load(
        &mut s,
        Payload::Machines(from(json!([
            {"id": "m1", "computerDnsName": "ws-014.fabrikam.local", "riskScore": "High",
             "exposureLevel": "High", "healthStatus": "Active", "osPlatform": "Windows11"},
            {"id": "m2", "computerDnsName": "srv-sql-02", "riskScore": "Low",
             "exposureLevel": "Medium", "healthStatus": "Active", "osPlatform": "Linux"},
            {"id": "m3", "computerDnsName": "ws-015.fabrikam.local", "riskScore": "Medium",
             "exposureLevel": "Low", "healthStatus": "Inactive", "osPlatform": "Windows10"},
        ]))),
    );
    go(&mut s, "devices");
    // Only the workstations.
    keys(&mut s, "/ws-");
    update(&mut s, Msg::Key(Key::plain(KeyCode::Enter)));
    let (name, json) = export_json(&mut s);
    assert!(
        name.starts_with("devices-") && name.ends_with(".json"),
        "{name}"
    );
    let records = json.as_array().expect("an array");
    let ids: Vec<&str> = records.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), 2, "{json:#}");
    assert!(ids.contains(&"m1") && ids.contains(&"m3"), "{ids:?}");
    // The API's field names and values, not the column titles.
    let m1 = records.iter().find(|r| r["id"] == "m1").unwrap();
    assert_eq!(m1["computerDnsName"], "ws-014.fabrikam.local");
    assert_eq!(m1["riskScore"], "High");
    assert_eq!(m1["osPlatform"], "Windows11");
    assert!(
        m1.get("DEVICE").is_none() && m1.get("RISK").is_none(),
        "{m1:#}"
    );
}

#[test]
fn json_export_follows_the_sort_order_and_keeps_incident_fields() {
    let mut s = state();
    let old = "2026-11-25T08:12:00Z";
    load(
        &mut s,
        Payload::Incidents(from(json!([
            {"id": "4101", "displayName": "Ransomware on ws-014", "severity": "high",
             "status": "active", "createdDateTime": old, "lastUpdateDateTime": old},
            {"id": "4090", "displayName": "Old credential theft", "severity": "medium",
             "status": "active", "createdDateTime": old, "lastUpdateDateTime": old},
        ]))),
    );
    go(&mut s, "incidents");
    let (_, json) = export_json(&mut s);
    let shown: Vec<String> = s.tables[&socops::app::TableId::Incidents]
        .rows_in_view()
        .map(|r| r.id().to_string())
        .collect();
    let exported: Vec<String> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(exported, shown);
    assert!(json[0]["displayName"].is_string(), "{json:#}");
    assert!(json[0].get("severity").is_some(), "{json:#}");
}

#[test]
fn a_derived_table_keeps_its_column_titles() {
    let mut s = state();
    go(&mut s, "learn");
    assert_eq!(s.view, View::Learn);
    let (_, json) = export_json(&mut s);
    let first = json.as_array().and_then(|a| a.first()).expect("learn rows");
    assert!(
        first
            .as_object()
            .unwrap()
            .keys()
            .all(|k| k.chars().all(|c| !c.is_lowercase())),
        "column titles: {first:#}"
    );
}

#[test]
fn the_config_names_the_export_directory() {
    let path = std::path::Path::new("config.toml");
    let c = socops::store::Config::parse(path, "export_dir = \"/srv/exports\"\n").unwrap();
    assert_eq!(
        c.export_dir.as_deref(),
        Some(std::path::Path::new("/srv/exports"))
    );
    let c = socops::store::Config::parse(path, "").unwrap();
    assert_eq!(c.export_dir, None);
}
