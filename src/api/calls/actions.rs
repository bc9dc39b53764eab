//! [`ActionRequest`]: every change socops can make to a tenant, as one value. The CLI, the
//! console, dry-run and the audit log all use it; it knows its method, path, exact body
//! (Microsoft's key casing), human label, risk and validation. It does not send itself:
//! `api::dispatch` is the one door for every write.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::encode_segment;
use super::indicators::{indicator_body, validate_indicator};
use super::live_response_command::LiveResponseCommandRequest;
use super::triage::{self, TriageChange, TriageEntity};
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::{
    ActionType, GraphAlert, Incident, IncidentComment, Indicator, MachineAction, NewIndicator,
};

/// A change to the tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action")]
pub enum ActionRequest {
    RunAntiVirusScan {
        machine_id: String,
        comment: String,
        full: bool,
    },
    Isolate {
        machine_id: String,
        comment: String,
        selective: bool,
    },
    Unisolate {
        machine_id: String,
        comment: String,
    },
    RestrictCodeExecution {
        machine_id: String,
        comment: String,
    },
    UnrestrictCodeExecution {
        machine_id: String,
        comment: String,
    },
    CollectInvestigationPackage {
        machine_id: String,
        comment: String,
    },
    StopAndQuarantineFile {
        machine_id: String,
        comment: String,
        sha1: String,
    },
    Offboard {
        machine_id: String,
        comment: String,
    },
    RunLiveResponse {
        machine_id: String,
        comment: String,
        commands: Vec<LiveResponseCommandRequest>,
    },
    CancelAction {
        action_id: String,
        comment: String,
    },
    AddIndicator {
        indicator: NewIndicator,
    },
    DeleteIndicator {
        id: String,
    },
    /// Graph triage: `PATCH /v1.0/security/{incidents|alerts_v2}/{id}` (see `triage`).
    Triage {
        entity: TriageEntity,
        id: String,
        change: TriageChange,
    },
    /// Graph triage: `POST /v1.0/security/{incidents|alerts_v2}/{id}/comments`.
    TriageComment {
        entity: TriageEntity,
        id: String,
        comment: String,
    },
}

/// What the service answered to an action.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionOutcome {
    MachineAction(MachineAction),
    Indicator(Indicator),
    Deleted,
    /// The updated incident, as Graph returned it.
    Incident(Box<Incident>),
    /// The updated alert, as Graph returned it.
    Alert(Box<GraphAlert>),
    /// The record's comments after a comment was added.
    Comments(Vec<IncidentComment>),
}

/// The longest comment socops sends with an action. Microsoft documents no limit; a comment
/// is a reason for the audit trail, and a megabyte pasted by mistake should be refused here,
/// before anything is sent, rather than by the service (or stored in every audit record).
pub(crate) const MAX_COMMENT_CHARS: usize = 1_000;

