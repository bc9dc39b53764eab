//! The All tenants view: one line per profile of the config (the digest's figures, or the
//! tenant's error), the tenant on screen marked `*`, the selected line marked `>`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::AppState;
use crate::app::data::tenants::{TenantSummary, line_text, line_text_compact};
use crate::ui::fmt;
use crate::ui::table::render_lines;
use crate::ui::theme::Theme;

/// Draw the All tenants view.
pub(crate) fn render_tenants(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let ts = &s.tenants;
    let width = crate::ui::popup::inner_width(area.width);
    let name_w = ts
        .list
        .iter()
        .map(|x| x.name.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(6, 20);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if ts.list.is_empty() {
        lines.push(Line::from(
            "no profiles in the config: `socops config init` adds one",
        ));
    }
    for (i, info) in ts.list.iter().enumerate() {
        let selected = i == ts.selected;
        let marker = match (selected, i == ts.current) {
            (true, true) => ">*",
            (true, false) => "> ",
            (false, true) => " *",
            (false, false) => "  ",
        };
        let summary = ts.summaries.get(i).cloned().unwrap_or_default();
        let head = format!("{marker} {:<name_w$}  ", fmt::truncate(&info.name, name_w));
        let text = if area.width >= 110 {
            line_text(&summary)
        } else {
            line_text_compact(&summary)
        };
        let body = fmt::truncate(&text, width.saturating_sub(head.chars().count()));
        let body_style = match summary {
            TenantSummary::Failed(_) => t.error(),
            TenantSummary::Loading | TenantSummary::NotLoaded => t.dim(),
            TenantSummary::Ready(_) => t.text(),
        };
        let mut spans = vec![
            Span::styled(head, t.tenant(info.color.as_deref())),
            Span::styled(body, body_style),
        ];
        if selected {
            spans = spans
                .into_iter()
                .map(|sp| {
                    let st = sp.style.patch(t.selected());
                    sp.style(st)
                })
                .collect();
        }
        lines.push(Line::from(spans));
        // The label under the name when the screen is tall enough to say whose tenant it is.
        if area.height as usize > ts.list.len() * 2 + 4 && info.label != info.name {
            lines.push(Line::from(Span::styled(
                format!(
                    "    {}",
                    fmt::truncate(&info.label, width.saturating_sub(4))
                ),
                t.dim(),
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "enter opens the tenant (same as :ctx NAME) · r reloads every line",
        t.dim(),
    )));
    render_lines(f, area, "All tenants", lines, t);
}
