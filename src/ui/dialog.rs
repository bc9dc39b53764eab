//! The device action menu and the action dialogs (targets, effect, fields, the typed-name
//! confirmation and the last refusal), plus their hint lines. Pure rendering.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::app::AppState;
use crate::app::actions::kind::device_line;
use crate::app::actions::{FieldKind, Menu, OpenDialog};
use crate::ui::popup::{centered, clear_popup, inner_width};
use crate::ui::theme::Theme;

/// The hint line while the menu or a dialog is open.
pub fn hint(s: &AppState) -> Option<String> {
    if let Some(keys) = crate::app::input::help::dialog_keys(s) {
        let keys: Vec<String> = keys.iter().map(|(k, t)| format!("{k} {t}")).collect();
        return Some(format!(" {}", keys.join(" · ")));
    }
    if s.actions.picker.is_some() {
        return Some(" ↑/↓ choose · enter pick · esc cancel".to_string());
    }
    s.actions
        .menu
        .as_ref()
        .map(|_| " ↑/↓ choose · enter open · esc close".to_string())
}

fn boxed<'a>(title: String, t: &Theme) -> Block<'a> {
    crate::ui::popup::boxed(&title, t)
}

/// Draw the menu or the dialog, when one is open.
pub(crate) fn render_actions(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    if let Some(d) = &s.actions.dialog {
        render_dialog(f, area, d, t);
    } else if let Some(m) = &s.actions.menu {
        render_menu(f, area, m, t);
    } else if let Some(p) = &s.actions.picker {
        render_picker(f, area, p, t);
    }
}

/// "Which device?": one line per candidate, name · OS · risk.
fn render_picker(f: &mut Frame, area: Rect, p: &crate::app::pages::working::Picker, t: &Theme) {
    let w = area.width.saturating_sub(4).clamp(20, 72);
    let iw = inner_width(w);
    let mut lines = Vec::new();
    for (i, d) in p.devices.iter().enumerate() {
        let marker = if i == p.selected { "> " } else { "  " };
        // Device names come from the tenant: made visible, never sent raw.
        let about = crate::text::line(&device_line(d)).into_owned();
        let text = crate::ui::fmt::truncate(&format!("{marker}{about}"), iw);
        let line = Line::from(text);
        lines.push(if i == p.selected {
            line.style(t.selected())
        } else {
            line
        });
    }
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, w, h);
    clear_popup(f.buffer_mut(), r, area);
    f.render_widget(Paragraph::new(lines).block(boxed(p.title.clone(), t)), r);
}

fn render_menu(f: &mut Frame, area: Rect, m: &Menu, t: &Theme) {
    // Wide enough for the device line when the screen allows; else the line ends in "…".
    // Device names come from the tenant: made visible, never sent raw.
    let about = crate::text::line(&device_line(&m.device)).into_owned();
    let w = (crate::text::width(&about) as u16 + crate::ui::popup::BOX_FRAME)
        .max(54)
        .min(area.width.saturating_sub(4));
    let mut lines = vec![
        Line::from(Span::styled(
            crate::ui::fmt::truncate(&about, inner_width(w)),
            t.dim(),
        )),
        Line::from(""),
    ];
    for (i, k) in m.items.iter().enumerate() {
        let marker = if i == m.selected { "> " } else { "  " };
        let line = Line::from(format!("{marker}{}", k.title()));
        lines.push(if i == m.selected {
            line.style(t.selected())
        } else {
            line
        });
    }
    let h = lines.len() as u16 + 2;
    let r = centered(area, w, h);
    clear_popup(f.buffer_mut(), r, area);
    f.render_widget(
        Paragraph::new(lines).block(boxed(
            format!("Actions · {}", crate::text::line(&m.device.name)),
            t,
        )),
        r,
    );
}

fn render_dialog(f: &mut Frame, area: Rect, d: &OpenDialog, t: &Theme) {
    let dlg = &d.dialog;
    let w = area.width.saturating_sub(4).min(96);
    let iw = inner_width(w);
    let mut lines: Vec<Line> = Vec::new();
    // Every line is fitted here, so nothing wraps back to the box's edge: a long target, the
    // typed-name request or the refusal continues under its own indent.
    for target in dlg.targets.iter().take(8) {
        // Device names come from the tenant: made visible, never sent raw.
        let text = crate::text::line(target);
        for (j, l) in wrap(&text, iw.saturating_sub(4)).into_iter().enumerate() {
            let lead = if j == 0 { "  ▸ " } else { "    " };
            lines.push(Line::from(vec![Span::styled(lead, t.key()), Span::raw(l)]));
        }
    }
    if dlg.targets.len() > 8 {
        lines.push(Line::from(format!(
            "  … and {} more",
            dlg.targets.len() - 8
        )));
    }
    // The effect sentence wraps under its own indent.
    for l in wrap(&dlg.effect, iw.saturating_sub(2)) {
        lines.push(Line::from(Span::styled(format!("  {l}"), t.dim())));
    }
    lines.push(Line::from(""));
    for (i, field) in dlg.fields.iter().enumerate() {
        let focused = i == dlg.focus;
        let label = Span::styled(
            format!(
                "{} {:<w$}",
                if focused { "›" } else { " " },
                crate::ui::fmt::truncate(&field.label, LABEL - 3),
                w = LABEL - 2
            ),
            if focused { t.key() } else { t.dim() },
        );
        // The value column starts after the label.
        let room = iw.saturating_sub(LABEL);
        match &field.kind {
            FieldKind::Text(v) => {
                let cursor = if focused { "▏" } else { "" };
                lines.push(Line::from(vec![
                    label,
                    Span::raw(text_value(v, cursor, room)),
                ]));
            }
            FieldKind::Choice(options, sel) => {
                let mut rows = choice_lines(options, *sel, room).into_iter();
                let first = rows.next().unwrap_or_default();
                lines.push(Line::from(vec![label, Span::raw(first)]));
                // Further lines of choices stay under the first, never at column 0.
                lines.extend(rows.map(|r| Line::from(format!("{:LABEL$}{r}", ""))));
            }
        }
    }
    if let Some(name) = &dlg.confirm_name {
        let text = if dlg.confirm_field == crate::app::actions::FieldId::DeviceName {
            format!("protected profile: type {name} to confirm")
        } else {
            format!("type {name} exactly to confirm")
        };
        for l in wrap(&crate::text::line(&text), iw.saturating_sub(2)) {
            lines.push(Line::from(Span::styled(format!("  {l}"), t.dim())));
        }
    }
    if let Some(e) = &dlg.error {
        for (j, l) in wrap(&crate::text::line(e), iw.saturating_sub(4))
            .into_iter()
            .enumerate()
        {
            let lead = if j == 0 { "  ✗ " } else { "    " };
            lines.push(Line::from(Span::styled(format!("{lead}{l}"), t.error())));
        }
    }
    // A blank line above the bottom border.
    let h = (lines.len() as u16 + 3).min(area.height);
    let r = centered(area, w, h);
    clear_popup(f.buffer_mut(), r, area);
    f.render_widget(Paragraph::new(lines).block(boxed(dlg.title.clone(), t)), r);
}

