//! The working pages' content: an incident (its alerts, devices, users, evidence with
//! hashes, comments), an alert (its devices and evidence) and a device (its open alerts),
//! each line that names something selectable recorded as an item (see `app::pages::working`).

use crate::api::model::{GraphAlert, GraphEvidence, Incident};
use crate::app::pages::working::{FileRef, Item, Subject, Target};
use crate::app::state::{AppState, Detail};
use crate::app::tables::rows::or_dash;

pub(crate) fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or("—".into(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Lines and their selectable rows, built together so the two never disagree.
#[derive(Default)]
pub(crate) struct Page {
    lines: Vec<String>,
    items: Vec<Item>,
}

impl Page {
    pub(crate) fn line(&mut self, text: String) {
        self.lines.push(text);
    }
    pub(crate) fn item(&mut self, text: String, target: Target) {
        self.items.push(Item {
            line: self.lines.len(),
            target,
        });
        self.lines.push(text);
    }
    pub(crate) fn heading(&mut self, title: &str, n: usize) {
        self.lines.push(String::new());
        self.lines.push(format!("{title} ({n})"));
    }
    /// A section whose data is not loaded (yet): said, never shown as empty.
    pub(crate) fn section_unloaded(&mut self, title: &str, what: &str) {
        self.lines.push(String::new());
        self.lines.push(format!("{title}: {what} not loaded yet"));
    }
    pub(crate) fn done(self, title: String, link: Option<String>, subject: Subject) -> Detail {
        Detail {
            title,
            lines: self.lines,
            link,
            scroll: 0,
            items: self.items,
            selected: 0,
            subject: Some(subject),
        }
    }
}

fn incident_of<'a>(s: &'a AppState, id: &str) -> Option<&'a Incident> {
    s.data.incidents.data()?.iter().find(|i| i.id == id)
}

/// The Graph alert `id`, from the expanded incidents.
fn graph_alert<'a>(s: &'a AppState, id: &str) -> Option<&'a GraphAlert> {
    s.data
        .incidents
        .data()?
        .iter()
        .flat_map(|i| i.alerts.iter().flatten())
        .find(|a| a.id == id)
}

/// The devices a set of alerts names: machine id and the name its evidence gives.
fn devices_in<'a>(alerts: impl Iterator<Item = &'a GraphAlert>) -> Vec<(String, Option<String>)> {
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    for a in alerts {
        for id in a.device_ids() {
            let name = a
                .evidence
                .iter()
                .find(|e| e.mde_device_id.as_deref() == Some(id) && e.device_dns_name.is_some())
                .and_then(|e| e.device_dns_name.clone());
            match out.iter_mut().find(|(x, _)| x == id) {
                Some((_, n)) if n.is_none() => *n = name,
                Some(_) => {}
                None => out.push((id.to_string(), name)),
            }
        }
    }
    out
}

/// The devices of incident `id`.
pub fn incident_devices(s: &AppState, id: &str) -> Vec<(String, Option<String>)> {
    incident_of(s, id)
        .map(|i| devices_in(i.alerts.iter().flatten()))
        .unwrap_or_default()
}

/// The devices of alert `id` (its evidence, else the MDE alert's machine).
pub fn alert_devices(s: &AppState, id: &str) -> Vec<(String, Option<String>)> {
    if let Some(a) = graph_alert(s, id) {
        let d = devices_in(std::iter::once(a));
        if !d.is_empty() {
            return d;
        }
    }
    s.data
        .alerts
        .data()
        .and_then(|v| v.iter().find(|a| a.id == id))
        .and_then(|a| Some((a.machine_id.clone()?, a.computer_dns_name.clone())))
        .into_iter()
        .collect()
}

