//! Scenario tests of triage in the console (`update` only): the form on one incident, the
//! determinations limited by the classification, "me", marks and one confirmation for
//! several incidents, comments on alerts, the optimistic pending row and the re-read after
//! the answer, read-only refusal.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use serde_json::json;
use socops::api::calls::{ActionRequest, Assignee, TriageEntity};
use socops::api::model::{GraphClassification, GraphDetermination};
use socops::app::actions::{FieldId, SendResult};
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, TableId, View,
    start, update,
};

// The response-action scenarios' clock and delivery (the same console morning).
mod app_actions_common;
use app_actions_common::{feed, now};

fn incidents() -> Payload {
    let v = json!([
        {"id": "11", "displayName": "Ransomware on pc-01", "status": "active", "severity": "high",
         "classification": "unknown", "customTags": ["Ransomware"],
         "createdDateTime": "2026-11-30T07:00:00Z", "alerts": []},
        {"id": "12", "displayName": "Phishing", "status": "active", "severity": "medium",
         "assignedTo": "bob@contoso.com", "createdDateTime": "2026-11-30T06:00:00Z", "alerts": []},
        {"id": "13", "displayName": "Test", "status": "inProgress", "severity": "low",
         "createdDateTime": "2026-11-30T05:00:00Z", "alerts": []}
    ]);
    Payload::Incidents(serde_json::from_value(v).unwrap())
}

fn alerts() -> Payload {
    let v = json!([
        {"id": "da1", "title": "Credential dump", "status": "New", "severity": "High",
         "alertCreationTime": "2026-11-30T07:00:00Z"}
    ]);
    Payload::Alerts(serde_json::from_value(v).unwrap())
}

fn on(view: View, settings: Settings) -> AppState {
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    s.view = view;
    match view {
        View::Alerts => feed(&mut s, alerts()),
        _ => feed(&mut s, incidents()),
    }
    s
}

fn me() -> Settings {
    Settings {
        me: Some("ana@contoso.com".into()),
        ..Settings::default()
    }
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn ch(s: &mut AppState, c: char) -> Vec<Command> {
    key(s, Key::ch(c))
}

fn tab(s: &mut AppState) {
    key(s, Key::plain(KeyCode::Tab));
}

fn right(s: &mut AppState, n: usize) {
    for _ in 0..n {
        key(s, Key::plain(KeyCode::Right));
    }
}

fn typed(s: &mut AppState, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

/// Enter on a triage form: the console reads the records again first; answered "unchanged",
/// the requests go out.
fn confirm(s: &mut AppState) -> Vec<Command> {
    let cmds = key(s, Key::plain(KeyCode::Enter));
    match cmds.first() {
        Some(Command::RecheckTriage { ticket, checks }) => {
            let unchanged = checks
                .iter()
                .map(|(e, id, _)| (format!("{} {id}", e.noun()), Vec::new()))
                .collect();
            update(
                s,
                Msg::TriageRechecked {
                    ticket: *ticket,
                    result: Ok(unchanged),
                },
            )
        }
        _ => cmds,
    }
}

fn sends(cmds: &[Command]) -> Vec<(u64, ActionRequest)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SendAction {
                ticket, request, ..
            } => Some((*ticket, (**request).clone())),
            _ => None,
        })
        .collect()
}

fn select(s: &mut AppState, table: TableId, id: &str) {
    let t = s.tables.get_mut(&table).unwrap();
    t.selected = t.view.iter().position(|i| t.rows.id(*i) == id).unwrap();
}

fn row_marker(s: &AppState, table: TableId, id: &str) -> char {
    s.table(table)
        .unwrap()
        .rows
        .iter()
        .find(|r| r.id() == id)
        .unwrap()
        .marker()
}

