//! What a drawn frame reports goes back through `update` (the runtime never writes to the
//! state itself): the focused table keeps the scroll position the frame showed, computed with
//! the height the rows really had, and mouse clicks map to the rows drawn.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{TimeZone, Utc};
use socops::api::model::Machine;
use socops::app::data::checklist::Marks;
use socops::app::input::mouse::{Mouse, RowsArea};
use socops::app::{
    AppState, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View, start, update,
};

fn console(devices: usize) -> AppState {
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let settings = Settings {
        mouse: true,
        ..Settings::default()
    };
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now);
    s.size = (120, 40);
    start(&mut s);
    let machines: Vec<Machine> = (0..devices)
        .map(|i| Machine {
            id: format!("{i:040x}"),
            computer_dns_name: Some(format!("ws-{i:03}")),
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
    s.view = View::Devices;
    s
}

fn area(height: u16, first: usize) -> RowsArea {
    RowsArea {
        x: 1,
        y: 5,
        width: 100,
        height,
        first,
    }
}

#[test]
fn the_scroll_follows_the_real_rows_height_of_the_frame() {
    let mut s = console(200);
    s.tables.get_mut(&TableId::Devices).unwrap().selected = 50;
    // The frame had 10 rows: row 50 is the last one shown, so the first is 41.
    assert!(update(&mut s, Msg::Drawn(Some(area(10, 41)))).is_empty());
    assert_eq!(s.table(TableId::Devices).unwrap().offset, 41);
    // With a guessed height (the terminal's rows minus the chrome, 32) it would have been 19.
    assert_ne!(s.table(TableId::Devices).unwrap().offset, 19);
}

#[test]
fn a_click_selects_the_row_the_frame_drew_there() {
    let mut s = console(200);
    update(&mut s, Msg::Drawn(Some(area(10, 20))));
    update(&mut s, Msg::Mouse(Mouse::Click(10, 8)));
    assert_eq!(s.table(TableId::Devices).unwrap().selected, 23);
    // A frame without the table's rows (an overlay on top): clicks select nothing.
    update(&mut s, Msg::Drawn(None));
    update(&mut s, Msg::Mouse(Mouse::Click(10, 9)));
    assert_eq!(s.table(TableId::Devices).unwrap().selected, 23);
}
