//! The team store on both engines: the queue's life cycle, the races the database must
//! decide, every identity of the requester refusing self-approval, the tenant queue, expiry
//! by the database's clock, row versions and the wake-up of a watcher. The database itself
//! (audit, schema, files, TLS) is in `team_store_schema.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod team_common;

use std::collections::HashSet;

use socops::store::team::{AuditRow, Decision, RequestState, TeamError, TeamStore, Verdict};
use team_common::{TENANT, by, engines, isolate, login, raw, signed_in};

fn approve(id: i64, who: &str) -> Decision {
    Decision {
        id,
        tenant: TENANT.into(),
        verdict: Verdict::Approve,
        by: login(who),
        comment: String::new(),
        version: None,
        parameters: None,
    }
}

#[tokio::test]
async fn a_request_is_parked_pending_and_listed() {
    for e in engines().await {
        let s = &e.store;
        let before = s.clock().await.unwrap();
        let r1 = s.request(isolate("alice")).await.unwrap();
        let r2 = s.request(isolate("alice")).await.unwrap();
        let after = s.clock().await.unwrap();
        assert_eq!(r1.state, RequestState::Pending, "{}", e.name);
        assert!(r2.id > r1.id, "{}", e.name);
        assert_eq!(r1.target_name, "ws-002.contoso.local");
        assert_eq!(r1.requester, "alice");
        assert_eq!(r1.requester_login.as_deref(), Some("alice"));
        assert_eq!(r1.requester_upn, None);
        // Stamped by the database's clock, expiring by it.
        assert!(
            (before..=after).contains(&r1.requested_at),
            "{}: {before} <= {} <= {after}",
            e.name,
            r1.requested_at
        );
        assert_eq!(r1.expires_at - r1.requested_at, 3600, "{}", e.name);
        let all = s.list(None, None).await.unwrap();
        assert_eq!(
            all.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![r2.id, r1.id],
            "{}: newest first",
            e.name
        );
        assert_eq!(
            s.list(Some(RequestState::Approved), None).await.unwrap(),
            vec![]
        );
        assert_eq!(s.get(r1.id).await.unwrap().as_ref(), Some(&r1));
        assert_eq!(s.get(9999).await.unwrap(), None);
        let audit = s.audit_of(r1.id).await.unwrap();
        assert_eq!(audit.len(), 1, "{}", e.name);
        assert_eq!(audit[0].event, "requested");
        assert_eq!(audit[0].actor, "alice");
        assert!((before..=after).contains(&audit[0].at), "{}", e.name);
    }
}

#[tokio::test]
async fn another_analyst_approves_and_the_next_is_told_who() {
    for e in engines().await {
        let r = e.store.request(isolate("alice")).await.unwrap();
        let bob = e.as_("bob").await;
        let ok = bob.decide(approve(r.id, "bob")).await.unwrap();
        assert_eq!(ok.state, RequestState::Approved, "{}", e.name);
        assert_eq!(ok.decided_by.as_deref(), Some("bob"));
        assert_eq!(ok.decided_by_login.as_deref(), Some("bob"));
        assert!(ok.decided_at.is_some_and(|t| t >= r.requested_at));
        let carol = e.as_("carol").await;
        let late = carol.decide(approve(r.id, "carol")).await.unwrap_err();
        assert!(
            matches!(&late, TeamError::AlreadyDecided { state: RequestState::Approved, by: Some(b), .. } if b == "bob"),
            "{}: {late:?}",
            e.name
        );
        assert!(
            late.to_string().contains("already approved by bob"),
            "{late}"
        );
        let events: Vec<String> = e
            .store
            .audit_of(r.id)
            .await
            .unwrap()
            .into_iter()
            .map(|a| format!("{}:{}", a.event, a.actor))
            .collect();
        assert_eq!(events, ["requested:alice", "approved:bob"], "{}", e.name);
    }
}

