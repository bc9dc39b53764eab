//! The Action center's Team approvals pane: the team's pending four-eyes requests, polled by
//! the runtime from the team store. `a` approves (the selected request or the marked ones,
//! after one confirmation that shows what each will send), `r` rejects with a comment,
//! space/`A` mark, Enter shows the request. The requester's own requests are refused here as
//! they are in the store.

use std::collections::BTreeSet;

use crate::api::calls::ActionRequest;
use crate::app::actions::dialog::{Dialog, Field, FieldId};
use crate::app::actions::{OpenDialog, Purpose};
pub use crate::app::basic::TeamRequest;
use crate::app::input::keymap::{Key, KeyCode};
use crate::app::msg::Command;
use crate::app::state::{AppState, Detail, Mode, TableId};
use crate::app::steps::toast;
use crate::app::tables::table::Row;
use crate::app::view::View;
use crate::store::team::types::{ApprovalRequest, time_text};

/// What the console knows of the team queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamState {
    /// A `[team]` table is configured (the runtime polls the store).
    pub enabled: bool,
    /// Who this console is in the team store.
    pub me: String,
    pub pending: Vec<TeamRequest>,
    /// The last poll's error (the store is unreachable …), shown in the pane title.
    pub error: Option<String>,
    /// Marked request ids.
    pub marked: BTreeSet<i64>,
}

/// The pane's table is focused.
pub fn focused(s: &AppState) -> bool {
    s.view == View::ActionCenter && s.focused_table() == Some(TableId::TeamApprovals)
}

/// A poll of the store came back.
pub(crate) fn on_queue(s: &mut AppState, me: String, result: Result<Vec<TeamRequest>, String>) {
    s.team.enabled = true;
    s.team.me = me;
    match result {
        Ok(pending) => {
            s.team.pending = pending;
            s.team.error = None;
        }
        Err(e) => s.team.error = Some(e),
    }
    let ids: BTreeSet<i64> = s.team.pending.iter().map(|r| r.row.id).collect();
    s.team.marked.retain(|id| ids.contains(id));
    rows(s);
}

/// The pane's rows, newest first; marked rows show ✓, the analyst's own show ●.
pub fn rows(s: &mut AppState) {
    let rows = s
        .team
        .pending
        .iter()
        .map(|r| {
            let q = &r.row;
            let marker = if s.team.marked.contains(&q.id) {
                '✓'
            } else if r.own.is_some() {
                '●'
            } else {
                ' '
            };
            Row::new(
                q.id.to_string(),
                vec![
                    q.id.to_string(),
                    q.kind.clone(),
                    q.target_name.clone(),
                    q.requester.clone(),
                    q.comment.clone(),
                    String::new(),
                ],
            )
            .rank(5, q.requested_at)
            .marker(marker)
        })
        .collect();
    crate::app::data::derive::set(s, TableId::TeamApprovals, rows);
}

fn selected(s: &AppState) -> Option<TeamRequest> {
    let id: i64 = s
        .table(TableId::TeamApprovals)?
        .selected_row()?
        .id
        .parse()
        .ok()?;
    s.team.pending.iter().find(|r| r.row.id == id).cloned()
}

/// The lines that say what a request does (dialog targets and the detail page).
fn describe(r: &TeamRequest) -> Vec<String> {
    let q = &r.row;
    let mut v = vec![
        format!(
            "#{} {} · {} (id {})",
            q.id, q.description, q.target_name, q.target_id
        ),
        format!(
            "requested by {} at {} · {}",
            q.requester,
            time_text(q.requested_at),
            q.comment
        ),
    ];
    v.extend(r.request_lines.iter().map(|l| format!("  {l}")));
    v
}

/// `a`, `r`, space, `A` and Enter in the pane; `None` elsewhere or for other keys.
pub fn on_key(s: &mut AppState, key: Key) -> Option<Vec<Command>> {
    let busy = s.actions.dialog.is_some() || s.actions.menu.is_some() || s.detail.is_some();
    if !focused(s) || s.mode != Mode::Normal || busy {
        return None;
    }
    match key.code {
        KeyCode::Char('a') => Some(approve(s)),
        KeyCode::Char('r') => Some(reject(s)),
        KeyCode::Char(' ') => {
            let r = selected(s)?;
            if !s.team.marked.remove(&r.row.id) {
                s.team.marked.insert(r.row.id);
            }
            rows(s);
            Some(Vec::new())
        }
        KeyCode::Char('A') => {
            s.team.marked = s
                .team
                .pending
                .iter()
                .filter(|r| r.own.is_none())
                .map(|r| r.row.id)
                .collect();
            rows(s);
            Some(Vec::new())
        }
        KeyCode::Enter => {
            let r = selected(s)?;
            s.detail = Some(Detail {
                title: format!("Approval request {}", r.row.id),
                lines: describe(&r),
                link: None,
                scroll: 0,
                ..Default::default()
            });
            Some(Vec::new())
        }
        _ => None,
    }
}

