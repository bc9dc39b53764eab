//! Small text helpers shared by the views: ages, truncation, padding.

use chrono::{DateTime, Utc};

/// A compact age: `12s`, `5m`, `3h`, `2d`, `7w`.
pub fn age(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        86_400..1_209_600 => format!("{}d", s / 86_400),
        _ => format!("{}w", s / 604_800),
    }
}

/// Age of a time relative to now.
pub(crate) fn age_since(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    age((now - at).num_seconds())
}

/// Cut text to `max` terminal columns, with `…` when cut; a grapheme (an emoji ZWJ
/// sequence, a letter with its accents) is never split.
pub fn truncate(text: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    crate::text::truncate(text, max).into_owned()
}

/// A number with thousands separators: `100,000`.
pub(crate) fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(age(12), "12s");
        assert_eq!(age(3600 * 5), "5h");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(thousands(100000), "100,000");
        assert_eq!(thousands(999), "999");
    }
}
