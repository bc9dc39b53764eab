//! The live figure beside each checklist task.

use crate::app::state::AppState;

/// Recompute every figure from the data on hand.
pub fn compute(_s: &mut AppState) {}
