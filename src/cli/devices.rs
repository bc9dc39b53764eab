//! `devices list`: the device inventory with risk, health and OData filters.

use serde_json::Value;

use crate::api::calls;
use crate::cli::args::DevicesCmd;
use crate::cli::exit::CliResult;
use crate::cli::output::{Column, and_all, cell, eq, run_list};
use crate::cli::session::Session;

/// Columns of the device table and CSV.
pub const COLUMNS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("NAME", |v| cell(v, "computerDnsName")),
    ("OS", |v| cell(v, "osPlatform")),
    ("HEALTH", |v| cell(v, "healthStatus")),
    ("RISK", |v| cell(v, "riskScore")),
    ("EXPOSURE", |v| cell(v, "exposureLevel")),
    ("AV", |v| cell(v, "defenderAvStatus")),
    ("LAST SEEN", |v| cell(v, "lastSeen")),
    ("IP", |v| cell(v, "lastIpAddress")),
];

/// Run `devices …`.
pub async fn run(s: &Session, cmd: DevicesCmd) -> CliResult {
    let DevicesCmd::List {
        risk,
        health,
        filter,
        limit,
    } = cmd;
    let filter = and_all([
        risk.map(|r| eq("riskScore", &r)),
        health.map(|h| eq("healthStatus", &h)),
        filter.map(|f| format!("({f})")),
    ]);
    run_list(
        &s.client,
        s.format,
        &calls::machines(filter),
        COLUMNS,
        limit.limit,
    )
    .await?;
    Ok(())
}
