//! Session building: flags + config + environment -> endpoints + a token source -> ONE
//! `api::Client`. Everything here runs before any terminal is touched, so a bad config is a
//! clear line on stderr and exit code 2.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::auth::{StaticToken, TokenSource};
use crate::api::plan::Plan;
use crate::api::{Client, Cloud, Endpoints};
use crate::cli::args::GlobalArgs;
use crate::cli::credential::from_env_or_profile;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::Format;
pub use crate::cli::profiles::{profile_client, profile_name};
pub use crate::cli::sim::{demo_plan, sim_config};
use crate::runtime::team::{self, TeamContext};
use crate::sim;
use crate::store::{Config, Profile, ResponseCache, TokenCache, paths};

/// What a command runs with.
pub struct Session {
    pub client: Client,
    /// Tenant name for people: the profile's tenant name, its profile name, or the demo label.
    pub tenant_label: String,
    /// Refuse every action.
    pub read_only: bool,
    /// Destructive actions need the device name typed.
    pub protected: bool,
    /// The tenant's licence: actions outside it are refused before sending (exit 3).
    pub plan: Plan,
    /// Print requests instead of sending them.
    pub dry_run: bool,
    pub format: Format,
    /// Profile name for the audit log and the response cache (`demo` for the demo tenant).
    pub profile_name: String,
    /// `--offline`: lists come from the response cache; nothing is sent.
    pub offline: bool,
    /// The response cache of the data dir (none when there is no data dir).
    pub cache: Option<ResponseCache>,
    /// `--out FILE` and `--force`: lists go to this file.
    pub out: Option<(PathBuf, bool)>,
    /// The team store and this profile's four-eyes policy (`None` without a `[team]` table).
    pub team: Option<TeamContext>,
    /// The profile's `analyst` ("assign to me" when signed in as an app).
    pub analyst: Option<String>,
    /// Keeps the in-process demo tenant running for the life of the session.
    _demo: Option<DemoTenant>,
}

/// The simulator of `--demo`: in-process, or a running `socops sim` named by `--mde-url`.
pub(crate) struct DemoTenant {
    pub base_url: String,
    /// Stops the in-process server when the session ends.
    _sim: Option<sim::RunningSim>,
}

/// The output format chosen by the flags. An export (`--out FILE`) is never a table: CSV
/// with `--csv` or a `.csv` file name, else JSON.
pub(crate) fn format_of(g: &GlobalArgs) -> Format {
    let csv_name = g
        .out
        .as_ref()
        .is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")));
    if g.json {
        Format::Json
    } else if g.csv || csv_name {
        Format::Csv
    } else if g.out.is_some() {
        Format::Json
    } else {
        Format::Table
    }
}

fn cache() -> Option<ResponseCache> {
    paths::data_dir().ok().map(|d| ResponseCache::new(&d))
}

/// Where the client of an offline session points: a reserved, never-resolving name.
const OFFLINE_URL: &str = "http://offline.invalid";

/// Settings resolved from flags, config and environment, before any network.
pub struct Settings {
    pub endpoints: Endpoints,
    /// The chosen profile (name, settings), if the config has one.
    pub profile: Option<(String, Profile)>,
}

/// Load and validate the config file (mode 0600, no secrets, known keys).
pub(crate) fn load_config() -> CliResult<Config> {
    let path = paths::config_file().map_err(|e| CliError::Config(e.to_string()))?;
    Config::load(&path).map_err(|e| CliError::Config(e.to_string()))
}

