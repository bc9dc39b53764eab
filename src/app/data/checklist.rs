//! The routine checklists: the tasks of the operations guide per cadence, their done marks
//! (kept per day, ISO week or month, so a new period starts unticked) and the JSON they are
//! saved as in the profile's checklist file.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

use crate::app::view::{Cadence, View};

/// One task of a routine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Task {
    /// Stable id, used in the saved file.
    pub id: &'static str,
    pub title: &'static str,
    /// The view Enter opens.
    pub view: View,
    /// What the guide asks, shown beside the checklist.
    pub about: &'static str,
}

const fn task(id: &'static str, title: &'static str, view: View, about: &'static str) -> Task {
    Task {
        id,
        title,
        view,
        about,
    }
}

const DAILY: [Task; 5] = [
    task(
        "exposure",
        "Exposure score",
        View::Exposure,
        "Check the exposure score and the most exposed devices.",
    ),
    task(
        "pending",
        "Pending actions",
        View::ActionCenter,
        "Review pending actions and investigations awaiting approval.",
    ),
    task(
        "threats",
        "Devices with threats",
        View::DevicesAtRisk,
        "Look at devices with threat detections and high risk.",
    ),
    task(
        "incidents",
        "New incidents",
        View::Incidents,
        "Triage new incidents and alerts, and their affected assets.",
    ),
    task(
        "scans",
        "Scans & investigations",
        View::ActionCenter,
        "Run a full antivirus scan on a device at high risk or with threats (automated investigation was retired on 2026-09-01; a full scan replaces it).",
    ),
];
const WEEKLY: [Task; 4] = [
    task(
        "securescore",
        "Microsoft Secure Score",
        View::SecureScore,
        "Review Secure Score, its trend and the controls with the largest gap.",
    ),
    task(
        "devicescore",
        "Secure Score for devices",
        View::DeviceScore,
        "Review the device configuration score.",
    ),
    task(
        "recommendations",
        "Security recommendations",
        View::DeviceScore,
        "Work the recommendations with the largest impact.",
    ),
    task(
        "remediation",
        "Remediation activities",
        View::DeviceScore,
        "Follow up remediation activities and export when needed.",
    ),
];
const MONTHLY: [Task; 3] = [
    task(
        "reports",
        "Security reports",
        View::Reports,
        "Read the month's alerts, incidents and actions by severity and outcome.",
    ),
    task(
        "avhealth",
        "Antivirus health",
        View::Reports,
        "Check antivirus modes, signature age and scan results.",
    ),
    task(
        "learn",
        "Simulations & tutorials",
        View::Learn,
        "Run a simulation or tutorial; browse the learning hub.",
    ),
];
const AS_NEEDED: [Task; 3] = [
    task(
        "threats",
        "Threat analytics",
        View::Threats,
        "Review threats with public exploits and the devices they reach.",
    ),
    task(
        "remediate",
        "Remediate an item",
        View::Devices,
        "Find the device and act on it.",
    ),
    task(
        "indicators",
        "Indicators",
        View::Indicators,
        "Review allow and block indicators.",
    ),
];

/// The tasks of a cadence.
pub fn tasks(cadence: Cadence) -> &'static [Task] {
    match cadence {
        Cadence::Daily => &DAILY,
        Cadence::Weekly => &WEEKLY,
        Cadence::Monthly => &MONTHLY,
        Cadence::AsNeeded => &AS_NEEDED,
    }
}

/// The period a mark belongs to, e.g. `daily:2026-11-30`, `weekly:2026-W48`, `monthly:2026-11`.
pub fn period_key(cadence: Cadence, now: DateTime<Utc>, offset: FixedOffset) -> String {
    let d = now.with_timezone(&offset).date_naive();
    match cadence {
        Cadence::Daily => format!("daily:{}", d.format("%Y-%m-%d")),
        Cadence::Weekly => {
            let w = d.iso_week();
            format!("weekly:{}-W{:02}", w.year(), w.week())
        }
        Cadence::Monthly => format!("monthly:{}-{:02}", d.year(), d.month()),
        Cadence::AsNeeded => "as_needed".to_string(),
    }
}

/// Done marks by period; the content of the checklist file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marks {
    #[serde(default)]
    pub marks: BTreeMap<String, BTreeSet<String>>,
}

impl Marks {
    /// Read the file's JSON; an unreadable file starts afresh rather than blocking the console.
    pub fn from_json(text: &str) -> Marks {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The file's JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Whether a task is done in a period.
    pub fn is_done(&self, period: &str, task: &str) -> bool {
        self.marks.get(period).is_some_and(|s| s.contains(task))
    }

    /// Flip a task's mark; returns the new state.
    pub fn toggle(&mut self, period: &str, task: &str) -> bool {
        let set = self.marks.entry(period.to_string()).or_default();
        let done = if set.remove(task) {
            false
        } else {
            set.insert(task.to_string());
            true
        };
        if set.is_empty() {
            self.marks.remove(period);
        }
        // Keep the file small: only the latest periods of each cadence matter.
        self.prune();
        done
    }

    fn prune(&mut self) {
        const KEEP: usize = 40;
        for prefix in ["daily:", "weekly:", "monthly:"] {
            let keys: Vec<String> = self
                .marks
                .keys()
                .filter(|k| k.starts_with(prefix))
                .cloned()
                .collect();
            if keys.len() > KEEP {
                for k in &keys[..keys.len() - KEEP] {
                    self.marks.remove(k);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn periods_and_toggle_round_trip() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 7, 58, 0).unwrap();
        let utc = FixedOffset::east_opt(0).unwrap();
        assert_eq!(period_key(Cadence::Daily, now, utc), "daily:2026-11-30");
        assert_eq!(period_key(Cadence::Weekly, now, utc), "weekly:2026-W49");
        assert_eq!(period_key(Cadence::Monthly, now, utc), "monthly:2026-11");
        let mut m = Marks::default();
        assert!(m.toggle("daily:2026-11-30", "exposure"));
        let back = Marks::from_json(&m.to_json());
        assert!(back.is_done("daily:2026-11-30", "exposure"));
        assert!(!m.toggle("daily:2026-11-30", "exposure"));
        assert!(m.marks.is_empty());
    }
}
