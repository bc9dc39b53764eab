//! What lasts on disk: where socops keeps its files, the TOML config with one profile per
//! tenant, the refresh-token cache, and the append-only audit log. Files that may hold secrets
//! are written 0600 (atomically) and refused when group or others can read them.

pub mod audit;
pub mod config;
pub mod error;
pub mod paths;
pub mod secure_file;
pub mod snapshot;
pub mod token_cache;

pub use audit::{AuditEntry, AuditHandover, AuditIntent, AuditLog, AuditOutcome};
pub use config::{AuthMethod, Config, Profile};
pub use error::StoreError;
pub use snapshot::{SnapshotEntry, SnapshotStore};
pub use token_cache::{CachedRefreshToken, TokenCache};
