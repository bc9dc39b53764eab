//! A table of rows with incremental filtering and sorting into an index vector. Rows are
//! stored compactly once when data loads (see `row_store`), so filtering and sorting stay
//! interactive at 100,000 rows and the renderer only reads the visible slice.

/// How a column is sorted and drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Sorted by its text, case-insensitively.
    Text,
    /// Sorted by the row's rank for the column (numbers, severities).
    Ranked,
    /// A severity word: ranked, and coloured by the theme (the word is always shown).
    Severity,
    /// A timestamp (epoch seconds in the rank) drawn as an age relative to `now`.
    Age,
}

/// What a column is to the reader, which decides what gives way on a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Ordinary text.
    #[default]
    Plain,
    /// The column that names the row (device, incident title): gives way last.
    Name,
    /// Enumeration words (risk, health, AV status, OS): shown in short form when narrow.
    Words,
}

/// A column: header, kind, preferred width, role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    pub kind: ColumnKind,
    /// Preferred width in cells; the last column takes what is left.
    pub width: u16,
    pub role: Role,
}

impl Column {
    /// A text column.
    pub const fn text(title: &'static str, width: u16) -> Self {
        Column {
            title,
            kind: ColumnKind::Text,
            width,
            role: Role::Plain,
        }
    }
    /// A column sorted by rank.
    pub const fn ranked(title: &'static str, width: u16) -> Self {
        Column {
            title,
            kind: ColumnKind::Ranked,
            width,
            role: Role::Plain,
        }
    }
    /// A severity column.
    pub const fn severity(title: &'static str, width: u16) -> Self {
        Column {
            title,
            kind: ColumnKind::Severity,
            width,
            role: Role::Plain,
        }
    }
    /// This column names the row: it keeps its width longest.
    pub const fn names(mut self) -> Self {
        self.role = Role::Name;
        self
    }
    /// This column holds enumeration words that have short forms.
    pub const fn words(mut self) -> Self {
        self.role = Role::Words;
        self
    }
    /// An age column.
    pub const fn age(title: &'static str, width: u16) -> Self {
        Column {
            title,
            kind: ColumnKind::Age,
            width,
            role: Role::Plain,
        }
    }
}

use crate::app::tables::filter_query::FilterQuery;

pub use crate::app::tables::row_store::{Row, RowRef, Rows, RowsBuilder};

/// A checklist task's scope on a table: only the records its figure counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    pub scope: crate::app::data::scope::Scope,
    /// Shown in the title (`5 high  9 medium`).
    pub label: String,
    pub ids: std::collections::HashSet<String>,
}

/// The rows of a view with their filter, sort, selection and scroll.
#[derive(Debug, Clone, Default)]
pub struct TableState {
    pub columns: Vec<Column>,
    pub rows: Rows,
    /// Indices into `rows` that pass the filter, in sort order.
    pub view: Vec<usize>,
    pub filter: String,
    /// `filter` parsed (see `filter_query`).
    query: FilterQuery,
    /// Sorted column and whether descending; `None` keeps the load order.
    pub sort: Option<(usize, bool)>,
    /// Position in `view`.
    pub selected: usize,
    /// First visible position in `view` (kept by the renderer's page size).
    pub offset: usize,
    /// Widest cell per column, measured when rows are set (see `widths`).
    pub measured: Vec<u16>,
    /// Widest short form per column (see `short`), for `Words` columns.
    pub short: Vec<u16>,
    /// Some row has a since-last-run mark (computed when rows are set, not per frame).
    pub marked: bool,
    /// The checklist task's scope the table was opened with, if any.
    pub scope: Option<Scoped>,
    /// Every row in the order of `order_for`, so a filter under a sort never sorts again.
    order: Vec<usize>,
    order_for: Option<(usize, bool)>,
}

impl TableState {
    /// An empty table with columns.
    pub fn new(columns: Vec<Column>) -> Self {
        TableState {
            columns,
            ..Default::default()
        }
    }

