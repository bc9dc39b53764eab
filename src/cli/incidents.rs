//! `incidents list`: Microsoft Graph security incidents.

use crate::api::calls;
use crate::api::model::Incident;
use crate::cli::args::IncidentsCmd;
use crate::cli::exit::CliResult;
use crate::cli::output::{Cell, Column, and_all, eq, opt, run_list, text};
use crate::cli::session::Session;

/// Columns of the incident table and CSV.
pub const COLUMNS: &[Column<Incident>] = &[
    ("ID", |i| i.id.as_str().into()),
    ("SEVERITY", |i| opt(i.severity.as_ref())),
    ("STATUS", |i| opt(i.status.as_ref())),
    ("NAME", |i| text(i.display_name.as_deref())),
    ("ASSIGNED", |i| text(i.assigned_to.as_deref())),
    ("UPDATED", |i| Cell::Age(i.last_update_date_time)),
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
