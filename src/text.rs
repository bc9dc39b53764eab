//! Terminal-safe text: the ONE place that decides how a string written by somebody else
//! (device names, tags, alert and incident titles, file names, command lines, comments,
//! live-response output, error messages from a server) may reach a terminal, a JSON document
//! or a CSV cell.
//!
//! Every string from the tenant is treated as written by an attacker who controls an endpoint:
//! - C0 controls (ESC included), DEL and C1 controls (U+0080–U+009F) could move the cursor,
//!   set the window title (OSC 0), write the clipboard (OSC 52) or clear the screen (CSI 2J);
//! - bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks U+200E/U+200F,
//!   U+061C could make "isolate" read as "scan";
//! - zero-width characters (U+200B–U+200D, U+2060, U+FEFF, U+180E) hide text or make two
//!   names that look the same.
//!
//! They are never dropped silently: an analyst should see that a name was crafted. C0 controls
//! become their Control Pictures (`␛`, `␇`, U+2400 + code), DEL becomes `␡`, and the other
//! characters become a visible escape such as `\u{202e}`.

use std::borrow::Cow;

/// True for a character that must never reach a terminal as it is (see the module comment).
/// Tab, newline and carriage return are included: callers decide how a line or block keeps
/// its layout ([`line`], [`block`]). The zero-width joiner is judged in context by
/// [`unsafe_at`]: inside an emoji sequence (👩‍💻) it is part of one picture.
pub(crate) fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2069}'
        | '\u{061c}'
        | '\u{180e}'
        | '\u{feff}')
}

fn is_emoji(c: char) -> bool {
    matches!(c, '\u{1f000}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' | '\u{fe0f}')
}

/// Whether the character at `i` of `chars` is unsafe, with the joiner judged by its
/// neighbours.
fn unsafe_at(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    if c == '\u{200d}' {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        return !(before.is_some_and(is_emoji) && after.is_some_and(is_emoji));
    }
    is_unsafe(c)
}

fn any_unsafe(s: &str, keeps: impl Fn(char) -> bool) -> bool {
    if !s.chars().any(|c| is_unsafe(c) && !keeps(c)) {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len()).any(|i| unsafe_at(&chars, i) && !keeps(chars[i]))
}

