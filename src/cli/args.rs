//! The command line, declared with clap derive: global flags (with their environment
//! variables) and one subcommand per noun. Parsing only; no IO.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

/// Flags that apply to every command.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Run against the embedded simulated tenant (Fabrikam, no sign-in needed).
    #[arg(long, global = true, conflicts_with = "profile")]
    pub demo: bool,
    /// Seed of the demo tenant.
    #[arg(long, global = true, value_name = "SEED")]
    pub seed: Option<u64>,
    /// Number of devices of the demo tenant (0 to 100000).
    #[arg(long, global = true, value_name = "N", value_parser = device_count)]
    pub devices: Option<usize>,
    /// Profile of the config file to use.
    #[arg(long, global = true, env = "SOCOPS_PROFILE", value_name = "P")]
    pub profile: Option<String>,
    /// Microsoft cloud: global, gcc, gcc-high or dod.
    #[arg(long, global = true, env = "SOCOPS_CLOUD", value_name = "C")]
    pub cloud: Option<String>,
    /// Entra ID authority URL (overrides the cloud's).
    #[arg(long, global = true, env = "SOCOPS_AUTHORITY_URL", value_name = "U")]
    pub authority_url: Option<String>,
    /// Defender API URL (overrides the cloud's).
    #[arg(long, global = true, env = "SOCOPS_MDE_URL", value_name = "U")]
    pub mde_url: Option<String>,
    /// Microsoft Graph URL (overrides the cloud's).
    #[arg(long, global = true, env = "SOCOPS_GRAPH_URL", value_name = "U")]
    pub graph_url: Option<String>,
    /// Tenant id (overrides the profile).
    #[arg(long, global = true, value_name = "ID")]
    pub tenant_id: Option<String>,
    /// Application (client) id (overrides the profile).
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// Refuse every action; only read.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// The tenant's licence (business, p1, p2): actions outside it are refused before
    /// sending. Overrides the profile's `plan`; the demo tenant is `business` unless given.
    #[arg(long, global = true, env = "SOCOPS_PLAN", value_name = "PLAN", value_parser = parse_plan)]
    pub plan: Option<crate::api::plan::Plan>,
    /// Print records as a JSON array (field names and values as the API sends them).
    #[arg(long, global = true, conflicts_with = "csv")]
    pub json: bool,
    /// Print records as CSV with a header row.
    #[arg(long, global = true)]
    pub csv: bool,
    /// No colours in the output.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Print the HTTP request an action would send, and send nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Read the last data socops saw (no network); actions are refused.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Write the list (CSV or JSON; JSON unless --csv) to FILE instead of stdout.
    #[arg(long, global = true, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Let --out replace an existing file.
    #[arg(long, global = true)]
    pub force: bool,
}

fn parse_plan(s: &str) -> Result<crate::api::plan::Plan, String> {
    s.parse()
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
    /// Security recommendations.
    #[command(subcommand)]
    Recommendations(ListOnly),
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
        #[arg(long, value_enum)]
        action: IndicatorAction,
        #[arg(long, value_name = "T")]
        title: String,
        #[arg(long, value_name = "D")]
        description: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Delete an indicator.
    Delete {
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
        #[arg(long, value_name = "H")]
        sha1: String,
    },
    /// Run a library script with live response.
    RunScript {
        name: String,
        #[arg(long, value_name = "A")]
        args: Option<String>,
    },
    /// Collect a file with live response.
    GetFile { path: String },
}

/// `action ID VERB`.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// Machine action id.
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
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        timeout: u64,
    },
    /// Cancel the action.
    Cancel {
        #[arg(long, value_name = "C")]
        comment: Option<String>,
        #[arg(long)]
        yes: bool,
    },
    /// Download the output of a live response command.
    Output {
        #[arg(long, value_name = "N", default_value_t = 0)]
        index: u32,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
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
fn device_count(v: &str) -> Result<usize, String> {
    let max = crate::sim::MAX_DEVICES;
    match v.trim().parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("a number of devices from 0 to {max}")),
    }
}

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
    Show { id: i64 },
    /// Approve a request of another analyst and send it (once).
    Approve {
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
        id: i64,
        #[arg(long, value_name = "C")]
        comment: String,
        #[arg(long)]
        yes: bool,
    },
    /// Withdraw your own pending request.
    Withdraw {
        id: i64,
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
