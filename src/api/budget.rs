//! Client-side request budgets per endpoint family, as Microsoft documents them, so socops
//! slows itself down before the service has to answer 429.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::time::Instant;

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
    pub(crate) fn classify(resource: Resource, method: &str, path: &str) -> Family {
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

/// A sliding log of the start times of the calls of the last hour: exact, so no 60-second
/// window ever holds more calls than the per-minute limit (a token bucket lets a full burst
/// and its refill land in the same minute, nearly twice the limit).
#[derive(Default)]
struct Window {
    starts: VecDeque<Instant>,
}

impl Window {
    fn prune(&mut self, now: Instant) {
        while self
            .starts
            .front()
            .is_some_and(|s| now.saturating_duration_since(*s) >= HOUR)
        {
            self.starts.pop_front();
        }
    }

    /// Calls started within `span` before `now`.
    fn within(&self, now: Instant, span: Duration) -> usize {
        self.starts
            .iter()
            .rev()
            .take_while(|s| now.saturating_duration_since(**s) < span)
            .count()
    }

    /// How long until fewer than `cap` calls fall within `span` (zero: now).
    fn wait_for(&self, now: Instant, span: Duration, cap: u32) -> Duration {
        let cap = cap as usize;
        let n = self.within(now, span);
        if n < cap {
            return Duration::ZERO;
        }
        // The call that must leave the window for one more to fit.
        let idx = self.starts.len() - n + (n - cap);
        let leaves = self.starts[idx] + span;
        leaves
            .saturating_duration_since(now)
            .max(Duration::from_millis(1))
    }
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

/// Who is asking: the analyst's own actions, or background work (tracking, refresh).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Priority {
    /// Sent because the analyst asked for it now (actions and their look-ups, headless
    /// commands). May use the whole budget and goes before background work.
    #[default]
    Interactive,
    /// Tracking and periodic refresh: never takes the reserved headroom, and waits while an
    /// interactive call is waiting.
    Background,
}

/// The part of a budget background work may not take: a fifth of it (none for budgets of
/// fewer than five calls), so the analyst's next action is never stuck behind tracking.
pub(crate) fn reserved(limit: u32) -> u32 {
    if limit >= 5 { limit / 5 } else { 0 }
}

struct FamilyBudget {
    window: Mutex<Window>,
    /// Interactive callers waiting for a call of this family right now.
    interactive_waiting: AtomicUsize,
}

/// How long a caller may wait for its budget before socops gives up and reports throttling.
pub(crate) const MAX_BUDGET_WAIT: Duration = Duration::from_secs(30);

/// Budgets for every family; one per client (so one per tenant). Times come from tokio's
/// clock, so tests run it on a paused clock.
pub struct Budgets {
    families: Vec<(Family, FamilyBudget)>,
    /// Every request sent (all families, retries and pages), for the meter.
    sent: Mutex<Window>,
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

/// Decrements the interactive-waiting count when the waiter leaves (also when cancelled).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Budgets {
    pub fn new() -> Self {
        let families = Family::ALL
            .iter()
            .map(|&f| {
                (
                    f,
                    FamilyBudget {
                        window: Mutex::new(Window::default()),
                        interactive_waiting: AtomicUsize::new(0),
                    },
                )
            })
            .collect();
        Budgets {
            families,
            sent: Mutex::new(Window::default()),
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

    /// Take one call now, or say how long to wait before trying again.
    fn try_take(&self, family: Family, priority: Priority, now: Instant) -> Result<(), Duration> {
        let b = self.get(family);
        let (m, h) = family.limits();
        if m == u32::MAX && h == u32::MAX {
            // No documented limit: nothing to hold back, nothing to remember.
            return Ok(());
        }
        let (m, h) = match priority {
            Priority::Interactive => (m, h),
            Priority::Background => (m - reserved(m), h - reserved(h)),
        };
        let mut w = b.window.lock().unwrap_or_else(|p| p.into_inner());
        w.prune(now);
        let wait = w
            .wait_for(now, MINUTE, m.max(1))
            .max(w.wait_for(now, HOUR, h.max(1)));
        if !wait.is_zero() {
            return Err(wait);
        }
        if priority == Priority::Background && b.interactive_waiting.load(Ordering::SeqCst) > 0 {
            // The analyst is waiting for the next free call: let them have it.
            return Err(Duration::from_millis(100));
        }
        w.starts.push_back(now);
        Ok(())
    }

    /// Take one call from the family's budget, waiting (on tokio's clock) while it is spent.
    /// After every wait the budget is checked again: a call freed while this caller slept
    /// may have gone to another, and then this caller waits again. `Ok(waited)` once a call
    /// is taken; `Err(wait)` when the next free call is further away than `max_wait` allows.
    pub async fn acquire(
        &self,
        family: Family,
        priority: Priority,
        max_wait: Duration,
    ) -> Result<Duration, Duration> {
        let start = Instant::now();
        let b = self.get(family);
        let _waiting = (priority == Priority::Interactive).then(|| {
            b.interactive_waiting.fetch_add(1, Ordering::SeqCst);
            Waiting(&b.interactive_waiting)
        });
        loop {
            let now = Instant::now();
            let wait = match self.try_take(family, priority, now) {
                Ok(()) => return Ok(now - start),
                Err(wait) => wait,
            };
            let waited = now - start;
            if waited + wait > max_wait {
                return Err(waited + wait);
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Record one request actually sent (token requests of this tenant included).
    pub(crate) fn note_sent(&self) {
        let now = Instant::now();
        let mut w = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        w.prune(now);
        w.starts.push_back(now);
    }

    /// Every request sent in the last minute, whatever its family.
    pub(crate) fn sent_last_minute(&self) -> u32 {
        let now = Instant::now();
        let mut w = self.sent.lock().unwrap_or_else(|p| p.into_inner());
        w.prune(now);
        w.within(now, MINUTE) as u32
    }

    /// Calls in the last minute against the given family's per-minute limit.
    pub fn usage(&self, family: Family) -> Usage {
        let now = Instant::now();
        let mut w = self
            .get(family)
            .window
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        w.prune(now);
        Usage {
            used_last_minute: w.within(now, MINUTE) as u32,
            per_minute: family.limits().0,
        }
    }
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

    #[tokio::test(start_paused = true)]
    async fn vulnerability_management_does_not_spend_the_machine_budget() {
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
            assert_eq!(
                b.acquire(Family::Tvm, Priority::Background, Duration::ZERO)
                    .await,
                Ok(Duration::ZERO)
            );
        }
        assert_eq!(b.usage(Family::Mde).used_last_minute, 0);
    }

    #[tokio::test(start_paused = true)]
    async fn package_uri_budget_refuses_the_third_call_in_a_minute() {
        let b = Budgets::new();
        let i = Priority::Interactive;
        assert_eq!(
            b.acquire(Family::PackageUri, i, Duration::ZERO).await,
            Ok(Duration::ZERO)
        );
        assert_eq!(
            b.acquire(Family::PackageUri, i, Duration::ZERO).await,
            Ok(Duration::ZERO)
        );
        let third = b
            .acquire(Family::PackageUri, i, Duration::from_secs(1))
            .await;
        assert!(third.is_err(), "third call must wait ~60 s: {third:?}");
        assert_eq!(b.usage(Family::PackageUri).used_last_minute, 2);
    }

    #[tokio::test(start_paused = true)]
    async fn background_work_leaves_the_reserved_headroom() {
        let b = Budgets::new();
        let bg = Priority::Background;
        for _ in 0..80 {
            assert_eq!(
                b.acquire(Family::Mde, bg, Duration::ZERO).await,
                Ok(Duration::ZERO)
            );
        }
        assert!(b.acquire(Family::Mde, bg, Duration::ZERO).await.is_err());
        // The analyst still has 20 calls this minute.
        for _ in 0..20 {
            assert_eq!(
                b.acquire(Family::Mde, Priority::Interactive, Duration::ZERO)
                    .await,
                Ok(Duration::ZERO)
            );
        }
        assert!(
            b.acquire(Family::Mde, Priority::Interactive, Duration::ZERO)
                .await
                .is_err()
        );
    }
}
