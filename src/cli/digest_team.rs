//! The digest's Team approvals section: the profile's pending four-eyes requests, oldest
//! first, with who asked and when they expire. Only with a `[team]` table; an unreachable
//! store is one line, never a failed digest.

use serde_json::{Value, json};

use crate::digest::DigestFormat;
use crate::runtime::team::TeamContext;
use crate::store::team::{ApprovalRequest, RequestState};
use crate::text::line;

/// The pending requests of the tenant (expiring what is due first), or why not.
pub async fn pending(ctx: &TeamContext) -> Result<Vec<ApprovalRequest>, String> {
    let store = ctx.open().await.map_err(|e| e.to_string())?;
    store.expire().await.map_err(|e| e.to_string())?;
    let mut rows: Vec<ApprovalRequest> = store
        .list(Some(RequestState::Pending), Some(&ctx.tenant))
        .await
        .map_err(|e| e.to_string())?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

fn ago(secs: i64) -> String {
    crate::digest::run::age_text(chrono::Duration::seconds(secs.max(0)))
}

fn item(r: &ApprovalRequest, t: i64) -> String {
    line(&format!(
        "#{} {} {} · requested by {} {} ago · expires in {}",
        r.id,
        r.kind,
        r.target_name,
        r.requester,
        ago(t - r.requested_at),
        ago(r.expires_at - t)
    ))
    .into_owned()
}

/// The section in `format`, to print after the digest (`Json`: merged into the document).
pub fn section(
    result: &Result<Vec<ApprovalRequest>, String>,
    format: DigestFormat,
    t: i64,
) -> String {
    let (heading, lines) = match result {
        Ok(rows) => (
            format!("Team approvals ({} pending)", rows.len()),
            rows.iter().map(|r| item(r, t)).collect::<Vec<_>>(),
        ),
        Err(e) => (
            "Team approvals".to_string(),
            vec![line(&format!("not available: {e}")).into_owned()],
        ),
    };
    match format {
        DigestFormat::Markdown => {
            let mut s = format!("\n## {heading}\n\n");
            for l in lines {
                s.push_str(&format!("- {l}\n"));
            }
            s
        }
        _ => {
            let mut s = format!("\n{heading}\n");
            for l in lines {
                s.push_str(&format!("  {l}\n"));
            }
            s
        }
    }
}

/// The JSON digest with a `team_approvals` member added.
pub(crate) fn merge_json(digest: &str, result: &Result<Vec<ApprovalRequest>, String>) -> String {
    let Ok(mut v) = serde_json::from_str::<Value>(digest) else {
        return digest.to_string();
    };
    if let Value::Object(map) = &mut v {
        let team = match result {
            Ok(rows) => json!({ "pending": rows }),
            Err(e) => json!({ "error": e }),
        };
        map.insert("team_approvals".into(), team);
    }
    let text = serde_json::to_string_pretty(&v).unwrap_or_else(|_| digest.to_string());
    format!("{}\n", crate::text::json(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, requester: &str) -> ApprovalRequest {
        ApprovalRequest {
            id,
            state: RequestState::Pending,
            profile: "p".into(),
            tenant: "t".into(),
            kind: "Isolate".into(),
            target_id: "m".into(),
            target_name: "ws-002.contoso.local".into(),
            description: "Isolate device".into(),
            parameters: "{}".into(),
            comment: "c".into(),
            requester: requester.into(),
            requested_at: 1000,
            expires_at: 1000 + 86_400,
            decided_by: None,
            decided_at: None,
            decision_comment: None,
            outcome: None,
            action_id: None,
            ..Default::default()
        }
    }

    #[test]
    fn text_and_markdown_list_each_pending_request() {
        let rows = Ok(vec![row(7, "alice\u{1b}[31m")]);
        let text = section(&rows, DigestFormat::Text, 1000 + 3 * 3600);
        assert!(text.contains("Team approvals (1 pending)"), "{text}");
        assert!(text.contains("#7 Isolate ws-002.contoso.local"), "{text}");
        assert!(text.contains("3h 0m ago"), "{text}");
        assert!(
            !text.contains('\u{1b}'),
            "tenant text is made safe: {text:?}"
        );
        let md = section(&rows, DigestFormat::Markdown, 1000);
        assert!(md.contains("## Team approvals (1 pending)"), "{md}");
        assert!(md.contains("- #7"), "{md}");
    }

    #[test]
    fn an_unreachable_store_is_one_line_and_json_gains_a_member() {
        let err: Result<Vec<ApprovalRequest>, String> = Err("the team store is unreachable".into());
        let text = section(&err, DigestFormat::Text, 0);
        assert!(
            text.contains("not available: the team store is unreachable"),
            "{text}"
        );
        let merged = merge_json(r#"{"profile":"p"}"#, &Ok(vec![row(7, "alice")]));
        let v: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(v["profile"], "p");
        assert_eq!(v["team_approvals"]["pending"][0]["state"], "pending");
    }
}
