//! Scenario tests of the console's typing surfaces: the `:` palette (fuzzy suggestions,
//! Tab/↓ picks, history on ↑/↓, `:device`, `:incident`, `:alert`, a typo's nearest command),
//! the `/` filter language (AND, `!term`, `column:value`, shown in the title) and the `?`
//! help generated from the keymap (this view's keys first, a dialog's dry run among them).
//! Data comes from the recorded fixtures of the simulator's tenant (see `console_common`).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::api::model::{HealthStatus, RiskScore};
use socops::app::input::help::{Seg, lines as help_lines};
use socops::app::pages::working::Subject;
use socops::app::{AppState, Cadence, Command, Key, KeyCode, Mode, Msg, TableId, View, update};

mod console_common;
mod screen;
use console_common::{DAILY_KINDS, fixture_state, now};
use screen::draw;

/// The demo tenant's Daily data, from the recorded fixtures (the simulator's tenant).
async fn loaded_state() -> AppState {
    fixture_state(&DAILY_KINDS, now())
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn press(s: &mut AppState, code: KeyCode) -> Vec<Command> {
    key(s, Key::plain(code))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, Key::ch(c));
    }
}

/// `:` + text + Enter.
fn command(s: &mut AppState, text: &str) -> Vec<Command> {
    key(s, Key::ch(':'));
    typed(s, text);
    press(s, KeyCode::Enter)
}

fn palette_input(s: &AppState) -> String {
    match &s.mode {
        Mode::Palette { input, .. } => input.clone(),
        m => panic!("not in the palette: {m:?}"),
    }
}

fn labels(s: &AppState) -> Vec<String> {
    s.palette
        .suggestions
        .iter()
        .map(|g| g.label.clone())
        .collect()
}

fn last_toast(s: &AppState) -> String {
    s.toasts.last().map(|t| t.text.clone()).unwrap_or_default()
}

#[tokio::test]
async fn palette_suggests_fuzzily_as_you_type_and_tab_or_down_picks() {
    let mut s = loaded_state().await;
    key(&mut s, Key::ch(':'));
    typed(&mut s, "in");
    let l = labels(&s);
    assert_eq!(&l[..2], [":incidents", ":indicators"], "{l:?}");
    // The commands with an argument are suggested with it.
    assert!(l.contains(&":incident ID".to_string()), "{l:?}");
    // ↓ picks the next suggestion, Tab puts it on the line.
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Tab);
    assert_eq!(palette_input(&s), "indicators");
    press(&mut s, KeyCode::Esc);

    // Fuzzy: letters in order, not necessarily together.
    key(&mut s, Key::ch(':'));
    typed(&mut s, "rcmd");
    assert_eq!(labels(&s)[0], ":recommendations");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::DeviceScore);

    // `dev` means the Devices view before `device NAME`; the exact name asks for a NAME.
    key(&mut s, Key::ch(':'));
    typed(&mut s, "dev");
    assert_eq!(&labels(&s)[..2], [":devices", ":device NAME"]);
    press(&mut s, KeyCode::Tab);
    assert_eq!(palette_input(&s), "devices");
    // `device` typed out: Tab adds the space its NAME needs.
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Tab);
    assert_eq!(palette_input(&s), "device ");
    // Now the suggestions are the loaded devices.
    let names: Vec<String> = s
        .data
        .machines
        .data()
        .unwrap()
        .iter()
        .map(|m| m.display_name().to_string())
        .collect();
    assert_eq!(labels(&s).len(), names.len());
    let mut snaps = Vec::new();
    for (w, h) in [(80, 24), (120, 40)] {
        snaps.push((format!("palette_device_arg_{w}x{h}"), draw(&mut s, w, h)));
    }
    for (name, screen) in snaps {
        insta::assert_snapshot!(name, screen);
    }
}

