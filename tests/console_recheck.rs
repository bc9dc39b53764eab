//! Two analysts must not silently overwrite each other in the console: a confirmed triage
//! change first reads its records again (`RecheckTriage`); unchanged, it goes out at once
//! with the row pending; changed, the analyst sees what changed and is asked again (Enter
//! sends over it, Esc sends nothing). The runtime's re-read uses the CLI's comparison,
//! checked here against the simulator.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use serde_json::json;
use socops::api::calls::{ActionRequest, TriageEntity, TriageView};
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, Settings, TableId, View, start, update,
};
use socops::runtime::actions::{ActionContext, ActionRunner};

mod console_common;
use console_common::now;

fn console() -> AppState {
    let settings = Settings {
        me: Some("ana@contoso.com".into()),
        ..Settings::default()
    };
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    start(&mut s);
    let v = json!([
        {"id": "11", "displayName": "Ransomware on pc-01", "status": "active", "severity": "high",
         "createdDateTime": "2026-11-30T07:00:00Z", "alerts": []},
        {"id": "12", "displayName": "Phishing", "status": "active", "severity": "medium",
         "createdDateTime": "2026-11-30T06:00:00Z", "alerts": []}
    ]);
    let id = s
        .data
        .pending(socops::app::ResourceKind::Incidents)
        .unwrap();
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now(),
            payload: Box::new(Payload::Incidents(serde_json::from_value(v).unwrap())),
        },
    );
    s.view = View::Incidents;
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn sends(cmds: &[Command]) -> Vec<ActionRequest> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::SendAction { request, .. } => Some((**request).clone()),
            _ => None,
        })
        .collect()
}

/// `a` on incident 11, Enter: the form is confirmed; returns the re-read's ticket.
fn assign_me(s: &mut AppState) -> u64 {
    key(s, Key::ch('a'));
    let cmds = key(s, Key::plain(KeyCode::Enter));
    assert!(sends(&cmds).is_empty(), "nothing leaves before the re-read");
    let Some(Command::RecheckTriage { ticket, checks }) = cmds.first() else {
        panic!("{cmds:?}")
    };
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].1, "11");
    assert_eq!(checks[0].2.status.as_deref(), Some("active"));
    *ticket
}

fn marker(s: &AppState, id: &str) -> char {
    s.table(TableId::Incidents)
        .unwrap()
        .rows
        .iter()
        .find(|r| r.id() == id)
        .unwrap()
        .marker()
}

#[test]
fn unchanged_records_are_sent_at_once_after_the_re_read() {
    let mut s = console();
    let ticket = assign_me(&mut s);
    assert_eq!(
        marker(&s, "11"),
        ' ',
        "not shown as changed before it is sent"
    );
    let cmds = update(
        &mut s,
        Msg::TriageRechecked {
            ticket,
            result: Ok(vec![("incident 11".into(), Vec::new())]),
        },
    );
    let sent = sends(&cmds);
    assert_eq!(sent.len(), 1);
    assert!(
        matches!(&sent[0], ActionRequest::Triage { entity: TriageEntity::Incident, id, .. } if id == "11")
    );
    assert_eq!(marker(&s, "11"), '…', "pending at once");
    // An old answer (another ticket) does nothing.
    assert!(
        update(
            &mut s,
            Msg::TriageRechecked {
                ticket,
                result: Ok(Vec::new())
            }
        )
        .is_empty()
    );
}

#[test]
fn a_record_changed_meanwhile_is_shown_and_asked_again() {
    let mut s = console();
    let ticket = assign_me(&mut s);
    let changed = vec![(
        "incident 11".to_string(),
        vec!["assigned to: — → bob@contoso.com".to_string()],
    )];
    let cmds = update(
        &mut s,
        Msg::TriageRechecked {
            ticket,
            result: Ok(changed.clone()),
        },
    );
    assert!(sends(&cmds).is_empty());
    let d = &s.actions.dialog.as_ref().expect("asked again").dialog;
    assert_eq!(d.title, socops::app::actions::recheck::CHANGED);
    assert_eq!(
        d.targets,
        vec!["incident 11: assigned to: — → bob@contoso.com"]
    );
    // Esc: nothing is sent.
    let cmds = key(&mut s, Key::plain(KeyCode::Esc));
    assert!(sends(&cmds).is_empty());
    assert!(s.actions.dialog.is_none());
    assert!(s.toasts.last().unwrap().text.contains("nothing was sent"));
    assert_eq!(marker(&s, "11"), ' ');
    // Again, and this time Enter sends over the other analyst's change.
    let ticket = assign_me(&mut s);
    update(
        &mut s,
        Msg::TriageRechecked {
            ticket,
            result: Ok(changed),
        },
    );
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(sends(&cmds).len(), 1);
    assert_eq!(marker(&s, "11"), '…');
}

