//! The header line: cadence tabs, tenant and badges, age of the data, API budget.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{AppState, Cadence};
use crate::ui::fmt;
use crate::ui::theme::Theme;

/// Draw the header into one line.
pub(crate) fn render_header(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let wide = area.width >= 110;
    let mut left = vec![Span::styled(" socops ", t.title())];
    for (i, c) in Cadence::ALL.iter().enumerate() {
        let active = *c == s.cadence();
        let label = if wide {
            format!(" {} {} ", i + 1, c.title())
        } else {
            format!("{}", i + 1)
        };
        let label = if active {
            format!("[{}]", label.trim())
        } else {
            format!(" {} ", label.trim())
        };
        left.push(Span::styled(
            label,
            if active { t.tab_active() } else { t.text() },
        ));
    }
    let color = s.tenants.current().and_then(|c| c.color.as_deref());
    let mut right = vec![Span::styled(
        s.settings.tenant_label.clone(),
        t.tenant(color),
    )];
    if s.settings.offline {
        right.push(Span::styled(" OFFLINE", t.badge()));
    }
    if s.settings.demo {
        right.push(Span::styled(" DEMO", t.badge()));
    }
    if s.settings.read_only && !s.settings.offline {
        right.push(Span::styled(" READ-ONLY", t.badge()));
    }
    let age = match s.data_time().or_else(|| offline_age(s)) {
        Some(at) if wide => format!("   data {} old", fmt::age_since(at, s.now)),
        Some(at) => format!("  {}", fmt::age_since(at, s.now)),
        None if s.loading() => "   loading…".to_string(),
        None => String::new(),
    };
    right.push(Span::styled(age, t.dim()));
    if let Some((used, per)) = s.budget {
        // The one place the API budget shows (the status line no longer repeats it).
        let b = if wide {
            format!("   API {used}/{per} per min ")
        } else {
            format!("  API {used}/{per} ")
        };
        right.push(Span::styled(b, t.dim()));
    } else {
        right.push(Span::raw(" "));
    }
    let lw: usize = left.iter().map(|s| s.content.chars().count()).sum();
    let rw: usize = right.iter().map(|s| s.content.chars().count()).sum();
    let gap = usize::from(area.width).saturating_sub(lw + rw).max(1);
    left.push(Span::raw(" ".repeat(gap)));
    left.extend(right);
    f.render_widget(Paragraph::new(Line::from(left)), area);
}

/// Offline, the age of the oldest cached data held, when the view on screen has none.
fn offline_age(s: &AppState) -> Option<chrono::DateTime<chrono::Utc>> {
    if !s.settings.offline {
        return None;
    }
    Cadence::ALL
        .iter()
        .flat_map(|c| c.views().iter())
        .flat_map(|v| v.resources().iter())
        .filter_map(|k| s.data.at(*k))
        .min()
}