/// The files of some alerts' evidence (file and process evidence), each once, with the
/// devices of the alerts it came from.
fn files_in<'a>(alerts: impl Iterator<Item = &'a GraphAlert>) -> Vec<(String, FileRef)> {
    let mut out: Vec<(String, FileRef)> = Vec::new();
    for a in alerts {
        let devices = devices_in(std::iter::once(a));
        for e in &a.evidence {
            let Some(f) = e.file() else {
                continue;
            };
            let sha1 = f.sha1.clone().filter(|h| h.len() == 40);
            let sha256 = f.sha256.clone().filter(|h| h.len() == 64);
            if sha1.is_none() && sha256.is_none() && f.file_name.is_none() {
                continue;
            }
            let same = out.iter_mut().find(|(_, x)| {
                (x.sha1.is_some() && x.sha1 == sha1) || (x.sha256.is_some() && x.sha256 == sha256)
            });
            match same {
                Some((_, x)) => {
                    for d in &devices {
                        if !x.devices.iter().any(|(i, _)| *i == d.0) {
                            x.devices.push(d.clone());
                        }
                    }
                }
                None => out.push((
                    e.kind().to_string(),
                    FileRef {
                        name: f.file_name.clone().unwrap_or_else(|| "file".into()),
                        sha1,
                        sha256,
                        devices: devices.clone(),
                    },
                )),
            }
        }
    }
    out
}

fn users_in<'a>(evidence: impl Iterator<Item = &'a GraphEvidence>) -> Vec<String> {
    let mut users: Vec<String> = Vec::new();
    for e in evidence {
        if let Some(u) = &e.user_account
            && !e.is_device()
        {
            users.extend(u.user_principal_name.clone().or(u.account_name.clone()));
        }
        users.extend(
            e.logged_on_users
                .iter()
                .filter_map(|u| u.account_name.clone()),
        );
    }
    users.retain(|x| !x.trim().is_empty());
    users.sort();
    users.dedup();
    // A logged-on account name that is the start of a listed UPN is the same person.
    let upns: Vec<String> = users
        .iter()
        .filter_map(|u| u.split_once('@').map(|(name, _)| name.to_lowercase()))
        .collect();
    users.retain(|u| u.contains('@') || !upns.contains(&u.to_lowercase()));
    users
}

/// Evidence that is neither a device, a user nor a file: IPs, URLs, registry keys.
fn others_in<'a>(evidence: impl Iterator<Item = &'a GraphEvidence>) -> Vec<String> {
    let mut out: Vec<String> = evidence
        .filter(|e| !e.is_device() && e.file().is_none() && e.user_account.is_none())
        .map(GraphEvidence::summary)
        .collect();
    out.sort();
    out.dedup();
    out
}

fn alert_line(a: &GraphAlert) -> String {
    format!(
        "  {:<6} {}  [{}]",
        a.severity.as_ref().map_or("—", |x| x.as_str()),
        a.title.as_deref().unwrap_or(&a.id),
        a.status.as_ref().map_or("—", |x| x.as_str())
    )
}

/// Devices, users, files with their hashes and other evidence of some alerts.
fn evidence_sections(p: &mut Page, alerts: &[&GraphAlert]) {
    let devices = devices_in(alerts.iter().copied());
    p.heading("Devices", devices.len());
    for (id, name) in devices {
        p.item(
            format!("  {}  {id}", name.as_deref().unwrap_or("—")),
            Target::Device(id, name),
        );
    }
    let users = users_in(alerts.iter().flat_map(|a| &a.evidence));
    p.heading("Users", users.len());
    for u in users {
        p.item(format!("  {u}"), Target::User(u.clone()));
    }
    let files = files_in(alerts.iter().copied());
    let others = others_in(alerts.iter().flat_map(|a| &a.evidence));
    p.heading("Evidence", files.len() + others.len());
    for (kind, f) in files {
        let on = match f.devices.len() {
            0 => String::new(),
            1 => format!(
                "  on {}",
                f.devices[0].1.as_deref().unwrap_or(&f.devices[0].0)
            ),
            n => format!("  on {n} devices"),
        };
        p.item(format!("  {kind}: {}{on}", f.name), Target::File(f.clone()));
        p.line(format!(
            "      SHA-1   {}",
            f.sha1.as_deref().unwrap_or("—")
        ));
        p.line(format!(
            "      SHA-256 {}",
            f.sha256.as_deref().unwrap_or("—")
        ));
    }
    for o in others {
        p.item(format!("  {o}"), Target::Other(o.clone()));
    }
}

