//! What Enter on a row opens: a details panel built from the typed data, or a portal link.

use crate::app::state::{AppState, Detail, TableId};
use crate::app::tables::table::Row;

/// The outcome of Enter on a row.
pub enum Opened {
    Panel(Detail),
    /// No API: copy and open the portal link.
    Link(String),
    Nothing,
}

/// Open the selected row of a table.
pub fn open(s: &AppState, table: TableId, row: &Row) -> Opened {
    match table {
        TableId::Learn | TableId::Threats => match &row.link {
            Some(l) => Opened::Link(l.clone()),
            None => Opened::Nothing,
        },
        TableId::ActionsPending | TableId::ActionsHistory if row.marker == '⚑' => match &row.link
        {
            Some(l) => Opened::Link(l.clone()),
            None => Opened::Nothing,
        },
        _ => match crate::app::tables::rows::detail(s, table, row) {
            Some(d) => Opened::Panel(d),
            None => generic(s, table, row),
        },
    }
}

fn generic(s: &AppState, table: TableId, row: &Row) -> Opened {
    let Some(t) = s.table(table) else {
        return Opened::Nothing;
    };
    let lines = t
        .columns
        .iter()
        .zip(&row.cells)
        .map(|(c, v)| format!("{:<14} {v}", c.title.to_lowercase()))
        .collect();
    Opened::Panel(Detail {
        title: row.cells.get(1).cloned().unwrap_or_else(|| row.id.clone()),
        lines,
        link: row.link.clone(),
        scroll: 0,
        ..Default::default()
    })
}
