//! Files the console writes besides the checklist: this session's digest snapshot (through
//! `SnapshotStore`) and export files (current directory, else `<data dir>/exports`).

use std::path::{Path, PathBuf};

use tokio::sync::mpsc;

use crate::app::Msg;
use crate::digest::Snapshot;
use crate::store::snapshot::SnapshotStore;

/// Save a snapshot in the background; a failure comes back as a toast.
pub fn save_snapshot(
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
pub fn write_export(
    cwd: &Path,
    data_dir: &Path,
    name: &str,
    content: &str,
) -> std::io::Result<PathBuf> {
    let first = cwd.join(name);
    match std::fs::write(&first, content) {
        Ok(()) => Ok(first),
        Err(_) => {
            let dir = data_dir.join("exports");
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(name);
            std::fs::write(&path, content)?;
            Ok(path)
        }
    }
}

/// Write an export in the background and toast the file name (or the error).
pub fn export(data_dir: PathBuf, name: String, content: String, tx: mpsc::UnboundedSender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let cwd = std::env::current_dir().unwrap_or_else(|_| data_dir.clone());
        let text = match write_export(&cwd, &data_dir, &name, &content) {
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
}
