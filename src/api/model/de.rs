//! Tolerant deserializers shared by every model: the services send timestamps with 0–7
//! fractional digits (and .NET's `0001-01-01` for "never"), numbers and booleans as strings,
//! ids as numbers or strings, and `null` where a list is expected. Each helper here accepts
//! all the shapes seen in real answers so that one odd field never fails a whole page.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

/// Parse a service timestamp. `None` for empty text, the .NET `DateTime.MinValue` sentinel
/// (any year-1 date) and text that is not a date at all.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let parsed = DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            // No offset at all: the services mean UTC.
            NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f"))
                .ok()
                .map(|n| n.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc())
        })?;
    // 0001-01-01T00:00:00Z is how .NET says "never".
    (parsed.timestamp() > -62_000_000_000).then_some(parsed)
}

/// `Option<DateTime<Utc>>` from a timestamp string, `null`, `""` or the `0001` sentinel.
pub(crate) fn datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let text: Option<Loose> = Option::deserialize(d)?;
    Ok(text.and_then(|l| l.text()).and_then(|t| parse_datetime(&t)))
}

/// `Option<f64>` from a number or a numeric string (`"100.0"`); `""`/`null`/junk -> `None`.
pub(crate) fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v: Option<Loose> = Option::deserialize(d)?;
    Ok(v.and_then(|l| match l {
        Loose::F(f) => Some(f),
        Loose::I(i) => Some(i as f64),
        Loose::U(u) => Some(u as f64),
        Loose::S(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        Loose::B(_) | Loose::Other => None,
    }))
}

/// `Option<i64>` from a number or a numeric string (`"14850"`, `"3.0"`).
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v: Option<Loose> = Option::deserialize(d)?;
    Ok(v.and_then(|l| match l {
        Loose::I(i) => Some(i),
        Loose::U(u) => i64::try_from(u).ok(),
        Loose::F(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => Some(f as i64),
        Loose::S(s) => {
            let s = s.trim();
            s.parse::<i64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e18)
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }))
}

/// `Option<bool>` from a boolean or `"True"`/`"False"`/`"true"`/`"1"`; `"Unknown"` -> `None`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v: Option<Loose> = Option::deserialize(d)?;
    Ok(v.and_then(|l| match l {
        Loose::B(b) => Some(b),
        Loose::I(i) => Some(i != 0),
        Loose::U(u) => Some(u != 0),
        Loose::S(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }))
}

/// An id that may arrive as a number or a string; `null` becomes an empty string.
pub fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(opt_id(d)?.unwrap_or_default())
}

/// An optional id (or any scalar) as text: numbers keep their decimal form.
pub(crate) fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<Loose> = Option::deserialize(d)?;
    Ok(v.and_then(|l| l.text()))
}

/// Optional text where the service sometimes writes the literal `"null"` (old alert
/// categories) or an empty string for "no value".
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<Loose> = Option::deserialize(d)?;
    Ok(v.and_then(|l| l.text())
        .filter(|s| !s.trim().is_empty() && !s.trim().eq_ignore_ascii_case("null")))
}

/// A list that may be `null` or missing (both -> empty). Elements must parse.
pub fn vec<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let v: Option<Vec<T>> = Option::deserialize(d)?;
    Ok(v.unwrap_or_default())
}

/// Any JSON scalar, kept loosely so the helpers above can coerce it. Objects and arrays are
/// skipped (`Other`) rather than failing the record.
enum Loose {
    B(bool),
    I(i64),
    U(u64),
    F(f64),
    S(String),
    Other,
}

impl Loose {
    fn text(self) -> Option<String> {
        match self {
            Loose::S(s) => Some(s),
            Loose::I(i) => Some(i.to_string()),
            Loose::U(u) => Some(u.to_string()),
            Loose::F(f) => Some(f.to_string()),
            Loose::B(b) => Some(b.to_string()),
            Loose::Other => None,
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON scalar")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Loose, E> {
                Ok(Loose::B(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
                Ok(Loose::I(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
                Ok(Loose::U(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
                Ok(Loose::F(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
                Ok(Loose::S(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Loose, E> {
                Ok(Loose::S(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_any_precision() {
        for t in [
            "2020-01-06T14:11:34Z",
            "2019-09-01T13:31:08.57Z",
            "2026-03-11T07:41:03.7220239Z",
            "2026-03-11T07:41:03.7220239",
            "2026-03-11T07:41:03+02:00",
        ] {
            assert!(parse_datetime(t).is_some(), "{t}");
        }
        assert_eq!(parse_datetime("0001-01-01T00:00:00Z"), None);
        assert_eq!(parse_datetime(""), None);
        assert_eq!(parse_datetime("soon"), None);
    }
}
