//! Snapshots of every view and overlay at 80×24 and 120×40, on a fixed clock, drawn from the
//! recorded fixtures (`tests/console_common`), so a change to the simulator's generator does
//! not rewrite them.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Cadence, Key, KeyCode, Keymap, Msg, ResourceKind, Settings, View, start, update,
};

mod console_common;
mod screen;
use console_common::{ALL_KINDS, now};
use screen::draw;

/// A console with every resource loaded from the recorded fixtures (the simulator's tenant,
/// seed 7, recorded once), read 12 s before the tests' clock.
async fn loaded_state() -> AppState {
    let mut s = console_common::empty_state();
    s.checklist.toggle("daily:2026-11-30", "exposure");
    let payloads = ALL_KINDS
        .iter()
        .map(|k| console_common::fixture(*k))
        .collect();
    console_common::deliver(&mut s, payloads, now() - chrono::Duration::seconds(12));
    update(
        &mut s,
        Msg::Budget {
            used: 14,
            per_minute: 100,
        },
    );
    s
}

fn key(s: &mut AppState, k: Key) {
    update(s, Msg::Key(k));
}

fn go(s: &mut AppState, view: View) {
    s.view = view;
    s.detail = None;
}

#[tokio::test]
async fn every_view_at_two_sizes() {
    let mut s = loaded_state().await;
    let mut views: Vec<View> = Vec::new();
    for c in Cadence::ALL {
        views.extend_from_slice(c.views());
    }
    for view in views {
        go(&mut s, view);
        let name = format!("{view:?}").replace(['(', ')'], "_").to_lowercase();
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("{name}{w}x{h}"), draw(&mut s, w, h));
        }
    }
}

#[tokio::test]
async fn overlays_and_states() {
    let mut s = loaded_state().await;
    for (w, h) in [(80, 24), (120, 40)] {
        go(&mut s, View::Checklist(Cadence::Daily));
        key(&mut s, Key::ch('?'));
        insta::assert_snapshot!(format!("help_{w}x{h}"), draw(&mut s, w, h));
        key(&mut s, Key::plain(KeyCode::Esc));

        key(&mut s, Key::ch(':'));
        key(&mut s, Key::ch('i'));
        key(&mut s, Key::ch('n'));
        insta::assert_snapshot!(format!("palette_{w}x{h}"), draw(&mut s, w, h));
        key(&mut s, Key::plain(KeyCode::Esc));

        go(&mut s, View::Incidents);
        key(&mut s, Key::plain(KeyCode::Enter));
        insta::assert_snapshot!(format!("incident_detail_{w}x{h}"), draw(&mut s, w, h));
        key(&mut s, Key::plain(KeyCode::Esc));

        go(&mut s, View::Devices);
        key(&mut s, Key::ch('/'));
        for c in "win".chars() {
            key(&mut s, Key::ch(c));
        }
        key(&mut s, Key::ch('s'));
        insta::assert_snapshot!(format!("devices_filtered_{w}x{h}"), draw(&mut s, w, h));
        key(&mut s, Key::plain(KeyCode::Esc));
        key(&mut s, Key::plain(KeyCode::Esc));
    }
}

#[test]
fn first_frame_and_errors_in_view() {
    // The first frame, before any answer: figures say loading, nothing is blank.
    let settings = Settings {
        tenant_label: "fabrikam".into(),
        read_only: true,
        ..Settings::default()
    };
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    insta::assert_snapshot!("first_frame_80x24", draw(&mut s, 80, 24));
    insta::assert_snapshot!("first_frame_120x40", draw(&mut s, 120, 40));

    // A failed load shows in the view (with code and correlation id) and in the status line.
    let id = s.data.pending(ResourceKind::Incidents).unwrap();
    let error = socops::app::LoadError {
        text: "Microsoft Graph: 403 Forbidden: missing SecurityIncident.Read.All".into(),
        code: Some("Forbidden".into()),
        correlation_id: Some("5e1c-77aa".into()),
    };
    update(
        &mut s,
        Msg::LoadFailed {
            id,
            at: now(),
            kind: ResourceKind::Incidents,
            error,
        },
    );
    go(&mut s, View::Incidents);
    insta::assert_snapshot!("incidents_error_80x24", draw(&mut s, 80, 24));
    insta::assert_snapshot!("incidents_error_120x40", draw(&mut s, 120, 40));
}

