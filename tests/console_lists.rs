//! The list-like views: Secure Score controls by largest gap with the comparison line whole,
//! the device score's categories, the Reports in severity order, wrapped whole-word and
//! scrolled at 80×24 instead of cut, and `:errors` saying when each error happened.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod console_common;
use chrono::{DateTime, Duration, TimeZone, Utc};
use console_common::{empty_state_at, load_at};
use serde_json::json;
use socops::app::{
    AppState, Key, KeyCode, LoadError, Msg, Payload, ResourceKind, Settings, TableId, View, update,
};

mod screen;
use screen::draw;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 12, 0).unwrap()
}

fn from<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

fn state() -> AppState {
    empty_state_at(
        Settings {
            tenant_label: "fabrikam".into(),
            ..Settings::default()
        },
        now(),
    )
}

fn load(s: &mut AppState, payload: Payload) {
    load_at(s, payload, now());
}

fn key(s: &mut AppState, code: KeyCode) {
    update(s, Msg::Key(Key::plain(code)));
}

fn secure_score() -> (Payload, Payload) {
    let score = |name: &str, cat: &str, points: f64| {
        json!({"controlName": name, "controlCategory": cat, "score": points,
               "implementationStatus": "x"})
    };
    let scores = Payload::SecureScores(from(json!([{
        "id": "t_2026-11-30", "createdDateTime": now().to_rfc3339(),
        "currentScore": 196.3, "maxScore": 371.0,
        "averageComparativeScores": [
            {"basis": "AllTenants", "averageScore": 44.72},
            {"basis": "TotalSeats", "averageScore": 39.87},
            {"basis": "IndustryTypes", "averageScore": 52.1}
        ],
        "controlScores": [
            score("AdminMFAV2", "Identity", 10.0),
            score("scid_20000", "Device", 4.0),
            score("SafeLinksPolicy", "Apps", 0.0),
            score("OneAdmin", "Identity", 1.0),
        ]
    }])));
    let profile = |id: &str, title: &str, max: f64| {
        json!({"id": id, "title": title, "maxScore": max, "controlCategory": "Identity",
               "controlStateUpdates": []})
    };
    let profiles = Payload::ControlProfiles(from(json!([
        profile("AdminMFAV2", "Require MFA for administrative roles", 10.0),
        profile("scid_20000", "Turn on tamper protection", 8.0),
        profile(
            "SafeLinksPolicy",
            "Create Safe Links policies for email messages",
            9.0
        ),
        profile("OneAdmin", "Designate more than one global admin", 1.0),
        profile(
            "NewControl",
            "A control the snapshot does not score yet",
            5.0
        ),
    ])));
    (scores, profiles)
}

#[test]
fn secure_score_lists_the_largest_gap_first_and_keeps_the_comparison_whole() {
    let mut s = state();
    let (scores, profiles) = secure_score();
    load(&mut s, scores);
    load(&mut s, profiles);
    let t = s.table(TableId::Controls).unwrap();
    let order: Vec<(&str, &str)> = t.rows.iter().map(|r| (r.id(), r.cell(4))).collect();
    // Largest gap first, done controls after (more at stake first), unknown gaps last.
    assert_eq!(
        order,
        vec![
            ("SafeLinksPolicy", "9"),
            ("scid_20000", "4"),
            ("AdminMFAV2", "done"),
            ("OneAdmin", "done"),
            ("NewControl", "—"),
        ]
    );
    s.view = View::SecureScore;
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        // Every comparison whole, whatever the width of the box.
        for item in [
            "all tenants 44.7 %",
            "similar size 39.9 %",
            "same industry 52.1 %",
        ] {
            assert!(screen.contains(item), "{w}x{h}: {item} cut:\n{screen}");
        }
        insta::assert_snapshot!(format!("secure_score_gaps_{w}x{h}"), screen);
    }
}

