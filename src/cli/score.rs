//! `score`: the organisation's exposure score, Secure Score for Devices and Microsoft Secure
//! Score in one view (or one JSON object of the raw answers).

use serde_json::Value;
use serde_json::value::RawValue;

use crate::api::Resource;
use crate::cli::exit::CliResult;
use crate::cli::output::{Format, cell, print_raw_json, render_table};
use crate::cli::session::Session;

/// Run `score`.
pub async fn run(s: &Session) -> CliResult {
    let c = &s.client;
    let (exposure, config, secure) = tokio::try_join!(
        c.get::<Box<RawValue>>(Resource::Mde, "exposureScore"),
        c.get::<Box<RawValue>>(Resource::Mde, "configurationScore"),
        c.get_page(Resource::Graph, "security/secureScores?$top=1"),
    )?;
    let secure_raw = secure.records.into_iter().next();
    let secure_text = secure_raw.as_ref().map(|r| r.get()).unwrap_or("null");
    match s.format {
        Format::Json => print_raw_json(&format!(
            "{{\"exposureScore\": {}, \"configurationScore\": {}, \"secureScore\": {}}}",
            exposure.get(),
            config.get(),
            secure_text
        )),
        Format::Csv | Format::Table => {
            let e: Value = serde_json::from_str(exposure.get()).unwrap_or_default();
            let d: Value = serde_json::from_str(config.get()).unwrap_or_default();
            let m: Value = serde_json::from_str(secure_text).unwrap_or_default();
            let rows = score_rows(&e, &d, &m);
            if s.format == Format::Csv {
                let mut w = csv::Writer::from_writer(std::io::stdout());
                let csv_err = |e: csv::Error| crate::cli::exit::CliError::Runtime(e.to_string());
                w.write_record(["SCORE", "VALUE", "AS OF"])
                    .map_err(csv_err)?;
                for r in &rows {
                    w.write_record(r.iter().map(|c| crate::text::csv_cell(c).into_owned()))
                        .map_err(csv_err)?;
                }
                w.flush()?;
                Ok(())
            } else {
                println!("Tenant: {}", crate::text::line(&s.tenant_label));
                print!(
                    "{}",
                    render_table(&["SCORE", "VALUE", "AS OF"], &rows, None)
                );
                Ok(())
            }
        }
    }
}

fn score_rows(e: &Value, d: &Value, m: &Value) -> Vec<Vec<String>> {
    let secure = match (
        m.get("currentScore").and_then(Value::as_f64),
        m.get("maxScore").and_then(Value::as_f64),
    ) {
        (Some(cur), Some(max)) if max > 0.0 => {
            format!("{cur:.1} / {max:.0} ({:.0}%)", cur / max * 100.0)
        }
        _ => "n/a".to_string(),
    };
    vec![
        vec![
            "Exposure score (lower is better)".into(),
            num(e, "score"),
            cell(e, "time"),
        ],
        vec![
            "Exposure level".into(),
            e.get("score").and_then(Value::as_f64).map_or_else(
                || "n/a".into(),
                |x| crate::digest::model::exposure_level(x).to_string(),
            ),
            cell(e, "time"),
        ],
        vec![
            "Secure Score for Devices".into(),
            num(d, "score"),
            cell(d, "time"),
        ],
        vec![
            "Microsoft Secure Score".into(),
            secure,
            cell(m, "createdDateTime"),
        ],
    ]
}

fn num(v: &Value, key: &str) -> String {
    match v.get(key).and_then(Value::as_f64) {
        Some(x) => format!("{x:.1}"),
        None => cell(v, key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_show_percent() {
        let rows = score_rows(
            &serde_json::json!({"score": 31.2, "time": "t"}),
            &serde_json::json!({"score": 340}),
            &serde_json::json!({"currentScore": 50.0, "maxScore": 200.0}),
        );
        assert_eq!(rows[0][1], "31.2");
        assert_eq!(rows[1][1], "Medium");
        assert_eq!(rows[3][1], "50.0 / 200 (25%)");
    }
}
