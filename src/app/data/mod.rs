//! The data the console holds and what is derived from it: the store of loaded resources and
//! their load states, the rebuild of rows and figures when data arrives, the checklists and
//! their counts-that-match scopes, how summary boxes wrap and stack, the digest of this session and the tenants on hand.

pub mod checklist;
pub mod derive;
pub mod devices;
pub mod figures;
pub mod load;
pub mod panels;
pub mod scope;
pub mod session_digest;
pub mod store;
pub mod tenants;
