//! AWS service principals as callers, through the engine (the simulate format): a
//! service has no identity policies, no SCP governs it, and only a resource policy
//! that names it lets it in; RCPs still apply, and the keys AWS sets for a service
//! call are set.

use orgscope::simulate::{evaluate, read_cases};

/// The decision (or error) of each case, in order.
fn decide(cases: &str) -> Vec<String> {
    read_cases(cases, false)
        .unwrap()
        .iter()
        .map(|c| {
            let line = evaluate(c, false);
            match (line.decision, line.error) {
                (Some(d), _) => {
                    let by = line
                        .blocked_by
                        .map(|l| format!(" {}", l.name()))
                        .unwrap_or_default();
                    format!("{d}{by}")
                }
                (None, Some(e)) => format!("error: {e}"),
                _ => "none".to_string(),
            }
        })
        .collect()
}

const TRUST_LAMBDA: &str = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#;

#[test]
fn a_trust_policy_lets_in_the_service_it_names_and_no_other() {
    // IAM User Guide, "AWS JSON policy elements: Principal", AWS service principals:
    // a role's trust policy names the services that may assume it.
    let cases = format!(
        r#"{{"defaults": {{"request": {{"action": "sts:AssumeRole", "resource": "arn:aws:iam::111122223333:role/fn"}},
             "resourcePolicy": {TRUST_LAMBDA}}},
           "cases": [
             {{"request": {{"principal": "lambda.amazonaws.com"}}}},
             {{"request": {{"principal": "ec2.amazonaws.com"}}}},
             {{"request": {{"principal": "lambda.amazonaws.com"}}, "resourcePolicy": null}}
           ]}}"#
    );
    assert_eq!(
        decide(&cases),
        [
            "Allowed",
            "ImplicitlyDenied resource",
            "ImplicitlyDenied resource"
        ]
    );
}

#[test]
fn no_scp_governs_a_service_and_no_identity_policy_grants_it() {
    // Organizations User Guide, "Service control policies": SCPs govern the IAM users
    // and roles of member accounts, not AWS service principals. An identity policy
    // cannot be attached to a service, so one in the case grants nothing.
    let cases = format!(
        r#"{{"defaults": {{"request": {{"principal": "lambda.amazonaws.com", "action": "sts:AssumeRole", "resource": "arn:aws:iam::111122223333:role/fn"}}}},
           "cases": [
             {{"resourcePolicy": {TRUST_LAMBDA}, "scps": [[]]}},
             {{"identityPolicies": [{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}]}}
           ]}}"#
    );
    assert_eq!(decide(&cases), ["Allowed", "ImplicitlyDenied resource"]);
}

#[test]
fn rcps_and_resource_denies_still_apply_to_a_service() {
    // Organizations User Guide, "Resource control policies": an RCP applies to every
    // request to the account's resources; AWS's data-perimeter RCP examples exempt
    // services with aws:PrincipalIsAWSService, which a service call sets to true
    // (IAM User Guide, "AWS global condition context keys").
    let bucket = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*",
       "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}]}"#;
    let perimeter = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
       "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}, "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}},
      {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
       "Condition": {"StringEquals": {"aws:PrincipalServiceName": "logging.s3.amazonaws.com"}, "Bool": {"aws:SecureTransport": "false"}}}]}"#;
    let cases = format!(
        r#"{{"defaults": {{"request": {{"principal": "logging.s3.amazonaws.com", "action": "s3:PutObject", "resource": "arn:aws:s3:::logs/x", "resourceAccount": "111122223333"}},
             "resourcePolicy": {bucket}, "rcps": [[{perimeter}]]}},
           "cases": [
             {{"request": {{"context": {{"aws:SourceAccount": "111122223333", "aws:SecureTransport": true}}}}}},
             {{"request": {{"context": {{"aws:SourceAccount": "999999999999", "aws:SecureTransport": true}}}}}},
             {{"request": {{"context": {{"aws:SourceAccount": "111122223333", "aws:SecureTransport": false}}}}}}
           ]}}"#
    );
    assert_eq!(
        decide(&cases),
        [
            "Allowed",
            "ImplicitlyDenied resource",
            "ExplicitlyDenied rcp"
        ]
    );
}

#[test]
fn a_deny_with_not_principal_spares_only_the_services_it_lists() {
    // IAM User Guide, "AWS JSON policy elements: NotPrincipal": a Deny with
    // NotPrincipal denies every caller it does not list.
    let policy = r#"{"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Principal": "*", "Action": "sns:Publish", "Resource": "*"},
      {"Effect": "Deny", "NotPrincipal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*"}]}"#;
    let cases = format!(
        r#"{{"defaults": {{"request": {{"action": "sns:Publish", "resource": "arn:aws:sns:eu-west-1:111122223333:t"}}, "resourcePolicy": {policy}}},
           "cases": [
             {{"request": {{"principal": "events.amazonaws.com"}}}},
             {{"request": {{"principal": "cloudwatch.amazonaws.com"}}}}
           ]}}"#
    );
    assert_eq!(decide(&cases), ["Allowed", "ExplicitlyDenied resource"]);
}

#[test]
fn a_service_principal_is_spelt_as_aws_spells_it() {
    // "AWS service principals": `<service>.amazonaws.com` (or `.amazonaws.com.cn`).
    let cases = r#"[
      {"request": {"principal": "Lambda.Amazonaws.com", "action": "s3:GetObject", "resource": "*"}},
      {"request": {"principal": ".amazonaws.com", "action": "s3:GetObject", "resource": "*"}}
    ]"#;
    for d in decide(cases) {
        assert!(
            d.starts_with("error:") && d.contains("is not a principal"),
            "{d}"
        );
    }
}
