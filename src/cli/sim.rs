//! `sim`: serve the simulated tenant on 127.0.0.1 until Ctrl-C.

use crate::cli::args::{GlobalArgs, SimArgs};
use crate::cli::exit::CliResult;
use crate::cli::shim;

/// Run `sim`.
pub async fn run(_g: &GlobalArgs, _a: SimArgs) -> CliResult {
    Err(shim::not_yet("the simulator (socops sim)"))
}
