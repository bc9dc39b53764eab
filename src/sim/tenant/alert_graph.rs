//! Alerts serialised as Graph `alerts_v2`: camelCase enums and polymorphic `@odata.type`
//! evidence.

use super::alert_json::{aad_user, camel, sid};
use super::alerts::{Alert, Evidence};
use super::catalog::{ALERT_STATUS, KINDS, PEOPLE, SEVERITY};
use super::devices::Device;
use super::{NETBIOS, UPN_SUFFIX};
use crate::sim::clock::{ts, ts_opt};
use serde_json::{Value, json};

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
