//! Round trip of every response action: each `ActionRequest` variant is sent by the real
//! client to the simulator and tracked to its terminal status (the simulated clock is moved
//! by the test, nothing sleeps); cancel, live response results, the investigation package,
//! indicators, and the service's refusals decoded into `ApiError`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

mod roundtrip_common;

use roundtrip_common::{client, frozen, wait_terminal, windows_devices};
use serde_json::json;
use socops::api::Resource;
use socops::api::calls::{
    ActionOutcome, ActionRequest, LiveResponseCommandRequest, indicators, live_response_link,
    machine_action, odata, package_uri, script_output,
};
use socops::api::model::{
    ActionStatus, ActionType, Indicator, IndicatorAction, IndicatorType, MachineAction,
    NewIndicator,
};

fn action(outcome: ActionOutcome) -> MachineAction {
    match outcome {
        ActionOutcome::MachineAction(a) => a,
        other => panic!("expected a machine action, got {other:?}"),
    }
}

#[tokio::test]
async fn every_machine_action_reaches_its_terminal_status() {
    let s = frozen(40).await;
    let c = client(&s);
    let ids = windows_devices(&c, 9).await;
    let comment = || "round trip".to_string();
    let requests = vec![
        ActionRequest::RunAntiVirusScan {
            machine_id: ids[0].clone(),
            comment: comment(),
            full: true,
        },
        ActionRequest::Isolate {
            machine_id: ids[1].clone(),
            comment: comment(),
            selective: true,
        },
        ActionRequest::Unisolate {
            machine_id: ids[2].clone(),
            comment: comment(),
        },
        ActionRequest::RestrictCodeExecution {
            machine_id: ids[3].clone(),
            comment: comment(),
        },
        ActionRequest::UnrestrictCodeExecution {
            machine_id: ids[4].clone(),
            comment: comment(),
        },
        ActionRequest::CollectInvestigationPackage {
            machine_id: ids[5].clone(),
            comment: comment(),
        },
        ActionRequest::StopAndQuarantineFile {
            machine_id: ids[6].clone(),
            comment: comment(),
            sha1: "A".repeat(40),
        },
        ActionRequest::Offboard {
            machine_id: ids[7].clone(),
            comment: comment(),
        },
        ActionRequest::RunLiveResponse {
            machine_id: ids[8].clone(),
            comment: comment(),
            commands: vec![LiveResponseCommandRequest::RunScript {
                script_name: "Get-RunningProcesses.ps1".into(),
                args: None,
            }],
        },
    ];
    for req in requests {
        let a = action(req.send(&c).await.unwrap());
        assert_eq!(a.status, Some(ActionStatus::Pending), "{req:?}");
        assert_eq!(a.action_type, req.expected_action_type(), "{req:?}");
        assert_eq!(a.machine_id.as_deref(), req.target_machine());
        assert_eq!(a.requestor_comment.as_deref(), Some("round trip"));
        let done = wait_terminal(&s, &c, &a.id).await;
        assert_eq!(done.status, Some(ActionStatus::Succeeded), "{req:?}");
        assert!(done.last_update() >= done.creation_date_time_utc);
        match &req {
            ActionRequest::Isolate { .. } => assert_eq!(done.scope.as_deref(), Some("Selective")),
            ActionRequest::RunAntiVirusScan { .. } => {
                assert_eq!(done.scope.as_deref(), Some("Full"))
            }
            ActionRequest::StopAndQuarantineFile { .. } => assert_eq!(
                done.related_file_info.and_then(|f| f.file_identifier),
                Some("a".repeat(40))
            ),
            _ => {}
        }
    }
}