    /// Replace the rows, keeping filter, sort and (by id) the selection (the tests build
    /// tables this way; the console builds them row by row with `builder`).
    #[cfg(test)]
    pub(crate) fn set_rows(&mut self, rows: impl IntoIterator<Item = Row>) {
        let mut b = self.builder();
        for r in rows {
            b.push(r);
        }
        self.set_built(b.finish());
    }

    /// A builder for this table's rows (see [`TableState::set_built`]).
    pub fn builder(&self) -> RowsBuilder {
        // Ranks are kept for the columns that sort or draw by them.
        let ranked: Vec<usize> = (0..self.columns.len())
            .filter(|&c| self.columns[c].kind != ColumnKind::Text)
            .collect();
        RowsBuilder::new(self.columns.len(), &ranked)
    }

    /// Replace the rows with rows from [`TableState::builder`], keeping filter, sort and (by
    /// id) the selection.
    pub(crate) fn set_built(&mut self, rows: Rows) {
        let selected_id = self.selected_ref().map(|r| r.id().to_string());
        self.view = Vec::new();
        self.order = Vec::new();
        self.rows = rows;
        self.measured = crate::app::tables::widths::measure(&self.rows, self.columns.len());
        self.short = crate::app::tables::widths::measure_short(&self.rows, &self.columns);
        self.marked = self.rows.any_mark();
        self.rebuild();
        if let Some(id) = selected_id
            && let Some(pos) = self.view.iter().position(|&i| self.rows.id(i) == id)
        {
            self.selected = pos;
        }
        self.clamp();
    }

    /// Whether any row carries a since-last-run mark (the renderer adds a column for it).
    pub fn has_marks(&self) -> bool {
        self.marked
    }

