//! What counts: the named predicates the morning digest (`digest/`) and the console
//! (`app/data/`: the checklist figures, the views they open scoped to what they counted, and
//! this session's digest snapshot) share, so the digest's count, the figure beside a
//! checklist task and the rows of the view it opens are the same records. Where the digest
//! asks the service to filter, the OData `$filter` is built here beside the predicate it
//! stands for, from the same values. Pure: no IO, no clock (`now` is passed in).

use std::cmp::Ordering;

use chrono::{DateTime, Duration, Utc};

use crate::api::calls::odata;
use crate::api::model::{
    ActionStatus, HealthStatus, Incident, Investigation, Machine, MachineAction, Recommendation,
    RiskScore,
};

/// Days of incident updates a digest snapshot keeps.
pub const INCIDENT_DAYS: i64 = 30;
/// Days of failed actions a digest snapshot keeps.
pub const FAILED_ACTION_DAYS: i64 = 7;
/// Hours an incident counts as new when there is no earlier digest to compare with.
pub const NEW_INCIDENT_HOURS: i64 = 24;

/// Action states that ended without doing the work.
const FAILED: [ActionStatus; 2] = [ActionStatus::Failed, ActionStatus::TimeOut];
/// Device risk levels that mean threat detections.
const AT_RISK: [RiskScore; 2] = [RiskScore::High, RiskScore::Medium];

fn wire<const N: usize, T>(values: &[T; N], text: fn(&T) -> &str) -> Vec<&str> {
    values.iter().map(text).collect()
}

/// A machine action still Pending or InProgress.
pub fn is_waiting(a: &MachineAction) -> bool {
    a.status.as_ref().is_some_and(ActionStatus::is_waiting)
}

/// [`is_waiting`] as a service-side filter of `machineactions`.
pub fn waiting_filter() -> String {
    odata::any_of(
        "status",
        &wire(&ActionStatus::WAITING, ActionStatus::as_str),
    )
}

/// A machine action that failed or timed out, created in the [`FAILED_ACTION_DAYS`] before
/// `now`.
pub fn failed_recently(a: &MachineAction, now: DateTime<Utc>) -> bool {
    a.status.as_ref().is_some_and(|s| FAILED.contains(s))
        && a.creation_date_time_utc
            .is_some_and(|t| t >= failed_since(now))
}

/// [`failed_recently`] as a service-side filter of `machineactions`.
pub fn failed_recently_filter(now: DateTime<Utc>) -> String {
    odata::and([
        odata::any_of("status", &wire(&FAILED, ActionStatus::as_str)),
        odata::ge_time("creationDateTimeUtc", failed_since(now)),
    ])
}

fn failed_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(FAILED_ACTION_DAYS)
}

/// An automated investigation waiting for approval in the Action center.
pub fn awaits_approval(i: &Investigation) -> bool {
    i.is_pending_approval()
}

/// [`awaits_approval`] as a service-side filter of `investigations`.
pub fn awaits_approval_filter() -> String {
    odata::eq("state", "PendingApproval")
}

/// What the device rules read. The API's [`Machine`] has it, and so has the console's packed
/// device (`app::data::devices::Device`), which answers from its packed fields: the console
/// judges 100,000 devices by the same rules as the digest without decoding one.
pub trait DeviceFacts {
    /// The machine id.
    fn id(&self) -> &str;
    /// The host name (`Machine::short_name`).
    fn short_name(&self) -> &str;
    fn risk_score(&self) -> Option<RiskScore>;
    /// Risk rank for sorting (0 when unknown).
    fn risk_rank(&self) -> u8;
    /// Exposure rank for sorting (0 when unknown).
    fn exposure_rank(&self) -> u8;
    fn health_status(&self) -> Option<HealthStatus>;
    fn last_seen(&self) -> Option<DateTime<Utc>>;
    /// The risk score as received (an unknown value too).
    fn risk_text(&self) -> Option<&str>;
    /// The exposure level as received.
    fn exposure_text(&self) -> Option<&str>;
    /// The sensor health as received.
    fn health_text(&self) -> Option<&str>;
}

impl DeviceFacts for Machine {
    fn id(&self) -> &str {
        &self.id
    }
    fn short_name(&self) -> &str {
        Machine::short_name(self)
    }
    fn risk_score(&self) -> Option<RiskScore> {
        self.risk_score.clone()
    }
    fn risk_rank(&self) -> u8 {
        Machine::risk_rank(self)
    }
    fn exposure_rank(&self) -> u8 {
        Machine::exposure_rank(self)
    }
    fn health_status(&self) -> Option<HealthStatus> {
        self.health_status.clone()
    }
    fn last_seen(&self) -> Option<DateTime<Utc>> {
        self.last_seen
    }
    fn risk_text(&self) -> Option<&str> {
        self.risk_score.as_ref().map(RiskScore::as_str)
    }
    fn exposure_text(&self) -> Option<&str> {
        self.exposure_level.as_ref().map(|e| e.as_str())
    }
    fn health_text(&self) -> Option<&str> {
        self.health_status.as_ref().map(HealthStatus::as_str)
    }
}

