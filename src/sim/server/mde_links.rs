//! Download links of machine actions: the investigation package URI and live-response
//! command results, as short-lived SAS URLs on the simulator's blob host.

use super::SimState;
use super::mde::action_missing;
use super::reply::{Family, Reply, mde_error};
use crate::sim::clock::{secs, ts};
use crate::sim::tenant::Tenant;
use serde_json::json;

fn sas(st: &SimState, path: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let exp = ts(now + secs(1800.0)).replace(':', "%3A");
    format!(
        "{}/sim-blob/{path}?se={exp}&sp=r&sv=2022-11-02&sr=b&sig=c2ltdWxhdGVk",
        st.base_url
    )
}

fn string_value(st: &SimState, url: String) -> Reply {
    Reply::ok(
        Family::Mde,
        &json!({"@odata.context": format!("{}/api/$metadata#Edm.String", st.base_url), "value": url}),
    )
}

/// `GET /api/machineactions/{id}/getPackageUri`: 404 until the collection succeeded.
pub fn package_uri(st: &SimState, t: &Tenant, id: &str) -> Reply {
    let now = st.clock.now();
    let Some(a) = t.actions.iter().find(|a| a.id.eq_ignore_ascii_case(id)) else {
        return action_missing(id);
    };
    if a.kind != "CollectInvestigationPackage" || a.status(now).0 != "Succeeded" {
        return mde_error(
            404,
            "ResourceNotFound",
            &format!("Investigation package for action {id} is not available"),
        );
    }
    // The getPackageUri page's sample wraps the link in a second pair of quotes
    // (https://learn.microsoft.com/en-us/defender-endpoint/api/get-package-sas-uri): the
    // simulator answers the same way, so a client must strip them.
    string_value(
        st,
        format!("\"{}\"", sas(st, &format!("package/{}.zip", a.id), now)),
    )
}

/// `GET /api/machineactions/{id}/GetLiveResponseResultDownloadLink(index=N)`.
pub(crate) fn result_link(st: &SimState, t: &Tenant, id: &str, seg: &str) -> Reply {
    let now = st.clock.now();
    let Some(a) = t.actions.iter().find(|a| a.id.eq_ignore_ascii_case(id)) else {
        return action_missing(id);
    };
    let index = seg
        .split_once("index=")
        .and_then(|(_, r)| r.trim_end_matches(')').trim().parse::<usize>().ok());
    let Some(index) = index else {
        return mde_error(400, "BadRequest", "Missing or invalid 'index' parameter");
    };
    if a.kind != "LiveResponse" || index >= a.commands.len() {
        return mde_error(
            404,
            "ResourceNotFound",
            &format!("Command {index} of action {id} was not found"),
        );
    }
    if a.commands[index].kind == "PutFile" {
        return mde_error(400, "BadRequest", "PutFile commands have no result");
    }
    if !a.command_done(index, now) {
        return mde_error(
            404,
            "ResourceNotFound",
            &format!("The result of command {index} is not ready"),
        );
    }
    string_value(st, sas(st, &format!("lr/{}/{index}", a.id), now))
}
