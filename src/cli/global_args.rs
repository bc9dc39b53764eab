//! The flags that apply to every command (with their environment variables). A
//! subcommand's help lists them after its own options, under their own heading.

use std::path::PathBuf;

use clap::Args;

/// Flags that apply to every command. A subcommand's help lists them after its own options,
/// under their own heading.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Global options")]
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
    /// Microsoft cloud (overrides the profile's).
    #[arg(long, global = true, env = "SOCOPS_CLOUD", value_name = "CLOUD", ignore_case = true,
          value_parser = cloud_values())]
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
    /// The tenant's licence: actions outside it are refused before sending. Overrides the
    /// profile's `plan`; the demo tenant is `business` unless given.
    #[arg(long, global = true, env = "SOCOPS_PLAN", value_name = "PLAN", ignore_case = true,
          value_parser = plan_values())]
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

/// `--plan`: the config's spellings, listed in `--help` and in the error for a typo.
fn plan_values() -> impl clap::builder::TypedValueParser<Value = crate::api::plan::Plan> {
    use crate::api::plan::Plan;
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Plan::ALL.map(Plan::as_str))
        .try_map(|s| s.parse::<Plan>())
}

/// `--cloud`: the config's spellings (the session parses the chosen one into a `Cloud`).
fn cloud_values() -> clap::builder::PossibleValuesParser {
    use clap::builder::PossibleValue;
    clap::builder::PossibleValuesParser::new([
        PossibleValue::new("global").aliases(["public", "commercial"]),
        PossibleValue::new("gcc"),
        PossibleValue::new("gcc-high").aliases(["gcchigh", "gcc_high"]),
        PossibleValue::new("dod"),
    ])
}

fn device_count(v: &str) -> Result<usize, String> {
    let max = crate::sim::MAX_DEVICES;
    match v.trim().parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("a number of devices from 0 to {max}")),
    }
}
