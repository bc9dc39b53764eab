//! The live figure beside each checklist task, recomputed when data loads.

use crate::api::model::{ActionType, InvestigationState};
use crate::app::state::AppState;
use crate::app::tables::rows::exposure_level;
use crate::app::view::{Cadence, ResourceKind};

/// Recompute every figure from the data on hand.
pub(crate) fn compute(s: &mut AppState) {
    let d = &s.data;
    let now = s.now;
    let mut f: Vec<(Cadence, &'static str, Option<String>, &[ResourceKind])> = Vec::new();
    use Cadence::*;
    use ResourceKind as R;

    f.push((
        Daily,
        "exposure",
        d.exposure_score
            .data()
            .and_then(|e| e.score)
            .map(|x| format!("{x:.0} {}", exposure_level(x))),
        &[R::ExposureScore],
    ));
    // The three figures whose tasks open a scoped view: one predicate for both.
    use crate::app::data::scope::{Scope, figure};
    f.push((
        Daily,
        "pending",
        figure(Scope::PendingActions, d, now),
        &[R::MachineActions],
    ));
    f.push((
        Daily,
        "threats",
        figure(Scope::DevicesWithThreats, d, now),
        &[R::Machines],
    ));
    f.push((
        Daily,
        "incidents",
        figure(Scope::NewIncidents, d, now),
        &[R::Incidents],
    ));
    let scans = d.machine_actions.data().map(|a| {
        a.iter()
            .filter(|a| a.action_type == Some(ActionType::RunAntiVirusScan))
            .filter(|a| crate::predicates::is_waiting(a))
            .count()
    });
    let running = d.investigations.data().map(|i| {
        i.iter()
            .filter(|i| {
                matches!(
                    i.state,
                    Some(InvestigationState::Running | InvestigationState::Queued)
                )
            })
            .count()
    });
    f.push((
        Daily,
        "scans",
        scans.map(|n| {
            let r = running.unwrap_or(0);
            format!(
                "{n} scan{} · {r} investigation{} running",
                plural(n),
                plural(r)
            )
        }),
        &[R::MachineActions],
    ));

    f.push((
        Weekly,
        "securescore",
        d.secure_scores
            .data()
            .and_then(|v| v.iter().max_by_key(|x| x.created_date_time))
            .and_then(|x| x.percent())
            .map(|p| format!("{p:.1} %")),
        &[R::SecureScores],
    ));
    f.push((
        Weekly,
        "devicescore",
        d.configuration_score
            .data()
            .and_then(|c| c.score)
            .map(|c| format!("{c:.0}")),
        &[R::ConfigurationScore],
    ));
    f.push((
        Weekly,
        "recommendations",
        d.recommendations.data().map(|r| {
            let active = r.iter().filter(|r| r.is_active()).count();
            let exploit = r.iter().filter(|r| r.public_exploit == Some(true)).count();
            format!("{active} active  {exploit} with exploits")
        }),
        &[R::Recommendations],
    ));
    f.push((
        Weekly,
        "remediation",
        d.remediation_tasks
            .data()
            .map(|t| format!("{} active", t.iter().filter(|t| t.is_active()).count())),
        &[R::RemediationTasks],
    ));

    f.push((
        Monthly,
        "reports",
        d.alerts.data().map(|a| {
            let incidents = d.incidents.data().map_or(0, Vec::len);
            format!("{} alerts  {incidents} incidents", a.len())
        }),
        &[R::Alerts],
    ));
    f.push((
        Monthly,
        "avhealth",
        d.av_info.data().map(|a| {
            format!(
                "{} out of date of {}",
                a.iter().filter(|a| a.is_out_of_date()).count(),
                a.len()
            )
        }),
        &[R::AvInfo],
    ));
    f.push((Monthly, "learn", Some("portal only (no API)".into()), &[]));

    f.push((
        AsNeeded,
        "threats",
        d.recommendations.data().map(|r| {
            let mut ids: Vec<&str> = r
                .iter()
                .flat_map(|r| r.associated_threats.iter().map(String::as_str))
                .collect();
            ids.sort_unstable();
            ids.dedup();
            let vulns = d.vulnerabilities.data().map_or(0, |v| {
                v.iter()
                    .filter(|v| {
                        v.public_exploit == Some(true) && v.exposed_machines.unwrap_or(0) > 0
                    })
                    .count()
            });
            format!("{} reports · {vulns} exploitable CVEs", ids.len())
        }),
        &[R::Recommendations],
    ));
    f.push((
        AsNeeded,
        "remediate",
        d.machines.data().map(|m| format!("{} devices", m.len())),
        &[R::Machines],
    ));
    f.push((
        AsNeeded,
        "indicators",
        d.indicators
            .data()
            .map(|i| format!("{} indicators", i.len())),
        &[R::Indicators],
    ));

    for (c, id, value, kinds) in f {
        let text = match value {
            Some(v) => v,
            None if kinds.iter().any(|k| d.error(*k).is_some()) => {
                "unavailable (see :errors)".into()
            }
            None if kinds.iter().any(|k| d.pending(*k).is_some()) => "loading…".into(),
            None => "—".into(),
        };
        s.figures.insert((c, id), text);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
