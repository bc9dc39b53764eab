//! The device and action pages as working pages, on the recorded tenant: a device's page
//! shows its isolation and restriction state, its open alerts by severity, its incidents and
//! recent actions, and warns when Defender counts it as inactive; the device keys act on that
//! device whatever row is selected; offboard asks for the typed name. An action's page names
//! its requestor, decodes the failure and lists live-response commands. Snapshots at 80×24
//! and 120×40.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::api::plan::Plan;
use socops::app::actions::{ActionKind, Purpose};
use socops::app::pages::working::{Subject, Target};
use socops::app::{AppState, Msg, Payload, ResourceKind, TableId, update};

mod page_console;
mod screen;
use page_console::{ch, console, enter, esc, now, palette, select};
use screen::draw;

fn lines(s: &AppState) -> Vec<String> {
    s.detail.as_ref().expect("a page").lines.clone()
}

fn has(s: &AppState, needle: &str) -> bool {
    lines(s).iter().any(|l| l.contains(needle))
}

/// The device with the most open alerts that also has an incident.
fn busiest_device(s: &AppState) -> String {
    let alerts = s.data.alerts.data().unwrap();
    let machines = s.data.machines.data().unwrap();
    machines
        .iter()
        .filter(|m| {
            s.data.incidents.data().unwrap().iter().any(|i| {
                i.alerts
                    .iter()
                    .flatten()
                    .any(|a| a.device_ids().contains(&m.id()))
            })
        })
        .max_by_key(|m| {
            alerts
                .iter()
                .filter(|a| a.machine_id.as_deref() == Some(m.id()) && a.is_open())
                .count()
        })
        .unwrap()
        .id()
        .to_string()
}

/// Enter on the device's row of the Devices view.
fn open_device(s: &mut AppState, id: &str) {
    palette(s, "devices");
    let t = s.tables.get_mut(&TableId::Devices).unwrap();
    t.selected = t.view.iter().position(|i| t.rows.id(*i) == id).unwrap();
    enter(s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Device(id.to_string()))
    );
}

