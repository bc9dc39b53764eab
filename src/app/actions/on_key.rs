//! Keys for actions: the menu and the dialog when open, the action keys (`.`, `V`, `i`, `I`)
//! on a device row, marking and cancelling in the Action center. Read-only refuses them all.

use crate::app::actions::dialog::{DialogKey, FieldId};
use crate::app::actions::kind::{ActionKind, KindExt};
use crate::app::actions::target::selected_devices;
use crate::app::actions::{Menu, OpenDialog, Purpose, describe};
use crate::app::actions::{center, form, indicators};
use crate::app::input::keymap::{Action, Key, KeyCode};
use crate::app::msg::Command;
use crate::app::state::{AppState, Mode};
use crate::app::steps::toast;

/// The toast of a refused action on a read-only profile.
pub(crate) const READ_ONLY: &str = "read-only profile: response actions are off; nothing was sent";

/// Handle `key` if it belongs to actions; `None` lets the normal keymap have it.
pub fn on_key(s: &mut AppState, key: Key) -> Option<Vec<Command>> {
    if s.actions.dialog.is_some() {
        return Some(on_dialog_key(s, key));
    }
    if let Some(menu) = s.actions.menu.as_mut() {
        let n = menu.items.len().max(1);
        match key.code {
            KeyCode::Esc => s.actions.menu = None,
            KeyCode::Down | KeyCode::Char('j') => menu.selected = (menu.selected + 1) % n,
            KeyCode::Up | KeyCode::Char('k') => menu.selected = (menu.selected + n - 1) % n,
            KeyCode::Enter => {
                let (kind, device) = (menu.items.get(menu.selected).copied(), menu.device.clone());
                let bulk = std::mem::take(&mut menu.bulk);
                s.actions.menu = None;
                match kind {
                    Some(kind) if !bulk.is_empty() => {
                        return Some(crate::app::actions::bulk::open(s, kind, bulk));
                    }
                    Some(kind) => open_dialog(s, kind, device),
                    None => {}
                }
            }
            _ => {}
        }
        return Some(Vec::new());
    }
    if let Some(cmds) = crate::app::pages::working::on_picker_key(s, key) {
        return Some(cmds);
    }
    if s.mode != Mode::Normal || s.detail.is_some() {
        return None;
    }
    let action = s.keymap.action(key)?;
    if let Some(cmds) = crate::app::tables::marks::on_key(s, action) {
        return Some(cmds);
    }
    if let Some(cmds) = crate::app::actions::triage::on_key(s, action) {
        return Some(cmds);
    }
    if action == Action::ToggleDone || action == Action::Open {
        return center::on_center_key(s, action);
    }
    if !action.is_write() {
        return None;
    }
    if s.settings.read_only {
        return Some(toast(s, READ_ONLY.into()));
    }
    match action {
        Action::MarkAll | Action::CancelActions => center::on_center_key(s, action),
        Action::NewIndicator | Action::DeleteIndicator => {
            Some(crate::app::actions::indicators::on_key(s, action))
        }
        Action::Block | Action::QuarantineFile => Some(toast(
            s,
            "open an incident or alert (enter) and select a file of its evidence".into(),
        )),
        _ => Some(device_key(s, action)),
    }
}

fn device_key(s: &mut AppState, action: Action) -> Vec<Command> {
    if let Some(table) = s.focused_table()
        && let Some(devices) = crate::app::actions::bulk::marked_devices(s, table)
    {
        return crate::app::actions::bulk::device_key(s, action, devices);
    }
    let devices = selected_devices(s);
    device_key_among(s, action, devices)
}

/// A device key with these candidate devices: none says so, one acts, several ask which.
pub(crate) fn device_key_among(
    s: &mut AppState,
    action: Action,
    mut devices: Vec<crate::app::actions::DeviceRef>,
) -> Vec<Command> {
    match devices.len() {
        0 => toast(
            s,
            "select a device row (or an alert or incident) first".into(),
        ),
        1 => {
            let device = devices.remove(0);
            device_key_on(s, action, device)
        }
        n => {
            let what = match action {
                Action::Scan => "Scan",
                Action::Isolate => "Isolate or release",
                Action::Investigate => "Investigate",
                _ => "Act on",
            };
            crate::app::pages::working::pick(
                s,
                format!("{what} which of {n} devices?"),
                devices,
                crate::app::pages::working::Then::Key(action),
            );
            Vec::new()
        }
    }
}

