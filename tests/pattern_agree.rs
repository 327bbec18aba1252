//! A resource-pattern answer must be exactly what asking `can` on each resource it
//! covers, one by one, gives: allowed on every one, on some, or on none. The pattern
//! path decides the org's resources through the engine's fast path and the rest by
//! classes; a class that mixed resources AWS decides differently would say "every"
//! or "none" where one resource says otherwise. This asks random principals, actions
//! and patterns on generated orgs (and the partners fixture) and checks the answer
//! against `can` on every concrete resource tried.

use orgscope::analysis::{self, Ask, pattern::Outcome};
use orgscope::engine::Decision;
use orgscope::org::Org;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

/// The actions asked, each with the shape of the ARNs it acts on (the resource types
/// of the AWS catalog), so that only resources the pattern covers for it are tried.
/// Whether an ARN is of the resource type an action acts on.
type Shape = fn(&str) -> bool;

const ACTIONS: &[(&str, Shape)] = &[
    ("s3:GetObject", is_object),
    ("s3:PutObject", is_object),
    ("s3:DeleteObject", is_object),
    ("s3:ListBucket", is_bucket),
    ("sts:AssumeRole", is_role),
    ("iam:DeleteRole", is_role),
    ("iam:PutRolePolicy", is_role),
    ("iam:PassRole", is_role),
    ("kms:Decrypt", is_key),
    ("sqs:SendMessage", is_queue),
];

fn is_object(arn: &str) -> bool {
    arn.strip_prefix("arn:aws:s3:::")
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(b, k)| !b.is_empty() && !k.is_empty())
}
fn is_bucket(arn: &str) -> bool {
    arn.strip_prefix("arn:aws:s3:::")
        .is_some_and(|b| !b.is_empty() && !b.contains('/'))
}
fn is_role(arn: &str) -> bool {
    segments(arn).is_some_and(|s| s[2] == "iam" && s[4].len() == 12 && s[5].starts_with("role/"))
}
fn is_key(arn: &str) -> bool {
    segments(arn).is_some_and(|s| s[2] == "kms" && s[4].len() == 12 && s[5].starts_with("key/"))
}
fn is_queue(arn: &str) -> bool {
    segments(arn)
        .is_some_and(|s| s[2] == "sqs" && !s[3].is_empty() && s[4].len() == 12 && !s[5].is_empty())
}

fn segments(arn: &str) -> Option<Vec<&str>> {
    let s: Vec<&str> = arn.splitn(6, ':').collect();
    (s.len() == 6 && s[0] == "arn").then_some(s)
}

/// IAM's ARN matching (IAM User Guide, "IAM JSON policy elements: Resource"): segment
/// by segment, `*` and `?` within a segment, the resource part matched whole.
fn covers(pattern: &str, arn: &str) -> bool {
    fn m(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => m(&p[1..], s) || (!s.is_empty() && m(p, &s[1..])),
            (Some(b'?'), Some(_)) => m(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => m(&p[1..], &s[1..]),
            _ => false,
        }
    }
    if pattern == "*" {
        return true;
    }
    match (segments(pattern), segments(arn)) {
        (Some(p), Some(a)) => p.iter().zip(&a).all(|(p, a)| m(p.as_bytes(), a.as_bytes())),
        _ => false,
    }
}

/// Texts that policies and the generator use in names, and made-up ones.
const FILLS: &[&str] = &[
    "x",
    "app-data-x",
    "jobs-0",
    "security-admin",
    "security-x",
    "app-1",
    "ops-002",
    "aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin",
    "aws-service-role/x.amazonaws.com/AWSServiceRole",
    "secret/app/x",
    "drafts/a.csv",
    "some/key",
];

/// Concrete resources to try: every resource and role the org holds, objects of its
/// buckets, and resources it does not hold in each of its accounts.
fn candidates(org: &Org) -> Vec<String> {
    let mut out = Vec::new();
    for r in org.resources() {
        out.push(r.arn.to_string());
        for f in FILLS {
            out.push(format!("{}/{f}", r.arn));
        }
    }
    out.extend(org.roles().iter().map(|r| r.arn.to_string()));
    for a in org.accounts().iter().take(8) {
        for f in FILLS {
            out.push(format!("arn:aws:iam::{}:role/{f}", a.id));
            out.push(format!("arn:aws:kms:eu-west-1:{}:key/{f}", a.id));
            out.push(format!("arn:aws:sqs:eu-west-1:{}:{f}", a.id));
        }
    }
    for f in FILLS {
        out.push(format!("arn:aws:s3:::{f}"));
        out.push(format!("arn:aws:s3:::{f}/{f}"));
    }
    out.sort();
    out.dedup();
    out
}

/// A random pattern: a held ARN cut short and ended with `*`, one character made `?`,
/// an account's roles, or `*`.
fn pattern(rng: &mut Rng, org: &Org, arns: &[String]) -> String {
    let arn = rng.pick(arns).clone();
    match rng.next() % 6 {
        0 => "*".to_string(),
        1 => "arn:aws:s3:::*".to_string(),
        2 => format!("arn:aws:iam::{}:role/*", rng.pick(org.accounts()).id),
        3 => {
            let mut chars: Vec<char> = arn.chars().collect();
            let i = 13 + (rng.next() as usize) % chars.len().saturating_sub(13).max(1);
            if i < chars.len() && chars[i] != ':' {
                chars[i] = '?';
            }
            chars.into_iter().collect()
        }
        _ => {
            let cut = 14 + (rng.next() as usize) % arn.len().saturating_sub(14).max(1);
            let cut = (0..=cut.min(arn.len()))
                .rev()
                .find(|&c| arn.is_char_boundary(c))
                .unwrap_or(0);
            format!("{}*", &arn[..cut])
        }
    }
}

