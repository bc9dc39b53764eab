//! Small builders for OData `$filter` expressions: string literals are single-quoted with
//! embedded quotes doubled, date literals are unquoted ISO instants, and `or` groups are
//! parenthesised when combined with `and`.

use chrono::{DateTime, SecondsFormat, Utc};

/// A quoted OData string literal: `O'Brien` -> `'O''Brien'`.
pub(crate) fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// An OData date literal (unquoted, UTC, `Z`).
pub fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `field eq 'value'`.
pub fn eq(field: &str, value: &str) -> String {
    format!("{field} eq {}", quote(value))
}

/// `field ne 'value'`.
pub fn ne(field: &str, value: &str) -> String {
    format!("{field} ne {}", quote(value))
}

/// `field ge <instant>`.
pub fn ge_time(field: &str, t: DateTime<Utc>) -> String {
    format!("{field} ge {}", instant(t))
}

/// `field lt <instant>`.
pub(crate) fn lt_time(field: &str, t: DateTime<Utc>) -> String {
    format!("{field} lt {}", instant(t))
}

/// `startswith(field,'prefix')`.
pub fn starts_with(field: &str, prefix: &str) -> String {
    format!("startswith({field},{})", quote(prefix))
}

/// `contains(field,'text')`.
pub fn contains(field: &str, text: &str) -> String {
    format!("contains({field},{})", quote(text))
}

/// `field eq 'a' or field eq 'b' …` for several values of one field.
pub fn any_of(field: &str, values: &[&str]) -> String {
    or(values.iter().map(|v| eq(field, v)))
}

/// Join clauses with `or` (empty clauses dropped).
pub fn or<I, S>(clauses: I) -> String
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    join(clauses, " or ", false)
}

/// Join clauses with `and`; a clause holding an `or` is parenthesised.
pub fn and<I, S>(clauses: I) -> String
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    join(clauses, " and ", true)
}

/// `and` of the clauses that are present; `None` when none are.
pub(crate) fn all_of(clauses: Vec<Option<String>>) -> Option<String> {
    let present: Vec<String> = clauses.into_iter().flatten().collect();
    (!present.is_empty()).then(|| and(present))
}

fn join<I, S>(clauses: I, sep: &str, group_ors: bool) -> String
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let parts: Vec<String> = clauses
        .into_iter()
        .map(Into::into)
        .filter(|c| !c.trim().is_empty())
        .collect();
    let many = parts.len() > 1;
    parts
        .into_iter()
        .map(|c| {
            if group_ors && many && c.contains(" or ") && !is_wrapped(&c) {
                format!("({c})")
            } else {
                c
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

fn is_wrapped(c: &str) -> bool {
    c.starts_with('(') && c.ends_with(')')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_filters() {
        assert_eq!(eq("riskScore", "High"), "riskScore eq 'High'");
        assert_eq!(
            eq("computerDnsName", "o'brien"),
            "computerDnsName eq 'o''brien'"
        );
        assert_eq!(
            and([
                any_of("riskScore", &["High", "Medium"]),
                ne("status", "Resolved")
            ]),
            "(riskScore eq 'High' or riskScore eq 'Medium') and status ne 'Resolved'"
        );
        assert_eq!(or([eq("a", "1")]), "a eq '1'");
        assert_eq!(all_of(vec![None, None]), None);
    }

    #[test]
    fn all_of_skips_missing_clauses_and_doubles_quotes() {
        assert_eq!(
            all_of(vec![
                Some(eq("riskScore", "High")),
                None,
                Some(eq("x", "o'k"))
            ]),
            Some("riskScore eq 'High' and x eq 'o''k'".to_string())
        );
        assert_eq!(all_of(vec![None]), None);
    }
}
