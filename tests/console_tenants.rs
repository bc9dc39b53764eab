//! Several tenants and the offline console: `:ctx` (completion, reset, loads for the new
//! tenant, stale answers dropped), the All tenants view with a failing tenant, offline
//! refusals, mono snapshots, and the runtime switching between two simulated tenants.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use chrono::{DateTime, TimeZone, Utc};
use socops::app::data::checklist::Marks;
use socops::app::data::tenants::{TenantInfo, TenantSummary};
use socops::app::{
    AppState, Command, Key, KeyCode, Keymap, Msg, Payload, ResourceKind, Settings, View, start,
    update,
};
use socops::digest::Snapshot;
use socops::digest::model::{DeviceItem, ExposureFigure, IncidentItem, SecureScoreFigure};

mod screen;
use screen::draw;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap()
}

fn info(name: &str, label: &str) -> TenantInfo {
    TenantInfo {
        name: name.into(),
        label: label.into(),
        ..Default::default()
    }
}

fn state(settings: Settings) -> AppState {
    let mut s = AppState::new(settings, Keymap::default(), Marks::default(), now());
    let mut broken = info("lab", "Lab tenant");
    broken.unavailable = Some("environment variable LAB_SECRET is not set".into());
    socops::app::data::tenants::init(
        &mut s,
        vec![
            info("contoso", "Contoso"),
            info("fabrikam-eu", "Fabrikam EU"),
            info("fabrikam-us", "Fabrikam US"),
            broken,
        ],
    );
    s.settings.tenant_label = "Contoso".into();
    start(&mut s);
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

fn palette_input(s: &AppState) -> String {
    match &s.mode {
        socops::app::Mode::Palette { input, .. } => input.clone(),
        m => panic!("not in the palette: {m:?}"),
    }
}

#[test]
fn ctx_completes_switches_resets_and_drops_stale_answers() {
    let mut s = state(Settings::default());
    let old_id = s.data.pending(ResourceKind::Machines).unwrap();
    s.checklist.toggle("daily:2026-11-30", "exposure");

    key(&mut s, Key::ch(':'));
    typed(&mut s, "ct");
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(palette_input(&s), "ctx");
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(palette_input(&s), "ctx ");
    // The profiles are suggested (fuzzy); Tab takes the highlighted one, ↓ the next.
    typed(&mut s, "f");
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(palette_input(&s), "ctx fabrikam-eu");
    for _ in "fabrikam-eu".chars() {
        key(&mut s, Key::plain(KeyCode::Backspace));
    }
    typed(&mut s, "f");
    key(&mut s, Key::plain(KeyCode::Down));
    key(&mut s, Key::plain(KeyCode::Tab));
    assert_eq!(palette_input(&s), "ctx fabrikam-us");
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));

    // The switch goes first, then the loads of the first screen for the new tenant.
    assert_eq!(cmds[0], Command::SwitchTenant(2));
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Command::Load(ResourceKind::Machines, _)))
    );
    assert_eq!(s.tenants.current, 2);
    assert_eq!(s.settings.tenant_label, "Fabrikam US");
    assert_eq!(s.since.profile, "fabrikam-us");
    assert!(s.checklist.to_json() == Marks::default().to_json());
    let new_id = s.data.pending(ResourceKind::Machines).unwrap();
    assert_ne!(new_id, old_id);

    // The old tenant's answer arrives late: dropped, nothing shown.
    update(
        &mut s,
        Msg::Loaded {
            id: old_id,
            at: now(),
            payload: Box::new(Payload::Machines(Default::default())),
        },
    );
    assert!(s.data.machines.data().is_none());
    assert_eq!(s.data.pending(ResourceKind::Machines), Some(new_id));

    // Restored files of another profile are ignored; the new tenant's are applied.
    let mut marks = Marks::default();
    marks.toggle("daily:2026-11-30", "incidents");
    let restored = |profile: &str| Msg::TenantRestored {
        profile: profile.into(),
        marks: marks.clone(),
        previous: None,
        tracked: Vec::new(),
    };
    update(&mut s, restored("contoso"));
    assert!(s.checklist.to_json() == Marks::default().to_json());
    update(&mut s, restored("fabrikam-us"));
    assert!(s.checklist.to_json() == marks.to_json());

    // Unknown and unavailable tenants are refused with a toast, nothing switched.
    key(&mut s, Key::ch(':'));
    typed(&mut s, "ctx nowhere");
    assert!(!key(&mut s, Key::plain(KeyCode::Enter)).contains(&Command::SwitchTenant(0)));
    assert!(
        s.toasts
            .last()
            .unwrap()
            .text
            .starts_with("no tenant `nowhere`")
    );
    key(&mut s, Key::ch(':'));
    typed(&mut s, "ctx lab");
    key(&mut s, Key::plain(KeyCode::Enter));
    assert!(s.toasts.last().unwrap().text.contains("unavailable"));
    assert_eq!(s.tenants.current, 2);
}

