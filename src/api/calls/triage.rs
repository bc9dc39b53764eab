//! Triage writes through Microsoft Graph v1.0: `PATCH /security/incidents/{id}`,
//! `PATCH /security/alerts_v2/{id}` (only the changed fields, camelCase keys and values) and
//! `POST …/{id}/comments` with an `alertComment`. The [`super::ActionRequest`] variants
//! `Triage` and `TriageComment` carry these values through the one write pipeline.
//!
//! Also here: the snapshot of what an analyst saw ([`TriageView`]) and the comparison that
//! tells them another analyst changed the record meanwhile ([`TriageView::changes_since`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::encode_segment;
use crate::api::client::Client;
use crate::api::cloud::Resource;
use crate::api::error::ApiError;
use crate::api::model::graph_enums::check_pair;
use crate::api::model::{
    GraphAlert, GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus,
    Incident, IncidentComment,
};

/// What is triaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageEntity {
    Incident,
    Alert,
}

impl TriageEntity {
    /// The collection path under `/v1.0/`.
    pub fn collection(self) -> &'static str {
        match self {
            TriageEntity::Incident => "security/incidents",
            TriageEntity::Alert => "security/alerts_v2",
        }
    }

    /// `incident` / `alert`.
    pub fn noun(self) -> &'static str {
        match self {
            TriageEntity::Incident => "incident",
            TriageEntity::Alert => "alert",
        }
    }

    /// `/v1.0/` path of one record.
    pub fn path(self, id: &str) -> String {
        format!("{}/{}", self.collection(), encode_segment(id.trim()))
    }
}

/// A new status: incidents and alerts have different lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageStatus {
    Incident(GraphIncidentStatus),
    Alert(GraphAlertStatus),
}

impl TriageStatus {
    /// Graph's spelling.
    pub fn wire(self) -> &'static str {
        match self {
            TriageStatus::Incident(s) => s.wire(),
            TriageStatus::Alert(s) => s.wire(),
        }
    }

    /// Read `text` as a status of `entity` (case-insensitive); the error lists the values.
    pub fn parse(entity: TriageEntity, text: &str) -> Result<Self, String> {
        match entity {
            TriageEntity::Incident => GraphIncidentStatus::parse(text)
                .map(TriageStatus::Incident)
                .map_err(|e| e.to_string()),
            TriageEntity::Alert => GraphAlertStatus::parse(text)
                .map(TriageStatus::Alert)
                .map_err(|e| e.to_string()),
        }
    }

    /// Whether an analyst may set it (Graph sets `redirected`, reports `unknown`).
    pub(crate) fn settable(self) -> bool {
        match self {
            TriageStatus::Incident(s) => GraphIncidentStatus::SETTABLE.contains(&s),
            TriageStatus::Alert(s) => GraphAlertStatus::SETTABLE.contains(&s),
        }
    }

    /// The values an analyst may set on `entity`.
    pub(crate) fn settable_values(entity: TriageEntity) -> Vec<&'static str> {
        match entity {
            TriageEntity::Incident => GraphIncidentStatus::SETTABLE
                .iter()
                .map(|s| s.wire())
                .collect(),
            TriageEntity::Alert => GraphAlertStatus::SETTABLE
                .iter()
                .map(|s| s.wire())
                .collect(),
        }
    }
}

/// The new owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    /// A UPN (Graph keeps `assignedTo` as free text; the portal writes UPNs).
    To(String),
    /// No owner: `"assignedTo": null` ("null if no owner is assigned", incident resource).
    Nobody,
}

/// The fields a triage PATCH changes; `None` = leave as is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TriageChange {
    #[serde(default)]
    pub status: Option<TriageStatus>,
    #[serde(default)]
    pub assigned_to: Option<Assignee>,
    #[serde(default)]
    pub classification: Option<GraphClassification>,
    #[serde(default)]
    pub determination: Option<GraphDetermination>,
    /// The whole new tag list (a PATCH replaces the collection): the caller merges the
    /// record's current tags with the added ones. Incidents only.
    #[serde(default)]
    pub custom_tags: Option<Vec<String>>,
}