#[tokio::test]
async fn history_on_up_and_down_most_recent_first() {
    let mut s = loaded_state().await;
    command(&mut s, "devices");
    command(&mut s, "incidents");
    command(&mut s, "alerts");
    command(&mut s, "devices");
    assert_eq!(s.palette.history, ["devices", "alerts", "incidents"]);
    key(&mut s, Key::ch(':'));
    press(&mut s, KeyCode::Up);
    assert_eq!(palette_input(&s), "devices");
    press(&mut s, KeyCode::Up);
    assert_eq!(palette_input(&s), "alerts");
    press(&mut s, KeyCode::Up);
    assert_eq!(palette_input(&s), "incidents");
    // The oldest stays.
    press(&mut s, KeyCode::Up);
    assert_eq!(palette_input(&s), "incidents");
    let mut snaps = Vec::new();
    for (w, h) in [(80, 24), (120, 40)] {
        snaps.push((format!("palette_history_{w}x{h}"), draw(&mut s, w, h)));
    }
    press(&mut s, KeyCode::Down);
    assert_eq!(palette_input(&s), "alerts");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    // Past the newest: what was typed before (nothing).
    assert_eq!(palette_input(&s), "");
    // What was typed comes back too.
    typed(&mut s, "ris");
    press(&mut s, KeyCode::Up);
    assert_eq!(palette_input(&s), "devices");
    press(&mut s, KeyCode::Down);
    assert_eq!(palette_input(&s), "ris");
    press(&mut s, KeyCode::Esc);
    // A recalled command runs with Enter.
    key(&mut s, Key::ch(':'));
    press(&mut s, KeyCode::Up);
    press(&mut s, KeyCode::Up);
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.view, View::Alerts);
    for (name, screen) in snaps {
        insta::assert_snapshot!(name, screen);
    }
}

#[tokio::test]
async fn device_incident_and_alert_commands_open_their_pages() {
    let mut s = loaded_state().await;
    let machine = s.data.machines.data().unwrap().get(3).unwrap().machine();
    let host = machine
        .display_name()
        .split('.')
        .next()
        .unwrap()
        .to_string();
    command(&mut s, &format!("device {host}"));
    assert_eq!(s.view, View::Devices);
    assert_eq!(s.detail_id.as_deref(), Some(machine.id.as_str()));
    assert!(s.detail.is_some());
    press(&mut s, KeyCode::Esc);
    assert!(s.detail.is_none());

    // Part of a name: Enter takes the highlighted suggestion.
    key(&mut s, Key::ch(':'));
    typed(&mut s, &format!("device {}", &host[..host.len() - 1]));
    assert_eq!(labels(&s)[0], machine.display_name());
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.detail_id.as_deref(), Some(machine.id.as_str()));
    press(&mut s, KeyCode::Esc);

    // An incident (a resolved one too: the list shows unresolved ones).
    key(&mut s, Key::ch('1'));
    let incidents = s.data.incidents.data().unwrap().clone();
    let resolved = incidents
        .iter()
        .find(|i| {
            i.status
                .as_ref()
                .is_some_and(|st| st.as_str() == "Resolved")
        })
        .expect("a resolved incident in the demo data");
    for i in [&incidents[0], resolved] {
        command(&mut s, &format!("incident {}", i.id));
        assert_eq!(s.view, View::Incidents);
        let d = s.detail.as_ref().expect("the incident's page");
        assert_eq!(d.subject, Some(Subject::Incident(i.id.clone())));
        assert_eq!(s.detail_id.as_deref(), Some(i.id.as_str()));
        press(&mut s, KeyCode::Esc);
    }
    // Esc went from the page to the list; once more returns to where the analyst was.
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.view, View::Checklist(Cadence::Daily));

    // An alert, by the start of its title.
    let alert = s.data.alerts.data().unwrap()[0].clone();
    command(&mut s, &format!("alert {}", alert.id));
    assert_eq!(s.view, View::Alerts);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Alert(alert.id.clone()))
    );
    press(&mut s, KeyCode::Esc);

    // Unknown ids say so and open nothing.
    command(&mut s, "incident 999999");
    assert_eq!(last_toast(&s), "no loaded incident has the id 999999");
    assert!(s.detail.is_none());
    // A bare command asks for its argument.
    command(&mut s, "alert");
    assert_eq!(palette_input(&s), "alert ");
    press(&mut s, KeyCode::Esc);
    // Every command run is remembered, the unknown id too (↑ brings it back to fix).
    assert_eq!(
        s.palette.history[..4],
        [
            "incident 999999".to_string(),
            format!("alert {}", alert.id),
            format!("incident {}", resolved.id),
            format!("incident {}", incidents[0].id),
        ]
    );
}