#[tokio::test]
async fn the_device_page_shows_state_alerts_incidents_and_actions() {
    let mut s = console(Plan::P2);
    let id = busiest_device(&s);
    open_device(&mut s, &id);
    assert!(has(&s, "isolation        "), "{:#?}", lines(&s));
    assert!(has(&s, "app restriction  "));
    assert!(has(&s, "last seen "));
    let d = s.detail.as_ref().unwrap();
    // Open alerts first, highest severity first, with the count per severity above them.
    let heading = d
        .lines
        .iter()
        .position(|l| l.starts_with("Open alerts ("))
        .unwrap();
    assert!(d.lines[heading + 1].contains(" High") || d.lines[heading + 1].contains(" Medium"));
    let ranks: Vec<u8> = d
        .items
        .iter()
        .filter_map(|i| match &i.target {
            Target::Alert(a) => s
                .data
                .alerts
                .data()
                .unwrap()
                .iter()
                .find(|x| &x.id == a)
                .map(|x| x.severity_rank()),
            _ => None,
        })
        .collect();
    assert!(!ranks.is_empty());
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
    assert!(
        d.items
            .iter()
            .any(|i| matches!(i.target, Target::Incident(_))),
        "its incidents are rows"
    );
    // Enter on an incident opens its page; Esc comes back to the device.
    select(&mut s, |t| matches!(t, Target::Incident(_)));
    enter(&mut s);
    assert!(matches!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Incident(_))
    ));
    esc(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Device(id.clone()))
    );
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("device_page_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[tokio::test]
async fn device_keys_on_a_device_page_act_on_that_device_from_any_row() {
    let mut s = console(Plan::P2);
    let id = busiest_device(&s);
    open_device(&mut s, &id);
    // An incident row of a device's page: the incident may have several devices, but the
    // page is this device's, so no question is asked.
    select(&mut s, |t| matches!(t, Target::Incident(_)));
    for (k, kind) in [
        ('i', ActionKind::Isolate),
        ('V', ActionKind::Scan),
        ('I', ActionKind::Investigate),
    ] {
        ch(&mut s, k);
        assert!(s.actions.picker.is_none(), "{k} asked which device");
        let open = s.actions.dialog.as_ref().expect("a dialog");
        assert!(
            matches!(&open.purpose, Purpose::Device(x, d) if *x == kind && d.id == id),
            "{k}: {:?}",
            open.purpose
        );
        esc(&mut s);
    }
    // `.` opens the device menu for it.
    ch(&mut s, '.');
    assert!(s.actions.menu.is_some(), "the device menu");
}

#[tokio::test]
async fn offboarding_from_a_device_page_asks_for_the_typed_name_on_any_profile() {
    let mut s = console(Plan::P2);
    assert!(!s.settings.protected);
    let id = busiest_device(&s);
    open_device(&mut s, &id);
    ch(&mut s, '.');
    let menu = s.actions.menu.as_ref().expect("the device menu");
    let at = menu
        .items
        .iter()
        .position(|k| *k == ActionKind::Offboard)
        .expect("offboard is offered");
    for _ in 0..at {
        ch(&mut s, 'j');
    }
    enter(&mut s);
    let open = s.actions.dialog.as_ref().expect("the offboard dialog");
    assert!(matches!(
        &open.purpose,
        Purpose::Device(ActionKind::Offboard, d) if d.id == id
    ));
    assert!(
        open.dialog.confirm_name.is_some(),
        "offboard asks for the device name"
    );
}

#[tokio::test]
async fn find_opens_the_device_page_and_an_inactive_device_says_so() {
    let mut s = console(Plan::P2);
    let stale = s
        .data
        .machines
        .data()
        .unwrap()
        .iter()
        .filter(|m| m.last_seen().is_some_and(|t| (now() - t).num_days() >= 7))
        .map(|m| {
            (
                m.id().to_string(),
                m.computer_dns_name().unwrap().to_string(),
            )
        })
        .next()
        .expect("the demo tenant has an inactive device");
    palette(&mut s, &format!("find {}", stale.1));
    let d = s.detail.as_ref().expect("the device page");
    assert_eq!(d.subject, Some(Subject::Device(stale.0.clone())));
    assert!(has(&s, "! inactive: not seen for "), "{:#?}", lines(&s));
    // A device seen today has no warning.
    let fresh = s
        .data
        .machines
        .data()
        .unwrap()
        .iter()
        .find(|m| m.last_seen().is_some_and(|t| (now() - t).num_days() < 1))
        .unwrap()
        .id()
        .to_string();
    esc(&mut s);
    open_device(&mut s, &fresh);
    assert!(!has(&s, "inactive"));
}

/// Machine actions as the service sends them, loaded into the console.
fn load_actions(s: &mut AppState, records: serde_json::Value) {
    let actions = serde_json::from_value(records).unwrap();
    s.data.start(ResourceKind::MachineActions, 90_001);
    update(
        s,
        Msg::Loaded {
            id: 90_001,
            at: now(),
            payload: Box::new(Payload::MachineActions(actions)),
        },
    );
}

#[tokio::test]
async fn the_action_page_names_the_requestor_decodes_the_failure_and_lists_commands() {
    let mut s = console(Plan::P2);
    s.settings.own_app = Some("5e1d0c0a-50c0-4f5a-9d3e-000000000001".into());
    let m = &s.data.machines.data().unwrap().get(0).unwrap().machine();
    let (machine, name) = (m.id.clone(), m.computer_dns_name.clone().unwrap());
    load_actions(
        &mut s,
        serde_json::json!([
            {"id": "a-failed", "type": "RunAntiVirusScan", "scope": "Full", "status": "Failed",
             "requestor": "fc780465-2017-40d4-a0c5-307022471b92", "requestorComment": "nightly",
             "machineId": machine, "computerDnsName": name,
             "creationDateTimeUtc": "2026-11-30T06:00:00Z", "lastUpdateDateTimeUtc": "2026-11-30T06:10:00Z",
             "errorHResult": -2147024891},
            {"id": "a-lr", "type": "LiveResponse", "status": "Succeeded",
             "requestor": "5e1d0c0a-50c0-4f5a-9d3e-000000000001", "machineId": machine,
             "creationDateTimeUtc": "2026-11-30T05:00:00Z", "lastUpdateTimeUtc": "2026-11-30T05:03:00Z",
             "errorHResult": 0,
             "commands": [
               {"index": 0, "commandStatus": "Completed", "startTime": "2026-11-30T05:01:00Z",
                "endTime": "2026-11-30T05:02:00Z",
                "command": {"type": "RunScript", "params": [{"key": "ScriptName", "value": "collect.ps1"}]}},
               {"index": 1, "commandStatus": "Failed", "errors": ["File not found"],
                "command": {"type": "GetFile", "params": [{"key": "Path", "value": "C:\\x.log"}]}}
             ]},
            {"id": "a-unknown", "type": "Isolate", "status": "Failed",
             "requestor": "8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", "machineId": machine,
             "creationDateTimeUtc": "2026-11-30T04:00:00Z", "errorHResult": -2147012894}
        ]),
    );
    palette(&mut s, "actions");
    // History: the failed scan; Enter opens its page.
    s.pane.insert(socops::app::View::ActionCenter, 1);
    let t = s.tables.get_mut(&TableId::ActionsHistory).unwrap();
    t.selected = t
        .view
        .iter()
        .position(|i| t.rows.id(*i) == "a-failed")
        .unwrap();
    assert_eq!(
        t.cell(t.view[t.selected], 3),
        "WindowsDefenderATP",
        "the table names a known app too"
    );
    enter(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Action("a-failed".into()))
    );
    assert!(has(&s, "type      RunAntiVirusScan (Full)"));
    assert!(has(
        &s,
        "requestor WindowsDefenderATP (Microsoft app fc780465-2017-40d4-a0c5-307022471b92)"
    ));
    assert!(has(
        &s,
        "failure   0x80070005 E_ACCESSDENIED: access denied"
    ));
    assert!(has(&s, "created   2026-11-30 06:00 UTC"));
    assert!(has(&s, "updated   2026-11-30 06:10 UTC"));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("action_page_{w}x{h}"), draw(&mut s, w, h));
    }
    // Its device is a row: Enter opens the device page, whose recent actions list it.
    enter(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Device(machine.clone()))
    );
    assert!(has(&s, "Recent actions (3)"));
    // Its rows name the requestor as the action page and the tables do.
    let row = |id: &str| {
        let d = s.detail.as_ref().unwrap();
        d.items
            .iter()
            .find(|i| i.target == Target::Action(id.into()))
            .map(|i| d.lines[i.line].clone())
            .unwrap()
    };
    assert!(
        row("a-failed").ends_with(" WindowsDefenderATP"),
        "{}",
        row("a-failed")
    );
    assert!(
        row("a-lr").ends_with(" socops (this profile)"),
        "{}",
        row("a-lr")
    );
    assert!(
        row("a-unknown").ends_with(" 8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"),
        "an unknown app stays its id: {}",
        row("a-unknown")
    );
    // The first action row selected: the page scrolls to it at 80×24.
    select(&mut s, |t| *t == Target::Action("a-failed".into()));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(
            format!("device_page_recent_actions_{w}x{h}"),
            draw(&mut s, w, h)
        );
    }
    select(&mut s, |t| *t == Target::Action("a-lr".into()));
    enter(&mut s);
    assert!(has(&s, "requestor socops, this profile's app"));
    assert!(has(&s, "updated   2026-11-30 05:03 UTC"), "either spelling");
    assert!(has(&s, "Commands (2)"));
    assert!(has(&s, "RunScript ScriptName=collect.ps1  [Completed]"));
    assert!(has(&s, "GetFile Path=C:\\x.log  [Failed]"));
    assert!(has(&s, "error: File not found"));
    assert!(
        !has(&s, "failure"),
        "a succeeded action has no failure line"
    );
    esc(&mut s);
    select(&mut s, |t| *t == Target::Action("a-unknown".into()));
    enter(&mut s);
    assert!(has(
        &s,
        "requestor app 8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b (not a known app)"
    ));
    assert!(has(&s, "failure   0x80072EE2"), "{:#?}", lines(&s));
}

