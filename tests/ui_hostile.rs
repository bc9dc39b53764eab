//! The console with a tenant written by an attacker: escape sequences, bidi overrides and
//! zero-width characters in device names never reach a terminal cell raw, and an emoji ZWJ
//! sequence does not push a border out of line.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Key, Keymap, Msg, Payload, ResourceKind, Settings, View, start, update,
};
use socops::ui::{Theme, render};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

const HOSTILE: &str = "ws-evil\u{1b}]52;c;ZWNobw==\u{7}\u{1b}[2J\u{202e}nacs\u{200b}\u{85}x";
const EMOJI: &str = "👩\u{200d}💻-dev-01.contoso.local";

fn state() -> AppState {
    let settings = Settings {
        tenant_label: "fabrikam".into(),
        ..Settings::default()
    };
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    let ms = json!([
        {"id": "m1", "computerDnsName": HOSTILE, "osPlatform": "Windows11",
         "riskScore": "High", "healthStatus": "Active"},
        {"id": "m2", "computerDnsName": EMOJI, "osPlatform": "Windows11",
         "riskScore": "High", "healthStatus": "Active"},
        {"id": "m3", "computerDnsName": "漢字-pc.contoso.local", "osPlatform": "Windows11",
         "riskScore": "High", "healthStatus": "Active"}
    ]);
    let payload = Payload::Machines(serde_json::from_value(ms).unwrap());
    let id = match s.data.pending(ResourceKind::Machines) {
        Some(id) => id,
        None => {
            update(&mut s, Msg::Key(Key::ch('r')));
            s.data.pending(ResourceKind::Machines).unwrap_or(0)
        }
    };
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(payload),
        },
    );
    s.view = View::Devices;
    socops::app::data::derive::rebuild(&mut s, ResourceKind::Machines);
    s
}

fn frame(s: &mut AppState, w: u16, h: u16) -> ratatui::buffer::Buffer {
    update(s, Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| render(f, s, &Theme::mono())).unwrap();
    term.backend().buffer().clone()
}

#[test]
fn hostile_names_never_reach_a_cell_raw() {
    let mut s = state();
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = frame(&mut s, w, h);
        let mut all = String::new();
        for y in 0..h {
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                assert!(
                    !sym.chars().any(|c| matches!(c,
                        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}'
                        | '\u{2066}'..='\u{2069}' | '\u{200b}' | '\u{200c}' | '\u{feff}')),
                    "cell ({x},{y}) holds {sym:?}"
                );
                all.push_str(sym);
            }
            all.push('\n');
        }
        assert!(all.contains("ws-evil␛]52"), "shown, not run:\n{all}");
    }
}

#[test]
fn wide_names_keep_the_borders_in_line() {
    let mut s = state();
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = frame(&mut s, w, h);
        // Every row of the table box ends in its right border at the last column.
        let rows: Vec<u16> = (0..h).filter(|&y| buf[(0, y)].symbol() == "│").collect();
        assert!(!rows.is_empty());
        for y in rows {
            let mut cols = 0usize;
            let mut line = String::new();
            for x in 0..w {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                cols += 1;
            }
            assert_eq!(cols, usize::from(w));
            assert_eq!(buf[(w - 1, y)].symbol(), "│", "row {y}: {line}");
        }
    }
}

/// The action menu and a dialog name the device from the inventory: a crafted name shows
/// as visible escapes there too, never as a control sequence.
#[test]
fn hostile_names_are_visible_in_the_action_menu_and_dialogs() {
    let mut s = state();
    update(&mut s, Msg::Key(Key::ch('.')));
    assert!(s.actions.menu.is_some(), "the action menu is open");
    let screen = |s: &mut AppState| {
        let buf = frame(s, 120, 40);
        let mut all = String::new();
        for y in 0..40 {
            for x in 0..120 {
                all.push_str(buf[(x, y)].symbol());
            }
            all.push('\n');
        }
        all
    };
    let menu = screen(&mut s);
    assert!(menu.contains("Actions · ws-evil␛]52"), "{menu}");
    update(&mut s, Msg::Key(Key::plain(socops::app::KeyCode::Enter)));
    assert!(s.actions.dialog.is_some(), "a dialog is open");
    let dialog = screen(&mut s);
    assert!(dialog.contains("▸ ws-evil␛]52"), "{dialog}");
}