#[tokio::test]
async fn failed_incidents_are_unavailable_not_none() {
    // Everything loaded, then the incidents refresh fails: the Daily tile and the since-last
    // -run panel say unavailable and why, never "no new incidents".
    let mut s = loaded_state().await;
    s.since.enabled = true;
    s.since.profile = "p".into();
    s.since.previous = Some(socops::app::data::session_digest::from_state(
        &s,
        "p",
        now() - chrono::Duration::hours(24),
    ));
    s.data.incidents = Default::default();
    let id = 90_000;
    s.data.start(ResourceKind::Incidents, id);
    for n in 0..3 {
        if n > 0 {
            s.data.start(ResourceKind::Incidents, id + n);
        }
        update(
            &mut s,
            Msg::LoadFailed {
                id: id + n,
                at: now(),
                kind: ResourceKind::Incidents,
                error: socops::app::LoadError {
                    text: "cannot reach Microsoft Graph: connect to https://graph.microsoft.com \
                           failed: connection refused"
                        .into(),
                    code: None,
                    correlation_id: None,
                },
            },
        );
    }
    socops::app::data::derive::rebuild(&mut s, ResourceKind::Incidents);
    assert_eq!(s.errors.len(), 1, "identical errors collapse");
    assert_eq!(s.errors[0].count, 3);
    for (w, h) in [(80, 24), (120, 40)] {
        go(&mut s, View::Checklist(Cadence::Daily));
        let daily = draw(&mut s, w, h);
        assert!(!daily.contains("no new incidents"), "{daily}");
        insta::assert_snapshot!(format!("incidents_failed_daily_{w}x{h}"), daily);
        go(&mut s, View::Errors);
        let errors = draw(&mut s, w, h);
        assert!(errors.contains("load incidents ×3"), "{errors}");
    }
}

#[tokio::test]
async fn action_menu_and_isolate_dialog() {
    let mut s = loaded_state().await;
    s.settings.protected = true;
    for (w, h) in [(80, 24), (120, 40)] {
        go(&mut s, View::DevicesAtRisk);
        key(&mut s, Key::ch('.'));
        insta::assert_snapshot!(format!("action_menu_{w}x{h}"), draw(&mut s, w, h));
        key(&mut s, Key::plain(KeyCode::Esc));

        key(&mut s, Key::ch('i'));
        for c in "contain ransomware".chars() {
            key(&mut s, Key::ch(c));
        }
        insta::assert_snapshot!(format!("isolate_dialog_{w}x{h}"), draw(&mut s, w, h));
        key(&mut s, Key::plain(KeyCode::Esc));
    }
}

#[tokio::test]
async fn since_last_run_panel_and_marks() {
    let mut s = loaded_state().await;
    // Yesterday's run: two incidents and two devices at risk fewer, lower scores.
    let mut prev =
        socops::app::data::session_digest::from_state(&s, "p", now() - chrono::Duration::hours(24));
    prev.incidents.drain(..2);
    prev.devices_at_risk.drain(..2);
    if let Some(sc) = prev.secure_score.as_mut() {
        sc.percent -= 1.2;
    }
    if let Some(e) = prev.exposure_score.as_mut() {
        e.score += 4.0;
    }
    s.since.enabled = true;
    s.since.profile = "p".into();
    s.since.previous = Some(prev);
    for k in ALL_KINDS {
        socops::app::data::derive::rebuild(&mut s, k);
    }
    for (w, h) in [(80, 24), (120, 40)] {
        go(&mut s, View::Checklist(Cadence::Daily));
        insta::assert_snapshot!(format!("since_daily_{w}x{h}"), draw(&mut s, w, h));
        go(&mut s, View::DevicesAtRisk);
        insta::assert_snapshot!(format!("since_risk_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[tokio::test]
async fn help_fits_80x24_and_scrolls_to_every_key() {
    let mut s = loaded_state().await;
    go(&mut s, View::Devices);
    key(&mut s, Key::ch('?'));
    // At 80×24 the Devices help fits whole: this view's keys first (quitting among them),
    // the commands last.
    let first = draw(&mut s, 80, 24);
    assert!(!first.contains("more lines"), "{first}");
    assert!(first.contains("Devices:"), "{first}");
    assert!(first.contains("q/ctrl-c"), "{first}");
    assert!(first.contains(":weekly"), "{first}");
    // On a shorter screen it scrolls to the end: the commands (with :audit) show, box intact.
    let short = draw(&mut s, 80, 18);
    assert!(short.contains("more lines"), "{short}");
    for _ in 0..30 {
        key(&mut s, Key::ch('j'));
    }
    let last = draw(&mut s, 80, 18);
    assert!(last.contains(":audit"), "{last}");
    assert!(last.contains(":weekly"), "{last}");
    assert!(last.lines().any(|l| l.contains('└')), "{last}");
    insta::assert_snapshot!("help_devices_end_80x18", last);
    // At 120×40 everything fits without scrolling.
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::ch('?'));
    let big = draw(&mut s, 120, 40);
    assert!(
        big.contains(":audit") && !big.contains("more lines"),
        "{big}"
    );
}
