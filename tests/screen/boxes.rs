//! The boxes on a drawn screen, found from their box-drawing characters, for the tests of
//! how text sits in them (padding from both borders) and how popups clear around themselves.
#![allow(dead_code)]

/// A screen as a grid of cells, every line padded to the width.
pub struct Grid {
    pub cells: Vec<Vec<char>>,
    pub width: usize,
}

impl Grid {
    pub fn of(screen: &str, width: usize) -> Grid {
        let cells = screen
            .lines()
            .map(|l| {
                let mut v: Vec<char> = l.chars().collect();
                v.resize(width.max(v.len()), ' ');
                v
            })
            .collect();
        Grid { cells, width }
    }

    pub fn at(&self, x: usize, y: usize) -> char {
        self.cells
            .get(y)
            .and_then(|l| l.get(x))
            .copied()
            .unwrap_or(' ')
    }

    pub fn height(&self) -> usize {
        self.cells.len()
    }

    /// Every box whose four borders are whole (nothing drawn over them).
    pub fn boxes(&self) -> Vec<Bx> {
        let mut out = Vec::new();
        for y in 0..self.height() {
            for x in 0..self.width {
                if self.at(x, y) != '┌' {
                    continue;
                }
                let mut b = y + 1;
                while b < self.height() && self.at(x, b) == '│' {
                    b += 1;
                }
                if self.at(x, b) != '└' {
                    continue;
                }
                let mut r = x + 1;
                while r < self.width && self.at(r, b) == '─' {
                    r += 1;
                }
                if self.at(r, b) != '┘' || self.at(r, y) != '┐' {
                    continue;
                }
                if (y + 1..b).any(|yy| self.at(r, yy) != '│') {
                    continue;
                }
                out.push(Bx {
                    left: x,
                    top: y,
                    right: r,
                    bottom: b,
                });
            }
        }
        out
    }

    /// The text of row `y` between two columns (inclusive).
    pub fn text(&self, y: usize, from: usize, to: usize) -> String {
        (from..=to).map(|x| self.at(x, y)).collect()
    }
}

/// A box by its border cells (inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bx {
    pub left: usize,
    pub top: usize,
    pub right: usize,
    pub bottom: usize,
}

/// Every whole box keeps the cell after its left border and the cell before its right
/// border blank on its content rows: no text touches a border.
pub fn assert_padded(screen: &str, width: usize, what: &str) {
    let g = Grid::of(screen, width);
    let boxes = g.boxes();
    assert!(!boxes.is_empty(), "{what}: no box found\n{screen}");
    for b in boxes {
        if b.right - b.left < 4 {
            continue;
        }
        for y in b.top + 1..b.bottom {
            let (l, r) = (g.at(b.left + 1, y), g.at(b.right - 1, y));
            assert!(
                l == ' ' && r == ' ',
                "{what}: text touches a border of the box at {b:?}, line {y}:\n{}\n\n{screen}",
                g.cells[y].iter().collect::<String>()
            );
        }
    }
}
