//! Contract tests of the writes on loopback (wiremock): every machine action, cancel and
//! indicator call sends the documented method, path, bearer token and exact JSON body
//! casing, and an invalid action is refused before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

use serde_json::{Value, json};
use socops::api::ApiError;
use socops::api::calls::{ActionOutcome, ActionRequest, LiveResponseCommandRequest};
use socops::api::model::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod contract_common;
use contract_common::*;

fn action_answer() -> Value {
    json!({"id": "5f2a9c7e", "type": "Isolate", "status": "Pending", "machineId": MID})
}

/// Expect one POST with this exact body and send the request through `send`.
async fn check_action(req: ActionRequest, p: &str, body: Value, answer: Value) -> ActionOutcome {
    let server = MockServer::start().await;
    Mock::given(method(req.method()))
        .and(path(p))
        .and(header("authorization", "Bearer tok"))
        .and(body_json(body.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(req.body(), Some(body));
    assert_eq!(format!("/api/{}", req.path()), p);
    req.send(&client_for(&server))
        .await
        .unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[tokio::test]
async fn machine_actions_send_pascal_case_bodies() {
    let m = || MID.to_string();
    let c = || "IR-1".to_string();
    let base = format!("/api/machines/{MID}");
    let cases = vec![
        (
            ActionRequest::RunAntiVirusScan {
                machine_id: m(),
                comment: c(),
                full: true,
            },
            "runAntiVirusScan",
            json!({"Comment": "IR-1", "ScanType": "Full"}),
        ),
        (
            ActionRequest::RunAntiVirusScan {
                machine_id: m(),
                comment: c(),
                full: false,
            },
            "runAntiVirusScan",
            json!({"Comment": "IR-1", "ScanType": "Quick"}),
        ),
        (
            ActionRequest::Isolate {
                machine_id: m(),
                comment: c(),
                selective: false,
            },
            "isolate",
            json!({"Comment": "IR-1", "IsolationType": "Full"}),
        ),
        (
            ActionRequest::Isolate {
                machine_id: m(),
                comment: c(),
                selective: true,
            },
            "isolate",
            json!({"Comment": "IR-1", "IsolationType": "Selective"}),
        ),
        (
            ActionRequest::Unisolate {
                machine_id: m(),
                comment: c(),
            },
            "unisolate",
            json!({"Comment": "IR-1"}),
        ),
        (
            ActionRequest::RestrictCodeExecution {
                machine_id: m(),
                comment: c(),
            },
            "restrictCodeExecution",
            json!({"Comment": "IR-1"}),
        ),
        (
            ActionRequest::UnrestrictCodeExecution {
                machine_id: m(),
                comment: c(),
            },
            "unrestrictCodeExecution",
            json!({"Comment": "IR-1"}),
        ),
        (
            ActionRequest::CollectInvestigationPackage {
                machine_id: m(),
                comment: c(),
            },
            "collectInvestigationPackage",
            json!({"Comment": "IR-1"}),
        ),
        (
            ActionRequest::StopAndQuarantineFile {
                machine_id: m(),
                comment: c(),
                sha1: "87662BC3D60E4200CEAF7AAE249D1C343F4B83C9".into(),
            },
            "StopAndQuarantineFile",
            json!({"Comment": "IR-1", "Sha1": "87662bc3d60e4200ceaf7aae249d1c343f4b83c9"}),
        ),
        (
            ActionRequest::Offboard {
                machine_id: m(),
                comment: c(),
            },
            "offboard",
            json!({"Comment": "IR-1"}),
        ),
        (
            ActionRequest::RunLiveResponse {
                machine_id: m(),
                comment: c(),
                commands: vec![
                    LiveResponseCommandRequest::PutFile {
                        file_name: "tool.exe".into(),
                    },
                    LiveResponseCommandRequest::RunScript {
                        script_name: "collect.ps1".into(),
                        args: Some("-Full".into()),
                    },
                    LiveResponseCommandRequest::GetFile {
                        path: "C:\\Temp\\out.zip".into(),
                    },
                ],
            },
            "runliveresponse",
            json!({"Commands": [
                {"type": "PutFile", "params": [{"key": "FileName", "value": "tool.exe"}]},
                {"type": "RunScript", "params": [{"key": "ScriptName", "value": "collect.ps1"},
                                                 {"key": "Args", "value": "-Full"}]},
                {"type": "GetFile", "params": [{"key": "Path", "value": "C:\\Temp\\out.zip"}]}
            ], "Comment": "IR-1"}),
        ),
    ];
    for (req, verb, body) in cases {
        assert!(req.expected_action_type().is_some());
        let out = check_action(req, &format!("{base}/{verb}"), body, action_answer()).await;
        assert!(matches!(out, ActionOutcome::MachineAction(a) if a.id == "5f2a9c7e"));
    }
}

#[tokio::test]
async fn cancel_and_indicator_bodies() {
    let out = check_action(
        ActionRequest::CancelAction {
            action_id: "a-1".into(),
            comment: "oops".into(),
        },
        "/api/machineactions/a-1/cancel",
        json!({"Comment": "oops"}),
        json!({"id": "a-1", "status": "Cancelled"}),
    )
    .await;
    assert!(matches!(out, ActionOutcome::MachineAction(a) if a.is_terminal()));

    let indicator = NewIndicator {
        indicator_value: "bad.example".into(),
        indicator_type: IndicatorType::DomainName,
        action: IndicatorAction::Audit,
        title: "Watch".into(),
        description: "Phish kit".into(),
        severity: Some(AlertSeverity::Medium),
        expiration_time: None,
        application: None,
        recommended_actions: None,
        rbac_group_names: vec![],
        generate_alert: None,
    };
    let out = check_action(
        ActionRequest::AddIndicator { indicator },
        "/api/indicators",
        json!({"indicatorValue": "bad.example", "indicatorType": "DomainName", "action": "Audit",
               "title": "Watch", "description": "Phish kit", "generateAlert": true,
               "severity": "Medium"}),
        json!({"id": 42, "indicatorValue": "bad.example"}),
    )
    .await;
    assert!(matches!(out, ActionOutcome::Indicator(i) if i.id == "42"));
}

#[tokio::test]
async fn delete_indicator_sends_delete_without_body() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/indicators/17"))
        .and(header("authorization", "Bearer tok"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let req = ActionRequest::DeleteIndicator { id: "17".into() };
    assert!(req.is_destructive() && req.body().is_none());
    let out = req.send(&client_for(&server)).await.expect("deleted");
    assert_eq!(out, ActionOutcome::Deleted);
}

#[tokio::test]
async fn invalid_actions_are_refused_before_sending() {
    let server = MockServer::start().await;
    let c = client_for(&server);
    let bad = [
        ActionRequest::Isolate {
            machine_id: MID.into(),
            comment: " ".into(),
            selective: false,
        },
        ActionRequest::StopAndQuarantineFile {
            machine_id: MID.into(),
            comment: "x".into(),
            sha1: "abc".into(),
        },
        ActionRequest::RunLiveResponse {
            machine_id: MID.into(),
            comment: "x".into(),
            commands: vec![],
        },
        // Ids that would change the path: the indicators collection, machineactions/cancel,
        // machines/isolate.
        ActionRequest::DeleteIndicator { id: "..".into() },
        ActionRequest::CancelAction {
            action_id: ".".into(),
            comment: "x".into(),
        },
        ActionRequest::Isolate {
            machine_id: "%2e%2E".into(),
            comment: "x".into(),
            selective: false,
        },
    ];
    for req in bad {
        assert!(req.validate().is_err());
        assert!(matches!(req.send(&c).await, Err(ApiError::Refused(_))));
    }
    assert!(server.received_requests().await.expect("rec").is_empty());
}
