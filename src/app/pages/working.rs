//! Working detail pages: an incident's alerts, devices, users and evidence (an alert's
//! devices and evidence, a device's open alerts) are selectable rows. `j`/`k` move between
//! them, Enter opens an alert or a device (`Esc` comes back), `.`/`V`/`i`/`I` act on the
//! selected device, `b` blocks the selected file (the indicator dialog, prefilled), `Q` stops
//! and quarantines it on its device, `t`/`a`/`c` triage the incident or alert of the page,
//! `y` copies the page's record id. Several candidate devices ask which one first
//! (a small picker). Every write goes through the same dialogs and catalogue as the tables.
//! Pure.

use crate::app::actions::kind::{ActionKind, DeviceRef, KindExt};
use crate::app::actions::target::device_ref;
use crate::app::actions::{OpenDialog, Purpose, form};
use crate::app::input::keymap::{Action, Key, KeyCode};
use crate::app::msg::Command;
use crate::app::state::{AppState, Detail};
use crate::app::steps::toast;

/// What a selectable row of a page is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Alert(String),
    Incident(String),
    /// A machine action: Enter opens its page.
    Action(String),
    /// A machine id and the name the evidence gives it.
    Device(String, Option<String>),
    User(String),
    File(FileRef),
    /// Other evidence (an IP, a URL, a registry key): `y` copies it.
    Other(String),
}

/// A file from alert evidence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileRef {
    pub name: String,
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    /// The devices it was seen on: machine id and the name the evidence gives it.
    pub devices: Vec<(String, Option<String>)>,
}

/// A selectable row: the line it is drawn on and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub line: usize,
    pub target: Target,
}

/// What a page is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Incident(String),
    Alert(String),
    Device(String),
    /// A machine action.
    Action(String),
    /// A security recommendation (its exposed devices are read when it opens).
    Recommendation(String),
}

/// "Which device?": the candidates and what to do with the one picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub title: String,
    pub devices: Vec<DeviceRef>,
    pub selected: usize,
    pub then: Then,
}

/// What happens to the device picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// A device key (`.`, `V`, `i`, `I`).
    Key(Action),
    /// A catalogue action (stop and quarantine a file).
    Kind(ActionKind),
}

/// The selected row of the page on screen.
pub fn selected(s: &AppState) -> Option<&Target> {
    let d = s.detail.as_ref()?;
    d.items.get(d.selected).map(|i| &i.target)
}

/// The page for a subject, built from the loaded data.
pub fn build(s: &AppState, subject: &Subject) -> Option<Detail> {
    match subject {
        Subject::Incident(id) => crate::app::tables::rows::incident_page(s, id),
        Subject::Alert(id) => crate::app::tables::rows::alert_page(s, id),
        Subject::Device(id) => crate::app::tables::rows::device_page(s, id),
        Subject::Action(id) => crate::app::tables::rows::action_page(s, id),
        Subject::Recommendation(id) => crate::app::tables::rows::recommendation_page(s, id),
    }
}

/// Data reloaded (or a triage change shown): the page on screen shows it, the same row
/// selected.
pub fn refresh(s: &mut AppState) {
    let Some(d) = s.detail.as_ref() else {
        return;
    };
    let Some(subject) = d.subject.clone() else {
        return;
    };
    let (sel, scroll) = (d.selected, d.scroll);
    if let Some(mut fresh) = build(s, &subject) {
        fresh.selected = sel.min(fresh.items.len().saturating_sub(1));
        fresh.scroll = scroll;
        s.detail = Some(fresh);
    }
}

/// Open a page over the current one (`Esc` returns to it).
pub fn push(s: &mut AppState, subject: Subject, id: String) -> Vec<Command> {
    let Some(page) = build(s, &subject) else {
        return toast(s, format!("{id} is not loaded here"));
    };
    if let Some(cur) = s.detail.take() {
        s.detail_back.push((cur, s.detail_id.take()));
    }
    s.detail = Some(page);
    s.detail_id = Some(id.clone());
    crate::app::tables::since::opened(s, &id);
    crate::app::pages::extra::wanted(s)
}

/// The devices the selected row (else the page) is about, named from the inventory.
pub fn devices(s: &AppState) -> Vec<DeviceRef> {
    let Some(d) = s.detail.as_ref() else {
        return Vec::new();
    };
    // A device's page acts on that device, whatever row (alert, incident, action) is selected.
    if let Some(Subject::Device(id)) = &d.subject {
        return vec![device_ref(s, id, None)];
    }
    let ids: Vec<(String, Option<String>)> = match selected(s) {
        Some(Target::Device(id, name)) => vec![(id.clone(), name.clone())],
        Some(Target::Incident(id)) => crate::app::tables::rows::incident_devices(s, id),
        Some(Target::Action(id)) => crate::app::tables::rows::action_device(s, id),
        Some(Target::File(f)) => f.devices.clone(),
        Some(Target::Alert(id)) => crate::app::tables::rows::alert_devices(s, id),
        _ => match &d.subject {
            Some(Subject::Alert(id)) => crate::app::tables::rows::alert_devices(s, id),
            Some(Subject::Incident(id)) => crate::app::tables::rows::incident_devices(s, id),
            Some(Subject::Action(id)) => crate::app::tables::rows::action_device(s, id),
            Some(Subject::Device(_) | Subject::Recommendation(_)) | None => Vec::new(),
        },
    };
    ids.into_iter()
        .map(|(id, name)| device_ref(s, &id, name))
        .collect()
}

