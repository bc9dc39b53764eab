//! Where a list goes: stdout, or an export file (`--out FILE`). The file is made by the one
//! export writer ([`crate::store::export_file`], shared with the console's `e`): 0600, written
//! beside FILE and put in place only when the list is complete, so a failed read never leaves
//! half a file. The CLI's policy: an existing FILE is refused (exit 2) unless `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::exit::{CliError, CliResult};
use crate::store::StoreError;
use crate::store::export_file::{Clash, ExportFile};

/// The destination of one list.
pub(crate) struct Destination {
    file: Option<ExportFile>,
}

/// A usage problem (exit 2): the operator named a file that exists without `--force`.
pub(crate) fn refuse_existing(path: &Path) -> CliError {
    CliError::Usage(format!(
        "{} exists; pass --force to replace it",
        path.display()
    ))
}

/// The CLI's `--out` policy: replace only with `--force`.
pub(crate) fn clash(force: bool) -> Clash {
    if force { Clash::Replace } else { Clash::Refuse }
}

/// An export error as the CLI reports it: a taken name is the operator's (exit 2).
pub(crate) fn export_error(path: &Path, e: StoreError) -> CliError {
    match e {
        StoreError::Exists { .. } => refuse_existing(path),
        other => CliError::Runtime(format!("cannot write {}: {other}", path.display())),
    }
}

/// Write a whole export (a download) to `path` by the CLI's `--out` policy.
pub(crate) fn write_out(path: &Path, bytes: &[u8], force: bool) -> CliResult {
    crate::store::export_file::write_export(path, bytes, clash(force))
        .map(|_| ())
        .map_err(|e| export_error(path, e))
}

impl Destination {
    /// Stdout, or the export file of `--out` (refused now, before any read, when FILE exists
    /// and `--force` is not given).
    pub(crate) fn open(out: Option<&(PathBuf, bool)>) -> CliResult<Destination> {
        let Some((path, force)) = out else {
            return Ok(Destination { file: None });
        };
        let file = ExportFile::create(path, clash(*force)).map_err(|e| export_error(path, e))?;
        Ok(Destination { file: Some(file) })
    }

    /// Whether what is written goes to a terminal (stdout, not redirected, no `--out`): only
    /// then may a table shorten ids and fit the terminal's width. A file gets whole ids.
    pub(crate) fn on_terminal(&self) -> bool {
        use std::io::IsTerminal;
        self.file.is_none() && std::io::stdout().is_terminal()
    }

    /// A writer for the list's sink.
    pub(crate) fn writer(&self) -> CliResult<Box<dyn Write>> {
        match &self.file {
            None => Ok(Box::new(std::io::stdout().lock())),
            Some(e) => Ok(Box::new(e.file().try_clone()?)),
        }
    }

    /// End the list: on success put the export in place and say so on stderr; on failure
    /// the unfinished file is removed. Returns the list's own result otherwise.
    pub(crate) fn finish(mut self, result: CliResult<usize>) -> CliResult {
        let Some(export) = self.file.take() else {
            return result.map(|_| ());
        };
        let n = result?;
        let path = export.path().to_path_buf();
        let placed = export.place().map_err(|e| export_error(&path, e))?;
        // The path is the operator's, but printed through the same guard as tenant text.
        eprintln!(
            "wrote {n} record(s) to {}",
            crate::text::line(&placed.display().to_string())
        );
        Ok(())
    }
}
