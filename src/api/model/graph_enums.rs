//! Microsoft Graph security enums as Graph spells them on the wire (camelCase), for what
//! socops *sends*: PATCH bodies, `$filter` values and command-line flags. Reading stays
//! tolerant (the open enums in [`super::alert`] and [`super::incident`]); writing is strict,
//! because Graph compares enum values case-sensitively and answers 400 to anything else.
//!
//! Value lists, from the v1.0 metadata and resource pages
//! (learn.microsoft.com/graph/api/resources/security-incident,
//! …/security-alert, …/security-incident-update):
//! - incidentStatus: `active`, `resolved`, `inProgress`, `redirected`, `unknownFutureValue`,
//!   `awaitingAction`;
//! - alertStatus: `unknown`, `new`, `inProgress`, `resolved`, `unknownFutureValue`;
//! - alertSeverity: `unknown`, `informational`, `low`, `medium`, `high`, `unknownFutureValue`;
//! - alertClassification: `unknown`, `falsePositive`, `truePositive`,
//!   `informationalExpectedActivity`, `unknownFutureValue`;
//! - alertDetermination: `unknown`, `apt`, `malware`, `securityPersonnel`, `securityTesting`,
//!   `unwantedSoftware`, `other`, `multiStagedAttack`, `compromisedAccount`, `phishing`,
//!   `maliciousUserActivity`, `notMalicious`, `notEnoughDataToValidate`, `confirmedActivity`,
//!   `lineOfBusinessApplication`, `unknownFutureValue`.
//!
//! `unknownFutureValue` is Graph's evolvable-enum sentinel, never a real value: members
//! declared after it (here `awaitingAction`) are replaced by the sentinel unless the request
//! carries `Prefer: include-unknown-enum-members` (Microsoft Graph API guidelines,
//! "evolvable enums"). The client sends that header on every Graph call, so socops sees
//! the real member; the sentinel itself is refused as input.
//!
//! Some doc property tables print older spellings (`compromisedUser`, `confirmedUserActivity`,
//! `clean`, `insufficientData`); they are accepted as input and sent in the metadata spelling.

use std::fmt;

use super::alert::{AlertSeverity, AlertStatus, Classification, Determination};
use super::incident::IncidentStatus;

/// Graph's evolvable-enum sentinel.
pub(crate) const UNKNOWN_FUTURE_VALUE: &str = "unknownFutureValue";
/// The `Prefer` value that makes Graph return members declared after the sentinel.
pub(crate) const PREFER_UNKNOWN_ENUM_MEMBERS: &str = "include-unknown-enum-members";

/// A value that is not one of an enum's members, with the list to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEnumValue {
    /// What was being read, e.g. `incident status`.
    pub kind: &'static str,
    pub given: String,
    pub allowed: Vec<&'static str>,
}

impl fmt::Display for BadEnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.given.trim().eq_ignore_ascii_case(UNKNOWN_FUTURE_VALUE) {
            write!(
                f,
                "'{UNKNOWN_FUTURE_VALUE}' is Graph's placeholder for newer values, not a {}; use one of: {}",
                self.kind,
                self.allowed.join(", ")
            )
        } else {
            write!(
                f,
                "'{}' is not a {}; use one of: {}",
                self.given.trim(),
                self.kind,
                self.allowed.join(", ")
            )
        }
    }
}

impl std::error::Error for BadEnumValue {}

