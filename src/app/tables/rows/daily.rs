//! Daily views: the action center, incidents and alerts.

use crate::api::model::InvestigationState;
use crate::app::state::{AppState, TableId};
use crate::app::tables::rows::{or_dash, portal, set, severity, ts};
use crate::app::tables::table::Row;

/// A device cell: the record's own short DNS name, else the name of its machine id from the
/// loaded devices, else the machine id, else `—`.
pub fn device_cell(s: &AppState, dns: Option<&str>, machine_id: Option<&str>) -> String {
    match dns.map(str::trim) {
        Some(n) if !n.is_empty() => n.split('.').next().unwrap_or(n).to_string(),
        _ => or_dash(s.device_name(machine_id).or(machine_id)),
    }
}

/// Pending and history of machine actions and investigations.
pub(super) fn actions(s: &mut AppState) {
    let mut pending = Vec::new();
    let mut history = Vec::new();
    if let Some(actions) = s.data.machine_actions.data() {
        let mut actions: Vec<_> = actions.iter().collect();
        actions.sort_by_key(|a| std::cmp::Reverse(a.creation_date_time_utc));
        for a in actions {
            // Waiting as the digest and the checklist count it.
            let open = crate::predicates::is_waiting(a);
            let row = Row::new(
                a.id.clone(),
                vec![
                    or_dash(a.action_type.as_ref().map(|t| t.as_str())),
                    device_cell(s, a.computer_dns_name.as_deref(), a.machine_id.as_deref()),
                    or_dash(a.status.as_ref().map(|t| t.as_str())),
                    crate::app::tables::rows::requestor_cell(s, a.requestor.as_deref()),
                    or_dash(a.requestor_comment.as_deref()),
                    String::new(),
                ],
            )
            .rank(5, ts(a.creation_date_time_utc))
            .marker('●');
            if open {
                pending.push(row)
            } else {
                history.push(row.marker(' '))
            }
        }
    }
    if let Some(invs) = s.data.investigations.data() {
        for i in invs {
            let state = i.state.as_ref();
            let cells = vec![
                "Investigation".to_string(),
                device_cell(s, i.computer_dns_name.as_deref(), i.machine_id.as_deref()),
                or_dash(state.map(|t| t.as_str())),
                or_dash(i.cancelled_by.as_deref().or(Some("(automated)"))),
                match &i.triggering_alert_id {
                    Some(a) => format!("triggered by alert {a}"),
                    None => or_dash(i.status_details.as_deref()),
                },
                String::new(),
            ];
            let row = Row::new(i.id.clone(), cells).rank(5, ts(i.start_time));
            if crate::predicates::awaits_approval(i) {
                // The investigation's own page (the queue alone does not say which one).
                let link = format!(
                    "{}/airinvestigation/{}",
                    portal(s),
                    crate::api::calls::encode_segment(&i.id)
                );
                pending.push(row.marker('⚑').link(Some(link)));
            } else if !state.is_some_and(InvestigationState::is_active) {
                history.push(row.link(Some(format!("{}/action-center/history", portal(s)))));
            } else {
                pending.push(
                    row.marker('●')
                        .link(Some(format!("{}/airinvestigation", portal(s)))),
                );
            }
        }
    }
    // Actions and investigations interleave by start time, newest first.
    history.sort_by_key(|r| std::cmp::Reverse(r.ranks.get(5).copied().unwrap_or(0)));
    set(s, TableId::ActionsPending, pending);
    set(s, TableId::ActionsHistory, history);
}

/// The incident queue, newest first.
pub(super) fn incidents(s: &mut AppState) {
    let Some(incs) = s.data.incidents.data() else {
        return;
    };
    let base = portal(s);
    let mut incs: Vec<_> = incs.iter().collect();
    incs.sort_by_key(|i| std::cmp::Reverse(i.created_date_time));
    let rows = incs
        .iter()
        .map(|i| {
            let (sev, rank) = severity(i.severity.as_ref());
            let devices = i.alerts.as_ref().map(|alerts| {
                let mut ids: Vec<&str> = alerts.iter().flat_map(|a| a.device_ids()).collect();
                ids.sort_unstable();
                ids.dedup();
                ids.len()
            });
            Row::new(
                i.id.clone(),
                vec![
                    sev,
                    i.id.clone(),
                    or_dash(i.display_name.as_deref()),
                    or_dash(i.status.as_ref().map(|s| s.as_str())),
                    or_dash(i.assigned_to.as_deref()),
                    devices.map_or("—".into(), |n| n.to_string()),
                    String::new(),
                ],
            )
            .rank(0, rank)
            .rank(5, devices.unwrap_or(0) as i64)
            .rank(6, ts(i.created_date_time))
            .link(Some(
                i.incident_web_url
                    .clone()
                    .unwrap_or_else(|| format!("{base}/incidents/{}", i.id)),
            ))
        })
        .collect();
    set(s, TableId::Incidents, rows);
}

/// The alert queue (MDE alerts, last 30 days), newest first.
pub(super) fn alerts(s: &mut AppState) {
    let Some(alerts) = s.data.alerts.data() else {
        return;
    };
    let base = portal(s);
    let mut alerts: Vec<_> = alerts.iter().collect();
    alerts.sort_by_key(|a| std::cmp::Reverse(a.alert_creation_time));
    let rows = alerts
        .iter()
        .map(|a| {
            let (sev, rank) = severity(a.severity.as_ref());
            Row::new(
                a.id.clone(),
                vec![
                    sev,
                    or_dash(a.title.as_deref()),
                    device_cell(s, a.computer_dns_name.as_deref(), a.machine_id.as_deref()),
                    or_dash(a.status.as_ref().map(|s| s.as_str())),
                    or_dash(a.detection_source.as_deref()),
                    String::new(),
                ],
            )
            .rank(0, rank)
            .rank(5, ts(a.alert_creation_time))
            .link(Some(format!("{base}/alerts/{}", a.id)))
        })
        .collect();
    set(s, TableId::Alerts, rows);
}
