//! One record that does not fit its model never blanks a console view or zeroes a digest
//! section: it is skipped, counted ("1 record could not be read"), and the rest is kept; the
//! console lists it in `:errors`, the digest in its notes. A list of nothing but unreadable
//! records is an error, not an empty list.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use socops::api::auth::StaticToken;
use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
use socops::app::data::checklist::Marks;
use socops::app::{AppState, Keymap, Msg, ResourceKind, Settings, update};
use socops::runtime::worker::Worker;
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

fn client(url: &str) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", "ana@contoso.com")),
        RetryPolicy::fast(),
    )
}

fn machine(id: &str, name: &str) -> Value {
    json!({"id": id, "computerDnsName": name, "riskScore": "High", "healthStatus": "Active",
           "lastSeen": "2026-11-30T07:00:00Z"})
}

/// Two good devices with a record between them whose name is not a string.
async fn server_with_one_bad_device() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [
            machine(A, "pc-a"),
            {"id": "cccccccccccccccccccccccccccccccccccccccc", "computerDnsName": ["not", "a", "name"]},
            machine(B, "pc-b"),
        ]})))
        .mount(&server)
        .await;
    server
}

async fn next_msg(rx: &mut mpsc::UnboundedReceiver<Msg>) -> Msg {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a message within 30 s")
        .expect("channel open")
}

#[tokio::test]
async fn the_devices_view_keeps_the_good_records_and_errors_counts_the_bad_one() {
    let server = server_with_one_bad_device().await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let worker = Worker::new(client(&server.uri()), tx);
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        Utc::now(),
    );
    s.data.start(ResourceKind::Machines, 7);
    worker.load(ResourceKind::Machines, 7);
    let mut loaded = false;
    let mut skipped = None;
    while !(loaded && skipped.is_some()) {
        match next_msg(&mut rx).await {
            Msg::Budget { .. } => continue,
            m @ Msg::Loaded { .. } => {
                loaded = true;
                update(&mut s, m);
            }
            Msg::RecordsSkipped { at, kind, summary } => {
                skipped = Some(summary.clone());
                update(&mut s, Msg::RecordsSkipped { at, kind, summary });
            }
            other => panic!("{other:?}"),
        }
    }
    let machines = s.data.machines.data().expect("the view has its devices");
    let ids: Vec<&str> = machines.iter().map(|m| m.id()).collect();
    assert_eq!(ids, [A, B]);
    let summary = skipped.unwrap();
    assert!(
        summary.starts_with("1 record could not be read (record 2 of machines"),
        "{summary}"
    );
    // `:errors` lists it, naming the load.
    let e = s.errors.last().expect("an entry in :errors");
    assert!(e.what.contains("load"), "{e:?}");
    assert!(e.error.text.contains("1 record could not be read"), "{e:?}");
    assert!(s.data.machines.error().is_none(), "the view is not failed");
}

/// Offline the same rule holds: a cached record that no longer fits its model (written by an
/// older socops, or edited) is skipped and counted, and the view keeps the rest (before, the
/// whole view failed with "cached record 2 is damaged").
#[tokio::test]
async fn the_offline_devices_view_keeps_the_good_cached_records_and_counts_the_bad_one() {
    use serde_json::value::RawValue;
    use socops::api::resources::ListResource;
    use socops::runtime::offline::OfflineSource;
    use socops::store::ResponseCache;

    let tmp = tempfile::tempdir().unwrap();
    let cache = ResponseCache::new(tmp.path());
    let records: Vec<Box<RawValue>> = [
        machine(A, "pc-a"),
        json!({"id": "cccccccccccccccccccccccccccccccccccccccc", "computerDnsName": ["not", "a", "name"]}),
        machine(B, "pc-b"),
    ]
    .iter()
    .map(|v| RawValue::from_string(v.to_string()).unwrap())
    .collect();
    assert!(
        cache
            .save_raw("p", ListResource::Devices, &records, Utc::now())
            .unwrap()
    );
    let (tx, mut rx) = mpsc::unbounded_channel();
    // Offline nothing is sent: the client points at a name that never resolves.
    let worker = Worker::new(client("http://offline.invalid"), tx).offline(OfflineSource {
        cache,
        profile: "p".into(),
        snapshot: None,
    });
    worker.load(ResourceKind::Machines, 7);
    let Msg::Loaded { payload, .. } = next_msg(&mut rx).await else {
        panic!("the offline view loads");
    };
    let socops::app::Payload::Machines(machines) = *payload else {
        panic!("devices");
    };
    let ids: Vec<&str> = machines.iter().map(|m| m.id()).collect();
    assert_eq!(ids, [A, B]);
    let Msg::RecordsSkipped { kind, summary, .. } = next_msg(&mut rx).await else {
        panic!("the skipped record is counted");
    };
    assert_eq!(kind, ResourceKind::Machines);
    assert!(
        summary.starts_with("1 record could not be read (record 2 of machines"),
        "{summary}"
    );
}

#[tokio::test]
async fn a_digest_section_keeps_the_good_records_and_notes_the_bad_one() {
    let server = server_with_one_bad_device().await;
    // Everything else the digest reads answers an empty list (the scores' reads fail and are
    // noted; that is not what this test is about).
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .mount(&server)
        .await;
    let snap = socops::digest::collect(&client(&server.uri()), "p", "t", Utc::now())
        .await
        .unwrap();
    let at_risk: Vec<&str> = snap.devices_at_risk.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(at_risk, [A, B]);
    assert!(
        snap.notes
            .iter()
            .any(|n| n.starts_with("devices at risk: 1 record could not be read")),
        "{:?}",
        snap.notes
    );
    let text = socops::digest::render(None, &snap, socops::digest::DigestFormat::Text);
    assert!(text.contains("1 record could not be read"), "{text}");
}

#[tokio::test]
async fn a_list_of_nothing_but_unreadable_records_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/machines"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": ["x", 5]})))
        .mount(&server)
        .await;
    let err = socops::api::calls::machines(None)
        .fetch_lenient::<socops::api::model::Machine>(&client(&server.uri()), None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("2 records could not be read"),
        "{err}"
    );
}
