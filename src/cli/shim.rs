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

/// The demo tenant id (the simulator's).
pub const DEMO_TENANT_ID: &str = "00000000-0000-4000-8000-0000000fab01";

/// The simulator is not merged yet.
pub fn not_yet(what: &str) -> crate::cli::exit::CliError {
    crate::cli::exit::CliError::Runtime(format!("{what} is not yet available in this build"))
}

/// One tenant of the config file (the store branch owns the real one).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Profile {
    pub tenant_id: Option<String>,
    pub client_id: Option<String>,
    pub tenant_name: Option<String>,
    pub cloud: Option<String>,
    pub authority_url: Option<String>,
    pub mde_url: Option<String>,
    pub graph_url: Option<String>,
    pub read_only: bool,
    pub protected: bool,
}

/// The config file (the store branch owns the real one).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Config {
    pub default_profile: Option<String>,
    pub profiles: std::collections::BTreeMap<String, Profile>,
}

/// Load the config file; none is an empty config. Refuses a group/world-readable file.
pub fn load_config() -> Result<Config, String> {
    let Some(path) = config_file() else {
        return Ok(Config::default());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(&path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(format!(
                    "{} is readable by others (mode {mode:o}); run: chmod 600 {}",
                    path.display(),
                    path.display()
                ));
            }
        }
    }
    toml::from_str(&text).map_err(|e| {
        format!(
            "{} is not valid: {}",
            path.display(),
            e.to_string().lines().next().unwrap_or("")
        )
    })
}
