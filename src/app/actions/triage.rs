//! Triage in the console, on the Incidents and Alerts tables (marks: see `marks`): `t` opens the triage form (status, owner with "me",
//! classification, the determinations that fit it, tags, comment) for the marked rows or
//! the selected one, `a` opens it to assign to me, `c` adds a comment. One confirmation
//! covers every marked row; each record gets its own request through the write pipeline.
//! After Enter the rows show the new state at once, marked pending (`…`), until the re-read
//! lands. Pure.

use crate::api::calls::{
    ActionRequest, Assignee, TriageChange, TriageEntity, TriageStatus, TriageView,
};
use crate::api::model::{
    AlertStatus, Classification, Determination, GraphAlertStatus, GraphClassification,
    GraphDetermination, GraphIncidentStatus, IncidentStatus,
};
use crate::app::actions::dialog::{Dialog, Field, FieldId, FieldKind};
use crate::app::actions::on_key::READ_ONLY;
use crate::app::actions::{OpenDialog, Purpose, describe};
use crate::app::input::keymap::Action;
use crate::app::msg::Command;
use crate::app::pages::working::Subject;
use crate::app::state::{AppState, TableId};
use crate::app::steps::toast;
use crate::app::view::ResourceKind;

/// What the form leaves as it is.
pub(crate) const UNCHANGED: &str = "(unchanged)";
pub use crate::app::tables::marks::{MARKED, PENDING};

/// One record the form acts on, as the analyst saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriageTarget {
    pub id: String,
    pub title: String,
    pub view: TriageView,
}

/// The entity of a table that can be triaged.
pub(crate) fn entity_of(table: TableId) -> Option<TriageEntity> {
    match table {
        TableId::Incidents => Some(TriageEntity::Incident),
        TableId::Alerts => Some(TriageEntity::Alert),
        _ => None,
    }
}

fn table_of(entity: TriageEntity) -> TableId {
    match entity {
        TriageEntity::Incident => TableId::Incidents,
        TriageEntity::Alert => TableId::Alerts,
    }
}

fn target(s: &AppState, entity: TriageEntity, id: &str) -> Option<TriageTarget> {
    match entity {
        TriageEntity::Incident => {
            let i = s.data.incidents.data()?.iter().find(|i| i.id == id)?;
            Some(TriageTarget {
                id: i.id.clone(),
                title: i.display_name.clone().unwrap_or_default(),
                view: TriageView::of_incident(i),
            })
        }
        TriageEntity::Alert => {
            let Some(a) = s
                .data
                .alerts
                .data()
                .and_then(|v| v.iter().find(|a| a.id == id))
            else {
                // An alert opened from its incident's page, not in the alert list.
                let g = s
                    .data
                    .incidents
                    .data()?
                    .iter()
                    .flat_map(|i| i.alerts.iter().flatten())
                    .find(|a| a.id == id)?;
                return Some(TriageTarget {
                    id: g.id.clone(),
                    title: g.title.clone().unwrap_or_default(),
                    view: TriageView::of_alert(g),
                });
            };
            let view = TriageView {
                status: a
                    .status
                    .as_ref()
                    .and_then(GraphAlertStatus::from_open)
                    .map(|g| g.wire().to_string()),
                assigned_to: a.assigned_to.clone().filter(|x| !x.trim().is_empty()),
                classification: a
                    .classification
                    .as_ref()
                    .and_then(GraphClassification::from_open)
                    .filter(|c| *c != GraphClassification::Unknown)
                    .map(|c| c.wire().to_string()),
                determination: a
                    .determination
                    .as_ref()
                    .and_then(GraphDetermination::from_open)
                    .map(|d| d.wire().to_string()),
                tags: Vec::new(),
            };
            Some(TriageTarget {
                id: a.id.clone(),
                title: a.title.clone().unwrap_or_default(),
                view,
            })
        }
    }
}

/// The marked rows of `table` in their order on screen, else the selected row.
fn targets(s: &AppState, table: TableId, entity: TriageEntity) -> Vec<TriageTarget> {
    let Some(t) = s.table(table) else {
        return Vec::new();
    };
    let mut ids = crate::app::tables::marks::marked(s, table);
    if ids.is_empty()
        && let Some(r) = t.selected_row()
    {
        ids.push(r.id.clone());
    }
    ids.iter().filter_map(|id| target(s, entity, id)).collect()
}

/// Keys of the Incidents and Alerts tables; `None` elsewhere or for other keys.
pub fn on_key(s: &mut AppState, action: Action) -> Option<Vec<Command>> {
    let table = s.focused_table()?;
    let entity = entity_of(table)?;
    match action {
        Action::Triage | Action::AssignMe | Action::Comment => {
            if s.settings.read_only {
                return Some(toast(s, READ_ONLY.into()));
            }
            let targets = targets(s, table, entity);
            Some(open_form(s, entity, targets, action))
        }
        _ => None,
    }
}

