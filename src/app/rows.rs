//! Table rows and details from the typed models (filled in once the models land).

use crate::app::state::{AppState, Detail, TableId};
use crate::app::table::Row;
use crate::app::view::ResourceKind;

/// Rebuild the tables that show a resource.
pub fn rebuild(_s: &mut AppState, _kind: ResourceKind) {}

/// A details panel for a row, when the view has one.
pub fn detail(_s: &AppState, _table: TableId, _row: &Row) -> Option<Detail> {
    None
}
