//! Roles nobody uses, from an AWS CLI authorization-details export: IAM sets
//! `RoleLastUsed` to `{}` for a role never used within its tracking window, and an
//! export without the key says nothing. Expectations come from the export below and
//! IAM Access Analyzer, "Findings for unused access" (a role with no activity in the
//! tracking period, 90 days here), not from running the code.

use orgscope::findings::{self, Options};
use orgscope::org::{Org, load_str};
use serde_json::{Value, json};

fn role(name: &str, created: &str, last_used: Option<Value>) -> Value {
    let mut r = json!({
        "RoleName": name,
        "Arn": format!("arn:aws:iam::123456789012:role/{name}"),
        "CreateDate": created,
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [],
        "AttachedManagedPolicies": [],
    });
    if let Some(l) = last_used {
        r["RoleLastUsed"] = l;
    }
    r
}

fn org() -> Org {
    let export = json!({
        "UserDetailList": [],
        "GroupDetailList": [],
        "Policies": [],
        "RoleDetailList": [
            role("NeverUsedOld", "2024-01-10T00:00:00Z", Some(json!({}))),
            role("NeverUsedNew", "2026-11-20T00:00:00Z", Some(json!({}))),
            role("NotExported", "2024-01-10T00:00:00Z", None),
            role("UsedLongAgo", "2024-01-10T00:00:00Z",
                Some(json!({"LastUsedDate": "2025-02-01T00:00:00Z", "Region": "eu-west-1"}))),
            role("UsedLately", "2024-01-10T00:00:00Z",
                Some(json!({"LastUsedDate": "2026-11-25T00:00:00Z", "Region": "eu-west-1"}))),
        ],
    });
    let (org, report) = load_str("authz.json", &export.to_string());
    org.unwrap_or_else(|| panic!("{report}"))
}

fn unused(now: &str) -> Vec<(String, String)> {
    let opts = Options {
        now: Some(now.parse().unwrap()),
        ..Options::default()
    };
    findings::findings(&org(), &opts)
        .into_iter()
        .filter(|f| f.rule == "identity.unused-role")
        .map(|f| (f.node_name, f.message))
        .collect()
}

#[test]
fn a_role_never_used_and_older_than_the_window_is_reported() {
    let mut got = unused("2026-12-01T00:00:00Z");
    got.sort();
    assert_eq!(
        got,
        [
            (
                "NeverUsedOld".to_string(),
                "NeverUsedOld has never been used, and was created more than 90 days ago"
                    .to_string()
            ),
            (
                "UsedLongAgo".to_string(),
                "UsedLongAgo was last used more than 90 days ago".to_string()
            ),
        ],
        "a role made 11 days ago, one used 6 days ago and one whose export has no \
         RoleLastUsed are not reported"
    );
}

#[test]
fn the_model_tells_never_used_from_not_exported() {
    let org = org();
    let last_used = |name: &str| {
        org.roles()
            .iter()
            .find(|r| r.arn.ends_with(&format!("/{name}")))
            .unwrap()
            .last_used
            .clone()
    };
    assert_eq!(last_used("NeverUsedOld"), Some(Default::default()));
    assert_eq!(last_used("NotExported"), None);
    // Early on, the never-used role is still inside its window: nothing to report.
    assert!(unused("2024-02-01T00:00:00Z").is_empty());
}
