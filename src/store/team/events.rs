//! What both engines write to the team audit, and how they explain a refused change from
//! the row as it stands after the conditional update matched nothing.

use super::{ApprovalRequest, Decision, NewRequest, RequestState, TeamAuditEntry, TeamError};

pub fn requested(id: i64, new: &NewRequest) -> TeamAuditEntry {
    TeamAuditEntry {
        request_id: id,
        at: new.requested_at,
        actor: new.requester.clone(),
        event: String::from("requested"),
        detail: format!(
            "{} {} ({}) in {}: {}",
            new.kind, new.target_name, new.target_id, new.profile, new.comment
        ),
    }
}

pub fn decided(d: &Decision) -> TeamAuditEntry {
    TeamAuditEntry {
        request_id: d.id,
        at: d.now,
        actor: d.by.clone(),
        event: d.verdict.state().as_str().to_string(),
        detail: d.comment.clone(),
    }
}

pub fn withdrawn(id: i64, by: &str, now: i64) -> TeamAuditEntry {
    TeamAuditEntry {
        request_id: id,
        at: now,
        actor: by.to_string(),
        event: String::from("withdrawn"),
        detail: String::new(),
    }
}

pub fn expired(id: i64, now: i64) -> TeamAuditEntry {
    TeamAuditEntry {
        request_id: id,
        at: now,
        actor: String::from("socops"),
        event: String::from("expired"),
        detail: String::new(),
    }
}

/// Why the decision `d` changed nothing.
pub fn why_not(row: &ApprovalRequest, d: &Decision) -> TeamError {
    let (by, now) = (d.by.as_str(), d.now);
    match row.state {
        RequestState::Pending if d.parameters.as_ref().is_some_and(|p| *p != row.parameters) => {
            TeamError::Changed(row.id)
        }
        RequestState::Pending if row.requester == by => TeamError::OwnRequest {
            id: row.id,
            requester: row.requester.clone(),
        },
        RequestState::Pending if row.expires_at <= now => TeamError::Expired(row.id),
        state => TeamError::AlreadyDecided {
            id: row.id,
            state,
            by: row.decided_by.clone(),
        },
    }
}

/// Why a withdrawal changed nothing.
pub fn why_not_withdrawn(row: &ApprovalRequest) -> TeamError {
    match row.state {
        RequestState::Pending => TeamError::NotRequester {
            id: row.id,
            requester: row.requester.clone(),
        },
        state => TeamError::AlreadyDecided {
            id: row.id,
            state,
            by: row.decided_by.clone(),
        },
    }
}
