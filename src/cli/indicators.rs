//! `indicators list | add | delete`: file indicators (block / allow / audit …).

use serde_json::Value;

use crate::api::calls;
use crate::api::calls::ActionRequest;
use crate::api::model::{Indicator, IndicatorAction, IndicatorType, NewIndicator};
use crate::cli::args::IndicatorsCmd;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Cell, Column, Format, cell, opt, print_raw_json, text};
use crate::cli::send::execute;
use crate::cli::session::Session;

/// Columns of the indicator table and CSV.
pub const COLUMNS: &[Column<Indicator>] = &[
    ("ID", |i| i.id.as_str().into()),
    ("TYPE", |i| opt(i.indicator_type.as_ref())),
    ("VALUE", |i| text(i.indicator_value.as_deref())),
    ("ACTION", |i| opt(i.action.as_ref())),
    ("SEVERITY", |i| opt(i.severity.as_ref())),
    ("TITLE", |i| text(i.title.as_deref())),
    ("CREATED", |i| Cell::Time(i.creation_time_date_time_utc)),
];

/// Run `indicators …`.
pub async fn run(s: &Session, cmd: IndicatorsCmd) -> CliResult {
    match cmd {
        IndicatorsCmd::List { limit } => {
            let q = ListQuery {
                resource: "indicators",
                columns: COLUMNS,
                fields: Vec::new(),
                raw_filter: None,
                limit: limit.limit,
            };
            list(s, q, calls::indicators).await
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
                (Some(h), _) if h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    ("FileSha256", h)
                }
                (Some(h), _) => {
                    return Err(CliError::Usage(format!(
                        "'{h}' is not a SHA-256 (64 hex digits)"
                    )));
                }
                (None, Some(h)) if h.len() == 40 && h.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    ("FileSha1", h)
                }
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
            let indicator = NewIndicator {
                indicator_value: value.clone(),
                indicator_type: IndicatorType::from(kind),
                action: IndicatorAction::from(action_name.as_str()),
                title: title.clone(),
                description: description.clone().unwrap_or_else(|| title.clone()),
                severity: None,
                expiration_time: None,
                application: None,
                recommended_actions: None,
                rbac_group_names: Vec::new(),
                generate_alert: None,
            };
            let req = ActionRequest::AddIndicator { indicator };
            let what = format!("{action_name} file {value}");
            let Some(raw) = execute(s, &req, None, &what, yes).await? else {
                return Ok(());
            };
            if s.format == Format::Json {
                return print_raw_json(raw.get());
            }
            let v: Value = serde_json::from_str(raw.get()).unwrap_or_default();
            println!(
                "Indicator {} added: {}",
                crate::text::line(&cell(&v, "id")),
                crate::text::line(&what)
            );
            Ok(())
        }
        IndicatorsCmd::Delete { id, yes } => {
            let req = ActionRequest::DeleteIndicator { id: id.clone() };
            let what = format!("Delete indicator {id}");
            execute(s, &req, None, &what, yes).await?;
            if !s.dry_run {
                println!("Indicator {} deleted", crate::text::line(&id));
            }
            Ok(())
        }
    }
}
