//! `incidents list`: Microsoft Graph security incidents.

use crate::api::model::Incident;
use crate::api::resources::ListResource;
use crate::cli::args::IncidentsCmd;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, opt, text};
use crate::cli::session::Session;

/// Columns of the incident table and CSV.
pub(crate) const COLUMNS: &[Column<Incident>] = &[
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
        triage,
        limit,
    } = cmd;
    let q = ListQuery {
        resource: ListResource::Incidents,
        columns: COLUMNS,
        fields: triage.with(status, severity),
        raw_filter: None,
        limit: limit.limit,
    };
    list(s, q).await
}
