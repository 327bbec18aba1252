//! who-can and can must agree: every principal who-can lists as allowed is allowed by
//! `can` for the same question, and every principal `can` allows is listed. who-can
//! skips principals with a prefilter and evaluates the rest in parallel; a prefilter
//! that dropped someone would report "nobody" where AWS allows, so this checks it
//! against the one-principal path over whole organizations and many questions.
//! Conditional principals must not be allowed as asked, and must be allowed once the
//! values who-can names are given.

use std::collections::BTreeSet;

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;
use orgscope::org::{Org, ResourceKind};

fn context(pairs: &[(&str, &str)]) -> Vec<(String, Vec<String>)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
        .collect()
}

/// Every user and role of the org, by ARN.
fn principals(org: &Org) -> Vec<String> {
    org.users()
        .iter()
        .map(|u| u.arn.to_string())
        .chain(org.roles().iter().map(|r| r.arn.to_string()))
        .collect()
}

/// Every principal, and every account's root user.
fn subjects(org: &Org) -> Vec<String> {
    let mut all = principals(org);
    all.extend(
        org.accounts()
            .iter()
            .map(|a| format!("arn:aws:iam::{}:root", a.id)),
    );
    all
}

/// Questions over every resource of the org, its roles, and a few resources it does
/// not hold.
fn questions(org: &Org) -> Vec<Ask> {
    let mut targets: Vec<(String, String)> = Vec::new();
    for r in org.resources() {
        let arn = r.arn.to_string();
        match r.kind {
            ResourceKind::S3Bucket => {
                targets.push(("s3:GetObject".into(), format!("{arn}/some/key")));
                targets.push(("s3:PutObject".into(), format!("{arn}/some/key")));
                targets.push(("s3:ListBucket".into(), arn));
            }
            ResourceKind::KmsKey => {
                targets.push(("kms:Decrypt".into(), arn.clone()));
                targets.push(("kms:PutKeyPolicy".into(), arn));
            }
            ResourceKind::SqsQueue => targets.push(("sqs:SendMessage".into(), arn)),
            _ => targets.push(("s3:GetObject".into(), arn)),
        }
    }
    for role in org.roles().iter().step_by(4) {
        targets.push(("sts:AssumeRole".into(), role.arn.to_string()));
    }
    targets.push((
        "s3:GetObject".into(),
        "arn:aws:s3:::not-in-any-org/x".into(),
    ));
    targets.push(("iam:CreateUser".into(), "*".into()));
    targets.push(("ec2:RunInstances".into(), "*".into()));
    targets.push((
        "kms:Decrypt".into(),
        "arn:aws:kms:eu-west-1:999988887777:key/outside".into(),
    ));
    let contexts = [
        context(&[
            ("aws:RequestedRegion", "eu-west-1"),
            ("aws:SecureTransport", "true"),
        ]),
        context(&[]),
    ];
    let mut asks = Vec::new();
    for (i, (action, resource)) in targets.into_iter().enumerate() {
        // Every question with the usual context; every third also with none, where
        // conditions come into play.
        let n = if i % 3 == 0 { 2 } else { 1 };
        for ctx in contexts.iter().take(n) {
            asks.push(Ask {
                action: action.clone(),
                resource: resource.clone(),
                context: ctx.clone(),
                ..Ask::default()
            });
        }
    }
    asks
}

fn agree(name: &str, org: &Org) {
    let principals = subjects(org);
    let asks = questions(org);
    let mut checked = 0;
    for ask in &asks {
        let who = analysis::who_can(org, ask).unwrap();
        let listed: BTreeSet<&str> = who
            .allowed
            .iter()
            .chain(&who.root_users)
            .map(|h| h.principal.as_str())
            .collect();
        let conditional: Vec<_> = who.conditional.iter().collect();
        for p in &principals {
            let can = analysis::can(org, p, ask).unwrap();
            let allowed = can.decision == Decision::Allowed;
            assert_eq!(
                allowed,
                listed.contains(p.as_str()),
                "{name}: can says {:?} for {p} on {} {} {:?}, who-can {} it",
                can.decision,
                ask.action,
                ask.resource,
                ask.context,
                if listed.contains(p.as_str()) {
                    "lists"
                } else {
                    "does not list"
                }
            );
            checked += 1;
        }
        for h in conditional {
            // Not allowed as asked; allowed with the values named (unless a value was
            // too large a search to work out).
            assert!(!listed.contains(h.principal.as_str()));
            if h.when.iter().any(|c| c.value.is_none()) {
                continue;
            }
            // can, asked the same, names a combination within who-can's that lets it
            // in (unless its search was too large to list any).
            let as_asked = analysis::can(org, &h.principal, ask).unwrap();
            let within = |c: &analysis::can::Change| {
                c.decision == Decision::Allowed && c.when.iter().all(|x| h.when.contains(x))
            };
            assert!(
                as_asked.changes.is_empty() || as_asked.changes.iter().any(within),
                "{name}: {} on {} {}: who-can says allowed when {:?}, can's changes are {:?}",
                h.principal,
                ask.action,
                ask.resource,
                h.when,
                as_asked.changes
            );
            let mut with = ask.clone();
            for c in &h.when {
                with.context
                    .push((c.key.clone(), vec![c.value.clone().unwrap()]));
            }
            let can = analysis::can(org, &h.principal, &with).unwrap();
            assert_eq!(
                can.decision,
                Decision::Allowed,
                "{name}: {} on {} {}: conditional when {:?}, but can says otherwise",
                h.principal,
                ask.action,
                ask.resource,
                h.when
            );
        }
    }
    assert!(checked > 0);
    eprintln!(
        "{name}: {} questions, {checked} principal answers compared",
        asks.len()
    );
}

