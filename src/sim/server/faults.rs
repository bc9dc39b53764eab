//! Fault injection: counters a test or a script arms, consumed by the next requests.

use serde::Deserialize;
use std::sync::atomic::{AtomicU16, AtomicU32, AtomicU64, Ordering};

/// Switchable faults (all atomics; cheap to share).
#[derive(Debug, Default)]
pub struct Faults {
    fail_n: AtomicU32,
    fail_status: AtomicU16,
    retry_after: AtomicU64,
    latency_ms: AtomicU64,
    truncate_n: AtomicU32,
    malformed_n: AtomicU32,
    empty_n: AtomicU32,
    expire_n: AtomicU32,
}

/// What to do to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (429 carries `Retry-After`).
    Fail { status: u16, retry_after: u64 },
    /// Answer 401 as if the token had expired.
    Expired,
    /// Cut the body in the middle.
    Truncate,
    /// Send a body that is not JSON.
    Malformed,
    /// Send the status with an empty body (the request was handled).
    Empty,
}

fn take(c: &AtomicU32) -> bool {
    c.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

impl Faults {
    /// The next `n` requests fail with `status` (429 gets `Retry-After: 1`, or 5xx).
    pub fn fail_next(&self, n: u32, status: u16) {
        self.fail_status.store(status, Ordering::SeqCst);
        self.retry_after.store(1, Ordering::SeqCst);
        self.fail_n.store(n, Ordering::SeqCst);
    }
    /// The next `n` requests answer 429 with `Retry-After: retry_after_secs`.
    pub fn throttle_next(&self, n: u32, retry_after_secs: u64) {
        self.fail_status.store(429, Ordering::SeqCst);
        self.retry_after.store(retry_after_secs, Ordering::SeqCst);
        self.fail_n.store(n, Ordering::SeqCst);
    }
    /// Delay every response by `ms` milliseconds (0 = off).
    pub fn set_latency(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::SeqCst);
    }
    /// The next `n` JSON bodies are cut in the middle.
    pub fn truncate_next(&self, n: u32) {
        self.truncate_n.store(n, Ordering::SeqCst);
    }
    /// The next `n` bodies are not JSON.
    pub fn malformed_next(&self, n: u32) {
        self.malformed_n.store(n, Ordering::SeqCst);
    }
    /// The next `n` bodies are empty (the requests were handled: a POST was performed).
    pub fn empty_next(&self, n: u32) {
        self.empty_n.store(n, Ordering::SeqCst);
    }
    /// The next `n` API requests answer 401 as if the token had expired.
    pub fn expire_tokens_next(&self, n: u32) {
        self.expire_n.store(n, Ordering::SeqCst);
    }
    /// Switch every fault off.
    pub fn clear(&self) {
        for c in [
            &self.fail_n,
            &self.truncate_n,
            &self.malformed_n,
            &self.empty_n,
            &self.expire_n,
        ] {
            c.store(0, Ordering::SeqCst);
        }
        self.latency_ms.store(0, Ordering::SeqCst);
    }
    /// The configured latency.
    pub(crate) fn latency_ms(&self) -> u64 {
        self.latency_ms.load(Ordering::SeqCst)
    }
    /// Consumes the fault (if any) that applies before the request is handled.
    pub fn before(&self) -> Option<Fault> {
        if take(&self.expire_n) {
            return Some(Fault::Expired);
        }
        if take(&self.fail_n) {
            return Some(Fault::Fail {
                status: self.fail_status.load(Ordering::SeqCst),
                retry_after: self.retry_after.load(Ordering::SeqCst),
            });
        }
        None
    }
    /// Consumes the fault (if any) that applies to the response body.
    pub fn after(&self) -> Option<Fault> {
        if take(&self.truncate_n) {
            return Some(Fault::Truncate);
        }
        if take(&self.malformed_n) {
            return Some(Fault::Malformed);
        }
        if take(&self.empty_n) {
            return Some(Fault::Empty);
        }
        None
    }

    /// Applies a `POST /_sim/faults` request.
    pub fn apply(&self, req: &FaultRequest) {
        if req.clear {
            self.clear();
        }
        if let Some(n) = req.fail_next {
            self.fail_next(n, req.status.unwrap_or(500));
        }
        if let Some(n) = req.throttle_next {
            self.throttle_next(n, req.retry_after.unwrap_or(1));
        }
        if let Some(ms) = req.latency_ms {
            self.set_latency(ms);
        }
        if let Some(n) = req.truncate_next {
            self.truncate_next(n);
        }
        if let Some(n) = req.malformed_next {
            self.malformed_next(n);
        }
        if let Some(n) = req.empty_next {
            self.empty_next(n);
        }
        if let Some(n) = req.expire_tokens_next {
            self.expire_tokens_next(n);
        }
    }
}

/// The JSON body of `POST /_sim/faults`, e.g. `{"throttle_next": 3, "retry_after": 2}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FaultRequest {
    pub clear: bool,
    pub fail_next: Option<u32>,
    pub status: Option<u16>,
    pub throttle_next: Option<u32>,
    pub retry_after: Option<u64>,
    pub latency_ms: Option<u64>,
    pub truncate_next: Option<u32>,
    pub malformed_next: Option<u32>,
    pub empty_next: Option<u32>,
    pub expire_tokens_next: Option<u32>,
}
