//! `incident ID show|update|comment` and `alert ID show|update|comment`: triage through
//! Microsoft Graph, each change through the write pipeline (check → dry run → confirm →
//! audit intent → send once → audit outcome). Before sending, the record is read again; if
//! another analyst changed its status, owner or classification since it was read for the
//! prompt, socops shows what changed and asks again (with `--yes` it refuses instead).

use std::io::{BufRead, IsTerminal, Write};

use serde_json::Value;

use crate::api::Resource;
use crate::api::calls::triage::{current_view, me};
use crate::api::calls::{ActionRequest, Assignee, TriageChange, TriageEntity, TriageStatus};
use crate::api::dispatch::{self, Mode, Origin, Prepared};
use crate::api::model::GraphClassification;
use crate::api::model::graph_enums::check_pair;
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, print_raw_json};
use crate::cli::send::{cli_error, open_audit};
use crate::cli::session::Session;
use crate::cli::triage_args::{
    AlertArgs, AlertVerb, CommentArgs, IncidentArgs, IncidentVerb, TriageFlags,
};
use crate::cli::triage_show;
use crate::text::line as safe;

/// Run `incident ID …`.
pub(crate) async fn run_incident(s: &Session, a: IncidentArgs) -> CliResult {
    let e = TriageEntity::Incident;
    match a.verb {
        IncidentVerb::Show => show(s, e, &a.id).await,
        IncidentVerb::Comment(c) => comment(s, e, &a.id, c).await,
        IncidentVerb::Update {
            status,
            tags,
            common,
        } => {
            update(
                s,
                e,
                &a.id,
                status.map(TriageStatus::Incident),
                tags,
                common,
            )
            .await
        }
    }
}

/// Run `alert ID …`.
pub(crate) async fn run_alert(s: &Session, a: AlertArgs) -> CliResult {
    let e = TriageEntity::Alert;
    match a.verb {
        AlertVerb::Show => show(s, e, &a.id).await,
        AlertVerb::Comment(c) => comment(s, e, &a.id, c).await,
        AlertVerb::Update { status, common } => {
            update(
                s,
                e,
                &a.id,
                status.map(TriageStatus::Alert),
                Vec::new(),
                common,
            )
            .await
        }
    }
}

/// Read the record as Graph sends it (incidents with their alerts).
async fn read_raw(s: &Session, entity: TriageEntity, id: &str) -> CliResult<Value> {
    let mut path = entity.path(id);
    if entity == TriageEntity::Incident {
        path.push_str("?$expand=alerts");
    }
    s.client.get(Resource::Graph, &path).await.map_err(|e| {
        if e.is_not_found() {
            CliError::Usage(format!(
                "no {} '{}' in {}",
                entity.noun(),
                safe(id),
                s.tenant_label
            ))
        } else {
            e.into()
        }
    })
}

async fn show(s: &Session, entity: TriageEntity, id: &str) -> CliResult {
    let raw = read_raw(s, entity, id).await?;
    if s.format == Format::Json {
        return print_raw_json(&raw.to_string());
    }
    print!("{}", triage_show::render(entity, &raw));
    Ok(())
}

/// Who "me" is; asks once on a terminal (and offers to save it in the profile).
fn resolve_me(s: &Session) -> CliResult<String> {
    if let Some(m) = me(&s.client.operator(), s.analyst.as_deref()) {
        return Ok(m);
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(format!(
            "--assign-me: socops signs in as an app here, so it does not know who you are; add analyst = \"name@domain\" to profile '{}' or use --assign UPN",
            s.profile_name
        )));
    }
    let name = ask_line("Assign to me: who are you (name@domain)? ")?;
    if !name.contains('@') {
        return Err(CliError::Usage(format!(
            "'{}' is not a name@domain",
            safe(&name)
        )));
    }
    let save = ask_line(&format!(
        "Save analyst = \"{}\" in profile '{}'? [y/N] ",
        safe(&name),
        s.profile_name
    ))?;
    if save.eq_ignore_ascii_case("y") || save.eq_ignore_ascii_case("yes") {
        match save_analyst(&s.profile_name, &name) {
            Ok(()) => eprintln!("saved: profile '{}' analyst", s.profile_name),
            Err(e) => eprintln!("not saved: {e}"),
        }
    }
    Ok(name)
}

fn ask_line(prompt: &str) -> CliResult<String> {
    let mut err = std::io::stderr().lock();
    err.write_all(prompt.as_bytes())?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(answer.trim().to_string())
}

