//! The small steps every handler takes: show a toast, record an error for `:errors`, load or
//! refresh a resource (unless one is in flight or still fresh), and go to or show a view.
//! Pure, like `update`: each returns the commands it needs.

use std::time::Duration;

use crate::app::data::derive;
use crate::app::msg::{Command, LoadError};
use crate::app::state::{AppState, ErrorEntry, Mode, Toast};
use crate::app::view::{ResourceKind, View};

/// The toast of an action key offline.
pub(crate) const OFFLINE_ACTION: &str = "offline: response actions are off; nothing was sent";
/// The toast of a refresh offline.
pub(crate) const OFFLINE_REFRESH: &str = "offline: nothing to refresh (data from the cache)";

/// How long a toast stays.
pub(crate) const TOAST_TTL: Duration = Duration::from_secs(4);

/// Record an error for the `:errors` view and the status line.
pub(crate) fn push_error(
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
    let (count, first) = match same {
        Some(i) => {
            let e = s.errors.remove(i);
            (e.count.saturating_add(1), e.first.min(at))
        }
        None => (1, at),
    };
    s.errors.push(ErrorEntry {
        at,
        first,
        what,
        error,
        count,
    });
    if s.errors.len() > 200 {
        s.errors.remove(0);
    }
    derive::rebuild_errors(s);
}

pub fn toast(s: &mut AppState, text: String) -> Vec<Command> {
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
pub fn load(s: &mut AppState, kind: ResourceKind, force: bool) -> Option<Command> {
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

pub fn refresh(s: &mut AppState, force: bool) -> Vec<Command> {
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
pub fn go(s: &mut AppState, view: View) -> Vec<Command> {
    crate::app::pages::nav::go(s, view)
}

/// Put `view` on screen, the back stack untouched (`nav` decides what it holds).
pub fn show(s: &mut AppState, view: View) -> Vec<Command> {
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
