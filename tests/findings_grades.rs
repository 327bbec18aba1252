//! Policy checks carry IAM Access Analyzer's grade (IAM User Guide, "IAM policy
//! validation check reference": each check's finding type), in the JSON as
//! Access Analyzer's API names it; other findings have none.

use orgscope::findings::{self, Grade, Options};
use orgscope::org::load_str;
use serde_json::{Value, json};

#[test]
fn policy_checks_are_graded_as_access_analyzer_grades_them() {
    let mut v: Value = serde_json::from_str(include_str!("../sample-orgs/acme.json")).unwrap();
    // "Error – Invalid action" and "Error – Invalid service condition key"; two
    // misspelt actions in one statement are two findings, each with its own id.
    v["accounts"][4]["policies"]["Typos"] = json!({"document": {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "T", "Effect": "Allow",
            "Action": ["s3:GetObjct", "s3:PutObjct"], "Resource": "arn:aws:s3:::b/*",
            "Condition": {"StringEquals": {"s3:x-amz-aclx": "private"}}}]}});
    let (org, report) = load_str("acme-typos.json", &v.to_string());
    let org = org.unwrap_or_else(|| panic!("{report}"));
    let opts = Options {
        now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..Options::default()
    };
    let all = findings::findings(&org, &opts);
    let graded = |rule: &str| -> Vec<(Option<Grade>, Option<String>)> {
        all.iter()
            .filter(|f| f.rule == rule && f.policy.as_deref() != Some("WebOpsEverything"))
            .map(|f| (f.grade, f.subject.clone()))
            .collect()
    };
    assert_eq!(
        graded("policy.unknown-action"),
        [
            (Some(Grade::Error), Some("s3:GetObjct".to_string())),
            (Some(Grade::Error), Some("s3:PutObjct".to_string())),
        ]
    );
    assert_eq!(
        graded("policy.unknown-condition-key"),
        [(Some(Grade::Error), Some("s3:x-amz-aclx".to_string()))]
    );
    // "Security warning – Pass role with star in resource" (acme's WebOpsEverything).
    let pass = all
        .iter()
        .find(|f| f.rule == "policy.pass-role-any")
        .unwrap();
    assert_eq!(pass.grade, Some(Grade::SecurityWarning));
    let json = serde_json::to_value(pass).unwrap();
    assert_eq!(json["grade"], "SECURITY_WARNING");
    // Not a policy check: no grade, and none in the JSON.
    let identity = all
        .iter()
        .find(|f| f.rule.starts_with("identity."))
        .unwrap();
    assert_eq!(identity.grade, None);
    assert!(
        serde_json::to_value(identity)
            .unwrap()
            .get("grade")
            .is_none()
    );
    // Ids stay unique.
    let mut ids: Vec<&str> = all.iter().map(|f| f.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n);
}
