//! Rendering one frame of the Devices view with 100,000 machines (ratatui `TestBackend`, so
//! the frame's diff is computed but nothing reaches a terminal). Target: ≤ 1 ms per frame
//! (p95). And the time from the devices' data arriving (a `Loaded` of 100,000 machines
//! through `update`, as the runtime delivers it) to the first frame that shows them: the
//! view is usable then. Target ≤ 1 s. Run with `cargo bench --bench render`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod support;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socops::app::{AppState, Mode, Msg, Payload, ResourceKind, TableId, View, update};
use socops::ui::{Theme, render};
use support::fixture::{DEVICES, console, machines, now};
use support::harness::{Judge, Suite, time};

const TARGET: Duration = Duration::from_millis(1);
/// From the data's arrival to a usable view.
const USABLE: Duration = Duration::from_secs(1);
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
    let mut suite = Suite::new(
        &format!("Rendering one frame of the Devices view, {DEVICES} devices"),
        Judge::P95,
    );
    let color = Theme::color();
    loaded_to_first_frame(&mut suite, &color);
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

/// A refresh of the Devices view: the machines arrive (`Loaded`, rows built in `update`) and
/// the next frame is drawn. The machines are typed before the clock starts (the worker does
/// that off the UI thread).
fn loaded_to_first_frame(suite: &mut Suite, theme: &Theme) {
    let mut s = console(DEVICES, (200, 50));
    s.view = View::Devices;
    let Ok(mut term) = Terminal::new(TestBackend::new(200, 50));
    suite.run(
        "Loaded 100,000 devices -> first frame (200x50)",
        USABLE,
        1,
        5,
        || {
            let fresh = machines(DEVICES);
            let id = s.next_request;
            s.next_request += 1;
            s.data.start(ResourceKind::Machines, id);
            let msg = Msg::Loaded {
                id,
                at: now(),
                payload: Box::new(Payload::Machines(fresh)),
            };
            time(|| {
                update(&mut s, msg);
                term.draw(|f| render(f, &s, theme)).is_ok()
            })
            .0
        },
    );
}
