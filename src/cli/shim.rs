//! Stand-ins for pieces other branches are still writing (typed calls, store, auth, sim,
//! console). Each mirrors the expected name; each missing capability answers a clear
//! "not yet available" error instead of pretending. Replaced piece by piece on merge.

use std::path::PathBuf;

use serde_json::value::RawValue;

use crate::api::client::path_with_query;
use crate::api::{ApiError, Client, Resource};

/// A collection to walk: which API, which path (with query), which page size.
pub struct ListRequest {
    pub resource: Resource,
    pub path: String,
    pub page_size: usize,
}

impl ListRequest {
    fn new(resource: Resource, path: &str, filter: Option<String>, page_size: usize) -> Self {
        ListRequest {
            resource,
            path: path_with_query(path, &[("$filter", filter)]),
            page_size,
        }
    }

    /// Walk the pages, handing each page's raw records to `on_page`.
    pub async fn for_each_raw<F>(
        &self,
        client: &Client,
        limit: Option<usize>,
        on_page: F,
    ) -> Result<usize, ApiError>
    where
        F: FnMut(Vec<Box<RawValue>>) -> Result<(), ApiError>,
    {
        client
            .for_each_page(self.resource, &self.path, self.page_size, limit, on_page)
            .await
    }
}

pub fn machines(filter: Option<String>) -> ListRequest {
    ListRequest::new(Resource::Mde, "machines", filter, 10_000)
}
pub fn incidents(filter: Option<String>) -> ListRequest {
    ListRequest::new(Resource::Graph, "security/incidents", filter, 50)
}
pub fn graph_alerts(filter: Option<String>) -> ListRequest {
    ListRequest::new(Resource::Graph, "security/alerts_v2", filter, 1000)
}
pub fn machine_actions(filter: Option<String>) -> ListRequest {
    ListRequest::new(Resource::Mde, "machineactions", filter, 10_000)
}
pub fn investigations(filter: Option<String>) -> ListRequest {
    ListRequest::new(Resource::Mde, "investigations", filter, 10_000)
}
pub fn recommendations() -> ListRequest {
    ListRequest::new(Resource::Mde, "recommendations", None, 10_000)
}
pub fn vulnerabilities() -> ListRequest {
    ListRequest::new(Resource::Mde, "vulnerabilities", None, 8_000)
}
pub fn remediation_tasks() -> ListRequest {
    ListRequest::new(Resource::Mde, "remediationTasks", None, 10_000)
}
pub fn indicators() -> ListRequest {
    ListRequest::new(Resource::Mde, "indicators", None, 10_000)
}
pub fn device_av_info() -> ListRequest {
    ListRequest::new(Resource::Mde, "deviceavinfo", None, 10_000)
}

/// Where the config file lives (`SOCOPS_CONFIG_DIR` overrides).
pub fn config_file() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("SOCOPS_CONFIG_DIR") {
        return Some(PathBuf::from(d).join("config.toml"));
    }
    directories::ProjectDirs::from("", "", "socops").map(|p| p.config_dir().join("config.toml"))
}

/// Where logs and the audit log live (`SOCOPS_DATA_DIR` overrides).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("SOCOPS_DATA_DIR") {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "socops").map(|p| p.data_dir().to_path_buf())
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