/// Resolve the non-demo settings: the profile, the cloud, the URLs and the tenant.
pub(crate) fn resolve(g: &GlobalArgs) -> CliResult<Settings> {
    let config = load_config()?;
    let profile = if config.profiles.is_empty() && g.profile.is_none() {
        None
    } else {
        let (name, p) = config
            .profile(g.profile.as_deref())
            .map_err(|e| CliError::Config(e.to_string()))?;
        Some((name.to_string(), p.clone()))
    };
    let cloud: Cloud = match (&g.cloud, &profile) {
        (Some(c), _) => c.parse().map_err(CliError::Usage)?,
        (None, Some((_, p))) => p.cloud,
        (None, None) => Cloud::Global,
    };
    let tenant_id = g
        .tenant_id
        .clone()
        .or(profile.as_ref().map(|(_, p)| p.tenant_id.clone()))
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
    let p = profile.as_ref().map(|(_, p)| p);
    // The Azure SDK's AZURE_AUTHORITY_HOST is the weakest authority setting: a flag (or
    // SOCOPS_AUTHORITY_URL) and the profile both win over it.
    let azure_authority = std::env::var("AZURE_AUTHORITY_HOST")
        .ok()
        .filter(|v| !v.trim().is_empty());
    let endpoints = Endpoints::for_cloud(cloud, tenant_id).with_overrides(
        g.authority_url
            .as_deref()
            .or(p.and_then(|p| p.authority_url.as_deref()))
            .or(azure_authority.as_deref()),
        g.mde_url
            .as_deref()
            .or(p.and_then(|p| p.mde_url.as_deref())),
        g.graph_url
            .as_deref()
            .or(p.and_then(|p| p.graph_url.as_deref())),
    );
    // Every URL (flag, env, profile) and the tenant id are checked before anything is sent:
    // plain http only to loopback, and a tenant id is a GUID or a domain.
    endpoints.validate().map_err(CliError::Usage)?;
    if let Ok(t) = std::env::var("AZURE_TENANT_ID")
        && !t.trim().is_empty()
    {
        crate::api::cloud::check_tenant_id(&t)
            .map_err(|e| CliError::Usage(format!("AZURE_TENANT_ID: {e}")))?;
    }
    Ok(Settings { endpoints, profile })
}

fn check_url(u: &str) -> CliResult {
    crate::api::cloud::check_base_url(u).map_err(|e| CliError::Usage(format!("'{u}': {e}")))
}

impl Session {
    /// Build the session of a command. Inside the tokio runtime (the demo starts a server).
    pub async fn build(g: &GlobalArgs) -> CliResult<Session> {
        if let Some(c) = &g.cloud {
            c.parse::<Cloud>().map_err(CliError::Usage)?;
        }
        if g.offline {
            return Self::offline(g);
        }
        if g.demo {
            return Self::demo(g).await;
        }
        let s = resolve(g)?;
        let tokens = token_source(g, &s)?;
        let analyst = s.profile.as_ref().and_then(|(_, p)| p.analyst.clone());
        let (profile_name, label, read_only, protected, plan) = match &s.profile {
            Some((name, p)) => (
                name.clone(),
                p.display_name.clone().unwrap_or_else(|| name.clone()),
                p.read_only,
                p.protected,
                p.plan,
            ),
            None => (
                "env".to_string(),
                s.endpoints.tenant_id.clone(),
                false,
                false,
                Plan::default(),
            ),
        };
        let client = Client::new(s.endpoints, tokens);
        let profile = s.profile.as_ref().map(|(_, p)| p);
        let team = team_context(&load_config()?, &profile_name, profile, &client)?;
        Ok(Session {
            client,
            team,
            tenant_label: label,
            read_only: g.read_only || read_only,
            protected,
            plan: g.plan.unwrap_or(plan),
            dry_run: g.dry_run,
            format: format_of(g),
            profile_name,
            offline: false,
            cache: cache(),
            out: g.out.clone().map(|p| (p, g.force)),
            analyst,
            _demo: None,
        })
    }

    async fn demo(g: &GlobalArgs) -> CliResult<Session> {
        let demo = start_demo(g).await?;
        let base = demo.base_url.as_str();
        let endpoints = Endpoints::for_cloud(Cloud::Global, sim::DEMO_TENANT_ID).with_overrides(
            Some(g.authority_url.as_deref().unwrap_or(base)),
            Some(base),
            Some(g.graph_url.as_deref().unwrap_or(base)),
        );
        // A token per API with that API's audience, as the simulator checks them.
        let tokens: Arc<dyn TokenSource> =
            Arc::new(sim::DemoTokens::new("analyst@fabrikam.example"));
        let client = Client::new(endpoints, tokens);
        let label = format!("{} (DEMO)", sim::DEMO_TENANT_NAME);
        // The demo has no profile: with a [team] table it uses the demo policy. A config
        // that does not load leaves the demo as it was.
        let team = match load_config() {
            Ok(cfg) => team_context(&cfg, "demo", None, &client)?,
            Err(_) => None,
        };
        Ok(Session {
            client,
            team,
            tenant_label: label,
            read_only: g.read_only,
            protected: false,
            plan: demo_plan(g),
            dry_run: g.dry_run,
            format: format_of(g),
            profile_name: "demo".into(),
            offline: false,
            cache: cache(),
            out: g.out.clone().map(|p| (p, g.force)),
            analyst: None,
            _demo: Some(demo),
        })
    }

