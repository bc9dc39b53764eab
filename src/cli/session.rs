//! Session building: flags + config + environment -> endpoints + a token source -> ONE
//! `api::Client`. Everything here runs before any terminal is touched, so a bad config is a
//! clear line on stderr and exit code 2.

use std::sync::Arc;

use crate::api::auth::{StaticToken, TokenSource};
use crate::api::{Client, Cloud, Endpoints};
use crate::cli::args::GlobalArgs;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::Format;
use crate::cli::shim;

/// Name shown for the demo tenant wherever a tenant name appears.
pub const DEMO_LABEL: &str = "Fabrikam (DEMO)";

/// What a command runs with.
pub struct Session {
    pub client: Client,
    /// Tenant name for people: the profile's tenant name, its profile name, or the demo label.
    pub tenant_label: String,
    /// Refuse every action.
    pub read_only: bool,
    /// Destructive actions need the device name typed.
    pub protected: bool,
    /// Print requests instead of sending them.
    pub dry_run: bool,
    pub format: Format,
    /// Profile name for the audit log (`demo` for the demo tenant).
    pub profile_name: String,
    /// Keeps the in-process demo tenant running for the life of the session.
    _demo: Option<DemoTenant>,
}

/// The in-process simulator of `--demo`.
pub struct DemoTenant {
    pub base_url: String,
}

/// The output format chosen by the flags.
pub fn format_of(g: &GlobalArgs) -> Format {
    if g.json {
        Format::Json
    } else if g.csv {
        Format::Csv
    } else {
        Format::Table
    }
}

/// Settings resolved from flags, config and environment, before any network.
pub struct Settings {
    pub endpoints: Endpoints,
    pub profile: shim::Profile,
    pub profile_name: Option<String>,
    pub client_id: Option<String>,
}

/// Resolve the non-demo settings: the profile, the cloud, the URLs and the tenant.
pub fn resolve(g: &GlobalArgs) -> CliResult<Settings> {
    let config = shim::load_config().map_err(CliError::Config)?;
    let profile_name = g.profile.clone().or(config.default_profile.clone());
    let profile = match &profile_name {
        Some(name) => config.profiles.get(name).cloned().ok_or_else(|| {
            CliError::Config(format!(
                "no profile '{name}' in the config file (see `socops config path`)"
            ))
        })?,
        None => shim::Profile::default(),
    };
    let cloud: Cloud = match g.cloud.as_deref().or(profile.cloud.as_deref()) {
        Some(c) => c.parse().map_err(CliError::Usage)?,
        None => Cloud::Global,
    };
    let tenant_id = g
        .tenant_id
        .clone()
        .or(profile.tenant_id.clone())
        .or_else(|| std::env::var("AZURE_TENANT_ID").ok())
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            CliError::Config(
                "no tenant: pass --tenant-id, set AZURE_TENANT_ID, add a profile \
                 (`socops config init`), or try --demo"
                    .into(),
            )
        })?;
    for u in [&g.authority_url, &g.mde_url, &g.graph_url]
        .into_iter()
        .flatten()
    {
        check_url(u)?;
    }
    let endpoints = Endpoints::for_cloud(cloud, tenant_id).with_overrides(
        g.authority_url
            .as_deref()
            .or(profile.authority_url.as_deref()),
        g.mde_url.as_deref().or(profile.mde_url.as_deref()),
        g.graph_url.as_deref().or(profile.graph_url.as_deref()),
    );
    let client_id = g
        .client_id
        .clone()
        .or(profile.client_id.clone())
        .or_else(|| std::env::var("AZURE_CLIENT_ID").ok());
    Ok(Settings {
        endpoints,
        profile,
        profile_name,
        client_id,
    })
}

fn check_url(u: &str) -> CliResult {
    match url::Url::parse(u) {
        Ok(p) if p.scheme() == "https" || p.scheme() == "http" => Ok(()),
        _ => Err(CliError::Usage(format!("'{u}' is not an http(s) URL"))),
    }
}

impl Session {
    /// Build the session of a command. Inside the tokio runtime (the demo starts a server).
    pub async fn build(g: &GlobalArgs) -> CliResult<Session> {
        if let Some(c) = &g.cloud {
            c.parse::<Cloud>().map_err(CliError::Usage)?;
        }
        if g.demo {
            return Self::demo(g).await;
        }
        let s = resolve(g)?;
        let tokens = token_source(&s)?;
        let label = s
            .profile
            .tenant_name
            .clone()
            .or(s.profile_name.clone())
            .unwrap_or_else(|| s.endpoints.tenant_id.clone());
        let profile_name = s.profile_name.clone().unwrap_or_else(|| "env".into());
        Ok(Session {
            client: Client::new(s.endpoints, tokens),
            tenant_label: label,
            read_only: g.read_only || s.profile.read_only,
            protected: s.profile.protected,
            dry_run: g.dry_run,
            format: format_of(g),
            profile_name,
            _demo: None,
        })
    }

    async fn demo(g: &GlobalArgs) -> CliResult<Session> {
        let demo = start_demo(g).await?;
        let base = demo.base_url.as_str();
        let endpoints = Endpoints::for_cloud(Cloud::Global, shim::DEMO_TENANT_ID).with_overrides(
            Some(g.authority_url.as_deref().unwrap_or(base)),
            Some(base),
            Some(g.graph_url.as_deref().unwrap_or(base)),
        );
        let tokens: Arc<dyn TokenSource> =
            Arc::new(StaticToken::new("demo-token", "analyst@fabrikam.example"));
        Ok(Session {
            client: Client::new(endpoints, tokens),
            tenant_label: DEMO_LABEL.to_string(),
            read_only: g.read_only,
            protected: false,
            dry_run: g.dry_run,
            format: format_of(g),
            profile_name: "demo".into(),
            _demo: Some(demo),
        })
    }
}

/// Start the in-process simulator, or use a running one (`socops sim`) when `--mde-url` is
/// given with `--demo`: then several runs share one tenant and its actions.
async fn start_demo(g: &GlobalArgs) -> CliResult<DemoTenant> {
    if let Some(mde) = &g.mde_url {
        check_url(mde)?;
        return Ok(DemoTenant {
            base_url: mde.trim_end_matches('/').to_string(),
        });
    }
    Err(shim::not_yet("the demo tenant (--demo)"))
}

fn token_source(_s: &Settings) -> CliResult<Arc<dyn TokenSource>> {
    Err(shim::not_yet("sign-in to a real tenant"))
}
