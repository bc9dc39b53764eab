//! `actions list` and `investigations list`: the action history and automated investigations.

use crate::api::first_party;
use crate::api::model::{Investigation, MachineAction};
use crate::cli::args::{ActionsCmd, InvestigationsCmd};
use crate::cli::enum_flags::wire;
use crate::cli::exit::CliResult;
use std::collections::HashMap;

use crate::api::resources::ListResource;
use crate::cli::list::{Fill, ListQuery, Shape, list, list_shaped};
use crate::cli::output::{Cell, Column, Format, opt, text};
use crate::cli::session::Session;

/// Columns of the machine action table and CSV. UPDATED reads either spelling of the
/// last-update field (`lastUpdateDateTimeUtc` / `lastUpdateTimeUtc`).
pub(crate) const COLUMNS: &[Column<MachineAction>] = &[
    ("ID", |a| a.id.as_str().into()),
    ("TYPE", |a| opt(a.action_type.as_ref())),
    ("STATUS", |a| opt(a.status.as_ref())),
    ("DEVICE", |a| a.device_label().into()),
    ("REQUESTOR", |a| text(a.requestor.as_deref())),
    ("CREATED", |a| Cell::Time(a.creation_date_time_utc)),
    ("UPDATED", |a| Cell::Age(a.last_update())),
    ("COMMENT", |a| text(a.requestor_comment.as_deref())),
];

/// Columns of the investigation table and CSV.
pub(crate) const INVESTIGATION_COLUMNS: &[Column<Investigation>] = &[
    ("ID", |i| i.id.as_str().into()),
    ("STATE", |i| opt(i.state.as_ref())),
    ("DEVICE", |i| i.device_label().into()),
    ("START", |i| Cell::Time(i.start_time)),
    ("END", |i| Cell::Time(i.end_time)),
    ("ALERT", |i| text(i.triggering_alert_id.as_deref())),
];

/// Run `actions …`.
pub async fn run(s: &Session, cmd: ActionsCmd) -> CliResult {
    let ActionsCmd::List {
        status,
        device,
        limit,
    } = cmd;
    let q = ListQuery {
        resource: ListResource::Actions,
        columns: COLUMNS,
        fields: vec![("status", wire(status)), ("machineId", device)],
        raw_filter: None,
        limit: limit.limit,
    };
    // Some machine actions come without `computerDnsName`: the table and CSV name their
    // device from the device list, online or (offline) its cache entry (JSON stays the API's
    // records). The table names the requestor as the console's action tables do
    // (`first_party::requestor_cell`); CSV keeps the value as sent, data for the next program
    // like the whole ids.
    let names = if s.format == Format::Json {
        HashMap::new()
    } else {
        device_names(s).await
    };
    let own_app = first_party::own_app_of(&s.client.operator());
    let name_requestor = s.format == Format::Table;
    let fill: Option<Fill<MachineAction>> = if s.format == Format::Json {
        None
    } else {
        Some(Box::new(move |a: &mut MachineAction| {
            let missing = a
                .computer_dns_name
                .as_deref()
                .is_none_or(|n| n.trim().is_empty());
            if missing && let Some(name) = a.machine_id.as_ref().and_then(|id| names.get(id)) {
                a.computer_dns_name = Some(name.clone());
            }
            if name_requestor {
                a.requestor = Some(first_party::requestor_cell(
                    own_app.as_deref(),
                    a.requestor.as_deref(),
                ));
            }
        }))
    };
    let shape = Shape { order: None, fill };
    list_shaped(s, q, shape).await
}

/// Device name by machine id, from the device list (List machines documents no `$select`,
/// https://learn.microsoft.com/defender-endpoint/api/get-machines, so whole records come and
/// only two fields are kept); offline from the list's cache entry. A failure leaves the
/// actions named by id, with a warning: the list itself still prints.
async fn device_names(s: &Session) -> HashMap<String, String> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Named {
        id: String,
        computer_dns_name: Option<String>,
    }
    let read: Result<Vec<Named>, String> = if s.offline {
        cached_devices(s).map(|records| {
            records
                .iter()
                .filter_map(|r| serde_json::from_str::<Named>(r.get()).ok())
                .collect()
        })
    } else {
        ListResource::Devices
            .request(None)
            .fetch::<Named>(&s.client, None)
            .await
            .map_err(|e| e.to_string())
    };
    match read {
        Ok(devices) => devices
            .into_iter()
            .filter_map(|d| Some((d.id, d.computer_dns_name?)))
            .collect(),
        Err(e) => {
            eprintln!(
                "socops: warning: device names not read ({}); devices show by id",
                crate::text::line(&e)
            );
            HashMap::new()
        }
    }
}

/// The devices list's cache entry of the session's profile (offline).
fn cached_devices(s: &Session) -> Result<Vec<Box<serde_json::value::RawValue>>, String> {
    let missing = || {
        format!(
            "no offline data for devices; run `{}` online once",
            ListResource::Devices.fill_command()
        )
    };
    let cache = s.cache.as_ref().ok_or_else(missing)?;
    match cache.load_raw(&s.profile_name, ListResource::Devices) {
        Ok(Some((records, _))) => Ok(records),
        Ok(None) => Err(missing()),
        Err(e) => Err(e.to_string()),
    }
}

/// Run `investigations …`.
pub(crate) async fn run_investigations(s: &Session, cmd: InvestigationsCmd) -> CliResult {
    let InvestigationsCmd::List { state, limit } = cmd;
    let q = ListQuery {
        resource: ListResource::Investigations,
        columns: INVESTIGATION_COLUMNS,
        fields: vec![("state", wire(state))],
        raw_filter: None,
        limit: limit.limit,
    };
    list(s, q).await
}
