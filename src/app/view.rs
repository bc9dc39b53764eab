//! The views of the console, the cadence tab each belongs to, the resources each needs and
//! the palette commands that open them.

/// The four cadence tabs of the operations guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
    AsNeeded,
}

impl Cadence {
    /// All cadences in tab order.
    pub const ALL: [Cadence; 4] = [
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::AsNeeded,
    ];

    /// Tab title.
    pub fn title(self) -> &'static str {
        match self {
            Cadence::Daily => "Daily",
            Cadence::Weekly => "Weekly",
            Cadence::Monthly => "Monthly",
            Cadence::AsNeeded => "As needed",
        }
    }

    /// The views of the tab, the routine checklist first.
    pub fn views(self) -> &'static [View] {
        match self {
            Cadence::Daily => &[
                View::Checklist(Cadence::Daily),
                View::Exposure,
                View::ActionCenter,
                View::DevicesAtRisk,
                View::Incidents,
                View::Alerts,
            ],
            Cadence::Weekly => &[
                View::Checklist(Cadence::Weekly),
                View::SecureScore,
                View::DeviceScore,
            ],
            Cadence::Monthly => &[
                View::Checklist(Cadence::Monthly),
                View::Reports,
                View::Learn,
            ],
            Cadence::AsNeeded => &[
                View::Checklist(Cadence::AsNeeded),
                View::Threats,
                View::Devices,
                View::Indicators,
                View::Tenants,
                View::Errors,
            ],
        }
    }
}

/// A screen of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    Checklist(Cadence),
    Exposure,
    ActionCenter,
    DevicesAtRisk,
    Incidents,
    Alerts,
    SecureScore,
    DeviceScore,
    Reports,
    Learn,
    Threats,
    Devices,
    Indicators,
    /// One line per tenant of the config.
    Tenants,
    Errors,
}

/// The resources the console loads; each is one `Command::Load`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    Machines,
    MachineActions,
    Investigations,
    Alerts,
    Incidents,
    ExposureScore,
    GroupExposure,
    ConfigurationScore,
    Recommendations,
    RemediationTasks,
    Vulnerabilities,
    Indicators,
    AvInfo,
    SecureScores,
    ControlProfiles,
}

impl ResourceKind {
    /// Every resource, each once (a test checks it against an exhaustive match).
    pub const ALL: [ResourceKind; 15] = [
        ResourceKind::Machines,
        ResourceKind::MachineActions,
        ResourceKind::Investigations,
        ResourceKind::Alerts,
        ResourceKind::Incidents,
        ResourceKind::ExposureScore,
        ResourceKind::GroupExposure,
        ResourceKind::ConfigurationScore,
        ResourceKind::Recommendations,
        ResourceKind::RemediationTasks,
        ResourceKind::Vulnerabilities,
        ResourceKind::Indicators,
        ResourceKind::AvInfo,
        ResourceKind::SecureScores,
        ResourceKind::ControlProfiles,
    ];

    /// Human name for errors and the status line.
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Machines => "devices",
            ResourceKind::MachineActions => "machine actions",
            ResourceKind::Investigations => "investigations",
            ResourceKind::Alerts => "alerts",
            ResourceKind::Incidents => "incidents",
            ResourceKind::ExposureScore => "exposure score",
            ResourceKind::GroupExposure => "exposure by device group",
            ResourceKind::ConfigurationScore => "device configuration score",
            ResourceKind::Recommendations => "recommendations",
            ResourceKind::RemediationTasks => "remediation activities",
            ResourceKind::Vulnerabilities => "vulnerabilities",
            ResourceKind::Indicators => "indicators",
            ResourceKind::AvInfo => "antivirus health",
            ResourceKind::SecureScores => "Secure Score",
            ResourceKind::ControlProfiles => "Secure Score controls",
        }
    }
}

impl View {
    /// The tab the view lives in.
    pub fn cadence(self) -> Cadence {
        Cadence::ALL
            .into_iter()
            .find(|c| c.views().contains(&self))
            .unwrap_or(Cadence::Daily)
    }

