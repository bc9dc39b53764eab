//! The columns of every table and which table a view's keys act on.

use std::collections::BTreeMap;

use crate::app::state::TableId;
use crate::app::tables::table::{Column, TableState};
use crate::app::view::View;

/// The columns of a table.
pub fn columns(id: TableId) -> Vec<Column> {
    match id {
        TableId::ExposureDevices => vec![
            Column::severity("EXPOSURE", 9).words(),
            Column::severity("RISK", 8).words(),
            Column::text("DEVICE", 24).names(),
            Column::text("OS", 12).words(),
            Column::text("GROUP", 16),
            Column::age("SEEN", 5),
        ],
        TableId::ExposureGroups => vec![
            Column::text("DEVICE GROUP", 28).names(),
            Column::ranked("SCORE", 6),
            Column::ranked("DEVICES", 7),
        ],
        TableId::ActionsPending | TableId::ActionsHistory => vec![
            Column::text("TYPE", 18).words(),
            Column::text("DEVICE", 18).names(),
            Column::text("STATUS", 15).words(),
            Column::text("REQUESTED BY", 18),
            Column::text("COMMENT", 30),
            Column::age("AGE", 5),
        ],
        TableId::DevicesAtRisk => vec![
            Column::severity("RISK", 8).words(),
            Column::severity("EXPOSURE", 9).words(),
            Column::text("DEVICE", 24).names(),
            Column::ranked("ALERTS", 6),
            Column::text("OS", 12).words(),
            Column::text("HEALTH", 10).words(),
            Column::age("SEEN", 5),
        ],
        TableId::Incidents => vec![
            Column::severity("SEV", 6).words(),
            Column::text("ID", 6),
            Column::text("TITLE", 40).names(),
            Column::text("STATUS", 10).words(),
            Column::text("ASSIGNED", 16),
            Column::ranked("DEVICES", 7),
            Column::age("AGE", 5),
        ],
        TableId::Alerts => vec![
            Column::severity("SEV", 6).words(),
            Column::text("TITLE", 36).names(),
            Column::text("DEVICE", 18),
            Column::text("STATUS", 10).words(),
            Column::text("SOURCE", 14).words(),
            Column::age("AGE", 5),
        ],
        TableId::Controls => vec![
            Column::text("CATEGORY", 9),
            Column::text("CONTROL", 44).names(),
            Column::ranked("SCORE", 6),
            Column::ranked("MAX", 5),
            Column::ranked("GAP", 5),
            Column::text("STATE", 20).words(),
        ],
        TableId::Recommendations => vec![
            Column::ranked("IMPACT", 6),
            Column::text("RECOMMENDATION", 40).names(),
            Column::ranked("EXPOSED", 7),
            Column::text("EXPLOIT", 7),
            Column::text("CATEGORY", 12).words(),
            Column::text("STATUS", 10).words(),
        ],
        TableId::Remediation => vec![
            Column::text("ACTIVITY", 36).names(),
            Column::text("STATUS", 10).words(),
            Column::text("PRIORITY", 8).words(),
            Column::ranked("DONE", 9),
            Column::text("DUE", 10),
            Column::age("AGE", 5),
        ],
        TableId::Learn => vec![
            Column::text("ITEM", 30).names(),
            Column::text("WHAT IT IS", 60),
        ],
        TableId::Threats => vec![
            Column::text("THREAT / SOURCE", 40).names(),
            Column::ranked("EXPOSED", 7),
            Column::text("EXPLOIT", 7),
            Column::severity("SEV", 8).words(),
            Column::text("REPORTS", 20),
        ],
        TableId::Devices => vec![
            Column::text("DEVICE", 24).names(),
            Column::text("OS", 12).words(),
            Column::severity("RISK", 8).words(),
            Column::severity("EXPOSURE", 9).words(),
            Column::text("HEALTH", 10).words(),
            Column::text("AV", 10).words(),
            Column::text("GROUP", 14),
            Column::age("SEEN", 5),
        ],
        TableId::Indicators => vec![
            Column::text("TYPE", 14),
            Column::text("VALUE", 36).names(),
            Column::text("ACTION", 10).words(),
            Column::severity("SEV", 8).words(),
            Column::text("TITLE", 24),
            Column::age("AGE", 5),
        ],
        TableId::TeamApprovals => vec![
            Column::text("#", 5),
            Column::text("ACTION", 18).words(),
            Column::text("TARGET", 22).names(),
            Column::text("REQUESTED BY", 18),
            Column::text("COMMENT", 30),
            Column::age("AGE", 5),
        ],
        // The clock time says when (an age would change under the reader); the error's
        // text gives way last.
        TableId::Errors => vec![
            Column::text("WHEN", 8),
            Column::text("WHAT", 22),
            Column::text("CODE", 16),
            Column::text("ERROR", 40).names(),
            Column::text("CORRELATION", 36),
        ],
    }
}

/// Every table, empty.
pub(crate) fn empty_tables() -> BTreeMap<TableId, TableState> {
    TableId::ALL
        .into_iter()
        .map(|id| (id, TableState::new(columns(id))))
        .collect()
}

/// Number of panes of a view (switched with ←/→).
pub(crate) fn panes(view: View) -> usize {
    match view {
        View::ActionCenter | View::DeviceScore => 2,
        _ => 1,
    }
}

/// The table keys act on in a view and pane.
pub fn focused(view: View, pane: usize) -> Option<TableId> {
    Some(match view {
        View::Checklist(_) | View::Reports | View::Tenants => return None,
        View::Exposure => TableId::ExposureDevices,
        View::ActionCenter if pane == 2 => TableId::TeamApprovals,
        View::ActionCenter if pane == 1 => TableId::ActionsHistory,
        View::ActionCenter => TableId::ActionsPending,
        View::DevicesAtRisk => TableId::DevicesAtRisk,
        View::Incidents => TableId::Incidents,
        View::Alerts => TableId::Alerts,
        View::SecureScore => TableId::Controls,
        View::DeviceScore if pane == 1 => TableId::Remediation,
        View::DeviceScore => TableId::Recommendations,
        View::Learn => TableId::Learn,
        View::Threats => TableId::Threats,
        View::Devices => TableId::Devices,
        View::Indicators => TableId::Indicators,
        View::Errors => TableId::Errors,
    })
}
