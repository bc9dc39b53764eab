//! An alert's related entities, derived from its evidence: `/api/alerts/{id}/files`, `/ips`,
//! `/domains` and `/user`, in MDE's shapes.

use super::mde::{context, entity};
use super::mde_device::user_json;
use super::paging::envelope;
use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState};
use crate::sim::clock::ts;
use crate::sim::tenant::Tenant;
use crate::sim::tenant::alerts::{Alert, Evidence};
use serde_json::{Value, json};

/// Routes `alerts/{id}/{list}`; `None` when `list` is not one of ours.
pub fn get(st: &SimState, _req: &Req, t: &Tenant, id: &str, list: &str) -> Option<Reply> {
    if !matches!(list, "files" | "ips" | "domains" | "user") {
        return None;
    }
    let Some(i) = t.alert(id) else {
        return Some(mde_error(
            404,
            "ResourceNotFound",
            &format!("Alert {id} was not found"),
        ));
    };
    let a = &t.alerts[i];
    let list_of = |set: &str, values: Vec<Value>| {
        Reply::ok(Family::Mde, &envelope(context(st, set), values, None, None))
    };
    Some(match list {
        "files" => list_of("Files", files(a)),
        "ips" => list_of("Ips", ips(a)),
        "domains" => list_of("Domains", domains(a)),
        _ => match person(a) {
            Some(p) => {
                let d = &t.devices[a.device as usize];
                entity(st, "Users", user_json(p, d.first_seen, a.last_event, false))
            }
            None => mde_error(
                404,
                "ResourceNotFound",
                &format!("No user is related to alert {id}"),
            ),
        },
    })
}

/// Distinct files of the File and Process evidence (by SHA-1), as MDE File entities.
fn files(a: &Alert) -> Vec<Value> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for e in &a.evidence {
        let (sha1, sha256, size) = match e {
            Evidence::File {
                sha1, sha256, size, ..
            } => (sha1, sha256, Some(*size)),
            Evidence::Process { sha1, sha256, .. } => (sha1, sha256, None),
            _ => continue,
        };
        if seen.contains(&sha1.as_str()) {
            continue;
        }
        seen.push(sha1);
        let malicious = a.severity >= 2;
        out.push(json!({
            "sha1": sha1, "sha256": sha256, "md5": &sha256[..32],
            "globalPrevalence": 1 + (a.kind as u64 * 7) % 40,
            "globalFirstObserved": ts(a.first_event), "globalLastObserved": ts(a.last_event),
            "size": size, "fileType": null, "isPeFile": true, "filePublisher": null,
            "fileProductName": null, "signer": null, "issuer": null, "signerHash": null,
            "isValidCertificate": false,
            "determinationType": if malicious { "Malware" } else { "Unknown" },
            "determinationValue": if malicious { "Trojan:Win32/Wacatac" } else { "" },
        }));
    }
    out
}

/// Distinct IP addresses of the evidence.
fn ips(a: &Alert) -> Vec<Value> {
    let mut out: Vec<&str> = Vec::new();
    for e in &a.evidence {
        if let Evidence::Ip { ip } = e
            && !out.contains(&ip.as_str())
        {
            out.push(ip);
        }
    }
    out.into_iter().map(|ip| json!({"id": ip})).collect()
}

/// Distinct host names of the URL evidence.
fn domains(a: &Alert) -> Vec<Value> {
    let mut out: Vec<&str> = Vec::new();
    for e in &a.evidence {
        if let Evidence::Url { url } = e {
            let host = url
                .split_once("://")
                .map_or(*url, |(_, r)| r)
                .split(['/', ':', '?'])
                .next()
                .unwrap_or_default();
            if !host.is_empty() && !out.contains(&host) {
                out.push(host);
            }
        }
    }
    out.into_iter().map(|h| json!({"host": h})).collect()
}

/// The alert's user: its User evidence, else the user recorded on the alert.
fn person(a: &Alert) -> Option<usize> {
    a.evidence
        .iter()
        .find_map(|e| match e {
            Evidence::User { person } => Some(*person),
            _ => None,
        })
        .or(a.user)
}
