//! Where a list goes: stdout, or an export file (`--out FILE`). An export is written to a
//! temp file beside FILE and moved into place only when the list is complete, so a failed
//! read never leaves a half file; an existing FILE is refused unless `--force`. Exports are
//! 0600: they hold tenant data (device names, addresses, who is investigating what).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::exit::{CliError, CliResult};

/// The destination of one list.
pub(crate) struct Destination {
    file: Option<Export>,
}

struct Export {
    path: PathBuf,
    tmp: PathBuf,
    file: File,
    force: bool,
}

/// A usage problem (exit 2): the operator named a file that exists without `--force`.
pub(crate) fn refuse_existing(path: &Path) -> CliError {
    CliError::Usage(format!(
        "{} exists; pass --force to replace it",
        path.display()
    ))
}

impl Destination {
    /// Stdout, or the temp file of `--out` (refused now, before any read, when FILE exists
    /// and `--force` is not given).
    pub(crate) fn open(out: Option<&(PathBuf, bool)>) -> CliResult<Destination> {
        let Some((path, force)) = out else {
            return Ok(Destination { file: None });
        };
        if !force && path.exists() {
            return Err(refuse_existing(path));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .ok_or_else(|| CliError::Usage(format!("--out {}: not a file name", path.display())))?
            .to_string_lossy()
            .into_owned();
        let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4().simple()));
        let mut o = crate::store::secure_file::private_options();
        o.write(true).create_new(true);
        let file = o
            .open(&tmp)
            .map_err(|e| CliError::Runtime(format!("cannot write {}: {e}", path.display())))?;
        Ok(Destination {
            file: Some(Export {
                path: path.clone(),
                tmp,
                file,
                force: *force,
            }),
        })
    }

    /// A writer for the list's sink.
    pub(crate) fn writer(&self) -> CliResult<Box<dyn Write>> {
        match &self.file {
            None => Ok(Box::new(std::io::stdout().lock())),
            Some(e) => Ok(Box::new(e.file.try_clone()?)),
        }
    }

    /// End the list: on success move the export into place and say so on stderr; on
    /// failure delete the temp file. Returns the list's own result otherwise.
    pub(crate) fn finish(mut self, result: CliResult<usize>) -> CliResult {
        let Some(e) = self.file.take() else {
            return result.map(|_| ());
        };
        let placed = result.and_then(|n| {
            e.file.sync_all()?;
            if e.force {
                std::fs::rename(&e.tmp, &e.path)?;
            } else {
                // A hard link fails if FILE appeared meanwhile: never overwrite by accident.
                std::fs::hard_link(&e.tmp, &e.path).map_err(|err| {
                    if err.kind() == std::io::ErrorKind::AlreadyExists {
                        refuse_existing(&e.path)
                    } else {
                        CliError::Runtime(format!("cannot write {}: {err}", e.path.display()))
                    }
                })?;
            }
            Ok(n)
        });
        let _ = std::fs::remove_file(&e.tmp);
        let n = placed?;
        eprintln!("wrote {n} record(s) to {}", e.path.display());
        Ok(())
    }
}

impl Drop for Destination {
    fn drop(&mut self) {
        if let Some(e) = &self.file {
            let _ = std::fs::remove_file(&e.tmp);
        }
    }
}
