//! The footer: the hint bar (generated from the keymap for the current context) and the
//! status line (last refresh, API budget, latest error) or the newest toast.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{AppState, Mode};
use crate::ui::fmt;
use crate::ui::theme::Theme;

pub use crate::app::input::help::hint_actions;

/// What the filter line says after the text: a `field:` that names no column (and the
/// columns there are), else how the filter reads.
fn filter_hint(table: &crate::app::tables::table::TableState) -> String {
    let headers: Vec<&str> = table.columns.iter().map(|c| c.title).collect();
    let query = crate::app::tables::filter_query::FilterQuery::parse(&table.filter, &headers);
    match query.unknown_fields().last() {
        Some(field) => format!(
            "  no column {}: (columns {})",
            crate::text::line(field),
            headers
                .iter()
                .map(|h| h.to_lowercase().replace(' ', "_"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        None => "  AND · !not · column:value · enter keep · esc clear".into(),
    }
}

/// Draw the hint bar (or the filter line) and the status line into two lines.
pub(crate) fn render_footer(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let hint_area = Rect { height: 1, ..area };
    let status_area = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    let filter = s.focused_table().and_then(|id| s.table(id));
    let hint = match (&s.mode, filter) {
        (Mode::Filter, Some(table)) => Line::from(vec![
            Span::styled(" /", t.key()),
            Span::raw(format!("{}▏", crate::text::line(&table.filter))),
            Span::styled(filter_hint(table), t.dim()),
        ]),
        (Mode::Palette { input, .. }, _) => Line::from(vec![
            Span::styled(" :", t.key()),
            Span::raw(format!("{}▏", crate::text::line(input))),
            Span::styled("  tab pick · ↑ history · enter go · esc cancel", t.dim()),
        ]),
        _ if s.export_prompt => Line::from(vec![
            Span::styled(" export ", t.key()),
            Span::raw("c CSV · j JSON"),
            Span::styled(
                "  (rows matching the filter, in sort order) · esc cancel",
                t.dim(),
            ),
        ]),
        _ => match crate::ui::dialog::hint(s) {
            Some(text) => Line::from(Span::styled(text, t.dim())),
            None => hint_line(s, t, usize::from(area.width)),
        },
    };
    f.render_widget(Paragraph::new(hint), hint_area);

    let status = if let Some(toast) = s.toasts.last() {
        // A batch's progress stays in view while each answer's toast shows.
        let text = match crate::app::actions::bulk::progress_line(s) {
            Some(p) => format!("{p} · {}", toast.text),
            None => toast.text.clone(),
        };
        Line::from(Span::styled(
            format!(" {} ", fmt::truncate(&text, usize::from(area.width) - 2)),
            t.toast(),
        ))
    } else {
        status_line(s, t, usize::from(area.width))
    };
    f.render_widget(Paragraph::new(status), status_area);
}

fn hint_line(s: &AppState, t: &Theme, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, text) in s.keymap.hints(&hint_actions(s)) {
        let piece = key.chars().count() + text.chars().count() + 4;
        if used + piece > width {
            break;
        }
        if used > 1 {
            spans.push(Span::styled(" · ", t.dim()));
        }
        spans.push(Span::styled(key, t.key()));
        spans.push(Span::raw(format!(" {text}")));
        used += piece;
    }
    Line::from(spans)
}

fn status_line(s: &AppState, t: &Theme, width: usize) -> Line<'static> {
    let mut spans = Vec::new();
    let last = s
        .view
        .resources()
        .iter()
        .filter_map(|k| s.data.at(*k))
        .max();
    let refreshed = match last {
        Some(at) => format!(" refreshed {} ago", fmt::age_since(at, s.now)),
        None if s.loading() => " loading…".to_string(),
        None => String::new(),
    };
    let progress = crate::app::actions::bulk::progress_line(s)
        .or_else(|| crate::app::actions::track::progress_line(s));
    // The API budget shows once, in the header.
    spans.push(Span::styled(refreshed, t.dim()));
    if let Some(p) = progress {
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = width.saturating_sub(used + 4);
        spans.push(Span::styled(
            format!(" · {}", fmt::truncate(&p, room)),
            t.key(),
        ));
    }
    if let Some(e) = s.errors.last() {
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let room = width.saturating_sub(used + 5);
        let text = format!("{}: {}", e.what, e.error.text);
        let sep = if used == 0 { " ✗ " } else { " · ✗ " };
        spans.push(Span::styled(sep, t.error()));
        spans.push(Span::styled(fmt::truncate(&text, room), t.error()));
    }
    Line::from(spans)
}
