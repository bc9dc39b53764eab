//! How a table keeps its rows: compact columns built once when data loads, not a struct of
//! `String`s per row. Every cell text is interned in the table's pool (a device's OS, risk or
//! group is stored once for 100,000 rows; a row holds a 4-byte id per cell), ids sit in one
//! arena, ranks only for the columns that have them, and a link that is `prefix + id +
//! suffix` (a device's portal page) is not stored at all. The filter searches the pool's
//! lowercase texts once per keystroke (one contiguous buffer) and then each row's cell ids,
//! so a keystroke over 100,000 rows reads a few MB instead of 100,000 strings.
//!
//! [`Row`] is the builder the row modules fill; [`RowRef`] is a stored row as the rest of
//! the console reads it.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use super::text_pool::Pool;

/// One row as built: cell texts, ranks for sorting, the id `y` copies and the portal link
/// `o` opens. Stored compactly by [`Rows::build`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub cells: Vec<String>,
    /// Rank per cell for `Ranked`/`Severity`/`Age` columns (0 elsewhere).
    pub ranks: Vec<i64>,
    /// The id of the record (copied by `y` when there is no link).
    pub id: String,
    /// Portal deep link, when there is one.
    pub link: Option<String>,
    /// A one-character marker drawn before the row (e.g. `⚑`), or space.
    pub marker: char,
    /// Since-last-run mark: `+` new, `~` changed, space otherwise (set from the snapshots).
    pub mark: char,
}

impl Row {
    /// A row from its cells; ranks default to 0.
    pub fn new(id: impl Into<String>, cells: Vec<String>) -> Self {
        let ranks = vec![0; cells.len()];
        Row {
            cells,
            ranks,
            id: id.into(),
            link: None,
            marker: ' ',
            mark: ' ',
        }
    }
    /// Set the rank of a column.
    pub fn rank(mut self, col: usize, rank: i64) -> Self {
        if let Some(r) = self.ranks.get_mut(col) {
            *r = rank;
        }
        self
    }
    /// Set the portal link.
    pub fn link(mut self, link: Option<String>) -> Self {
        self.link = link;
        self
    }
    /// Set the marker.
    pub fn marker(mut self, marker: char) -> Self {
        self.marker = marker;
        self
    }
}

/// What a row's link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    None,
    /// The table's `prefix + id + suffix`.
    Around,
    /// An entry of the link pool.
    Pooled(u32),
}

/// The rows of a table, stored by column (see the module comment).
#[derive(Debug, Clone, Default)]
pub struct Rows {
    len: usize,
    ncols: usize,
    pool: Pool,
    /// `len × ncols` pool entries.
    cells: Vec<u32>,
    /// The columns some row ranks (others rank 0), and `len × ranked.len()` ranks.
    ranked: Vec<usize>,
    ranks: Vec<i64>,
    ids: Pool,
    links: Vec<Link>,
    link_pool: Pool,
    /// A link that is `prefix + id + suffix` is stored as that.
    around: Option<(Box<str>, Box<str>)>,
    markers: Vec<char>,
    marks: Vec<char>,
    /// `order()` of the pool: made when the rows are stored, so the first sort key after a
    /// load costs what every other one does.
    order: Vec<u32>,
}

impl Rows {
    /// Store `rows` of `ncols` columns, keeping the ranks of the `ranked` columns (sorted by
    /// rank or drawn from it; a text column sorts by its text).
    pub fn build(rows: impl IntoIterator<Item = Row>, ncols: usize, ranked: &[usize]) -> Self {
        let mut b = RowsBuilder::new(ncols, ranked);
        for r in rows {
            b.push(r);
        }
        b.finish()
    }

    fn shrink(&mut self) {
        for p in [&mut self.pool, &mut self.ids, &mut self.link_pool] {
            p.shrink();
        }
        self.cells.shrink_to_fit();
        self.ranks.shrink_to_fit();
        self.links.shrink_to_fit();
        self.markers.shrink_to_fit();
        self.marks.shrink_to_fit();
    }

    fn is_around(&self, link: &str, id: &str) -> bool {
        self.around.as_ref().is_some_and(|(p, s)| {
            link.len() == p.len() + id.len() + s.len()
                && link.starts_with(&**p)
                && link.ends_with(&**s)
                && &link[p.len()..link.len() - s.len()] == id
        })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row `i`.
    pub fn get(&self, i: usize) -> Option<RowRef<'_>> {
        (i < self.len).then_some(RowRef { rows: self, i })
    }

