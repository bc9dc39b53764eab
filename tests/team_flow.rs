//! Four-eyes end to end against the simulator, on both engines: a request is parked (not
//! sent), another analyst approves it and the action appears once in the tenant's action
//! history; racing approvers dispatch once; the requester cannot approve; an unreachable
//! store neither sends nor parks; device tags trigger the policy; the console's runner parks.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod team_common;

use std::sync::Arc;

use serde_json::Value;
use socops::api::auth::StaticToken;
use socops::api::calls::ActionRequest;
use socops::api::dispatch::{self, DispatchError, Mode, Origin, Ran};
use socops::api::{Client, Cloud, Endpoints, Resource, RetryPolicy};
use socops::app::actions::SendResult;
use socops::runtime::actions::{ActionContext, ActionRunner};
use socops::runtime::team::{self, ApproveError, TeamContext, TeamGate};
use socops::sim::{RunningSim, SimConfig, start as start_sim};
use socops::store::audit::{AuditEntry, AuditLog, read_entries};
use socops::store::team::{ApprovalPolicy, RequestState, TeamError, TeamStore};
use team_common::engines;

async fn sim() -> RunningSim {
    start_sim(SimConfig {
        seed: 11,
        devices: 20,
        now: None,
        rate_limits: false,
        time_scale: 0.0,
        plan: socops::api::plan::Plan::P2,
    })
    .await
    .unwrap()
}

fn client(url: &str, who: &str) -> Client {
    Client::with_policy(
        Endpoints::for_cloud(Cloud::Global, "t").with_overrides(Some(url), Some(url), Some(url)),
        Arc::new(StaticToken::new("tok", who)),
        RetryPolicy::fast(),
    )
}

fn ctx(url: &str, me: &str, policy: ApprovalPolicy) -> TeamContext {
    TeamContext {
        url: url.to_string(),
        policy,
        profile: "contoso".into(),
        tenant: team_common::TENANT.into(),
        me: team_common::login(me),
        wake: Arc::default(),
    }
}

fn isolate_policy() -> ApprovalPolicy {
    ApprovalPolicy {
        required: vec!["Isolate".into()],
        required_for_tags: vec![],
        expires_secs: 3600,
    }
}

/// (id, name, tags) of the active devices.
async fn devices(c: &Client) -> Vec<(String, String, Vec<String>)> {
    let v: Value = c.get(Resource::Mde, "machines").await.unwrap();
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["healthStatus"] == "Active")
        .map(|m| {
            let tags = m["machineTags"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            (
                m["id"].as_str().unwrap().to_string(),
                m["computerDnsName"].as_str().unwrap_or("").to_string(),
                tags,
            )
        })
        .collect()
}

