//! `devices list`: the device inventory with risk, health and OData filters.

use crate::api::model::Machine;
use crate::api::resources::ListResource;
use crate::cli::args::DevicesCmd;
use crate::cli::enum_flags::wire;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, opt, text};
use crate::cli::session::Session;

/// Columns of the device table and CSV. The name comes first and the 40-hex id last,
/// shortened in the table (whole in CSV and JSON) so a 120-column terminal fits a row.
pub(crate) const COLUMNS: &[Column<Machine>] = &[
    ("NAME", |m| m.display_name().into()),
    ("OS", |m| text(m.os_platform.as_deref())),
    ("HEALTH", |m| opt(m.health_status.as_ref())),
    ("RISK", |m| opt(m.risk_score.as_ref())),
    ("EXPOSURE", |m| opt(m.exposure_level.as_ref())),
    ("AV", |m| opt(m.defender_av_status.as_ref())),
    ("SEEN", |m| Cell::Age(m.last_seen)),
    ("IP", |m| text(m.last_ip_address.as_deref())),
    ("ID", |m| Cell::short_id(&m.id, 8)),
];

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
