//! The three output formats shared by every noun. A list command declares its columns once
//! as `(header, fn(&Model) -> Cell)` over the typed, tolerant model of `api::model` (so the
//! services' quirks are handled there, once) and gets a table, CSV (same columns) and JSON
//! (the raw records, written verbatim page by page so field names and enum values are the
//! API's own and 100,000 devices never sit in memory).
//!
//! A record that does not fit its model does not stop the listing: it is reported on stderr
//! with its position (`socops: warning: record 7 skipped: …`) and the rest is printed.

use std::io::{self, IsTerminal, Write};

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::api::ApiError;
use crate::cli::exit::{CliError, CliResult};

// The columns, cells and CSV/JSON framing are the console export's too (`crate::listing`).
pub use crate::listing::{Cell, Column, Format, age, opt, text};

/// Completes a record (a name it lacks) before its cells are drawn.
pub(crate) type FillFn<'a, T> = Box<dyn Fn(&mut T) + 'a>;

/// Streams pages of raw records to stdout (or an export file) in the chosen format.
pub(crate) struct ListSink<'a, T> {
    format: Format,
    columns: &'a [Column<T>],
    out: io::BufWriter<Box<dyn Write + 'a>>,
    csv_header_done: bool,
    json: crate::listing::JsonArray,
    /// The table's rows until the widths are known (one buffer, not a `String` per cell:
    /// 100,000 devices are about 10 MB here).
    rows: TableText,
    count: usize,
    now: chrono::DateTime<chrono::Utc>,
    failed: Option<CliError>,
    /// Completes a record from elsewhere before its cells are drawn (table and CSV only).
    fill: Option<FillFn<'a, T>>,
    /// Stdout is a terminal: a table may show short forms (`2b4b4d87…`); piped, a table
    /// keeps every id whole for the next program.
    brief: bool,
}

impl<'a, T: DeserializeOwned> ListSink<'a, T> {
    /// A sink writing to `out` (stdout or an export file); `on_terminal`: `out` is a
    /// terminal, so a table may shorten ids and fit its width.
    pub(crate) fn to_writer(
        format: Format,
        columns: &'a [Column<T>],
        out: Box<dyn Write + 'a>,
        on_terminal: bool,
    ) -> Self {
        ListSink {
            format,
            columns,
            out: io::BufWriter::new(out),
            csv_header_done: false,
            json: crate::listing::JsonArray::default(),
            rows: TableText::default(),
            count: 0,
            now: chrono::Utc::now(),
            failed: None,
            fill: None,
            brief: on_terminal,
        }
    }

    /// Complete each record with `fill` before its cells are drawn (the JSON stays the API's).
    pub(crate) fn with_fill(mut self, fill: FillFn<'a, T>) -> Self {
        self.fill = Some(fill);
        self
    }

    /// Take one page. Errors stop the paging; the cause is kept for [`ListSink::finish`].
    pub(crate) fn page(&mut self, records: Vec<Box<RawValue>>) -> Result<(), ApiError> {
        let res = self.write_page(records);
        res.map_err(|e| {
            let msg = e.one_line();
            self.failed = Some(e);
            ApiError::Refused(msg)
        })
    }

    fn write_page(&mut self, records: Vec<Box<RawValue>>) -> CliResult {
        for raw in records {
            match self.format {
                // Verbatim, so field names and enum values are the API's own.
                Format::Json => self.json.item(&mut self.out, raw.get())?,
                Format::Csv | Format::Table => {
                    let position = self.count + 1;
                    let mut rec: T = match serde_json::from_str(raw.get()) {
                        Ok(r) => r,
                        Err(e) => {
                            // Skipped with a warning (not fatal): one odd record must not
                            // hide the other 9,999; --json still has it verbatim.
                            // serde quotes the odd value: tenant text, made safe.
                            eprintln!(
                                "socops: warning: record {position} skipped (does not fit the \
                                 model: {}); --json shows it verbatim",
                                crate::text::line(&e.to_string())
                            );
                            self.count += 1;
                            continue;
                        }
                    };
                    if let Some(fill) = &self.fill {
                        fill(&mut rec);
                    }
                    let cells = crate::listing::cells(
                        self.columns,
                        &rec,
                        self.format,
                        self.now,
                        self.brief,
                    );
                    if self.format == Format::Csv {
                        self.write_csv_row(&cells)?;
                    } else {
                        self.rows.push(&cells);
                    }
                }
            }
            self.count += 1;
        }
        Ok(())
    }

    fn write_csv_row(&mut self, cells: &[String]) -> CliResult {
        // Rows stream out as they come, through the one buffered output.
        if !self.csv_header_done {
            let header: Vec<&str> = self.columns.iter().map(|(h, _)| *h).collect();
            crate::listing::write_csv_row(&mut self.out, &header).map_err(csv_err)?;
            self.csv_header_done = true;
        }
        if !cells.is_empty() {
            crate::listing::write_csv_row(&mut self.out, cells).map_err(csv_err)?;
        }
        Ok(())
    }

    /// The failure that stopped the sink (a closed pipe, a full disk), if any.
    pub(crate) fn take_failure(&mut self) -> Option<CliError> {
        self.failed.take()
    }

    /// Close the output (JSON `]`, CSV header of an empty list, the table). Returns the count.
    pub(crate) fn finish(mut self) -> CliResult<usize> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        match self.format {
            Format::Json => std::mem::take(&mut self.json).finish(&mut self.out)?,
            Format::Csv => {
                if !self.csv_header_done {
                    self.write_csv_row(&[])?;
                }
            }
            Format::Table => {
                let headers: Vec<&str> = self.columns.iter().map(|(h, _)| *h).collect();
                let width = if self.brief { terminal_width() } else { None };
                write_table(&mut self.out, &headers, &self.rows, width)?;
            }
        }
        self.out.flush()?;
        Ok(self.count)
    }
}

