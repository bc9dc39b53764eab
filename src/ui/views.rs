//! The body of each view: summary boxes, the view's table(s) and the one-line notes where
//! Microsoft offers no API.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline};

use crate::app::data::panels;
use crate::app::state::Panel;
use crate::app::{AppState, TableId, View};
use crate::ui::fmt;
use crate::ui::overlay::no_api_line;
use crate::ui::table::{TableView, render_table, render_text_box};
use crate::ui::theme::Theme;

/// Draw the body of the view on screen.
pub(crate) fn render_body(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let errs = s.view_errors();
    let mut area = area;
    if !errs.is_empty() {
        let n = errs.len().min(2) as u16;
        let lines: Vec<Line> = errs
            .iter()
            .take(2)
            .map(|(k, e)| {
                // Code and correlation id first: they are what support asks for, and the
                // message is the part that may be cut on a narrow screen.
                let meta: Vec<String> = [
                    e.code.clone(),
                    e.correlation_id
                        .as_ref()
                        .map(|c| format!("correlation {c}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                let meta = if meta.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", meta.join(" · "))
                };
                let text = format!("could not load {}{meta}: {}", k.label(), e.text);
                Line::from(vec![
                    Span::styled(" ✗ ", t.error()),
                    Span::styled(fmt::truncate(&text, usize::from(area.width) - 4), t.error()),
                ])
            })
            .collect();
        f.render_widget(Paragraph::new(lines), Rect { height: n, ..area });
        area = Rect {
            y: area.y + n,
            height: area.height.saturating_sub(n),
            ..area
        };
    }
    match s.view {
        View::Checklist(c) => crate::ui::checklist::render_checklist(f, area, s, t, c),
        View::Exposure => {
            let [top, rest] = split_panels(area, s, 4);
            render_panels(f, top, s, t);
            let groups = s.table(TableId::ExposureGroups).map_or(0, |g| g.rows.len()) as u16;
            let gh = (groups + 3).clamp(4, 8).min(rest.height / 2);
            let [g, d] = Layout::vertical([Constraint::Length(gh), Constraint::Min(3)]).areas(rest);
            table(
                f,
                g,
                s,
                t,
                TableId::ExposureGroups,
                "By device group",
                false,
            );
            table(
                f,
                d,
                s,
                t,
                TableId::ExposureDevices,
                "Most exposed devices",
                true,
            );
        }
        View::ActionCenter => {
            let [tb, n] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
            render_action_center(f, tb, s, t);
            if s.data
                .error(crate::app::view::ResourceKind::Investigations)
                .is_some()
            {
                note(
                    f,
                    n,
                    t,
                    "Automated investigations: not available since September 2026 (the service was retired); machine actions only.",
                    "Investigations: not available since September 2026.",
                );
            } else {
                note(
                    f,
                    n,
                    t,
                    "Microsoft offers no public API to approve investigation remediations: enter copies and opens the portal link.",
                    "No API approves investigation remediations: enter opens the portal.",
                );
            }
        }
        View::DevicesAtRisk => table(
            f,
            area,
            s,
            t,
            TableId::DevicesAtRisk,
            "Devices at risk",
            true,
        ),
        View::Incidents => table(f, area, s, t, TableId::Incidents, "Incidents", true),
        View::Alerts => table(f, area, s, t, TableId::Alerts, "Alerts", true),
        View::SecureScore => {
            let [top, rest] = split_panels(area, s, 5);
            if trend_beside(top, s) {
                let [a, b] =
                    Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                        .areas(top);
                render_panels(f, a, s, t);
                render_trend(f, b, s, t);
            } else {
                render_panels(f, top, s, t);
            }
            table(
                f,
                rest,
                s,
                t,
                TableId::Controls,
                "Controls with the largest gap",
                true,
            );
        }
        View::DeviceScore => {
            let [top, rest] = split_panels(area, s, 6);
            render_panels(f, top, s, t);
            let (r, m) = (
                count(s, TableId::Recommendations),
                count(s, TableId::Remediation),
            );
            let (title, id) = if s.pane() == 0 {
                (
                    format!("[Recommendations {r}]  Remediation {m}"),
                    TableId::Recommendations,
                )
            } else {
                (
                    format!("Recommendations {r}  [Remediation {m}]"),
                    TableId::Remediation,
                )
            };
            table(f, rest, s, t, id, &title, true);
        }
        View::Reports => crate::ui::reports::render_reports(f, area, s, t),
        View::Learn => {
            let [n, tb] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            note(
                f,
                n,
                t,
                "No API for tutorials, simulations or the learning hub: enter copies and opens the portal link.",
                "No API for tutorials or simulations: enter opens the portal link.",
            );
            table(f, tb, s, t, TableId::Learn, "Learn", true);
        }
        View::Threats => {
            let [n, tb] = Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
            note(
                f,
                n,
                t,
                "Derived — Microsoft offers no threat analytics API. Enter opens the report in the portal.",
                "Derived: no threat analytics API. Enter opens the report in the portal.",
            );
            table(f, tb, s, t, TableId::Threats, "Threats (derived)", true);
        }
        View::Devices => table(f, area, s, t, TableId::Devices, "Devices", true),
        View::Indicators => table(f, area, s, t, TableId::Indicators, "Indicators", true),
        View::Errors => table(f, area, s, t, TableId::Errors, "Errors", true),
        View::Tenants => crate::ui::tenants::render_tenants(f, area, s, t),
    }
}

/// A "no API" note: the long text when it fits, else the short one (never cut mid-word).
fn note(f: &mut Frame, area: Rect, t: &Theme, long: &str, short: &str) {
    let text = if long.chars().count() + 3 <= usize::from(area.width) {
        long
    } else {
        short
    };
    f.render_widget(Paragraph::new(no_api_line(text, t)), area);
}

/// Pending and History: stacked when the screen is tall enough to show both (the focused
/// one titled in brackets and drawn with the selection), else the focused one alone.
fn render_action_center(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let area = if s.team.enabled {
        match render_team_pane(f, area, s, t) {
            Some(rest) => rest,
            None => return,
        }
    } else {
        area
    };
    let (p, h) = (
        count(s, TableId::ActionsPending),
        count(s, TableId::ActionsHistory),
    );
    let pane = s.pane();
    if area.height < 18 {
        let (title, id, focused) = match pane {
            0 => (
                format!("Action center ─ [Pending {p}]  History {h}"),
                TableId::ActionsPending,
                true,
            ),
            1 => (
                format!("Action center ─ Pending {p}  [History {h}]"),
                TableId::ActionsHistory,
                true,
            ),
            // The Team approvals pane is focused and drawn below.
            _ => (
                format!("Action center ─ Pending {p}  History {h}"),
                TableId::ActionsPending,
                false,
            ),
        };
        table(f, area, s, t, id, &title, focused);
        return;
    }
    // Pending takes what its rows need (it is the work); History keeps at least 5 rows.
    let ph = (p as u16 + 3).clamp(6, area.height - 8);
    let [top, bottom] = Layout::vertical([Constraint::Length(ph), Constraint::Min(3)]).areas(area);
    let label = |name: &str, n: usize, focused: bool| {
        if focused {
            format!("Action center ─ [{name} {n}] · l switches")
        } else {
            // The table adds "· n" to a title without brackets.
            name.to_string()
        }
    };
    table(
        f,
        top,
        s,
        t,
        TableId::ActionsPending,
        &label("Pending", p, pane == 0),
        pane == 0,
    );
    table(
        f,
        bottom,
        s,
        t,
        TableId::ActionsHistory,
        &label("History", h, pane == 1),
        pane == 1,
    );
}

/// The Team approvals pane: alone when focused on a short screen, else a strip at the
/// bottom. Returns the area left for Pending and History (`None`: nothing left).
fn render_team_pane(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) -> Option<Rect> {
    let n = count(s, TableId::TeamApprovals);
    let focused = s.pane() == 2;
    let mut title = if focused {
        format!("Action center ─ [Team approvals {n}] · a approve · r reject")
    } else {
        "Team approvals".to_string()
    };
    if let Some(e) = &s.team.error {
        title.push_str(&format!(" ─ {}", crate::text::line(e)));
    }
    if area.height < 18 {
        if focused {
            table(f, area, s, t, TableId::TeamApprovals, &title, true);
            return None;
        }
        return Some(area);
    }
    let th = (n as u16 + 3).clamp(5, area.height / 3);
    let [rest, bottom] = Layout::vertical([Constraint::Min(3), Constraint::Length(th)]).areas(area);
    table(f, bottom, s, t, TableId::TeamApprovals, &title, focused);
    Some(rest)
}

fn count(s: &AppState, id: TableId) -> usize {
    s.table(id).map_or(0, |t| t.rows.len())
}

pub(crate) fn table(
    f: &mut Frame,
    area: Rect,
    s: &AppState,
    t: &Theme,
    id: TableId,
    title: &str,
    focused: bool,
) {
    // Pending and History share their columns: laid out together, they line up and say a
    // word the same way.
    let sibling = match id {
        TableId::ActionsPending => s.table(TableId::ActionsHistory),
        TableId::ActionsHistory => s.table(TableId::ActionsPending),
        _ => None,
    };
    let Some(tb) = s.table(id) else { return };
    let loading = s
        .view
        .resources()
        .iter()
        .any(|k| s.data.pending(*k).is_some());
    // Never "nothing to show" unless the data said so: loading, or unavailable and why.
    let errors = s.view_errors();
    let empty = if loading {
        "loading…".to_string()
    } else if id == TableId::Errors {
        "no errors".to_string()
    } else if let Some((_, e)) = errors.first() {
        format!("unavailable: {} (:errors)", e.text)
    } else {
        "nothing to show".to_string()
    };
    // The focused table's title carries the way here (`Daily › Devices at risk`).
    let title = if focused {
        let room = usize::from(area.width / 2).saturating_sub(title.chars().count().min(20));
        format!("{}{title}", crate::app::pages::nav::prefix(s, room))
    } else {
        title.to_string()
    };
    let v = TableView {
        title,
        focused: focused && s.detail.is_none(),
        empty: &empty,
        now: s.now,
        sibling,
    };
    render_table(f, area, tb, &v, t);
}

/// Whether the Secure Score trend is drawn beside the summary box (a wide screen).
fn trend_beside(area: Rect, s: &AppState) -> bool {
    s.view == View::SecureScore && area.width >= 100 && !s.trend.is_empty()
}

/// Split off the summary boxes of the view: as tall as their longest box once its lines
/// are wrapped whole-word to its width (at most `max` lines of text), so no line is cut.
fn split_panels(area: Rect, s: &AppState, max: u16) -> [Rect; 2] {
    let boxes = s.panels.get(&s.view).map_or(&[][..], Vec::as_slice);
    let room = if trend_beside(area, s) {
        area.width * 45 / 100
    } else {
        area.width
    };
    let each = room / (boxes.len().max(1) as u16);
    let lines = boxes
        .iter()
        .map(|p| panels::wrap_panel(p, each.saturating_sub(panels::BOX_FRAME)).len())
        .max()
        .unwrap_or(1) as u16;
    let h = lines.clamp(1, max) + 2;
    Layout::vertical([Constraint::Length(h), Constraint::Min(3)]).areas(area)
}

fn render_panels(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let empty = [Panel {
        title: s.view.title().to_string(),
        lines: vec![if s.loading() {
            "loading…".into()
        } else {
            "no data".into()
        }],
    }];
    let boxes = s
        .panels
        .get(&s.view)
        .map(Vec::as_slice)
        .filter(|p| !p.is_empty())
        .unwrap_or(&empty);
    let n = boxes.len() as u32;
    let areas = Layout::horizontal(vec![Constraint::Ratio(1, n); boxes.len()]).split(area);
    for (p, a) in boxes.iter().zip(areas.iter()) {
        let lines = panels::wrap_panel(p, a.width.saturating_sub(panels::BOX_FRAME))
            .into_iter()
            .map(Line::from)
            .collect();
        render_text_box(f, *a, &p.title, lines, t);
    }
}

fn render_trend(f: &mut Frame, area: Rect, s: &AppState, t: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border())
        .title(Span::styled(" Trend, 90 days ", t.title()))
        .padding(ratatui::widgets::Padding::horizontal(1));
    let w = crate::ui::popup::inner_width(area.width);
    let data = &s.trend[s.trend.len().saturating_sub(w)..];
    // Bars from just below the lowest value, so the change shows rather than the level.
    let floor = data.iter().min().copied().unwrap_or(0).saturating_sub(5);
    let bars: Vec<u64> = data.iter().map(|v| v - floor).collect();
    f.render_widget(
        Sparkline::default()
            .block(block)
            .data(&bars)
            .style(t.good()),
        area,
    );
}
