//! Machine actions and automated investigations, with their time-driven life cycle computed
//! lazily from the simulated clock (no background tasks).

use super::Ctx;
use super::catalog::REQUESTORS;
use super::devices::Device;
use crate::sim::clock::{secs, ts, ts_opt};
use crate::sim::rng::Rng;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// Seconds a new action stays Pending, and until it is finished.
pub(crate) const PENDING_SECS: f64 = 1.0;
/// Seconds from creation to the terminal state.
pub(crate) const DONE_SECS: f64 = 4.0;
/// How long the service keeps an action queued for a device that does not check in before
/// it ends as `TimeOut`: "If the machine isn't available, the session is queued for up to
/// three days" (https://learn.microsoft.com/en-us/defender-endpoint/api/run-live-response);
/// the simulator applies the same queue to every action type.
pub(crate) const QUEUE_DAYS: i64 = 3;
/// A device last seen longer ago than this does not pick actions up: they stay Pending.
pub(crate) const OFFLINE_AFTER_HOURS: i64 = 48;
/// Seconds a started investigation runs.
pub(crate) const INVESTIGATION_SECS: f64 = 6.0;

/// One live-response command of an action.
#[derive(Debug, Clone)]
pub struct LrCommand {
    pub kind: String,
    pub params: Vec<(String, String)>,
}

/// Cancellation details.
#[derive(Debug, Clone)]
pub struct Cancel {
    pub by: String,
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// One machine action.
#[derive(Debug, Clone)]
pub struct Action {
    pub id: String,
    pub kind: &'static str,
    pub requestor: String,
    pub comment: String,
    pub device: u32,
    pub created: DateTime<Utc>,
    pub scope: Option<String>,
    pub sha1: Option<String>,
    pub commands: Vec<LrCommand>,
    /// A frozen status (generated history, or an offline device's queued action).
    pub fixed: Option<(&'static str, DateTime<Utc>)>,
    /// The status reached after `DONE_SECS`.
    pub outcome: &'static str,
    pub cancel: Option<Cancel>,
    pub external_id: Option<String>,
    /// Created for a device that has not been seen for days: the action stays Pending until
    /// this instant, then times out (the device never checks in within the queue).
    pub queued_until: Option<DateTime<Utc>>,
}

/// Terminal action states.
pub fn is_terminal(status: &str) -> bool {
    matches!(status, "Succeeded" | "Failed" | "TimeOut" | "Cancelled")
}

impl Action {
    /// Status and last update time at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> (&'static str, DateTime<Utc>) {
        if let Some(c) = &self.cancel {
            return ("Cancelled", c.at);
        }
        if let Some(f) = self.fixed {
            return f;
        }
        if let Some(until) = self.queued_until {
            return if now < until {
                ("Pending", self.created)
            } else {
                ("TimeOut", until)
            };
        }
        let age = (now - self.created).num_microseconds().unwrap_or(i64::MAX) as f64 / 1e6;
        if age < PENDING_SECS {
            ("Pending", self.created)
        } else if age < DONE_SECS {
            ("InProgress", self.created + secs(PENDING_SECS))
        } else {
            (self.outcome, self.created + secs(DONE_SECS))
        }
    }

    /// Whether the action's command `index` has completed (result link available).
    pub(crate) fn command_done(&self, index: usize, now: DateTime<Utc>) -> bool {
        index < self.commands.len() && self.status(now).0 == "Succeeded"
    }

    fn commands_json(&self, status: &str) -> Vec<Value> {
        let n = self.commands.len().max(1) as f64;
        let span = DONE_SECS - PENDING_SECS;
        self.commands
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let start = self.created + secs(PENDING_SECS + span * i as f64 / n);
                let end = self.created + secs(PENDING_SECS + span * (i + 1) as f64 / n);
                let (cs, st, en) = match status {
                    "Succeeded" => ("Completed", Some(start), Some(end)),
                    "Failed" => ("Failed", Some(start), Some(end)),
                    "InProgress" if i == 0 => ("InProgress", Some(start), None),
                    _ => ("Created", None, None),
                };
                json!({"index": i, "startTime": ts_opt(st), "endTime": ts_opt(en), "commandStatus": cs,
                       "errors": if cs == "Failed" { vec!["Script failed to run"] } else { vec![] },
                       "command": {"type": c.kind, "params": c.params.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>()}})
            })
            .collect()
    }

    /// The MDE MachineAction entity at `now`, as the list and single reads spell it.
    pub fn to_json(&self, d: &Device, now: DateTime<Utc>) -> Value {
        self.to_json_spelled(d, now, "lastUpdateDateTimeUtc")
    }

    /// The entity as the action POST answers spell it: the per-action pages' samples (e.g.
    /// https://learn.microsoft.com/en-us/defender-endpoint/api/isolate-machine) show
    /// `lastUpdateTimeUtc`, not the resource type's `lastUpdateDateTimeUtc`.
    pub(crate) fn to_json_as_created(&self, d: &Device, now: DateTime<Utc>) -> Value {
        self.to_json_spelled(d, now, "lastUpdateTimeUtc")
    }

    fn to_json_spelled(&self, d: &Device, now: DateTime<Utc>, last_update: &str) -> Value {
        let (status, updated) = self.status(now);
        let mut v = json!({
            "id": self.id,
            "type": self.kind,
            "title": null,
            "requestor": self.requestor,
            "requestorComment": self.comment,
            "status": status,
            "machineId": d.id,
            "computerDnsName": if status == "Pending" { Value::Null } else { d.name.clone().into() },
            "creationDateTimeUtc": ts(self.created),
            "lastUpdateDateTimeUtc": ts(updated),
            "cancellationRequestor": self.cancel.as_ref().map(|c| c.by.clone()),
            "cancellationComment": self.cancel.as_ref().map(|c| c.comment.clone()),
            "cancellationDateTimeUtc": ts_opt(self.cancel.as_ref().map(|c| c.at)),
            "errorHResult": if status == "Failed" { -2147024809i64 } else { 0 },
            "scope": self.scope,
            "externalId": self.external_id,
            "requestSource": "PublicApi",
            "relatedFileInfo": self.sha1.as_ref().map(|s| json!({"fileIdentifier": s, "fileIdentifierType": "Sha1"})),
            "commands": self.commands_json(status),
            "troubleshootInfo": null,
        });
        if let Some(m) = v.as_object_mut()
            && last_update != "lastUpdateDateTimeUtc"
            && let Some(t) = m.remove("lastUpdateDateTimeUtc")
        {
            m.insert(last_update.to_string(), t);
        }
        v
    }
}

