//! The recommendation page: Enter on a recommendation opens it and asks the runtime for its
//! exposed devices (`machineReferences`) once; the answer fills the page with device rows
//! (Enter opens a device), the service's refusal (404 for an unknown id) is said on the page,
//! an older answer is dropped, and offline nothing is asked. The page links to that
//! recommendation in the portal. Snapshots at 80×24 and 120×40.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::api::Client;
use socops::api::calls::Skipped;
use socops::api::plan::Plan;
use socops::app::pages::extra::PageFetch;
use socops::app::pages::working::{Subject, Target};
use socops::app::{AppState, Command, Key, LoadError, Msg, ResourceKind, TableId, update};
use socops::runtime::fetch::read_page;

mod page_console;
mod screen;
use page_console::{console_on, enter, esc, key, palette, recorded_console};
use screen::draw;

fn has(s: &AppState, needle: &str) -> bool {
    s.detail
        .as_ref()
        .expect("a page")
        .lines
        .iter()
        .any(|l| l.contains(needle))
}

/// The recommendations view with `id` selected.
fn select_recommendation(s: &mut AppState, id: &str) {
    palette(s, "recommendations");
    let t = s.tables.get_mut(&TableId::Recommendations).unwrap();
    t.selected = t.view.iter().position(|i| t.rows.id(*i) == id).unwrap();
}

/// The one `LoadPage` among `cmds`.
fn load_page(cmds: &[Command]) -> (u64, PageFetch) {
    let loads: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::LoadPage { id, fetch } => Some((*id, fetch.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(loads.len(), 1, "{cmds:?}");
    loads[0].clone()
}

/// What the runtime answers for a `LoadPage` (the worker's read, without its channel).
async fn answer(client: &Client, id: u64, fetch: &PageFetch) -> Msg {
    let mut skipped = Skipped::default();
    let result = read_page(client, fetch, &mut skipped)
        .await
        .map_err(|e| LoadError {
            text: e.to_string(),
            code: e.code().map(str::to_string),
            correlation_id: None,
        });
    Msg::PageLoaded { id, result }
}

fn most_exposed(s: &AppState) -> String {
    s.data
        .recommendations
        .data()
        .unwrap()
        .iter()
        .max_by_key(|r| r.exposed_machines_count.unwrap_or(0))
        .unwrap()
        .id
        .clone()
}

#[tokio::test]
async fn enter_reads_the_exposed_devices_once_and_they_open_device_pages() {
    let (mut s, client, _sim) = console_on(Plan::P2, &[ResourceKind::Recommendations]).await;
    let id = most_exposed(&s);
    select_recommendation(&mut s, &id);
    let cmds = key(&mut s, Key::plain(socops::app::KeyCode::Enter));
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Recommendation(id.clone()))
    );
    let (req, fetch) = load_page(&cmds);
    assert_eq!(fetch, PageFetch::ExposedDevices(id.clone()));
    assert!(has(&s, "Exposed devices: reading them from the service"));
    let link = s.detail.as_ref().unwrap().link.clone().unwrap();
    assert_eq!(
        link,
        format!("https://security.microsoft.com/security-recommendations?recommendationId={id}")
    );
    update(&mut s, answer(&client, req, &fetch).await);
    let d = s.detail.as_ref().unwrap();
    let rows: Vec<Target> = d
        .items
        .iter()
        .filter(|i| matches!(i.target, Target::Device(..)))
        .map(|i| i.target.clone())
        .collect();
    let want = s
        .data
        .recommendations
        .data()
        .unwrap()
        .iter()
        .find(|r| r.id == id)
        .unwrap()
        .exposed_machines_count
        .unwrap();
    assert_eq!(rows.len() as i64, want, "one row per exposed device");
    assert!(has(&s, &format!("Exposed devices ({want})")));
    assert!(has(&s, "remediation "));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("recommendation_page_{w}x{h}"), draw(&mut s, w, h));
    }
    // Enter on a device opens its page; Esc comes back without reading again.
    let Target::Device(machine, _) = rows[0].clone() else {
        panic!()
    };
    enter(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Device(machine))
    );
    esc(&mut s);
    assert!(has(&s, &format!("Exposed devices ({want})")));
    // Opened again from the table: the devices are on hand, nothing is read.
    esc(&mut s);
    let cmds = key(&mut s, Key::plain(socops::app::KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::LoadPage { .. })),
        "{cmds:?}"
    );
}

