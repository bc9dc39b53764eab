//! One rendering of a record list, shared by the headless lists (`devices list --csv`, `--out`)
//! and the console's `e` export: the columns of each record type, declared once over the
//! typed, tolerant models of `api::model` (`columns.rs`); their cells per format (`cell.rs`);
//! CSV rows with every cell through [`crate::text::csv_cell`]; and the JSON array of records
//! with C1, bidi and zero-width characters escaped by [`crate::text::json`]. Pure: the caller
//! owns the writer (stdout, an export file from `store::export_file`, or memory).

pub mod cell;
pub mod columns;

use std::io::{self, Write};

use chrono::{DateTime, Utc};

pub use cell::{Cell, age, opt, text};

/// How records are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// One column: its header and how a record becomes a cell.
pub type Column<T> = (&'static str, fn(&T) -> Cell);

/// The cell texts of one record in `format`, ages counted from `now`. `brief` keeps a table's
/// short forms (`2b4b4d87…`); without it a table shows every id whole. CSV is always whole.
pub fn cells<T>(
    columns: &[Column<T>],
    record: &T,
    format: Format,
    now: DateTime<Utc>,
    brief: bool,
) -> Vec<String> {
    columns
        .iter()
        .map(|(_, f)| match f(record) {
            Cell::Brief { full, .. } if !brief => full,
            cell => cell.render(format, now),
        })
        .collect()
}

/// Write one CSV row; every cell is tenant text, so one that starts like a formula is quoted
/// ([`crate::text::csv_cell`], CSV injection).
pub fn write_csv_row<S: AsRef<str>>(out: &mut dyn Write, cells: &[S]) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(1024)
        .from_writer(out);
    w.write_record(
        cells
            .iter()
            .map(|c| crate::text::csv_cell(c.as_ref()).into_owned()),
    )
    .map_err(io::Error::other)?;
    w.flush()
}

/// A whole CSV file: `header`, then `rows`.
pub fn csv_text<S: AsRef<str>>(header: &[S], rows: &[Vec<String>]) -> String {
    let mut out = Vec::new();
    // Writing into memory fails only on a CSV error, which a string cell cannot cause.
    let ok = write_csv_row(&mut out, header).is_ok()
        && rows.iter().all(|r| write_csv_row(&mut out, r).is_ok());
    if ok {
        String::from_utf8(out).unwrap_or_default()
    } else {
        String::new()
    }
}

/// The CSV of `records` with `columns`: the header, then one row per record, as
/// `socops … list --csv` prints it.
pub fn records_csv<'a, T: 'a>(
    columns: &[Column<T>],
    records: impl IntoIterator<Item = &'a T>,
    now: DateTime<Utc>,
) -> String {
    let header: Vec<&str> = columns.iter().map(|(h, _)| *h).collect();
    let rows: Vec<Vec<String>> = records
        .into_iter()
        .map(|r| cells(columns, r, Format::Csv, now, false))
        .collect();
    csv_text(&header, &rows)
}

/// A JSON array written record by record (100,000 devices never sit in memory): `[`, the
/// records separated by `,`, `]`; an empty list is `[]`.
#[derive(Debug, Default)]
pub struct JsonArray {
    count: usize,
}

impl JsonArray {
    /// Write one record (its JSON text, e.g. verbatim from the API).
    pub fn item(&mut self, out: &mut dyn Write, record: &str) -> io::Result<()> {
        let sep = if self.count == 0 { "[\n" } else { ",\n" };
        out.write_all(sep.as_bytes())?;
        // serde keeps C1, bidi and zero-width characters raw: escape them.
        out.write_all(crate::text::json(record).as_bytes())?;
        self.count += 1;
        Ok(())
    }

    /// Close the array.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        let tail = if self.count == 0 { "[]\n" } else { "\n]\n" };
        out.write_all(tail.as_bytes())
    }
}

/// A whole JSON array of `records`' texts.
pub fn json_text<S: AsRef<str>>(records: impl IntoIterator<Item = S>) -> String {
    let mut out = Vec::new();
    let mut array = JsonArray::default();
    for r in records {
        // Writing into memory cannot fail.
        let _ = array.item(&mut out, r.as_ref());
    }
    let _ = array.finish(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_cannot_be_formulas_and_json_escapes_hidden_characters() {
        let csv = csv_text(
            &["NAME", "SCORE"],
            &[vec!["=HYPERLINK(\"http://x\")".into(), "-3".into()]],
        );
        assert!(csv.starts_with("NAME,SCORE\n"), "{csv}");
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(csv.ends_with(",-3\n"), "numbers stay numbers: {csv}");
        let json = json_text(["{\"a\":\"x\u{202e}\"}", "{}"]);
        assert_eq!(json, "[\n{\"a\":\"x\\u202e\"},\n{}\n]\n");
        assert_eq!(json_text(Vec::<String>::new()), "[]\n");
    }
}