fn recommendations() -> Payload {
    let rec = |id: &str, name: &str, cat: &str, exploit: bool, status: &str| {
        json!({"id": id, "recommendationName": name, "recommendationCategory": cat,
               "publicExploit": exploit, "status": status, "severityScore": 5.0,
               "exposedMachinesCount": 3})
    };
    Payload::Recommendations(from(json!([
        rec("r1", "Update Google Chrome", "Application", true, "Active"),
        rec("r2", "Update 7-Zip", "Application", false, "Active"),
        rec("r3", "Update Windows 10", "OS", true, "Active"),
        rec(
            "r4",
            "Turn on tamper protection",
            "SecurityControls",
            false,
            "Active"
        ),
        rec("r5", "Disable SMBv1", "Network", false, "Exception"),
    ])))
}

#[test]
fn device_score_shows_its_categories() {
    let mut s = state();
    load(
        &mut s,
        Payload::ConfigurationScore(from(json!({"time": now().to_rfc3339(), "score": 400}))),
    );
    load(&mut s, recommendations());
    let panels = &s.panels[&View::DeviceScore];
    let cats = panels.iter().find(|p| p.title == "By category").unwrap();
    assert_eq!(
        cats.lines,
        vec![
            "Application: 2 active · 1 with exploits",
            "OS: 1 active · 1 with exploits",
            "Security controls: 1 active",
        ],
        "active recommendations only, most first"
    );
    s.view = View::DeviceScore;
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        assert!(screen.contains("Security controls: 1 active"), "{screen}");
        insta::assert_snapshot!(format!("device_score_categories_{w}x{h}"), screen);
    }
}

fn alerts() -> Payload {
    let mut v = Vec::new();
    let sev = [
        ("Low", 22),
        ("Medium", 13),
        ("Informational", 9),
        ("High", 7),
    ];
    let sources = [
        "WindowsDefenderAv",
        "WindowsDefenderAtp",
        "SmartScreen",
        "AutomatedInvestigation",
        "CustomerTI",
    ];
    let mut i = 0;
    for (severity, n) in sev {
        for _ in 0..n {
            v.push(
                json!({"id": format!("da{i}"), "severity": severity, "status": "New",
                          "detectionSource": sources[i % sources.len()], "title": "x"}),
            );
            i += 1;
        }
    }
    Payload::Alerts(from(serde_json::Value::Array(v)))
}

fn actions() -> Payload {
    let t = (now() - Duration::days(2)).to_rfc3339();
    let kinds = [
        ("CollectInvestigationPackage", "Succeeded"),
        ("Isolate", "InProgress"),
        ("LiveResponse", "Cancelled"),
        ("LiveResponse", "Failed"),
        ("LiveResponse", "Succeeded"),
        ("Offboard", "Failed"),
        ("RestrictCodeExecution", "Failed"),
        ("RunAntiVirusScan", "Cancelled"),
        ("RunAntiVirusScan", "Pending"),
        ("RunAntiVirusScan", "Succeeded"),
        ("RunAntiVirusScan", "TimeOut"),
        ("StopAndQuarantineFile", "Succeeded"),
        ("StopAndQuarantineFile", "TimeOut"),
        ("Unisolate", "Cancelled"),
        ("UnrestrictCodeExecution", "Failed"),
    ];
    let v: Vec<serde_json::Value> = kinds
        .iter()
        .enumerate()
        .map(|(i, (k, st))| {
            json!({"id": format!("a{i}"), "type": k, "status": st, "machineId": "m1",
                   "creationDateTimeUtc": t})
        })
        .collect();
    Payload::MachineActions(from(serde_json::Value::Array(v)))
}

fn incidents() -> Payload {
    let t = (now() - Duration::days(3)).to_rfc3339();
    let v: Vec<serde_json::Value> = ["low", "high", "medium", "low", "informational"]
        .iter()
        .enumerate()
        .map(|(i, sev)| {
            json!({"id": format!("{}", 4000 + i), "displayName": "x", "severity": sev,
                   "status": "active", "createdDateTime": t, "lastUpdateDateTime": t})
        })
        .collect();
    Payload::Incidents(from(serde_json::Value::Array(v)))
}