/// Why the tenant's licence refuses `kind` (a toast), if it does.
pub(crate) fn plan_refusal(s: &mut AppState, kind: ActionKind) -> Option<Vec<Command>> {
    if kind.in_plan(s.settings.plan) {
        return None;
    }
    let cap = kind
        .entry()
        .capability
        .unwrap_or(crate::api::plan::Capability::Scan);
    let reason = crate::api::plan::refusal(s.settings.plan, cap, kind.title());
    Some(toast(s, reason.unwrap_or_default()))
}

/// A device key (`.`, `V`, `i`, `I`) on this device.
pub(crate) fn device_key_on(
    s: &mut AppState,
    action: Action,
    device: crate::app::actions::DeviceRef,
) -> Vec<Command> {
    let mut cmds = Vec::new();
    if !s.actions.library_requested {
        s.actions.library_requested = true;
        cmds.push(Command::LoadLibrary);
    }
    let kind = match action {
        Action::DeviceMenu => {
            // Only what the device allows and the tenant's plan includes.
            let plan = s.settings.plan;
            let items: Vec<ActionKind> = ActionKind::ALL
                .into_iter()
                .filter(|k| k.valid_for(&device) && k.in_plan(plan))
                .collect();
            s.actions.menu = Some(Menu {
                device,
                items,
                selected: 0,
                bulk: Vec::new(),
            });
            return cmds;
        }
        Action::Scan => ActionKind::Scan,
        // `i` toggles: release an isolated device, isolate any other.
        Action::Isolate if device.isolation.offers_release() => ActionKind::Release,
        Action::Isolate => ActionKind::Isolate,
        _ => ActionKind::Investigate,
    };
    if let Some(refused) = plan_refusal(s, kind) {
        cmds.extend(refused);
        return cmds;
    }
    open_dialog(s, kind, device);
    cmds
}

/// Open the dialog of `kind` on `device`.
pub(crate) fn open_dialog(
    s: &mut AppState,
    kind: ActionKind,
    device: crate::app::actions::DeviceRef,
) {
    let dialog = kind.dialog(&device, &s.actions.library, s.settings.protected);
    form::open(
        s,
        OpenDialog {
            dialog,
            purpose: Purpose::Device(kind, device),
        },
    );
}

fn on_dialog_key(s: &mut AppState, key: Key) -> Vec<Command> {
    let Some(open) = s.actions.dialog.as_mut() else {
        return Vec::new();
    };
    let dry_run = match open.dialog.key(key) {
        DialogKey::Edited => {
            crate::app::actions::triage::refresh_form(open);
            return Vec::new();
        }
        DialogKey::Cancel if open.purpose == Purpose::Overwrite => {
            return crate::app::actions::recheck::overwrite_cancelled(s);
        }
        DialogKey::Cancel => {
            form::cancel(s);
            return Vec::new();
        }
        DialogKey::Confirm => false,
        DialogKey::DryRun => true,
    };
    confirm(s, dry_run)
}