#[tokio::test]
async fn a_typo_suggests_the_nearest_command() {
    let mut s = loaded_state().await;
    key(&mut s, Key::ch(':'));
    typed(&mut s, "devcies");
    assert!(s.palette.suggestions.is_empty());
    let screen = draw(&mut s, 80, 24);
    assert!(
        screen.contains("no such command — did you mean :devices?"),
        "{screen}"
    );
    press(&mut s, KeyCode::Enter);
    assert_eq!(
        last_toast(&s),
        "unknown command 'devcies' — did you mean 'devices'?"
    );
    assert_eq!(s.view, View::Checklist(Cadence::Daily));
    command(&mut s, "qqqqqqq");
    assert_eq!(
        last_toast(&s),
        "unknown command 'qqqqqqq' (? lists the commands)"
    );
    assert!(s.palette.history.is_empty());
}

fn devices_in_view(s: &AppState) -> Vec<String> {
    let t = s.table(TableId::Devices).unwrap();
    t.rows_in_view().map(|r| r.id().to_string()).collect()
}

#[tokio::test]
async fn filter_terms_are_anded_negated_and_scoped_to_a_column() {
    let mut s = loaded_state().await;
    command(&mut s, "devices");
    key(&mut s, Key::ch('/'));
    typed(&mut s, "risk:high os:windows !inactive");
    // Counted from the typed records, not from the rows.
    let machines = s.data.machines.data().unwrap().to_machines();
    let mut want: Vec<String> = machines
        .iter()
        .filter(|m| m.risk_score == Some(RiskScore::High))
        .filter(|m| {
            m.os_platform
                .as_deref()
                .is_some_and(|o| o.to_lowercase().contains("windows"))
        })
        .filter(|m| m.health_status != Some(HealthStatus::Inactive))
        .map(|m| m.id.clone())
        .collect();
    let mut got = devices_in_view(&s);
    assert!(!want.is_empty());
    want.sort();
    got.sort();
    assert_eq!(got, want);
    let mut snaps = Vec::new();
    for (w, h) in [(80, 24), (120, 40)] {
        snaps.push((format!("filter_query_{w}x{h}"), draw(&mut s, w, h)));
    }
    let screen = draw(&mut s, 120, 40);
    assert!(
        screen.contains("/risk:high os:windows !inactive"),
        "the title shows the filter: {screen}"
    );
    // Excluding a longer word keeps more rows: typing on can widen the view.
    press(&mut s, KeyCode::Esc);
    key(&mut s, Key::ch('/'));
    typed(&mut s, "!w");
    let fewer = devices_in_view(&s).len();
    typed(&mut s, "indows");
    let more = devices_in_view(&s).len();
    let windows = machines
        .iter()
        .filter(|m| {
            m.os_platform
                .as_deref()
                .is_some_and(|o| o.to_lowercase().contains("windows"))
        })
        .count();
    assert!(more > fewer, "{fewer} then {more}");
    assert_eq!(more, machines.len() - windows);
    // A column that does not exist is named on the filter line.
    press(&mut s, KeyCode::Esc);
    key(&mut s, Key::ch('/'));
    typed(&mut s, "rsk:high");
    let screen = draw(&mut s, 120, 40);
    assert!(screen.contains("no column rsk:"), "{screen}");
    for (name, screen) in snaps {
        insta::assert_snapshot!(name, screen);
    }
}

