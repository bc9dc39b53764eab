//! Marks in every table: `space` marks the selected row (or unmarks it) and moves the cursor
//! down, `A` marks every row shown (or clears the marks when all are marked); a marked row
//! shows `✓` and the title counts them ("3 marked"). A triage change on its way shows `…`
//! until its re-read lands. What acts on marks: triage (`t`, `a`, `c`) and the device keys
//! (`bulk`). The Action center's pending pane and the Team approvals pane keep marks of
//! their own (cancel, approve). Pure.

use std::collections::BTreeSet;

use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::state::{AppState, TableId};

/// The row marker of a marked row and of a row whose change is on its way.
pub const MARKED: char = '✓';
pub const PENDING: char = '…';

/// Tables whose marks are kept elsewhere.
fn own_marks(t: TableId) -> bool {
    matches!(t, TableId::ActionsPending | TableId::TeamApprovals)
}

/// `space` and `A` on a table; `None` elsewhere or for other keys.
pub fn on_key(s: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let table = s.focused_table()?;
    if own_marks(table) || !matches!(action, Action::ToggleDone | Action::MarkAll) {
        return None;
    }
    if action == Action::ToggleDone {
        let id = s.table(table)?.selected_row()?.id.clone();
        let marks = s.actions.table_marks.entry(table).or_default();
        if !marks.remove(&id) {
            marks.insert(id);
        }
        if let Some(t) = s.tables.get_mut(&table) {
            t.move_by(1);
        }
    } else {
        let t = s.table(table)?;
        let shown: Vec<String> = t.rows_in_view().map(|r| r.id().to_string()).collect();
        let marks = s.actions.table_marks.entry(table).or_default();
        if shown.iter().all(|id| marks.contains(id)) {
            marks.clear();
        } else {
            marks.extend(shown);
        }
    }
    apply(s);
    Some(Vec::new())
}

/// The marked rows of `table` in their order on screen.
pub fn marked(s: &AppState, table: TableId) -> Vec<String> {
    let (Some(t), Some(marks)) = (s.table(table), s.actions.table_marks.get(&table)) else {
        return Vec::new();
    };
    if marks.is_empty() {
        return Vec::new();
    }
    t.rows_in_view()
        .filter(|r| marks.contains(r.id()))
        .map(|r| r.id().to_string())
        .collect()
}

/// The marks of `table` were acted on: they are spent.
pub(crate) fn spend(s: &mut AppState, table: TableId) {
    s.actions.table_marks.remove(&table);
    apply(s);
}

/// Draw marks (✓) and pending changes (…) as row markers; forget marks of rows that are
/// gone. Tables without marks only lose stale markers (no per-row set is built for them).
pub fn apply(s: &mut AppState) {
    let pending = &s.actions.triage_pending;
    for (id, t) in s.tables.iter_mut() {
        if own_marks(*id) {
            continue;
        }
        let marks = s.actions.table_marks.entry(*id).or_default();
        if !marks.is_empty() {
            let present: BTreeSet<&str> = t.rows.iter().map(|r| r.id()).collect();
            marks.retain(|m| present.contains(m.as_str()));
        }
        let rows = &mut t.rows;
        if marks.is_empty() && pending.is_empty() {
            for i in 0..rows.len() {
                if matches!(rows.marker(i), MARKED | PENDING) {
                    rows.set_marker(i, ' ');
                }
            }
            continue;
        }
        for i in 0..rows.len() {
            let (id, marker) = (rows.id(i), rows.marker(i));
            let new = if pending.contains(id) {
                PENDING
            } else if marks.contains(id) {
                // Rows with a marker of their own (an investigation's ⚑) keep it.
                if marker == ' ' { MARKED } else { marker }
            } else if matches!(marker, MARKED | PENDING) {
                ' '
            } else {
                marker
            };
            rows.set_marker(i, new);
        }
    }
}
