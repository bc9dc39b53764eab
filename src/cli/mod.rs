//! Command-line entry: parses flags, loads config, and runs the console, a headless command,
//! the simulator or the sign-in. Each noun lives in its own file; this one only dispatches.

pub mod action;
pub(crate) mod action_show;
pub mod actions;
pub mod alerts;
pub mod approvals;
pub mod args;
pub mod audit;
pub mod config;
pub mod confirm;
pub mod console;
pub mod console_session;
pub mod controls;
pub mod credential;
pub mod device_action;
pub mod device_ref;
pub mod devices;
pub mod digest;
pub mod digest_team;
pub mod docs;
pub mod enum_flags;
pub mod exit;
pub mod export;
pub mod global_args;
pub mod incidents;
pub mod indicators;
pub mod list;
pub mod login;
pub mod output;
pub mod profiles;
pub mod progress;
pub mod reports;
pub mod score;
pub mod send;
pub mod session;
pub mod shim;
pub mod sim;
pub mod triage;
pub mod triage_args;
pub mod triage_show;
pub mod tvm;

use clap::Parser;

use crate::cli::args::{Cli, Command};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::Session;

/// Entry point of the binary; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    if cli.command.is_none() {
        // The console holds the inventory for hours: its allocator is tuned first (nothing is
        // open yet to be lost by the exec).
        crate::runtime::malloc_tuning::reexec_with_malloc_tunables();
    }
    let _log = init_logging();
    match run(cli) {
        Ok(()) => exit::OK,
        Err(e) => {
            tracing::warn!(code = e.code(), "command failed: {}", e.one_line());
            // The one error printer: messages quote servers and tenant names.
            eprintln!("socops: {}", crate::text::line(&e.one_line()));
            e.code()
        }
    }
}

/// Logs go to a daily file in the data dir (`socops.log.YYYY-MM-DD`, the day the run
/// started), never to stdout/stderr (the console owns the terminal). The file is 0600 and
/// never opened through a link: it names devices, tenants and operators. The guard flushes
/// the writer when dropped at the end of `main`.
fn init_logging() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    use tracing_subscriber::EnvFilter;
    let dir = shim::data_dir()?;
    crate::store::secure_file::ensure_private_dir(&dir).ok()?;
    let filter = std::env::var("SOCOPS_LOG")
        .ok()
        .or_else(|| std::env::var("RUST_LOG").ok())
        .and_then(|f| EnvFilter::try_new(f).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    let name = format!("socops.log.{}", chrono::Utc::now().format("%Y-%m-%d"));
    let file = crate::store::secure_file::open_append_private(&dir.join(name)).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

fn runtime() -> CliResult<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Runtime(format!("cannot start the async runtime: {e}")))
}

/// `--out` applies to lists only; elsewhere it would be silently ignored, so it is refused.
fn check_out(g: &args::GlobalArgs, command: Option<&Command>) -> CliResult {
    use args::IndicatorsCmd;
    let list = matches!(
        command,
        Some(
            Command::Devices(_)
                | Command::Incidents(_)
                | Command::Alerts(_)
                | Command::Actions(_)
                | Command::Investigations(_)
                | Command::Recommendations(_)
                | Command::Controls(_)
                | Command::Vulnerabilities(_)
                | Command::Remediation(_)
                | Command::Report(_)
                | Command::Audit(_)
                | Command::Indicators(IndicatorsCmd::List { .. })
        )
    ) || matches!(
        command,
        Some(Command::Action(args::ActionArgs {
            verb: args::ActionVerb::Output { .. },
            ..
        }))
    );
    if g.out.is_some() && !list {
        return Err(CliError::Usage(
            "--out writes a list (devices, incidents, remediation …) or an action's output to a file".into(),
        ));
    }
    Ok(())
}

