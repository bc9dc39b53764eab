//! The command line, declared with clap derive: global flags (with their environment
//! variables) and one subcommand per noun. Parsing only; no IO.

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::cli::global_args::GlobalArgs;

use crate::api::model::graph_enums::{
    GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus, GraphSeverity,
};
use crate::api::model::{ActionStatus, ExposureLevel, HealthStatus, InvestigationState, RiskScore};

/// socops: the Defender for Business / Defender for Endpoint operations routine.
#[derive(Debug, Parser)]
#[command(name = "socops", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands. With none, the console starts.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Devices (machines).
    #[command(subcommand)]
    Devices(DevicesCmd),
    /// Incidents (Microsoft Graph).
    #[command(subcommand)]
    Incidents(IncidentsCmd),
    /// Alerts (Microsoft Graph alerts_v2).
    #[command(subcommand)]
    Alerts(AlertsCmd),
    /// Machine actions (the action history).
    #[command(subcommand)]
    Actions(ActionsCmd),
    /// Automated investigations.
    #[command(subcommand)]
    Investigations(InvestigationsCmd),
    /// Exposure score, Secure Score for Devices and Microsoft Secure Score.
    Score,
    /// Security recommendations and the devices each exposes.
    #[command(subcommand)]
    Recommendations(RecommendationsCmd),
    /// Microsoft Secure Score improvement actions (controls), largest gap first.
    #[command(subcommand)]
    Controls(ListOnly),
    /// Vulnerabilities (CVEs).
    #[command(subcommand)]
    Vulnerabilities(ListOnly),
    /// Remediation activities.
    #[command(subcommand)]
    Remediation(ListOnly),
    /// Indicators (block / allow files).
    #[command(subcommand)]
    Indicators(IndicatorsCmd),
    /// Reports.
    #[command(subcommand)]
    Report(ReportCmd),
    /// Triage one incident: show, update (status, owner, classification, tags), comment.
    Incident(crate::cli::triage_args::IncidentArgs),
    /// Triage one alert (Graph alerts_v2): show, update, comment.
    Alert(crate::cli::triage_args::AlertArgs),
    /// Act on one device (id or computer name).
    Device(DeviceArgs),
    /// Follow or cancel one machine action.
    Action(ActionArgs),
    /// The local audit log of actions.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Serve the simulated tenant on 127.0.0.1 until Ctrl-C.
    Sim(SimArgs),
    /// Sign in with the device code flow and keep the refresh token.
    Login,
    /// The config file.
    #[command(subcommand)]
    Config(ConfigCmd),
    /// The morning digest: scores, pending actions, devices at risk, incidents, changes.
    Digest(DigestArgs),
    /// The team's four-eyes queue: list, show, approve, reject, withdraw requests.
    #[command(subcommand)]
    Approvals(ApprovalsCmd),
    /// Print a shell completion script (e.g. `socops completions bash > ~/.local/share/bash-completion/completions/socops`).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print the manual page (roff), e.g. `socops man > socops.1 && man ./socops.1`.
    Man,
}

/// The shells `socops completions` writes a script for.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// `digest [--markdown] [--all-profiles]` (`--json` is global).
#[derive(Debug, Args)]
pub struct DigestArgs {
    /// Markdown instead of plain text.
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
    /// Every profile of the config, concurrently, one line per tenant.
    #[arg(long)]
    pub all_profiles: bool,
}

