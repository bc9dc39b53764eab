//! The headless side of the write pipeline: resolving a device, then running a request
//! through `api::dispatch` (the one pipeline, shared with the console) with a terminal
//! prompt as its confirmation step, printing a dry run, and mapping each refusal to the
//! CLI's exit codes and messages.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::Resource;
use crate::api::calls::ActionRequest;
use crate::api::dispatch::{
    self, DispatchError, DuplicateSeen, Gated, Held, Mode, Origin, Prepared,
};
use crate::api::{catalog, plan};
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::Session;
use crate::cli::shim;
use crate::runtime::team::TeamGate;
use crate::store::audit::AuditLog;

/// The device an action targets, resolved to its id.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub name: String,
}

impl Device {
    /// The host part of the name, for short messages.
    pub fn short(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }
}

/// Resolve a machine id or computer name to the device. A name is looked up among the
/// devices whose DNS name starts with it: one match (full name, or the host part) is the
/// device; several are refused (exit 2) listing each candidate's id and last-seen time, since
/// acting on the wrong one of two same-named machines cannot be undone by a retry.
pub(crate) async fn resolve_device(s: &Session, id_or_name: &str) -> CliResult<Device> {
    let is_id = id_or_name.len() == 40 && id_or_name.bytes().all(|b| b.is_ascii_hexdigit());
    if !is_id && let Some(d) = resolve_name(s, id_or_name).await? {
        return Ok(d);
    }
    resolve_by_path(s, id_or_name).await
}

/// The one device named `name`; `None` when the list has none (the by-name read decides).
async fn resolve_name(s: &Session, name: &str) -> CliResult<Option<Device>> {
    let filter = crate::api::calls::odata::starts_with("computerDnsName", name);
    let Ok(found) = crate::api::resources::ListResource::Devices
        .request(Some(filter))
        .fetch::<crate::api::model::Machine>(&s.client, Some(100))
        .await
    else {
        // The by-name read below reports what is wrong.
        return Ok(None);
    };
    let wanted = name.to_ascii_lowercase();
    let same: Vec<_> = found
        .iter()
        .filter(|m| {
            let dns = m
                .computer_dns_name
                .as_deref()
                .unwrap_or_default()
                .to_ascii_lowercase();
            dns == wanted || dns.split('.').next() == Some(wanted.as_str())
        })
        .collect();
    match same.as_slice() {
        [] => Ok(None),
        [m] => Ok(Some(Device {
            id: m.id.clone(),
            name: m.computer_dns_name.clone().unwrap_or_else(|| m.id.clone()),
        })),
        many => {
            let lines: Vec<String> = many
                .iter()
                .map(|m| {
                    format!(
                        "  {}  {}  last seen {}",
                        m.id,
                        crate::text::line(m.computer_dns_name.as_deref().unwrap_or("?")),
                        m.last_seen
                            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                            .unwrap_or_else(|| "never".into())
                    )
                })
                .collect();
            Err(CliError::Usage(format!(
                "'{}' names {} devices; nothing was sent. Give the device id:\n{}",
                crate::text::line(name),
                many.len(),
                lines.join("\n")
            )))
        }
    }
}

/// GET machines/{id_or_name}.
async fn resolve_by_path(s: &Session, id_or_name: &str) -> CliResult<Device> {
    let path = format!(
        "machines/{}",
        crate::api::client::encode_query_value(id_or_name)
    );
    let v: Value = s.client.get(Resource::Mde, &path).await.map_err(|e| {
        if e.is_not_found() {
            CliError::Usage(format!("no device '{id_or_name}' in {}", s.tenant_label))
        } else {
            e.into()
        }
    })?;
    let id = v["id"].as_str().unwrap_or(id_or_name).to_string();
    let name = v["computerDnsName"].as_str().unwrap_or(&id).to_string();
    Ok(Device { id, name })
}