fn help_text(s: &AppState) -> Vec<String> {
    help_lines(s, 74)
        .into_iter()
        .map(|segs| {
            segs.into_iter()
                .map(|seg| match seg {
                    Seg::Head(t) | Seg::Key(t) | Seg::Text(t) | Seg::Dim(t) => t,
                })
                .collect::<String>()
        })
        .collect()
}

fn line_of(lines: &[String], needle: &str) -> usize {
    lines
        .iter()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the help: {lines:#?}"))
}

#[tokio::test]
async fn help_shows_this_views_keys_first_then_the_global_ones_and_a_dialogs_dry_run() {
    let mut s = loaded_state().await;
    command(&mut s, "devices");
    key(&mut s, Key::ch('?'));
    assert_eq!(s.mode, Mode::Help);
    let lines = help_text(&s);
    let everywhere = line_of(&lines, "Everywhere:");
    assert!(lines[0].starts_with("Devices: "), "{lines:#?}");
    // The device keys are this view's, above the global ones; indicator keys are elsewhere.
    assert!(line_of(&lines, "isolate") < everywhere);
    assert!(line_of(&lines, "filter") < everywhere);
    assert!(line_of(&lines, "add indicator") > everywhere);
    assert!(line_of(&lines, "Other views:") > everywhere);
    // Global keys are listed once: the view's are not repeated below.
    assert_eq!(lines.iter().filter(|l| l.contains("isolate")).count(), 1);
    assert!(line_of(&lines, "next view") < everywhere);
    assert!(line_of(&lines, "weekly tasks") > everywhere);
    assert!(line_of(&lines, ":device NAME") > everywhere);
    press(&mut s, KeyCode::Esc);

    // A dialog: its keys first, the dry run among them; f1 opens the help over it even in a
    // text field (where `?` is typed), and Esc closes the help, not the dialog.
    key(&mut s, Key::ch('V'));
    let open = s.actions.dialog.as_ref().expect("the scan dialog");
    let title = open.dialog.title.clone();
    let text_field = open
        .dialog
        .fields
        .iter()
        .position(|f| f.is_text())
        .expect("a comment field");
    while s.actions.dialog.as_ref().unwrap().dialog.focus != text_field {
        press(&mut s, KeyCode::Tab);
    }
    key(&mut s, Key::ch('?'));
    assert_eq!(s.mode, Mode::Normal, "? is typed into the comment");
    let comment = &s.actions.dialog.as_ref().unwrap().dialog.fields[text_field];
    assert!(comment.value().ends_with('?'));
    press(&mut s, KeyCode::F(1));
    assert_eq!(s.mode, Mode::Help);
    let lines = help_text(&s);
    assert!(lines[0].starts_with(&format!("{title}: ")), "{lines:#?}");
    assert!(line_of(&lines, "ctrl-d dry run") < line_of(&lines, "Devices: "));
    let mut snaps = Vec::new();
    for (w, h) in [(80, 24), (120, 40)] {
        snaps.push((format!("help_over_dialog_{w}x{h}"), draw(&mut s, w, h)));
    }
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.mode, Mode::Normal);
    assert!(s.actions.dialog.is_some());
    // On a choice field `?` itself opens the help.
    let choice = s
        .actions
        .dialog
        .as_ref()
        .unwrap()
        .dialog
        .fields
        .iter()
        .position(|f| !f.is_text());
    if let Some(choice) = choice {
        while s.actions.dialog.as_ref().unwrap().dialog.focus != choice {
            press(&mut s, KeyCode::Tab);
        }
        key(&mut s, Key::ch('?'));
        assert_eq!(s.mode, Mode::Help);
        assert!(line_of(&help_text(&s), "d/ctrl-d dry run") < 2);
        press(&mut s, KeyCode::Esc);
    }
    assert!(s.actions.dialog.is_some());
    for (name, screen) in snaps {
        insta::assert_snapshot!(name, screen);
    }
}
