//! who-can and guardrails on a resource pattern (`arn:aws:s3:::BUCKET/*`, or `*` for
//! an action that acts on resources). A request names one resource (IAM User Guide,
//! "IAM JSON policy elements: Resource": a statement matches the request's resource
//! ARN), so "who can do A on the pattern" is "who can on some resource it covers".
//! Asking the pattern's text as one resource missed every statement narrower than it:
//! a public `reports/*` prefix, a grant on `arn:aws:iam::*:user/*`, a `${aws:username}`
//! resource; each such guardrail held where AWS lets a request through.

#[path = "common/acme.rs"]
mod acme;

use acme::{acme, acme_with as with};
use orgscope::analysis::pattern::{Outcome as Covered, can_pattern};
use orgscope::analysis::{self, Ask, Watch};
use orgscope::org::Org;
use orgscope::scenario::expect::{check, parse};

fn holds(org: &Org, line: &str) -> bool {
    let e = parse("e.txt", line).unwrap_or_else(|e| panic!("{e}"));
    check(org, &e).unwrap_or_else(|e| panic!("{e}"))[0].holds
}

fn ask(action: &str, resource: &str, context: &[(&str, &str)]) -> Ask {
    Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        context: context
            .iter()
            .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
            .collect(),
        ..Ask::default()
    }
}

/// A bucket policy that lets everyone read one prefix of the bucket: the guardrail
/// about all its objects fails, naming the statement and a covered object.
#[test]
fn a_public_prefix_breaks_nobody_outside_on_the_bucket_pattern() {
    let line =
        "nobody outside the organization can s3:GetObject on arn:aws:s3:::acme-data-dev-lake/*";
    assert!(holds(&acme(), line));
    let org = with("public-lake-reports.json");
    let e = parse("e.txt", line).unwrap();
    let out = &check(&org, &e).unwrap()[0];
    assert!(!out.holds, "{out:#?}");
    let b = &out.breaking[0];
    assert_eq!(b.principal, "everyone *");
    assert!(
        b.why[0].contains("bucket policy Public")
            && b.why[0].contains("arn:aws:s3:::acme-data-dev-lake/reports/"),
        "{b:#?}"
    );
}

/// The same public prefix on the payments bucket, whose OU's RCP denies every caller
/// outside the organization (`DenyOutsiders`, on `aws:PrincipalOrgID`, AWS services
/// excepted): no outsider can send the organization's id or call as an AWS service
/// (IAM User Guide, "AWS global condition context keys"), so the guardrail holds, as
/// `can` says for an anonymous caller with any context.
#[test]
fn a_perimeter_rcp_keeps_a_public_prefix_shut_to_outsiders() {
    let line =
        "nobody outside the organization can s3:GetObject on arn:aws:s3:::acme-payments-data/*";
    let org = with("public-payments-reports.json");
    let e = parse("e.txt", line).unwrap();
    let out = &check(&org, &e).unwrap()[0];
    assert!(out.holds, "{out:#?}");
    let object = "arn:aws:s3:::acme-payments-data/reports/q1.csv";
    let a = ask(
        "s3:GetObject",
        object,
        &[
            ("aws:SecureTransport", "true"),
            ("aws:RequestedRegion", "eu-central-1"),
        ],
    );
    let anonymous = analysis::can(&org, "anonymous", &a).unwrap();
    assert_eq!(
        anonymous.decision,
        orgscope::engine::Decision::ExplicitlyDenied
    );
    let who = analysis::who_can(&org, &a).unwrap();
    let everyone = who.outside.iter().find(|o| o.kind == "everyone").unwrap();
    assert!(everyone.when.is_empty(), "{everyone:#?}");
}

/// An identity grant on `arn:aws:iam::*:user/*` lets dana create users in her own
/// account; `user dana cannot iam:CreateUser on *` must fail, and say on which user.
#[test]
fn a_grant_narrower_than_star_breaks_cannot_on_star() {
    let line = "user dana cannot iam:CreateUser on *";
    assert!(holds(&acme(), line));
    let org = with("dana-creates-users.json");
    let e = parse("e.txt", line).unwrap();
    let out = &check(&org, &e).unwrap()[0];
    assert!(!out.holds, "{out:#?}");
    let b = &out.breaking[0];
    assert_eq!(b.principal, "arn:aws:iam::222222222222:user/dana");
    assert_eq!(b.standing, "allowed");
    assert!(
        b.why[0].starts_with("on arn:aws:iam::222222222222:user/"),
        "{b:#?}"
    );
    assert!(b.why.iter().any(|w| w.contains("MakeUsers")), "{b:#?}");
}

