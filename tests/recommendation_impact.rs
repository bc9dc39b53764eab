//! One recommendation, one impact: the console's row, `recommendations list` and the digest
//! show the same exposure impact for the same recommendation, and `recommendations list`
//! ranks by it and shows severity bands (not a 0 for a scored recommendation).
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

mod bin_common;
use std::process::Output;

use chrono::Utc;
use roundtrip_common::{client, sim};
use socops::api::calls;
use socops::api::model::{Recommendation, impact_text};
use socops::app::data::checklist::Marks;
use socops::app::{
    AppState, Key, Keymap, Msg, Payload, ResourceKind, Settings, TableId, start, update,
};

async fn cli(base: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let out = bin_common::demo_at(base, dir.path(), &["--graph-url", base], args).await;
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn console_impacts(recs: Vec<Recommendation>) -> Vec<(String, String)> {
    let mut s = AppState::new(
        Settings::default(),
        Keymap::default(),
        Marks::default(),
        Utc::now(),
    );
    start(&mut s);
    let payload = Payload::Recommendations(recs);
    let kind = payload.kind();
    let id = match s.data.pending(kind) {
        Some(id) => id,
        None => {
            update(&mut s, Msg::Key(Key::ch('r')));
            s.data.pending(kind).unwrap_or(0)
        }
    };
    update(
        &mut s,
        Msg::Loaded {
            id,
            at: Utc::now(),
            payload: Box::new(payload),
        },
    );
    socops::app::data::derive::rebuild(&mut s, ResourceKind::Recommendations);
    s.table(TableId::Recommendations)
        .unwrap()
        .rows
        .iter()
        .map(|r| (r.id().to_string(), r.cell(0).to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_recommendation_shows_the_same_impact_everywhere() {
    let s = sim(48).await;
    let c = client(&s);
    let recs: Vec<Recommendation> = calls::recommendations(None).fetch(&c, None).await.unwrap();
    let mut ranked = recs.clone();
    ranked.sort_by(Recommendation::by_impact);
    let top = ranked[0].clone();
    let want = impact_text(top.impact());

    // The console: every row shows its recommendation's impact.
    let rows = console_impacts(recs.clone());
    for r in &recs {
        let (_, cell) = rows.iter().find(|(id, _)| *id == r.id).unwrap();
        assert_eq!(*cell, impact_text(r.impact()), "{}", r.id);
    }

    // `recommendations list`: highest impact first, the same number, a severity band.
    let base = s.base_url();
    let out = cli(&base, &["recommendations", "list"]).await;
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    let first = table.lines().nth(1).unwrap();
    assert!(first.contains(&want), "{first}\n{table}");
    let bands = ["Critical (", "High (", "Medium (", "Low ("];
    assert!(
        table
            .lines()
            .skip(1)
            .any(|l| bands.iter().any(|b| l.contains(b))),
        "severities shown: {table}"
    );
    for r in ranked
        .iter()
        .filter(|r| r.severity_score.unwrap_or(0.0) > 0.0)
        .take(3)
    {
        let line = table.lines().find(|l| {
            l.contains(&impact_text(r.impact())) && l.contains(r.severity_text().unwrap().as_str())
        });
        assert!(line.is_some(), "{} {:?}: {table}", r.id, r.severity_text());
    }

    // The digest: the same impact for the same recommendation.
    let out = cli(&base, &["digest"]).await;
    let digest = String::from_utf8_lossy(&out.stdout).into_owned();
    let first_listed = ranked
        .iter()
        .find(|r| r.is_active() && r.exposed_machines_count.unwrap_or(0) > 0)
        .unwrap();
    let line = format!(
        "{}, exposure impact {}",
        first_listed.display_name(),
        impact_text(first_listed.impact())
    );
    assert!(digest.contains(&line), "{line}\n{digest}");
}
