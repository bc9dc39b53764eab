//! The console's Team approvals pane in `update` and on screen: the runtime's poll fills it,
//! `a` on another analyst's request opens one confirmation showing the exact request and
//! confirming emits one approve command, `a` on one's own is refused, `r` needs a comment,
//! space/`A` mark several for one approval, `:approvals` opens the pane.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use socops::app::actions::SendResult;
use socops::app::actions::approvals::TeamRequest;
use socops::app::data::checklist::Marks;
use socops::app::{AppState, Command, Key, KeyCode, Keymap, Msg, Settings, TableId, View, update};
use socops::store::team::{ApprovalRequest, RequestState};

mod screen;
use screen::draw;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

fn request(id: i64, requester: &str, target: &str) -> TeamRequest {
    TeamRequest {
        row: ApprovalRequest {
            id,
            state: RequestState::Pending,
            profile: "contoso".into(),
            tenant: "Contoso".into(),
            kind: "Isolate".into(),
            target_id: format!("m-{id}"),
            target_name: target.into(),
            description: "Isolate device".into(),
            parameters: format!(
                r#"{{"action":"Isolate","machine_id":"m-{id}","comment":"c","selective":false}}"#
            ),
            comment: "lateral movement".into(),
            requester: requester.into(),
            requested_at: now().timestamp() - 600,
            expires_at: now().timestamp() + 3600,
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            outcome: None,
            action_id: None,
            version: 3,
            ..Default::default()
        },
        request_lines: vec![format!(
            "POST https://api.security.microsoft.com/api/machines/m-{id}/isolate"
        )],
        own: (requester == "bob").then(|| "the OS login bob".to_string()),
    }
}

fn state() -> AppState {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    socops::app::start(&mut s);
    update(
        &mut s,
        Msg::TeamQueue {
            me: "bob".into(),
            result: Ok(vec![
                request(7, "alice", "ws-002.contoso.local"),
                request(8, "carol", "srv-db-01.contoso.local"),
                request(9, "bob", "ws-009.contoso.local"),
            ]),
        },
    );
    s
}

fn key(s: &mut AppState, k: Key) -> Vec<Command> {
    update(s, Msg::Key(k))
}

fn open_pane(s: &mut AppState) {
    key(s, Key::ch(':'));
    for c in "approvals".chars() {
        key(s, Key::ch(c));
    }
    key(s, Key::plain(KeyCode::Enter));
    assert_eq!(s.view, View::ActionCenter);
    assert_eq!(s.focused_table(), Some(TableId::TeamApprovals));
}

fn select(s: &mut AppState, id: &str) {
    let t = s.tables.get_mut(&TableId::TeamApprovals).unwrap();
    t.selected = t.view.iter().position(|i| t.rows.id(*i) == id).unwrap();
}

