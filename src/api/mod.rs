//! The Defender for Endpoint and Microsoft Graph client: sign-in, transport (budgets, retry,
//! paging), error decoding and typed models. Knows nothing of the terminal UI.

pub mod auth;
pub mod calls;
pub mod catalog;
pub mod cloud;
pub mod dispatch;
/// The network steps of the write pipeline: private, so only `dispatch` sends a change.
mod dispatch_steps;
pub mod error;
pub mod first_party;
pub mod model;
pub mod permissions;
pub mod plan;
pub mod resources;

pub use cloud::{Cloud, Endpoints, Resource};
pub use error::{ApiError, Service, ServiceError};
pub mod budget;
pub mod client;
pub mod http;
pub mod paging;
pub mod query;
pub mod response;
pub mod tracking;

pub use client::{Client, RetryPolicy};
