//! Scenario tests of response actions in `update` after the send: tracking to each terminal
//! status, the package download, resume after a restart, reloads, investigations that await
//! approval, and the isolation state of a device.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use serde_json::json;
use socops::api::model::ActionStatus;
use socops::app::actions::{ResultKind, SendResult, Tracked, resume};
use socops::app::{
    Command, Key, KeyCode, Msg, Payload, ResourceKind, Settings, TableId, View, update,
};

mod app_actions_common;
use app_actions_common::*;

#[test]
fn tracking_reaches_each_terminal_status() {
    for status in ["Succeeded", "Failed", "TimeOut", "Cancelled"] {
        let mut s = on_devices(Settings::default());
        select_device(&mut s, "pc-01");
        key(&mut s, Key::ch('V'));
        typed(&mut s, "scan");
        let ticket = sends(&enter(&mut s))[0].0;
        let cmds = update(
            &mut s,
            Msg::ActionSent {
                ticket,
                result: SendResult::Sent {
                    id: Some("act-9".into()),
                    status: Some("Pending".into()),
                },
            },
        );
        assert!(cmds.contains(&Command::TrackAction { id: "act-9".into() }));
        assert!(cmds.iter().any(|c| matches!(c, Command::SaveTracked(_))));
        update(
            &mut s,
            Msg::ActionProgress {
                id: "act-9".into(),
                status: "InProgress".into(),
            },
        );
        assert_eq!(s.actions.tracked[0].status, ActionStatus::InProgress);
        assert!(
            socops::app::actions::track::progress_line(&s)
                .unwrap()
                .contains("InProgress")
        );
        let cmds = update(
            &mut s,
            Msg::ActionProgress {
                id: "act-9".into(),
                status: status.into(),
            },
        );
        assert!(s.actions.tracked.is_empty());
        assert!(cmds.iter().any(|c| matches!(c, Command::SaveTracked(_))));
        // The affected data reloads (or a reload is already in flight).
        assert!(
            cmds.iter()
                .any(|c| matches!(c, Command::Load(ResourceKind::MachineActions, _)))
                || s.data.pending(ResourceKind::MachineActions).is_some()
        );
        assert!(s.data.pending(ResourceKind::Machines).is_some());
        let t = &s.toasts.last().unwrap().text;
        assert!(t.ends_with(status), "{t}");
    }
}

#[test]
fn collect_package_success_fetches_the_package() {
    let mut s = on_devices(Settings::default());
    resume(
        &mut s,
        vec![Tracked {
            id: "c1".into(),
            label: "Collect investigation package".into(),
            device: "pc-01.contoso.local".into(),
            status: "Pending".into(),
            stopped: false,
            result: ResultKind::Package,
        }],
    );
    let cmds = update(
        &mut s,
        Msg::ActionProgress {
            id: "c1".into(),
            status: "Succeeded".into(),
        },
    );
    assert!(cmds.contains(&Command::FetchResult {
        id: "c1".into(),
        what: ResultKind::Package,
        device: "pc-01.contoso.local".into()
    }));
}

#[test]
fn resume_after_restart_tracks_saved_actions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tracked-work.json");
    let saved = vec![Tracked {
        id: "a7".into(),
        label: "Isolate device".into(),
        device: "pc-01".into(),
        status: "InProgress".into(),
        stopped: false,
        result: ResultKind::None,
    }];
    socops::runtime::tracker::save_tracked(&path, &saved).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let loaded = socops::runtime::tracker::load_tracked(&path);
    assert_eq!(loaded, saved);
    let mut s = state_with(Settings::default());
    let cmds = resume(&mut s, loaded);
    assert_eq!(cmds, vec![Command::TrackAction { id: "a7".into() }]);
    assert_eq!(s.actions.tracked.len(), 1);
}

#[test]
fn enter_on_an_investigation_pending_approval_hands_over() {
    let mut s = state_with(Settings::default());
    let inv = json!([{"id": "inv-1", "state": "PendingApproval", "machineId": "m-win",
                      "computerDnsName": "pc-01", "startTime": "2026-11-30T07:00:00Z"}]);
    feed(
        &mut s,
        Payload::Investigations(serde_json::from_value(inv).unwrap()),
    );
    update(&mut s, Msg::Key(Key::ch(':')));
    typed(&mut s, "actions");
    enter(&mut s);
    let cmds = enter(&mut s);
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::Handover { targets, .. } if targets == &vec!["inv-1".to_string()])),
        "{cmds:?}"
    );
    assert!(cmds.iter().any(|c| matches!(c, Command::OpenUrl(_))));
    // The investigation's own page, not the generic queue.
    assert!(
        cmds.iter().any(|c| matches!(c,
            Command::CopyToClipboard(u) if u == "https://security.microsoft.com/airinvestigation/inv-1")),
        "{cmds:?}"
    );
}