/// Write `analyst` into the profile of the config file (kept 0600 by the store).
fn save_analyst(profile: &str, analyst: &str) -> Result<(), String> {
    let path = crate::cli::shim::config_file().ok_or("no config file location")?;
    let mut cfg = crate::store::config::Config::load(&path).map_err(|e| e.to_string())?;
    let p = cfg
        .profiles
        .get_mut(profile)
        .ok_or_else(|| format!("no profile '{profile}' in the config file"))?;
    p.analyst = Some(analyst.to_string());
    cfg.save(&path).map_err(|e| e.to_string())
}

/// The change the flags ask for (tags merged later, once the record is read).
fn change_of(
    s: &Session,
    status: Option<TriageStatus>,
    flags: &TriageFlags,
) -> CliResult<TriageChange> {
    let assigned_to = if let Some(u) = &flags.assign {
        Some(Assignee::To(u.trim().to_string()))
    } else if flags.assign_me {
        Some(Assignee::To(resolve_me(s)?))
    } else if flags.unassign {
        Some(Assignee::Nobody)
    } else {
        None
    };
    Ok(TriageChange {
        status,
        assigned_to,
        classification: flags.classification,
        determination: flags.determination,
        custom_tags: None,
    })
}

fn tags_of(raw: &Value) -> Vec<String> {
    raw["customTags"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn title_of(entity: TriageEntity, raw: &Value) -> String {
    let name = match entity {
        TriageEntity::Incident => raw["displayName"].as_str(),
        TriageEntity::Alert => raw["title"].as_str(),
    };
    name.unwrap_or("").to_string()
}

async fn update(
    s: &Session,
    entity: TriageEntity,
    id: &str,
    status: Option<TriageStatus>,
    add_tags: Vec<String>,
    flags: TriageFlags,
) -> CliResult {
    let mut change = change_of(s, status, &flags)?;
    if !add_tags.is_empty() {
        change.custom_tags = Some(add_tags.clone());
    }
    if change.is_empty() && flags.comment.is_none() {
        return Err(CliError::Usage(format!(
            "{} update: nothing to change (give --status, --assign, --assign-me, --unassign, --classification, --determination{} or --comment)",
            entity.noun(),
            if entity == TriageEntity::Incident {
                ", --tag"
            } else {
                ""
            }
        )));
    }
    if let Some(c) = &flags.comment
        && c.trim().is_empty()
    {
        return Err(CliError::Usage("--comment: the comment is empty".into()));
    }
    if !change.is_empty() {
        change.validate(entity).map_err(CliError::Usage)?;
    }
    let raw = read_raw(s, entity, id).await?;
    let current_class = raw["classification"]
        .as_str()
        .and_then(|c| GraphClassification::parse(c).ok());
    check_pair(change.classification, change.determination, current_class)
        .map_err(CliError::Usage)?;
    if !add_tags.is_empty() {
        let mut tags = tags_of(&raw);
        for t in add_tags {
            if !tags.iter().any(|x| x.eq_ignore_ascii_case(t.trim())) {
                tags.push(t.trim().to_string());
            }
        }
        change.custom_tags = Some(tags);
    }
    let title = title_of(entity, &raw);
    let mut updated: Option<String> = None;
    if !change.is_empty() {
        let what = format!(
            "{} {} \"{}\": {}",
            if entity == TriageEntity::Incident {
                "Update incident"
            } else {
                "Update alert"
            },
            id,
            title,
            change.summary()
        );
        let req = ActionRequest::Triage {
            entity,
            id: id.to_string(),
            change,
        };
        updated = send(s, &req, entity, id, &raw, &what, flags.yes).await?;
    }
    if let Some(text) = &flags.comment {
        let args = CommentArgs {
            text: text.clone(),
            yes: true,
        };
        // One confirmation covers the update and its comment; a comment alone asks.
        let args = CommentArgs {
            yes: flags.yes || updated.is_some() || s.dry_run,
            ..args
        };
        comment_inner(s, entity, id, &title, args, updated.is_none()).await?;
    }
    if let Some(body) = updated
        && s.format == Format::Json
    {
        return print_raw_json(&body);
    }
    Ok(())
}

/// Run one request: check, dry run or confirm, re-read and compare, commit. Returns the
/// answer's JSON text when sent.
async fn send(
    s: &Session,
    req: &ActionRequest,
    entity: TriageEntity,
    id: &str,
    raw: &Value,
    what: &str,
    yes: bool,
) -> CliResult<Option<String>> {
    let mode = Mode {
        dry_run: s.dry_run,
        read_only: s.read_only,
        recover: false,
    };
    let checked = dispatch::check(req, mode).map_err(|e| cli_error(e, what))?;
    let audit = open_audit()?;
    let origin = Origin {
        profile: s.profile_name.clone(),
        tenant: s.tenant_label.clone(),
        targets: vec![format!("{} {id}", entity.noun())],
    };
    let ready = match checked.prepare(&s.client, &audit, origin).await {
        Ok(Prepared::DryRun(lines)) => {
            for l in lines {
                println!("{}", safe(&l));
            }
            eprintln!("dry run: nothing was sent");
            return Ok(None);
        }
        Ok(Prepared::Ready(r)) => r,
        Err(e) => return Err(cli_error(e, what)),
    };
    confirm(&Ask {
        what: what.to_string(),
        device: None,
        type_name: None,
        yes,
    })?;
    // Two analysts must not silently overwrite each other: compare with a fresh read.
    let seen = view_of(entity, raw);
    let now = current_view(&s.client, entity, id).await?;
    let changed = seen.changes_since(&now);
    if !changed.is_empty() {
        let list = changed.join("; ");
        if yes || !std::io::stdin().is_terminal() {
            return Err(CliError::Refused(format!(
                "{what}: the {} changed since it was read ({list}); nothing was sent — run again to act on its current state",
                entity.noun()
            )));
        }
        eprintln!("The {} changed since it was read:", entity.noun());
        for c in &changed {
            eprintln!("  {}", safe(c));
        }
        confirm(&Ask {
            what: format!("{what} (over these changes)"),
            device: None,
            type_name: None,
            yes: false,
        })?;
    }
    match ready.commit().await {
        Ok(d) => {
            let body = d.raw.map(|r| r.get().to_string());
            if s.format != Format::Json {
                println!("{}: done", safe(what));
            }
            Ok(body.or(Some("null".into())))
        }
        Err(e) => Err(cli_error(e, what)),
    }
}

fn view_of(entity: TriageEntity, raw: &Value) -> crate::api::calls::TriageView {
    use crate::api::calls::TriageView;
    match entity {
        TriageEntity::Incident => serde_json::from_value(raw.clone())
            .map(|i| TriageView::of_incident(&i))
            .unwrap_or_default(),
        TriageEntity::Alert => serde_json::from_value(raw.clone())
            .map(|a| TriageView::of_alert(&a))
            .unwrap_or_default(),
    }
}

async fn comment(s: &Session, entity: TriageEntity, id: &str, c: CommentArgs) -> CliResult {
    let raw = read_raw(s, entity, id).await?;
    let title = title_of(entity, &raw);
    comment_inner(s, entity, id, &title, c, true).await
}

async fn comment_inner(
    s: &Session,
    entity: TriageEntity,
    id: &str,
    title: &str,
    c: CommentArgs,
    print_json: bool,
) -> CliResult {
    if c.text.trim().is_empty() {
        return Err(CliError::Usage("the comment is empty".into()));
    }
    let req = ActionRequest::TriageComment {
        entity,
        id: id.to_string(),
        comment: c.text.clone(),
    };
    let what = format!(
        "Comment on {} {} \"{}\": {}",
        entity.noun(),
        id,
        title,
        c.text
    );
    let mode = Mode {
        dry_run: s.dry_run,
        read_only: s.read_only,
        recover: false,
    };
    let checked = dispatch::check(&req, mode).map_err(|e| cli_error(e, &what))?;
    let audit = open_audit()?;
    let origin = Origin {
        profile: s.profile_name.clone(),
        tenant: s.tenant_label.clone(),
        targets: vec![format!("{} {id}", entity.noun())],
    };
    let ready = match checked.prepare(&s.client, &audit, origin).await {
        Ok(Prepared::DryRun(lines)) => {
            for l in lines {
                println!("{}", safe(&l));
            }
            eprintln!("dry run: nothing was sent");
            return Ok(());
        }
        Ok(Prepared::Ready(r)) => r,
        Err(e) => return Err(cli_error(e, &what)),
    };
    confirm(&Ask {
        what: what.clone(),
        device: None,
        type_name: None,
        yes: c.yes,
    })?;
    let d = ready.commit().await.map_err(|e| cli_error(e, &what))?;
    if s.format == Format::Json {
        if print_json {
            return print_raw_json(d.raw.as_ref().map_or("null", |r| r.get()));
        }
    } else {
        println!("{}: done", safe(&what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_titles_are_read_from_graph_json() {
        let raw = serde_json::json!({"customTags": ["a", "b"], "displayName": "X", "title": "Y"});
        assert_eq!(tags_of(&raw), ["a", "b"]);
        assert_eq!(title_of(TriageEntity::Incident, &raw), "X");
        assert_eq!(title_of(TriageEntity::Alert, &raw), "Y");
    }
}
