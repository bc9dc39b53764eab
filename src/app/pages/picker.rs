//! Picking one device when a name matches several: `:find NAME` in the console opens this list of
//! the candidates with their id, last-seen time and health, instead of guessing. Acting on
//! the wrong one of two same-named machines cannot be undone by a retry, so nothing happens
//! until the analyst chooses. Pure state; `ui::overlay` draws it.

use chrono::{DateTime, Utc};

use crate::app::data::devices::Device;
use crate::app::input::key::{Key, KeyCode};
use crate::app::state::{AppState, TableId};
use crate::app::{Command, View};

/// One device a name may mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: String,
    /// The full DNS name as the service gave it (shown through `text::line`).
    pub name: String,
    pub last_seen: Option<DateTime<Utc>>,
    pub health: String,
}

/// What happens to the device picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterPick {
    /// Show it in Devices, selected (its actions are one `.` away) with its details open.
    Open,
}

/// The open picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePicker {
    /// What was asked for (a name, or where the devices came from).
    pub asked: String,
    pub candidates: Vec<Candidate>,
    pub selected: usize,
    pub then: AfterPick,
}

impl Candidate {
    pub fn of(m: Device<'_>) -> Self {
        Candidate {
            id: m.id().to_string(),
            name: m.display_name().to_string(),
            last_seen: m.last_seen(),
            health: m.health_text().unwrap_or("unknown").to_string(),
        }
    }
}

/// The loaded devices `name` means: its full DNS name or its host part, ignoring case (the
/// CLI's rule), or its machine id.
pub fn matching(s: &AppState, name: &str) -> Vec<Candidate> {
    let wanted = name.trim().to_ascii_lowercase();
    let Some(machines) = s.data.machines.data() else {
        return Vec::new();
    };
    let mut found: Vec<Candidate> = machines
        .iter()
        .filter(|m| {
            let dns = m
                .computer_dns_name()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            m.id().eq_ignore_ascii_case(&wanted)
                || (!dns.is_empty()
                    && (dns == wanted || dns.split('.').next() == Some(wanted.as_str())))
        })
        .map(Candidate::of)
        .collect();
    // The most recently seen first: usually the machine in use, the other a stale record.
    found.sort_by_key(|c| std::cmp::Reverse(c.last_seen));
    found
}

/// `:find NAME`: one match opens it, several open the picker, none says so.
pub fn find(s: &mut AppState, name: &str) -> Vec<Command> {
    let name = name.trim();
    if name.is_empty() {
        return crate::app::steps::toast(s, "find: give a computer name or id".into());
    }
    if s.data.machines.data().is_none() {
        let mut cmds = crate::app::steps::go(s, View::Devices);
        cmds.extend(crate::app::steps::toast(
            s,
            format!("devices are loading; try `:find {name}` again when they are shown"),
        ));
        return cmds;
    }
    let candidates = matching(s, name);
    ask(s, name.to_string(), candidates, AfterPick::Open)
}

/// Act on the one candidate, or let the analyst choose among several.
pub fn ask(
    s: &mut AppState,
    asked: String,
    candidates: Vec<Candidate>,
    then: AfterPick,
) -> Vec<Command> {
    match candidates.as_slice() {
        [] => crate::app::steps::toast(s, format!("no loaded device is named {asked}")),
        [one] => {
            let one = one.clone();
            picked(s, &one, then)
        }
        _ => {
            s.picker = Some(DevicePicker {
                asked,
                candidates,
                selected: 0,
                then,
            });
            Vec::new()
        }
    }
}

/// Keys while the picker is open: up/down (j/k) move, Enter picks, Esc (or ctrl-c) closes.
/// `None` when no picker is open.
pub fn on_key(s: &mut AppState, key: Key) -> Option<Vec<Command>> {
    let p = s.picker.as_mut()?;
    let last = p.candidates.len().saturating_sub(1);
    match key.code {
        KeyCode::Esc => s.picker = None,
        KeyCode::Char('c') if key.ctrl => s.picker = None,
        KeyCode::Down | KeyCode::Char('j') => p.selected = (p.selected + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => p.selected = p.selected.saturating_sub(1),
        KeyCode::Enter => {
            let p = s.picker.take()?;
            let chosen = p.candidates.get(p.selected)?.clone();
            return Some(picked(s, &chosen, p.then));
        }
        _ => {}
    }
    Some(Vec::new())
}

/// Carry out `then` for the device chosen.
fn picked(s: &mut AppState, chosen: &Candidate, then: AfterPick) -> Vec<Command> {
    let id = chosen.id.as_str();
    match then {
        AfterPick::Open => {
            let cmds = crate::app::steps::go(s, View::Devices);
            if let Some(t) = s.tables.get_mut(&TableId::Devices) {
                t.set_filter("");
                if let Some(pos) = t.view.iter().position(|&i| t.rows.id(i) == id) {
                    t.selected = pos;
                }
            }
            let row = s
                .table(TableId::Devices)
                .and_then(|t| t.selected_row())
                .filter(|r| r.id == id);
            if let Some(row) = row
                && let crate::app::pages::detail::Opened::Panel(d) =
                    crate::app::pages::detail::open(s, TableId::Devices, &row)
            {
                s.detail = Some(d);
                s.detail_id = Some(row.id.clone());
            }
            cmds
        }
    }
}
