//! `$top`/`$skip` handling, `@odata.nextLink` on this server, and collection envelopes.

use super::Req;
use super::reply::{Family, Reply, error};
use serde_json::{Map, Value};

/// How a collection pages.
#[derive(Debug, Clone, Copy)]
pub struct PageRule {
    /// Page size without `$top`.
    pub default: usize,
    /// Largest `$top`.
    pub max: usize,
    /// Clamp a larger `$top` instead of answering 400.
    pub clamp: bool,
}

/// MDE lists: up to 10,000 per page.
pub(crate) const MDE_LIST: PageRule = PageRule {
    default: 10_000,
    max: 10_000,
    clamp: false,
};

/// The `(skip, top)` of a request, or the service's 400.
pub fn window(req: &Req, family: Family, rule: PageRule) -> Result<(usize, usize), Reply> {
    let parse = |k: &str| -> Result<Option<usize>, Reply> {
        match req.q(k) {
            None => Ok(None),
            Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
                error(
                    family,
                    400,
                    if family == Family::Mde {
                        "ODataError"
                    } else {
                        "BadRequest"
                    },
                    &format!("Invalid value '{v}' for query option {k}."),
                )
            }),
        }
    };
    let skip = parse("$skip")?.unwrap_or(0);
    let top = match parse("$top")? {
        None => rule.default,
        Some(t) if t > rule.max && !rule.clamp => {
            return Err(match family {
                Family::Graph => error(
                    family,
                    400,
                    "",
                    &format!(
                        "The query specified in the URI is not valid. The limit of '{}' for Top query has been exceeded. The value from the incoming request is '{t}'.",
                        rule.max
                    ),
                ),
                _ => error(
                    family,
                    400,
                    "ODataError",
                    &format!(
                        "The limit of '{}' for Top query has been exceeded. The value from the incoming request is '{t}'.",
                        rule.max
                    ),
                ),
            });
        }
        Some(t) => t.min(rule.max),
    };
    Ok((skip, top))
}

fn enc(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// An absolute URL on this server for the next page: the same query with `$skip` moved on.
pub fn next_link(req: &Req, base: &str, next_skip: usize) -> String {
    let mut parts: Vec<String> = req
        .query
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("$skip"))
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect();
    parts.push(format!("$skip={next_skip}"));
    format!("{base}{}?{}", req.path, parts.join("&"))
}

/// `{"@odata.context", "value", "@odata.nextLink"?}`.
pub fn envelope(
    context: String,
    values: Vec<Value>,
    next: Option<String>,
    count: Option<usize>,
) -> Value {
    let mut m = Map::new();
    m.insert("@odata.context".into(), context.into());
    if let Some(c) = count {
        m.insert("@odata.count".into(), c.into());
    }
    m.insert("value".into(), Value::Array(values));
    if let Some(n) = next {
        m.insert("@odata.nextLink".into(), n.into());
    }
    Value::Object(m)
}

/// Pages a list of matching indices and serialises only the page.
pub fn page<T>(
    req: &Req,
    base: &str,
    family: Family,
    rule: PageRule,
    context: String,
    matches: &[T],
    mut to_json: impl FnMut(&T) -> Value,
) -> Reply {
    let (skip, top) = match window(req, family, rule) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let end = skip.saturating_add(top).min(matches.len());
    let select = super::query::selected(req);
    // Records are written straight into the body as they are serialised, so a 10,000-record
    // page never holds all its `Value` trees at once (that tripled peak memory at 100k devices).
    let mut items: Vec<u8> = Vec::new();
    for (n, m) in matches
        .get(skip.min(matches.len())..end)
        .unwrap_or(&[])
        .iter()
        .enumerate()
    {
        let v = to_json(m);
        let v = match &select {
            Some(names) => match super::query::project(family, names, v) {
                Ok(v) => v,
                Err(r) => return r,
            },
            None => v,
        };
        if n > 0 {
            items.push(b',');
        }
        if serde_json::to_writer(&mut items, &v).is_err() {
            return super::reply::error(family, 500, "InternalServerError", "serialisation failed");
        }
    }
    let next = (end < matches.len() && top > 0).then(|| next_link(req, base, end));
    let count = req
        .q("$count")
        .is_some_and(|c| c.eq_ignore_ascii_case("true"))
        .then_some(matches.len());
    let mut reply = Reply::ok(family, &envelope(context, Vec::new(), next, count));
    // The envelope's keys sort "value" last; splice the records into its empty array. Quotes
    // inside the context or nextLink are escaped, so the pattern can only be the key itself.
    let key = b"\"value\":[]";
    if let Some(at) = reply.body.windows(key.len()).rposition(|w| w == key) {
        let insert_at = at + key.len() - 1;
        reply.body.splice(insert_at..insert_at, items);
    }
    reply
}
