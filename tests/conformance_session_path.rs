//! A role session given by its session ARN (`arn:aws:sts::A:assumed-role/ROLE/NAME`)
//! does not show its role's path, yet AWS sets aws:PrincipalArn to the role's ARN, path
//! included (IAM User Guide, "AWS global condition context keys", aws:PrincipalArn),
//! and only roles under /aws-service-role/ are service-linked ("Using service-linked
//! roles"). `orgscope simulate` takes the path `/` unless the context gives the role's
//! ARN, and says so on the line when a statement reads aws:PrincipalArn.

#[path = "common/simulate.rs"]
mod run;
use run::answers as simulate;

const DENY_TEAM_ROLES: &str = r#"{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:*","Resource":"*"},
  {"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/team/*"}}}]}"#;

#[test]
fn the_role_path_comes_from_aws_principal_arn_and_its_guess_is_noted() {
    let input = format!(
        r#"{{"defaults":{{"request":{{"principal":"arn:aws:sts::111122223333:assumed-role/deploy/ci","action":"s3:DeleteObject","resource":"arn:aws:s3:::b/k"}},"identityPolicies":[{DENY_TEAM_ROLES}]}},
        "cases":[{{"id":"guessed"}},
                 {{"id":"given","request":{{"context":{{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/team/deploy"}}}}}},
                 {{"id":"not-read","request":{{"action":"s3:GetObject"}},"identityPolicies":[{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}}]}}]}}"#
    );
    let lines = simulate(&input);
    assert_eq!(lines.len(), 3);
    // Taken at `/`: the Deny on role/team/* does not match, and the line says why.
    assert_eq!(lines[0]["decision"], "Allowed");
    let note = lines[0]["notes"][0].as_str().unwrap();
    assert!(
        note.contains("aws:PrincipalArn was taken as arn:aws:iam::111122223333:role/deploy"),
        "{note}"
    );
    assert!(note.contains("give its ARN as aws:PrincipalArn"), "{note}");
    // Given with its path: the Deny matches, nothing to note.
    assert_eq!(lines[1]["decision"], "ExplicitlyDenied");
    assert_eq!(lines[1]["notes"], serde_json::json!([]));
    // No statement reads the key: the path cannot matter.
    assert_eq!(lines[2]["decision"], "Allowed");
    assert_eq!(lines[2]["notes"], serde_json::json!([]));
}

/// A session of a role named `AWSServiceRoleFor...`, given by its session ARN only, is
/// taken as service-linked (exempt from SCPs) by its name, and the line says so; with
/// the role's ARN at `/` it is governed, with its /aws-service-role/ path it is not.
#[test]
fn a_session_taken_as_service_linked_by_its_name_is_noted() {
    let input = r#"{"defaults":{"request":{"principal":"arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForConfig/s","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},
        "identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}],
        "scps":[[{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}]]},
        "cases":[{"id":"by-name"},
                 {"id":"at-root","request":{"context":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/AWSServiceRoleForConfig"}}},
                 {"id":"by-path","request":{"context":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"}}}]}"#;
    let lines = simulate(input);
    assert_eq!(lines[0]["decision"], "Allowed");
    let note = lines[0]["notes"][0].as_str().unwrap();
    assert!(
        note.starts_with("taken as a service-linked role by its name"),
        "{note}"
    );
    assert_eq!(lines[1]["decision"], "ExplicitlyDenied");
    assert_eq!(lines[1]["notes"], serde_json::json!([]));
    assert_eq!(lines[2]["decision"], "Allowed");
    assert_eq!(lines[2]["notes"], serde_json::json!([]));
}
