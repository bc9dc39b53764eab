//! The morning digest across tenants: collect a compact [`Snapshot`] of the figures the daily
//! routine watches, diff it against the previous run, render it as plain text, Markdown or
//! JSON, and keep it on disk for the next run and for `--offline` reads. No terminal UI here.

pub mod collect;
pub mod diff;
pub mod model;
mod outline;
pub mod render;
pub mod render_json;
pub mod run;
pub mod sections;

pub use collect::collect;
pub use diff::{Change, ChangeKind, RowMark, changes, row_marks};
pub use model::Snapshot;
pub use render::{DigestFormat, render};
pub use run::{
    AllRun, TENANT_DEADLINE, age_text, collect_within, offline_digest, offline_snapshot, run_all,
    run_digest, summary_line, summary_parts,
};
