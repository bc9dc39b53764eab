//! Collections: one page at a time as raw JSON records, following `@odata.nextLink` as an
//! opaque URL (the bearer token only goes to the configured or a Microsoft host) and falling
//! back to `$skip` where a full page comes without one.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::query::{with_skip, with_top};
use crate::api::response::{RawPage, parse_page, service_of};

/// Most pages one walk follows (100,000 devices at the MDE page size are 10 pages; 500,000
/// Graph records at 50 a page are 10,000).
pub(crate) const MAX_PAGES: usize = 10_000;

impl Client {
    /// GET one page at an absolute URL (a `@odata.nextLink`) or an API path.
    pub async fn get_page(
        &self,
        resource: Resource,
        path_or_url: &str,
    ) -> Result<RawPage, ApiError> {
        let url = if path_or_url.starts_with("http://") || path_or_url.starts_with("https://") {
            self.check_next_link(resource, path_or_url)?;
            path_or_url.to_string()
        } else {
            self.endpoints().url(resource, path_or_url)
        };
        let bytes = self.send(Method::GET, resource, &url, None, true).await?;
        parse_page(resource, &bytes)
    }

    /// Walk a collection page by page, handing each page's raw records to `on_page`.
    ///
    /// `path` may carry a query (`machines?$filter=…`). A `$top` of `page_size` is added when
    /// the path has none. Paging follows `@odata.nextLink` as an opaque URL; where a full page
    /// comes without one, it continues with `$skip` (MDE does not promise nextLink on every
    /// list). `limit` stops after that many records. Returns the number of records seen.
    pub async fn for_each_page<F>(
        &self,
        resource: Resource,
        path: &str,
        page_size: usize,
        limit: Option<usize>,
        mut on_page: F,
    ) -> Result<usize, ApiError>
    where
        F: FnMut(Vec<Box<RawValue>>) -> Result<(), ApiError>,
    {
        // Page size 0 (`calls::NO_TOP`): no `$top` at all, follow nextLink only.
        let (base, top) = if page_size == 0 {
            (path.to_string(), usize::MAX)
        } else {
            let page_size = match limit {
                Some(l) => page_size.min(l.max(1)),
                None => page_size,
            };
            with_top(path, page_size)
        };
        let mut next: Option<String> = Some(base.clone());
        let mut seen = 0usize;
        let mut skip = 0usize;
        let mut visited = std::collections::HashSet::new();
        let mut pages = 0usize;
        while let Some(target) = next.take() {
            // A link seen before would loop forever; a walk longer than the cap is a broken
            // or hostile server. Both end with an error, never silently.
            if !visited.insert(target.clone()) {
                return Err(ApiError::Malformed {
                    service: service_of(resource),
                    detail: format!(
                        "the service sent the same next-page link twice after {pages} pages; stopped"
                    ),
                });
            }
            pages += 1;
            if pages > MAX_PAGES {
                return Err(ApiError::Malformed {
                    service: service_of(resource),
                    detail: format!("more than {MAX_PAGES} pages of {path}; stopped"),
                });
            }
            let page = self.get_page(resource, &target).await?;
            let n = page.records.len();
            skip += n;
            let mut records = page.records;
            if let Some(l) = limit {
                records.truncate(l.saturating_sub(seen));
            }
            seen += records.len();
            on_page(records)?;
            if limit.is_some_and(|l| seen >= l) {
                break;
            }
            next = match page.next_link {
                Some(link) => Some(link),
                None if n > 0 && n >= top && !base.contains("$skip=") => {
                    Some(with_skip(&base, skip))
                }
                None => None,
            };
        }
        Ok(seen)
    }

    /// Every record of a collection, typed. A record that does not fit the model is an error
    /// naming its position: nothing is dropped silently.
    pub async fn list<T: DeserializeOwned>(
        &self,
        resource: Resource,
        path: &str,
        page_size: usize,
        limit: Option<usize>,
    ) -> Result<Vec<T>, ApiError> {
        let mut out: Vec<T> = Vec::new();
        self.for_each_page(resource, path, page_size, limit, |records| {
            out.reserve(records.len());
            for raw in records {
                let item =
                    serde_json::from_str::<T>(raw.get()).map_err(|e| ApiError::Malformed {
                        service: service_of(resource),
                        detail: format!("record {} of {path}: {e}", out.len() + 1),
                    })?;
                out.push(item);
            }
            Ok(())
        })
        .await?;
        Ok(out)
    }

    /// A nextLink is followed with the same bearer token only at the configured origin
    /// (scheme, host AND port) or over https on a Microsoft host: a token must never be
    /// handed to anyone else (the same host on another port is another service).
    fn check_next_link(&self, resource: Resource, link: &str) -> Result<(), ApiError> {
        let configured = match resource {
            Resource::Mde => &self.endpoints().mde,
            Resource::Graph => &self.endpoints().graph,
        };
        let refuse = |why: String| ApiError::Malformed {
            service: service_of(resource),
            detail: format!("a next-page link {why}; not followed"),
        };
        let parsed =
            url::Url::parse(link).map_err(|_| refuse(String::from("is not a valid URL")))?;
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        let same_origin = url::Url::parse(configured).is_ok_and(|c| c.origin() == parsed.origin());
        let trusted_suffixes = [
            ".microsoft.com",
            ".microsoft.us",
            ".windows.com",
            ".apps.mil",
        ];
        let microsoft = parsed.scheme() == "https"
            && parsed.port().is_none()
            && trusted_suffixes.iter().any(|s| host.ends_with(s));
        if same_origin || microsoft {
            Ok(())
        } else {
            let port = parsed
                .port_or_known_default()
                .map(|p| format!(":{p}"))
                .unwrap_or_default();
            Err(refuse(format!(
                "points elsewhere ({}://{host}{port})",
                parsed.scheme()
            )))
        }
    }
}
