//! Round trip of every read: each `ListRequest` builder and single read of `api::calls`, sent
//! by the real client (client-secret sign-in) to the simulator, must deserialize into the
//! typed models; paging follows nextLink; Graph's `$top` limit comes back as Graph's error.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use std::collections::HashSet;

use roundtrip_common::{client, sim};
use socops::api::Resource;
use socops::api::calls::{self, odata};
use socops::api::model::*;

#[tokio::test]
async fn every_list_deserializes_into_its_model() {
    let s = sim(60).await;
    let c = client(&s);

    let devices: Vec<Machine> = calls::machines(None).fetch(&c, None).await.unwrap();
    assert_eq!(devices.len(), 60);
    for d in &devices {
        assert!(
            d.health_status.as_ref().is_some_and(|v| v.is_known()),
            "{d:?}"
        );
        assert!(d.risk_score.as_ref().is_some_and(|v| v.is_known()), "{d:?}");
        assert!(d.last_seen.is_some() && d.os_platform.is_some(), "{d:?}");
    }
    let filtered: Vec<Machine> =
        calls::machines(Some(odata::any_of("riskScore", &["High", "Medium"])))
            .fetch(&c, None)
            .await
            .unwrap();
    assert!(!filtered.is_empty() && filtered.len() < 60);

    let alerts: Vec<Alert> = calls::alerts(Some(odata::ne("status", "Resolved")), true)
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(!alerts.is_empty());
    for a in &alerts {
        assert!(a.severity.as_ref().is_some_and(|v| v.is_known()), "{a:?}");
        assert!(a.status.as_ref().is_some_and(|v| v.is_known()), "{a:?}");
        assert!(!a.evidence.is_empty(), "evidence was asked for");
    }
    let plain: Vec<Alert> = calls::alerts(None, false).fetch(&c, None).await.unwrap();
    assert!(plain.len() >= alerts.len());
    let dev = alerts[0].machine_id.clone().unwrap();
    let mine: Vec<Alert> = calls::machine_alerts(&dev).fetch(&c, None).await.unwrap();
    assert!(mine.iter().any(|a| a.id == alerts[0].id));

    let graph_alerts: Vec<GraphAlert> = calls::graph_alerts(None).fetch(&c, None).await.unwrap();
    assert!(!graph_alerts.is_empty());
    let incidents: Vec<Incident> = calls::incidents(None, true).fetch(&c, None).await.unwrap();
    assert!(!incidents.is_empty());
    assert!(
        incidents
            .iter()
            .any(|i| i.alerts.as_ref().is_some_and(|a| !a.is_empty()))
    );
    let active: Vec<Incident> = calls::incidents(Some(odata::eq("status", "active")), false)
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(active.len() <= incidents.len());
    for i in &incidents {
        assert!(i.status.as_ref().is_some_and(|v| v.is_known()), "{i:?}");
        assert!(i.severity.as_ref().is_some_and(|v| v.is_known()), "{i:?}");
    }

    let inv: Vec<Investigation> = calls::investigations(None).fetch(&c, None).await.unwrap();
    assert!(!inv.is_empty());
    let acts: Vec<MachineAction> = calls::machine_actions(None).fetch(&c, None).await.unwrap();
    assert!(!acts.is_empty());
    for a in &acts {
        assert!(
            a.action_type.as_ref().is_some_and(|v| v.is_known()),
            "{a:?}"
        );
        assert!(a.status.as_ref().is_some_and(|v| v.is_known()), "{a:?}");
        assert!(a.last_update().is_some(), "{a:?}");
    }
    let _: Vec<Indicator> = calls::indicators(None).fetch(&c, None).await.unwrap();
    let av: Vec<DeviceAvInfo> = calls::device_av_info(None).fetch(&c, None).await.unwrap();
    assert!(
        av.len() > 20,
        "the client's $top must lift the 20-record default"
    );
    let scores: Vec<SecureScore> = calls::secure_scores(7).fetch(&c, None).await.unwrap();
    assert_eq!(scores.len(), 7);
    let profiles: Vec<SecureScoreControlProfile> =
        calls::control_profiles().fetch(&c, None).await.unwrap();
    assert!(!profiles.is_empty());
    let latest = calls::latest_secure_score(&c).await.unwrap();
    assert_eq!(latest.map(|l| l.id), Some(scores[0].id.clone()));

    let recs: Vec<Recommendation> = calls::recommendations(None).fetch(&c, None).await.unwrap();
    assert!(!recs.is_empty());
    let refs: Vec<Machine> = calls::recommendation_machines(&recs[0].id)
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(refs.iter().all(|m| !m.id.is_empty()));
    let vulns: Vec<Vulnerability> = calls::vulnerabilities(None).fetch(&c, None).await.unwrap();
    assert!(!vulns.is_empty());
    let _: Vec<RemediationTask> = calls::remediation_tasks(None)
        .fetch(&c, None)
        .await
        .unwrap();
    let groups: Vec<GroupExposureScore> = calls::exposure_by_group().fetch(&c, None).await.unwrap();
    assert!(!groups.is_empty());
    let files: Vec<LibraryFile> = calls::library_files().fetch(&c, None).await.unwrap();
    assert!(!files.is_empty());
}

