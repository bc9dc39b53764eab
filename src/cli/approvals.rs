//! `approvals list|show|approve|reject|withdraw`: the team's four-eyes queue from a shell.
//! Approving dispatches the parked request once, through the write pipeline, under this
//! session; the requester can never approve their own (exit 3).

use std::io::Write;

use crate::api::calls::ActionRequest;
use crate::cli::args::{ApprovalsCmd, StateFilter};
use crate::cli::confirm::{Ask, confirm};
use crate::cli::exit::{CliError, CliResult};
use crate::cli::output::{Format, render_table, terminal_width};
use crate::cli::session::Session;
use crate::runtime::team::{self, ApproveError, TeamContext};
use crate::store::team::{ApprovalRequest, RequestState, TeamError, TeamStore, time_text};
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
        ApprovalsCmd::List { state } => list(s, &store, &ctx, state).await,
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
pub(crate) fn team_error(e: TeamError) -> CliError {
    let msg = line(&e.to_string()).into_owned();
    match e {
        TeamError::Config(_) | TeamError::SchemaTooNew { .. } => CliError::Config(msg),
        TeamError::NotFound(_) => CliError::Usage(msg),
        TeamError::OwnRequest { .. }
        | TeamError::AlreadyDecided { .. }
        | TeamError::Expired(_)
        | TeamError::Changed(_)
        | TeamError::OtherTenant { .. }
        | TeamError::NotRequester { .. } => CliError::Refused(msg),
        TeamError::Unreachable(_) | TeamError::Db(_) => CliError::Runtime(msg),
    }
}

fn approve_error(e: ApproveError) -> CliError {
    match e {
        ApproveError::Team(t) => team_error(t),
        ApproveError::Refused(m) => CliError::Refused(line(&m).into_owned()),
        ApproveError::Dispatch(e) => crate::cli::send::cli_error(e, "approval dry run"),
    }
}

