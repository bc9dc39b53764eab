//! One set of predicates: for the simulated tenant, the morning digest's counts equal the
//! console's checklist figures equal the rows of the views those figures open, and the
//! snapshot a console session leaves holds the digest's records.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::collections::BTreeSet;

use serde_json::json;
use socops::app::data::session_digest::from_state;
use socops::app::{AppState, Key, KeyCode, Msg, Payload, TableId, update};
use socops::digest::{ChangeKind, Snapshot, changes, collect};

mod console_common;
use console_common::{DAILY_KINDS, now, open_daily_task};

/// Open a Daily task; returns its figure as the checklist showed it, and the rows its view
/// then shows.
fn open_task(s: &mut AppState, id: &str, table: TableId) -> (String, usize) {
    let figure = open_daily_task(s, id);
    let rows = s.table(table).unwrap().view.len();
    update(s, Msg::Key(Key::plain(KeyCode::Esc)));
    (figure, rows)
}

fn numbers(text: &str) -> Vec<usize> {
    text.split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect()
}

fn new_incidents(snap: &Snapshot) -> usize {
    changes(None, snap)
        .iter()
        .filter(|c| c.kind == ChangeKind::NewIncident)
        .count()
}

fn ids<T>(items: &[T], id: fn(&T) -> &str) -> BTreeSet<String> {
    items.iter().map(|x| id(x).to_string()).collect()
}

#[tokio::test]
async fn digest_checklist_and_views_count_the_same_records() {
    let sim = console_common::sim().await;
    let client = console_common::client(&sim);
    let digest = collect(&client, "p", "fabrikam", now()).await.unwrap();
    let mut s = console_common::empty_state();
    let payloads = console_common::sim_payloads(&client, &DAILY_KINDS).await;
    console_common::deliver(&mut s, payloads, now());

    let (figure, rows) = open_task(&mut s, "pending", TableId::ActionsPending);
    let n = numbers(&figure);
    assert_eq!(n[0], digest.pending_actions.len(), "{figure}");
    let investigations = n.get(1).copied().unwrap_or(0);
    assert_eq!(
        investigations,
        digest.pending_investigations.len(),
        "{figure}"
    );
    assert_eq!(rows, n[0] + investigations, "{figure}");
    assert!(n[0] > 0, "the tenant has waiting actions: {figure}");

    let (figure, rows) = open_task(&mut s, "threats", TableId::DevicesAtRisk);
    let n = numbers(&figure);
    assert_eq!(n[0] + n[1], digest.devices_at_risk.len(), "{figure}");
    assert_eq!(rows, n[0] + n[1], "{figure}");
    assert!(rows > 0, "{figure}");

    let (figure, rows) = open_task(&mut s, "incidents", TableId::Incidents);
    let n = numbers(&figure);
    assert_eq!(n[0], new_incidents(&digest), "{figure}");
    assert_eq!(rows, n[0], "{figure}");

    // The snapshot the console leaves holds the digest's records, in the digest's order.
    let mut kinds = DAILY_KINDS.to_vec();
    kinds.push(socops::app::ResourceKind::Recommendations);
    let payloads = console_common::sim_payloads(&client, &kinds).await;
    console_common::deliver(&mut s, payloads, now());
    let mine = from_state(&s, "p", now());
    let id_of = |a: &socops::digest::model::ActionItem| a.id.clone();
    assert_eq!(
        mine.pending_actions.iter().map(id_of).collect::<Vec<_>>(),
        digest.pending_actions.iter().map(id_of).collect::<Vec<_>>()
    );
    assert_eq!(
        mine.failed_actions.iter().map(id_of).collect::<Vec<_>>(),
        digest.failed_actions.iter().map(id_of).collect::<Vec<_>>()
    );
    assert_eq!(mine.devices_at_risk, digest.devices_at_risk);
    assert_eq!(mine.inactive_devices, digest.inactive_devices);
    assert_eq!(
        ids(&mine.incidents, |i| &i.id),
        ids(&digest.incidents, |i| &i.id)
    );
    assert_eq!(
        ids(&mine.pending_investigations, |i| &i.id),
        ids(&digest.pending_investigations, |i| &i.id)
    );
    assert_eq!(mine.recommendations, digest.recommendations);
}

/// An incident opened and closed overnight is new to the digest and to the checklist alike;
/// one the service gives no update time is in neither's 30-day list.
#[test]
fn new_means_the_same_in_the_digest_and_the_checklist() {
    let mut s = console_common::empty_state();
    let hours_ago = |h: i64| (now() - chrono::Duration::hours(h)).to_rfc3339();
    let incidents = json!([
        {"id": "1", "status": "resolved", "severity": "high",
         "createdDateTime": hours_ago(2), "lastUpdateDateTime": hours_ago(1)},
        {"id": "2", "status": "active", "severity": "low",
         "createdDateTime": hours_ago(3), "lastUpdateDateTime": hours_ago(3)},
        {"id": "3", "status": "active", "severity": "low",
         "createdDateTime": hours_ago(30), "lastUpdateDateTime": hours_ago(2)},
        {"id": "4", "status": "active", "severity": "low",
         "createdDateTime": hours_ago(40)}
    ]);
    console_common::deliver(
        &mut s,
        vec![Payload::Incidents(
            serde_json::from_value(incidents).unwrap(),
        )],
        now(),
    );
    let snap = from_state(&s, "p", now());
    assert_eq!(
        ids(&snap.incidents, |i| &i.id),
        ["1", "2", "3"].map(String::from).into()
    );
    let (figure, rows) = open_task(&mut s, "incidents", TableId::Incidents);
    assert_eq!(numbers(&figure)[0], 2, "{figure}");
    assert_eq!(new_incidents(&snap), 2);
    assert_eq!(rows, 2);
}
