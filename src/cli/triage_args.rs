//! Arguments of `incident ID …` and `alert ID …` (triage). Enum flags take Graph's values,
//! case-insensitively, and list them in `--help`; the values come from the api's enum types.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};

use crate::api::model::{
    GraphAlertStatus, GraphClassification, GraphDetermination, GraphIncidentStatus,
};

fn incident_statuses() -> Vec<&'static str> {
    GraphIncidentStatus::SETTABLE
        .iter()
        .map(|s| s.wire())
        .collect()
}

fn alert_statuses() -> Vec<&'static str> {
    GraphAlertStatus::SETTABLE
        .iter()
        .map(|s| s.wire())
        .collect()
}

fn determinations() -> Vec<&'static str> {
    GraphDetermination::ALL
        .iter()
        .filter(|d| !d.is_deprecated())
        .map(|d| d.wire())
        .collect()
}

/// `incident ID show | update … | comment TEXT`.
#[derive(Debug, Args)]
pub struct IncidentArgs {
    /// Incident id.
    pub id: String,
    #[command(subcommand)]
    pub verb: IncidentVerb,
}

/// `alert ID show | update … | comment TEXT`.
#[derive(Debug, Args)]
pub struct AlertArgs {
    /// Alert id (Graph alerts_v2).
    pub id: String,
    #[command(subcommand)]
    pub verb: AlertVerb,
}

#[derive(Debug, Clone, Subcommand)]
pub enum IncidentVerb {
    /// Details: alerts, devices, users, evidence (with hashes) and comments.
    Show,
    /// Change status, owner, classification, determination or tags (and comment).
    Update {
        /// New status.
        #[arg(long, value_name = "S", ignore_case = true,
              value_parser = PossibleValuesParser::new(incident_statuses())
                  .map(|s| GraphIncidentStatus::parse(&s).expect("a listed value")))]
        status: Option<GraphIncidentStatus>,
        /// Add a tag (repeatable); the incident's other tags are kept.
        #[arg(long = "tag", value_name = "T")]
        tags: Vec<String>,
        #[command(flatten)]
        common: TriageFlags,
    },
    /// Add a comment.
    Comment(CommentArgs),
}

#[derive(Debug, Clone, Subcommand)]
pub enum AlertVerb {
    /// Details: devices, users, evidence (with hashes) and comments.
    Show,
    /// Change status, owner, classification or determination (and comment).
    Update {
        /// New status.
        #[arg(long, value_name = "S", ignore_case = true,
              value_parser = PossibleValuesParser::new(alert_statuses())
                  .map(|s| GraphAlertStatus::parse(&s).expect("a listed value")))]
        status: Option<GraphAlertStatus>,
        #[command(flatten)]
        common: TriageFlags,
    },
    /// Add a comment.
    Comment(CommentArgs),
}

/// `comment TEXT [--yes]`.
#[derive(Debug, Clone, Args)]
pub struct CommentArgs {
    /// The comment.
    pub text: String,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
}

/// Flags shared by `incident ID update` and `alert ID update`.
#[derive(Debug, Clone, Args)]
pub struct TriageFlags {
    /// Assign to this person (UPN).
    #[arg(long, value_name = "UPN", group = "owner")]
    pub assign: Option<String>,
    /// Assign to me: the signed-in person, or the profile's `analyst`.
    #[arg(long, group = "owner")]
    pub assign_me: bool,
    /// Remove the owner.
    #[arg(long, group = "owner")]
    pub unassign: bool,
    /// Classification.
    #[arg(long, value_name = "C", ignore_case = true,
          value_parser = PossibleValuesParser::new(GraphClassification::possible_values())
              .map(|s| GraphClassification::parse(&s).expect("a listed value")))]
    pub classification: Option<GraphClassification>,
    /// Determination; it must fit the classification (truePositive: malware, phishing …;
    /// informationalExpectedActivity: securityTesting …; falsePositive: notMalicious …).
    #[arg(long, value_name = "D", ignore_case = true,
          value_parser = PossibleValuesParser::new(determinations())
              .map(|s| GraphDetermination::parse(&s).expect("a listed value")))]
    pub determination: Option<GraphDetermination>,
    /// Also add this comment (sent after the update).
    #[arg(long, value_name = "C")]
    pub comment: Option<String>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
}
