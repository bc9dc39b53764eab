//! The catalogue of response actions: ONE place for what the console's device menu and the
//! CLI's verbs offer. Each entry holds the action's menu label, effect, CLI verb, destructive
//! flag, typed-name rule, Windows-only rule and the licensed capability it needs (see
//! `api::plan`); [`request`] builds and validates the wire request from the operator's
//! inputs. Data and pure functions only: the app layer reads it, the CLI reads it.

use crate::api::calls::{ActionRequest, LiveResponseCommandRequest};
use crate::api::model::{IndicatorAction, IndicatorType, NewIndicator};
use crate::api::plan::{self, Capability, Plan};

/// A response action on one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeviceAction {
    Scan,
    /// Automated investigation: retired on 2026-09-01; kept so the key and the verb can say
    /// what to do instead.
    Investigate,
    Isolate,
    Release,
    Restrict,
    Unrestrict,
    Collect,
    Quarantine,
    Indicator,
    RunScript,
    GetFile,
    Offboard,
}

/// What the catalogue knows of one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub action: DeviceAction,
    /// Menu text.
    pub title: &'static str,
    /// What happens, in one sentence.
    pub effect: &'static str,
    /// The headless command that does the same (after `socops`), `DEVICE` for the device.
    pub cli: &'static str,
    /// Cuts a device off, stops software, removes a device or undoes protection.
    pub destructive: bool,
    /// On a protected profile the operator types the device name to confirm.
    pub typed_name: bool,
    /// The device name is typed on every profile (offboarding cannot be undone from here).
    pub typed_name_always: bool,
    /// The service offers it on Windows devices only.
    pub windows_only: bool,
    /// The licensed capability; `None` for a retired action.
    pub capability: Option<Capability>,
}

/// Why automated investigation cannot be started any more (MC1411577).
pub(crate) const INVESTIGATION_RETIRED: &str = "Automated investigation was retired on 2026-09-01 (MC1411577): it can no longer be started; an on-demand investigation is now a full antivirus scan";

/// Every device action, in menu order.
pub(crate) const CATALOG: [Entry; 12] = [
    Entry {
        action: DeviceAction::Scan,
        title: "Run antivirus scan",
        effect: "Microsoft Defender Antivirus scans the device now.",
        cli: "device DEVICE scan [--full]",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: false,
        capability: Some(Capability::Scan),
    },
    Entry {
        action: DeviceAction::Investigate,
        title: "Investigate (full antivirus scan)",
        effect: "A full antivirus scan examines the device and remediates what it finds.",
        cli: "device DEVICE scan --full",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: false,
        capability: None,
    },
    Entry {
        action: DeviceAction::Isolate,
        title: "Isolate device",
        effect: "The device is cut off the network except for the Defender service (Selective keeps Outlook/Teams).",
        cli: "device DEVICE isolate [--selective]",
        destructive: true,
        typed_name: true,
        typed_name_always: false,
        windows_only: false,
        capability: Some(Capability::Isolate),
    },
    Entry {
        action: DeviceAction::Release,
        title: "Release from isolation",
        effect: "The device's network isolation is lifted.",
        cli: "device DEVICE release",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: false,
        capability: Some(Capability::Isolate),
    },
    Entry {
        action: DeviceAction::Restrict,
        title: "Restrict app execution",
        effect: "Only Microsoft-signed applications may run on the device until removed.",
        cli: "device DEVICE restrict",
        destructive: true,
        typed_name: true,
        typed_name_always: false,
        windows_only: true,
        capability: Some(Capability::RestrictAppExecution),
    },
    Entry {
        action: DeviceAction::Unrestrict,
        title: "Remove app restriction",
        effect: "The app execution restriction is removed.",
        cli: "device DEVICE unrestrict",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: true,
        capability: Some(Capability::RestrictAppExecution),
    },
    Entry {
        action: DeviceAction::Collect,
        title: "Collect investigation package",
        effect: "A forensic package is collected from the device; it is saved here when ready.",
        cli: "device DEVICE collect",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: true,
        capability: Some(Capability::CollectPackage),
    },
    Entry {
        action: DeviceAction::Quarantine,
        title: "Stop and quarantine file",
        effect: "The file's processes are stopped and the file is quarantined on the device.",
        cli: "device DEVICE quarantine-file --sha1 H",
        destructive: true,
        typed_name: true,
        typed_name_always: false,
        windows_only: true,
        capability: Some(Capability::StopAndQuarantine),
    },
    Entry {
        action: DeviceAction::Indicator,
        title: "Add file indicator (block/allow)",
        effect: "A tenant-wide indicator for this file hash is added (applies to every device).",
        cli: "indicators add --sha1 H --action Block --title T",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: false,
        capability: Some(Capability::Indicators),
    },
    Entry {
        action: DeviceAction::RunScript,
        title: "Live response: run script",
        effect: "A live-response script from the library runs on the device; its output is shown.",
        cli: "device DEVICE run-script NAME",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: false,
        capability: Some(Capability::LiveResponse),
    },
    Entry {
        action: DeviceAction::GetFile,
        title: "Live response: get file",
        effect: "A live-response session collects the file; it is saved here when ready.",
        cli: "device DEVICE get-file PATH",
        destructive: false,
        typed_name: false,
        typed_name_always: false,
        windows_only: false,
        capability: Some(Capability::LiveResponse),
    },
    Entry {
        action: DeviceAction::Offboard,
        title: "Offboard device",
        effect: "The device stops reporting to Defender (offboarded).",
        cli: "device DEVICE offboard",
        destructive: true,
        typed_name: true,
        typed_name_always: true,
        windows_only: true,
        capability: Some(Capability::Offboard),
    },
];

