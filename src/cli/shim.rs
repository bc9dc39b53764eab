//! Optional-path wrappers over `store::paths` for the few places (logging, audit listing)
//! that carry on without a config or data dir rather than fail.

use std::path::PathBuf;

/// Where the config file lives (`SOCOPS_CONFIG_DIR` overrides).
pub fn config_file() -> Option<PathBuf> {
    crate::store::paths::config_file().ok()
}

/// Where logs and the audit log live (`SOCOPS_DATA_DIR` overrides).
pub fn data_dir() -> Option<PathBuf> {
    crate::store::paths::data_dir().ok()
}
