//! `indicators list | add | delete`: file, IP, URL and domain indicators (block / allow /
//! audit …). Adding a value that already has an indicator needs `--replace`.

use serde_json::Value;

use crate::api::calls::ActionRequest;
use crate::api::catalog;
use crate::api::model::{Indicator, IndicatorType};
use crate::api::resources::ListResource;
use crate::cli::args::IndicatorsCmd;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::list::{ListQuery, list};
use crate::cli::output::{Column, Format, cell, print_raw_json};
use crate::cli::send::{check_plan, execute};
use crate::cli::session::Session;
use crate::text;

/// The indicator that already exists for the request's value (any type), as one line.
async fn existing_indicator(s: &Session, req: &ActionRequest) -> CliResult<Option<String>> {
    let ActionRequest::AddIndicator { indicator } = req else {
        return Ok(None);
    };
    let filter = crate::api::calls::odata::eq("indicatorValue", indicator.indicator_value.trim());
    let found: Vec<Indicator> = ListResource::Indicators
        .request(Some(filter))
        .fetch(&s.client, Some(1))
        .await?;
    Ok(found.first().map(|i| {
        text::line(&format!(
            "id {}, {} {}, {}, \"{}\", created {} by {}",
            i.id,
            i.indicator_type
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            i.indicator_value.as_deref().unwrap_or_default(),
            i.action.as_ref().map(|a| a.to_string()).unwrap_or_default(),
            i.title.as_deref().unwrap_or_default(),
            i.creation_time_date_time_utc
                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_else(|| "?".into()),
            i.created_by.as_deref().unwrap_or("?"),
        ))
        .into_owned()
    }))
}

/// Columns of the table and CSV, shared with the console's export.
pub(crate) const COLUMNS: &[Column<Indicator>] = crate::listing::columns::INDICATORS;

/// Run `indicators …`.
pub async fn run(s: &Session, cmd: IndicatorsCmd) -> CliResult {
    match cmd {
        IndicatorsCmd::List { limit } => {
            let q = ListQuery {
                resource: ListResource::Indicators,
                columns: COLUMNS,
                fields: Vec::new(),
                raw_filter: None,
                limit: limit.limit,
            };
            list(s, q).await
        }
        IndicatorsCmd::Add {
            sha256,
            sha1,
            ip,
            url,
            domain,
            replace,
            action,
            title,
            description,
            yes,
        } => {
            let (kind, value) = match (sha256, sha1, ip, url, domain) {
                (Some(h), ..) => (IndicatorType::FileSha256, h),
                (_, Some(h), ..) => (IndicatorType::FileSha1, h),
                (_, _, Some(v), ..) => (IndicatorType::IpAddress, v),
                (_, _, _, Some(v), _) => (IndicatorType::Url, v),
                (_, _, _, _, Some(v)) => (IndicatorType::DomainName, v),
                _ => {
                    return Err(CliError::Usage(
                        "one of --sha256, --sha1, --ip, --url or --domain is required".into(),
                    ));
                }
            };
            if title.trim().is_empty() {
                return Err(CliError::Usage("--title must not be empty".into()));
            }
            let action_name = format!("{action:?}");
            let comment = description.clone().unwrap_or_else(|| title.clone());
            // Built and validated by the catalogue (value x type, type x action).
            let req = catalog::indicator(&value, kind.clone(), &action_name, &title, &comment)
                .map_err(CliError::Usage)?;
            check_plan(s, &req)?;
            let what = format!("{action_name} {kind} {}", text::line(value.trim()));
            if let Some(existing) = existing_indicator(s, &req).await?
                && !replace
            {
                return Err(CliError::Refused(format!(
                    "{what}: an indicator for this value already exists: {existing}; pass --replace to replace it"
                )));
            }
            let Some(raw) = execute(s, &req, None, &what, yes).await? else {
                return Ok(());
            };
            if s.format == Format::Json {
                return print_raw_json(raw.get());
            }
            let v: Value = serde_json::from_str(raw.get()).unwrap_or_default();
            let verb = if replace { "replaced" } else { "added" };
            println!("Indicator {} {verb}: {what}", text::line(&cell(&v, "id")));
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
