//! Licence tiers: which response actions each plan includes. ONE table ([`PLAN_TABLE`]),
//! read by the console's menus, the CLI (refused with exit 3 before anything is sent) and the
//! simulator (refused like the service).
//!
//! Source, checked December 2026:
//! <https://learn.microsoft.com/defender-endpoint/respond-machine-alerts> — "Defender for
//! Endpoint Plan 1 includes only the following manual response actions: Run antivirus scan,
//! Isolate device, Stop and quarantine a file, Add an indicator to block or allow a file.
//! Microsoft Defender for Business does not include the 'Stop and quarantine a file' action."
//! Live response, investigation package collection and restrict app execution are Plan 2 in
//! the API pages (run-live-response, collect-investigation-package, restrict-code-execution);
//! no Defender for Business page lists them, so they are modelled as Plan 2 only. Releasing
//! and un-restricting follow their counterparts; offboarding and cancelling an action are
//! device management, in every plan (defender-business/mdb-offboard-devices).

use serde::{Deserialize, Serialize};

/// Where [`PLAN_TABLE`] comes from (shown with every refusal).
pub(crate) const PLAN_SOURCE: &str =
    "https://learn.microsoft.com/defender-endpoint/respond-machine-alerts";

/// A licence tier of the tenant (profile key `plan`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// Microsoft Defender for Business (also in Microsoft 365 Business Premium).
    Business,
    /// Defender for Endpoint Plan 1.
    P1,
    /// Defender for Endpoint Plan 2 (the default: every action).
    #[default]
    P2,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::Business, Plan::P1, Plan::P2];

    /// The config and flag spelling: `business`, `p1`, `p2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Business => "business",
            Plan::P1 => "p1",
            Plan::P2 => "p2",
        }
    }

    /// The product name, for messages.
    pub(crate) fn product(self) -> &'static str {
        match self {
            Plan::Business => "Microsoft Defender for Business",
            Plan::P1 => "Defender for Endpoint Plan 1",
            Plan::P2 => "Defender for Endpoint Plan 2",
        }
    }
}

impl std::str::FromStr for Plan {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "business" | "mdb" => Ok(Plan::Business),
            "p1" => Ok(Plan::P1),
            "p2" => Ok(Plan::P2),
            other => Err(format!(
                "unknown plan '{other}' (possible values: business, p1, p2)"
            )),
        }
    }
}

impl std::fmt::Display for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A licensed capability: one row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// Run antivirus scan.
    Scan,
    /// Isolate and release.
    Isolate,
    /// Stop and quarantine a file.
    StopAndQuarantine,
    /// Add or delete an indicator.
    Indicators,
    /// Restrict app execution and remove the restriction.
    RestrictAppExecution,
    /// Collect investigation package.
    CollectPackage,
    /// Live response (run script, get file).
    LiveResponse,
    /// Offboard a device.
    Offboard,
    /// Cancel a pending machine action.
    Cancel,
}

/// Plan → capabilities. Every other module asks [`includes`].
pub(crate) const PLAN_TABLE: &[(Capability, &[Plan])] = &[
    (Capability::Scan, &[Plan::Business, Plan::P1, Plan::P2]),
    (Capability::Isolate, &[Plan::Business, Plan::P1, Plan::P2]),
    (
        Capability::Indicators,
        &[Plan::Business, Plan::P1, Plan::P2],
    ),
    (Capability::StopAndQuarantine, &[Plan::P1, Plan::P2]),
    (Capability::RestrictAppExecution, &[Plan::P2]),
    (Capability::CollectPackage, &[Plan::P2]),
    (Capability::LiveResponse, &[Plan::P2]),
    (Capability::Offboard, &[Plan::Business, Plan::P1, Plan::P2]),
    (Capability::Cancel, &[Plan::Business, Plan::P1, Plan::P2]),
];

/// Whether `plan` includes `cap`.
pub fn includes(plan: Plan, cap: Capability) -> bool {
    PLAN_TABLE
        .iter()
        .find(|(c, _)| *c == cap)
        .is_some_and(|(_, plans)| plans.contains(&plan))
}

/// The plans that include `cap`, e.g. "Defender for Endpoint Plan 2".
pub(crate) fn plans_with(cap: Capability) -> Vec<Plan> {
    Plan::ALL
        .into_iter()
        .filter(|p| includes(*p, cap))
        .collect()
}

/// Why `plan` cannot do `what` (`None` when it can): one line naming the plans that can and
/// the source.
pub fn refusal(plan: Plan, cap: Capability, what: &str) -> Option<String> {
    if includes(plan, cap) {
        return None;
    }
    let with: Vec<&str> = plans_with(cap).into_iter().map(Plan::product).collect();
    Some(format!(
        "{what} is not included in {} (plan = \"{plan}\"); it needs {} ({PLAN_SOURCE}); nothing was sent",
        plan.product(),
        with.join(" or "),
    ))
}

/// Whether the service refused a request because the tenant's licence lacks the feature
/// (a 403 whose code or message speaks of the licence or a disabled feature).
///
/// Microsoft documents no code for a licence refusal. Its list of common errors has two 403
/// codes: `Forbidden` ("valid token but insufficient permission for the action") and
/// `DisabledFeature` ("tenant feature isn't enabled"), and says the message "is a free text
/// that can be changed" (https://learn.microsoft.com/en-us/defender-endpoint/api/common-errors).
/// So `DisabledFeature` decides by code; a `Forbidden` that names the licence is recognised by
/// its text, which is only a hint. That is safe because the answer decides wording, never
/// outcome: any 403 to a write means the action was not performed, and both branches say
/// "not performed" (a licence line here, the service's own message otherwise).
pub fn is_licence_refusal(e: &crate::api::ApiError) -> bool {
    if e.status() != Some(403) {
        return false;
    }
    let code = e.code().unwrap_or_default().to_ascii_lowercase();
    let text = e.to_string().to_ascii_lowercase();
    code.contains("licens") || code == "disabledfeature" || text.contains("licens")
}

/// The plain-words line for a licence refusal.
pub(crate) fn licence_message(e: &crate::api::ApiError) -> String {
    format!(
        "not performed: the tenant's licence does not include this action (the service refused it: {e}); \
         check the plan in the profile (`plan = \"business\" | \"p1\" | \"p2\"`) and {PLAN_SOURCE}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_microsofts() {
        assert!(includes(Plan::Business, Capability::Isolate));
        assert!(!includes(Plan::Business, Capability::StopAndQuarantine));
        assert!(includes(Plan::P1, Capability::StopAndQuarantine));
        assert!(!includes(Plan::P1, Capability::LiveResponse));
        assert!(!includes(Plan::Business, Capability::RestrictAppExecution));
        for (cap, _) in PLAN_TABLE {
            assert!(includes(Plan::P2, *cap), "P2 includes everything");
        }
        assert_eq!("Business".parse::<Plan>(), Ok(Plan::Business));
        assert!(
            "e5".parse::<Plan>()
                .unwrap_err()
                .contains("business, p1, p2")
        );
    }

    #[test]
    fn a_refusal_names_the_plan_and_the_source() {
        let r = refusal(Plan::Business, Capability::LiveResponse, "Live response").unwrap();
        assert!(r.contains("Microsoft Defender for Business"), "{r}");
        assert!(r.contains("Defender for Endpoint Plan 2"), "{r}");
        assert!(r.contains(PLAN_SOURCE), "{r}");
        assert_eq!(refusal(Plan::P2, Capability::LiveResponse, "x"), None);
    }
}
