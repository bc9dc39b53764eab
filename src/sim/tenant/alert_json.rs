//! Alerts serialised as MDE alerts (PascalCase enums, flat evidence with every key) and as
//! Graph `alerts_v2` (camelCase enums, polymorphic `@odata.type` evidence).

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
pub fn sid(person: usize) -> String {
    format!("S-1-5-21-1004336348-1177238915-682003330-{}", 1100 + person)
}
/// A person's Entra object id.
pub fn aad_user(person: usize) -> String {
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

fn graph_detection_source(s: &str) -> &'static str {
    match s {
        "WindowsDefenderAv" => "antivirus",
        "SmartScreen" => "smartScreen",
        "CustomerTI" => "customTi",
        "AutomatedInvestigation" => "automatedInvestigation",
        _ => "microsoftDefenderForEndpoint",
    }
}

/// Graph's spelling of a (MDE-spelled) determination.
pub fn graph_determination(s: &str) -> String {
    match s {
        "Clean" => "notMalicious".into(),
        "CompromisedUser" => "compromisedAccount".into(),
        "InsufficientData" => "notEnoughDataToValidate".into(),
        other => camel(other),
    }
}

fn file_details(
    sha1: Option<&str>,
    sha256: Option<&str>,
    name: &str,
    path: &str,
    size: Option<u32>,
) -> Value {
    json!({"sha1": sha1, "sha256": sha256, "fileName": name, "filePath": path, "fileSize": size,
           "filePublisher": null, "signer": null, "issuer": null})
}

fn graph_evidence(a: &Alert, d: &Device, e: &Evidence) -> Value {
    let verdict = if a.severity >= 2 {
        "malicious"
    } else {
        "suspicious"
    };
    let base = |t: &str| {
        json!({"@odata.type": format!("#microsoft.graph.security.{t}"), "createdDateTime": ts(a.created), "verdict": verdict,
               "remediationStatus": if a.status == 2 { "remediated" } else { "none" }, "remediationStatusDetails": null,
               "roles": [], "detailedRoles": [], "tags": []})
    };
    let extra = match e {
        Evidence::File {
            sha1,
            sha256,
            name,
            path,
            size,
            status,
        } => json!({
            "fileDetails": file_details(Some(sha1), Some(sha256), name, path, Some(*size)),
            "detectionStatus": camel(status), "mdeDeviceId": d.id}),
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
        } => json!({
            "processId": pid, "parentProcessId": ppid, "processCommandLine": cmd,
            "processCreationDateTime": ts(*started), "parentProcessCreationDateTime": null,
            "detectionStatus": "detected", "mdeDeviceId": d.id,
            "imageFile": file_details(Some(sha1), Some(sha256), name, path, None),
            "parentProcessImageFile": file_details(None, None, parent, "", None),
            "userAccount": a.user.map(user_account)}),
        Evidence::User { person } => json!({"userAccount": user_account(*person)}),
        Evidence::Ip { ip } => json!({"ipAddress": ip, "countryLetterCode": "DE"}),
        Evidence::Url { url } => json!({"url": url}),
    };
    let t = match e {
        Evidence::File { .. } => "fileEvidence",
        Evidence::Process { .. } => "processEvidence",
        Evidence::User { .. } => "userEvidence",
        Evidence::Ip { .. } => "ipEvidence",
        Evidence::Url { .. } => "urlEvidence",
    };
    merge(base(t), extra)
}

fn user_account(p: usize) -> Value {
    json!({"accountName": PEOPLE[p].0, "domainName": NETBIOS, "userSid": sid(p), "azureAdUserId": aad_user(p),
           "userPrincipalName": format!("{}@{UPN_SUFFIX}", PEOPLE[p].0), "displayName": PEOPLE[p].1})
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Value::Object(m), Value::Object(n)) = (&mut a, b) {
        m.extend(n);
    }
    a
}

/// The Graph deviceEvidence for the alert's device: the "affected assets" view.
fn device_evidence(a: &Alert, d: &Device) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.security.deviceEvidence",
        "createdDateTime": ts(a.created), "verdict": "suspicious",
        "remediationStatus": "none", "remediationStatusDetails": null,
        "firstSeenDateTime": ts(d.first_seen), "mdeDeviceId": d.id, "azureAdDeviceId": d.aad,
        "deviceDnsName": d.name, "osPlatform": d.os.platform(), "osBuild": null, "version": null,
        "healthStatus": camel(d.health()), "riskScore": camel(d.risk()),
        "rbacGroupId": d.group().0, "rbacGroupName": if d.group().0 == 0 { Value::Null } else { d.group().1.into() },
        "onboardingStatus": "onboarded", "defenderAvStatus": camel(d.av_status()),
        "ipInterfaces": [d.ip()],
        "loggedOnUsers": a.user.map(|p| vec![json!({"accountName": PEOPLE[p].0, "domainName": NETBIOS})]).unwrap_or_default(),
        "roles": ["compromised"], "detailedRoles": ["Main device"], "tags": d.tags, "vmMetadata": null,
    })
}

/// The Graph `alerts_v2` entity.
pub fn graph(a: &Alert, d: &Device, tenant_id: &str) -> Value {
    let k = &KINDS[a.kind as usize];
    let mut evidence = vec![device_evidence(a, d)];
    evidence.extend(a.evidence.iter().map(|e| graph_evidence(a, d, e)));
    json!({
        "@odata.type": "#microsoft.graph.security.alert",
        "id": a.id,
        "providerAlertId": a.id,
        "incidentId": a.incident.to_string(),
        "status": camel(ALERT_STATUS[a.status as usize]),
        "severity": camel(SEVERITY[a.severity as usize]),
        "classification": a.classification.map(camel).unwrap_or_else(|| "unknown".into()),
        "determination": a.determination.map(graph_determination).unwrap_or_else(|| "unknown".into()),
        "serviceSource": "microsoftDefenderForEndpoint",
        "detectionSource": graph_detection_source(k.source),
        "detectorId": a.detector,
        "tenantId": tenant_id,
        "title": k.title,
        "description": k.description,
        "recommendedActions": k.recommended,
        "category": k.category,
        "assignedTo": a.assigned_to,
        "alertWebUrl": format!("https://security.microsoft.com/alerts/{}?tid={tenant_id}", a.id),
        "incidentWebUrl": format!("https://security.microsoft.com/incidents/{}?tid={tenant_id}", a.incident),
        "actorDisplayName": null,
        "threatDisplayName": k.threat,
        "threatFamilyName": k.family,
        "mitreTechniques": k.mitre,
        "createdDateTime": ts(a.created),
        "lastUpdateDateTime": ts(a.updated),
        "resolvedDateTime": ts_opt(a.resolved),
        "firstActivityDateTime": ts(a.first_event),
        "lastActivityDateTime": ts(a.last_event),
        "comments": a.comments.iter().map(|c| json!({"@odata.type": "#microsoft.graph.security.alertComment", "comment": c.text, "createdByDisplayName": c.by, "createdDateTime": ts(c.at)})).collect::<Vec<_>>(),
        "systemTags": [],
        "evidence": evidence,
    })
}
