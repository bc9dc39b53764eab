//! Graph security incidents: rows that group alerts, serialised with Graph's camelCase enums.

use super::alert_json::{camel, graph_determination};
use super::alerts::Comment;
use super::catalog::{INCIDENT_STATUS, SEVERITY};
use crate::sim::clock::ts;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// One incident.
#[derive(Debug, Clone)]
pub struct Incident {
    pub id: u64,
    pub name: String,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub assigned_to: Option<String>,
    /// Index into `INCIDENT_STATUS`.
    pub status: u8,
    pub severity: u8,
    pub classification: Option<&'static str>,
    pub determination: Option<&'static str>,
    pub tags: Vec<String>,
    pub comments: Vec<Comment>,
    pub alerts: Vec<u32>,
    pub redirect: Option<u64>,
}

impl Incident {
    /// Graph `status`.
    pub fn status(&self) -> &'static str {
        INCIDENT_STATUS[self.status as usize]
    }
    /// Graph `severity`.
    pub fn severity(&self) -> String {
        camel(SEVERITY[self.severity as usize])
    }

    /// The Graph incident; `alerts` is `Some` when `$expand=alerts` was asked for.
    pub fn to_json(&self, tenant_id: &str, alerts: Option<Vec<Value>>) -> Value {
        let mut v = json!({
            "id": self.id.to_string(),
            "tenantId": tenant_id,
            "status": self.status(),
            "incidentWebUrl": format!("https://security.microsoft.com/incidents/{}?tid={tenant_id}", self.id),
            "redirectIncidentId": self.redirect.map(|r| r.to_string()),
            "displayName": self.name,
            "createdDateTime": ts(self.created),
            "lastUpdateDateTime": ts(self.updated),
            "assignedTo": self.assigned_to,
            "classification": self.classification.unwrap_or("unknown"),
            "determination": self.determination.map(graph_determination).unwrap_or_else(|| "unknown".into()),
            "severity": self.severity(),
            "customTags": self.tags,
            "systemTags": [],
            "description": null,
            "comments": self.comments.iter().map(|c| json!({"comment": c.text, "createdByDisplayName": c.by, "createdDateTime": ts(c.at)})).collect::<Vec<_>>(),
        });
        if let (Some(alerts), Value::Object(m)) = (alerts, &mut v) {
            m.insert("alerts".into(), Value::Array(alerts));
        }
        v
    }
}