fn csv_err(e: io::Error) -> CliError {
    CliError::Runtime(format!("cannot write CSV: {e}"))
}

/// The width to fit a table into: the terminal's when stdout is one, else unlimited.
pub(crate) fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(w, _)| w as usize)
}

/// Aligned columns sized to content, shrunk (widest first) to fit `max_width`. Every cell
/// is tenant text: it goes through [`crate::text::line`] and is measured in terminal columns
/// ([`crate::text::width`]), so no escape sequence, bidi override or line break reaches the
/// terminal and an emoji name cannot shift the columns.
pub(crate) fn render_table(
    headers: &[&str],
    rows: &[Vec<String>],
    max_width: Option<usize>,
) -> String {
    let mut text = TableText::default();
    for r in rows {
        text.push(r);
    }
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_table(&mut out, headers, &text, max_width);
    String::from_utf8(out).unwrap_or_default()
}

/// Rows of a table in one buffer: each cell made terminal-safe, cells separated by US
/// (which `text::line` never leaves in a cell).
#[derive(Debug, Default)]
pub(crate) struct TableText {
    text: String,
    ends: Vec<usize>,
}

impl TableText {
    /// Add a row.
    pub(crate) fn push(&mut self, cells: &[String]) {
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                self.text.push('\u{1f}');
            }
            self.text.push_str(&crate::text::line(c));
        }
        self.ends.push(self.text.len());
    }

    /// The rows, each as its cells.
    fn rows(&self) -> impl Iterator<Item = std::str::Split<'_, char>> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(s, &e)| self.text.get(s..e).unwrap_or("").split('\u{1f}'))
    }
}

/// Write a table (headers, then one line per row) aligned in columns, fitting `max_width`
/// by truncating the widest columns (never below 6). Lines go out one at a time.
pub(crate) fn write_table(
    out: &mut dyn Write,
    headers: &[&str],
    rows: &TableText,
    max_width: Option<usize>,
) -> io::Result<()> {
    use crate::text::width;
    let n = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for row in rows.rows() {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    if let Some(max) = max_width {
        let gaps = 2 * n.saturating_sub(1);
        while widths.iter().sum::<usize>() + gaps > max {
            let Some((i, w)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
                break;
            };
            if *w <= 6 {
                break;
            }
            widths[i] -= 1;
        }
    }
    let mut s = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| -> io::Result<()> {
        s.clear();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            let w = widths.get(i).copied().unwrap_or(0);
            let c = crate::text::truncate(cell, w);
            if i + 1 < n {
                s.push_str(&crate::text::pad(&c, w));
            } else {
                s.push_str(&c);
            }
        }
        out.write_all(s.trim_end().as_bytes())?;
        out.write_all(b"\n")
    };
    line(&mut headers.iter().copied())?;
    for mut row in rows.rows() {
        line(&mut row)?;
    }
    Ok(())
}

/// Print one raw JSON document (an action, a score) followed by a newline, with C1, bidi
/// and zero-width characters escaped ([`crate::text::json`]).
pub(crate) fn print_raw_json(raw: &str) -> CliResult {
    let mut out = io::stdout().lock();
    out.write_all(crate::text::json(raw).as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// The text of a JSON field (audit entries, which are local, not a service model): strings
/// bare, null empty, arrays `;`-joined, the rest as JSON.
pub fn cell(v: &serde_json::Value, key: &str) -> String {
    match v.get(key) {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(";"),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_and_truncates() {
        let rows = vec![
            vec!["a".to_string(), "long value here".to_string()],
            vec!["bbbb".to_string(), "x".to_string()],
        ];
        let t = render_table(&["K", "VALUE"], &rows, None);
        assert_eq!(t, "K     VALUE\na     long value here\nbbbb  x\n");
        let t = render_table(&["K", "VALUE"], &rows, Some(14));
        assert!(t.lines().all(|l| l.chars().count() <= 14), "{t}");
        assert!(t.contains('…'));
    }

    #[derive(serde::Deserialize)]
    struct Rec {
        id: String,
    }

    const IDS: &[Column<Rec>] = &[("ID", |r| Cell::short_id(&r.id, 8))];

    fn table_of(on_terminal: bool) -> String {
        let mut buf: Vec<u8> = Vec::new();
        let mut sink = ListSink::to_writer(Format::Table, IDS, Box::new(&mut buf), on_terminal);
        let id = "4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6";
        let raw = RawValue::from_string(format!("{{\"id\": \"{id}\"}}")).unwrap();
        sink.page(vec![raw]).unwrap();
        sink.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn only_a_terminal_gets_shortened_ids() {
        // `--out FILE` from an interactive shell writes whole ids: a shortened one copied
        // from the file could name another device.
        assert!(table_of(true).contains("4b7e3c2a…"), "{}", table_of(true));
        assert!(table_of(false).contains("4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6"));
        assert!(!table_of(false).contains('…'));
    }

    #[test]
    fn cells_of_json() {
        let v = serde_json::json!({"a": "x", "b": null, "c": 3, "d": ["p", "q"]});
        assert_eq!(cell(&v, "a"), "x");
        assert_eq!(cell(&v, "b"), "");
        assert_eq!(cell(&v, "c"), "3");
        assert_eq!(cell(&v, "d"), "p;q");
        assert_eq!(cell(&v, "zz"), "");
    }
}
