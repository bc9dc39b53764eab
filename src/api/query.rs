//! Query strings: OData values percent-encoded (`%20`, not `+`), `$top`/`$skip` added to a
//! path, and the API path of a URL (for budgets and logs).

/// The path part after `/api/` or `/v1.0/`, for budget classification.
pub(crate) fn api_path(url: &str) -> &str {
    for marker in ["/api/", "/v1.0/"] {
        if let Some(i) = url.find(marker) {
            return &url[i + marker.len()..];
        }
    }
    url
}

/// Drop the query string from a URL for logs (filters may hold user data).
pub(crate) fn redact_path(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// Add `$top=n` when the path has no `$top`; returns the path and the effective page size.
pub(crate) fn with_top(path: &str, n: usize) -> (String, usize) {
    if let Some(existing) = query_param(path, "$top") {
        let top = existing.parse().unwrap_or(n);
        return (path.to_string(), top);
    }
    let sep = if path.contains('?') { '&' } else { '?' };
    (format!("{path}{sep}$top={n}"), n)
}

pub(crate) fn with_skip(path: &str, skip: usize) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}$skip={skip}")
}

fn query_param<'a>(path: &'a str, key: &str) -> Option<&'a str> {
    let query = path.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key || k == key.replace('$', "%24")).then_some(v)
    })
}

/// Percent-encode an OData query value (`$filter` expressions, search strings): spaces become
/// `%20` (not `+`), quotes and parentheses stay readable.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'\''
            | b'('
            | b')'
            | b','
            | b':'
            | b'$'
            | b'/'
            | b'@'
            | b'*' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Build `path?$filter=…&$top=…` from parts, encoding each value.
pub fn path_with_query(path: &str, params: &[(&str, Option<String>)]) -> String {
    let mut out = path.to_string();
    let mut first = !path.contains('?');
    for (k, v) in params {
        if let Some(v) = v {
            out.push(if first { '?' } else { '&' });
            first = false;
            out.push_str(k);
            out.push('=');
            out.push_str(&encode_query_value(v));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_odata_filters_with_percent_twenty() {
        assert_eq!(
            path_with_query(
                "machines",
                &[
                    ("$filter", Some("riskScore eq 'High'".into())),
                    ("$top", None)
                ]
            ),
            "machines?$filter=riskScore%20eq%20'High'"
        );
        assert_eq!(encode_query_value("a&b+c#d"), "a%26b%2Bc%23d");
    }

    #[test]
    fn top_is_added_once() {
        assert_eq!(
            with_top("machines", 10),
            ("machines?$top=10".to_string(), 10)
        );
        assert_eq!(
            with_top("machines?$top=5", 10),
            ("machines?$top=5".to_string(), 5)
        );
        assert_eq!(with_top("a?$filter=x", 3).0, "a?$filter=x&$top=3");
    }

    #[test]
    fn api_path_strips_prefix() {
        assert_eq!(
            api_path("http://h/api/machines/1/isolate"),
            "machines/1/isolate"
        );
        assert_eq!(
            api_path("https://g/v1.0/security/incidents?$top=1"),
            "security/incidents?$top=1"
        );
    }
}
