//! A tiny OData `$filter` language: the value and record types, the expression tree and its
//! evaluator (eq, ne, gt, ge, lt, le, and, or, not, startswith(), contains()). Parsing lives in
//! `parse`.

mod parse;

use chrono::{DateTime, Utc};

/// A property value of a record.
#[derive(Debug, Clone)]
pub enum Val {
    Str(String),
    Num(f64),
    Date(DateTime<Utc>),
    Bool(bool),
    Null,
}

/// A record that can be filtered. `field` gets the property name lower-cased and answers
/// `None` for properties that are not filterable.
pub(crate) trait Record {
    fn field(&self, name: &str) -> Option<Val>;
}

#[derive(Debug, Clone, Copy, PartialEq)]
/// A comparison operator.
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A parsed filter expression.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Cmp(String, Op, Val),
    StartsWith(String, String),
    Contains(String, String),
}

impl Expr {
    /// Every property the expression names (to reject non-filterable ones up front).
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => [a.fields(), b.fields()].concat(),
            Expr::Not(a) => a.fields(),
            Expr::Cmp(f, _, _) | Expr::StartsWith(f, _) | Expr::Contains(f, _) => vec![f.as_str()],
        }
    }

    /// Evaluates against a record, comparing strings case-insensitively (as the Defender for
    /// Endpoint API does); unknown properties evaluate to false.
    pub(crate) fn eval(&self, r: &dyn Record) -> bool {
        self.eval_with(r, false)
    }

    /// Evaluates with case-sensitive string comparison, as Microsoft Graph compares its
    /// camelCase enum values (`status eq 'Active'` matches no incident).
    pub(crate) fn eval_exact(&self, r: &dyn Record) -> bool {
        self.eval_with(r, true)
    }

    fn eval_with(&self, r: &dyn Record, exact: bool) -> bool {
        match self {
            Expr::And(a, b) => a.eval_with(r, exact) && b.eval_with(r, exact),
            Expr::Or(a, b) => a.eval_with(r, exact) || b.eval_with(r, exact),
            Expr::Not(a) => !a.eval_with(r, exact),
            Expr::StartsWith(f, s) => {
                matches!(r.field(f), Some(Val::Str(v)) if v.to_lowercase().starts_with(&s.to_lowercase()))
            }
            Expr::Contains(f, s) => {
                matches!(r.field(f), Some(Val::Str(v)) if v.to_lowercase().contains(&s.to_lowercase()))
            }
            Expr::Cmp(f, op, lit) => match r.field(f) {
                Some(v) => compare(&v, *op, lit, exact),
                None => false,
            },
        }
    }
}

fn compare(v: &Val, op: Op, lit: &Val, exact: bool) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (v, lit) {
        (Val::Str(a), Val::Str(b)) if exact => Some(a.cmp(b)),
        (Val::Str(a), Val::Str(b)) => Some(a.to_lowercase().cmp(&b.to_lowercase())),
        (Val::Str(a), Val::Num(b)) => a.parse::<f64>().ok().and_then(|a| a.partial_cmp(b)),
        (Val::Num(a), Val::Num(b)) => a.partial_cmp(b),
        (Val::Num(a), Val::Str(b)) => b.parse::<f64>().ok().and_then(|b| a.partial_cmp(&b)),
        (Val::Date(a), Val::Date(b)) => Some(a.cmp(b)),
        (Val::Date(a), Val::Str(b)) => DateTime::parse_from_rfc3339(b)
            .ok()
            .map(|b| a.cmp(&b.to_utc())),
        (Val::Bool(a), Val::Bool(b)) => Some(a.cmp(b)),
        (Val::Null, Val::Null) => Some(Ordering::Equal),
        _ => None,
    };
    match (op, ord) {
        (Op::Eq, o) => o == Some(Ordering::Equal),
        (Op::Ne, o) => o != Some(Ordering::Equal),
        (Op::Gt, Some(o)) => o == Ordering::Greater,
        (Op::Ge, Some(o)) => o != Ordering::Less,
        (Op::Lt, Some(o)) => o == Ordering::Less,
        (Op::Le, Some(o)) => o != Ordering::Greater,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct R;
    impl Record for R {
        fn field(&self, name: &str) -> Option<Val> {
            match name {
                "riskscore" => Some(Val::Str("High".into())),
                "computerdnsname" => Some(Val::Str("fin-lt-0142.fabrikam.local".into())),
                "lastseen" => Some(Val::Date(
                    DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
                        .unwrap()
                        .to_utc(),
                )),
                _ => None,
            }
        }
    }

    #[test]
    fn parses_and_evaluates() {
        let e = Expr::parse(
            "(riskScore eq 'High' or riskScore eq 'Medium') and startswith(computerDnsName,'fin-')",
        )
        .unwrap();
        assert!(e.eval(&R));
        assert!(
            Expr::parse("lastSeen gt 2026-02-01T00:00:00Z")
                .unwrap()
                .eval(&R)
        );
        assert!(
            !Expr::parse("lastSeen ge 2026-03-02T00:00:00.5Z")
                .unwrap()
                .eval(&R)
        );
        assert!(Expr::parse("riskScore ne 'Low'").unwrap().eval(&R));
        assert!(Expr::parse("riskScore eq").is_err());
    }

    #[test]
    fn graph_comparison_is_case_sensitive() {
        let e = Expr::parse("riskScore eq 'high'").unwrap();
        assert!(e.eval(&R));
        assert!(!e.eval_exact(&R));
        assert!(Expr::parse("riskScore eq 'High'").unwrap().eval_exact(&R));
        assert!(Expr::parse("riskScore ne 'high'").unwrap().eval_exact(&R));
    }
}
