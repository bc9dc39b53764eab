//! `update`: the one place console state changes. Pure: no IO, no clock (time arrives in
//! messages); effects leave as `Command`s.

use crate::app::data::derive;
use crate::app::input::keymap::{Action, Key, KeyCode};
use crate::app::input::perform::{on_action, on_detail_action};
use crate::app::input::typing::{on_filter_key, on_palette_key};
use crate::app::msg::{Command, LoadError, Msg};
use crate::app::state::{AppState, Mode};
use crate::app::steps::{OFFLINE_ACTION, load, push_error, refresh, toast};
use crate::app::view::{Cadence, View};

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
        Msg::PageLoaded { id, result } => {
            crate::app::pages::extra::loaded(s, id, result);
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
    if let Some(cmds) = crate::app::input::help::on_key(s, key) {
        return cmds;
    }
    if let Some(cmds) = crate::app::actions::on_key(s, key) {
        return cmds;
    }
    match s.mode.clone() {
        Mode::Filter => return on_filter_key(s, key),
        Mode::Palette { input, selected } => return on_palette_key(s, key, input, selected),
        Mode::Normal | Mode::Help => {}
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
