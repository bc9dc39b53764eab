//! socops: a terminal console for the Microsoft Defender for Business / Defender for Endpoint
//! security operations routine. See ARCHITECTURE.md for the shape of the code.

pub mod api;
pub mod app;
pub mod cli;
pub mod digest;
pub mod listing;
pub mod predicates;
pub mod runtime;
pub mod sim;
pub mod store;
pub mod text;
pub mod ui;
