//! The one `reqwest::Client` of the process, shared by the API transport and sign-in.

use std::sync::OnceLock;
use std::time::Duration;

static SHARED: OnceLock<reqwest::Client> = OnceLock::new();

/// The process-wide HTTP client: rustls on ring, gzip and deflate, no redirects (a bearer
/// token must never follow a redirect), connect timeout 10 s.
pub fn shared() -> reqwest::Client {
    SHARED
        .get_or_init(|| {
            // reqwest panics without a rustls provider; installing twice is harmless.
            let _ = rustls::crypto::ring::default_provider().install_default();
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(Duration::from_secs(10))
                .user_agent(concat!("socops/", env!("CARGO_PKG_VERSION")))
                .build()
                .unwrap_or_else(|_| reqwest::Client::new())
        })
        .clone()
}
