//! Exporting a table to CSV or JSON: every row that matches the current filter, in the current
//! sort order. A table of API records is written as the CLI writes the same list, by the same
//! code (`crate::listing`): CSV with the list's columns (`devices list --csv`), JSON with the
//! API's records and field names (`--json`). A table socops derives itself keeps its column
//! titles (ages as ISO times, `—` as empty). Pure: the file is written by the runtime
//! (`Command::Export`) with the one export writer (`store::export_file`).

pub mod records;

use chrono::{DateTime, TimeZone, Utc};

use crate::app::msg::Command;
use crate::app::state::{AppState, TableId};
use crate::app::tables::table::{ColumnKind, RowRef, TableState};

/// Export file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// File-name stem of a table.
pub(crate) fn slug(id: TableId) -> &'static str {
    match id {
        TableId::ExposureDevices => "exposed-devices",
        TableId::ExposureGroups => "exposure-by-group",
        TableId::ActionsPending => "pending-actions",
        TableId::ActionsHistory => "action-history",
        TableId::DevicesAtRisk => "devices-at-risk",
        TableId::Incidents => "incidents",
        TableId::Alerts => "alerts",
        TableId::Controls => "secure-score-controls",
        TableId::Recommendations => "recommendations",
        TableId::Remediation => "remediation-activities",
        TableId::Learn => "learn",
        TableId::Threats => "threats",
        TableId::Devices => "devices",
        TableId::Indicators => "indicators",
        TableId::Errors => "errors",
        TableId::TeamApprovals => "team-approvals",
    }
}

/// `incidents-2026-11-30T0812Z.csv`.
pub fn file_name(id: TableId, now: DateTime<Utc>, format: Format) -> String {
    format!(
        "{}-{}.{}",
        slug(id),
        now.format("%Y-%m-%dT%H%MZ"),
        format.ext()
    )
}

/// Header and cells of a table's rows in view order, with the table's own column titles (a
/// table socops derives itself; the tables of API records export as `crate::listing` writes
/// them).
pub fn grid(t: &TableState) -> (Vec<String>, Vec<Vec<String>>) {
    let links = t.rows.iter().any(|r| r.has_link());
    let mut header: Vec<String> = t.columns.iter().map(|c| c.title.to_string()).collect();
    if links {
        header.push("LINK".into());
    }
    let rows = t
        .rows_in_view()
        .map(|r| {
            let mut cells = cells(t, r);
            if links {
                cells.push(r.link().unwrap_or_default());
            }
            cells
        })
        .collect();
    (header, rows)
}

fn cells(t: &TableState, r: RowRef<'_>) -> Vec<String> {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| match c.kind {
            ColumnKind::Age => {
                let ts = r.rank(i);
                match Utc.timestamp_opt(ts, 0).single() {
                    Some(at) if ts > 0 => at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    _ => String::new(),
                }
            }
            _ => match r.cell(i) {
                "—" => String::new(),
                x => x.to_string(),
            },
        })
        .collect()
}

/// The file content of a grid (a table socops derives itself, with its column titles).
pub fn render(header: &[String], rows: &[Vec<String>], format: Format) -> String {
    match format {
        Format::Csv => crate::listing::csv_text(header, rows),
        Format::Json => {
            // Objects written by hand so keys keep the column order (serde_json's map sorts).
            let q = |x: &str| serde_json::to_string(x).unwrap_or_else(|_| "\"\"".into());
            crate::listing::json_text(rows.iter().map(|r| {
                let fields: Vec<String> = header
                    .iter()
                    .zip(r)
                    .map(|(h, v)| format!("{}:{}", q(h), q(v)))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }))
        }
    }
}

/// API records as a JSON array framed like the CLI's `--json` (one record a line, C1, bidi and
/// zero-width characters escaped).
pub(crate) fn records_json(records: &[serde_json::Value]) -> String {
    crate::listing::json_text(
        records
            .iter()
            .map(|r| serde_json::to_string(r).unwrap_or_else(|_| "null".into())),
    )
}

/// Export the focused table: the command that writes the file, or a toast when there is none.
pub fn export(s: &mut AppState, format: Format) -> Vec<Command> {
    let Some(id) = s.focused_table() else {
        return crate::app::steps::toast(s, "nothing to export on this screen".into());
    };
    let Some(t) = s.table(id) else {
        return Vec::new();
    };
    // A table of API records is written as the CLI writes the same list (`devices list
    // --csv`, `--json`); a table socops derives itself keeps its column titles.
    let content = match format {
        Format::Json => records::rows_as_records(s, id, t).map(|r| records_json(&r)),
        Format::Csv => records::rows_as_csv(s, id, t),
    }
    .unwrap_or_else(|| {
        let (header, rows) = grid(t);
        render(&header, &rows, format)
    });
    vec![Command::Export {
        name: file_name(id, s.now, format),
        content,
    }]
}

/// The key after `e`: `c` CSV, `j` JSON, anything else cancels.
pub(crate) fn on_prompt_key(s: &mut AppState, key: crate::app::input::keymap::Key) -> Vec<Command> {
    use crate::app::input::keymap::KeyCode;
    s.export_prompt = false;
    match key.code {
        KeyCode::Char('c') => export(s, Format::Csv),
        KeyCode::Char('j') => export(s, Format::Json),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_cells_cannot_be_formulas_or_escape_codes() {
        let header = vec!["NAME".to_string(), "SCORE".to_string()];
        let rows = vec![vec![
            "=HYPERLINK(\"http://x\")\u{202e}".to_string(),
            "-3".to_string(),
        ]];
        let csv = render(&header, &rows, Format::Csv);
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(csv.contains(",-3"), "numbers stay numbers: {csv}");
        assert!(!csv.contains('\u{202e}'), "{csv}");
        let json = render(&header, &rows, Format::Json);
        assert!(json.contains("\\u202e"), "{json}");
        assert!(!json.contains('\u{202e}'));
    }
}
