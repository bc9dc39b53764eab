//! Overlays: the `?` help (generated from the keymap), the `:` palette and a row's details.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::AppState;
use crate::app::input::help::{self, Seg};
use crate::app::state::Detail;
use crate::ui::popup::{boxed, centered, clear_popup, inner_width};
use crate::ui::theme::Theme;

/// The help overlay: this screen's keys first, then every key and command; scrolls with
/// j/k when it does not fit (a "more" line says so).
pub(crate) fn render_help(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let size = (area.width, area.height);
    let all = help::lines(s, help::inner_width(size));
    let (w, h) = help::box_size(size, all.len());
    let (shown, total) = help::visible(s);
    let scroll = s.help_scroll.min(total.saturating_sub(shown));
    let mut lines: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(shown)
        .map(|segs| {
            Line::from(
                segs.into_iter()
                    .map(|seg| match seg {
                        Seg::Head(x) => Span::styled(x, t.header()),
                        Seg::Key(x) => Span::styled(x, t.key()),
                        Seg::Text(x) => Span::raw(x),
                        Seg::Dim(x) => Span::styled(x, t.dim()),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    if total > shown {
        let above = if scroll > 0 { "↑ " } else { "" };
        let below = if scroll + shown < total {
            format!("↓ {} more lines", total - shown - scroll)
        } else {
            "end".to_string()
        };
        lines.push(Line::from(Span::styled(
            format!("  {above}{below} · j/k scroll"),
            t.title(),
        )));
    }
    let r = centered(area, w, h);
    clear_popup(f.buffer_mut(), r, area);
    f.render_widget(
        Paragraph::new(lines).block(boxed("Help · esc closes", t)),
        r,
    );
}

/// The palette's suggestions, in a box standing on the palette line (the footer's first
/// line): the highlighted one is what Tab or Enter takes. Recalling the history says so in
/// the title; a typo shows the nearest command.
pub(crate) fn render_palette(
    f: &mut Frame,
    body: Rect,
    s: &AppState,
    input: &str,
    selected: usize,
    t: &Theme,
) {
    let sugs = crate::app::input::typing::suggestions_for(s, input);
    let title = match (
        s.palette.recall,
        crate::app::input::palette_args::split(input),
    ) {
        (Some(i), _) => format!(
            "history {} of {} · ↑ older · ↓ newer",
            i + 1,
            s.palette.history.len()
        ),
        (None, Some((name, action, _))) => {
            format!(":{name} {}", action.arg().unwrap_or_default())
        }
        (None, None) => "Commands · tab/↓ pick · ↑ history".to_string(),
    };
    let width = body.width.min(64);
    let label_w = sugs
        .iter()
        .map(|g| crate::text::width(&g.label))
        .max()
        .unwrap_or(0)
        .clamp(10, usize::from(width / 2));
    let room = usize::from(body.height.saturating_sub(2)).clamp(1, 8);
    // Keep the highlighted suggestion in the window.
    let first = selected.saturating_sub(room - 1);
    let mut lines: Vec<Line> = Vec::new();
    for (i, g) in sugs.iter().enumerate().skip(first).take(room) {
        let marker = if i == selected { "> " } else { "  " };
        let label = crate::text::pad(&crate::ui::fmt::truncate(&g.label, label_w), label_w);
        // Inside the padded box: the marker, the label and two spaces.
        let room_what = inner_width(width).saturating_sub(2 + label_w + 2);
        let line = Line::from(vec![
            Span::raw(marker),
            Span::styled(format!("{label}  "), t.key()),
            Span::styled(crate::ui::fmt::truncate(&g.what, room_what), t.dim()),
        ]);
        lines.push(if i == selected {
            line.style(t.selected())
        } else {
            line
        });
    }
    if sugs.is_empty() {
        let word = input.split_whitespace().next().unwrap_or("");
        let text = match crate::app::input::palette_args::split(input) {
            Some(_) => "  nothing loaded matches".to_string(),
            None => match crate::app::input::palette::nearest(word) {
                Some(near) if !word.is_empty() => {
                    format!("  no such command — did you mean :{near}?")
                }
                _ => "  no such command".to_string(),
            },
        };
        lines.push(Line::from(Span::styled(text, t.dim())));
    }
    let h = (lines.len() as u16 + 2).min(body.height);
    let r = Rect {
        x: body.x,
        y: body.y + body.height - h,
        width,
        height: h,
    };
    clear_popup(f.buffer_mut(), r, body);
    f.render_widget(Paragraph::new(lines).block(boxed(&title, t)), r);
}

/// A row's details, scrollable.
/// `title` is the breadcrumb that ends in the detail's own title.
pub(crate) fn render_detail(f: &mut Frame, area: Rect, d: &Detail, title: &str, t: &Theme) {
    // The page takes the whole body, in place of the table it was opened from (its title
    // says the way back): no frame of the screen beneath is left beside it.
    let r = area;
    let inner_h = usize::from(r.height.saturating_sub(3));
    // Long lines (a dry run's URL) wrap by character so their end stays visible; the text
    // keeps a cell of padding from both borders.
    let iw = inner_width(r.width).max(1);
    let mut lines: Vec<Line> = if d.items.is_empty() {
        text_lines(d, iw, inner_h)
    } else {
        page_lines(d, iw, inner_h, t)
    };
    while lines.len() < inner_h {
        lines.push(Line::from(""));
    }
    let foot = match &d.link {
        Some(l) => crate::ui::fmt::truncate(&format!("portal: {l}"), iw),
        None => String::new(),
    };
    lines.push(Line::from(Span::styled(foot, t.dim())));
    clear_popup(f.buffer_mut(), r, area);
    f.render_widget(Paragraph::new(lines).block(boxed(title, t)), r);
}

/// A working page: one screen line per line (cut with `…`), the selected row highlighted
/// and kept in view.
fn page_lines(d: &Detail, iw: usize, inner_h: usize, t: &Theme) -> Vec<Line<'static>> {
    let sel = d.items.get(d.selected).map(|i| i.line);
    // The page scrolls with its selection, from the top until the selected row and its own
    // indented lines (a file's hashes) would leave it.
    let end = sel.map_or(0, |l| {
        l + d.lines[l + 1..]
            .iter()
            .take_while(|x| x.starts_with("      "))
            .count()
    });
    let top = sel.map_or(0, |_| (end + 1).saturating_sub(inner_h));
    d.lines
        .iter()
        .enumerate()
        .skip(top)
        .take(inner_h)
        .map(|(i, l)| {
            let text = crate::text::line(l);
            if Some(i) == sel {
                // Selectable rows start with two spaces: the cursor takes them.
                let rest = text.strip_prefix("  ").unwrap_or(&text);
                let text = crate::ui::fmt::truncate(&format!("> {rest}"), iw);
                Line::from(Span::styled(format!("{text:<iw$}"), t.selected()))
            } else {
                Line::from(crate::ui::fmt::truncate(&text, iw))
            }
        })
        .collect()
}

fn text_lines(d: &Detail, iw: usize, inner_h: usize) -> Vec<Line<'static>> {
    d.lines
        .iter()
        // Detail pages quote tenant text (titles, command lines, comments): made visible.
        .flat_map(|l| hard_wrap(&crate::text::line(l), iw))
        .skip(d.scroll)
        .take(inner_h)
        .map(Line::from)
        .collect()
}

/// `line` in pieces of at most `width` characters, broken after a space when one falls in
/// the second half of the piece (words stay whole), else mid-run (URLs, ids). Pieces after
/// the first hang two cells under the line's own indent, so a wrapped line reads as one.
fn hard_wrap(line: &str, width: usize) -> Vec<String> {
    let indent = line.chars().take_while(|&c| c == ' ').count();
    let lead = " ".repeat((indent + 2).min(width / 2));
    let mut rest: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut room = width;
    while rest.len() > room {
        let cut = rest[..room]
            .iter()
            .rposition(|&c| c == ' ')
            .filter(|&i| i >= room / 2)
            .map_or(room, |i| i + 1);
        let piece: String = rest[..cut].iter().collect();
        let piece = piece.trim_end();
        out.push(if out.is_empty() {
            piece.to_string()
        } else {
            format!("{lead}{}", piece.trim_start())
        });
        rest.drain(..cut);
        room = width.saturating_sub(lead.len()).max(1);
    }
    let last: String = rest.into_iter().collect();
    out.push(if out.is_empty() {
        last
    } else {
        format!("{lead}{}", last.trim_start())
    });
    out
}

/// One line saying Microsoft offers no API for something, with the portal link.
pub(crate) fn no_api_line(text: &str, t: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(" ⚑ ", t.badge()),
        Span::styled(text.to_string(), t.dim()),
    ])
}

/// The device picker: a name matched several devices; each line names one with its id, when
/// it was last seen and its health, the most recently seen first.
pub(crate) fn render_picker(
    f: &mut Frame,
    area: Rect,
    p: &crate::app::pages::picker::DevicePicker,
    now: chrono::DateTime<chrono::Utc>,
    t: &Theme,
) {
    let w = area.width.saturating_sub(2).clamp(20, 110);
    let iw = inner_width(w);
    let mut lines = vec![
        Line::from(Span::raw(crate::ui::fmt::truncate(
            &format!(
                "{} devices match {}; pick one (nothing is done until you do):",
                p.candidates.len(),
                crate::text::line(&p.asked)
            ),
            iw,
        ))),
        Line::from(""),
    ];
    // Two lines a device: name and id, then when it was last seen and its health.
    let room = (usize::from(area.height.saturating_sub(6)) / 2).max(1);
    let first = p.selected.saturating_sub(room - 1);
    for (i, c) in p.candidates.iter().enumerate().skip(first).take(room) {
        let seen = match c.last_seen {
            Some(at) => format!("last seen {} ago", crate::ui::fmt::age_since(at, now)),
            None => "never seen".to_string(),
        };
        let mark = if i == p.selected { ">" } else { " " };
        let head = format!("{mark} {}  {}", crate::text::line(&c.name), c.id);
        let tail = format!("    {seen} · {}", crate::text::line(&c.health));
        let style = if i == p.selected {
            t.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(crate::ui::fmt::truncate(&head, iw)).style(style));
        lines.push(Line::from(Span::styled(
            crate::ui::fmt::truncate(&tail, iw),
            t.dim(),
        )));
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    clear_popup(f.buffer_mut(), r, area);
    f.render_widget(
        Paragraph::new(lines).block(boxed("Which device? · enter picks · esc cancels", t)),
        r,
    );
}
