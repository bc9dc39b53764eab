//! `config path` and `config init`: where the config lives, and an example to start from.

use crate::cli::args::ConfigCmd;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::shim;
use crate::store::StoreError;
use crate::store::export_file::{Clash, write_export};
use crate::store::secure_file::ensure_private_dir;
use crate::text;

/// A commented example profile (no secrets: those come from the environment).
const EXAMPLE: &str = r#"# socops config. Secrets never go here: set AZURE_CLIENT_SECRET in the environment,
# or sign in with `socops login`.
default_profile = "contoso"

[profiles.contoso]
tenant_id = "00000000-0000-0000-0000-000000000000"
client_id = "00000000-0000-0000-0000-000000000000"
cloud = "global"        # global, gcc, gcc-high, dod
read_only = false       # true refuses every action
protected = false       # true: destructive actions need the device name typed
"#;

/// Run `config …` (no network).
pub fn run(cmd: ConfigCmd) -> CliResult {
    let path = shim::config_file()
        .ok_or_else(|| CliError::Config("no config directory on this system".into()))?;
    match cmd {
        ConfigCmd::Path => {
            println!("{}", path.display());
            Ok(())
        }
        ConfigCmd::Init => {
            let shown = path.display().to_string();
            if let Some(dir) = path.parent() {
                ensure_private_dir(dir).map_err(|e| CliError::Runtime(e.to_string()))?;
            }
            // The one writer of new files: 0600, complete or absent, and a name that is taken
            // (a file, or a link, which is never followed) is left as it is.
            match write_export(&path, EXAMPLE.as_bytes(), Clash::Refuse) {
                // Through the same guard as every other line socops prints (like `--out`'s).
                Ok(_) => println!("wrote an example config to {}", text::line(&shown)),
                Err(StoreError::Exists { .. }) => {
                    println!("{} already exists; left unchanged", text::line(&shown));
                }
                Err(e) => return Err(CliError::Runtime(e.to_string())),
            }
            Ok(())
        }
    }
}
