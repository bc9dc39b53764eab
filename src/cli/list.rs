//! Every headless list goes through [`list`]: online it walks the API (filters as OData),
//! saves a full unfiltered read to the response cache on the way, and prints; offline
//! (`--offline`) it serves the cached records through the same output code, applying the
//! simple equality filters client-side and refusing what it cannot apply.
//!
//! Cache key: profile + the list's `cache_key` (`api::resources`, shared with the console, so
//! the console and the CLI read and write one entry in one shape). Only full reads (no
//! filter, no --limit) are cached, so the cache always holds a whole list and any filter can
//! be applied to it offline; a filtered read never replaces it.

use chrono::Utc;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::calls::odata::{all_of, eq};
use crate::api::resources::ListResource;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::export::Destination;
use crate::cli::output::{Column, ListSink};
use crate::cli::session::Session;
use crate::store::cache::entry_name;

/// What one list command asks for.
pub struct ListQuery<'a, T> {
    /// The list (its request and cache entry, shared with the console).
    pub resource: ListResource,
    /// Columns of the table and CSV.
    pub columns: &'a [Column<T>],
    /// Equality filters as (API field, wanted value); `None` values are left out.
    pub fields: Vec<(&'static str, Option<String>)>,
    /// A raw OData `$filter` (cannot be applied offline).
    pub raw_filter: Option<String>,
    pub limit: Option<usize>,
}

impl<T: DeserializeOwned> ListQuery<'_, T> {
    /// The `$filter` of the query, if any.
    pub fn odata(&self) -> Option<String> {
        all_of(
            self.fields
                .iter()
                .map(|(f, v)| v.as_deref().map(|v| eq(f, v)))
                .chain([self.raw_filter.as_ref().map(|f| format!("({f})"))])
                .collect(),
        )
    }

    fn full_read(&self) -> bool {
        self.limit.is_none()
            && self.raw_filter.is_none()
            && self.fields.iter().all(|f| f.1.is_none())
    }
}

/// Run a list: the request is the catalogue's (`ListResource::request`) with the query's
/// `$filter`.
pub async fn list<T: DeserializeOwned>(s: &Session, q: ListQuery<'_, T>) -> CliResult {
    list_shaped(s, q, Shape::default()).await
}

/// How records are ordered client-side (for lists whose API has no documented `$orderby`).
pub(crate) type Order<T> = fn(&T, &T) -> std::cmp::Ordering;

/// Completes a record of a table or CSV before its cells are drawn (e.g. a device name the
/// record lacks).
pub(crate) type Fill<'a, T> = crate::cli::output::FillFn<'a, T>;

/// What a list does to its records on top of printing them.
pub(crate) struct Shape<'a, T> {
    /// Sort before printing (the whole list is read first, then printed).
    pub order: Option<Order<T>>,
    /// Complete each record of a table or CSV; `--json` stays the API's records, untouched.
    pub fill: Option<Fill<'a, T>>,
}

impl<T> Default for Shape<'_, T> {
    fn default() -> Self {
        Shape {
            order: None,
            fill: None,
        }
    }
}

/// Like [`list`], with the records sorted by `order` before printing (the whole list is
/// read first, then printed).
pub(crate) async fn list_ordered<T: DeserializeOwned>(
    s: &Session,
    q: ListQuery<'_, T>,
    order: Option<Order<T>>,
) -> CliResult {
    let shape = Shape { order, fill: None };
    list_shaped(s, q, shape).await
}

/// Like [`list`], with the records ordered and completed as `shape` says.
pub(crate) async fn list_shaped<'a, T: DeserializeOwned + 'a>(
    s: &Session,
    q: ListQuery<'a, T>,
    shape: Shape<'a, T>,
) -> CliResult {
    let dest = Destination::open(s.out.as_ref())?;
    let result = if s.offline {
        offline(s, &q, &dest, shape)
    } else {
        let req = q.resource.request(q.odata());
        online(s, &q, req, &dest, shape).await
    };
    dest.finish(result)
}

fn sink<'a, T: DeserializeOwned>(
    s: &Session,
    q: &ListQuery<'a, T>,
    dest: &Destination,
    fill: Option<Fill<'a, T>>,
) -> CliResult<ListSink<'a, T>> {
    let sink = ListSink::to_writer(s.format, q.columns, dest.writer()?, dest.on_terminal());
    Ok(match fill {
        Some(f) => sink.with_fill(f),
        None => sink,
    })
}

