//! `update`: the one place console state changes. Pure: no IO, no clock (time arrives in
//! messages); effects leave as `Command`s.

use std::time::Duration;

use crate::app::checklist::{self, period_key};
use crate::app::keymap::{Action, Key, KeyCode};
use crate::app::msg::{Command, LoadError, Msg};
use crate::app::palette::{self, PaletteAction};
use crate::app::state::{AppState, ErrorEntry, Mode, Toast};
use crate::app::tables;
use crate::app::view::{Cadence, ResourceKind, View};
use crate::app::{derive, detail};

/// How long a toast stays.
pub const TOAST_TTL: Duration = Duration::from_secs(4);

/// The first commands: load what the first screen shows, then the other checklists' figures.
pub fn start(s: &mut AppState) -> Vec<Command> {
    derive::rebuild_static(s);
    let mut cmds = Vec::new();
    for c in Cadence::ALL {
        for k in View::Checklist(c).resources() {
            cmds.extend(load(s, *k, false));
        }
    }
    crate::app::figures::compute(s);
    cmds
}

/// Apply one message.
pub fn update(s: &mut AppState, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Tick(now) => {
            s.now = now;
            Vec::new()
        }
        Msg::Resize(w, h) => {
            s.size = (w, h);
            Vec::new()
        }
        Msg::Key(key) => on_key(s, key),
        Msg::Loaded { id, at, payload } => {
            let kind = payload.kind();
            if s.data.finish(id, *payload, at) {
                derive::rebuild(s, kind);
            }
            Vec::new()
        }
        Msg::LoadFailed {
            id,
            at,
            kind,
            error,
        } => {
            if s.data.fail(kind, id, error.clone()) {
                push_error(s, at, format!("load {}", kind.label()), error);
                crate::app::figures::compute(s);
            }
            Vec::new()
        }
        Msg::RefreshDue => refresh(s, false),
        Msg::ToastExpired(id) => {
            s.toasts.retain(|t| t.id != id);
            Vec::new()
        }
        Msg::Toast(text) => toast(s, text),
        Msg::Budget { used, per_minute } => {
            s.budget = Some((used, per_minute));
            Vec::new()
        }
    }
}

/// Record an error for the `:errors` view and the status line.
pub fn push_error(
    s: &mut AppState,
    at: chrono::DateTime<chrono::Utc>,
    what: String,
    error: LoadError,
) {
    s.errors.push(ErrorEntry { at, what, error });
    if s.errors.len() > 200 {
        s.errors.remove(0);
    }
    derive::rebuild_errors(s);
}

fn toast(s: &mut AppState, text: String) -> Vec<Command> {
    let id = s.next_toast;
    s.next_toast += 1;
    s.toasts.push(Toast { id, text });
    if s.toasts.len() > 3 {
        s.toasts.remove(0);
    }
    vec![Command::ExpireToast {
        id,
        after: TOAST_TTL,
    }]
}

/// Load a resource unless a request is in flight; `force` ignores freshness.
fn load(s: &mut AppState, kind: ResourceKind, force: bool) -> Option<Command> {
    if s.data.pending(kind).is_some() {
        return None;
    }
    let fresh = s
        .data
        .at(kind)
        .is_some_and(|at| (s.now - at).to_std().unwrap_or_default() < s.settings.refresh_interval);
    if fresh && !force {
        return None;
    }
    let id = s.next_request;
    s.next_request += 1;
    s.data.start(kind, id);
    Some(Command::Load(kind, id))
}

fn refresh(s: &mut AppState, force: bool) -> Vec<Command> {
    let kinds = s.view.resources();
    kinds.iter().filter_map(|k| load(s, *k, force)).collect()
}

fn go(s: &mut AppState, view: View) -> Vec<Command> {
    s.view = view;
    s.detail = None;
    if s.mode != Mode::Help {
        s.mode = Mode::Normal;
    }
    refresh(s, false)
}

