//! Lists that survive one bad record: a record that does not fit the model is skipped and
//! counted ("1 record could not be read"), and the rest of the list is kept. The console's
//! views and the digest's sections read this way, so one hostile or damaged record cannot
//! blank a whole view or zero a section; the count and the first reason are shown (`:errors`
//! in the console, a note in the digest). Headless lists stay strict (`ListRequest::fetch`).

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::ListRequest;
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::response::service_of;

/// Records of a read that could not be read into the model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    pub count: usize,
    /// Why the first one could not be read (position, list and the decoder's words).
    pub first: Option<String>,
}

impl Skipped {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Count one more (keeping the first reason).
    pub fn note(&mut self, reason: String) {
        self.count += 1;
        self.first.get_or_insert(reason);
    }

    /// Add another read's skips.
    pub(crate) fn merge(&mut self, other: Skipped) {
        self.count += other.count;
        if self.first.is_none() {
            self.first = other.first;
        }
    }

    /// "1 record could not be read (record 3 of machines: …)".
    pub fn summary(&self) -> String {
        let what = if self.count == 1 {
            "1 record could not be read".to_string()
        } else {
            format!("{} records could not be read", self.count)
        };
        match &self.first {
            Some(why) if self.count == 1 => format!("{what} ({why})"),
            Some(why) => format!("{what} (the first: {why})"),
            None => what,
        }
    }
}

/// Type `records`, skipping and counting those that do not fit. When none fits the read is
/// an error: a list of nothing but unreadable records is not an empty list.
pub fn type_leniently<T: DeserializeOwned>(
    req: &ListRequest,
    records: &[Box<RawValue>],
) -> Result<(Vec<T>, Skipped), ApiError> {
    let mut typer = LenientPages::new(req);
    let items: Vec<T> = records.iter().filter_map(|r| typer.read(r)).collect();
    Ok((items, typer.finish()?))
}

/// [`type_leniently`] one record at a time, for a reader that keeps no whole list (the
/// console's device inventory, packed page by page): positions count across pages.
pub struct LenientPages<'a> {
    req: &'a ListRequest,
    seen: usize,
    kept: usize,
    skipped: Skipped,
}

impl<'a> LenientPages<'a> {
    pub fn new(req: &'a ListRequest) -> Self {
        LenientPages {
            req,
            seen: 0,
            kept: 0,
            skipped: Skipped::default(),
        }
    }

    /// The next record typed, or `None` (skipped and counted) when it does not fit.
    pub fn read<T: DeserializeOwned>(&mut self, raw: &RawValue) -> Option<T> {
        self.seen += 1;
        match serde_json::from_str::<T>(raw.get()) {
            Ok(item) => {
                self.kept += 1;
                Some(item)
            }
            Err(e) => {
                let reason = format!("record {} of {}: {e}", self.seen, list_name(&self.req.path));
                tracing::warn!("{reason}");
                self.skipped.note(reason);
                None
            }
        }
    }

    /// What was skipped; an error when records came and none fitted.
    pub fn finish(self) -> Result<Skipped, ApiError> {
        if self.kept == 0 && !self.skipped.is_empty() {
            return Err(ApiError::Malformed {
                service: service_of(self.req.resource),
                detail: self.skipped.summary(),
            });
        }
        Ok(self.skipped)
    }
}

/// The list's name without its query (`machines`, `machineactions`).
fn list_name(path: &str) -> &str {
    path.split('?').next().unwrap_or(path)
}

impl ListRequest {
    /// Every record (up to `limit`) that fits `T`; the others are skipped and counted.
    pub async fn fetch_lenient<T: DeserializeOwned>(
        &self,
        client: &Client,
        limit: Option<usize>,
    ) -> Result<(Vec<T>, Skipped), ApiError> {
        let mut raw: Vec<Box<RawValue>> = Vec::new();
        self.for_each_raw(client, limit, |page| {
            raw.extend(page);
            Ok(())
        })
        .await?;
        type_leniently(self, &raw)
    }

    /// Like [`ListRequest::fetch_lenient`], adding the skips to `skipped`.
    pub async fn read<T: DeserializeOwned>(
        &self,
        client: &Client,
        limit: Option<usize>,
        skipped: &mut Skipped,
    ) -> Result<Vec<T>, ApiError> {
        let (items, s) = self.fetch_lenient(client, limit).await?;
        skipped.merge(s);
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_string()).unwrap()
    }

    #[test]
    fn positions_count_across_pages_and_none_fitting_is_an_error() {
        let req = crate::api::calls::machines(None);
        let mut t = LenientPages::new(&req);
        // Page one, then page two: the bad record is the 3rd of the list.
        let first: Vec<Option<u32>> = [raw("1"), raw("2")].iter().map(|r| t.read(r)).collect();
        let second: Vec<Option<u32>> = [raw("\"x\""), raw("4")].iter().map(|r| t.read(r)).collect();
        assert_eq!(
            (first, second),
            (vec![Some(1), Some(2)], vec![None, Some(4)])
        );
        let s = t.finish().unwrap();
        assert_eq!(s.count, 1);
        assert!(s.first.unwrap().starts_with("record 3 of machines"));
        let mut none = LenientPages::new(&req);
        assert!(none.read::<u32>(&raw("\"x\"")).is_none());
        assert!(none.finish().is_err());
        assert!(LenientPages::new(&req).finish().unwrap().is_empty());
    }
}
