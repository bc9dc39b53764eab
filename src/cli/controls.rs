//! `controls list`: Microsoft Secure Score improvement actions, for the weekly Secure Score
//! review without the console — every control profile (all pages) joined with the tenant's
//! score on it from the latest daily snapshot, largest gap first.
//!
//! `--json` prints each control profile as Graph sends it, with the matching entry of the
//! latest snapshot's `controlScores` under `controlScore` (Graph's field names throughout;
//! `null` when the snapshot has none). Table and CSV: title, category, max score, current
//! score, gap, state.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::api::Resource;
use crate::api::calls;
use crate::api::model::{ControlScore, ControlStatus, SecureScoreControlProfile};
use crate::cli::args::ListOnly;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::export::Destination;
use crate::cli::output::{Cell, Column, ListSink, text};
use crate::cli::session::Session;

/// One improvement action: the profile and the tenant's score on it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ControlRecord {
    pub profile: SecureScoreControlProfile,
    pub control_score: Option<ControlScore>,
}

impl ControlRecord {
    fn status(&self) -> ControlStatus {
        ControlStatus::of(Some(&self.profile), self.control_score.as_ref())
    }
}

impl<'de> Deserialize<'de> for ControlRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        let control_score = match v.get("controlScore") {
            None | Some(Value::Null) => None,
            Some(c) => Some(serde_json::from_value(c.clone()).map_err(serde::de::Error::custom)?),
        };
        let profile = serde_json::from_value(v).map_err(serde::de::Error::custom)?;
        Ok(ControlRecord {
            profile,
            control_score,
        })
    }
}

fn points(v: Option<f64>) -> Cell {
    match v {
        Some(p) => Cell::Text(format!("{}", (p * 100.0).round() / 100.0)),
        None => Cell::Text(String::new()),
    }
}

/// Columns of the table and CSV.
pub(crate) const COLUMNS: &[Column<ControlRecord>] = &[
    ("TITLE", |r| {
        text(r.profile.title.as_deref().or(Some(&r.profile.id)))
    }),
    ("CATEGORY", |r| text(r.profile.control_category.as_deref())),
    ("MAX", |r| points(r.status().max)),
    ("SCORE", |r| points(r.status().score)),
    ("GAP", |r| points(r.status().gap)),
    ("STATE", |r| text(r.status().state.as_deref())),
    ("ID", |r| r.profile.id.as_str().into()),
];

/// Run `controls list`.
pub async fn run(s: &Session, cmd: ListOnly) -> CliResult {
    let ListOnly::List { limit } = cmd;
    let dest = Destination::open(s.out.as_ref())?;
    let result = async {
        let latest_path = calls::secure_scores(1).path;
        let (profiles, latest) = tokio::try_join!(
            read_profiles(s),
            s.client.get_page(Resource::Graph, &latest_path),
        )?;
        let scores: Vec<Value> = latest
            .records
            .first()
            .and_then(|r| serde_json::from_str::<Value>(r.get()).ok())
            .and_then(|v| v.get("controlScores").cloned())
            .and_then(|v| match v {
                Value::Array(a) => Some(a),
                _ => None,
            })
            .unwrap_or_default();
        let mut records = join(profiles, &scores)?;
        records.truncate(limit.limit.unwrap_or(usize::MAX));
        let mut sink = ListSink::<ControlRecord>::to_writer(
            s.format,
            COLUMNS,
            dest.writer()?,
            dest.on_terminal(),
        );
        if let Err(e) = sink.page(records) {
            return Err(sink.take_failure().unwrap_or(e.into()));
        }
        sink.finish()
    }
    .await;
    dest.finish(result)
}

async fn read_profiles(s: &Session) -> Result<Vec<Value>, crate::api::ApiError> {
    let mut out: Vec<Value> = Vec::new();
    calls::control_profiles()
        .for_each_raw(&s.client, None, |page| {
            for r in page {
                out.push(serde_json::from_str(r.get()).map_err(|e| {
                    crate::api::ApiError::Malformed {
                        service: crate::api::Service::Graph,
                        detail: format!("control profile {}: {e}", out.len() + 1),
                    }
                })?);
            }
            Ok(())
        })
        .await?;
    Ok(out)
}

/// Each profile with its score entry under `controlScore`, largest gap first (unknown gaps
/// last, then by title).
fn join(profiles: Vec<Value>, scores: &[Value]) -> CliResult<Vec<Box<RawValue>>> {
    let mut joined: Vec<(ControlRecord, Value)> = profiles
        .into_iter()
        .map(|mut p| {
            let id = p
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let score = scores
                .iter()
                .find(|c| c.get("controlName").and_then(Value::as_str) == Some(id.as_str()))
                .cloned()
                .unwrap_or(Value::Null);
            if let Value::Object(m) = &mut p {
                m.insert("controlScore".into(), score);
            } else {
                p = Value::Object(Map::new());
            }
            let rec: ControlRecord = serde_json::from_value(p.clone()).unwrap_or_default();
            (rec, p)
        })
        .collect();
    joined.sort_by(|(a, _), (b, _)| {
        ControlStatus::by_gap(&a.status(), &b.status())
            .then_with(|| a.profile.title.cmp(&b.profile.title))
    });
    joined
        .into_iter()
        .map(|(_, v)| {
            serde_json::value::to_raw_value(&v)
                .map_err(|e| CliError::Runtime(format!("cannot encode a control: {e}")))
        })
        .collect()
}