/// A Resource with `${aws:username}` (IAM User Guide, "IAM policy elements: Variables
/// and tags") is the caller's own user: dana may create her own keys and nobody
/// else's, so "dana cannot ... on *" fails on her own ARN and "nobody outside
/// security" still holds for the other accounts' users.
#[test]
fn a_policy_variable_resource_is_asked_with_each_callers_values() {
    let org = with("dana-own-access-keys.json");
    let e = parse("e.txt", "user dana cannot iam:CreateAccessKey on *").unwrap();
    let out = &check(&org, &e).unwrap()[0];
    assert!(!out.holds, "{out:#?}");
    assert_eq!(
        out.breaking[0].why[0],
        "on arn:aws:iam::222222222222:user/dana"
    );
    assert!(holds(&acme(), "user dana cannot iam:CreateAccessKey on *"));
    assert!(holds(
        &org,
        "user dana cannot iam:CreateAccessKey on arn:aws:iam::222222222222:user/eve"
    ));
}

/// `X can ... on PATTERN` holds only where X is allowed on every covered resource, as
/// `can` on a pattern says `allowedOnEvery`.
#[test]
fn can_on_a_pattern_means_on_every_covered_resource() {
    let org = with("dana-creates-users.json");
    // Allowed in her own account only: not on every user of every account.
    assert!(!holds(&org, "user dana can iam:CreateUser on *"));
    assert!(holds(
        &org,
        "user dana can iam:CreateUser on arn:aws:iam::222222222222:user/*"
    ));
}

/// The table and the JSON of a pattern answer: the classes asked, and for each
/// principal the resource where it stands so; lists are lists.
#[test]
fn who_can_on_a_pattern_names_the_resource_for_each_principal() {
    let org = with("dana-creates-users.json");
    let a =
        analysis::who_can_covering(&org, &ask("iam:CreateUser", "*", &[]), Watch::NONE).unwrap();
    assert!(!a.covered.is_empty());
    let dana = a
        .allowed
        .iter()
        .find(|h| h.principal == "arn:aws:iam::222222222222:user/dana")
        .expect("dana is allowed on some user of her account");
    assert!(
        dana.on
            .as_deref()
            .is_some_and(|r| r.starts_with("arn:aws:iam::222222222222:user/")),
        "{dana:?}"
    );
    let json = serde_json::to_value(&a).unwrap();
    assert!(json["covered"].is_array());
    assert!(json["allowed"][0]["on"].is_string(), "{json:#}");
    // One resource asked as it is: no `covered`, no `on`.
    let one = analysis::who_can_covering(
        &org,
        &ask("iam:CreateUser", "arn:aws:iam::222222222222:user/zoe", &[]),
        Watch::NONE,
    )
    .unwrap();
    assert!(one.covered.is_empty());
    assert!(one.allowed.iter().all(|h| h.on.is_none()));
}

/// Agreement with `can`: for every principal of the org, who-can on a pattern lists it
/// as allowed exactly when `can` on the pattern allows it on some covered resource,
/// and `can` on the resource it names allows it.
#[test]
fn who_can_on_a_pattern_agrees_with_can_for_every_principal() {
    let cases: Vec<(Org, Ask)> = vec![
        (
            with("dana-creates-users.json"),
            ask("iam:CreateUser", "*", &[]),
        ),
        (
            with("dana-own-access-keys.json"),
            ask("iam:CreateAccessKey", "*", &[]),
        ),
        (
            with("public-payments-reports.json"),
            ask(
                "s3:GetObject",
                "arn:aws:s3:::acme-payments-data/*",
                &[
                    ("aws:SecureTransport", "true"),
                    ("aws:RequestedRegion", "eu-central-1"),
                ],
            ),
        ),
        (acme(), ask("s3:PutObject", "arn:aws:s3:::*", &[])),
        (acme(), ask("sts:AssumeRole", "*", &[])),
        (
            acme(),
            ask("iam:PutRolePolicy", "arn:aws:iam::555555555555:role/*", &[]),
        ),
    ];
    for (org, q) in &cases {
        let a = analysis::who_can_covering(org, q, Watch::NONE).unwrap();
        let listed: Vec<&analysis::who_can::Hit> = a.allowed.iter().chain(&a.root_users).collect();
        let mut principals: Vec<String> = org.users().iter().map(|u| u.arn.to_string()).collect();
        principals.extend(org.roles().iter().map(|r| r.arn.to_string()));
        principals.extend(
            org.accounts()
                .iter()
                .map(|acc| format!("arn:aws:iam::{}:root", acc.id)),
        );
        for p in &principals {
            let by_can = can_pattern(org, p, q).unwrap_or_else(|e| panic!("{p}: {e}"));
            let hit = listed.iter().find(|h| &h.principal == p);
            assert_eq!(
                hit.is_some(),
                by_can.outcome != Covered::AllowedOnNone,
                "{p} {} {}: who-can {hit:?}, can {:?}",
                q.action,
                q.resource,
                by_can.outcome
            );
            if let Some(h) = hit {
                let on = Ask {
                    resource: h.on.clone().unwrap(),
                    ..q.clone()
                };
                let one = analysis::can(org, p, &on).unwrap();
                assert_eq!(
                    one.decision,
                    orgscope::engine::Decision::Allowed,
                    "{p} on {}",
                    on.resource
                );
            }
        }
    }
}