#[test]
fn who_can_agrees_with_can_on_acme() {
    agree("acme", &orgscope::org::load_builtin_acme());
}

#[test]
fn who_can_agrees_with_can_on_the_export_sample() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-orgs/cloudsplaining-export");
    agree("cloudsplaining-export", &orgscope::org::load(&dir).unwrap());
}

#[test]
fn who_can_agrees_with_can_on_a_generated_org() {
    // Cross-account trusts, bucket policies naming other accounts, boundaries.
    agree("generated", &orgscope::org::generate::generate_org(6, 5));
}

/// Every grant what-can lists without conditions is allowed by `can` on each of its
/// resources (what-can evaluates many actions and resources on shared per-principal
/// data, re-pointed at each resource's account; `can` builds everything afresh).
fn what_can_agrees(name: &str, org: &Org, context: &[(String, Vec<String>)], every: usize) {
    let mut checked = 0;
    let principals = principals(org);
    for p in principals.iter().step_by(every) {
        let answer = analysis::what_can(org, p, &analysis::Filter::default(), context).unwrap();
        // A sample of each principal's grants: every grant of a small answer, one in
        // about 150 of a large one (an admin's 20,000).
        let step = (answer.grants.len() / 40).max(1);
        for g in answer
            .grants
            .iter()
            .step_by(step)
            .filter(|g| g.needs.is_empty())
        {
            for r in &g.resources {
                let ask = Ask {
                    action: g.action.clone(),
                    resource: r.clone(),
                    context: context.to_vec(),
                    ..Ask::default()
                };
                let can = analysis::can(org, p, &ask).unwrap();
                assert_eq!(
                    can.decision,
                    Decision::Allowed,
                    "{name}: what-can lists {} on {r} for {p}",
                    g.action
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
    eprintln!("{name}: {checked} what-can grants checked with can");
}

#[test]
fn what_can_agrees_with_can() {
    let eu = context(&[
        ("aws:RequestedRegion", "eu-west-1"),
        ("aws:SecureTransport", "true"),
    ]);
    let acme = orgscope::org::load_builtin_acme();
    what_can_agrees("acme", &acme, &eu, 2);
    what_can_agrees("acme, no context", &acme, &[], 4);
    // One principal in 25 of the generated org (what-can is slow in debug builds).
    let generated = orgscope::org::generate::generate_org(4, 9);
    what_can_agrees("generated", &generated, &eu, 25);
}

/// paths and can agree on every hop: each hop of a path that needs no context is an
/// AssumeRole that `can` allows, and every role a principal can assume directly is
/// among the roles paths finds from it.
fn paths_agree(name: &str, org: &Org, context: &[(String, Vec<String>)]) {
    let principals = principals(org);
    let roles: Vec<String> = org.roles().iter().map(|r| r.arn.to_string()).collect();
    let assume = |from: &str, to: &str| {
        let ask = Ask {
            action: "sts:AssumeRole".into(),
            resource: to.into(),
            context: context.to_vec(),
            ..Ask::default()
        };
        analysis::can(org, from, &ask).unwrap().decision
    };
    let mut hops = 0;
    for p in &principals {
        let answer = analysis::paths(org, p, None, context).unwrap();
        let reached: BTreeSet<&str> = answer.reachable.iter().map(|r| r.role.as_str()).collect();
        for r in answer.reachable.iter().filter(|r| r.needs.is_empty()) {
            // Escalation hops are re-decided step by step in tests/paths_agree.rs.
            for hop in r.edges.iter().filter(|e| e.via == "sts:AssumeRole") {
                assert_eq!(
                    assume(&hop.from, &hop.to),
                    Decision::Allowed,
                    "{name}: paths from {p} goes {} -> {}",
                    hop.from,
                    hop.to
                );
                hops += 1;
            }
        }
        for role in roles.iter().filter(|r| *r != p) {
            if assume(p, role) == Decision::Allowed {
                assert!(
                    reached.contains(role.as_str()),
                    "{name}: {p} can assume {role}, paths does not find it"
                );
            }
        }
    }
    eprintln!("{name}: {hops} hops checked");
}

#[test]
fn paths_agree_with_can() {
    let eu = context(&[
        ("aws:RequestedRegion", "eu-west-1"),
        ("aws:SecureTransport", "true"),
    ]);
    paths_agree("acme", &orgscope::org::load_builtin_acme(), &eu);
    paths_agree(
        "generated",
        &orgscope::org::generate::generate_org(3, 11),
        &eu,
    );
}
