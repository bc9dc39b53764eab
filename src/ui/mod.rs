//! Pure rendering of `&AppState` into a ratatui `Frame`: header, the view's body, footer and
//! overlays, in a colour or a monochrome theme. Never mutates state, never does IO, and never
//! sorts or filters per frame (it draws the slice of the index vector that fits).

pub mod checklist;
pub mod dialog;
pub mod fmt;
pub mod footer;
pub mod header;
pub mod overlay;
pub(crate) mod popup;
pub mod reports;
pub mod table;
pub mod tenants;
pub mod theme;
pub mod views;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

use crate::app::{AppState, Mode};
pub use theme::Theme;

/// Draw the whole console.
pub fn render(f: &mut Frame, s: &AppState, t: &Theme) {
    let area = f.area();
    table::reset_focused_rows();
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(2),
    ])
    .areas(area);
    header::render_header(f, head, s, t);
    views::render_body(f, body, s, t);
    footer::render_footer(f, foot, s, t);
    if let Some(d) = &s.detail {
        let title = crate::app::pages::nav::title(s, usize::from(body.width.saturating_sub(8)));
        overlay::render_detail(f, body, d, &title, t);
    }
    dialog::render_actions(f, body, s, t);
    if let Some(p) = &s.picker {
        overlay::render_picker(f, body, p, s.now, t);
    }
    match &s.mode {
        Mode::Help => overlay::render_help(f, area, s, t),
        Mode::Palette { input, selected } => {
            overlay::render_palette(f, body, s, input, *selected, t)
        }
        Mode::Normal | Mode::Filter => {}
    }
    scrub(f.buffer_mut());
}

/// The last line of defence before the terminal: a cell whose text still holds a control,
/// bidi or zero-width character (ratatui appends zero-width characters to the cell before
/// them) loses it. Tenant text is made visible earlier ([`crate::text::line`] on rows,
/// details, toasts and errors); this only guarantees that nothing slipped through. Plain
/// ASCII cells, nearly all of a frame, are skipped by one check.
pub(crate) fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if sym.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            continue;
        }
        if let std::borrow::Cow::Owned(clean) = crate::text::strip(sym) {
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}