impl<T: DeviceFacts + ?Sized> DeviceFacts for &T {
    fn id(&self) -> &str {
        (**self).id()
    }
    fn short_name(&self) -> &str {
        (**self).short_name()
    }
    fn risk_score(&self) -> Option<RiskScore> {
        (**self).risk_score()
    }
    fn risk_rank(&self) -> u8 {
        (**self).risk_rank()
    }
    fn exposure_rank(&self) -> u8 {
        (**self).exposure_rank()
    }
    fn health_status(&self) -> Option<HealthStatus> {
        (**self).health_status()
    }
    fn last_seen(&self) -> Option<DateTime<Utc>> {
        (**self).last_seen()
    }
    fn risk_text(&self) -> Option<&str> {
        (**self).risk_text()
    }
    fn exposure_text(&self) -> Option<&str> {
        (**self).exposure_text()
    }
    fn health_text(&self) -> Option<&str> {
        (**self).health_text()
    }
}

/// A device with threat detections: risk High or Medium.
pub fn is_at_risk(m: &impl DeviceFacts) -> bool {
    m.risk_score().is_some_and(|r| AT_RISK.contains(&r))
}

/// [`is_at_risk`] as a service-side filter of `machines`.
pub fn at_risk_filter() -> String {
    odata::any_of("riskScore", &wire(&AT_RISK, RiskScore::as_str))
}

/// Riskiest devices first: risk, then exposure, then name.
pub fn riskiest_first(a: &impl DeviceFacts, b: &impl DeviceFacts) -> Ordering {
    (b.risk_rank(), b.exposure_rank())
        .cmp(&(a.risk_rank(), a.exposure_rank()))
        .then_with(|| a.short_name().cmp(b.short_name()))
}

/// A device whose sensor reports inactive.
pub fn is_inactive(m: &impl DeviceFacts) -> bool {
    m.health_status() == Some(HealthStatus::Inactive)
}

/// [`is_inactive`] as a service-side filter of `machines`.
pub fn inactive_filter() -> String {
    odata::eq("healthStatus", HealthStatus::Inactive.as_str())
}

/// An incident updated in the [`INCIDENT_DAYS`] before `now` (one without an update time
/// is not: the service-side filter cannot match it either).
pub fn updated_recently(i: &Incident, now: DateTime<Utc>) -> bool {
    i.last_update_date_time
        .is_some_and(|t| t >= updated_since(now))
}

/// [`updated_recently`] as a service-side filter of `incidents`.
pub fn updated_recently_filter(now: DateTime<Utc>) -> String {
    odata::ge_time("lastUpdateDateTime", updated_since(now))
}

fn updated_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(INCIDENT_DAYS)
}

/// When "new" starts without an earlier digest: [`NEW_INCIDENT_HOURS`] before `now`.
pub fn new_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::hours(NEW_INCIDENT_HOURS)
}

/// Something (an incident) created after `since`, whatever its status now: an incident
/// that appeared and was closed overnight is still news to the morning routine.
pub fn created_after(created: Option<DateTime<Utc>>, since: DateTime<Utc>) -> bool {
    created.is_some_and(|t| t > since)
}

/// An incident created in the last [`NEW_INCIDENT_HOURS`].
pub fn is_new_incident(i: &Incident, now: DateTime<Utc>) -> bool {
    created_after(i.created_date_time, new_since(now))
}

/// An active recommendation that reaches at least one device.
pub fn worth_fixing(r: &Recommendation) -> bool {
    r.is_active() && r.exposed_machines_count.unwrap_or(0) > 0
}

/// The service-side half of [`worth_fixing`] (the device count is checked client-side).
pub fn worth_fixing_filter() -> String {
    odata::eq("status", "Active")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::IncidentStatus;
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap() + Duration::hours(h)
    }

    #[test]
    fn filters_name_the_values_the_predicates_test() {
        assert_eq!(
            waiting_filter(),
            "status eq 'Pending' or status eq 'InProgress'"
        );
        assert_eq!(
            at_risk_filter(),
            "riskScore eq 'High' or riskScore eq 'Medium'"
        );
        assert_eq!(inactive_filter(), "healthStatus eq 'Inactive'");
        assert!(failed_recently_filter(at(0)).contains("status eq 'TimeOut'"));
    }

    #[test]
    fn each_predicate_draws_its_line() {
        let action = |status: &str, h: i64| MachineAction {
            status: Some(ActionStatus::parse(status)),
            creation_date_time_utc: Some(at(h)),
            ..Default::default()
        };
        assert!(is_waiting(&action("inprogress", 0)));
        assert!(!is_waiting(&action("Succeeded", 0)));
        assert!(failed_recently(&action("TimeOut", -24 * 7), at(0)));
        assert!(!failed_recently(&action("TimeOut", -24 * 7 - 1), at(0)));
        let device = |risk: &str| Machine {
            risk_score: Some(RiskScore::parse(risk)),
            ..Default::default()
        };
        assert!(is_at_risk(&device("Medium")) && is_at_risk(&device("high")));
        assert!(!is_at_risk(&device("Low")) && !is_at_risk(&Machine::default()));
        let incident = |created: Option<i64>, updated: Option<i64>| Incident {
            created_date_time: created.map(at),
            last_update_date_time: updated.map(at),
            status: Some(IncidentStatus::Resolved),
            ..Default::default()
        };
        assert!(is_new_incident(&incident(Some(-23), None), at(0)));
        assert!(!is_new_incident(&incident(Some(-24), None), at(0)));
        assert!(!updated_recently(&incident(None, None), at(0)));
        assert!(updated_recently(&incident(None, Some(-24 * 30)), at(0)));
    }
}