/// A key on a working page; `None` for a text page (or a key it leaves to the panel).
pub(crate) fn on_action(s: &mut AppState, action: Action) -> Option<Vec<Command>> {
    if action == Action::Back
        && let Some((prev, id)) = s.detail_back.pop()
    {
        s.detail = Some(prev);
        s.detail_id = id;
        refresh(s);
        return Some(Vec::new());
    }
    let d = s.detail.as_mut()?;
    d.subject.as_ref()?;
    let n = d.items.len();
    let page = usize::from(s.size.1.saturating_sub(8)).max(1);
    let step = |sel: usize, by: isize| sel.saturating_add_signed(by).min(n.saturating_sub(1));
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom
        | Action::HalfPageDown
        | Action::HalfPageUp
            if n > 0 =>
        {
            d.selected = match action {
                Action::Down => step(d.selected, 1),
                Action::Up => step(d.selected, -1),
                Action::PageDown => step(d.selected, page as isize),
                Action::PageUp => step(d.selected, -(page as isize)),
                Action::HalfPageDown => step(d.selected, (page / 2).max(1) as isize),
                Action::HalfPageUp => step(d.selected, -((page / 2).max(1) as isize)),
                Action::Top => 0,
                _ => n - 1,
            };
            // The renderer scrolls the page with its selection.
            Some(Vec::new())
        }
        Action::Open => Some(match selected(s).cloned() {
            Some(Target::Alert(id)) => push(s, Subject::Alert(id.clone()), id),
            Some(Target::Device(id, _)) => push(s, Subject::Device(id.clone()), id),
            Some(Target::Incident(id)) => push(s, Subject::Incident(id.clone()), id),
            Some(Target::Action(id)) => push(s, Subject::Action(id.clone()), id),
            Some(_) => toast(
                s,
                "enter opens an alert, an incident, a device or an action".into(),
            ),
            None => Vec::new(),
        }),
        Action::DeviceMenu | Action::Scan | Action::Isolate | Action::Investigate => {
            if let Some(refused) = refuse_write(s) {
                return Some(refused);
            }
            let devices = devices(s);
            Some(crate::app::actions::on_key::device_key_among(
                s, action, devices,
            ))
        }
        Action::Block | Action::QuarantineFile => {
            if let Some(refused) = refuse_write(s) {
                return Some(refused);
            }
            let Some(Target::File(f)) = selected(s).cloned() else {
                return Some(toast(s, "select a file of the evidence first".into()));
            };
            Some(if action == Action::Block {
                block(s, &f)
            } else {
                quarantine(s, &f)
            })
        }
        Action::Triage | Action::AssignMe | Action::Comment => {
            if let Some(refused) = refuse_write(s) {
                return Some(refused);
            }
            let subject = s.detail.as_ref()?.subject.clone()?;
            Some(crate::app::actions::triage::on_page(s, &subject, action))
        }
        _ => None,
    }
}

fn refuse_write(s: &mut AppState) -> Option<Vec<Command>> {
    if s.settings.offline {
        return Some(toast(s, crate::app::steps::OFFLINE_ACTION.into()));
    }
    if s.settings.read_only {
        return Some(toast(s, crate::app::actions::on_key::READ_ONLY.into()));
    }
    None
}

/// `b`: the indicator dialog for this file, prefilled to block it tenant-wide.
fn block(s: &mut AppState, f: &FileRef) -> Vec<Command> {
    let kind = ActionKind::Indicator;
    if let Some(refused) = crate::app::actions::on_key::plan_refusal(s, kind) {
        return refused;
    }
    let Some(hash) = f.sha256.clone().or(f.sha1.clone()) else {
        return toast(
            s,
            format!("{}: no SHA-1 or SHA-256 in the evidence", f.name),
        );
    };
    // The indicator applies to every device; the dialog names the file, not a device.
    let mut device = match f.devices.first() {
        Some((id, name)) => device_ref(s, id, name.clone()),
        None => device_ref(s, "", Some(f.name.clone())),
    };
    device.sha1 = f.sha1.clone();
    device.sha256 = f.sha256.clone();
    let mut dialog = kind.dialog(&device, &s.actions.library, s.settings.protected);
    dialog.targets = vec![file_line(f)];
    use crate::app::actions::{FieldId, FieldKind};
    if let Some(field) = dialog.field_mut(FieldId::FileHash) {
        field.kind = FieldKind::Text(hash.clone());
    }
    if let Some(field) = dialog.field_mut(FieldId::Title) {
        field.kind = FieldKind::Text(format!("Block {}", f.name));
    }
    form::open(
        s,
        OpenDialog {
            dialog,
            purpose: Purpose::Device(kind, device),
        },
    );
    Vec::new()
}

