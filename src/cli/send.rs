//! The safety pipeline every write goes through, in order: validate the input, refuse on a
//! read-only session, print instead of sending on `--dry-run`, refuse a duplicate of a
//! pending machine action, confirm, write the audit intent, send once, look the action up
//! after an ambiguous failure, and write the audit outcome.

use chrono::Utc;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::calls::ActionRequest;
use crate::api::{ApiError, Resource};
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{and_all, eq};
use crate::cli::session::Session;
use crate::cli::shim;
use crate::store::audit::{AuditIntent, AuditLog, AuditOutcome};

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
    if let (Some(d), Some(ty)) = (device, req.expected_action_type())
        && let Some(existing) = find_action(s, d, ty.as_str(), |a| {
            matches!(a["status"].as_str(), Some("Pending" | "InProgress"))
        })
        .await?
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
    let result = send_once(s, req).await;
    let result = match result {
        Err(e) if e.is_ambiguous() => recover(s, req, device, e).await,
        other => other,
    };
    let outcome = match &result {
        Ok(raw) => {
            let v: Value = raw
                .as_ref()
                .and_then(|r| serde_json::from_str(r.get()).ok())
                .unwrap_or_default();
            AuditOutcome {
                ok: true,
                status: None,
                action_id: v["id"].as_str().map(str::to_string),
                final_status: v["status"].as_str().map(str::to_string),
                error: None,
            }
        }
        Err(e) => AuditOutcome {
            ok: false,
            status: e.status(),
            error: Some(e.to_string()),
            ..Default::default()
        },
    };
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

async fn send_once(s: &Session, req: &ActionRequest) -> Result<Option<Box<RawValue>>, ApiError> {
    let path = req.path();
    match (req.method(), req.body()) {
        ("DELETE", _) => s.client.delete(Resource::Mde, &path).await.map(|_| None),
        (_, body) => {
            let body = body.unwrap_or(Value::Null);
            s.client
                .post::<Value, Box<RawValue>>(Resource::Mde, &path, &body)
                .await
                .map(Some)
        }
    }
}

/// After a timeout or 5xx the POST may have landed: look for the same action created in the
/// last two minutes before reporting the failure. Never resend.
async fn recover(
    s: &Session,
    req: &ActionRequest,
    device: Option<&Device>,
    err: ApiError,
) -> Result<Option<Box<RawValue>>, ApiError> {
    let (Some(d), Some(ty)) = (device, req.expected_action_type()) else {
        return Err(err);
    };
    let since = Utc::now() - chrono::Duration::minutes(2);
    let found = find_action(s, d, ty.as_str(), |a| {
        a["creationDateTimeUtc"]
            .as_str()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .is_some_and(|t| t >= since)
    })
    .await;
    match found {
        Ok(Some(v)) => {
            tracing::warn!(
                "ambiguous failure ({err}); the action was found: {}",
                v["id"]
            );
            RawValue::from_string(v.to_string())
                .map(Some)
                .map_err(|_| err)
        }
        _ => Err(err),
    }
}

/// The first machine action of this device and type that `pick` accepts.
async fn find_action(
    s: &Session,
    d: &Device,
    ty: &str,
    pick: impl Fn(&Value) -> bool,
) -> Result<Option<Value>, ApiError> {
    let filter = and_all([Some(eq("machineId", &d.id)), Some(eq("type", ty))]);
    let mut found = None;
    crate::api::calls::machine_actions(filter)
        .for_each_raw(&s.client, Some(200), |page| {
            for raw in page {
                if found.is_none()
                    && let Ok(v) = serde_json::from_str::<Value>(raw.get())
                    && pick(&v)
                {
                    found = Some(v);
                }
            }
            Ok(())
        })
        .await?;
    Ok(found)
}

/// `--dry-run`: the exact request, token elided.
fn print_request(s: &Session, req: &ActionRequest) {
    let url = s.client.endpoints().url(Resource::Mde, &req.path());
    println!("{} {url}", req.method());
    println!("Authorization: Bearer <elided>");
    if let Some(body) = req.body() {
        println!("Content-Type: application/json");
        println!();
        println!(
            "{}",
            serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string())
        );
    }
    eprintln!("dry run: nothing was sent");
}
