//! Secure Score control profiles: the simulator pages them with a skip token and refuses
//! `$top` next to it as Graph has been seen to; the client sends no `$top` and follows
//! nextLink; `socops controls list` joins every profile with the latest snapshot's score.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

mod bin_common;

use roundtrip_common::{client, sim};
use socops::api::Resource;
use socops::api::calls::{self, ListRequest};
use socops::api::model::SecureScoreControlProfile;

#[tokio::test]
async fn control_profiles_come_over_several_pages_without_top() {
    let s = sim(5).await;
    let c = client(&s);
    let first = c
        .get_page(Resource::Graph, "security/secureScoreControlProfiles")
        .await
        .unwrap();
    let next = first.next_link.expect("more than one page");
    assert!(next.contains("$skiptoken="), "{next}");
    let all: Vec<SecureScoreControlProfile> =
        calls::control_profiles().fetch(&c, None).await.unwrap();
    assert!(all.len() > first.records.len());
    let mut ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no page twice");
    assert!(!calls::control_profiles().path.contains("$top"));
}

#[tokio::test]
async fn top_next_to_the_skip_token_is_refused() {
    let s = sim(5).await;
    let c = client(&s);
    // What the client used to send: a $top that the next link carries on.
    let old = ListRequest::new(
        Resource::Graph,
        "security/secureScoreControlProfiles",
        &[],
        200,
    );
    let Err(e) = old.fetch::<SecureScoreControlProfile>(&c, None).await else {
        panic!("$top with the skip token must fail");
    };
    assert_eq!(e.status(), Some(400), "{e}");
    assert!(e.to_string().contains("SkipToken"), "{e}");
}

#[test]
fn controls_list_joins_profiles_with_the_latest_scores() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        bin_common::command(dir.path())
            .args(["--demo", "controls", "list"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.len() > 4, "every page: {}", v.len());
    for c in &v {
        assert!(c["title"].is_string() && c["maxScore"].is_number(), "{c}");
        assert_eq!(c["controlScore"]["controlName"], c["id"], "{c}");
    }
    let out = run(&["--csv"]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("TITLE,CATEGORY,MAX,SCORE,GAP,STATE,ID"));
    assert_eq!(lines.count(), v.len());
    let out = run(&[]);
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("Turn on tamper protection"), "{table}");
}
