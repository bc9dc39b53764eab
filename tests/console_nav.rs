//! Scenario tests of console navigation: the back stack and breadcrumb, paging, copying the
//! id or the link, the mouse, and forms (ctrl-c, dry run and back, a kept comment). Data
//! comes from the recorded tenant (`tests/fixtures/console/`), so the snapshots do not follow
//! the simulator's generator.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socops::app::actions::SendResult;
use socops::app::data::checklist::tasks;
use socops::app::input::mouse::{Mouse, RowsArea};
use socops::app::{AppState, Cadence, Command, Key, KeyCode, Mode, Msg, TableId, View, update};
use socops::ui::{Theme, render};

mod console_common;
use console_common::DAILY_KINDS;

async fn loaded_state() -> AppState {
    console_common::fixture_state(&DAILY_KINDS, console_common::now())
}

fn draw(s: &mut AppState, w: u16, h: u16) -> String {
    update(s, Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| render(f, s, &Theme::mono())).unwrap();
    // As the runtime does after each frame.
    s.rows_area = socops::ui::table::focused_rows().map(|(r, first)| RowsArea {
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
        first,
    });
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn esc(s: &mut AppState) -> Vec<Command> {
    key(s, Key::plain(KeyCode::Esc))
}

fn enter(s: &mut AppState) -> Vec<Command> {
    key(s, Key::plain(KeyCode::Enter))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, Key::ch(c));
    }
}

fn open_task(s: &mut AppState, cadence: Cadence, id: &str) {
    let i = tasks(cadence).iter().position(|t| t.id == id).unwrap();
    s.checklist_selected.insert(cadence, i);
    enter(s);
}

fn selected(s: &AppState, id: TableId) -> usize {
    s.table(id).unwrap().selected
}

#[tokio::test]
async fn esc_goes_back_the_way_the_analyst_came() {
    let mut s = loaded_state().await;
    open_task(&mut s, Cadence::Daily, "threats");
    assert_eq!(s.view, View::DevicesAtRisk);
    enter(&mut s);
    let device = s.detail.as_ref().expect("a device detail").title.clone();
    assert_eq!(
        socops::app::pages::nav::breadcrumb(&s),
        vec![
            "Daily".to_string(),
            "Devices at risk".into(),
            device.clone()
        ]
    );
    let screen = draw(&mut s, 120, 40);
    assert!(
        screen.contains(&format!("Daily › Devices at risk › {device}")),
        "{screen}"
    );
    // Esc closes the detail, then returns to the checklist it came from.
    esc(&mut s);
    assert!(s.detail.is_none());
    assert_eq!(s.view, View::DevicesAtRisk);

    // `:devices` from here, then back: Devices at risk again, not the As needed home.
    key(&mut s, Key::ch(':'));
    typed(&mut s, "devices");
    enter(&mut s);
    assert_eq!(s.view, View::Devices);
    assert_eq!(
        socops::app::pages::nav::breadcrumb(&s),
        vec!["Daily", "Devices at risk", "Devices"]
    );
    assert!(draw(&mut s, 80, 24).contains("Daily › Devices at risk › Devices"));
    esc(&mut s);
    assert_eq!(s.view, View::DevicesAtRisk);
    esc(&mut s);
    assert_eq!(s.view, View::Checklist(Cadence::Daily));
    // Nowhere further back: Esc on the home stays.
    esc(&mut s);
    assert_eq!(s.view, View::Checklist(Cadence::Daily));
}

#[tokio::test]
async fn tab_moves_sideways_and_a_cadence_key_starts_over() {
    let mut s = loaded_state().await;
    open_task(&mut s, Cadence::Daily, "incidents");
    assert_eq!(s.view, View::Incidents);
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(s.view, View::Alerts);
    // Tab replaced the view in place: back returns to where the analyst came from.
    esc(&mut s);
    assert_eq!(s.view, View::Checklist(Cadence::Daily));
    open_task(&mut s, Cadence::Daily, "incidents");
    key(&mut s, Key::ch('2'));
    assert_eq!(s.view, View::Checklist(Cadence::Weekly));
    assert!(s.back.is_empty());
    // A loop through the palette never grows the stack.
    for _ in 0..3 {
        for cmd in ["devices", "alerts"] {
            key(&mut s, Key::ch(':'));
            typed(&mut s, cmd);
            enter(&mut s);
        }
    }
    assert_eq!(
        s.back,
        vec![View::Checklist(Cadence::Weekly), View::Devices]
    );
}

