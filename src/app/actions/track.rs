//! The runtime's answers about actions: a send's result (tracked, duplicate, failed, dry
//! run), a tracked action's progress to its terminal status, and resuming tracking after a
//! restart. Completion raises a toast, refreshes the affected data and fetches results.

use crate::api::model::ActionStatus;
use crate::app::actions::{ResultKind, SendResult, Tracked};
use crate::app::msg::Command;
use crate::app::state::{AppState, Detail};
use crate::app::steps::{load, push_error, toast};
use crate::app::view::ResourceKind;

/// Start tracking the actions read from disk (a restarted console).
pub fn resume(s: &mut AppState, tracked: Vec<Tracked>) -> Vec<Command> {
    let mut cmds = Vec::new();
    for t in tracked {
        if s.actions.tracked.iter().any(|x| x.id == t.id) {
            continue;
        }
        cmds.push(Command::TrackAction { id: t.id.clone() });
        s.actions.tracked.push(t);
    }
    cmds
}

/// Reload what an action changed; a resource already loading is marked dirty and reloaded
/// when that (possibly older) answer lands, so the new status always shows.
fn reload(s: &mut AppState, kinds: &[ResourceKind]) -> Vec<Command> {
    let mut cmds = Vec::new();
    for k in kinds {
        if s.data.pending(*k).is_some() {
            s.actions.dirty.insert(*k);
        } else {
            cmds.extend(load(s, *k, true));
        }
    }
    cmds
}

/// A load of `kind` ended (data or error): reload it if an action changed it meanwhile.
pub(crate) fn after_load(s: &mut AppState, kind: ResourceKind) -> Vec<Command> {
    if s.actions.dirty.remove(&kind) {
        load(s, kind, true).into_iter().collect()
    } else {
        Vec::new()
    }
}

/// A `SendAction` came back.
pub fn on_sent(s: &mut AppState, ticket: u64, result: SendResult) -> Vec<Command> {
    let Some(info) = s.actions.sending.remove(&ticket) else {
        return Vec::new();
    };
    let what = format!("{} on {}", info.label, info.device);
    if !matches!(result, SendResult::DryRun(_)) {
        crate::app::actions::form::dry_run_ended(s, ticket);
    }
    let (line, ok) = crate::app::actions::bulk::outcome(&info, &result);
    // A triage change shown at once that was not (or maybe not) made: the re-read puts the
    // row back as the tenant has it.
    let mut cmds =
        if info.triage && !matches!(result, SendResult::Sent { .. } | SendResult::DryRun(_)) {
            reload(s, crate::app::actions::triage::reload_kinds(&info.device))
        } else {
            Vec::new()
        };
    cmds.extend(answer(s, info, what, result));
    cmds.extend(crate::app::actions::bulk::on_answer(s, ticket, line, ok));
    cmds
}

