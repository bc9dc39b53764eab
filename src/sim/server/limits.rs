//! Server-side rate limits per documented endpoint family, as sliding windows. A request over
//! the limit gets 429 `TooManyRequests` with `Retry-After` seconds.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// A documented limit: calls per minute and per hour (0 = none).
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub family: &'static str,
    pub per_min: usize,
    pub per_hour: usize,
}

/// Most MDE calls.
pub const MDE: Limit = Limit {
    family: "mde",
    per_min: 100,
    per_hour: 1500,
};
/// `runliveresponse`.
pub(crate) const LIVE_RESPONSE: Limit = Limit {
    family: "liveresponse",
    per_min: 10,
    per_hour: 0,
};
/// `startInvestigation`.
pub(crate) const INVESTIGATION: Limit = Limit {
    family: "investigation",
    per_min: 0,
    per_hour: 50,
};
/// `getPackageUri`.
pub(crate) const PACKAGE: Limit = Limit {
    family: "package",
    per_min: 2,
    per_hour: 120,
};
/// `deviceavinfo`.
pub(crate) const AVINFO: Limit = Limit {
    family: "deviceavinfo",
    per_min: 30,
    per_hour: 1000,
};
/// `machines/{id}/vulnerabilities`.
pub(crate) const MACHINE_VULNS: Limit = Limit {
    family: "machinevulns",
    per_min: 50,
    per_hour: 1500,
};
/// Vulnerability management (scores, recommendations, vulnerabilities, software,
/// remediation activities): their pages document no limit.
pub const TVM: Limit = Limit {
    family: "tvm",
    per_min: 0,
    per_hour: 0,
};
/// Graph `/security`.
pub(crate) const GRAPH: Limit = Limit {
    family: "graph",
    per_min: 150,
    per_hour: 0,
};

/// Call history per family.
#[derive(Debug, Default)]
pub struct Limits {
    calls: HashMap<&'static str, VecDeque<Instant>>,
}

impl Limits {
    /// Records a call, or answers the seconds to wait when the family is over its limit.
    pub fn check(&mut self, l: Limit, now: Instant) -> Result<(), u64> {
        if l.per_min == 0 && l.per_hour == 0 {
            return Ok(());
        }
        let q = self.calls.entry(l.family).or_default();
        while q
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(3600))
        {
            q.pop_front();
        }
        for (limit, window) in [(l.per_min, 60u64), (l.per_hour, 3600)] {
            if limit == 0 {
                continue;
            }
            let in_window: Vec<&Instant> = q
                .iter()
                .filter(|t| now.duration_since(**t) < Duration::from_secs(window))
                .collect();
            if in_window.len() >= limit {
                let oldest = in_window[in_window.len() - limit];
                let wait = window
                    .saturating_sub(now.duration_since(*oldest).as_secs())
                    .max(1);
                return Err(wait);
            }
        }
        q.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn third_package_call_waits() {
        let mut l = Limits::default();
        let t = Instant::now();
        assert!(l.check(PACKAGE, t).is_ok());
        assert!(l.check(PACKAGE, t).is_ok());
        assert!(l.check(PACKAGE, t).unwrap_err() >= 1);
    }
}
