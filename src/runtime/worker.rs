//! The IO worker: executes `Load` commands through the API client, a few at a time, and
//! answers every one with data or a visible error, tagged with its request id.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{Semaphore, mpsc};

use crate::api::Client;
use crate::app::{LoadError, Msg, RequestId, ResourceKind};
use crate::runtime::fetch::fetch;

/// How many requests run at once (the API budgets are per minute; this keeps bursts short).
pub const CONCURRENCY: usize = 4;

/// Runs loads in the background.
#[derive(Clone)]
pub struct Worker {
    client: Client,
    tx: mpsc::UnboundedSender<Msg>,
    permits: Arc<Semaphore>,
}

impl Worker {
    /// A worker that reports to `tx`.
    pub fn new(client: Client, tx: mpsc::UnboundedSender<Msg>) -> Self {
        Worker {
            client,
            tx,
            permits: Arc::new(Semaphore::new(CONCURRENCY)),
        }
    }

    /// Start loading a resource; the answer arrives on the channel.
    pub fn load(&self, kind: ResourceKind, id: RequestId) {
        let w = self.clone();
        tokio::spawn(async move {
            let msg = match w.permits.acquire().await {
                Ok(_permit) => match fetch(&w.client, kind, Utc::now()).await {
                    Ok(payload) => Msg::Loaded {
                        id,
                        at: Utc::now(),
                        payload: Box::new(payload),
                    },
                    Err(e) => Msg::LoadFailed {
                        id,
                        at: Utc::now(),
                        kind,
                        error: LoadError {
                            text: e.to_string(),
                            code: e.code().map(str::to_string),
                            correlation_id: e.correlation_id().map(str::to_string),
                        },
                    },
                },
                Err(_) => return,
            };
            let _ = w.tx.send(msg);
            let u = w.client.budget_usage();
            let _ = w.tx.send(Msg::Budget {
                used: u.used_last_minute,
                per_minute: u.per_minute,
            });
        });
    }
}