/// The incident page.
pub fn incident_page(s: &AppState, id: &str) -> Option<Detail> {
    let i = incident_of(s, id)?;
    let mut p = Page::default();
    p.line(format!(
        "severity {}   status {}   assigned {}",
        or_dash(i.severity.as_ref().map(|x| x.as_str())),
        or_dash(i.status.as_ref().map(|x| x.as_str())),
        or_dash(i.assigned_to.as_deref())
    ));
    p.line(format!(
        "created {}   updated {}",
        time(i.created_date_time),
        time(i.last_update_date_time)
    ));
    p.line(format!(
        "classification {}   determination {}",
        or_dash(i.classification.as_ref().map(|x| x.as_str())),
        or_dash(i.determination.as_ref().map(|x| x.as_str()))
    ));
    let tags = i.all_tags();
    if !tags.is_empty() {
        p.line(format!("tags {}", tags.join(", ")));
    }
    let alerts: Vec<&GraphAlert> = i.alerts.iter().flatten().collect();
    p.heading("Alerts", alerts.len());
    for a in &alerts {
        p.item(alert_line(a), Target::Alert(a.id.clone()));
    }
    evidence_sections(&mut p, &alerts);
    p.heading("Comments", i.comments.len());
    for c in &i.comments {
        p.line(format!(
            "  {} · {}: {}",
            time(c.time()),
            c.author().unwrap_or("—"),
            c.comment.as_deref().unwrap_or("")
        ));
    }
    if i.alerts.is_none() {
        p.line("(alerts were not expanded by the service)".into());
    }
    let link = i.incident_web_url.clone().or_else(|| {
        Some(format!(
            "{}/incidents/{}",
            s.settings.portal.trim_end_matches('/'),
            i.id
        ))
    });
    Some(p.done(
        format!(
            "Incident {} · {}",
            i.id,
            i.display_name.as_deref().unwrap_or("")
        ),
        link,
        Subject::Incident(i.id.clone()),
    ))
}

/// The alert page: from the incident's Graph alert (with its evidence) and the MDE alert
/// list, whichever holds it.
pub fn alert_page(s: &AppState, id: &str) -> Option<Detail> {
    let g = graph_alert(s, id);
    let m = s
        .data
        .alerts
        .data()
        .and_then(|v| v.iter().find(|a| a.id == id));
    if g.is_none() && m.is_none() {
        return None;
    }
    let mut p = Page::default();
    let sev = m
        .and_then(|a| a.severity.as_ref())
        .or(g.and_then(|a| a.severity.as_ref()));
    let status = m
        .and_then(|a| a.status.as_ref())
        .or(g.and_then(|a| a.status.as_ref()));
    let assigned = m
        .and_then(|a| a.assigned_to.as_deref())
        .or(g.and_then(|a| a.assigned_to.as_deref()));
    p.line(format!(
        "severity {}   status {}   assigned {}",
        or_dash(sev.map(|x| x.as_str())),
        or_dash(status.map(|x| x.as_str())),
        or_dash(assigned)
    ));
    let incident = m
        .and_then(|a| a.incident_id.clone())
        .or(g.and_then(|a| a.incident_id.clone()));
    p.line(format!("incident {}", or_dash(incident.as_deref())));
    let source = m
        .and_then(|a| a.detection_source.clone())
        .or(g.and_then(|a| a.detection_source.clone()));
    let category = m
        .and_then(|a| a.category.clone())
        .or(g.and_then(|a| a.category.clone()));
    p.line(format!(
        "source {}   category {}",
        or_dash(source.as_deref()),
        or_dash(category.as_deref())
    ));
    p.line(format!(
        "created {}",
        time(
            m.and_then(|a| a.alert_creation_time)
                .or(g.and_then(|a| a.created_date_time))
        )
    ));
    match g {
        Some(g) => evidence_sections(&mut p, &[g]),
        None => {
            let devices = alert_devices(s, id);
            p.heading("Devices", devices.len());
            for (id, name) in devices {
                p.item(
                    format!("  {}  {id}", name.as_deref().unwrap_or("—")),
                    Target::Device(id, name),
                );
            }
        }
    }
    let description = m
        .and_then(|a| a.description.clone())
        .or(g.and_then(|a| a.description.clone()));
    if let Some(d) = description {
        p.line(String::new());
        for l in d.lines() {
            p.line(l.to_string());
        }
    }
    let title = m
        .and_then(|a| a.title.clone())
        .or(g.and_then(|a| a.title.clone()))
        .unwrap_or_else(|| id.to_string());
    let link = g.and_then(|a| a.alert_web_url.clone()).or_else(|| {
        Some(format!(
            "{}/alerts/{id}",
            s.settings.portal.trim_end_matches('/')
        ))
    });
    Some(p.done(title, link, Subject::Alert(id.to_string())))
}