#[test]
fn a_failed_re_read_sends_nothing() {
    let mut s = console();
    let ticket = assign_me(&mut s);
    let cmds = update(
        &mut s,
        Msg::TriageRechecked {
            ticket,
            result: Err("incident 11: 503".into()),
        },
    );
    assert!(sends(&cmds).is_empty());
    let t = &s.toasts.last().unwrap().text;
    assert!(t.contains("nothing was sent"), "{t}");
}

#[tokio::test]
async fn the_runtime_re_reads_with_the_clis_comparison() {
    let sim = console_common::sim_of(10).await;
    let client = console_common::client_as(&sim, "ana@contoso.com");
    let Payload::Incidents(incidents) =
        socops::runtime::fetch::fetch(&client, socops::app::ResourceKind::Incidents, now())
            .await
            .unwrap()
    else {
        panic!()
    };
    let i = incidents.iter().find(|i| i.is_open()).unwrap();
    let as_seen = TriageView::of_incident(i);
    let dir = tempfile::tempdir().unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let r = ActionRunner::new(
        client,
        tx,
        ActionContext::new(dir.path().to_path_buf(), "p".into(), "t".into()),
    );
    let same = r
        .recheck_now(vec![(
            TriageEntity::Incident,
            i.id.clone(),
            as_seen.clone(),
        )])
        .await
        .unwrap();
    assert_eq!(
        same,
        vec![(format!("incident {}", i.id), Vec::<String>::new())]
    );
    // What the analyst saw differs from the tenant now: named field by field.
    let stale = TriageView {
        status: Some("resolved".into()),
        ..as_seen
    };
    let changed = r
        .recheck_now(vec![(TriageEntity::Incident, i.id.clone(), stale)])
        .await
        .unwrap();
    assert_eq!(changed[0].1.len(), 1, "{changed:?}");
    assert!(
        changed[0].1[0].starts_with("status: resolved → "),
        "{changed:?}"
    );
}

#[test]
fn a_change_that_failed_is_re_read_so_the_row_shows_the_tenant_again() {
    let mut s = console();
    let ticket = assign_me(&mut s);
    let cmds = update(
        &mut s,
        Msg::TriageRechecked {
            ticket,
            result: Ok(vec![("incident 11".into(), Vec::new())]),
        },
    );
    let Some(Command::SendAction { ticket, .. }) = cmds
        .iter()
        .find(|c| matches!(c, Command::SendAction { .. }))
    else {
        panic!("{cmds:?}")
    };
    // Shown at once as assigned to me…
    let row = |s: &AppState| {
        s.table(TableId::Incidents)
            .unwrap()
            .rows
            .iter()
            .find(|r| r.id() == "11")
            .unwrap()
            .to_row()
            .cells
            .join(" ")
    };
    assert!(row(&s).contains("ana@contoso.com"));
    // …refused by the service: incidents are read again.
    let cmds = update(
        &mut s,
        Msg::ActionSent {
            ticket: *ticket,
            result: socops::app::actions::SendResult::Failed(socops::app::LoadError {
                text: "403".into(),
                code: None,
                correlation_id: None,
            }),
        },
    );
    let Some(Command::Load(_, id)) = cmds
        .iter()
        .find(|c| matches!(c, Command::Load(socops::app::ResourceKind::Incidents, _)))
    else {
        panic!("{cmds:?}")
    };
    // The re-read (the tenant unchanged) puts the row back.
    let v = json!([
        {"id": "11", "displayName": "Ransomware on pc-01", "status": "active", "severity": "high",
         "createdDateTime": "2026-11-30T07:00:00Z", "alerts": []},
        {"id": "12", "displayName": "Phishing", "status": "active", "severity": "medium",
         "createdDateTime": "2026-11-30T06:00:00Z", "alerts": []}
    ]);
    update(
        &mut s,
        Msg::Loaded {
            id: *id,
            at: now(),
            payload: Box::new(Payload::Incidents(serde_json::from_value(v).unwrap())),
        },
    );
    assert!(!row(&s).contains("ana@contoso.com"));
    assert_eq!(marker(&s, "11"), ' ');
}

fn draw(s: &mut AppState, w: u16, h: u16) -> String {
    update(s, Msg::Resize(w, h));
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    term.draw(|f| socops::ui::render(f, s, &socops::ui::Theme::mono()))
        .unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_triage_form_and_the_question_again_at_two_sizes() {
    let mut s = console();
    key(&mut s, Key::ch('t'));
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("triage_form_{w}x{h}"), draw(&mut s, w, h));
    }
    key(&mut s, Key::plain(KeyCode::Esc));
    let ticket = assign_me(&mut s);
    update(
        &mut s,
        Msg::TriageRechecked {
            ticket,
            result: Ok(vec![(
                "incident 11".into(),
                vec![
                    "status: active → resolved".into(),
                    "assigned to: — → bob@contoso.com".into(),
                ],
            )]),
        },
    );
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("changed_since_{w}x{h}"), draw(&mut s, w, h));
    }
}
