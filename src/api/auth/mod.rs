//! Sign-in: where access tokens come from. The transport asks a [`TokenSource`] for a token
//! per API family (MDE or Graph) and forces a refresh once after a 401.

use futures::future::BoxFuture;

use crate::api::cloud::Resource;
use crate::api::error::ApiError;

/// Anything that can hand out bearer tokens for the MDE and Graph resources.
///
/// Implementations cache tokens per resource and refresh them ahead of expiry (~5 minutes);
/// `force_refresh` bypasses the cache (used once after a 401).
pub trait TokenSource: Send + Sync {
    fn token(
        &self,
        resource: Resource,
        force_refresh: bool,
    ) -> BoxFuture<'_, Result<String, ApiError>>;

    /// Who acts, for the audit log and the header: "app <client id>" or the signed-in user.
    fn operator(&self) -> String;

    /// Whether the tokens are delegated (a signed-in user) rather than an application's:
    /// a 403 then names the delegated permission, not the application one.
    fn delegated(&self) -> bool {
        false
    }
}

/// A fixed token for every resource: tests and the in-process demo tenant.
pub struct StaticToken {
    token: String,
    operator: String,
}

impl StaticToken {
    pub fn new(token: impl Into<String>, operator: impl Into<String>) -> Self {
        StaticToken {
            token: token.into(),
            operator: operator.into(),
        }
    }
}

impl TokenSource for StaticToken {
    fn token(
        &self,
        _resource: Resource,
        _force_refresh: bool,
    ) -> BoxFuture<'_, Result<String, ApiError>> {
        let t = self.token.clone();
        Box::pin(async move { Ok(t) })
    }

    fn operator(&self) -> String {
        self.operator.clone()
    }
}

mod cache;
pub mod certificate;
pub mod client_secret;
pub mod delegated;
pub mod device_code;
pub mod entra;
pub mod secret;

pub use certificate::ClientCertificateCredential;
pub use client_secret::ClientSecretCredential;
pub use delegated::{DelegatedCredential, RefreshTokenStore};
pub use device_code::{
    DeviceCodeDetails, DeviceCodeToken, poll_device_code, poll_device_code_with, start_device_code,
};
pub use secret::Secret;
