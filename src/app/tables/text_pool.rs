//! The texts a table stores once each: one buffer of the cells' texts and one of their
//! lowercase forms (what the filter searches), an entry being a 4-byte id. A device's OS,
//! risk or group is stored once for 100,000 rows; `hits` finds every entry that contains a
//! filter term in one pass over the lowercase buffer, and `order` ranks the entries for the
//! text sort keys.

/// Strings stored once each, in one buffer, with their lowercase forms in another (what the
/// filter searches, entries separated by a character no cell can hold).
#[derive(Debug, Clone, Default)]
pub(super) struct Pool {
    text: String,
    /// End of entry `k` in `text`.
    ends: Vec<u32>,
    /// Lowercase entries, each followed by `SEP`.
    lower: String,
    /// End of entry `k` in `lower` (its `SEP` not included).
    lower_ends: Vec<u32>,
}

/// Between entries of the lowercase buffer. `text::line` shows control characters as
/// visible text, so no cell holds one and no match runs across two entries.
const SEP: char = '\u{1f}';

impl Pool {
    pub(super) fn get(&self, k: u32) -> &str {
        let k = k as usize;
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        self.text.get(start..self.ends[k] as usize).unwrap_or("")
    }

    pub(super) fn lower(&self, k: u32) -> &str {
        let k = k as usize;
        // Each earlier entry is followed by one SEP byte.
        let start = if k == 0 {
            0
        } else {
            self.lower_ends[k - 1] as usize + 1
        };
        self.lower
            .get(start..self.lower_ends[k] as usize)
            .unwrap_or("")
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Drop spare capacity (the table is built).
    pub(super) fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.lower.shrink_to_fit();
        self.lower_ends.shrink_to_fit();
    }

    /// Add an entry the filter searches.
    pub(super) fn push(&mut self, s: &str) -> u32 {
        let k = self.push_plain(s);
        // Lowercased as a whole, as the query lowercases its terms (`str::to_lowercase`): a
        // character at a time, a word-final `Σ` would become `σ` where the query has `ς`.
        self.lower.push_str(&s.to_lowercase());
        self.lower_ends.push(self.lower.len() as u32);
        self.lower.push(SEP);
        k
    }

    /// Add an entry that is never searched (ids, links).
    pub(super) fn push_plain(&mut self, s: &str) -> u32 {
        let k = self.ends.len() as u32;
        self.text.push_str(s);
        self.ends.push(self.text.len() as u32);
        k
    }

    /// Which entries contain `needle` (already lowercase).
    pub(super) fn hits(&self, needle: &str) -> Vec<bool> {
        if needle.is_empty() {
            return vec![true; self.len()];
        }
        let mut hit = vec![false; self.len()];
        if needle.contains(SEP) {
            return hit;
        }
        let hay = self.lower.as_bytes();
        let mut k = 0usize;
        for at in memchr::memmem::find_iter(hay, needle.as_bytes()) {
            // Entries are in buffer order: move to the one holding `at`.
            while k < self.lower_ends.len() && (self.lower_ends[k] as usize) < at + needle.len() {
                k += 1;
            }
            if let Some(h) = hit.get_mut(k) {
                *h = true;
            }
        }
        hit
    }

    /// A dense rank of each entry by its lowercase text (equal lowercase, equal rank).
    pub(super) fn order(&self) -> Vec<u32> {
        let mut keys: Vec<u32> = (0..self.len() as u32).collect();
        keys.sort_unstable_by(|&a, &b| self.lower(a).cmp(self.lower(b)));
        let mut rank = vec![0u32; self.len()];
        let mut r = 0u32;
        for (n, &k) in keys.iter().enumerate() {
            if n > 0 && self.lower(keys[n - 1]) != self.lower(k) {
                r += 1;
            }
            rank[k as usize] = r;
        }
        rank
    }
}