impl ActionRequest {
    /// HTTP method.
    pub fn method(&self) -> &'static str {
        match self {
            ActionRequest::DeleteIndicator { .. } => "DELETE",
            ActionRequest::Triage { .. } => "PATCH",
            _ => "POST",
        }
    }

    /// Which API (and token) the request goes to.
    pub fn resource(&self) -> Resource {
        match self {
            ActionRequest::Triage { .. } | ActionRequest::TriageComment { .. } => Resource::Graph,
            _ => Resource::Mde,
        }
    }

    /// Path after `/api/` (MDE) or `/v1.0/` (Graph, see [`ActionRequest::resource`]), ids
    /// percent-encoded.
    pub fn path(&self) -> String {
        match self {
            ActionRequest::Triage { entity, id, .. } => return entity.path(id),
            ActionRequest::TriageComment { entity, id, .. } => {
                return format!("{}/comments", entity.path(id));
            }
            _ => {}
        }
        if let Some(id) = self.target_machine() {
            let verb = match self {
                ActionRequest::RunAntiVirusScan { .. } => "runAntiVirusScan",
                ActionRequest::Isolate { .. } => "isolate",
                ActionRequest::Unisolate { .. } => "unisolate",
                ActionRequest::RestrictCodeExecution { .. } => "restrictCodeExecution",
                ActionRequest::UnrestrictCodeExecution { .. } => "unrestrictCodeExecution",
                ActionRequest::CollectInvestigationPackage { .. } => "collectInvestigationPackage",
                ActionRequest::StopAndQuarantineFile { .. } => "StopAndQuarantineFile",
                ActionRequest::Offboard { .. } => "offboard",
                _ => "runliveresponse",
            };
            return format!("machines/{}/{verb}", encode_segment(id.trim()));
        }
        match self {
            ActionRequest::CancelAction { action_id, .. } => {
                format!("machineactions/{}/cancel", encode_segment(action_id.trim()))
            }
            ActionRequest::DeleteIndicator { id } => {
                format!("indicators/{}", encode_segment(id.trim()))
            }
            _ => String::from("indicators"),
        }
    }

    /// The JSON body with Microsoft's exact key casing; `None` for DELETE.
    pub fn body(&self) -> Option<Value> {
        let body = match self {
            ActionRequest::RunAntiVirusScan { comment, full, .. } => json!({
                "Comment": comment,
                "ScanType": if *full { "Full" } else { "Quick" },
            }),
            ActionRequest::Isolate {
                comment, selective, ..
            } => json!({
                "Comment": comment,
                "IsolationType": if *selective { "Selective" } else { "Full" },
            }),
            ActionRequest::StopAndQuarantineFile { comment, sha1, .. } => json!({
                "Comment": comment,
                "Sha1": sha1.trim().to_ascii_lowercase(),
            }),
            ActionRequest::RunLiveResponse {
                comment, commands, ..
            } => json!({
                "Commands": commands.iter().map(LiveResponseCommandRequest::body).collect::<Vec<_>>(),
                "Comment": comment,
            }),
            ActionRequest::AddIndicator { indicator } => indicator_body(indicator),
            ActionRequest::DeleteIndicator { .. } => return None,
            ActionRequest::Triage { change, .. } => change.body(),
            ActionRequest::TriageComment { comment, .. } => triage::comment_body(comment),
            other => json!({ "Comment": other.comment().unwrap_or_default() }),
        };
        Some(body)
    }

    /// Human name of the action.
    pub fn label(&self) -> &'static str {
        match self {
            ActionRequest::RunAntiVirusScan { full: true, .. } => "Run full antivirus scan",
            ActionRequest::RunAntiVirusScan { .. } => "Run quick antivirus scan",
            ActionRequest::Isolate {
                selective: true, ..
            } => "Isolate device (selective)",
            ActionRequest::Isolate { .. } => "Isolate device",
            ActionRequest::Unisolate { .. } => "Release from isolation",
            ActionRequest::RestrictCodeExecution { .. } => "Restrict app execution",
            ActionRequest::UnrestrictCodeExecution { .. } => "Remove app restriction",
            ActionRequest::CollectInvestigationPackage { .. } => "Collect investigation package",
            ActionRequest::StopAndQuarantineFile { .. } => "Stop and quarantine file",
            ActionRequest::Offboard { .. } => "Offboard device",
            ActionRequest::RunLiveResponse { .. } => "Run live response",
            ActionRequest::CancelAction { .. } => "Cancel action",
            ActionRequest::AddIndicator { .. } => "Add indicator",
            ActionRequest::DeleteIndicator { .. } => "Delete indicator",
            ActionRequest::Triage {
                entity: TriageEntity::Incident,
                ..
            } => "Update incident",
            ActionRequest::Triage { .. } => "Update alert",
            ActionRequest::TriageComment {
                entity: TriageEntity::Incident,
                ..
            } => "Comment on incident",
            ActionRequest::TriageComment { .. } => "Comment on alert",
        }
    }

    /// The device the action is sent to, if any.
    pub fn target_machine(&self) -> Option<&str> {
        match self {
            ActionRequest::RunAntiVirusScan { machine_id, .. }
            | ActionRequest::Isolate { machine_id, .. }
            | ActionRequest::Unisolate { machine_id, .. }
            | ActionRequest::RestrictCodeExecution { machine_id, .. }
            | ActionRequest::UnrestrictCodeExecution { machine_id, .. }
            | ActionRequest::CollectInvestigationPackage { machine_id, .. }
            | ActionRequest::StopAndQuarantineFile { machine_id, .. }
            | ActionRequest::Offboard { machine_id, .. }
            | ActionRequest::RunLiveResponse { machine_id, .. } => Some(machine_id.as_str()),
            _ => None,
        }
    }

    /// The operator's comment, where the action has one.
    pub fn comment(&self) -> Option<&str> {
        match self {
            ActionRequest::RunAntiVirusScan { comment, .. }
            | ActionRequest::Isolate { comment, .. }
            | ActionRequest::Unisolate { comment, .. }
            | ActionRequest::RestrictCodeExecution { comment, .. }
            | ActionRequest::UnrestrictCodeExecution { comment, .. }
            | ActionRequest::CollectInvestigationPackage { comment, .. }
            | ActionRequest::StopAndQuarantineFile { comment, .. }
            | ActionRequest::Offboard { comment, .. }
            | ActionRequest::RunLiveResponse { comment, .. }
            | ActionRequest::CancelAction { comment, .. }
            | ActionRequest::TriageComment { comment, .. } => Some(comment.as_str()),
            // The indicator's description is the operator's why.
            ActionRequest::AddIndicator { indicator } => Some(indicator.description.as_str()),
            ActionRequest::DeleteIndicator { .. } | ActionRequest::Triage { .. } => None,
        }
    }

    /// What the audit log keeps as the intent's comment: the operator's comment, or for a
    /// triage update the fields it changes (`status → resolved, …`).
    pub(crate) fn audit_note(&self) -> String {
        match self {
            ActionRequest::Triage { change, .. } => change.summary(),
            other => other.comment().unwrap_or_default().to_string(),
        }
    }

    /// What the audit record names as the targets when the caller names none: an indicator's
    /// value, type, action and title; a deleted indicator's id.
    pub(crate) fn audit_targets(&self) -> Vec<String> {
        match self {
            ActionRequest::AddIndicator { indicator: i } => vec![
                i.indicator_value.trim().to_string(),
                i.indicator_type.to_string(),
                i.action.to_string(),
                i.title.clone(),
            ],
            ActionRequest::DeleteIndicator { id } => vec![format!("indicator {id}")],
            _ => Vec::new(),
        }
    }

    /// Actions that cut a device off, stop software, remove a device or undo protection:
    /// these ask for an explicit confirmation. Device actions take the rule from the
    /// catalogue (`api::catalog`); cancelling and deleting an indicator undo protection.
    pub fn is_destructive(&self) -> bool {
        match self {
            ActionRequest::CancelAction { .. } | ActionRequest::DeleteIndicator { .. } => true,
            other => crate::api::catalog::entry_of(other).is_some_and(|e| e.destructive),
        }
    }

    /// The machine-action type this request creates (for the duplicate guard).
    pub fn expected_action_type(&self) -> Option<ActionType> {
        Some(match self {
            ActionRequest::RunAntiVirusScan { .. } => ActionType::RunAntiVirusScan,
            ActionRequest::Isolate { .. } => ActionType::Isolate,
            ActionRequest::Unisolate { .. } => ActionType::Unisolate,
            ActionRequest::RestrictCodeExecution { .. } => ActionType::RestrictCodeExecution,
            ActionRequest::UnrestrictCodeExecution { .. } => ActionType::UnrestrictCodeExecution,
            ActionRequest::CollectInvestigationPackage { .. } => {
                ActionType::CollectInvestigationPackage
            }
            ActionRequest::StopAndQuarantineFile { .. } => ActionType::StopAndQuarantineFile,
            ActionRequest::Offboard { .. } => ActionType::Offboard,
            ActionRequest::RunLiveResponse { .. } => ActionType::LiveResponse,
            _ => return None,
        })
    }

    /// Check the request before anything is sent or audited as sent.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(c) = self.comment()
            && c.trim().is_empty()
        {
            return Err(format!("{}: a comment is required", self.label()));
        }
        if let Some(c) = self.comment()
            && c.chars().count() > MAX_COMMENT_CHARS
        {
            return Err(format!(
                "{}: the comment has {} characters; socops sends at most {MAX_COMMENT_CHARS}",
                self.label(),
                c.chars().count()
            ));
        }
        if let Some(m) = self.target_machine()
            && m.trim().is_empty()
        {
            return Err(format!("{}: no device given", self.label()));
        }
        // An id of `.` or `..` would turn the request's path into another one (the
        // indicators collection, `machineactions/cancel`): no record has such an id.
        let path_id = match self {
            ActionRequest::CancelAction { action_id, .. } => Some(action_id.as_str()),
            ActionRequest::DeleteIndicator { id } => Some(id.as_str()),
            _ => self.target_machine(),
        };
        if let Some(id) = path_id
            && super::is_dot_segment(id.trim())
        {
            return Err(format!(
                "{}: '{}' is not an id",
                self.label(),
                crate::text::line(id.trim())
            ));
        }
        match self {
            ActionRequest::StopAndQuarantineFile { sha1, .. } if !is_hex(sha1.trim(), 40) => {
                Err(format!(
                    "'{}' is not a SHA-1 (40 hexadecimal characters)",
                    sha1.trim()
                ))
            }
            ActionRequest::RunLiveResponse { commands, .. } => {
                if commands.is_empty() {
                    return Err("live response: no command given".into());
                }
                commands.iter().try_for_each(|c| c.validate())
            }
            ActionRequest::CancelAction { action_id, .. } if action_id.trim().is_empty() => {
                Err("cancel: no action id given".into())
            }
            ActionRequest::DeleteIndicator { id } if id.trim().is_empty() => {
                Err("delete indicator: no indicator id given".into())
            }
            ActionRequest::AddIndicator { indicator } => validate_indicator(indicator),
            ActionRequest::Triage { entity, id, .. }
            | ActionRequest::TriageComment { entity, id, .. }
                if id.trim().is_empty() =>
            {
                Err(format!("{}: no id given", entity.noun()))
            }
            ActionRequest::Triage { entity, change, .. } => change.validate(*entity),
            _ => Ok(()),
        }
    }
}

