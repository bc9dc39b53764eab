//! Drawing the console into text for the UI tests: one frame at a size, monochrome, each
//! line trimmed at the right. Shared by the console and snapshot tests.

pub mod boxes;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socops::app::{AppState, Msg, update};
use socops::ui::{Theme, render};

/// The screen at `w` × `h` after a resize to that size, as text.
pub fn draw(s: &mut AppState, w: u16, h: u16) -> String {
    update(s, Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| render(f, s, &Theme::mono())).unwrap();
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
