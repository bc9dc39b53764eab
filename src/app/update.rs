//! `update`: the one place console state changes. Pure: no IO, no clock (time arrives in
//! messages); effects leave as `Command`s.

use std::time::Duration;

use crate::app::data::derive;
use crate::app::input::keymap::{Action, Key, KeyCode};
use crate::app::input::perform::{on_action, on_detail_action};
use crate::app::input::typing::{on_filter_key, on_palette_key};
use crate::app::msg::{Command, LoadError, Msg};
use crate::app::state::{AppState, ErrorEntry, Mode, Toast};
use crate::app::view::{Cadence, ResourceKind, View};

/// The toast of an action key offline.
pub const OFFLINE_ACTION: &str = "offline: response actions are off; nothing was sent";
/// The toast of a refresh offline.
pub const OFFLINE_REFRESH: &str = "offline: nothing to refresh (data from the cache)";

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
    crate::app::data::figures::compute(s);
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
        // The runtime leaves on this message before it reaches `update`.
        Msg::InputLost(_) => Vec::new(),
        Msg::Drawn(rows) => {
            s.rows_area = rows;
            // Keep the scroll position the frame showed, with the height it really had.
            if let Some(a) = rows
                && let Some(id) = s.focused_table()
                && let Some(t) = s.tables.get_mut(&id)
            {
                t.scroll_to_selection(usize::from(a.height));
            }
            Vec::new()
        }
        Msg::Key(key) => on_key(s, key),
        Msg::Mouse(m) => crate::app::input::mouse::on_mouse(s, m),
        Msg::Loaded { id, at, payload } => {
            let kind = payload.kind();
            if s.data.finish(id, *payload, at) {
                derive::rebuild(s, kind);
                crate::app::data::scope::refresh(s);
                crate::app::actions::center::apply_marks(s);
                crate::app::tables::marks::apply(s);
                crate::app::actions::triage::after_load(s, kind);
                crate::app::pages::working::refresh(s);
                let mut cmds = crate::app::actions::track::after_load(s, kind);
                cmds.extend(crate::app::tables::since::after_load(s));
                return cmds;
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
                crate::app::data::figures::compute(s);
                let mut cmds = crate::app::actions::track::after_load(s, kind);
                cmds.extend(crate::app::tables::since::after_load(s));
                return cmds;
            }
            Vec::new()
        }
        Msg::RecordsSkipped { at, kind, summary } => {
            // The view keeps the records that were read; `:errors` says what was left out.
            let error = LoadError {
                text: summary,
                code: None,
                correlation_id: None,
            };
            push_error(s, at, format!("load {}", kind.label()), error);
            Vec::new()
        }
        Msg::RefreshDue if s.settings.offline => Vec::new(),
        Msg::RefreshDue => refresh(s, false),
        Msg::ToastExpired(id) => {
            s.toasts.retain(|t| t.id != id);
            Vec::new()
        }
        Msg::Toast(text) => toast(s, text),
        Msg::TeamQueue { me, result } => {
            crate::app::actions::approvals::on_queue(s, me, result);
            Vec::new()
        }
        Msg::Budget { used, per_minute } => {
            s.budget = Some((used, per_minute));
            Vec::new()
        }
        Msg::TriageRechecked { ticket, result } => {
            crate::app::actions::recheck::on_rechecked(s, ticket, result)
        }
        Msg::ActionSent { ticket, result } => crate::app::actions::on_sent(s, ticket, result),
        Msg::ActionProgress { id, status } => crate::app::actions::on_progress(s, id, status),
        Msg::TrackingStopped { id, error, gone } => {
            crate::app::actions::track::on_stopped(s, id, error, gone)
        }
        Msg::ShowText { title, lines } => {
            // Live-response output and file names come from the endpoint.
            let lines = lines
                .iter()
                .map(|l| crate::text::line(l).into_owned())
                .collect();
            s.detail = Some(crate::app::state::Detail {
                title: crate::text::line(&title).into_owned(),
                lines,
                link: None,
                scroll: 0,
                ..Default::default()
            });
            Vec::new()
        }
        Msg::LibraryFiles(names) => {
            s.actions.library = names;
            Vec::new()
        }
        Msg::IndicatorChecked { value, result } => {
            crate::app::actions::indicators::on_checked(s, &value, result)
        }
        Msg::TenantSummary {
            round,
            index,
            result,
        } => {
            crate::app::data::tenants::on_summary(s, round, index, result);
            Vec::new()
        }
        Msg::TenantRestored {
            profile,
            marks,
            previous,
            tracked,
        } => crate::app::data::tenants::restored(s, profile, marks, previous, tracked),
    }
}