async fn get(store: &TeamStore, id: i64) -> CliResult<ApprovalRequest> {
    store.expire().await.map_err(team_error)?;
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

/// This tenant's requests: the queue is keyed on the tenant id, so every profile of the
/// tenant sees the same queue.
async fn list(s: &Session, store: &TeamStore, ctx: &TeamContext, state: StateFilter) -> CliResult {
    store.expire().await.map_err(team_error)?;
    let rows = store
        .list(state.state(), Some(&ctx.tenant))
        .await
        .map_err(team_error)?;
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

/// Every recorded name of a requester or decider: ` (os login alice, entra alice@…, role x)`.
fn names(login: Option<&str>, upn: Option<&str>, db_user: Option<&str>) -> String {
    let parts: Vec<String> = [
        ("os login", login),
        ("entra", upn),
        ("database role", db_user),
    ]
    .into_iter()
    .filter_map(|(what, v)| v.map(|v| format!("{what} {}", line(v))))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// What a request will do: the lines the confirm dialog shows, then the exact request. The
/// action and target come from the parameters approving would send, never from the row's
/// free-text columns (which anyone who can write the store could make say anything else).
pub(crate) fn describe(r: &ApprovalRequest, s: &Session) -> Vec<String> {
    let parsed: Result<ActionRequest, String> =
        serde_json::from_str(&r.parameters).map_err(|e| e.to_string());
    let mut v = vec![format!("request {}  {}", r.id, r.state)];
    match &parsed {
        Ok(req) => {
            let id = req.target_machine();
            v.push(format!("action:    {}", line(req.label())));
            v.push(format!(
                "target:    {} (id {})",
                line(&r.target_name),
                line(id.unwrap_or(&r.target_id))
            ));
        }
        Err(e) => v.push(format!(
            "action:    UNREADABLE: approving is refused ({})",
            line(e)
        )),
    }
    v.extend([
        format!("profile:   {} ({})", line(&r.profile), line(&r.tenant)),
        format!("comment:   {}", line(&r.comment)),
        format!(
            "requested: {} by {}{}",
            time_text(r.requested_at),
            line(&r.requester),
            names(
                r.requester_login.as_deref(),
                r.requester_upn.as_deref(),
                r.requester_db_user.as_deref()
            )
        ),
        format!("expires:   {}", time_text(r.expires_at)),
    ]);
    if let Some(by) = &r.decided_by {
        v.push(format!(
            "decided:   {} by {}{}{}",
            r.decided_at.map(time_text).unwrap_or_default(),
            line(by),
            names(
                r.decided_by_login.as_deref(),
                r.decided_by_upn.as_deref(),
                r.decided_by_db_user.as_deref()
            ),
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
    if let Ok(req) = &parsed {
        v.push(String::from("request:"));
        for l in crate::api::dispatch::request_text(&s.client, req) {
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
    // Parse first: the prompt, the description and the result line come from what approving
    // sends, and a request whose parameters disagree with its columns is refused.
    let req = team::parked_request(&row, ctx).map_err(approve_error)?;
    if row.state == RequestState::Pending
        && let Some(via) = ctx.me.made(&row)
    {
        return Err(team_error(TeamError::OwnRequest {
            id,
            requester: row.requester,
            via,
        }));
    }
    let what = format!(
        "Approve and send request {id}: {}",
        team::request_summary(&row, &req)
    );
    if s.dry_run {
        let args = team::ApproveArgs {
            shown: &row,
            comment,
            read_only: s.read_only,
            dry_run: true,
        };
        let audit = crate::cli::send::open_audit()?;
        if let team::Approval::DryRun(lines) = team::approve(store, &s.client, &audit, ctx, args)
            .await
            .map_err(approve_error)?
        {
            println!("{}", line(&what));
            for l in lines {
                println!("{}", line(&l));
            }
        }
        eprintln!("dry run: request {id} is still pending; nothing was decided or sent");
        return Ok(());
    }
    // The exact request, as a dry run shows it, before the question.
    let mut err = std::io::stderr().lock();
    for l in crate::api::dispatch::request_text(&s.client, &req) {
        writeln!(err, "  {}", line(&l))?;
    }
    drop(err);
    confirm(&approval_ask(&row, &req, what, s.protected, yes))?;
    let audit = crate::cli::send::open_audit()?;
    let args = team::ApproveArgs {
        shown: &row,
        comment,
        read_only: s.read_only,
        dry_run: false,
    };
    let team::Approval::Done(done) = team::approve(store, &s.client, &audit, ctx, args)
        .await
        .map_err(approve_error)?
    else {
        return Err(CliError::Runtime("approval did not run".into()));
    };
    if let Some(e) = &done.record_error {
        eprintln!(
            "socops: warning: the outcome could not be written to the team store: {}",
            line(e)
        );
    }
    let summary = team::request_summary(&row, &req);
    match done.sent {
        Ok(d) => {
            if s.format == Format::Json {
                return print_json(&done.request);
            }
            let action = d.action_id.map(|a| format!(": action {}", line(&a)));
            println!(
                "request {id} approved; {} sent{}",
                line(&summary),
                action.unwrap_or_default()
            );
            Ok(())
        }
        Err(e) => Err(crate::cli::send::cli_error(
            e,
            &format!("request {id} approved, but {}", line(&summary)),
        )),
    }
}

/// The confirmation of an approval: the device name and id from the parsed request, and on
/// a protected profile the typed device name before a destructive action, as a direct
/// action asks.
pub(crate) fn approval_ask<'a>(
    row: &'a ApprovalRequest,
    req: &'a ActionRequest,
    what: String,
    protected: bool,
    yes: bool,
) -> Ask<'a> {
    let device_id = req.target_machine();
    let device_name = if row.target_name.is_empty() {
        device_id.unwrap_or_default()
    } else {
        row.target_name.as_str()
    };
    let type_name = (protected && req.is_destructive())
        .then_some(device_id.map(|_| device_name))
        .flatten();
    Ask {
        what,
        device: device_id.map(|d| (device_name, d)),
        type_name,
        yes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(parameters: &str) -> ApprovalRequest {
        ApprovalRequest {
            id: 7,
            state: RequestState::Pending,
            profile: "contoso".into(),
            tenant: "t".into(),
            kind: "Isolate".into(),
            target_id: "m-1".into(),
            target_name: "fin-lt-0142.contoso.local".into(),
            description: "Isolate device".into(),
            parameters: parameters.into(),
            comment: "c".into(),
            requester: "bob".into(),
            requested_at: 0,
            expires_at: 0,
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            outcome: None,
            action_id: None,
            ..Default::default()
        }
    }

    #[test]
    fn a_protected_profile_asks_for_the_device_name_before_approving_a_destructive_action() {
        let r = row(r#"{"action":"Isolate","machine_id":"m-1","comment":"c","selective":false}"#);
        let req: ActionRequest = serde_json::from_str(&r.parameters).unwrap();
        let ask = approval_ask(&r, &req, "Approve".into(), true, true);
        assert_eq!(ask.device, Some(("fin-lt-0142.contoso.local", "m-1")));
        assert_eq!(ask.type_name, Some("fin-lt-0142.contoso.local"));
        let p = crate::cli::confirm::prompt(&ask);
        assert!(p.contains("device id:   m-1"), "{p}");
        assert!(p.contains("Type the device name"), "{p}");
        // Not protected: yes (or --yes), still naming the device.
        let ask = approval_ask(&r, &req, "Approve".into(), false, true);
        assert_eq!(ask.type_name, None);
        assert_eq!(ask.device, Some(("fin-lt-0142.contoso.local", "m-1")));
    }
}
