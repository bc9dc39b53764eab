//! A machine action (`/api/machineactions`): the asynchronous record of a response action
//! (scan, isolate, live response …) from `Pending` to a terminal status.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;
use crate::open_enum;

open_enum! {
    /// Kind of machine action (open: troubleshoot and newer types exist).
    pub enum ActionType {
        RunAntiVirusScan = "RunAntiVirusScan",
        Offboard = "Offboard",
        LiveResponse = "LiveResponse",
        CollectInvestigationPackage = "CollectInvestigationPackage",
        Isolate = "Isolate",
        Unisolate = "Unisolate",
        StopAndQuarantineFile = "StopAndQuarantineFile",
        RestrictCodeExecution = "RestrictCodeExecution",
        UnrestrictCodeExecution = "UnrestrictCodeExecution",
    }
}

open_enum! {
    /// Progress of a machine action.
    pub enum ActionStatus {
        Pending = "Pending",
        InProgress = "InProgress",
        Succeeded = "Succeeded",
        Failed = "Failed",
        TimeOut = "TimeOut",
        Cancelled = "Cancelled",
    }
}

open_enum! {
    /// Progress of one live-response command.
    pub enum CommandStatus {
        Created = "Created",
        InProgress = "InProgress",
        Completed = "Completed",
        Failed = "Failed",
    }
}

impl ActionStatus {
    /// The states of an action the device has not finished: the duplicate guard, the
    /// digest and the console's Pending view all wait on these (`crate::predicates`).
    pub const WAITING: [ActionStatus; 2] = [ActionStatus::Pending, ActionStatus::InProgress];

    /// Pending or InProgress ([`ActionStatus::WAITING`]).
    pub fn is_waiting(&self) -> bool {
        Self::WAITING.contains(self)
    }

    /// Succeeded, Failed, TimeOut and Cancelled end an action; polling stops there.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            ActionStatus::Succeeded
                | ActionStatus::Failed
                | ActionStatus::TimeOut
                | ActionStatus::Cancelled
        )
    }
}

/// The file an action is about (stop and quarantine).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RelatedFileInfo {
    pub file_identifier: Option<String>,
    /// `Sha1`, `Sha256` or `Md5`.
    pub file_identifier_type: Option<String>,
}

/// One `key`/`value` parameter of a live-response command.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandParam {
    #[serde(deserialize_with = "de::opt_id")]
    pub key: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub value: Option<String>,
}

/// The command as requested: `RunScript`, `GetFile`, `PutFile`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandSpec {
    #[serde(rename = "type")]
    pub command_type: Option<String>,
    #[serde(deserialize_with = "de::vec")]
    pub params: Vec<CommandParam>,
}

impl CommandSpec {
    /// Value of a parameter by key (case-insensitive).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| {
                p.key
                    .as_deref()
                    .is_some_and(|k| k.eq_ignore_ascii_case(key))
            })
            .and_then(|p| p.value.as_deref())
    }
}

/// One command of a live-response action, with its progress.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LiveResponseCommand {
    #[serde(deserialize_with = "de::opt_i64")]
    pub index: Option<i64>,
    #[serde(deserialize_with = "de::datetime")]
    pub start_time: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "de::datetime")]
    pub end_time: Option<DateTime<Utc>>,
    pub command_status: Option<CommandStatus>,
    /// Error entries as sent (their shape is undocumented).
    #[serde(deserialize_with = "de::vec")]
    pub errors: Vec<serde_json::Value>,
    pub command: Option<CommandSpec>,
}

impl LiveResponseCommand {
    /// The errors as readable text.
    pub(crate) fn error_texts(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| match e {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    }
}

/// A machine action as MDE returns it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MachineAction {
    /// GUID.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(rename = "type")]
    pub action_type: Option<ActionType>,
    pub title: Option<String>,
    /// UPN, app display name or app GUID.
    pub requestor: Option<String>,
    pub requestor_comment: Option<String>,
    pub status: Option<ActionStatus>,
    #[serde(deserialize_with = "de::opt_id")]
    pub machine_id: Option<String>,
    /// May be null while pending.
    pub computer_dns_name: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub creation_date_time_utc: Option<DateTime<Utc>>,
    /// Documented spelling; see [`MachineAction::last_update`].
    #[serde(deserialize_with = "de::datetime")]
    pub last_update_date_time_utc: Option<DateTime<Utc>>,
    /// Spelling of some doc samples; kept apart so a record with both still parses.
    #[serde(
        deserialize_with = "de::datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_update_time_utc: Option<DateTime<Utc>>,
    pub cancellation_requestor: Option<String>,
    pub cancellation_comment: Option<String>,
    #[serde(deserialize_with = "de::datetime")]
    pub cancellation_date_time_utc: Option<DateTime<Utc>>,
    /// 0 = fine.
    #[serde(deserialize_with = "de::opt_i64")]
    pub error_h_result: Option<i64>,
    /// `Full`/`Selective` for isolation, `Quick`/`Full` for scans.
    pub scope: Option<String>,
    pub external_id: Option<String>,
    pub request_source: Option<String>,
    pub related_file_info: Option<RelatedFileInfo>,
    #[serde(deserialize_with = "de::vec")]
    pub commands: Vec<LiveResponseCommand>,
    pub troubleshoot_info: Option<serde_json::Value>,
}

impl MachineAction {
    /// Last update under either field spelling.
    pub fn last_update(&self) -> Option<DateTime<Utc>> {
        self.last_update_date_time_utc.or(self.last_update_time_utc)
    }

    /// Whether the action has ended (unknown status counts as not ended).
    pub fn is_terminal(&self) -> bool {
        self.status.as_ref().is_some_and(ActionStatus::is_terminal)
    }

    /// Device host name before the first dot, else the machine id, else "?".
    pub fn device_label(&self) -> &str {
        match self.computer_dns_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n),
            _ => self.machine_id.as_deref().unwrap_or("?"),
        }
    }

    /// Type text for display ("?" when absent).
    pub(crate) fn type_label(&self) -> &str {
        self.action_type.as_ref().map_or("?", ActionType::as_str)
    }

    /// Status text for display ("?" when absent).
    pub(crate) fn status_label(&self) -> &str {
        self.status.as_ref().map_or("?", ActionStatus::as_str)
    }
}
