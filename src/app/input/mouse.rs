//! The mouse, when `mouse = true` in the config (off by default, so the terminal's own
//! selection keeps working): the wheel scrolls what is on top, a click selects a table row
//! and a click on the selected row opens it.

pub use crate::app::basic::{Mouse, RowsArea};
use crate::app::input::keymap::Action;
use crate::app::input::perform::{on_action, on_detail_action};
use crate::app::msg::Command;
use crate::app::state::{AppState, Mode};

/// Rows one wheel notch moves.
const WHEEL: usize = 3;

/// Apply a mouse event (nothing unless the config turned the mouse on).
pub(crate) fn on_mouse(s: &mut AppState, m: Mouse) -> Vec<Command> {
    if !s.settings.mouse || s.actions.dialog.is_some() || s.actions.menu.is_some() {
        return Vec::new();
    }
    let step = match m {
        Mouse::ScrollUp => Action::Up,
        Mouse::ScrollDown => Action::Down,
        Mouse::Click(x, y) => return click(s, x, y),
    };
    let mut cmds = Vec::new();
    for _ in 0..WHEEL {
        cmds.extend(match s.mode {
            Mode::Help => {
                let max = crate::app::input::help::max_scroll(s);
                s.help_scroll = if step == Action::Down {
                    (s.help_scroll + 1).min(max)
                } else {
                    s.help_scroll.saturating_sub(1)
                };
                Vec::new()
            }
            Mode::Normal if s.detail.is_some() => on_detail_action(s, step),
            Mode::Normal => on_action(s, step),
            _ => Vec::new(),
        });
    }
    cmds
}

fn click(s: &mut AppState, x: u16, y: u16) -> Vec<Command> {
    if s.mode != Mode::Normal || s.detail.is_some() {
        return Vec::new();
    }
    let Some(a) = s.rows_area else {
        return Vec::new();
    };
    if x < a.x || x >= a.x + a.width || y < a.y || y >= a.y + a.height {
        return Vec::new();
    }
    let index = a.first + usize::from(y - a.y);
    let Some(t) = s.focused_table().and_then(|id| s.tables.get_mut(&id)) else {
        return Vec::new();
    };
    if index >= t.view.len() {
        return Vec::new();
    }
    if t.selected == index {
        return on_action(s, Action::Open);
    }
    t.selected = index;
    Vec::new()
}
