//! `report av-health`: Defender Antivirus health per device (`deviceavinfo`).

use crate::api::model::DeviceAvInfo;
use crate::api::resources::ListResource;
use crate::cli::args::ReportCmd;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, opt, text};
use crate::cli::session::Session;

/// Columns of the AV health table and CSV (booleans arrive as `"True"`/`"False"` strings;
/// the model reads them).
pub(crate) const COLUMNS: &[Column<DeviceAvInfo>] = &[
    ("DEVICE", |a| a.device_label().into()),
    ("MODE", |a| a.av_mode_name().into()),
    ("SIGNATURE", |a| text(a.av_signature_version.as_deref())),
    ("SIG UP TO DATE", |a| opt(a.av_is_signature_up_to_date)),
    ("ENGINE UP TO DATE", |a| opt(a.av_is_engine_up_to_date)),
    ("QUICK SCAN", |a| text(a.quick_scan_result.as_deref())),
    ("QUICK SCAN TIME", |a| Cell::Time(a.quick_scan_time)),
    ("FULL SCAN", |a| text(a.full_scan_result.as_deref())),
];

/// Run `report …`.
pub async fn run(s: &Session, cmd: ReportCmd) -> CliResult {
    let ReportCmd::AvHealth { limit } = cmd;
    let q = ListQuery {
        resource: ListResource::AvHealth,
        columns: COLUMNS,
        fields: Vec::new(),
        raw_filter: None,
        limit: limit.limit,
    };
    list(s, q).await
}