/// Run `req` through the pipeline (`api::dispatch`), with a terminal prompt as its
/// confirmation. `Ok(None)` after a dry run or an answer with no body.
pub async fn execute(
    s: &Session,
    req: &ActionRequest,
    device: Option<&Device>,
    what: &str,
    yes: bool,
) -> CliResult<Option<Box<RawValue>>> {
    check_plan(s, req)?;
    let mode = Mode {
        dry_run: s.dry_run,
        read_only: s.read_only,
        recover: device.is_some(),
    };
    let checked = dispatch::check(req, mode).map_err(|e| cli_error(e, what))?;
    let audit = open_audit()?;
    let origin = Origin {
        profile: s.profile_name.clone(),
        tenant: s.tenant_label.clone(),
        targets: device
            .map(|d| vec![d.id.clone(), d.name.clone()])
            .unwrap_or_default(),
    };
    let ready = match checked.prepare(&s.client, &audit, origin).await {
        Ok(Prepared::DryRun(lines)) => {
            for line in lines {
                println!("{}", crate::text::line(&line));
            }
            eprintln!("dry run: nothing was sent");
            return Ok(None);
        }
        Ok(Prepared::Ready(ready)) => ready,
        Err(e) => return Err(cli_error(e, what)),
    };
    // Four eyes: a request the team's policy holds is parked, not sent (no prompt: nothing
    // happens to the tenant until another analyst approves it).
    let gate = s.team.clone().map(TeamGate::new);
    let ready = match ready.gate(gate.as_ref().map(|g| g as _)).await {
        Ok(Gated::Send(ready)) => ready,
        Ok(Gated::Held(held)) => {
            print_held(s, &held)?;
            return Ok(None);
        }
        Err(e) => return Err(cli_error(e, what)),
    };
    // The catalogue's typed-name rule (on a protected profile, or always for offboarding).
    let typed = catalog::entry_of(req)
        .is_some_and(|e| e.typed_name_always || (s.protected && e.typed_name));
    let type_name = typed.then(|| device.map(|d| d.name.as_str())).flatten();
    confirm(&Ask {
        what: what.to_string(),
        device: device.map(|d| (d.name.as_str(), d.id.as_str())),
        type_name,
        yes,
    })?;
    match ready.commit().await {
        Ok(d) => {
            if let Some(failure) = &d.recovered_from {
                eprintln!(
                    "{what}: performed — the request failed ambiguously ({}), and the action it created was found",
                    crate::text::line(failure)
                );
            }
            Ok(d.raw)
        }
        Err(e) => Err(cli_error(e, what)),
    }
}

/// `Isolate ws-002 awaits approval: request 7`, or the stored request with `--json`.
fn print_held(s: &Session, held: &Held) -> CliResult {
    if s.format == crate::cli::output::Format::Json {
        let text = serde_json::to_string_pretty(&held.json)
            .map_err(|e| CliError::Runtime(e.to_string()))?;
        println!("{}", crate::text::json(&text));
        return Ok(());
    }
    let mut words = held.summary.splitn(2, ' ');
    let kind = words.next().unwrap_or_default();
    let target = words.next().unwrap_or_default();
    let short = target.split('.').next().unwrap_or(target);
    println!(
        "{} awaits approval: request {}",
        crate::text::line(&format!("{kind} {short}")),
        held.request_id
    );
    Ok(())
}

/// Refuse (exit 3, before anything is sent or audited) an action the tenant's plan does not
/// include.
pub(crate) fn check_plan(s: &Session, req: &ActionRequest) -> CliResult {
    catalog::check_plan(s.plan, req).map_err(CliError::Refused)
}

/// The CLI's exit code and message for each refusal or failure of the pipeline.
pub fn cli_error(e: DispatchError, what: &str) -> CliError {
    match e {
        DispatchError::Invalid(m) => CliError::Usage(m),
        DispatchError::ReadOnly => CliError::Refused(format!(
            "{what}: this session is read-only (--read-only or the profile's read_only); nothing was sent"
        )),
        DispatchError::Audit(_) => CliError::Runtime(e.to_string()),
        // socops' own guard saw the pending action: refused by socops (exit 3). The service
        // refusing it (or answering with the pending one) is Microsoft's no (exit 1).
        DispatchError::Duplicate {
            seen: DuplicateSeen::Guard,
            ..
        } => CliError::Refused(format!("{what}: {e}")),
        DispatchError::Duplicate { .. } => CliError::NotPerformed(format!("{what}: {e}")),
        DispatchError::Lookup(e) => e.into(),
        DispatchError::Team(m) => CliError::Runtime(format!(
            "{what}: {}; nothing was sent and no approval request was made",
            crate::text::line(&m.to_string())
        )),
        // Microsoft said no (its licence check, an action already finished, a device gone):
        // exit 1 with its message. Exit 3 is kept for what socops itself refused.
        DispatchError::Send(e) if plan::is_licence_refusal(&e) => {
            CliError::NotPerformed(format!("{what}: {}", plan::licence_message(&e)))
        }
        // A refusal for a pending duplicate arrives as `Duplicate` (decided by the error
        // code `ActiveRequestAlreadyExists` in dispatch); everything else was not performed.
        DispatchError::Send(e) => CliError::NotPerformed(format!("{what}: not performed: {e}")),
        DispatchError::Unknown { .. } => CliError::Unknown(format!("{what}: {e}")),
    }
}

pub(crate) fn open_audit() -> CliResult<AuditLog> {
    let dir = shim::data_dir()
        .ok_or_else(|| CliError::Config("no data directory for the audit log".into()))?;
    AuditLog::open(&dir).map_err(|e| CliError::Runtime(format!("cannot open the audit log: {e}")))
}
