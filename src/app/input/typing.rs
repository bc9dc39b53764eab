//! Keys while typing: the filter line and the `:` command palette.

use crate::app::input::keymap::{Key, KeyCode};
use crate::app::input::palette::{self, PaletteAction};
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

/// A key while the palette is open.
pub(crate) fn on_palette_key(
    s: &mut AppState,
    key: Key,
    mut input: String,
    mut selected: usize,
) -> Vec<Command> {
    match key.code {
        KeyCode::Esc => {
            s.mode = Mode::Normal;
            return Vec::new();
        }
        KeyCode::Tab => {
            input = match ctx_arg(&input) {
                Some(arg) => format!("ctx {}", crate::app::data::tenants::complete_ctx(s, arg)),
                None if input.trim() == "ctx" => "ctx ".into(),
                None => palette::complete(&input),
            };
            selected = 0;
        }
        KeyCode::Up => selected = selected.saturating_sub(1),
        KeyCode::Down => selected += 1,
        KeyCode::Backspace => {
            if input.pop().is_none() {
                s.mode = Mode::Normal;
                return Vec::new();
            }
            selected = 0;
        }
        KeyCode::Enter => {
            if let Some(name) = device_arg(&input) {
                s.mode = Mode::Normal;
                let name = name.to_string();
                return crate::app::pages::picker::find(s, &name);
            }
            if let Some(arg) = ctx_arg(&input) {
                s.mode = Mode::Normal;
                let name = arg.to_string();
                return crate::app::data::tenants::switch_to(s, &name);
            }
            let cands = palette::candidates(&input);
            let exact = cands.iter().find(|(n, _)| *n == input.trim());
            let chosen = exact.or_else(|| cands.get(selected.min(cands.len().saturating_sub(1))));
            s.mode = Mode::Normal;
            return match chosen.map(|(_, a)| *a) {
                Some(PaletteAction::Go(v)) => go(s, v),
                Some(PaletteAction::Refresh) => refresh(s, true),
                Some(PaletteAction::Help) => {
                    s.mode = Mode::Help;
                    s.help_scroll = 0;
                    Vec::new()
                }
                Some(PaletteAction::Audit) => vec![Command::ShowAudit],
                Some(PaletteAction::Approvals) if !s.team.enabled => toast(
                    s,
                    "no team store: add a [team] table to the config for four-eyes approvals"
                        .into(),
                ),
                Some(PaletteAction::Approvals) => {
                    let cmds = go(s, crate::app::View::ActionCenter);
                    s.pane.insert(crate::app::View::ActionCenter, 2);
                    cmds
                }
                Some(PaletteAction::Device) => {
                    s.mode = Mode::Palette {
                        input: "find ".into(),
                        selected: 0,
                    };
                    Vec::new()
                }
                Some(PaletteAction::Ctx) => {
                    s.mode = Mode::Palette {
                        input: "ctx ".into(),
                        selected: 0,
                    };
                    Vec::new()
                }
                Some(PaletteAction::Quit) => {
                    s.quit = true;
                    vec![Command::Quit]
                }
                None => toast(s, format!("no command `{input}`")),
            };
        }
        KeyCode::Char(c) if !key.ctrl && !key.alt => {
            input.push(c);
            selected = 0;
        }
        _ => {}
    }
    let n = palette::candidates(&input).len();
    selected = selected.min(n.saturating_sub(1));
    s.mode = Mode::Palette { input, selected };
    Vec::new()
}

/// The argument of `find NAME` (`None` for other commands).
fn device_arg(input: &str) -> Option<&str> {
    input
        .trim_start()
        .trim_start_matches(':')
        .strip_prefix("find ")
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

/// The argument of `ctx NAME` (`None` for other commands).
fn ctx_arg(input: &str) -> Option<&str> {
    input
        .trim_start()
        .trim_start_matches(':')
        .strip_prefix("ctx ")
        .map(str::trim_start)
}
