//! Delegated sign-in after `socops login`: redeem the cached refresh token for an access token
//! per resource, and persist every rotated refresh token (0600) so the next run still works.

use std::sync::{Arc, Mutex};

use oauth2::{RefreshToken, Scope};

use super::cache::{AccessCache, EntraCredential};
use super::entra::{self, Captured, Fetched};
use super::secret::Secret;
use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::ApiError;

/// Where the refresh token lives between runs.
pub trait RefreshTokenStore: Send + Sync {
    /// The stored refresh token, `None` when not signed in.
    fn load(&self) -> Result<Option<Secret>, ApiError>;
    /// Replace the stored refresh token (and remember the user name, when known).
    fn save(&self, refresh_token: &Secret, username: Option<&str>) -> Result<(), ApiError>;
}

/// A signed-in user's tokens. `Debug` shows no token.
pub struct DelegatedCredential {
    pub endpoints: Endpoints,
    pub client_id: String,
    store: Arc<dyn RefreshTokenStore>,
    /// The newest refresh token; its lock also serialises redemptions across resources so a
    /// rotation is never raced.
    current: tokio::sync::Mutex<Option<Secret>>,
    username: Mutex<Option<String>>,
    cache: AccessCache,
}

impl std::fmt::Debug for DelegatedCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DelegatedCredential")
            .field("endpoints", &self.endpoints)
            .field("client_id", &self.client_id)
            .field("operator", &self.acting_as())
            .finish_non_exhaustive()
    }
}

impl DelegatedCredential {
    /// `username` is the cached UPN, shown until a token says otherwise.
    pub fn new(
        endpoints: Endpoints,
        client_id: impl Into<String>,
        store: Arc<dyn RefreshTokenStore>,
        username: Option<String>,
    ) -> Self {
        DelegatedCredential {
            endpoints,
            client_id: client_id.into(),
            store,
            current: tokio::sync::Mutex::new(None),
            username: Mutex::new(username),
            cache: AccessCache::default(),
        }
    }

    async fn fetch(&self, resource: Resource) -> Result<Fetched, ApiError> {
        let mut current = self.current.lock().await;
        if current.is_none() {
            *current = self.store.load()?;
        }
        let Some(rt) = current.as_ref() else {
            return Err(ApiError::Auth(String::from(
                "not signed in: run `socops login`",
            )));
        };
        let client = entra::client(&self.endpoints, &self.client_id)?;
        let captured = Captured::default();
        let http = entra::oauth_http(captured.clone());
        let refresh = RefreshToken::new(rt.expose().to_string());
        let resp = client
            .exchange_refresh_token(&refresh)
            .add_scope(Scope::new(self.endpoints.scope(resource)))
            .add_scope(Scope::new(String::from("offline_access")))
            .request_async(&http)
            .await
            .map_err(|e| entra::map_error(e, &captured))?;
        let fetched = Fetched::from_response(&resp);
        let user = fetched
            .id_token
            .as_deref()
            .and_then(entra::jwt_username)
            .or_else(|| entra::jwt_username(&fetched.access_token));
        if let Some(u) = &user
            && let Ok(mut g) = self.username.lock()
        {
            *g = Some(u.clone());
        }
        if let Some(new_rt) = &fetched.refresh_token
            && new_rt.as_str() != rt.expose()
        {
            let new_rt = Secret::new(new_rt.clone());
            self.store.save(&new_rt, user.as_deref())?;
            *current = Some(new_rt);
        }
        Ok(fetched)
    }
}

impl EntraCredential for DelegatedCredential {
    fn access_cache(&self) -> &AccessCache {
        &self.cache
    }

    fn fetch(&self, resource: Resource) -> impl Future<Output = Result<Fetched, ApiError>> + Send {
        DelegatedCredential::fetch(self, resource)
    }

    fn acting_as(&self) -> String {
        self.username
            .lock()
            .ok()
            .and_then(|g| g.clone())
            .unwrap_or_else(|| String::from("delegated user"))
    }

    fn is_delegated(&self) -> bool {
        true
    }
}