fn run(cli: Cli) -> CliResult {
    let g = cli.global;
    if !matches!(cli.command, Some(Command::Digest(_))) {
        check_out(&g, cli.command.as_ref())?;
    }
    match cli.command {
        Some(Command::Config(c)) => return config::run(c),
        // The audit log is read synchronously; the runtime only listens for the signals
        // that must remove an unfinished `--out` file.
        Some(Command::Audit(c)) => {
            return runtime()?.block_on(async {
                ending_signals();
                audit::run(&g, c)
            });
        }
        Some(Command::Sim(a)) => return runtime()?.block_on(sim::run(&g, a)),
        Some(Command::Login) => {
            return runtime()?.block_on(async {
                ending_signals();
                login::run(&g).await
            });
        }
        Some(Command::Digest(a)) => {
            return runtime()?.block_on(async {
                ending_signals();
                digest::run(&g, a).await
            });
        }
        Some(Command::Completions { shell }) => return docs::completions(shell),
        Some(Command::Man) => return docs::man(),
        None => return runtime()?.block_on(console::run(&g)),
        _ => {}
    }
    let rt = runtime()?;
    rt.block_on(async move {
        ending_signals();
        let session = Session::build(&g).await?;
        tracing::info!(tenant = %session.tenant_label, "session ready");
        dispatch(&session, cli.command).await
    })
}

/// A headless command ended by a signal (ctrl-c, SIGTERM, a dropped SSH session) removes its
/// unfinished `--out` file before it exits; the console does the same with its terminal
/// guard, and `sim` shuts its server down on ctrl-c itself.
fn ending_signals() {
    crate::runtime::signals::exit_on_signal(|| {});
}

async fn dispatch(s: &Session, command: Option<Command>) -> CliResult {
    if s.offline {
        refuse_offline(command.as_ref())?;
    }
    match command {
        Some(Command::Devices(c)) => devices::run(s, c).await,
        Some(Command::Incidents(c)) => incidents::run(s, c).await,
        Some(Command::Alerts(c)) => alerts::run(s, c).await,
        Some(Command::Actions(c)) => actions::run(s, c).await,
        Some(Command::Investigations(c)) => actions::run_investigations(s, c).await,
        Some(Command::Score) => score::run(s).await,
        Some(Command::Recommendations(c)) => tvm::run_recommendations(s, c).await,
        Some(Command::Controls(c)) => controls::run(s, c).await,
        Some(Command::Vulnerabilities(c)) => tvm::run(s, tvm::Kind::Vulnerabilities, c).await,
        Some(Command::Remediation(c)) => tvm::run(s, tvm::Kind::Remediation, c).await,
        Some(Command::Indicators(c)) => indicators::run(s, c).await,
        Some(Command::Report(c)) => reports::run(s, c).await,
        Some(Command::Incident(a)) => triage::run_incident(s, a).await,
        Some(Command::Alert(a)) => triage::run_alert(s, a).await,
        Some(Command::Device(a)) => device_action::run(s, a).await,
        Some(Command::Action(a)) => action::run(s, a).await,
        Some(Command::Approvals(c)) => approvals::run(s, c).await,
        None
        | Some(
            Command::Audit(_)
            | Command::Sim(_)
            | Command::Login
            | Command::Config(_)
            | Command::Digest(_)
            | Command::Completions { .. }
            | Command::Man,
        ) => Err(CliError::Usage("handled before the session".into())),
    }
}

/// Offline, only the cached lists run: actions are refused (exit 3, nothing sent) and the
/// single reads, which are not cached, say so.
fn refuse_offline(command: Option<&Command>) -> CliResult {
    let action = |what: &str| {
        Err(CliError::Refused(format!(
            "{what}: actions are not possible with --offline; nothing was sent"
        )))
    };
    let not_cached = |what: &str, hint: &str| {
        Err(CliError::Runtime(format!(
            "{what} is not available with --offline{hint}"
        )))
    };
    match command {
        Some(Command::Device(d)) => action(&format!("device {}", d.device)),
        Some(Command::Action(a)) => match a.verb {
            args::ActionVerb::Cancel { .. } => action(&format!("cancel action {}", a.id)),
            _ => not_cached("reading one machine action", ""),
        },
        Some(Command::Indicators(args::IndicatorsCmd::Add { .. })) => action("add indicator"),
        Some(Command::Indicators(args::IndicatorsCmd::Delete { id, .. })) => {
            action(&format!("delete indicator {id}"))
        }
        Some(Command::Controls(_)) => not_cached("controls list", ""),
        Some(Command::Recommendations(args::RecommendationsCmd::Devices { .. })) => {
            not_cached("a recommendation's exposed devices", "")
        }
        Some(Command::Score) => not_cached(
            "score",
            "; `socops --offline digest` shows the last stored scores",
        ),
        Some(Command::Approvals(args::ApprovalsCmd::Approve { id, .. })) => {
            action(&format!("approve request {id}"))
        }
        None => not_cached("the console", ""),
        _ => Ok(()),
    }
}
