//! The `$filter` lexer and recursive-descent parser: parentheses, quoted strings (with `''`
//! escapes), functions, and unquoted dates/numbers/booleans/null.

use super::{Expr, Op, Val};
use chrono::DateTime;

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
}
