//! Hand-built snapshots shared by the digest tests: yesterday's and today's view of a tenant.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use socops::digest::model::*;

pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn action(id: &str, ty: &str, dev: &str, status: &str, created: &str) -> ActionItem {
    ActionItem {
        id: id.into(),
        action_type: ty.into(),
        device: dev.into(),
        status: status.into(),
        created: Some(t(created)),
        updated: Some(t(created)),
    }
}

fn device(id: &str, name: &str, risk: &str) -> DeviceItem {
    DeviceItem {
        id: id.into(),
        name: name.into(),
        risk_score: risk.into(),
        exposure_level: "Medium".into(),
        health_status: "Active".into(),
    }
}

fn incident(id: &str, title: &str, sev: &str, created: &str, updated: &str) -> IncidentItem {
    IncidentItem {
        id: id.into(),
        title: title.into(),
        severity: sev.into(),
        status: "active".into(),
        created_date_time: Some(t(created)),
        last_update_date_time: Some(t(updated)),
        ..Default::default()
    }
}

fn rec(id: &str, name: &str, impact: f64) -> RecommendationItem {
    RecommendationItem {
        id: id.into(),
        name: name.into(),
        exposure_impact: Some(impact),
        config_score_impact: Some(1.5),
        exposed_machines_count: Some(4),
    }
}

/// Yesterday, 07:00.
pub fn prev() -> Snapshot {
    let mut s = Snapshot::empty("contoso", "Contoso Ltd", t("2026-03-01T07:00:00Z"));
    s.exposure_score = Some(ExposureFigure::from_score(34.0));
    s.configuration_score = Some(610.0);
    s.secure_score = Some(SecureScoreFigure {
        current: 400.0,
        max: 800.0,
        percent: 50.0,
    });
    s.pending_actions = vec![action(
        "a-1",
        "Isolate",
        "pc-01",
        "Pending",
        "2026-03-01T06:00:00Z",
    )];
    s.devices_at_risk = vec![device("d1", "pc-01", "Medium")];
    s.inactive_devices = vec![InactiveDevice {
        id: "d9".into(),
        name: "old-09".into(),
        last_seen: Some(t("2026-02-10T00:00:00Z")),
    }];
    s.incidents = vec![
        incident(
            "11",
            "Old phishing",
            "low",
            "2026-02-20T00:00:00Z",
            "2026-02-28T00:00:00Z",
        ),
        incident(
            "12",
            "Ransomware on pc-01",
            "high",
            "2026-02-28T10:00:00Z",
            "2026-03-01T05:00:00Z",
        ),
    ];
    s.recommendations = vec![rec("va-_-google-_-chrome", "Update Google Chrome", 2.1)];
    s
}

/// Today, 07:00: exposure up, a new incident, an updated one, a new device at risk, a device
/// gone inactive, a failed scan, a new recommendation, and Graph secure score refused.
pub fn cur() -> Snapshot {
    let mut s = prev();
    s.taken_at = t("2026-03-02T07:00:00Z");
    s.exposure_score = Some(ExposureFigure::from_score(41.0));
    s.configuration_score = Some(612.5);
    s.secure_score = None;
    s.errors = vec!["Microsoft Secure Score: Microsoft Graph 403 Forbidden (probably missing permission SecurityEvents.Read.All)".into()];
    s.pending_actions.push(action(
        "a-2",
        "RunAntiVirusScan",
        "pc-02",
        "InProgress",
        "2026-03-02T06:30:00Z",
    ));
    s.pending_investigations = vec![InvestigationItem {
        id: "77".into(),
        device: "pc-03".into(),
        start: Some(t("2026-03-02T02:00:00Z")),
    }];
    s.devices_at_risk = vec![
        device("d1", "pc-01", "High"),
        device("d2", "pc-02", "Medium"),
    ];
    s.inactive_devices.push(InactiveDevice {
        id: "d8".into(),
        name: "lab-08".into(),
        last_seen: Some(t("2026-02-23T00:00:00Z")),
    });
    s.incidents[1].last_update_date_time = Some(t("2026-03-01T20:00:00Z"));
    s.incidents.insert(
        0,
        incident(
            "13",
            "Suspicious PowerShell",
            "medium",
            "2026-03-02T01:00:00Z",
            "2026-03-02T01:30:00Z",
        ),
    );
    s.failed_actions = vec![action(
        "a-0",
        "RunAntiVirusScan",
        "pc-05",
        "TimeOut",
        "2026-03-01T12:00:00Z",
    )];
    s.recommendations
        .push(rec("sca-_-scid-2010", "Turn on PUA protection", 3.4));
    s
}
