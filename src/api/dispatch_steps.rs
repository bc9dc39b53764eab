//! The network steps of the write-safety pipeline (`api::dispatch` runs them in order): the
//! duplicate guard (a pending action of the same type on the same device), sending a request
//! exactly once, looking an action up after an ambiguous failure (never resending), and the
//! dry-run text of a request. No terminal, no prompts, no audit.

use chrono::Utc;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::calls::{ActionRequest, machine_actions, odata};
use crate::api::model::ActionStatus;
use crate::api::{ApiError, Client};

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
        a["status"]
            .as_str()
            .map(ActionStatus::parse)
            .is_some_and(|s| s.is_waiting())
    })
    .await
}

/// Send the request once (the transport never retries a POST).
pub(super) async fn send_once(
    client: &Client,
    req: &ActionRequest,
) -> Result<Option<Box<RawValue>>, ApiError> {
    let path = req.path();
    let resource = req.resource();
    match (req.method(), req.body()) {
        ("DELETE", _) => client.delete(resource, &path).await.map(|_| None),
        ("PATCH", body) => {
            let body = body.unwrap_or(Value::Null);
            client
                .patch::<Value, Box<RawValue>>(resource, &path, &body)
                .await
                .map(Some)
        }
        (_, body) => {
            let body = body.unwrap_or(Value::Null);
            client
                .post::<Value, Box<RawValue>>(resource, &path, &body)
                .await
                .map(Some)
        }
    }
}

/// What the look-up after an ambiguous failure found.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Recovery {
    /// The action this request created: it was performed.
    Found(Value),
    /// The service lists no action of this type on this device created since the send
    /// began (as of the look-up: an action can still appear later).
    NotFound,
    /// The look-up could not decide (it failed, several candidates, no service clock).
    Undecided(String),
}

/// Slack on the service's clock: the `Date` header has second resolution and the service
/// stamps `creationDateTimeUtc` after the request arrived, so an action created by this send
/// is at most ~1 s "older" than the estimate.
const DATE_SLACK: chrono::Duration = chrono::Duration::seconds(2);

/// After an ambiguous failure of `req` (sent at the local instant `began`), look for the
/// action it may have created: the same type on the same device, created after the send
/// began by the service's clock (from its `Date` header, so local skew does not matter),
/// and with the same `requestorComment` where the service returns one. Never resends.
/// An older action of the same type (isolate → release → isolate) is never taken for the
/// new one.
pub(super) async fn look_up_after_failure(
    client: &Client,
    req: &ActionRequest,
    began: std::time::Instant,
) -> Recovery {
    let (Some(machine), Some(ty)) = (req.target_machine(), req.expected_action_type()) else {
        return Recovery::Undecided(String::from("this request cannot be looked up"));
    };
    let Some(since) = client.server_time_at(began).map(|t| t - DATE_SLACK) else {
        return Recovery::Undecided(String::from(
            "the service's clock is unknown (no Date header), so a new action cannot be told from an older one",
        ));
    };
    // `creationDateTimeUtc` is a documented $filter field of machineactions:
    // https://learn.microsoft.com/en-us/defender-endpoint/api/get-machineactions-collection
    // The server-side bound is wide (a minute) and the exact check is done here.
    let filter = odata::and([
        odata::eq("machineId", machine),
        odata::eq("type", ty.as_str()),
        odata::ge_time("creationDateTimeUtc", since - chrono::Duration::minutes(1)),
    ]);
    let comment = req.comment().unwrap_or_default();
    let mut candidates: Vec<Value> = Vec::new();
    let read = machine_actions(Some(filter))
        .for_each_raw(client, Some(200), |page| {
            for raw in page {
                if let Ok(v) = serde_json::from_str::<Value>(raw.get())
                    && is_created_by(&v, machine, ty.as_str(), since, comment)
                {
                    candidates.push(v);
                }
            }
            Ok(())
        })
        .await;
    if let Err(e) = read {
        return Recovery::Undecided(format!("the look-up failed: {e}"));
    }
    match candidates.len() {
        0 => Recovery::NotFound,
        1 => Recovery::Found(candidates.remove(0)),
        n => Recovery::Undecided(format!(
            "{n} matching actions were created since the request: {}",
            candidates
                .iter()
                .filter_map(|c| c["id"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Whether the machine action `a` was created before a send that began at the local
/// instant `began`, by the service's clock (its `Date` header, with the same slack as the
/// look-up), and not carrying this request's comment: then it is not the one the send
/// created. Unknown clock or time: false.
pub(super) fn predates_send(
    client: &Client,
    req: &ActionRequest,
    a: &Value,
    began: std::time::Instant,
) -> bool {
    let Some(since) = client.server_time_at(began).map(|t| t - DATE_SLACK) else {
        return false;
    };
    // Our own comment on it: it is ours, whatever the clocks say.
    if a["requestorComment"].as_str() == req.comment() && req.comment().is_some() {
        return false;
    }
    a["creationDateTimeUtc"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .is_some_and(|t| t.with_timezone(&Utc) < since)
}

/// Whether the listed action `a` can be the one this request created.
fn is_created_by(
    a: &Value,
    machine: &str,
    ty: &str,
    since: chrono::DateTime<Utc>,
    comment: &str,
) -> bool {
    let created = a["creationDateTimeUtc"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    let same_comment = match a["requestorComment"].as_str() {
        Some(c) => c == comment,
        None => true, // not returned: nothing to compare
    };
    a["machineId"]
        .as_str()
        .is_none_or(|m| m.eq_ignore_ascii_case(machine))
        && a["type"].as_str() == Some(ty)
        && created.is_some_and(|t| t >= since)
        && same_comment
}

/// The exact request as text lines (method and URL, headers with the token elided, body):
/// what a dry run shows instead of sending.
pub(super) fn request_text(client: &Client, req: &ActionRequest) -> Vec<String> {
    let url = client.endpoints().url(req.resource(), &req.path());
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(s: &str) -> chrono::DateTime<Utc> {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn only_a_new_action_of_the_same_type_device_and_comment_is_taken() {
        let since = at("2026-03-11T08:00:00Z");
        let a = json!({"id": "a", "type": "Isolate", "machineId": "M1",
            "creationDateTimeUtc": "2026-03-11T08:00:01.5Z", "requestorComment": "c"});
        assert!(is_created_by(&a, "m1", "Isolate", since, "c"));
        // older than the send
        assert!(!is_created_by(
            &a,
            "m1",
            "Isolate",
            at("2026-03-11T08:00:02Z"),
            "c"
        ));
        // another comment: someone else's action
        assert!(!is_created_by(&a, "m1", "Isolate", since, "other"));
        // another type or device
        assert!(!is_created_by(&a, "m1", "Unisolate", since, "c"));
        assert!(!is_created_by(&a, "m2", "Isolate", since, "c"));
        // no creation time: cannot be proven new
        let undated = json!({"id": "a", "type": "Isolate", "machineId": "m1"});
        assert!(!is_created_by(&undated, "m1", "Isolate", since, "c"));
        // the service did not return the comment: nothing to compare
        let silent = json!({"id": "a", "type": "Isolate", "machineId": "m1",
            "creationDateTimeUtc": "2026-03-11T08:00:01Z"});
        assert!(is_created_by(&silent, "m1", "Isolate", since, "c"));
    }
}
