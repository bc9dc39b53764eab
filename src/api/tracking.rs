//! Following sent machine actions to their end: the one poller behind the console's tracker
//! and `socops action ID wait`.
//!
//! Each cycle reads every action that is due with ONE filtered list request per batch
//! (`machineactions?$filter=id eq 'a' or id eq 'b' …`), not one GET per action: `id` is among
//! the documented filterable fields of the list
//! (https://learn.microsoft.com/en-us/defender-endpoint/api/get-machineactions-collection:
//! "$filter on … id, status, machineId, type, requestor, creationDateTimeUtc"). Each action
//! backs off on its own (2 s doubling to 30 s), and one still pending after ten minutes (an
//! offline device can keep an action Pending for days) is read only every five minutes.
//! Every request goes through the client, so through its API budget.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::time::Instant;

use crate::api::calls::{machine_actions, odata};
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::model::ActionStatus;

/// How often actions are read.
#[derive(Debug, Clone)]
pub(crate) struct PollPolicy {
    /// First read after the action was added; the delay doubles up to `max`.
    pub first: Duration,
    pub max: Duration,
    /// An action pending this long is read only every `long_every`.
    pub long_after: Duration,
    pub long_every: Duration,
    /// Ids per filtered request (the URL stays short: about 50 characters an id).
    pub batch: usize,
    /// Failed reads in a row after which an action is no longer followed.
    pub max_errors: u32,
    /// Reads in a row that did not list an action before it is reported gone (a list may
    /// lag a moment behind the action it just created).
    pub max_missing: u32,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            first: Duration::from_secs(2),
            max: Duration::from_secs(30),
            long_after: Duration::from_secs(10 * 60),
            long_every: Duration::from_secs(5 * 60),
            batch: 25,
            max_errors: 10,
            max_missing: 3,
        }
    }
}

impl PollPolicy {
    /// The delay after a read that found the action still running: doubled up to `max`, or
    /// `long_every` once it has been pending for `long_after`.
    pub(crate) fn next_delay(&self, delay: Duration, pending_for: Duration) -> Duration {
        if pending_for >= self.long_after {
            self.long_every
        } else {
            (delay * 2).min(self.max).max(self.first.min(self.max))
        }
    }
}

/// What one cycle learnt about one action.
#[derive(Debug)]
pub enum Update {
    /// The action as read; `terminal` when it ended (it is no longer followed).
    Status {
        id: String,
        status: ActionStatus,
        terminal: bool,
        record: Box<RawValue>,
    },
    /// The service no longer lists the action.
    Gone { id: String },
    /// Reads kept failing; the action is no longer followed. The last error.
    Stopped { id: String, error: ApiError },
}

struct Entry {
    next: Instant,
    delay: Duration,
    added: Instant,
    errors: u32,
    missing: u32,
}

/// The actions being followed and when each is next read.
pub(crate) struct Poller {
    entries: BTreeMap<String, Entry>,
    policy: PollPolicy,
}

/// Actions due within this much of the earliest one join its request.
const SLACK: Duration = Duration::from_millis(500);

#[derive(Deserialize)]
struct Head {
    id: String,
    status: Option<String>,
}

impl Poller {
    pub(crate) fn new(policy: PollPolicy) -> Self {
        Poller {
            entries: BTreeMap::new(),
            policy,
        }
    }

    /// Follow `id` (again); its first read is `policy.first` from now.
    pub(crate) fn add(&mut self, id: &str) {
        let now = Instant::now();
        self.entries.insert(
            id.trim().to_string(),
            Entry {
                next: now + self.policy.first,
                delay: self.policy.first,
                added: now,
                errors: 0,
                missing: 0,
            },
        );
    }

    /// Follow `id` with its first read due now (`action ID wait` reads at once).
    pub(crate) fn add_now(&mut self, id: &str) {
        self.add(id);
        if let Some(e) = self.entries.get_mut(id.trim()) {
            e.next = e.added;
        }
    }

    /// When the next read is due (`None`: nothing to follow).
    pub(crate) fn next_due(&self) -> Option<Instant> {
        self.entries.values().map(|e| e.next).min()
    }

    /// Read every action due now (one filtered request per batch) and report what changed.
    pub(crate) async fn poll(&mut self, client: &Client) -> Vec<Update> {
        let now = Instant::now();
        let due: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| e.next <= now + SLACK)
            .map(|(id, _)| id.clone())
            .collect();
        let mut updates = Vec::new();
        for batch in due.chunks(self.policy.batch.max(1)) {
            match read_batch(client, batch).await {
                Ok(records) => self.settle(batch, records, &mut updates),
                Err(e) => self.failed(batch, &e, &mut updates),
            }
        }
        updates
    }

    fn reschedule(&mut self, id: &str) {
        let now = Instant::now();
        if let Some(e) = self.entries.get_mut(id) {
            e.delay = self.policy.next_delay(e.delay, now - e.added);
            e.next = now + e.delay;
        }
    }

    fn settle(&mut self, batch: &[String], records: Vec<Box<RawValue>>, out: &mut Vec<Update>) {
        let mut seen = Vec::new();
        for record in records {
            // A record that does not even carry an id cannot be matched to an action.
            let Ok(head) = serde_json::from_str::<Head>(record.get()) else {
                continue;
            };
            let Some(id) = batch.iter().find(|b| b.eq_ignore_ascii_case(&head.id)) else {
                continue;
            };
            seen.push(id.clone());
            let status = head
                .status
                .as_deref()
                .map_or(ActionStatus::Other("Unknown".into()), ActionStatus::parse);
            let terminal = status.is_terminal();
            if terminal {
                self.entries.remove(id);
            } else if let Some(e) = self.entries.get_mut(id) {
                e.errors = 0;
                e.missing = 0;
                self.reschedule(&id.clone());
            }
            out.push(Update::Status {
                id: id.clone(),
                status,
                terminal,
                record,
            });
        }
        for id in batch.iter().filter(|id| !seen.contains(id)) {
            let Some(e) = self.entries.get_mut(id) else {
                continue;
            };
            e.missing += 1;
            if e.missing >= self.policy.max_missing {
                self.entries.remove(id);
                out.push(Update::Gone { id: id.clone() });
            } else {
                self.reschedule(id);
            }
        }
    }

    fn failed(&mut self, batch: &[String], error: &ApiError, out: &mut Vec<Update>) {
        for id in batch {
            let Some(e) = self.entries.get_mut(id) else {
                continue;
            };
            // Transient or not, a few failures in a row are retried after the next delay; a
            // lasting one stops following visibly.
            e.errors += 1;
            if e.errors >= self.policy.max_errors {
                self.entries.remove(id);
                out.push(Update::Stopped {
                    id: id.clone(),
                    error: error.clone(),
                });
            } else {
                self.reschedule(id);
            }
        }
    }
}

/// One filtered list request for `ids` (every page of it).
async fn read_batch(client: &Client, ids: &[String]) -> Result<Vec<Box<RawValue>>, ApiError> {
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    machine_actions(Some(odata::any_of("id", &refs)))
        .for_each_raw(client, None, |page| {
            out.extend(page);
            Ok(())
        })
        .await?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_pending_actions_are_read_every_few_minutes() {
        let p = PollPolicy::default();
        let mut d = p.first;
        for _ in 0..10 {
            d = p.next_delay(d, Duration::from_secs(60));
        }
        assert_eq!(d, Duration::from_secs(30));
        // An offline device's action, pending for hours: minutes between reads.
        assert_eq!(
            p.next_delay(d, Duration::from_secs(3 * 3600)),
            Duration::from_secs(300)
        );
    }
}
