//! `alerts list`: Microsoft Graph alerts_v2 (all Defender products).

use serde_json::Value;

use crate::api::calls;
use crate::cli::args::AlertsCmd;
use crate::cli::exit::CliResult;
use crate::cli::output::{Column, and_all, cell, eq, run_list};
use crate::cli::session::Session;

/// Columns of the alert table and CSV.
pub const COLUMNS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("SEVERITY", |v| cell(v, "severity")),
    ("STATUS", |v| cell(v, "status")),
    ("TITLE", |v| cell(v, "title")),
    ("INCIDENT", |v| cell(v, "incidentId")),
    ("SOURCE", |v| cell(v, "serviceSource")),
    ("CREATED", |v| cell(v, "createdDateTime")),
];

/// Run `alerts …`.
pub async fn run(s: &Session, cmd: AlertsCmd) -> CliResult {
    let AlertsCmd::List {
        status,
        severity,
        limit,
    } = cmd;
    let filter = and_all([
        status.map(|x| eq("status", &x)),
        severity.map(|x| eq("severity", &x)),
    ]);
    run_list(
        &s.client,
        s.format,
        &calls::graph_alerts(filter),
        COLUMNS,
        limit.limit,
    )
    .await?;
    Ok(())
}
