//! Two analysts must not silently overwrite each other: before a triage change leaves, the
//! console re-reads each record it changes (the runtime answers `TriageRechecked`). If
//! another hand changed its status, owner or classification since the view was loaded, the
//! analyst sees what changed and is asked again; otherwise the change goes out at once. The
//! comparison is the CLI's (`TriageView::changes_since`): one implementation. Pure.

use crate::api::calls::ActionRequest;
use crate::app::actions::dialog::Dialog;
use crate::app::actions::{OpenDialog, Purpose, form};
pub(crate) use crate::app::basic::Check;
use crate::app::msg::Command;
use crate::app::state::AppState;
use crate::app::steps::toast;

/// A confirmed triage form waiting for the re-read of its records.
#[derive(Debug, Clone, PartialEq)]
pub struct Recheck {
    pub ticket: u64,
    pub reqs: Vec<(ActionRequest, String)>,
    pub open: OpenDialog,
}

/// The title of the dialog that asks again.
pub const CHANGED: &str = "Changed since you looked";

/// A confirmed triage form: re-read its records first (`None`: nothing to compare, e.g. a
/// comment only).
pub fn first(
    s: &mut AppState,
    open: &OpenDialog,
    reqs: &[(ActionRequest, String)],
) -> Option<Vec<Command>> {
    let Purpose::Triage(entity, targets) = &open.purpose else {
        return None;
    };
    let checks: Vec<Check> = targets
        .iter()
        .filter(|t| {
            reqs.iter()
                .any(|(r, _)| matches!(r, ActionRequest::Triage { id, .. } if *id == t.id))
        })
        .map(|t| (*entity, t.id.clone(), t.view.clone()))
        .collect();
    if checks.is_empty() {
        return None;
    }
    let ticket = s.actions.next_ticket;
    s.actions.next_ticket += 1;
    let n = checks.len();
    s.actions.recheck = Some(Recheck {
        ticket,
        reqs: reqs.to_vec(),
        open: open.clone(),
    });
    let mut cmds = vec![Command::RecheckTriage { ticket, checks }];
    cmds.extend(toast(
        s,
        format!(
            "reading {} again before the change…",
            if n == 1 {
                format!("the {}", entity.noun())
            } else {
                format!("{n} {}s", entity.noun())
            }
        ),
    ));
    Some(cmds)
}

/// The re-read came back: `(record, what changed)` per record, or why it failed.
pub(crate) fn on_rechecked(
    s: &mut AppState,
    ticket: u64,
    result: Result<Vec<(String, Vec<String>)>, String>,
) -> Vec<Command> {
    if s.actions
        .recheck
        .as_ref()
        .is_none_or(|r| r.ticket != ticket)
    {
        return Vec::new();
    }
    let Some(r) = s.actions.recheck.take() else {
        return Vec::new();
    };
    match result {
        Err(e) => toast(
            s,
            format!("could not read it again before the change ({e}); nothing was sent"),
        ),
        Ok(changes) if changes.iter().all(|(_, c)| c.is_empty()) => send(s, r),
        Ok(changes) => {
            let lines: Vec<String> = changes
                .into_iter()
                .flat_map(|(name, c)| c.into_iter().map(move |x| format!("{name}: {x}")))
                .collect();
            let dialog = Dialog::new(
                CHANGED.into(),
                "Someone changed this since your view was loaded (read again just now). Enter sends your change over theirs; Esc cancels and nothing is sent.".into(),
                lines,
                Vec::new(),
                None,
            );
            s.actions.recheck = Some(r);
            s.actions.dialog = Some(OpenDialog {
                dialog,
                purpose: Purpose::Overwrite,
            });
            Vec::new()
        }
    }
}

/// Enter on "Changed since you looked": send as confirmed.
pub(crate) fn overwrite_confirmed(s: &mut AppState) -> Vec<Command> {
    s.actions.dialog = None;
    match s.actions.recheck.take() {
        Some(r) => send(s, r),
        None => Vec::new(),
    }
}

/// Esc on "Changed since you looked": nothing goes out.
pub(crate) fn overwrite_cancelled(s: &mut AppState) -> Vec<Command> {
    s.actions.dialog = None;
    s.actions.recheck = None;
    toast(s, "cancelled: nothing was sent".into())
}

fn send(s: &mut AppState, r: Recheck) -> Vec<Command> {
    form::sent(s, &r.open);
    crate::app::actions::triage::apply_optimistic(s, &r.reqs);
    crate::app::actions::on_key::send_all(s, r.reqs, false, &r.open.dialog.title)
}
