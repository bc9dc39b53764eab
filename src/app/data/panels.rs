//! How a view's summary boxes are laid out as text: their lines wrapped whole-word to the
//! box, and on the Reports view the boxes per row and each row's height. Pure, so the
//! renderer and the scroll keys agree on how tall the Reports are.

use crate::app::state::{AppState, Panel};
use crate::app::view::View;

/// Cells a box takes around its text across: the border and one cell of padding each side.
pub(crate) const BOX_FRAME: u16 = 4;

/// A box's lines in lines of at most `inner` columns: words and ` · ` items stay whole, and
/// a continued line is indented by two. The lines quote tenant text (alert sources, action
/// types), made visible first.
pub(crate) fn wrap_panel(p: &Panel, inner: u16) -> Vec<String> {
    p.lines
        .iter()
        .flat_map(|l| crate::text::wrap(&crate::text::line(l), usize::from(inner), 2))
        .collect()
}

/// Where the Reports' boxes go at one width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLayout {
    /// Boxes per row.
    pub cols: usize,
    /// Width of each column of boxes (they add up to the width).
    pub widths: Vec<u16>,
    /// Height of each row of boxes: its tallest box, border included.
    pub heights: Vec<u16>,
}

impl ReportLayout {
    /// Lines all the rows of boxes take.
    pub(crate) fn total(&self) -> u16 {
        self.heights.iter().sum()
    }
}

/// The Reports' boxes at `width`: one row of boxes when a wide screen holds them all, else
/// three or two to a row; each row as tall as its longest box, so nothing is cut.
pub fn reports(panels: &[Panel], width: u16) -> ReportLayout {
    let n = panels.len().max(1);
    let cols = if width >= 160 && n <= 4 {
        n
    } else if width >= 110 {
        3
    } else {
        2
    }
    .min(n);
    let base = width / cols as u16;
    let extra = width % cols as u16;
    let widths: Vec<u16> = (0..cols as u16)
        .map(|i| base + u16::from(i < extra))
        .collect();
    let heights = panels
        .chunks(cols)
        .map(|chunk| {
            let lines = chunk
                .iter()
                .zip(&widths)
                .map(|(p, w)| wrap_panel(p, w.saturating_sub(BOX_FRAME)).len())
                .max()
                .unwrap_or(1);
            u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2)
        })
        .collect();
    ReportLayout {
        cols,
        widths,
        heights,
    }
}

/// Lines of the body the Reports' boxes can use on this screen when they scroll (one line
/// says there is more): the screen less the header, the footer and the error lines.
pub(crate) fn reports_view_height(s: &AppState) -> u16 {
    let errors = s.view_errors().len().min(2) as u16;
    s.size.1.saturating_sub(3 + errors + 1)
}

/// How far the Reports scroll at most: 0 when every box fits.
pub(crate) fn reports_scroll_max(s: &AppState) -> usize {
    let panels = s.panels.get(&View::Reports).map_or(&[][..], Vec::as_slice);
    if panels.is_empty() {
        return 0;
    }
    let total = reports(panels, s.size.0).total();
    let body = reports_view_height(s) + 1;
    if total <= body {
        return 0;
    }
    usize::from(total - reports_view_height(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(lines: &[&str]) -> Panel {
        Panel {
            title: "t".into(),
            lines: lines.iter().map(|l| l.to_string()).collect(),
        }
    }

    #[test]
    fn rows_are_as_tall_as_their_longest_wrapped_box() {
        let long = "severity: 7 High · 13 Medium · 22 Low · 9 Informational";
        let panels = vec![panel(&["a"]), panel(&["a", long]), panel(&["x"])];
        let l = reports(&panels, 80);
        assert_eq!(l.cols, 2);
        assert_eq!(l.widths, vec![40, 40]);
        // "a", then the long line in two lines of 36 columns: 3 lines and the border.
        assert_eq!(l.heights, vec![5, 3]);
        assert_eq!(l.total(), 8);
        assert_eq!(reports(&panels, 81).widths, vec![41, 40]);
    }
}
