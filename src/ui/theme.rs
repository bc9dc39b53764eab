//! Colours and styles: a 16-colour theme and a monochrome one (NO_COLOR / `--no-color`) in
//! which selection reads from a `>` marker and reverse video, and severity from its word.

use ratatui::style::{Color, Modifier, Style};

/// The styles the renderer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mono: bool,
}

impl Theme {
    /// The colour theme (16-colour palette only).
    pub fn color() -> Self {
        Theme { mono: false }
    }
    /// The monochrome theme.
    pub fn mono() -> Self {
        Theme { mono: true }
    }
    /// Monochrome when asked or when `NO_COLOR` is set (the caller reads the environment).
    pub fn pick(no_color: bool) -> Self {
        if no_color {
            Self::mono()
        } else {
            Self::color()
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.mono {
            Style::default()
        } else {
            Style::default().fg(c)
        }
    }

    /// Ordinary text.
    pub fn text(&self) -> Style {
        Style::default()
    }
    /// Secondary text.
    pub(crate) fn dim(&self) -> Style {
        if self.mono {
            Style::default()
        } else {
            Style::default().fg(Color::DarkGray)
        }
    }
    /// Frame titles and the active tab.
    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    /// The active cadence tab.
    pub(crate) fn tab_active(&self) -> Style {
        self.fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }
    /// DEMO / READ-ONLY badges.
    pub(crate) fn badge(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }
    /// The tenant's name in the header, in the profile's colour when it names one of the
    /// 16 colours (unknown names, and the monochrome theme, keep the plain title style).
    pub fn tenant(&self, color: Option<&str>) -> Style {
        match color.and_then(named_color) {
            Some(c) if !self.mono => self.title().fg(c),
            _ => self.title(),
        }
    }
    /// Column headers.
    pub fn header(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// The selected row of the focused table.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }
    /// Borders.
    pub fn border(&self) -> Style {
        self.fg(Color::DarkGray)
    }
    /// Borders of the focused box.
    pub(crate) fn border_focused(&self) -> Style {
        self.fg(Color::Cyan)
    }
    /// Errors.
    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    /// Good news (done marks, successes).
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    /// Key labels in the hint bar.
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
    /// Toasts (reverse video in monochrome, so a toast still stands out from the status).
    pub fn toast(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            self.fg(Color::Black).bg(Color::Yellow)
        }
    }

    /// A severity / risk / exposure word, coloured by its meaning (the word stays).
    pub fn severity(&self, word: &str) -> Style {
        let w = word.to_ascii_lowercase();
        let c = if w.starts_with("high") || w.starts_with("crit") {
            Color::Red
        } else if w.starts_with("med") {
            Color::Yellow
        } else if w.starts_with("low") {
            Color::Green
        } else {
            return Style::default();
        };
        let s = self.fg(c);
        if w.starts_with("crit") || w.starts_with("high") {
            s.add_modifier(Modifier::BOLD)
        } else {
            s
        }
    }
}

/// One of the 16 named terminal colours (`red`, `light-blue`, `dark_gray` …), else `None`.
pub(crate) fn named_color(name: &str) -> Option<Color> {
    let n: String = name
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect();
    Some(match n.as_str() {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_colour_is_named_and_ignored_in_mono() {
        assert_eq!(named_color("Light-Blue"), Some(Color::LightBlue));
        assert_eq!(named_color("chartreuse"), None);
        assert_eq!(Theme::color().tenant(Some("red")).fg, Some(Color::Red));
        assert_eq!(Theme::color().tenant(Some("nope")).fg, None);
        assert_eq!(Theme::mono().tenant(Some("red")).fg, None);
    }
}