#[tokio::test]
async fn the_retired_investigation_cannot_be_started_and_a_plan_refuses_like_the_service() {
    // Automated investigation was retired on 2026-09-01: startInvestigation is a 400.
    let s = frozen(20).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let (status, body) = roundtrip_common::as_app(
        &s,
        reqwest::Method::POST,
        Resource::Mde,
        &format!("machines/{id}/startInvestigation"),
        &json!({"Comment": "AIR"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("retired on 2026-09-01"),
        "{body}"
    );

    // A Defender for Business tenant refuses what its licence lacks, as a licence refusal.
    let mdb = roundtrip_common::sim_plan(10, socops::api::plan::Plan::Business).await;
    let c = client(&mdb);
    let id = windows_devices(&c, 1).await.remove(0);
    let err = ActionRequest::CollectInvestigationPackage {
        machine_id: id.clone(),
        comment: "forensics".into(),
    }
    .send(&c)
    .await
    .unwrap_err();
    assert_eq!(err.status(), Some(403));
    assert!(socops::api::plan::is_licence_refusal(&err), "{err}");
    // What the plan includes is served.
    ActionRequest::Isolate {
        machine_id: id,
        comment: "contain".into(),
        selective: false,
    }
    .send(&c)
    .await
    .unwrap();
}

#[tokio::test]
async fn cancel_a_pending_action() {
    let s = frozen(20).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let a = action(
        ActionRequest::Isolate {
            machine_id: id,
            comment: "contain".into(),
            selective: false,
        }
        .send(&c)
        .await
        .unwrap(),
    );
    let cancelled = action(
        ActionRequest::CancelAction {
            action_id: a.id.clone(),
            comment: "false alarm".into(),
        }
        .send(&c)
        .await
        .unwrap(),
    );
    assert_eq!(cancelled.status, Some(ActionStatus::Cancelled));
    assert_eq!(
        cancelled.cancellation_comment.as_deref(),
        Some("false alarm")
    );
    s.advance(10.0);
    let later = machine_action(&c, &a.id).await.unwrap();
    assert_eq!(later.status, Some(ActionStatus::Cancelled));
    assert!(later.cancellation_date_time_utc.is_some());
    // A finished action cannot be cancelled.
    let err = ActionRequest::CancelAction {
        action_id: a.id,
        comment: "again".into(),
    }
    .send(&c)
    .await
    .unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn live_response_result_downloads_as_script_output() {
    let s = frozen(20).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let a = action(
        ActionRequest::RunLiveResponse {
            machine_id: id,
            comment: "triage".into(),
            commands: vec![LiveResponseCommandRequest::RunScript {
                script_name: "Collect-Triage.ps1".into(),
                args: Some("-Full".into()),
            }],
        }
        .send(&c)
        .await
        .unwrap(),
    );
    assert_eq!(a.action_type, Some(ActionType::LiveResponse));
    assert!(
        live_response_link(&c, &a.id, 0)
            .await
            .unwrap_err()
            .is_not_found()
    );
    let done = wait_terminal(&s, &c, &a.id).await;
    assert_eq!(done.status, Some(ActionStatus::Succeeded));
    assert_eq!(done.commands.len(), 1);
    let link = live_response_link(&c, &a.id, 0).await.unwrap();
    assert!(link.starts_with(&s.base_url()) && link.contains("sig="));
    let out = script_output(&c, &link).await.unwrap();
    assert_eq!(out.script_name.as_deref(), Some("Collect-Triage.ps1"));
    assert_eq!(out.exit_code, Some(0));
    assert!(out.succeeded());
    assert!(!out.clean_output().is_empty());
}

#[tokio::test]
async fn investigation_package_link_after_success_only() {
    let s = frozen(20).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let a = action(
        ActionRequest::CollectInvestigationPackage {
            machine_id: id,
            comment: "forensics".into(),
        }
        .send(&c)
        .await
        .unwrap(),
    );
    let err = package_uri(&c, &a.id).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    wait_terminal(&s, &c, &a.id).await;
    let link = package_uri(&c, &a.id).await.unwrap();
    let zip = c.download(&link).await.unwrap();
    assert!(zip.starts_with(b"PK"));
}

#[tokio::test]
async fn indicator_add_list_delete() {
    let s = frozen(10).await;
    let c = client(&s);
    let new = NewIndicator {
        indicator_value: "evil.example".into(),
        indicator_type: IndicatorType::DomainName,
        action: IndicatorAction::Block,
        title: "Block evil".into(),
        description: "round trip".into(),
        severity: None,
        expiration_time: None,
        application: None,
        recommended_actions: None,
        rbac_group_names: vec![],
        generate_alert: None,
    };
    let ActionOutcome::Indicator(added) = ActionRequest::AddIndicator { indicator: new }
        .send(&c)
        .await
        .unwrap()
    else {
        panic!("expected an indicator");
    };
    assert_eq!(added.indicator_value.as_deref(), Some("evil.example"));
    let listed: Vec<Indicator> = indicators(Some(odata::eq("indicatorValue", "evil.example")))
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(listed.iter().any(|i| i.id == added.id), "{listed:?}");
    let gone = ActionRequest::DeleteIndicator {
        id: added.id.clone(),
    }
    .send(&c)
    .await
    .unwrap();
    assert_eq!(gone, ActionOutcome::Deleted);
    let all: Vec<Indicator> = indicators(None).fetch(&c, None).await.unwrap();
    assert!(all.iter().all(|i| i.id != added.id));
    let err = ActionRequest::DeleteIndicator { id: added.id }
        .send(&c)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn refusals_are_decoded() {
    let s = frozen(20).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let scan = ActionRequest::RunAntiVirusScan {
        machine_id: id.clone(),
        comment: "scan".into(),
        full: false,
    };
    scan.send(&c).await.unwrap();
    let isolate = ActionRequest::Isolate {
        machine_id: id.clone(),
        comment: "contain".into(),
        selective: false,
    };
    isolate.send(&c).await.unwrap();
    // The pipeline decides the refusal by its code and names the pending action
    // (tests/sim_duplicates.rs has the details).
    let dup = isolate.send(&c).await.unwrap_err().to_string();
    assert!(dup.contains("ActiveRequestAlreadyExists"), "{dup}");
    assert!(dup.starts_with("not performed:"), "{dup}");

    let missing = ActionRequest::Isolate {
        machine_id: "0000000000000000000000000000000000000000".into(),
        comment: "x".into(),
        selective: false,
    }
    .send(&c)
    .await
    .unwrap_err();
    assert_eq!(missing.status(), Some(404));
    assert_eq!(missing.code(), Some("ResourceNotFound"));

    let (status, casing) = roundtrip_common::as_app(
        &s,
        reqwest::Method::POST,
        Resource::Mde,
        &format!("machines/{id}/isolate"),
        &json!({"comment": "lower case", "IsolationType": "Full"}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(casing["error"]["code"], "InvalidRequestBody");
    assert!(casing.to_string().contains("Comment"), "{casing}");
}
