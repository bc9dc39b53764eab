//! Scenario tests of response actions in `update`: dialogs, typed-name confirmation,
//! read-only refusal, runtime answers, multi-select cancel, tracking and resume.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use socops::api::calls::ActionRequest;
use socops::api::model::ActionStatus;
use socops::app::actions::{ResultKind, SendResult, Tracked, resume};
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View,
    start, update,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

fn machines() -> Payload {
    let ms = json!([
        {"id": "m-win", "computerDnsName": "pc-01.contoso.local", "osPlatform": "Windows11",
         "riskScore": "High", "healthStatus": "Active"},
        {"id": "m-lin", "computerDnsName": "srv-02.contoso.local", "osPlatform": "Ubuntu",
         "riskScore": "Low", "healthStatus": "Active"}
    ]);
    Payload::Machines(serde_json::from_value(ms).unwrap())
}

fn actions_payload() -> Payload {
    let a = json!([
        {"id": "a1", "type": "RunAntiVirusScan", "status": "Pending", "machineId": "m-win",
         "computerDnsName": "pc-01.contoso.local", "requestor": "ana@contoso.com",
         "requestorComment": "scan", "creationDateTimeUtc": "2026-11-30T07:00:00Z"},
        {"id": "a2", "type": "Isolate", "status": "InProgress", "machineId": "m-lin",
         "computerDnsName": null, "requestor": "bo@contoso.com",
         "requestorComment": "iso", "creationDateTimeUtc": "2026-11-30T06:00:00Z"}
    ]);
    Payload::MachineActions(serde_json::from_value(a).unwrap())
}

fn state_with(settings: Settings) -> AppState {
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    feed(&mut s, machines());
    s
}

fn feed(s: &mut AppState, payload: Payload) {
    let kind = payload.kind();
    let id = match s.data.pending(kind) {
        Some(id) => id,
        None => {
            update(s, Msg::Key(Key::ch('r')));
            s.data.pending(kind).unwrap_or(0)
        }
    };
    update(
        s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(payload),
        },
    );
}

fn on_devices(settings: Settings) -> AppState {
    let mut s = state_with(settings);
    s.view = View::Devices;
    socops::app::data::derive::rebuild(&mut s, ResourceKind::Machines);
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        key(s, Key::ch(c));
    }
}

fn enter(s: &mut AppState) -> Vec<Command> {
    key(s, Key::plain(KeyCode::Enter))
}

fn sends(cmds: &[Command]) -> Vec<(u64, ActionRequest, bool)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SendAction {
                ticket,
                request,
                dry_run,
                ..
            } => Some((*ticket, (**request).clone(), *dry_run)),
            _ => None,
        })
        .collect()
}

fn select_device(s: &mut AppState, name: &str) {
    let t = s.tables.get_mut(&TableId::Devices).unwrap();
    let pos = t
        .view
        .iter()
        .position(|i| t.rows.get(*i).unwrap().cells().any(|c| c.contains(name)))
        .unwrap();
    t.selected = pos;
}

#[test]
fn scan_dialog_types_a_comment_and_confirms_into_one_send() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    let cmds = key(&mut s, Key::ch('V'));
    assert!(cmds.contains(&Command::LoadLibrary));
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Run antivirus scan");
    assert!(d.targets[0].contains("pc-01.contoso.local · Windows11 · risk High"));
    // Empty comment: refused in the dialog, nothing sent.
    assert!(sends(&enter(&mut s)).is_empty());
    assert!(s.actions.dialog.as_ref().unwrap().dialog.error.is_some());
    typed(&mut s, "weekly check");
    // Shift-tab to the Scan choice, pick Full.
    key(&mut s, Key::plain(KeyCode::BackTab));
    key(&mut s, Key::plain(KeyCode::Right));
    let sent = sends(&enter(&mut s));
    assert_eq!(
        sent,
        vec![(
            0,
            ActionRequest::RunAntiVirusScan {
                machine_id: "m-win".into(),
                comment: "weekly check".into(),
                full: true
            },
            false
        )]
    );
    assert!(s.actions.dialog.is_none());
}

#[test]
fn menu_hides_windows_only_actions_on_linux_and_opens_a_dialog() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "srv-02");
    key(&mut s, Key::ch('.'));
    let menu = s.actions.menu.clone().unwrap();
    let titles: Vec<&str> = menu.items.iter().map(|k| k.title()).collect();
    assert!(titles.contains(&"Isolate device"));
    assert!(!titles.contains(&"Restrict app execution"));
    assert!(!titles.contains(&"Collect investigation package"));
    select_device(&mut s, "pc-01");
    key(&mut s, Key::plain(KeyCode::Esc));
    key(&mut s, Key::ch('.'));
    assert!(
        s.actions
            .menu
            .as_ref()
            .unwrap()
            .items
            .iter()
            .any(|k| k.title() == "Stop and quarantine file")
    );
    key(&mut s, Key::ch('j'));
    enter(&mut s);
    // The retired automated investigation's entry opens the full scan.
    assert_eq!(
        s.actions.dialog.as_ref().unwrap().dialog.title,
        "Run full antivirus scan"
    );
}

#[test]
fn investigate_key_opens_the_full_scan_with_a_note_on_the_retirement() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('I'));
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Run full antivirus scan");
    assert!(d.effect.contains("retired on 2026-09-01"), "{}", d.effect);
    typed(&mut s, "suspicious process");
    let sent = sends(&enter(&mut s));
    assert_eq!(
        sent,
        vec![(
            0,
            ActionRequest::RunAntiVirusScan {
                machine_id: "m-win".into(),
                comment: "suspicious process".into(),
                full: true
            },
            false
        )]
    );
}

