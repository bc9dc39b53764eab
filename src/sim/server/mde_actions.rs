//! Defender for Endpoint POST routes: machine actions (with OS support and duplicate guards),
//! live-response command parsing, cancel, and dispatch of indicator posts.

use super::body::{REQUESTOR, body, check, is_hex, s};
use super::mde::{action_missing, entity, machine_missing, not_found};
use super::reply::{Reply, mde_error};
use super::{Req, SimState};

use crate::sim::tenant::Tenant;
use crate::sim::tenant::actions::{Action, Cancel, LrCommand, is_terminal};
use crate::sim::tenant::indicators::LIBRARY;
use serde_json::{Map, Value};

/// The licensed capability of a machine action type.
fn capability(kind: &str) -> Option<crate::api::plan::Capability> {
    use crate::api::plan::Capability as C;
    Some(match kind {
        "RunAntiVirusScan" => C::Scan,
        "Isolate" | "Unisolate" => C::Isolate,
        "RestrictCodeExecution" | "UnrestrictCodeExecution" => C::RestrictAppExecution,
        "CollectInvestigationPackage" => C::CollectPackage,
        "StopAndQuarantineFile" => C::StopAndQuarantine,
        "Offboard" => C::Offboard,
        "LiveResponse" => C::LiveResponse,
        _ => return None,
    })
}

/// Whether a duplicate of `kind` is refused with `ActiveRequestAlreadyExists` (true) or
/// answered with the pending action (false).
pub(crate) fn refuses_duplicates(kind: &str) -> bool {
    matches!(
        kind,
        "LiveResponse"
            | "Isolate"
            | "Unisolate"
            | "RestrictCodeExecution"
            | "UnrestrictCodeExecution"
            | "Offboard"
    )
}

/// Routes an MDE POST.
pub fn post(st: &SimState, req: &Req, r: &[String], l: &[&str]) -> Reply {
    let Ok(mut t) = st.tenant.write() else {
        return mde_error(500, "InternalServerError", "state lock poisoned");
    };
    match l {
        ["machines", _, action] => machine_action(st, req, &mut t, &r[1], action),
        ["machineactions", _, "cancel"] => cancel(st, req, &mut t, &r[1]),
        ["indicators"] => super::mde_indicators::post_indicator(st, req, &mut t),
        _ => not_found(),
    }
}

