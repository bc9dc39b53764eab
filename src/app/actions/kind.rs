//! The response actions the console offers on a device, from the shared catalogue
//! (`api::catalog`): which ones a device's OS allows (the portal's ellipsis menu), the dialog
//! fields each asks for, and reading a filled dialog into the catalogue's inputs.

use crate::api::calls::ActionRequest;
use crate::api::catalog::{self, Inputs};
use crate::app::actions::dialog::{Dialog, Field, FieldId};

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

/// One entry of the device action menu: the shared catalogue's action (`api::catalog`, the
/// same table the CLI's verbs come from).
pub use crate::api::catalog::DeviceAction as ActionKind;

/// What the console adds to a catalogue action: the OS and isolation rules of the menu, the
/// dialog it asks with, and reading a filled dialog back into the catalogue's inputs.
pub trait KindExt {
    /// Whether the device allows it (the portal's ellipsis menu).
    fn valid_for(self, d: &DeviceRef) -> bool;
    /// Typed-name confirmation on a protected profile.
    fn needs_typed_name(self) -> bool;
    /// The dialog for this action on `d`. `library` is the live-response script library.
    fn dialog(self, d: &DeviceRef, library: &[String], protected: bool) -> Dialog;
    /// The request a filled dialog asks for (built and validated by the catalogue).
    fn request(self, machine_id: &str, dlg: &Dialog) -> Result<ActionRequest, String>;
}

impl KindExt for ActionKind {
    fn valid_for(self, d: &DeviceRef) -> bool {
        match self {
            // One of the two, by the device's isolation state.
            ActionKind::Isolate => !d.isolation.offers_release(),
            ActionKind::Release => d.isolation.offers_release(),
            other => !other.entry().windows_only || d.windows,
        }
    }

    fn needs_typed_name(self) -> bool {
        self.entry().typed_name
    }

    fn dialog(self, d: &DeviceRef, library: &[String], protected: bool) -> Dialog {
        let mut fields = Vec::new();
        let mut effect = self.effect().to_string();
        match self {
            ActionKind::Scan => fields.push(Field::choice(FieldId::ScanType, &["Quick", "Full"])),
            // Retired: the on-demand investigation is a full scan (`I` lands here).
            ActionKind::Investigate => {
                fields.push(Field::choice(FieldId::ScanType, &["Full", "Quick"]));
                effect = format!(
                    "Automated investigation was retired on 2026-09-01 (MC1411577); a full antivirus scan is its on-demand form. {effect}"
                );
            }
            ActionKind::Isolate => {
                fields.push(Field::choice(FieldId::Isolation, &["Full", "Selective"]))
            }
            ActionKind::Quarantine => fields.push(Field::text(
                FieldId::Sha1,
                d.sha1.clone().unwrap_or_default(),
            )),
            ActionKind::Indicator => {
                let hash = d.sha1.clone().or(d.sha256.clone()).unwrap_or_default();
                fields.push(Field::text(FieldId::FileHash, hash));
                fields.push(Field::choice(
                    FieldId::IndicatorAction,
                    &["Block", "Allowed", "Audit", "BlockAndRemediate"],
                ));
                fields.push(Field::text(FieldId::Title, String::new()));
            }
            ActionKind::RunScript if !library.is_empty() => {
                fields.push(Field::choices(FieldId::Script, library.to_vec()));
                fields.push(Field::text(FieldId::Args, String::new()));
            }
            ActionKind::RunScript => {
                fields.push(Field::text(FieldId::Script, String::new()));
                fields.push(Field::text(FieldId::Args, String::new()));
            }
            ActionKind::GetFile => fields.push(Field::text(FieldId::Path, String::new())),
            _ => {}
        }
        fields.push(Field::text(FieldId::Comment, String::new()));
        let confirm_name = self.typed_name(protected).then(|| d.name.clone());
        if confirm_name.is_some() {
            fields.push(Field::text(FieldId::DeviceName, String::new()));
        }
        let title = match self {
            ActionKind::Investigate => "Run full antivirus scan".to_string(),
            other => other.title().to_string(),
        };
        Dialog::new(title, effect, vec![device_line(d)], fields, confirm_name)
    }

    fn request(self, machine_id: &str, dlg: &Dialog) -> Result<ActionRequest, String> {
        let inputs = Inputs {
            comment: dlg.value(FieldId::Comment),
            full: dlg.value(FieldId::ScanType) == "Full",
            selective: dlg.value(FieldId::Isolation) == "Selective",
            sha1: dlg.value(FieldId::Sha1),
            script: dlg.value(FieldId::Script),
            args: Some(dlg.value(FieldId::Args)),
            path: dlg.value(FieldId::Path),
            hash: dlg.value(FieldId::FileHash),
            indicator_action: dlg.value(FieldId::IndicatorAction),
            title: dlg.value(FieldId::Title),
        };
        // The retired investigation's dialog is a full scan.
        let action = match self {
            ActionKind::Investigate => ActionKind::Scan,
            other => other,
        };
        catalog::request(action, machine_id, &inputs)
    }
}

/// `pc-01.contoso.local · Windows11 · risk High`.
pub(crate) fn device_line(d: &DeviceRef) -> String {
    format!("{} · {} · risk {}", d.name, d.os, d.risk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::actions::FieldKind;

    fn device() -> DeviceRef {
        DeviceRef {
            id: "m1".into(),
            name: "pc-01.contoso.local".into(),
            os: "Windows11".into(),
            risk: "High".into(),
            windows: true,
            sha1: None,
            sha256: None,
            isolation: Default::default(),
        }
    }

    /// The request is read from fields by id: rewording (or translating) every label, even
    /// to another field's label, changes nothing that is sent.
    #[test]
    fn the_request_reads_fields_by_id_not_by_label() {
        let mut dlg = ActionKind::Isolate.dialog(&device(), &[], true);
        for f in &mut dlg.fields {
            f.label = "Comment".into();
            match (f.id, &mut f.kind) {
                (FieldId::Isolation, FieldKind::Choice(_, i)) => *i = 1,
                (FieldId::Comment, FieldKind::Text(t)) => *t = "IR-7 contain".into(),
                (FieldId::DeviceName, FieldKind::Text(t)) => *t = "pc-01".into(),
                _ => {}
            }
        }
        assert!(dlg.name_confirmed());
        let req = ActionKind::Isolate.request("m1", &dlg).unwrap();
        assert_eq!(
            req,
            ActionRequest::Isolate {
                machine_id: "m1".into(),
                comment: "IR-7 contain".into(),
                selective: true,
            }
        );
    }
}
