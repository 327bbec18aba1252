//! The policy checks on names and on statements' relations, over acme with one SCP
//! added: each where a policy triggers it, and silent where the policy is written right.
//! Expectations come from the policies written here and the AWS pages cited.

use orgscope::findings::{self, Finding, Options};
use orgscope::org::{Org, load_str};
use serde_json::{Value, json};

fn acme_with_scp(statements: Value) -> Vec<Finding> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-orgs/acme.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["scps"]["Guardrail"] =
        json!({"document": {"Version": "2012-10-17", "Statement": statements}});
    v["root"]["scps"]
        .as_array_mut()
        .unwrap()
        .push(json!("Guardrail"));
    let (org, report) = load_str("acme-variant.json", &v.to_string());
    let org: Org = org.unwrap_or_else(|| panic!("{report}"));
    findings::findings(
        &org,
        &Options {
            now: Some("2026-12-01T00:00:00Z".parse().unwrap()),
            ..Options::default()
        },
    )
    .into_iter()
    .filter(|f| f.policy.as_deref() == Some("Guardrail"))
    .collect()
}

fn rules(all: &[Finding]) -> Vec<(&str, &str)> {
    let mut r: Vec<(&str, &str)> = all
        .iter()
        .map(|f| (f.rule, f.statement.as_deref().unwrap_or("")))
        .collect();
    r.sort();
    r
}

/// IAM User Guide, "AWS global condition context keys" (keys are case-insensitive):
/// a perimeter on a misspelt `aws:SourceIP` is reported; the same key in any case is not.
#[test]
fn a_misspelt_global_key_is_reported_and_any_case_of_a_real_one_is_not() {
    let scp = |key: &str| {
        acme_with_scp(
            json!([{"Sid": "OnlyFromOffice", "Effect": "Deny", "Action": "*",
            "Resource": "*", "Condition": {"NotIpAddress": {key: "192.0.2.0/24"}}}]),
        )
    };
    let all = scp("aws:SourceIps");
    assert_eq!(
        rules(&all),
        [("policy.unknown-global-key", "OnlyFromOffice")]
    );
    assert!(
        all[0].message.contains("`aws:SourceIps`"),
        "{}",
        all[0].message
    );
    assert!(rules(&scp("AWS:SOURCEIP")).is_empty());
    assert!(rules(&scp("aws:SourceIp")).is_empty());
}

/// IAM Access Analyzer policy validation, "Error – Invalid ARN resource": IAM has no
/// resource type `rol`; `role` is one.
#[test]
fn an_arn_of_no_resource_type_is_reported() {
    let scp = |arn: &str| {
        acme_with_scp(json!([{"Sid": "ProtectAdmin", "Effect": "Deny",
            "Action": "iam:DeleteRole", "Resource": arn}]))
    };
    let all = scp("arn:aws:iam::*:rol/Admin");
    assert_eq!(rules(&all), [("policy.unknown-arn", "ProtectAdmin")]);
    assert!(
        all[0].message.contains("no resource type `rol`"),
        "{}",
        all[0].message
    );
    assert!(rules(&scp("arn:aws:iam::*:role/Admin")).is_empty());
}

/// IAM User Guide, "IAM JSON policy elements: Resource": a deny of S3 actions on a
/// DynamoDB table matches no request; on the bucket it does.
#[test]
fn a_statement_of_one_service_on_anothers_resources_never_matches() {
    let scp = |arn: &str| {
        acme_with_scp(json!([{"Sid": "KeepLogs", "Effect": "Deny",
            "Action": ["s3:DeleteObject", "s3:DeleteBucket"], "Resource": arn}]))
    };
    assert_eq!(
        rules(&scp("arn:aws:dynamodb:*:*:table/logs")),
        [("policy.never-matches", "KeepLogs")]
    );
    assert!(rules(&scp("arn:aws:s3:::acme-logs*")).is_empty());
}

/// IAM User Guide, "Policy evaluation logic": Denies combine as a union; a Deny that an
/// unconditional Deny of the same policy covers adds nothing. With a condition on
/// the wide one, the narrow one is no longer covered for sure.
#[test]
fn a_deny_covered_by_a_wider_one_is_shadowed() {
    let scp = |condition: Value| {
        let mut wide =
            json!({"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"});
        if !condition.is_null() {
            wide["Condition"] = condition;
        }
        acme_with_scp(json!([wide,
            {"Sid": "NoUsers", "Effect": "Deny", "Action": ["iam:CreateUser", "iam:CreateAccessKey"],
             "Resource": "arn:aws:iam::*:user/*"}]))
    };
    let all = scp(Value::Null);
    assert_eq!(rules(&all), [("policy.shadowed", "NoUsers")]);
    assert!(all[0].message.contains("NoIam"), "{}", all[0].message);
    let all = scp(json!({"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"}}));
    assert!(rules(&all).is_empty(), "{all:#?}");
}
