//! The refresh-token cache of delegated (device code) sign-in: one JSON file per profile at
//! `<data dir>/tokens/<profile>.json`, written 0600 and refused when others can read it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::paths::checked_segment;
use super::secure_file;
use crate::api::auth::{RefreshTokenStore, Secret};
use crate::api::error::ApiError;

/// What is cached for a profile. `Debug` never shows the refresh token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedRefreshToken {
    pub tenant_id: String,
    pub client_id: String,
    pub refresh_token: String,
    /// The signed-in user's UPN, when known (for display only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    pub saved_at: chrono::DateTime<chrono::Utc>,
}

impl std::fmt::Debug for CachedRefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedRefreshToken")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("refresh_token", &"[redacted]")
            .field("username", &self.username)
            .field("saved_at", &self.saved_at)
            .finish()
    }
}

/// The token cache directory.
#[derive(Debug, Clone)]
pub struct TokenCache {
    dir: PathBuf,
}

impl TokenCache {
    /// The cache under `data_dir` (`<data_dir>/tokens`).
    pub fn new(data_dir: &Path) -> Self {
        TokenCache {
            dir: data_dir.join("tokens"),
        }
    }

    /// Path of a profile's cache file.
    pub fn path(&self, profile: &str) -> Result<PathBuf, StoreError> {
        let profile = checked_segment(profile)?;
        Ok(self.dir.join(format!("{profile}.json")))
    }

    /// The cached token of `profile`, `None` when not signed in.
    pub fn load(&self, profile: &str) -> Result<Option<CachedRefreshToken>, StoreError> {
        let path = self.path(profile)?;
        if !path.exists() {
            return Ok(None);
        }
        let bytes = secure_file::read_private(&path)?;
        // serde_json's message holds only a position, never the content.
        serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| StoreError::Json {
                path: path.clone(),
                message: format!("{e}; delete it and run `socops login --profile {profile}`"),
            })
    }

    /// Save (replace) the cached token of `profile`, 0600, atomically.
    pub fn save(&self, profile: &str, token: &CachedRefreshToken) -> Result<(), StoreError> {
        let path = self.path(profile)?;
        secure_file::ensure_private_dir(&self.dir)?;
        let bytes = serde_json::to_vec_pretty(token).map_err(|e| StoreError::Json {
            path: path.clone(),
            message: e.to_string(),
        })?;
        secure_file::write_private(&path, &bytes)
    }

    /// Forget `profile`'s token (sign out). Missing is fine.
    pub fn delete(&self, profile: &str) -> Result<(), StoreError> {
        let path = self.path(profile)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::io("delete", path, e)),
        }
    }
}

/// The api's refresh-token store for one profile, in the on-disk token cache (`tokens/<profile>.json`, 0600).
#[derive(Debug, Clone)]
pub struct ProfileTokenStore {
    pub cache: TokenCache,
    pub profile: String,
    pub tenant_id: String,
    pub client_id: String,
}

impl RefreshTokenStore for ProfileTokenStore {
    fn load(&self) -> Result<Option<Secret>, ApiError> {
        let cached = self
            .cache
            .load(&self.profile)
            .map_err(|e| ApiError::Auth(e.to_string()))?;
        // A token of another app or tenant (the profile was edited) does not count.
        Ok(cached
            .filter(|c| c.tenant_id == self.tenant_id && c.client_id == self.client_id)
            .map(|c| Secret::new(c.refresh_token)))
    }

    fn save(&self, refresh_token: &Secret, username: Option<&str>) -> Result<(), ApiError> {
        let username = match username {
            Some(u) => Some(u.to_string()),
            None => self
                .cache
                .load(&self.profile)
                .ok()
                .flatten()
                .and_then(|c| c.username),
        };
        let entry = CachedRefreshToken {
            tenant_id: self.tenant_id.clone(),
            client_id: self.client_id.clone(),
            refresh_token: refresh_token.expose().to_string(),
            username,
            saved_at: chrono::Utc::now(),
        };
        self.cache
            .save(&self.profile, &entry)
            .map_err(|e| ApiError::Auth(e.to_string()))
    }
}
