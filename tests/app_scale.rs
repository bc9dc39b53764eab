//! The console at 100,000 devices: loading, filtering, sorting and drawing work on the index
//! vector and the visible slice (functional checks only; speed is for the benches).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socops::api::model::{Machine, RiskScore};
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View, start,
    update,
};
use socops::ui::{Theme, render};

#[test]
fn hundred_thousand_devices_filter_sort_and_draw() {
    let now = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now,
    );
    start(&mut s);
    let machines: Vec<Machine> = (0..100_000)
        .map(|i| Machine {
            id: format!("{i:040x}"),
            computer_dns_name: Some(format!("ws-{i:06}.contoso.local")),
            os_platform: Some(if i % 3 == 0 { "macOS" } else { "Windows11" }.into()),
            risk_score: Some(if i % 1000 == 0 {
                RiskScore::High
            } else {
                RiskScore::Low
            }),
            ..Machine::default()
        })
        .collect();
    let id = s.data.pending(ResourceKind::Machines).unwrap();
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now,
            payload: Box::new(Payload::Machines(machines.into())),
        },
    );
    assert_eq!(s.table(TableId::Devices).unwrap().rows.len(), 100_000);
    assert_eq!(s.table(TableId::DevicesAtRisk).unwrap().rows.len(), 100);

    s.view = View::Devices;
    update(&mut s, Msg::Key(Key::ch('/')));
    for c in "ws-0999".chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    assert_eq!(s.table(TableId::Devices).unwrap().view.len(), 100);
    update(&mut s, Msg::Key(Key::plain(KeyCode::Esc)));
    assert_eq!(s.table(TableId::Devices).unwrap().view.len(), 100_000);
    update(&mut s, Msg::Key(Key::ch('S')));
    update(&mut s, Msg::Key(Key::ch('G')));
    let t = s.table(TableId::Devices).unwrap();
    assert_eq!(t.selected, 99_999);
    assert_eq!(t.selected_row().unwrap().cells[0], "ws-000000");

    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|f| render(f, &s, &Theme::color())).unwrap();
    let text: String = term
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains("ws-000000"));
    assert!(text.contains("100,000"));
}