#[test]
fn a_tenant_that_no_longer_answers_investigations_is_not_in_error() {
    let mut s = state_with(Settings::default());
    update(&mut s, Msg::Key(Key::ch(':')));
    typed(&mut s, "actions");
    enter(&mut s);
    let id = s.data.pending(ResourceKind::Investigations);
    if let Some(id) = id {
        update(
            &mut s,
            Msg::LoadFailed {
                id,
                at: now(),
                kind: ResourceKind::Investigations,
                error: socops::app::LoadError {
                    text: "404 ResourceNotFound".into(),
                    code: None,
                    correlation_id: None,
                },
            },
        );
    }
    assert!(s.data.error(ResourceKind::Investigations).is_some());
    assert!(s.view_errors().is_empty(), "{:?}", s.view_errors());
}

#[test]
fn finished_action_reloads_after_a_load_already_in_flight() {
    let mut s = on_devices(Settings::default());
    resume(
        &mut s,
        vec![Tracked {
            id: "s1".into(),
            label: "Run antivirus scan".into(),
            device: "pc-01.contoso.local".into(),
            status: "InProgress".into(),
            stopped: false,
            result: ResultKind::None,
        }],
    );
    // A refresh of the machine actions is in flight when the action finishes.
    go_actions(&mut s);
    let before = s.data.pending(ResourceKind::MachineActions).unwrap();
    let cmds = update(
        &mut s,
        Msg::ActionProgress {
            id: "s1".into(),
            status: "Succeeded".into(),
        },
    );
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Command::Load(ResourceKind::MachineActions, _)))
    );
    // The older answer lands: a new load follows, so the Succeeded status shows.
    let cmds = update(
        &mut s,
        Msg::Loaded {
            id: before,
            at: now(),
            payload: Box::new(actions_payload()),
        },
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::Load(ResourceKind::MachineActions, _))),
        "{cmds:?}"
    );
    let after = s.data.pending(ResourceKind::MachineActions).unwrap();
    assert_ne!(after, before);
    // Only once.
    let cmds = update(
        &mut s,
        Msg::Loaded {
            id: after,
            at: now(),
            payload: Box::new(actions_payload()),
        },
    );
    assert!(
        !cmds
            .iter()
            .any(|c| matches!(c, Command::Load(ResourceKind::MachineActions, _)))
    );
}

#[test]
fn stopped_tracking_keeps_the_action_and_a_404_forgets_it() {
    let mut s = on_devices(Settings::default());
    let t = |id: &str| Tracked {
        id: id.into(),
        label: "Run antivirus scan".into(),
        device: "pc-01".into(),
        status: "Pending".into(),
        stopped: false,
        result: ResultKind::None,
    };
    resume(&mut s, vec![t("a"), t("b")]);
    update(
        &mut s,
        Msg::TrackingStopped {
            id: "a".into(),
            error: "network error".into(),
            gone: false,
        },
    );
    assert_eq!(s.actions.tracked.len(), 2);
    assert!(s.actions.tracked[0].stopped);
    assert!(
        socops::app::actions::track::progress_line(&s)
            .unwrap()
            .contains("(tracking stopped)")
    );
    let last = &s.toasts.last().unwrap().text;
    assert!(last.contains("tracking stopped: network error"), "{last}");
    let cmds = update(
        &mut s,
        Msg::TrackingStopped {
            id: "b".into(),
            error: "action not found".into(),
            gone: true,
        },
    );
    assert!(cmds.iter().any(|c| matches!(c, Command::SaveTracked(_))));
    assert_eq!(s.actions.tracked.len(), 1);
    let last = &s.toasts.last().unwrap().text;
    assert!(
        last.contains("action not found") && !last.contains("Failed"),
        "{last}"
    );
}

