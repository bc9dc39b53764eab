//! What each keymap action does: in the normal mode and in a details panel.

use crate::app::data::checklist::{self, period_key};
use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::state::{AppState, Mode, TableId};
use crate::app::steps::{go, refresh, toast};
use crate::app::tables::columns;
use crate::app::view::{Cadence, View};
use crate::app::{data::derive, pages::detail, pages::nav};

/// An action while a details panel is open.
pub(crate) fn on_detail_action(s: &mut AppState, action: Action) -> Vec<Command> {
    if let Some(cmds) = crate::app::actions::form::on_dry_run_action(s, action) {
        return cmds;
    }
    if let Some(cmds) = crate::app::pages::working::on_action(s, action) {
        return cmds;
    }
    let page = s.page_rows();
    let Some(d) = s.detail.as_mut() else {
        return Vec::new();
    };
    let max = d.lines.len().saturating_sub(1);
    match action {
        Action::Back | Action::Open => {
            s.detail = None;
            s.detail_id = None;
        }
        Action::Down => d.scroll = (d.scroll + 1).min(max),
        Action::Up => d.scroll = d.scroll.saturating_sub(1),
        Action::PageDown => d.scroll = (d.scroll + page).min(max),
        Action::PageUp => d.scroll = d.scroll.saturating_sub(page),
        Action::HalfPageDown => d.scroll = (d.scroll + page / 2).min(max),
        Action::HalfPageUp => d.scroll = d.scroll.saturating_sub(page / 2),
        Action::Top => d.scroll = 0,
        Action::Bottom => d.scroll = max,
        Action::Copy => {
            // The record's id; a panel not opened from a row (a dry run, a results page)
            // has none, and its text is what to keep.
            let text = s.detail_id.clone().unwrap_or_else(|| d.lines.join("\n"));
            return copy(s, text);
        }
        Action::CopyLink => {
            return match d.link.clone() {
                Some(link) => copy(s, link),
                None => toast(s, "no portal link here".into()),
            };
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
        Action::Help => {
            s.mode = Mode::Help;
            s.help_scroll = 0;
        }
        _ => {}
    }
    Vec::new()
}

fn copy(s: &mut AppState, text: String) -> Vec<Command> {
    let mut cmds = toast(s, format!("copied {text}"));
    cmds.insert(0, Command::CopyToClipboard(text));
    cmds
}

/// An action in the normal mode.
pub(crate) fn on_action(s: &mut AppState, action: Action) -> Vec<Command> {
    let page = s.page_rows();
    let cadence = s.cadence();
    match action {
        Action::Quit => {
            s.quit = true;
            return vec![Command::Quit];
        }
        Action::Help => {
            s.mode = Mode::Help;
            s.help_scroll = 0;
        }
        Action::Cadence1 => return nav::home(s, Cadence::Daily),
        Action::Cadence2 => return nav::home(s, Cadence::Weekly),
        Action::Cadence3 => return nav::home(s, Cadence::Monthly),
        Action::Cadence4 => return nav::home(s, Cadence::AsNeeded),
        Action::NextView | Action::PrevView => {
            let views = cadence.views();
            let i = views.iter().position(|v| *v == s.view).unwrap_or(0);
            let n = views.len();
            let j = if action == Action::NextView {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            return nav::sideways(s, views[j]);
        }
        Action::Left | Action::Right => {
            // The Team approvals pane exists when a team store is configured.
            let team = s.view == View::ActionCenter && s.team.enabled;
            let n = columns::panes(s.view) + usize::from(team);
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
        | Action::HalfPageUp
        | Action::HalfPageDown
        | Action::Top
        | Action::Bottom => move_selection(s, action, page),
        Action::Open => return open(s),
        Action::Back => {
            if let Some(t) = s.focused_table().and_then(|id| s.tables.get_mut(&id))
                && !t.filter.is_empty()
            {
                t.set_filter("");
            } else if let Some(cmds) = nav::back(s) {
                return cmds;
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
        Action::Palette => crate::app::input::typing::open_palette(s, String::new()),
        Action::Refresh => return refresh(s, true),
        Action::Copy => {
            if let Some(row) = selected(s) {
                let id = row.id.clone();
                return copy(s, id);
            }
        }
        Action::CopyLink => {
            let link = match selected(s) {
                Some(row) => row.link.clone(),
                None => Some(derive::view_link(s)),
            };
            return match link {
                Some(link) => copy(s, link),
                None => toast(s, "this row has no portal link".into()),
            };
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
        Action::Export => {
            if s.focused_table().is_some() {
                s.export_prompt = true;
            } else {
                return toast(s, "nothing to export on this screen".into());
            }
        }
        Action::ToggleDone => {
            if let View::Checklist(c) = s.view {
                let tasks = checklist::tasks(c);
                if let Some(task) = tasks.get(s.checklist_selected(c)) {
                    let period = period_key(c, s.now, s.settings.offset);
                    s.checklist.toggle(&period, task.id);
                    return vec![Command::SaveChecklist {
                        json: s.checklist.to_json(),
                    }];
                }
            }
        }
        Action::AllIncidents => {
            if s.focused_table() == Some(TableId::Incidents) {
                crate::app::data::scope::toggle_all_incidents(s);
            }
        }
        // Handled by `actions::on_key` before the keymap reaches here.
        crate::app::input::keymap::write_actions!() => {}
    }
    Vec::new()
}

fn move_selection(s: &mut AppState, action: Action, page: usize) {
    if s.view == View::Reports {
        // The boxes scroll by lines when they are taller than the screen.
        let max = crate::app::data::panels::reports_scroll_max(s);
        let cur = s.reports_scroll.min(max);
        s.reports_scroll = match action {
            Action::Up => cur.saturating_sub(1),
            Action::Down => cur + 1,
            Action::PageUp => cur.saturating_sub(page),
            Action::PageDown => cur + page,
            Action::HalfPageUp => cur.saturating_sub((page / 2).max(1)),
            Action::HalfPageDown => cur + (page / 2).max(1),
            Action::Top => 0,
            _ => max,
        }
        .min(max);
        return;
    }
    let page = page as isize;
    if let View::Checklist(c) = s.view {
        let n = checklist::tasks(c).len();
        let cur = s.checklist_selected(c) as isize;
        let next = match action {
            Action::Up => cur - 1,
            Action::Down => cur + 1,
            Action::PageUp | Action::HalfPageUp | Action::Top => 0,
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
        Action::HalfPageUp => t.move_by(-(page / 2).max(1)),
        Action::HalfPageDown => t.move_by((page / 2).max(1)),
        Action::Top => t.jump(false),
        _ => t.jump(true),
    }
    t.scroll_to_selection(page as usize);
}

fn selected(s: &AppState) -> Option<crate::app::tables::table::Row> {
    s.focused_table()
        .and_then(|id| s.table(id))
        .and_then(|t| t.selected_row())
}

fn open(s: &mut AppState) -> Vec<Command> {
    if let View::Checklist(c) = s.view {
        if let Some(task) = checklist::tasks(c).get(s.checklist_selected(c)) {
            let view = task.view;
            if task.id == "remediation" {
                s.pane.insert(View::DeviceScore, 1);
            }
            let cmds = go(s, view);
            // The view shows exactly what the task's figure counted.
            if let Some((scope, table)) = crate::app::data::scope::Scope::of_task(c, task.id) {
                if table == TableId::ActionsPending {
                    s.pane.insert(View::ActionCenter, 0);
                }
                crate::app::data::scope::apply(s, table, scope);
            }
            return cmds;
        }
        return Vec::new();
    }
    let Some(id) = s.focused_table() else {
        return Vec::new();
    };
    let Some(row) = s.table(id).and_then(|t| t.selected_row()) else {
        return Vec::new();
    };
    match detail::open(s, id, &row) {
        detail::Opened::Panel(d) => {
            s.detail = Some(d);
            s.detail_id = Some(row.id.clone());
            crate::app::tables::since::opened(s, &row.id);
            crate::app::pages::extra::wanted(s)
        }
        detail::Opened::Link(link) => {
            let mut cmds = copy(s, link.clone());
            cmds.push(Command::OpenUrl(link));
            cmds
        }
        detail::Opened::Nothing => Vec::new(),
    }
}