/// `--limit` shared by the lists.
#[derive(Debug, Args, Clone, Default)]
pub struct LimitArg {
    /// Stop after N records.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum DevicesCmd {
    /// List devices.
    List {
        /// riskScore (any case).
        #[arg(long, value_name = "R", value_enum, ignore_case = true)]
        risk: Option<RiskScore>,
        /// healthStatus (any case).
        #[arg(long, value_name = "H", value_enum, ignore_case = true)]
        health: Option<HealthStatus>,
        /// exposureLevel (any case).
        #[arg(long, value_name = "E", value_enum, ignore_case = true)]
        exposure: Option<ExposureLevel>,
        /// A raw OData $filter, combined with the above by `and`.
        #[arg(long, value_name = "ODATA")]
        filter: Option<String>,
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum IncidentsCmd {
    /// List incidents.
    List {
        /// status (any case; sent as Graph spells it).
        #[arg(long, value_name = "S", value_enum, ignore_case = true)]
        status: Option<GraphIncidentStatus>,
        /// severity (any case).
        #[arg(long, value_name = "S", value_enum, ignore_case = true)]
        severity: Option<GraphSeverity>,
        #[command(flatten)]
        triage: TriageFilter,
        #[command(flatten)]
        limit: LimitArg,
    },
}

/// `--classification` and `--determination` of the Graph lists.
#[derive(Debug, Args, Clone, Default)]
pub struct TriageFilter {
    /// classification (any case).
    #[arg(long, value_name = "C", value_enum, ignore_case = true)]
    pub classification: Option<GraphClassification>,
    /// determination (any case).
    #[arg(long, value_name = "D", value_enum, ignore_case = true)]
    pub determination: Option<GraphDetermination>,
}

impl TriageFilter {
    /// The `$filter` fields of a triage list (incidents and alerts ask the same four).
    pub(crate) fn with<S: clap::ValueEnum, V: clap::ValueEnum>(
        self,
        status: Option<S>,
        severity: Option<V>,
    ) -> Vec<(&'static str, Option<String>)> {
        use crate::cli::enum_flags::wire;
        vec![
            ("status", wire(status)),
            ("severity", wire(severity)),
            ("classification", wire(self.classification)),
            ("determination", wire(self.determination)),
        ]
    }
}

#[derive(Debug, Subcommand)]
pub enum AlertsCmd {
    /// List alerts.
    List {
        /// status (any case; sent as Graph spells it).
        #[arg(long, value_name = "S", value_enum, ignore_case = true)]
        status: Option<GraphAlertStatus>,
        /// severity (any case).
        #[arg(long, value_name = "S", value_enum, ignore_case = true)]
        severity: Option<GraphSeverity>,
        #[command(flatten)]
        triage: TriageFilter,
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActionsCmd {
    /// List machine actions.
    List {
        /// status (any case).
        #[arg(long, value_name = "S", value_enum, ignore_case = true)]
        status: Option<ActionStatus>,
        /// Only the actions of this device (machine id): how to check whether an action
        /// whose outcome was unknown was performed.
        #[arg(long, value_name = "MACHINE_ID")]
        device: Option<String>,
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvestigationsCmd {
    /// List automated investigations.
    List {
        /// state (any case).
        #[arg(long, value_name = "S", value_enum, ignore_case = true)]
        state: Option<InvestigationState>,
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ListOnly {
    /// List them.
    List {
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum RecommendationsCmd {
    /// List them, highest impact first.
    List {
        #[command(flatten)]
        limit: LimitArg,
    },
    /// The devices one recommendation exposes (`machineReferences`), as its page in the
    /// console lists them.
    Devices {
        /// Recommendation id, e.g. `va-_-google-_-chrome` (`recommendations list` shows them).
        #[arg(value_name = "REC_ID")]
        id: String,
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Defender Antivirus health per device.
    AvHealth {
        #[command(flatten)]
        limit: LimitArg,
    },
}

/// The action of an indicator.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
#[value(rename_all = "verbatim")]
pub enum IndicatorAction {
    Block,
    Allowed,
    Audit,
    Warn,
    BlockAndRemediate,
}

#[derive(Debug, Subcommand)]
pub enum IndicatorsCmd {
    /// List indicators.
    List {
        #[command(flatten)]
        limit: LimitArg,
    },
    /// Add an indicator: a file hash, an IP address, a URL or a domain (exactly one).
    #[command(group = clap::ArgGroup::new("indicator").required(true).multiple(false))]
    Add {
        /// SHA-256 of the file.
        #[arg(long, value_name = "H", group = "indicator")]
        sha256: Option<String>,
        /// SHA-1 of the file.
        #[arg(long, value_name = "H", group = "indicator")]
        sha1: Option<String>,
        /// An IP address (no CIDR ranges).
        #[arg(long, value_name = "IP", group = "indicator")]
        ip: Option<String>,
        /// A URL.
        #[arg(long, value_name = "URL", group = "indicator")]
        url: Option<String>,
        /// A domain name.
        #[arg(long, value_name = "DOMAIN", group = "indicator")]
        domain: Option<String>,
        /// Replace the indicator that already exists for this value.
        #[arg(long)]
        replace: bool,
        /// What Defender does when it meets the indicator.
        #[arg(long, value_enum)]
        action: IndicatorAction,
        /// Title of the indicator (shown in alerts).
        #[arg(long, value_name = "T")]
        title: String,
        /// Longer description of the indicator.
        #[arg(long, value_name = "D")]
        description: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Delete an indicator.
    Delete {
        /// The indicator's id.
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// `device DEVICE VERB --comment C [--yes]`.
#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// Device id (40 hex) or computer name.
    pub device: String,
    #[command(subcommand)]
    pub verb: DeviceVerb,
    /// Why: recorded with the action (required).
    #[arg(long, global = true, value_name = "C")]
    pub comment: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long, global = true)]
    pub yes: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DeviceVerb {
    /// Run a Defender Antivirus scan (quick unless --full).
    Scan {
        /// A full scan of every file instead of a quick scan.
        #[arg(long)]
        full: bool,
    },
    /// Isolate the device from the network.
    Isolate {
        /// Keep Outlook, Teams and Skype connected.
        #[arg(long)]
        selective: bool,
    },
    /// Release the device from isolation.
    Release,
    /// Retired on 2026-09-01 (automated investigation): exits 2 and names `scan --full`.
    Investigate,
    /// Collect the investigation package.
    Collect,
    /// Restrict app execution to Microsoft-signed code.
    Restrict,
    /// Remove the app execution restriction.
    Unrestrict,
    /// Offboard the device from Defender (the device name is typed to confirm).
    Offboard,
    /// Stop a file's processes and quarantine it.
    QuarantineFile {
        /// SHA-1 of the file to stop and quarantine.
        #[arg(long, value_name = "H")]
        sha1: String,
    },
    /// Run a library script with live response.
    RunScript {
        /// The script's file name in the live-response library (checked before sending).
        name: String,
        /// Arguments passed to the script.
        #[arg(long, value_name = "A")]
        args: Option<String>,
    },
    /// Collect a file with live response.
    GetFile {
        /// Full path of the file on the device.
        path: String,
    },
}

/// `action ID VERB`.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Machine action id (a GUID).
    pub id: String,
    #[command(subcommand)]
    pub verb: ActionVerb,
}

#[derive(Debug, Subcommand)]
pub enum ActionVerb {
    /// Show the action.
    Show,
    /// Wait until the action ends; exit 0 only if it succeeded.
    Wait {
        /// Give up after this many seconds (exit 1; the action goes on).
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        timeout: u64,
    },
    /// Cancel the action.
    Cancel {
        /// Why: recorded with the cancellation (required).
        #[arg(long, value_name = "C")]
        comment: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Download the output of a live response command (the raw bytes with the global
    /// `--out FILE`, else shown).
    Output {
        /// Which command of the action (0 = the first).
        #[arg(long, value_name = "N", default_value_t = 0)]
        index: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// List the audit records.
    List {
        #[command(flatten)]
        limit: LimitArg,
    },
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, value_name = "P", default_value_t = 8080)]
    pub port: u16,
    /// The application permissions the simulated app is granted, comma-separated
    /// (e.g. Machine.Read.All,Alert.Read.All); every other endpoint answers 403 as the
    /// service does. Default: all of them.
    #[arg(long, value_name = "ROLES", value_delimiter = ',')]
    pub roles: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCmd {
    /// Print the config file path.
    Path,
    /// Write an example config (mode 0600) if none exists.
    Init,
}

/// `--devices N`: 0 (an empty tenant) up to [`crate::sim::MAX_DEVICES`]; more is a usage
/// error (exit 2), never an allocation that aborts the process.
#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_console_action_has_a_cli_verb() {
        use crate::api::catalog::CATALOG;
        for e in CATALOG {
            let line = e
                .cli
                .replace("DEVICE", "pc-01")
                .replace(" H", &format!(" {}", "a".repeat(40)))
                .replace("[--full]", "--full")
                .replace("[--selective]", "--selective");
            let mut argv = vec!["socops".to_string()];
            argv.extend(line.split_whitespace().map(str::to_string));
            argv.extend(["--comment".into(), "c".into()]);
            if e.cli.starts_with("indicators") {
                argv.truncate(argv.len() - 2);
            }
            let parsed = Cli::try_parse_from(&argv);
            assert!(
                parsed.is_ok(),
                "{:?} ({}): {}",
                e.action,
                e.cli,
                parsed.err().unwrap()
            );
        }
    }

    #[test]
    fn parses_device_action() {
        let cli = Cli::try_parse_from([
            "socops",
            "--demo",
            "device",
            "fin-lt-0142",
            "isolate",
            "--selective",
            "--comment",
            "c",
            "--yes",
        ])
        .unwrap();
        let Some(Command::Device(d)) = cli.command else {
            panic!("not a device command")
        };
        assert!(d.yes);
        assert_eq!(d.comment.as_deref(), Some("c"));
        assert!(matches!(d.verb, DeviceVerb::Isolate { selective: true }));
    }
}

/// `approvals …`: the team's four-eyes queue.
#[derive(Debug, Subcommand)]
pub enum ApprovalsCmd {
    /// List approval requests (newest first).
    List {
        /// Which requests.
        #[arg(long, value_enum, default_value_t = StateFilter::Pending)]
        state: StateFilter,
    },
    /// One request: what it will do, the exact request, and its history.
    Show {
        /// The request's number (from `approvals list`).
        id: i64,
    },
    /// Approve a request of another analyst and send it (once).
    Approve {
        /// The request's number (from `approvals list`).
        id: i64,
        /// Recorded with the approval.
        #[arg(long, value_name = "C")]
        comment: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Reject a request (a comment is required).
    Reject {
        /// The request's number (from `approvals list`).
        id: i64,
        /// Why it is rejected: recorded and shown to the requester (required).
        #[arg(long, value_name = "C")]
        comment: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Withdraw your own pending request.
    Withdraw {
        /// The request's number (from `approvals list`).
        id: i64,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

/// `--state` of `approvals list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StateFilter {
    Pending,
    Approved,
    Rejected,
    Expired,
    Withdrawn,
    All,
}

impl StateFilter {
    /// The state to list, `None` for all.
    pub fn state(self) -> Option<crate::store::team::RequestState> {
        use crate::store::team::RequestState as R;
        Some(match self {
            StateFilter::Pending => R::Pending,
            StateFilter::Approved => R::Approved,
            StateFilter::Rejected => R::Rejected,
            StateFilter::Expired => R::Expired,
            StateFilter::Withdrawn => R::Withdrawn,
            StateFilter::All => return None,
        })
    }
}
