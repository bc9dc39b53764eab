//! `indicators list | add | delete`: file indicators (block / allow / audit …).

use serde_json::{Value, json};

use crate::cli::args::IndicatorsCmd;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Column, Format, cell, print_raw_json, run_list};
use crate::cli::send::execute;
use crate::cli::session::Session;
use crate::cli::shim;
use crate::cli::shim_action::{ActionRequest, is_hex};

/// Columns of the indicator table and CSV.
pub const COLUMNS: &[Column<Value>] = &[
    ("ID", |v| cell(v, "id")),
    ("TYPE", |v| cell(v, "indicatorType")),
    ("VALUE", |v| cell(v, "indicatorValue")),
    ("ACTION", |v| cell(v, "action")),
    ("SEVERITY", |v| cell(v, "severity")),
    ("TITLE", |v| cell(v, "title")),
    ("CREATED", |v| cell(v, "creationTimeDateTimeUtc")),
];

/// Run `indicators …`.
pub async fn run(s: &Session, cmd: IndicatorsCmd) -> CliResult {
    match cmd {
        IndicatorsCmd::List { limit } => {
            run_list(
                &s.client,
                s.format,
                &shim::indicators(),
                COLUMNS,
                limit.limit,
            )
            .await?;
            Ok(())
        }
        IndicatorsCmd::Add {
            sha256,
            sha1,
            action,
            title,
            description,
            yes,
        } => {
            let (kind, value) = match (sha256, sha1) {
                (Some(h), _) if is_hex(&h, 64) => ("FileSha256", h),
                (Some(h), _) => {
                    return Err(CliError::Usage(format!(
                        "'{h}' is not a SHA-256 (64 hex digits)"
                    )));
                }
                (None, Some(h)) if is_hex(&h, 40) => ("FileSha1", h),
                (None, Some(h)) => {
                    return Err(CliError::Usage(format!(
                        "'{h}' is not a SHA-1 (40 hex digits)"
                    )));
                }
                (None, None) => {
                    return Err(CliError::Usage("--sha256 or --sha1 is required".into()));
                }
            };
            if title.trim().is_empty() {
                return Err(CliError::Usage("--title must not be empty".into()));
            }
            let action_name = format!("{action:?}");
            let mut body = json!({
                "indicatorValue": value,
                "indicatorType": kind,
                "action": action_name,
                "title": title,
                "description": description.clone().unwrap_or_else(|| title.clone()),
            });
            if action_name == "Audit" {
                // The API requires generateAlert for Audit indicators.
                body["generateAlert"] = json!(true);
            }
            let req = ActionRequest::AddIndicator { body };
            let what = format!("{action_name} file {value}");
            let Some(raw) = execute(s, &req, None, &what, yes).await? else {
                return Ok(());
            };
            if s.format == Format::Json {
                return print_raw_json(raw.get());
            }
            let v: Value = serde_json::from_str(raw.get()).unwrap_or_default();
            println!("Indicator {} added: {what}", cell(&v, "id"));
            Ok(())
        }
        IndicatorsCmd::Delete { id, yes } => {
            let req = ActionRequest::DeleteIndicator { id: id.clone() };
            let what = format!("Delete indicator {id}");
            execute(s, &req, None, &what, yes).await?;
            if !s.dry_run {
                println!("Indicator {id} deleted");
            }
            Ok(())
        }
    }
}
