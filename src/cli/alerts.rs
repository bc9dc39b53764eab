//! `alerts list`: Microsoft Graph alerts_v2 (all Defender products).

use crate::api::model::GraphAlert;
use crate::api::resources::ListResource;
use crate::cli::args::AlertsCmd;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, opt, text};
use crate::cli::session::Session;

/// Columns of the alert table and CSV.
pub(crate) const COLUMNS: &[Column<GraphAlert>] = &[
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
