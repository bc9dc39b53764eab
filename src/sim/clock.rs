//! The simulator's clock: a fixed or real start instant plus real elapsed time multiplied by
//! `time_scale`. Everything time-driven (action progress, investigations) is computed lazily
//! from it, so nothing runs in the background.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Instant;

/// Simulated wall clock.
#[derive(Debug, Clone)]
pub struct Clock {
    start: DateTime<Utc>,
    /// The instant generated data is relative to (see [`Clock::anchor`]).
    anchor: DateTime<Utc>,
    real_start: Instant,
    scale: f64,
    /// Simulated microseconds added by [`Clock::advance`]; shared by clones so a test can
    /// move the server's clock without waiting.
    offset_us: Arc<AtomicI64>,
}

impl Clock {
    /// A clock that starts at `start` (or the real time) and runs `scale` times faster; a
    /// `scale` of 0 stands still until [`Clock::advance`] moves it (tests that must not
    /// depend on how fast the machine is). Anything that is not a number ≥ 0 runs in real time.
    pub fn new(start: Option<DateTime<Utc>>, scale: f64) -> Self {
        let scale = if scale.is_finite() && scale >= 0.0 {
            scale
        } else {
            1.0
        };
        let now = Utc::now();
        Clock {
            start: start.unwrap_or(now),
            anchor: start.unwrap_or_else(|| hour_start(now)),
            real_start: Instant::now(),
            scale,
            offset_us: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Jump the simulated time forward (tests step actions through their life cycle this
    /// way instead of sleeping).
    pub fn advance(&self, by: Duration) {
        let us = by.num_microseconds().unwrap_or(i64::MAX).max(0);
        self.offset_us.fetch_add(us, Ordering::SeqCst);
    }

    /// The instant the tenant was generated at.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The instant the tenant's data is generated relative to: the fixed start, else the
    /// start of the current UTC hour, so two runs within the hour serve identical data
    /// (the console's "since last run" marks then show real changes only) while actions
    /// still progress on the real clock.
    pub(crate) fn anchor(&self) -> DateTime<Utc> {
        self.anchor
    }

    /// The current simulated time.
    pub fn now(&self) -> DateTime<Utc> {
        let real = self.real_start.elapsed().as_secs_f64() * self.scale;
        let offset = self.offset_us.load(Ordering::SeqCst);
        self.start + Duration::microseconds((real * 1_000_000.0) as i64 + offset)
    }
}

/// The start of `t`'s UTC hour.
pub(crate) fn hour_start(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::{DurationRound, TimeDelta};
    t.duration_trunc(TimeDelta::hours(1)).unwrap_or(t)
}

/// Formats like .NET's round-trip format with trailing zeros trimmed: 0–7 fractional digits
/// and a `Z`, as Defender does.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    let base = t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let ticks = t.timestamp_subsec_nanos() / 100;
    if ticks == 0 {
        return base;
    }
    let frac = format!("{ticks:07}");
    let frac = frac.trim_end_matches('0');
    format!("{}.{}Z", &base[..base.len() - 1], frac)
}

/// Optional timestamp as JSON.
pub(crate) fn ts_opt(t: Option<DateTime<Utc>>) -> serde_json::Value {
    t.map(|t| serde_json::Value::String(ts(t)))
        .unwrap_or(serde_json::Value::Null)
}

/// Seconds (possibly fractional) as a chrono duration.
pub fn secs(s: f64) -> Duration {
    Duration::microseconds((s * 1_000_000.0) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_clock_anchors_generated_data_to_the_hour() {
        let c = Clock::new(None, 1.0);
        assert_eq!(c.anchor(), hour_start(c.start()));
        assert!(c.anchor() <= c.start());
        assert_eq!(c.anchor().timestamp() % 3600, 0);
        let fixed = DateTime::parse_from_rfc3339("2026-03-11T07:31:09Z")
            .unwrap()
            .to_utc();
        assert_eq!(Clock::new(Some(fixed), 1.0).anchor(), fixed);
    }

    #[test]
    fn a_zero_scale_stands_still_until_advanced() {
        let fixed = DateTime::parse_from_rfc3339("2026-03-11T07:31:09Z")
            .unwrap()
            .to_utc();
        let c = Clock::new(Some(fixed), 0.0);
        assert_eq!(c.scale, 0.0, "0 is a standing clock, not real time");
        assert_eq!(c.now(), fixed);
        c.advance(secs(4.5));
        assert_eq!(c.now(), fixed + Duration::milliseconds(4500));
        assert_eq!(Clock::new(Some(fixed), f64::NAN).scale, 1.0);
        assert_eq!(Clock::new(Some(fixed), -2.0).scale, 1.0);
    }

    #[test]
    fn trims_fraction() {
        let t = DateTime::parse_from_rfc3339("2026-03-11T07:31:09.4417302Z")
            .unwrap()
            .to_utc();
        assert_eq!(ts(t), "2026-03-11T07:31:09.4417302Z");
        let t = DateTime::parse_from_rfc3339("2026-03-11T07:31:09.5Z")
            .unwrap()
            .to_utc();
        assert_eq!(ts(t), "2026-03-11T07:31:09.5Z");
        let t = DateTime::parse_from_rfc3339("2026-03-11T07:31:09Z")
            .unwrap()
            .to_utc();
        assert_eq!(ts(t), "2026-03-11T07:31:09Z");
    }
}
