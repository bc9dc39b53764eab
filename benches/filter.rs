//! Keystrokes over 100,000 devices: one `update` with a key while filtering (first key, each
//! narrowing key, backspace, Esc) and the sort keys. Target: a median ≤ 5 ms (issue "The
//! house"). Run with `cargo bench --bench filter`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod support;

use std::time::Duration;

use socops::app::{AppState, Key, KeyCode, Mode, Msg, TableId, update};
use support::fixture::{DEVICES, console};
use support::harness::{Judge, Suite, time};

const TARGET: Duration = Duration::from_millis(5);
const WARMUP: usize = 3;
const ITERS: usize = 30;

/// The state a key is pressed in: filter text, sort, and whether the filter line is open.
#[derive(Clone)]
struct From {
    filter: &'static str,
    sort: Option<(usize, bool)>,
    mode: Mode,
}

/// Put the Devices table in a known filter, sort and mode without timing it.
fn prepare(s: &mut AppState, from: &From) {
    if let Some(t) = s.tables.get_mut(&TableId::Devices)
        && (t.sort != from.sort || t.filter != from.filter)
    {
        // The sort first (a rebuild under the current filter), then the filter, so the key
        // is pressed on rows in the state its name says.
        t.set_sort(from.sort);
        t.set_filter(from.filter);
        assert_eq!((t.sort, t.filter.as_str()), (from.sort, from.filter));
    }
    s.mode = from.mode.clone();
}

fn main() {
    let mut suite = Suite::new(
        &format!("One keystroke over {DEVICES} devices"),
        Judge::Median,
    );
    let mut s = console(DEVICES, (200, 50));
    let at = |filter, sort, mode: &Mode| From {
        filter,
        sort,
        mode: mode.clone(),
    };
    let (typing, normal) = (Mode::Filter, Mode::Normal);
    let (unsorted, by_name, by_risk) = (None, Some((0, false)), Some((2, true)));
    let (bs, esc) = (Key::plain(KeyCode::Backspace), Key::plain(KeyCode::Esc));
    let cases = [
        (
            "filter: first key 'f' (full scan)",
            at("", unsorted, &typing),
            Key::ch('f'),
        ),
        (
            "filter: 'f' + 'i' (narrows ~all rows)",
            at("f", unsorted, &typing),
            Key::ch('i'),
        ),
        (
            "filter: 'fin-l' + 't' (narrows)",
            at("fin-l", unsorted, &typing),
            Key::ch('t'),
        ),
        (
            "filter: backspace 'fin' -> 'fi' (widens)",
            at("fin", unsorted, &typing),
            bs,
        ),
        (
            "filter: Esc clears 'fin-lt'",
            at("fin-lt", unsorted, &typing),
            esc,
        ),
        (
            "filter: first key 'f', sorted by DEVICE",
            at("", by_name, &typing),
            Key::ch('f'),
        ),
        (
            "filter: Esc clears 'fin', sorted by DEVICE",
            at("fin", by_name, &typing),
            esc,
        ),
        (
            "sort: 's' unsorted -> DEVICE (text)",
            at("", unsorted, &normal),
            Key::ch('s'),
        ),
        (
            "sort: 'S' reverses DEVICE",
            at("", by_name, &normal),
            Key::ch('S'),
        ),
        (
            "sort: 's' RISK -> EXPOSURE (ranked)",
            at("", by_risk, &normal),
            Key::ch('s'),
        ),
    ];
    for (name, from, k) in cases {
        suite.run(name, TARGET, WARMUP, ITERS, || {
            prepare(&mut s, &from);
            time(|| update(&mut s, Msg::Key(k))).0
        });
    }
    suite.report();
}
