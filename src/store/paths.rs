//! Where socops keeps its files: the platform config and data dirs (`directories`), each
//! overridable by an environment variable so tests, CI and unusual setups can redirect them.

use std::path::PathBuf;

use super::error::StoreError;

/// Env var overriding the config dir.
pub const CONFIG_DIR_ENV: &str = "SOCOPS_CONFIG_DIR";
/// Env var overriding the data dir (token cache, audit log, snapshots).
pub const DATA_DIR_ENV: &str = "SOCOPS_DATA_DIR";

/// Make one safe path segment out of text that came from an API (an action id, a device
/// name, the file name of a requested path): letters, digits, `-`, `_` and `.` are kept,
/// everything else (`/`, `\\`, controls, spaces, `:`) becomes `_`, leading dots are dropped
/// (no `..`, no hidden file) and the result is at most 100 characters and never empty. A
/// name built only from such segments stays inside the directory it is joined to.
pub(crate) fn safe_segment(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .chars()
        .take(100)
        .collect();
    if kept.trim_matches(['_', '.']).is_empty() {
        "_".into()
    } else {
        kept
    }
}

/// Check a name that becomes a path segment (a profile, a cached resource): letters, digits,
/// `-`, `_`, `.`, not starting with `.`, so it can never climb out of its directory.
pub(crate) fn checked_segment(name: &str) -> Result<&str, StoreError> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name)
    } else {
        Err(StoreError::BadProfileName(name.to_string()))
    }
}

fn project_dirs() -> Result<directories::ProjectDirs, StoreError> {
    directories::ProjectDirs::from("", "", "socops").ok_or(StoreError::NoHome)
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The config dir: `$SOCOPS_CONFIG_DIR`, else the platform one (e.g. `~/.config/socops`).
pub fn config_dir() -> Result<PathBuf, StoreError> {
    match env_dir(CONFIG_DIR_ENV) {
        Some(d) => Ok(d),
        None => Ok(project_dirs()?.config_dir().to_path_buf()),
    }
}

/// The data dir: `$SOCOPS_DATA_DIR`, else the platform one (e.g. `~/.local/share/socops`).
pub fn data_dir() -> Result<PathBuf, StoreError> {
    match env_dir(DATA_DIR_ENV) {
        Some(d) => Ok(d),
        None => Ok(project_dirs()?.data_dir().to_path_buf()),
    }
}

/// `<config dir>/config.toml`.
pub fn config_file() -> Result<PathBuf, StoreError> {
    Ok(config_dir()?.join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_text_becomes_one_segment() {
        assert_eq!(safe_segment("../../.."), "_");
        assert_eq!(safe_segment("..\\..\\x"), "_.._x");
        assert_eq!(safe_segment("a/b"), "a_b");
        assert_eq!(safe_segment(".hidden"), "hidden");
        assert_eq!(safe_segment("ws\u{1b}]0;x"), "ws__0_x");
        assert_eq!(safe_segment(""), "_");
        assert_eq!(safe_segment(&"x".repeat(300)).len(), 100);
        for s in ["../../..", "a/../../b", "/etc/passwd", "..", "."] {
            let seg = safe_segment(s);
            assert!(!seg.contains('/') && !seg.starts_with('.'), "{s} -> {seg}");
        }
    }

    #[test]
    fn platform_dirs_end_in_socops() {
        // Only checks the shape; the env overrides are exercised by the integration tests,
        // which run in their own process and may set the variables.
        if std::env::var_os(CONFIG_DIR_ENV).is_none()
            && let Ok(f) = config_file()
        {
            assert!(f.ends_with("config.toml"));
            assert!(f.to_string_lossy().contains("socops"));
        }
    }
}
