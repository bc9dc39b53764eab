//! The device page: what the inventory says, when it was last seen (with Defender's
//! "inactive" rule), its isolation and app-restriction state from the machine actions on
//! hand, its open alerts by severity, its incidents and its recent actions. Alerts, incidents
//! and actions are rows: Enter opens them; the device keys act on this device.

use crate::api::model::{ActionType, Alert, Incident, MachineAction};
use crate::app::actions::isolation::{self, Isolation};
use crate::app::pages::working::{Subject, Target};
use crate::app::state::{AppState, Detail};
use crate::app::tables::rows::details::device_facts;
use crate::app::tables::rows::pages::{Page, time};
use crate::app::tables::rows::requestor_cell;

/// Defender shows a device as inactive once it has sent no signal for more than seven days
/// (https://learn.microsoft.com/en-us/defender-endpoint/fix-unhealthy-sensors: "Any device
/// that isn't in use for more than seven days retains 'Inactive' status").
pub const INACTIVE_AFTER_DAYS: i64 = 7;

/// How many of the device's actions the page lists, newest first.
const RECENT_ACTIONS: usize = 10;

/// "3 days ago", "5 hours ago", "just now".
fn ago(s: &AppState, t: chrono::DateTime<chrono::Utc>) -> String {
    let d = s.now - t;
    if d.num_days() >= 1 {
        format!("{} days ago", d.num_days())
    } else if d.num_hours() >= 1 {
        format!("{} hours ago", d.num_hours())
    } else {
        "just now".into()
    }
}

/// The last-seen line, and the warning when Defender counts the device as inactive.
fn last_seen(s: &AppState, p: &mut Page, seen: Option<chrono::DateTime<chrono::Utc>>) {
    let Some(t) = seen else {
        p.line("last seen —  (never reported)".into());
        return;
    };
    p.line(format!("last seen {} ({})", time(Some(t)), ago(s, t)));
    let days = (s.now - t).num_days();
    if days >= INACTIVE_AFTER_DAYS {
        p.line(format!(
            "! inactive: not seen for {days} days (Defender marks a device inactive after \
             {INACTIVE_AFTER_DAYS} days without signals); actions wait until it is seen again"
        ));
    }
}

/// "isolated", "isolating (pending)", …: one of a pair of opposite actions' state.
fn toggle_word(state: Isolation, on: &str, off: &str) -> String {
    match state {
        Isolation::Released => format!("not {on}"),
        Isolation::Isolated => on.to_string(),
        Isolation::Isolating => format!("{off} → {on} (pending)"),
        Isolation::Releasing => format!("{on} → {off} (pending)"),
    }
}

/// The newest record of one of `types` on the device.
fn newest<'a>(actions: &'a [&'a MachineAction], types: &[ActionType]) -> Option<&'a MachineAction> {
    actions
        .iter()
        .copied()
        .find(|a| a.action_type.as_ref().is_some_and(|t| types.contains(t)))
}

fn since(a: Option<&MachineAction>) -> String {
    match a {
        Some(a) => format!(
            "   (last: {} {} {})",
            a.type_label(),
            a.status_label(),
            time(a.creation_date_time_utc)
        ),
        None => String::new(),
    }
}

/// Isolation and app restriction, derived from the loaded machine actions (the machine
/// entity carries neither).
fn containment(s: &AppState, p: &mut Page, id: &str, mine: &[&MachineAction]) {
    let iso = isolation::of(s, id);
    p.line(format!(
        "isolation        {}{}",
        toggle_word(iso, "isolated", "released"),
        since(newest(mine, &[ActionType::Isolate, ActionType::Unisolate]))
    ));
    let restrict = s
        .data
        .machine_actions
        .data()
        .map(|a| {
            isolation::by_device_for(
                a,
                ActionType::RestrictCodeExecution,
                ActionType::UnrestrictCodeExecution,
            )
        })
        .and_then(|m| m.get(id).copied())
        .unwrap_or_default();
    p.line(format!(
        "app restriction  {}{}",
        toggle_word(restrict, "restricted", "unrestricted"),
        since(newest(
            mine,
            &[
                ActionType::RestrictCodeExecution,
                ActionType::UnrestrictCodeExecution
            ]
        ))
    ));
    if s.data.machine_actions.data().is_none() {
        p.line("  (machine actions are not loaded: the state may be out of date)".into());
    }
}

fn open_alerts<'a>(s: &'a AppState, id: &str) -> Option<Vec<&'a Alert>> {
    let mut open: Vec<&Alert> = s
        .data
        .alerts
        .data()?
        .iter()
        .filter(|a| a.machine_id.as_deref() == Some(id) && a.is_open())
        .collect();
    open.sort_by_key(|a| {
        (
            std::cmp::Reverse(a.severity_rank()),
            std::cmp::Reverse(a.alert_creation_time),
        )
    });
    Some(open)
}

