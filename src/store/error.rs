//! `StoreError`: every failure of reading or writing socops' files, worded so a person knows
//! what to do next (which file, which command).

use std::path::PathBuf;

/// A failure of the on-disk state. Messages name the file and, where there is one, the fix.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The platform gave no home directory and no override was set.
    #[error(
        "cannot find a home directory for socops files: set SOCOPS_CONFIG_DIR and SOCOPS_DATA_DIR"
    )]
    NoHome,
    /// An IO operation on a path failed.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file socops writes is a symbolic link: whoever made it could send the write (a token,
    /// the audit log) anywhere, so socops refuses instead of following it.
    #[error(
        "{} is a symbolic link; socops does not write through links: remove it and try again",
        path.display()
    )]
    Symlink { path: PathBuf },
    /// A new file's name is taken (an export that must not replace an earlier file).
    #[error("{} exists", path.display())]
    Exists { path: PathBuf },
    /// A file holding secrets or settings is readable by group or others.
    #[error(
        "{} is readable by group or others (mode {mode:03o}); run `chmod 600 {}` and try again",
        path.display(),
        path.display()
    )]
    NotPrivate { path: PathBuf, mode: u32 },
    /// The config file is not valid TOML or has a field of the wrong type.
    #[error("{} line {line}: {message}", path.display())]
    ConfigSyntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A secret value was written into the config file.
    #[error(
        "{} profile '{profile}': a client secret must not be written in the config file; remove \
         `{key}` and set `client_secret_env = \"NAME\"` naming an environment variable that holds it",
        path.display()
    )]
    SecretInConfig {
        path: PathBuf,
        profile: String,
        key: String,
    },
    /// No profile is configured at all.
    #[error(
        "no profile configured: run `socops config init` and edit the config file, or set AZURE_TENANT_ID and AZURE_CLIENT_ID"
    )]
    NoProfiles,
    /// The named profile does not exist.
    #[error("no profile named '{name}' (available: {})", available.join(", "))]
    UnknownProfile {
        name: String,
        available: Vec<String>,
    },
    /// Several profiles exist and none was chosen.
    #[error(
        "several profiles are configured ({}): choose one with --profile NAME or set default_profile",
        available.join(", ")
    )]
    AmbiguousProfile { available: Vec<String> },
    /// A profile name that cannot be used as a file name.
    #[error("invalid profile name '{0}': use letters, digits, '-', '_' or '.'")]
    BadProfileName(String),
    /// No digest snapshot is stored for the profile (an `--offline` read before any run).
    #[error(
        "no digest snapshot stored for profile '{profile}': run `socops digest` online once first"
    )]
    NoSnapshot { profile: String },
    /// A JSON file of socops could not be read or written.
    #[error("{} is not valid socops JSON: {message}", path.display())]
    Json { path: PathBuf, message: String },
}

impl StoreError {
    /// Shorthand for an IO error on a path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        StoreError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
