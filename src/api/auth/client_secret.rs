//! App-only sign-in with a client secret (OAuth client credentials grant).

use futures::future::BoxFuture;
use oauth2::{ClientSecret, Scope};

use super::TokenSource;
use super::cache::AccessCache;
use super::entra::{self, Captured, Fetched};
use super::secret::Secret;
use crate::api::cloud::{Endpoints, Resource};
use crate::api::error::ApiError;

/// Client credentials with a secret. `Debug` shows the client id, never the secret.
#[derive(Debug)]
pub struct ClientSecretCredential {
    pub endpoints: Endpoints,
    pub client_id: String,
    secret: Secret,
    cache: AccessCache,
}

impl ClientSecretCredential {
    pub fn new(endpoints: Endpoints, client_id: impl Into<String>, secret: Secret) -> Self {
        ClientSecretCredential {
            endpoints,
            client_id: client_id.into(),
            secret,
            cache: AccessCache::default(),
        }
    }

    async fn fetch(&self, resource: Resource) -> Result<Fetched, ApiError> {
        let client = entra::client(&self.endpoints, &self.client_id)?
            .set_client_secret(ClientSecret::new(self.secret.expose().to_string()));
        let captured = Captured::default();
        let http = entra::oauth_http(captured.clone());
        let resp = client
            .exchange_client_credentials()
            .add_scope(Scope::new(self.endpoints.scope(resource)))
            .request_async(&http)
            .await
            .map_err(|e| entra::map_error(e, &captured))?;
        Ok(Fetched::from_response(&resp))
    }
}

impl TokenSource for ClientSecretCredential {
    fn token(
        &self,
        resource: Resource,
        force_refresh: bool,
    ) -> BoxFuture<'_, Result<String, ApiError>> {
        Box::pin(
            self.cache
                .get(resource, force_refresh, move || self.fetch(resource)),
        )
    }

    fn operator(&self) -> String {
        format!("app {}", self.client_id)
    }
}
