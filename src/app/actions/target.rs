//! Which device the selected row is about: a device row (Devices, Devices at risk, Most
//! exposed), an alert's or an incident's affected device, or a machine action's device; and
//! a file hash from that device's alert evidence for quarantine and indicators.

use crate::app::actions::kind::DeviceRef;
use crate::app::data::devices::Device;
use crate::app::state::{AppState, TableId};

/// The device of the selected row of the focused table, if it is about one.
pub(crate) fn selected_device(s: &AppState) -> Option<DeviceRef> {
    let table = s.focused_table()?;
    let row = s.table(table)?.selected_row()?;
    let (machine_id, fallback_name) = match table {
        TableId::Devices | TableId::DevicesAtRisk | TableId::ExposureDevices => {
            (row.id.clone(), None)
        }
        TableId::Alerts => {
            let a = s.data.alerts.data()?.iter().find(|a| a.id == row.id)?;
            (a.machine_id.clone()?, a.computer_dns_name.clone())
        }
        TableId::Incidents => {
            let inc = s.data.incidents.data()?.iter().find(|i| i.id == row.id)?;
            let ev = inc
                .alerts
                .iter()
                .flatten()
                .flat_map(|a| a.evidence.iter())
                .find(|e| e.mde_device_id.is_some())?;
            (ev.mde_device_id.clone()?, ev.device_dns_name.clone())
        }
        TableId::ActionsPending | TableId::ActionsHistory => {
            let a = s
                .data
                .machine_actions
                .data()?
                .iter()
                .find(|a| a.id == row.id)?;
            (a.machine_id.clone()?, a.computer_dns_name.clone())
        }
        _ => return None,
    };
    Some(device_ref(s, &machine_id, fallback_name))
}

/// Every device the selected row is about: an incident's devices (several ask which one),
/// else the one device of the row.
pub(crate) fn selected_devices(s: &AppState) -> Vec<DeviceRef> {
    if s.focused_table() == Some(TableId::Incidents)
        && let Some(row) = s.table(TableId::Incidents).and_then(|t| t.selected_row())
    {
        let all = crate::app::tables::rows::incident_devices(s, &row.id);
        if !all.is_empty() {
            return all
                .into_iter()
                .map(|(id, name)| device_ref(s, &id, name))
                .collect();
        }
    }
    selected_device(s).into_iter().collect()
}

/// The device as the dialog names it, from the inventory when it is loaded.
pub(crate) fn device_ref(
    s: &AppState,
    machine_id: &str,
    fallback_name: Option<String>,
) -> DeviceRef {
    let m: Option<Device<'_>> = s.data.machines.data().and_then(|ms| ms.find(machine_id));
    let (sha1, sha256) = evidence_hashes(s, machine_id);
    DeviceRef {
        id: machine_id.to_string(),
        name: m
            .map(|m| m.display_name().to_string())
            .or(fallback_name)
            .unwrap_or_else(|| machine_id.to_string()),
        os: m
            .and_then(|m| m.os_platform())
            .unwrap_or("unknown OS")
            .to_string(),
        risk: m
            .and_then(|m| m.risk_text().map(str::to_string))
            .unwrap_or_else(|| "unknown".into()),
        // Unknown OS: offer everything and let the service refuse.
        windows: m.is_none_or(|m| m.is_windows()),
        sha1,
        sha256,
        isolation: crate::app::actions::isolation::of(s, machine_id),
    }
}

/// The first SHA-1 and SHA-256 in the alert evidence of this device.
fn evidence_hashes(s: &AppState, machine_id: &str) -> (Option<String>, Option<String>) {
    let mut sha1 = None;
    let mut sha256 = None;
    for a in s.data.alerts.data().into_iter().flatten() {
        if a.machine_id.as_deref() != Some(machine_id) {
            continue;
        }
        for e in &a.evidence {
            sha1 = sha1.or_else(|| e.sha1.clone().filter(|h| h.len() == 40));
            sha256 = sha256.or_else(|| e.sha256.clone().filter(|h| h.len() == 64));
        }
    }
    for inc in s.data.incidents.data().into_iter().flatten() {
        for a in inc.alerts.iter().flatten() {
            if !a
                .evidence
                .iter()
                .any(|e| e.mde_device_id.as_deref() == Some(machine_id))
            {
                continue;
            }
            for f in a.evidence.iter().filter_map(|e| e.file_details.as_ref()) {
                sha1 = sha1.or_else(|| f.sha1.clone().filter(|h| h.len() == 40));
                sha256 = sha256.or_else(|| f.sha256.clone().filter(|h| h.len() == 64));
            }
        }
    }
    (sha1, sha256)
}
