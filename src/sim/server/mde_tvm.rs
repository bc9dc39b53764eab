//! Defender for Endpoint GET routes for vulnerability management, indicators and the
//! live-response library.

use super::mde::{context, entity, filter, not_found};
use super::odata::{Record, Val};
use super::paging::{MDE_LIST, PageRule, page};
use super::reply::{Family, Reply, mde_error};
use super::{Req, SimState};
use crate::sim::clock::ts;
use crate::sim::tenant::Tenant;
use crate::sim::tenant::indicators::{Indicator, library_json};
use crate::sim::tenant::tvm::{Recommendation, Vulnerability, exposed};
use serde_json::{Value, json};

struct RecRec<'a>(&'a Recommendation);
impl Record for RecRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let r = self.0;
        Some(match name {
            "id" => Val::Str(r.id.clone()),
            "productname" => Val::Str(r.product.into()),
            "vendor" => Val::Str(r.vendor.into()),
            "recommendationcategory" => Val::Str(r.category.into()),
            "remediationtype" => Val::Str(r.remediation.into()),
            "status" => Val::Str(r.status.into()),
            "severityscore" => Val::Num(r.severity_score),
            _ => return None,
        })
    }
}

/// The filterable properties of `GET /api/recommendations`: "id, productName, vendor,
/// recommendedVersion, recommendationCategory, subCategory, severityScore, remediationType,
/// recommendedProgram, recommendedVendor, status"
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-all-recommendations).
/// `publicExploit` is a field of the record but not filterable.
const RECOMMENDATION_FIELDS: &[&str] = &[
    "id",
    "productname",
    "vendor",
    "recommendedversion",
    "recommendationcategory",
    "subcategory",
    "severityscore",
    "remediationtype",
    "recommendedprogram",
    "recommendedvendor",
    "status",
];

/// The filterable properties of `GET /api/remediationTasks`: `createdon` and `status` only
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-remediation-all-activities).
const REMEDIATION_FIELDS: &[&str] = &["createdon", "status"];

/// The filterable properties of `GET /api/indicators`
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-ti-indicators-collection).
const INDICATOR_FIELDS: &[&str] = &[
    "application",
    "createdbydisplayname",
    "expirationtime",
    "generatealert",
    "title",
    "rbacgroupnames",
    "rbacgroupids",
    "indicatorvalue",
    "indicatortype",
    "creationtimedatetimeutc",
    "createdby",
    "action",
    "severity",
];

/// The filterable properties of `GET /api/vulnerabilities`: "id, name, description, cvssV3,
/// publishedOn, severity, and updatedOn" — not `exposedMachines` or `publicExploit`
/// (https://learn.microsoft.com/en-us/defender-endpoint/api/get-all-vulnerabilities).
const VULNERABILITY_FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "severity",
    "cvssv3",
    "publishedon",
    "updatedon",
];

/// A remediation activity (kept as the JSON the service sends) by its filterable fields.
struct TaskRec<'a>(&'a Value);
impl Record for TaskRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let key = match name {
            "createdon" => "createdOn",
            "status" => "status",
            _ => return None,
        };
        Some(match self.0.get(key).and_then(Value::as_str) {
            Some(s) if key == "createdOn" => chrono::DateTime::parse_from_rfc3339(s)
                .map(|d| Val::Date(d.to_utc()))
                .unwrap_or(Val::Null),
            Some(s) => Val::Str(s.to_string()),
            None => Val::Null,
        })
    }
}

struct VulnRec<'a>(&'a Vulnerability);
impl Record for VulnRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let v = self.0;
        Some(match name {
            "id" | "name" => Val::Str(v.id.clone()),
            "description" => Val::Str(v.description.clone()),
            "severity" => Val::Str(v.severity.into()),
            "cvssv3" => v.cvss.map(Val::Num).unwrap_or(Val::Null),
            "publishedon" => Val::Date(v.published),
            "updatedon" => Val::Date(v.published + chrono::Duration::days(7)),
            _ => return None,
        })
    }
}

struct IndRec<'a>(&'a Indicator);
impl Record for IndRec<'_> {
    fn field(&self, name: &str) -> Option<Val> {
        let i = self.0;
        Some(match name {
            "indicatorvalue" => Val::Str(i.value.clone()),
            "indicatortype" => Val::Str(i.kind.clone()),
            "action" => Val::Str(i.action.clone()),
            "title" => Val::Str(i.title.clone()),
            "createdby" => Val::Str(i.created_by.clone()),
            "severity" => i.severity.clone().map(Val::Str).unwrap_or(Val::Null),
            "generatealert" => Val::Bool(i.generate_alert),
            "creationtimedatetimeutc" => Val::Date(i.created),
            "expirationtime" => i.expiration.map(Val::Date).unwrap_or(Val::Null),
            _ => return None,
        })
    }
}

