//! The one function the console calls to start: the same session as a headless command
//! (`--demo` in-process tenant, or profile / environment credentials with every endpoint
//! override) plus what only the console needs from the config file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::args::GlobalArgs;
use crate::cli::exit::CliResult;
use crate::cli::session::{Session, load_config};
use crate::store::{Config, Profile};

/// What the console needs beyond the [`Session`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConsoleContext {
    /// Seconds between refreshes of the visible view (config `refresh_interval_secs`).
    pub refresh_interval: Duration,
    /// Key overrides (action name -> key) from the config `[keys]` table.
    pub keys: BTreeMap<String, String>,
    /// The console takes the mouse (config `mouse = true`).
    pub mouse: bool,
    /// Where `e` writes exports (config `export_dir`, a leading `~/` is the home directory;
    /// none: the current directory).
    pub export_dir: Option<PathBuf>,
    /// The profile's accent colour, if it sets one (none for the demo tenant).
    pub color: Option<String>,
    /// The tenant is the simulated demo tenant (show the DEMO banner).
    pub demo: bool,
    /// Every profile of the config, as loaded once here (the tenants `:ctx` can switch to;
    /// none for `--demo` without a config file).
    pub profiles: BTreeMap<String, Profile>,
}

/// Build the console's session and context from the global flags. Call it inside the tokio
/// runtime (the demo tenant starts a server) and BEFORE taking over the terminal, so a bad
/// config prints one `socops: …` line and exits 2 like any command. Keep the returned
/// `Session` alive for the console's lifetime: dropping it stops the in-process demo tenant.
pub(crate) async fn console_session(g: &GlobalArgs) -> CliResult<(Session, ConsoleContext)> {
    // The demo runs without any config file; a present but broken one is still refused.
    let config = if g.demo && !config_exists() {
        Config::default()
    } else {
        load_config()?
    };
    let session = Session::build(g).await?;
    let context = context(config, &session.profile_name, g.demo);
    Ok((session, context))
}

/// The console settings of the config for the session's profile.
fn context(config: Config, profile_name: &str, demo: bool) -> ConsoleContext {
    let color = if demo {
        None
    } else {
        config
            .profiles
            .get(profile_name)
            .and_then(|p| p.color.clone())
    };
    ConsoleContext {
        refresh_interval: Duration::from_secs(config.refresh_interval_secs.max(1)),
        keys: config.keys,
        mouse: config.mouse,
        export_dir: config.export_dir.as_deref().map(home_relative),
        color,
        demo,
        profiles: config.profiles,
    }
}

/// `~/x` as `<home>/x` (the shell does not expand a path written in the config).
fn home_relative(p: &std::path::Path) -> PathBuf {
    match (p.strip_prefix("~"), directories::BaseDirs::new()) {
        (Ok(rest), Some(b)) => b.home_dir().join(rest),
        _ => p.to_path_buf(),
    }
}

fn config_exists() -> bool {
    crate::store::paths::config_file().is_ok_and(|p| p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[tokio::test(flavor = "multi_thread")]
    async fn demo_session_and_context() {
        let cli = crate::cli::args::Cli::try_parse_from(["socops", "--demo", "--read-only"])
            .expect("parse");
        let s = Session::build(&cli.global).await.expect("session");
        assert!(s.read_only);
        assert_eq!(s.tenant_label, "Fabrikam (DEMO)");
        let mut config = Config::default();
        config.keys.insert("isolate".into(), "I".into());
        config.refresh_interval_secs = 0;
        let ctx = context(config, &s.profile_name, true);
        assert!(ctx.demo && ctx.color.is_none());
        assert_eq!(ctx.refresh_interval, Duration::from_secs(1));
        assert_eq!(ctx.keys["isolate"], "I");
    }
}
