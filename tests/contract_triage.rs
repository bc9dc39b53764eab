//! Contract tests for Graph triage writes on loopback (wiremock): exact method, path and
//! body of the incident/alert PATCH and comment POSTs, what comes back, the 403 hint, and
//! the write pipeline around them (read-only refuses, a dry run shows the Graph request).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;

use std::sync::{Arc, Mutex};

use door::SendThroughDispatch;

use serde_json::{Value, json};
use socops::api::auth::StaticToken;
use socops::api::calls::{
    ActionOutcome, ActionRequest, Assignee, TriageChange, TriageEntity, TriageStatus,
};
use socops::api::dispatch::{
    self, AuditIntent, AuditOutcome, AuditSink, DispatchError, Mode, Origin, Prepared,
};
use socops::api::model::{
    GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus,
};
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    let uri = server.uri();
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&uri), Some(&uri), Some(&uri)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

/// Expect exactly one request with this method, path and body; answer `answer`.
async fn expect(server: &MockServer, m: &str, p: &str, body: Value, answer: Value) {
    Mock::given(method(m))
        .and(path(p))
        .and(header("authorization", "Bearer tok"))
        .and(header("content-type", "application/json"))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(server)
        .await;
}

fn incident_update() -> ActionRequest {
    ActionRequest::Triage {
        entity: TriageEntity::Incident,
        id: "2972395".into(),
        change: TriageChange {
            status: Some(TriageStatus::Incident(GraphIncidentStatus::Resolved)),
            assigned_to: Some(Assignee::To("ana@contoso.com".into())),
            classification: Some(GraphClassification::TruePositive),
            determination: Some(GraphDetermination::MultiStagedAttack),
            custom_tags: Some(vec!["Demo".into()]),
        },
    }
}

#[tokio::test]
async fn incident_patch_sends_only_the_changed_fields_in_graph_spelling() {
    let server = MockServer::start().await;
    expect(
        &server,
        "PATCH",
        "/v1.0/security/incidents/2972395",
        json!({"status": "resolved", "assignedTo": "ana@contoso.com",
               "classification": "truePositive", "determination": "multiStagedAttack",
               "customTags": ["Demo"]}),
        json!({"id": "2972395", "status": "resolved", "assignedTo": "ana@contoso.com",
               "classification": "truePositive", "determination": "multiStagedAttack",
               "customTags": ["Demo"], "lastUpdateDateTime": "2026-12-01T10:00:00Z"}),
    )
    .await;
    let out = incident_update()
        .send(&client(&server))
        .await
        .expect("sent");
    let ActionOutcome::Incident(i) = out else {
        panic!("not an incident: {out:?}")
    };
    assert_eq!(i.assigned_to.as_deref(), Some("ana@contoso.com"));
    assert_eq!(i.custom_tags, ["Demo"]);

    // A single field: nothing else goes in the body.
    let server = MockServer::start().await;
    expect(
        &server,
        "PATCH",
        "/v1.0/security/incidents/7",
        json!({"assignedTo": null}),
        json!({"id": "7", "assignedTo": null}),
    )
    .await;
    ActionRequest::Triage {
        entity: TriageEntity::Incident,
        id: "7".into(),
        change: TriageChange {
            assigned_to: Some(Assignee::Nobody),
            ..Default::default()
        },
    }
    .send(&client(&server))
    .await
    .expect("unassigned");
}

#[tokio::test]
async fn comments_post_an_alert_comment_to_the_record() {
    let server = MockServer::start().await;
    let body = json!({"@odata.type": "microsoft.graph.security.alertComment",
                      "comment": "Isolated the laptop"});
    let answer = json!({"value": [{"comment": "Isolated the laptop",
        "createdByDisplayName": "ana@contoso.com", "createdDateTime": "2026-12-01T10:00:00Z"}]});
    expect(
        &server,
        "POST",
        "/v1.0/security/incidents/7/comments",
        body.clone(),
        answer.clone(),
    )
    .await;
    expect(
        &server,
        "POST",
        "/v1.0/security/alerts_v2/da637/comments",
        body,
        answer,
    )
    .await;
    for entity in [TriageEntity::Incident, TriageEntity::Alert] {
        let id = if entity == TriageEntity::Incident {
            "7"
        } else {
            "da637"
        };
        let out = ActionRequest::TriageComment {
            entity,
            id: id.into(),
            comment: "Isolated the laptop".into(),
        }
        .send(&client(&server))
        .await
        .expect("commented");
        let ActionOutcome::Comments(c) = out else {
            panic!("{out:?}")
        };
        assert_eq!(c[0].author(), Some("ana@contoso.com"));
    }
}

