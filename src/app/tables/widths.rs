//! Column widths from content: each column's ideal width is measured once when its rows load
//! (over all rows, or an even sample of very large tables), short columns (severities, ids,
//! statuses, counts) keep their width, and long free-text columns share what is left. On a
//! narrow screen the column that names the row gives way last, and enumeration columns fall
//! back to short forms ("Info", "NoReport") before anything is cut.

use crate::app::tables::short;
use crate::app::tables::table::{Column, ColumnKind, Role, Rows};

/// Rows measured at most; larger tables are sampled evenly (the widest value is a hint).
pub(crate) const SAMPLE: usize = 5_000;
/// A text column wider than this (by content) is free text that shares the leftover room.
pub(crate) const FLEX_OVER: u16 = 20;
/// Free text never asks for more than this before there is room to spare.
pub(crate) const TEXT_CAP: u16 = 48;
/// The naming column keeps this many cells (or its content, if narrower) until the other
/// columns are down to their minimum.
pub(crate) const NAME_MIN: u16 = 20;
/// ... and this many until the other columns are cut to 3 cells.
pub(crate) const NAME_FLOOR: u16 = 16;

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
    /// It names the row: gives way last.
    pub name: bool,
    /// Width its content needs in short forms (`ideal` when it has none).
    pub short: u16,
}

/// The widest cell of each column, in characters (0 when a column has no text).
pub fn measure(rows: &Rows, ncols: usize) -> Vec<u16> {
    let mut w = vec![0u16; ncols];
    let step = rows.len().div_ceil(SAMPLE).max(1);
    for row in rows.iter().step_by(step) {
        for (i, cell) in row.cells().enumerate().take(ncols) {
            let n = u16::try_from(crate::text::width(cell)).unwrap_or(u16::MAX);
            w[i] = w[i].max(n);
        }
    }
    w
}

/// The widest short form of each `Words` column (0 elsewhere, or with no text).
pub(crate) fn measure_short(rows: &Rows, columns: &[Column]) -> Vec<u16> {
    let step = rows.len().div_ceil(SAMPLE).max(1);
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.role != Role::Words {
                return 0;
            }
            let cells = rows.iter().step_by(step).map(|r| r.cell(i));
            short::short_width(cells)
        })
        .collect()
}

/// What each column asks for, from its header, measured content and short forms
/// (`measured[i]` 0 or missing: the column's preferred width stands in, e.g. before data
/// loads; `short[i]` 0 or missing: no short form).
pub fn wants(columns: &[Column], measured: &[u16], short: &[u16]) -> Vec<Want> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut want = want(c, measured.get(i).copied().unwrap_or(0));
            let title = c.title.chars().count() as u16;
            want.short = want.ideal;
            match c.role {
                Role::Name => {
                    want.name = true;
                    want.min = want.ideal.min(NAME_MIN);
                }
                Role::Words => {
                    let s = short.get(i).copied().unwrap_or(0);
                    if s > 0 {
                        want.short = want.ideal.min(s.max(title));
                        want.min = want.min.min(want.short);
                    }
                }
                Role::Plain => {}
            }
            want
        })
        .collect()
}

/// What one column asks for before its role is taken into account.
fn want(c: &Column, content: u16) -> Want {
    let title = c.title.chars().count() as u16;
    match c.kind {
        // Ages are drawn at render time ("14h", "3mo"): the preferred width fits them.
        ColumnKind::Age => {
            let w = title.max(c.width).max(3);
            Want {
                min: w,
                ideal: w,
                flex: false,
                capped: false,
                name: false,
                short: w,
            }
        }
        ColumnKind::Ranked | ColumnKind::Severity => {
            let w = title.max(if content == 0 { c.width } else { content });
            Want {
                min: w,
                ideal: w,
                flex: false,
                capped: false,
                name: false,
                short: w,
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
                name: false,
                short: ideal,
            }
        }
    }
}

