//! The life of a confirmation form around its keys: it opens with the comment typed the last
//! time the same form was left unsent in this session, it remembers that comment when it is
//! cancelled (Esc, ctrl-c), and a dry run returns to it with the input intact (enter sends,
//! esc edits).

use crate::app::actions::{FieldId, FieldKind, OpenDialog};
use crate::app::input::keymap::{Action, Key, KeyCode};
use crate::app::msg::Command;
use crate::app::state::AppState;

/// The form's identity: its title and what it targets.
fn key_of(open: &OpenDialog) -> String {
    format!(
        "{}\u{1f}{}",
        open.dialog.title,
        open.dialog.targets.join("\u{1f}")
    )
}

/// Put a form on screen, with the comment left in the same form earlier this session.
pub fn open(s: &mut AppState, mut open: OpenDialog) {
    if let Some(kept) = s.actions.comments.get(&key_of(&open)) {
        // The comment is the field a reopened form keeps.
        if let Some(f) = open.dialog.field_mut(FieldId::Comment)
            && let FieldKind::Text(t) = &mut f.kind
            && t.is_empty()
        {
            *t = kept.clone();
        }
    }
    s.actions.dialog = Some(open);
}

/// Close the form without sending: its comment is kept for the next time it opens.
pub fn cancel(s: &mut AppState) {
    if let Some(open) = s.actions.dialog.take() {
        let comment = open.dialog.value(FieldId::Comment);
        if comment.trim().is_empty() {
            s.actions.comments.remove(&key_of(&open));
        } else {
            s.actions.comments.insert(key_of(&open), comment);
        }
    }
}

/// The form was sent: nothing of it is kept.
pub fn sent(s: &mut AppState, open: &OpenDialog) {
    s.actions.comments.remove(&key_of(open));
}

/// A dry run of the form left with `ticket`: it comes back when the result is closed.
pub fn dry_run(s: &mut AppState, ticket: u64, open: OpenDialog) {
    s.actions.dry_run = Some((ticket, open));
}

/// The answer to `ticket` was not a dry-run page (refused, failed): the form returns at once.
pub(crate) fn dry_run_ended(s: &mut AppState, ticket: u64) {
    if s.actions
        .dry_run
        .as_ref()
        .is_some_and(|(t, _)| *t == ticket)
        && let Some((_, open)) = s.actions.dry_run.take()
    {
        s.actions.dialog = Some(open);
    }
}

/// Whether the detail on screen is a dry run's page with its form waiting behind it.
pub fn waiting(s: &AppState) -> bool {
    s.detail.is_some() && s.actions.dry_run.is_some()
}

/// A key on a dry run's page: enter sends the form as it was, esc returns to it.
pub(crate) fn on_dry_run_action(s: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if !waiting(s) || !matches!(action, Action::Open | Action::Back) {
        return None;
    }
    let (_, open) = s.actions.dry_run.take()?;
    s.detail = None;
    s.detail_id = None;
    s.actions.dialog = Some(open);
    if action == Action::Open {
        return crate::app::actions::on_key(s, Key::plain(KeyCode::Enter));
    }
    Some(Vec::new())
}