impl ActionOutcome {
    /// The service's answer to `req`, typed as what `req` creates (`raw` is `None` for a
    /// 204 No Content).
    pub fn decode(req: &ActionRequest, raw: Option<&str>) -> Result<ActionOutcome, ApiError> {
        let malformed = |e: serde_json::Error| ApiError::Malformed {
            service: crate::api::Service::Mde,
            detail: e.to_string(),
        };
        let graph_malformed = |e: serde_json::Error| ApiError::Malformed {
            service: crate::api::Service::Graph,
            detail: e.to_string(),
        };
        let text = match (req, raw) {
            (ActionRequest::DeleteIndicator { .. }, _) => return Ok(ActionOutcome::Deleted),
            (_, Some(t)) => t,
            (_, None) => "null",
        };
        match req {
            ActionRequest::AddIndicator { .. } => serde_json::from_str(text)
                .map(ActionOutcome::Indicator)
                .map_err(malformed),
            ActionRequest::Triage {
                entity: TriageEntity::Incident,
                ..
            } => serde_json::from_str(text)
                .map(|i| ActionOutcome::Incident(Box::new(i)))
                .map_err(graph_malformed),
            ActionRequest::Triage { .. } => serde_json::from_str(text)
                .map(|a| ActionOutcome::Alert(Box::new(a)))
                .map_err(graph_malformed),
            ActionRequest::TriageComment { .. } => serde_json::from_str::<Value>(text)
                .map(|v| ActionOutcome::Comments(triage::comments_of(&v)))
                .map_err(graph_malformed),
            _ => serde_json::from_str(text)
                .map(ActionOutcome::MachineAction)
                .map_err(malformed),
        }
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.chars().all(|c| c.is_ascii_hexdigit())
}
