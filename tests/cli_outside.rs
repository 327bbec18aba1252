//! `can` with a caller the organization does not hold: a principal of a partner
//! account, an AWS service principal, an anonymous caller. The org's side is answered
//! (the resource's policy, the RCPs of its account); the caller's own account is
//! assumed to allow unless `--identity-policy` gives its policies.

use std::process::{Command, Output};

use serde_json::Value;

const ORG: &str = "tests/fixtures/org/outside/partners.json";
const PARTNER: &str = "arn:aws:iam::210987654321:role/partner-auditor";
const REPORT: &str = "arn:aws:s3:::part-shared-reports/q1.csv";

fn orgscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(args)
        .output()
        .unwrap()
}

fn can_json(extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["can", ORG, "--format", "json"];
    args.extend_from_slice(extra);
    let out = orgscope(&args);
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), v)
}

#[test]
fn a_partner_role_is_answered_on_the_orgs_side_with_its_own_side_assumed() {
    // IAM User Guide, "Cross-account policy evaluation logic": the bucket policy
    // (PartnerReads names account 210987654321) and the caller's own policies must
    // both allow; the caller's are not in the org and are assumed to allow.
    let (code, v) = can_json(&[
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["decision"], "Allowed");
    assert_eq!(v["caller"], "outside");
    let assumptions = v["assumptions"].as_array().unwrap();
    assert_eq!(assumptions.len(), 1, "{v:#}");
    assert!(
        assumptions[0]
            .as_str()
            .unwrap()
            .contains("account 210987654321 is not in the organization"),
        "{v:#}"
    );
    assert!(v["summary"].as_str().unwrap().contains("PartnerReads"));
    assert!(
        v["summary"].as_str().unwrap().contains("assumed to allow"),
        "{v:#}"
    );
    // The org's own principals carry the field too, always a list.
    let (_, own) = can_json(&["-p", "ana", "-a", "s3:GetObject", "-r", REPORT]);
    assert_eq!(own["caller"], "org");
    assert_eq!(own["assumptions"], Value::Array(Vec::new()));
}

#[test]
fn a_deny_of_the_orgs_side_denies_whatever_the_caller_holds() {
    // IAM User Guide, "Policy evaluation logic": an explicit deny in any policy denies.
    // NoPartnerDeletes denies account 210987654321 though PartnerDeletesDrafts allows.
    let (code, v) = can_json(&[
        "-p",
        PARTNER,
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::part-shared-reports/drafts/a.csv",
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(code, Some(4));
    assert_eq!(v["decision"], "ExplicitlyDenied");
    assert_eq!(v["explanation"]["blockedBy"]["layer"], "resource", "{v:#}");
    // Organizations User Guide, "Resource control policies": the data account's RCP
    // denies a stranger the bucket policy names, and any caller over plain HTTP.
    let (code, v) = can_json(&[
        "-p",
        "arn:aws:iam::333344445555:role/stranger",
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(code, Some(4));
    assert_eq!(v["explanation"]["blockedBy"]["layer"], "rcp", "{v:#}");
    let (code, v) = can_json(&[
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "-c",
        "aws:SecureTransport=false",
    ]);
    assert_eq!(code, Some(4));
    assert_eq!(v["explanation"]["blockedBy"]["layer"], "rcp", "{v:#}");
}

#[test]
fn identity_policies_given_for_the_partner_replace_the_assumption() {
    // IAM User Guide, "Cross-account policy evaluation logic": the caller's account
    // must allow too; the file given allows only s3:ListBucket.
    let (code, v) = can_json(&[
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "-c",
        "aws:SecureTransport=true",
        "--identity-policy",
        "tests/fixtures/org/outside/partner-identity-readonly.json",
    ]);
    assert_eq!(code, Some(3), "{v:#}");
    assert_eq!(v["explanation"]["blockedBy"]["layer"], "identity", "{v:#}");
    assert!(!v["summary"].as_str().unwrap().contains("assumed to allow"));
    let (code, _) = can_json(&[
        "-p",
        PARTNER,
        "-a",
        "s3:ListBucket",
        "-r",
        "arn:aws:s3:::part-shared-reports",
        "-c",
        "aws:SecureTransport=true",
        "--identity-policy",
        "tests/fixtures/org/outside/partner-identity-readonly.json",
    ]);
    assert_eq!(code, Some(0));
}

#[test]
fn a_broken_identity_policy_file_is_a_located_error() {
    let out = orgscope(&[
        "can",
        ORG,
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "--identity-policy",
        "tests/fixtures/org/outside/partner-identity-broken.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("partner-identity-broken.json"), "{err}");
    assert!(err.contains("StringEqualz"), "{err}");
    assert!(err.contains("line 4"), "{err}");
}

#[test]
fn identity_policies_are_refused_for_the_orgs_own_principals() {
    let out = orgscope(&[
        "can",
        ORG,
        "-p",
        "ana",
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "--identity-policy",
        "tests/fixtures/org/outside/partner-identity-readonly.json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("only for a caller outside the organization"),
        "{err}"
    );
}

#[test]
fn a_request_with_neither_side_in_the_org_is_refused() {
    let out = orgscope(&[
        "can",
        ORG,
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::someone-elses-bucket/x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("neither"), "{err}");
    // An ARN whose account is not twelve digits names no principal: said so.
    let out = orgscope(&[
        "can",
        ORG,
        "-p",
        "arn:aws:iam::21098765:role/partner-auditor",
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a principal"), "{err}");
}

#[test]
fn a_service_principal_needs_the_resource_policy_to_name_it() {
    // IAM User Guide, "AWS JSON policy elements: Principal" (AWS service principals):
    // a service is let in by a trust or resource policy naming it; it has no identity
    // policies and SCPs do not govern it.
    let (code, v) = can_json(&[
        "-p",
        "lambda.amazonaws.com",
        "-a",
        "sts:AssumeRole",
        "-r",
        "arn:aws:iam::222222222222:role/Processor",
    ]);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["caller"], "service");
    let (code, v) = can_json(&[
        "-p",
        "ec2.amazonaws.com",
        "-a",
        "sts:AssumeRole",
        "-r",
        "arn:aws:iam::222222222222:role/Processor",
    ]);
    assert_eq!(code, Some(3));
    assert_eq!(v["explanation"]["blockedBy"]["layer"], "resource");
    // SNS Developer Guide, "Example cases for Amazon SNS access control" (aws:SourceArn
    // limits which rule may publish): the condition reads the context given.
    let topic = "arn:aws:sns:eu-west-1:222222222222:alerts";
    let (code, _) = can_json(&[
        "-p",
        "events.amazonaws.com",
        "-a",
        "sns:Publish",
        "-r",
        topic,
        "-c",
        "aws:SourceArn=arn:aws:events:eu-west-1:222222222222:rule/nightly",
    ]);
    assert_eq!(code, Some(0));
    let (code, v) = can_json(&[
        "-p",
        "events.amazonaws.com",
        "-a",
        "sns:Publish",
        "-r",
        topic,
        "-c",
        "aws:SourceArn=arn:aws:events:eu-west-1:999999999999:rule/theirs",
    ]);
    assert_eq!(code, Some(3));
    // Without aws:SourceArn, the answer names the key it depends on.
    let (_, v2) = can_json(&[
        "-p",
        "events.amazonaws.com",
        "-a",
        "sns:Publish",
        "-r",
        topic,
    ]);
    let deps: Vec<&str> = v2["dependsOn"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["key"].as_str())
        .collect();
    assert!(
        deps.iter().any(|k| k.eq_ignore_ascii_case("aws:SourceArn")),
        "{deps:?} {v:#}"
    );
    // S3 User Guide, "Permissions for server access log delivery": the logging
    // service with aws:SourceAccount; the perimeter RCP exempts AWS services
    // (aws:PrincipalIsAWSService) but not plain HTTP.
    let logs = "arn:aws:s3:::part-shared-reports/logs/2026-12-04";
    let (code, v) = can_json(&[
        "-p",
        "logging.s3.amazonaws.com",
        "-a",
        "s3:PutObject",
        "-r",
        logs,
        "-c",
        "aws:SourceAccount=222222222222",
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(code, Some(0), "{v:#}");
    let (code, _) = can_json(&[
        "-p",
        "logging.s3.amazonaws.com",
        "-a",
        "s3:PutObject",
        "-r",
        logs,
        "-c",
        "aws:SourceAccount=222222222222",
        "-c",
        "aws:SecureTransport=false",
    ]);
    assert_eq!(code, Some(4));
}

#[test]
fn the_table_names_the_assumption() {
    let out = orgscope(&[
        "can",
        ORG,
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        REPORT,
        "-c",
        "aws:SecureTransport=true",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Allowed"), "{text}");
    assert!(
        text.contains("its identity policies, permissions boundary and SCPs are unknown"),
        "{text}"
    );
}