    /// Every row, in load order.
    pub fn iter(&self) -> impl Iterator<Item = RowRef<'_>> {
        (0..self.len).map(move |i| RowRef { rows: self, i })
    }

    /// Row `i`'s marker.
    pub fn marker(&self, i: usize) -> char {
        self.markers.get(i).copied().unwrap_or(' ')
    }

    /// Set row `i`'s marker (`✓` marked, `●` pending …).
    pub(crate) fn set_marker(&mut self, i: usize, marker: char) {
        if let Some(m) = self.markers.get_mut(i) {
            *m = marker;
        }
    }

    /// Set row `i`'s since-last-run mark.
    pub(crate) fn set_mark(&mut self, i: usize, mark: char) {
        if let Some(m) = self.marks.get_mut(i) {
            *m = mark;
        }
    }

    /// Whether any row has a since-last-run mark.
    pub(crate) fn any_mark(&self) -> bool {
        self.marks.iter().any(|&m| m != ' ')
    }

    /// How many rows carry `marker`.
    pub(crate) fn count_marker(&self, marker: char) -> usize {
        self.markers.iter().filter(|&&m| m == marker).count()
    }

    /// The text of column `col` of row `i` (empty when out of range).
    pub fn cell(&self, i: usize, col: usize) -> &str {
        if col >= self.ncols {
            return "";
        }
        self.cells
            .get(i * self.ncols + col)
            .map_or("", |&k| self.pool.get(k))
    }

    /// The rank of column `col` of row `i` (0 when the column has none).
    pub fn rank(&self, i: usize, col: usize) -> i64 {
        match self.ranked.iter().position(|&c| c == col) {
            Some(r) => self
                .ranks
                .get(i * self.ranked.len() + r)
                .copied()
                .unwrap_or(0),
            None => 0,
        }
    }

    /// The id of row `i`.
    pub fn id(&self, i: usize) -> &str {
        if i < self.len {
            self.ids.get(i as u32)
        } else {
            ""
        }
    }

    /// The pool ids of row `i`'s cells.
    pub(super) fn cell_ids(&self, i: usize) -> &[u32] {
        self.cells
            .get(i * self.ncols..(i + 1) * self.ncols)
            .unwrap_or(&[])
    }

    /// The table's cell texts.
    pub(super) fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Sort keys of a text column: each row's rank of its lowercase cell among all cells.
    pub(crate) fn text_keys(&self, col: usize) -> Vec<u32> {
        (0..self.len)
            .map(|i| {
                self.cells
                    .get(i * self.ncols + col)
                    .and_then(|&k| self.order.get(k as usize))
                    .copied()
                    .unwrap_or(0)
            })
            .collect()
    }
}

/// Stores rows one at a time, so a builder that makes them lazily never holds them all.
/// Cell texts are made terminal-safe here, once, rather than on every frame (tenant text).
pub struct RowsBuilder {
    out: Rows,
    hasher: RandomState,
    /// Texts stored so far by hash; a collision only stores a text twice.
    seen: HashMap<u64, u32>,
    seen_links: HashMap<u64, u32>,
}

impl RowsBuilder {
    /// Rows of `ncols` columns keeping the ranks of the `ranked` columns (sorted by rank or
    /// drawn from it; a text column sorts by its text).
    pub fn new(ncols: usize, ranked: &[usize]) -> Self {
        RowsBuilder {
            out: Rows {
                ncols,
                ranked: ranked.to_vec(),
                ..Default::default()
            },
            hasher: RandomState::new(),
            seen: HashMap::new(),
            seen_links: HashMap::new(),
        }
    }

    /// Store one more row.
    pub fn push(&mut self, r: Row) {
        let out = &mut self.out;
        for c in 0..out.ncols {
            let text = crate::text::line(r.cells.get(c).map_or("", String::as_str));
            let h = self.hasher.hash_one(&*text);
            let k = match self.seen.get(&h) {
                Some(&k) if out.pool.get(k) == text => k,
                _ => {
                    let k = out.pool.push(&text);
                    self.seen.insert(h, k);
                    k
                }
            };
            out.cells.push(k);
        }
        for &c in &out.ranked {
            out.ranks.push(r.ranks.get(c).copied().unwrap_or(0));
        }
        out.ids.push_plain(&r.id);
        if out.around.is_none() {
            out.around = r.link.as_deref().and_then(|l| around(l, &r.id));
        }
        let link = match r.link.as_deref() {
            None => Link::None,
            Some(l) if out.is_around(l, &r.id) => Link::Around,
            Some(l) => {
                let h = self.hasher.hash_one(l);
                Link::Pooled(match self.seen_links.get(&h) {
                    Some(&k) if out.link_pool.get(k) == l => k,
                    _ => {
                        let k = out.link_pool.push_plain(l);
                        self.seen_links.insert(h, k);
                        k
                    }
                })
            }
        };
        out.links.push(link);
        out.markers.push(r.marker);
        out.marks.push(r.mark);
        out.len += 1;
    }

    /// The stored rows.
    pub fn finish(self) -> Rows {
        let mut out = self.out;
        out.shrink();
        out.order = out.pool.order();
        out
    }
}

/// The `(prefix, suffix)` around `id` in `link`, when the id is in it once.
fn around(link: &str, id: &str) -> Option<(Box<str>, Box<str>)> {
    if id.is_empty() {
        return None;
    }
    let at = link.find(id)?;
    Some((link[..at].into(), link[at + id.len()..].into()))
}

