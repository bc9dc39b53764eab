//! Round trip of what the console's views ask for beyond plain lists: a device's isolation
//! state derived from its newest Isolate/Unisolate action, `$orderby` on actions, alerts and
//! incidents, and `$select` on devices.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

mod roundtrip_common;

use roundtrip_common::{client, frozen, patch_as_app, wait_terminal, windows_devices};
use socops::api::Resource;
use socops::api::calls::{ActionOutcome, ActionRequest, ListRequest, MDE_PAGE, odata};
use socops::api::model::{ActionStatus, ActionType, Alert, Incident, Machine, MachineAction};

/// This device's isolation actions, newest first: `$orderby` is not documented for
/// machineactions, so the list is sorted here, as the console does.
async fn history(c: &socops::api::Client, machine_id: &str) -> Vec<MachineAction> {
    let mut h: Vec<MachineAction> = isolation_history(machine_id).fetch(c, None).await.unwrap();
    h.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
    h
}

/// The console's query: this device's isolation actions.
fn isolation_history(machine_id: &str) -> ListRequest {
    ListRequest::new(
        Resource::Mde,
        "machineactions",
        &[(
            "$filter",
            Some(odata::and([
                odata::eq("machineId", machine_id),
                odata::any_of("type", &["Isolate", "Unisolate"]),
            ])),
        )],
        MDE_PAGE,
    )
}

