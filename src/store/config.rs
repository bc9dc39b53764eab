//! The TOML config: global settings and one profile per tenant. Loading refuses files that
//! group or others can read and refuses secrets written in the file (they belong in an
//! environment variable named by `client_secret_env`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::StoreError;
use super::secure_file;
use super::team::policy::{self, ApprovalPolicy, TeamConfig};
use crate::api::cloud::{Cloud, Endpoints};

/// How a profile signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// App-only, client secret read from the env var named by `client_secret_env`.
    Secret,
    /// App-only, certificate + PKCS#8 key in one PEM at `certificate_path`.
    Certificate,
    /// Delegated: `socops login` (device code), refresh token cached 0600.
    DeviceCode,
}

/// One tenant and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub tenant_id: String,
    pub client_id: String,
    /// When absent it is inferred: certificate_path → certificate, client_secret_env →
    /// secret, else device_code. Always `Some` after [`Config::load`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_path: Option<String>,
    #[serde(default)]
    pub cloud: Cloud,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mde_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph_url: Option<String>,
    /// Refuse every write action for this tenant.
    #[serde(default)]
    pub read_only: bool,
    /// Ask for typed confirmation of write actions (production tenants).
    #[serde(default)]
    pub protected: bool,
    /// The tenant's licence: `business`, `p1` or `p2` (default). Menus and verbs offer only
    /// the response actions the plan includes (`api::plan`).
    #[serde(default)]
    pub plan: crate::api::plan::Plan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Actions that wait for a second analyst (machine action `type` values and
    /// `Indicator`); only with a `[team]` table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approval_required: Vec<String>,
    /// Any action on a device carrying one of these tags waits for a second analyst.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approval_required_for_tags: Vec<String>,
    /// How long a request waits before it expires, e.g. `24h` (the default), `30m`, `7d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_expires: Option<String>,
    /// Who "assign to me" means when socops signs in as an app (`name@domain`); a person
    /// signed in with the device code is known from the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyst: Option<String>,
}

impl Profile {
    /// The sign-in method, explicit or inferred from the other fields.
    pub fn auth_method(&self) -> AuthMethod {
        self.auth.unwrap_or(if self.certificate_path.is_some() {
            AuthMethod::Certificate
        } else if self.client_secret_env.is_some() {
            AuthMethod::Secret
        } else {
            AuthMethod::DeviceCode
        })
    }

    /// This profile's approval rules (checked when the config loads).
    pub(crate) fn approval_policy(&self) -> ApprovalPolicy {
        ApprovalPolicy {
            required: self.approval_required.clone(),
            required_for_tags: self.approval_required_for_tags.clone(),
            expires_secs: self
                .approval_expires
                .as_deref()
                .and_then(|e| policy::parse_duration(e).ok())
                .unwrap_or(policy::DEFAULT_EXPIRES_SECS),
        }
    }

    /// The endpoints of this profile: its cloud with any explicit URL overrides.
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::for_cloud(self.cloud, self.tenant_id.clone()).with_overrides(
            self.authority_url.as_deref(),
            self.mde_url.as_deref(),
            self.graph_url.as_deref(),
        )
    }
}

fn default_refresh() -> u64 {
    60
}

/// The whole config file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Seconds between refreshes of the visible view.
    #[serde(default = "default_refresh")]
    pub refresh_interval_secs: u64,
    /// Key overrides for the console (action name → key).
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// The console takes the mouse: the wheel scrolls, a click selects a row. Off by
    /// default, so the terminal's own text selection keeps working.
    #[serde(default)]
    pub mouse: bool,
    /// Where the console's `e` writes exports (created 0700 when missing); without it, the
    /// directory socops was started in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_dir: Option<PathBuf>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// The team store of four-eyes approvals; without it nothing waits for approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            default_profile: None,
            refresh_interval_secs: default_refresh(),
            keys: BTreeMap::new(),
            mouse: false,
            export_dir: None,
            profiles: BTreeMap::new(),
            team: None,
        }
    }
}

/// Keys that would hold a secret value if written in a profile.
const SECRET_KEYS: &[&str] = &["client_secret", "secret", "password", "refresh_token"];