/// Machine actions of `kind` on device `id` in the tenant's history.
async fn history(c: &Client, id: &str, kind: &str) -> Vec<Value> {
    let v: Value = c.get(Resource::Mde, "machineactions").await.unwrap();
    v["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["machineId"] == id && a["type"] == kind)
        .cloned()
        .collect()
}

fn isolate(id: &str) -> ActionRequest {
    ActionRequest::Isolate {
        machine_id: id.into(),
        comment: "lateral movement".into(),
        selective: false,
    }
}

/// Approve request `id` as `ctx.me` as the CLI does: read the row, approve what was read.
async fn approve_id(
    store: &TeamStore,
    c: &Client,
    audit: &AuditLog,
    ctx: &TeamContext,
    id: i64,
    comment: &str,
) -> Result<team::Approved, ApproveError> {
    let shown = store.get(id).await.unwrap().expect("the request exists");
    let args = team::ApproveArgs {
        shown: &shown,
        comment,
        read_only: false,
        dry_run: false,
    };
    match team::approve(store, c, audit, ctx, args).await? {
        team::Approval::Done(done) => Ok(*done),
        team::Approval::DryRun(lines) => panic!("a dry run: {lines:?}"),
    }
}

const SEND: Mode = Mode {
    dry_run: false,
    read_only: false,
    recover: true,
};

/// Request `req` as `who` through the pipeline with the team gate.
async fn request(
    c: &Client,
    audit: &AuditLog,
    gate: &TeamGate,
    req: &ActionRequest,
    name: &str,
) -> Result<Ran, DispatchError> {
    let origin = Origin {
        profile: "contoso".into(),
        tenant: "Contoso".into(),
        targets: vec![req.target_machine().unwrap().to_string(), name.to_string()],
    };
    dispatch::run_gated(c, audit, origin, req, SEND, Some(gate)).await
}

/// Alice's isolation of one device, parked by the team gate of `e`.
struct Held {
    c: Client,
    dir: tempfile::TempDir,
    audit: AuditLog,
    id: String,
    request_id: i64,
}

/// Alice asks to isolate the device at `index` (of the simulator's list) through the gate of
/// `e`; the policy holds it for a second pair of eyes.
async fn held_isolation(sim: &RunningSim, e: &team_common::Under, index: usize) -> Held {
    let c = client(&sim.base_url(), "alice@contoso.com");
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::open(dir.path()).unwrap();
    let (id, name, _) = devices(&c).await.swap_remove(index);
    let gate = TeamGate::new(ctx(&e.url, "alice", isolate_policy()));
    let Ran::Held(held) = request(&c, &audit, &gate, &isolate(&id), &name)
        .await
        .unwrap()
    else {
        panic!("not held")
    };
    Held {
        c,
        dir,
        audit,
        id,
        request_id: held.request_id,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn request_then_approve_puts_the_action_once_in_the_history() {
    let sim = sim().await;
    for e in engines().await {
        let alice = client(&sim.base_url(), "alice@contoso.com");
        let bob = client(&sim.base_url(), "bob@contoso.com");
        let dir = tempfile::tempdir().unwrap();
        let audit = AuditLog::open(dir.path()).unwrap();
        let devs = devices(&alice).await;
        let (id, name, _) = &devs[if e.name == "sqlite" { 0 } else { 1 }];
        let gate = TeamGate::new(ctx(&e.url, "alice", isolate_policy()));

        let ran = request(&alice, &audit, &gate, &isolate(id), name)
            .await
            .unwrap();
        let Ran::Held(held) = ran else {
            panic!("{}: not held: {ran:?}", e.name)
        };
        assert_eq!(held.json["state"], "pending");
        assert!(
            history(&alice, id, "Isolate").await.is_empty(),
            "{}",
            e.name
        );
        // The local audit log records the request, marked as such.
        let entries = read_entries(audit.path()).unwrap();
        assert!(
            entries
                .iter()
                .any(|x| matches!(x, AuditEntry::Intent { intent, .. }
                if intent.action.starts_with("Request approval"))),
            "{}: {entries:?}",
            e.name
        );

        // The requester cannot approve their own.
        let own = approve_id(
            &e.as_("alice").await,
            &alice,
            &audit,
            &ctx(&e.url, "alice", isolate_policy()),
            held.request_id,
            "",
        )
        .await
        .unwrap_err();
        assert!(
            matches!(own, ApproveError::Team(TeamError::OwnRequest { .. })),
            "{own:?}"
        );
        assert!(history(&alice, id, "Isolate").await.is_empty());

        let done = approve_id(
            &e.as_("bob").await,
            &bob,
            &audit,
            &ctx(&e.url_as("bob").await, "bob", isolate_policy()),
            held.request_id,
            "confirmed on the phone",
        )
        .await
        .unwrap();
        let sent = done.sent.expect("sent");
        let actions = history(&bob, id, "Isolate").await;
        assert_eq!(actions.len(), 1, "{}: {actions:?}", e.name);
        assert_eq!(actions[0]["id"].as_str(), sent.action_id.as_deref());
        let row = e.store.get(held.request_id).await.unwrap().unwrap();
        assert_eq!(row.state, RequestState::Approved);
        assert_eq!(row.decided_by.as_deref(), Some("bob"));
        assert_eq!(row.outcome.as_deref(), Some("sent"));
        assert_eq!(row.action_id, sent.action_id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_approvers_dispatch_once_and_the_loser_learns_who_won() {
    let sim = sim().await;
    for e in engines().await {
        let Held {
            c,
            dir,
            id,
            request_id,
            ..
        } = held_isolation(&sim, &e, if e.name == "sqlite" { 2 } else { 3 }).await;
        let id = id.as_str();
        let mut tasks = Vec::new();
        for who in ["bob", "carol"] {
            let store = e.as_(who).await;
            let c = client(&sim.base_url(), &format!("{who}@contoso.com"));
            let dir = dir.path().to_path_buf();
            let ctx = ctx(&e.url_as(who).await, who, isolate_policy());
            tasks.push(tokio::spawn(async move {
                let audit = AuditLog::open(&dir).unwrap();
                approve_id(&store, &c, &audit, &ctx, request_id, "").await
            }));
        }
        let mut won = Vec::new();
        let mut told = Vec::new();
        for t in tasks {
            // A lock that never frees fails here instead of hanging the suite.
            let joined = tokio::time::timeout(std::time::Duration::from_secs(60), t)
                .await
                .expect("the approver finished within 60 s");
            match joined.unwrap() {
                Ok(done) => won.push((done.request.decided_by.clone(), done.sent.is_ok())),
                Err(ApproveError::Team(TeamError::AlreadyDecided { by, .. })) => told.push(by),
                Err(other) => panic!("{}: {other:?}", e.name),
            }
        }
        assert_eq!(won.len(), 1, "{}: {won:?}", e.name);
        assert!(won[0].1, "the winner sent it");
        assert_eq!(told, vec![won[0].0.clone()], "{}", e.name);
        assert_eq!(history(&c, id, "Isolate").await.len(), 1, "{}", e.name);
    }
}

#[tokio::test]
async fn an_unreachable_store_neither_sends_nor_parks_and_says_so() {
    let sim = sim().await;
    let c = client(&sim.base_url(), "alice@contoso.com");
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::open(dir.path()).unwrap();
    let devs = devices(&c).await;
    let (id, name, _) = &devs[4];
    let gate = TeamGate::new(ctx(
        "postgres://socops@127.0.0.1:1/socops",
        "alice",
        isolate_policy(),
    ));
    let err = request(&c, &audit, &gate, &isolate(id), name)
        .await
        .unwrap_err();
    assert!(matches!(err, DispatchError::Team(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("unreachable"), "{msg}");
    assert!(msg.contains("nothing was sent"), "{msg}");
    assert!(history(&c, id, "Isolate").await.is_empty());
    // The attempt is in the local audit log as not performed: the analyst's request is not
    // lost without a trace.
    let entries = read_entries(audit.path()).unwrap();
    assert!(
        entries.iter().any(|x| matches!(x, AuditEntry::Outcome { outcome, .. }
            if !outcome.ok && outcome.error.as_deref().is_some_and(|e| e.contains("not performed")))),
        "{entries:?}"
    );
}

#[tokio::test]
async fn a_device_tag_makes_any_action_wait_and_untagged_ones_go_through() {
    let sim = sim().await;
    let e = team_common::sqlite().await;
    let c = client(&sim.base_url(), "alice@contoso.com");
    let dir = tempfile::tempdir().unwrap();
    let audit = AuditLog::open(dir.path()).unwrap();
    let devs = devices(&c).await;
    let tagged = devs
        .iter()
        .find(|d| !d.2.is_empty())
        .expect("a tagged device");
    let untagged = devs
        .iter()
        .find(|d| d.2.is_empty())
        .expect("an untagged device");
    let policy = ApprovalPolicy {
        required: vec![],
        required_for_tags: vec![tagged.2[0].to_lowercase()],
        expires_secs: 3600,
    };
    let gate = TeamGate::new(ctx(&e.url, "alice", policy));
    let scan = |id: &str| ActionRequest::RunAntiVirusScan {
        machine_id: id.into(),
        comment: "c".into(),
        full: false,
    };
    let held = request(&c, &audit, &gate, &scan(&tagged.0), &tagged.1)
        .await
        .unwrap();
    assert!(matches!(held, Ran::Held(_)), "{held:?}");
    let sent = request(&c, &audit, &gate, &scan(&untagged.0), &untagged.1)
        .await
        .unwrap();
    assert!(matches!(sent, Ran::Sent(_)), "{sent:?}");
    assert_eq!(e.store.list(None, None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_console_runner_parks_instead_of_sending() {
    let sim = sim().await;
    let e = team_common::sqlite().await;
    let c = client(&sim.base_url(), "alice@contoso.com");
    let devs = devices(&c).await;
    let (id, name, _) = &devs[5];
    let dir = tempfile::tempdir().unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let actx = ActionContext::new(dir.path().to_path_buf(), "contoso".into(), "Contoso".into())
        .with_team(Some(TeamGate::new(ctx(&e.url, "alice", isolate_policy()))));
    let runner = ActionRunner::new(c.clone(), tx, actx);
    let got = runner
        .execute(&isolate(id), vec![id.clone(), name.clone()], false)
        .await;
    let SendResult::AwaitingApproval { request } = got else {
        panic!("{got:?}")
    };
    assert!(history(&c, id, "Isolate").await.is_empty());
    let row = e.store.get(request).await.unwrap().unwrap();
    assert_eq!(row.target_name, *name);
    assert_eq!(row.requester, "alice");
    let parked: ActionRequest = serde_json::from_str(&row.parameters).unwrap();
    assert_eq!(parked, isolate(id));
}

#[tokio::test]
async fn without_a_team_nothing_changes() {
    let sim = sim().await;
    let c = client(&sim.base_url(), "alice@contoso.com");
    let devs = devices(&c).await;
    let (id, _, _) = &devs[6];
    let dir = tempfile::tempdir().unwrap();
    let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
    let actx = ActionContext::new(dir.path().to_path_buf(), "contoso".into(), "Contoso".into());
    let runner = ActionRunner::new(c.clone(), tx, actx);
    let got = runner.execute(&isolate(id), vec![id.clone()], false).await;
    assert!(matches!(got, SendResult::Sent { .. }), "{got:?}");
    assert_eq!(history(&c, id, "Isolate").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parameters_changed_after_they_were_shown_are_never_approved_or_sent() {
    let sim = sim().await;
    for e in engines().await {
        let Held {
            c,
            dir: _dir,
            audit,
            id,
            request_id,
            ..
        } = held_isolation(&sim, &e, if e.name == "sqlite" { 5 } else { 6 }).await;
        let id = id.as_str();
        let shown = e.store.get(request_id).await.unwrap().unwrap();
        // Between show and approve, someone who can write the store makes it selective.
        let changed = shown
            .parameters
            .replace("\"selective\":false", "\"selective\":true");
        assert_ne!(changed, shown.parameters);
        set_parameters(&e, shown.id, &changed).await;
        let args = team::ApproveArgs {
            shown: &shown,
            comment: "",
            read_only: false,
            dry_run: false,
        };
        let bob = client(&sim.base_url(), "bob@contoso.com");
        let err = team::approve(
            &e.as_("bob").await,
            &bob,
            &audit,
            &ctx(&e.url_as("bob").await, "bob", isolate_policy()),
            args,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, ApproveError::Team(TeamError::Changed(_))),
            "{}: {err:?}",
            e.name
        );
        assert!(history(&c, id, "Isolate").await.is_empty(), "{}", e.name);
        let row = e.store.get(shown.id).await.unwrap().unwrap();
        assert_eq!(row.state, RequestState::Pending, "{}", e.name);
    }
}

/// Rewrite one request's parameters straight in the database, as another program would.
async fn set_parameters(e: &team_common::Under, id: i64, parameters: &str) {
    if e.name == "sqlite" {
        let path = e.url.trim_start_matches("sqlite://").to_string();
        let p = parameters.to_string();
        tokio::task::spawn_blocking(move || {
            rusqlite::Connection::open(path)
                .unwrap()
                .execute(
                    "UPDATE approval_requests SET parameters = ?1 WHERE id = ?2",
                    rusqlite::params![p, id],
                )
                .unwrap();
        })
        .await
        .unwrap();
    } else {
        let (c, conn) = tokio_postgres::connect(&e.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c.execute(
            "UPDATE approval_requests SET parameters = $1 WHERE id = $2",
            &[&parameters, &id],
        )
        .await
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_console_approves_exactly_the_row_it_showed_and_tracks_what_it_sent() {
    let sim = sim().await;
    for e in engines().await {
        let Held {
            c,
            dir,
            id,
            request_id,
            ..
        } = held_isolation(&sim, &e, if e.name == "sqlite" { 7 } else { 8 }).await;
        let id = id.as_str();
        let shown = e.store.get(request_id).await.unwrap().unwrap();
        // Bob's console, as the pane showed the request.
        let bob_ctx = ctx(&e.url_as("bob").await, "bob", isolate_policy());
        let wake = bob_ctx.wake.clone();
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        let actx = ActionContext::new(dir.path().to_path_buf(), "contoso".into(), "t".into())
            .with_team(Some(TeamGate::new(bob_ctx)));
        let bob = ActionRunner::new(client(&sim.base_url(), "bob@contoso.com"), tx, actx);
        // The request changes after it was shown (only its comment: any change counts).
        raw_comment(&e, shown.id).await;
        let got = bob.approve_shown(&shown, "ok").await;
        let SendResult::Refused(text) = &got else {
            panic!("{}: {got:?}", e.name)
        };
        assert!(text.contains("changed after it was shown"), "{text}");
        assert!(history(&c, id, "Isolate").await.is_empty(), "{}", e.name);
        // Approving from the pane wakes the queue reader, so the pane shows the new row.
        bob.team_approve(vec![(1, shown.clone())], String::new());
        tokio::time::timeout(std::time::Duration::from_secs(10), wake.notified())
            .await
            .expect("the pane is refreshed");
        let again = e.store.get(shown.id).await.unwrap().unwrap();
        assert_eq!(again.state, RequestState::Pending, "{}", e.name);
        // Approving the row as it now is sends it once, with the id the tracker follows.
        let got = bob.approve_shown(&again, "ok").await;
        let SendResult::Sent {
            id: Some(action), ..
        } = &got
        else {
            panic!("{}: {got:?}", e.name)
        };
        let actions = history(&c, id, "Isolate").await;
        assert_eq!(actions.len(), 1, "{}", e.name);
        assert_eq!(actions[0]["id"].as_str(), Some(action.as_str()));
    }
}

#[tokio::test]
async fn a_request_of_another_tenant_is_never_approved_here_and_a_renamed_profile_keeps_its_own() {
    let sim = sim().await;
    let e = team_common::sqlite().await;
    let Held {
        c,
        dir: _dir,
        audit,
        id,
        request_id,
        ..
    } = held_isolation(&sim, &e, 9).await;
    let id = id.as_str();
    let mut elsewhere = ctx(&e.url, "bob", isolate_policy());
    elsewhere.tenant = "fabrikam.onmicrosoft.com".into();
    let err = approve_id(&e.store, &c, &audit, &elsewhere, request_id, "")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ApproveError::Refused(m) if m.contains("tenant")),
        "{err:?}"
    );
    assert!(history(&c, id, "Isolate").await.is_empty());
    // The same tenant under a renamed profile: the request is still its own.
    let mut renamed = ctx(&e.url, "bob", isolate_policy());
    renamed.profile = "contoso-renamed".into();
    let done = approve_id(&e.store, &c, &audit, &renamed, request_id, "")
        .await
        .unwrap();
    assert!(done.sent.is_ok(), "{:?}", done.sent);
    assert_eq!(history(&c, id, "Isolate").await.len(), 1);
}

/// Change one request's comment straight in the database, as another program would.
async fn raw_comment(e: &team_common::Under, id: i64) {
    if e.name == "sqlite" {
        let path = e.url.trim_start_matches("sqlite://").to_string();
        tokio::task::spawn_blocking(move || {
            rusqlite::Connection::open(path)
                .unwrap()
                .execute(
                    "UPDATE approval_requests SET comment = 'edited' WHERE id = ?1",
                    [id],
                )
                .unwrap();
        })
        .await
        .unwrap();
    } else {
        let (c, conn) = tokio_postgres::connect(&e.url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        c.execute(
            "UPDATE approval_requests SET comment = 'edited' WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap();
    }
}
