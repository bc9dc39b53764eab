//! The `/` filter's small language: words separated by spaces are ANDed, `!word` excludes
//! the rows that contain it, and `column:value` looks only at the column whose header is
//! `column` (case-insensitive; a unique prefix of the header will do): `risk:high os:linux
//! !isolated`. `"two words"` keeps a space inside one term (`title:"credential theft"`).
//! Matching is by substring, ignoring case, as the plain filter always was.
//!
//! The query is parsed once per keystroke; a table reads its terms ([`FilterQuery::terms`])
//! and matches them the way it stores its rows (the compact rows search each term once in
//! their text pool: `tables/row_match.rs`). `FilterQuery::matches` over `Searchable` rows is
//! the reference meaning, in the tests, which hold the table's matching to it.

/// What a row offers the filter: its whole lowercase text and one column's lowercase text.
#[cfg(test)]
pub(crate) trait Searchable {
    /// Whether some cell of the row, lowercase, contains `needle`.
    fn contains(&self, needle: &str) -> bool;
    /// The lowercase text of column `col` (empty when the row has no such cell).
    fn cell(&self, col: usize) -> &str;
}

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    /// `!term`: the row must not contain it.
    negate: bool,
    /// `field:value`: only this column is searched.
    column: Option<usize>,
    /// Lowercase, never empty.
    needle: String,
}

impl Term {
    #[cfg(test)]
    fn hit<R: Searchable + ?Sized>(&self, row: &R) -> bool {
        let found = match self.column {
            Some(c) => row.cell(c).contains(self.needle.as_str()),
            None => row.contains(self.needle.as_str()),
        };
        found != self.negate
    }

    /// Every row this term keeps is kept by `wider` too.
    fn implies(&self, wider: &Term) -> bool {
        if self.negate != wider.negate {
            return false;
        }
        if self.negate {
            // Excluding a shorter text (in the same column, or anywhere) excludes more.
            wider.needle.contains(self.needle.as_str())
                && (self.column.is_none() || self.column == wider.column)
        } else {
            // A longer text in a column is also a longer text in the whole row.
            self.needle.contains(wider.needle.as_str())
                && (wider.column.is_none() || self.column == wider.column)
        }
    }
}

/// A parsed filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FilterQuery {
    terms: Vec<Term>,
    /// `field:` names that are no column of the table (their term searches the whole row
    /// for the text as typed, so `10:30` or a URL still match).
    unknown: Vec<String>,
}

impl FilterQuery {
    /// Parse `text` for a table with these column headers.
    pub(crate) fn parse(text: &str, headers: &[&str]) -> FilterQuery {
        let mut q = FilterQuery::default();
        for token in tokens(text) {
            let (negate, body) = match token.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, token.as_str()),
            };
            let (column, needle) = match body.split_once(':') {
                Some((field, value)) if !field.is_empty() => match column_of(field, headers) {
                    Some(c) => (Some(c), value),
                    None => {
                        // `10:30` is a time, not a column someone misspelt.
                        if field.starts_with(char::is_alphabetic) {
                            q.unknown.push(field.to_string());
                        }
                        (None, body)
                    }
                },
                _ => (None, body),
            };
            // A term still being typed (`risk:`, `!`) keeps every row.
            let needle: String = needle.chars().filter(|c| !c.is_control()).collect();
            if needle.is_empty() {
                continue;
            }
            q.terms.push(Term {
                negate,
                column,
                needle: needle.to_lowercase(),
            });
        }
        q
    }

    /// Whether the query keeps every row.
    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether `row` passes every term.
    #[cfg(test)]
    pub(crate) fn matches<R: Searchable + ?Sized>(&self, row: &R) -> bool {
        self.terms.iter().all(|t| t.hit(row))
    }

    /// Whether every row this query keeps was kept by `before` too, so only the rows
    /// `before` showed need checking again (typing on, or adding a term).
    pub(crate) fn narrows(&self, before: &FilterQuery) -> bool {
        before
            .terms
            .iter()
            .all(|b| self.terms.iter().any(|a| a.implies(b)))
    }

    /// Each term as `(excluded, column, lowercase needle)`, for a table that matches the
    /// query its own way (`row_match.rs`).
    pub(crate) fn terms(&self) -> impl Iterator<Item = (bool, Option<usize>, &str)> {
        self.terms
            .iter()
            .map(|t| (t.negate, t.column, t.needle.as_str()))
    }

    /// The `field:` names that matched no column, as typed.
    pub(crate) fn unknown_fields(&self) -> &[String] {
        &self.unknown
    }
}

