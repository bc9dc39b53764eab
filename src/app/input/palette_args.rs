//! The palette's commands that take an argument: `device NAME` (and `find NAME`),
//! `incident ID`, `alert ID`, `ctx NAME`. What to suggest for the argument from the loaded
//! data, and opening the record it names. Names and titles come from the tenant: every
//! label passes through `text::line`.

use crate::app::input::palette::{PaletteAction, Suggestion, rank};
use crate::app::msg::Command;
use crate::app::pages::working::Subject;
use crate::app::state::{AppState, TableId};
use crate::app::steps::{go, toast};
use crate::app::view::View;

/// How many argument suggestions are kept (the box shows fewer).
const MAX: usize = 50;

/// The command and its argument when `input` is `NAME ARG…` for a command that takes one
/// (`None` before the space).
pub fn split(input: &str) -> Option<(&'static str, PaletteAction, &str)> {
    let input = input.trim_start().trim_start_matches(':');
    let (word, rest) = input.split_once(' ')?;
    let (name, action) = crate::app::input::palette::entry(word)?;
    action.arg()?;
    Some((name, action, rest.trim_start()))
}

fn safe(text: &str) -> String {
    crate::text::line(text).into_owned()
}

/// Suggestions for the argument of `name` (a command taking one), best first.
pub fn suggestions(s: &AppState, name: &str, action: PaletteAction, arg: &str) -> Vec<Suggestion> {
    let arg = arg.trim();
    let mut items: Vec<(String, Suggestion)> = Vec::new();
    let mut add = |key: String, value: &str, what: String| {
        items.push((
            key,
            Suggestion {
                input: format!("{name} {value}"),
                label: safe(value),
                what,
            },
        ));
    };
    match action {
        PaletteAction::Device => {
            for m in s.data.machines.data().into_iter().flat_map(|d| d.iter()) {
                let dns = m.display_name();
                let what = [m.os_platform(), m.risk_text()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · ");
                add(dns.to_string(), dns, safe(&what));
            }
        }
        PaletteAction::Incident => {
            for i in s.data.incidents.data().map(Vec::as_slice).unwrap_or(&[]) {
                let title = i.display_name.as_deref().unwrap_or("");
                add(format!("{} {title}", i.id), &i.id, safe(title));
            }
        }
        PaletteAction::Alert => {
            for a in s.data.alerts.data().map(Vec::as_slice).unwrap_or(&[]) {
                let title = a.title.as_deref().unwrap_or("");
                add(format!("{} {title}", a.id), &a.id, safe(title));
            }
        }
        PaletteAction::Ctx => {
            for (i, t) in s.tenants.list.iter().enumerate() {
                let what = if i == s.tenants.current {
                    format!("{} (current)", t.label)
                } else {
                    t.label.clone()
                };
                add(t.name.clone(), &t.name, safe(&what));
            }
        }
        _ => {}
    }
    let mut out = rank(arg, items);
    out.truncate(MAX);
    out
}

/// Whether `arg` names a record of `action` exactly (as typed, no suggestion needed).
pub fn exact(s: &AppState, action: PaletteAction, arg: &str) -> bool {
    let arg = arg.trim();
    match action {
        PaletteAction::Device => !crate::app::pages::picker::matching(s, arg).is_empty(),
        PaletteAction::Incident => s
            .data
            .incidents
            .data()
            .is_some_and(|v| v.iter().any(|i| i.id.eq_ignore_ascii_case(arg))),
        PaletteAction::Alert => s
            .data
            .alerts
            .data()
            .is_some_and(|v| v.iter().any(|a| a.id.eq_ignore_ascii_case(arg))),
        PaletteAction::Ctx => s.tenants.list.iter().any(|t| t.name == arg),
        _ => false,
    }
}

/// Run `action` with its argument.
pub fn run(s: &mut AppState, action: PaletteAction, arg: &str) -> Vec<Command> {
    match action {
        PaletteAction::Device => crate::app::pages::picker::find(s, arg),
        PaletteAction::Ctx => crate::app::data::tenants::switch_to(s, arg),
        PaletteAction::Incident => open(s, Subject::Incident(arg.trim().to_string())),
        PaletteAction::Alert => open(s, Subject::Alert(arg.trim().to_string())),
        _ => Vec::new(),
    }
}

/// `:incident ID`, `:alert ID`: the list the record belongs to, its row selected when shown,
/// and its page open over it (`Esc` closes the page, then returns to where the analyst was).
fn open(s: &mut AppState, subject: Subject) -> Vec<Command> {
    let (view, table, what, loaded, id) = match &subject {
        Subject::Incident(id) => (
            View::Incidents,
            TableId::Incidents,
            "incident",
            s.data.incidents.data().map(|v| {
                v.iter()
                    .find(|i| i.id.eq_ignore_ascii_case(id))
                    .map(|i| i.id.clone())
            }),
            id.clone(),
        ),
        Subject::Alert(id) => (
            View::Alerts,
            TableId::Alerts,
            "alert",
            s.data.alerts.data().map(|v| {
                v.iter()
                    .find(|a| a.id.eq_ignore_ascii_case(id))
                    .map(|a| a.id.clone())
            }),
            id.clone(),
        ),
        // Only incidents and alerts are opened by id here (`device NAME` goes through the
        // picker).
        _ => return Vec::new(),
    };
    if id.is_empty() {
        return toast(s, format!("{what}: give an id"));
    }
    let found = match loaded {
        None => {
            let mut cmds = go(s, view);
            cmds.extend(toast(
                s,
                format!("{what}s are loading; try `:{what} {id}` again when they are shown"),
            ));
            return cmds;
        }
        Some(None) => return toast(s, format!("no loaded {what} has the id {id}")),
        Some(Some(found)) => found,
    };
    let mut cmds = go(s, view);
    if let Some(t) = s.tables.get_mut(&table)
        && let Some(pos) = t.view.iter().position(|&i| t.rows.id(i) == found)
    {
        t.selected = pos;
    }
    let subject = match subject {
        Subject::Incident(_) => Subject::Incident(found.clone()),
        _ => Subject::Alert(found.clone()),
    };
    match crate::app::pages::working::build(s, &subject) {
        Some(page) => {
            s.detail = Some(page);
            s.detail_id = Some(found.clone());
            crate::app::tables::since::opened(s, &found);
        }
        None => cmds.extend(toast(s, format!("{what} {found} is not loaded here"))),
    }
    cmds
}
