//! Stand-ins for pieces other branches are still writing (typed calls, store, auth, sim,
//! console). Each mirrors the expected name; each missing capability answers a clear
//! "not yet available" error instead of pretending. Replaced piece by piece on merge.

use std::path::PathBuf;

/// Where the config file lives (`SOCOPS_CONFIG_DIR` overrides).
pub fn config_file() -> Option<PathBuf> {
    crate::store::paths::config_file().ok()
}

/// Where logs and the audit log live (`SOCOPS_DATA_DIR` overrides).
pub fn data_dir() -> Option<PathBuf> {
    crate::store::paths::data_dir().ok()
}

/// A capability this build does not have yet.
pub fn not_yet(what: &str) -> crate::cli::exit::CliError {
    crate::cli::exit::CliError::Runtime(format!("{what} is not yet available in this build"))
}