/// Record an error for the `:errors` view and the status line.
pub fn push_error(
    s: &mut AppState,
    at: chrono::DateTime<chrono::Utc>,
    what: String,
    error: LoadError,
) {
    // The same failure again (a refresh every minute against a dead host) is one entry with
    // a count and the newest time and correlation id, not a page of copies.
    let error = LoadError {
        text: crate::text::line(&error.text).into_owned(),
        ..error
    };
    let same = s
        .errors
        .iter()
        .position(|e| e.what == what && e.error.text == error.text && e.error.code == error.code);
    let count = match same {
        Some(i) => s.errors.remove(i).count.saturating_add(1),
        None => 1,
    };
    s.errors.push(ErrorEntry {
        at,
        what,
        error,
        count,
    });
    if s.errors.len() > 200 {
        s.errors.remove(0);
    }
    derive::rebuild_errors(s);
}

pub(crate) fn toast(s: &mut AppState, text: String) -> Vec<Command> {
    let id = s.next_toast;
    s.next_toast += 1;
    // Toasts quote device names and servers' messages.
    let text = crate::text::line(&text).into_owned();
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
pub(crate) fn load(s: &mut AppState, kind: ResourceKind, force: bool) -> Option<Command> {
    if s.data.pending(kind).is_some() {
        return None;
    }
    // Offline, the cache does not change: what was read (or missing) once stays.
    if s.settings.offline && (s.data.at(kind).is_some() || s.data.error(kind).is_some()) {
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

pub(crate) fn refresh(s: &mut AppState, force: bool) -> Vec<Command> {
    if force && s.settings.offline {
        return toast(s, OFFLINE_REFRESH.into());
    }
    if force && s.view == View::Tenants {
        return crate::app::data::tenants::load_all(s);
    }
    let kinds = s.view.resources();
    kinds.iter().filter_map(|k| load(s, *k, force)).collect()
}

/// Open `view` from here (it goes on the back stack; see `nav`).
pub(crate) fn go(s: &mut AppState, view: View) -> Vec<Command> {
    crate::app::pages::nav::go(s, view)
}

/// Put `view` on screen, the back stack untouched (`nav` decides what it holds).
pub(crate) fn show(s: &mut AppState, view: View) -> Vec<Command> {
    s.view = view;
    s.detail = None;
    s.detail_id = None;
    s.detail_back.clear();
    crate::app::data::scope::clear(s);
    if s.mode != Mode::Help {
        s.mode = Mode::Normal;
    }
    if view == View::Tenants {
        return crate::app::data::tenants::on_enter(s);
    }
    refresh(s, false)
}

fn on_key(s: &mut AppState, key: Key) -> Vec<Command> {
    // An open device picker takes every key (ctrl-c and Esc close it) until one is chosen.
    if let Some(cmds) = crate::app::pages::picker::on_key(s, key) {
        return cmds;
    }
    if key == Key::ctrl('c') {
        // Inside a form, a menu or a prompt ctrl-c cancels that, not the app.
        if s.actions.dialog.is_some() {
            crate::app::actions::form::cancel(s);
            return Vec::new();
        }
        if s.actions.menu.take().is_some() || s.export_prompt {
            s.export_prompt = false;
            return Vec::new();
        }
        match s.mode {
            Mode::Filter => return on_filter_key(s, Key::plain(KeyCode::Esc)),
            Mode::Palette { .. } => {
                s.mode = Mode::Normal;
                return Vec::new();
            }
            _ => {}
        }
        s.quit = true;
        return vec![Command::Quit];
    }
    if s.export_prompt {
        return crate::app::export::on_prompt_key(s, key);
    }
    if let Some(cmds) = offline_refusal(s, key) {
        return cmds;
    }
    if let Some(cmds) = crate::app::actions::approvals::on_key(s, key) {
        return cmds;
    }
    if let Some(cmds) = crate::app::actions::on_key(s, key) {
        return cmds;
    }
    match s.mode.clone() {
        Mode::Filter => return on_filter_key(s, key),
        Mode::Palette { input, selected } => return on_palette_key(s, key, input, selected),
        Mode::Help => {
            let max = crate::app::input::help::max_scroll(s);
            match s.keymap.action(key) {
                Some(Action::Help | Action::Back | Action::Quit) => s.mode = Mode::Normal,
                Some(Action::Down) => s.help_scroll = (s.help_scroll + 1).min(max),
                Some(Action::Up) => s.help_scroll = s.help_scroll.saturating_sub(1),
                Some(Action::PageDown | Action::Bottom) => s.help_scroll = max,
                Some(Action::PageUp | Action::Top) => s.help_scroll = 0,
                _ => {}
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
    if s.view == View::Tenants
        && let Some(cmds) = crate::app::data::tenants::on_action(s, action)
    {
        return cmds;
    }
    on_action(s, action)
}

/// Offline, every action key (on a row, in the Action center) is refused with one toast.
fn offline_refusal(s: &mut AppState, key: Key) -> Option<Vec<Command>> {
    if !s.settings.offline || s.mode != Mode::Normal || s.detail.is_some() {
        return None;
    }
    let action = s.keymap.action(key)?;
    let center_write = s.view == View::ActionCenter && action == Action::ToggleDone;
    (action.is_write() || center_write).then(|| toast(s, OFFLINE_ACTION.into()))
}
