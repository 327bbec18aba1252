//! `orgscope simulate` with a resource pattern: the case is answered for the set of
//! resources it covers (`outcome`), one resource of each class the policies treat
//! alike (`classes`), each decided as a plain case with that resource would be.

#[path = "common/simulate.rs"]
mod run;
use run::answers as simulate;

const CASES: &str = r#"{"defaults": {"request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject"},
  "identityPolicies": [{"name": "Read", "policy": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::payroll/public/*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}}]},
 "cases": [
  {"id": "some", "request": {"resourcePattern": "arn:aws:s3:::payroll/*"}},
  {"id": "every", "request": {"resourcePattern": "arn:aws:s3:::payroll/public/*"}},
  {"id": "none", "request": {"resourcePattern": "arn:aws:s3:::other/*"}},
  {"id": "own-home", "request": {"resourcePattern": "arn:aws:s3:::home/alice/*"}},
  {"id": "homes", "request": {"resourcePattern": "arn:aws:s3:::home/*"}},
  {"id": "no-resource-type", "request": {"action": "s3:ListAllMyBuckets", "resourcePattern": "*"}},
  {"id": "star", "request": {"resourcePattern": "*"}},
  {"id": "literal-star-object", "request": {"resource": "arn:aws:s3:::payroll/public/*"}},
  {"id": "both", "request": {"resource": "arn:aws:s3:::payroll/x", "resourcePattern": "arn:aws:s3:::payroll/*"}}
 ]}"#;

#[test]
fn a_pattern_case_is_answered_for_its_set() {
    // IAM User Guide, "IAM JSON policy elements: Resource" (wildcards) and "IAM policy
    // elements: Variables and tags" (aws:username in a Resource).
    let lines = simulate(CASES);
    let outcome = |id: &str| {
        lines
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("{id}: {lines:?}"))
            .clone()
    };
    assert_eq!(outcome("some")["outcome"], "allowedOnSome");
    assert_eq!(outcome("every")["outcome"], "allowedOnEvery");
    assert_eq!(outcome("none")["outcome"], "allowedOnNone");
    assert_eq!(outcome("own-home")["outcome"], "allowedOnEvery");
    // alice's own folder is a class of its own: the variable resolves to her name.
    let homes = outcome("homes");
    assert_eq!(homes["outcome"], "allowedOnSome", "{homes}");
    let classes = homes["classes"].as_array().unwrap();
    assert!(
        classes.iter().any(|c| c["decision"] == "Allowed"
            && c["resource"]
                .as_str()
                .unwrap()
                .starts_with("arn:aws:s3:::home/alice/")),
        "{homes}"
    );
    assert!(homes.get("decision").is_none());
    // An action on no resource type: `*` is the one resource, a plain case.
    let plain = outcome("no-resource-type");
    assert_eq!(plain["decision"], "ImplicitlyDenied");
    assert!(plain.get("outcome").is_none());
    // `*` for an action on resources: every resource of its types.
    assert_eq!(outcome("star")["outcome"], "allowedOnSome");
    // `resource` stays one resource, even one named `*`.
    assert_eq!(outcome("literal-star-object")["decision"], "Allowed");
    let both = outcome("both");
    assert!(
        both["error"].as_str().unwrap().contains("not both"),
        "{both}"
    );
    // Every class is decided as the plain case with its resource.
    for l in &lines {
        for c in l["classes"].as_array().into_iter().flatten() {
            let one = format!(
                r#"{{"request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": {}}},
                  "identityPolicies": [{{"Version": "2012-10-17", "Statement": [
                    {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::payroll/public/*"}},
                    {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${{aws:username}}/*"}}]}}]}}"#,
                c["resource"]
            );
            let single = simulate(&one);
            assert_eq!(single[0]["decision"], c["decision"], "{c} {single:?}");
        }
    }
}
