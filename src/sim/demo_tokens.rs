//! The demo's credential: a token per API with that API's audience and every role, minted
//! the way the simulated Entra mints them, so the demo sends Graph tokens to Graph and MDE
//! tokens to MDE and the simulator's audience check runs in the demo too. A simulator with
//! fewer roles (`socops sim --roles …`) grants only its own, whatever the token lists.

use futures::future::BoxFuture;

use super::server::auth::{ALL_ROLES, Audience, mint};
use crate::api::auth::TokenSource;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;

/// The application id the demo's tokens carry.
pub(crate) const DEMO_CLIENT_ID: &str = "5e1d0c0a-50c0-4f5a-9d3e-000000000001";

/// Tokens for the demo tenant, acting as `operator`.
pub struct DemoTokens {
    operator: String,
}

impl DemoTokens {
    pub fn new(operator: impl Into<String>) -> Self {
        DemoTokens {
            operator: operator.into(),
        }
    }
}

impl TokenSource for DemoTokens {
    fn token(
        &self,
        resource: Resource,
        _force_refresh: bool,
    ) -> BoxFuture<'_, Result<String, ApiError>> {
        let aud = match resource {
            Resource::Graph => Audience::Graph,
            Resource::Mde => Audience::Mde,
        };
        let roles: Vec<String> = ALL_ROLES.iter().map(|r| r.to_string()).collect();
        let t = mint(
            super::DEMO_TENANT_ID,
            chrono::Utc::now(),
            aud,
            &roles,
            None,
            DEMO_CLIENT_ID,
        );
        Box::pin(async move { Ok(t) })
    }

    fn operator(&self) -> String {
        self.operator.clone()
    }
}
