use super::*;
use crate::api::model::{ExposureLevel, IpAddress, VmMetadata};

fn full() -> Machine {
    serde_json::from_value(serde_json::json!({
        "id": "a1b2", "mergedIntoMachineId": "c3", "isPotentialDuplication": false,
        "isExcluded": true, "exclusionReason": "Duplicate", "computerDnsName": "PC-01.contoso.com",
        "firstSeen": "2026-01-02T03:04:05.123456789Z", "lastSeen": "2026-11-30T07:00:00Z",
        "osPlatform": "Windows11", "osVersion": "", "osProcessor": "x64", "version": "23H2",
        "lastIpAddress": "10.0.0.4", "lastExternalIpAddress": "20.1.2.3",
        "agentVersion": "10.8760", "osBuild": 22631, "healthStatus": "ImpairedCommunication",
        "deviceValue": "High", "rbacGroupId": 0, "rbacGroupName": "Finance",
        "riskScore": "Medium", "exposureLevel": "Galactic", "isAadJoined": true,
        "aadDeviceId": "80fe8ff8", "machineTags": ["vip", "\u{1b}[31mred"],
        "defenderAvStatus": "Updated", "onboardingStatus": "Onboarded",
        "osArchitecture": "64-bit", "managedBy": "Intune", "managedByStatus": "Success",
        "ipAddresses": [
            {"ipAddress": "10.0.0.4", "macAddress": "001122334455", "type": "Ethernet",
             "operationalStatus": "Up"},
            {"ipAddress": "127.0.0.1", "type": "SoftwareLoopback"}
        ],
        "vmMetadata": {"vmId": "vm-1", "cloudProvider": "Azure"}
    }))
    .unwrap()
}

#[test]
fn a_packed_device_decodes_to_the_record_it_was_made_from() {
    let sparse = Machine {
        id: "only-an-id".into(),
        ..Default::default()
    };
    let ms = vec![full(), sparse.clone(), full()];
    let d = Devices::from(ms.clone());
    assert_eq!(d.len(), 3);
    assert_eq!(d.to_machines(), ms);
    // Every field survives, including the empty text (not `None`), the unknown enum value
    // and nanoseconds.
    let m = d.get(0).unwrap().machine();
    assert_eq!(m.os_version.as_deref(), Some(""));
    assert_eq!(
        m.exposure_level,
        Some(ExposureLevel::Other("Galactic".into()))
    );
    assert_eq!(m.first_seen, full().first_seen);
    assert_eq!(
        m.ip_addresses[1],
        IpAddress {
            ip_address: Some("127.0.0.1".into()),
            kind: Some("SoftwareLoopback".into()),
            ..Default::default()
        }
    );
    assert_eq!(
        m.vm_metadata,
        Some(VmMetadata {
            vm_id: Some("vm-1".into()),
            cloud_provider: Some("Azure".into()),
            ..Default::default()
        })
    );
    assert_eq!(d.get(1).unwrap().machine(), sparse);
}

#[test]
fn the_view_reads_what_the_record_says() {
    let d = Devices::from(vec![full()]);
    let v = d.get(0).unwrap();
    let m = full();
    assert_eq!(v.id(), m.id);
    assert_eq!(v.short_name(), m.short_name());
    assert_eq!(v.display_name(), m.display_name());
    assert!(v.is_windows());
    assert_eq!(v.risk_rank(), m.risk_rank());
    assert_eq!(v.exposure_rank(), m.exposure_rank());
    assert_eq!(v.risk_score(), m.risk_score);
    assert_eq!(v.health_status(), m.health_status);
    assert_eq!(v.av_status_text(), Some("Updated"));
    assert_eq!(v.rbac_group_name(), Some("Finance"));
    assert_eq!(v.last_seen(), m.last_seen);
    assert_eq!(v.index(), 0);
    // A device without a name is named by its id.
    let bare = Devices::from(vec![Machine {
        id: "f00".into(),
        computer_dns_name: Some("  ".into()),
        ..Default::default()
    }]);
    assert_eq!(bare.get(0).unwrap().short_name(), "f00");
    assert_eq!(bare.get(0).unwrap().display_name(), "f00");
}

#[test]
fn finds_a_device_by_its_id() {
    let ms: Vec<Machine> = (0..500)
        .map(|i| Machine {
            id: format!("{i:040x}"),
            computer_dns_name: Some(format!("pc-{i}")),
            ..Default::default()
        })
        .collect();
    let d = Devices::from(ms);
    for i in [0, 1, 250, 499] {
        let v = d.find(&format!("{i:040x}")).unwrap();
        assert_eq!(v.short_name(), format!("pc-{i}"));
        assert_eq!(v.index(), i);
    }
    assert!(d.find("nope").is_none());
    assert!(Devices::default().find("nope").is_none());
}

#[test]
fn repeated_texts_are_stored_once() {
    let one = Devices::from(vec![full()]);
    let many = Devices::from(vec![full(); 1000]);
    // Per extra device: its record and its own texts (id, name, addresses), not its OS,
    // group, tags or states again.
    let per_device = (many.bytes() - one.bytes()) / 999;
    assert!(per_device < 420, "{per_device} bytes a device");
}

#[test]
fn deserializes_from_the_api_list() {
    let d: Devices = serde_json::from_value(serde_json::json!([
        {"id": "m1", "computerDnsName": "a"}, {"id": "m2"}
    ]))
    .unwrap();
    assert_eq!(d.iter().map(|v| v.id()).collect::<Vec<_>>(), ["m1", "m2"]);
    assert_eq!(format!("{d:?}"), "Devices(2)");
    let back: Devices = serde_json::from_value(serde_json::to_value(&d).unwrap()).unwrap();
    assert_eq!(back.to_machines(), d.to_machines());
}
