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
    let mut items = Vec::with_capacity(records.len());
    let mut skipped = Skipped::default();
    for (i, raw) in records.iter().enumerate() {
        match serde_json::from_str::<T>(raw.get()) {
            Ok(item) => items.push(item),
            Err(e) => {
                let reason = format!("record {} of {}: {e}", i + 1, list_name(&req.path));
                tracing::warn!("{reason}");
                skipped.note(reason);
            }
        }
    }
    if items.is_empty() && !skipped.is_empty() {
        return Err(ApiError::Malformed {
            service: service_of(req.resource),
            detail: skipped.summary(),
        });
    }
    Ok((items, skipped))
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
