//! `approvals list|show|approve|reject|withdraw`: the team's four-eyes queue from a shell.
//! Approving dispatches the parked request once, through the write pipeline, under this
//! session; the requester can never approve their own (exit 3).

use std::io::Write;

use crate::cli::args::{ApprovalsCmd, StateFilter};
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, render_table, terminal_width};
use crate::cli::session::Session;
use crate::runtime::team::{self, ApproveError, TeamContext};
use crate::store::team::{ApprovalRequest, RequestState, TeamError, TeamStore, now, time_text};
use crate::text::{csv_cell, json, line};

/// Run `approvals …`.
pub async fn run(s: &Session, cmd: ApprovalsCmd) -> CliResult {
    let ctx = s.team.clone().ok_or_else(|| {
        CliError::Config(
            "no team store: add a [team] table with store = \"sqlite:///path/team.db\" \
             or \"postgres://…\" to the config"
                .into(),
        )
    })?;
    let store = ctx.open().await.map_err(team_error)?;
    match cmd {
        ApprovalsCmd::List { state } => list(s, &store, state).await,
        ApprovalsCmd::Show { id } => show(s, &store, id).await,
        ApprovalsCmd::Approve { id, comment, yes } => {
            approve(s, &store, &ctx, id, comment.as_deref().unwrap_or(""), yes).await
        }
        ApprovalsCmd::Reject { id, comment, yes } => {
            let row = get(&store, id).await?;
            ask(&format!("Reject request {id}: {}", summary(&row)), yes)?;
            let row = team::reject(&store, &ctx, id, &comment)
                .await
                .map_err(approve_error)?;
            done(s, &row, &format!("request {id} rejected"))
        }
        ApprovalsCmd::Withdraw { id, yes } => {
            let row = get(&store, id).await?;
            ask(&format!("Withdraw request {id}: {}", summary(&row)), yes)?;
            let row = team::withdraw(&store, &ctx, id)
                .await
                .map_err(approve_error)?;
            done(s, &row, &format!("request {id} withdrawn"))
        }
    }
}

/// `Isolate ws-002 awaits approval: request 7` (tenant text made safe).
pub fn summary(r: &ApprovalRequest) -> String {
    let short = r.target_name.split('.').next().unwrap_or(&r.target_name);
    line(&format!("{} {short}", r.kind)).into_owned()
}

/// The store's refusals as exit codes: four-eyes and state refusals are 3, an unreachable
/// store 1, bad settings 2.
pub fn team_error(e: TeamError) -> CliError {
    let msg = line(&e.to_string()).into_owned();
    match e {
        TeamError::Config(_) | TeamError::SchemaTooNew { .. } => CliError::Config(msg),
        TeamError::NotFound(_) => CliError::Usage(msg),
        TeamError::OwnRequest { .. }
        | TeamError::AlreadyDecided { .. }
        | TeamError::Expired(_)
        | TeamError::NotRequester { .. } => CliError::Refused(msg),
        TeamError::Unreachable(_) | TeamError::Db(_) => CliError::Runtime(msg),
    }
}

fn approve_error(e: ApproveError) -> CliError {
    match e {
        ApproveError::Team(t) => team_error(t),
        ApproveError::Refused(m) => CliError::Refused(line(&m).into_owned()),
    }
}

async fn get(store: &TeamStore, id: i64) -> CliResult<ApprovalRequest> {
    store.expire(now()).await.map_err(team_error)?;
    store
        .get(id)
        .await
        .map_err(team_error)?
        .ok_or_else(|| team_error(TeamError::NotFound(id)))
}

fn ask(what: &str, yes: bool) -> CliResult {
    confirm(&Ask {
        what: what.to_string(),
        device: None,
        type_name: None,
        yes,
    })
}

