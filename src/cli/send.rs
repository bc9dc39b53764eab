//! The safety pipeline every write goes through, in order: validate the input, refuse on a
//! read-only session, print instead of sending on `--dry-run`, refuse a duplicate of a
//! pending machine action, confirm, write the audit intent, send once, look the action up
//! after an ambiguous failure, and write the audit outcome.

use chrono::Utc;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::calls::ActionRequest;
use crate::api::{Resource, guard};
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::session::Session;
use crate::cli::shim;
use crate::store::audit::{AuditIntent, AuditLog};

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

/// Run `req` through the pipeline. `Ok(None)` after a dry run or an answer with no body.
pub async fn execute(
    s: &Session,
    req: &ActionRequest,
    device: Option<&Device>,
    what: &str,
    yes: bool,
) -> CliResult<Option<Box<RawValue>>> {
    req.validate().map_err(CliError::Usage)?;
    if s.read_only {
        return Err(CliError::Refused(format!(
            "{what}: this session is read-only (--read-only or the profile's read_only); nothing was sent"
        )));
    }
    let audit = open_audit()?;
    let intent = AuditIntent {
        profile: s.profile_name.clone(),
        tenant: s.tenant_label.clone(),
        operator: s.client.operator(),
        action: req.label().to_string(),
        method: req.method().to_string(),
        path: req.path(),
        targets: device
            .map(|d| vec![d.id.clone(), d.name.clone()])
            .unwrap_or_default(),
        comment: req.comment().unwrap_or_default().to_string(),
        dry_run: s.dry_run,
    };
    if s.dry_run {
        audit
            .record_intent(&intent, Utc::now())
            .map_err(|e| CliError::Runtime(format!("cannot write the audit log: {e}")))?;
        print_request(s, req);
        return Ok(None);
    }
    if device.is_some()
        && let Some(ty) = req.expected_action_type()
        && let Some(existing) = guard::pending_duplicate(&s.client, req).await?
    {
        return Err(CliError::Refused(format!(
            "{what}: action {} ({}) is already {} on this device",
            existing["id"].as_str().unwrap_or("?"),
            ty,
            existing["status"].as_str().unwrap_or("pending")
        )));
    }
    let type_name = (s.protected && req.is_destructive())
        .then(|| device.map(|d| d.name.as_str()))
        .flatten();
    confirm(&Ask {
        what: what.to_string(),
        type_name,
        yes,
    })?;
    let id = audit
        .record_intent(&intent, Utc::now())
        .map_err(|e| CliError::Runtime(format!("cannot write the audit log: {e}")))?;
    let result = if device.is_some() {
        guard::send_and_recover(&s.client, req).await
    } else {
        guard::send_once(&s.client, req).await
    };
    let outcome = guard::outcome_of(&result);
    if let Err(e) = audit.record_outcome(&id, &outcome, Utc::now()) {
        tracing::error!("cannot write the audit outcome: {e}");
    }
    result.map_err(|e| match e.status() {
        Some(400) if e.to_string().to_ascii_lowercase().contains("already") => {
            CliError::Refused(format!("{what}: {e}"))
        }
        _ => e.into(),
    })
}

fn open_audit() -> CliResult<AuditLog> {
    let dir = shim::data_dir()
        .ok_or_else(|| CliError::Config("no data directory for the audit log".into()))?;
    AuditLog::open(&dir).map_err(|e| CliError::Runtime(format!("cannot open the audit log: {e}")))
}

/// `--dry-run`: the exact request, token elided.
fn print_request(s: &Session, req: &ActionRequest) {
    for line in guard::request_text(&s.client, req) {
        println!("{line}");
    }
    eprintln!("dry run: nothing was sent");
}