macro_rules! graph_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal, open = $open:ty {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, $label:literal $(| $alias:literal)* ; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every member, in Graph's declaration order (without the sentinel).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The exact wire spelling.
            pub fn wire(self) -> &'static str {
                match self { $( $name::$variant => $wire, )+ }
            }

            /// A human label, e.g. `In progress`.
            pub fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// The wire spellings of every member (for `--help`, completions and errors).
            pub(crate) fn possible_values() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.wire()).collect()
            }

            /// Read a value case-insensitively (`InProgress`, `inprogress`, `inProgress`, and
            /// the older doc spellings); the sentinel and anything else are errors listing the
            /// allowed values.
            pub fn parse(text: &str) -> Result<Self, BadEnumValue> {
                let t = text.trim();
                $(
                    if t.eq_ignore_ascii_case($wire) $(|| t.eq_ignore_ascii_case($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err(BadEnumValue {
                    kind: $kind,
                    given: text.to_string(),
                    allowed: Self::possible_values(),
                })
            }

            /// The member an (open, tolerant) read value stands for, if any.
            pub fn from_open(v: &$open) -> Option<Self> {
                Self::parse(v.as_str()).ok()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.wire())
            }
        }

        impl std::str::FromStr for $name {
            type Err = BadEnumValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.wire())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

graph_enum! {
    /// `microsoft.graph.security.incidentStatus`.
    GraphIncidentStatus, "incident status", open = IncidentStatus {
        Active = "active", "Active";
        Resolved = "resolved", "Resolved";
        InProgress = "inProgress", "In progress" | "in-progress" | "in_progress";
        /// Merged into another incident; set by the service, not by PATCH.
        Redirected = "redirected", "Redirected";
        /// Declared after `unknownFutureValue`: Graph returns it only with
        /// `Prefer: include-unknown-enum-members`.
        AwaitingAction = "awaitingAction", "Awaiting action" | "awaiting-action";
    }
}

graph_enum! {
    /// `microsoft.graph.security.alertStatus`.
    GraphAlertStatus, "alert status", open = AlertStatus {
        Unknown = "unknown", "Unknown";
        New = "new", "New";
        InProgress = "inProgress", "In progress" | "in-progress" | "in_progress";
        Resolved = "resolved", "Resolved";
    }
}

graph_enum! {
    /// `microsoft.graph.security.alertSeverity` (incidents use it too).
    GraphSeverity, "severity", open = AlertSeverity {
        Unknown = "unknown", "Unknown" | "UnSpecified";
        Informational = "informational", "Informational";
        Low = "low", "Low";
        Medium = "medium", "Medium";
        High = "high", "High";
    }
}

graph_enum! {
    /// `microsoft.graph.security.alertClassification`.
    GraphClassification, "classification", open = Classification {
        Unknown = "unknown", "Unknown";
        FalsePositive = "falsePositive", "False positive" | "false-positive";
        TruePositive = "truePositive", "True positive" | "true-positive";
        InformationalExpectedActivity = "informationalExpectedActivity",
            "Informational, expected activity" | "informational-expected-activity" | "informational";
    }
}

graph_enum! {
    /// `microsoft.graph.security.alertDetermination`.
    GraphDetermination, "determination", open = Determination {
        Unknown = "unknown", "Unknown";
        /// Deprecated for new triage since August 2022 (update-alert page); still read.
        Apt = "apt", "APT";
        Malware = "malware", "Malware";
        /// Deprecated for new triage since August 2022; still read.
        SecurityPersonnel = "securityPersonnel", "Security personnel";
        SecurityTesting = "securityTesting", "Security test" | "security-testing";
        UnwantedSoftware = "unwantedSoftware", "Unwanted software" | "unwanted-software";
        Other = "other", "Other";
        MultiStagedAttack = "multiStagedAttack", "Multistage attack" | "multi-staged-attack";
        CompromisedAccount = "compromisedAccount", "Compromised account"
            | "compromisedUser" | "compromised-account";
        Phishing = "phishing", "Phishing";
        MaliciousUserActivity = "maliciousUserActivity", "Malicious user activity"
            | "malicious-user-activity";
        NotMalicious = "notMalicious", "Not malicious" | "clean" | "not-malicious";
        NotEnoughDataToValidate = "notEnoughDataToValidate", "Not enough data to validate"
            | "insufficientData" | "noEnoughDataToValidate" | "not-enough-data-to-validate";
        ConfirmedActivity = "confirmedActivity", "Confirmed activity"
            | "confirmedUserActivity" | "confirmed-activity";
        LineOfBusinessApplication = "lineOfBusinessApplication", "Line-of-business application"
            | "line-of-business-application";
    }
}

impl GraphIncidentStatus {
    /// The statuses an analyst sets (`redirected` is the service's, after a merge).
    pub(crate) const SETTABLE: &'static [GraphIncidentStatus] = &[
        GraphIncidentStatus::Active,
        GraphIncidentStatus::InProgress,
        GraphIncidentStatus::Resolved,
    ];

    /// Not resolved and not merged away.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            GraphIncidentStatus::Resolved | GraphIncidentStatus::Redirected
        )
    }
}

impl GraphAlertStatus {
    /// The statuses PATCH accepts (`unknown` is what the service reports, not a choice).
    pub(crate) const SETTABLE: &'static [GraphAlertStatus] = &[
        GraphAlertStatus::New,
        GraphAlertStatus::InProgress,
        GraphAlertStatus::Resolved,
    ];
}

impl GraphClassification {
    /// The determinations that fit this classification, from the Defender update-alert page
    /// (learn.microsoft.com/defender-endpoint/api/update-alert, "Possible determination
    /// values for each classification"); the portal's classify dialog groups them the same
    /// way. `unknown` takes only `unknown`.
    pub fn determinations(self) -> &'static [GraphDetermination] {
        use GraphDetermination as D;
        match self {
            GraphClassification::TruePositive => &[
                D::MultiStagedAttack,
                D::MaliciousUserActivity,
                D::CompromisedAccount,
                D::Malware,
                D::Phishing,
                D::UnwantedSoftware,
                D::Other,
            ],
            GraphClassification::InformationalExpectedActivity => &[
                D::SecurityTesting,
                D::LineOfBusinessApplication,
                D::ConfirmedActivity,
                D::Other,
            ],
            GraphClassification::FalsePositive => {
                &[D::NotMalicious, D::NotEnoughDataToValidate, D::Other]
            }
            GraphClassification::Unknown => &[D::Unknown],
        }
    }
}

