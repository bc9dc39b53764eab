//! Microsoft Secure Score (Graph): 90 daily snapshots with an upward trend, newest first, and
//! the control profiles they refer to. Some control numbers are strings, as observed.

use crate::sim::clock::ts;
use crate::sim::rng::Rng;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

// (id, category, title, service, max, part of max implemented today)
// The newest snapshot leaves gaps, as a tenant at about half its Secure Score does: some
// controls are done, some partly (MFA registration for two users in three), some not at all.
const CONTROLS: &[(&str, &str, &str, &str, f64, f64)] = &[
    (
        "AdminMFAV2",
        "Identity",
        "Ensure multifactor authentication is enabled for all users in administrative roles",
        "AzureAD",
        10.0,
        1.0,
    ),
    (
        "MFARegistrationV2",
        "Identity",
        "Ensure all users can complete multifactor authentication",
        "AzureAD",
        9.0,
        0.67,
    ),
    (
        "BlockLegacyAuthentication",
        "Identity",
        "Enable Conditional Access policies to block legacy authentication",
        "AzureAD",
        8.0,
        1.0,
    ),
    (
        "scid_2500",
        "Device",
        "Block executable content from email client and webmail",
        "MDATP",
        9.0,
        0.0,
    ),
    (
        "scid_2010",
        "Device",
        "Turn on Microsoft Defender Antivirus PUA protection",
        "MDATP",
        7.0,
        1.0,
    ),
    (
        "scid_20000",
        "Device",
        "Turn on tamper protection",
        "MDATP",
        8.0,
        0.5,
    ),
    (
        "scid_4001",
        "Device",
        "Turn on Microsoft Defender Firewall",
        "MDATP",
        6.0,
        1.0,
    ),
    (
        "mip_search_auditlog",
        "Apps",
        "Turn on Microsoft 365 audit log search",
        "MIP",
        3.0,
        1.0,
    ),
    (
        "SafeLinksPolicy",
        "Apps",
        "Create Safe Links policies for email messages",
        "EXO",
        9.0,
        0.0,
    ),
    (
        "SelfServicePasswordReset",
        "Identity",
        "Enable self-service password reset",
        "AzureAD",
        1.0,
        1.0,
    ),
    (
        "scid_2011",
        "Device",
        "Block Office applications from creating child processes",
        "MDATP",
        9.0,
        0.0,
    ),
    (
        "scid_2016",
        "Device",
        "Block credential stealing from the Windows local security authority subsystem",
        "MDATP",
        9.0,
        0.25,
    ),
    (
        "IntegratedApps",
        "Identity",
        "Do not allow users to grant consent to unreliable applications",
        "AzureAD",
        4.0,
        0.0,
    ),
    (
        "PWAgePolicyNew",
        "Identity",
        "Do not expire passwords",
        "AzureAD",
        8.0,
        1.0,
    ),
    (
        "SafeAttachmentsPolicy",
        "Apps",
        "Create Safe Attachments policies for email messages",
        "EXO",
        8.0,
        0.0,
    ),
    (
        "OneAdmin",
        "Identity",
        "Designate more than one global admin",
        "AzureAD",
        1.0,
        1.0,
    ),
];
const MAX_SCORE: f64 = 371.0;

/// The `$top` newest snapshots (all 90 when `top` is None).
pub fn secure_scores(
    seed: u64,
    tenant: &str,
    now: DateTime<Utc>,
    top: Option<usize>,
) -> Vec<Value> {
    let mut rng = Rng::stream(seed, 6);
    let today = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or(now);
    // Oldest to newest so the noise is stable for a seed, then reversed.
    let noise: Vec<f64> = (0..90).map(|_| rng.unit() * 4.0 - 2.0).collect();
    let n = top.unwrap_or(90).min(90);
    (0..n)
        .map(|age| {
            let progress = (89 - age) as f64 / 89.0;
            let score = (120.0 + 76.0 * progress + noise[89 - age]).max(0.0);
            let day = today - Duration::days(age as i64);
            snapshot(tenant, day, (score * 100.0).round() / 100.0, progress)
        })
        .collect()
}