/// TVM, indicators and library routes.
pub fn get(st: &SimState, req: &Req, t: &Tenant, r: &[String], l: &[&str]) -> Reply {
    let now = st.clock.now();
    match l {
        ["exposurescore"] => entity(
            st,
            "ExposureScore",
            json!({"time": ts(now), "score": t.tvm.exposure}),
        ),
        ["exposurescore", "bymachinegroups"] => {
            let values = t
                .tvm
                .group_scores
                .iter()
                .map(|(n, s)| json!({"time": ts(now), "score": s, "rbacGroupName": n}))
                .collect();
            Reply::ok(
                Family::Mde,
                &super::paging::envelope(context(st, "ExposureScore"), values, None, None),
            )
        }
        ["configurationscore"] => entity(
            st,
            "ConfigurationScore",
            json!({"time": ts(now), "score": t.tvm.config_score}),
        ),
        ["recommendations"] => {
            let f = match filter(req, RECOMMENDATION_FIELDS) {
                Ok(f) => f,
                Err(r) => return r,
            };
            let m: Vec<_> = t
                .tvm
                .recommendations
                .iter()
                .map(RecRec)
                .filter(|x| f.as_ref().is_none_or(|e| e.eval(x)))
                .collect();
            page(
                req,
                &st.base_url,
                Family::Mde,
                MDE_LIST,
                context(st, "Recommendations"),
                &m,
                |x| x.0.to_json(),
            )
        }
        ["recommendations", _] => match t
            .tvm
            .recommendations
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(&r[1]))
        {
            Some(x) => entity(st, "Recommendations", x.to_json()),
            None => mde_error(
                404,
                "ResourceNotFound",
                &format!("Recommendation {} was not found", r[1]),
            ),
        },
        ["recommendations", _, "machinereferences"] => {
            let Some((ri, rec)) = t
                .tvm
                .recommendations
                .iter()
                .enumerate()
                .find(|(_, x)| x.id.eq_ignore_ascii_case(&r[1]))
            else {
                return mde_error(
                    404,
                    "ResourceNotFound",
                    &format!("Recommendation {} was not found", r[1]),
                );
            };
            let m: Vec<_> = t
                .devices
                .iter()
                .filter(|d| exposed(d, ri, rec.product, rec.pct))
                .collect();
            page(
                req,
                &st.base_url,
                Family::Mde,
                MDE_LIST,
                context(st, "MachineReferences"),
                &m,
                |d| {
                    let (gid, gname) = d.group();
                    json!({"id": d.id, "computerDnsName": d.name, "osPlatform": d.os.platform(), "rbacGroupName": gname, "rbacGroupId": gid})
                },
            )
        }
        ["vulnerabilities"] => {
            let f = match filter(req, VULNERABILITY_FIELDS) {
                Ok(f) => f,
                Err(r) => return r,
            };
            let m: Vec<_> = t
                .tvm
                .vulnerabilities
                .iter()
                .map(VulnRec)
                .filter(|x| f.as_ref().is_none_or(|e| e.eval(x)))
                .collect();
            let rule = PageRule {
                default: 8000,
                max: 8000,
                clamp: false,
            };
            page(
                req,
                &st.base_url,
                Family::Mde,
                rule,
                context(st, "Vulnerabilities"),
                &m,
                |x| x.0.to_json(),
            )
        }
        ["vulnerabilities", _] => match t
            .tvm
            .vulnerabilities
            .iter()
            .find(|x| x.id.eq_ignore_ascii_case(&r[1]))
        {
            Some(x) => entity(st, "Vulnerabilities", x.to_json()),
            None => mde_error(
                404,
                "ResourceNotFound",
                &format!("Vulnerability {} was not found", r[1]),
            ),
        },
        ["remediationtasks"] => {
            let f = match filter(req, REMEDIATION_FIELDS) {
                Ok(f) => f,
                Err(r) => return r,
            };
            let m: Vec<_> = t
                .tvm
                .tasks
                .iter()
                .map(TaskRec)
                .filter(|x| f.as_ref().is_none_or(|e| e.eval(x)))
                .collect();
            page(
                req,
                &st.base_url,
                Family::Mde,
                MDE_LIST,
                context(st, "RemediationTasks"),
                &m,
                |x| x.0.clone(),
            )
        }
        ["indicators"] => {
            let f = match filter(req, INDICATOR_FIELDS) {
                Ok(f) => f,
                Err(r) => return r,
            };
            let m: Vec<_> = t
                .indicators
                .iter()
                .map(IndRec)
                .filter(|x| f.as_ref().is_none_or(|e| e.eval(x)))
                .collect();
            page(
                req,
                &st.base_url,
                Family::Mde,
                MDE_LIST,
                context(st, "Indicators"),
                &m,
                |x| x.0.to_json(),
            )
        }
        ["libraryfiles"] => Reply::ok(
            Family::Mde,
            &super::paging::envelope(context(st, "LibraryFiles"), library_json(now), None, None),
        ),
        _ => not_found(),
    }
}
