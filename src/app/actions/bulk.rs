//! Bulk work on marked rows. The device keys (`.`, `V`, `i`, `I`) on a table with marks act
//! on the device of every marked row (a device row, an alert's device, an incident's
//! devices, an action's device) with ONE dialog: one comment, one confirmation listing every
//! device. Each device gets its own request through the same pipeline (the transport keeps
//! them within the API budget). Any confirmation that sends several requests (bulk triage
//! too) is a batch: the status line counts its answers ("Isolate device: 3 of 10 answered")
//! and, when all are in, a page lists each row's result. Pure.

use std::collections::BTreeSet;

use crate::app::actions::kind::{ActionKind, DeviceRef, KindExt, device_line};
use crate::app::actions::target::device_ref;
use crate::app::actions::{Menu, OpenDialog, Purpose, SendResult, Sending, form};
use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::state::{AppState, Detail, TableId};
use crate::app::steps::toast;

/// Requests of one confirmation on their way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Batch {
    pub label: String,
    pub tickets: BTreeSet<u64>,
    pub total: usize,
    /// One line per answer: `Isolate device on pc-01: sent (Pending)`.
    pub results: Vec<String>,
    pub failed: usize,
}

/// The devices of the marked rows of `table`, each once; `None` when nothing is marked.
pub(crate) fn marked_devices(s: &AppState, table: TableId) -> Option<Vec<DeviceRef>> {
    let ids = crate::app::tables::marks::marked(s, table);
    if ids.is_empty() {
        return None;
    }
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for id in &ids {
        let of_row: Vec<(String, Option<String>)> = match table {
            TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices => {
                vec![(id.clone(), None)]
            }
            TableId::Alerts => crate::app::tables::rows::alert_devices(s, id),
            TableId::Incidents => crate::app::tables::rows::incident_devices(s, id),
            TableId::ActionsHistory => s
                .data
                .machine_actions
                .data()
                .and_then(|v| v.iter().find(|a| a.id == *id))
                .and_then(|a| Some((a.machine_id.clone()?, a.computer_dns_name.clone())))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        for d in of_row {
            if !found.iter().any(|(x, _)| *x == d.0) {
                found.push(d);
            }
        }
    }
    Some(
        found
            .into_iter()
            .map(|(id, name)| device_ref(s, &id, name))
            .collect(),
    )
}

/// A device key with marked rows: one device acts as usual, several open one dialog.
pub(crate) fn device_key(
    s: &mut AppState,
    action: Action,
    devices: Vec<DeviceRef>,
) -> Vec<Command> {
    if devices.len() < 2 {
        return crate::app::actions::on_key::device_key_among(s, action, devices);
    }
    match action {
        Action::DeviceMenu => {
            let plan = s.settings.plan;
            let protected = s.settings.protected;
            let items: Vec<ActionKind> = ActionKind::ALL
                .into_iter()
                .filter(|k| k.in_plan(plan) && !k.typed_name(protected))
                .filter(|k| devices.iter().all(|d| k.valid_for(d)))
                .collect();
            s.actions.menu = Some(Menu {
                device: devices[0].clone(),
                items,
                selected: 0,
                bulk: devices,
            });
            Vec::new()
        }
        Action::Scan => open(s, ActionKind::Scan, devices),
        Action::Isolate if devices.iter().all(|d| d.isolation.offers_release()) => {
            open(s, ActionKind::Release, devices)
        }
        Action::Isolate => open(s, ActionKind::Isolate, devices),
        _ => open(s, ActionKind::Investigate, devices),
    }
}

/// One dialog for `kind` on every device it is offered for.
pub fn open(s: &mut AppState, kind: ActionKind, devices: Vec<DeviceRef>) -> Vec<Command> {
    if let Some(refused) = crate::app::actions::on_key::plan_refusal(s, kind) {
        return refused;
    }
    if kind.typed_name(s.settings.protected) {
        return toast(
            s,
            format!(
                "{} asks for each device's name: act on one device at a time",
                kind.title()
            ),
        );
    }
    let (valid, skipped): (Vec<DeviceRef>, Vec<DeviceRef>) =
        devices.into_iter().partition(|d| kind.valid_for(d));
    let Some(first) = valid.first() else {
        return toast(
            s,
            format!("{} is not offered for the marked devices", kind.title()),
        );
    };
    let mut dialog = kind.dialog(first, &s.actions.library, s.settings.protected);
    dialog.title = format!("{} · {} devices", dialog.title, valid.len());
    dialog.targets = valid.iter().map(device_line).collect();
    if !skipped.is_empty() {
        let names: Vec<&str> = skipped.iter().map(|d| d.name.as_str()).collect();
        dialog.effect = format!(
            "{} One request per device. Not offered for (skipped): {}.",
            dialog.effect,
            names.join(", ")
        );
    } else {
        dialog.effect = format!("{} One request per device.", dialog.effect);
    }
    form::open(
        s,
        OpenDialog {
            dialog,
            purpose: Purpose::Bulk(kind, valid),
        },
    );
    Vec::new()
}

/// Several requests of one confirmation left: count their answers.
pub fn start(s: &mut AppState, label: &str, tickets: BTreeSet<u64>) {
    if tickets.len() < 2 {
        return;
    }
    s.actions.batch = Some(Batch {
        label: label.to_string(),
        total: tickets.len(),
        tickets,
        results: Vec::new(),
        failed: 0,
    });
}

/// What became of one request, in a few words.
pub fn outcome(info: &Sending, result: &SendResult) -> (String, bool) {
    let (text, ok) = match result {
        SendResult::Sent { status, .. } => (
            format!(
                "sent ({})",
                status.as_ref().map_or("accepted", |s| s.as_str())
            ),
            true,
        ),
        SendResult::Duplicate { id, status } => {
            (format!("not sent: action {id} is already {status}"), false)
        }
        SendResult::Refused(t) => (format!("not sent: {t}"), false),
        SendResult::AlreadyPending(t) => (format!("not performed: {t}"), false),
        SendResult::Failed(e) => (format!("not performed: {}", e.text), false),
        SendResult::Unknown(e) => (format!("unknown: {}", e.text), false),
        SendResult::AwaitingApproval { request } => {
            (format!("awaits approval (request {request})"), true)
        }
        SendResult::DryRun(_) => ("dry run".to_string(), true),
    };
    (format!("{} on {}: {text}", info.label, info.device), ok)
}

/// An answer of a batch came: count it; the last one opens the page of results.
pub(crate) fn on_answer(s: &mut AppState, ticket: u64, line: String, ok: bool) -> Vec<Command> {
    let Some(b) = s.actions.batch.as_mut() else {
        return Vec::new();
    };
    if !b.tickets.remove(&ticket) {
        return Vec::new();
    }
    b.results.push(line);
    if !ok {
        b.failed += 1;
    }
    if !b.tickets.is_empty() {
        return Vec::new();
    }
    let Some(b) = s.actions.batch.take() else {
        return Vec::new();
    };
    let summary = format!("{}: {} answered, {} not done", b.label, b.total, b.failed);
    let page = Detail {
        title: format!("{} · results", b.label),
        lines: b.results,
        ..Default::default()
    };
    // Over whatever is open (Esc returns to it).
    if let Some(cur) = s.detail.take() {
        s.detail_back.push((cur, s.detail_id.take()));
    }
    s.detail = Some(page);
    s.detail_id = None;
    toast(s, summary)
}

/// The status line while a batch is out: `Isolate device · 3 devices: 1 of 3 answered`.
pub fn progress_line(s: &AppState) -> Option<String> {
    let b = s.actions.batch.as_ref()?;
    let done = b.total - b.tickets.len();
    Some(if b.failed > 0 {
        format!(
            "{}: {done} of {} answered · {} not done",
            b.label, b.total, b.failed
        )
    } else {
        format!("{}: {done} of {} answered", b.label, b.total)
    })
}