/// A stored row.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    rows: &'a Rows,
    i: usize,
}

impl<'a> RowRef<'a> {
    /// Its position in the table's rows.
    pub fn index(&self) -> usize {
        self.i
    }
    /// The id of the record (copied by `y` when there is no link).
    pub fn id(&self) -> &'a str {
        self.rows.id(self.i)
    }
    /// The text of a column.
    pub fn cell(&self, col: usize) -> &'a str {
        self.rows.cell(self.i, col)
    }
    /// Every cell's text, in column order.
    pub fn cells(&self) -> impl Iterator<Item = &'a str> + 'a {
        let (rows, i) = (self.rows, self.i);
        (0..rows.ncols).map(move |c| rows.cell(i, c))
    }
    /// The rank of a column (0 when it has none).
    pub fn rank(&self, col: usize) -> i64 {
        self.rows.rank(self.i, col)
    }
    /// The portal deep link, when there is one.
    pub fn link(&self) -> Option<String> {
        match self.rows.links.get(self.i)? {
            Link::None => None,
            Link::Around => {
                let (p, s) = self.rows.around.as_ref()?;
                Some(format!("{p}{}{s}", self.id()))
            }
            Link::Pooled(k) => Some(self.rows.link_pool.get(*k).to_string()),
        }
    }
    /// Whether it has a link.
    pub(crate) fn has_link(&self) -> bool {
        self.rows
            .links
            .get(self.i)
            .is_some_and(|l| *l != Link::None)
    }
    /// The marker drawn before it (`⚑`, `✓`, `●`), or space.
    pub fn marker(&self) -> char {
        self.rows.markers.get(self.i).copied().unwrap_or(' ')
    }
    /// Its since-last-run mark: `+` new, `~` changed, space otherwise.
    pub fn mark(&self) -> char {
        self.rows.marks.get(self.i).copied().unwrap_or(' ')
    }
    /// The row as built (for code that keeps a copy).
    pub fn to_row(&self) -> Row {
        Row {
            cells: self.cells().map(str::to_string).collect(),
            ranks: (0..self.rows.ncols).map(|c| self.rank(c)).collect(),
            id: self.id().to_string(),
            link: self.link(),
            marker: self.marker(),
            mark: self.mark(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Rows {
        Rows::build(
            [
                Row::new("a1", vec!["Alpha".into(), "High".into()])
                    .rank(1, 4)
                    .link(Some("https://p/m/a1/overview".into())),
                Row::new("b2", vec!["beta\u{1b}[2J".into(), "High".into()])
                    .link(Some("https://p/m/b2/overview".into())),
                Row::new("c3", vec!["GAMMA".into(), "low".into()])
                    .rank(1, 2)
                    .link(Some("https://p/other".into()))
                    .marker('⚑'),
                Row::new("d4", vec!["delta".into()]),
            ],
            2,
            &[1],
        )
    }

    #[test]
    fn keeps_every_cell_id_rank_link_and_marker() {
        let r = rows();
        assert_eq!(r.len(), 4);
        let a = r.get(0).unwrap();
        assert_eq!(
            (a.id(), a.cell(0), a.cell(1), a.rank(1)),
            ("a1", "Alpha", "High", 4)
        );
        assert_eq!(a.link().as_deref(), Some("https://p/m/a1/overview"));
        assert_eq!(
            r.get(1).unwrap().link().as_deref(),
            Some("https://p/m/b2/overview")
        );
        let c = r.get(2).unwrap();
        assert_eq!(c.link().as_deref(), Some("https://p/other"));
        assert_eq!((c.marker(), c.rank(0), c.rank(1)), ('⚑', 0, 2));
        let d = r.get(3).unwrap();
        assert_eq!((d.cell(1), d.link(), d.rank(1)), ("", None, 0));
        assert!(r.get(4).is_none());
        // "High" is stored once: Alpha, High, beta…, GAMMA, low, delta and the empty cell.
        assert_eq!(r.pool.len(), 7);
    }

    #[test]
    fn cells_are_terminal_safe() {
        let r = rows();
        assert!(!r.cell(1, 0).contains('\u{1b}'));
    }

    #[test]
    fn text_keys_rank_lowercase_text() {
        let r = rows();
        let k = r.text_keys(0);
        // alpha < beta… < delta < gamma
        assert!(k[0] < k[1] && k[1] < k[3] && k[3] < k[2]);
        let k = r.text_keys(1);
        assert_eq!(k[0], k[1]);
        assert!(k[3] < k[0] && k[0] < k[2]);
    }

    #[test]
    fn to_row_gives_the_row_back() {
        let r = rows();
        let c = r.get(2).unwrap().to_row();
        assert_eq!(c.cells, vec!["GAMMA".to_string(), "low".to_string()]);
        assert_eq!((c.id.as_str(), c.marker, c.ranks[1]), ("c3", '⚑', 2));
    }
}