#[tokio::test]
async fn the_requester_can_never_decide_their_own() {
    for e in engines().await {
        let r = e.store.request(isolate("alice")).await.unwrap();
        let s = e.as_("alice").await;
        for verdict in [Verdict::Approve, Verdict::Reject] {
            let d = Decision {
                verdict,
                ..approve(r.id, "alice")
            };
            let err = s.decide(d).await.unwrap_err();
            assert!(
                matches!(err, TeamError::OwnRequest { .. }),
                "{}: {err:?}",
                e.name
            );
        }
        assert_eq!(
            s.get(r.id).await.unwrap().unwrap().state,
            RequestState::Pending,
            "{}",
            e.name
        );
    }
}

#[tokio::test]
async fn the_same_person_under_another_sign_in_cannot_approve() {
    for e in engines().await {
        // Alice asks from a device-code profile: both her UPN and her OS login are kept.
        let r = e
            .store
            .request(by(signed_in("alice", "alice@contoso.com")))
            .await
            .unwrap();
        assert_eq!(r.requester, "alice@contoso.com", "{}", e.name);
        assert_eq!(r.requester_login.as_deref(), Some("alice"));
        assert_eq!(r.requester_upn.as_deref(), Some("alice@contoso.com"));
        let other = e.as_("bob").await;
        // The same OS login from an app-credential profile (no UPN) …
        let err = other.decide(approve(r.id, "alice")).await.unwrap_err();
        assert!(
            matches!(&err, TeamError::OwnRequest { via, .. } if via.contains("OS login alice")),
            "{}: {err:?}",
            e.name
        );
        // … or the same Entra user on another box under another login (any case).
        let d = Decision {
            by: signed_in("ajones", "Alice@Contoso.com"),
            ..approve(r.id, "x")
        };
        let err = other.decide(d).await.unwrap_err();
        assert!(
            matches!(&err, TeamError::OwnRequest { via, .. } if via.contains("Entra user")),
            "{}: {err:?}",
            e.name
        );
        assert!(err.to_string().contains("another analyst"), "{err}");
        let d = Decision {
            by: signed_in("bob", "bob@contoso.com"),
            ..approve(r.id, "x")
        };
        let ok = other.decide(d).await.unwrap();
        assert_eq!(ok.decided_by.as_deref(), Some("bob@contoso.com"));
        assert_eq!(ok.decided_by_login.as_deref(), Some("bob"));
        assert_eq!(ok.decided_by_upn.as_deref(), Some("bob@contoso.com"));
    }
}

#[tokio::test]
async fn on_postgres_the_requesters_database_role_cannot_approve() {
    let Some(e) = team_common::postgres().await else {
        return;
    };
    let alice_role = e.as_("alice").await;
    let r = alice_role.request(isolate("alice")).await.unwrap();
    assert_eq!(r.requester_db_user.as_deref(), Some("socops_alice"));
    // Someone with another login and UPN, connected as alice's database role.
    let d = Decision {
        by: signed_in("mallory", "mallory@contoso.com"),
        ..approve(r.id, "x")
    };
    let err = alice_role.decide(d.clone()).await.unwrap_err();
    assert!(
        matches!(&err, TeamError::OwnRequest { via, .. } if via.contains("database role socops_alice")),
        "{err:?}"
    );
    let ok = e.as_("bob").await.decide(d).await.unwrap();
    assert_eq!(ok.decided_by_db_user.as_deref(), Some("socops_bob"));
}

