//! Counts that match: each Daily checklist figure opens its view scoped to exactly the
//! records it counted, the scope named in the title; the API budget shows once.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::app::{AppState, Cadence, Key, KeyCode, Msg, TableId, View, update};

mod console_common;
use console_common::{DAILY_KINDS, open_daily_task};
mod screen;
use screen::draw;

async fn loaded_state() -> AppState {
    // The recorded tenant (not the live generator): the snapshots below stay put.
    let mut s = console_common::fixture_state(&DAILY_KINDS, console_common::now());
    update(
        &mut s,
        Msg::Budget {
            used: 11,
            per_minute: 100,
        },
    );
    s
}

fn numbers(text: &str) -> Vec<usize> {
    text.split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect()
}

#[tokio::test]
async fn each_tile_opens_exactly_what_it_counted() {
    let mut s = loaded_state().await;

    let figure = open_daily_task(&mut s, "threats");
    assert_eq!(s.view, View::DevicesAtRisk);
    let n = numbers(&figure);
    let shown = s.table(TableId::DevicesAtRisk).unwrap().view.len();
    assert_eq!(shown, n[0] + n[1], "{figure}");
    let all = s.table(TableId::DevicesAtRisk).unwrap().rows.len();
    assert!(
        all > shown,
        "the view itself holds more (devices with alerts)"
    );
    let screen = draw(&mut s, 120, 40);
    assert!(
        screen.contains(&format!("{} high {} medium · {shown} of {all}", n[0], n[1])),
        "{screen}"
    );
    insta::assert_snapshot!("threats_scoped_120x40", screen);
    insta::assert_snapshot!("threats_scoped_80x24", draw(&mut s, 80, 24));
    // Esc goes back; opened another way the view is whole again.
    update(&mut s, Msg::Key(Key::plain(KeyCode::Esc)));
    assert_eq!(s.view, View::Checklist(Cadence::Daily));
    update(&mut s, Msg::Key(Key::ch(':')));
    for c in "risk".chars() {
        update(&mut s, Msg::Key(Key::ch(c)));
    }
    update(&mut s, Msg::Key(Key::plain(KeyCode::Enter)));
    assert_eq!(s.view, View::DevicesAtRisk);
    assert_eq!(s.table(TableId::DevicesAtRisk).unwrap().view.len(), all);

    let figure = open_daily_task(&mut s, "pending");
    assert_eq!(s.view, View::ActionCenter);
    let n = numbers(&figure);
    let waiting = n[0] + n.get(1).copied().unwrap_or(0);
    assert_eq!(
        s.table(TableId::ActionsPending).unwrap().view.len(),
        waiting,
        "{figure}"
    );
    let screen = draw(&mut s, 120, 40);
    assert!(screen.contains(&format!("{} waiting", n[0])), "{screen}");

    let figure = open_daily_task(&mut s, "incidents");
    assert_eq!(s.view, View::Incidents);
    let n = numbers(&figure);
    assert_eq!(
        s.table(TableId::Incidents).unwrap().view.len(),
        n[0],
        "{figure}"
    );
    let screen = draw(&mut s, 120, 40);
    assert!(screen.contains(&format!("{} new", n[0])), "{screen}");
    insta::assert_snapshot!("incidents_scoped_80x24", draw(&mut s, 80, 24));
}

#[tokio::test]
async fn the_api_budget_shows_once() {
    let mut s = loaded_state().await;
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = draw(&mut s, w, h);
        assert_eq!(screen.matches("11/100").count(), 1, "{screen}");
    }
    assert!(draw(&mut s, 120, 40).contains("API 11/100 per min"));
}
