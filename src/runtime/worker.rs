//! The IO worker: executes `Load` commands through the API client, a few at a time, and
//! answers every one with data or a visible error, tagged with its request id. Online it also
//! files the full lists it reads in the response cache, page by page off the UI thread
//! (`inventory.rs`, which also packs the devices as their pages arrive); offline it reads that
//! cache instead of the tenant.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Semaphore, mpsc, watch};

use crate::api::Client;
use crate::api::calls::Skipped;
use crate::app::pages::extra::PageFetch;
use crate::app::{LoadError, Msg, RequestId, ResourceKind};
use crate::runtime::fetch::read_page;
use crate::runtime::inventory::read_filed;
use crate::runtime::offline::OfflineSource;
use crate::runtime::supervise::{catch, catch_blocking};
use crate::store::ResponseCache;

/// How many requests run at once (the API budgets are per minute; this keeps bursts short).
pub(crate) const CONCURRENCY: usize = 4;

/// Runs loads in the background.
#[derive(Clone)]
pub struct Worker {
    client: Client,
    tx: mpsc::UnboundedSender<Msg>,
    permits: Arc<Semaphore>,
    /// Write-through response cache and the profile it files under.
    cache: Option<(ResponseCache, String)>,
    /// Offline: answers come from here and nothing is sent.
    offline: Option<Arc<OfflineSource>>,
    /// After a tenant switch: answers wait until the tenant's files are restored (read off
    /// the UI loop), so the app has its last snapshot and marks before any data.
    restored: Option<watch::Receiver<bool>>,
}

impl Worker {
    /// A worker that reports to `tx`.
    pub fn new(client: Client, tx: mpsc::UnboundedSender<Msg>) -> Self {
        Worker {
            // Reads and refreshes are background work: the budget's reserved headroom stays
            // free for the analyst's actions.
            client: client.background(),
            tx,
            permits: Arc::new(Semaphore::new(CONCURRENCY)),
            cache: None,
            offline: None,
            restored: None,
        }
    }

    /// Answer nothing before `restored` turns true (or its sender is gone).
    pub fn after(mut self, restored: watch::Receiver<bool>) -> Self {
        self.restored = Some(restored);
        self
    }

    /// Also save the full lists read to `cache` under `profile`.
    pub(crate) fn with_cache(mut self, cache: ResponseCache, profile: String) -> Self {
        self.cache = Some((cache, profile));
        self
    }

    /// Read from `source` instead of the tenant.
    pub fn offline(mut self, source: OfflineSource) -> Self {
        self.offline = Some(Arc::new(source));
        self
    }

    /// The tenant's request meter (every request its client sent in the last minute);
    /// `None` offline, where nothing is sent.
    pub fn budget_usage(&self) -> Option<crate::api::budget::Usage> {
        self.offline.is_none().then(|| self.client.budget_usage())
    }

    /// Start loading a resource; the answer arrives on the channel.
    pub fn load(&self, kind: ResourceKind, id: RequestId) {
        let w = self.clone();
        if let Some(src) = &self.offline {
            let src = src.clone();
            tokio::task::spawn_blocking(move || {
                let read = catch_blocking(|| src.read(kind)).and_then(|r| r);
                let mut skipped = Skipped::default();
                let msg = match read {
                    Ok((payload, at, s)) => {
                        skipped = s;
                        Msg::Loaded {
                            id,
                            at,
                            payload: Box::new(payload),
                        }
                    }
                    Err(text) => Msg::LoadFailed {
                        id,
                        at: Utc::now(),
                        kind,
                        error: LoadError {
                            text,
                            code: None,
                            correlation_id: None,
                        },
                    },
                };
                let _ = w.tx.send(msg);
                // As online: the records of the cache entry that no longer fit their model
                // are counted in `:errors`, the rest shown.
                if !skipped.is_empty() {
                    let _ = w.tx.send(Msg::RecordsSkipped {
                        at: Utc::now(),
                        kind,
                        summary: skipped.summary(),
                    });
                }
            });
            return;
        }
        tokio::spawn(async move {
            let mut skipped = Skipped::default();
            let msg = match w.permits.acquire().await {
                // Supervised: a panic while fetching or decoding ends in `LoadFailed`.
                Ok(_permit) => {
                    let read =
                        read_filed(&w.client, kind, Utc::now(), &mut skipped, w.cache.as_ref());
                    match catch(read).await {
                        Ok(Ok(payload)) => Msg::Loaded {
                            id,
                            at: Utc::now(),
                            payload: Box::new(payload),
                        },
                        Ok(Err(e)) => Msg::LoadFailed {
                            id,
                            at: Utc::now(),
                            kind,
                            error: LoadError {
                                text: e.to_string(),
                                code: e.code().map(str::to_string),
                                correlation_id: e.correlation_id().map(str::to_string),
                            },
                        },
                        Err(panic) => Msg::LoadFailed {
                            id,
                            at: Utc::now(),
                            kind,
                            error: LoadError {
                                text: panic,
                                code: None,
                                correlation_id: None,
                            },
                        },
                    }
                }
                Err(_) => return,
            };
            if let Some(mut restored) = w.restored.clone() {
                let _ = restored.wait_for(|done| *done).await;
            }
            let _ = w.tx.send(msg);
            if !skipped.is_empty() {
                let _ = w.tx.send(Msg::RecordsSkipped {
                    at: Utc::now(),
                    kind,
                    summary: skipped.summary(),
                });
            }
            let u = w.client.budget_usage();
            let _ = w.tx.send(Msg::Budget {
                used: u.used_last_minute,
                per_minute: u.per_minute,
            });
        });
    }
}

impl Worker {
    /// Read what a page needs (`Command::LoadPage`) like a load: a few at a time, within the
    /// budget (background share), supervised (a panic ends in a visible failure); offline
    /// nothing is sent and the page is told so. The answer is `PageLoaded` with `id`.
    pub fn load_page(&self, fetch: PageFetch, id: RequestId) {
        let w = self.clone();
        let failed = move |text: String| Msg::PageLoaded {
            id,
            result: Err(LoadError {
                text,
                code: None,
                correlation_id: None,
            }),
        };
        if self.offline.is_some() {
            let _ = w.tx.send(failed(
                "offline: the response cache holds the lists, not this page's data".into(),
            ));
            return;
        }
        tokio::spawn(async move {
            let Ok(_permit) = w.permits.acquire().await else {
                return;
            };
            let mut skipped = Skipped::default();
            let msg = match catch(read_page(&w.client, &fetch, &mut skipped)).await {
                Ok(Ok(data)) => Msg::PageLoaded {
                    id,
                    result: Ok(data),
                },
                Ok(Err(e)) => Msg::PageLoaded {
                    id,
                    result: Err(LoadError {
                        text: e.to_string(),
                        code: e.code().map(str::to_string),
                        correlation_id: e.correlation_id().map(str::to_string),
                    }),
                },
                Err(panic) => failed(panic),
            };
            let _ = w.tx.send(msg);
            if !skipped.is_empty() {
                let _ = w.tx.send(Msg::RecordsSkipped {
                    at: Utc::now(),
                    kind: ResourceKind::Recommendations,
                    summary: skipped.summary(),
                });
            }
            let u = w.client.budget_usage();
            let _ = w.tx.send(Msg::Budget {
                used: u.used_last_minute,
                per_minute: u.per_minute,
            });
        });
    }
}
