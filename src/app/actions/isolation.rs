//! A device's isolation state, derived from its machine actions (the machine entity has no
//! isolation field): the newest *Succeeded* Isolate/Unisolate decides; a newer
//! Pending/InProgress one shows as isolating/releasing; Failed, TimeOut and Cancelled
//! records change nothing. Only the loaded actions (the last 30 days) are seen.

use std::collections::HashMap;

use crate::api::model::{ActionStatus, ActionType, MachineAction};
use crate::app::state::AppState;

/// Where a device stands with network isolation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// Not isolated (or no record says otherwise).
    #[default]
    Released,
    Isolated,
    /// An Isolate is pending on a device that is not isolated.
    Isolating,
    /// An Unisolate is pending on an isolated device.
    Releasing,
}

impl Isolation {
    /// Whether `i` and the menu offer Release (rather than Isolate).
    pub(crate) fn offers_release(self) -> bool {
        matches!(self, Isolation::Isolated | Isolation::Releasing)
    }

    /// The marker of a device row (a word, readable without colour), empty when released.
    pub fn marker(self) -> &'static str {
        match self {
            Isolation::Released => "",
            Isolation::Isolated => "[isolated]",
            Isolation::Isolating => "[isolating]",
            Isolation::Releasing => "[releasing]",
        }
    }
}

/// The isolation state of every device with an Isolate/Unisolate record.
pub(crate) fn by_device(actions: &[MachineAction]) -> HashMap<String, Isolation> {
    by_device_for(actions, ActionType::Isolate, ActionType::Unisolate)
}

/// The same rule for any pair of opposite actions (`on` puts the device in the state, `off`
/// takes it out): app restriction is RestrictCodeExecution/UnrestrictCodeExecution, with
/// `Isolated` read as "restricted".
pub(crate) fn by_device_for(
    actions: &[MachineAction],
    on: ActionType,
    off: ActionType,
) -> HashMap<String, Isolation> {
    let mut recs: Vec<&MachineAction> = actions
        .iter()
        .filter(|a| {
            a.action_type
                .as_ref()
                .is_some_and(|t| *t == on || *t == off)
                && a.machine_id.is_some()
        })
        .collect();
    // Newest first; decided per device by the first Succeeded record.
    recs.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
    let mut decided: HashMap<&str, bool> = HashMap::new();
    let mut pending: HashMap<&str, bool> = HashMap::new();
    for a in recs {
        let Some(id) = a.machine_id.as_deref() else {
            continue;
        };
        if decided.contains_key(id) {
            continue;
        }
        let isolate = a.action_type.as_ref() == Some(&on);
        match &a.status {
            Some(ActionStatus::Succeeded) => {
                decided.insert(id, isolate);
            }
            // Still running: the one rule of ActionStatus::WAITING (the digest, the Pending
            // view and the duplicate guard wait on the same states).
            Some(s) if s.is_waiting() => {
                pending.entry(id).or_insert(isolate);
            }
            _ => {}
        }
    }
    let ids: Vec<&str> = decided.keys().chain(pending.keys()).copied().collect();
    ids.into_iter()
        .map(|id| {
            let isolated = decided.get(id).copied().unwrap_or(false);
            let state = match (isolated, pending.get(id)) {
                (false, Some(true)) => Isolation::Isolating,
                (true, Some(false)) => Isolation::Releasing,
                (true, _) => Isolation::Isolated,
                (false, _) => Isolation::Released,
            };
            (id.to_string(), state)
        })
        .collect()
}

/// One device's state (derived when machine actions loaded).
pub fn of(s: &AppState, machine_id: &str) -> Isolation {
    s.actions
        .isolation
        .get(machine_id)
        .copied()
        .unwrap_or_default()
}

/// The state of the device of the selected row of a device table (cheap: for the hint bar).
pub fn selected(s: &AppState) -> Isolation {
    use crate::app::state::TableId;
    match s.focused_table() {
        Some(t @ (TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices)) => s
            .table(t)
            .and_then(|t| t.selected_row())
            .map(|r| of(s, &r.id))
            .unwrap_or_default(),
        _ => Isolation::Released,
    }
}

/// Recompute the states from the loaded machine actions.
pub fn rebuild(s: &mut AppState) {
    s.actions.isolation = s
        .data
        .machine_actions
        .data()
        .map(|a| by_device(a))
        .unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(machine: &str, kind: &str, status: &str, minute: u32) -> MachineAction {
        serde_json::from_value(serde_json::json!({
            "id": format!("{machine}-{minute}"), "type": kind, "status": status,
            "machineId": machine,
            "creationDateTimeUtc": format!("2026-11-30T07:{minute:02}:00Z"),
        }))
        .unwrap()
    }

    #[test]
    fn newest_succeeded_decides_and_pending_shows_progress() {
        let a = vec![
            rec("m1", "Isolate", "Succeeded", 1),
            rec("m1", "Unisolate", "Failed", 2),
            rec("m2", "Isolate", "Succeeded", 1),
            rec("m2", "Unisolate", "Succeeded", 2),
            rec("m3", "Isolate", "Pending", 3),
            rec("m4", "Isolate", "Succeeded", 1),
            rec("m4", "Unisolate", "InProgress", 5),
            rec("m5", "RunAntiVirusScan", "Succeeded", 1),
        ];
        let m = by_device(&a);
        assert_eq!(m.get("m1"), Some(&Isolation::Isolated));
        assert_eq!(m.get("m2"), Some(&Isolation::Released));
        assert_eq!(m.get("m3"), Some(&Isolation::Isolating));
        assert_eq!(m.get("m4"), Some(&Isolation::Releasing));
        assert_eq!(m.get("m5"), None);
        assert!(Isolation::Isolated.offers_release());
        assert!(!Isolation::Isolating.offers_release());
    }
}