impl TriageChange {
    /// Nothing to send.
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.assigned_to.is_none()
            && self.classification.is_none()
            && self.determination.is_none()
            && self.custom_tags.is_none()
    }

    /// The PATCH body: only the changed fields, Graph's camelCase keys and values.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        if let Some(s) = self.status {
            m.insert("status".into(), json!(s.wire()));
        }
        match &self.assigned_to {
            Some(Assignee::To(upn)) => {
                m.insert("assignedTo".into(), json!(upn.trim()));
            }
            Some(Assignee::Nobody) => {
                m.insert("assignedTo".into(), Value::Null);
            }
            None => {}
        }
        if let Some(c) = self.classification {
            m.insert("classification".into(), json!(c.wire()));
        }
        if let Some(d) = self.determination {
            m.insert("determination".into(), json!(d.wire()));
        }
        if let Some(tags) = &self.custom_tags {
            m.insert("customTags".into(), json!(tags));
        }
        Value::Object(m)
    }

    /// One line for prompts and the audit log: `status → resolved, classification → …`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.status {
            parts.push(format!("status → {}", s.wire()));
        }
        match &self.assigned_to {
            Some(Assignee::To(u)) => parts.push(format!("assigned to → {}", u.trim())),
            Some(Assignee::Nobody) => parts.push("assigned to → nobody".into()),
            None => {}
        }
        if let Some(c) = self.classification {
            parts.push(format!("classification → {}", c.wire()));
        }
        if let Some(d) = self.determination {
            parts.push(format!("determination → {}", d.wire()));
        }
        if let Some(t) = &self.custom_tags {
            parts.push(format!("tags → [{}]", t.join(", ")));
        }
        parts.join(", ")
    }

    /// Check before anything is sent.
    pub fn validate(&self, entity: TriageEntity) -> Result<(), String> {
        if self.is_empty() {
            return Err(format!("{} update: nothing to change", entity.noun()));
        }
        if let Some(s) = self.status {
            let matches_entity = matches!(
                (entity, s),
                (TriageEntity::Incident, TriageStatus::Incident(_))
                    | (TriageEntity::Alert, TriageStatus::Alert(_))
            );
            if !matches_entity || !s.settable() {
                return Err(format!(
                    "status '{}' cannot be set on an {}; use one of: {}",
                    s.wire(),
                    entity.noun(),
                    TriageStatus::settable_values(entity).join(", ")
                ));
            }
        }
        if let Some(Assignee::To(u)) = &self.assigned_to
            && u.trim().is_empty()
        {
            return Err("assign: no name given (use unassign to clear the owner)".into());
        }
        if entity == TriageEntity::Alert && self.custom_tags.is_some() {
            return Err("alerts have no custom tags in Graph; tag the incident instead".into());
        }
        if let Some(tags) = &self.custom_tags
            && tags.iter().any(|t| t.trim().is_empty())
        {
            return Err("a tag cannot be empty".into());
        }
        if let Some(d) = self.determination
            && d.is_deprecated()
        {
            return Err(format!(
                "determination '{}' was withdrawn for new triage",
                d.wire()
            ));
        }
        check_pair(self.classification, self.determination, None)
    }
}

/// The body of `POST …/comments`.
pub(crate) fn comment_body(comment: &str) -> Value {
    json!({
        "@odata.type": "microsoft.graph.security.alertComment",
        "comment": comment,
    })
}

/// The comments in a `POST …/comments` answer: Graph answers the record's comment
/// collection (`{"value": […]}`); a bare array or a single comment is read too.
pub(crate) fn comments_of(v: &Value) -> Vec<IncidentComment> {
    let items = match v {
        Value::Object(m) if m.contains_key("value") => m["value"].clone(),
        Value::Object(_) => Value::Array(vec![v.clone()]),
        other => other.clone(),
    };
    serde_json::from_value(items).unwrap_or_default()
}

/// What the analyst saw of a record when they chose the change: the fields two analysts
/// would overwrite each other on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageView {
    pub status: Option<String>,
    pub assigned_to: Option<String>,
    pub classification: Option<String>,
    pub determination: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

fn norm(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("unknown"))
        .map(str::to_string)
}

impl TriageView {
    pub fn of_incident(i: &Incident) -> Self {
        TriageView {
            status: i
                .status
                .as_ref()
                .map(|s| GraphIncidentStatus::from_open(s).map_or(s.camel(), |g| g.wire().into())),
            assigned_to: norm(i.assigned_to.as_deref()),
            classification: norm(
                i.classification
                    .as_ref()
                    .and_then(GraphClassification::from_open)
                    .map(|c| c.wire()),
            ),
            determination: norm(
                i.determination
                    .as_ref()
                    .and_then(GraphDetermination::from_open)
                    .map(|d| d.wire()),
            ),
            tags: i.all_tags().into_iter().map(str::to_string).collect(),
        }
    }

    pub(crate) fn of_alert(a: &GraphAlert) -> Self {
        TriageView {
            status: a
                .status
                .as_ref()
                .map(|s| GraphAlertStatus::from_open(s).map_or(s.camel(), |g| g.wire().into())),
            assigned_to: norm(a.assigned_to.as_deref()),
            classification: norm(
                a.classification
                    .as_ref()
                    .and_then(GraphClassification::from_open)
                    .map(|c| c.wire()),
            ),
            determination: norm(
                a.determination
                    .as_ref()
                    .and_then(GraphDetermination::from_open)
                    .map(|d| d.wire()),
            ),
            tags: Vec::new(),
        }
    }

