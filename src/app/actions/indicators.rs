//! Adding and deleting indicators from the Indicators view. `n` opens the add form (type,
//! value, action, title, comment), built and validated by the shared catalogue like
//! `socops indicators add`; before it is sent, the runtime re-reads the indicators of that
//! value from the API (a change made elsewhere a minute ago counts, not the list loaded
//! earlier), and a value that has one is not sent silently: the form turns into a replace
//! step that shows the existing indicator and asks to replace it.
//! `d` deletes the selected indicator after its value is typed. Both leave through the one
//! write pipeline (audited there). Pure.

use crate::api::calls::ActionRequest;
use crate::api::catalog;
use crate::api::model::{Indicator, IndicatorType};
use crate::api::plan::Capability;
use crate::app::actions::dialog::{Dialog, Field, FieldId};
use crate::app::actions::{OpenDialog, Purpose, form};
use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::state::{AppState, TableId};
use crate::app::steps::toast;

/// The indicator types the add form offers (certificates need a file: CLI and portal).
pub(crate) const TYPES: [&str; 6] = [
    "FileSha256",
    "FileSha1",
    "FileMd5",
    "IpAddress",
    "Url",
    "DomainName",
];
/// The actions the add form offers; the catalogue refuses a type × action the service
/// refuses (`Warn` is for Defender for Cloud Apps, `BlockAndRemediate` for files).
pub(crate) const ACTIONS: [&str; 4] = ["Block", "Audit", "Allowed", "BlockAndRemediate"];

/// `n` and `d` in the Indicators view.
pub fn on_key(s: &mut AppState, action: Action) -> Vec<Command> {
    if s.focused_table() != Some(TableId::Indicators) {
        return toast(
            s,
            "indicators are added and deleted in the Indicators view (:indicators)".into(),
        );
    }
    if let Some(reason) =
        crate::api::plan::refusal(s.settings.plan, Capability::Indicators, "Indicators")
    {
        return toast(s, reason);
    }
    match action {
        Action::NewIndicator => {
            form::open(s, add_dialog());
            Vec::new()
        }
        _ => match selected(s) {
            Some(i) => {
                let open = delete_dialog(&i);
                form::open(s, open);
                Vec::new()
            }
            None => toast(s, "select an indicator row first".into()),
        },
    }
}

fn add_dialog() -> OpenDialog {
    let fields = vec![
        Field::choice(FieldId::IndicatorType, &TYPES),
        Field::text(FieldId::IndicatorValue, String::new()),
        Field::choice(FieldId::IndicatorAction, &ACTIONS),
        Field::text(FieldId::Title, String::new()),
        Field::text(FieldId::Comment, String::new()),
    ];
    OpenDialog {
        dialog: Dialog::new(
            "Add indicator".into(),
            "Defender acts on every match of the value on every device (block, audit or allow)."
                .into(),
            vec!["Tenant-wide: every onboarded device".into()],
            fields,
            None,
        ),
        purpose: Purpose::AddIndicator,
    }
}

/// What the add form asked for (kept across the replace step).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndicatorInput {
    pub kind: String,
    pub value: String,
    pub action: String,
    pub title: String,
    pub comment: String,
}

impl IndicatorInput {
    /// The inputs of a filled add form.
    pub fn of(d: &Dialog) -> IndicatorInput {
        IndicatorInput {
            kind: d.value(FieldId::IndicatorType),
            value: d.value(FieldId::IndicatorValue),
            action: d.value(FieldId::IndicatorAction),
            title: d.value(FieldId::Title),
            comment: d.value(FieldId::Comment),
        }
    }

    /// The request (built and validated by the catalogue, as `indicators add` builds it).
    pub fn request(&self) -> Result<ActionRequest, String> {
        catalog::indicator(
            &self.value,
            IndicatorType::from(self.kind.as_str()),
            &self.action,
            &self.title,
            &self.comment,
        )
    }
}

/// The add form's read of its value from the API: asked (the answer is awaited), or answered
/// "no indicator" (the next confirm of these same inputs sends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndicatorCheck {
    Asked(IndicatorInput),
    None(IndicatorInput),
}

/// The indicator among `found` with the request's value (hashes compare case-insensitively,
/// as the catalogue lower-cases them; other values exactly after trimming).
pub fn existing<'a>(found: &'a [Indicator], req: &ActionRequest) -> Option<&'a Indicator> {
    let ActionRequest::AddIndicator { indicator } = req else {
        return None;
    };
    let want = indicator.indicator_value.trim();
    found.iter().find(|i| {
        i.indicator_value
            .as_deref()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(want))
    })
}

