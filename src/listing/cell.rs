//! One table/CSV cell and how it renders per format: times are `2026-11-29 23:44Z` (or an
//! age like `9h`) in a table, full ISO-8601 instants in CSV; a long value may have a shorter
//! table form while CSV keeps it whole.

use chrono::{DateTime, SecondsFormat, Utc};

use super::Format;

/// The content of one cell, before it knows its format.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// The same text everywhere.
    Text(String),
    /// A shorter table form (a shortened id); CSV gets `full`.
    Brief { table: String, full: String },
    /// An instant: minute precision in a table, ISO-8601 in CSV. `None` is empty.
    Time(Option<DateTime<Utc>>),
    /// An instant shown as its age (`9h`) in a table, ISO-8601 in CSV.
    Age(Option<DateTime<Utc>>),
}

impl Cell {
    /// The cell text in `format` (JSON never renders cells), ages counted from `now`.
    pub fn render(&self, format: Format, now: DateTime<Utc>) -> String {
        let table = format == Format::Table;
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Brief { table: t, full } => {
                if table {
                    t.clone()
                } else {
                    full.clone()
                }
            }
            Cell::Time(None) | Cell::Age(None) => String::new(),
            Cell::Time(Some(t)) | Cell::Age(Some(t)) if !table => {
                t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            }
            Cell::Time(Some(t)) => t.format("%Y-%m-%d %H:%MZ").to_string(),
            Cell::Age(Some(t)) => age(now - *t),
        }
    }

    /// A long id shown as its first `keep` characters and `…` in a table (CSV keeps it).
    pub(crate) fn short_id(id: &str, keep: usize) -> Cell {
        let table = if id.chars().count() > keep + 1 {
            let mut s: String = id.chars().take(keep).collect();
            s.push('…');
            s
        } else {
            id.to_string()
        };
        Cell::Brief {
            table,
            full: id.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// Optional text; `None` is an empty cell.
pub fn text(s: Option<&str>) -> Cell {
    Cell::Text(s.unwrap_or_default().to_string())
}

/// Anything displayable (open enums, numbers); `None` is an empty cell.
pub fn opt<D: std::fmt::Display>(v: Option<D>) -> Cell {
    Cell::Text(v.map(|v| v.to_string()).unwrap_or_default())
}

/// A duration as one compact unit: `45s`, `12m`, `9h`, `3d`; the future is `in 5m`.
pub fn age(d: chrono::TimeDelta) -> String {
    let secs = d.num_seconds();
    let (prefix, s) = if secs < 0 { ("in ", -secs) } else { ("", secs) };
    let unit = match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    };
    format!("{prefix}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_render_per_format() {
        let t = Utc.with_ymd_and_hms(2026, 11, 29, 23, 44, 17).unwrap();
        let now = t + chrono::TimeDelta::hours(9) + chrono::TimeDelta::minutes(5);
        assert_eq!(
            Cell::Time(Some(t)).render(Format::Table, now),
            "2026-11-29 23:44Z"
        );
        assert_eq!(
            Cell::Time(Some(t)).render(Format::Csv, now),
            "2026-11-29T23:44:17Z"
        );
        assert_eq!(Cell::Age(Some(t)).render(Format::Table, now), "9h");
        assert_eq!(
            Cell::Age(Some(t)).render(Format::Csv, now),
            "2026-11-29T23:44:17Z"
        );
        assert_eq!(Cell::Age(None).render(Format::Table, now), "");
        assert_eq!(age(chrono::TimeDelta::seconds(-300)), "in 5m");
        assert_eq!(age(chrono::TimeDelta::days(3)), "3d");
        let id = Cell::short_id("4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6", 10);
        assert_eq!(id.render(Format::Table, now), "4b7e3c2a9f…");
        assert_eq!(id.render(Format::Csv, now).len(), 40);
    }
}
