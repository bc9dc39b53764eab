//! All console state and the one pure `update(state, msg) -> commands`; the keymap, views,
//! checklists, tables with filter and sort, and the command palette. No IO, no clock, no
//! terminal: time arrives in messages and effects leave as commands.

pub mod actions;
pub mod basic;
pub mod data;
pub mod export;
pub mod input;
pub mod msg;
pub mod pages;
pub mod state;
pub mod steps;
pub mod tables;
pub mod update;
pub mod view;

pub use data::store::{DataStore, Payload};
pub use input::keymap::{Action, Key, KeyCode, Keymap};
pub use msg::{Command, LoadError, Msg, RequestId};
pub use state::{AppState, Mode, Settings, TableId};
pub use update::{start, update};
pub use view::{Cadence, ResourceKind, View};
