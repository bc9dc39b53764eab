//! A tiny OData `$filter` parser and evaluator: eq, ne, gt, ge, lt, le, and, or, not,
//! parentheses, startswith(), contains(), quoted strings, unquoted dates/numbers/booleans.

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
pub trait Record {
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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Quoted(String),
    Open,
    Close,
    Comma,
}

fn lex(s: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1
            }
            ')' => {
                out.push(Tok::Close);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '\'' => {
                let mut v = String::new();
                i += 1;
                loop {
                    match cs.get(i) {
                        None => return Err("unterminated string literal".into()),
                        Some('\'') if cs.get(i + 1) == Some(&'\'') => {
                            v.push('\'');
                            i += 2
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            v.push(*ch);
                            i += 1
                        }
                    }
                }
                out.push(Tok::Quoted(v));
            }
            _ => {
                let start = i;
                while i < cs.len() && !matches!(cs[i], ' ' | '\t' | '(' | ')' | ',' | '\'') {
                    i += 1;
                }
                out.push(Tok::Word(cs[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self, w: &str) -> bool {
        matches!(self.toks.get(self.pos), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn expect(&mut self, t: Tok) -> Result<(), String> {
        if self.next() == Some(t.clone()) {
            Ok(())
        } else {
            Err(format!("expected {t:?}"))
        }
    }
    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.peek_word("or") {
            self.pos += 1;
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }
    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        while self.peek_word("and") {
            self.pos += 1;
            e = Expr::And(Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }
    fn unary(&mut self) -> Result<Expr, String> {
        if self.peek_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        match self.next() {
            Some(Tok::Open) => {
                let e = self.or()?;
                self.expect(Tok::Close)?;
                Ok(e)
            }
            Some(Tok::Word(w)) if self.toks.get(self.pos) == Some(&Tok::Open) => {
                self.pos += 1;
                let field = match self.next() {
                    Some(Tok::Word(f)) => f.to_ascii_lowercase(),
                    _ => return Err("expected a property".into()),
                };
                self.expect(Tok::Comma)?;
                let arg = match self.next() {
                    Some(Tok::Quoted(s)) => s,
                    _ => return Err("expected a string literal".into()),
                };
                self.expect(Tok::Close)?;
                match w.to_ascii_lowercase().as_str() {
                    "startswith" => Ok(Expr::StartsWith(field, arg)),
                    "contains" => Ok(Expr::Contains(field, arg)),
                    other => Err(format!("unknown function '{other}'")),
                }
            }
            Some(Tok::Word(field)) => {
                let op = match self.next() {
                    Some(Tok::Word(o)) => match o.to_ascii_lowercase().as_str() {
                        "eq" => Op::Eq,
                        "ne" => Op::Ne,
                        "gt" => Op::Gt,
                        "ge" => Op::Ge,
                        "lt" => Op::Lt,
                        "le" => Op::Le,
                        other => return Err(format!("unknown operator '{other}'")),
                    },
                    _ => return Err("expected an operator".into()),
                };
                let lit = match self.next() {
                    Some(Tok::Quoted(s)) => Val::Str(s),
                    Some(Tok::Word(w)) => literal(&w)?,
                    _ => return Err("expected a literal".into()),
                };
                Ok(Expr::Cmp(field.to_ascii_lowercase(), op, lit))
            }
            _ => Err("syntax error".into()),
        }
    }
}

fn literal(w: &str) -> Result<Val, String> {
    match w.to_ascii_lowercase().as_str() {
        "null" => return Ok(Val::Null),
        "true" => return Ok(Val::Bool(true)),
        "false" => return Ok(Val::Bool(false)),
        _ => {}
    }
    if let Ok(n) = w.parse::<f64>() {
        return Ok(Val::Num(n));
    }
    DateTime::parse_from_rfc3339(w)
        .map(|d| Val::Date(d.to_utc()))
        .map_err(|_| format!("invalid literal '{w}'"))
}

impl Expr {
    /// Parses a `$filter` value.
    pub fn parse(s: &str) -> Result<Expr, String> {
        let mut p = Parser {
            toks: lex(s)?,
            pos: 0,
        };
        let e = p.or()?;
        if p.pos != p.toks.len() {
            return Err("unexpected trailing tokens".into());
        }
        Ok(e)
    }

    /// Every property the expression names (to reject non-filterable ones up front).
    pub fn fields(&self) -> Vec<&str> {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => [a.fields(), b.fields()].concat(),
            Expr::Not(a) => a.fields(),
            Expr::Cmp(f, _, _) | Expr::StartsWith(f, _) | Expr::Contains(f, _) => vec![f.as_str()],
        }
    }

    /// Evaluates against a record; unknown properties evaluate to false.
    pub fn eval(&self, r: &dyn Record) -> bool {
        match self {
            Expr::And(a, b) => a.eval(r) && b.eval(r),
            Expr::Or(a, b) => a.eval(r) || b.eval(r),
            Expr::Not(a) => !a.eval(r),
            Expr::StartsWith(f, s) => {
                matches!(r.field(f), Some(Val::Str(v)) if v.to_lowercase().starts_with(&s.to_lowercase()))
            }
            Expr::Contains(f, s) => {
                matches!(r.field(f), Some(Val::Str(v)) if v.to_lowercase().contains(&s.to_lowercase()))
            }
            Expr::Cmp(f, op, lit) => match r.field(f) {
                Some(v) => compare(&v, *op, lit),
                None => false,
            },
        }
    }
}

fn compare(v: &Val, op: Op, lit: &Val) -> bool {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (v, lit) {
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
}