    /// What another hand changed between `self` (loaded earlier) and `now` (just re-read):
    /// status, owner and classification, as `field: before → now` lines. Empty when the
    /// record is as the analyst saw it.
    pub(crate) fn changes_since(&self, now: &TriageView) -> Vec<String> {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
        let mut out = Vec::new();
        for (name, a, b) in [
            ("status", &self.status, &now.status),
            ("assigned to", &self.assigned_to, &now.assigned_to),
            ("classification", &self.classification, &now.classification),
        ] {
            let same = match (a, b) {
                (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                (None, None) => true,
                _ => false,
            };
            if !same {
                out.push(format!("{name}: {} → {}", show(a), show(b)));
            }
        }
        out
    }
}

/// Who "me" is for "assign to me": the signed-in person (the token source's operator, a
/// UPN, when it is not an app), else the profile's `analyst`. `None`: ask, once.
pub fn me(operator: &str, analyst: Option<&str>) -> Option<String> {
    let op = operator.trim();
    let person = !op.is_empty() && !op.starts_with("app ") && op.contains('@');
    if person {
        return Some(op.to_string());
    }
    analyst
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
}

/// `GET /v1.0/security/alerts_v2/{id}`.
pub async fn graph_alert(client: &Client, id: &str) -> Result<GraphAlert, ApiError> {
    client
        .get(Resource::Graph, &TriageEntity::Alert.path(id))
        .await
}

/// Re-read the record and describe it as a [`TriageView`].
pub(crate) async fn current_view(
    client: &Client,
    entity: TriageEntity,
    id: &str,
) -> Result<TriageView, ApiError> {
    Ok(match entity {
        TriageEntity::Incident => {
            TriageView::of_incident(&super::incident(client, id, false).await?)
        }
        TriageEntity::Alert => TriageView::of_alert(&graph_alert(client, id).await?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_holds_only_the_changed_fields() {
        let c = TriageChange {
            status: Some(TriageStatus::Incident(GraphIncidentStatus::Resolved)),
            assigned_to: Some(Assignee::Nobody),
            ..Default::default()
        };
        assert_eq!(c.body(), json!({"status": "resolved", "assignedTo": null}));
        assert!(c.validate(TriageEntity::Incident).is_ok());
    }

    #[test]
    fn validation_refuses_what_graph_would() {
        let empty = TriageChange::default();
        assert!(empty.validate(TriageEntity::Incident).is_err());
        let wrong = TriageChange {
            status: Some(TriageStatus::Alert(GraphAlertStatus::New)),
            ..Default::default()
        };
        assert!(wrong.validate(TriageEntity::Incident).is_err());
        let redirected = TriageChange {
            status: Some(TriageStatus::Incident(GraphIncidentStatus::Redirected)),
            ..Default::default()
        };
        let e = redirected.validate(TriageEntity::Incident).unwrap_err();
        assert!(e.contains("active, inProgress, resolved"), "{e}");
        let tags = TriageChange {
            custom_tags: Some(vec!["x".into()]),
            ..Default::default()
        };
        assert!(tags.validate(TriageEntity::Alert).is_err());
        let pair = TriageChange {
            classification: Some(GraphClassification::FalsePositive),
            determination: Some(GraphDetermination::Malware),
            ..Default::default()
        };
        assert!(pair.validate(TriageEntity::Alert).is_err());
    }

    #[test]
    fn me_is_the_signed_in_person_or_the_profile_analyst() {
        assert_eq!(
            me("ana@contoso.com", Some("x@y")).as_deref(),
            Some("ana@contoso.com")
        );
        assert_eq!(
            me("app 1111-2222", Some(" soc@contoso.com ")).as_deref(),
            Some("soc@contoso.com")
        );
        assert_eq!(me("app 1111-2222", None), None);
        assert_eq!(me("app 1111-2222", Some("  ")), None);
    }

    #[test]
    fn changes_since_names_what_another_analyst_changed() {
        let before = TriageView {
            status: Some("active".into()),
            assigned_to: None,
            classification: None,
            ..Default::default()
        };
        let mut now = before.clone();
        assert!(before.changes_since(&now).is_empty());
        now.assigned_to = Some("bob@contoso.com".into());
        now.status = Some("inProgress".into());
        assert_eq!(
            before.changes_since(&now),
            [
                "status: active → inProgress",
                "assigned to: — → bob@contoso.com"
            ]
        );
    }
}
