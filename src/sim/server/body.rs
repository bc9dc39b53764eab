//! Request-body validation shared by the MDE write routes: Microsoft's case-sensitive keys,
//! required parameters, and small field helpers.

use super::Req;
use super::reply::{Reply, mde_error};
use serde_json::{Map, Value};

/// Who the simulator records as the requestor of API-created actions.
pub(crate) const REQUESTOR: &str = "socops (Fabrikam SecOps)";

/// The body as a JSON object, or `InvalidRequestBody`.
pub fn body(req: &Req) -> Result<Map<String, Value>, Reply> {
    match serde_json::from_slice::<Value>(&req.body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(mde_error(
            400,
            "InvalidRequestBody",
            "Request body is not a valid JSON object",
        )),
    }
}

/// Keys are case-sensitive: a wrongly cased known key is `InvalidRequestBody`; a missing
/// required one is `MissingRequiredParameter`.
pub fn check(m: &Map<String, Value>, allowed: &[&str], required: &[&str]) -> Result<(), Reply> {
    for k in m.keys() {
        if !allowed.contains(&k.as_str())
            && let Some(right) = allowed.iter().find(|a| a.eq_ignore_ascii_case(k))
        {
            return Err(mde_error(
                400,
                "InvalidRequestBody",
                &format!(
                    "Request body is invalid: unknown property '{k}' (did you mean '{right}'? Property names are case-sensitive)"
                ),
            ));
        }
    }
    for r in required {
        match m.get(*r) {
            None | Some(Value::Null) => {
                return Err(mde_error(
                    400,
                    "MissingRequiredParameter",
                    &format!("Required parameter '{r}' is missing"),
                ));
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                return Err(mde_error(
                    400,
                    "MissingRequiredParameter",
                    &format!("Required parameter '{r}' is empty"),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A string field.
pub fn s(m: &Map<String, Value>, k: &str) -> Option<String> {
    m.get(k).and_then(Value::as_str).map(str::to_string)
}

/// Whether `v` is `len` hex digits.
pub(crate) fn is_hex(v: &str, len: usize) -> bool {
    v.len() == len && v.chars().all(|c| c.is_ascii_hexdigit())
}
