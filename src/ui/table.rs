//! Drawing a `TableState`: only the rows that fit are turned into widgets, whatever the size
//! of the data. Selection shows as `>` plus reverse video; severities keep their word.

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::tables::short;
use crate::app::tables::table::{ColumnKind, TableState};
use crate::app::tables::widths;
use crate::ui::fmt;
use crate::ui::theme::Theme;

/// Extra information for drawing a table.
pub struct TableView<'a> {
    pub title: String,
    pub focused: bool,
    /// Shown when the table has no rows (loading, nothing to show …).
    pub empty: &'a str,
    pub now: DateTime<Utc>,
}

thread_local! {
    /// Where the focused table's first row and the rows below it were drawn in the last
    /// frame, and the first row index shown: the runtime reads it after drawing so a mouse
    /// click can be mapped to a row (the renderer cannot write to the state).
    static FOCUSED_ROWS: std::cell::Cell<Option<(Rect, usize)>> = const { std::cell::Cell::new(None) };
}

/// The focused table's rows area and first shown row in the last frame drawn on this thread.
pub fn focused_rows() -> Option<(Rect, usize)> {
    FOCUSED_ROWS.with(|c| c.get())
}

/// Forget the last frame's rows area (each frame starts without one).
pub fn reset_focused_rows() {
    FOCUSED_ROWS.with(|c| c.set(None));
}

/// Draw a table in a bordered box.
pub fn render_table(f: &mut Frame, area: Rect, table: &TableState, v: &TableView, t: &Theme) {
    let mut title = format!(" {} ", v.title);
    let total = table.rows.len();
    if let Some(sc) = &table.scope {
        let label = sc.label.split_whitespace().collect::<Vec<_>>().join(" ");
        if total == 0 {
            // Nothing loaded yet: the scope, without a count that says nothing.
            title.push_str(&format!("· {label} "));
        } else {
            title.push_str(&format!(
                "· {label} · {} of {} ",
                fmt::thousands(table.scoped_len()),
                fmt::thousands(total)
            ));
        }
    }
    if !table.filter.is_empty() {
        title.push_str(&format!(
            "· {} of {} · /{} ",
            fmt::thousands(table.view.len()),
            fmt::thousands(total),
            table.filter
        ));
    } else if table.scope.is_none() && total > 0 && !v.title.contains('[') {
        title.push_str(&format!("· {} ", fmt::thousands(total)));
    }
    let marked = table.rows.iter().filter(|r| r.marker == '✓').count();
    if marked > 0 {
        title.push_str(&format!("· {marked} marked "));
    }
    if let Some((col, desc)) = table.sort
        && let Some(c) = table.columns.get(col)
    {
        title.push_str(&format!(
            "· sort {} {} ",
            c.title,
            if desc { "↓" } else { "↑" }
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if v.focused {
            t.border_focused()
        } else {
            t.border()
        })
        .title(Span::styled(title, t.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if table.view.is_empty() {
        let msg = if total > 0 {
            "no row matches the filter"
        } else {
            v.empty
        };
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {msg}"), t.dim())),
            inner,
        );
        return;
    }
    let height = usize::from(inner.height.saturating_sub(1));
    // The since-last-run column (`+` new, `~` changed) only when some row has a mark.
    let marks = table.has_marks();
    let range = table.visible(height);
    if v.focused {
        let rows = Rect {
            y: inner.y + 1,
            height: inner.height.saturating_sub(1),
            ..inner
        };
        FOCUSED_ROWS.with(|c| c.set(Some((rows, range.start))));
    }
    let wide_marker = t.mono
        && table.view[range.clone()]
            .iter()
            .any(|&i| table.rows.get(i).is_some_and(|r| r.marker != ' '));
    let n = table.columns.len() as u16 + u16::from(marks);
    let mark_w = 1 + u16::from(wide_marker);
    let avail = inner.width.saturating_sub(mark_w + n);
    let fitted = widths::fit(
        &widths::wants(&table.columns, &table.measured, &table.short),
        avail,
    );
    let rows: Vec<Row> = table.view[range.clone()]
        .iter()
        .enumerate()
        .filter_map(|(i, &ri)| {
            let row = table.rows.get(ri)?;
            let selected = v.focused && range.start + i == table.selected;
            // Monochrome: `>` marks the selection; a row marker (⚑, ✓, ●) keeps its own
            // cell beside it, so the cursor never hides a mark.
            let marker = match (t.mono, wide_marker) {
                (true, true) => format!("{}{}", if selected { '>' } else { ' ' }, row.marker),
                (true, false) if selected => ">".to_string(),
                _ => row.marker.to_string(),
            };
            let mut cells = vec![Cell::from(marker)];
            if marks {
                cells.push(Cell::from(row.mark.to_string()));
            }
            for (ci, col) in table.columns.iter().enumerate() {
                let text = row.cells.get(ci).map(String::as_str).unwrap_or("");
                // Too long for its column: a short form, else an ellipsis (never a silent cut).
                let width = usize::from(fitted.get(ci).copied().unwrap_or(0));
                let shown = short::fit_cell(text, width);
                let cell = match col.kind {
                    ColumnKind::Age => {
                        let ts = row.ranks.get(ci).copied().unwrap_or(0);
                        let at = Utc.timestamp_opt(ts, 0).single();
                        Cell::from(match at {
                            Some(at) if ts > 0 => fmt::age_since(at, v.now),
                            _ => "—".to_string(),
                        })
                    }
                    ColumnKind::Severity => Cell::from(Span::styled(shown, t.severity(text))),
                    _ => Cell::from(shown),
                };
                cells.push(cell);
            }
            let r = Row::new(cells);
            Some(if selected { r.style(t.selected()) } else { r })
        })
        .collect();
    let mut widths = vec![Constraint::Length(mark_w)];
    let mut heads = vec![Cell::from(" ")];
    if marks {
        widths.push(Constraint::Length(1));
        heads.push(Cell::from(" "));
    }
    widths.extend(fitted.into_iter().map(Constraint::Length));
    heads.extend(table.columns.iter().map(|c| Cell::from(c.title)));
    let header = Row::new(heads).style(t.header());
    let widget = Table::new(rows, widths).header(header).column_spacing(1);
    f.render_widget(widget, inner);
}

/// A bordered box of wrapped text with a one-cell margin.
pub fn render_text_box(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    t: &Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .padding(ratatui::widgets::Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), t.title()));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block),
        area,
    );
}

/// A bordered box of plain lines.
pub fn render_lines(f: &mut Frame, area: Rect, title: &str, lines: Vec<Line<'static>>, t: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(format!(" {title} "), t.title()));
    f.render_widget(Paragraph::new(lines).block(block), area);
}