fn on_key(s: &mut AppState, key: Key) -> Vec<Command> {
    if key == Key::ctrl('c') {
        s.quit = true;
        return vec![Command::Quit];
    }
    match s.mode.clone() {
        Mode::Filter => return on_filter_key(s, key),
        Mode::Palette { input, selected } => return on_palette_key(s, key, input, selected),
        Mode::Help => {
            if matches!(
                s.keymap.action(key),
                Some(Action::Help | Action::Back | Action::Quit)
            ) {
                s.mode = Mode::Normal;
            }
            return Vec::new();
        }
        Mode::Normal => {}
    }
    let Some(action) = s.keymap.action(key) else {
        return Vec::new();
    };
    if s.detail.is_some() {
        return on_detail_action(s, action);
    }
    on_action(s, action)
}

fn on_detail_action(s: &mut AppState, action: Action) -> Vec<Command> {
    let page = s.page_rows();
    let Some(d) = s.detail.as_mut() else {
        return Vec::new();
    };
    let max = d.lines.len().saturating_sub(1);
    match action {
        Action::Back | Action::Open => s.detail = None,
        Action::Down => d.scroll = (d.scroll + 1).min(max),
        Action::Up => d.scroll = d.scroll.saturating_sub(1),
        Action::PageDown => d.scroll = (d.scroll + page).min(max),
        Action::PageUp => d.scroll = d.scroll.saturating_sub(page),
        Action::Top => d.scroll = 0,
        Action::Bottom => d.scroll = max,
        Action::Copy => {
            let text = d.link.clone().unwrap_or_else(|| d.title.clone());
            return copy(s, text);
        }
        Action::OpenPortal => {
            if let Some(link) = d.link.clone() {
                return vec![Command::OpenUrl(link)];
            }
        }
        Action::Quit => {
            s.quit = true;
            return vec![Command::Quit];
        }
        Action::Help => s.mode = Mode::Help,
        _ => {}
    }
    Vec::new()
}

fn copy(s: &mut AppState, text: String) -> Vec<Command> {
    let mut cmds = toast(s, format!("copied {text}"));
    cmds.insert(0, Command::CopyToClipboard(text));
    cmds
}