/// Every word of the Reports' lines, to find whole on the screen.
fn words(s: &AppState) -> Vec<String> {
    s.panels[&View::Reports]
        .iter()
        .flat_map(|p| p.lines.iter())
        .flat_map(|l| l.split([' ', '·']).map(str::to_string).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn reports_in_severity_order_wrap_whole_and_scroll_at_80x24() {
    let mut s = state();
    load(&mut s, alerts());
    load(&mut s, incidents());
    load(&mut s, actions());
    let alerts = s.panels[&View::Reports]
        .iter()
        .find(|p| p.title.starts_with("Alerts"))
        .unwrap();
    assert_eq!(
        alerts.lines[1],
        "severity: 7 High · 13 Medium · 22 Low · 9 Informational"
    );
    let incidents = s.panels[&View::Reports]
        .iter()
        .find(|p| p.title.starts_with("Incidents"))
        .unwrap();
    assert_eq!(
        incidents.lines[1],
        "severity: 1 High · 1 Medium · 2 Low · 1 Informational"
    );
    s.view = View::Reports;
    let top = draw(&mut s, 80, 24);
    assert!(top.contains("more lines · j/k scroll"), "{top}");
    insta::assert_snapshot!("reports_top_80x24", top.clone());
    // Scrolled to the end, the last box's last line is on screen; nothing was cut.
    key(&mut s, KeyCode::Char('G'));
    let bottom = draw(&mut s, 80, 24);
    assert!(
        bottom.contains("UnrestrictCodeExecution: 1 Failed"),
        "{bottom}"
    );
    assert!(bottom.contains("end · j/k scroll"), "{bottom}");
    insta::assert_snapshot!("reports_bottom_80x24", bottom.clone());
    // Up one line at a time, back to the top.
    for _ in 0..60 {
        key(&mut s, KeyCode::Char('k'));
    }
    assert_eq!(s.reports_scroll, 0);
    assert_eq!(draw(&mut s, 80, 24), top);
    // Every word shows whole on one of the two screens (no word broken over two lines).
    let both = format!("{top}\n{bottom}");
    for w in words(&s) {
        assert!(both.contains(&w), "{w} is not whole on screen:\n{both}");
    }
    // A tall screen holds every box: no scrolling, no hint.
    let tall = draw(&mut s, 120, 40);
    assert!(!tall.contains("j/k scroll"), "{tall}");
    insta::assert_snapshot!("reports_120x40", tall);
}

#[test]
fn errors_say_when_each_happened() {
    let mut s = state();
    let fail = |s: &mut AppState, kind: ResourceKind, at: DateTime<Utc>, text: &str| {
        let id = 80_000 + s.next_request;
        s.next_request += 1;
        s.data.start(kind, id);
        update(
            s,
            Msg::LoadFailed {
                id,
                at,
                kind,
                error: LoadError {
                    text: text.into(),
                    code: Some("Forbidden".into()),
                    correlation_id: None,
                },
            },
        );
    };
    let t0 = Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 5).unwrap();
    fail(
        &mut s,
        ResourceKind::Indicators,
        t0,
        "Defender API: 403 Forbidden",
    );
    fail(
        &mut s,
        ResourceKind::Indicators,
        t0 + Duration::minutes(5),
        "Defender API: 403 Forbidden",
    );
    fail(
        &mut s,
        ResourceKind::Alerts,
        Utc.with_ymd_and_hms(2026, 11, 29, 22, 1, 30).unwrap(),
        "Defender API: 503 Service Unavailable",
    );
    let t = s.table(TableId::Errors).unwrap();
    let cells: Vec<(&str, &str)> = t.rows.iter().map(|r| (r.cell(0), r.cell(1))).collect();
    assert_eq!(
        cells,
        vec![
            ("yesterday 22:01:30", "load alerts"),
            ("07:58:05–08:03:05", "load indicators ×2"),
        ]
    );
    s.view = View::Errors;
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        assert!(screen.contains("08:03:05"), "{screen}");
        insta::assert_snapshot!(format!("errors_times_{w}x{h}"), screen);
    }
}