#[tokio::test]
async fn the_queue_is_the_tenants_not_the_profiles() {
    for e in engines().await {
        let s = &e.store;
        let r = s.request(isolate("alice")).await.unwrap();
        // Another profile pointing at the same tenant (or the profile renamed) shares it.
        let mut other_profile = isolate("dave");
        other_profile.profile = "contoso-app".into();
        let r2 = s.request(other_profile).await.unwrap();
        let mut elsewhere = isolate("dave");
        elsewhere.tenant = "fabrikam.onmicrosoft.com".into();
        let r3 = s.request(elsewhere).await.unwrap();
        let ids = |v: Vec<socops::store::team::ApprovalRequest>| {
            v.into_iter().map(|r| r.id).collect::<Vec<_>>()
        };
        let pending = Some(RequestState::Pending);
        assert_eq!(
            ids(s.list(pending, Some(TENANT)).await.unwrap()),
            vec![r2.id, r.id],
            "{}",
            e.name
        );
        assert_eq!(
            ids(s
                .list(pending, Some("fabrikam.onmicrosoft.com"))
                .await
                .unwrap()),
            vec![r3.id]
        );
        // Never decided under another tenant's session, whoever asks.
        let bob = e.as_("bob").await;
        let err = bob.decide(approve(r3.id, "bob")).await.unwrap_err();
        assert!(
            matches!(&err, TeamError::OtherTenant { tenant, .. } if tenant == "fabrikam.onmicrosoft.com"),
            "{}: {err:?}",
            e.name
        );
        assert_eq!(
            s.get(r3.id).await.unwrap().unwrap().state,
            RequestState::Pending
        );
        assert_eq!(
            bob.decide(approve(r2.id, "bob")).await.unwrap().state,
            RequestState::Approved
        );
    }
}

