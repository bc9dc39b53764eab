//! `actions list` and `investigations list`: the action history and automated investigations.

use crate::api::calls;
use crate::api::model::{Investigation, MachineAction};
use crate::cli::args::{ActionsCmd, InvestigationsCmd};
use crate::cli::exit::CliResult;
use crate::cli::output::{Cell, Column, and_all, eq, opt, run_list, text};
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
    let ActionsCmd::List { status, limit } = cmd;
    let filter = and_all([status.map(|x| eq("status", &x))]);
    let req = calls::machine_actions(filter);
    run_list(&s.client, s.format, &req, COLUMNS, limit.limit).await?;
    Ok(())
}

/// Run `investigations …`.
pub async fn run_investigations(s: &Session, cmd: InvestigationsCmd) -> CliResult {
    let InvestigationsCmd::List { state, limit } = cmd;
    let filter = and_all([state.map(|x| eq("state", &x))]);
    let req = calls::investigations(filter);
    run_list(
        &s.client,
        s.format,
        &req,
        INVESTIGATION_COLUMNS,
        limit.limit,
    )
    .await?;
    Ok(())
}
