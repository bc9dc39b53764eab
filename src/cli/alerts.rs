//! `alerts list`: Microsoft Graph alerts_v2 (all Defender products).

use crate::api::calls;
use crate::api::model::GraphAlert;
use crate::cli::args::AlertsCmd;
use crate::cli::exit::CliResult;
use crate::cli::output::{Cell, Column, and_all, eq, opt, run_list, text};
use crate::cli::session::Session;

/// Columns of the alert table and CSV.
pub const COLUMNS: &[Column<GraphAlert>] = &[
    ("ID", |a| a.id.as_str().into()),
    ("SEVERITY", |a| opt(a.severity.as_ref())),
    ("STATUS", |a| opt(a.status.as_ref())),
    ("TITLE", |a| text(a.title.as_deref())),
    ("INCIDENT", |a| text(a.incident_id.as_deref())),
    ("SOURCE", |a| text(a.service_source.as_deref())),
    ("CREATED", |a| Cell::Time(a.created_date_time)),
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