#[tokio::test]
async fn hostile_requestors_and_comments_on_the_device_and_action_pages_are_shown_not_run() {
    const HOSTILE: &str = "ana\u{1b}]52;c;ZWNobw==\u{7}\u{1b}[2J\u{9b}1m\u{202e}x\u{200b}\nFAKE";
    let mut s = console(Plan::P2);
    let machine = s
        .data
        .machines
        .data()
        .unwrap()
        .get(0)
        .unwrap()
        .id()
        .to_string();
    load_actions(
        &mut s,
        serde_json::json!([
            {"id": "a-evil", "type": "Isolate", "status": "Failed", "requestor": HOSTILE,
             "requestorComment": HOSTILE, "machineId": machine, "computerDnsName": HOSTILE,
             "creationDateTimeUtc": "2026-11-30T06:00:00Z", "errorHResult": -2147024809}
        ]),
    );
    open_device(&mut s, &machine);
    let screens = [draw(&mut s, 120, 40), {
        select(&mut s, |t| *t == Target::Action("a-evil".into()));
        enter(&mut s);
        draw(&mut s, 120, 40)
    }];
    for screen in screens {
        let bad: Vec<char> = screen
            .chars()
            .filter(|&c| {
                matches!(c, '\u{0}'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{200b}')
            })
            .collect();
        assert!(bad.is_empty(), "raw {bad:?} in {screen}");
        assert!(screen.contains("ana␛]52;c;"), "shown, visibly: {screen}");
        assert!(!screen.lines().any(|l| l.starts_with("FAKE")), "{screen}");
    }
}
