//! What lasts on disk: where socops keeps its files, the TOML config with one profile per
//! tenant, the refresh-token cache, the append-only audit log, digest snapshots and the
//! response cache of `--offline`. Files that may hold secrets
//! are written 0600 (atomically) and refused when group or others can read them.

pub mod audit;
pub mod cache;
pub mod config;
pub mod digest_history;
pub mod error;
pub mod export_file;
pub mod paths;
pub mod secure_file;
pub mod team;
pub mod temp_file;
pub mod token_cache;

pub use audit::{AuditEntry, AuditHandover, AuditIntent, AuditLog, AuditOutcome};
pub use cache::{CacheWriter, ResponseCache};
pub use config::{AuthMethod, Config, Profile};
pub use digest_history::{SnapshotEntry, SnapshotStore};
pub use error::StoreError;
pub use token_cache::{CachedRefreshToken, ProfileTokenStore, TokenCache};
