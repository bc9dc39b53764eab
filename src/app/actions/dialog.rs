//! The confirmation dialog of a write: what it targets, what it does, and its fields (single
//! line editors and radio choices). Keys edit it; Enter, ctrl-d and Esc end it. Pure.

use crate::app::input::keymap::{Key, KeyCode};

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    /// A single-line editor.
    Text(String),
    /// Radio choices and the selected one.
    Choice(Vec<String>, usize),
}

/// Which field a dialog field is. Code reads and fills fields by this id; the label is only
/// what the screen shows, so rewording a label can never change what is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    /// The comment sent with the request (and kept when a form is left unsent).
    Comment,
    /// The typed device name a protected profile asks for.
    DeviceName,
    /// The typed indicator value that confirms its deletion.
    TypedValue,
    /// Quick or full antivirus scan.
    ScanType,
    /// Full or selective isolation.
    Isolation,
    /// The SHA-1 of the file to stop and quarantine.
    Sha1,
    /// The SHA-1 or SHA-256 a file indicator is for.
    FileHash,
    /// An indicator's type (`FileSha256`, `Url` …).
    IndicatorType,
    /// An indicator's value.
    IndicatorValue,
    /// An indicator's action (`Block`, `Audit` …).
    IndicatorAction,
    /// An indicator's title.
    Title,
    /// A live-response script.
    Script,
    /// The script's arguments.
    Args,
    /// The path of a file to collect.
    Path,
    /// A triage status.
    Status,
    /// A triage owner.
    AssignedTo,
    /// A triage classification.
    Classification,
    /// A triage determination.
    Determination,
    /// Tags added to an incident.
    AddTags,
}

impl FieldId {
    /// The label the dialog shows for the field.
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Comment => "Comment",
            FieldId::DeviceName => "Type the device name",
            FieldId::TypedValue => "Type the value",
            FieldId::ScanType => "Scan",
            FieldId::Isolation => "Isolation",
            FieldId::Sha1 => "SHA-1",
            FieldId::FileHash => "SHA-1/256",
            FieldId::IndicatorType => "Type",
            FieldId::IndicatorValue => "Value",
            FieldId::IndicatorAction => "Action",
            FieldId::Title => "Title",
            FieldId::Script => "Script",
            FieldId::Args => "Args",
            FieldId::Path => "Path",
            FieldId::Status => "Status",
            FieldId::AssignedTo => "Assigned to",
            FieldId::Classification => "Classification",
            FieldId::Determination => "Determination",
            FieldId::AddTags => "Add tags",
        }
    }
}

/// One field of a dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub id: FieldId,
    /// What the screen shows (the id's label).
    pub label: String,
    pub kind: FieldKind,
}

impl Field {
    /// A text field with a starting value.
    pub fn text(id: FieldId, value: String) -> Field {
        Field {
            id,
            label: id.label().to_string(),
            kind: FieldKind::Text(value),
        }
    }
    /// Radio choices, the first selected.
    pub fn choice(id: FieldId, options: &[&str]) -> Field {
        Self::choices(id, options.iter().map(|o| o.to_string()).collect())
    }
    /// Radio choices from owned strings.
    pub(crate) fn choices(id: FieldId, options: Vec<String>) -> Field {
        Field {
            id,
            label: id.label().to_string(),
            kind: FieldKind::Choice(options, 0),
        }
    }
    /// The text or the selected choice.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text(t) => t.clone(),
            FieldKind::Choice(o, i) => o.get(*i).cloned().unwrap_or_default(),
        }
    }
    /// Whether keys type into this field.
    pub fn is_text(&self) -> bool {
        matches!(self.kind, FieldKind::Text(_))
    }
}

/// A confirmation dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub title: String,
    /// The effect, in one sentence.
    pub effect: String,
    /// The targets, one line each (device: name · OS · risk).
    pub targets: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// On a protected profile: the device name the operator must type.
    pub confirm_name: Option<String>,
    /// The field the name is typed in: [`FieldId::DeviceName`] (a short host name is
    /// enough) or [`FieldId::TypedValue`] (matched exactly).
    pub confirm_field: FieldId,
    /// Why the last Enter was refused.
    pub error: Option<String>,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKey {
    Edited,
    Confirm,
    DryRun,
    Cancel,
}

