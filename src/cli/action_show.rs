//! `action ID show`: one machine action as its page in the console shows it (the same facts
//! from `app::tables::rows::action_facts`): the requestor named (this profile's app, a
//! well-known Microsoft app), `errorHResult` in words, the cancellation, and live-response
//! commands with their status. `--json` is the API's record, untouched.

use std::io::Write;

use serde_json::value::RawValue;

use crate::api::first_party;
use crate::api::model::MachineAction;
use crate::app::tables::rows::{action_facts, command_lines};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, print_raw_json, render_table};
use crate::cli::session::Session;
use crate::text::{csv_cell, line as safe};

/// Print the action read from the service (`raw`).
pub(crate) async fn show(s: &Session, raw: &RawValue) -> CliResult {
    if s.format == Format::Json {
        return print_raw_json(raw.get());
    }
    let a: MachineAction = serde_json::from_str(raw.get()).map_err(|e| {
        CliError::Runtime(format!(
            "the action does not read as a machine action ({}); --json shows it verbatim",
            safe(&e.to_string())
        ))
    })?;
    let own_app = first_party::own_app_of(&s.client.operator());
    let name = device_name(s, &a).await;
    let facts = action_facts(&a, own_app.as_deref(), name.as_deref());
    let mut out = std::io::stdout().lock();
    if s.format == Format::Csv {
        out.write_all(facts_csv(&facts)?.as_bytes())?;
        return Ok(out.flush()?);
    }
    let rows: Vec<Vec<String>> = facts
        .into_iter()
        .map(|(label, value)| vec![label.to_string(), value])
        .collect();
    // Every cell passes through `text::line` in the table writer.
    let mut text = render_table(&["FIELD", "VALUE"], &rows, None);
    if !a.commands.is_empty() {
        text.push_str(&format!("\nCommands ({})\n", a.commands.len()));
        for l in command_lines(&a) {
            text.push_str(&safe(&l));
            text.push('\n');
        }
    }
    out.write_all(text.as_bytes())?;
    Ok(out.flush()?)
}

/// The device's name when the record has none (a Pending action comes without
/// `computerDnsName`), read as the console names it from its inventory: one `GET
/// machines/{id}`. A failed read leaves the device named by id, with a warning.
async fn device_name(s: &Session, a: &MachineAction) -> Option<String> {
    let has_name = a
        .computer_dns_name
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    let id = a.machine_id.as_deref().filter(|_| !has_name)?;
    match crate::api::calls::machine(&s.client, id).await {
        Ok(m) => m.computer_dns_name,
        Err(e) => {
            eprintln!(
                "socops: warning: device name not read ({}); the device shows by id",
                safe(&e.to_string())
            );
            None
        }
    }
}

/// `FIELD,VALUE` rows, each cell through [`csv_cell`] (formula prefixes and controls
/// neutralised).
fn facts_csv(facts: &[(&'static str, String)]) -> CliResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| CliError::Runtime(format!("cannot write CSV: {e}"));
    w.write_record(["FIELD", "VALUE"]).map_err(err)?;
    for (label, value) in facts {
        w.write_record([*label, csv_cell(value).as_ref()])
            .map_err(err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::Runtime(format!("cannot write CSV: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_facts_are_sanitised_cells() {
        let csv = facts_csv(&[
            ("id", "a-1".into()),
            ("comment", "=HYPERLINK(\"x\")\u{1b}[2J".into()),
        ])
        .unwrap();
        assert!(csv.starts_with("FIELD,VALUE\nid,a-1\n"), "{csv}");
        assert!(!csv.contains('\u{1b}'), "{csv}");
        assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    }
}