/// `t`, `a`, `c` on an incident's or an alert's page: the form for that record.
pub(crate) fn on_page(s: &mut AppState, subject: &Subject, action: Action) -> Vec<Command> {
    let (entity, id) = match subject {
        Subject::Incident(id) => (TriageEntity::Incident, id),
        Subject::Alert(id) => (TriageEntity::Alert, id),
        _ => {
            return toast(s, "t, a and c triage an incident or an alert".into());
        }
    };
    let targets: Vec<TriageTarget> = target(s, entity, id).into_iter().collect();
    open_form(s, entity, targets, action)
}

/// The triage form (`t`, `a`) or the comment dialog (`c`) for these records.
fn open_form(
    s: &mut AppState,
    entity: TriageEntity,
    targets: Vec<TriageTarget>,
    action: Action,
) -> Vec<Command> {
    if targets.is_empty() {
        return toast(s, format!("select {} first", entity.noun()));
    }
    let dialog = if action == Action::Comment {
        comment_dialog(entity, &targets)
    } else {
        form(s, entity, &targets, action == Action::AssignMe)
    };
    let purpose = if action == Action::Comment {
        Purpose::Comment(entity, targets)
    } else {
        Purpose::Triage(entity, targets)
    };
    s.actions.dialog = Some(OpenDialog { dialog, purpose });
    Vec::new()
}

fn target_lines(entity: TriageEntity, targets: &[TriageTarget]) -> Vec<String> {
    targets
        .iter()
        .map(|t| {
            let v = &t.view;
            format!(
                "{} {} · {} · {} · {}",
                entity.noun(),
                t.id,
                t.title,
                v.status.as_deref().unwrap_or("—"),
                v.assigned_to.as_deref().unwrap_or("unassigned")
            )
        })
        .collect()
}

fn title(entity: TriageEntity, what: &str, n: usize) -> String {
    if n == 1 {
        format!("{what} {}", entity.noun())
    } else {
        format!("{what} {n} {}s", entity.noun())
    }
}

fn status_options(entity: TriageEntity) -> Vec<String> {
    let mut out = vec![UNCHANGED.to_string()];
    out.extend(
        TriageStatus::settable_values(entity)
            .into_iter()
            .map(str::to_string),
    );
    out
}

fn class_options() -> Vec<String> {
    let mut out = vec![UNCHANGED.to_string()];
    out.extend(
        GraphClassification::possible_values()
            .into_iter()
            .map(str::to_string),
    );
    out
}

/// The determinations offered: those that fit the classification the record will have.
fn determination_options(classification: Option<GraphClassification>) -> Vec<String> {
    let mut out = vec![UNCHANGED.to_string()];
    let list: Vec<GraphDetermination> = match classification {
        Some(c) => c.determinations().to_vec(),
        None => GraphDetermination::ALL
            .iter()
            .copied()
            .filter(|d| !d.is_deprecated())
            .collect(),
    };
    out.extend(list.into_iter().map(|d| d.wire().to_string()));
    out
}

/// The triage form; `assign_me` prefills the owner with "me".
fn form(s: &AppState, entity: TriageEntity, targets: &[TriageTarget], assign_me: bool) -> Dialog {
    let single = (targets.len() == 1).then(|| &targets[0]);
    let owner = if assign_me {
        "me".to_string()
    } else {
        single
            .and_then(|t| t.view.assigned_to.clone())
            .unwrap_or_default()
    };
    let current_class = common_class(targets);
    let mut fields = vec![
        Field::choices(FieldId::Status, status_options(entity)),
        Field::text(FieldId::AssignedTo, owner),
        Field::choices(FieldId::Classification, class_options()),
        Field::choices(FieldId::Determination, determination_options(current_class)),
    ];
    if entity == TriageEntity::Incident {
        fields.push(Field::text(FieldId::AddTags, String::new()));
    }
    fields.push(Field::text(FieldId::Comment, String::new()));
    let me = s
        .settings
        .me
        .as_deref()
        .map_or("type your UPN".to_string(), |m| m.to_string());
    let mut d = Dialog::new(
        title(
            entity,
            if assign_me { "Assign" } else { "Triage" },
            targets.len(),
        ),
        format!(
            "Changes only what you set (PATCH /security/{}). \"me\" = {me}. Left/right pick a value.",
            if entity == TriageEntity::Incident {
                "incidents"
            } else {
                "alerts_v2"
            }
        ),
        target_lines(entity, targets),
        fields,
        None,
    );
    if assign_me {
        // Enter right away assigns; the comment is optional.
        d.focus = d.fields.len() - 1;
    }
    d
}

