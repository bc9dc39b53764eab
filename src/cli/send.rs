//! The headless side of the write pipeline: resolving a device, then running a request
//! through `api::dispatch` (the one pipeline, shared with the console) with a terminal
//! prompt as its confirmation step, printing a dry run, and mapping each refusal to the
//! CLI's exit codes and messages.

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::Resource;
use crate::api::calls::ActionRequest;
use crate::api::dispatch::{self, DispatchError, Mode, Origin, Prepared};
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::Session;
use crate::cli::shim;
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

/// Resolve a machine id or computer name to the device (GET machines/{id_or_name}).
pub async fn resolve_device(s: &Session, id_or_name: &str) -> CliResult<Device> {
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
    let type_name = (s.protected && req.is_destructive())
        .then(|| device.map(|d| d.name.as_str()))
        .flatten();
    confirm(&Ask {
        what: what.to_string(),
        device: device.map(|d| (d.name.as_str(), d.id.as_str())),
        type_name,
        yes,
    })?;
    match ready.commit().await {
        Ok(d) => Ok(d.raw),
        Err(e) => Err(cli_error(e, what)),
    }
}

/// The CLI's exit code and message for each refusal or failure of the pipeline.
fn cli_error(e: DispatchError, what: &str) -> CliError {
    match e {
        DispatchError::Invalid(m) => CliError::Usage(m),
        DispatchError::ReadOnly => CliError::Refused(format!(
            "{what}: this session is read-only (--read-only or the profile's read_only); nothing was sent"
        )),
        DispatchError::Audit(_) => CliError::Runtime(e.to_string()),
        DispatchError::Duplicate { .. } => CliError::Refused(format!("{what}: {e}")),
        DispatchError::Lookup(e) => e.into(),
        DispatchError::Send(e) => match e.status() {
            Some(400) if e.to_string().to_ascii_lowercase().contains("already") => {
                CliError::Refused(format!("{what}: {e}"))
            }
            _ => e.into(),
        },
    }
}

fn open_audit() -> CliResult<AuditLog> {
    let dir = shim::data_dir()
        .ok_or_else(|| CliError::Config("no data directory for the audit log".into()))?;
    AuditLog::open(&dir).map_err(|e| CliError::Runtime(format!("cannot open the audit log: {e}")))
}
