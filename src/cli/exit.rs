//! Exit codes and the one-line error every failed command ends with.

use crate::api::ApiError;

/// Success.
pub(crate) const OK: i32 = 0;
/// The API or the runtime failed.
pub const API: i32 = 1;
/// Bad usage or bad config.
pub const USAGE: i32 = 2;
/// Refused: read-only, not confirmed, duplicate.
pub(crate) const REFUSED: i32 = 3;
/// A write may or may not have been performed: check before trying again.
pub(crate) const UNKNOWN: i32 = 4;

/// Why a command failed, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad flags or arguments (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Bad or unsafe config (exit 2).
    #[error("config: {0}")]
    Config(String),
    /// Refused on purpose (exit 3).
    #[error("refused: {0}")]
    Refused(String),
    /// The API failed (exit 1). Display carries Microsoft's code and correlation id.
    #[error("{0}")]
    Api(#[from] ApiError),
    /// Anything else at run time (exit 1).
    #[error("{0}")]
    Runtime(String),
    /// A write failed and was not performed (exit 1). The text says "not performed".
    #[error("{0}")]
    NotPerformed(String),
    /// A write may have been performed and could not be confirmed (exit 4). The text names
    /// the command that checks it.
    #[error("{0}")]
    Unknown(String),
}

impl CliError {
    /// The process exit code of this failure.
    pub fn code(&self) -> i32 {
        match self {
            CliError::Usage(_) | CliError::Config(_) => USAGE,
            CliError::Refused(_) => REFUSED,
            CliError::Api(_) | CliError::Runtime(_) | CliError::NotPerformed(_) => API,
            CliError::Unknown(_) => UNKNOWN,
        }
    }

    /// The message on one line (stderr gets exactly one line).
    pub fn one_line(&self) -> String {
        let s = self.to_string();
        let mut out = String::with_capacity(s.len());
        for part in s.split(['\n', '\r']).filter(|p| !p.trim().is_empty()) {
            if !out.is_empty() {
                out.push_str(" | ");
            }
            out.push_str(part.trim());
        }
        out
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::Runtime(e.to_string())
    }
}

/// Result of a command.
pub(crate) type CliResult<T = ()> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_one_line() {
        assert_eq!(CliError::Usage("x".into()).code(), 2);
        assert_eq!(CliError::Refused("x".into()).code(), 3);
        assert_eq!(CliError::Runtime("a\nb".into()).one_line(), "a | b");
        assert_eq!(CliError::Api(ApiError::Refused("r".into())).code(), 1);
    }
}
