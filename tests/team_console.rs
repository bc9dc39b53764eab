//! The console's Team approvals pane in `update` and on screen: the runtime's poll fills it,
//! `a` on another analyst's request opens one confirmation showing the exact request and
//! confirming emits one approve command, `a` on one's own is refused, `r` needs a comment,
//! space/`A` mark several for one approval, `:approvals` opens the pane.

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use socops::app::checklist::Marks;
use socops::app::team::TeamRequest;
use socops::app::{AppState, Command, Key, KeyCode, Keymap, Msg, Settings, TableId, View, update};
use socops::store::team::{ApprovalRequest, RequestState};
use socops::ui::{Theme, render};

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
            parameters: "{}".into(),
            comment: "lateral movement".into(),
            requester: requester.into(),
            requested_at: now().timestamp() - 600,
            expires_at: now().timestamp() + 3600,
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            outcome: None,
            action_id: None,
        },
        request_lines: vec![format!(
            "POST https://api.security.microsoft.com/api/machines/m-{id}/isolate"
        )],
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
    t.selected = t.view.iter().position(|i| t.rows[*i].id == id).unwrap();
}

fn approvals(cmds: &[Command]) -> Vec<(Vec<i64>, String)> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::TeamApprove { ids, comment } => Some((ids.clone(), comment.clone())),
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

fn draw(s: &mut AppState, w: u16, h: u16) -> String {
    update(s, Msg::Resize(w, h));
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| render(f, s, &Theme::mono())).unwrap();
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