impl DeviceAction {
    /// Menu order.
    pub const ALL: [DeviceAction; 12] = [
        DeviceAction::Scan,
        DeviceAction::Investigate,
        DeviceAction::Isolate,
        DeviceAction::Release,
        DeviceAction::Restrict,
        DeviceAction::Unrestrict,
        DeviceAction::Collect,
        DeviceAction::Quarantine,
        DeviceAction::Indicator,
        DeviceAction::RunScript,
        DeviceAction::GetFile,
        DeviceAction::Offboard,
    ];

    /// Its catalogue entry.
    pub fn entry(self) -> &'static Entry {
        CATALOG
            .iter()
            .find(|e| e.action == self)
            .unwrap_or(&CATALOG[0])
    }

    /// Menu text.
    pub fn title(self) -> &'static str {
        self.entry().title
    }

    /// What happens, in one sentence.
    pub fn effect(self) -> &'static str {
        self.entry().effect
    }

    /// Whether the device name must be typed to confirm, on a `protected` profile or not.
    pub(crate) fn typed_name(self, protected: bool) -> bool {
        let e = self.entry();
        e.typed_name_always || (protected && e.typed_name)
    }

    /// Whether `plan` includes it (the retired investigation is "included": it opens the
    /// full scan, which every plan has).
    pub(crate) fn in_plan(self, plan: Plan) -> bool {
        let cap = self.entry().capability.unwrap_or(Capability::Scan);
        plan::includes(plan, cap)
    }
}

/// What the operator gave for a device action (CLI flags or the console's dialog fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    pub comment: String,
    /// Scan: full instead of quick.
    pub full: bool,
    /// Isolate: selective instead of full.
    pub selective: bool,
    /// Quarantine: the file's SHA-1.
    pub sha1: String,
    /// Run script: library file name and arguments.
    pub script: String,
    pub args: Option<String>,
    /// Get file: the path on the device.
    pub path: String,
    /// Indicator: hash, action name, title.
    pub hash: String,
    pub indicator_action: String,
    pub title: String,
}

