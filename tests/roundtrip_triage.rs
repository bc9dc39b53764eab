//! Graph triage round trips against the simulator: PATCH incidents and alerts_v2, comments,
//! and the simulator saying no where Graph says no (PascalCase enums, unknown properties,
//! `redirected`, determinations that do not fit the classification).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

mod roundtrip_common;

use roundtrip_common::{client, sim};
use serde_json::{Value, json};
use socops::api::Client;
use socops::api::Resource;
use socops::api::calls::triage::graph_alert;
use socops::api::calls::{
    ActionOutcome, ActionRequest, Assignee, TriageChange, TriageEntity, TriageStatus, incident,
    incidents,
};
use socops::api::model::{
    GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus, Incident,
};
use socops::sim::RunningSim;

async fn open_incident(c: &Client) -> Incident {
    let all: Vec<Incident> = incidents(None, true).fetch(c, None).await.unwrap();
    all.into_iter()
        .find(|i| i.is_open() && i.alerts.as_ref().is_some_and(|a| !a.is_empty()))
        .expect("an open incident with alerts")
}

#[tokio::test]
async fn an_incident_update_and_comment_round_trip() {
    let s = sim(20).await;
    let c = client(&s);
    let inc = open_incident(&c).await;
    let before = inc
        .last_update_date_time
        .expect("the simulator stamps every incident's last update");
    let mut tags = inc.custom_tags.clone();
    tags.push("Reviewed".into());
    let out = ActionRequest::Triage {
        entity: TriageEntity::Incident,
        id: inc.id.clone(),
        change: TriageChange {
            status: Some(TriageStatus::Incident(GraphIncidentStatus::Resolved)),
            assigned_to: Some(Assignee::To("ana@fabrikam.example".into())),
            classification: Some(GraphClassification::TruePositive),
            determination: Some(GraphDetermination::Malware),
            custom_tags: Some(tags.clone()),
        },
    }
    .send(&c)
    .await
    .expect("patched");
    let ActionOutcome::Incident(updated) = out else {
        panic!("{out:?}")
    };
    assert_eq!(updated.assigned_to.as_deref(), Some("ana@fabrikam.example"));
    assert_eq!(updated.custom_tags, tags);
    assert!(
        updated.last_update_date_time.is_some_and(|t| t > before),
        "the update moves lastUpdateDateTime on: {:?} after {before}",
        updated.last_update_date_time
    );

    // Re-read: the change is stored, Graph-spelled, and the incident's alerts were resolved.
    let raw: Value = c
        .get(
            Resource::Graph,
            &format!("security/incidents/{}?$expand=alerts", inc.id),
        )
        .await
        .unwrap();
    assert_eq!(raw["status"], "resolved");
    assert_eq!(raw["classification"], "truePositive");
    assert_eq!(raw["determination"], "malware");
    assert!(
        raw["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "resolved")
    );

    let out = ActionRequest::TriageComment {
        entity: TriageEntity::Incident,
        id: inc.id.clone(),
        comment: "Contained; reimaged".into(),
    }
    .send(&c)
    .await
    .expect("commented");
    let ActionOutcome::Comments(comments) = out else {
        panic!("{out:?}")
    };
    let last = comments.last().unwrap();
    assert_eq!(last.comment.as_deref(), Some("Contained; reimaged"));
    assert!(last.author().is_some() && last.time().is_some());
    let again = incident(&c, &inc.id, false).await.unwrap();
    assert_eq!(again.comments.len(), comments.len());
}

#[tokio::test]
async fn an_alert_update_and_comment_round_trip() {
    let s = sim(20).await;
    let c = client(&s);
    let inc = open_incident(&c).await;
    let alert = &inc.alerts.as_ref().unwrap()[0];
    ActionRequest::Triage {
        entity: TriageEntity::Alert,
        id: alert.id.clone(),
        change: TriageChange {
            status: Some(TriageStatus::Alert(GraphAlertStatus::InProgress)),
            classification: Some(GraphClassification::FalsePositive),
            determination: Some(GraphDetermination::NotMalicious),
            assigned_to: Some(Assignee::Nobody),
            ..Default::default()
        },
    }
    .send(&c)
    .await
    .expect("patched");
    let now = graph_alert(&c, &alert.id).await.unwrap();
    assert_eq!(now.assigned_to, None);
    assert_eq!(
        now.determination
            .as_ref()
            .and_then(GraphDetermination::from_open),
        Some(GraphDetermination::NotMalicious)
    );
    ActionRequest::TriageComment {
        entity: TriageEntity::Alert,
        id: alert.id.clone(),
        comment: "benign admin tool".into(),
    }
    .send(&c)
    .await
    .expect("commented");
    let now = graph_alert(&c, &alert.id).await.unwrap();
    assert_eq!(
        now.comments.last().and_then(|c| c.comment.as_deref()),
        Some("benign admin tool")
    );
}

/// Send a raw Graph write (what socops itself would never send) and read the answer.
async fn raw(s: &RunningSim, method: reqwest::Method, path: &str, body: Value) -> (u16, String) {
    let r = socops::api::http::shared()
        .request(method, format!("{}/v1.0/{path}", s.base_url()))
        .bearer_auth("t")
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn the_simulator_refuses_what_graph_refuses() {
    let s = sim(20).await;
    let c = client(&s);
    let inc = open_incident(&c).await;
    let id = inc.id.as_str();
    for (body, says) in [
        (
            json!({"status": "Resolved"}),
            "Cannot convert the literal 'Resolved'",
        ),
        (
            json!({"severity": "high"}),
            "property 'severity' does not exist",
        ),
        (json!({"status": "redirected"}), "set by the service"),
        (
            json!({"classification": "falsePositive", "determination": "malware"}),
            "not valid for the classification",
        ),
        (json!({"determination": "apt"}), "no longer supported"),
        (json!({"customTags": "one"}), "Collection(Edm.String)"),
    ] {
        let (status, text) = raw(
            &s,
            reqwest::Method::PATCH,
            &format!("security/incidents/{id}"),
            body.clone(),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(text.contains(says), "{body}: {text}");
    }
    let (status, text) = raw(
        &s,
        reqwest::Method::POST,
        &format!("security/incidents/{id}/comments"),
        json!({"comment": "x", "author": "me"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(text.contains("'author' does not exist"), "{text}");
    // Nothing above changed the incident.
    let after = incident(&c, id, false).await.unwrap();
    assert_eq!(after.status, inc.status);
    assert_eq!(after.last_update_date_time, inc.last_update_date_time);
}
