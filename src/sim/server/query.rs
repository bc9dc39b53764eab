//! The OData options that shape a list without filtering it: `$orderby` (sort by one or more
//! filterable properties, `asc`/`desc`) and `$select` (keep only some properties of each
//! record). Unknown properties are a 400, as on the real services.

use super::Req;
use super::odata::{Record, Val};
use super::reply::{Family, Reply, error};
use serde_json::{Map, Value};
use std::cmp::Ordering;

fn bad_property(family: Family, option: &str, name: &str) -> Reply {
    error(
        family,
        400,
        if family == Family::Mde {
            "ODataError"
        } else {
            "BadRequest"
        },
        &format!("Invalid {option} clause: Could not find a property named '{name}'."),
    )
}

/// `(lower-cased property, descending)` pairs of `$orderby`, checked against `allowed`.
fn order_keys(req: &Req, family: Family, allowed: &[&str]) -> Result<Vec<(String, bool)>, Reply> {
    let Some(spec) = req.q("$orderby") else {
        return Ok(Vec::new());
    };
    let mut keys = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let mut words = part.split_whitespace();
        let name = words.next().unwrap_or_default().to_ascii_lowercase();
        let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(error(
                    family,
                    400,
                    if family == Family::Mde {
                        "ODataError"
                    } else {
                        "BadRequest"
                    },
                    &format!("Invalid $orderby direction '{other}'; expected asc or desc."),
                ));
            }
        };
        if !allowed.contains(&name.as_str()) {
            return Err(bad_property(family, "$orderby", &name));
        }
        keys.push((name, desc));
    }
    Ok(keys)
}

/// Nulls sort first ascending (as OData does); values of different kinds keep their order.
fn cmp_val(a: &Option<Val>, b: &Option<Val>) -> Ordering {
    match (a, b) {
        (Some(Val::Str(x)), Some(Val::Str(y))) => x.to_lowercase().cmp(&y.to_lowercase()),
        (Some(Val::Num(x)), Some(Val::Num(y))) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        (Some(Val::Date(x)), Some(Val::Date(y))) => x.cmp(y),
        (Some(Val::Bool(x)), Some(Val::Bool(y))) => x.cmp(y),
        (None | Some(Val::Null), None | Some(Val::Null)) => Ordering::Equal,
        (None | Some(Val::Null), _) => Ordering::Less,
        (_, None | Some(Val::Null)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// Sorts `items` by `$orderby` (stable: the default order breaks ties). Without the option
/// the default order is kept.
pub(crate) fn order_by<R: Record>(
    req: &Req,
    family: Family,
    allowed: &[&str],
    items: &mut [R],
) -> Result<(), Reply> {
    let keys = order_keys(req, family, allowed)?;
    if keys.is_empty() {
        return Ok(());
    }
    items.sort_by(|a, b| {
        keys.iter()
            .map(|(k, desc)| {
                let o = cmp_val(&a.field(k), &b.field(k));
                if *desc { o.reverse() } else { o }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    Ok(())
}

/// The property names of `$select`, if given.
pub fn selected(req: &Req) -> Option<Vec<String>> {
    let spec = req.q("$select")?;
    let names: Vec<String> = spec
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    (!names.is_empty()).then_some(names)
}

/// Keeps only the selected properties of a record (names match case-insensitively; the
/// record's own spelling is kept). A name the record does not have is a 400.
pub(crate) fn project(family: Family, names: &[String], v: Value) -> Result<Value, Reply> {
    let Value::Object(m) = v else {
        return Ok(v);
    };
    let mut out = Map::new();
    for n in names {
        match m.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)) {
            Some((k, val)) => {
                out.insert(k.clone(), val.clone());
            }
            None => return Err(bad_property(family, "$select", n)),
        }
    }
    Ok(Value::Object(out))
}
