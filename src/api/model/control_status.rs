//! One Secure Score improvement action as the portal shows it: a control profile (title,
//! category, maximum) joined with the tenant's score on it from the latest `secureScores`
//! snapshot (`controlScores[].controlName` = profile `id`). The console and
//! `socops controls list` both read it from here, so they show the same numbers.

use super::{ControlScore, SecureScoreControlProfile};

/// A control's standing.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlStatus {
    /// Points the control is worth (profile `maxScore`).
    pub max: Option<f64>,
    /// Points the tenant has (`controlScores[].score`); `None` when the snapshot has no
    /// entry for the control.
    pub score: Option<f64>,
    /// Points still to gain; `None` when either side is unknown.
    pub gap: Option<f64>,
    /// The analyst's state when set (`Ignored`, `ThirdParty`, `Reviewed`), else the
    /// service's implementation status.
    pub state: Option<String>,
}

impl ControlStatus {
    /// Join a profile with its score entry (either may be missing).
    pub fn of(profile: Option<&SecureScoreControlProfile>, score: Option<&ControlScore>) -> Self {
        let max = profile.and_then(|p| p.max_score);
        let points = score.and_then(|c| c.score);
        let gap = match (max, points) {
            (Some(m), Some(s)) => Some((m - s).max(0.0)),
            _ => None,
        };
        let state = profile
            .and_then(|p| p.latest_state())
            .and_then(|u| u.state.clone())
            .filter(|st| !st.eq_ignore_ascii_case("Default"))
            .or_else(|| score.and_then(|c| c.implementation_status.clone()));
        ControlStatus {
            max,
            score: points,
            gap,
            state,
        }
    }

    /// The order of the weekly review: the largest gap first, equal gaps by the larger
    /// maximum (more at stake), controls whose gap is unknown last.
    pub fn by_gap(a: &Self, b: &Self) -> std::cmp::Ordering {
        let gap = |s: &Self| s.gap.unwrap_or(-1.0);
        let max = |s: &Self| s.max.unwrap_or(0.0);
        gap(b)
            .total_cmp(&gap(a))
            .then_with(|| max(b).total_cmp(&max(a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::ControlStateUpdate;

    #[test]
    fn joins_profile_and_score() {
        let p = SecureScoreControlProfile {
            id: "scid_2010".into(),
            max_score: Some(9.0),
            control_state_updates: vec![ControlStateUpdate {
                state: Some("Default".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let c = ControlScore {
            control_name: Some("scid_2010".into()),
            score: Some(3.0),
            implementation_status: Some("Partially implemented".into()),
            ..Default::default()
        };
        let s = ControlStatus::of(Some(&p), Some(&c));
        assert_eq!((s.max, s.score, s.gap), (Some(9.0), Some(3.0), Some(6.0)));
        assert_eq!(s.state.as_deref(), Some("Partially implemented"));
        let none = ControlStatus::of(Some(&p), None);
        assert_eq!((none.score, none.gap), (None, None));
    }
}
