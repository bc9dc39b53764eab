//! `incidents list`: Microsoft Graph security incidents.

use crate::api::model::Incident;
use crate::api::resources::ListResource;
use crate::cli::args::IncidentsCmd;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::Column;
use crate::cli::session::Session;

/// Columns of the table and CSV, shared with the console's export.
pub(crate) const COLUMNS: &[Column<Incident>] = crate::listing::columns::INCIDENTS;

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