#[tokio::test]
async fn paging_keys_and_bottom_without_blank_rows() {
    let mut s = loaded_state().await;
    update(&mut s, Msg::Resize(80, 24));
    key(&mut s, Key::ch(':'));
    typed(&mut s, "devices");
    enter(&mut s);
    let n = s.table(TableId::Devices).unwrap().view.len();
    assert!(n > 30, "{n}");
    key(&mut s, Key::ctrl('d'));
    let half = selected(&s, TableId::Devices);
    assert_eq!(half, s.page_rows() / 2);
    key(&mut s, Key::plain(KeyCode::PageDown));
    assert_eq!(selected(&s, TableId::Devices), half + s.page_rows());
    key(&mut s, Key::ctrl('u'));
    assert_eq!(selected(&s, TableId::Devices), s.page_rows());
    key(&mut s, Key::plain(KeyCode::PageUp));
    assert_eq!(selected(&s, TableId::Devices), 0);
    key(&mut s, Key::ch('G'));
    assert_eq!(selected(&s, TableId::Devices), n - 1);
    let screen = draw(&mut s, 80, 24);
    // The line above the table's bottom border is the last device, never a blank row.
    let lines: Vec<&str> = screen.lines().collect();
    let bottom = lines.iter().rposition(|l| l.starts_with('└')).unwrap();
    assert!(lines[bottom - 1].starts_with("│ >"), "{screen}");
    insta::assert_snapshot!("devices_bottom_80x24", screen);
    key(&mut s, Key::ch('g'));
    assert_eq!(selected(&s, TableId::Devices), 0);
    insta::assert_snapshot!("devices_top_120x40", draw(&mut s, 120, 40));
}

#[tokio::test]
async fn y_copies_the_id_and_shift_y_the_portal_link() {
    let mut s = loaded_state().await;
    key(&mut s, Key::ch(':'));
    typed(&mut s, "incidents");
    enter(&mut s);
    let row = s
        .table(TableId::Incidents)
        .unwrap()
        .selected_row()
        .unwrap()
        .clone();
    let link = row.link.clone().expect("incidents have portal links");
    assert!(key(&mut s, Key::ch('y')).contains(&Command::CopyToClipboard(row.id.clone())));
    assert!(key(&mut s, Key::ch('Y')).contains(&Command::CopyToClipboard(link.clone())));
    // The same keys inside the incident's detail.
    enter(&mut s);
    assert!(s.detail.is_some());
    assert!(key(&mut s, Key::ch('y')).contains(&Command::CopyToClipboard(row.id.clone())));
    assert!(key(&mut s, Key::ch('Y')).contains(&Command::CopyToClipboard(link)));
}