/// Enter on the add form: unless the API has just answered that the value has no indicator,
/// ask it (`CheckIndicator`) and send nothing yet; `None` lets the send go on (also when
/// the form does not validate, so its error shows).
pub(crate) fn before_send(s: &mut AppState, input: &IndicatorInput) -> Option<Vec<Command>> {
    let Ok(ActionRequest::AddIndicator { indicator }) = input.request() else {
        return None;
    };
    match s.actions.indicator_check.take() {
        Some(IndicatorCheck::None(checked)) if checked == *input => return None,
        Some(IndicatorCheck::Asked(asked)) if asked == *input => {
            s.actions.indicator_check = Some(IndicatorCheck::Asked(asked));
            return Some(Vec::new());
        }
        _ => {}
    }
    s.actions.indicator_check = Some(IndicatorCheck::Asked(input.clone()));
    if let Some(open) = s.actions.dialog.as_mut() {
        open.dialog.error = Some(CHECKING.into());
    }
    Some(vec![Command::CheckIndicator {
        value: indicator.indicator_value,
    }])
}

/// What the form shows while the API is asked.
pub(crate) const CHECKING: &str = "checking the tenant for an indicator of this value…";

/// The API's answer for the add form: the replace step when the value has an indicator now,
/// the send when it has none, the error in the form (nothing sent) when the read failed. An
/// answer for a form that was closed or changed since is dropped.
pub(crate) fn on_checked(
    s: &mut AppState,
    value: &str,
    result: Result<Vec<Indicator>, String>,
) -> Vec<Command> {
    let Some(IndicatorCheck::Asked(input)) = s.actions.indicator_check.take() else {
        return Vec::new();
    };
    let current = s
        .actions
        .dialog
        .as_ref()
        .filter(|o| o.purpose == Purpose::AddIndicator)
        .map(|o| IndicatorInput::of(&o.dialog));
    let Ok(req) = input.request() else {
        return Vec::new();
    };
    let asked_value = matches!(&req, ActionRequest::AddIndicator { indicator } if indicator.indicator_value == value);
    if current.as_ref() != Some(&input) || !asked_value {
        return Vec::new();
    }
    if let Some(open) = s.actions.dialog.as_mut() {
        open.dialog.error = None;
    }
    match result {
        Err(e) => {
            if let Some(open) = s.actions.dialog.as_mut() {
                open.dialog.error = Some(format!(
                    "not sent: could not check for an existing indicator ({}); Enter tries again",
                    crate::text::line(&e)
                ));
            }
            Vec::new()
        }
        Ok(found) => match existing(&found, &req) {
            Some(i) => {
                let i = i.clone();
                replace_step(s, &input, &i);
                Vec::new()
            }
            None => {
                s.actions.indicator_check = Some(IndicatorCheck::None(input));
                crate::app::actions::on_key::confirm(s, false)
            }
        },
    }
}

/// Two lines naming an indicator: `FileSha256 abc… · Block · "title"` and
/// `id 7 · created by x`.
pub(crate) fn describe(i: &Indicator) -> [String; 2] {
    [
        format!(
            "{} {} · {} · \"{}\"",
            i.indicator_type.as_ref().map(|t| t.as_str()).unwrap_or("?"),
            i.indicator_value.as_deref().unwrap_or("?"),
            i.action.as_ref().map(|a| a.as_str()).unwrap_or("?"),
            i.title.as_deref().unwrap_or(""),
        ),
        format!(
            "id {} · created by {}",
            i.id,
            i.created_by.as_deref().unwrap_or("?")
        ),
    ]
}

/// The form becomes the replace step: the inputs kept, the existing indicator (as the API
/// has it now) shown, nothing sent until Enter.
fn replace_step(s: &mut AppState, input: &IndicatorInput, found: &Indicator) {
    let Ok(ActionRequest::AddIndicator { indicator }) = input.request() else {
        return;
    };
    let new_line = format!(
        "new: {} {} · {} · \"{}\"",
        indicator.indicator_type.as_str(),
        indicator.indicator_value,
        indicator.action.as_str(),
        indicator.title
    );
    let dialog = Dialog::new(
        "Replace indicator?".into(),
        "An indicator for this value already exists. Enter replaces it with the new one (the service updates the indicator of the same value and type); Esc keeps it."
            .into(),
        {
            let [what, who] = describe(found);
            vec![format!("existing: {what}"), format!("          {who}"), new_line]
        },
        Vec::new(),
        None,
    );
    s.actions.dialog = Some(OpenDialog {
        dialog,
        purpose: Purpose::ReplaceIndicator(input.clone()),
    });
}

fn selected(s: &AppState) -> Option<Indicator> {
    let row = s.table(TableId::Indicators)?.selected_row()?;
    s.data
        .indicators
        .data()?
        .iter()
        .find(|i| i.id == row.id)
        .cloned()
}

fn delete_dialog(i: &Indicator) -> OpenDialog {
    let value = i.indicator_value.clone().unwrap_or_else(|| i.id.clone());
    let dialog = Dialog::new(
        "Delete indicator".into(),
        "Defender stops acting on this value on every device. This cannot be undone from here."
            .into(),
        describe(i).to_vec(),
        vec![Field::text(FieldId::TypedValue, String::new())],
        Some(value.clone()),
    )
    .with_confirm_field(FieldId::TypedValue);
    OpenDialog {
        dialog,
        purpose: Purpose::DeleteIndicator {
            id: i.id.clone(),
            value,
        },
    }
}
