//! What the console benches share: a small timing harness (no criterion, which would slow every
//! CI build) and the 100,000-device console they measure.

pub mod fixture;
pub mod harness;
