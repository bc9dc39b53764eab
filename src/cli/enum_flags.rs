//! Command-line value lists for every enum flag: the API's own enum types, read
//! case-insensitively (`--status active`, `--status InProgress`) and sent in the exact
//! spelling the API compares with. Graph compares enum values case-sensitively in `$filter`
//! (camelCase: `inProgress`), MDE lists use PascalCase (`ImpairedCommunication`); an unknown
//! value is a usage error (exit 2) that lists the possible values, instead of a filter that
//! silently matches nothing.
//!
//! The Graph types are the ones the write paths use ([`crate::api::model::graph_enums`]); the
//! MDE types are the tolerant read models, offering only their known variants here.

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::api::model::graph_enums::{
    GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus, GraphSeverity,
};
use crate::api::model::{ActionStatus, ExposureLevel, HealthStatus, InvestigationState, RiskScore};

macro_rules! graph_flag {
    ($($t:ty),+) => {$(
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                <$t>::ALL
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(PossibleValue::new(self.wire()))
            }
        }
    )+};
}

graph_flag!(
    GraphIncidentStatus,
    GraphAlertStatus,
    GraphSeverity,
    GraphClassification,
    GraphDetermination
);

macro_rules! mde_flag {
    ($($t:ty),+) => {$(
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                <$t>::KNOWN
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                self.known_str().map(PossibleValue::new)
            }
        }
    )+};
}

mde_flag!(
    RiskScore,
    HealthStatus,
    ExposureLevel,
    ActionStatus,
    InvestigationState
);

/// The wire spelling of an optional flag, for a `$filter`.
pub fn wire<T: ValueEnum>(v: Option<T>) -> Option<String> {
    v.and_then(|v| v.to_possible_value())
        .map(|p| p.get_name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_ignores_case_and_the_wire_keeps_the_api_spelling() {
        let s = GraphIncidentStatus::from_str("INPROGRESS", true).unwrap();
        assert_eq!(wire(Some(s)).as_deref(), Some("inProgress"));
        let h = HealthStatus::from_str("impairedcommunication", true).unwrap();
        assert_eq!(wire(Some(h)).as_deref(), Some("ImpairedCommunication"));
        assert!(RiskScore::from_str("bogus", true).is_err());
        assert_eq!(
            GraphSeverity::value_variants()
                .iter()
                .filter_map(|v| v.to_possible_value())
                .map(|p| p.get_name().to_string())
                .collect::<Vec<_>>(),
            ["unknown", "informational", "low", "medium", "high"]
        );
    }
}
