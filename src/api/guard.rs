//! The network steps of the write-safety pipeline (`api::dispatch` runs them in order): the
//! duplicate guard (a pending action of the same type on the same device), sending a request
//! exactly once, looking an action up after an ambiguous failure (never resending), and the
//! dry-run text of a request. No terminal, no prompts, no audit.

use chrono::Utc;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::calls::{ActionRequest, machine_actions, odata};
use crate::api::{ApiError, Client, Resource};

/// The first machine action of this device and type that `pick` accepts.
pub(super) async fn find_action(
    client: &Client,
    machine_id: &str,
    ty: &str,
    pick: impl Fn(&Value) -> bool,
) -> Result<Option<Value>, ApiError> {
    let filter = odata::and([odata::eq("machineId", machine_id), odata::eq("type", ty)]);
    let mut found = None;
    machine_actions(Some(filter))
        .for_each_raw(client, Some(200), |page| {
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

/// A Pending/InProgress action of the same type on the request's device, if any (the
/// service would refuse or queue a second one).
pub(super) async fn pending_duplicate(
    client: &Client,
    req: &ActionRequest,
) -> Result<Option<Value>, ApiError> {
    let (Some(machine), Some(ty)) = (req.target_machine(), req.expected_action_type()) else {
        return Ok(None);
    };
    find_action(client, machine, ty.as_str(), |a| {
        matches!(a["status"].as_str(), Some("Pending" | "InProgress"))
    })
    .await
}

/// Send the request once (the transport never retries a POST).
pub(super) async fn send_once(
    client: &Client,
    req: &ActionRequest,
) -> Result<Option<Box<RawValue>>, ApiError> {
    let path = req.path();
    match (req.method(), req.body()) {
        ("DELETE", _) => client.delete(Resource::Mde, &path).await.map(|_| None),
        (_, body) => {
            let body = body.unwrap_or(Value::Null);
            client
                .post::<Value, Box<RawValue>>(Resource::Mde, &path, &body)
                .await
                .map(Some)
        }
    }
}

/// Send once; after a timeout or 5xx the POST may have landed, so look for the same action
/// created in the last two minutes before reporting the failure. Never resend.
pub(super) async fn send_and_recover(
    client: &Client,
    req: &ActionRequest,
) -> Result<Option<Box<RawValue>>, ApiError> {
    match send_once(client, req).await {
        Err(e) if e.is_ambiguous() => recover(client, req, e).await,
        other => other,
    }
}

async fn recover(
    client: &Client,
    req: &ActionRequest,
    err: ApiError,
) -> Result<Option<Box<RawValue>>, ApiError> {
    let (Some(machine), Some(ty)) = (req.target_machine(), req.expected_action_type()) else {
        return Err(err);
    };
    let since = Utc::now() - chrono::Duration::minutes(2);
    let found = find_action(client, machine, ty.as_str(), |a| {
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

/// The exact request as text lines (method and URL, headers with the token elided, body):
/// what a dry run shows instead of sending.
pub(super) fn request_text(client: &Client, req: &ActionRequest) -> Vec<String> {
    let url = client.endpoints().url(Resource::Mde, &req.path());
    let mut lines = vec![
        format!("{} {url}", req.method()),
        "Authorization: Bearer <elided>".to_string(),
    ];
    if let Some(body) = req.body() {
        lines.push("Content-Type: application/json".to_string());
        lines.push(String::new());
        let pretty = serde_json::to_string_pretty(&body).unwrap_or_else(|_| body.to_string());
        lines.extend(pretty.lines().map(str::to_string));
    }
    lines
}
