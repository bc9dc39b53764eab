//! Overlays: the `?` help (generated from the keymap), the `:` palette and a row's details.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::keymap::Action;
use crate::app::palette;
use crate::app::state::Detail;
use crate::app::{AppState, View};
use crate::ui::footer::hint_actions;
use crate::ui::theme::Theme;

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn boxed<'a>(title: &str, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border_focused())
        .title(Span::styled(format!(" {title} "), t.title()))
}

/// The help overlay: this screen's keys first, then every key.
pub fn render_help(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let mut here = vec![Span::styled(format!("{}: ", s.view.title()), t.header())];
    for (i, (key, text)) in s.keymap.hints(&hint_actions(s)).into_iter().enumerate() {
        if i > 0 {
            here.push(Span::styled(" · ", t.dim()));
        }
        here.push(Span::styled(key, t.key()));
        here.push(Span::raw(format!(" {text}")));
    }
    let mut lines = vec![Line::from(here), Line::from("")];
    let all: Vec<(String, &str)> = Action::ALL
        .iter()
        .filter(|a| !(s.settings.read_only && a.is_write()))
        .map(|a| (s.keymap.labels(*a), a.describe()))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    // Two columns so the whole map fits at 80×24.
    let half = all.len().div_ceil(2);
    for i in 0..half {
        let mut spans = Vec::new();
        for (key, text) in [all.get(i), all.get(i + half)].into_iter().flatten() {
            spans.push(Span::styled(format!("  {key:<12}"), t.key()));
            spans.push(Span::raw(format!("{text:<18}")));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Commands: :devices :incidents :alerts :actions :exposure :score :recommendations :reports :threats :indicators :learn :errors :audit",
        t.dim(),
    )));
    // Room for the wrapped first and last lines.
    let h = (lines.len() as u16 + 5).min(area.height);
    let r = centered(area, 76, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(boxed("Help · esc closes", t)),
        r,
    );
}

/// The command palette with its candidates.
pub fn render_palette(f: &mut Frame, area: Rect, input: &str, selected: usize, t: &Theme) {
    let cands = palette::candidates(input);
    let mut lines = vec![Line::from(vec![
        Span::styled(":", t.key()),
        Span::raw(format!("{input}▏")),
    ])];
    for (i, (name, action)) in cands
        .iter()
        .enumerate()
        .take(usize::from(area.height.saturating_sub(6)))
    {
        let what = match action {
            palette::PaletteAction::Go(v) => v.title().to_string(),
            palette::PaletteAction::Refresh => "reload this view".into(),
            palette::PaletteAction::Help => "keys".into(),
            palette::PaletteAction::Quit => "leave socops".into(),
            palette::PaletteAction::Audit => "audit log of actions".into(),
            palette::PaletteAction::Ctx => "switch tenant: ctx NAME".into(),
        };
        let marker = if i == selected { "> " } else { "  " };
        let line = Line::from(vec![
            Span::raw(marker),
            Span::styled(format!(":{name:<18}"), t.key()),
            Span::styled(what, t.dim()),
        ]);
        lines.push(if i == selected {
            line.style(t.selected())
        } else {
            line
        });
    }
    if cands.is_empty() {
        lines.push(Line::from(Span::styled("  no such command", t.dim())));
    }
    let h = lines.len() as u16 + 2;
    let r = centered(area, 50, h);
    let r = Rect { y: area.y + 1, ..r };
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines).block(boxed("Command", t)), r);
}

/// A row's details, scrollable.
pub fn render_detail(f: &mut Frame, area: Rect, d: &Detail, t: &Theme) {
    let r = centered(
        area,
        area.width.saturating_sub(4).max(40),
        area.height.saturating_sub(2),
    );
    let inner_h = usize::from(r.height.saturating_sub(3));
    let mut lines: Vec<Line> = d
        .lines
        .iter()
        .skip(d.scroll)
        .take(inner_h)
        .map(|l| Line::from(l.clone()))
        .collect();
    while lines.len() < inner_h {
        lines.push(Line::from(""));
    }
    let foot = match &d.link {
        Some(l) => format!("portal: {l}"),
        None => String::new(),
    };
    lines.push(Line::from(Span::styled(foot, t.dim())));
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines).block(boxed(&d.title, t)), r);
}

/// One line saying Microsoft offers no API for something, with the portal link.
pub fn no_api_line(text: &str, t: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(" ⚑ ", t.badge()),
        Span::styled(text.to_string(), t.dim()),
    ])
}

/// Whether the view is one whose data Microsoft offers no API for.
pub fn is_portal_only(v: View) -> bool {
    matches!(v, View::Learn)
}
