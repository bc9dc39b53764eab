//! Client-side request budgets per endpoint family, as Microsoft documents them, so socops
//! slows itself down before the service has to answer 429.

use std::collections::VecDeque;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};

use crate::api::cloud::Resource;

/// The endpoint families that have budgets of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Most MDE calls: 100/min, 1,500/h.
    Mde,
    /// `GET /api/machines/{id}/vulnerabilities`: 50/min, 1,500/h.
    MachineVulnerabilities,
    /// `POST /api/machines/{id}/runliveresponse`: 10/min.
    LiveResponse,
    /// `POST /api/machines/{id}/startInvestigation`: 50/h.
    StartInvestigation,
    /// `GET /api/machineactions/{id}/getPackageUri`: 2/min, 120/h.
    PackageUri,
    /// `GET /api/deviceavinfo`: 30/min, 1,000/h.
    DeviceAvInfo,
    /// `POST /api/alerts/batchUpdate`: 10/min, 500/h.
    AlertBatchUpdate,
    /// Graph `/security/*`: 150/min.
    GraphSecurity,
    /// Vulnerability management (exposure and configuration score, recommendations,
    /// vulnerabilities, software, remediation activities): their pages document no rate
    /// limit, so they must not spend the machine APIs' 100/min.
    Tvm,
}

impl Family {
    pub const ALL: [Family; 9] = [
        Family::Mde,
        Family::MachineVulnerabilities,
        Family::LiveResponse,
        Family::StartInvestigation,
        Family::PackageUri,
        Family::DeviceAvInfo,
        Family::AlertBatchUpdate,
        Family::GraphSecurity,
        Family::Tvm,
    ];

    /// (calls per minute, calls per hour) as documented.
    pub fn limits(self) -> (u32, u32) {
        match self {
            Family::Mde => (100, 1500),
            Family::MachineVulnerabilities => (50, 1500),
            Family::LiveResponse => (10, 600),
            Family::StartInvestigation => (50, 50),
            Family::PackageUri => (2, 120),
            Family::DeviceAvInfo => (30, 1000),
            Family::AlertBatchUpdate => (10, 500),
            Family::GraphSecurity => (150, 9000),
            // No documented limit: a ceiling that never makes socops wait (the service's own
            // 429, if it ever sends one, is still honoured by the client).
            Family::Tvm => (u32::MAX, u32::MAX),
        }
    }

    /// Classify a request. `path` is the part after `/api/` (MDE) or `/v1.0/` (Graph),
    /// with or without the query string.
    pub fn classify(resource: Resource, method: &str, path: &str) -> Family {
        if resource == Resource::Graph {
            return Family::GraphSecurity;
        }
        let p = path.split('?').next().unwrap_or("").to_ascii_lowercase();
        let post = method.eq_ignore_ascii_case("POST");
        if p.starts_with("machines/") && p.ends_with("/vulnerabilities") {
            Family::MachineVulnerabilities
        } else if post && p.ends_with("/runliveresponse") {
            Family::LiveResponse
        } else if post && p.ends_with("/startinvestigation") {
            Family::StartInvestigation
        } else if p.ends_with("/getpackageuri") {
            Family::PackageUri
        } else if p.starts_with("deviceavinfo") {
            Family::DeviceAvInfo
        } else if post && p == "alerts/batchupdate" {
            Family::AlertBatchUpdate
        } else if is_tvm(&p) {
            Family::Tvm
        } else {
            Family::Mde
        }
    }
}

/// The vulnerability-management collections (research §4.9): `exposureScore`,
/// `configurationScore`, `recommendations…`, `vulnerabilities…`, `software…`,
/// `remediationTasks…`, with or without the `v1.0/` version segment. Their pages (e.g.
/// https://learn.microsoft.com/en-us/defender-endpoint/api/get-all-recommendations) list no
/// rate limit, unlike the machine and alert pages. `machines/{id}/vulnerabilities` has its
/// own documented limit and is not one of these.
fn is_tvm(lower_path: &str) -> bool {
    let p = lower_path.strip_prefix("v1.0/").unwrap_or(lower_path);
    let noun = p.split(['/', '(']).next().unwrap_or("");
    matches!(
        noun,
        "exposurescore"
            | "configurationscore"
            | "recommendations"
            | "vulnerabilities"
            | "software"
            | "remediationtasks"
    )
}

type Limiter = RateLimiter<
    governor::state::NotKeyed,
    governor::state::InMemoryState,
    DefaultClock,
    governor::middleware::NoOpMiddleware,
>;

struct FamilyBudget {
    per_minute: Limiter,
    per_hour: Limiter,
    /// Start times of the calls of the last minute, for the status line.
    recent: Mutex<VecDeque<Instant>>,
}

/// How long a caller may wait for its budget before socops gives up and reports throttling.
pub const MAX_BUDGET_WAIT: Duration = Duration::from_secs(30);

/// Budgets for every family; one per client (so one per tenant).
pub struct Budgets {
    families: Vec<(Family, FamilyBudget)>,
    clock: DefaultClock,
}

/// Calls made in the last minute against a family's per-minute limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub used_last_minute: u32,
    pub per_minute: u32,
}

impl Default for Budgets {
    fn default() -> Self {
        Self::new()
    }
}

