//! Rendering one frame of the Devices view with 100,000 machines (ratatui `TestBackend`, so
//! the frame's diff is computed but nothing reaches a terminal). Target: < 2 ms per frame.
//! Run with `cargo bench --bench render`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod support;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socops::app::{AppState, Mode, TableId};
use socops::ui::{Theme, render};
use support::fixture::{DEVICES, console};
use support::harness::{Suite, time};

const TARGET: Duration = Duration::from_millis(2);
const WARMUP: usize = 20;
const ITERS: usize = 300;

fn frames(suite: &mut Suite, name: &str, s: &AppState, theme: &Theme) {
    let (w, h) = s.size;
    // The test backend cannot fail (its error type is `Infallible`).
    let Ok(mut term) = Terminal::new(TestBackend::new(w, h));
    suite.run(name, TARGET, WARMUP, ITERS, || {
        time(|| term.draw(|f| render(f, s, theme)).is_ok()).0
    });
}

fn main() {
    let mut suite = Suite::new(&format!(
        "Rendering one frame of the Devices view, {DEVICES} devices"
    ));
    let color = Theme::color();
    for size in [(200, 50), (80, 24)] {
        let (w, h) = size;
        let mut s = console(DEVICES, size);
        frames(&mut suite, &format!("{w}x{h} top of the table"), &s, &color);
        frames(
            &mut suite,
            &format!("{w}x{h} top, monochrome"),
            &s,
            &Theme::mono(),
        );
        if let Some(t) = s.tables.get_mut(&TableId::Devices) {
            t.selected = DEVICES / 2;
            t.scroll_to_selection(s.size.1.into());
        }
        frames(
            &mut suite,
            &format!("{w}x{h} selection at row 50,000"),
            &s,
            &color,
        );
        s.mode = Mode::Filter;
        if let Some(t) = s.tables.get_mut(&TableId::Devices) {
            t.set_filter("fin-lt");
            t.cycle_sort();
        }
        frames(
            &mut suite,
            &format!("{w}x{h} filtered 'fin-lt', sorted"),
            &s,
            &color,
        );
    }
    suite.report();
}