/// The column a `field:` names: its header ignoring case, spaces and punctuation
/// (`last_seen` for `LAST SEEN`), else the one header it is a prefix of.
fn column_of(field: &str, headers: &[&str]) -> Option<usize> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let want = key(field);
    if want.is_empty() {
        return None;
    }
    let keys: Vec<String> = headers.iter().map(|h| key(h)).collect();
    if let Some(i) = keys.iter().position(|k| *k == want) {
        return Some(i);
    }
    let mut prefixed = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.starts_with(&want));
    match (prefixed.next(), prefixed.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Split on spaces outside double quotes; the quotes themselves are dropped (an unclosed
/// one runs to the end, as it does while being typed).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R(Vec<String>, String);

    fn row(cells: &[&str]) -> R {
        let cells: Vec<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        let whole = cells.join("\u{1f}");
        R(cells, whole)
    }

    impl Searchable for R {
        fn contains(&self, needle: &str) -> bool {
            self.1.contains(needle)
        }
        fn cell(&self, col: usize) -> &str {
            self.0.get(col).map(String::as_str).unwrap_or("")
        }
    }

    const HEADERS: [&str; 5] = ["DEVICE", "OS", "RISK", "LAST SEEN", "HEALTH"];

    fn keeps(q: &str, r: &R) -> bool {
        FilterQuery::parse(q, &HEADERS).matches(r)
    }

    #[test]
    fn terms_are_anded_excluded_and_scoped_to_a_column() {
        let linux_high = row(&["srv-web-01", "Linux", "High", "2h", "Active"]);
        let win_high = row(&["ws-linux-fan", "Windows11", "High", "1d", "Active"]);
        let linux_iso = row(&["srv-db", "Linux", "High", "1d", "Isolated"]);
        assert!(keeps("risk:high os:linux !isolated", &linux_high));
        assert!(!keeps("risk:high os:linux !isolated", &win_high));
        assert!(!keeps("risk:high os:linux !isolated", &linux_iso));
        // Without the column, "linux" is found in the device name too.
        assert!(keeps("linux high", &win_high));
        assert!(!keeps("linux low", &win_high));
        // Field names ignore case, spaces and punctuation; a unique prefix will do.
        assert!(keeps("OS:LIN", &linux_high));
        assert!(keeps("last_seen:2h", &linux_high));
        assert!(keeps("heal:active", &linux_high));
        assert!(!keeps("!os:linux", &linux_high));
        assert!(keeps("!os:linux", &win_high));
        // Quotes keep a space inside a term.
        let titled = row(&["credential theft on one endpoint"]);
        assert!(FilterQuery::parse("device:\"theft on\"", &HEADERS).matches(&titled));
        assert!(!FilterQuery::parse("device:\"theft  on\"", &HEADERS).matches(&titled));
    }

    #[test]
    fn half_typed_terms_keep_every_row_and_unknown_fields_search_the_row() {
        let r = row(&["srv-web-01", "Linux", "High", "10:30", "Active"]);
        for q in ["", "risk:", "!", "  ", "!os:"] {
            assert!(FilterQuery::parse(q, &HEADERS).is_empty(), "{q:?}");
            assert!(keeps(q, &r));
        }
        let q = FilterQuery::parse("rsk:high 10:30", &HEADERS);
        assert_eq!(q.unknown_fields(), ["rsk".to_string()]);
        assert!(!q.matches(&r));
        assert!(keeps("10:30", &r));
    }

    #[test]
    fn narrowing_is_only_claimed_when_it_holds() {
        let p = |s| FilterQuery::parse(s, &HEADERS);
        assert!(p("fin").narrows(&p("fi")));
        assert!(p("fi os:linux").narrows(&p("fi")));
        assert!(p("os:linux").narrows(&p("linux")));
        assert!(!p("linux").narrows(&p("os:linux")));
        assert!(p("!i").narrows(&p("")));
        assert!(p("!i").narrows(&p("!is")));
        // Excluding a longer word excludes fewer rows: it widens.
        assert!(!p("!iso").narrows(&p("!is")));
        assert!(!p("risk:").narrows(&p("risk")));
        assert!(!p("fi").narrows(&p("fin")));
        assert!(p("!lin").narrows(&p("!os:linux")));
        assert!(!p("!os:lin").narrows(&p("!linux")));
    }
}
