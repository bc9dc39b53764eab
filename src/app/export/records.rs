//! The API records behind a table's rows, for a JSON export that reads like the CLI's
//! `--json`: the records with the API's own field names, in the table's view order. Tables
//! socops derives itself (threat reports, learn links, errors, the team queue) have no such
//! records; their JSON keeps the column titles.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::api::model::Machine;
use crate::app::state::{AppState, TableId};
use crate::app::tables::table::TableState;
use crate::listing::{Column, columns};

/// The records of the rows in view, in view order, or `None` when the table is derived.
/// A row whose record is gone (a reload in between) is left out.
pub(crate) fn rows_as_records(s: &AppState, id: TableId, t: &TableState) -> Option<Vec<Value>> {
    if let TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices = id {
        return Some(
            devices_in_view(s, t)?
                .filter_map(|m| serde_json::to_value(m).ok())
                .collect(),
        );
    }
    let by_id = records(s, id)?;
    Some(
        t.rows_in_view()
            .filter_map(|r| by_id.get(r.id()).cloned())
            .collect(),
    )
}

/// The devices of the rows in view, in view order, decoded whole. Devices are kept packed:
/// only the rows exported are decoded, found by id.
fn devices_in_view<'a>(
    s: &'a AppState,
    t: &'a TableState,
) -> Option<impl Iterator<Item = Machine> + 'a> {
    let devices = s.data.machines.data()?;
    Some(
        t.rows_in_view()
            .filter_map(|r| devices.find(r.id()))
            .map(|d| d.machine()),
    )
}

/// Every record a table's rows can name, by row id.
fn records(s: &AppState, id: TableId) -> Option<HashMap<String, Value>> {
    let d = &s.data;
    match id {
        // Read in `rows_as_records`, from the packed devices.
        TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices => None,
        TableId::ActionsPending | TableId::ActionsHistory => {
            let mut all = d
                .machine_actions
                .data()
                .map(|a| index(a, |a| a.id.clone()))
                .unwrap_or_default();
            if let Some(invs) = d.investigations.data() {
                all.extend(index(invs, |i| i.id.clone()));
            }
            Some(all)
        }
        TableId::Incidents => Some(index(d.incidents.data()?, |i| i.id.clone())),
        TableId::Alerts => Some(index(d.alerts.data()?, |a| a.id.clone())),
        TableId::Recommendations => Some(index(d.recommendations.data()?, |r| r.id.clone())),
        TableId::Remediation => Some(index(d.remediation_tasks.data()?, |r| r.id.clone())),
        TableId::Indicators => Some(index(d.indicators.data()?, |i| i.id.clone())),
        TableId::ExposureGroups => Some(index(d.group_exposure.data()?, |g| {
            g.rbac_group_name
                .clone()
                .unwrap_or_else(|| "(unassigned)".into())
        })),
        TableId::Controls => controls(s),
        TableId::Learn | TableId::Threats | TableId::Errors | TableId::TeamApprovals => None,
    }
}

/// Control rows are named by `controlName`: each is the control profile as Graph sends it with
/// the latest score's entry for it under `controlScore`, as `socops controls list --json`.
fn controls(s: &AppState) -> Option<HashMap<String, Value>> {
    let latest = s
        .data
        .secure_scores
        .data()?
        .iter()
        .max_by_key(|x| x.created_date_time)?;
    let profiles = s
        .data
        .control_profiles
        .data()
        .map_or(&[][..], Vec::as_slice);
    Some(
        latest
            .control_scores
            .iter()
            .map(|c| {
                let name = c.control_name.clone().unwrap_or_default();
                let mut record = profiles
                    .iter()
                    .find(|p| p.id == name)
                    .and_then(|p| serde_json::to_value(p).ok())
                    .and_then(|v| match v {
                        Value::Object(m) => Some(m),
                        _ => None,
                    })
                    .unwrap_or_else(|| {
                        let mut m = Map::new();
                        m.insert("id".into(), Value::String(name.clone()));
                        m
                    });
                record.insert(
                    "controlScore".into(),
                    serde_json::to_value(c).unwrap_or(Value::Null),
                );
                (name, Value::Object(record))
            })
            .collect(),
    )
}

/// The rows in view as the CSV of the CLI's list of the same records (`devices list --csv`,
/// `incidents list --csv` …: the same columns and cells, `crate::listing`), in view order, or
/// `None` when the CLI has no such list.
pub(crate) fn rows_as_csv(s: &AppState, id: TableId, t: &TableState) -> Option<String> {
    let d = &s.data;
    match id {
        TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices => {
            let in_view: Vec<Machine> = devices_in_view(s, t)?.collect();
            Some(crate::listing::records_csv(
                columns::DEVICES,
                in_view.iter(),
                s.now,
            ))
        }
        TableId::Incidents => Some(csv(
            t,
            d.incidents.data()?,
            |i| &i.id,
            columns::INCIDENTS,
            s.now,
        )),
        TableId::Indicators => Some(csv(
            t,
            d.indicators.data()?,
            |i| &i.id,
            columns::INDICATORS,
            s.now,
        )),
        TableId::Recommendations => Some(csv(
            t,
            d.recommendations.data()?,
            |r| &r.id,
            columns::RECOMMENDATIONS,
            s.now,
        )),
        // The CSV is the export: the portal-style columns, as `remediation list --csv`.
        TableId::Remediation => Some(csv(
            t,
            d.remediation_tasks.data()?,
            |r| &r.id,
            columns::REMEDIATION_EXPORT,
            s.now,
        )),
        _ => None,
    }
}

fn csv<T>(
    t: &TableState,
    items: &[T],
    key: fn(&T) -> &String,
    columns: &[Column<T>],
    now: chrono::DateTime<chrono::Utc>,
) -> String {
    let by_id: HashMap<&str, &T> = items.iter().map(|x| (key(x).as_str(), x)).collect();
    let in_view = t.rows_in_view().filter_map(|r| by_id.get(r.id()).copied());
    crate::listing::records_csv(columns, in_view, now)
}

fn index<T: Serialize>(items: &[T], key: impl Fn(&T) -> String) -> HashMap<String, Value> {
    items
        .iter()
        .filter_map(|x| Some((key(x), serde_json::to_value(x).ok()?)))
        .collect()
}
