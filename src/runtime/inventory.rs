//! How the worker files what it reads: a whole list's raw records go to the response cache
//! page by page as they arrive (written on a blocking thread, committed only when the read is
//! complete), and the device inventory is typed and packed page by page
//! (`app::data::devices`). Neither the typed inventory nor its raw records are ever held
//! whole: at 100,000 devices they were ~170 MB and ~120 MB on top of the packed ~40 MB.

use std::sync::mpsc;

use chrono::{DateTime, Utc};
use serde_json::value::RawValue;

use crate::api::calls::{LenientPages, Skipped};
use crate::api::model::Machine;
use crate::api::resources::ListResource;
use crate::api::{ApiError, Client};
use crate::app::data::devices::{Devices, DevicesBuilder};
use crate::app::{Payload, ResourceKind};
use crate::runtime::catalogue::{Online, entry};
use crate::runtime::fetch::read_for_cache;
use crate::store::ResponseCache;
use crate::store::cache::entry_name;

/// Read `kind` as the catalogue says, filing a whole list in `cache` (the profile's response
/// cache) when the read is complete.
pub(crate) async fn read_filed(
    client: &Client,
    kind: ResourceKind,
    now: DateTime<Utc>,
    skipped: &mut Skipped,
    cache: Option<&(ResponseCache, String)>,
) -> Result<Payload, ApiError> {
    let filing = |list| cache.map(|(c, p)| Filing::start(c.clone(), p.clone(), list));
    if let Online::Whole(list @ ListResource::Devices) = entry(kind).online {
        return Ok(Payload::Machines(
            read_devices(client, list, skipped, filing(list)).await?,
        ));
    }
    let (payload, raw) = read_for_cache(client, kind, now, skipped).await?;
    if let Some((list, records)) = raw
        && let Some(f) = filing(list)
    {
        f.page(records);
        f.complete();
    }
    Ok(payload)
}

/// The device inventory, packed page by page; each page's raw records go to `filing`.
async fn read_devices(
    client: &Client,
    list: ListResource,
    skipped: &mut Skipped,
    filing: Option<Filing>,
) -> Result<Devices, ApiError> {
    let req = list.request(None);
    let cap = list.console_cap();
    let mut typer = LenientPages::new(&req);
    let mut devices = DevicesBuilder::default();
    let mut read = 0usize;
    req.for_each_raw(client, cap, |page| {
        read += page.len();
        for r in &page {
            // One record at a time: its typed form is dropped as soon as it is packed.
            if let Some(m) = typer.read::<Machine>(r) {
                devices.push(&m);
            }
        }
        if let Some(f) = &filing {
            f.page(page);
        }
        Ok(())
    })
    .await?;
    // None of them fitting is an error (the filing is dropped: the old file stays).
    skipped.merge(typer.finish()?);
    if let Some(f) = filing
        && cap.is_none_or(|c| read < c)
    {
        f.complete();
    }
    Ok(devices.finish())
}

enum Step {
    Page(Vec<Box<RawValue>>),
    Complete,
}

/// One list being written to the response cache on a blocking thread. Dropped without
/// [`Filing::complete`] (a failed or capped read), it leaves the previous file in place. A
/// failure to write is logged, never shown: the console works without its cache.
pub(crate) struct Filing {
    tx: mpsc::Sender<Step>,
}

impl Filing {
    pub(crate) fn start(cache: ResponseCache, profile: String, list: ListResource) -> Filing {
        let (tx, rx) = mpsc::channel();
        let at = Utc::now();
        tokio::task::spawn_blocking(move || {
            let name = entry_name(list);
            let mut w = match cache.writer(&profile, list, at) {
                Ok(w) => w,
                Err(e) => {
                    tracing::warn!("response cache not written: {e}");
                    return;
                }
            };
            for step in rx {
                match step {
                    Step::Page(records) => {
                        if let Err(e) = w.push(&records) {
                            tracing::warn!("response cache not written: {e}");
                            return;
                        }
                    }
                    Step::Complete => {
                        match w.commit() {
                            Ok(true) => {}
                            Ok(false) => tracing::info!("{name} too big to cache"),
                            Err(e) => tracing::warn!("response cache not written: {e}"),
                        }
                        return;
                    }
                }
            }
        });
        Filing { tx }
    }