fn comment_dialog(entity: TriageEntity, targets: &[TriageTarget]) -> Dialog {
    Dialog::new(
        title(entity, "Comment on", targets.len()),
        "Adds the comment to each (POST …/comments).".into(),
        target_lines(entity, targets),
        vec![Field::text(FieldId::Comment, String::new())],
        None,
    )
}

/// The classification all targets share, if any.
fn common_class(targets: &[TriageTarget]) -> Option<GraphClassification> {
    let first = targets.first()?.view.classification.clone();
    if targets.iter().all(|t| t.view.classification == first) {
        first.and_then(|c| GraphClassification::parse(&c).ok())
    } else {
        None
    }
}

/// After each key in the triage form: offer only the determinations that fit the chosen
/// (or current) classification, keeping the choice when it still fits.
pub(crate) fn refresh_form(open: &mut OpenDialog) {
    let Purpose::Triage(_, targets) = &open.purpose else {
        return;
    };
    let chosen = GraphClassification::parse(&open.dialog.value(FieldId::Classification)).ok();
    let class = chosen.or_else(|| common_class(targets));
    let options = determination_options(class);
    if let Some(f) = open.dialog.field_mut(FieldId::Determination)
        && let FieldKind::Choice(old, i) = &mut f.kind
        && *old != options
    {
        let keep = old.get(*i).cloned().unwrap_or_default();
        *i = options.iter().position(|o| *o == keep).unwrap_or(0);
        *old = options;
    }
}

fn pick<T>(value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    (value != UNCHANGED).then(|| parse(value)).flatten()
}

/// The requests a confirmed form asks for, one set per target (the update, then the
/// comment), with the name each is shown under.
pub fn requests(
    s: &AppState,
    purpose: &Purpose,
    dialog: &Dialog,
) -> Result<Vec<(ActionRequest, String)>, String> {
    let (entity, targets, comment_only) = match purpose {
        Purpose::Triage(e, t) => (*e, t, false),
        Purpose::Comment(e, t) => (*e, t, true),
        _ => return Ok(Vec::new()),
    };
    let comment = dialog.value(FieldId::Comment).trim().to_string();
    let mut out = Vec::new();
    for t in targets {
        let name = format!("{} {}", entity.noun(), t.id);
        if !comment_only {
            let change = change_for(s, entity, t, dialog, targets.len() > 1)?;
            if !change.is_empty() {
                out.push((
                    ActionRequest::Triage {
                        entity,
                        id: t.id.clone(),
                        change,
                    },
                    name.clone(),
                ));
            }
        }
        if !comment.is_empty() {
            out.push((
                ActionRequest::TriageComment {
                    entity,
                    id: t.id.clone(),
                    comment: comment.clone(),
                },
                name,
            ));
        }
    }
    if out.is_empty() {
        return Err(if comment_only {
            "type a comment".into()
        } else {
            "nothing to change: pick a value or type a comment".into()
        });
    }
    Ok(out)
}

fn change_for(
    s: &AppState,
    entity: TriageEntity,
    t: &TriageTarget,
    dialog: &Dialog,
    bulk: bool,
) -> Result<TriageChange, String> {
    let status = pick(&dialog.value(FieldId::Status), |v| match entity {
        TriageEntity::Incident => GraphIncidentStatus::parse(v)
            .ok()
            .map(TriageStatus::Incident),
        TriageEntity::Alert => GraphAlertStatus::parse(v).ok().map(TriageStatus::Alert),
    })
    .filter(|st| t.view.status.as_deref() != Some(st.wire()));
    let owner = dialog.value(FieldId::AssignedTo).trim().to_string();
    let assigned_to = if owner.eq_ignore_ascii_case("me") {
        match &s.settings.me {
            Some(me) => Some(Assignee::To(me.clone())),
            None => {
                return Err(
                    "socops does not know who \"me\" is (app sign-in): type your UPN".into(),
                );
            }
        }
    } else if owner.is_empty() {
        // Emptied on one record: remove its owner. Left empty on several: unchanged.
        (!bulk && t.view.assigned_to.is_some()).then_some(Assignee::Nobody)
    } else {
        Some(Assignee::To(owner))
    };
    let assigned_to = assigned_to.filter(|a| match a {
        Assignee::To(u) => !t
            .view
            .assigned_to
            .as_deref()
            .is_some_and(|cur| cur.eq_ignore_ascii_case(u)),
        Assignee::Nobody => true,
    });
    let classification = pick(&dialog.value(FieldId::Classification), |v| {
        GraphClassification::parse(v).ok()
    });
    let determination = pick(&dialog.value(FieldId::Determination), |v| {
        GraphDetermination::parse(v).ok()
    });
    let current = t
        .view
        .classification
        .as_deref()
        .and_then(|c| GraphClassification::parse(c).ok());
    crate::api::model::graph_enums::check_pair(classification, determination, current)
        .map_err(|e| format!("{} {}: {e}", entity.noun(), t.id))?;
    let added: Vec<String> = dialog
        .value(FieldId::AddTags)
        .split(',')
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect();
    let custom_tags = (!added.is_empty()).then(|| {
        let mut tags = t.view.tags.clone();
        for a in added {
            if !tags.iter().any(|x| x.eq_ignore_ascii_case(&a)) {
                tags.push(a);
            }
        }
        tags
    });
    Ok(TriageChange {
        status,
        assigned_to,
        classification,
        determination,
        custom_tags,
    })
}

