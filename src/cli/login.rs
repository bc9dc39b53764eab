//! `login`: the device code flow for SSH boxes; the refresh token is kept 0600.

use crate::cli::args::GlobalArgs;
use crate::cli::exit::CliResult;
use crate::cli::shim;

/// Run `login`.
pub async fn run(_g: &GlobalArgs) -> CliResult {
    Err(shim::not_yet("sign-in with a device code (socops login)"))
}
