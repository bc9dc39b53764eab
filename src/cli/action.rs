//! `action ID show | wait | cancel | output`: show one machine action (`action_show`), follow
//! it to its end, cancel it, or fetch a live response result (downloaded without the bearer
//! token).

use std::io::Write;
use std::time::Duration;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::Resource;
use crate::api::calls::ActionRequest;
use crate::api::model::ActionStatus;
use crate::api::tracking::{PollPolicy, Poller, Update};
use crate::cli::args::{ActionArgs, ActionVerb};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, print_raw_json};
use crate::cli::send::{Device, execute};
use crate::cli::session::Session;
use crate::text::{block, line as safe};

/// Run `action …`.
pub async fn run(s: &Session, a: ActionArgs) -> CliResult {
    let id = a.id.trim().to_string();
    if id.is_empty() || id.contains('/') {
        return Err(CliError::Usage(format!(
            "'{}' is not a machine action id",
            safe(&a.id)
        )));
    }
    match a.verb {
        ActionVerb::Show => crate::cli::action_show::show(s, &get(s, &id).await?).await,
        ActionVerb::Wait { timeout } => wait(s, &id, Duration::from_secs(timeout)).await,
        ActionVerb::Cancel { comment, yes } => {
            let v: Value = serde_json::from_str(get(s, &id).await?.get()).unwrap_or_default();
            let req = ActionRequest::CancelAction {
                action_id: id.clone(),
                comment: comment.unwrap_or_default(),
            };
            let device = Device {
                id: v["machineId"].as_str().unwrap_or_default().to_string(),
                name: v["computerDnsName"].as_str().unwrap_or("?").to_string(),
            };
            let what = format!(
                "Cancel {} action {id} on {}",
                v["type"].as_str().unwrap_or("the"),
                device.name
            );
            let Some(raw) = execute(s, &req, None, &what, yes).await? else {
                return Ok(());
            };
            if s.format == Format::Json {
                return print_raw_json(raw.get());
            }
            let after: Value = serde_json::from_str(raw.get()).unwrap_or_default();
            println!(
                "Cancel requested for action {} ({})",
                safe(&id),
                safe(after["status"].as_str().unwrap_or("?"))
            );
            Ok(())
        }
        ActionVerb::Output { index } => output(s, &id, index).await,
    }
}

async fn get(s: &Session, id: &str) -> CliResult<Box<RawValue>> {
    Ok(s.client
        .get::<Box<RawValue>>(Resource::Mde, &format!("machineactions/{id}"))
        .await?)
}

/// Append the terminal status to the audit log when this machine's log sent the action.
fn record_final_status(id: &str, status: &ActionStatus) {
    let written = crate::store::paths::data_dir()
        .and_then(|dir| crate::store::AuditLog::open(&dir))
        .and_then(|log| log.record_final_status(id, status, chrono::Utc::now()));
    if let Err(e) = written {
        tracing::warn!("cannot write the final status to the audit log: {e}");
    }
}

/// Follow the action with the console's poller (`api::tracking`: the same filtered list read
/// and backoff, 1 s doubling to 10 s here, minutes once pending for ten), printing each status
/// change.
async fn wait(s: &Session, id: &str, timeout: Duration) -> CliResult {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut poller = Poller::new(PollPolicy {
        first: Duration::from_secs(1),
        max: Duration::from_secs(10),
        // One command, one answer: the first failed read or a missing action ends it.
        max_errors: 1,
        max_missing: 1,
        ..PollPolicy::default()
    });
    poller.add_now(id);
    let mut last: Option<ActionStatus> = None;
    loop {
        for update in poller.poll(&s.client).await {
            let (status, raw) = match update {
                Update::Status { status, record, .. } => (status, record),
                Update::Gone { .. } => {
                    return Err(CliError::Runtime(format!("action {} not found", safe(id))));
                }
                Update::Stopped { error, .. } => return Err(error.into()),
            };
            let v: Value = serde_json::from_str(raw.get()).unwrap_or_default();
            if last.as_ref() != Some(&status) {
                if s.format != Format::Json {
                    println!(
                        "{} {}: {}",
                        safe(v["type"].as_str().unwrap_or("action")),
                        safe(id),
                        safe(status.as_str())
                    );
                    let _ = std::io::stdout().flush();
                }
                last = Some(status.clone());
            }
            // Terminal as the poller decides it (case-insensitive: `succeeded` ends it too).
            if status.is_terminal() {
                record_final_status(id, &status);
                if s.format == Format::Json {
                    print_raw_json(raw.get())?;
                }
                return if status == ActionStatus::Succeeded {
                    Ok(())
                } else {
                    Err(CliError::Runtime(format!("action {id} ended {status}")))
                };
            }
        }
        let now = tokio::time::Instant::now();
        let Some(next) = poller.next_due().filter(|_| now < deadline) else {
            return Err(CliError::Runtime(format!(
                "action {id} still {} after {}s",
                last.as_ref().map_or("unread", ActionStatus::as_str),
                timeout.as_secs()
            )));
        };
        tokio::time::sleep_until(next.min(deadline)).await;
    }
}

/// Fetch the result link of command `index` and download it without the token.
async fn output(s: &Session, id: &str, index: u32) -> CliResult {
    // An existing file is refused before anything is read (exit 2), unless --force.
    if let Some((path, false)) = &s.out
        && path.exists()
    {
        return Err(crate::cli::export::refuse_existing(path));
    }
    let action: Value = serde_json::from_str(get(s, id).await?.get()).unwrap_or_default();
    let kind = action["commands"][index as usize]["command"]["type"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let link: Value = s
        .client
        .get(
            Resource::Mde,
            &format!("machineactions/{id}/GetLiveResponseResultDownloadLink(index={index})"),
        )
        .await?;
    let url = link["value"]
        .as_str()
        .ok_or_else(|| CliError::Runtime("the result link answer has no value".into()))?;
    let bytes = s.client.download(url).await?;
    if let Some((path, force)) = &s.out {
        crate::cli::export::write_out(path, &bytes, *force)?;
        eprintln!("wrote {} bytes to {}", bytes.len(), path.display());
        return Ok(());
    }
    if kind == "RunScript"
        && let Ok(v) = serde_json::from_slice::<Value>(&bytes)
    {
        if s.format == Format::Json {
            return print_raw_json(&String::from_utf8_lossy(&bytes));
        }
        // Live-response output is written on the endpoint: lines and tabs stay, escape
        // sequences are shown, never run (the raw bytes: --out FILE).
        let text = v["script_output"].as_str().unwrap_or("").replace('\0', "");
        let text = block(&text);
        print!("{text}");
        if !text.ends_with('\n') {
            println!();
        }
        let errors = v["script_errors"].as_str().unwrap_or("");
        if !errors.is_empty() {
            eprintln!("{}", block(errors));
        }
        eprintln!(
            "{}: exit code {}",
            safe(v["script_name"].as_str().unwrap_or("script")),
            safe(&v["exit_code"].to_string())
        );
        return Ok(());
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) if !text.contains('\0') => {
            print!("{}", block(text));
            Ok(())
        }
        _ => Err(CliError::Usage(format!(
            "the output of command {index} is binary ({} bytes): pass --out FILE",
            bytes.len()
        ))),
    }
}
