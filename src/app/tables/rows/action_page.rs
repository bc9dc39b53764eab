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

/// Who asked, as a person reads it: a UPN or a display name as sent; an app id named when
/// it is this profile's own app or a well-known Microsoft one, and said to be an app when not.
pub fn requestor_text(s: &AppState, requestor: Option<&str>) -> String {
    let Some(r) = requestor.map(str::trim).filter(|r| !r.is_empty()) else {
        return "—".into();
    };
    if s.settings
        .own_app
        .as_deref()
        .is_some_and(|own| own.eq_ignore_ascii_case(r))
    {
        return format!("socops, this profile's app ({r})");
    }
    if let Some(name) = first_party::app_name(r) {
        return format!("{name} (Microsoft app {r})");
    }
    if first_party::is_app_id(r) {
        return format!("app {r} (not a known app)");
    }
    r.to_string()
}

/// The short form for a table cell: the app's name alone when it is known.
pub fn requestor_cell(s: &AppState, requestor: Option<&str>) -> String {
    let r = requestor.map(str::trim).unwrap_or("");
    if s.settings
        .own_app
        .as_deref()
        .is_some_and(|own| own.eq_ignore_ascii_case(r))
    {
        return "socops (this profile)".into();
    }
    match first_party::app_name(r) {
        Some(name) => name.to_string(),
        None => or_dash(Some(r)),
    }
}

/// `Isolate (Full)`, `RunAntiVirusScan (Quick)`.
fn kind_line(a: &MachineAction) -> String {
    match a.scope.as_deref().filter(|x| !x.trim().is_empty()) {
        Some(scope) => format!("{} ({scope})", a.type_label()),
        None => a.type_label().to_string(),
    }
}

/// Live-response commands with their progress.
fn commands(p: &mut Page, a: &MachineAction) {
    if a.commands.is_empty() {
        return;
    }
    p.heading("Commands", a.commands.len());
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
        p.line(format!(
            "  {}. {} {}  [{}]",
            c.index.map_or(i as i64, |x| x),
            spec.and_then(|x| x.command_type.as_deref()).unwrap_or("?"),
            params,
            c.command_status.as_ref().map_or("—", |x| x.as_str())
        ));
        p.line(format!(
            "      started {}   ended {}",
            time(c.start_time),
            time(c.end_time)
        ));
        for e in c.error_texts() {
            p.line(format!("      error: {e}"));
        }
    }
}

/// The action page, or `None` when the action is not among the loaded ones.
pub fn action_page(s: &AppState, id: &str) -> Option<Detail> {
    let a = action_of(s, id)?;
    let mut p = Page::default();
    p.line(format!("id        {}", a.id));
    p.line(format!("type      {}", kind_line(a)));
    p.line(format!("status    {}", a.status_label()));
    if let Some(machine) = a.machine_id.clone() {
        let name = a
            .computer_dns_name
            .clone()
            .or_else(|| s.device_name(Some(&machine)).map(str::to_string));
        p.item(
            format!("  device  {}  {machine}", name.as_deref().unwrap_or("—")),
            Target::Device(machine, name),
        );
    }
    p.line(format!(
        "requestor {}",
        requestor_text(s, a.requestor.as_deref())
    ));
    p.line(format!(
        "comment   {}",
        or_dash(a.requestor_comment.as_deref())
    ));
    p.line(format!("created   {}", time(a.creation_date_time_utc)));
    p.line(format!("updated   {}", time(a.last_update())));
    if a.cancellation_requestor.is_some() || a.cancellation_date_time_utc.is_some() {
        p.line(format!(
            "cancelled {} by {}: {}",
            time(a.cancellation_date_time_utc),
            requestor_text(s, a.cancellation_requestor.as_deref()),
            or_dash(a.cancellation_comment.as_deref())
        ));
    }
    match a.error_h_result.and_then(hresult::describe) {
        Some(why) => p.line(format!("failure   {why}")),
        None if a.status_label() == "Failed" => {
            p.line("failure   the service gave no reason (errorHResult 0)".into())
        }
        None => {}
    }
    if let Some(f) = &a.related_file_info {
        p.line(format!(
            "file      {} {}",
            or_dash(f.file_identifier_type.as_deref()),
            or_dash(f.file_identifier.as_deref())
        ));
    }
    if let Some(src) = a.request_source.as_deref().filter(|x| !x.trim().is_empty()) {
        p.line(format!("source    {src}"));
    }
    if let Some(ext) = a.external_id.as_deref().filter(|x| !x.trim().is_empty()) {
        p.line(format!("external  {ext}"));
    }
    commands(&mut p, a);
    let title = format!("{} on {}", a.type_label(), a.device_label());
    let link = Some(format!(
        "{}/action-center/history",
        s.settings.portal.trim_end_matches('/')
    ));
    Some(p.done(title, link, Subject::Action(a.id.clone())))
}