/// One automated investigation.
#[derive(Debug, Clone)]
pub struct Investigation {
    pub id: String,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub state: &'static str,
    pub cancelled_by: Option<&'static str>,
    pub device: u32,
    pub trigger: Option<String>,
    /// For investigations started through the API: the state reached after running.
    pub live: Option<&'static str>,
}

impl Investigation {
    /// State and end time at `now`.
    pub fn state(&self, now: DateTime<Utc>) -> (&'static str, Option<DateTime<Utc>>) {
        match self.live {
            Some(fin) if now >= self.start + secs(INVESTIGATION_SECS) => {
                let end = (fin != "PendingApproval").then(|| self.start + secs(INVESTIGATION_SECS));
                (fin, end)
            }
            Some(_) => ("Running", None),
            None => (self.state, self.end),
        }
    }

    /// The MDE Investigation entity at `now`.
    pub fn to_json(&self, d: &Device, now: DateTime<Utc>) -> Value {
        let (state, end) = self.state(now);
        json!({
            "id": self.id, "startTime": ts(self.start), "endTime": ts_opt(end), "state": state,
            "cancelledBy": self.cancelled_by, "statusDetails": null, "machineId": d.id,
            "computerDnsName": d.name, "triggeringAlertId": self.trigger,
        })
    }
}

const TYPES: [&str; 9] = [
    "RunAntiVirusScan",
    "Isolate",
    "CollectInvestigationPackage",
    "LiveResponse",
    "StopAndQuarantineFile",
    "Unisolate",
    "RestrictCodeExecution",
    "UnrestrictCodeExecution",
    "Offboard",
];
const HISTORY_STATUS: [&str; 6] = [
    "Pending",
    "InProgress",
    "Succeeded",
    "Failed",
    "TimeOut",
    "Cancelled",
];

/// Generates the action history.
pub fn generate(ctx: &Ctx, devices: &[Device]) -> Vec<Action> {
    let mut rng = Rng::stream(ctx.seed, 3);
    let n = (devices.len() / 2).clamp(12, 400);
    let windows: Vec<u32> = (0..devices.len() as u32)
        .filter(|&i| devices[i as usize].os.is_windows())
        .collect();
    let offline: Vec<u32> = windows
        .iter()
        .copied()
        .filter(|&i| devices[i as usize].health == 1)
        .collect();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let kind = TYPES[if i < 9 { i } else { rng.below(5) as usize }];
        let status = if i < 6 {
            HISTORY_STATUS[i]
        } else {
            *rng.pick(&[
                "Succeeded",
                "Succeeded",
                "Succeeded",
                "Failed",
                "Cancelled",
                "TimeOut",
            ])
        };
        let queued = matches!(status, "Pending" | "InProgress");
        let pool = if queued && !offline.is_empty() {
            &offline
        } else if windows.is_empty() {
            &vec![0]
        } else {
            &windows
        };
        let device = *rng.pick(pool);
        let created = ctx.now - secs(600.0 + rng.unit() * 20.0 * 86_400.0);
        let updated = created + secs(30.0 + rng.unit() * 3000.0);
        let requestor = rng.pick(REQUESTORS).to_string();
        let cancel = (status == "Cancelled").then(|| Cancel {
            by: "lead@fabrikam.com".into(),
            comment: "False alarm, cancelled before the device picked it up".into(),
            at: updated,
        });
        let commands = if kind == "LiveResponse" {
            vec![
                LrCommand {
                    kind: "RunScript".into(),
                    params: vec![
                        ("ScriptName".into(), "Collect-Triage.ps1".into()),
                        (
                            "Args".into(),
                            "-OutFile C:\\Windows\\Temp\\triage.zip".into(),
                        ),
                    ],
                },
                LrCommand {
                    kind: "GetFile".into(),
                    params: vec![("Path".into(), "C:\\Windows\\Temp\\triage.zip".into())],
                },
            ]
        } else {
            Vec::new()
        };
        out.push(Action {
            id: rng.uuid(),
            kind,
            requestor,
            comment: format!("{} from the SOC queue", kind),
            device,
            created,
            scope: match kind {
                "Isolate" => Some("Full".into()),
                "RunAntiVirusScan" => Some("Quick".into()),
                _ => None,
            },
            sha1: (kind == "StopAndQuarantineFile").then(|| rng.hex(40)),
            commands,
            fixed: if status == "Cancelled" {
                None
            } else {
                Some((status, updated))
            },
            outcome: "Succeeded",
            cancel,
            external_id: None,
            queued_until: None,
        });
    }
    out.sort_by_key(|a| std::cmp::Reverse(a.created));
    out
}