#[test]
fn the_menu_offers_only_what_the_plan_includes() {
    let mut s = on_devices(Settings {
        plan: socops::api::plan::Plan::Business,
        ..Settings::default()
    });
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
    assert!(titles.contains(&"Isolate device"), "{titles:?}");
    assert!(titles.contains(&"Add file indicator (block/allow)"));
    for p2 in [
        "Stop and quarantine file",
        "Restrict app execution",
        "Collect investigation package",
        "Live response: run script",
    ] {
        assert!(
            !titles.contains(&p2),
            "{p2} offered on Defender for Business"
        );
    }
    key(&mut s, Key::plain(KeyCode::Esc));
    // Plan 1 adds stop and quarantine, still no live response.
    s.settings.plan = socops::api::plan::Plan::P1;
    key(&mut s, Key::ch('.'));
    let items = &s.actions.menu.as_ref().unwrap().items;
    assert!(
        items
            .iter()
            .any(|k| k.title() == "Stop and quarantine file")
    );
    assert!(!items.iter().any(|k| k.title() == "Live response: get file"));
}

#[test]
fn protected_isolate_requires_the_typed_device_name() {
    let mut s = on_devices(Settings {
        protected: true,
        ..Settings::default()
    });
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('i'));
    typed(&mut s, "contain");
    assert!(sends(&enter(&mut s)).is_empty());
    assert_eq!(
        s.actions.dialog.as_ref().unwrap().dialog.error.as_deref(),
        Some("type the device name to confirm")
    );
    key(&mut s, Key::plain(KeyCode::Tab));
    typed(&mut s, "pc-02");
    assert!(sends(&enter(&mut s)).is_empty());
    for _ in 0..5 {
        key(&mut s, Key::plain(KeyCode::Backspace));
    }
    typed(&mut s, "PC-01");
    let sent = sends(&enter(&mut s));
    assert!(matches!(
        &sent[..],
        [(_, ActionRequest::Isolate { selective: false, machine_id, .. }, false)] if machine_id == "m-win"
    ));
}

#[test]
fn dry_run_sends_nothing_and_shows_the_request() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('i'));
    typed(&mut s, "contain");
    let sent = sends(&key(&mut s, Key::ctrl('d')));
    assert_eq!(sent.len(), 1);
    assert!(sent[0].2, "dry run");
    let lines = vec!["POST https://x/api/machines/m-win/isolate".to_string()];
    update(
        &mut s,
        Msg::ActionSent {
            ticket: sent[0].0,
            result: SendResult::DryRun(lines.clone()),
        },
    );
    let d = s.detail.as_ref().unwrap();
    assert!(d.title.contains("nothing was sent"));
    assert_eq!(d.lines, lines);
}

#[test]
fn read_only_refuses_every_action_key_with_a_toast() {
    let mut s = on_devices(Settings {
        read_only: true,
        ..Settings::default()
    });
    select_device(&mut s, "pc-01");
    for c in ['.', 'V', 'i', 'I'] {
        let cmds = key(&mut s, Key::ch(c));
        assert!(sends(&cmds).is_empty());
        assert!(s.actions.dialog.is_none() && s.actions.menu.is_none());
        assert!(s.toasts.last().unwrap().text.starts_with("read-only"));
    }
    assert!(socops::app::actions::hints(&s).is_empty());
}

#[test]
fn duplicate_guard_answer_is_shown() {
    let mut s = on_devices(Settings::default());
    select_device(&mut s, "pc-01");
    key(&mut s, Key::ch('V'));
    typed(&mut s, "again");
    let ticket = sends(&enter(&mut s))[0].0;
    update(
        &mut s,
        Msg::ActionSent {
            ticket,
            result: SendResult::Duplicate {
                id: "a1".into(),
                status: "InProgress".into(),
            },
        },
    );
    let t = &s.toasts.last().unwrap().text;
    assert!(
        t.contains("already InProgress") && t.contains("nothing was sent"),
        "{t}"
    );
    assert!(s.actions.tracked.is_empty());
}

#[test]
fn multi_select_cancel_asks_once_and_sends_one_cancel_each() {
    let mut s = state_with(Settings::default());
    feed(&mut s, actions_payload());
    update(&mut s, Msg::Key(Key::ch(':')));
    typed(&mut s, "actions");
    enter(&mut s);
    assert_eq!(s.view, View::ActionCenter);
    key(&mut s, Key::ch('A'));
    assert_eq!(s.actions.marked.len(), 2);
    key(&mut s, Key::ch(' '));
    assert_eq!(s.actions.marked.len(), 1);
    // Space moved the cursor down, as in every table: back up to mark it again.
    key(&mut s, Key::ch('k'));
    key(&mut s, Key::ch(' '));
    key(&mut s, Key::ch('x'));
    let dlg = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(dlg.targets.len(), 2, "one confirmation lists all");
    typed(&mut s, "wrong device");
    let sent = sends(&enter(&mut s));
    let ids: Vec<String> = sent
        .iter()
        .map(|(_, r, _)| match r {
            ActionRequest::CancelAction { action_id, comment } => {
                assert_eq!(comment, "wrong device");
                action_id.clone()
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&"a1".to_string()) && ids.contains(&"a2".to_string()));
}

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

fn go_actions(s: &mut AppState) {
    s.view = View::ActionCenter;
    update(s, Msg::Key(Key::ch('r')));
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