fn snapshot(tenant: &str, day: DateTime<Utc>, score: f64, progress: f64) -> Value {
    let controls: Vec<Value> = CONTROLS
        .iter()
        .enumerate()
        .map(|(i, (name, cat, title, _, max, reached))| {
            // Each control was worked on from its own day in the 90; before that it scored 0.
            let started = (i as f64 / CONTROLS.len() as f64) < progress;
            let part = if started { *reached } else { 0.0 };
            let s = ((max * part) * 100.0).round() / 100.0;
            let pct = (part * 1000.0).round() / 10.0;
            let status = match part {
                p if p >= 1.0 => "Implemented",
                p if p > 0.0 => "Partially implemented",
                _ => "Not implemented",
            };
            // Identity controls report numbers; others as strings (observed drift).
            let (sv, pv) = if *cat == "Identity" { (json!(s), json!(pct)) } else { (json!(format!("{s:.1}")), json!(format!("{pct:.1}"))) };
            json!({"controlCategory": cat, "controlName": name, "description": title, "score": sv,
                   "scoreInPercentage": pv, "implementationStatus": status,
                   "lastSynced": ts(day - Duration::minutes(35)), "count": if *cat == "Identity" { Value::from("3") } else { Value::Null },
                   "total": if *cat == "Identity" { Value::from("3") } else { Value::Null }})
        })
        .collect();
    json!({
        "id": format!("{tenant}_{}", day.format("%Y-%m-%d")),
        "azureTenantId": tenant,
        "activeUserCount": 0,
        "createdDateTime": ts(day),
        "currentScore": score,
        "enabledServices": ["HasExchange", "HasSharePoint", "HasInTune"],
        "licensedUserCount": 48,
        "maxScore": MAX_SCORE,
        "averageComparativeScores": [
            {"basis": "AllTenants", "averageScore": 44.72},
            {"basis": "TotalSeats", "averageScore": 39.87, "seatSizeRangeLowerValue": "26", "seatSizeRangeUpperValue": "100"},
            {"basis": "IndustryTypes", "averageScore": 52.1, "industryName": "Professional Services"}
        ],
        "controlScores": controls,
        "vendorInformation": {"provider": "SecureScore", "providerVersion": null, "subProvider": null, "vendor": "Microsoft"},
    })
}

/// The control profiles.
pub fn control_profiles(tenant: &str, now: DateTime<Utc>) -> Vec<Value> {
    CONTROLS
        .iter()
        .enumerate()
        .map(|(i, (id, cat, title, service, max, _))| {
            json!({
                "id": id, "azureTenantId": tenant, "actionType": "Config",
                "actionUrl": if *service == "MDATP" { format!("https://security.microsoft.com/security-recommendations?search={}", id.replace('_', "-")) } else { "https://entra.microsoft.com/".into() },
                "controlCategory": cat, "title": title, "deprecated": false,
                "implementationCost": (["Low", "Moderate", "High"][i % 3]), "lastModifiedDateTime": null,
                "maxScore": max, "rank": i + 1,
                "remediation": format!("{title}."), "remediationImpact": "Users may notice a change in sign-in or device behaviour.",
                "service": service, "threats": ["AccountBreach", "ElevationOfPrivilege"],
                "tier": if i < 4 { "Core" } else { "Defense in Depth" }, "userImpact": (["Low", "Moderate"][i % 2]),
                "complianceInformation": [],
                "controlStateUpdates": [{"assignedTo": null, "comment": null, "state": if i == 3 { "Reviewed" } else { "Default" },
                    "updatedBy": null, "updatedDateTime": ts(now - Duration::days(30 + i as i64))}],
                "vendorInformation": {"provider": "SecureScore", "providerVersion": null, "subProvider": null, "vendor": "Microsoft"},
            })
        })
        .collect()
}
