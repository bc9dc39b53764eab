//! `config path` and `config init`: where the config lives, and an example to start from.

use crate::cli::args::ConfigCmd;
use crate::cli::exit::{CliError, CliResult};
use crate::cli::shim;

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
            if path.exists() {
                println!("{} already exists; left unchanged", path.display());
                return Ok(());
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            write_private(&path, EXAMPLE)?;
            println!("wrote an example config to {}", path.display());
            Ok(())
        }
    }
}

fn write_private(path: &std::path::Path, text: &str) -> CliResult {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(())
}