fn principals(org: &Org) -> Vec<String> {
    let mut out: Vec<String> = org
        .users()
        .iter()
        .map(|u| u.arn.to_string())
        .chain(org.roles().iter().map(|r| r.arn.to_string()))
        .collect();
    out.extend(
        org.accounts()
            .iter()
            .take(3)
            .map(|a| format!("arn:aws:iam::{}:root", a.id)),
    );
    out.push("arn:aws:iam::210987654321:role/partner-auditor".to_string());
    out.push("sns.amazonaws.com".to_string());
    out.push("ecs-tasks.amazonaws.com".to_string());
    out
}

/// How many resources were tried, and which outcomes the answers gave.
#[derive(Default)]
struct Tally {
    tried: usize,
    every: usize,
    some: usize,
    none: usize,
}

/// Users of the `Admins` groups: the generated orgs' principals most often allowed.
fn admins(org: &Org) -> Vec<String> {
    org.users()
        .iter()
        .filter(|u| {
            u.groups
                .iter()
                .any(|&g| org.group(g).arn.ends_with("group/Admins"))
        })
        .map(|u| u.arn.to_string())
        .collect()
}

fn check(org: &Org, rng: &mut Rng, questions: usize) -> Tally {
    let who_all = principals(org);
    let admins = admins(org);
    let arns = candidates(org);
    let mut tally = Tally::default();
    for _ in 0..questions {
        let who = if !admins.is_empty() && rng.next().is_multiple_of(2) {
            rng.pick(&admins).clone()
        } else {
            rng.pick(&who_all).clone()
        };
        let &(action, shape) = rng.pick(ACTIONS);
        let fitting: Vec<&String> = arns
            .iter()
            .filter(|a| shape(a) && !a.contains("/aws-"))
            .collect();
        let pattern = if !fitting.is_empty() && rng.next().is_multiple_of(3) {
            // A narrow pattern of the action's own kind: where "every" is a likely
            // answer.
            let one = rng.pick(&fitting);
            let cut = one.rfind(['/', ':']).unwrap_or(one.len() - 1);
            format!("{}*", &one[..=cut])
        } else {
            pattern(rng, org, &arns)
        };
        let context = match rng.next() % 2 {
            0 => vec![],
            _ => vec![
                ("aws:SecureTransport".to_string(), vec!["true".to_string()]),
                (
                    "aws:RequestedRegion".to_string(),
                    vec!["eu-west-1".to_string()],
                ),
            ],
        };
        let ask = Ask {
            action: action.into(),
            resource: pattern.clone(),
            context,
            ..Ask::default()
        };
        let Ok(answer) = analysis::pattern::can_pattern(org, &who, &ask) else {
            continue;
        };
        let q = format!("{who} {action} {pattern}");
        match answer.outcome {
            Outcome::AllowedOnEvery => tally.every += 1,
            Outcome::AllowedOnSome => tally.some += 1,
            Outcome::AllowedOnNone => tally.none += 1,
        }
        // The examples are decided as `can` decides them.
        for (example, allowed) in [
            (&answer.allowed_example, true),
            (&answer.denied_example, false),
        ] {
            if let Some(e) = example {
                let one = Ask {
                    resource: e.resource.clone(),
                    ..ask.clone()
                };
                let d = analysis::can(org, &who, &one).unwrap().decision;
                assert_eq!(
                    d == Decision::Allowed,
                    allowed,
                    "{q}: example {}",
                    e.resource
                );
            }
        }
        // So is every class's resource.
        for c in &answer.classes {
            let one = Ask {
                resource: c.resource.clone(),
                ..ask.clone()
            };
            let d = analysis::can(org, &who, &one).unwrap().decision;
            assert_eq!(d, c.decision, "{q}: class {}", c.resource);
        }
        // And every concrete resource covered agrees with the set's answer.
        for r in arns.iter().filter(|r| shape(r) && covers(&pattern, r)) {
            let one = Ask {
                resource: r.clone(),
                ..ask.clone()
            };
            let Ok(a) = analysis::can(org, &who, &one) else {
                continue;
            };
            tally.tried += 1;
            let ok = match answer.outcome {
                Outcome::AllowedOnEvery => a.decision == Decision::Allowed,
                Outcome::AllowedOnNone => a.decision != Decision::Allowed,
                Outcome::AllowedOnSome => true,
            };
            assert!(
                ok,
                "{q}: the pattern says {}, can on {r} says {}",
                answer.outcome, a.decision
            );
            assert!(
                answer.classes.iter().any(|c| c.decision == a.decision),
                "{q}: {r} is {} and no class is",
                a.decision
            );
        }
    }
    tally
}

#[test]
fn pattern_answers_equal_can_on_each_resource_of_generated_orgs() {
    let mut all = Tally::default();
    for seed in 1..=3 {
        let org = orgscope::org::generate::generate_org(5, seed);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
        let t = check(&org, &mut rng, 80);
        all.tried += t.tried;
        all.every += t.every;
        all.some += t.some;
        all.none += t.none;
    }
    // Every outcome turns up: the check is not only of one kind of answer.
    assert!(all.tried > 300, "only {} resources tried", all.tried);
    assert!(
        all.every > 0 && all.some > 0 && all.none > 0,
        "{} every, {} some, {} none",
        all.every,
        all.some,
        all.none
    );
}

#[test]
fn pattern_answers_equal_can_on_each_resource_of_the_partners_fixture() {
    let org = orgscope::org::load(std::path::Path::new(
        "tests/fixtures/org/outside/partners.json",
    ))
    .unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let t = check(&org, &mut rng, 80);
    assert!(t.tried > 50, "only {} resources tried", t.tried);
    assert!(t.some > 0 && t.none > 0, "{} some, {} none", t.some, t.none);
}