fn on_action(s: &mut AppState, action: Action) -> Vec<Command> {
    let page = s.page_rows();
    let cadence = s.cadence();
    match action {
        Action::Quit => {
            s.quit = true;
            return vec![Command::Quit];
        }
        Action::Help => s.mode = Mode::Help,
        Action::Cadence1 => return go(s, View::Checklist(Cadence::Daily)),
        Action::Cadence2 => return go(s, View::Checklist(Cadence::Weekly)),
        Action::Cadence3 => return go(s, View::Checklist(Cadence::Monthly)),
        Action::Cadence4 => return go(s, View::Checklist(Cadence::AsNeeded)),
        Action::NextView | Action::PrevView => {
            let views = cadence.views();
            let i = views.iter().position(|v| *v == s.view).unwrap_or(0);
            let n = views.len();
            let j = if action == Action::NextView {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            return go(s, views[j]);
        }
        Action::Left | Action::Right => {
            let n = tables::panes(s.view);
            if n > 1 {
                let p = s.pane();
                let p = if action == Action::Right {
                    (p + 1) % n
                } else {
                    (p + n - 1) % n
                };
                s.pane.insert(s.view, p);
            }
        }
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => move_selection(s, action, page),
        Action::Open => return open(s),
        Action::Back => {
            if let Some(t) = s.focused_table().and_then(|id| s.tables.get_mut(&id))
                && !t.filter.is_empty()
            {
                t.set_filter("");
            } else if !matches!(s.view, View::Checklist(_)) {
                return go(s, View::Checklist(cadence));
            }
        }
        Action::Filter => {
            if s.focused_table().is_some() {
                s.mode = Mode::Filter;
            }
        }
        Action::Sort | Action::SortReverse => {
            if let Some(t) = s.focused_table().and_then(|id| s.tables.get_mut(&id)) {
                if action == Action::Sort {
                    t.cycle_sort()
                } else {
                    t.reverse_sort()
                }
            }
        }
        Action::Palette => {
            s.mode = Mode::Palette {
                input: String::new(),
                selected: 0,
            }
        }
        Action::Refresh => return refresh(s, true),
        Action::Copy => {
            if let Some(text) = selected_link_or_id(s) {
                return copy(s, text);
            }
        }
        Action::OpenPortal => {
            let link = s
                .focused_table()
                .and_then(|id| s.table(id))
                .and_then(|t| t.selected_row())
                .and_then(|r| r.link.clone())
                .unwrap_or_else(|| derive::view_link(s));
            return vec![Command::OpenUrl(link)];
        }
        Action::ToggleDone => {
            if let View::Checklist(c) = s.view {
                let tasks = checklist::tasks(c);
                if let Some(task) = tasks.get(s.checklist_selected(c)) {
                    let period = period_key(c, s.now, s.settings.offset);
                    s.checklist.toggle(&period, task.id);
                    return vec![Command::SaveChecklist];
                }
            }
        }
    }
    Vec::new()
}

fn move_selection(s: &mut AppState, action: Action, page: usize) {
    let page = page as isize;
    if let View::Checklist(c) = s.view {
        let n = checklist::tasks(c).len();
        let cur = s.checklist_selected(c) as isize;
        let next = match action {
            Action::Up => cur - 1,
            Action::Down => cur + 1,
            Action::PageUp | Action::Top => 0,
            _ => n as isize - 1,
        };
        s.checklist_selected
            .insert(c, next.clamp(0, n as isize - 1) as usize);
        return;
    }
    let Some(t) = s.focused_table().and_then(|id| s.tables.get_mut(&id)) else {
        return;
    };
    match action {
        Action::Up => t.move_by(-1),
        Action::Down => t.move_by(1),
        Action::PageUp => t.move_by(-page),
        Action::PageDown => t.move_by(page),
        Action::Top => t.jump(false),
        _ => t.jump(true),
    }
    t.scroll_to_selection(page as usize);
}

fn selected_link_or_id(s: &AppState) -> Option<String> {
    let row = s
        .focused_table()
        .and_then(|id| s.table(id))
        .and_then(|t| t.selected_row())?;
    Some(row.link.clone().unwrap_or_else(|| row.id.clone()))
}

fn open(s: &mut AppState) -> Vec<Command> {
    if let View::Checklist(c) = s.view {
        if let Some(task) = checklist::tasks(c).get(s.checklist_selected(c)) {
            let view = task.view;
            if task.id == "remediation" {
                s.pane.insert(View::DeviceScore, 1);
            }
            return go(s, view);
        }
        return Vec::new();
    }
    let Some(id) = s.focused_table() else {
        return Vec::new();
    };
    let Some(row) = s.table(id).and_then(|t| t.selected_row()).cloned() else {
        return Vec::new();
    };
    match detail::open(s, id, &row) {
        detail::Opened::Panel(d) => {
            s.detail = Some(d);
            Vec::new()
        }
        detail::Opened::Link(link) => {
            let mut cmds = copy(s, link.clone());
            cmds.push(Command::OpenUrl(link));
            cmds
        }
        detail::Opened::Nothing => Vec::new(),
    }
}

fn on_filter_key(s: &mut AppState, key: Key) -> Vec<Command> {
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

fn on_palette_key(
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
            input = palette::complete(&input);
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
            let cands = palette::candidates(&input);
            let exact = cands.iter().find(|(n, _)| *n == input.trim());
            let chosen = exact.or_else(|| cands.get(selected.min(cands.len().saturating_sub(1))));
            s.mode = Mode::Normal;
            return match chosen.map(|(_, a)| *a) {
                Some(PaletteAction::Go(v)) => go(s, v),
                Some(PaletteAction::Refresh) => refresh(s, true),
                Some(PaletteAction::Help) => {
                    s.mode = Mode::Help;
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
