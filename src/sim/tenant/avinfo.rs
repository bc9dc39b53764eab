//! The `deviceavinfo` (Defender Antivirus health) view of a device, derived at serialisation
//! time from the device's stable hash so it costs no memory per device.

use super::devices::{Device, Os};
use crate::sim::clock::{secs, ts};
use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

fn up_to_date(flag: u64) -> &'static str {
    match flag % 10 {
        0 => "False",
        1 => "Unknown",
        _ => "True",
    }
}

/// The AV mode as Microsoft sends it: a string-typed integer or an empty string.
fn av_mode(d: &Device) -> &'static str {
    match (d.os, d.h >> 8 & 0xF) {
        (Os::Server2019 | Os::Server2022, 0..=5) => "1",
        (_, 0) => "2",
        (Os::Linux, 1) => "",
        (_, 2) => "5",
        _ => "0",
    }
}

fn os_kind(os: Os) -> &'static str {
    match os {
        Os::MacOs => "mac",
        Os::Linux => "linux",
        _ => "windows",
    }
}

/// One `deviceavinfo` row.
pub fn to_json(d: &Device, now: DateTime<Utc>) -> Value {
    let h = d.h;
    let stale = d.health == 1;
    let sig = up_to_date(if stale { 0 } else { h >> 12 });
    let eng = up_to_date(if stale { 0 } else { h >> 16 });
    let plat = up_to_date(h >> 20);
    let quick_fail = (h >> 24).is_multiple_of(12);
    let quick_time = d.last_seen - secs(((h >> 28) % 20_000) as f64);
    let full = (h >> 32).is_multiple_of(4);
    let refresh = now - Duration::minutes(((h >> 36) % 90) as i64);
    let old = if sig == "False" {
        Duration::days(9)
    } else {
        Duration::hours(((h >> 40) % 20) as i64)
    };
    let version = match d.os.platform() {
        "Windows11" => "10.0.26100.3476",
        "Windows10" => "10.0.19045.5608",
        "WindowsServer2019" => "10.0.17763.6893",
        "WindowsServer2022" => "10.0.20348.3328",
        "macOS" => "15.3",
        _ => "22.04",
    };
    json!({
        "id": d.id,
        "machineId": d.id,
        "computerDnsName": d.short_name(),
        "osKind": os_kind(d.os),
        "osPlatform": d.os.platform(),
        "osVersion": version,
        "avMode": av_mode(d),
        "avSignatureVersion": if sig == "False" { "1.421.1102.0" } else { "1.425.157.0" },
        "avEngineVersion": if eng == "False" { "1.1.24120.5" } else { "1.1.25020.1007" },
        "avPlatformVersion": if plat == "False" { "4.18.24110.3" } else { "4.18.25020.1009" },
        "lastSeenTime": ts(d.last_seen),
        "quickScanResult": if quick_fail { "Failed" } else { "Completed" },
        "quickScanError": if quick_fail { "0x80508023" } else { "" },
        "quickScanTime": ts(quick_time),
        "fullScanResult": if full { "Completed" } else { "" },
        "fullScanError": "",
        "fullScanTime": if full { ts(quick_time - Duration::days(3)) } else { "0001-01-01T00:00:00Z".into() },
        "dataRefreshTimestamp": ts(refresh),
        "avEngineUpdateTime": ts(d.last_seen - old - Duration::hours(4)),
        "avSignatureUpdateTime": ts(d.last_seen - old),
        "avPlatformUpdateTime": ts(d.last_seen - Duration::days(12)),
        "avIsSignatureUpToDate": sig,
        "avIsEngineUpToDate": eng,
        "avIsPlatformUpToDate": plat,
        "avSignaturePublishTime": ts(d.last_seen - old - Duration::hours(2)),
        "avSignatureDataRefreshTime": ts(refresh),
        "avModeDataRefreshTime": ts(refresh),
        "cloudProtectionState": if (h >> 44).is_multiple_of(9) { "Disabled" } else { "Enabled" },
        "rbacGroupName": Value::Null,
        "rbacGroupId": d.group().0,
    })
}

/// The filterable properties of `GET /api/deviceavinfo`, lower-cased, with the spelling of
/// the row's JSON key: "machineId, computerDnsName, osKind, osPlatform, osVersion, avMode,
/// avSignatureVersion, avEngineVersion, avPlatformVersion, quickScanResult, quickScanError,
/// fullScanResult, fullScanError, avIsSignatureUpToDate, avIsEngineUpToDate,
/// avIsPlatformUpToDate, rbacGroupId"; "rbacgroupname and Id are not supported filter
/// operators", nor are the times
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/device-health-export-antivirus-health-report-api).
pub(crate) const FILTER_FIELDS: &[(&str, &str)] = &[
    ("machineid", "machineId"),
    ("computerdnsname", "computerDnsName"),
    ("oskind", "osKind"),
    ("osplatform", "osPlatform"),
    ("osversion", "osVersion"),
    ("avmode", "avMode"),
    ("avsignatureversion", "avSignatureVersion"),
    ("avengineversion", "avEngineVersion"),
    ("avplatformversion", "avPlatformVersion"),
    ("quickscanresult", "quickScanResult"),
    ("quickscanerror", "quickScanError"),
    ("fullscanresult", "fullScanResult"),
    ("fullscanerror", "fullScanError"),
    ("avissignatureuptodate", "avIsSignatureUpToDate"),
    ("avisengineuptodate", "avIsEngineUpToDate"),
    ("avisplatformuptodate", "avIsPlatformUpToDate"),
    ("rbacgroupid", "rbacGroupId"),
];

/// The JSON key of a filterable property (`name` lower-cased), `None` when it is not one.
pub(crate) fn filter_key(name: &str) -> Option<&'static str> {
    FILTER_FIELDS
        .iter()
        .find(|(low, _)| *low == name)
        .map(|(_, key)| *key)
}
