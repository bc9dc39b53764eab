//! The Reports view: boxes of counts, two or three to a row, each row as tall as its
//! longest box. When they are taller than the screen they scroll by lines (j/k, PgUp/PgDn,
//! g/G) instead of being cut, and the last line says how much more there is.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Widget};

use crate::app::data::panels::{self, ReportLayout};
use crate::app::state::Panel;
use crate::app::{AppState, View};
use crate::ui::table::render_lines;
use crate::ui::theme::Theme;

/// Draw the Reports view.
pub(crate) fn render_reports(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let boxes = s.panels.get(&View::Reports).map_or(&[][..], Vec::as_slice);
    if boxes.is_empty() {
        let text = if s.loading() { "loading…" } else { "no data" };
        render_lines(f, area, "Reports", vec![Line::from(text)], t);
        return;
    }
    let layout = panels::reports(boxes, area.width);
    let total = layout.total();
    if total <= area.height {
        draw_boxes(f.buffer_mut(), area, boxes, &layout, t);
        return;
    }
    // Taller than the screen: drawn whole off screen, and the lines in view copied over.
    let shown = area.height.saturating_sub(1);
    let scroll = s.reports_scroll.min(usize::from(total - shown)) as u16;
    let mut off = Buffer::empty(Rect::new(0, 0, area.width, total));
    let whole = off.area;
    draw_boxes(&mut off, whole, boxes, &layout, t);
    let buf = f.buffer_mut();
    for y in 0..shown {
        for x in 0..area.width {
            if let (Some(from), Some(to)) = (
                off.cell((x, y + scroll)),
                buf.cell_mut((area.x + x, area.y + y)),
            ) {
                *to = from.clone();
            }
        }
    }
    let below = total - shown - scroll;
    let above = if scroll > 0 { "↑ " } else { "" };
    let more = if below > 0 {
        format!("↓ {below} more lines")
    } else {
        "end".to_string()
    };
    let hint = Line::from(Span::styled(
        format!(" {above}{more} · j/k scroll"),
        t.title(),
    ));
    Paragraph::new(hint).render(
        Rect {
            y: area.y + shown,
            height: 1,
            ..area
        },
        buf,
    );
}

/// The boxes, row by row, into `area` of `buf` (as tall as the layout).
fn draw_boxes(buf: &mut Buffer, area: Rect, boxes: &[Panel], l: &ReportLayout, t: &Theme) {
    let mut y = area.y;
    for (chunk, &h) in boxes.chunks(l.cols).zip(&l.heights) {
        let mut x = area.x;
        for (p, &w) in chunk.iter().zip(&l.widths) {
            let r = Rect::new(x, y, w, h).intersection(area);
            let lines: Vec<Line> = panels::wrap_panel(p, w.saturating_sub(panels::BOX_FRAME))
                .into_iter()
                .map(Line::from)
                .collect();
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(t.border())
                .padding(Padding::horizontal(1))
                .title(Span::styled(format!(" {} ", p.title), t.title()));
            Paragraph::new(lines).block(block).render(r, buf);
            x += w;
        }
        y += h;
    }
}
