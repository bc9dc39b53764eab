//! The one `reqwest::Client` of the process, shared by the API transport and sign-in.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::time::Duration;

use tokio::runtime::{Handle, RuntimeFlavor};

static SHARED: OnceLock<reqwest::Client> = OnceLock::new();

thread_local! {
    static PER_THREAD: RefCell<Option<reqwest::Client>> = const { RefCell::new(None) };
}

/// The process-wide HTTP client: rustls on ring, gzip and deflate, no redirects (a bearer
/// token must never follow a redirect), connect timeout 10 s.
///
/// Pooled connections belong to the tokio runtime that opened them and die with it. The
/// console and the headless commands run one multi-thread runtime for the whole process and
/// get one client. A current-thread runtime (each `#[tokio::test]`, one per test thread) gets a
/// client of its own thread instead, so a later runtime never picks up a pooled connection
/// whose runtime is gone ("runtime dropped the dispatch task").
pub fn shared() -> reqwest::Client {
    let current_thread_runtime = Handle::try_current()
        .map(|h| matches!(h.runtime_flavor(), RuntimeFlavor::CurrentThread))
        .unwrap_or(false);
    if current_thread_runtime {
        PER_THREAD.with(|slot| slot.borrow_mut().get_or_insert_with(build).clone())
    } else {
        SHARED.get_or_init(build).clone()
    }
}

fn build() -> reqwest::Client {
    // reqwest panics without a rustls provider; installing twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .user_agent(concat!("socops/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Token requests sent in the last hour, by token URL (one per tenant): the sign-in side of
/// each tenant's request meter. Sign-in goes through the oauth2 adapter, not a tenant's
/// `Client`, so it is counted here and read back by the tenant's client.
static TOKEN_REQUESTS: std::sync::Mutex<Vec<(String, tokio::time::Instant)>> =
    std::sync::Mutex::new(Vec::new());

/// Count one request to `token_url`.
pub(crate) fn note_token_request(token_url: &str) {
    let now = tokio::time::Instant::now();
    let mut log = TOKEN_REQUESTS.lock().unwrap_or_else(|p| p.into_inner());
    log.retain(|(_, at)| now.saturating_duration_since(*at) < Duration::from_secs(60));
    log.push((token_url.to_string(), now));
}

/// Requests to `token_url` in the last minute.
pub(crate) fn token_requests_last_minute(token_url: &str) -> u32 {
    let now = tokio::time::Instant::now();
    let log = TOKEN_REQUESTS.lock().unwrap_or_else(|p| p.into_inner());
    log.iter()
        .filter(|(u, at)| {
            u == token_url && now.saturating_duration_since(*at) < Duration::from_secs(60)
        })
        .count() as u32
}
