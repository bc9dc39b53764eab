//! `audit list`: the local audit log of actions (intent before sending, outcome after).

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::model::de::parse_datetime;
use crate::cli::args::{AuditCmd, GlobalArgs};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::export::Destination;
use crate::cli::output::{Cell, Column, ListSink, cell};
use crate::cli::session::format_of;
use crate::cli::shim;
use crate::store::audit::AuditLog;

fn targets(v: &Value) -> String {
    cell(v, "targets")
}

fn result(v: &Value) -> String {
    match v["kind"].as_str() {
        Some("outcome") => {
            let ok = if v["ok"].as_bool() == Some(true) {
                "ok"
            } else {
                "failed"
            };
            let detail = [
                cell(v, "action_id"),
                cell(v, "final_status"),
                cell(v, "error"),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
            format!("{ok} {detail}").trim().to_string()
        }
        Some("intent") if v["dry_run"].as_bool() == Some(true) => "dry run".into(),
        _ => String::new(),
    }
}

/// Columns of the audit table and CSV.
pub(crate) const COLUMNS: &[Column<Value>] = &[
    ("TIME", |v| Cell::Time(parse_datetime(&cell(v, "time")))),
    ("KIND", |v| cell(v, "kind").into()),
    ("ID", |v| cell(v, "id").into()),
    ("ACTION", |v| cell(v, "action").into()),
    ("TARGETS", |v| targets(v).into()),
    ("OPERATOR", |v| cell(v, "operator").into()),
    ("RESULT", |v| result(v).into()),
];

/// Run `audit …` (no network).
pub fn run(g: &GlobalArgs, cmd: AuditCmd) -> CliResult {
    let AuditCmd::List { limit } = cmd;
    let dir = shim::data_dir()
        .ok_or_else(|| CliError::Config("no data directory for the audit log".into()))?;
    let log = AuditLog::open(&dir)
        .map_err(|e| CliError::Runtime(format!("cannot open the audit log: {e}")))?;
    let entries = log
        .read_entries()
        .map_err(|e| CliError::Runtime(format!("cannot read the audit log: {e}")))?;
    // The log is oldest first; --limit N keeps the newest N, still oldest first.
    let skip = entries
        .len()
        .saturating_sub(limit.limit.unwrap_or(usize::MAX));
    let mut page = Vec::with_capacity(entries.len() - skip);
    for e in entries.into_iter().skip(skip) {
        let text = serde_json::to_string(&e).map_err(|e| CliError::Runtime(e.to_string()))?;
        page.push(RawValue::from_string(text).map_err(|e| CliError::Runtime(e.to_string()))?);
    }
    let out = g.out.clone().map(|p| (p, g.force));
    let dest = Destination::open(out.as_ref())?;
    let mut sink = ListSink::to_writer(format_of(g), COLUMNS, dest.writer()?, dest.on_terminal());
    let written = sink
        .page(page)
        .map_err(CliError::from)
        .and_then(|_| sink.finish());
    dest.finish(written)
}