fn print_json(v: &impl serde::Serialize) -> CliResult {
    let text = serde_json::to_string_pretty(v).map_err(|e| CliError::Runtime(e.to_string()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", json(&text))?;
    Ok(())
}

fn done(s: &Session, row: &ApprovalRequest, message: &str) -> CliResult {
    if s.format == Format::Json {
        return print_json(row);
    }
    println!("{}", line(message));
    Ok(())
}

const HEADERS: [&str; 9] = [
    "ID",
    "STATE",
    "PROFILE",
    "ACTION",
    "TARGET",
    "REQUESTER",
    "REQUESTED",
    "DECIDED BY",
    "OUTCOME",
];

fn cells(r: &ApprovalRequest) -> Vec<String> {
    vec![
        r.id.to_string(),
        r.state.to_string(),
        r.profile.clone(),
        r.kind.clone(),
        r.target_name.clone(),
        r.requester.clone(),
        time_text(r.requested_at),
        r.decided_by.clone().unwrap_or_default(),
        r.outcome.clone().unwrap_or_default(),
    ]
}

async fn list(s: &Session, store: &TeamStore, state: StateFilter) -> CliResult {
    store.expire(now()).await.map_err(team_error)?;
    let rows = store.list(state.state()).await.map_err(team_error)?;
    let mut out = std::io::stdout().lock();
    match s.format {
        Format::Json => {
            drop(out);
            print_json(&rows)
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(HEADERS)
                .map_err(|e| CliError::Runtime(e.to_string()))?;
            for r in &rows {
                let c: Vec<String> = cells(r).iter().map(|c| csv_cell(c).into_owned()).collect();
                w.write_record(&c)
                    .map_err(|e| CliError::Runtime(e.to_string()))?;
            }
            w.flush()?;
            Ok(())
        }
        Format::Table => {
            if rows.is_empty() {
                let which = state.state().map(|s| format!("{s} ")).unwrap_or_default();
                writeln!(out, "no {which}approval requests")?;
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| cells(r).iter().map(|c| line(c).into_owned()).collect())
                .collect();
            write!(out, "{}", render_table(&HEADERS, &table, terminal_width()))?;
            Ok(())
        }
    }
}

async fn show(s: &Session, store: &TeamStore, id: i64) -> CliResult {
    let row = get(store, id).await?;
    let audit = store.audit_of(id).await.map_err(team_error)?;
    if s.format == Format::Json {
        return print_json(&serde_json::json!({ "request": row, "audit": audit }));
    }
    let mut out = std::io::stdout().lock();
    for l in describe(&row, s) {
        writeln!(out, "{l}")?;
    }
    writeln!(out, "history:")?;
    for a in &audit {
        writeln!(
            out,
            "  {}  {:<10} {}  {}",
            time_text(a.at),
            line(&a.event),
            line(&a.actor),
            line(&a.detail)
        )?;
    }
    Ok(())
}

/// What a request will do: the lines the confirm dialog shows, then the exact request.
pub fn describe(r: &ApprovalRequest, s: &Session) -> Vec<String> {
    let mut v = vec![
        format!("request {}  {}", r.id, r.state),
        format!("action:    {}", line(&r.description)),
        format!(
            "target:    {} (id {})",
            line(&r.target_name),
            line(&r.target_id)
        ),
        format!("profile:   {} ({})", line(&r.profile), line(&r.tenant)),
        format!("comment:   {}", line(&r.comment)),
        format!(
            "requested: {} by {}",
            time_text(r.requested_at),
            line(&r.requester)
        ),
        format!("expires:   {}", time_text(r.expires_at)),
    ];
    if let Some(by) = &r.decided_by {
        v.push(format!(
            "decided:   {} by {}{}",
            r.decided_at.map(time_text).unwrap_or_default(),
            line(by),
            r.decision_comment
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(|c| format!(": {}", line(c)))
                .unwrap_or_default()
        ));
    }
    if let Some(o) = &r.outcome {
        let id = r
            .action_id
            .as_deref()
            .map(|a| format!(" (action {})", line(a)));
        v.push(format!("outcome:   {}{}", line(o), id.unwrap_or_default()));
    }
    if let Ok(req) = serde_json::from_str(&r.parameters) {
        v.push(String::from("request:"));
        for l in crate::api::dispatch::request_text(&s.client, &req) {
            v.push(format!("  {}", line(&l)));
        }
    }
    v
}

async fn approve(
    s: &Session,
    store: &TeamStore,
    ctx: &TeamContext,
    id: i64,
    comment: &str,
    yes: bool,
) -> CliResult {
    let row = get(store, id).await?;
    if row.state == RequestState::Pending && row.requester == ctx.me {
        return Err(team_error(TeamError::OwnRequest {
            id,
            requester: row.requester,
        }));
    }
    ask(
        &format!("Approve and send request {id}: {}", summary(&row)),
        yes,
    )?;
    let audit = crate::cli::send::open_audit()?;
    let done = team::approve(store, &s.client, &audit, ctx, id, comment, s.read_only)
        .await
        .map_err(approve_error)?;
    if let Some(e) = &done.record_error {
        eprintln!(
            "socops: warning: the outcome could not be written to the team store: {}",
            line(e)
        );
    }
    match done.sent {
        Ok(d) => {
            if s.format == Format::Json {
                return print_json(&done.request);
            }
            let action = d.action_id.map(|a| format!(": action {}", line(&a)));
            println!(
                "request {id} approved; {} sent{}",
                summary(&done.request),
                action.unwrap_or_default()
            );
            Ok(())
        }
        Err(e) => Err(crate::cli::send::cli_error(
            e,
            &format!("request {id} approved, but {}", summary(&done.request)),
        )),
    }
}