/// "2 High · 1 Medium" in severity order.
fn by_severity(alerts: &[&Alert]) -> String {
    let mut counts: Vec<(u8, &str, usize)> = Vec::new();
    for a in alerts {
        let (rank, word) = (
            a.severity_rank(),
            a.severity.as_ref().map_or("—", |x| x.as_str()),
        );
        match counts.iter_mut().find(|c| c.1 == word) {
            Some(c) => c.2 += 1,
            None => counts.push((rank, word, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.0));
    counts
        .iter()
        .map(|(_, w, n)| format!("{n} {w}"))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn incidents_of<'a>(s: &'a AppState, id: &str) -> Option<Vec<&'a Incident>> {
    let mut v: Vec<&Incident> = s
        .data
        .incidents
        .data()?
        .iter()
        .filter(|i| {
            i.alerts
                .iter()
                .flatten()
                .any(|a| a.device_ids().contains(&id))
        })
        .collect();
    v.sort_by_key(|i| {
        (
            !i.is_open(),
            std::cmp::Reverse(i.severity_rank()),
            std::cmp::Reverse(i.created_date_time),
        )
    });
    Some(v)
}

/// The device page, or `None` when the device is not in the loaded inventory.
pub fn device_page(s: &AppState, id: &str) -> Option<Detail> {
    let facts = device_facts(s, id)?;
    let last_seen_at = s.data.machines.data()?.find(id)?.last_seen();
    let mut p = Page::default();
    for l in facts.lines {
        p.line(l);
    }
    last_seen(s, &mut p, last_seen_at);
    let mut mine: Vec<&MachineAction> = s
        .data
        .machine_actions
        .data()
        .map(|a| {
            a.iter()
                .filter(|a| a.machine_id.as_deref() == Some(id))
                .collect()
        })
        .unwrap_or_default();
    mine.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
    containment(s, &mut p, id, &mine);

    match open_alerts(s, id) {
        Some(open) => {
            p.heading("Open alerts", open.len());
            if !open.is_empty() {
                p.line(format!("  {}", by_severity(&open)));
            }
            for a in open {
                p.item(
                    format!(
                        "  {:<6} {}  [{}]",
                        a.severity.as_ref().map_or("—", |x| x.as_str()),
                        a.title.as_deref().unwrap_or(&a.id),
                        a.status.as_ref().map_or("—", |x| x.as_str())
                    ),
                    Target::Alert(a.id.clone()),
                );
            }
        }
        None => p.section_unloaded("Open alerts", "alerts"),
    }
    match incidents_of(s, id) {
        Some(incs) => {
            p.heading("Incidents", incs.len());
            for i in incs {
                p.item(
                    format!(
                        "  {:<6} {}  {}  [{}]",
                        i.severity.as_ref().map_or("—", |x| x.as_str()),
                        i.id,
                        i.display_name.as_deref().unwrap_or(""),
                        i.status.as_ref().map_or("—", |x| x.as_str())
                    ),
                    Target::Incident(i.id.clone()),
                );
            }
        }
        None => p.section_unloaded("Incidents", "incidents"),
    }
    if s.data.machine_actions.data().is_some() {
        p.heading("Recent actions", mine.len());
        for a in mine.iter().take(RECENT_ACTIONS) {
            p.item(
                format!(
                    "  {}  {:<24} {:<10} {}",
                    time(a.creation_date_time_utc),
                    a.type_label(),
                    a.status_label(),
                    // Named as the action page and the action tables name it.
                    requestor_cell(s, a.requestor.as_deref())
                ),
                Target::Action(a.id.clone()),
            );
        }
        if mine.len() > RECENT_ACTIONS {
            p.line(format!(
                "  … {} older in the Action center's history",
                mine.len() - RECENT_ACTIONS
            ));
        }
    } else {
        p.section_unloaded("Recent actions", "machine actions");
    }
    Some(p.done(facts.title, facts.link, Subject::Device(id.to_string())))
}