fn approve(s: &mut AppState) -> Vec<Command> {
    if s.settings.read_only {
        return toast(s, crate::app::actions::on_key::READ_ONLY.into());
    }
    let chosen: Vec<TeamRequest> = if s.team.marked.is_empty() {
        selected(s).into_iter().collect()
    } else {
        s.team
            .pending
            .iter()
            .filter(|r| s.team.marked.contains(&r.row.id))
            .cloned()
            .collect()
    };
    if chosen.is_empty() {
        return toast(s, "no approval request selected".into());
    }
    if let Some(own) = chosen.iter().find(|r| r.own.is_some()) {
        let text = format!(
            "request {} is your own ({}); another analyst must approve it",
            own.row.id,
            own.own.as_deref().unwrap_or_default()
        );
        return toast(s, text);
    }
    // The dialog keeps the rows exactly as shown: the store approves only those versions.
    let shown = chosen.iter().map(|r| r.row.clone()).collect();
    // Several: one line each first, so the whole list shows before the details.
    let mut targets: Vec<String> = Vec::new();
    if chosen.len() > 1 {
        targets.extend(chosen.iter().map(|r| {
            let q = &r.row;
            format!(
                "#{} {} · {} · by {}",
                q.id, q.description, q.target_name, q.requester
            )
        }));
    }
    targets.extend(chosen.iter().flat_map(describe));
    crate::app::actions::form::open(
        s,
        OpenDialog {
            dialog: Dialog::new(
                format!("Approve and send {} request(s)", chosen.len()),
                "Each request is sent once, as you, through the write pipeline.".into(),
                targets,
                vec![Field::text(FieldId::Comment, String::new())],
                None,
            ),
            purpose: Purpose::TeamApprove(shown),
        },
    );
    Vec::new()
}

fn reject(s: &mut AppState) -> Vec<Command> {
    let Some(r) = selected(s) else {
        return toast(s, "no approval request selected".into());
    };
    if r.own.is_some() {
        return toast(
            s,
            format!(
                "request {} is your own: withdraw it with `socops approvals withdraw {}`",
                r.row.id, r.row.id
            ),
        );
    }
    crate::app::actions::form::open(
        s,
        OpenDialog {
            dialog: Dialog::new(
                format!("Reject request {}", r.row.id),
                "Nothing is sent; the requester sees your comment.".into(),
                describe(&r),
                vec![Field::text(FieldId::Comment, String::new())],
                None,
            ),
            purpose: Purpose::TeamReject(r.row.id),
        },
    );
    Vec::new()
}

/// The approve/reject dialog was confirmed; `None` for other dialogs.
pub(crate) fn on_confirm(s: &mut AppState) -> Option<Vec<Command>> {
    let open = s.actions.dialog.as_mut()?;
    let comment = open.dialog.value(FieldId::Comment);
    let cmd = match &open.purpose {
        Purpose::TeamApprove(shown) => {
            let shown = shown.clone();
            s.actions.dialog = None;
            s.team.marked.clear();
            rows(s);
            return Some(vec![approve_command(s, shown, comment)]);
        }
        Purpose::TeamReject(id) => {
            if comment.trim().is_empty() {
                open.dialog.error = Some("a rejection needs a comment".into());
                return Some(Vec::new());
            }
            Command::TeamReject { id: *id, comment }
        }
        _ => return None,
    };
    s.actions.dialog = None;
    s.team.marked.clear();
    rows(s);
    Some(vec![cmd])
}

/// One approve command for the rows as shown, each with a ticket of the action tracker: the
/// runtime answers `ActionSent` per request, so an approved action is followed like any
/// other sent action and each request's result is its own toast.
fn approve_command(s: &mut AppState, shown: Vec<ApprovalRequest>, comment: String) -> Command {
    let mut items = Vec::with_capacity(shown.len());
    for row in shown {
        let ticket = s.actions.next_ticket;
        s.actions.next_ticket += 1;
        let info = match serde_json::from_str::<ActionRequest>(&row.parameters) {
            Ok(req) => crate::app::actions::describe(&req, &row.target_name),
            // Unreadable: the runtime refuses it; the toast still names the request.
            Err(_) => crate::app::actions::Sending {
                label: format!("Request {}", row.id),
                device: row.target_name.clone(),
                result: Default::default(),
                trackable: false,
                triage: false,
            },
        };
        s.actions.sending.insert(ticket, info);
        items.push((ticket, row));
    }
    Command::TeamApprove { items, comment }
}