fn machine_action(st: &SimState, req: &Req, t: &mut Tenant, key: &str, action: &str) -> Reply {
    let Some(dev) = t.device(key) else {
        return machine_missing(key);
    };
    let m = match body(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let (kind, allowed, required): (&'static str, &[&str], &[&str]) = match action {
        "runantivirusscan" => ("RunAntiVirusScan", &["Comment", "ScanType"], &["Comment"]),
        "isolate" => ("Isolate", &["Comment", "IsolationType"], &["Comment"]),
        "unisolate" => ("Unisolate", &["Comment"], &["Comment"]),
        "restrictcodeexecution" => ("RestrictCodeExecution", &["Comment"], &["Comment"]),
        "unrestrictcodeexecution" => ("UnrestrictCodeExecution", &["Comment"], &["Comment"]),
        "collectinvestigationpackage" => {
            ("CollectInvestigationPackage", &["Comment"], &["Comment"])
        }
        "stopandquarantinefile" => (
            "StopAndQuarantineFile",
            &["Comment", "Sha1"],
            &["Comment", "Sha1"],
        ),
        "offboard" => ("Offboard", &["Comment"], &["Comment"]),
        "runliveresponse" => (
            "LiveResponse",
            &["Commands", "Comment"],
            &["Commands", "Comment"],
        ),
        // Automated investigation was retired on 2026-09-01 (MC1411577): it can no longer be
        // started. Microsoft documents no error for the retired endpoint; the simulator
        // answers a 400 that says so.
        "startinvestigation" => {
            return mde_error(
                400,
                "BadRequest",
                "Automated investigation was retired on 2026-09-01 (MC1411577) and can no longer be started; run a full antivirus scan (runAntiVirusScan with ScanType Full) instead",
            );
        }
        _ => return not_found(),
    };
    if let Some(cap) = capability(kind)
        && !crate::api::plan::includes(st.plan, cap)
    {
        // The licence refusal: a 403 naming the licence (see `api::plan::is_licence_refusal`).
        return mde_error(
            403,
            "Forbidden",
            &format!(
                "{kind} is not supported by the tenant's license ({})",
                st.plan.product()
            ),
        );
    }
    if let Err(r) = check(&m, allowed, required) {
        return r;
    }
    let comment = s(&m, "Comment").unwrap_or_default();
    let d = &t.devices[dev as usize];
    if matches!(
        kind,
        "StopAndQuarantineFile" | "RestrictCodeExecution" | "UnrestrictCodeExecution" | "Offboard"
    ) && !d.os.is_windows()
    {
        return mde_error(
            400,
            "OsPlatformNotSupported",
            &format!("Action {kind} is not supported on {}", d.os.platform()),
        );
    }
    let now = st.clock.now();
    let mut scope = None;
    let mut sha1 = None;
    let mut commands = Vec::new();
    let mut outcome = "Succeeded";
    match kind {
        "RunAntiVirusScan" => {
            let v = s(&m, "ScanType").unwrap_or_else(|| "Quick".into());
            if !matches!(v.as_str(), "Quick" | "Full") {
                return mde_error(
                    400,
                    "InvalidRequestBody",
                    &format!("Invalid ScanType '{v}'; expected Quick or Full"),
                );
            }
            scope = Some(v);
        }
        "Isolate" => {
            let v = s(&m, "IsolationType").unwrap_or_else(|| "Full".into());
            if !matches!(v.as_str(), "Full" | "Selective" | "UnManagedDevice") {
                return mde_error(
                    400,
                    "InvalidRequestBody",
                    &format!("Invalid IsolationType '{v}'"),
                );
            }
            scope = Some(v);
        }
        "StopAndQuarantineFile" => {
            let v = s(&m, "Sha1").unwrap_or_default();
            if !is_hex(&v, 40) {
                return mde_error(
                    400,
                    "InvalidHashValue",
                    &format!("'{v}' is not a valid SHA-1 hash"),
                );
            }
            sha1 = Some(v.to_ascii_lowercase());
        }
        "LiveResponse" => match parse_commands(&m) {
            Ok((c, ok)) => {
                commands = c;
                if !ok {
                    outcome = "Failed";
                }
            }
            Err(r) => return r,
        },
        _ => {}
    }
    // A second request while one of the same type is pending: the service answers either
    // with the pending action itself or with 400 `ActiveRequestAlreadyExists` ("one session
    // per device" is documented for live response,
    // https://learn.microsoft.com/en-us/defender-endpoint/api/run-live-response; clients
    // report both for the other types). The simulator decides by type: actions that change
    // the device's state refuse, the others answer with the pending one.
    if let Some(existing) = t
        .actions
        .iter()
        .find(|a| a.device == dev && a.kind == kind && !is_terminal(a.status(now).0))
    {
        if refuses_duplicates(kind) {
            let msg = if kind == "LiveResponse" {
                "An active live response session already exists for this device"
            } else {
                "Action is already in progress"
            };
            return mde_error(400, "ActiveRequestAlreadyExists", msg);
        }
        let v = existing.to_json_as_created(d, now);
        return Reply {
            status: axum::http::StatusCode::CREATED,
            ..entity(st, "MachineActions", v)
        };
    }
    // Not seen for days: the device will not pick the action up; it waits in the queue.
    let queued_until = (now - d.last_seen
        > chrono::Duration::hours(crate::sim::tenant::actions::OFFLINE_AFTER_HOURS))
    .then(|| now + chrono::Duration::days(crate::sim::tenant::actions::QUEUE_DAYS));
    let action = Action {
        id: uuid::Uuid::new_v4().to_string(),
        kind,
        requestor: REQUESTOR.into(),
        comment,
        device: dev,
        created: now,
        scope,
        sha1,
        commands,
        fixed: None,
        outcome,
        cancel: None,
        external_id: None,
        queued_until,
    };
    let v = action.to_json_as_created(d, now);
    t.actions.insert(0, action);
    let reply = entity(st, "MachineActions", v);
    if kind == "Offboard" {
        reply
    } else {
        Reply {
            status: axum::http::StatusCode::CREATED,
            ..reply
        }
    }
}

/// Live-response commands: outer keys PascalCase, inner keys lowercase. Returns the commands
/// and whether every referenced library file exists.
fn parse_commands(m: &Map<String, Value>) -> Result<(Vec<LrCommand>, bool), Reply> {
    let bad = |msg: &str| mde_error(400, "InvalidRequestBody", msg);
    let Some(Value::Array(list)) = m.get("Commands") else {
        return Err(bad("Commands must be an array"));
    };
    if list.is_empty() {
        return Err(bad("Commands must not be empty"));
    }
    let mut out = Vec::new();
    let mut ok = true;
    for c in list {
        let Some(c) = c.as_object() else {
            return Err(bad("Each command must be an object"));
        };
        let kind = c
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("Command 'type' is missing (keys are case-sensitive)"))?;
        if !matches!(kind, "PutFile" | "RunScript" | "GetFile") {
            return Err(bad(&format!("Unknown command type '{kind}'")));
        }
        let mut params = Vec::new();
        for p in c
            .get("params")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let k = p
                .get("key")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("Param 'key' is missing"))?;
            let v = p.get("value").and_then(Value::as_str).unwrap_or_default();
            params.push((k.to_string(), v.to_string()));
        }
        let need = match kind {
            "PutFile" => "FileName",
            "RunScript" => "ScriptName",
            _ => "Path",
        };
        let Some((_, val)) = params.iter().find(|(k, _)| k == need) else {
            return Err(mde_error(
                400,
                "MissingRequiredParameter",
                &format!("{kind} requires the '{need}' parameter"),
            ));
        };
        if kind != "GetFile" && !LIBRARY.iter().any(|(n, ..)| n.eq_ignore_ascii_case(val)) {
            ok = false;
        }
        out.push(LrCommand {
            kind: kind.into(),
            params,
        });
    }
    Ok((out, ok))
}

fn cancel(st: &SimState, req: &Req, t: &mut Tenant, id: &str) -> Reply {
    let m = match body(req) {
        Ok(m) => m,
        Err(r) => return r,
    };
    if let Err(r) = check(&m, &["Comment"], &["Comment"]) {
        return r;
    }
    let now = st.clock.now();
    let Some(a) = t.actions.iter_mut().find(|a| a.id.eq_ignore_ascii_case(id)) else {
        return action_missing(id);
    };
    let status = a.status(now).0;
    if is_terminal(status) {
        return mde_error(
            400,
            "BadRequest",
            &format!("Action {id} is already {status} and cannot be cancelled"),
        );
    }
    a.cancel = Some(Cancel {
        by: REQUESTOR.into(),
        comment: s(&m, "Comment").unwrap_or_default(),
        at: now,
    });
    let a = a.clone();
    entity(
        st,
        "MachineActions",
        a.to_json(&t.devices[a.device as usize], now),
    )
}
