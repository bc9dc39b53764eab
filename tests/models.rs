//! Every documented sample parses into its model, and every documented quirk (research §5)
//! has a test: unknown enum values, string numbers and booleans, the 0001 sentinel,
//! 7-digit fractions, null-everything records, field-name drift.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

use serde::de::DeserializeOwned;
use serde_json::Value;
use socops::api::model::*;

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn one<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn list<T: DeserializeOwned>(name: &str) -> Vec<T> {
    let v: Value = serde_json::from_str(&fixture(name)).expect("json");
    let items = v.get("value").cloned().expect("value array");
    serde_json::from_value(items).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_sample_parses() {
    assert_eq!(list::<Machine>("mde_machines_list.json").len(), 3);
    assert_eq!(
        list::<MachineAction>("mde_machine_actions_list.json").len(),
        4
    );
    let _: MachineAction = one("mde_machine_action_single.json");
    let _: MachineAction = one("mde_machine_action_live_response.json");
    assert_eq!(list::<Alert>("mde_alerts_list.json").len(), 3);
    assert_eq!(list::<Incident>("xdr_incidents_list.json").len(), 3);
    assert_eq!(list::<Incident>("graph_incidents_list.json").len(), 2);
    assert_eq!(list::<GraphAlert>("graph_alerts_v2_list.json").len(), 1);
    assert_eq!(
        list::<Investigation>("mde_investigations_list.json").len(),
        4
    );
    let _: ExposureScore = one("mde_exposure_score.json");
    assert_eq!(
        list::<GroupExposureScore>("mde_exposure_score_by_group.json").len(),
        2
    );
    let _: ConfigurationScore = one("mde_configuration_score.json");
    assert_eq!(
        list::<Recommendation>("mde_recommendations_list.json").len(),
        3
    );
    assert_eq!(
        list::<Vulnerability>("mde_vulnerabilities_list.json").len(),
        2
    );
    assert_eq!(
        list::<RemediationTask>("mde_remediation_tasks_list.json").len(),
        2
    );
    assert_eq!(list::<Indicator>("mde_indicators_list.json").len(), 3);
    assert_eq!(list::<SecureScore>("graph_secure_scores.json").len(), 1);
    assert_eq!(
        list::<SecureScoreControlProfile>("graph_secure_score_control_profiles.json").len(),
        2
    );
    assert_eq!(list::<DeviceAvInfo>("mde_deviceavinfo.json").len(), 2);
    let _: ScriptOutput = one("mde_live_response_script_output.json");
}

#[test]
fn machine_sample_fields_and_helpers() {
    let m = list::<Machine>("mde_machines_list.json");
    assert_eq!(m[0].short_name(), "fin-lt-0142");
    assert_eq!(m[0].risk_score, Some(RiskScore::High));
    assert_eq!(m[0].exposure_level, Some(ExposureLevel::Medium));
    assert_eq!(m[0].os_build, Some(26100));
    assert_eq!(m[0].machine_tags, vec!["Finance", "VIP"]);
    assert_eq!(m[0].non_loopback_ips().count(), 2);
    // "None" is a value, not a missing field.
    assert_eq!(m[1].risk_score, Some(RiskScore::None));
    assert_eq!(m[2].exposure_level, None);
    assert!(m[2].vm_metadata.is_some());
}

#[test]
fn short_name_falls_back_to_id() {
    let m: Machine = one("quirk_machine_odd.json");
    assert_eq!(m.short_name(), "1111111111111111111111111111111111111111");
}

#[test]
fn unknown_enum_values_are_kept_verbatim() {
    let m: Machine = one("quirk_machine_odd.json");
    assert_eq!(
        m.health_status,
        Some(HealthStatus::Other("SomethingNew".into()))
    );
    assert_eq!(
        m.health_status.as_ref().map(|h| h.as_str()),
        Some("SomethingNew")
    );
    let a: MachineAction = one("quirk_machine_action_old_spelling.json");
    assert_eq!(
        a.action_type,
        Some(ActionType::Other("TroubleshootMode".into()))
    );
    let al: Alert = one("quirk_alert_odd.json");
    assert_eq!(
        al.status,
        Some(AlertStatus::Other("AwaitingSomething".into()))
    );
    assert_eq!(al.investigation_state, Some(InvestigationState::Disabled));
}

#[test]
fn enums_read_pascal_and_camel_case_alike() {
    let m: Machine = one("quirk_machine_odd.json");
    assert_eq!(m.exposure_level, Some(ExposureLevel::Medium));
    assert_eq!(m.onboarding_status, Some(OnboardingStatus::Onboarded));
    assert_eq!(m.defender_av_status, Some(DefenderAvStatus::Updated));
    let g = list::<Incident>("graph_incidents_list.json");
    assert_eq!(g[0].severity, Some(AlertSeverity::High));
    assert_eq!(g[0].status, Some(IncidentStatus::Active));
    let x = list::<Incident>("xdr_incidents_list.json");
    assert_eq!(x[0].status, Some(IncidentStatus::Active));
    assert_eq!(x[1].status, Some(IncidentStatus::Redirected));
    let i: Incident = one("quirk_incident_old_comments.json");
    assert_eq!(i.status, Some(IncidentStatus::InProgress));
    // Serialised back in the canonical spelling.
    assert_eq!(
        serde_json::to_value(&i.status).expect("ser"),
        Value::String("InProgress".into())
    );
}

#[test]
fn numbers_and_booleans_that_arrive_as_strings() {
    let m: Machine = one("quirk_machine_odd.json");
    assert_eq!(m.os_build, Some(26200));
    assert_eq!(m.rbac_group_id, Some(7));
    assert_eq!(m.is_aad_joined, Some(true));
    let s: SecureScore = one("quirk_secure_score_strings.json");
    assert_eq!(s.current_score, Some(196.54));
    assert_eq!(s.active_user_count, Some(12));
    assert_eq!(s.control_scores[0].score, Some(0.0));
    assert_eq!(s.control_scores[0].score_in_percentage, Some(100.0));
    assert_eq!(s.control_scores[0].count, Some(3.0));
    assert_eq!(s.average_for("alltenants"), Some(44.72));
    let v: Vulnerability = one("quirk_vulnerability_doc_spelling.json");
    assert_eq!(v.cvss_v3, Some(9.8));
    assert_eq!(v.public_exploit, Some(true));
    assert_eq!(v.epss, Some(0.5));
}

#[test]
fn secure_score_sample_mixes_numbers_and_strings() {
    let s = list::<SecureScore>("graph_secure_scores.json");
    let pct = s[0].percent().expect("percent");
    assert!((pct - 196.54 / 371.0 * 100.0).abs() < 1e-9);
    assert_eq!(s[0].control("scid_2500").and_then(|c| c.score), Some(0.0));
    assert_eq!(s[0].control("AdminMFAV2").and_then(|c| c.count), Some(3.0));
}

#[test]
fn device_av_string_booleans_and_mode() {
    let d = list::<DeviceAvInfo>("mde_deviceavinfo.json");
    assert_eq!(d[0].av_is_signature_up_to_date, Some(true));
    assert_eq!(d[1].av_is_signature_up_to_date, Some(false));
    assert_eq!(d[1].av_is_platform_up_to_date, None, "Unknown -> None");
    assert_eq!(d[0].av_mode_name(), "Active");
    assert_eq!(d[1].av_mode_name(), "Passive");
    assert!(d[1].is_out_of_date());
    assert_eq!(d[0].full_scan_time, None, "0001 sentinel");
    assert_eq!(d[0].full_scan_result, None, "empty text");
    let q: DeviceAvInfo = one("quirk_deviceavinfo_odd.json");
    assert_eq!(q.av_mode_name(), "Other");
    assert_eq!(q.av_is_signature_up_to_date, Some(true));
    assert_eq!(q.av_is_engine_up_to_date, None);
    assert_eq!(q.av_is_platform_up_to_date, Some(false));
    assert_eq!(q.quick_scan_time, None);
    assert!(q.full_scan_time.is_some());
    assert_eq!(q.rbac_group_id, Some(0));
}

#[test]
fn timestamps_with_seven_digits_and_the_0001_sentinel() {
    let m: Machine = one("quirk_machine_odd.json");
    assert_eq!(m.first_seen, None);
    let t = m.last_seen.expect("last seen");
    assert_eq!(t.timestamp_subsec_nanos(), 184_611_300);
    let a: Alert = one("quirk_alert_odd.json");
    assert!(a.last_update_time.is_some(), "no offset means UTC");
    assert!(a.alert_creation_time.is_some(), "no fraction");
}

#[test]
fn null_everything_record_parses() {
    let m: Machine = one("quirk_machine_nulls.json");
    assert_eq!(m.id, "");
    assert!(m.machine_tags.is_empty() && m.ip_addresses.is_empty());
    assert_eq!(m.last_seen, None);
    let empty: Machine = serde_json::from_str("{}").expect("empty object");
    assert_eq!(empty, Machine::default());
    let _: Alert = serde_json::from_str("{}").expect("alert");
    let _: Incident = serde_json::from_str("{}").expect("incident");
    let _: MachineAction = serde_json::from_str("{}").expect("action");
    let _: SecureScore = serde_json::from_str("{}").expect("score");
}

#[test]
fn machine_action_accepts_both_last_update_spellings() {
    let a: MachineAction = one("quirk_machine_action_old_spelling.json");
    assert!(a.last_update().is_some());
    assert_eq!(a.status, Some(ActionStatus::Pending));
    assert_eq!(a.error_h_result, Some(0));
    assert!(a.commands.is_empty());
    assert_eq!(a.device_label(), "4b7e3c2a9f1d6e08b5a2c7d4e9f0a1b2c3d4e5f6");
    let both: MachineAction = serde_json::from_str(
        r#"{"id":"x","lastUpdateDateTimeUtc":"2026-01-01T00:00:00Z","lastUpdateTimeUtc":"2026-01-02T00:00:00Z"}"#,
    )
    .expect("both spellings in one record");
    assert!(both.last_update().is_some());
    let s: MachineAction = one("mde_machine_action_single.json");
    assert!(s.last_update().is_some());
    assert!(s.is_terminal());
    assert_eq!(s.device_label(), "fin-lt-0142");
}

#[test]
fn action_status_terminal_states() {
    for (s, t) in [
        ("Pending", false),
        ("InProgress", false),
        ("Succeeded", true),
        ("Failed", true),
        ("TimeOut", true),
        ("Cancelled", true),
        ("Paused", false),
    ] {
        assert_eq!(ActionStatus::parse(s).is_terminal(), t, "{s}");
    }
}

#[test]
fn live_response_commands_and_script_output() {
    let a: MachineAction = one("mde_machine_action_live_response.json");
    assert_eq!(a.action_type, Some(ActionType::LiveResponse));
    assert_eq!(a.commands.len(), 2);
    let spec = a.commands[0].command.as_ref().expect("command");
    assert_eq!(spec.param("scriptname"), Some("Collect-Triage.ps1"));
    assert_eq!(a.commands[1].command_status, Some(CommandStatus::Completed));
    let o: ScriptOutput = one("mde_live_response_script_output.json");
    assert_eq!(o.exit_code, Some(0));
    assert!(!o.clean_output().contains('\0'));
    assert!(o.succeeded());
}

#[test]
fn related_file_info_is_read() {
    let a = list::<MachineAction>("mde_machine_actions_list.json");
    let f = a[1].related_file_info.as_ref().expect("file info");
    assert_eq!(f.file_identifier_type.as_deref(), Some("Sha1"));
    assert_eq!(
        a[3].device_label(),
        "e51f0a2b3c4d5e6f708192a3b4c5d6e7f8091a2b"
    );
}

#[test]
fn alert_category_literal_null_and_ids_as_numbers() {
    let a = list::<Alert>("mde_alerts_list.json");
    assert_eq!(a[2].category, None);
    assert_eq!(a[0].incident_id.as_deref(), Some("4711"));
    assert_eq!(a[0].evidence.len(), 2);
    assert_eq!(a[1].comments.len(), 1);
    let q: Alert = one("quirk_alert_odd.json");
    assert_eq!(q.id, "1216123456");
    assert_eq!(q.investigation_id.as_deref(), Some("1893"));
    assert_eq!(q.category, None);
    assert_eq!(q.determination, Some(Determination::CompromisedAccount));
    assert_eq!(
        q.classification,
        Some(Classification::InformationalExpectedActivity)
    );
    assert_eq!(q.evidence[0].process_id, Some(7412));
    assert_eq!(q.evidence[0].summary(), "Ip: 198.51.100.7");
}

#[test]
fn graph_evidence_is_polymorphic() {
    let g = list::<GraphAlert>("graph_alerts_v2_list.json");
    assert_eq!(g[0].evidence[0].kind(), "fileEvidence");
    let f = g[0].evidence[0].file().expect("file");
    assert_eq!(f.file_name.as_deref(), Some("setup_update.sh"));
    assert_eq!(g[0].evidence[1].kind(), "registryKeyEvidence");
    assert_eq!(
        g[0].device_ids(),
        vec!["a90c11d5e2b84f7f6a3e1c0d9b8a7f6e5d4c3b2a"]
    );
    let inc = list::<Incident>("graph_incidents_list.json");
    let alerts = inc[0].alerts.as_ref().expect("expanded");
    let dev = &alerts[0].evidence[0];
    assert!(dev.is_device());
    assert_eq!(
        dev.device_dns_name.as_deref(),
        Some("fin-lt-0142.contoso.local")
    );
    assert_eq!(dev.ip_interfaces.len(), 2);
    let p = &alerts[0].evidence[1];
    assert_eq!(p.process_id, Some(7412));
    assert_eq!(
        p.user_account
            .as_ref()
            .and_then(|u| u.user_principal_name.as_deref()),
        Some("jdoe@contoso.com")
    );
    let odd: GraphEvidence = one("quirk_graph_evidence_unknown.json");
    assert_eq!(odd.kind(), "mailboxEvidence");
    assert_eq!(
        odd.extra.get("primaryAddress"),
        Some(&Value::String("ceo@contoso.com".into()))
    );
    assert!(odd.roles.is_empty());
    assert_eq!(
        odd.odata_type.as_deref(),
        Some("#microsoft.graph.security.mailboxEvidence")
    );
}

#[test]
fn incident_comment_spellings_and_tags() {
    let i: Incident = one("quirk_incident_old_comments.json");
    assert_eq!(i.id, "4702");
    assert_eq!(i.comments[0].author(), Some("a@contoso.com"));
    assert!(i.comments[0].time().is_some());
    assert_eq!(i.comments[1].author(), Some("b@contoso.com"));
    assert!(i.comments[1].time().is_some());
    assert_eq!(i.all_tags(), vec!["Legacy"]);
    assert!(i.alerts.is_none());
    let g = list::<Incident>("graph_incidents_list.json");
    assert_eq!(g[0].all_tags(), vec!["Ransomware"]);
    assert_eq!(g[1].alerts.as_ref().map(Vec::len), Some(0));
    let x = list::<Incident>("xdr_incidents_list.json");
    assert_eq!(x[0].id, "4711");
    assert_eq!(
        x[0].display_name.as_deref(),
        Some("Ransomware activity on one endpoint")
    );
    assert_eq!(x[1].redirect_incident_id.as_deref(), Some("4702"));
    assert_eq!(x[2].comments[0].author(), Some("analyst@contoso.com"));
}

#[test]
fn vulnerability_key_spelling_from_the_doc() {
    let v: Vulnerability = one("quirk_vulnerability_doc_spelling.json");
    assert_eq!(v.cve_supportability.as_deref(), Some("supported"));
    assert_eq!(v.severity, Some(VulnerabilitySeverity::Critical));
    assert!(v.exploit_types.is_empty());
}

#[test]
fn indicator_integer_category_and_legacy_action() {
    let l = list::<Indicator>("mde_indicators_list.json");
    assert_eq!(l[0].category, Some(1));
    assert_eq!(l[0].indicator_type, Some(IndicatorType::FileSha256));
    assert_eq!(l[0].action, Some(IndicatorAction::BlockAndRemediate));
    let q: Indicator = one("quirk_indicator_legacy.json");
    assert_eq!(q.id, "5");
    assert_eq!(q.category, Some(1));
    assert_eq!(q.action, Some(IndicatorAction::AlertAndBlock));
    assert!(q.action.as_ref().is_some_and(IndicatorAction::is_legacy));
    assert_eq!(q.generate_alert, Some(true));
    assert!(q.rbac_group_names.is_empty());
}

#[test]
fn tvm_helpers() {
    let r = list::<Recommendation>("mde_recommendations_list.json");
    assert_eq!(r[1].secure_score_control().as_deref(), Some("scid_2500"));
    assert!(r[1].is_configuration() && !r[0].is_configuration());
    assert!(!r[2].is_active());
    let t = list::<RemediationTask>("mde_remediation_tasks_list.json");
    let p = t[0].progress_percent().expect("progress");
    assert!((p - 100.0 / 3.0).abs() < 1e-9);
    assert!(!t[1].is_active());
    let c = list::<SecureScoreControlProfile>("graph_secure_score_control_profiles.json");
    assert_eq!(
        c[1].latest_state().and_then(|s| s.state.as_deref()),
        Some("Reviewed")
    );
    let e: ExposureScore = one("mde_exposure_score.json");
    assert!(e.score.is_some_and(|s| s > 38.0));
}

#[test]
fn investigations_parse_states() {
    let i = list::<Investigation>("mde_investigations_list.json");
    assert!(i[0].is_pending_approval());
    assert_eq!(i[2].state, Some(InvestigationState::UnsupportedOs));
    assert_eq!(i[3].device_label(), "srv-file01");
}
