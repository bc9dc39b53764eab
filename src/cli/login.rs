//! `login`: the device code flow for SSH boxes (no browser needed here: the code and URL are
//! printed); the refresh token is kept in the token cache, mode 0600, per profile.

use crate::api::auth::{poll_device_code, start_device_code};
use crate::cli::args::GlobalArgs;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::resolve;
use crate::store::{CachedRefreshToken, TokenCache, paths};

/// Run `login`.
pub async fn run(g: &GlobalArgs) -> CliResult {
    if g.demo {
        println!("The demo tenant needs no sign-in: every command runs on it with --demo.");
        return Ok(());
    }
    let s = resolve(g)?;
    let Some((name, profile)) = s.profile.clone() else {
        return Err(CliError::Config(
            "login needs a profile (client id and tenant): run `socops config init` and edit it"
                .into(),
        ));
    };
    let client_id = g.client_id.clone().unwrap_or(profile.client_id.clone());
    let details = start_device_code(&s.endpoints, &client_id).await?;
    // The sign-in service's own words: shown, never interpreted by the terminal.
    eprintln!("{}", crate::text::block(&details.message));
    eprintln!(
        "(code {} at {}; waiting up to {} s)",
        crate::text::line(&details.user_code),
        crate::text::line(&details.verification_uri),
        details.expires_in
    );
    let token = poll_device_code(&s.endpoints, &client_id, &details).await?;
    let data = paths::data_dir().map_err(|e| CliError::Config(e.to_string()))?;
    let cache = TokenCache::new(&data);
    cache
        .save(
            &name,
            &CachedRefreshToken {
                tenant_id: s.endpoints.tenant_id.clone(),
                client_id,
                refresh_token: token.refresh_token.expose().to_string(),
                username: token.username.clone(),
                saved_at: chrono::Utc::now(),
            },
        )
        .map_err(|e| CliError::Runtime(e.to_string()))?;
    println!(
        "signed in{} for profile '{name}'",
        token
            .username
            .as_deref()
            .map(|u| format!(" as {}", crate::text::line(u)))
            .unwrap_or_default()
    );
    Ok(())
}
