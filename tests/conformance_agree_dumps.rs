//! Every question agrees with `can` on real authorization details: who-can lists
//! exactly the principals `can` allows, and what-can lists every action `can` allows a
//! principal, on a resource pattern that covers the resource, and no grant that `can`
//! denies on a resource of the principal's account without saying a Deny takes it back. The questions are drawn
//! from the orgs' own policies (each statement's actions and resources, each resource
//! policy's), over the real dumps copied in tests/fixtures (cloudsplaining's examples,
//! the AWS CLI documentation's, the audit fixtures) and acme.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use orgscope::analysis::{self, Ask, Filter};
use orgscope::catalog::Catalog;
use orgscope::engine::Decision;
use orgscope::org::Org;

fn fixture(rel: &str) -> Org {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    orgscope::org::load(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn orgs() -> Vec<(&'static str, Org)> {
    vec![
        ("acme", orgscope::org::load_builtin_acme()),
        (
            "cloudsplaining-export",
            fixture("sample-orgs/cloudsplaining-export"),
        ),
        (
            "cloudsplaining-example-authz-v2",
            fixture("tests/fixtures/audit4/cloudsplaining-example-authz-v2.json"),
        ),
        ("awscli-export", fixture("tests/fixtures/awscli-export")),
        (
            "cloudsplaining-sso-session",
            fixture("tests/fixtures/audit/cloudsplaining-sso-session.json"),
        ),
        (
            "role-resource-tags",
            fixture("tests/fixtures/audit/role-resource-tags.json"),
        ),
        (
            "grants-beyond-identity",
            fixture("tests/fixtures/audit4/grants-beyond-identity.json"),
        ),
    ]
}

/// How a what-can resource pattern covers an ARN (`*` any run, `?` one character).
fn glob(pattern: &str, text: &str) -> bool {
    orgscope::policy::Wildcard::new(pattern).matches(text)
}

/// A concrete resource for a statement's resource pattern: the pattern itself when it
/// names one resource, else its wildcards filled in.
fn concrete(pattern: &str) -> Option<String> {
    if pattern.contains("${") || !pattern.starts_with("arn:") {
        return None;
    }
    Some(pattern.replace(['*', '?'], "x"))
}

/// (action, resource) questions drawn from every statement of the org's policies: up to
/// two catalog actions each statement covers, on the resources it names (or the
/// resource a resource policy is attached to); deduplicated, at most `cap`.
fn questions(org: &Org, cap: usize) -> Vec<(String, String)> {
    let catalog = Catalog::get();
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    let mut add = |policy: &orgscope::policy::Policy, own: Option<&str>| {
        for st in policy.statements() {
            let resources: Vec<String> = match (own, st.resource_patterns()) {
                (_, Some((false, rs))) => rs.iter().filter_map(|r| concrete(r)).collect(),
                (Some(arn), _) => vec![arn.to_string()],
                _ => vec!["*".to_string()],
            };
            let actions: Vec<String> = catalog
                .actions()
                .filter(|a| {
                    orgscope::policy::Request::new(
                        "anonymous",
                        &a.full_name(),
                        "*",
                        None,
                        orgscope::policy::Context::default(),
                    )
                    .is_ok_and(|probe| st.covers_action(&probe))
                })
                .step_by(97)
                .take(2)
                .map(|a| a.full_name())
                .collect();
            for a in &actions {
                for r in resources.iter().take(2) {
                    out.insert((a.clone(), r.clone()));
                }
            }
        }
    };
    let arns: Vec<&str> = org
        .users()
        .iter()
        .map(|u| &*u.arn)
        .chain(org.roles().iter().map(|r| &*r.arn))
        .collect();
    for arn in arns {
        let ix = org.principal_by_arn(arn).unwrap();
        for p in org.identity_policies(ix) {
            add(org.compiled(p), None);
        }
    }
    for r in org.roles() {
        if let Some(t) = r.trust {
            add(org.compiled(t), Some(&r.arn));
        }
    }
    for r in org.resources() {
        if let Some(p) = r.policy {
            add(org.compiled(p), Some(&r.arn));
        }
    }
    out.into_iter().take(cap).collect()
}

fn subjects(org: &Org) -> Vec<String> {
    org.users()
        .iter()
        .map(|u| u.arn.to_string())
        .chain(org.roles().iter().map(|r| r.arn.to_string()))
        .chain(
            org.accounts()
                .iter()
                .map(|a| format!("arn:aws:iam::{}:root", a.id)),
        )
        .collect()
}

fn ask(action: &str, resource: &str) -> Ask {
    Ask {
        action: action.to_string(),
        resource: resource.to_string(),
        ..Ask::default()
    }
}

#[test]
fn who_can_lists_exactly_whom_can_allows_on_the_dumps() {
    let mut wrong = Vec::new();
    for (name, org) in orgs() {
        let subjects = subjects(&org);
        let qs = questions(&org, 60);
        assert!(!qs.is_empty(), "{name}: no questions drawn");
        for (action, resource) in &qs {
            let q = ask(action, resource);
            let Ok(who) = analysis::who_can(&org, &q) else {
                continue;
            };
            let listed: BTreeSet<&str> = who
                .allowed
                .iter()
                .chain(&who.root_users)
                .map(|h| h.principal.as_str())
                .collect();
            for p in &subjects {
                let Ok(can) = analysis::can(&org, p, &q) else {
                    continue;
                };
                let allowed = can.decision == Decision::Allowed;
                if allowed != listed.contains(p.as_str()) {
                    wrong.push(format!(
                        "{name}: {p} {action} {resource}: can {:?}, who-can {}",
                        can.decision,
                        if allowed {
                            "does not list it"
                        } else {
                            "lists it"
                        }
                    ));
                }
            }
        }
        eprintln!(
            "{name}: {} questions x {} subjects",
            qs.len(),
            subjects.len()
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn what_can_lists_every_action_can_allows_on_the_dumps() {
    let mut wrong = Vec::new();
    for (name, org) in orgs() {
        let qs = questions(&org, 60);
        let all: Vec<String> = org
            .users()
            .iter()
            .map(|u| u.arn.to_string())
            .chain(org.roles().iter().map(|r| r.arn.to_string()))
            .collect();
        // At most about 24 principals, spread over the org: what-can is slow in debug.
        let principals: Vec<&String> = all.iter().step_by(all.len() / 24 + 1).collect();
        // what-can per principal and service, asked once.
        let mut answers: BTreeMap<(String, String), Vec<analysis::what_can::Grant>> =
            BTreeMap::new();
        let mut checked = 0;
        for p in &principals {
            for (action, resource) in &qs {
                let p: &String = p;
                let Ok(can) = analysis::can(&org, p, &ask(action, resource)) else {
                    continue;
                };
                let service = action.split(':').next().unwrap().to_string();
                let grants = answers
                    .entry((p.clone(), service.clone()))
                    .or_insert_with(|| {
                        let filter = Filter {
                            service: Some(service.clone()),
                            ..Filter::default()
                        };
                        analysis::what_can(&org, p, &filter, &[]).unwrap().grants
                    });
                let covers = |g: &&analysis::what_can::Grant| {
                    g.action.eq_ignore_ascii_case(action)
                        && g.resources.iter().any(|r| glob(r, resource))
                };
                if can.decision != Decision::Allowed {
                    // A grant with no needs that covers a resource of the principal's own
                    // account (where a pattern is decided) and does not say a Deny takes
                    // it back would be a wrong Allowed.
                    let own = p.split(':').nth(4) == can.resource_account.as_deref();
                    // What AWS owns is named in the grant's `except`.
                    let owned = matches!(
                        can.explanation.blocked_by,
                        Some(orgscope::engine::Layer::Aws(_))
                    );
                    let wrongly = grants.iter().filter(covers).find(|g| {
                        own && g.needs.is_empty()
                            && (g.except.is_empty() || !owned)
                            && !g.denied_within.iter().any(|d| glob(d, resource))
                    });
                    if let Some(g) = wrongly {
                        wrong.push(format!(
                            "{name}: what-can lists {p} {action} on {:?}, can says {:?} on {resource}: {}",
                            g.resources, can.decision, can.summary
                        ));
                    }
                    continue;
                }
                let listed = grants.iter().any(|g| covers(&g));
                checked += 1;
                if !listed {
                    wrong.push(format!(
                        "{name}: can allows {p} {action} on {resource}: {}; what-can does not list it",
                        can.summary
                    ));
                }
            }
        }
        eprintln!("{name}: {checked} allowed answers looked up in what-can");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