#[tokio::test]
async fn a_reject_keeps_its_comment() {
    for e in engines().await {
        let r = e.store.request(isolate("alice")).await.unwrap();
        let d = Decision {
            verdict: Verdict::Reject,
            comment: "not a server".into(),
            ..approve(r.id, "bob")
        };
        let done = e.as_("bob").await.decide(d).await.unwrap();
        assert_eq!(done.state, RequestState::Rejected, "{}", e.name);
        assert_eq!(done.decision_comment.as_deref(), Some("not a server"));
        let err = e
            .as_("carol")
            .await
            .decide(approve(r.id, "carol"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("rejected by bob"), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_approvers_racing_on_one_request_make_one_winner() {
    for e in engines().await {
        let r = e.store.request(isolate("alice")).await.unwrap();
        let url = e.url_as("bob").await;
        let mut tasks = Vec::new();
        for i in 0..8 {
            // Each approver is its own opening of the store (another process).
            let s = TeamStore::open(&url).await.unwrap();
            tasks.push(tokio::spawn(async move {
                s.decide(approve(r.id, &format!("approver{i}"))).await
            }));
        }
        let mut winners = Vec::new();
        let mut told = Vec::new();
        for t in tasks {
            // A lock that never frees fails here instead of hanging the suite.
            let joined = tokio::time::timeout(std::time::Duration::from_secs(60), t)
                .await
                .expect("the approver finished within 60 s");
            match joined.unwrap() {
                Ok(row) => winners.push(row.decided_by.unwrap()),
                Err(TeamError::AlreadyDecided { by, .. }) => told.push(by.unwrap()),
                Err(other) => panic!("{}: {other:?}", e.name),
            }
        }
        assert_eq!(winners.len(), 1, "{}: {winners:?}", e.name);
        assert!(
            told.iter().all(|b| *b == winners[0]),
            "{}: {told:?}",
            e.name
        );
        let audit = e.store.audit_of(r.id).await.unwrap();
        assert_eq!(
            audit.iter().filter(|a| a.event == "approved").count(),
            1,
            "{}",
            e.name
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_requests_racing_each_get_exactly_one_decision() {
    for e in engines().await {
        // Three analysts file requests at once from their own processes.
        let mut filers = Vec::new();
        for who in ["alice", "dave", "erin"] {
            let s = e.reopen().await;
            filers.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for _ in 0..10 {
                    ids.push(s.request(isolate(who)).await.unwrap().id);
                }
                ids
            }));
        }
        let mut ids = Vec::new();
        for f in filers {
            ids.extend(f.await.unwrap());
        }
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 30, "{}", e.name);
        // Two approvers race through the whole queue.
        let mut racers = Vec::new();
        for who in ["bob", "carol"] {
            let s = e.as_(who).await;
            let ids = ids.clone();
            racers.push(tokio::spawn(async move {
                let mut won = Vec::new();
                for id in ids {
                    match s.decide(approve(id, who)).await {
                        Ok(_) => won.push(id),
                        Err(TeamError::AlreadyDecided { .. }) => {}
                        Err(other) => panic!("{other:?}"),
                    }
                }
                won
            }));
        }
        let mut won = Vec::new();
        for r in racers {
            won.extend(r.await.unwrap());
        }
        won.sort();
        let mut want = ids.clone();
        want.sort();
        assert_eq!(won, want, "{}: every request won exactly once", e.name);
        assert!(
            e.store
                .list(Some(RequestState::Pending), None)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_request_expires_by_the_databases_clock() {
    for e in engines().await {
        let s = &e.store;
        let r = s.request(isolate("alice")).await.unwrap();
        let keep = s.request(isolate("alice")).await.unwrap();
        // An hour and a bit passes, as the database sees it (no client time is involved:
        // the store takes none).
        raw(
            &e,
            &format!(
                "UPDATE approval_requests SET requested_at = requested_at - 4000, \
                 expires_at = expires_at - 4000 WHERE id = {}",
                r.id
            ),
        )
        .await
        .unwrap();
        let bob = e.as_("bob").await;
        let err = bob.decide(approve(r.id, "bob")).await.unwrap_err();
        assert!(matches!(err, TeamError::Expired(_)), "{}: {err:?}", e.name);
        assert!(err.to_string().contains("nothing was sent"), "{err}");
        assert_eq!(s.expire().await.unwrap(), vec![r.id], "{}", e.name);
        assert_eq!(s.expire().await.unwrap(), Vec::<i64>::new());
        assert_eq!(
            s.get(r.id).await.unwrap().unwrap().state,
            RequestState::Expired
        );
        assert_eq!(
            s.get(keep.id).await.unwrap().unwrap().state,
            RequestState::Pending
        );
        let audit = s.audit_of(r.id).await.unwrap();
        assert_eq!(audit.last().unwrap().event, "expired", "{}", e.name);
        assert_eq!(
            bob.decide(approve(keep.id, "bob")).await.unwrap().state,
            RequestState::Approved
        );
    }
}

#[tokio::test]
async fn only_the_requester_withdraws() {
    for e in engines().await {
        let s = &e.store;
        let r = s.request(isolate("alice")).await.unwrap();
        let err = s.withdraw(r.id, "bob").await.unwrap_err();
        assert!(
            matches!(err, TeamError::NotRequester { .. }),
            "{}: {err:?}",
            e.name
        );
        let w = s.withdraw(r.id, "alice").await.unwrap();
        assert_eq!(w.state, RequestState::Withdrawn, "{}", e.name);
        let bob = e.as_("bob").await;
        let err = bob.decide(approve(r.id, "bob")).await.unwrap_err();
        assert!(err.to_string().contains("withdrawn"), "{err}");
        let err = s.withdraw(9999, "alice").await.unwrap_err();
        assert!(matches!(err, TeamError::NotFound(9999)), "{err:?}");
    }
}

#[tokio::test]
async fn an_outcome_is_recorded_once_on_an_approved_request() {
    for e in engines().await {
        let s = &e.store;
        let r = s.request(isolate("alice")).await.unwrap();
        assert!(
            s.record_outcome(r.id, "sent", Some("a1")).await.is_err(),
            "{}: not approved yet",
            e.name
        );
        e.as_("bob")
            .await
            .decide(approve(r.id, "bob"))
            .await
            .unwrap();
        s.record_outcome(r.id, "sent", Some("a1")).await.unwrap();
        assert!(s.record_outcome(r.id, "sent", Some("a2")).await.is_err());
        let row = s.get(r.id).await.unwrap().unwrap();
        assert_eq!(row.outcome.as_deref(), Some("sent"), "{}", e.name);
        assert_eq!(row.action_id.as_deref(), Some("a1"));
        s.append_audit(AuditRow {
            request_id: r.id,
            actor: "bob".into(),
            event: "dispatched".into(),
            detail: "a1".into(),
        })
        .await
        .unwrap();
        assert_eq!(s.audit_of(r.id).await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn an_approval_applies_only_to_the_parameters_that_were_shown() {
    for e in engines().await {
        let r = e.store.request(isolate("alice")).await.unwrap();
        let s = &e.as_("bob").await;
        let other = r#"{"action":"Offboard","machine_id":"m-002","comment":"c"}"#;
        let d = Decision {
            parameters: Some(other.into()),
            ..approve(r.id, "bob")
        };
        let err = s.decide(d).await.unwrap_err();
        assert!(matches!(err, TeamError::Changed(_)), "{}: {err:?}", e.name);
        assert!(err.to_string().contains("nothing was decided"), "{err}");
        assert_eq!(
            s.get(r.id).await.unwrap().unwrap().state,
            RequestState::Pending,
            "{}",
            e.name
        );
        let d = Decision {
            parameters: Some(r.parameters.clone()),
            ..approve(r.id, "bob")
        };
        assert_eq!(s.decide(d).await.unwrap().state, RequestState::Approved);
    }
}

#[tokio::test]
async fn an_approval_applies_only_to_the_version_that_was_shown() {
    for e in engines().await {
        let s = &e.store;
        let shown = s.request(isolate("alice")).await.unwrap();
        assert_eq!(shown.version, 1, "{}", e.name);
        // Changed behind the approver's back, even by hand with the version kept as it was.
        raw(
            &e,
            &format!(
                "UPDATE approval_requests SET comment = 'changed', version = 1 WHERE id = {}",
                shown.id
            ),
        )
        .await
        .unwrap();
        let now = s.get(shown.id).await.unwrap().unwrap();
        assert_eq!(
            now.version, 2,
            "{}: every change raises the version",
            e.name
        );
        let bob = e.as_("bob").await;
        let d = Decision {
            version: Some(shown.version),
            parameters: Some(shown.parameters.clone()),
            ..approve(shown.id, "bob")
        };
        let err = bob.decide(d.clone()).await.unwrap_err();
        assert!(matches!(err, TeamError::Changed(_)), "{}: {err:?}", e.name);
        assert_eq!(
            s.get(shown.id).await.unwrap().unwrap().state,
            RequestState::Pending
        );
        let d = Decision {
            version: Some(now.version),
            ..d
        };
        let done = bob.decide(d).await.unwrap();
        assert_eq!(done.state, RequestState::Approved, "{}", e.name);
        assert!(done.version > now.version, "{}", e.name);
    }
}

#[tokio::test]
async fn on_postgres_a_new_request_wakes_a_watcher_at_once() {
    use std::sync::Arc;
    use std::time::Duration;
    let Some(e) = team_common::postgres().await else {
        return;
    };
    let wake = Arc::new(tokio::sync::Notify::new());
    let task = e.store.watch(wake.clone()).await.expect("listening");
    // One wake-up when listening starts (whatever was filed before is read then).
    tokio::time::timeout(Duration::from_secs(10), wake.notified())
        .await
        .expect("listening started");
    // Another analyst's process files a request: the database notifies the watcher.
    e.as_("dave").await.request(isolate("dave")).await.unwrap();
    tokio::time::timeout(Duration::from_secs(10), wake.notified())
        .await
        .expect("woken by the new request");
    task.abort();
}

#[tokio::test]
async fn on_sqlite_there_is_nothing_to_listen_to_and_the_reader_polls() {
    let e = team_common::sqlite().await;
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    assert!(e.store.watch(wake).await.is_none());
}
