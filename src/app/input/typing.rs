//! Keys while typing: the filter line and the `:` command palette.

use std::borrow::Cow;

use crate::app::input::keymap::{Key, KeyCode};
use crate::app::input::palette::{self, PaletteAction, Suggestion};
use crate::app::input::palette_args;
use crate::app::msg::Command;
use crate::app::state::{AppState, Mode};
use crate::app::steps::{go, refresh, toast};

/// A key while the filter line is open.
pub(crate) fn on_filter_key(s: &mut AppState, key: Key) -> Vec<Command> {
    let Some(t) = s.focused_table().and_then(|id| s.tables.get_mut(&id)) else {
        s.mode = Mode::Normal;
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            t.set_filter("");
            s.mode = Mode::Normal;
        }
        KeyCode::Enter | KeyCode::Up | KeyCode::Down => s.mode = Mode::Normal,
        KeyCode::Backspace => {
            let mut f = t.filter.clone();
            f.pop();
            t.set_filter(&f);
        }
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            let f = format!("{}{c}", t.filter);
            t.set_filter(&f);
        }
        _ => {}
    }
    Vec::new()
}

/// Open the palette with `input` on its line (and its suggestions computed).
pub(crate) fn open_palette(s: &mut AppState, input: String) {
    s.palette.recall = None;
    s.palette.for_input = None;
    s.mode = Mode::Palette { input, selected: 0 };
    suggest(s);
}

/// The suggestions for `input`: those computed on the last key, else computed now.
pub(crate) fn suggestions_for<'a>(s: &'a AppState, input: &str) -> Cow<'a, [Suggestion]> {
    if s.palette.for_input.as_deref() == Some(input) {
        Cow::Borrowed(&s.palette.suggestions)
    } else {
        Cow::Owned(compute(s, input))
    }
}

fn compute(s: &AppState, input: &str) -> Vec<Suggestion> {
    match palette_args::split(input) {
        Some((name, action, arg)) => palette_args::suggestions(s, name, action, arg),
        None => palette::command_suggestions(input),
    }
}

/// Compute the suggestions once per change of the palette line (not on every frame: an
/// argument can be ranked against every device of the tenant).
fn suggest(s: &mut AppState) {
    let Mode::Palette { input, .. } = &s.mode else {
        return;
    };
    if s.palette.for_input.as_ref() == Some(input) {
        return;
    }
    let input = input.clone();
    s.palette.suggestions = compute(s, &input);
    s.palette.for_input = Some(input);
}

/// A key while the palette is open. Tab takes the highlighted suggestion (a command that
/// takes an argument gets its space on a second Tab), ↓ highlights the next one, ↑ the one
/// before and, at the top, steps back through the session's history (↓ comes forward
/// again); Enter runs what is typed, or the highlighted suggestion when that is not a
/// command.
pub(crate) fn on_palette_key(
    s: &mut AppState,
    key: Key,
    mut input: String,
    mut selected: usize,
) -> Vec<Command> {
    let shown = suggestions_for(s, &input).len();
    match key.code {
        KeyCode::Esc => {
            s.palette.recall = None;
            s.mode = Mode::Normal;
            return Vec::new();
        }
        KeyCode::Tab => {
            let picked = suggestions_for(s, &input)
                .get(selected)
                .map(|sug| sug.input.clone());
            if let Some(picked) = picked {
                let takes_arg = palette_args::split(&picked).is_none()
                    && palette::entry(&picked).is_some_and(|(_, a)| a.arg().is_some());
                input = if input.trim() == picked && takes_arg {
                    format!("{picked} ")
                } else {
                    picked
                };
            }
            selected = 0;
            s.palette.recall = None;
        }
        KeyCode::Up if selected > 0 && s.palette.recall.is_none() => selected -= 1,
        KeyCode::Up => {
            if let Some(older) = s.palette.older(&input) {
                input = older;
                selected = 0;
            }
        }
        KeyCode::Down if s.palette.recall.is_some() => {
            if let Some(newer) = s.palette.newer() {
                input = newer;
                selected = 0;
            }
        }
        KeyCode::Down => selected = (selected + 1).min(shown.saturating_sub(1)),
        KeyCode::Backspace => {
            if input.pop().is_none() {
                s.mode = Mode::Normal;
                return Vec::new();
            }
            selected = 0;
            s.palette.recall = None;
        }
        KeyCode::Enter => return run(s, input, selected),
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            input.push(c);
            selected = 0;
            s.palette.recall = None;
        }
        _ => {}
    }
    s.mode = Mode::Palette { input, selected };
    suggest(s);
    Vec::new()
}

/// Enter on the palette line.
fn run(s: &mut AppState, input: String, selected: usize) -> Vec<Command> {
    let highlighted = suggestions_for(s, &input)
        .get(selected)
        .map(|sug| sug.input.clone());
    s.mode = Mode::Normal;
    s.palette.recall = None;
    let typed = input.trim().trim_start_matches(':').trim();
    if typed.is_empty() {
        return Vec::new();
    }
    if let Some((name, action, arg)) = palette_args::split(typed) {
        if arg.is_empty() {
            open_palette(s, format!("{name} "));
            return Vec::new();
        }
        // What is typed when it names a record, else the suggestion highlighted for it.
        let arg = match highlighted.as_deref().and_then(palette_args::split) {
            Some((_, _, picked)) if !palette_args::exact(s, action, arg) => picked.to_string(),
            _ => arg.to_string(),
        };
        s.palette.remember(&format!("{name} {arg}"));
        return palette_args::run(s, action, &arg);
    }
    let word = typed.split_whitespace().next().unwrap_or(typed);
    let chosen = palette::entry(word).or_else(|| highlighted.as_deref().and_then(palette::entry));
    let Some((name, action)) = chosen else {
        let text = match palette::nearest(word) {
            Some(near) => format!("unknown command '{word}' — did you mean '{near}'?"),
            None => format!("unknown command '{word}' (? lists the commands)"),
        };
        return toast(s, text);
    };
    if action.arg().is_some() {
        open_palette(s, format!("{name} "));
        return Vec::new();
    }
    s.palette.remember(name);
    match action {
        PaletteAction::Go(v) => go(s, v),
        PaletteAction::Refresh => refresh(s, true),
        PaletteAction::Help => {
            s.mode = Mode::Help;
            s.help_scroll = 0;
            Vec::new()
        }
        PaletteAction::Audit => vec![Command::ShowAudit],
        PaletteAction::Approvals if !s.team.enabled => toast(
            s,
            "no team store: add a [team] table to the config for four-eyes approvals".into(),
        ),
        PaletteAction::Approvals => {
            let cmds = go(s, crate::app::View::ActionCenter);
            s.pane.insert(crate::app::View::ActionCenter, 2);
            cmds
        }
        PaletteAction::Quit => {
            s.quit = true;
            vec![Command::Quit]
        }
        // Commands with an argument asked for it above.
        PaletteAction::Ctx
        | PaletteAction::Device
        | PaletteAction::Incident
        | PaletteAction::Alert => Vec::new(),
    }
}
