//! A Graph security incident (`/security/incidents`, optionally `$expand=alerts`). The XDR
//! incident spellings (`incidentId`, `incidentName`, `createdTime`, `tags`) are accepted too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::alert::{AlertSeverity, Classification, Determination};
use super::de;
use super::graph_alert::GraphAlert;
use crate::open_enum;

open_enum! {
    /// Incident status (Graph camelCase, XDR PascalCase).
    pub enum IncidentStatus {
        Active = "Active",
        InProgress = "InProgress",
        Resolved = "Resolved",
        Redirected = "Redirected",
        AwaitingAction = "AwaitingAction",
        UnknownFutureValue = "UnknownFutureValue",
    }
}

impl IncidentStatus {
    /// Not resolved or redirected: the one rule for a typed incident and a digest snapshot's
    /// status text alike.
    pub fn is_open(&self) -> bool {
        !matches!(self, IncidentStatus::Resolved | IncidentStatus::Redirected)
    }
}

/// A comment on an incident or a Graph alert. Both the current
/// (`createdByDisplayName`/`createdDateTime`) and the old (`createdBy`/`createdTime`)
/// spellings are kept; use [`IncidentComment::author`] and [`IncidentComment::time`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IncidentComment {
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by_display_name: Option<String>,
    #[serde(
        deserialize_with = "de::datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(
        deserialize_with = "de::datetime",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_time: Option<DateTime<Utc>>,
}

impl IncidentComment {
    /// Who wrote it, under either spelling.
    pub fn author(&self) -> Option<&str> {
        self.created_by_display_name
            .as_deref()
            .or(self.created_by.as_deref())
    }

    /// When it was written, under either spelling.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        self.created_date_time.or(self.created_time)
    }
}

/// An incident.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Incident {
    /// A string in Graph, a number in XDR (`incidentId`).
    #[serde(alias = "incidentId", deserialize_with = "de::id")]
    pub id: String,
    pub tenant_id: Option<String>,
    pub status: Option<IncidentStatus>,
    pub incident_web_url: Option<String>,
    #[serde(deserialize_with = "de::opt_id")]
    pub redirect_incident_id: Option<String>,
    #[serde(alias = "incidentName")]
    pub display_name: Option<String>,
    pub description: Option<String>,
    #[serde(alias = "createdTime", deserialize_with = "de::datetime")]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(alias = "lastUpdateTime", deserialize_with = "de::datetime")]
    pub last_update_date_time: Option<DateTime<Utc>>,
    pub assigned_to: Option<String>,
    pub classification: Option<Classification>,
    pub determination: Option<Determination>,
    pub severity: Option<AlertSeverity>,
    /// Graph's tags.
    #[serde(deserialize_with = "de::vec")]
    pub custom_tags: Vec<String>,
    /// XDR's tags (kept apart; see [`Incident::all_tags`]).
    #[serde(deserialize_with = "de::vec", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub system_tags: Vec<String>,
    #[serde(deserialize_with = "de::vec")]
    pub comments: Vec<IncidentComment>,
    /// `None` unless requested with `$expand=alerts`.
    pub alerts: Option<Vec<GraphAlert>>,
}

impl Incident {
    /// Custom and XDR tags together, without duplicates.
    pub fn all_tags(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in self.custom_tags.iter().chain(self.tags.iter()) {
            if !out.contains(&t.as_str()) {
                out.push(t.as_str());
            }
        }
        out
    }

    /// Severity rank for sorting.
    pub fn severity_rank(&self) -> u8 {
        self.severity.as_ref().map_or(0, AlertSeverity::rank)
    }

    /// Not resolved or redirected ([`IncidentStatus::is_open`]; no status is open).
    pub fn is_open(&self) -> bool {
        self.status.as_ref().is_none_or(IncidentStatus::is_open)
    }
}
