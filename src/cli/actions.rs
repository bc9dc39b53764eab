//! `actions list` and `investigations list`: the action history and automated investigations.

use crate::api::calls;
use crate::api::model::{Investigation, MachineAction};
use crate::cli::args::{ActionsCmd, InvestigationsCmd};
use crate::cli::enum_flags::wire;
use crate::cli::exit::CliResult;
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, opt, text};
use crate::cli::session::Session;

/// Columns of the machine action table and CSV. UPDATED reads either spelling of the
/// last-update field (`lastUpdateDateTimeUtc` / `lastUpdateTimeUtc`).
pub const COLUMNS: &[Column<MachineAction>] = &[
    ("ID", |a| a.id.as_str().into()),
    ("TYPE", |a| opt(a.action_type.as_ref())),
    ("STATUS", |a| opt(a.status.as_ref())),
    ("DEVICE", |a| a.device_label().into()),
    ("REQUESTOR", |a| text(a.requestor.as_deref())),
    ("CREATED", |a| Cell::Time(a.creation_date_time_utc)),
    ("UPDATED", |a| Cell::Age(a.last_update())),
    ("COMMENT", |a| text(a.requestor_comment.as_deref())),
];

/// Columns of the investigation table and CSV.
pub const INVESTIGATION_COLUMNS: &[Column<Investigation>] = &[
    ("ID", |i| i.id.as_str().into()),
    ("STATE", |i| opt(i.state.as_ref())),
    ("DEVICE", |i| i.device_label().into()),
    ("START", |i| Cell::Time(i.start_time)),
    ("END", |i| Cell::Time(i.end_time)),
    ("ALERT", |i| text(i.triggering_alert_id.as_deref())),
];

/// Run `actions …`.
pub async fn run(s: &Session, cmd: ActionsCmd) -> CliResult {
    let ActionsCmd::List {
        status,
        device,
        limit,
    } = cmd;
    let q = ListQuery {
        resource: "actions",
        columns: COLUMNS,
        fields: vec![("status", wire(status)), ("machineId", device)],
        raw_filter: None,
        limit: limit.limit,
    };
    list(s, q, calls::machine_actions).await
}

/// Run `investigations …`.
pub async fn run_investigations(s: &Session, cmd: InvestigationsCmd) -> CliResult {
    let InvestigationsCmd::List { state, limit } = cmd;
    let q = ListQuery {
        resource: "investigations",
        columns: INVESTIGATION_COLUMNS,
        fields: vec![("state", wire(state))],
        raw_filter: None,
        limit: limit.limit,
    };
    list(s, q, calls::investigations).await
}
