//! Column widths from content: each column's ideal width is measured once when its rows load
//! (over all rows, or an even sample of very large tables), short columns (severities, ids,
//! statuses, counts) keep their width, and long free-text columns share what is left.

use crate::app::table::{Column, ColumnKind, Row};

/// Rows measured at most; larger tables are sampled evenly (the widest value is a hint).
pub const SAMPLE: usize = 5_000;
/// A text column wider than this (by content) is free text that shares the leftover room.
pub const FLEX_OVER: u16 = 20;
/// Free text never asks for more than this before there is room to spare.
pub const TEXT_CAP: u16 = 48;

/// What a column asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// Width it keeps until everything else gave way.
    pub min: u16,
    /// Width that shows its widest value (capped for free text).
    pub ideal: u16,
    /// Free text: gives way first, and takes spare room.
    pub flex: bool,
    /// Its content is wider than `ideal` (capped free text): first to take spare room.
    pub capped: bool,
}

/// The widest cell of each column, in characters (0 when a column has no text).
pub fn measure(rows: &[Row], ncols: usize) -> Vec<u16> {
    let mut w = vec![0u16; ncols];
    let step = rows.len().div_ceil(SAMPLE).max(1);
    for row in rows.iter().step_by(step) {
        for (i, cell) in row.cells.iter().enumerate().take(ncols) {
            let n = u16::try_from(cell.chars().count()).unwrap_or(u16::MAX);
            w[i] = w[i].max(n);
        }
    }
    w
}

/// What each column asks for, from its header and measured content (`measured[i]` 0 or
/// missing: the column's preferred width stands in, e.g. before data loads).
pub fn wants(columns: &[Column], measured: &[u16]) -> Vec<Want> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let title = c.title.chars().count() as u16;
            let content = measured.get(i).copied().unwrap_or(0);
            match c.kind {
                // Ages are drawn at render time ("14h", "3mo"): the preferred width fits them.
                ColumnKind::Age => {
                    let w = title.max(c.width).max(3);
                    Want {
                        min: w,
                        ideal: w,
                        flex: false,
                        capped: false,
                    }
                }
                ColumnKind::Ranked | ColumnKind::Severity => {
                    let w = title.max(if content == 0 { c.width } else { content });
                    Want {
                        min: w,
                        ideal: w,
                        flex: false,
                        capped: false,
                    }
                }
                ColumnKind::Text => {
                    let content = if content == 0 { c.width } else { content };
                    let flex = content > FLEX_OVER;
                    let ideal = title.max(content).min(TEXT_CAP.max(title));
                    let min = if flex {
                        title.max(10).min(ideal)
                    } else {
                        ideal
                    };
                    Want {
                        min,
                        ideal,
                        flex,
                        capped: content > ideal,
                    }
                }
            }
        })
        .collect()
}

/// Widths that fill `avail` cells (spacing already removed). With room, every column gets its
/// ideal and free text the rest; short of room, free text gives way first (widest first, down
/// to its minimum), then the short text columns, then everything down to 3 cells.
pub fn fit(wants: &[Want], avail: u16) -> Vec<u16> {
    let mut w: Vec<u16> = wants.iter().map(|x| x.ideal).collect();
    let total: u32 = w.iter().map(|&x| u32::from(x)).sum();
    let avail32 = u32::from(avail);
    if total <= avail32 {
        let extra = (avail32 - total) as u16;
        // Spare room goes to capped free text, split evenly; else to the widest free text
        // column; else to the last column.
        let capped: Vec<usize> = (0..w.len()).filter(|&i| wants[i].capped).collect();
        let widest = (0..w.len())
            .filter(|&i| wants[i].flex)
            .max_by_key(|&i| (w[i], std::cmp::Reverse(i)));
        let flex = match (capped.is_empty(), widest) {
            (false, _) => capped,
            (true, Some(i)) => vec![i],
            (true, None) => vec![w.len().saturating_sub(1)],
        };
        if !w.is_empty() {
            let n = flex.len() as u16;
            for (k, &i) in flex.iter().enumerate() {
                w[i] += extra / n + u16::from((k as u16) < extra % n);
            }
        }
        return w;
    }
    let mut need = total - avail32;
    // Phases: free text down to its minimum, then everything to its minimum, then to 3.
    let floors: [Box<dyn Fn(usize) -> Option<u16>>; 3] = [
        Box::new(|i| wants[i].flex.then_some(wants[i].min)),
        Box::new(|i| Some(wants[i].min.min(wants[i].ideal))),
        Box::new(|i| Some(3.min(wants[i].ideal))),
    ];
    for floor in floors.iter() {
        while need > 0 {
            // The widest column that can still give way gives one cell.
            let Some(i) = (0..w.len())
                .filter(|&i| floor(i).is_some_and(|f| w[i] > f))
                .max_by_key(|&i| (w[i], std::cmp::Reverse(i)))
            else {
                break;
            };
            w[i] -= 1;
            need -= 1;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::severity("SEV", 6),
            Column::text("TITLE", 40),
            Column::text("ASSIGNED", 16),
            Column::age("AGE", 5),
        ]
    }

    #[test]
    fn short_columns_keep_their_content_and_text_shares_the_rest() {
        let w = wants(&cols(), &[4, 60, 17, 0]);
        assert_eq!(
            w[2],
            Want {
                min: 17,
                ideal: 17,
                flex: false,
                capped: false
            }
        );
        assert!(w[1].flex);
        let f = fit(&w, 60);
        assert_eq!(f, vec![4, 34, 17, 5]);
        assert_eq!(fit(&w, 120), vec![4, 94, 17, 5]);
    }

    #[test]
    fn very_narrow_gives_way_everywhere() {
        let w = wants(&cols(), &[4, 60, 17, 0]);
        let f = fit(&w, 24);
        assert_eq!(f.iter().sum::<u16>(), 24);
        assert!(f.iter().all(|&x| x >= 3));
    }
}
