//! A Deny whose Resource has a `*` ending a segment covers what that `*` reaches across
//! the colons (IAM User Guide, "IAM JSON policy elements: Resource", "Using wildcards in
//! resource ARNs": "If the * wildcard is the last character of a resource ARN segment,
//! it can expand to match beyond the colon boundaries"), and can, who-can, what-can and
//! can on a pattern agree on it (tests/fixtures/audit7/crossing-deny.json).

use std::path::Path;

use orgscope::analysis::pattern::{Outcome, can_pattern};
use orgscope::analysis::{self, Ask, Filter};
use orgscope::engine::Decision;
use orgscope::org::Org;

const RUNNER: &str = "arn:aws:iam::222222222222:role/Runner";
const SECRET: &str = "arn:aws:lambda:us-east-1:222222222222:function:secret-report";
const PUBLIC: &str = "arn:aws:lambda:us-east-1:222222222222:function:public-report";

fn org() -> Org {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit7/crossing-deny.json");
    orgscope::org::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn ask(resource: &str) -> Ask {
    Ask {
        action: "lambda:InvokeFunction".into(),
        resource: resource.into(),
        ..Ask::default()
    }
}

#[test]
fn can_and_who_can_agree_that_the_deny_covers_the_secret_function() {
    let org = org();
    assert_eq!(
        analysis::can(&org, RUNNER, &ask(SECRET)).unwrap().decision,
        Decision::ExplicitlyDenied
    );
    assert_eq!(
        analysis::can(&org, RUNNER, &ask(PUBLIC)).unwrap().decision,
        Decision::Allowed
    );
    let secret = analysis::who_can::who_can(&org, &ask(SECRET)).unwrap();
    assert!(
        !secret.allowed.iter().any(|h| h.principal == RUNNER),
        "{:?}",
        secret.allowed
    );
    let public = analysis::who_can::who_can(&org, &ask(PUBLIC)).unwrap();
    assert!(
        public.allowed.iter().any(|h| h.principal == RUNNER),
        "{:?}",
        public.allowed
    );
}

#[test]
fn what_can_names_the_deny_within_its_grant() {
    let org = org();
    let filter = Filter {
        service: Some("lambda".into()),
        level: None,
    };
    let answer = analysis::what_can(&org, RUNNER, &filter, &[]).unwrap();
    let grant = answer
        .grants
        .iter()
        .find(|g| g.action == "lambda:InvokeFunction")
        .expect("InvokeFunction is granted");
    assert!(
        grant.denied_within.iter().any(|d| d == SECRET),
        "the held secret function is named: {grant:?}"
    );
    assert!(
        !grant.denied_within.iter().any(|d| d == PUBLIC),
        "the public one is not: {grant:?}"
    );
}

#[test]
fn a_pattern_over_functions_the_org_does_not_hold_finds_the_denied_class() {
    // No function of eu-west-1 is held: the classes come from the policies' patterns,
    // and the Deny's reach across the colons must be one of them, or every class would
    // be decided Allowed.
    let org = org();
    let answer = can_pattern(
        &org,
        RUNNER,
        &ask("arn:aws:lambda:eu-west-1:222222222222:function:*"),
    )
    .unwrap();
    assert_eq!(answer.outcome, Outcome::AllowedOnSome, "{answer:?}");
    let denied = answer.denied_example.as_ref().expect("a denied example");
    assert!(denied.resource.contains(":function:secret-"), "{denied:?}");
    assert_eq!(denied.decision, Decision::ExplicitlyDenied);
    // Every class agrees with `can` on its resource.
    for class in &answer.classes {
        assert_eq!(
            analysis::can(&org, RUNNER, &ask(&class.resource))
                .unwrap()
                .decision,
            class.decision,
            "{}",
            class.resource
        );
    }
}

#[test]
fn the_what_if_diff_of_dropping_the_deny_gains_the_secret_function_only() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit7");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .arg("what-if")
        .arg("--scenario")
        .arg(dir.join("drop-secret-deny.json"))
        .arg(dir.join("crossing-deny.json"))
        .args(["--actions", "lambda:InvokeFunction", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "someone gains");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gained: Vec<(&str, &str)> = v["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["principals"].as_array().unwrap())
        .flat_map(|p| {
            p["gained"].as_array().unwrap().iter().map(move |g| {
                (
                    p["principal"].as_str().unwrap(),
                    g["resource"].as_str().unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(gained, vec![(RUNNER, SECRET)], "{v:#}");
}
