//! The page of one machine action: what it is, who asked (an app id named where it is
//! known), when, where it stands, why it failed (`errorHResult` in words) and, for live
//! response, each command with its status. The device is a row: Enter opens its page.

use crate::api::first_party;
use crate::api::model::{MachineAction, hresult};
use crate::app::pages::working::{Subject, Target};
use crate::app::state::{AppState, Detail};
use crate::app::tables::rows::or_dash;
use crate::app::tables::rows::pages::{Page, time};

fn action_of<'a>(s: &'a AppState, id: &str) -> Option<&'a MachineAction> {
    s.data.machine_actions.data()?.iter().find(|a| a.id == id)
}

/// The device of action `id`: machine id and the name the record gives it.
pub fn action_device(s: &AppState, id: &str) -> Vec<(String, Option<String>)> {
    action_of(s, id)
        .and_then(|a| Some((a.machine_id.clone()?, a.computer_dns_name.clone())))
        .into_iter()
        .collect()
}

/// Who asked, as a person reads it ([`first_party::requestor_text`] with this profile's app).
pub fn requestor_text(s: &AppState, requestor: Option<&str>) -> String {
    first_party::requestor_text(s.settings.own_app.as_deref(), requestor)
}

/// The short form for a table cell ([`first_party::requestor_cell`] with this profile's app).
pub fn requestor_cell(s: &AppState, requestor: Option<&str>) -> String {
    first_party::requestor_cell(s.settings.own_app.as_deref(), requestor)
}

/// `Isolate (Full)`, `RunAntiVirusScan (Quick)`.
fn kind_line(a: &MachineAction) -> String {
    match a.scope.as_deref().filter(|x| !x.trim().is_empty()) {
        Some(scope) => format!("{} ({scope})", a.type_label()),
        None => a.type_label().to_string(),
    }
}

/// Live-response commands with their progress, two or more lines each: the command, its
/// parameters and status, when it ran, and its errors. Shared with `action ID show`.
pub fn command_lines(a: &MachineAction) -> Vec<String> {
    let mut out = Vec::new();
    for (i, c) in a.commands.iter().enumerate() {
        let spec = c.command.as_ref();
        let params = spec
            .map(|x| {
                x.params
                    .iter()
                    .map(|kv| {
                        format!(
                            "{}={}",
                            kv.key.as_deref().unwrap_or("?"),
                            kv.value.as_deref().unwrap_or("")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        out.push(format!(
            "  {}. {} {}  [{}]",
            c.index.map_or(i as i64, |x| x),
            spec.and_then(|x| x.command_type.as_deref()).unwrap_or("?"),
            params,
            c.command_status.as_ref().map_or("—", |x| x.as_str())
        ));
        out.push(format!(
            "      started {}   ended {}",
            time(c.start_time),
            time(c.end_time)
        ));
        for e in c.error_texts() {
            out.push(format!("      error: {e}"));
        }
    }
    out
}

/// The label of the device fact in [`action_facts`].
pub const DEVICE_FACT: &str = "device";

/// What an action's page says about it, label and value in page order: id, type, status,
/// device (`name  machine id`, with `device_name` when the record has none), requestor
/// (named by [`first_party::requestor_text`]), comment, times, the cancellation, the failure
/// (`errorHResult` in words), the related file, source and external id. The console's page and
/// `action ID show` both print these, so the two never say different things.
pub fn action_facts(
    a: &MachineAction,
    own_app: Option<&str>,
    device_name: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("id", a.id.clone()),
        ("type", kind_line(a)),
        ("status", a.status_label().to_string()),
    ];
    if let Some(machine) = a.machine_id.as_deref() {
        let name = a
            .computer_dns_name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .or(device_name);
        f.push((DEVICE_FACT, format!("{}  {machine}", name.unwrap_or("—"))));
    }
    f.push((
        "requestor",
        first_party::requestor_text(own_app, a.requestor.as_deref()),
    ));
    f.push(("comment", or_dash(a.requestor_comment.as_deref())));
    f.push(("created", time(a.creation_date_time_utc)));
    f.push(("updated", time(a.last_update())));
    if a.cancellation_requestor.is_some() || a.cancellation_date_time_utc.is_some() {
        f.push((
            "cancelled",
            format!(
                "{} by {}: {}",
                time(a.cancellation_date_time_utc),
                first_party::requestor_text(own_app, a.cancellation_requestor.as_deref()),
                or_dash(a.cancellation_comment.as_deref())
            ),
        ));
    }
    match a.error_h_result.and_then(hresult::describe) {
        Some(why) => f.push(("failure", why)),
        None if a.status_label() == "Failed" => f.push((
            "failure",
            "the service gave no reason (errorHResult 0)".into(),
        )),
        None => {}
    }
    if let Some(file) = &a.related_file_info {
        f.push((
            "file",
            format!(
                "{} {}",
                or_dash(file.file_identifier_type.as_deref()),
                or_dash(file.file_identifier.as_deref())
            ),
        ));
    }
    if let Some(src) = a.request_source.as_deref().filter(|x| !x.trim().is_empty()) {
        f.push(("source", src.to_string()));
    }
    if let Some(ext) = a.external_id.as_deref().filter(|x| !x.trim().is_empty()) {
        f.push(("external", ext.to_string()));
    }
    f
}

/// The action page, or `None` when the action is not among the loaded ones.
pub fn action_page(s: &AppState, id: &str) -> Option<Detail> {
    let a = action_of(s, id)?;
    let inventory_name = a.machine_id.as_deref().and_then(|m| s.device_name(Some(m)));
    let mut p = Page::default();
    for (label, value) in action_facts(a, s.settings.own_app.as_deref(), inventory_name) {
        match a.machine_id.clone() {
            // The device is a row: Enter opens its page.
            Some(machine) if label == DEVICE_FACT => {
                let name = a
                    .computer_dns_name
                    .clone()
                    .or_else(|| inventory_name.map(str::to_string));
                p.item(format!("  device  {value}"), Target::Device(machine, name));
            }
            _ => p.line(format!("{label:<9} {value}")),
        }
    }
    if !a.commands.is_empty() {
        p.heading("Commands", a.commands.len());
        for l in command_lines(a) {
            p.line(l);
        }
    }
    let title = format!("{} on {}", a.type_label(), a.device_label());
    let link = Some(format!(
        "{}/action-center/history",
        s.settings.portal.trim_end_matches('/')
    ));
    Some(p.done(title, link, Subject::Action(a.id.clone())))
}