#[tokio::test]
async fn the_service_s_no_is_said_on_the_page_and_an_older_answer_is_dropped() {
    let (mut s, client, _sim) = console_on(Plan::P2, &[ResourceKind::Recommendations]).await;
    let id = most_exposed(&s);
    // The simulator answers an unknown recommendation as the service does: 404.
    let mut skipped = Skipped::default();
    let err = read_page(
        &client,
        &PageFetch::ExposedDevices("va-_-nobody-_-nothing".into()),
        &mut skipped,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFound"), "{err}");

    select_recommendation(&mut s, &id);
    let cmds = key(&mut s, Key::plain(socops::app::KeyCode::Enter));
    let (req, fetch) = load_page(&cmds);
    // An answer to another request changes nothing.
    update(
        &mut s,
        Msg::PageLoaded {
            id: req + 1000,
            result: Ok(socops::app::pages::extra::PageData::ExposedDevices(vec![])),
        },
    );
    assert!(has(&s, "reading them from the service"));
    // The service's refusal is shown on the page, never an empty list.
    update(
        &mut s,
        Msg::PageLoaded {
            id: req,
            result: Err(LoadError {
                text: err.to_string(),
                code: Some("ResourceNotFound".into()),
                correlation_id: None,
            }),
        },
    );
    assert!(has(&s, "Exposed devices could not be read: "));
    assert!(!has(&s, "Exposed devices ("));
    // Opening it again tries again.
    esc(&mut s);
    let cmds = key(&mut s, Key::plain(socops::app::KeyCode::Enter));
    let (again, _) = load_page(&cmds);
    assert_ne!(again, req);
    update(&mut s, answer(&client, again, &fetch).await);
    assert!(has(&s, "Exposed devices ("));
}

#[tokio::test]
async fn offline_the_page_asks_nothing_and_says_why() {
    let mut s = recorded_console(Plan::P2, &[ResourceKind::Recommendations]);
    s.settings.offline = true;
    let id = most_exposed(&s);
    select_recommendation(&mut s, &id);
    let cmds = key(&mut s, Key::plain(socops::app::KeyCode::Enter));
    assert!(
        !cmds.iter().any(|c| matches!(c, Command::LoadPage { .. })),
        "{cmds:?}"
    );
    assert!(has(&s, "Exposed devices: offline, nothing is sent"));
}

#[tokio::test]
async fn threat_analytics_has_one_row_per_report_saying_what_it_affects() {
    let mut s = recorded_console(
        Plan::P2,
        &[ResourceKind::Recommendations, ResourceKind::Vulnerabilities],
    );
    // Two recommendations name the same report (once in capitals), a third names another.
    let recs = serde_json::json!([
        {"id": "va-_-google-_-chrome", "recommendationName": "Update Google Chrome",
         "productName": "chrome", "relatedComponent": "Chrome", "publicExploit": true,
         "exposedMachinesCount": 12, "associatedThreats": ["3f1b2a9c-5d4e-4c8b-9a71-2e6f0d8c4b13"]},
        {"id": "va-_-microsoft-_-edge", "recommendationName": "Update Microsoft Edge",
         "productName": "edge", "relatedComponent": "Edge", "publicExploit": false,
         "exposedMachinesCount": 30, "associatedThreats": ["3F1B2A9C-5D4E-4C8B-9A71-2E6F0D8C4B13",
                                                             "7a9e4c21-0b3d-4f5a-8e62-91c7d5f3a208"]},
        {"id": "va-_-7zip-_-7zip", "recommendationName": "Update 7-Zip",
         "productName": "7zip", "exposedMachinesCount": 3, "associatedThreats": []}
    ]);
    s.data.start(ResourceKind::Recommendations, 77_001);
    update(
        &mut s,
        Msg::Loaded {
            id: 77_001,
            at: page_console::now(),
            payload: Box::new(socops::app::Payload::Recommendations(
                serde_json::from_value(recs).unwrap(),
            )),
        },
    );
    let t = s.table(TableId::Threats).unwrap();
    let reports: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.cell(0).starts_with("threat report "))
        .collect();
    assert_eq!(reports.len(), 2, "one row per report");
    let shared = reports
        .iter()
        .find(|r| {
            r.id()
                .eq_ignore_ascii_case("3f1b2a9c-5d4e-4c8b-9a71-2e6f0d8c4b13")
        })
        .unwrap();
    assert!(
        shared.cell(0).ends_with("· Chrome, Edge"),
        "{}",
        shared.cell(0)
    );
    assert_eq!(
        shared.cell(1),
        "≥30",
        "the largest exposure, never a double count"
    );
    assert_eq!(shared.cell(2), "yes");
    assert_eq!(shared.cell(4), "2 recommendation(s)");
    assert_eq!(
        shared.link().as_deref(),
        Some(
            "https://security.microsoft.com/threatanalytics3/3f1b2a9c-5d4e-4c8b-9a71-2e6f0d8c4b13/overview"
        )
    );
    // Drawn from these records (not the live generator), so the snapshot stays put.
    palette(&mut s, "threats");
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("threats_{w}x{h}"), draw(&mut s, w, h));
    }
    // The simulated tenant's reports are shared by several recommendations too.
    let (mut s, _client, _sim) = console_on(
        Plan::P2,
        &[ResourceKind::Recommendations, ResourceKind::Vulnerabilities],
    )
    .await;
    palette(&mut s, "threats");
    let t = s.table(TableId::Threats).unwrap();
    let mut ids: Vec<String> = t.rows.iter().map(|r| r.id().to_lowercase()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no id twice");
    assert!(
        t.rows
            .iter()
            .filter(|r| !r.cell(0).starts_with("threat report "))
            .all(|r| r.cell(0).starts_with("vulnerability CVE-")),
        "every row says what its id is"
    );
    assert!(
        t.rows
            .iter()
            .any(|r| r.cell(4) != "1 recommendation(s)" && r.cell(0).starts_with("threat")),
        "a report shared by recommendations"
    );
}