#[tokio::test]
async fn every_single_read_deserializes() {
    let s = sim(30).await;
    let c = client(&s);
    let devices: Vec<Machine> = calls::machines(None).fetch(&c, Some(1)).await.unwrap();
    let d = &devices[0];
    assert_eq!(calls::machine(&c, &d.id).await.unwrap().id, d.id);
    let name = d.computer_dns_name.clone().unwrap();
    assert_eq!(calls::machine(&c, &name).await.unwrap().id, d.id);

    let alerts: Vec<Alert> = calls::alerts(None, false).fetch(&c, Some(1)).await.unwrap();
    let a = calls::alert(&c, &alerts[0].id).await.unwrap();
    assert_eq!(a.id, alerts[0].id);

    let incidents: Vec<Incident> = calls::incidents(None, false)
        .fetch(&c, Some(1))
        .await
        .unwrap();
    let i = calls::incident(&c, &incidents[0].id, true).await.unwrap();
    assert_eq!(i.id, incidents[0].id);
    assert!(i.alerts.is_some());

    let inv: Vec<Investigation> = calls::investigations(None)
        .fetch(&c, Some(1))
        .await
        .unwrap();
    assert_eq!(
        calls::investigation(&c, &inv[0].id).await.unwrap().id,
        inv[0].id
    );
    let acts: Vec<MachineAction> = calls::machine_actions(None)
        .fetch(&c, Some(1))
        .await
        .unwrap();
    assert_eq!(
        calls::machine_action(&c, &acts[0].id).await.unwrap().id,
        acts[0].id
    );
    calls::exposure_score(&c).await.unwrap();
    calls::configuration_score(&c).await.unwrap();
}

#[tokio::test]
async fn paging_follows_next_link_and_skip() {
    let s = sim(25_000).await;
    let c = client(&s);
    let mut pages = 0;
    let mut ids = HashSet::new();
    let seen = calls::machines(None)
        .for_each_raw(&c, None, |records| {
            pages += 1;
            for r in records {
                let m: Machine = serde_json::from_str(r.get()).unwrap();
                ids.insert(m.id);
            }
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!((seen, pages, ids.len()), (25_000, 3, 25_000));

    // A limit stops early; a page size below the limit pages further.
    let some: Vec<Machine> = c
        .list(Resource::Mde, "machines", 300, Some(700))
        .await
        .unwrap();
    assert_eq!(some.len(), 700);
    assert_eq!(
        some.iter().map(|m| &m.id).collect::<HashSet<_>>().len(),
        700
    );
}

#[tokio::test]
async fn graph_incident_top_limit_is_graphs_error() {
    let s = sim(10).await;
    let c = client(&s);
    let err = c
        .get::<serde_json::Value>(Resource::Graph, "security/incidents?$top=100")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(
        err.to_string()
            .contains("The limit of '50' for Top query has been exceeded"),
        "{err}"
    );
    // The builder's page size stays within it.
    let all: Vec<Incident> = calls::incidents(None, false).fetch(&c, None).await.unwrap();
    assert!(!all.is_empty());
}
