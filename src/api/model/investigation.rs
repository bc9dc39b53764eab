//! An automated investigation (AIR, `/api/investigations`), including those waiting for
//! approval in the portal's Action center.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::de;
use crate::open_enum;

open_enum! {
    /// State of an automated investigation (also an alert's `investigationState`).
    pub enum InvestigationState {
        Unknown = "Unknown",
        Terminated = "Terminated",
        SuccessfullyRemediated = "SuccessfullyRemediated",
        Benign = "Benign",
        Failed = "Failed",
        PartiallyRemediated = "PartiallyRemediated",
        Running = "Running",
        PendingApproval = "PendingApproval",
        PendingResource = "PendingResource",
        PartiallyInvestigated = "PartiallyInvestigated",
        TerminatedByUser = "TerminatedByUser",
        TerminatedBySystem = "TerminatedBySystem",
        Queued = "Queued",
        InnerFailure = "InnerFailure",
        PreexistingAlert = "PreexistingAlert",
        UnsupportedOs = "UnsupportedOs",
        UnsupportedAlertType = "UnsupportedAlertType",
        SuppressedAlert = "SuppressedAlert",
        Disabled = "Disabled",
    }
}

impl InvestigationState {
    /// Still running or waiting (anything that may change without the operator).
    pub fn is_active(&self) -> bool {
        matches!(
            self,
            InvestigationState::Running
                | InvestigationState::Queued
                | InvestigationState::PendingApproval
                | InvestigationState::PendingResource
        )
    }
}

/// An automated investigation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Investigation {
    /// Numeric string (`"63004"`); numbers are accepted too.
    #[serde(deserialize_with = "de::id")]
    pub id: String,
    #[serde(deserialize_with = "de::datetime")]
    pub start_time: Option<DateTime<Utc>>,
    /// Null while running.
    #[serde(deserialize_with = "de::datetime")]
    pub end_time: Option<DateTime<Utc>>,
    pub state: Option<InvestigationState>,
    pub cancelled_by: Option<String>,
    pub status_details: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub machine_id: Option<String>,
    pub computer_dns_name: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub triggering_alert_id: Option<String>,
}

impl Investigation {
    /// Whether the investigation waits for an approval in the portal.
    pub fn is_pending_approval(&self) -> bool {
        self.state == Some(InvestigationState::PendingApproval)
    }

    /// Device host name before the first dot, else the machine id, else "?".
    pub fn device_label(&self) -> &str {
        match self.computer_dns_name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n),
            _ => self.machine_id.as_deref().unwrap_or("?"),
        }
    }
}
