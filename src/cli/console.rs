//! `socops` with no command: builds the session (config and credentials are checked before the
//! terminal is touched) and hands it to the console runtime, with a client for every other
//! profile of the config (`:ctx NAME`, the All tenants view).

use crate::cli::args::GlobalArgs;
use crate::cli::console_session::{ConsoleContext, console_session};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::Session;
use crate::runtime::team::TeamGate;
use crate::runtime::tenants::TenantHandle;
use crate::runtime::{ConsoleOptions, run_console};

/// Run the console until the analyst quits.
pub async fn run(g: &GlobalArgs) -> CliResult {
    // `session` must outlive the console: dropping it stops the in-process demo tenant.
    let (session, context) = console_session(g).await?;
    let data_dir = crate::store::paths::data_dir().map_err(|e| CliError::Config(e.to_string()))?;
    // The console shows its own DEMO / OFFLINE badge beside the name.
    let label = session
        .tenant_label
        .trim_end_matches(" (DEMO)")
        .trim_end_matches(" (offline)")
        .to_string();
    let opts = ConsoleOptions {
        tenant_label: label.clone(),
        demo: context.demo,
        read_only: session.read_only,
        no_color: g.no_color,
        refresh_interval: context.refresh_interval,
        keys: context.keys.clone(),
        mouse: context.mouse,
        checklist_path: data_dir
            .join("checklist")
            .join(format!("{}.json", session.profile_name)),
        portal: session.client.endpoints().portal().to_string(),
        protected: session.protected,
        plan: session.plan,
        data_dir: data_dir.clone(),
        export_dir: context.export_dir.clone(),
        profile: session.profile_name.clone(),
        tenants: tenants(g, &session, &context, label),
        offline: session.offline,
        analyst: session.analyst.clone(),
    };
    tracing::info!(tenant = %session.tenant_label, "console starting");
    let result = run_console(session.client.clone(), opts).await;
    drop(session);
    result.map_err(|e| CliError::Runtime(format!("{e:#}")))
}

/// The session's tenant first, then every other profile of the config as the context loaded
/// it (none offline, and none for `--demo` without a config). A profile whose credentials cannot be built is listed
/// with the reason. No network here.
fn tenants(
    g: &GlobalArgs,
    session: &Session,
    context: &ConsoleContext,
    label: String,
) -> Vec<TenantHandle> {
    let mut out = vec![TenantHandle {
        name: session.profile_name.clone(),
        label,
        color: context.color.clone(),
        read_only: session.read_only,
        protected: session.protected,
        plan: session.plan,
        client: Ok(session.client.clone()),
        team: session.team.clone().map(TeamGate::new),
        analyst: session.analyst.clone(),
    }];
    if session.offline {
        return out;
    }
    // The team store is per config; each profile has its own policy.
    let config = crate::cli::session::load_config().ok();
    for (name, profile) in &context.profiles {
        if *name == session.profile_name {
            continue;
        }
        let built = crate::cli::profiles::profile_client(name, profile);
        let (client, label) = match built {
            Ok((c, l)) => (Ok(c), l),
            Err(e) => (
                Err(e.one_line()),
                profile.display_name.clone().unwrap_or_else(|| name.clone()),
            ),
        };
        // A profile whose four-eyes step cannot be set up is unavailable, never unguarded.
        let (client, team) = match (&config, client) {
            (Some(cfg), Ok(c)) => {
                match crate::cli::session::team_context(cfg, name, Some(profile), &c) {
                    Ok(team) => (Ok(c), team.map(TeamGate::new)),
                    Err(e) => (Err(e.one_line()), None),
                }
            }
            (_, client) => (client, None),
        };
        out.push(TenantHandle {
            team,
            name: name.clone(),
            label,
            color: profile.color.clone(),
            read_only: g.read_only || profile.read_only,
            protected: profile.protected,
            plan: g.plan.unwrap_or(profile.plan),
            client,
            analyst: profile.analyst.clone(),
        });
    }
    out
}
