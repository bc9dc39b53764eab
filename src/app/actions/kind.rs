//! The response actions the console offers on a device: which ones a device's OS allows (the
//! portal's ellipsis menu), the one-sentence effect of each, the dialog fields each asks for,
//! and turning a filled dialog into an `ActionRequest`.

use crate::api::calls::{ActionRequest, LiveResponseCommandRequest};
use crate::api::model::{IndicatorAction, IndicatorType, NewIndicator};
use crate::app::actions::dialog::{Dialog, Field};

/// The device an action is about, as the dialog names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRef {
    pub id: String,
    /// Computer DNS name (or the id when unknown).
    pub name: String,
    pub os: String,
    pub risk: String,
    pub windows: bool,
    /// A file hash from the device's alert evidence, when there is one (SHA-1 preferred).
    pub sha1: Option<String>,
    pub sha256: Option<String>,
    /// Isolation state from the device's machine actions (decides Isolate vs Release).
    pub isolation: crate::app::actions::isolation::Isolation,
}

/// One entry of the device action menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActionKind {
    Scan,
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

impl ActionKind {
    /// Menu order.
    pub const ALL: [ActionKind; 12] = [
        ActionKind::Scan,
        ActionKind::Investigate,
        ActionKind::Isolate,
        ActionKind::Release,
        ActionKind::Restrict,
        ActionKind::Unrestrict,
        ActionKind::Collect,
        ActionKind::Quarantine,
        ActionKind::Indicator,
        ActionKind::RunScript,
        ActionKind::GetFile,
        ActionKind::Offboard,
    ];

