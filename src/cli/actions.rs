//! `actions list` and `investigations list`: the action history and automated investigations.

use serde_json::Value;

use crate::api::calls;
use crate::cli::args::{ActionsCmd, InvestigationsCmd};
use crate::cli::exit::CliResult;
use crate::cli::output::{Column, and_all, cell, eq, run_list};
use crate::cli::session::Session;

/// Columns of the machine action table and CSV.
pub const COLUMNS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("TYPE", |v| cell(v, "type")),
    ("STATUS", |v| cell(v, "status")),
    ("DEVICE", |v| cell(v, "computerDnsName")),
    ("REQUESTOR", |v| cell(v, "requestor")),
    ("CREATED", |v| cell(v, "creationDateTimeUtc")),
    ("COMMENT", |v| cell(v, "requestorComment")),
];

/// Columns of the investigation table and CSV.
pub const INVESTIGATION_COLUMNS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("STATE", |v| cell(v, "state")),
    ("DEVICE", |v| cell(v, "computerDnsName")),
    ("START", |v| cell(v, "startTime")),
    ("END", |v| cell(v, "endTime")),
    ("ALERT", |v| cell(v, "triggeringAlertId")),
];

/// Run `actions …`.
pub async fn run(s: &Session, cmd: ActionsCmd) -> CliResult {
    let ActionsCmd::List { status, limit } = cmd;
    let filter = and_all([status.map(|x| eq("status", &x))]);
    let req = calls::machine_actions(filter);
    run_list(&s.client, s.format, &req, COLUMNS, limit.limit).await?;
    Ok(())
}

/// Run `investigations …`.
pub async fn run_investigations(s: &Session, cmd: InvestigationsCmd) -> CliResult {
    let InvestigationsCmd::List { state, limit } = cmd;
    let filter = and_all([state.map(|x| eq("state", &x))]);
    let req = calls::investigations(filter);
    run_list(
        &s.client,
        s.format,
        &req,
        INVESTIGATION_COLUMNS,
        limit.limit,
    )
    .await?;
    Ok(())
}
