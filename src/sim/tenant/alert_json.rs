//! Alerts serialised as MDE alerts (PascalCase enums, flat evidence with every key), plus the
//! identity helpers shared with the Graph view in `alert_graph`.

use super::alerts::{Alert, Evidence};
use super::catalog::{ALERT_STATUS, KINDS, PEOPLE, SEVERITY};
use super::devices::Device;
use super::{NETBIOS, UPN_SUFFIX};
use crate::sim::clock::{ts, ts_opt};
use serde_json::{Map, Value, json};

/// Lower-cases the first letter: Graph's spelling of an MDE enum value.
pub fn camel(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A person's SID.
pub(crate) fn sid(person: usize) -> String {
    format!("S-1-5-21-1004336348-1177238915-682003330-{}", 1100 + person)
}
/// A person's Entra object id.
pub(crate) fn aad_user(person: usize) -> String {
    format!(
        "c3a1e5f7-9b2d-4c6e-8f0a-{:012x}",
        0x1b3d_5f7a_0000 + person as u64
    )
}

const MDE_EVIDENCE_KEYS: [&str; 26] = [
    "entityType",
    "evidenceCreationTime",
    "sha1",
    "sha256",
    "fileName",
    "filePath",
    "processId",
    "processCommandLine",
    "processCreationTime",
    "parentProcessId",
    "parentProcessCreationTime",
    "parentProcessFileName",
    "parentProcessFilePath",
    "ipAddress",
    "url",
    "registryKey",
    "registryHive",
    "registryValueType",
    "registryValue",
    "accountName",
    "domainName",
    "userSid",
    "aadUserId",
    "userPrincipalName",
    "detectionStatus",
    "",
];

fn mde_evidence(a: &Alert, e: &Evidence) -> Value {
    let mut m = Map::new();
    for k in MDE_EVIDENCE_KEYS.iter().filter(|k| !k.is_empty()) {
        m.insert((*k).into(), Value::Null);
    }
    m.insert("evidenceCreationTime".into(), ts(a.created).into());
    let mut set = |k: &str, v: Value| {
        m.insert(k.into(), v);
    };
    match e {
        Evidence::File {
            sha1,
            sha256,
            name,
            path,
            status,
            ..
        } => {
            set("entityType", "File".into());
            set("sha1", sha1.as_str().into());
            set("sha256", sha256.as_str().into());
            set("fileName", (*name).into());
            set("filePath", path.as_str().into());
            set("detectionStatus", (*status).into());
        }
        Evidence::Process {
            sha1,
            sha256,
            name,
            path,
            pid,
            ppid,
            cmd,
            parent,
            started,
        } => {
            set("entityType", "Process".into());
            set("sha1", sha1.as_str().into());
            set("sha256", sha256.as_str().into());
            set("fileName", (*name).into());
            set("filePath", path.as_str().into());
            set("processId", (*pid).into());
            set("processCommandLine", cmd.as_str().into());
            set("processCreationTime", ts(*started).into());
            set("parentProcessId", (*ppid).into());
            set("parentProcessFileName", (*parent).into());
            set("detectionStatus", "Detected".into());
        }
        Evidence::User { person } => {
            set("entityType", "User".into());
            set("accountName", PEOPLE[*person].0.into());
            set("domainName", NETBIOS.into());
            set("userSid", sid(*person).into());
            set("aadUserId", aad_user(*person).into());
            set(
                "userPrincipalName",
                format!("{}@{UPN_SUFFIX}", PEOPLE[*person].0).into(),
            );
        }
        Evidence::Ip { ip } => {
            set("entityType", "Ip".into());
            set("ipAddress", ip.as_str().into());
        }
        Evidence::Url { url } => {
            set("entityType", "Url".into());
            set("url", (*url).into());
        }
    }
    Value::Object(m)
}

/// The MDE alert entity; `evidence` only when asked for (lists need `$expand=evidence`).
pub fn mde(a: &Alert, d: &Device, tenant_id: &str, with_evidence: bool) -> Value {
    let k = &KINDS[a.kind as usize];
    let mut v = json!({
        "id": a.id,
        "incidentId": a.incident,
        "investigationId": a.investigation,
        "assignedTo": a.assigned_to,
        "severity": SEVERITY[a.severity as usize],
        "status": ALERT_STATUS[a.status as usize],
        "classification": a.classification,
        "determination": a.determination,
        "investigationState": a.investigation_state,
        "detectionSource": k.source,
        "detectorId": a.detector,
        "category": k.category,
        "threatFamilyName": k.family,
        "title": k.title,
        "description": k.description,
        "alertCreationTime": ts(a.created),
        "firstEventTime": ts(a.first_event),
        "lastEventTime": ts(a.last_event),
        "lastUpdateTime": ts(a.updated),
        "resolvedTime": ts_opt(a.resolved),
        "machineId": d.id,
        "computerDnsName": d.name,
        "rbacGroupName": if d.group().0 == 0 { Value::Null } else { d.group().1.into() },
        "aadTenantId": tenant_id,
        "threatName": k.threat,
        "mitreTechniques": k.mitre,
        "relatedUser": a.user.map(|p| json!({"userName": PEOPLE[p].0, "domainName": NETBIOS})),
        "comments": a.comments.iter().map(|c| json!({"comment": c.text, "createdBy": c.by, "createdTime": ts(c.at)})).collect::<Vec<_>>(),
    });
    if with_evidence && let Value::Object(m) = &mut v {
        m.insert(
            "evidence".into(),
            a.evidence.iter().map(|e| mde_evidence(a, e)).collect(),
        );
    }
    v
}

pub use super::alert_graph::{graph, graph_determination};
