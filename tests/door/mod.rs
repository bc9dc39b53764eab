//! Sending a change in tests: through `api::dispatch` (the only door for writes), with an
//! in-memory audit sink and no duplicate guard, so the simulator's own answers are exercised.

#![allow(dead_code)]

use std::sync::Mutex;

use socops::api::calls::{ActionOutcome, ActionRequest};
use socops::api::dispatch::{
    self, AuditIntent, AuditOutcome, AuditSink, DispatchError, Mode, Origin, Ran,
};
use socops::api::{ApiError, Client};

/// Records what the pipeline wrote, in order.
#[derive(Default)]
pub struct Memory(pub Mutex<Vec<String>>);

impl AuditSink for Memory {
    fn record_intent(
        &self,
        intent: &AuditIntent,
    ) -> Result<String, socops::api::dispatch::SinkError> {
        let mut v = self.0.lock().unwrap();
        v.push(format!("intent {}", intent.action));
        Ok(format!("r{}", v.len()))
    }

    fn record_outcome(
        &self,
        id: &str,
        outcome: &AuditOutcome,
    ) -> Result<(), socops::api::dispatch::SinkError> {
        let mut v = self.0.lock().unwrap();
        v.push(format!("outcome {id} ok={}", outcome.ok));
        Ok(())
    }
}

/// Send `req` once through the pipeline and type the answer; a failure to send is the
/// service's `ApiError`.
pub async fn send(c: &Client, req: &ActionRequest) -> Result<ActionOutcome, ApiError> {
    let mode = Mode {
        dry_run: false,
        read_only: false,
        recover: false,
    };
    let audit = Memory::default();
    match dispatch::run(c, &audit, Origin::default(), req, mode).await {
        Ok(Ran::Sent(d)) => d.outcome(req),
        Ok(Ran::DryRun(_) | Ran::Held(_)) => panic!("neither a dry run nor held"),
        Err(DispatchError::Send(e))
        | Err(DispatchError::Lookup(e))
        | Err(DispatchError::Unknown { error: e, .. }) => Err(e),
        Err(e) => Err(ApiError::Refused(e.to_string())),
    }
}

/// `req.send(&client)` in tests: [`send`], i.e. through the pipeline.
pub trait SendThroughDispatch {
    async fn send(&self, c: &Client) -> Result<ActionOutcome, ApiError>;
}

impl SendThroughDispatch for ActionRequest {
    async fn send(&self, c: &Client) -> Result<ActionOutcome, ApiError> {
        send(c, self).await
    }
}
