//! App-only sign-in with a client secret (OAuth client credentials grant).

use oauth2::ClientSecret;

use super::cache::{AccessCache, EntraCredential};
use super::entra::{self, Fetched};
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
        let secret = ClientSecret::new(self.secret.expose().to_string());
        entra::client_credentials(
            &self.endpoints,
            &self.client_id,
            resource,
            Some(secret),
            Vec::new(),
        )
        .await
    }
}

impl EntraCredential for ClientSecretCredential {
    fn access_cache(&self) -> &AccessCache {
        &self.cache
    }

    fn fetch(&self, resource: Resource) -> impl Future<Output = Result<Fetched, ApiError>> + Send {
        ClientSecretCredential::fetch(self, resource)
    }

    fn acting_as(&self) -> String {
        format!("app {}", self.client_id)
    }
}