fn summary(profile: &str, tenant: &str) -> Snapshot {
    let mut snap = Snapshot::empty(profile, tenant, now());
    snap.exposure_score = Some(ExposureFigure::from_score(41.0));
    snap.secure_score = Some(SecureScoreFigure {
        current: 51.0,
        max: 100.0,
        percent: 51.0,
    });
    for (i, sev) in ["high", "high", "medium", "low", "informational"]
        .iter()
        .enumerate()
    {
        snap.incidents.push(IncidentItem {
            id: i.to_string(),
            severity: (*sev).into(),
            status: "active".into(),
            ..Default::default()
        });
    }
    snap.devices_at_risk.push(DeviceItem {
        id: "m1".into(),
        name: "pc-01".into(),
        risk_score: "High".into(),
        ..Default::default()
    });
    snap
}

fn all_tenants() -> AppState {
    let mut s = state(Settings::default());
    key(&mut s, Key::ch(':'));
    typed(&mut s, "tenants");
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(s.view, View::Tenants);
    assert_eq!(cmds, vec![Command::LoadTenants { round: 1 }]);
    // The unavailable tenant shows its reason without a request.
    assert!(matches!(s.tenants.summaries[3], TenantSummary::Failed(_)));
    let answer = |index: usize, result: Result<Box<Snapshot>, String>| Msg::TenantSummary {
        round: 1,
        index,
        result,
    };
    update(
        &mut s,
        answer(0, Ok(Box::new(summary("contoso", "Contoso")))),
    );
    update(
        &mut s,
        answer(
            1,
            Err("Microsoft Defender for Endpoint: 403 Forbidden: missing Machine.Read.All".into()),
        ),
    );
    update(
        &mut s,
        answer(2, Ok(Box::new(summary("fabrikam-us", "Fabrikam US")))),
    );
    s
}

#[test]
fn all_tenants_rows_with_a_failing_tenant() {
    let mut s = all_tenants();
    let line = socops::app::data::tenants::line_text(&s.tenants.summaries[0]);
    assert!(line.contains("exposure 41 Medium"), "{line}");
    assert!(line.contains("incidents H2 M1 L1 I1"), "{line}");
    assert!(line.contains("at risk 1"), "{line}");
    assert!(socops::app::data::tenants::line_text(&s.tenants.summaries[1]).starts_with("FAILED"));
    // An answer of an older round is dropped.
    update(
        &mut s,
        Msg::TenantSummary {
            round: 0,
            index: 2,
            result: Err("stale".into()),
        },
    );
    assert!(matches!(s.tenants.summaries[2], TenantSummary::Ready(_)));
    // Enter on a line opens that tenant, like :ctx.
    key(&mut s, Key::plain(KeyCode::Down));
    let cmds = key(&mut s, Key::plain(KeyCode::Enter));
    assert_eq!(cmds[0], Command::SwitchTenant(1));
    assert_eq!(s.view, View::Checklist(socops::app::Cadence::Daily));
}

#[test]
fn all_tenants_snapshots() {
    let mut s = all_tenants();
    insta::assert_snapshot!("all_tenants_80x24", draw(&mut s, 80, 24));
    insta::assert_snapshot!("all_tenants_120x40", draw(&mut s, 120, 40));
}

fn offline_state() -> AppState {
    let mut s = AppState::new(
        Settings {
            tenant_label: "contoso".into(),
            offline: true,
            read_only: true,
            ..Settings::default()
        },
        Keymap::default(),
        Marks::default(),
        now(),
    );
    start(&mut s);
    s
}