/// Widths that fill `avail` cells (spacing already removed). With room, every column gets its
/// ideal and free text the rest. Short of room, columns give way in this order, widest first
/// (rightmost on ties, as the left columns say what the row is): free text down to its
/// minimum, enumeration words down to their short forms, the naming column down to its
/// minimum (20 cells), every other column down to its minimum, the naming column down to
/// 16, every other column down to 3 cells, and the naming column last.
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
    let floors: [fn(&Want) -> Option<u16>; 7] = [
        |x| (x.flex && !x.name).then_some(x.min),
        |x| Some(x.short),
        |x| x.name.then_some(x.min),
        |x| (!x.name).then_some(x.min.min(x.ideal)),
        |x| x.name.then_some(x.min.min(NAME_FLOOR)),
        |x| (!x.name).then_some(3.min(x.ideal)),
        |x| Some(3.min(x.ideal)),
    ];
    for floor in floors.iter() {
        while need > 0 {
            // The widest column that can still give way gives one cell.
            let Some(i) = (0..w.len())
                .filter(|&i| floor(&wants[i]).is_some_and(|f| w[i] > f))
                .max_by_key(|&i| (w[i], i))
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
    use crate::app::tables::table::Row;

    #[test]
    fn widths_are_terminal_columns() {
        let rows = Rows::build(
            [
                Row::new("a", vec!["👩\u{200d}💻-dev".into()]),
                Row::new("b", vec!["漢字".into()]),
            ],
            1,
            &[],
        );
        // The picture is two columns (not three code points), the two CJK characters four.
        assert_eq!(measure(&rows, 1), vec![6]);
    }

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
        let w = wants(&cols(), &[4, 60, 17, 0], &[]);
        assert_eq!(
            w[2],
            Want {
                min: 17,
                ideal: 17,
                flex: false,
                capped: false,
                name: false,
                short: 17,
            }
        );
        assert!(w[1].flex);
        let f = fit(&w, 60);
        assert_eq!(f, vec![4, 34, 17, 5]);
        assert_eq!(fit(&w, 120), vec![4, 94, 17, 5]);
    }

    #[test]
    fn very_narrow_gives_way_everywhere() {
        let w = wants(&cols(), &[4, 60, 17, 0], &[]);
        let f = fit(&w, 24);
        assert_eq!(f.iter().sum::<u16>(), 24);
        assert!(f.iter().all(|&x| x >= 3));
    }

    /// Widths of a real table's columns for rows of these cells, in `avail` cells.
    fn fit_rows(id: crate::app::state::TableId, rows: &[&[&str]], avail: u16) -> Vec<u16> {
        let columns = crate::app::tables::columns::columns(id);
        let rows: Vec<Row> = rows
            .iter()
            .map(|r| Row::new("x", r.iter().map(|c| c.to_string()).collect()))
            .collect();
        let rows = Rows::build(rows, columns.len(), &[]);
        let w = wants(
            &columns,
            &measure(&rows, columns.len()),
            &measure_short(&rows, &columns),
        );
        fit(&w, avail)
    }

    #[test]
    fn devices_at_80_keep_the_name_and_shorten_words() {
        use crate::app::state::TableId;
        let rows: &[&[&str]] = &[
            &[
                "fin-ws-0104 [isolated]",
                "WindowsServer2019",
                "Informational",
                "Medium",
                "ImpairedCommunication",
                "NotReporting",
                "Finance",
                "",
            ],
            &[
                "hr-lt-0101",
                "Windows11",
                "Low",
                "Low",
                "Active",
                "Updated",
                "—",
                "",
            ],
        ];
        // 80 columns: border 2, marker 1, spacing 8.
        let w = fit_rows(TableId::Devices, rows, 69);
        assert_eq!(w.iter().sum::<u16>(), 69);
        assert!(w[0] >= 16, "DEVICE {w:?}");
        // Every enumeration still shows its short form whole.
        assert!(w[1] >= 10, "OS {w:?}"); // WinSrv2019
        assert!(w[2] >= 4, "RISK {w:?}"); // Info
        assert!(w[4] >= 8, "HEALTH {w:?}"); // Impaired
        assert!(w[5] >= 8, "AV {w:?}"); // NoReport
        assert_eq!(short::fit_cell("Informational", usize::from(w[2])), "Info");
        assert_eq!(
            short::fit_cell("NotReporting", usize::from(w[5])),
            "NoReport"
        );
        // With room, the words are whole.
        let wide = fit_rows(TableId::Devices, rows, 180);
        assert!(wide[2] >= 13 && wide[5] >= 12 && wide[1] >= 17, "{wide:?}");
    }

    #[test]
    fn incident_titles_outweigh_assignees_at_80() {
        use crate::app::state::TableId;
        let rows: &[&[&str]] = &[&[
            "High",
            "4031",
            "Credential theft on one endpoint involving one user",
            "InProgress",
            "soc-tier2@fabrikam.com",
            "1",
            "",
        ]];
        // 80 columns with the since-last-run mark: border 2, marker 1, mark 1, spacing 8.
        let w = fit_rows(TableId::Incidents, rows, 68);
        assert_eq!(w.iter().sum::<u16>(), 68);
        assert!(w[2] >= NAME_MIN, "TITLE {w:?}");
        assert!(w[2] > w[4], "TITLE wider than ASSIGNED {w:?}");
    }

    #[test]
    fn ties_take_from_the_right() {
        let x = Want {
            min: 3,
            ideal: 10,
            flex: false,
            capped: false,
            name: false,
            short: 10,
        };
        assert_eq!(fit(&[x, x], 19), vec![10, 9]);
    }
}
