//! Counts that match: each checklist figure that counts records ("5 high 9 medium") is
//! computed here from one predicate, and its task opens the view scoped to exactly the
//! records it counted, the scope named in the table's title. The same predicate runs again
//! whenever the data reloads, so figure and view never disagree.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use crate::api::model::{AlertSeverity, Incident, Investigation, MachineAction, RiskScore};
use crate::app::data::devices::{Device, Devices};
use crate::app::data::store::DataStore;
use crate::app::state::{AppState, TableId};
use crate::app::tables::table::Scoped;
use crate::app::view::Cadence;
use crate::predicates;

/// A set of records a checklist task counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Machine actions still Pending or InProgress, and investigations awaiting approval.
    PendingActions,
    /// Devices whose risk is High or Medium.
    DevicesWithThreats,
    /// Incidents created in the last 24 hours, whatever their status now (as the digest's
    /// "new").
    NewIncidents,
    /// Incidents not resolved or redirected: what the Incidents view opens on (`u` shows
    /// all).
    Unresolved,
}

impl Scope {
    /// The scope a checklist task opens its view with, and the table it applies to.
    pub(crate) fn of_task(cadence: Cadence, task: &str) -> Option<(Scope, TableId)> {
        match (cadence, task) {
            (Cadence::Daily, "pending") => Some((Scope::PendingActions, TableId::ActionsPending)),
            (Cadence::Daily, "threats") => {
                Some((Scope::DevicesWithThreats, TableId::DevicesAtRisk))
            }
            (Cadence::Daily, "incidents") => Some((Scope::NewIncidents, TableId::Incidents)),
            _ => None,
        }
    }

    /// The ids of the records in the scope (`None` while the data is not loaded).
    pub fn ids(self, d: &DataStore, now: DateTime<Utc>) -> Option<HashSet<String>> {
        Some(match self {
            Scope::PendingActions => {
                let actions = d.machine_actions.data()?;
                let mut ids: HashSet<String> =
                    waiting_actions(actions).map(|a| a.id.clone()).collect();
                if let Some(invs) = d.investigations.data() {
                    ids.extend(awaiting_approval(invs).map(|i| i.id.clone()));
                }
                ids
            }
            Scope::DevicesWithThreats => threatened(d.machines.data()?)
                .map(|m| m.id().to_string())
                .collect(),
            Scope::NewIncidents => new_incidents(d.incidents.data()?, now)
                .map(|i| i.id.clone())
                .collect(),
            Scope::Unresolved => d
                .incidents
                .data()?
                .iter()
                .filter(|i| i.is_open())
                .map(|i| i.id.clone())
                .collect(),
        })
    }

    /// The scope's name in the title, with what it holds (`4 waiting · 1 investigation ⚑`).
    pub fn label(self, d: &DataStore, now: DateTime<Utc>) -> String {
        figure(self, d, now).unwrap_or_else(|| self.name().to_string())
    }

    fn name(self) -> &'static str {
        match self {
            Scope::PendingActions => "waiting",
            Scope::DevicesWithThreats => "high and medium risk",
            Scope::NewIncidents => "new in 24 h",
            Scope::Unresolved => "unresolved",
        }
    }
}

/// The figure of a scope's checklist task (`None` while its data is not loaded).
pub fn figure(scope: Scope, d: &DataStore, now: DateTime<Utc>) -> Option<String> {
    match scope {
        Scope::PendingActions => {
            let p = waiting_actions(d.machine_actions.data()?).count();
            let n = d
                .investigations
                .data()
                .map_or(0, |i| awaiting_approval(i).count());
            Some(if n > 0 {
                format!(
                    "{p} waiting  {n} investigation{} ⚑",
                    if n == 1 { "" } else { "s" }
                )
            } else {
                format!("{p} waiting")
            })
        }
        Scope::DevicesWithThreats => {
            let ms = d.machines.data()?;
            // One pass over the inventory: at risk is High or Medium.
            let (high, med) = threatened(ms).fold((0, 0), |(h, m), d| {
                if d.risk_score() == Some(RiskScore::High) {
                    (h + 1, m)
                } else {
                    (h, m + 1)
                }
            });
            Some(format!("{high} high  {med} medium"))
        }
        Scope::NewIncidents => {
            let incs = d.incidents.data()?;
            let new: Vec<&Incident> = new_incidents(incs, now).collect();
            let high = new
                .iter()
                .filter(|i| i.severity == Some(AlertSeverity::High))
                .count();
            let open = incs.iter().filter(|i| i.is_open()).count();
            Some(format!("{} new  {high} high  {open} open", new.len()))
        }
        Scope::Unresolved => Some(Scope::Unresolved.name().to_string()),
    }
}

// The rules are the digest's (`crate::predicates`): a figure here, the digest's count and
// the scoped view's rows are the same records.
fn waiting_actions(a: &[MachineAction]) -> impl Iterator<Item = &MachineAction> {
    a.iter().filter(|a| predicates::is_waiting(a))
}

fn awaiting_approval(i: &[Investigation]) -> impl Iterator<Item = &Investigation> {
    i.iter().filter(|i| predicates::awaits_approval(i))
}

fn threatened(m: &Devices) -> impl Iterator<Item = Device<'_>> {
    m.iter().filter(predicates::is_at_risk)
}

fn new_incidents(i: &[Incident], now: DateTime<Utc>) -> impl Iterator<Item = &Incident> {
    i.iter()
        .filter(move |i| predicates::is_new_incident(i, now))
}

/// Scope `table` to `scope` (the view opened from its checklist task).
pub fn apply(s: &mut AppState, table: TableId, scope: Scope) {
    let ids = scope.ids(&s.data, s.now).unwrap_or_default();
    let label = scope.label(&s.data, s.now);
    if let Some(t) = s.tables.get_mut(&table) {
        t.set_scope(Some(Scoped { scope, label, ids }));
    }
}

/// The data changed: every scoped table takes the records its scope holds now.
pub fn refresh(s: &mut AppState) {
    let scoped: Vec<(TableId, Scope)> = s
        .tables
        .iter()
        .filter_map(|(id, t)| t.scope.as_ref().map(|sc| (*id, sc.scope)))
        .collect();
    for (table, scope) in scoped {
        apply(s, table, scope);
    }
    defaults(s);
}

/// The Incidents table shows unresolved incidents unless the analyst asked for all (`u`).
pub(crate) fn defaults(s: &mut AppState) {
    if !s.incidents_all
        && s.table(TableId::Incidents)
            .is_some_and(|t| t.scope.is_none())
    {
        apply(s, TableId::Incidents, Scope::Unresolved);
    }
}

/// `u` on the Incidents table: every incident, or back to the unresolved ones.
pub(crate) fn toggle_all_incidents(s: &mut AppState) {
    let scoped = s
        .table(TableId::Incidents)
        .is_some_and(|t| t.scope.is_some());
    s.incidents_all = scoped;
    if scoped {
        if let Some(t) = s.tables.get_mut(&TableId::Incidents) {
            t.set_scope(None);
        }
    } else {
        apply(s, TableId::Incidents, Scope::Unresolved);
    }
}

/// Drop every scope (the analyst left the scoped view); the defaults hold again.
pub fn clear(s: &mut AppState) {
    for t in s.tables.values_mut() {
        if t.scope.is_some() {
            t.set_scope(None);
        }
    }
    defaults(s);
}