fn visible(c: char, out: &mut String) {
    match c {
        '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// One line of text for a table cell, a prompt, a title or an error line: every unsafe
/// character is made visible, a tab becomes a space, and line breaks become `␤`-style
/// pictures so a name cannot start a new line of a prompt.
pub fn line(s: &str) -> Cow<'_, str> {
    if !any_unsafe(s, |_| false) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\t' => out.push(' '),
            _ if unsafe_at(&chars, i) => visible(c, &mut out),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A multi-line block (live-response output, a comment, a detail page): newlines and tabs
/// keep the layout, `\r\n` reads as a newline, everything else unsafe is made visible (a lone
/// `\r` could overwrite what an analyst sees on the line).
pub fn block(s: &str) -> Cow<'_, str> {
    let keeps = |c: char| c == '\n' || c == '\t';
    if !any_unsafe(s, keeps) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\r' if chars.get(i + 1) == Some(&'\n') => {}
            _ if keeps(c) => out.push(c),
            _ if unsafe_at(&chars, i) => visible(c, &mut out),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON made safe to print: serde escapes C0 controls but writes DEL, C1, bidi and
/// zero-width characters raw, and `--json` also streams the server's own records verbatim,
/// which may hold anything. Inside strings every unsafe character becomes `\uXXXX`, an exact,
/// lossless escape, so the document means the same. Between tokens newline, tab and space are
/// kept (pretty printing); a carriage return is dropped (it is only whitespace there, and on a
/// terminal it would return to the start of the line and let what follows overwrite it).
pub fn json(serialized: &str) -> Cow<'_, str> {
    if !serialized
        .chars()
        .any(|c| is_unsafe(c) && !matches!(c, '\n' | '\t'))
    {
        return Cow::Borrowed(serialized);
    }
    let mut out = String::with_capacity(serialized.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    for c in serialized.chars() {
        let unsafe_here = is_unsafe(c) && (in_string || !matches!(c, '\n' | '\t' | '\r'));
        if unsafe_here {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else if c != '\r' || in_string {
            out.push(c);
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        }
    }
    Cow::Owned(out)
}

/// A CSV cell that a spreadsheet will not run as a formula (OWASP "CSV injection"): a cell
/// starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`. A plain number
/// such as `-3` or `-0.5` is left as it is (it cannot be a formula), so numeric columns stay
/// numeric. Unsafe characters are made visible as in [`line`], except newlines, which CSV
/// quotes.
pub(crate) fn csv_cell(s: &str) -> Cow<'_, str> {
    let risky_start = matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'));
    let needs_quote = risky_start && !is_plain_number(s);
    let keeps = |c: char| c == '\n';
    if !needs_quote && !any_unsafe(s, keeps) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 2);
    if needs_quote {
        out.push('\'');
    }
    for (i, &c) in chars.iter().enumerate() {
        match c {
            _ if keeps(c) => out.push(c),
            _ if unsafe_at(&chars, i) => visible(c, &mut out),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `s` without the characters of [`is_unsafe`] (a joiner inside an emoji sequence stays).
/// For the last line of defence, a terminal cell, where there is no room to show an escape:
/// everything with room goes through [`line`] or [`block`] instead.
pub fn strip(s: &str) -> Cow<'_, str> {
    if !any_unsafe(s, |_| false) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    Cow::Owned(
        (0..chars.len())
            .filter(|&i| !unsafe_at(&chars, i))
            .map(|i| chars[i])
            .collect(),
    )
}

/// The columns `s` takes on a terminal, counted per grapheme cluster the way ratatui draws
/// it: an emoji ZWJ sequence (👩‍💻) or a letter with combining marks is one picture, a CJK
/// character is two columns. Table widths and padding use this, never `chars().count()`, so
/// a crafted name cannot push a border out of line.
pub fn width(s: &str) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    s.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(g: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(g)
}

/// `s` cut to at most `max` columns (see [`width`]), ending in `…` when cut; a grapheme is
/// never split.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    use unicode_segmentation::UnicodeSegmentation;
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        if used + w + 1 > max {
            break;
        }
        out.push_str(g);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    Cow::Owned(out)
}

/// `s` padded with spaces to `cols` columns (see [`width`]); longer text is left as it is.
pub(crate) fn pad(s: &str, cols: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', cols.saturating_sub(width(s))));
    out
}

/// `s` in lines of at most `cols` columns (see [`width`]), broken between words, never inside
/// one: a line breaks at a ` · ` first, so the items of a summary stay whole ("13 Medium"),
/// then after a label's colon when counts follow ("CollectInvestigationPackage:" above
/// "1 Cancelled"), else at a space. A word longer than a line is cut with `…`. Lines after the first start with
/// `indent` spaces, so a continued item reads as one.
pub fn wrap(s: &str, cols: usize, indent: usize) -> Vec<String> {
    let cols = cols.max(1);
    let indent = if indent < cols { indent } else { 0 };
    let lead = " ".repeat(indent);
    // The units to place, each with the separator that goes before it on the same line.
    let mut units: Vec<(&str, &str)> = Vec::new();
    for (i, item) in s.split(" · ").enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        // A label before counts ("LiveResponse: 1 Cancelled") may end its line.
        match item.split_once(": ") {
            Some((label, rest))
                if width(item) > cols - indent
                    && rest.starts_with(|c: char| c.is_ascii_digit()) =>
            {
                units.push((sep, label));
                units.push((": ", rest));
            }
            _ => units.push((sep, item)),
        }
    }
    let mut out: Vec<String> = Vec::new();
    // The line being filled and whether it holds text yet (besides its indent).
    let mut cur = String::new();
    let mut filled = false;
    for (sep, unit) in units {
        // A label's colon stays with the label when its text moves to the next line.
        let (keep, sep) = match sep {
            ": " => (":", " "),
            other => ("", other),
        };
        let sep = if filled { sep } else { "" };
        if width(&cur) + width(keep) + width(sep) + width(unit) <= cols {
            cur.push_str(keep);
            cur.push_str(sep);
            cur.push_str(unit);
            filled = true;
            continue;
        }
        if filled {
            if width(&cur) + width(keep) <= cols {
                cur.push_str(keep);
            }
            out.push(std::mem::take(&mut cur));
            cur.push_str(&lead);
            filled = false;
            if width(&cur) + width(unit) <= cols {
                cur.push_str(unit);
                filled = true;
                continue;
            }
        }
        // A unit longer than a line: word by word.
        for word in unit.split(' ').filter(|w| !w.is_empty()) {
            let sep = if filled { " " } else { "" };
            if width(&cur) + width(sep) + width(word) <= cols {
                cur.push_str(sep);
                cur.push_str(word);
                filled = true;
                continue;
            }
            if filled {
                out.push(std::mem::take(&mut cur));
                cur.push_str(&lead);
            }
            let room = cols - width(&cur);
            cur.push_str(&truncate(word, room));
            filled = true;
        }
    }
    if filled || out.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_a_label_with_its_colon_and_counts_whole() {
        assert_eq!(
            wrap(
                "CollectInvestigationPackage: 1 Cancelled · 2 Succeeded",
                36,
                2
            ),
            vec![
                "CollectInvestigationPackage:",
                "  1 Cancelled · 2 Succeeded"
            ]
        );
        // A label and its text that fit stay on one line.
        assert_eq!(
            wrap("Isolate: 1 InProgress", 36, 2),
            vec!["Isolate: 1 InProgress"]
        );
        // Never wider than asked, whatever the width.
        let s = "RunAntiVirusScan: 1 Cancelled · 1 Pending · 2 Succeeded · 1 TimeOut";
        for cols in 1..80 {
            for l in wrap(s, cols, 2) {
                assert!(width(&l) <= cols, "{cols}: {l:?}");
            }
        }
    }

    #[test]
    fn wrap_keeps_items_and_words_whole() {
        let s = "severity: 7 High · 13 Medium · 22 Low · 9 Informational";
        assert_eq!(
            wrap(s, 36, 2),
            vec![
                "severity: 7 High · 13 Medium".to_string(),
                "  22 Low · 9 Informational".to_string(),
            ]
        );
        // An item longer than a line breaks between its words.
        assert_eq!(
            wrap("all tenants 44.7 % · similar size 39.9 %", 14, 0),
            vec!["all tenants", "44.7 %", "similar size", "39.9 %"]
        );
        // A word longer than a line is cut, never broken onto the next line.
        assert_eq!(
            wrap("CollectInvestigationPackage: 1", 12, 0),
            vec!["CollectInve…", "1"]
        );
        for l in wrap(s, 20, 2) {
            assert!(width(&l) <= 20, "{l}");
        }
        assert_eq!(wrap("", 10, 2), vec![String::new()]);
        assert_eq!(wrap("漢字 漢字", 5, 0), vec!["漢字", "漢字"]);
    }

    #[test]
    fn escape_sequences_become_visible() {
        let osc52 = "ws-01\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}";
        assert_eq!(line(osc52), "ws-01␛]52;c;ZWNobyBwd25lZA==␇");
        assert_eq!(line("a\u{1b}[2Jb"), "a␛[2Jb");
        assert_eq!(line("x\u{9b}31m"), "x\\u{9b}31m");
        assert_eq!(line("del\u{7f}"), "del␡");
        assert!(matches!(line("plain name"), Cow::Borrowed(_)));
    }

    #[test]
    fn bidi_and_zero_width_are_shown() {
        assert_eq!(line("scan\u{202e}etalosi"), "scan\\u{202e}etalosi");
        assert_eq!(line("a\u{2066}b\u{2069}"), "a\\u{2066}b\\u{2069}");
        assert_eq!(line("srv\u{200b}-01"), "srv\\u{200b}-01");
        assert_eq!(line("\u{feff}x"), "\\u{feff}x");
    }

    #[test]
    fn a_line_cannot_break_a_prompt() {
        assert_eq!(
            line("ws\nRun quick scan (harmless)"),
            "ws␊Run quick scan (harmless)"
        );
        assert_eq!(line("a\tb"), "a b");
    }

    #[test]
    fn a_block_keeps_its_lines_but_not_carriage_returns() {
        assert_eq!(block("one\r\ntwo\n\tthree"), "one\ntwo\n\tthree");
        assert_eq!(block("ok\rFAKE"), "ok␍FAKE");
        assert_eq!(block("\u{1b}[31mred"), "␛[31mred");
    }

    #[test]
    fn emoji_and_accents_pass() {
        assert_eq!(
            line("Zoë's 👩\u{200d}💻 laptop"),
            "Zoë's 👩\u{200d}💻 laptop"
        );
        assert_eq!(
            line("a\u{200d}b"),
            "a\\u{200d}b",
            "a joiner between letters hides"
        );
        assert_eq!(line("Ærø-Ñoño"), "Ærø-Ñoño");
    }

    #[test]
    fn json_escapes_c1_bidi_and_zero_width() {
        let v = serde_json::json!({"name": "a\u{85}b\u{202e}c\u{200b}d\u{7f}", "n": 1});
        let s = serde_json::to_string(&v).unwrap_or_default();
        let safe = json(&s);
        assert_eq!(safe, r#"{"n":1,"name":"a\u0085b\u202ec\u200bd\u007f"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, v, "the escape is lossless");
        let pretty = serde_json::to_string_pretty(&v).unwrap_or_default();
        assert!(
            json(&pretty).contains('\n'),
            "pretty printing keeps its newlines"
        );
    }

    #[test]
    fn json_streamed_verbatim_cannot_move_the_cursor() {
        // A server's record printed as received: a CR between tokens would let the rest of
        // the line overwrite what the analyst sees; raw controls inside a string (invalid
        // JSON, but a server may send it) are escaped.
        let raw = "{\"a\": 1,\r\"name\": \"x\ry\u{1b}[2J\\\"q\u{202e}\"}\n";
        let safe = json(raw);
        assert!(!safe.contains(['\r', '\u{1b}', '\u{202e}']), "{safe}");
        assert_eq!(
            safe,
            "{\"a\": 1,\"name\": \"x\\u000dy\\u001b[2J\\\"q\\u202e\"}\n"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back["name"], "x\ry\u{1b}[2J\"q\u{202e}");
    }

    #[test]
    fn csv_cells_cannot_be_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1+cmd|' /C calc'!A0"), "'+1+cmd|' /C calc'!A0");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'␉x");
        assert_eq!(csv_cell("\rx"), "'␍x");
        assert_eq!(csv_cell("-3"), "-3");
        assert_eq!(csv_cell("-0.25"), "-0.25");
        assert_eq!(csv_cell("srv-01"), "srv-01");
        assert_eq!(csv_cell("two\nlines"), "two\nlines");
        assert_eq!(csv_cell("a\u{1b}b"), "a␛b");
    }

    #[test]
    fn widths_count_pictures_not_code_points() {
        let dev = "👩\u{200d}💻 dev";
        assert_eq!(width(dev), 6, "one ZWJ picture is two columns");
        assert_eq!(width("e\u{301}"), 1, "a combining accent takes no column");
        assert_eq!(width("漢字"), 4);
        assert_eq!(truncate(dev, 3), "👩\u{200d}💻…");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(width(&pad("漢", 4)), 4);
    }
}
