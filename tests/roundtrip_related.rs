//! Round trip of the per-device TVM lists, logon users and an alert's related entities
//! (files, IPs, domains, user): typed through the models where they exist, raw JSON otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod roundtrip_common;

use roundtrip_common::{client, sim};
use serde_json::Value;
use socops::api::Resource;
use socops::api::calls;
use socops::api::model::*;

#[tokio::test]
async fn device_lists_are_derived_and_paged() {
    let s = sim(80).await;
    let c = client(&s);
    let devices: Vec<Machine> = calls::machines(None).fetch(&c, None).await.unwrap();
    let mut with_vulns = 0;
    let mut with_recs = 0;
    let mut with_users = 0;
    // A sample keeps the test inside the client's per-minute budgets.
    for d in devices.iter().take(12) {
        let v: Vec<Vulnerability> = c
            .list(
                Resource::Mde,
                &format!("machines/{}/vulnerabilities", d.id),
                5,
                None,
            )
            .await
            .unwrap();
        let r: Vec<Recommendation> = c
            .list(
                Resource::Mde,
                &format!("machines/{}/recommendations", d.id),
                3,
                None,
            )
            .await
            .unwrap();
        let u: Value = c
            .get(Resource::Mde, &format!("machines/{}/logonusers", d.id))
            .await
            .unwrap();
        let users = u["value"].as_array().unwrap();
        for x in users {
            assert!(
                x["accountName"].is_string() && x["accountDomain"].is_string(),
                "{x}"
            );
            assert!(x["isDomainAdmin"].is_boolean(), "{x}");
        }
        assert!(
            v.iter()
                .all(|x| x.id.starts_with("CVE-") || x.id.starts_with("TVM-"))
        );
        with_vulns += usize::from(!v.is_empty());
        with_recs += usize::from(!r.is_empty());
        with_users += usize::from(!users.is_empty());
    }
    assert!(with_vulns > 0 && with_recs > 0 && with_users > 0);
    assert!(
        with_users < devices.len(),
        "some devices report no logon users"
    );
    // The same list, one page at a time, comes back in MDE's envelope with nextLink.
    let path = format!("machines/{}/recommendations", devices[0].id);
    let all: Vec<Recommendation> = c.list(Resource::Mde, &path, 50, None).await.unwrap();
    let paged: Vec<Recommendation> = c.list(Resource::Mde, &path, 2, None).await.unwrap();
    assert_eq!(
        all.iter().map(|r| &r.id).collect::<Vec<_>>(),
        paged.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
    let one: Value = c
        .get(Resource::Mde, &format!("{path}?$top=1"))
        .await
        .unwrap();
    assert!(
        one["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#Recommendations")
    );
    let err = c
        .get::<Value>(Resource::Mde, "machines/nope-000/vulnerabilities")
        .await
        .unwrap_err();
    assert!(format!("{err}").contains("ResourceNotFound"), "{err}");
}

#[tokio::test]
async fn alert_related_entities_follow_evidence() {
    let s = sim(60).await;
    let c = client(&s);
    let alerts: Vec<Alert> = calls::alerts(None, true).fetch(&c, None).await.unwrap();
    let (mut files, mut ips, mut domains, mut users) = (0, 0, 0, 0);
    // One alert with and one without each evidence kind keeps within the client's budget.
    let kinds_of = |a: &Alert| -> Vec<String> {
        a.evidence
            .iter()
            .filter_map(|e| e.entity_type.clone())
            .collect()
    };
    let mut sample: Vec<&Alert> = Vec::new();
    for k in ["File", "Ip", "Url", "User"] {
        for want in [true, false] {
            if let Some(a) = alerts
                .iter()
                .find(|a| kinds_of(a).iter().any(|x| x == k) == want)
                && !sample.iter().any(|s| s.id == a.id)
            {
                sample.push(a);
            }
        }
    }
    for a in sample {
        let kinds: Vec<String> = a
            .evidence
            .iter()
            .filter_map(|e| e.entity_type.as_ref().map(|t| format!("{t:?}")))
            .collect();
        let has = |k: &str| kinds.iter().any(|x| x.contains(k));
        let f: Value = c
            .get(Resource::Mde, &format!("alerts/{}/files", a.id))
            .await
            .unwrap();
        let f = f["value"].as_array().unwrap();
        assert_eq!(!f.is_empty(), has("File") || has("Process"), "{a:?}");
        for x in f {
            assert_eq!(x["sha1"].as_str().unwrap().len(), 40);
        }
        let i: Value = c
            .get(Resource::Mde, &format!("alerts/{}/ips", a.id))
            .await
            .unwrap();
        let i = i["value"].as_array().unwrap();
        assert_eq!(!i.is_empty(), has("Ip"), "{a:?}");
        let d: Value = c
            .get(Resource::Mde, &format!("alerts/{}/domains", a.id))
            .await
            .unwrap();
        let d = d["value"].as_array().unwrap();
        assert_eq!(!d.is_empty(), has("Url"), "{a:?}");
        for x in d {
            assert!(!x["host"].as_str().unwrap().contains('/'), "{x}");
        }
        match c
            .get::<Value>(Resource::Mde, &format!("alerts/{}/user", a.id))
            .await
        {
            Ok(u) => {
                assert!(u["accountSid"].as_str().unwrap().starts_with("S-1-5-21-"));
                users += 1;
            }
            Err(e) => assert!(!has("User") && format!("{e}").contains("404"), "{e}"),
        }
        files += f.len();
        ips += i.len();
        domains += d.len();
    }
    assert!(files > 0 && ips > 0 && domains > 0 && users > 0);
}
