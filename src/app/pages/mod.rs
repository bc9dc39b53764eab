//! Where the analyst is: the back stack and breadcrumb, the working detail pages, the read-only
//! details panels, and the small pickers that ask which record is meant.

pub mod detail;
pub mod extra;
pub mod nav;
pub mod picker;
pub mod working;