    /// The session of `--offline`: the profile's name and cache, no credential, no demo
    /// server, and a client bound to an unroutable address (nothing may be sent; a bug that
    /// tried would fail instead of reaching a tenant).
    fn offline(g: &GlobalArgs) -> CliResult<Session> {
        let profile_name = profile_name(g)?;
        let endpoints = Endpoints::for_cloud(Cloud::Global, "offline").with_overrides(
            Some(OFFLINE_URL),
            Some(OFFLINE_URL),
            Some(OFFLINE_URL),
        );
        let tokens: Arc<dyn TokenSource> = Arc::new(StaticToken::new("offline", "offline"));
        Ok(Session {
            client: Client::new(endpoints, tokens),
            team: None,
            tenant_label: format!("{profile_name} (offline)"),
            read_only: true,
            protected: false,
            plan: g.plan.unwrap_or_default(),
            dry_run: g.dry_run,
            format: format_of(g),
            profile_name,
            offline: true,
            cache: cache(),
            out: g.out.clone().map(|p| (p, g.force)),
            analyst: None,
            _demo: None,
        })
    }
}

/// The team settings of a session: who this process is (its OS login, and the signed-in
/// Entra user of a device-code profile), the profile's policy and the tenant id the queue is
/// keyed on (the client's: the tenant its requests reach).
pub(crate) fn team_context(
    cfg: &Config,
    profile_name: &str,
    profile: Option<&Profile>,
    client: &Client,
) -> CliResult<Option<TeamContext>> {
    let signed_in = team::signed_in_user(profile, client);
    let tenant = &client.endpoints().tenant_id;
    TeamContext::from_config(cfg, profile_name, profile, tenant, signed_in.as_deref())
        .map_err(|e| CliError::Config(e.to_string()))
}

/// Start the in-process simulator, or use a running one (`socops sim`) when `--mde-url` is
/// given with `--demo`: then several runs share one tenant and its actions.
async fn start_demo(g: &GlobalArgs) -> CliResult<DemoTenant> {
    if let Some(mde) = &g.mde_url {
        check_url(mde)?;
        return Ok(DemoTenant {
            base_url: mde.trim_end_matches('/').to_string(),
            _sim: None,
        });
    }
    let running = sim::start(sim_config(g))
        .await
        .map_err(|e| CliError::Runtime(format!("cannot start the demo tenant: {e}")))?;
    Ok(DemoTenant {
        base_url: running.base_url(),
        _sim: Some(running),
    })
}

/// The credential of the session: the Azure SDK environment variables, else the profile's
/// (secret from the environment, certificate, or the device-code refresh token).
pub(crate) fn token_source(g: &GlobalArgs, s: &Settings) -> CliResult<Arc<dyn TokenSource>> {
    let data = paths::data_dir().map_err(|e| CliError::Config(e.to_string()))?;
    let cache = TokenCache::new(&data);
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let env_credential = env("AZURE_TENANT_ID").is_some()
        && env("AZURE_CLIENT_ID").is_some()
        && (env("AZURE_CLIENT_SECRET").is_some() || env("AZURE_CLIENT_CERTIFICATE_PATH").is_some());
    let mut profile = s.profile.clone();
    if profile.is_none() && env_credential {
        // No profile: the env credential still signs in where the session talks (cloud,
        // --authority-url …), so it gets a profile carrying only the resolved endpoints.
        let e = &s.endpoints;
        let client_id = g.client_id.clone().or(env("AZURE_CLIENT_ID"));
        profile = Some((
            "env".to_string(),
            Profile {
                tenant_id: e.tenant_id.clone(),
                client_id: client_id.unwrap_or_default(),
                cloud: e.cloud,
                ..Profile::default()
            },
        ));
    }
    if let Some((_, p)) = &mut profile {
        // Flags win over the profile for the ids the credential signs in with, and the
        // credential uses exactly the session's endpoints.
        if let Some(t) = &g.tenant_id {
            p.tenant_id = t.clone();
        }
        if let Some(c) = &g.client_id {
            p.client_id = c.clone();
        }
        let e = &s.endpoints;
        p.cloud = e.cloud;
        p.authority_url = Some(e.authority.clone());
        p.mde_url = Some(e.mde.clone());
        p.graph_url = Some(e.graph.clone());
    }
    let cred = from_env_or_profile(profile.as_ref().map(|(n, p)| (n.as_str(), p)), &cache)
        .map_err(|e| CliError::Config(e.to_string()))?;
    Ok(cred.source)
}