impl Dialog {
    /// A dialog with the focus on its first text field.
    pub fn new(
        title: String,
        effect: String,
        targets: Vec<String>,
        fields: Vec<Field>,
        confirm_name: Option<String>,
    ) -> Dialog {
        let focus = fields.iter().position(Field::is_text).unwrap_or(0);
        Dialog {
            title,
            effect,
            targets,
            fields,
            focus,
            confirm_name,
            confirm_field: FieldId::DeviceName,
            error: None,
        }
    }

    /// The typed confirmation is another value than a device name (an indicator's value),
    /// typed in the field `id` and matched exactly (no short host name).
    pub(crate) fn with_confirm_field(mut self, id: FieldId) -> Dialog {
        self.confirm_field = id;
        self
    }

    /// Why Enter is refused while the typed confirmation does not match.
    pub(crate) fn confirm_hint(&self) -> String {
        format!("{} to confirm", self.confirm_field.label().to_lowercase())
    }

    /// The field `id`, if the dialog has it.
    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The field `id`, to change it.
    pub(crate) fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// The value of the field `id` (empty when there is none).
    pub fn value(&self, id: FieldId) -> String {
        self.field(id).map(Field::value).unwrap_or_default()
    }

    /// Whether the typed name matches (always true when none is required).
    pub(crate) fn name_confirmed(&self) -> bool {
        let Some(want) = &self.confirm_name else {
            return true;
        };
        let typed = self.value(self.confirm_field);
        let typed = typed.trim();
        if self.confirm_field != FieldId::DeviceName {
            return !typed.is_empty() && typed.eq_ignore_ascii_case(want.trim());
        }
        let short = want.split('.').next().unwrap_or(want);
        !typed.is_empty() && (typed.eq_ignore_ascii_case(want) || typed.eq_ignore_ascii_case(short))
    }

    /// Apply a key.
    pub fn key(&mut self, key: Key) -> DialogKey {
        let n = self.fields.len().max(1);
        if key == Key::ctrl('d') {
            return DialogKey::DryRun;
        }
        let typing = self.fields.get(self.focus).is_some_and(Field::is_text);
        match key.code {
            KeyCode::Esc => return DialogKey::Cancel,
            KeyCode::Enter => return DialogKey::Confirm,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            KeyCode::Char('d') if !typing && !key.ctrl => return DialogKey::DryRun,
            _ => {}
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return DialogKey::Edited;
        };
        match (&mut field.kind, key.code) {
            (FieldKind::Text(t), KeyCode::Backspace) => {
                t.pop();
            }
            (FieldKind::Text(t), KeyCode::Char(c)) if !key.ctrl && !key.alt => t.push(c),
            // Only arrows and space move a radio choice: a letter typed while the focus is
            // on one (an analyst typing "block" there) must not pick another value.
            (FieldKind::Choice(o, i), KeyCode::Left) => {
                *i = (*i + o.len().max(1) - 1) % o.len().max(1)
            }
            (FieldKind::Choice(o, i), KeyCode::Right | KeyCode::Char(' ')) => {
                *i = (*i + 1) % o.len().max(1)
            }
            _ => {}
        }
        self.error = None;
        DialogKey::Edited
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indicator_dialog() -> Dialog {
        let mut d = Dialog::new(
            "Add indicator".into(),
            String::new(),
            Vec::new(),
            vec![
                Field::choice(
                    FieldId::IndicatorAction,
                    &["Block", "Allowed", "Audit", "Warn"],
                ),
                Field::text(FieldId::Comment, String::new()),
            ],
            None,
        );
        d.focus = 0;
        d
    }

    #[test]
    fn letters_never_change_a_radio_field() {
        let mut d = indicator_dialog();
        for c in "block hjkl allowed"
            .chars()
            .filter(|c| *c != ' ' && *c != 'd')
        {
            d.key(Key::ch(c));
        }
        assert_eq!(d.value(FieldId::IndicatorAction), "Block");
        d.key(Key::plain(KeyCode::Right));
        assert_eq!(d.value(FieldId::IndicatorAction), "Allowed");
        d.key(Key::ch(' '));
        assert_eq!(d.value(FieldId::IndicatorAction), "Audit");
        d.key(Key::plain(KeyCode::Left));
        assert_eq!(d.value(FieldId::IndicatorAction), "Allowed");
    }
}