    /// Append a page (the writer thread owns it from here).
    pub(crate) fn page(&self, records: Vec<Box<RawValue>>) {
        let _ = self.tx.send(Step::Page(records));
    }

    /// The read is whole: replace the cache file with it.
    pub(crate) fn complete(self) {
        let _ = self.tx.send(Step::Complete);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use serde_json::json;
    use wiremock::matchers::{method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::api::auth::StaticToken;
    use crate::api::{Cloud, Endpoints, RetryPolicy};

    fn client(server: &MockServer) -> Client {
        let uri = server.uri();
        let ep = Endpoints::for_cloud(Cloud::Global, "t1").with_overrides(
            Some(&uri),
            Some(&uri),
            Some(&uri),
        );
        Client::with_policy(
            ep,
            Arc::new(StaticToken::new("t", "tester")),
            RetryPolicy::fast(),
        )
    }

    /// The ids in the filed device list.
    fn filed_ids(cache: &ResponseCache) -> Vec<String> {
        let (records, _) = cache.load_raw("p", ListResource::Devices).unwrap().unwrap();
        records
            .iter()
            .map(|r| serde_json::from_str::<serde_json::Value>(r.get()).unwrap()["id"].to_string())
            .collect()
    }

    /// Wait (at most 10 s) until the writer thread has left no temp file in `dir`.
    async fn no_temp_files(dir: &Path) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let temps = std::fs::read_dir(dir)
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".tmp"));
            if !temps {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    /// Devices in two pages: the first (`new1`) links to the second, which is `page_two`.
    async fn mount_pages(server: &MockServer, page_two: ResponseTemplate) {
        let next = format!("{}/api/machines?$skiptoken=2", server.uri());
        let page_one = json!({"value": [{"id": "new1"}], "@odata.nextLink": next});
        Mock::given(method("GET"))
            .and(path("/api/machines"))
            .and(query_param("$skiptoken", "2"))
            .respond_with(page_two)
            .with_priority(1)
            .mount(server)
            .await;
        Mock::given(method("GET"))
            .and(path("/api/machines"))
            .respond_with(ResponseTemplate::new(200).set_body_json(&page_one))
            .with_priority(2)
            .mount(server)
            .await;
    }

    /// Page one arrives and is filed, page two is broken: the read is an error and the list
    /// filed by the last whole read stays the cache, with no temp file left beside it. The
    /// next whole read replaces it, 0600.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_read_broken_half_way_never_becomes_the_cache() {
        let server = MockServer::start().await;
        let d = tempfile::tempdir().unwrap();
        let cache = ResponseCache::new(d.path());
        let old = RawValue::from_string(r#"{"id":"old"}"#.into()).unwrap();
        cache
            .save_raw("p", ListResource::Devices, &[old], Utc::now())
            .unwrap();
        let broken = ResponseTemplate::new(200).set_body_string("{\"value\": [{\"id\"");
        mount_pages(&server, broken).await;
        let c = client(&server);
        let filed = Some((cache.clone(), "p".to_string()));
        let mut skipped = Skipped::default();
        let read = read_filed(
            &c,
            ResourceKind::Machines,
            Utc::now(),
            &mut skipped,
            filed.as_ref(),
        )
        .await;
        assert!(read.is_err(), "a broken page is an error");
        let dir = d.path().join("cache/p");
        assert!(
            no_temp_files(&dir).await,
            "the unfinished filing is removed"
        );
        assert_eq!(filed_ids(&cache), ["\"old\""]);

        // A whole read (page two answers) is filed.
        server.reset().await;
        let page_two = json!({"value": [{"id": "new2"}]});
        mount_pages(&server, ResponseTemplate::new(200).set_body_json(&page_two)).await;
        let read = read_filed(
            &c,
            ResourceKind::Machines,
            Utc::now(),
            &mut skipped,
            filed.as_ref(),
        )
        .await
        .unwrap();
        assert!(matches!(read, Payload::Machines(ref m) if m.len() == 2));
        let deadline = Instant::now() + Duration::from_secs(10);
        while filed_ids(&cache) != ["\"new1\"", "\"new2\""] && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(filed_ids(&cache), ["\"new1\"", "\"new2\""]);
        assert!(no_temp_files(&dir).await);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("devices.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
