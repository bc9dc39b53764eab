//! Drawing a `TableState`: only the rows that fit are turned into widgets, whatever the size
//! of the data. Selection shows as `>` plus reverse video; severities keep their word.

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Padding, Paragraph, Row, Table};

use crate::app::tables::short;
use crate::app::tables::table::{ColumnKind, TableState};
use crate::app::tables::widths;
use crate::ui::fmt;
use crate::ui::theme::Theme;

/// Extra information for drawing a table.
pub(crate) struct TableView<'a> {
    pub title: String,
    pub focused: bool,
    /// Shown when the table has no rows (loading, nothing to show …).
    pub empty: &'a str,
    pub now: DateTime<Utc>,
    /// A table drawn beside this one with the same columns (Pending and History): both are
    /// laid out from the widths of the two, so their columns line up and a word reads the
    /// same in both (`AV scan` in each, never `RunAntiVirusScan` in one).
    pub sibling: Option<&'a TableState>,
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
pub(crate) fn reset_focused_rows() {
    FOCUSED_ROWS.with(|c| c.set(None));
}

/// Draw a table in a bordered box.
pub(crate) fn render_table(
    f: &mut Frame,
    area: Rect,
    table: &TableState,
    v: &TableView,
    t: &Theme,
) {
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
            crate::text::line(&table.filter)
        ));
    } else if table.scope.is_none() && total > 0 && !v.title.contains('[') {
        title.push_str(&format!("· {} ", fmt::thousands(total)));
    }
    let marked = table.rows.count_marker('✓');
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
        .title(Span::styled(title, t.title()))
        // No cell touches a border: a cell of padding inside each side.
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if table.view.is_empty() {
        let msg = if total > 0 {
            "no row matches the filter"
        } else {
            v.empty
        };
        // An error message wraps whole-word instead of running into the border.
        let lines: Vec<Line> = crate::text::wrap(
            &crate::text::line(msg),
            usize::from(inner.width).saturating_sub(1),
            2,
        )
        .into_iter()
        .map(|l| Line::from(Span::styled(format!(" {l}"), t.dim())))
        .collect();
        f.render_widget(Paragraph::new(lines), inner);
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
    let sibling_marker = v
        .sibling
        .is_some_and(|sib| sib.rows.iter().any(|r| r.marker() != ' '));
    let wide_marker = t.mono
        && (sibling_marker
            || table.view[range.clone()]
                .iter()
                .any(|&i| table.rows.get(i).is_some_and(|r| r.marker() != ' ')));
    let (measured, short_w) = match v.sibling {
        Some(sib) => (
            widest(&table.measured, &sib.measured),
            widest(&table.short, &sib.short),
        ),
        None => (table.measured.clone(), table.short.clone()),
    };
    let marks = marks || v.sibling.is_some_and(TableState::has_marks);
    let layout = Layout {
        marker: 1 + u16::from(wide_marker),
        marks,
        columns: table.columns.len() as u16,
    };
    let wants = widths::wants(&table.columns, &measured, &short_w);
    let fitted = widths::fit(&wants, layout.avail(inner.width));
    let mark_w = layout.marker;
    let rows: Vec<Row> = table.view[range.clone()]
        .iter()
        .enumerate()
        .filter_map(|(i, &ri)| {
            let row = table.rows.get(ri)?;
            let selected = v.focused && range.start + i == table.selected;
            // Monochrome: `>` marks the selection; a row marker (⚑, ✓, ●) keeps its own
            // cell beside it, so the cursor never hides a mark.
            let marker = match (t.mono, wide_marker) {
                (true, true) => format!("{}{}", if selected { '>' } else { ' ' }, row.marker()),
                (true, false) if selected => ">".to_string(),
                _ => row.marker().to_string(),
            };
            let mut cells = vec![Cell::from(marker)];
            if marks {
                cells.push(Cell::from(row.mark().to_string()));
            }
            for (ci, col) in table.columns.iter().enumerate() {
                let text = row.cell(ci);
                // Too long for its column: a short form, else an ellipsis (never a silent cut).
                let width = usize::from(fitted.get(ci).copied().unwrap_or(0));
                let shown = short::fit_cell(text, width);
                let cell = match col.kind {
                    ColumnKind::Age => {
                        let ts = row.rank(ci);
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

/// The fixed cells of a table's line: the row marker, the since-last-run mark and one space
/// between columns.
#[derive(Debug, Clone, Copy)]
struct Layout {
    marker: u16,
    marks: bool,
    columns: u16,
}

impl Layout {
    /// Cells left for the columns' text in a line `inner` cells wide.
    fn avail(self, inner: u16) -> u16 {
        let marks = u16::from(self.marks);
        // One space after the marker, after the mark column and between the columns.
        let spacing = self.columns + marks;
        inner.saturating_sub(self.marker + marks + spacing)
    }
}

/// Column by column, the larger of two widths.
fn widest(a: &[u16], b: &[u16]) -> Vec<u16> {
    (0..a.len().max(b.len()))
        .map(|i| {
            a.get(i)
                .copied()
                .unwrap_or(0)
                .max(b.get(i).copied().unwrap_or(0))
        })
        .collect()
}

/// A bordered box of wrapped text with a one-cell margin.
pub(crate) fn render_text_box(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    t: &Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), t.title()));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .block(block),
        area,
    );
}

/// A bordered box of plain lines, a cell of padding inside each side (callers fit their
/// lines to [`crate::ui::popup::inner_width`]).
pub(crate) fn render_lines(
    f: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    t: &Theme,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .padding(Padding::horizontal(1))
        .title(Span::styled(format!(" {title} "), t.title()));
    f.render_widget(Paragraph::new(lines).block(block), area);
}