impl Budgets {
    pub fn new() -> Self {
        let families = Family::ALL
            .iter()
            .map(|&f| {
                let (m, h) = f.limits();
                let per_minute = RateLimiter::direct(Quota::per_minute(nz(m)));
                let per_hour = RateLimiter::direct(Quota::per_hour(nz(h)));
                (
                    f,
                    FamilyBudget {
                        per_minute,
                        per_hour,
                        recent: Mutex::new(VecDeque::new()),
                    },
                )
            })
            .collect();
        Budgets {
            families,
            clock: DefaultClock::default(),
        }
    }

    fn get(&self, family: Family) -> &FamilyBudget {
        // ALL covers every variant, so the lookup always succeeds.
        &self
            .families
            .iter()
            .find(|(f, _)| *f == family)
            .unwrap_or(&self.families[0])
            .1
    }

    /// Take one call from the family's budget. `Ok(Duration::ZERO)` when there was budget;
    /// `Ok(wait)` when the caller must first sleep `wait` (the call is then counted);
    /// `Err(wait)` when the wait would exceed `max_wait`.
    pub fn acquire(&self, family: Family, max_wait: Duration) -> Result<Duration, Duration> {
        let b = self.get(family);
        let now = self.clock.now();
        let mut wait = Duration::ZERO;
        for limiter in [&b.per_hour, &b.per_minute] {
            if let Err(not_until) = limiter.check() {
                wait = wait.max(not_until.wait_time_from(now));
            }
        }
        if wait > max_wait {
            return Err(wait);
        }
        if wait > Duration::ZERO {
            // Reserve the cell the caller will use after sleeping; a racing caller may take
            // it first, in which case the next call simply waits again.
            let _ = b.per_minute.check();
        }
        let mut recent = b.recent.lock().unwrap_or_else(|p| p.into_inner());
        let t = Instant::now();
        recent.push_back(t + wait);
        while recent
            .front()
            .is_some_and(|s| t.duration_since(*s) > Duration::from_secs(60))
        {
            recent.pop_front();
        }
        Ok(wait)
    }

    /// Calls in the last minute against the given family's per-minute limit.
    pub fn usage(&self, family: Family) -> Usage {
        let b = self.get(family);
        let mut recent = b.recent.lock().unwrap_or_else(|p| p.into_inner());
        let t = Instant::now();
        while recent
            .front()
            .is_some_and(|s| t.saturating_duration_since(*s) > Duration::from_secs(60))
        {
            recent.pop_front();
        }
        Usage {
            used_last_minute: recent.len() as u32,
            per_minute: family.limits().0,
        }
    }
}

fn nz(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_documented_families() {
        assert_eq!(
            Family::classify(Resource::Mde, "POST", "machines/abc/runliveresponse"),
            Family::LiveResponse
        );
        assert_eq!(
            Family::classify(Resource::Mde, "POST", "machines/abc/startInvestigation"),
            Family::StartInvestigation
        );
        assert_eq!(
            Family::classify(Resource::Mde, "GET", "machineactions/x/getPackageUri"),
            Family::PackageUri
        );
        assert_eq!(
            Family::classify(Resource::Mde, "GET", "deviceavinfo?$top=20"),
            Family::DeviceAvInfo
        );
        assert_eq!(
            Family::classify(Resource::Mde, "GET", "machines?$top=1"),
            Family::Mde
        );
        assert_eq!(
            Family::classify(Resource::Graph, "GET", "security/incidents"),
            Family::GraphSecurity
        );
    }

    #[test]
    fn vulnerability_management_does_not_spend_the_machine_budget() {
        for path in [
            "exposureScore",
            "configurationScore",
            "recommendations?$top=100",
            "recommendations/va-_-x-_-y/machineReferences",
            "vulnerabilities",
            "v1.0/vulnerabilities/CVE-2024-1/machineReferences",
            "software",
            "remediationTasks?$filter=status eq 'Active'",
        ] {
            assert_eq!(
                Family::classify(Resource::Mde, "GET", path),
                Family::Tvm,
                "{path}"
            );
        }
        assert_eq!(
            Family::classify(Resource::Mde, "GET", "machines/abc/vulnerabilities"),
            Family::MachineVulnerabilities
        );
        // 150 TVM reads in a row: none waits, and the machine budget is untouched.
        let b = Budgets::new();
        for _ in 0..150 {
            assert_eq!(b.acquire(Family::Tvm, Duration::ZERO), Ok(Duration::ZERO));
        }
        assert_eq!(b.usage(Family::Mde).used_last_minute, 0);
    }

    #[test]
    fn package_uri_budget_refuses_the_third_call_in_a_minute() {
        let b = Budgets::new();
        assert_eq!(
            b.acquire(Family::PackageUri, Duration::ZERO),
            Ok(Duration::ZERO)
        );
        assert_eq!(
            b.acquire(Family::PackageUri, Duration::ZERO),
            Ok(Duration::ZERO)
        );
        let third = b.acquire(Family::PackageUri, Duration::from_secs(1));
        assert!(third.is_err(), "third call must wait ~30 s: {third:?}");
        assert_eq!(b.usage(Family::PackageUri).used_last_minute, 2);
    }
}