impl GraphDetermination {
    /// `apt` and `securityPersonnel` were withdrawn for new triage (August 2022).
    pub(crate) fn is_deprecated(self) -> bool {
        matches!(
            self,
            GraphDetermination::Apt | GraphDetermination::SecurityPersonnel
        )
    }

    /// Whether this determination fits `classification` (see
    /// [`GraphClassification::determinations`]).
    pub fn fits(self, classification: GraphClassification) -> bool {
        classification.determinations().contains(&self)
    }
}

/// Check a classification/determination pair before sending. A determination alone is
/// checked against the classification the record already has (`current`), when known.
pub(crate) fn check_pair(
    classification: Option<GraphClassification>,
    determination: Option<GraphDetermination>,
    current: Option<GraphClassification>,
) -> Result<(), String> {
    let Some(d) = determination else {
        return Ok(());
    };
    let Some(c) = classification.or(current) else {
        return Ok(());
    };
    if d.fits(c) {
        return Ok(());
    }
    let fitting: Vec<&str> = c.determinations().iter().map(|d| d.wire()).collect();
    Err(format!(
        "determination '{}' does not fit classification '{}'; with '{}' use one of: {}",
        d.wire(),
        c.wire(),
        c.wire(),
        fitting.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_spellings_are_graph_camel_case() {
        assert_eq!(
            GraphIncidentStatus::possible_values(),
            [
                "active",
                "resolved",
                "inProgress",
                "redirected",
                "awaitingAction"
            ]
        );
        assert_eq!(
            GraphAlertStatus::possible_values(),
            ["unknown", "new", "inProgress", "resolved"]
        );
        assert_eq!(
            GraphClassification::possible_values(),
            [
                "unknown",
                "falsePositive",
                "truePositive",
                "informationalExpectedActivity"
            ]
        );
        assert_eq!(GraphDetermination::ALL.len(), 15);
        assert_eq!(
            serde_json::to_string(&GraphDetermination::NotEnoughDataToValidate).unwrap(),
            "\"notEnoughDataToValidate\""
        );
    }

    #[test]
    fn parsing_ignores_case_and_maps_old_doc_spellings() {
        assert_eq!(
            GraphIncidentStatus::parse("InProgress"),
            Ok(GraphIncidentStatus::InProgress)
        );
        assert_eq!(
            GraphIncidentStatus::parse(" RESOLVED "),
            Ok(GraphIncidentStatus::Resolved)
        );
        assert_eq!(
            GraphDetermination::parse("CompromisedUser"),
            Ok(GraphDetermination::CompromisedAccount)
        );
        assert_eq!(
            GraphDetermination::parse("clean"),
            Ok(GraphDetermination::NotMalicious)
        );
        assert_eq!(
            GraphSeverity::from_open(&AlertSeverity::UnSpecified),
            Some(GraphSeverity::Unknown)
        );
        assert_eq!(
            GraphDetermination::from_open(&Determination::InsufficientData),
            Some(GraphDetermination::NotEnoughDataToValidate)
        );
        let bad: Result<GraphAlertStatus, _> = serde_json::from_str("\"Active\"");
        assert!(bad.is_err());
    }

    #[test]
    fn the_sentinel_and_unknown_text_are_refused_with_the_list() {
        let e = GraphIncidentStatus::parse("unknownFutureValue").unwrap_err();
        assert!(e.to_string().contains("placeholder"), "{e}");
        assert!(
            e.to_string().contains("active, resolved, inProgress"),
            "{e}"
        );
        let e = GraphClassification::parse("benignPositive").unwrap_err();
        assert_eq!(
            e.to_string(),
            "'benignPositive' is not a classification; use one of: unknown, falsePositive, truePositive, informationalExpectedActivity"
        );
    }

    #[test]
    fn determinations_fit_their_classification() {
        use GraphClassification as C;
        use GraphDetermination as D;
        assert!(D::Malware.fits(C::TruePositive));
        assert!(!D::Malware.fits(C::FalsePositive));
        assert!(D::Other.fits(C::FalsePositive) && D::Other.fits(C::TruePositive));
        assert!(D::SecurityTesting.fits(C::InformationalExpectedActivity));
        assert!(check_pair(Some(C::FalsePositive), Some(D::Malware), None).is_err());
        assert!(check_pair(None, Some(D::Malware), Some(C::FalsePositive)).is_err());
        assert!(check_pair(None, Some(D::Malware), None).is_ok());
        assert!(check_pair(Some(C::TruePositive), None, None).is_ok());
        // No fitting list offers a deprecated value.
        for c in C::ALL {
            assert!(c.determinations().iter().all(|d| !d.is_deprecated()));
        }
    }
}