    /// Title shown in the view's frame.
    pub fn title(self) -> &'static str {
        match self {
            View::Checklist(Cadence::Daily) => "Daily routine",
            View::Checklist(Cadence::Weekly) => "Weekly routine",
            View::Checklist(Cadence::Monthly) => "Monthly routine",
            View::Checklist(Cadence::AsNeeded) => "As needed",
            View::Exposure => "Exposure",
            View::ActionCenter => "Action center",
            View::DevicesAtRisk => "Devices at risk",
            View::Incidents => "Incidents",
            View::Alerts => "Alerts",
            View::SecureScore => "Microsoft Secure Score",
            View::DeviceScore => "Secure Score for devices",
            View::Reports => "Reports, last 30 days",
            View::Learn => "Learn",
            View::Threats => "Threats",
            View::Devices => "Devices",
            View::Indicators => "Indicators",
            View::Tenants => "All tenants",
            View::Errors => "Errors",
        }
    }

    /// The resources the view shows, most important first.
    pub fn resources(self) -> &'static [ResourceKind] {
        use ResourceKind as R;
        match self {
            View::Checklist(Cadence::Daily) => &[
                R::ExposureScore,
                R::MachineActions,
                R::Investigations,
                R::Machines,
                R::Incidents,
            ],
            View::Checklist(Cadence::Weekly) => &[
                R::SecureScores,
                R::ConfigurationScore,
                R::Recommendations,
                R::RemediationTasks,
            ],
            View::Checklist(Cadence::Monthly) => {
                &[R::AvInfo, R::Alerts, R::Incidents, R::MachineActions]
            }
            View::Checklist(Cadence::AsNeeded) => {
                &[R::Recommendations, R::Vulnerabilities, R::Indicators]
            }
            View::Exposure => &[R::ExposureScore, R::GroupExposure, R::Machines],
            View::ActionCenter => &[R::MachineActions, R::Investigations],
            View::DevicesAtRisk => &[R::Machines, R::Alerts, R::MachineActions],
            View::Incidents => &[R::Incidents],
            View::Alerts => &[R::Alerts],
            View::SecureScore => &[R::SecureScores, R::ControlProfiles],
            View::DeviceScore => &[
                R::ConfigurationScore,
                R::Recommendations,
                R::RemediationTasks,
            ],
            View::Reports => &[R::AvInfo, R::Alerts, R::Incidents, R::MachineActions],
            View::Learn | View::Errors | View::Tenants => &[],
            View::Threats => &[R::Recommendations, R::Vulnerabilities],
            // Machine actions give each device's isolation state.
            View::Devices => &[R::Machines, R::MachineActions],
            View::Indicators => &[R::Indicators],
        }
    }

    /// Palette command names: `(name, view)`.
    pub(crate) const COMMANDS: [(&'static str, View); 15] = [
        ("actions", View::ActionCenter),
        ("alerts", View::Alerts),
        ("devices", View::Devices),
        ("errors", View::Errors),
        ("exposure", View::Exposure),
        ("incidents", View::Incidents),
        ("indicators", View::Indicators),
        ("learn", View::Learn),
        ("recommendations", View::DeviceScore),
        ("reports", View::Reports),
        ("risk", View::DevicesAtRisk),
        ("score", View::SecureScore),
        ("tenants", View::Tenants),
        ("threats", View::Threats),
        ("weekly", View::Checklist(Cadence::Weekly)),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ALL` holds every resource once: the match stops compiling when a resource is added,
    /// and the positions stop matching when `ALL` is not updated with it.
    #[test]
    fn all_lists_every_resource_once() {
        let position = |k: ResourceKind| match k {
            ResourceKind::Machines => 0,
            ResourceKind::MachineActions => 1,
            ResourceKind::Investigations => 2,
            ResourceKind::Alerts => 3,
            ResourceKind::Incidents => 4,
            ResourceKind::ExposureScore => 5,
            ResourceKind::GroupExposure => 6,
            ResourceKind::ConfigurationScore => 7,
            ResourceKind::Recommendations => 8,
            ResourceKind::RemediationTasks => 9,
            ResourceKind::Vulnerabilities => 10,
            ResourceKind::Indicators => 11,
            ResourceKind::AvInfo => 12,
            ResourceKind::SecureScores => 13,
            ResourceKind::ControlProfiles => 14,
        };
        for (i, k) in ResourceKind::ALL.into_iter().enumerate() {
            assert_eq!(position(k), i, "{k:?}");
        }
    }
}
