//! `alerts list`: Microsoft Graph alerts_v2 (all Defender products).

use crate::api::model::GraphAlert;
use crate::api::resources::ListResource;
use crate::cli::args::AlertsCmd;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::Column;
use crate::cli::session::Session;

/// Columns of the table and CSV, shared with the console's export.
pub(crate) const COLUMNS: &[Column<GraphAlert>] = crate::listing::columns::ALERTS;

/// Run `alerts …`.
pub async fn run(s: &Session, cmd: AlertsCmd) -> CliResult {
    let AlertsCmd::List {
        status,
        severity,
        triage,
        limit,
    } = cmd;
    let q = ListQuery {
        resource: ListResource::Alerts,
        columns: COLUMNS,
        fields: triage.with(status, severity),
        raw_filter: None,
        limit: limit.limit,
    };
    list(s, q).await
}
