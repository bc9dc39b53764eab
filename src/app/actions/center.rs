//! The Action center's own keys: Space marks a pending machine action, `A` marks all visible,
//! `x` cancels the marked (or selected) ones with one comment after one confirmation that
//! lists them; Enter on an investigation pending approval hands over to the portal (there is
//! no public API to approve or reject) and records the hand-over in the audit log.

use crate::api::calls::ActionRequest;
use crate::app::actions::dialog::{Dialog, Field, FieldId};
use crate::app::actions::on_key::READ_ONLY;
use crate::app::actions::{OpenDialog, Purpose};
use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::state::{AppState, TableId};
use crate::app::steps::toast;
use crate::app::view::View;

/// The pending machine action ids among `ids` (investigations cannot be cancelled here).
fn cancellable(s: &AppState, id: &str) -> bool {
    s.data
        .machine_actions
        .data()
        .is_some_and(|a| a.iter().any(|a| a.id == id))
}

/// Space, `A`, `x` and Enter in the pending pane; `None` elsewhere.
pub(crate) fn on_center_key(s: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if s.view != View::ActionCenter || s.focused_table() != Some(TableId::ActionsPending) {
        return None;
    }
    let table = s.table(TableId::ActionsPending)?;
    let row = table.selected_row();
    match action {
        Action::Open => {
            let row = row.filter(|r| r.marker == '⚑')?;
            let url = row
                .link
                .clone()
                .unwrap_or_else(|| format!("{}/airinvestigation", s.settings.portal));
            let mut cmds = vec![
                Command::CopyToClipboard(url.clone()),
                Command::OpenUrl(url.clone()),
                Command::Handover {
                    action: "Approve or reject investigation (portal)".into(),
                    url: url.clone(),
                    targets: vec![row.id.clone()],
                },
            ];
            cmds.extend(toast(
                s,
                format!("no API approves investigations; opened and copied {url}"),
            ));
            Some(cmds)
        }
        Action::ToggleDone => {
            let row = row?;
            if s.settings.read_only {
                return Some(toast(s, READ_ONLY.into()));
            }
            if !cancellable(s, &row.id) {
                return Some(toast(s, "only machine actions can be marked".into()));
            }
            if !s.actions.marked.remove(&row.id) {
                s.actions.marked.insert(row.id.clone());
            }
            // As in every table, the cursor moves on to the next row.
            if let Some(t) = s.tables.get_mut(&TableId::ActionsPending) {
                t.move_by(1);
            }
            apply_marks(s);
            Some(Vec::new())
        }
        Action::MarkAll => {
            let ids: Vec<String> = table
                .view
                .iter()
                .filter_map(|i| table.rows.get(*i))
                .map(|r| r.id().to_string())
                .collect();
            let ids: Vec<String> = ids.into_iter().filter(|id| cancellable(s, id)).collect();
            // A toggle: all of them marked already clears the marks.
            if ids.iter().all(|id| s.actions.marked.contains(id)) {
                s.actions.marked.clear();
            } else {
                s.actions.marked.extend(ids);
            }
            apply_marks(s);
            Some(Vec::new())
        }
        Action::CancelActions => {
            let mut ids: Vec<String> = s.actions.marked.iter().cloned().collect();
            if ids.is_empty()
                && let Some(r) = row.filter(|r| cancellable(s, &r.id))
            {
                ids.push(r.id);
            }
            if ids.is_empty() {
                return Some(toast(
                    s,
                    "mark pending machine actions first (space)".into(),
                ));
            }
            let targets = ids.iter().map(|id| describe_action(s, id)).collect();
            crate::app::actions::form::open(
                s,
                OpenDialog {
                    dialog: Dialog::new(
                        format!("Cancel {} pending action(s)", ids.len()),
                        "Each action is cancelled on its device (POST machineactions/{id}/cancel)."
                            .into(),
                        targets,
                        vec![Field::text(FieldId::Comment, String::new())],
                        None,
                    ),
                    purpose: Purpose::Cancel(ids),
                },
            );
            Some(Vec::new())
        }
        _ => None,
    }
}

/// The type and device of a machine action, for the toast of its cancellation (`None` when
/// the action is no longer loaded).
pub(crate) fn action_about(s: &AppState, id: &str) -> Option<(String, String)> {
    let a = s.data.machine_actions.data()?.iter().find(|a| a.id == id)?;
    let kind = a.action_type.as_ref().map_or("action", |t| t.as_str());
    let device = match (&a.computer_dns_name, &a.machine_id) {
        (Some(n), _) => n.clone(),
        (None, Some(m)) => crate::app::actions::target::device_ref(s, m, None).name,
        (None, None) => id.to_string(),
    };
    Some((kind.to_string(), device))
}

fn describe_action(s: &AppState, id: &str) -> String {
    s.data
        .machine_actions
        .data()
        .and_then(|a| a.iter().find(|a| a.id == id))
        .map(|a| {
            format!(
                "{} · {} · {}",
                a.action_type.as_ref().map_or("?", |t| t.as_str()),
                match (&a.computer_dns_name, &a.machine_id) {
                    (Some(n), _) => n.clone(),
                    (None, Some(m)) => crate::app::actions::target::device_ref(s, m, None).name,
                    (None, None) => "?".into(),
                },
                a.status.as_ref().map_or("?", |t| t.as_str()),
            )
        })
        .unwrap_or_else(|| id.to_string())
}

/// One cancel request per action, with the shared comment.
pub(crate) fn cancel_requests(ids: &[String], comment: &str) -> Vec<(ActionRequest, String)> {
    ids.iter()
        .map(|id| {
            (
                ActionRequest::CancelAction {
                    action_id: id.clone(),
                    comment: comment.to_string(),
                },
                id.clone(),
            )
        })
        .collect()
}

/// Show marks as the row marker (✓); forget marks of rows that are gone. Called after the
/// pending table is rebuilt and after each mark change.
pub(crate) fn apply_marks(s: &mut AppState) {
    let Some(t) = s.tables.get_mut(&TableId::ActionsPending) else {
        return;
    };
    let present: std::collections::BTreeSet<&str> = t.rows.iter().map(|r| r.id()).collect();
    s.actions.marked.retain(|id| present.contains(id.as_str()));
    let rows = &mut t.rows;
    for i in 0..rows.len() {
        if s.actions.marked.contains(rows.id(i)) {
            rows.set_marker(i, '✓');
        } else if rows.marker(i) == '✓' {
            rows.set_marker(i, '●');
        }
    }
}