fn answer(
    s: &mut AppState,
    info: crate::app::actions::Sending,
    what: String,
    result: SendResult,
) -> Vec<Command> {
    match result {
        SendResult::DryRun(lines) => {
            s.detail = Some(Detail {
                title: format!("Dry run: {what} (nothing was sent)"),
                lines,
                link: None,
                scroll: 0,
                ..Default::default()
            });
            Vec::new()
        }
        SendResult::Duplicate { id, status } => toast(
            s,
            format!("{what}: action {id} is already {status}; nothing was sent"),
        ),
        SendResult::Refused(text) => toast(s, format!("{what}: {text}; nothing was sent")),
        SendResult::AlreadyPending(text) => toast(s, format!("{what}: {text}")),
        SendResult::AwaitingApproval { request } => {
            toast(s, format!("{what} awaits approval: request {request}"))
        }
        SendResult::Failed(error) => {
            let text = format!("{what}: not performed: {}", error.text);
            push_error(s, s.now, what, error);
            toast(s, text)
        }
        SendResult::Unknown(error) => {
            // Reload the action history: the action may be there after all.
            let text = format!("{what}: {}", error.text);
            push_error(s, s.now, what, error);
            let mut cmds = toast(s, text);
            cmds.extend(reload(s, &[ResourceKind::MachineActions]));
            cmds
        }
        SendResult::Sent { id, status } => {
            let kinds: &[ResourceKind] = if info.triage {
                crate::app::actions::triage::reload_kinds(&info.device)
            } else {
                &[
                    ResourceKind::MachineActions,
                    ResourceKind::Investigations,
                    ResourceKind::Indicators,
                ]
            };
            let shown = status.as_ref().map_or("sent", ActionStatus::as_str);
            let status_text = shown.to_string();
            let mut cmds = Vec::new();
            match id {
                Some(id) if info.trackable => {
                    s.actions.tracked.push(Tracked {
                        id: id.clone(),
                        label: info.label,
                        device: info.device,
                        status: status.unwrap_or(ActionStatus::Pending),
                        stopped: false,
                        result: info.result,
                    });
                    cmds.push(Command::TrackAction { id });
                    cmds.push(Command::SaveTracked(s.actions.tracked.clone()));
                    cmds.extend(toast(s, format!("{what}: {status_text}; tracking")));
                }
                _ => cmds.extend(toast(s, format!("{what}: done ({status_text})"))),
            }
            cmds.extend(reload(s, kinds));
            cmds
        }
    }
}

/// A tracked action's status was read.
pub fn on_progress(s: &mut AppState, id: String, status: ActionStatus) -> Vec<Command> {
    let Some(i) = s.actions.tracked.iter().position(|t| t.id == id) else {
        return Vec::new();
    };
    if !status.is_terminal() {
        s.actions.tracked[i].status = status;
        s.actions.tracked[i].stopped = false;
        return Vec::new();
    }
    let t = s.actions.tracked.remove(i);
    let mut cmds = vec![Command::SaveTracked(s.actions.tracked.clone())];
    cmds.extend(toast(s, format!("{} on {}: {status}", t.label, t.device)));
    if status == ActionStatus::Succeeded && t.result != ResultKind::None {
        cmds.push(Command::FetchResult {
            id: t.id.clone(),
            what: t.result,
            device: t.device.clone(),
        });
    }
    cmds.extend(reload(
        s,
        &[ResourceKind::MachineActions, ResourceKind::Machines],
    ));
    cmds
}

/// Tracking of an action stopped. A vanished action (404) is forgotten; one whose status
/// could not be read stays in the list (and on disk) marked `tracking stopped`, so a
/// restart resumes it.
pub(crate) fn on_stopped(s: &mut AppState, id: String, error: String, gone: bool) -> Vec<Command> {
    let Some(i) = s.actions.tracked.iter().position(|t| t.id == id) else {
        return Vec::new();
    };
    let what = format!(
        "{} on {}",
        s.actions.tracked[i].label, s.actions.tracked[i].device
    );
    if gone {
        s.actions.tracked.remove(i);
        let mut cmds = vec![Command::SaveTracked(s.actions.tracked.clone())];
        cmds.extend(toast(s, format!("{what}: action not found ({id})")));
        return cmds;
    }
    s.actions.tracked[i].stopped = true;
    let text = crate::api::error::truncate_chars(&error, 120);
    toast(
        s,
        format!("{what}: tracking stopped: {text} (restart to resume)"),
    )
}

/// The status of a tracked action whose reads kept failing.
pub(crate) const STOPPED: &str = "tracking stopped";

/// The status-line text of tracked actions, e.g. `⟳ Isolate device pc-01 (Pending) +1`.
pub fn progress_line(s: &AppState) -> Option<String> {
    let first = s.actions.tracked.first()?;
    let more = s.actions.tracked.len() - 1;
    let short = first.device.split('.').next().unwrap_or(&first.device);
    Some(format!(
        "⟳ {} {short} ({}){}",
        first.label,
        if first.stopped {
            STOPPED
        } else {
            first.status.as_str()
        },
        if more > 0 {
            format!(" +{more}")
        } else {
            String::new()
        }
    ))
}
