//! Typed, tolerant models of the Defender and Graph resources socops reads. Every enum is
//! open, every optional field defaults, unknown fields are ignored, and timestamps, numbers,
//! booleans and ids are read in all the shapes the services send (see [`de`]).

pub mod de;
pub mod open_enum;

pub mod alert;
pub mod control_profile;
pub mod control_status;
pub mod device_av;
pub mod graph_alert;
pub mod graph_enums;
pub mod hresult;
pub mod incident;
pub mod indicator;
pub mod investigation;
pub mod live_response;
pub mod machine;
pub mod machine_action;
pub mod recommendation;
pub mod remediation;
pub mod score;
pub mod secure_score;
pub mod vulnerability;

pub use alert::{
    Alert, AlertComment, AlertSeverity, AlertStatus, Classification, Determination, Evidence,
    RelatedUser,
};
pub use control_profile::{ControlStateUpdate, SecureScoreControlProfile};
pub use control_status::ControlStatus;
pub use device_av::{DeviceAvInfo, av_mode_name};
pub use graph_alert::{EvidenceFile, EvidenceUser, GraphAlert, GraphEvidence};
pub use graph_enums::{
    BadEnumValue, GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus,
    GraphSeverity,
};
pub use incident::{Incident, IncidentComment, IncidentStatus};
pub use indicator::{Indicator, IndicatorAction, IndicatorType, NewIndicator};
pub use investigation::{Investigation, InvestigationState};
pub use live_response::{LibraryFile, ScriptOutput};
pub use machine::{
    DefenderAvStatus, DeviceValue, ExposureLevel, HealthStatus, IpAddress, Machine,
    OnboardingStatus, RiskScore, VmMetadata,
};
pub use machine_action::{
    ActionStatus, ActionType, CommandParam, CommandSpec, CommandStatus, LiveResponseCommand,
    MachineAction, RelatedFileInfo,
};
pub use recommendation::{Recommendation, impact_text};
pub use remediation::RemediationTask;
pub use score::{ConfigurationScore, ExposureScore, GroupExposureScore};
pub use secure_score::{AverageComparativeScore, ControlScore, SecureScore, VendorInformation};
pub use vulnerability::{Vulnerability, VulnerabilitySeverity};