#[test]
fn offline_refuses_actions_and_refresh() {
    let mut s = offline_state();
    // Cached data arrives (a day old) and a missing resource says how to fill the cache.
    let id = s.data.pending(ResourceKind::Machines).unwrap();
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now() - chrono::Duration::hours(26),
            payload: Box::new(Payload::Machines(Default::default())),
        },
    );
    update(&mut s, Msg::Key(Key::ch('4')));
    let go = |s: &mut AppState, name: &str| {
        key(s, Key::ch(':'));
        typed(s, name);
        key(s, Key::plain(KeyCode::Enter))
    };
    go(&mut s, "devices");
    assert_eq!(s.view, View::Devices);
    for c in ['.', 'V', 'i', 'I'] {
        let cmds = key(&mut s, Key::ch(c));
        assert!(
            cmds.iter()
                .all(|c| matches!(c, Command::ExpireToast { .. }))
        );
        assert!(s.actions.dialog.is_none() && s.actions.menu.is_none());
        assert!(s.toasts.last().unwrap().text.starts_with("offline:"));
    }
    // Refresh: a toast, no load; the scheduler's refresh does nothing.
    let cmds = key(&mut s, Key::ch('r'));
    assert!(!cmds.iter().any(|c| matches!(c, Command::Load(..))));
    assert!(s.toasts.last().unwrap().text.contains("nothing to refresh"));
    assert!(update(&mut s, Msg::RefreshDue).is_empty());
    // Views do not reload what the cache already gave.
    assert!(
        !go(&mut s, "devices")
            .iter()
            .any(|c| matches!(c, Command::Load(..)))
    );
    // Switching tenants and the All tenants view need the network.
    go(&mut s, "tenants");
    assert!(s.toasts.last().unwrap().text.starts_with("offline:"));
}

#[test]
fn offline_header_snapshots() {
    let mut s = offline_state();
    let id = s.data.pending(ResourceKind::Incidents).unwrap();
    update(
        &mut s,
        Msg::LoadFailed {
            id,
            at: now(),
            kind: ResourceKind::Incidents,
            error: socops::app::LoadError {
                text: "no offline data — run `socops incidents list` online once".into(),
                code: None,
                correlation_id: None,
            },
        },
    );
    let id = s.data.pending(ResourceKind::Machines).unwrap();
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: now() - chrono::Duration::hours(26),
            payload: Box::new(Payload::Machines(Default::default())),
        },
    );
    key(&mut s, Key::ch(':'));
    typed(&mut s, "incidents");
    key(&mut s, Key::plain(KeyCode::Enter));
    insta::assert_snapshot!("offline_incidents_80x24", draw(&mut s, 80, 24));
    insta::assert_snapshot!("offline_incidents_120x40", draw(&mut s, 120, 40));
}

#[test]
fn a_switch_takes_the_tenants_own_identity() {
    // "Assign to me" and "this profile's app" belong to the tenant: after `:ctx`, the
    // previous tenant's analyst must never be written into this tenant's incidents.
    let mut s = AppState::new(
        Settings {
            me: Some("ana@contoso.com".into()),
            own_app: Some("11111111-0000-0000-0000-000000000001".into()),
            ..Settings::default()
        },
        Keymap::default(),
        Marks::default(),
        now(),
    );
    let mut fabrikam = info("fabrikam-eu", "Fabrikam EU");
    fabrikam.me = Some("soc@fabrikam.eu".into());
    fabrikam.own_app = None;
    let mut contoso = info("contoso", "Contoso");
    contoso.me = Some("ana@contoso.com".into());
    contoso.own_app = Some("11111111-0000-0000-0000-000000000001".into());
    socops::app::data::tenants::init(&mut s, vec![contoso, fabrikam]);
    start(&mut s);
    socops::app::data::tenants::switch(&mut s, 1);
    assert_eq!(s.settings.me.as_deref(), Some("soc@fabrikam.eu"));
    assert_eq!(s.settings.own_app, None);
    socops::app::data::tenants::switch(&mut s, 0);
    assert_eq!(s.settings.me.as_deref(), Some("ana@contoso.com"));
    assert_eq!(
        s.settings.own_app.as_deref(),
        Some("11111111-0000-0000-0000-000000000001")
    );
}