/// The wire request for `action` on `machine_id`, validated.
pub fn request(
    action: DeviceAction,
    machine_id: &str,
    i: &Inputs,
) -> Result<ActionRequest, String> {
    let machine_id = machine_id.to_string();
    let comment = i.comment.clone();
    let req = match action {
        DeviceAction::Investigate => {
            return Err(format!(
                "{INVESTIGATION_RETIRED}: run `socops device DEVICE scan --full` instead"
            ));
        }
        DeviceAction::Scan => ActionRequest::RunAntiVirusScan {
            machine_id,
            comment,
            full: i.full,
        },
        DeviceAction::Isolate => ActionRequest::Isolate {
            machine_id,
            comment,
            selective: i.selective,
        },
        DeviceAction::Release => ActionRequest::Unisolate {
            machine_id,
            comment,
        },
        DeviceAction::Restrict => ActionRequest::RestrictCodeExecution {
            machine_id,
            comment,
        },
        DeviceAction::Unrestrict => ActionRequest::UnrestrictCodeExecution {
            machine_id,
            comment,
        },
        DeviceAction::Collect => ActionRequest::CollectInvestigationPackage {
            machine_id,
            comment,
        },
        DeviceAction::Offboard => ActionRequest::Offboard {
            machine_id,
            comment,
        },
        DeviceAction::Quarantine => ActionRequest::StopAndQuarantineFile {
            machine_id,
            comment,
            sha1: i.sha1.clone(),
        },
        DeviceAction::Indicator => {
            let value = i.hash.trim().to_ascii_lowercase();
            let kind = match value.len() {
                40 => IndicatorType::FileSha1,
                64 => IndicatorType::FileSha256,
                _ => return Err(format!("'{value}' is not a SHA-1 or SHA-256")),
            };
            indicator(&value, kind, &i.indicator_action, &i.title, &comment)?
        }
        DeviceAction::RunScript => ActionRequest::RunLiveResponse {
            machine_id,
            comment,
            commands: vec![LiveResponseCommandRequest::RunScript {
                script_name: i.script.clone(),
                args: i.args.clone().filter(|a| !a.trim().is_empty()),
            }],
        },
        DeviceAction::GetFile => ActionRequest::RunLiveResponse {
            machine_id,
            comment,
            commands: vec![LiveResponseCommandRequest::GetFile {
                path: i.path.clone(),
            }],
        },
    };
    req.validate()?;
    Ok(req)
}

/// A new indicator (any type), validated: the comment is its description; an empty title
/// becomes "<action> <type> <value>".
pub fn indicator(
    value: &str,
    kind: IndicatorType,
    action: &str,
    title: &str,
    comment: &str,
) -> Result<ActionRequest, String> {
    if comment.trim().is_empty() {
        return Err("a comment is required (it is the indicator's description)".into());
    }
    let value = match kind {
        IndicatorType::FileSha1 | IndicatorType::FileSha256 | IndicatorType::FileMd5 => {
            value.trim().to_ascii_lowercase()
        }
        _ => value.trim().to_string(),
    };
    let title = match title.trim() {
        "" => format!("{action} {kind} {value}"),
        t => t.to_string(),
    };
    let req = ActionRequest::AddIndicator {
        indicator: NewIndicator {
            indicator_value: value,
            indicator_type: kind,
            action: IndicatorAction::from(action),
            title,
            description: comment.to_string(),
            severity: None,
            expiration_time: None,
            application: None,
            recommended_actions: None,
            rbac_group_names: Vec::new(),
            generate_alert: None,
        },
    };
    req.validate()?;
    Ok(req)
}

