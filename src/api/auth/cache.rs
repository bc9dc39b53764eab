//! The in-memory access-token cache shared by every credential: one token per resource,
//! refreshed ~5 minutes before it expires, bypassed on `force_refresh`, and one refresh at a
//! time per resource so a burst of callers (or of 401s) costs a single token request.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use futures::future::BoxFuture;

use super::TokenSource;
use super::entra::Fetched;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;

/// Refresh this long before the token's stated expiry.
pub(super) const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

struct Entry {
    token: String,
    refresh_at: Instant,
    fetched_at: Instant,
}

/// Cached access tokens, one slot per resource. `Debug` never shows a token.
#[derive(Default)]
pub(crate) struct AccessCache {
    mde: Mutex<Option<Entry>>,
    graph: Mutex<Option<Entry>>,
}

impl std::fmt::Debug for AccessCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessCache { .. }")
    }
}

impl AccessCache {
    /// The cached token of `resource`, or a fresh one from `fetch`.
    ///
    /// The slot's lock is held across `fetch`, so concurrent callers wait for the one refresh.
    /// A caller who waited while another refreshed takes that new token even when forcing:
    /// it is newer than the one that earned the caller its 401.
    pub(crate) async fn get<F, Fut>(
        &self,
        resource: Resource,
        force_refresh: bool,
        fetch: F,
    ) -> Result<String, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Fetched, ApiError>>,
    {
        let asked = Instant::now();
        let mut slot = match resource {
            Resource::Mde => self.mde.lock().await,
            Resource::Graph => self.graph.lock().await,
        };
        if let Some(e) = slot.as_ref() {
            let refreshed_while_waiting = e.fetched_at > asked;
            if refreshed_while_waiting || (!force_refresh && Instant::now() < e.refresh_at) {
                return Ok(e.token.clone());
            }
        }
        let fetched = fetch().await?;
        let now = Instant::now();
        let token = fetched.access_token;
        *slot = Some(Entry {
            token: token.clone(),
            refresh_at: now + fetched.expires_in.saturating_sub(REFRESH_MARGIN),
            fetched_at: now,
        });
        Ok(token)
    }
}

/// An Entra credential (secret, certificate, delegated): how it fetches a token response and
/// whom it acts as. The one [`TokenSource`] impl below puts the [`AccessCache`] in front.
pub(crate) trait EntraCredential: Send + Sync {
    /// The credential's access-token cache.
    fn access_cache(&self) -> &AccessCache;
    /// One token request to Entra for `resource`.
    fn fetch(&self, resource: Resource) -> impl Future<Output = Result<Fetched, ApiError>> + Send;
    /// Who acts: "app <client id>" or the signed-in user.
    fn acting_as(&self) -> String;
    /// Whether a user signed in (device code / refresh token) rather than the app itself.
    fn is_delegated(&self) -> bool {
        false
    }
}

impl<T: EntraCredential> TokenSource for T {
    fn token(
        &self,
        resource: Resource,
        force_refresh: bool,
    ) -> BoxFuture<'_, Result<String, ApiError>> {
        Box::pin(
            self.access_cache()
                .get(resource, force_refresh, move || self.fetch(resource)),
        )
    }

    fn operator(&self) -> String {
        self.acting_as()
    }

    fn delegated(&self) -> bool {
        self.is_delegated()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn fetched(n: usize, secs: u64) -> Fetched {
        Fetched {
            access_token: format!("t{n}"),
            expires_in: Duration::from_secs(secs),
            refresh_token: None,
            id_token: None,
        }
    }

    #[tokio::test]
    async fn caches_forces_and_refreshes_near_expiry() {
        let cache = AccessCache::default();
        let n = AtomicUsize::new(0);
        let f = |secs| {
            let k = n.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(fetched(k, secs)) }
        };
        assert_eq!(
            cache.get(Resource::Mde, false, || f(3600)).await.unwrap(),
            "t1"
        );
        assert_eq!(
            cache.get(Resource::Mde, false, || f(3600)).await.unwrap(),
            "t1"
        );
        assert_eq!(
            cache.get(Resource::Graph, false, || f(3600)).await.unwrap(),
            "t2"
        );
        assert_eq!(
            cache.get(Resource::Mde, true, || f(60)).await.unwrap(),
            "t3"
        );
        // expires within the margin: the next call refreshes
        assert_eq!(
            cache.get(Resource::Mde, false, || f(3600)).await.unwrap(),
            "t4"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let cache = Arc::new(AccessCache::default());
        let n = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, n) = (cache.clone(), n.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(Resource::Mde, false, || async move {
                        n.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        Ok(fetched(1, 3600))
                    })
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap(), "t1");
        }
        assert_eq!(n.load(Ordering::SeqCst), 1);
    }
}
