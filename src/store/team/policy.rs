//! Which actions need a second analyst: the `[team]` table (where the queue lives) and each
//! profile's `approval_required`, `approval_required_for_tags` and `approval_expires`.
//! With no `[team]` table nothing needs approval and nothing changes.

use serde::{Deserialize, Serialize};

use crate::api::calls::ActionRequest;

/// `[team]` in the config.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamConfig {
    /// `sqlite:///path/team.db` or `postgres://user@host/db`.
    pub store: String,
}

/// The names `approval_required` accepts: machine action `type` values and `Indicator`.
pub(crate) const KINDS: &[&str] = &[
    "Isolate",
    "Unisolate",
    "RestrictCodeExecution",
    "UnrestrictCodeExecution",
    "RunAntiVirusScan",
    "CollectInvestigationPackage",
    "StopAndQuarantineFile",
    "Offboard",
    "LiveResponse",
    "StartInvestigation",
    "CancelAction",
    "Indicator",
];

/// The default lifetime of a request.
pub(crate) const DEFAULT_EXPIRES_SECS: i64 = 24 * 3600;

/// One profile's approval rules.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApprovalPolicy {
    pub required: Vec<String>,
    pub required_for_tags: Vec<String>,
    pub expires_secs: i64,
}

/// The policy name of a request: its machine action `type`, or `Indicator`.
pub(crate) fn kind_of(req: &ActionRequest) -> &'static str {
    match req {
        ActionRequest::RunAntiVirusScan { .. } => "RunAntiVirusScan",
        ActionRequest::Isolate { .. } => "Isolate",
        ActionRequest::Unisolate { .. } => "Unisolate",
        ActionRequest::RestrictCodeExecution { .. } => "RestrictCodeExecution",
        ActionRequest::UnrestrictCodeExecution { .. } => "UnrestrictCodeExecution",
        ActionRequest::CollectInvestigationPackage { .. } => "CollectInvestigationPackage",
        ActionRequest::StopAndQuarantineFile { .. } => "StopAndQuarantineFile",
        ActionRequest::Offboard { .. } => "Offboard",
        ActionRequest::RunLiveResponse { .. } => "LiveResponse",
        ActionRequest::CancelAction { .. } => "CancelAction",
        ActionRequest::AddIndicator { .. } | ActionRequest::DeleteIndicator { .. } => "Indicator",
        ActionRequest::Triage { .. } => "Triage",
        ActionRequest::TriageComment { .. } => "Comment",
    }
}

impl ApprovalPolicy {
    /// Does `req`, on a device carrying `device_tags`, need a second analyst?
    pub(crate) fn needs_approval(&self, req: &ActionRequest, device_tags: &[String]) -> bool {
        let kind = kind_of(req);
        if self.required.iter().any(|k| k.eq_ignore_ascii_case(kind)) {
            return true;
        }
        // Tags are a device's: an action on a tagged device needs approval.
        req.target_machine().is_some()
            && device_tags.iter().any(|t| {
                self.required_for_tags
                    .iter()
                    .any(|r| r.trim().eq_ignore_ascii_case(t.trim()))
            })
    }

    /// Is any rule set (so tags are worth fetching)?
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.required_for_tags.is_empty()
    }
}

/// Check the names of `approval_required` (a typo must not silently disable a rule).
pub(crate) fn check_kinds(names: &[String]) -> Result<(), String> {
    match names
        .iter()
        .find(|n| !KINDS.iter().any(|k| k.eq_ignore_ascii_case(n)))
    {
        Some(bad) => Err(format!(
            "approval_required: '{bad}' is not an action; use one of {}",
            KINDS.join(", ")
        )),
        None => Ok(()),
    }
}

/// `30m`, `24h`, `7d`, `90s` → seconds.
pub(crate) fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let bad = || format!("'{s}' is not a duration like 30m, 24h or 7d");
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().map_err(|_| bad())?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    if n <= 0 {
        return Err(bad());
    }
    n.checked_mul(mult).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn isolate() -> ActionRequest {
        ActionRequest::Isolate {
            machine_id: "m1".into(),
            comment: "c".into(),
            selective: false,
        }
    }

    fn scan() -> ActionRequest {
        ActionRequest::RunAntiVirusScan {
            machine_id: "m1".into(),
            comment: "c".into(),
            full: false,
        }
    }

    #[test]
    fn named_kinds_and_device_tags_need_approval() {
        let p = ApprovalPolicy {
            required: vec!["Isolate".into(), "Indicator".into()],
            required_for_tags: vec!["Servers".into()],
            expires_secs: 60,
        };
        assert!(p.needs_approval(&isolate(), &[]));
        assert!(!p.needs_approval(&scan(), &[]));
        assert!(p.needs_approval(&scan(), &["servers".into()]));
        assert!(!p.needs_approval(&scan(), &["Laptops".into()]));
        assert!(ApprovalPolicy::default().is_empty());
        assert!(!ApprovalPolicy::default().needs_approval(&isolate(), &["Servers".into()]));
    }

    #[test]
    fn kind_names_are_machine_action_types() {
        for k in KINDS {
            assert!(check_kinds(&[k.to_string()]).is_ok(), "{k}");
        }
        assert_eq!(
            kind_of(&ActionRequest::RunLiveResponse {
                machine_id: "m".into(),
                comment: "c".into(),
                commands: vec![]
            }),
            "LiveResponse"
        );
        let e = check_kinds(&["Isolation".into()]).unwrap_err();
        assert!(e.contains("'Isolation'"), "{e}");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("24h"), Ok(86_400));
        assert_eq!(parse_duration("30m"), Ok(1800));
        assert_eq!(parse_duration("7d"), Ok(604_800));
        assert!(parse_duration("24").is_err());
        assert!(parse_duration("0h").is_err());
        assert!(parse_duration("h").is_err());
        assert!(parse_duration("1w").is_err());
    }
}
