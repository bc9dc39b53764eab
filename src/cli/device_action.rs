//! `device DEVICE VERB --comment C [--yes]`: resolve the device to its id, build the action
//! and run it through the safety pipeline; print the machine action (JSON) or one line.

use serde_json::Value;

use crate::api::calls::ActionRequest;
use crate::api::catalog::{self, DeviceAction, INVESTIGATION_RETIRED, Inputs};
use crate::cli::args::{DeviceArgs, DeviceVerb};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, print_raw_json};
use crate::cli::send::{Device, check_plan, execute, resolve_device};
use crate::cli::session::Session;

/// Run `device …`.
pub async fn run(s: &Session, a: DeviceArgs) -> CliResult {
    crate::cli::device_ref::check(&a.device)?;
    let comment = a.comment.clone().unwrap_or_default();
    let (action, inputs) = inputs(&a.verb, comment.clone());
    // The retired investigation names what to run instead, before anything else.
    if action == DeviceAction::Investigate {
        return Err(CliError::Usage(format!(
            "{INVESTIGATION_RETIRED}: run `socops device {} scan --full --comment \"…\"` instead",
            crate::text::line(&a.device)
        )));
    }
    if comment.trim().is_empty() {
        return Err(CliError::Usage(
            "a comment is required: --comment \"why\" (it is recorded with the action)".into(),
        ));
    }
    // Check the input that needs no network before resolving the device.
    let probe = catalog::request(action, &"0".repeat(40), &inputs).map_err(CliError::Usage)?;
    check_plan(s, &probe)?;
    if action == DeviceAction::RunScript {
        check_script(s, &inputs.script).await?;
    }
    let device = resolve_device(s, &a.device).await?;
    let req = catalog::request(action, &device.id, &inputs).map_err(CliError::Usage)?;
    let what = format!("{} {} (id {})", req.label(), device.name, device.id);
    let Some(raw) = execute(s, &req, Some(&device), &what, a.yes).await? else {
        return Ok(());
    };
    report(s, &req, &device, raw.get())
}

/// The catalogue action of a verb and the inputs its flags give.
pub fn inputs(verb: &DeviceVerb, comment: String) -> (DeviceAction, Inputs) {
    let mut i = Inputs {
        comment,
        ..Inputs::default()
    };
    let action = match verb.clone() {
        DeviceVerb::Scan { full } => {
            i.full = full;
            DeviceAction::Scan
        }
        DeviceVerb::Isolate { selective } => {
            i.selective = selective;
            DeviceAction::Isolate
        }
        DeviceVerb::Release => DeviceAction::Release,
        DeviceVerb::Investigate => DeviceAction::Investigate,
        DeviceVerb::Collect => DeviceAction::Collect,
        DeviceVerb::Restrict => DeviceAction::Restrict,
        DeviceVerb::Unrestrict => DeviceAction::Unrestrict,
        DeviceVerb::Offboard => DeviceAction::Offboard,
        DeviceVerb::QuarantineFile { sha1 } => {
            i.sha1 = sha1;
            DeviceAction::Quarantine
        }
        DeviceVerb::RunScript { name, args } => {
            i.script = name;
            i.args = args;
            DeviceAction::RunScript
        }
        DeviceVerb::GetFile { path } => {
            i.path = path;
            DeviceAction::GetFile
        }
    };
    (action, i)
}

/// A script runs only from the live-response library: a name that is not there is a usage
/// problem (exit 2) listing the scripts, found before anything is sent or audited.
async fn check_script(s: &Session, name: &str) -> CliResult {
    use crate::api::calls::live_response::library_files;
    use crate::api::model::live_response::LibraryFile;
    let files = library_files()
        .fetch::<LibraryFile>(&s.client, Some(500))
        .await?;
    if files.iter().any(|f| f.file_name == name) {
        return Ok(());
    }
    let mut names: Vec<String> = files
        .iter()
        .map(|f| crate::text::line(&f.file_name).into_owned())
        .collect();
    names.sort();
    let listed = if names.is_empty() {
        "the library is empty: upload the script in the portal first".to_string()
    } else {
        format!("the library holds: {}", names.join(", "))
    };
    Err(CliError::Usage(format!(
        "no script '{}' in the live-response library; {listed}",
        crate::text::line(name)
    )))
}

/// Print what was queued: the raw object with `--json`, else one line.
pub fn report(s: &Session, req: &ActionRequest, device: &Device, raw: &str) -> CliResult {
    if s.format == Format::Json {
        return print_raw_json(raw);
    }
    let v: Value = serde_json::from_str(raw).unwrap_or_default();
    let id = v["id"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v["id"].to_string());
    let status = v["status"]
        .as_str()
        .or(v["state"].as_str())
        .unwrap_or("queued");
    println!(
        "{} {} queued: action {} ({})",
        req.label(),
        crate::text::line(device.short()),
        crate::text::line(&id),
        crate::text::line(status)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_response_body_casing() {
        let (a, i) = inputs(
            &DeviceVerb::RunScript {
                name: "x.ps1".into(),
                args: Some("-A".into()),
            },
            "c".into(),
        );
        let r = catalog::request(a, "m", &i).unwrap();
        let b = r.body().unwrap();
        assert_eq!(b["Comment"], "c");
        assert_eq!(b["Commands"][0]["type"], "RunScript");
        assert_eq!(b["Commands"][0]["params"][1]["key"], "Args");
    }
}
