//! `devices list`: the device inventory with risk, health and OData filters.

use crate::api::model::Machine;
use crate::api::resources::ListResource;
use crate::cli::args::DevicesCmd;
use crate::cli::enum_flags::wire;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::Column;
use crate::cli::session::Session;

/// Columns of the table and CSV, shared with the console's export.
pub(crate) const COLUMNS: &[Column<Machine>] = crate::listing::columns::DEVICES;

/// Run `devices …`.
pub async fn run(s: &Session, cmd: DevicesCmd) -> CliResult {
    let DevicesCmd::List {
        risk,
        health,
        exposure,
        filter,
        limit,
    } = cmd;
    let q = ListQuery {
        resource: ListResource::Devices,
        columns: COLUMNS,
        fields: vec![
            ("riskScore", wire(risk)),
            ("healthStatus", wire(health)),
            ("exposureLevel", wire(exposure)),
        ],
        raw_filter: filter,
        limit: limit.limit,
    };
    list(s, q).await
}
