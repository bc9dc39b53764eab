//! The one guard of the temp files socops writes before putting a file in place (exports,
//! downloads, the response cache, tokens, config, snapshots). They hold the same data as the
//! file they become, so none may outlive the write:
//! - the name is `.{name}.{random}.tmp` beside the final name: 128 random bits, so nobody
//!   can plant a link at it in advance, and it is opened `create_new` (`O_EXCL`, which never
//!   follows a link) 0600, so it never takes over a file that is there;
//! - dropped before it is put in place (an error, a panic, a dropped future), it is removed;
//! - while it exists its name is on a process-wide list, and [`remove_unfinished`] (called
//!   when a signal ends the process, where no destructor runs) removes every one of them.
//!
//! Only a `SIGKILL` or a power cut can still leave one behind.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use super::secure_file::private_options;

/// The temp files being written now.
static UNFINISHED: Mutex<Unfinished> = Mutex::new(Unfinished {
    ending: false,
    paths: Vec::new(),
});

struct Unfinished {
    /// [`remove_unfinished`] ran: the process is ending, no new temp file is made.
    ending: bool,
    paths: Vec<PathBuf>,
}

fn unfinished() -> MutexGuard<'static, Unfinished> {
    // A panic while the lock was held leaves a list that is still whole.
    UNFINISHED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The longest part of the final name kept in the temp name (in bytes): with the dots, the
/// random part and `.tmp`, the temp name stays far below the 255 bytes of a file name even
/// when the final name uses them all.
const NAME_PART: usize = 64;

/// A private temp file that is removed unless it is put in place.
#[derive(Debug)]
pub(crate) struct TempFile {
    path: PathBuf,
    file: File,
    /// Still at `path` (not renamed away).
    armed: bool,
}

impl TempFile {
    /// Create a new temp file for `name` in `dir`.
    pub(crate) fn create(dir: &Path, name: &str) -> io::Result<TempFile> {
        TempFile::create_at(dir.join(temp_name(name)))
    }

    fn create_at(path: PathBuf) -> io::Result<TempFile> {
        let mut list = unfinished();
        if list.ending {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "socops is ending; nothing more is written",
            ));
        }
        // Created while the list is locked, so `remove_unfinished` never misses one.
        let file = private_options().write(true).create_new(true).open(&path)?;
        list.paths.push(path.clone());
        Ok(TempFile {
            path,
            file,
            armed: true,
        })
    }

    /// The temp file's name.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The file to write into.
    pub(crate) fn file(&self) -> &File {
        &self.file
    }

    /// The temp file was renamed into place: its name is gone, nothing is left to remove.
    pub(crate) fn renamed(mut self) {
        self.armed = false;
        forget(&self.path);
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
            forget(&self.path);
        }
    }
}

fn forget(path: &Path) {
    unfinished().paths.retain(|p| p != path);
}

/// `.{name}.{32 hex digits}.tmp`, the name cut to [`NAME_PART`] bytes on a character boundary.
fn temp_name(name: &str) -> String {
    let mut end = name.len().min(NAME_PART);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!(".{}.{}.tmp", &name[..end], uuid::Uuid::new_v4().simple())
}

/// Remove every temp file being written and refuse new ones: the process is about to end
/// without running destructors (a signal). Returns how many were removed.
pub fn remove_unfinished() -> usize {
    let mut list = unfinished();
    list.ending = true;
    list.paths
        .drain(..)
        .filter(|p| std::fs::remove_file(p).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_is_hidden_unpredictable_and_short() {
        let long = "é".repeat(120);
        let (a, b) = (temp_name(&long), temp_name(&long));
        assert_ne!(a, b);
        assert!(a.starts_with('.') && a.ends_with(".tmp"), "{a}");
        assert!(a.len() <= NAME_PART + 2 + 32 + 4, "{}", a.len());
        assert_eq!(
            temp_name("x.csv").len(),
            ".x.csv.".len() + 32 + ".tmp".len()
        );
    }

    #[test]
    fn dropped_it_is_removed_and_renamed_it_is_left_alone() {
        let d = tempfile::tempdir().unwrap();
        let t = TempFile::create(d.path(), "a.csv").unwrap();
        let p = t.path().to_path_buf();
        assert!(p.exists());
        assert!(unfinished().paths.contains(&p));
        drop(t);
        assert!(!p.exists());
        assert!(!unfinished().paths.contains(&p));

        let t = TempFile::create(d.path(), "b.csv").unwrap();
        let done = d.path().join("b.csv");
        std::fs::rename(t.path(), &done).unwrap();
        let p = t.path().to_path_buf();
        t.renamed();
        assert!(done.exists());
        assert!(!unfinished().paths.contains(&p));
    }

    #[cfg(unix)]
    #[test]
    fn it_is_private_and_never_opens_what_is_there() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let t = TempFile::create(d.path(), "x").unwrap();
        let mode = std::fs::metadata(t.path()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // A link planted at the very name (were it guessed) is refused, not followed.
        let target = d.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        let planted = d.path().join(".y.planted.tmp");
        std::os::unix::fs::symlink(&target, &planted).unwrap();
        let e = TempFile::create_at(planted.clone()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        // So is a file of the user's at that name, which stays as it was (and is not removed).
        let theirs = d.path().join(".z.theirs.tmp");
        std::fs::write(&theirs, "theirs").unwrap();
        let e = TempFile::create_at(theirs.clone()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "theirs");
    }
}
