//! The text of `incident ID show` and `alert ID show`: the record's triage state, then its
//! alerts, devices, users, evidence (files with SHA-1 and SHA-256) and comments. Every
//! tenant string goes through `text::line`.

use std::fmt::Write as _;

use serde_json::Value;

use crate::api::calls::TriageEntity;
use crate::api::model::{GraphAlert, GraphEvidence, Incident, IncidentComment};
use crate::text::line as safe;

fn field(out: &mut String, name: &str, value: Option<&str>) {
    let v = value.filter(|v| !v.trim().is_empty()).unwrap_or("—");
    let _ = writeln!(out, "{name:<16}{}", safe(v));
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "—".into())
}

/// The text shown for a record read as Graph sends it.
pub fn render(entity: TriageEntity, raw: &Value) -> String {
    match entity {
        TriageEntity::Incident => match serde_json::from_value::<Incident>(raw.clone()) {
            Ok(i) => incident(&i),
            Err(e) => format!("cannot read the incident: {e}\n"),
        },
        TriageEntity::Alert => match serde_json::from_value::<GraphAlert>(raw.clone()) {
            Ok(a) => alert(&a),
            Err(e) => format!("cannot read the alert: {e}\n"),
        },
    }
}

fn incident(i: &Incident) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Incident {} — {}",
        safe(&i.id),
        safe(i.display_name.as_deref().unwrap_or(""))
    );
    field(&mut out, "Status", i.status.as_ref().map(|s| s.as_str()));
    field(
        &mut out,
        "Severity",
        i.severity.as_ref().map(|s| s.as_str()),
    );
    field(&mut out, "Assigned to", i.assigned_to.as_deref());
    field(
        &mut out,
        "Classification",
        i.classification.as_ref().map(|s| s.as_str()),
    );
    field(
        &mut out,
        "Determination",
        i.determination.as_ref().map(|s| s.as_str()),
    );
    field(&mut out, "Tags", Some(&i.all_tags().join(", ")));
    field(&mut out, "Created", Some(&time(i.created_date_time)));
    field(&mut out, "Updated", Some(&time(i.last_update_date_time)));
    field(&mut out, "Portal", i.incident_web_url.as_deref());
    let alerts = i.alerts.clone().unwrap_or_default();
    let _ = writeln!(out, "\nAlerts ({})", alerts.len());
    for a in &alerts {
        let _ = writeln!(
            out,
            "  {}  {:<13} {:<11} {}",
            safe(&a.id),
            safe(a.severity.as_ref().map_or("", |s| s.as_str())),
            safe(a.status.as_ref().map_or("", |s| s.as_str())),
            safe(a.title.as_deref().unwrap_or(""))
        );
    }
    let evidence: Vec<&GraphEvidence> = alerts.iter().flat_map(|a| a.evidence.iter()).collect();
    entities(&mut out, &evidence);
    comments(&mut out, &i.comments);
    out
}

fn alert(a: &GraphAlert) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Alert {} — {}",
        safe(&a.id),
        safe(a.title.as_deref().unwrap_or(""))
    );
    field(&mut out, "Incident", a.incident_id.as_deref());
    field(&mut out, "Status", a.status.as_ref().map(|s| s.as_str()));
    field(
        &mut out,
        "Severity",
        a.severity.as_ref().map(|s| s.as_str()),
    );
    field(&mut out, "Assigned to", a.assigned_to.as_deref());
    field(
        &mut out,
        "Classification",
        a.classification.as_ref().map(|s| s.as_str()),
    );
    field(
        &mut out,
        "Determination",
        a.determination.as_ref().map(|s| s.as_str()),
    );
    field(&mut out, "Category", a.category.as_deref());
    field(&mut out, "Created", Some(&time(a.created_date_time)));
    field(&mut out, "Updated", Some(&time(a.last_update_date_time)));
    field(&mut out, "Portal", a.alert_web_url.as_deref());
    let evidence: Vec<&GraphEvidence> = a.evidence.iter().collect();
    entities(&mut out, &evidence);
    comments(&mut out, &a.comments);
    out
}

/// Devices, users and the other evidence, each once.
fn entities(out: &mut String, evidence: &[&GraphEvidence]) {
    let mut devices: Vec<(String, String)> = Vec::new();
    let mut users: Vec<String> = Vec::new();
    let mut other: Vec<String> = Vec::new();
    for e in evidence {
        if e.is_device() {
            let id = e.mde_device_id.clone().unwrap_or_default();
            let name = e.device_dns_name.clone().unwrap_or_default();
            if !devices.iter().any(|(i, n)| *i == id && *n == name) {
                devices.push((id, name));
            }
            continue;
        }
        if let Some(u) = &e.user_account {
            let name = u
                .user_principal_name
                .clone()
                .or(u.account_name.clone())
                .unwrap_or_default();
            if !name.is_empty() && !users.contains(&name) {
                users.push(name);
            }
            if e.kind().eq_ignore_ascii_case("userEvidence") {
                continue;
            }
        }
        let mut text = e.summary();
        if let Some(f) = e.file() {
            if let Some(s) = &f.sha1 {
                text.push_str(&format!("\n      SHA-1   {s}"));
            }
            if let Some(s) = &f.sha256 {
                text.push_str(&format!("\n      SHA-256 {s}"));
            }
        }
        if !other.contains(&text) {
            other.push(text);
        }
    }
    let _ = writeln!(out, "\nDevices ({})", devices.len());
    for (id, name) in &devices {
        let _ = writeln!(out, "  {}  {}", safe(name), safe(id));
    }
    let _ = writeln!(out, "\nUsers ({})", users.len());
    for u in &users {
        let _ = writeln!(out, "  {}", safe(u));
    }
    let _ = writeln!(out, "\nEvidence ({})", other.len());
    for e in &other {
        for (n, l) in e.lines().enumerate() {
            let indent = if n == 0 { "  " } else { "" };
            let _ = writeln!(out, "{indent}{}", safe(l));
        }
    }
}

fn comments(out: &mut String, comments: &[IncidentComment]) {
    let _ = writeln!(out, "\nComments ({})", comments.len());
    for c in comments {
        let _ = writeln!(
            out,
            "  {}  {}: {}",
            time(c.time()),
            safe(c.author().unwrap_or("?")),
            safe(c.comment.as_deref().unwrap_or(""))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_evidence_shows_both_hashes_and_tenant_text_is_made_safe() {
        let raw = serde_json::json!({
            "id": "da1", "title": "Bad\u{1b}[2Jthing", "status": "new",
            "evidence": [
                {"@odata.type": "#microsoft.graph.security.deviceEvidence",
                 "mdeDeviceId": "abc", "deviceDnsName": "ws-01"},
                {"@odata.type": "#microsoft.graph.security.fileEvidence",
                 "fileDetails": {"fileName": "evil.exe", "sha1": "a".repeat(40), "sha256": "b".repeat(64)}},
            ],
            "comments": [{"comment": "hi", "createdByDisplayName": "ana"}]
        });
        let text = render(TriageEntity::Alert, &raw);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(
            text.contains(&format!("SHA-1   {}", "a".repeat(40))),
            "{text}"
        );
        assert!(
            text.contains(&format!("SHA-256 {}", "b".repeat(64))),
            "{text}"
        );
        assert!(text.contains("ws-01  abc"), "{text}");
        assert!(text.contains("ana: hi"), "{text}");
    }
}
