//! What every popup shares (menus, dialogs, pickers, the palette's suggestions, help): where
//! it stands, the one-cell margin it clears around itself, and its padded box.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Padding, Widget};

use crate::ui::theme::Theme;

/// Cells a padded box takes from a line: its two borders and a cell of padding inside each.
pub(crate) const BOX_FRAME: u16 = 4;

/// A rectangle of at most `w`×`h` centred in `area`. A popup that would leave only its
/// margin and a cell beside it takes the whole of that side instead: its margin would
/// otherwise cut the frame of the screen beneath into stubs. Across, one that would leave a
/// letter or two of the text beneath beside its margin (the box's frame and padding, then
/// the text) widens to leave just the frame and the margin: a lone `D` of `Devices` beside a
/// popup reads as noise.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let snap = |want: u16, room: u16| {
        let want = want.min(room);
        if room - want < 4 { room } else { want }
    };
    let w = match snap(w, area.width) {
        w if area.width - w >= 4 && area.width - w < 12 => area.width - 4,
        w => w,
    };
    let h = snap(h, area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The cells a popup at `r` clears: its rectangle and a one-cell margin on every side, kept
/// inside `within` (the part of the screen it floats over: the body for most popups, so the
/// header and the palette's own input line stay; the whole screen for help).
pub(crate) fn margin_of(r: Rect, within: Rect) -> Rect {
    let x = r.x.saturating_sub(1);
    let y = r.y.saturating_sub(1);
    Rect {
        x,
        y,
        width: r.right().saturating_add(1) - x,
        height: r.bottom().saturating_add(1) - y,
    }
    .intersection(within)
}

/// Clear a popup's rectangle and its margin ([`margin_of`]), and nothing else: no text of
/// the screen beneath shows through or touches the popup's sides, and the rows beyond the
/// margin keep their text.
pub(crate) fn clear_popup(buf: &mut Buffer, r: Rect, within: Rect) {
    Clear.render(margin_of(r, within).intersection(buf.area), buf);
}

/// A popup's box: a border, its title, and a cell of padding inside each side so no text
/// touches the border.
pub(crate) fn boxed<'a>(title: &str, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focused())
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), t.title()))
}

/// Text cells in a line of a padded box `width` cells wide.
pub(crate) fn inner_width(width: u16) -> usize {
    usize::from(width.saturating_sub(BOX_FRAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen_of_x(w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        for cell in buf.content.iter_mut() {
            cell.set_symbol("X");
        }
        buf
    }

    /// Cleared exactly `r` and one cell around it (within `within`); every other cell keeps
    /// its `X`.
    fn assert_cleared(w: u16, h: u16, r: Rect, within: Rect) {
        let mut buf = screen_of_x(w, h);
        clear_popup(&mut buf, r, within);
        for y in 0..h {
            for x in 0..w {
                let near = x + 1 >= r.x && x <= r.right() && y + 1 >= r.y && y <= r.bottom();
                let inside = near && within.contains((x, y).into());
                let sym = buf[(x, y)].symbol();
                if inside {
                    assert_eq!(sym, " ", "({x},{y}) is within {r:?} + margin");
                } else {
                    assert_eq!(sym, "X", "({x},{y}) is outside {r:?} + margin");
                }
            }
        }
    }

    #[test]
    fn a_popup_clears_its_rectangle_and_a_margin_all_round_and_nothing_else() {
        let screen = Rect::new(0, 0, 80, 24);
        let body = Rect::new(0, 1, 80, 21);
        // In the middle of the body.
        assert_cleared(80, 24, Rect::new(13, 4, 54, 16), body);
        // Centred as the menus and dialogs are.
        assert_cleared(80, 24, centered(body, 60, 10), body);
        // Touching the body's left edge and bottom (the palette's suggestions): the margin
        // stops at the body, so the header and the palette's input line keep their text.
        assert_cleared(80, 24, Rect::new(0, 14, 64, 8), body);
        // The whole screen's height (help): clamped to the screen.
        assert_cleared(80, 24, Rect::new(2, 0, 76, 24), screen);
        // A corner.
        assert_cleared(80, 24, Rect::new(70, 18, 10, 6), screen);
    }

    #[test]
    fn a_popup_near_an_edge_takes_the_whole_side() {
        let body = Rect::new(0, 1, 80, 21);
        // 4 cells to spare: the margin and the frame beneath on each side.
        assert_eq!(centered(body, 76, 10).x, 2);
        // Fewer: the whole width, so no stub of the frame beneath is left beside it.
        assert_eq!(centered(body, 78, 10), Rect::new(0, 6, 80, 10));
        assert_eq!(centered(body, 60, 20), Rect::new(10, 1, 60, 21));
        // A few cells to spare: no letter of the text beneath is left beside the margin.
        assert_eq!(centered(body, 72, 10).x, 2);
        assert_eq!(centered(body, 68, 10), Rect::new(6, 6, 68, 10));
        assert_eq!(centered(body, 200, 100), body);
    }
}