async fn send(c: &socops::api::Client, req: ActionRequest) -> MachineAction {
    match req.send(c).await.unwrap() {
        ActionOutcome::MachineAction(a) => a,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn isolation_state_comes_from_the_newest_action() {
    let s = frozen(20).await;
    let c = client(&s);
    let id = windows_devices(&c, 1).await.remove(0);
    let iso = send(
        &c,
        ActionRequest::Isolate {
            machine_id: id.clone(),
            comment: "contain".into(),
            selective: false,
        },
    )
    .await;
    wait_terminal(&s, &c, &iso.id).await;
    let h: Vec<MachineAction> = history(&c, &id).await;
    assert_eq!(h[0].id, iso.id);
    assert_eq!(h[0].action_type, Some(ActionType::Isolate));
    assert_eq!(h[0].status, Some(ActionStatus::Succeeded));

    s.advance(60.0);
    let un = send(
        &c,
        ActionRequest::Unisolate {
            machine_id: id.clone(),
            comment: "release".into(),
        },
    )
    .await;
    let h: Vec<MachineAction> = history(&c, &id).await;
    assert_eq!(
        (h[0].id.as_str(), h[0].status.clone()),
        (un.id.as_str(), Some(ActionStatus::Pending))
    );
    wait_terminal(&s, &c, &un.id).await;
    let h: Vec<MachineAction> = history(&c, &id).await;
    assert_eq!(h[0].action_type, Some(ActionType::Unisolate));
    assert_eq!(h[0].status, Some(ActionStatus::Succeeded));
    assert_eq!(h[1].id, iso.id);
    assert!(
        h.iter()
            .all(|a| a.machine_id.as_deref() == Some(id.as_str()))
    );
}

#[tokio::test]
async fn orderby_is_honoured() {
    let s = frozen(60).await;
    let c = client(&s);
    // $orderby is not documented for machineactions: the simulator refuses it like an
    // unsupported option, so socops sorts those client-side.
    let err = c
        .get::<serde_json::Value>(
            Resource::Mde,
            "machineactions?$orderby=creationDateTimeUtc%20desc",
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    let alerts: Vec<Alert> = c
        .list(
            Resource::Mde,
            "alerts?$orderby=lastUpdateTime%20desc",
            MDE_PAGE,
            None,
        )
        .await
        .unwrap();
    assert!(
        alerts
            .windows(2)
            .all(|w| w[0].last_update_time >= w[1].last_update_time)
    );
    let incidents: Vec<Incident> = c
        .list(
            Resource::Graph,
            "security/incidents?$orderby=lastUpdateDateTime%20desc",
            50,
            None,
        )
        .await
        .unwrap();
    assert!(
        incidents
            .windows(2)
            .all(|w| w[0].last_update_date_time >= w[1].last_update_date_time)
    );
    let err = c
        .get::<serde_json::Value>(Resource::Mde, "machineactions?$orderby=nope%20desc")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn select_keeps_only_the_named_properties() {
    let s = frozen(20).await;
    let c = client(&s);
    let page = c
        .get_page(
            Resource::Mde,
            "machines?$select=id,computerDnsName,riskScore&$top=5",
        )
        .await
        .unwrap();
    assert_eq!(page.records.len(), 5);
    for r in &page.records {
        let v: serde_json::Value = serde_json::from_str(r.get()).unwrap();
        let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["computerDnsName", "id", "riskScore"]);
        let m: Machine = serde_json::from_str(r.get()).unwrap();
        assert!(!m.id.is_empty() && m.risk_score.is_some());
    }
    let err = c
        .get::<serde_json::Value>(Resource::Mde, "machines?$select=bogus")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
}

#[tokio::test]
async fn incidents_and_alerts_can_be_triaged() {
    let s = frozen(20).await;
    let c = client(&s);
    let open: Vec<Incident> =
        socops::api::calls::incidents(Some(odata::eq("status", "active")), false)
            .fetch(&c, Some(1))
            .await
            .unwrap();
    let id = open[0].id.clone();
    let body = serde_json::json!({
        "status": "resolved",
        "assignedTo": "soc@fabrikam.com",
        "classification": "truePositive",
        "determination": "malware",
    });
    let (status, patched) = patch_as_app(
        &s,
        Resource::Graph,
        &format!("security/incidents/{id}"),
        &body,
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    let patched: Incident = serde_json::from_value(patched).unwrap();
    assert_eq!(patched.assigned_to.as_deref(), Some("soc@fabrikam.com"));
    let again = socops::api::calls::incident(&c, &id, false).await.unwrap();
    assert_eq!(
        again.status,
        Some(socops::api::model::IncidentStatus::Resolved)
    );
    assert_eq!(
        again.classification.map(|v| v.camel()),
        Some("truePositive".into())
    );
    assert_eq!(
        again.determination.map(|v| v.camel()),
        Some("malware".into())
    );
    let (bad, _) = patch_as_app(
        &s,
        Resource::Graph,
        &format!("security/incidents/{id}"),
        &serde_json::json!({"Status": "resolved"}),
    )
    .await;
    assert_eq!(bad, 400);

    let alerts: Vec<Alert> = socops::api::calls::alerts(Some(odata::eq("status", "New")), false)
        .fetch(&c, Some(1))
        .await
        .unwrap();
    let aid = alerts[0].id.clone();
    let body = serde_json::json!({
        "status": "Resolved",
        "assignedTo": "soc@fabrikam.com",
        "classification": "FalsePositive",
        "determination": "NotMalicious",
        "comment": "benign admin tool",
    });
    let (status, a) = patch_as_app(&s, Resource::Mde, &format!("alerts/{aid}"), &body).await;
    assert_eq!(status, 200, "{a}");
    let a: Alert = serde_json::from_value(a).unwrap();
    assert_eq!(a.status, Some(socops::api::model::AlertStatus::Resolved));
    assert!(a.resolved_time.is_some());
    assert!(
        a.comments
            .iter()
            .any(|k| k.comment.as_deref() == Some("benign admin tool"))
    );
    let (bad, body) = patch_as_app(
        &s,
        Resource::Mde,
        &format!("alerts/{aid}"),
        &serde_json::json!({"Status": "Resolved"}),
    )
    .await;
    assert_eq!(bad, 400);
    assert_eq!(body["error"]["code"], "InvalidRequestBody", "{body}");
}
