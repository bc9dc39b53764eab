//! Profiles without a session: a client per named profile (`digest --all-profiles`) and the
//! profile name of a run found with no network or credential (`--offline`, the caches).

use crate::api::Client;
use crate::cli::args::GlobalArgs;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::{Settings, load_config, token_source};
use crate::store::Profile;

/// A client for one named profile of the config (for `digest --all-profiles`): the profile's
/// own endpoints and credential; the per-run flags (`--tenant-id`, URLs …) do not apply.
/// Returns the client and the tenant label. No network here.
pub fn profile_client(name: &str, profile: &Profile) -> CliResult<(Client, String)> {
    let settings = Settings {
        endpoints: profile.endpoints(),
        profile: Some((name.to_string(), profile.clone())),
    };
    let tokens = token_source(&GlobalArgs::default(), &settings)?;
    let label = profile
        .display_name
        .clone()
        .unwrap_or_else(|| name.to_string());
    Ok((Client::new(settings.endpoints, tokens), label))
}

/// The profile name a run uses, found without any network or credential: `demo` for the
/// demo tenant, the chosen profile of the config, else `env` (environment credentials).
pub fn profile_name(g: &GlobalArgs) -> CliResult<String> {
    if g.demo {
        return Ok("demo".into());
    }
    let config = load_config()?;
    if config.profiles.is_empty() && g.profile.is_none() {
        return Ok("env".into());
    }
    let (name, _) = config
        .profile(g.profile.as_deref())
        .map_err(|e| CliError::Config(e.to_string()))?;
    Ok(name.to_string())
}
