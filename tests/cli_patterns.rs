//! `can` with a resource pattern (`arn:aws:s3:::payroll/*`, `*`): answered for the
//! set of resources it covers, allowed on every one, on some, or on none, with one
//! resource of each class the policies treat alike. The answers agree with `can` on
//! every concrete resource tried.

use std::process::{Command, Output};

use orgscope::analysis::{self, Ask, pattern::Outcome};
use orgscope::engine::Decision;
use serde_json::Value;

const ORG: &str = "tests/fixtures/org/outside/partners.json";
const PARTNER: &str = "arn:aws:iam::210987654321:role/partner-auditor";
const TLS: [&str; 2] = ["-c", "aws:SecureTransport=true"];

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
fn allowed_on_every_object_of_a_bucket() {
    // IAM User Guide, "IAM JSON policy elements: Resource": ana's `Resource: *` covers
    // every object; the RCP's TLS condition is met.
    let mut args = vec![
        "-p",
        "ana",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::part-shared-reports/*",
    ];
    args.extend(TLS);
    let (code, v) = can_json(&args);
    assert_eq!(code, Some(0), "{v:#}");
    assert_eq!(v["outcome"], "allowedOnEvery");
    assert!(v["deniedExample"].is_null());
    assert!(
        v["classes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["decision"] == "Allowed")
    );
    assert!(v["notes"].as_array().unwrap().is_empty(), "{v:#}");
}

#[test]
fn allowed_on_none_when_a_deny_covers_the_whole_pattern() {
    // "Policy evaluation logic": NoPartnerDeletes denies every object of the bucket,
    // drafts/ included, though PartnerDeletesDrafts allows there.
    let mut args = vec![
        "-p",
        PARTNER,
        "-a",
        "s3:DeleteObject",
        "-r",
        "arn:aws:s3:::part-shared-reports/*",
    ];
    args.extend(TLS);
    let (code, v) = can_json(&args);
    assert_eq!(code, Some(4), "{v:#}");
    assert_eq!(v["outcome"], "allowedOnNone");
    let classes = v["classes"].as_array().unwrap();
    assert!(classes.len() >= 2, "drafts/ is a class of its own: {v:#}");
    assert!(classes.iter().all(|c| c["decision"] == "ExplicitlyDenied"));
}

#[test]
fn allowed_on_some_names_one_of_each() {
    // "Cross-account policy evaluation logic": the partner reads part-shared-reports
    // (PartnerReads), not part-payroll (its policy names only its own account).
    let mut args = vec![
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::part-*",
    ];
    args.extend(TLS);
    let (code, v) = can_json(&args);
    assert_eq!(code, Some(5), "{v:#}");
    assert_eq!(v["outcome"], "allowedOnSome");
    assert_eq!(
        v["allowedExample"]["resource"],
        "arn:aws:s3:::part-shared-reports/x"
    );
    assert!(
        v["allowedExample"]["summary"]
            .as_str()
            .unwrap()
            .contains("PartnerReads")
    );
    assert_eq!(
        v["deniedExample"]["resource"],
        "arn:aws:s3:::part-payroll/x"
    );
    assert_eq!(v["deniedExample"]["held"], true);
    // The table says the same.
    let mut args = vec![
        "can",
        ORG,
        "-p",
        PARTNER,
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::part-*",
    ];
    args.extend(TLS);
    let out = orgscope(&args);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("AllowedOnSome"), "{text}");
    assert!(
        text.contains("denied on arn:aws:s3:::part-payroll/x"),
        "{text}"
    );
}

#[test]
fn a_service_on_every_role_of_an_account() {
    // IAM User Guide, "AWS JSON policy elements: Principal": only Processor's trust
    // policy names lambda.amazonaws.com.
    let (code, v) = can_json(&[
        "-p",
        "lambda.amazonaws.com",
        "-a",
        "sts:AssumeRole",
        "-r",
        "arn:aws:iam::222222222222:role/*",
    ]);
    assert_eq!(code, Some(5), "{v:#}");
    assert_eq!(
        v["allowedExample"]["resource"],
        "arn:aws:iam::222222222222:role/Processor"
    );
}

#[test]
fn a_star_for_an_action_on_no_resource_stays_one_request() {
    // "Actions, resources, and condition keys": s3:ListAllMyBuckets has no resource
    // type; AWS authorizes it against `*`.
    let (code, v) = can_json(&[
        "-p",
        "ana",
        "-a",
        "s3:ListAllMyBuckets",
        "-r",
        "*",
        "-c",
        "aws:SecureTransport=true",
    ]);
    assert_eq!(code, Some(3), "{v:#}");
    assert_eq!(v["decision"], "ImplicitlyDenied");
    assert!(v.get("outcome").is_none());
}

#[test]
fn a_pattern_that_is_no_arn_is_refused() {
    let out = orgscope(&[
        "can",
        ORG,
        "-p",
        "ana",
        "-a",
        "s3:GetObject",
        "-r",
        "payroll*",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a resource pattern"), "{err}");
}

/// Concrete resources a pattern covers: its wildcards filled with texts the policies
/// and the org use, and the org's own resources.
fn concrete(pattern: &str, org: &orgscope::org::Org) -> Vec<String> {
    let fills = [
        "x",
        "drafts/a.csv",
        "logs/x",
        "q1.csv",
        "shared-reports/x",
        "payroll/x",
        "Processor",
        "PartnerAudit",
        "anything",
    ];
    let mut out: Vec<String> = fills
        .iter()
        .map(|f| pattern.replacen('*', f, 1).replace('*', "x"))
        .collect();
    for r in org.resources() {
        out.push(format!("{}/x", r.arn));
        out.push(r.arn.to_string());
    }
    out.extend(org.roles().iter().map(|r| r.arn.to_string()));
    let glob = |p: &str, s: &str| -> bool {
        // `*` any run; `?` one character.
        fn m(p: &[u8], s: &[u8]) -> bool {
            match (p.first(), s.first()) {
                (None, None) => true,
                (Some(b'*'), _) => m(&p[1..], s) || (!s.is_empty() && m(p, &s[1..])),
                (Some(b'?'), Some(_)) => m(&p[1..], &s[1..]),
                (Some(a), Some(b)) if a == b => m(&p[1..], &s[1..]),
                _ => false,
            }
        }
        m(p.as_bytes(), s.as_bytes())
    };
    out.retain(|r| glob(pattern, r) && !r.contains("accesspoint"));
    out.sort();
    out.dedup();
    out
}

#[test]
fn pattern_answers_agree_with_can_on_every_resource_tried() {
    let org = orgscope::org::load(std::path::Path::new(ORG)).unwrap();
    let questions: &[(&str, &str, &str)] = &[
        ("ana", "s3:GetObject", "arn:aws:s3:::part-shared-reports/*"),
        (PARTNER, "s3:GetObject", "arn:aws:s3:::part-*"),
        (
            PARTNER,
            "s3:DeleteObject",
            "arn:aws:s3:::part-shared-reports/*",
        ),
        (
            PARTNER,
            "s3:DeleteObject",
            "arn:aws:s3:::part-shared-reports/drafts/*",
        ),
        (
            "arn:aws:iam::333344445555:role/stranger",
            "s3:GetObject",
            "arn:aws:s3:::*",
        ),
        (
            "logging.s3.amazonaws.com",
            "s3:PutObject",
            "arn:aws:s3:::part-shared-reports/*",
        ),
        (
            "lambda.amazonaws.com",
            "sts:AssumeRole",
            "arn:aws:iam::222222222222:role/*",
        ),
        ("Processor", "s3:GetObject", "*"),
    ];
    for &(who, action, pattern) in questions {
        for ctx in [
            vec![],
            vec![("aws:SecureTransport".to_string(), vec!["true".to_string()])],
        ] {
            let ask = Ask {
                action: action.into(),
                resource: pattern.into(),
                context: ctx,
                ..Ask::default()
            };
            let answer = analysis::pattern::can_pattern(&org, who, &ask).unwrap();
            // Each class's resource is decided as `can` decides it.
            for c in &answer.classes {
                let one = Ask {
                    resource: c.resource.clone(),
                    ..ask.clone()
                };
                assert_eq!(analysis::can(&org, who, &one).unwrap().decision, c.decision);
            }
            let mut tried = 0;
            for r in concrete(pattern, &org) {
                let one = Ask {
                    resource: r.clone(),
                    ..ask.clone()
                };
                let Ok(a) = analysis::can(&org, who, &one) else {
                    continue;
                };
                tried += 1;
                let ok = match answer.outcome {
                    Outcome::AllowedOnEvery => a.decision == Decision::Allowed,
                    Outcome::AllowedOnNone => a.decision != Decision::Allowed,
                    Outcome::AllowedOnSome => true,
                };
                assert!(
                    ok,
                    "{who} {action} {pattern}: {} says {}, can on {r} says {}",
                    answer.resource, answer.outcome, a.decision
                );
                // Some: the resource's decision is one of its classes'.
                assert!(
                    answer.classes.iter().any(|c| c.decision == a.decision),
                    "{who} {action} {pattern}: {r} is {} and no class is",
                    a.decision
                );
            }
            assert!(tried > 0, "{who} {action} {pattern}: nothing tried");
        }
    }
}

#[test]
fn an_s3_resource_the_org_does_not_hold_is_said_to_be_assumed_in_the_principals_account() {
    // IAM User Guide, "AWS global condition context keys", aws:ResourceAccount: an S3
    // ARN names no account; the answer says which account it took.
    let out = orgscope(&[
        "can",
        "acme",
        "--format",
        "json",
        "-p",
        "dana",
        "-a",
        "s3:GetObject",
        "-r",
        "arn:aws:s3:::*",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let assumptions: Vec<&str> = v["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        assumptions
            .iter()
            .any(|a| a.contains("taken to be in the principal's account, 222222222222")),
        "{assumptions:?}"
    );
    assert!(
        v["classes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["held"] == false),
        "{v:#}"
    );
}