impl Config {
    /// Load the config. A missing file is an empty config; a file group or others can read is
    /// refused; syntax errors name the line; secrets in the file are refused.
    pub fn load(path: &Path) -> Result<Config, StoreError> {
        if !path.exists() {
            return Ok(Config::default());
        }
        let bytes = secure_file::read_private(path)?;
        let text = String::from_utf8(bytes).map_err(|_| StoreError::ConfigSyntax {
            path: path.to_path_buf(),
            line: 1,
            message: String::from("the file is not UTF-8 text"),
        })?;
        Config::parse(path, &text)
    }

    /// Parse config text; `path` is only used in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Config, StoreError> {
        let syntax = |e: toml::de::Error| StoreError::ConfigSyntax {
            path: path.to_path_buf(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1),
            message: e.message().trim().to_string(),
        };
        // Check for secrets on the raw table first, so the refusal wins over any type error
        // and the value itself never reaches a message.
        let raw: toml::Table = toml::from_str(text).map_err(syntax)?;
        if let Some(toml::Value::Table(profiles)) = raw.get("profiles") {
            for (name, p) in profiles {
                if let toml::Value::Table(p) = p
                    && let Some(key) = SECRET_KEYS.iter().find(|k| p.contains_key(**k))
                {
                    return Err(StoreError::SecretInConfig {
                        path: path.to_path_buf(),
                        profile: name.clone(),
                        key: (*key).to_string(),
                    });
                }
            }
        }
        if let Some(toml::Value::Table(team)) = raw.get("team")
            && let Some(toml::Value::String(url)) = team.get("store")
            && crate::store::team::secret::url_secret(url).is_some()
        {
            return Err(StoreError::ConfigSyntax {
                path: path.to_path_buf(),
                line: 0,
                message: format!(
                    "[team] store: the URL {} carries a password, and socops keeps no secrets in \
                     its config file: remove it and {}",
                    crate::text::line(&crate::store::team::redact_url(url)),
                    crate::store::team::secret::HOW_TO_GIVE_A_PASSWORD
                ),
            });
        }
        let mut cfg: Config = toml::from_str(text).map_err(syntax)?;
        for (name, p) in cfg.profiles.iter_mut() {
            p.auth = Some(p.auth_method());
            check_approvals(path, name, p)?;
        }
        Ok(cfg)
    }

    /// Write the config 0600 (atomically).
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        let text = toml::to_string_pretty(self).map_err(|e| StoreError::ConfigSyntax {
            path: path.to_path_buf(),
            line: 0,
            message: e.to_string(),
        })?;
        secure_file::write_private(path, text.as_bytes())
    }

    /// Pick a profile: the named one, else `default_profile`, else the only one. Returns the
    /// chosen name with the profile.
    pub fn profile<'a>(&'a self, name: Option<&str>) -> Result<(&'a str, &'a Profile), StoreError> {
        let available = || self.profiles.keys().cloned().collect::<Vec<_>>();
        let wanted = name.or(self.default_profile.as_deref());
        match wanted {
            Some(n) => self
                .profiles
                .get_key_value(n)
                .map(|(k, p)| (k.as_str(), p))
                .ok_or_else(|| StoreError::UnknownProfile {
                    name: n.to_string(),
                    available: available(),
                }),
            None => match self.profiles.len() {
                0 => Err(StoreError::NoProfiles),
                1 => Ok(self
                    .profiles
                    .iter()
                    .next()
                    .map(|(k, p)| (k.as_str(), p))
                    .ok_or(StoreError::NoProfiles)?),
                _ => Err(StoreError::AmbiguousProfile {
                    available: available(),
                }),
            },
        }
    }

    /// A commented example for `socops config init`.
    pub fn example() -> &'static str {
        include_str!("config_example.toml")
    }
}

/// A misspelt approval rule must not silently let an action through.
fn check_approvals(path: &Path, name: &str, p: &Profile) -> Result<(), StoreError> {
    let bad = |message: String| StoreError::ConfigSyntax {
        path: path.to_path_buf(),
        line: 0,
        message: format!("profile '{name}': {message}"),
    };
    policy::check_kinds(&p.approval_required).map_err(bad)?;
    if let Some(e) = &p.approval_expires {
        policy::parse_duration(e).map_err(|m| bad(format!("approval_expires: {m}")))?;
    }
    Ok(())
}