fn approvals(cmds: &[Command]) -> Vec<(Vec<i64>, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::TeamApprove { items, comment } => Some((
                items.iter().map(|(_, row)| row.id).collect(),
                comment.clone(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn approving_another_analysts_request_asks_once_and_emits_one_command() {
    let mut s = state();
    open_pane(&mut s);
    select(&mut s, "7");
    assert!(key(&mut s, Key::ch('a')).is_empty());
    let d = &s.actions.dialog.as_ref().expect("a confirmation").dialog;
    assert!(d.title.contains("Approve"), "{}", d.title);
    let text = d.targets.join("\n");
    assert!(text.contains("ws-002.contoso.local"), "{text}");
    assert!(text.contains("POST https://"), "the exact request: {text}");
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(approvals(&cmds), vec![(vec![7], String::new())]);
    assert!(s.actions.dialog.is_none());
}

#[test]
fn the_requester_is_refused_in_the_console() {
    let mut s = state();
    open_pane(&mut s);
    select(&mut s, "9");
    let cmds = key(&mut s, Key::ch('a'));
    assert!(approvals(&cmds).is_empty());
    assert!(s.actions.dialog.is_none());
    let toast = s.toasts.last().map(|t| t.text.clone()).unwrap_or_default();
    assert!(toast.contains("your own"), "{toast}");
}

#[test]
fn marked_requests_are_approved_with_one_confirmation() {
    let mut s = state();
    open_pane(&mut s);
    // `A` marks every request but one's own.
    key(&mut s, Key::ch('A'));
    assert_eq!(
        s.team.marked.iter().copied().collect::<Vec<_>>(),
        vec![7, 8]
    );
    key(&mut s, Key::ch('a'));
    // One confirmation that lists every marked request first, then what each sends.
    let d = &s.actions.dialog.as_ref().expect("one confirmation").dialog;
    assert!(d.title.contains("2 request"), "{}", d.title);
    assert!(
        d.targets[0].starts_with("#7 ") && d.targets[0].contains("ws-002"),
        "{:?}",
        d.targets
    );
    assert!(
        d.targets[1].starts_with("#8 ") && d.targets[1].contains("srv-db-01"),
        "{:?}",
        d.targets
    );
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(approvals(&cmds), vec![(vec![7, 8], String::new())]);
    assert!(s.team.marked.is_empty());
}

#[test]
fn a_rejection_needs_a_comment() {
    let mut s = state();
    open_pane(&mut s);
    select(&mut s, "8");
    key(&mut s, Key::ch('r'));
    assert!(key(&mut s, Key::plain(KeyCode::Enter)).is_empty());
    assert!(s.actions.dialog.as_ref().unwrap().dialog.error.is_some());
    for c in "not a server".chars() {
        key(&mut s, Key::ch(c));
    }
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(
        cmds,
        vec![Command::TeamReject {
            id: 8,
            comment: "not a server".into()
        }]
    );
}

#[test]
fn without_a_team_store_the_palette_says_so() {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        now(),
    );
    socops::app::start(&mut s);
    key(&mut s, Key::ch(':'));
    for c in "approvals".chars() {
        key(&mut s, Key::ch(c));
    }
    key(&mut s, Key::plain(KeyCode::Enter));
    let toast = s.toasts.last().map(|t| t.text.clone()).unwrap_or_default();
    assert!(toast.contains("[team]"), "{toast}");
}

#[test]
fn the_pane_on_screen() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = state();
        open_pane(&mut s);
        let screen = draw(&mut s, w, h);
        assert!(screen.contains("Team approvals"), "{screen}");
        assert!(screen.contains("ws-002"), "{screen}");
        insta::assert_snapshot!(format!("team_approvals_{w}x{h}"), screen);
    }
}

#[test]
fn the_approval_carries_the_rows_exactly_as_they_were_shown() {
    let mut s = state();
    open_pane(&mut s);
    select(&mut s, "7");
    key(&mut s, Key::ch('a'));
    // The queue is re-read while the dialog is open: request 7 changed meanwhile.
    let mut changed = request(7, "alice", "ws-002.contoso.local");
    changed.row.version = 4;
    changed.row.parameters =
        r#"{"action":"Offboard","machine_id":"m-7","comment":"c"}"#.to_string();
    update(
        &mut s,
        Msg::TeamQueue {
            me: "bob".into(),
            result: Ok(vec![changed]),
        },
    );
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    let items: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::TeamApprove { items, .. } => Some(items.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(items.len(), 1);
    let shown = &items[0].1;
    assert_eq!(shown.version, 3, "the version the dialog showed");
    assert!(shown.parameters.contains("Isolate"), "{}", shown.parameters);
}

#[test]
fn an_approved_action_joins_the_action_tracker_with_a_result_per_request() {
    let mut s = state();
    open_pane(&mut s);
    key(&mut s, Key::ch('A'));
    key(&mut s, Key::ch('a'));
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    let tickets: Vec<u64> = cmds
        .iter()
        .filter_map(|c| match c {
            Command::TeamApprove { items, .. } => Some(items.iter().map(|(t, _)| *t)),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(tickets.len(), 2, "one ticket per marked request");
    let sent = update(
        &mut s,
        Msg::ActionSent {
            ticket: tickets[0],
            result: SendResult::Sent {
                id: Some("act-77".into()),
                status: Some("Pending".into()),
            },
        },
    );
    assert!(
        sent.contains(&Command::TrackAction {
            id: "act-77".into()
        }),
        "{sent:?}"
    );
    let t = s.actions.tracked.iter().find(|t| t.id == "act-77").unwrap();
    assert_eq!(t.label, "Isolate device");
    assert_eq!(t.device, "ws-002.contoso.local");
    update(
        &mut s,
        Msg::ActionSent {
            ticket: tickets[1],
            result: SendResult::Refused(
                "request 8: request 8 changed after it was shown; nothing was decided or sent"
                    .into(),
            ),
        },
    );
    let toasts: Vec<String> = s.toasts.iter().map(|t| t.text.clone()).collect();
    assert!(
        toasts
            .iter()
            .any(|t| t.contains("ws-002") && t.contains("tracking")),
        "{toasts:?}"
    );
    assert!(
        toasts
            .iter()
            .any(|t| t.contains("srv-db-01") && t.contains("changed after it was shown")),
        "{toasts:?}"
    );
}
