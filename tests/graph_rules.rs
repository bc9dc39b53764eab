//! Graph's rules, end to end: enum values are camelCase and compared case-sensitively, only
//! the documented properties are filterable, and every enum flag of the CLI reads any case,
//! sends the API's exact spelling and refuses unknown values with exit 2 and the list.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

mod bin_common;
use std::process::Output;

use roundtrip_common::{client, sim};
use socops::api::Resource;
use socops::api::calls::{self, odata};
use socops::api::model::{GraphAlert, Incident};

#[tokio::test]
async fn graph_filters_compare_enum_values_case_sensitively() {
    let s = sim(30).await;
    let c = client(&s);
    let active: Vec<Incident> = calls::incidents(Some(odata::eq("status", "active")), false)
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(!active.is_empty());
    let pascal: Vec<Incident> = calls::incidents(Some(odata::eq("status", "Active")), false)
        .fetch(&c, None)
        .await
        .unwrap();
    assert!(pascal.is_empty(), "Graph does not match 'Active'");
}

#[tokio::test]
async fn alerts_v2_filters_only_the_documented_properties() {
    let s = sim(30).await;
    let c = client(&s);
    let tp: Vec<GraphAlert> =
        calls::graph_alerts(Some(odata::eq("classification", "truePositive")))
            .fetch(&c, None)
            .await
            .unwrap();
    assert!(!tp.is_empty());
    assert!(tp.iter().all(|a| {
        a.classification
            .as_ref()
            .is_some_and(|v| v.as_str().eq_ignore_ascii_case("truePositive"))
    }));
    let _: Vec<GraphAlert> = calls::graph_alerts(Some(odata::eq("determination", "malware")))
        .fetch(&c, None)
        .await
        .unwrap();
    let Err(e) = c
        .get_page(
            Resource::Graph,
            "security/alerts_v2?$filter=incidentId%20eq%20'4031'",
        )
        .await
    else {
        panic!("incidentId is not a filterable alerts_v2 property");
    };
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(e.to_string().contains("incidentId") || e.to_string().contains("incidentid"));
}

fn socops(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    bin_common::command(dir.path())
        .arg("--demo")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn enum_flags_refuse_unknown_values_with_the_list() {
    for (args, listed) in [
        (
            &["incidents", "list", "--status", "bogus"][..],
            "active, resolved, inProgress",
        ),
        (
            &["alerts", "list", "--severity", "severe"][..],
            "informational",
        ),
        (
            &["alerts", "list", "--classification", "benign"][..],
            "truePositive",
        ),
        (
            &["incidents", "list", "--determination", "evil"][..],
            "multiStagedAttack",
        ),
        (
            &["devices", "list", "--risk", "extreme"][..],
            "Informational",
        ),
        (
            &["devices", "list", "--health", "sick"][..],
            "ImpairedCommunication",
        ),
        (&["actions", "list", "--status", "done"][..], "Succeeded"),
    ] {
        let out = socops(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(listed), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

fn json_list(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = args.to_vec();
    all.push("--json");
    let out = socops(&all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn enum_flags_take_any_case_and_send_the_api_spelling() {
    // `--status Active` is sent as 'active' (Graph would match nothing for 'Active').
    let active = json_list(&["incidents", "list", "--status", "Active"]);
    assert!(!active.is_empty());
    assert!(active.iter().all(|i| i["status"] == "active"));
    let in_progress = json_list(&["alerts", "list", "--status", "INPROGRESS"]);
    assert!(in_progress.iter().all(|a| a["status"] == "inProgress"));
    let high = json_list(&["alerts", "list", "--severity", "High"]);
    assert!(!high.is_empty() && high.iter().all(|a| a["severity"] == "high"));
    let impaired = json_list(&["devices", "list", "--health", "impairedcommunication"]);
    assert!(
        impaired
            .iter()
            .all(|d| d["healthStatus"] == "ImpairedCommunication")
    );
    let pending = json_list(&["actions", "list", "--status", "pending"]);
    assert!(pending.iter().all(|a| a["status"] == "Pending"));
}

#[test]
fn recommendations_list_ranks_by_impact_with_real_severities() {
    let v = json_list(&["recommendations", "list"]);
    let impacts: Vec<f64> = v
        .iter()
        .map(|r| r["exposureImpact"].as_f64().unwrap_or(0.0))
        .collect();
    assert!(impacts.len() > 3);
    assert!(
        impacts.windows(2).all(|w| w[0] >= w[1]),
        "highest impact first: {impacts:?}"
    );
    let out = socops(&["recommendations", "list", "--limit", "3"]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let mut lines = table.lines();
    let header = lines.next().unwrap();
    assert!(
        header.contains("IMPACT") && header.contains("SEVERITY"),
        "{header}"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "the top three, not the first three: {table}");
    assert!(rows[0].contains(&format!(" {:.2} ", impacts[0])), "{table}");
    // Software recommendations carry severityScore 0 ("not scored"): never shown as "0".
    assert!(!table.contains("  0  "), "{table}");
}