/// Sort raw records by their typed form; records that do not read sort last, in order.
fn sorted<T: DeserializeOwned>(records: Vec<Box<RawValue>>, order: Order<T>) -> Vec<Box<RawValue>> {
    let mut keyed: Vec<(Option<T>, Box<RawValue>)> = records
        .into_iter()
        .map(|r| (serde_json::from_str::<T>(r.get()).ok(), r))
        .collect();
    keyed.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => order(a, b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    keyed.into_iter().map(|(_, r)| r).collect()
}

async fn online<'a, T: DeserializeOwned>(
    s: &Session,
    q: &ListQuery<'a, T>,
    req: crate::api::calls::ListRequest,
    dest: &Destination,
    shape: Shape<'a, T>,
) -> CliResult<usize> {
    let order = shape.order;
    let mut writer = match (&s.cache, q.full_read()) {
        (Some(c), true) => c
            .writer(&s.profile_name, q.resource, Utc::now())
            .map_err(|e| tracing::warn!("response cache not written: {e}"))
            .ok(),
        _ => None,
    };
    let mut sink = sink(s, q, dest, shape.fill)?;
    let mut progress = crate::cli::progress::Progress::new(entry_name(q.resource));
    let mut held: Vec<Box<RawValue>> = Vec::new();
    // An ordered list reads everything, sorts, then keeps `--limit` (the top N, not the
    // first N the service happened to send).
    let walk_limit = if order.is_some() { None } else { q.limit };
    let walked = req
        .for_each_raw(&s.client, walk_limit, |page| {
            progress.page(page.len());
            if let Some(w) = &mut writer
                && let Err(e) = w.push(&page)
            {
                tracing::warn!("response cache not written: {e}");
                writer = None;
            }
            if order.is_some() {
                held.extend(page);
                Ok(())
            } else {
                sink.page(page)
            }
        })
        .await;
    // Cleared before the table reaches the terminal.
    drop(progress);
    let walked = match (walked, order) {
        (Ok(n), Some(o)) => {
            let mut top = sorted(held, o);
            top.truncate(q.limit.unwrap_or(usize::MAX));
            sink.page(top).map(|_| n)
        }
        (other, _) => other,
    };
    match walked {
        Ok(_) => {
            let n = sink.finish()?;
            if let Some(w) = writer {
                match w.commit() {
                    Ok(true) => {}
                    Ok(false) => tracing::info!("{} too big to cache", entry_name(q.resource)),
                    Err(e) => tracing::warn!("response cache not written: {e}"),
                }
            }
            Ok(n)
        }
        // A failure of the sink (a closed pipe, a bad record) wins over the paging error.
        Err(e) => Err(sink.take_failure().unwrap_or(e.into())),
    }
}

fn offline<'a, T: DeserializeOwned>(
    s: &Session,
    q: &ListQuery<'a, T>,
    dest: &Destination,
    shape: Shape<'a, T>,
) -> CliResult<usize> {
    if let Some(f) = &q.raw_filter {
        return Err(CliError::Usage(format!(
            "--filter '{f}' is OData and cannot be applied offline; use the named filters \
             (--risk, --health …) or drop --offline"
        )));
    }
    let no_data = || {
        CliError::Runtime(format!(
            "no offline data for {} of profile '{}': run the list once online first \
             (a full read, without filters or --limit)",
            entry_name(q.resource),
            s.profile_name
        ))
    };
    let cache = s.cache.as_ref().ok_or_else(no_data)?;
    let (records, fetched_at) = cache
        .load_raw(&s.profile_name, q.resource)
        .map_err(|e| CliError::Runtime(e.to_string()))?
        .ok_or_else(no_data)?;
    eprintln!(
        "offline: data from {}, {} old",
        fetched_at.format("%Y-%m-%d %H:%MZ"),
        crate::cli::output::age(Utc::now() - fetched_at)
    );
    let wanted: Vec<(&str, &str)> = q
        .fields
        .iter()
        .filter_map(|(f, v)| v.as_deref().map(|v| (*f, v)))
        .collect();
    let kept: Vec<Box<RawValue>> = records
        .into_iter()
        .filter(|r| wanted.is_empty() || matches(r, &wanted))
        .collect();
    let mut kept = match shape.order {
        Some(o) => sorted(kept, o),
        None => kept,
    };
    kept.truncate(q.limit.unwrap_or(usize::MAX));
    let mut sink = sink(s, q, dest, shape.fill)?;
    sink.page(kept)?;
    sink.finish()
}

/// Whether a raw record has every wanted field equal to its value (case-insensitive, as the
/// services compare enum values).
fn matches(raw: &RawValue, wanted: &[(&str, &str)]) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.get()) else {
        return false;
    };
    wanted.iter().all(|(field, want)| match v.get(*field) {
        Some(serde_json::Value::String(s)) => s.eq_ignore_ascii_case(want),
        Some(other) => other.to_string().eq_ignore_ascii_case(want),
        None => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_side_filter() {
        let r = RawValue::from_string(r#"{"riskScore":"High","n":3}"#.into()).unwrap();
        assert!(matches(&r, &[("riskScore", "high")]));
        assert!(matches(&r, &[("riskScore", "High"), ("n", "3")]));
        assert!(!matches(&r, &[("riskScore", "Low")]));
        assert!(!matches(&r, &[("missing", "x")]));
    }
}