    /// Menu text.
    pub fn title(self) -> &'static str {
        match self {
            ActionKind::Scan => "Run antivirus scan",
            ActionKind::Investigate => "Initiate automated investigation",
            ActionKind::Isolate => "Isolate device",
            ActionKind::Release => "Release from isolation",
            ActionKind::Restrict => "Restrict app execution",
            ActionKind::Unrestrict => "Remove app restriction",
            ActionKind::Collect => "Collect investigation package",
            ActionKind::Quarantine => "Stop and quarantine file",
            ActionKind::Indicator => "Add file indicator (block/allow)",
            ActionKind::RunScript => "Live response: run script",
            ActionKind::GetFile => "Live response: get file",
            ActionKind::Offboard => "Offboard device",
        }
    }

    /// Whether the device's OS supports it (the simulator and the docs: these are
    /// Windows-only).
    pub fn valid_for(self, d: &DeviceRef) -> bool {
        match self {
            // One of the two, by the device's isolation state.
            ActionKind::Isolate => !d.isolation.offers_release(),
            ActionKind::Release => d.isolation.offers_release(),
            ActionKind::Restrict
            | ActionKind::Unrestrict
            | ActionKind::Collect
            | ActionKind::Quarantine
            | ActionKind::Offboard => d.windows,
            _ => true,
        }
    }

    /// Cuts the device off, stops software or removes it: typed-name confirmation on a
    /// protected profile.
    pub fn needs_typed_name(self) -> bool {
        matches!(
            self,
            ActionKind::Isolate
                | ActionKind::Restrict
                | ActionKind::Offboard
                | ActionKind::Quarantine
        )
    }

    /// What happens, in one sentence.
    pub fn effect(self) -> &'static str {
        match self {
            ActionKind::Scan => "Microsoft Defender Antivirus scans the device now.",
            ActionKind::Investigate => {
                "An automated investigation examines the device and may propose remediation."
            }
            ActionKind::Isolate => {
                "The device is cut off the network except for the Defender service (Selective keeps Outlook/Teams)."
            }
            ActionKind::Release => "The device's network isolation is lifted.",
            ActionKind::Restrict => {
                "Only Microsoft-signed applications may run on the device until removed."
            }
            ActionKind::Unrestrict => "The app execution restriction is removed.",
            ActionKind::Collect => {
                "A forensic package is collected from the device; it is saved here when ready."
            }
            ActionKind::Quarantine => {
                "The file's processes are stopped and the file is quarantined on the device."
            }
            ActionKind::Indicator => {
                "A tenant-wide indicator for this file hash is added (applies to every device)."
            }
            ActionKind::RunScript => {
                "A live-response script from the library runs on the device; its output is shown."
            }
            ActionKind::GetFile => {
                "A live-response session collects the file; it is saved here when ready."
            }
            ActionKind::Offboard => "The device stops reporting to Defender (offboarded).",
        }
    }

    /// The dialog for this action on `d`. `library` is the live-response script library.
    pub fn dialog(self, d: &DeviceRef, library: &[String], protected: bool) -> Dialog {
        let mut fields = Vec::new();
        match self {
            ActionKind::Scan => fields.push(Field::choice("Scan", &["Quick", "Full"])),
            ActionKind::Isolate => fields.push(Field::choice("Isolation", &["Full", "Selective"])),
            ActionKind::Quarantine => {
                fields.push(Field::text("SHA-1", d.sha1.clone().unwrap_or_default()))
            }
            ActionKind::Indicator => {
                let hash = d.sha1.clone().or(d.sha256.clone()).unwrap_or_default();
                fields.push(Field::text("SHA-1/256", hash));
                fields.push(Field::choice(
                    "Action",
                    &["Block", "Allowed", "Audit", "Warn", "BlockAndRemediate"],
                ));
                fields.push(Field::text("Title", String::new()));
            }
            ActionKind::RunScript if !library.is_empty() => {
                fields.push(Field::choices("Script", library.to_vec()));
                fields.push(Field::text("Args", String::new()));
            }
            ActionKind::RunScript => {
                fields.push(Field::text("Script", String::new()));
                fields.push(Field::text("Args", String::new()));
            }
            ActionKind::GetFile => fields.push(Field::text("Path", String::new())),
            _ => {}
        }
        fields.push(Field::text("Comment", String::new()));
        let confirm_name = (protected && self.needs_typed_name()).then(|| d.name.clone());
        if confirm_name.is_some() {
            fields.push(Field::text("Type the device name", String::new()));
        }
        Dialog::new(
            self.title().to_string(),
            self.effect().to_string(),
            vec![device_line(d)],
            fields,
            confirm_name,
        )
    }

    /// The request a filled dialog asks for.
    pub fn request(self, machine_id: &str, dlg: &Dialog) -> Result<ActionRequest, String> {
        let machine_id = machine_id.to_string();
        let comment = dlg.value("Comment");
        Ok(match self {
            ActionKind::Scan => ActionRequest::RunAntiVirusScan {
                machine_id,
                comment,
                full: dlg.value("Scan") == "Full",
            },
            ActionKind::Investigate => ActionRequest::StartInvestigation {
                machine_id,
                comment,
            },
            ActionKind::Isolate => ActionRequest::Isolate {
                machine_id,
                comment,
                selective: dlg.value("Isolation") == "Selective",
            },
            ActionKind::Release => ActionRequest::Unisolate {
                machine_id,
                comment,
            },
            ActionKind::Restrict => ActionRequest::RestrictCodeExecution {
                machine_id,
                comment,
            },
            ActionKind::Unrestrict => ActionRequest::UnrestrictCodeExecution {
                machine_id,
                comment,
            },
            ActionKind::Collect => ActionRequest::CollectInvestigationPackage {
                machine_id,
                comment,
            },
            ActionKind::Offboard => ActionRequest::Offboard {
                machine_id,
                comment,
            },
            ActionKind::Quarantine => ActionRequest::StopAndQuarantineFile {
                machine_id,
                comment,
                sha1: dlg.value("SHA-1"),
            },
            ActionKind::Indicator => {
                if comment.trim().is_empty() {
                    return Err("a comment is required".into());
                }
                let hash = dlg.value("SHA-1/256").trim().to_ascii_lowercase();
                let indicator_type = match hash.len() {
                    40 => IndicatorType::FileSha1,
                    64 => IndicatorType::FileSha256,
                    _ => return Err(format!("'{hash}' is not a SHA-1 or SHA-256")),
                };
                let title = match dlg.value("Title") {
                    t if t.trim().is_empty() => format!("{} file {hash}", dlg.value("Action")),
                    t => t,
                };
                ActionRequest::AddIndicator {
                    indicator: NewIndicator {
                        indicator_value: hash,
                        indicator_type,
                        action: IndicatorAction::from(dlg.value("Action").as_str()),
                        title,
                        description: comment,
                        severity: None,
                        expiration_time: None,
                        application: None,
                        recommended_actions: None,
                        rbac_group_names: Vec::new(),
                        generate_alert: None,
                    },
                }
            }
            ActionKind::RunScript => ActionRequest::RunLiveResponse {
                machine_id,
                comment,
                commands: vec![LiveResponseCommandRequest::RunScript {
                    script_name: dlg.value("Script"),
                    args: Some(dlg.value("Args")).filter(|a| !a.trim().is_empty()),
                }],
            },
            ActionKind::GetFile => ActionRequest::RunLiveResponse {
                machine_id,
                comment,
                commands: vec![LiveResponseCommandRequest::GetFile {
                    path: dlg.value("Path"),
                }],
            },
        })
    }
}

/// `pc-01.contoso.local · Windows11 · risk High`.
pub fn device_line(d: &DeviceRef) -> String {
    format!("{} · {} · risk {}", d.name, d.os, d.risk)
}
