//! `device DEVICE VERB --comment C [--yes]`: resolve the device to its id, build the action
//! and run it through the safety pipeline; print the machine action (JSON) or one line.

use serde_json::Value;

use crate::api::calls::{ActionRequest, LiveResponseCommandRequest as Lr};
use crate::cli::args::{DeviceArgs, DeviceVerb};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, print_raw_json};
use crate::cli::send::{Device, execute, resolve_device};
use crate::cli::session::Session;

/// Run `device …`.
pub async fn run(s: &Session, a: DeviceArgs) -> CliResult {
    crate::cli::device_ref::check(&a.device)?;
    let comment = a.comment.clone().unwrap_or_default();
    if comment.trim().is_empty() {
        return Err(CliError::Usage(
            "a comment is required: --comment \"why\" (it is recorded with the action)".into(),
        ));
    }
    // Check the input that needs no network before resolving the device.
    build(&a.verb, "0".repeat(40), comment.clone())
        .validate()
        .map_err(CliError::Usage)?;
    let device = resolve_device(s, &a.device).await?;
    let req = build(&a.verb, device.id.clone(), comment);
    let what = format!("{} {} (id {})", req.label(), device.name, device.id);
    let Some(raw) = execute(s, &req, Some(&device), &what, a.yes).await? else {
        return Ok(());
    };
    report(s, &req, &device, raw.get())
}

fn build(verb: &DeviceVerb, machine_id: String, comment: String) -> ActionRequest {
    use ActionRequest as A;
    match verb.clone() {
        DeviceVerb::Scan { full } => A::RunAntiVirusScan {
            machine_id,
            comment,
            full,
        },
        DeviceVerb::Isolate { selective } => A::Isolate {
            machine_id,
            comment,
            selective,
        },
        DeviceVerb::Release => A::Unisolate {
            machine_id,
            comment,
        },
        DeviceVerb::Investigate => A::StartInvestigation {
            machine_id,
            comment,
        },
        DeviceVerb::Collect => A::CollectInvestigationPackage {
            machine_id,
            comment,
        },
        DeviceVerb::Restrict => A::RestrictCodeExecution {
            machine_id,
            comment,
        },
        DeviceVerb::Unrestrict => A::UnrestrictCodeExecution {
            machine_id,
            comment,
        },
        DeviceVerb::QuarantineFile { sha1 } => A::StopAndQuarantineFile {
            machine_id,
            comment,
            sha1,
        },
        DeviceVerb::RunScript { name, args } => A::RunLiveResponse {
            machine_id,
            comment,
            commands: vec![Lr::RunScript {
                script_name: name,
                args,
            }],
        },
        DeviceVerb::GetFile { path } => A::RunLiveResponse {
            machine_id,
            comment,
            commands: vec![Lr::GetFile { path }],
        },
    }
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
    let kind = if matches!(req, ActionRequest::StartInvestigation { .. }) {
        "investigation"
    } else {
        "action"
    };
    println!(
        "{} {} queued: {kind} {} ({})",
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
        let r = build(
            &DeviceVerb::RunScript {
                name: "x.ps1".into(),
                args: Some("-A".into()),
            },
            "m".into(),
            "c".into(),
        );
        let b = r.body().unwrap();
        assert_eq!(b["Comment"], "c");
        assert_eq!(b["Commands"][0]["type"], "RunScript");
        assert_eq!(b["Commands"][0]["params"][1]["key"], "Args");
    }
}