/// Show the change at once: the loaded records take the new values and their rows are
/// marked pending until the re-read lands.
pub(crate) fn apply_optimistic(s: &mut AppState, reqs: &[(ActionRequest, String)]) {
    let mut kinds = Vec::new();
    for (req, _) in reqs {
        let ActionRequest::Triage { entity, id, change } = req else {
            continue;
        };
        s.actions.triage_pending.insert(id.clone());
        match entity {
            TriageEntity::Incident => {
                if let Some(i) = s
                    .data
                    .incidents
                    .data_mut()
                    .and_then(|v| v.iter_mut().find(|i| i.id == *id))
                {
                    if let Some(st) = change.status {
                        i.status = Some(IncidentStatus::parse(st.wire()));
                    }
                    match &change.assigned_to {
                        Some(Assignee::To(u)) => i.assigned_to = Some(u.clone()),
                        Some(Assignee::Nobody) => i.assigned_to = None,
                        None => {}
                    }
                    if let Some(c) = change.classification {
                        i.classification = Some(Classification::parse(c.wire()));
                    }
                    if let Some(d) = change.determination {
                        i.determination = Some(Determination::parse(d.wire()));
                    }
                    if let Some(t) = &change.custom_tags {
                        i.custom_tags = t.clone();
                    }
                }
                kinds.push(ResourceKind::Incidents);
            }
            TriageEntity::Alert => {
                if let Some(a) = s
                    .data
                    .alerts
                    .data_mut()
                    .and_then(|v| v.iter_mut().find(|a| a.id == *id))
                {
                    if let Some(st) = change.status {
                        a.status = Some(AlertStatus::parse(st.wire()));
                    }
                    match &change.assigned_to {
                        Some(Assignee::To(u)) => a.assigned_to = Some(u.clone()),
                        Some(Assignee::Nobody) => a.assigned_to = None,
                        None => {}
                    }
                    if let Some(c) = change.classification {
                        a.classification = Some(Classification::parse(c.wire()));
                    }
                    if let Some(d) = change.determination {
                        a.determination = Some(Determination::parse(d.wire()));
                    }
                }
                kinds.push(ResourceKind::Alerts);
            }
        }
    }
    kinds.dedup();
    for k in kinds {
        crate::app::data::derive::rebuild(s, k);
    }
    crate::app::pages::working::refresh(s);
    // The form acted on the marked rows: the marks are spent.
    for e in [TriageEntity::Incident, TriageEntity::Alert] {
        if reqs.iter().any(|(r, _)| {
            matches!(r, ActionRequest::Triage { entity, .. } | ActionRequest::TriageComment { entity, .. } if *entity == e)
        }) {
            crate::app::tables::marks::spend(s, table_of(e));
        }
    }
    crate::app::tables::marks::apply(s);
}

/// A triage request's answer came: re-read what it changed (its pending mark goes when the
/// re-read lands).
pub(crate) fn reload_kinds(req_label: &str) -> &'static [ResourceKind] {
    if req_label.ends_with("incident") {
        &[ResourceKind::Incidents, ResourceKind::Alerts]
    } else {
        &[ResourceKind::Alerts, ResourceKind::Incidents]
    }
}

/// A load of incidents or alerts landed: rows no longer pending lose their mark.
pub(crate) fn after_load(s: &mut AppState, kind: ResourceKind) {
    if !matches!(kind, ResourceKind::Incidents | ResourceKind::Alerts) {
        return;
    }
    let in_flight = s.actions.sending.values().any(|i| i.triage);
    if !in_flight {
        s.actions.triage_pending.clear();
    }
    crate::app::tables::marks::apply(s);
}

/// `describe` for a triage request (its follow-up is a re-read, not a tracked action).
pub fn sending(req: &ActionRequest, name: &str) -> crate::app::actions::Sending {
    let mut info = describe(req, name);
    info.triage = true;
    info
}
