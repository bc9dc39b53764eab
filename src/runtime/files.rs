//! Files the console writes besides the checklist: this session's digest snapshot (through
//! `SnapshotStore`) and export files (the config's `export_dir`; without one the current
//! directory, else `<data dir>/exports`), made by the one export writer
//! (`store::export_file`) that the CLI's `--out` uses too.

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::digest::Snapshot;
use crate::store::StoreError;
use crate::store::digest_history::SnapshotStore;
use crate::store::export_file::{self, Clash};

/// Save a snapshot in the background; a failure comes back as a toast.
pub(crate) fn save_snapshot(
    data_dir: PathBuf,
    profile: String,
    snap: Snapshot,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::task::spawn_blocking(move || {
        if let Err(e) = SnapshotStore::new(&data_dir).save(&profile, &snap) {
            let _ = tx.send(Msg::Toast(format!("could not save the snapshot: {e}")));
        }
    });
}

/// Write `content` to `name` in `cwd`, else under `<data_dir>/exports`; returns the path.
/// The console's policy on the one export writer: a taken name becomes `name-2.csv`,
/// `name-3.csv`… so an export never replaces an earlier one.
pub(crate) fn write_export(
    cwd: &Path,
    data_dir: &Path,
    name: &str,
    content: &str,
) -> Result<PathBuf, StoreError> {
    match write_numbered(cwd, name, content.as_bytes()) {
        Ok(p) => Ok(p),
        Err(_) => write_export_in(&data_dir.join("exports"), name, content.as_bytes()),
    }
}

fn write_numbered(dir: &Path, name: &str, content: &[u8]) -> Result<PathBuf, StoreError> {
    export_file::write_export(&dir.join(name), content, Clash::Number)
}

/// Write `content` to `name` in `dir` (created 0700 when missing), numbered when the name is
/// taken: the configured export directory, and the downloads of finished actions
/// (`runtime/results.rs`). The directory is the operator's or socops' own, so a failure is
/// reported rather than redirected elsewhere.
pub(crate) fn write_export_in(
    dir: &Path,
    name: &str,
    content: &[u8],
) -> Result<PathBuf, StoreError> {
    crate::store::secure_file::ensure_private_dir(dir)?;
    write_numbered(dir, name, content)
}

/// Write an export in the background and toast the file name (or the error): into
/// `export_dir` when the config names one, else the current directory (else the data dir).
pub fn export(
    export_dir: Option<PathBuf>,
    data_dir: PathBuf,
    name: String,
    content: String,
    tx: mpsc::UnboundedSender<Msg>,
) {
    tokio::task::spawn_blocking(move || {
        let written = match &export_dir {
            Some(dir) => write_export_in(dir, &name, content.as_bytes()),
            None => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| data_dir.clone());
                write_export(&cwd, &data_dir, &name, &content)
            }
        };
        let text = match written {
            Ok(p) => format!("exported to {}", p.display()),
            Err(e) => format!("could not export {name}: {e}"),
        };
        let _ = tx.send(Msg::Toast(text));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_data_dir() {
        let d = tempfile::tempdir().unwrap();
        let missing = d.path().join("nope");
        let p = write_export(&missing, d.path(), "x.csv", "a\n").unwrap();
        assert_eq!(p, d.path().join("exports").join("x.csv"));
        let p = write_export(d.path(), d.path(), "y.csv", "b\n").unwrap();
        assert_eq!(std::fs::read_to_string(p).unwrap(), "b\n");
    }

    #[test]
    fn the_configured_directory_is_created_private_and_never_left() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("exports").join("weekly");
        let a = write_export_in(&dir, "devices.json", b"[]\n").unwrap();
        let b = write_export_in(&dir, "devices.json", b"[1]\n").unwrap();
        assert_eq!(a, dir.join("devices.json"));
        assert_eq!(b, dir.join("devices-2.json"));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "[]\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
            let mode = std::fs::metadata(&b).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // A directory that cannot be made is an error, not a quiet write elsewhere.
        let file = d.path().join("plain-file");
        std::fs::write(&file, "x").unwrap();
        assert!(write_export_in(&file.join("sub"), "x.csv", b"a\n").is_err());
    }

    #[test]
    fn exports_never_overwrite_and_are_private() {
        let d = tempfile::tempdir().unwrap();
        let a = write_export(d.path(), d.path(), "devices.csv", "one\n").unwrap();
        let b = write_export(d.path(), d.path(), "devices.csv", "two\n").unwrap();
        assert_eq!(b, d.path().join("devices-2.csv"));
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "one\n");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "two\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&b).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