/// The capability a request needs (`None`: not licensed separately).
pub(crate) fn capability_of(req: &ActionRequest) -> Option<Capability> {
    Some(match req {
        ActionRequest::RunAntiVirusScan { .. } => Capability::Scan,
        ActionRequest::Isolate { .. } | ActionRequest::Unisolate { .. } => Capability::Isolate,
        ActionRequest::RestrictCodeExecution { .. }
        | ActionRequest::UnrestrictCodeExecution { .. } => Capability::RestrictAppExecution,
        ActionRequest::CollectInvestigationPackage { .. } => Capability::CollectPackage,
        ActionRequest::StopAndQuarantineFile { .. } => Capability::StopAndQuarantine,
        ActionRequest::Offboard { .. } => Capability::Offboard,
        ActionRequest::RunLiveResponse { .. } => Capability::LiveResponse,
        ActionRequest::CancelAction { .. } => Capability::Cancel,
        ActionRequest::AddIndicator { .. } | ActionRequest::DeleteIndicator { .. } => {
            Capability::Indicators
        }
        #[allow(unreachable_patterns)]
        _ => return None,
    })
}

/// Refuse `req` when `plan` does not include it: the reason in one line.
pub(crate) fn check_plan(plan: Plan, req: &ActionRequest) -> Result<(), String> {
    match capability_of(req).and_then(|cap| plan::refusal(plan, cap, req.label())) {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

/// The catalogue entry of a device request (for its destructive and typed-name rules).
pub(crate) fn entry_of(req: &ActionRequest) -> Option<&'static Entry> {
    let action = match req {
        ActionRequest::RunAntiVirusScan { .. } => DeviceAction::Scan,
        ActionRequest::Isolate { .. } => DeviceAction::Isolate,
        ActionRequest::Unisolate { .. } => DeviceAction::Release,
        ActionRequest::RestrictCodeExecution { .. } => DeviceAction::Restrict,
        ActionRequest::UnrestrictCodeExecution { .. } => DeviceAction::Unrestrict,
        ActionRequest::CollectInvestigationPackage { .. } => DeviceAction::Collect,
        ActionRequest::StopAndQuarantineFile { .. } => DeviceAction::Quarantine,
        ActionRequest::Offboard { .. } => DeviceAction::Offboard,
        ActionRequest::AddIndicator { .. } => DeviceAction::Indicator,
        ActionRequest::RunLiveResponse { commands, .. } => match commands.first() {
            Some(LiveResponseCommandRequest::GetFile { .. }) => DeviceAction::GetFile,
            _ => DeviceAction::RunScript,
        },
        _ => return None,
    };
    Some(action.entry())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_entry_in_menu_order() {
        for (i, a) in DeviceAction::ALL.iter().enumerate() {
            assert_eq!(CATALOG[i].action, *a);
            assert_eq!(a.entry().action, *a);
        }
    }

    #[test]
    fn requests_are_built_and_validated_in_one_place() {
        let i = Inputs {
            comment: "c".into(),
            ..Inputs::default()
        };
        let r = request(DeviceAction::Offboard, "m1", &i).unwrap();
        assert_eq!(r.path(), "machines/m1/offboard");
        assert!(entry_of(&r).unwrap().typed_name);
        let none = Inputs::default();
        assert!(request(DeviceAction::Scan, "m1", &none).is_err(), "comment");
        let e = request(DeviceAction::Investigate, "m1", &i).unwrap_err();
        assert!(e.contains("scan --full"), "{e}");
        let bad = Inputs {
            comment: "c".into(),
            sha1: "xyz".into(),
            ..Inputs::default()
        };
        assert!(request(DeviceAction::Quarantine, "m1", &bad).is_err());
    }

    #[test]
    fn the_plan_check_names_the_reason() {
        let i = Inputs {
            comment: "c".into(),
            sha1: "a".repeat(40),
            ..Inputs::default()
        };
        let q = request(DeviceAction::Quarantine, "m1", &i).unwrap();
        let e = check_plan(Plan::Business, &q).unwrap_err();
        assert!(e.contains("Defender for Business"), "{e}");
        assert!(check_plan(Plan::P1, &q).is_ok());
        assert!(!DeviceAction::RunScript.in_plan(Plan::Business));
        assert!(DeviceAction::Investigate.in_plan(Plan::Business));
    }
}