    /// Rows in view order (filter and sort applied), as exports take them.
    pub fn rows_in_view(&self) -> impl Iterator<Item = RowRef<'_>> {
        self.view.iter().filter_map(|&i| self.rows.get(i))
    }

    /// A copy of the selected row, if any (one row, for the key that acts on it).
    pub fn selected_row(&self) -> Option<Row> {
        self.selected_ref().map(|r| r.to_row())
    }

    /// The selected row as stored.
    pub(crate) fn selected_ref(&self) -> Option<RowRef<'_>> {
        self.view.get(self.selected).and_then(|&i| self.rows.get(i))
    }

    /// The text of column `col` of row `i` (an index into `rows`, as `view` holds them):
    /// what a filter on one column (`field:value`) reads. Empty when out of range.
    pub fn cell(&self, i: usize, col: usize) -> &str {
        self.rows.cell(i, col)
    }

    /// Set the filter text (see `filter_query`). When it can only narrow the previous
    /// filter, only the rows already shown are searched again.
    pub fn set_filter(&mut self, filter: &str) {
        let headers: Vec<&str> = self.columns.iter().map(|c| c.title).collect();
        let query = FilterQuery::parse(filter, &headers);
        let narrowing = query.narrows(&self.query);
        self.filter = filter.to_lowercase();
        self.query = query;
        if narrowing {
            let m = self.rows.matcher(&self.query);
            if self.sort.is_some() && self.view.len() > self.rows.len() / 8 {
                // A sorted view visits the rows out of order: match the rows in row order
                // (sequential memory) first, then keep the view's order.
                let hit: Vec<bool> = (0..self.rows.len()).map(|i| m.matches(i)).collect();
                self.view.retain(|&i| hit.get(i).copied().unwrap_or(false));
            } else {
                self.view.retain(|&i| m.matches(i));
            }
        } else {
            self.rebuild();
        }
        self.selected = 0;
        self.offset = 0;
    }

    /// Show only the rows of `scope` (or every row again with `None`).
    pub(crate) fn set_scope(&mut self, scope: Option<Scoped>) {
        self.scope = scope;
        self.rebuild();
        self.selected = self.selected.min(self.view.len().saturating_sub(1));
    }

    /// Rows the table holds before the filter: the scope's, else all.
    pub(crate) fn scoped_len(&self) -> usize {
        match &self.scope {
            Some(sc) => self.rows.iter().filter(|r| sc.ids.contains(r.id())).count(),
            None => self.rows.len(),
        }
    }

    /// Sort by `sort` (`(column, descending)`, `None`: load order) at once.
    pub fn set_sort(&mut self, sort: Option<(usize, bool)>) {
        self.sort = sort;
        self.rebuild();
    }

    /// Sort by the next column (`s`): load order, then each column ascending.
    pub fn cycle_sort(&mut self) {
        let n = self.columns.len();
        self.sort = match self.sort {
            None if n > 0 => Some((0, false)),
            Some((c, _)) if c + 1 < n => Some((c + 1, false)),
            _ => None,
        };
        self.rebuild();
    }

    /// Reverse the sort (`S`); sorts by the first column when unsorted.
    pub fn reverse_sort(&mut self) {
        self.sort = match self.sort {
            Some((c, d)) => Some((c, !d)),
            None if !self.columns.is_empty() => Some((0, true)),
            None => None,
        };
        self.rebuild();
    }

    /// Move the selection by `delta` rows (clamped).
    pub(crate) fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            self.selected = 0;
            return;
        }
        let max = self.view.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(max);
    }

    /// Select the first or last row.
    pub(crate) fn jump(&mut self, last: bool) {
        self.selected = if last {
            self.view.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// Keep `offset` so the selection is within `height` visible rows; returns the range.
    pub fn visible(&self, height: usize) -> std::ops::Range<usize> {
        let height = height.max(1);
        let mut offset = self.offset.min(self.selected);
        if self.selected >= offset + height {
            offset = self.selected + 1 - height;
        }
        // A full window whenever there are rows enough (`G` with a smaller page size
        // must not leave blank lines under the last row).
        offset = offset.min(self.view.len().saturating_sub(height));
        offset..(offset + height).min(self.view.len())
    }

    /// Remember the scroll position after drawing (the renderer cannot mutate state).
    pub fn scroll_to_selection(&mut self, height: usize) {
        self.offset = self.visible(height).start;
    }

    fn rebuild(&mut self) {
        if self.sort.is_none() {
            self.order.clear();
            self.order_for = None;
        } else if self.order_for != self.sort || self.order.len() != self.rows.len() {
            self.order = self.sorted_order();
            self.order_for = self.sort;
        }
        let (rows, q) = (&self.rows, &self.query);
        let m = (!q.is_empty()).then(|| rows.matcher(q));
        let scope = self.scope.as_ref().map(|s| &s.ids);
        let keep = |i: usize| {
            scope.is_none_or(|ids| ids.contains(rows.id(i)))
                && m.as_ref().is_none_or(|m| m.matches(i))
        };
        self.view = if self.sort.is_none() {
            (0..rows.len()).filter(|&i| keep(i)).collect()
        } else if q.is_empty() && scope.is_none() {
            self.order.clone()
        } else {
            // Match in row order (sequential memory), then walk the sorted order.
            let hit: Vec<bool> = (0..rows.len()).map(keep).collect();
            self.order.iter().copied().filter(|&i| hit[i]).collect()
        };
        self.clamp();
    }

    /// All rows in sort order. Keys are gathered first (a text column's rank of each lowercase
    /// cell among the table's texts, or the column's rank) so comparing never reads text;
    /// ties keep the service's order in both directions.
    fn sorted_order(&self) -> Vec<usize> {
        let Some((col, desc)) = self.sort else {
            return (0..self.rows.len()).collect();
        };
        let kind = self
            .columns
            .get(col)
            .map(|c| c.kind)
            .unwrap_or(ColumnKind::Text);
        // Ties break on the row index, so the faster unstable sort gives the stable order.
        fn by<K: Ord + Copy>(keys: impl Iterator<Item = K>, desc: bool) -> Vec<usize> {
            let mut keys: Vec<(K, usize)> = keys.zip(0..).collect();
            if desc {
                keys.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            } else {
                keys.sort_unstable();
            }
            keys.into_iter().map(|(_, i)| i).collect()
        }
        let n = self.rows.len();
        // Keys that fit 32 bits (text ranks, and ranks from 0 to 2^32: severities, counts,
        // epoch seconds) take a stable radix sort, so ties keep the service's order.
        let keys: Option<Vec<u32>> = match kind {
            ColumnKind::Text => Some(self.rows.text_keys(col)),
            _ => (0..n)
                .map(|i| u32::try_from(self.rows.rank(i, col)).ok())
                .collect(),
        };
        match keys {
            Some(mut keys) => {
                if desc {
                    keys.iter_mut().for_each(|k| *k = u32::MAX - *k);
                }
                crate::app::tables::radix::radix_order(&keys)
            }
            None => by((0..n).map(|i| self.rows.rank(i, col)), desc),
        }
    }

    fn clamp(&mut self) {
        if self.selected >= self.view.len() {
            self.selected = self.view.len().saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> TableState {
        let mut t = TableState::new(vec![Column::text("NAME", 10), Column::ranked("N", 3)]);
        t.set_rows(vec![
            Row::new("a", vec!["Bravo".into(), "2".into()]).rank(1, 2),
            Row::new("b", vec!["alpha".into(), "10".into()]).rank(1, 10),
            Row::new("c", vec!["Charlie".into(), "1".into()]).rank(1, 1),
        ]);
        t
    }

    #[test]
    fn filters_incrementally_and_case_insensitively() {
        let mut t = table();
        t.set_filter("A");
        assert_eq!(t.view.len(), 3);
        t.set_filter("al");
        assert_eq!(t.view, vec![1]);
        t.set_filter("");
        assert_eq!(t.view.len(), 3);
    }

    #[test]
    fn sorts_text_and_ranks() {
        let mut t = table();
        t.cycle_sort();
        assert_eq!(t.view, vec![1, 0, 2]);
        t.cycle_sort();
        assert_eq!(t.view, vec![2, 0, 1]);
        t.reverse_sort();
        assert_eq!(t.view, vec![1, 0, 2]);
    }

    #[test]
    fn ties_keep_the_service_order_both_ways() {
        let mut t = TableState::new(vec![Column::text("NAME", 10), Column::ranked("N", 3)]);
        t.set_rows(vec![
            Row::new("a", vec!["x".into(), "1".into()]).rank(1, 1),
            Row::new("b", vec!["X".into(), "2".into()]).rank(1, 2),
            Row::new("c", vec!["x".into(), "1".into()]).rank(1, 1),
            Row::new("d", vec!["x".into(), "-1".into()]).rank(1, -1),
        ]);
        t.sort = Some((0, true));
        t.set_scope(None);
        assert_eq!(t.view, vec![0, 1, 2, 3]);
        t.sort = Some((1, true));
        t.set_scope(None);
        assert_eq!(t.view, vec![1, 0, 2, 3]);
        t.sort = Some((1, false));
        t.set_scope(None);
        assert_eq!(t.view, vec![3, 0, 2, 1]);
    }

    #[test]
    fn filters_within_the_sort_and_resorts_new_rows() {
        let mut t = table();
        t.cycle_sort();
        t.set_filter("r");
        assert_eq!(t.view, vec![0, 2]);
        t.set_filter("");
        assert_eq!(t.view, vec![1, 0, 2]);
        t.set_rows(vec![
            Row::new("d", vec!["delta".into(), "4".into()]),
            Row::new("e", vec!["Echo".into(), "5".into()]),
            Row::new("a", vec!["alpha".into(), "6".into()]),
        ]);
        assert_eq!(t.view, vec![2, 0, 1]);
    }
}
