//! The routine checklist of a cadence: tasks with their done mark and live figure, what the
//! selected task asks, and a preview of the cadence's main table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};

use crate::app::data::checklist::{self, period_key};
use crate::app::{AppState, Cadence, TableId};
use crate::ui::fmt;
use crate::ui::popup::inner_width;
use crate::ui::table::{render_lines, render_text_box};
use crate::ui::theme::Theme;
use crate::ui::views::table;

/// Draw the checklist of a cadence.
pub(crate) fn render_checklist(f: &mut Frame, area: Rect, s: &AppState, t: &Theme, c: Cadence) {
    let tasks = checklist::tasks(c);
    let period = period_key(c, s.now, s.settings.offset);
    let h = tasks.len() as u16 + 2;
    let [top, rest] = Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(area);
    let (list_area, about_area) = if top.width >= 100 {
        let [a, b] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        (a, Some(b))
    } else {
        (top, None)
    };
    let sel = s.checklist_selected(c);
    let date = s
        .now
        .with_timezone(&s.settings.offset)
        .format("%a %d %b")
        .to_string();
    let title = match c {
        Cadence::Daily => format!("{} ─ {date}", s.view.title()),
        _ => s.view.title().to_string(),
    };
    // Task names in full where the box allows, leaving ~24 columns for the live figure.
    let longest = tasks
        .iter()
        .map(|t| t.title.chars().count())
        .max()
        .unwrap_or(22);
    let name_w = longest
        .min(usize::from(list_area.width).saturating_sub(24))
        .max(14);
    // The figure has the rest of the line (cursor 1, mark 4, name, a space): cut with `…`
    // when it is longer, never running into the border or the box beside.
    let figure_w = inner_width(list_area.width).saturating_sub(1 + 4 + name_w + 1);
    let lines: Vec<Line> = tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let done = s.checklist.is_done(&period, task.id);
            let figure = s
                .figures
                .get(&(c, task.id))
                .cloned()
                .unwrap_or_else(|| "…".into());
            let mark = if done { "[x]" } else { "[ ]" };
            let cursor = if i == sel && t.mono { ">" } else { " " };
            let line = Line::from(vec![
                Span::raw(cursor),
                Span::styled(format!("{mark} "), if done { t.good() } else { t.text() }),
                Span::raw(format!("{:<name_w$} ", fmt::truncate(task.title, name_w))),
                Span::raw(fmt::truncate(&figure, figure_w)),
            ]);
            if i == sel && s.detail.is_none() {
                line.style(t.selected())
            } else {
                line
            }
        })
        .collect();
    render_lines(f, list_area, &title, lines, t);
    // The Daily routine shows what changed since the last run where the task notes would be.
    if let Some(a) = about_area
        && c == Cadence::Daily
        && s.since.enabled
    {
        render_since(f, a, s, t);
    } else if let Some(a) = about_area
        && let Some(task) = tasks.get(sel)
    {
        let lines = vec![
            Line::from(task.about),
            Line::from(""),
            Line::from(vec![
                Span::styled(
                    format!("{} ", s.keymap.label(crate::app::Action::Open)),
                    t.key(),
                ),
                Span::raw(format!("opens {}", task.view.title())),
            ]),
            Line::from(vec![
                Span::styled(
                    format!("{} ", s.keymap.label(crate::app::Action::ToggleDone)),
                    t.key(),
                ),
                Span::raw("marks it done for this period"),
            ]),
        ];
        render_text_box(f, a, task.title, lines, t);
    }
    if rest.height >= 5 {
        let (id, title) = match c {
            Cadence::Daily => (TableId::Incidents, "Incidents"),
            Cadence::Weekly => (TableId::Recommendations, "Top recommendations"),
            Cadence::Monthly => (TableId::Learn, "Learn"),
            Cadence::AsNeeded => (TableId::Threats, "Threats (derived)"),
        };
        table(f, rest, s, t, id, title, false);
    }
}

/// The "Since last run" box: one line per change, the rest counted on the last line.
fn render_since(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let width = inner_width(area.width);
    let all = &s.since.lines;
    let mut lines: Vec<Line> = if all.is_empty() {
        vec![Line::styled("waiting for the data…", t.dim())]
    } else {
        all.iter()
            .take(if all.len() > room { room - 1 } else { room })
            .map(|l| Line::from(fmt::truncate(l, width)))
            .collect()
    };
    if all.len() > room {
        lines.push(Line::styled(
            format!("… {} more", all.len() - (room - 1)),
            t.dim(),
        ));
    }
    render_lines(f, area, &crate::app::tables::since::title(s), lines, t);
}