#[test]
fn isolation_state_picks_isolate_or_release_and_marks_the_row() {
    let mut s = on_devices(Settings::default());
    let a = json!([
        {"id": "i1", "type": "Isolate", "status": "Succeeded", "machineId": "m-win",
         "creationDateTimeUtc": "2026-11-30T06:00:00Z"},
        {"id": "u1", "type": "Unisolate", "status": "Failed", "machineId": "m-win",
         "creationDateTimeUtc": "2026-11-30T07:00:00Z"}
    ]);
    feed(
        &mut s,
        Payload::MachineActions(serde_json::from_value(a).unwrap()),
    );
    s.view = View::Devices;
    let rows = &s.tables[&TableId::Devices].rows;
    let win = rows.iter().find(|r| r.id() == "m-win").unwrap();
    assert!(win.cell(0).contains("[isolated]"), "{:?}", win.to_row());
    let lin = rows.iter().find(|r| r.id() == "m-lin").unwrap();
    assert!(!lin.cell(0).contains("isolat"), "{:?}", lin.to_row());

    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('.'));
    let titles: Vec<&str> = s
        .actions
        .menu
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|k| k.title())
        .collect();
    assert!(titles.contains(&"Release from isolation"), "{titles:?}");
    assert!(!titles.contains(&"Isolate device"), "{titles:?}");
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::ch('i'));
    assert_eq!(
        s.actions.dialog.as_ref().unwrap().dialog.title,
        "Release from isolation"
    );
    key(&mut s, Key::plain(KeyCode::Esc));

    select_device(&mut s, "srv-02");
    key(&mut s, Key::ch('.'));
    let titles: Vec<&str> = s
        .actions
        .menu
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|k| k.title())
        .collect();
    assert!(titles.contains(&"Isolate device") && !titles.contains(&"Release from isolation"));
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::ch('i'));
    assert_eq!(
        s.actions.dialog.as_ref().unwrap().dialog.title,
        "Isolate device"
    );
}

/// A device isolated 45 days ago (outside the 30-day action window) and never released: the
/// console's machine-action load also reads older Isolate/Unisolate records, so it shows as
/// isolated and `.` offers Release.
#[tokio::test]
async fn isolation_older_than_the_window_still_shows_and_offers_release() {
    use socops::api::auth::StaticToken;
    use socops::api::{Client, Cloud, Endpoints, RetryPolicy};
    use std::sync::Arc;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    let old = (now() - chrono::Duration::days(45)).to_rfc3339();
    let history = json!({"value": [
        {"id": "i-old", "type": "Isolate", "status": "Succeeded", "machineId": "m-win",
         "creationDateTimeUtc": old}
    ]});
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .and(|r: &wiremock::Request| {
            r.url
                .query_pairs()
                .any(|(k, v)| k == "$filter" && v.contains("Isolate"))
        })
        .respond_with(ResponseTemplate::new(200).set_body_json(history))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/machineactions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": []})))
        .with_priority(2)
        .mount(&server)
        .await;
    let uri = server.uri();
    let client = Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(&uri), Some(&uri), Some(&uri)),
        Arc::new(StaticToken::new("tok", "test")),
        RetryPolicy::fast(),
    );
    let payload = socops::runtime::fetch::fetch(&client, ResourceKind::MachineActions, now())
        .await
        .unwrap();
    let reqs = server.received_requests().await.unwrap();
    // $orderby is not documented for machineactions: never sent.
    assert!(
        reqs.iter()
            .all(|r| !r.url.query_pairs().any(|(k, _)| k == "$orderby")),
        "{reqs:?}"
    );
    assert_eq!(
        reqs.len(),
        2,
        "one windowed list and one bounded history read"
    );
    let history_query = reqs
        .iter()
        .filter_map(|r| r.url.query_pairs().find(|(k, _)| k == "$filter"))
        .map(|(_, v)| v.to_string())
        .find(|f| f.contains("Isolate"))
        .unwrap();
    assert!(
        history_query.contains("type eq 'Unisolate'"),
        "{history_query}"
    );

    let mut s = on_devices(Settings::default());
    feed(&mut s, payload);
    let rows = &s.tables[&TableId::Devices].rows;
    let win = rows.iter().find(|r| r.id() == "m-win").unwrap();
    assert!(win.cell(0).contains("[isolated]"), "{:?}", win.to_row());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('.'));
    let menu = s.actions.menu.as_ref().unwrap();
    let titles: Vec<&str> = menu.items.iter().map(|k| k.title()).collect();
    assert!(titles.contains(&"Release from isolation"), "{titles:?}");
}