#[tokio::test]
async fn alert_patch_uses_alerts_v2_and_alert_statuses() {
    let server = MockServer::start().await;
    expect(
        &server,
        "PATCH",
        "/v1.0/security/alerts_v2/da637",
        json!({"status": "inProgress", "classification": "falsePositive",
               "determination": "notMalicious"}),
        json!({"id": "da637", "status": "inProgress"}),
    )
    .await;
    let req = ActionRequest::Triage {
        entity: TriageEntity::Alert,
        id: "da637".into(),
        change: TriageChange {
            status: Some(TriageStatus::Alert(GraphAlertStatus::InProgress)),
            classification: Some(GraphClassification::FalsePositive),
            determination: Some(GraphDetermination::NotMalicious),
            ..Default::default()
        },
    };
    assert_eq!(req.label(), "Update alert");
    let ActionOutcome::Alert(a) = req.send(&client(&server)).await.expect("sent") else {
        panic!("not an alert")
    };
    assert_eq!(a.id, "da637");
}

#[tokio::test]
async fn a_403_names_the_write_permission_and_the_role() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1.0/security/incidents/2972395"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": {"code": "Forbidden", "message": "no"}})),
        )
        .mount(&server)
        .await;
    let e = incident_update()
        .send(&client(&server))
        .await
        .expect_err("403");
    let text = e.to_string();
    assert!(text.contains("SecurityIncident.ReadWrite.All"), "{text}");
    assert!(text.contains("Security Operator"), "{text}");
}

#[derive(Default)]
struct Memory(Mutex<Vec<AuditIntent>>);

impl AuditSink for Memory {
    fn record_intent(
        &self,
        intent: &AuditIntent,
    ) -> Result<String, socops::api::dispatch::SinkError> {
        self.0.lock().unwrap().push(intent.clone());
        Ok("r1".into())
    }
    fn record_outcome(
        &self,
        _id: &str,
        _o: &AuditOutcome,
    ) -> Result<(), socops::api::dispatch::SinkError> {
        Ok(())
    }
}

#[tokio::test]
async fn the_pipeline_refuses_read_only_and_dry_runs_show_the_graph_request() {
    let req = incident_update();
    let ro = Mode {
        read_only: true,
        ..Mode::default()
    };
    assert!(matches!(
        dispatch::check(&req, ro),
        Err(DispatchError::ReadOnly)
    ));
    let bad = ActionRequest::Triage {
        entity: TriageEntity::Incident,
        id: "7".into(),
        change: TriageChange {
            classification: Some(GraphClassification::FalsePositive),
            determination: Some(GraphDetermination::Malware),
            ..Default::default()
        },
    };
    assert!(matches!(
        dispatch::check(&bad, Mode::default()),
        Err(DispatchError::Invalid(m)) if m.contains("does not fit")
    ));

    let server = MockServer::start().await;
    let c = client(&server);
    let sink = Memory::default();
    let mode = Mode {
        dry_run: true,
        ..Mode::default()
    };
    let Ok(Prepared::DryRun(lines)) = dispatch::check(&req, mode)
        .unwrap()
        .prepare(&c, &sink, Origin::default())
        .await
    else {
        panic!("not a dry run")
    };
    assert_eq!(
        lines[0],
        format!("PATCH {}/v1.0/security/incidents/2972395", server.uri())
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("\"classification\": \"truePositive\""))
    );
    let intents = sink.0.lock().unwrap().clone();
    assert_eq!(intents[0].method, "PATCH");
    assert_eq!(intents[0].action, "Update incident");
    assert!(
        intents[0].comment.contains("status → resolved"),
        "{:?}",
        intents[0]
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn commit_patches_once_and_reads_the_answer() {
    let server = MockServer::start().await;
    expect(
        &server,
        "PATCH",
        "/v1.0/security/incidents/2972395",
        incident_update().body().unwrap(),
        json!({"id": "2972395", "status": "resolved"}),
    )
    .await;
    let c = client(&server);
    let sink = Memory::default();
    let req = incident_update();
    let Ok(Prepared::Ready(ready)) = dispatch::check(&req, Mode::default())
        .unwrap()
        .prepare(&c, &sink, Origin::default())
        .await
    else {
        panic!("not ready")
    };
    let sent = ready.commit().await.expect("sent");
    assert_eq!(sent.status.as_ref().map(|s| s.as_str()), Some("resolved"));
    assert_eq!(sink.0.lock().unwrap().len(), 1);
}
