//! The incident page as a working page, on the recorded tenant's data: its alerts, devices,
//! users and evidence are selectable rows; Enter opens an alert or a device and Esc comes
//! back; `.`/`V`/`i` act on the selected device (several devices ask which one); `b` opens
//! the indicator dialog prefilled to block the selected file; `Q` stops and quarantines it
//! where the licence allows (Defender for Business says no); `t` triages the incident of the
//! page. Snapshots at 80×24 and 120×40.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use socops::api::plan::Plan;
use socops::app::actions::{ActionKind, FieldId, Purpose};
use socops::app::pages::working::{Subject, Target};
use socops::app::{AppState, Key, TableId, View};

mod page_console;
mod screen;
use page_console::{ch, console, enter, esc, key, select};
use screen::draw;

/// The incidents view with the incident that has the most devices opened.
fn open_busiest_incident(s: &mut AppState) -> String {
    key(s, Key::ch(':'));
    for c in "incidents".chars() {
        ch(s, c);
    }
    enter(s);
    let id = s
        .data
        .incidents
        .data()
        .unwrap()
        .iter()
        .filter(|i| i.is_open())
        .max_by_key(|i| socops::app::tables::rows::incident_devices(s, &i.id).len())
        .unwrap()
        .id
        .clone();
    let t = s.tables.get_mut(&TableId::Incidents).unwrap();
    t.selected = t.view.iter().position(|i| t.rows.id(*i) == id).unwrap();
    enter(s);
    id
}

fn selected(s: &AppState) -> Target {
    socops::app::pages::working::selected(s).unwrap().clone()
}

#[tokio::test]
async fn the_incident_page_opens_its_alerts_and_devices_and_comes_back() {
    let mut s = console(Plan::P2);
    let id = open_busiest_incident(&mut s);
    let d = s.detail.as_ref().unwrap();
    assert_eq!(d.subject, Some(Subject::Incident(id.clone())));
    let devices = d
        .items
        .iter()
        .filter(|i| matches!(i.target, Target::Device(..)))
        .count();
    assert!(devices >= 2, "the busiest incident has several devices");
    assert!(
        matches!(d.items[0].target, Target::Alert(_)),
        "alerts first"
    );
    // File evidence shows both hashes under its row.
    let file = d
        .items
        .iter()
        .find(|i| matches!(i.target, Target::File(_)))
        .unwrap();
    assert!(d.lines[file.line + 1].contains("SHA-1"));
    assert!(d.lines[file.line + 2].contains("SHA-256"));

    // Enter on an alert opens the alert; Esc returns to the incident, its row still selected.
    let Target::Alert(alert) = selected(&s) else {
        panic!()
    };
    enter(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Alert(alert.clone()))
    );
    assert_eq!(s.detail_back.len(), 1);
    esc(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Incident(id.clone()))
    );
    // Enter on a device opens the device page; its action keys act on it.
    select(&mut s, |t| matches!(t, Target::Device(..)));
    let Target::Device(machine, _) = selected(&s) else {
        panic!()
    };
    enter(&mut s);
    assert_eq!(
        s.detail.as_ref().unwrap().subject,
        Some(Subject::Device(machine.clone()))
    );
    ch(&mut s, 'V');
    let open = s.actions.dialog.as_ref().expect("the scan dialog");
    assert!(
        matches!(&open.purpose, Purpose::Device(ActionKind::Scan, d) if d.id == machine),
        "{:?}",
        open.purpose
    );
    esc(&mut s);
    esc(&mut s);
    esc(&mut s);
    assert!(s.detail.is_none(), "Esc walks back out of the pages");
    assert_eq!(s.view, View::Incidents);
}

#[tokio::test]
async fn device_keys_on_a_page_ask_which_device_when_there_are_several() {
    let mut s = console(Plan::P2);
    open_busiest_incident(&mut s);
    // The selected device row: no question.
    select(&mut s, |t| matches!(t, Target::Device(..)));
    let Target::Device(first, _) = selected(&s) else {
        panic!()
    };
    ch(&mut s, 'i');
    assert!(matches!(
        &s.actions.dialog.as_ref().unwrap().purpose,
        Purpose::Device(ActionKind::Isolate, d) if d.id == first
    ));
    esc(&mut s);
    // A user row names no device: the incident's devices are offered.
    select(&mut s, |t| matches!(t, Target::User(_)));
    ch(&mut s, 'i');
    let p = s.actions.picker.as_ref().expect("which device?");
    assert!(p.devices.len() >= 2);
    let second = p.devices[1].id.clone();
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("device_picker_{w}x{h}"), draw(&mut s, w, h));
    }
    ch(&mut s, 'j');
    enter(&mut s);
    assert!(s.actions.picker.is_none());
    assert!(matches!(
        &s.actions.dialog.as_ref().unwrap().purpose,
        Purpose::Device(ActionKind::Isolate, d) if d.id == second
    ));
    esc(&mut s);
    // The same from the Incidents table: an incident with several devices asks too.
    esc(&mut s);
    assert!(s.detail.is_none());
    ch(&mut s, 'V');
    assert!(s.actions.picker.is_some());
}

#[tokio::test]
async fn b_blocks_the_selected_file_and_q_quarantines_it_where_the_plan_allows() {
    let mut s = console(Plan::P2);
    open_busiest_incident(&mut s);
    select(
        &mut s,
        |t| matches!(t, Target::File(f) if f.sha1.is_some() && f.sha256.is_some()),
    );
    let Target::File(file) = selected(&s) else {
        panic!()
    };
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("incident_page_{w}x{h}"), draw(&mut s, w, h));
    }
    ch(&mut s, 'b');
    let open = s.actions.dialog.as_ref().expect("the indicator dialog");
    assert!(matches!(
        open.purpose,
        Purpose::Device(ActionKind::Indicator, _)
    ));
    assert_eq!(
        open.dialog.value(FieldId::FileHash),
        file.sha256.clone().unwrap()
    );
    assert_eq!(open.dialog.value(FieldId::IndicatorAction), "Block");
    assert_eq!(
        open.dialog.value(FieldId::Title),
        format!("Block {}", file.name)
    );
    assert!(open.dialog.targets[0].contains(&file.name));
    esc(&mut s);
    ch(&mut s, 'Q');
    if file.devices.len() > 1 {
        assert!(s.actions.picker.is_some());
        enter(&mut s);
    }
    let open = s.actions.dialog.as_ref().expect("the quarantine dialog");
    assert!(matches!(
        open.purpose,
        Purpose::Device(ActionKind::Quarantine, _)
    ));
    assert_eq!(open.dialog.value(FieldId::Sha1), file.sha1.clone().unwrap());
    esc(&mut s);

    // Defender for Business has no stop and quarantine: Q says so and opens nothing.
    let mut s = console(Plan::Business);
    open_busiest_incident(&mut s);
    select(&mut s, |t| matches!(t, Target::File(f) if f.sha1.is_some()));
    ch(&mut s, 'Q');
    assert!(s.actions.dialog.is_none() && s.actions.picker.is_none());
    let toast = &s.toasts.last().unwrap().text;
    assert!(
        toast.contains("not included in Microsoft Defender for Business"),
        "{toast}"
    );
}

#[tokio::test]
async fn t_on_the_incident_page_triages_that_incident() {
    let mut s = console(Plan::P2);
    let id = open_busiest_incident(&mut s);
    ch(&mut s, 't');
    let open = s.actions.dialog.as_ref().expect("the triage form");
    assert_eq!(open.dialog.title, "Triage incident");
    assert!(matches!(&open.purpose, Purpose::Triage(_, t) if t.len() == 1 && t[0].id == id));
}
