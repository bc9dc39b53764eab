//! The simulator answers as the service does where socops has tolerant paths: an action on a
//! device that has not been seen for days waits in the queue and times out instead of
//! succeeding; action POST answers spell `lastUpdateTimeUtc`; the investigation package link
//! comes wrapped in extra quotes. socops reads each correctly, end to end.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod door;
use door::SendThroughDispatch as _;

mod roundtrip_common;

use roundtrip_common::{as_app, client, frozen, wait_terminal};
use socops::api::Resource;
use socops::api::calls::{
    ActionOutcome, ActionRequest, machine_action, machines, odata, package_uri,
};
use socops::api::model::{ActionStatus, Machine, MachineAction};

fn action(outcome: ActionOutcome) -> MachineAction {
    match outcome {
        ActionOutcome::MachineAction(a) => a,
        other => panic!("expected a machine action, got {other:?}"),
    }
}

/// A Windows device of the demo tenant (seed 42, 48 devices) not seen for more than two days.
async fn stale_windows_device(c: &socops::api::Client) -> Machine {
    let inactive: Vec<Machine> = machines(Some(odata::eq("healthStatus", "Inactive")))
        .fetch(c, None)
        .await
        .unwrap();
    let now = roundtrip_common::fixed_now();
    inactive
        .into_iter()
        .find(|m| {
            m.os_platform
                .as_deref()
                .is_some_and(|p| p.starts_with("Windows"))
                && m.last_seen
                    .is_some_and(|t| now - t > chrono::Duration::days(2))
        })
        .expect("the demo tenant has a Windows device not seen for days")
}

#[tokio::test]
async fn an_action_on_a_device_not_seen_for_days_stays_pending_then_times_out() {
    let s = frozen(48).await;
    let c = client(&s);
    let stale = stale_windows_device(&c).await;
    let a = action(
        ActionRequest::RunAntiVirusScan {
            machine_id: stale.id.clone(),
            comment: "scan the laptop in the drawer".into(),
            full: false,
        }
        .send(&c)
        .await
        .unwrap(),
    );
    assert_eq!(a.status, Some(ActionStatus::Pending));
    // An hour, then two days later: still waiting for the device.
    for secs in [3600.0, 2.0 * 86_400.0] {
        s.advance(secs);
        let now = machine_action(&c, &a.id).await.unwrap();
        assert_eq!(now.status, Some(ActionStatus::Pending), "after {secs} s");
    }
    // Past the three-day queue: TimeOut, never Succeeded.
    s.advance(86_400.0 + 60.0);
    let done = wait_terminal(&s, &c, &a.id).await;
    assert_eq!(done.status, Some(ActionStatus::TimeOut));
}

#[tokio::test]
async fn post_answers_spell_last_update_time_utc_and_socops_reads_it() {
    let s = frozen(20).await;
    let c = client(&s);
    let id = roundtrip_common::windows_devices(&c, 1).await.remove(0);
    let (status, raw) = as_app(
        &s,
        reqwest::Method::POST,
        Resource::Mde,
        &format!("machines/{id}/collectInvestigationPackage"),
        &serde_json::json!({"Comment": "raw"}),
    )
    .await;
    assert_eq!(status, 201);
    assert!(raw.get("lastUpdateTimeUtc").is_some(), "{raw}");
    assert!(raw.get("lastUpdateDateTimeUtc").is_none(), "{raw}");
    // socops' own send of another type decodes the same spelling.
    let a = action(
        ActionRequest::RunAntiVirusScan {
            machine_id: id.clone(),
            comment: "typed".into(),
            full: true,
        }
        .send(&c)
        .await
        .unwrap(),
    );
    assert!(a.last_update_date_time_utc.is_none());
    assert!(a.last_update().is_some(), "{a:?}");
    // The package link: quoted in the answer, clean from socops, and it downloads.
    let pkg = raw["id"].as_str().unwrap().to_string();
    wait_terminal(&s, &c, &pkg).await;
    let (_, v) = as_app(
        &s,
        reqwest::Method::GET,
        Resource::Mde,
        &format!("machineactions/{pkg}/getPackageUri"),
        &serde_json::Value::Null,
    )
    .await;
    let quoted = v["value"].as_str().unwrap();
    assert!(quoted.starts_with('"') && quoted.ends_with('"'), "{quoted}");
    let link = package_uri(&c, &pkg).await.unwrap();
    assert!(!link.contains('"'), "{link}");
    assert!(c.download(&link).await.unwrap().starts_with(b"PK"));
}