fn field_options(s: &AppState, id: FieldId) -> Vec<String> {
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    match &d.field(id).unwrap().kind {
        socops::app::actions::FieldKind::Choice(o, _) => o.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_form_limits_determinations_to_the_classification_and_sends_one_patch() {
    let mut s = on(View::Incidents, me());
    select(&mut s, TableId::Incidents, "11");
    assert!(sends(&ch(&mut s, 't')).is_empty());
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Triage incident");
    assert!(d.targets[0].contains("Ransomware on pc-01"));
    // Status: (unchanged), active, inProgress, resolved → resolved.
    s.actions.dialog.as_mut().unwrap().dialog.focus = 0;
    right(&mut s, 3);
    tab(&mut s); // Assigned to
    typed(&mut s, "me");
    tab(&mut s); // Classification: (unchanged), unknown, falsePositive …
    right(&mut s, 2);
    assert_eq!(
        field_options(&s, FieldId::Determination),
        [
            "(unchanged)",
            "notMalicious",
            "notEnoughDataToValidate",
            "other"
        ]
    );
    right(&mut s, 1); // truePositive
    let det = field_options(&s, FieldId::Determination);
    assert!(det.contains(&"malware".to_string()) && !det.contains(&"notMalicious".to_string()));
    tab(&mut s); // Determination
    let malware = det.iter().position(|d| d == "malware").unwrap();
    right(&mut s, malware);
    tab(&mut s); // Add tags
    typed(&mut s, "Reviewed");
    let cmds = confirm(&mut s);
    let sent = sends(&cmds);
    assert_eq!(sent.len(), 1, "{cmds:?}");
    let ActionRequest::Triage { entity, id, change } = &sent[0].1 else {
        panic!("{sent:?}")
    };
    assert_eq!((*entity, id.as_str()), (TriageEntity::Incident, "11"));
    assert_eq!(
        change.assigned_to,
        Some(Assignee::To("ana@contoso.com".into()))
    );
    assert_eq!(
        change.classification,
        Some(GraphClassification::TruePositive)
    );
    assert_eq!(change.determination, Some(GraphDetermination::Malware));
    assert_eq!(
        change.custom_tags.as_deref(),
        Some(&["Ransomware".to_string(), "Reviewed".to_string()][..])
    );
    // The row shows the new state at once, pending until the re-read.
    assert_eq!(row_marker(&s, TableId::Incidents, "11"), '…');
    let row = s
        .table(TableId::Incidents)
        .unwrap()
        .rows
        .iter()
        .find(|r| r.id() == "11")
        .unwrap()
        .to_row();
    assert!(
        row.cells.iter().any(|c| c.contains("ana@contoso.com")),
        "{row:?}"
    );
    assert!(
        row.cells.iter().any(|c| c.eq_ignore_ascii_case("resolved")),
        "{row:?}"
    );
    // The answer re-reads incidents; the pending mark goes when that lands.
    let cmds = update(
        &mut s,
        Msg::ActionSent {
            ticket: sent[0].0,
            result: SendResult::Sent {
                id: Some("11".into()),
                status: Some("resolved".into()),
            },
        },
    );
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::Load(ResourceKind::Incidents, _))),
        "{cmds:?}"
    );
    feed(&mut s, incidents());
    assert_eq!(row_marker(&s, TableId::Incidents, "11"), ' ');
}

#[test]
fn marks_then_t_send_one_triage_per_marked_incident_after_one_confirmation() {
    let mut s = on(View::Incidents, me());
    select(&mut s, TableId::Incidents, "11");
    ch(&mut s, ' ');
    // The cursor moved down to 12; mark it too.
    ch(&mut s, ' ');
    assert_eq!(row_marker(&s, TableId::Incidents, "11"), '✓');
    assert_eq!(row_marker(&s, TableId::Incidents, "12"), '✓');
    assert_eq!(row_marker(&s, TableId::Incidents, "13"), ' ');
    ch(&mut s, 't');
    let d = &s.actions.dialog.as_ref().unwrap().dialog;
    assert_eq!(d.title, "Triage 2 incidents");
    assert_eq!(d.targets.len(), 2);
    s.actions.dialog.as_mut().unwrap().dialog.focus = 0;
    right(&mut s, 2); // inProgress
    let last = s.actions.dialog.as_ref().unwrap().dialog.fields.len() - 1;
    s.actions.dialog.as_mut().unwrap().dialog.focus = last;
    typed(&mut s, "taking these");
    let sent = sends(&confirm(&mut s));
    let ids: Vec<String> = sent
        .iter()
        .map(|(_, r)| match r {
            ActionRequest::Triage { id, .. } => format!("patch {id}"),
            ActionRequest::TriageComment { id, .. } => format!("comment {id}"),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(ids, ["patch 11", "comment 11", "patch 12", "comment 12"]);
    // Marks are spent.
    assert_eq!(row_marker(&s, TableId::Incidents, "13"), ' ');
    assert!(s.actions.table_marks.values().all(|m| m.is_empty()));
}

#[test]
fn a_assigns_to_me_and_c_comments_on_an_alert() {
    let mut s = on(View::Alerts, me());
    select(&mut s, TableId::Alerts, "da1");
    ch(&mut s, 'a');
    let sent = sends(&confirm(&mut s));
    assert!(matches!(
        &sent[0].1,
        ActionRequest::Triage { entity: TriageEntity::Alert, change, .. }
            if change.assigned_to == Some(Assignee::To("ana@contoso.com".into()))
    ));
    ch(&mut s, 'c');
    // Enter with no comment is refused in the dialog.
    assert!(sends(&key(&mut s, Key::plain(KeyCode::Enter))).is_empty());
    typed(&mut s, "benign");
    let sent = sends(&key(&mut s, Key::plain(KeyCode::Enter)));
    assert!(matches!(
        &sent[0].1,
        ActionRequest::TriageComment { comment, .. } if comment == "benign"
    ));
}

#[test]
fn me_unknown_is_asked_for_and_read_only_refuses() {
    let mut s = on(View::Incidents, Settings::default());
    select(&mut s, TableId::Incidents, "11");
    ch(&mut s, 'a');
    assert!(sends(&key(&mut s, Key::plain(KeyCode::Enter))).is_empty());
    let err = s.actions.dialog.as_ref().unwrap().dialog.error.clone();
    assert!(err.is_some_and(|e| e.contains("type your UPN")));
    key(&mut s, Key::plain(KeyCode::Esc));

    let mut s = on(
        View::Incidents,
        Settings {
            read_only: true,
            ..me()
        },
    );
    let cmds = ch(&mut s, 't');
    assert!(s.actions.dialog.is_none());
    assert!(sends(&cmds).is_empty());
}
