//! What both engines write to the team audit, and how they explain a refused change from
//! the row as it stands after the conditional update matched nothing.

use super::{ApprovalRequest, Decision, NewRequest, RequestState, TeamError};

/// One audit row to append (its time is the database's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub request_id: i64,
    pub actor: String,
    pub event: String,
    pub detail: String,
}

fn row(request_id: i64, actor: &str, event: &str, detail: String) -> AuditRow {
    AuditRow {
        request_id,
        actor: actor.to_string(),
        event: event.to_string(),
        detail,
    }
}

/// The names of an identity, for the audit's detail.
fn names(login: &str, upn: Option<&str>) -> String {
    match upn {
        Some(upn) => format!("os login {login}, entra {upn}"),
        None => format!("os login {login}"),
    }
}

pub fn requested(id: i64, new: &NewRequest) -> AuditRow {
    let who = &new.requester;
    row(
        id,
        who.name(),
        "requested",
        format!(
            "{} {} ({}) in {} [{}]: {}",
            new.kind,
            new.target_name,
            new.target_id,
            new.profile,
            names(&who.login, who.upn.as_deref()),
            new.comment
        ),
    )
}

pub fn decided(d: &Decision) -> AuditRow {
    let detail = format!(
        "[{}] {}",
        names(&d.by.login, d.by.upn.as_deref()),
        d.comment
    );
    row(d.id, d.by.name(), d.verdict.state().as_str(), detail)
}

pub fn withdrawn(id: i64, by: &str) -> AuditRow {
    row(id, by, "withdrawn", String::new())
}

pub fn expired(id: i64) -> AuditRow {
    row(id, "socops", "expired", String::new())
}

/// Why the decision `d` changed nothing. `db_user` is the deciding connection's database
/// role (PostgreSQL's `session_user`).
pub(crate) fn why_not(row: &ApprovalRequest, d: &Decision, db_user: Option<&str>) -> TeamError {
    if row.tenant != d.tenant {
        return TeamError::OtherTenant {
            id: row.id,
            tenant: row.tenant.clone(),
        };
    }
    if row.state != RequestState::Pending {
        return TeamError::AlreadyDecided {
            id: row.id,
            state: row.state,
            by: row.decided_by.clone(),
        };
    }
    let via = d.by.made(row).or_else(|| {
        db_user
            .filter(|u| row.requester_db_user.as_deref() == Some(*u))
            .map(|u| format!("the database role {u}"))
    });
    if let Some(via) = via {
        return TeamError::OwnRequest {
            id: row.id,
            requester: row.requester.clone(),
            via,
        };
    }
    let changed = d.version.is_some_and(|v| v != row.version)
        || d.parameters.as_ref().is_some_and(|p| *p != row.parameters);
    if changed {
        return TeamError::Changed(row.id);
    }
    // Pending, this tenant's, someone else's, unchanged: only the database's clock is left.
    TeamError::Expired(row.id)
}

/// Why a withdrawal changed nothing.
pub(crate) fn why_not_withdrawn(row: &ApprovalRequest) -> TeamError {
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