/// A text field's value in `room` cells: `[value▏]`, or its end when it is longer (`[…end▏]`),
/// so what is being typed stays in view and never wraps.
fn text_value(v: &str, cursor: &str, room: usize) -> String {
    let v = crate::text::line(v);
    let whole = format!("[{v}{cursor}]");
    if crate::text::width(&whole) <= room {
        return whole;
    }
    // Brackets, the ellipsis and the cursor take their cells; the end of the value the rest.
    let keep = room.saturating_sub(3 + crate::text::width(cursor));
    let mut tail: Vec<char> = Vec::new();
    for c in v.chars().rev() {
        tail.push(c);
        let s: String = tail.iter().rev().collect();
        if crate::text::width(&s) > keep {
            tail.pop();
            break;
        }
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("[…{tail}{cursor}]")
}

/// Cells a field's label takes before its value.
const LABEL: usize = 23;

/// Lines of choices at most this many; more show as the chosen one and its place.
const CHOICE_LINES: usize = 4;

/// A choice field's radios in lines of at most `room` cells: each `( ) name` whole on one
/// line (a name longer than a line is cut with `…`), two spaces apart. When they need more
/// than [`CHOICE_LINES`] lines, the chosen one and its place in the list (`‹ x ›  2 of 9`),
/// changed with ←/→ as always. Names (live-response library files) are tenant text.
fn choice_lines(options: &[String], sel: usize, room: usize) -> Vec<String> {
    let room = room.max(8);
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (j, o) in options.iter().enumerate() {
        let radio = if j == sel { "(•) " } else { "( ) " };
        let name = crate::text::line(o);
        let item = format!(
            "{radio}{}",
            crate::text::truncate(&name, room.saturating_sub(radio.chars().count()))
        );
        let used = crate::text::width(&cur);
        if used > 0 && used + 2 + crate::text::width(&item) > room {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str("  ");
        }
        cur.push_str(&item);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    if out.len() > CHOICE_LINES {
        let chosen = options
            .get(sel)
            .map(|o| crate::text::line(o))
            .unwrap_or_default();
        let place = format!("  {} of {}", sel + 1, options.len());
        let keep = room.saturating_sub(4 + place.chars().count());
        return vec![format!(
            "‹ {} ›{place}",
            crate::text::truncate(&chosen, keep)
        )];
    }
    out
}

/// `text` in lines of at most `width` characters, broken between words (a longer word is
/// cut).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let n = cur.chars().count();
        if n > 0 && n + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
        while cur.chars().count() > width {
            let head: String = cur.chars().take(width).collect();
            cur = cur.chars().skip(width).collect();
            out.push(head);
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn radios_wrap_whole_under_the_first() {
        let lib = names(&[
            "Collect-Triage.ps1",
            "Get-RunningProcesses.ps1",
            "Remove-ScheduledTask.ps1",
            "collect_logs.sh",
        ]);
        let lines = choice_lines(&lib, 1, 51);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines {
            assert!(crate::text::width(l) <= 51, "{l}");
            // Every radio sits with its name: no line ends in a bare "( )".
            assert!(!l.trim_end().ends_with(')'), "{l}");
            assert!(l.starts_with("( ) ") || l.starts_with("(•) "), "{l}");
        }
        assert_eq!(lines.concat().matches("( )").count(), 3);
        assert!(lines.concat().contains("(•) Get-RunningProcesses.ps1"));
    }

    #[test]
    fn many_choices_show_the_chosen_one_and_its_place() {
        let many: Vec<String> = (0..40).map(|i| format!("script-{i:02}.ps1")).collect();
        assert_eq!(
            choice_lines(&many, 2, 51),
            vec!["‹ script-02.ps1 ›  3 of 40".to_string()]
        );
    }

    #[test]
    fn choice_names_are_made_visible() {
        let lib = names(&["evil\u{1b}]0;x\u{7}.ps1"]);
        let l = choice_lines(&lib, 0, 51).concat();
        assert!(!l.contains('\u{1b}'), "{l}");
    }
}
