//! `socops` with no command: builds the session (config and credentials are checked before the
//! terminal is touched) and hands it to the console runtime.

use crate::cli::args::GlobalArgs;
use crate::cli::console_session::console_session;
use crate::cli::exit::{CliError, CliResult};
use crate::runtime::{ConsoleOptions, run_console};

/// Run the console until the analyst quits.
pub async fn run(g: &GlobalArgs) -> CliResult {
    // `session` must outlive the console: dropping it stops the in-process demo tenant.
    let (session, context) = console_session(g).await?;
    let data_dir = crate::store::paths::data_dir().map_err(|e| CliError::Config(e.to_string()))?;
    let opts = ConsoleOptions {
        // The console shows its own DEMO badge beside the name.
        tenant_label: session.tenant_label.trim_end_matches(" (DEMO)").to_string(),
        demo: context.demo,
        read_only: session.read_only,
        no_color: g.no_color,
        refresh_interval: context.refresh_interval,
        keys: context.keys,
        checklist_path: data_dir
            .join("checklist")
            .join(format!("{}.json", session.profile_name)),
        portal: session.client.endpoints().portal().to_string(),
        data_dir: data_dir.clone(),
        profile: session.profile_name.clone(),
    };
    tracing::info!(tenant = %session.tenant_label, "console starting");
    let result = run_console(session.client.clone(), opts).await;
    drop(session);
    result.map_err(|e| CliError::Runtime(format!("{e:#}")))
}