#[tokio::test]
async fn the_mouse_only_when_the_config_turns_it_on() {
    let mut s = loaded_state().await;
    key(&mut s, Key::ch(':'));
    typed(&mut s, "devices");
    enter(&mut s);
    draw(&mut s, 120, 40);
    update(&mut s, Msg::Mouse(Mouse::ScrollDown));
    assert_eq!(selected(&s, TableId::Devices), 0, "off by default");

    s.settings.mouse = true;
    update(&mut s, Msg::Mouse(Mouse::ScrollDown));
    assert_eq!(selected(&s, TableId::Devices), 3);
    update(&mut s, Msg::Mouse(Mouse::ScrollUp));
    assert_eq!(selected(&s, TableId::Devices), 0);
    draw(&mut s, 120, 40);
    let area = s.rows_area.expect("the focused table was drawn");
    // A click on the fifth row selects it; a second click opens it.
    update(&mut s, Msg::Mouse(Mouse::Click(area.x + 10, area.y + 4)));
    assert_eq!(selected(&s, TableId::Devices), 4);
    assert!(s.detail.is_none());
    update(&mut s, Msg::Mouse(Mouse::Click(area.x + 10, area.y + 4)));
    assert!(s.detail.is_some());
    // The wheel scrolls the detail, not the table behind it.
    update(&mut s, Msg::Mouse(Mouse::ScrollDown));
    assert_eq!(selected(&s, TableId::Devices), 4);
    // A click outside the rows does nothing.
    esc(&mut s);
    update(&mut s, Msg::Mouse(Mouse::Click(0, 0)));
    assert_eq!(selected(&s, TableId::Devices), 4);
}

fn sent(cmds: &[Command]) -> Option<(u64, bool)> {
    cmds.iter().find_map(|c| match c {
        Command::SendAction {
            ticket, dry_run, ..
        } => Some((*ticket, *dry_run)),
        _ => None,
    })
}

#[tokio::test]
async fn forms_cancel_with_ctrl_c_keep_the_comment_and_return_after_a_dry_run() {
    let mut s = loaded_state().await;
    key(&mut s, Key::ch(':'));
    typed(&mut s, "devices");
    enter(&mut s);
    key(&mut s, Key::ch('V'));
    assert!(s.actions.dialog.is_some());
    typed(&mut s, "IR-2214 weekly");
    // ctrl-c cancels the form, not the console.
    let cmds = key(&mut s, Key::ctrl('c'));
    assert!(!cmds.contains(&Command::Quit) && !s.quit);
    assert!(s.actions.dialog.is_none());
    // Reopened in the same session, the form keeps its comment.
    key(&mut s, Key::ch('V'));
    let dialog = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(
        dialog.value(socops::app::actions::FieldId::Comment),
        "IR-2214 weekly"
    );

    // A dry run shows the request; esc returns to the form with the input.
    let (ticket, dry) = sent(&key(&mut s, Key::ctrl('d'))).expect("a dry run");
    assert!(dry);
    update(
        &mut s,
        Msg::ActionSent {
            ticket,
            result: SendResult::DryRun(vec!["POST …/runAntiVirusScan".into()]),
        },
    );
    assert!(s.detail.is_some() && s.actions.dialog.is_none());
    let screen = draw(&mut s, 80, 24);
    assert!(
        screen.contains("enter send") && screen.contains("esc edit"),
        "{screen}"
    );
    esc(&mut s);
    assert!(s.detail.is_none());
    let dialog = &s.actions.dialog.as_ref().expect("back in the form").dialog;
    assert_eq!(
        dialog.value(socops::app::actions::FieldId::Comment),
        "IR-2214 weekly"
    );

    // Dry run again, then enter on the result sends the form as it stood.
    let (ticket, _) = sent(&key(&mut s, Key::ctrl('d'))).unwrap();
    update(
        &mut s,
        Msg::ActionSent {
            ticket,
            result: SendResult::DryRun(vec!["POST …".into()]),
        },
    );
    let (_, dry) = sent(&enter(&mut s)).expect("sent after the dry run");
    assert!(!dry);
    assert!(s.actions.dialog.is_none() && s.detail.is_none());
    // Sent: the next form starts empty.
    key(&mut s, Key::ch('V'));
    assert_eq!(
        s.actions
            .dialog
            .as_ref()
            .unwrap()
            .dialog
            .value(socops::app::actions::FieldId::Comment),
        ""
    );
    // ctrl-c in the palette closes the palette; outside any prompt it quits.
    esc(&mut s);
    key(&mut s, Key::ch(':'));
    key(&mut s, Key::ctrl('c'));
    assert_eq!(s.mode, Mode::Normal);
    assert!(!s.quit);
    assert!(key(&mut s, Key::ctrl('c')).contains(&Command::Quit));
}
