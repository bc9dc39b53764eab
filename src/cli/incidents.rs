//! `incidents list`: Microsoft Graph security incidents.

use serde_json::Value;

use crate::api::calls;
use crate::cli::args::IncidentsCmd;
use crate::cli::exit::CliResult;
use crate::cli::output::{Column, and_all, cell, eq, run_list};
use crate::cli::session::Session;

/// Columns of the incident table and CSV.
pub const COLUMNS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("SEVERITY", |v| cell(v, "severity")),
    ("STATUS", |v| cell(v, "status")),
    ("NAME", |v| cell(v, "displayName")),
    ("ASSIGNED", |v| cell(v, "assignedTo")),
    ("UPDATED", |v| cell(v, "lastUpdateDateTime")),
];

/// Run `incidents …`.
pub async fn run(s: &Session, cmd: IncidentsCmd) -> CliResult {
    let IncidentsCmd::List {
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
        &calls::incidents(filter, false),
        COLUMNS,
        limit.limit,
    )
    .await?;
    Ok(())
}
