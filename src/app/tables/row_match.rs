//! Which rows of a table pass a `/` filter query. Each term's text is searched once in the
//! table's text pool (one pass over the lowercase buffer, where a device's OS or group is one
//! entry for 100,000 rows), then each row only checks its cells' 4-byte ids against those
//! hits: a keystroke over 100,000 rows reads a few MB instead of 800,000 cell texts. The
//! semantics are `FilterQuery::matches` (a test holds them together).

use crate::app::tables::filter_query::FilterQuery;
use crate::app::tables::row_store::Rows;

/// A query prepared against one table's rows.
pub(crate) struct Matcher<'a> {
    rows: &'a Rows,
    /// Per term: excluded (`!`), its column, and which pool entries contain its text.
    terms: Vec<(bool, Option<usize>, Vec<bool>)>,
}

impl Rows {
    /// `query` prepared for these rows.
    pub(crate) fn matcher(&self, query: &FilterQuery) -> Matcher<'_> {
        Matcher {
            rows: self,
            terms: query
                .terms()
                .map(|(negate, column, needle)| (negate, column, self.pool().hits(needle)))
                .collect(),
        }
    }
}

impl Matcher<'_> {
    /// Whether row `i` passes every term.
    pub(crate) fn matches(&self, i: usize) -> bool {
        let cells = self.rows.cell_ids(i);
        let hit = |hits: &[bool], k: u32| hits.get(k as usize).copied().unwrap_or(false);
        self.terms.iter().all(|(negate, column, hits)| {
            let found = match column {
                Some(c) => cells.get(*c).is_some_and(|&k| hit(hits, k)),
                None => cells.iter().any(|&k| hit(hits, k)),
            };
            found != *negate
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tables::filter_query::Searchable;
    use crate::app::tables::row_store::Row;

    /// A row as plain lowercase strings: the reference the matcher must agree with.
    struct Plain(Vec<String>);

    impl Searchable for Plain {
        fn contains(&self, needle: &str) -> bool {
            self.0.iter().any(|c| c.contains(needle))
        }
        fn cell(&self, col: usize) -> &str {
            self.0.get(col).map_or("", String::as_str)
        }
    }

    const HEADERS: [&str; 3] = ["DEVICE", "OS", "RISK"];

    #[test]
    fn agrees_with_the_query_on_every_row() {
        let cells = [
            ["FIN-LT-01 [isolated]", "Windows11", "High"],
            ["srv-sql-02", "Linux", "Low"],
            ["fin-ws-07", "windows10", "—"],
            ["Ärzte-PC", "macOS", "Medium"],
            ["hr-lt-1", "", "High"],
            // A final sigma lowercases by its place in the word (`str::to_lowercase`): the
            // pool must lowercase whole cells as the query lowercases its terms.
            ["ΟΔΟΣ-PC", "Linux", "Low"],
        ];
        let rows = Rows::build(
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| Row::new(i.to_string(), c.iter().map(|s| s.to_string()).collect())),
            3,
            &[],
        );
        let plain: Vec<Plain> = (0..rows.len())
            .map(|i| Plain((0..3).map(|c| rows.cell(i, c).to_lowercase()).collect()))
            .collect();
        for q in [
            "fin",
            "FIN-L",
            "lt",
            "os:win",
            "!isolated",
            "risk:high !hr",
            "ärz",
            "w",
            "o:lin",
            "nothing",
            "risk:",
            "!",
            "\"fin-lt\"",
            "high low",
            "10:30",
            "a\u{1f}h",
            "highlinux",
            "οδος",
            "ΟΔΟΣ-pc",
            "!ΟΔΟΣ",
        ] {
            let query = FilterQuery::parse(q, &HEADERS);
            let m = rows.matcher(&query);
            let got: Vec<usize> = (0..rows.len()).filter(|&i| m.matches(i)).collect();
            let want: Vec<usize> = (0..rows.len())
                .filter(|&i| query.matches(&plain[i]))
                .collect();
            assert_eq!(got, want, "query {q:?}");
        }
        // Never across two cells: "high" ends one cell and "linux" starts another nowhere.
        let m = rows.matcher(&FilterQuery::parse("lowfin", &HEADERS));
        assert!((0..rows.len()).all(|i| !m.matches(i)));
    }
}