/// Enter (or the dry run) on the open dialog: build, check and send its requests.
pub(crate) fn confirm(s: &mut AppState, dry_run: bool) -> Vec<Command> {
    let Some(open) = s.actions.dialog.as_mut() else {
        return Vec::new();
    };
    if open.purpose == Purpose::Overwrite {
        return if dry_run {
            Vec::new()
        } else {
            crate::app::actions::recheck::overwrite_confirmed(s)
        };
    }
    if matches!(
        open.purpose,
        Purpose::TeamApprove(_) | Purpose::TeamReject(_)
    ) {
        // The dialog already shows the exact requests; there is no separate dry run.
        return if dry_run {
            Vec::new()
        } else {
            crate::app::actions::approvals::on_confirm(s).unwrap_or_default()
        };
    }
    if s.settings.read_only {
        s.actions.dialog = None;
        return toast(s, READ_ONLY.into());
    }
    // Adding: the API is asked for the value's indicators first (the replace step when it
    // has one), nothing sent yet.
    if !dry_run && open.purpose == Purpose::AddIndicator {
        let input = indicators::IndicatorInput::of(&open.dialog);
        if let Some(cmds) = indicators::before_send(s, &input) {
            return cmds;
        }
    }
    let Some(open) = s.actions.dialog.as_mut() else {
        return Vec::new();
    };
    let built = match &open.purpose {
        Purpose::Device(kind, device) => kind
            .request(&device.id, &open.dialog)
            .map(|r| vec![(r, device.name.clone())]),
        Purpose::Bulk(kind, devices) => devices
            .iter()
            .map(|d| {
                kind.request(&d.id, &open.dialog)
                    .map(|r| (r, d.name.clone()))
            })
            .collect(),
        Purpose::Cancel(ids) => Ok(center::cancel_requests(
            ids,
            &open.dialog.value(FieldId::Comment),
        )),
        Purpose::TeamApprove(_) | Purpose::TeamReject(_) | Purpose::Overwrite => Ok(Vec::new()),
        Purpose::AddIndicator => {
            let input = indicators::IndicatorInput::of(&open.dialog);
            input
                .request()
                .map(|r| vec![(r, input.value.trim().to_string())])
        }
        Purpose::ReplaceIndicator(input) => input
            .request()
            .map(|r| vec![(r, input.value.trim().to_string())]),
        Purpose::DeleteIndicator { id, value } => Ok(vec![(
            crate::api::calls::ActionRequest::DeleteIndicator { id: id.clone() },
            value.clone(),
        )]),
        Purpose::Triage(..) | Purpose::Comment(..) => {
            let open = open.clone();
            crate::app::actions::triage::requests(s, &open.purpose, &open.dialog)
        }
    };
    let Some(open) = s.actions.dialog.as_mut() else {
        return Vec::new();
    };
    let checked = built.and_then(|reqs| {
        reqs.iter().try_for_each(|(r, _)| r.validate())?;
        Ok(reqs)
    });
    let reqs = match checked {
        Ok(reqs) if dry_run || open.dialog.name_confirmed() => reqs,
        Ok(_) => {
            open.dialog.error = Some(open.dialog.confirm_hint());
            return Vec::new();
        }
        Err(e) => {
            open.dialog.error = Some(e);
            return Vec::new();
        }
    };
    let Some(open) = s.actions.dialog.take() else {
        return Vec::new();
    };
    if !dry_run && let Some(cmds) = crate::app::actions::recheck::first(s, &open, &reqs) {
        return cmds;
    }
    let label = open.dialog.title.clone();
    if dry_run {
        form::dry_run(s, s.actions.next_ticket, open);
    } else {
        form::sent(s, &open);
        if matches!(open.purpose, Purpose::Bulk(..))
            && let Some(table) = s.focused_table()
        {
            crate::app::tables::marks::spend(s, table);
        }
        crate::app::actions::triage::apply_optimistic(s, &reqs);
    }
    send_all(s, reqs, dry_run, &label)
}

/// One `SendAction` per request, each with its ticket and what it is about.
pub(crate) fn send_all(
    s: &mut AppState,
    reqs: Vec<(crate::api::calls::ActionRequest, String)>,
    dry_run: bool,
    label: &str,
) -> Vec<Command> {
    let mut cmds = Vec::new();
    let first = s.actions.next_ticket;
    for (req, device) in reqs {
        let ticket = s.actions.next_ticket;
        s.actions.next_ticket += 1;
        let mut info = match &req {
            crate::api::calls::ActionRequest::Triage { .. }
            | crate::api::calls::ActionRequest::TriageComment { .. } => {
                crate::app::actions::triage::sending(&req, &device)
            }
            _ => describe(&req, &device),
        };
        // A cancellation reads by what it cancels, not by the action's id.
        if let crate::api::calls::ActionRequest::CancelAction { action_id, .. } = &req
            && let Some((kind, on)) = center::action_about(s, action_id)
        {
            info.label = format!("Cancel {kind}");
            info.device = on;
        }
        s.actions.sending.insert(ticket, info);
        let targets = req
            .target_machine()
            .map(|m| vec![m.to_string(), device.clone()])
            .unwrap_or_else(|| vec![device.clone()]);
        cmds.push(Command::SendAction {
            ticket,
            request: Box::new(req),
            targets,
            dry_run,
        });
    }
    if !dry_run {
        let tickets = (first..s.actions.next_ticket).collect();
        crate::app::actions::bulk::start(s, label, tickets);
    }
    cmds
}
