//! All console state and the one pure `update(state, msg) -> commands`; the keymap, views,
//! checklists, tables with filter and sort, and the command palette. No IO, no clock, no
//! terminal: time arrives in messages and effects leave as commands.

pub mod act;
pub mod actions;
pub mod bulk;
pub mod checklist;
pub mod data;
pub mod derive;
pub mod detail;
pub mod export;
pub mod export_records;
pub mod figures;
pub mod help;
pub mod input;
pub mod keymap;
pub mod keys;
pub mod load;
pub mod marks;
pub mod mouse;
pub mod msg;
pub mod nav;
pub mod page;
pub mod palette;
pub mod picker;
pub mod recheck;
pub mod remediation_columns;
pub mod rows;
pub mod scope;
pub mod short;
pub mod since;
pub mod snapshot;
pub mod state;
pub mod table;
pub mod tables;
pub mod team;
pub mod tenants;
pub mod triage;
pub mod update;
pub mod view;
pub mod widths;

pub use data::{DataStore, Payload};
pub use keymap::{Action, Key, KeyCode, Keymap};
pub use msg::{Command, LoadError, Msg, RequestId};
pub use state::{AppState, Mode, Settings, TableId};
pub use update::{start, update};
pub use view::{Cadence, ResourceKind, View};
