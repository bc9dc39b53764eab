//! Progress of long headless work on stderr ("devices: 40,000 · page 4"), drawn only when
//! stderr is a terminal: a pipe or a log file gets nothing.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Records and pages read so far of one list.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    resource: &'static str,
    records: usize,
    pages: usize,
}

impl Progress {
    /// A progress line for `resource`, drawn only when stderr is a terminal.
    pub(crate) fn new(resource: &'static str) -> Progress {
        Self::with_terminal(resource, std::io::stderr().is_terminal())
    }

    /// As [`Progress::new`], the terminal test given (tests).
    pub(crate) fn with_terminal(resource: &'static str, terminal: bool) -> Progress {
        let bar = terminal.then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            resource,
            records: 0,
            pages: 0,
        }
    }

    /// One more page of `n` records.
    pub(crate) fn page(&mut self, n: usize) {
        self.records += n;
        self.pages += 1;
        if let Some(bar) = &self.bar {
            bar.set_message(self.message());
        }
    }

    /// The line as it reads now.
    pub(crate) fn message(&self) -> String {
        format!(
            "{}: {} · page {}",
            self.resource,
            thousands(self.records),
            self.pages
        )
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// `40000` as `40,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_records_and_pages() {
        let mut p = Progress::with_terminal("devices", false);
        for _ in 0..4 {
            p.page(10_000);
        }
        assert_eq!(p.message(), "devices: 40,000 · page 4");
        assert!(p.bar.is_none(), "nothing drawn without a terminal");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