/// `Q`: stop and quarantine the file on the device it was seen on (asking which one when
/// there are several), where the licence includes it.
fn quarantine(s: &mut AppState, f: &FileRef) -> Vec<Command> {
    let kind = ActionKind::Quarantine;
    if let Some(refused) = crate::app::actions::on_key::plan_refusal(s, kind) {
        return refused;
    }
    let Some(sha1) = f.sha1.clone() else {
        return toast(
            s,
            format!(
                "{}: stop and quarantine needs the file's SHA-1, and the evidence has none",
                f.name
            ),
        );
    };
    let devices: Vec<DeviceRef> = f
        .devices
        .iter()
        .map(|(id, name)| {
            let mut d = device_ref(s, id, name.clone());
            d.sha1 = Some(sha1.clone());
            d
        })
        .filter(|d| kind.valid_for(d))
        .collect();
    match devices.len() {
        0 => toast(
            s,
            format!(
                "{}: seen on no Windows device here; stop and quarantine runs on Windows devices",
                f.name
            ),
        ),
        1 => {
            let device = devices.into_iter().next().unwrap_or_else(|| unreachable!());
            crate::app::actions::on_key::open_dialog(s, kind, device);
            Vec::new()
        }
        _ => {
            pick(
                s,
                format!("Quarantine {} on which device?", f.name),
                devices,
                Then::Kind(kind),
            );
            Vec::new()
        }
    }
}

/// `invoice.exe · SHA-256 ab12…`.
fn file_line(f: &FileRef) -> String {
    match (&f.sha256, &f.sha1) {
        (Some(h), _) => format!("{} · SHA-256 {h}", f.name),
        (None, Some(h)) => format!("{} · SHA-1 {h}", f.name),
        _ => f.name.clone(),
    }
}

/// Ask which device.
pub fn pick(s: &mut AppState, title: String, devices: Vec<DeviceRef>, then: Then) {
    s.actions.picker = Some(Picker {
        title,
        devices,
        selected: 0,
        then,
    });
}

/// Keys while the picker is open: move, Enter picks, Esc closes.
pub(crate) fn on_picker_key(s: &mut AppState, key: Key) -> Option<Vec<Command>> {
    let p = s.actions.picker.as_mut()?;
    let n = p.devices.len().max(1);
    match key.code {
        KeyCode::Esc => s.actions.picker = None,
        KeyCode::Down | KeyCode::Char('j') => p.selected = (p.selected + 1) % n,
        KeyCode::Up | KeyCode::Char('k') => p.selected = (p.selected + n - 1) % n,
        KeyCode::Enter => {
            let p = s.actions.picker.take()?;
            let device = p.devices.get(p.selected)?.clone();
            return Some(match p.then {
                Then::Key(action) => crate::app::actions::on_key::device_key_on(s, action, device),
                Then::Kind(kind) => {
                    crate::app::actions::on_key::open_dialog(s, kind, device);
                    Vec::new()
                }
            });
        }
        _ => {}
    }
    Some(Vec::new())
}

/// The hint bar on a working page: what the selected row allows first.
pub fn hints(s: &AppState) -> Vec<(Action, &'static str)> {
    let mut v = vec![(Action::Down, "select")];
    let sel = selected(s);
    if matches!(
        sel,
        Some(Target::Alert(_) | Target::Device(..) | Target::Incident(_) | Target::Action(_))
    ) {
        v.push((Action::Open, "open"));
    }
    if !s.settings.read_only {
        if matches!(sel, Some(Target::File(_))) {
            v.push((Action::Block, "block file"));
            v.push((Action::QuarantineFile, "quarantine"));
        }
        v.extend([
            (Action::DeviceMenu, "actions"),
            (Action::Scan, "scan"),
            (Action::Isolate, "isolate"),
        ]);
        if matches!(
            s.detail.as_ref().and_then(|d| d.subject.as_ref()),
            Some(Subject::Device(_))
        ) {
            v.push((Action::Investigate, "full scan"));
        }
        if matches!(
            s.detail.as_ref().and_then(|d| d.subject.as_ref()),
            Some(Subject::Incident(_) | Subject::Alert(_))
        ) {
            v.extend([
                (Action::Triage, "triage"),
                (Action::AssignMe, "assign me"),
                (Action::Comment, "comment"),
            ]);
        }
    }
    v.push((Action::Copy, "copy id"));
    v.push((
        Action::Back,
        if s.detail_back.is_empty() {
            "close"
        } else {
            "back"
        },
    ));
    v.push((Action::Help, "help"));
    v
}
