//! The incremental diff against the questions asked from scratch: for random
//! scenarios on generated orgs, every line of `impact` (which re-decides only what a
//! change touches) equals who-can asked of the org before and of the changed org
//! written out and loaded anew; `can` agrees with every line; and the full path
//! (`ImpactOptions::full`) gives the same diff.

use std::collections::{BTreeMap, BTreeSet};

use orgscope::analysis::{self, Ask, WhoCanAnswer};
use orgscope::org::{Org, PolicyOrigin};
use orgscope::scenario::impact::{Impact, resources_for};
use orgscope::scenario::{Change, Document, ImpactOptions, OrgPolicyKind, Scenario, impact};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const ACTIONS: [&str; 5] = [
    "s3:GetObject",
    "s3:PutObject",
    "iam:CreateUser",
    "sts:AssumeRole",
    "sqs:SendMessage",
];

fn doc(effect: &str, action: &str, resource: &str) -> Document {
    Document::new(format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "Action": "{action}", "Resource": "{resource}"}}]}}"#
    ))
}

/// `*`, or for an S3 action every other time a part of a bucket that no policy names
/// (`BUCKET/part3/*`): the diff must ask that part as objects of its own.
fn resource(org: &Org, rng: &mut Rng, action: &str, n: usize) -> String {
    let buckets: Vec<&str> = org
        .resources()
        .iter()
        .map(|r| &*r.arn)
        .filter(|a| a.contains(":s3:::"))
        .collect();
    if action.starts_with("s3:") && !buckets.is_empty() && rng.next().is_multiple_of(2) {
        format!("{}/part{n}/*", rng.pick(&buckets))
    } else {
        "*".into()
    }
}

/// One random change that applies to `org`.
fn change(org: &Org, rng: &mut Rng, n: usize) -> Vec<Change> {
    let ous: Vec<String> = org.ous().iter().map(|o| o.id.to_string()).collect();
    let accounts: Vec<String> = org.accounts().iter().map(|a| a.id.to_string()).collect();
    let roles: Vec<String> = org.roles().iter().map(|r| r.arn.to_string()).collect();
    let users: Vec<&orgscope::org::User> = org.users().iter().collect();
    let action = *rng.pick(&ACTIONS);
    match rng.next() % 7 {
        0 => {
            let name = format!("Deny{n}");
            let target = if rng.next().is_multiple_of(2) {
                rng.pick(&ous).clone()
            } else {
                rng.pick(&accounts).clone()
            };
            vec![
                Change::CreateOrgPolicy {
                    kind: OrgPolicyKind::Scp,
                    name: name.clone(),
                    description: None,
                    document: doc("Deny", action, &resource(org, rng, action, n)),
                },
                Change::Attach {
                    kind: OrgPolicyKind::Scp,
                    policy: name,
                    target,
                },
            ]
        }
        1 => {
            let mgmt = org
                .management_account()
                .map(|a| org.account(a).id.to_string());
            let account = accounts
                .iter()
                .find(|a| Some(*a) != mgmt.as_ref() && rng.next().is_multiple_of(2))
                .unwrap_or(&accounts[1])
                .clone();
            let current = org.account(org.account_by_id(&account).unwrap()).parent;
            let to = ous.iter().find(|o| match current {
                orgscope::org::Parent::Ou(c) => org.ou(c).id.as_ref() != o.as_str(),
                orgscope::org::Parent::Root => true,
            });
            vec![Change::MoveAccount {
                account,
                to: to.cloned().unwrap_or_else(|| "root".into()),
            }]
        }
        2 => {
            let u = rng.pick(&users);
            let acct = org.account(u.account);
            let group = acct
                .groups
                .iter()
                .map(|&g| org.group(g))
                .find(|g| !u.groups.iter().any(|&x| org.group(x).arn == g.arn));
            match group {
                Some(g) => vec![Change::AddUserToGroup {
                    user: u.arn.to_string(),
                    group: g.name().to_string(),
                }],
                None => vec![],
            }
        }
        3 => {
            let r = rng.pick(&roles).clone();
            let role = org.role(
                org.principal_by_arn(&r)
                    .and_then(|p| match p {
                        orgscope::org::PrincipalIx::Role(r) => Some(r),
                        _ => None,
                    })
                    .unwrap(),
            );
            let acct = org.account(role.account);
            let boundary = acct
                .policies
                .iter()
                .find(|&&p| matches!(org.policy(p).origin, PolicyOrigin::CustomerManaged(_)));
            match boundary {
                Some(&p) => vec![Change::SetBoundary {
                    principal: r,
                    policy: org.policy_name(p).to_string(),
                }],
                None => vec![],
            }
        }
        4 => vec![Change::PutInlinePolicy {
            principal: rng.pick(&roles).clone(),
            name: format!("Extra{n}"),
            document: doc("Allow", action, &resource(org, rng, action, n)),
        }],
        5 => {
            let res: Vec<&orgscope::org::Resource> = org
                .resources()
                .iter()
                .filter(|r| r.arn.contains(":s3:::"))
                .collect();
            let r = rng.pick(&res);
            let other = rng.pick(&accounts);
            vec![Change::PutResourcePolicy {
                resource: r.arn.to_string(),
                account: None,
                document: Document::new(format!(
                    r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": ["arn:aws:iam::{other}:root", "arn:aws:iam::123456789012:root"]}}, "Action": "s3:*", "Resource": "{}/*"}}]}}"#,
                    r.arn
                )),
            }]
        }
        _ => {
            let other = rng.pick(&accounts);
            vec![Change::SetTrustPolicy {
                role: rng.pick(&roles).clone(),
                document: Document::new(format!(
                    r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": ["arn:aws:iam::{other}:root", "arn:aws:iam::123456789012:role/Partner"]}}, "Action": "sts:AssumeRole"}}]}}"#
                )),
            }]
        }
    }
}

fn standings(w: &WhoCanAnswer) -> BTreeMap<String, &'static str> {
    let mut m = BTreeMap::new();
    for h in w.allowed.iter().chain(&w.root_users) {
        m.insert(h.principal.clone(), "allowed");
    }
    for h in &w.conditional {
        m.insert(h.principal.clone(), "conditional");
    }
    m
}

type Line = (
    String,
    String,
    String,
    Option<&'static str>,
    Option<&'static str>,
);

/// The diff asked from scratch: who-can on both orgs for every question.
fn reference(before: &Org, after: &Org, i: &Impact) -> BTreeSet<Line> {
    let mut out = BTreeSet::new();
    for action in &i.actions {
        for resource in resources_for(before, after, action) {
            let ask = Ask {
                action: action.clone(),
                resource: resource.clone(),
                ..Ask::default()
            };
            let (Ok(b), Ok(a)) = (
                analysis::who_can(before, &ask),
                analysis::who_can(after, &ask),
            ) else {
                continue;
            };
            let (sb, sa) = (standings(&b), standings(&a));
            for p in sb.keys().chain(sa.keys()) {
                let (x, y) = (sb.get(p).copied(), sa.get(p).copied());
                if x != y {
                    out.insert((p.clone(), action.clone(), resource.clone(), x, y));
                }
            }
        }
    }
    out
}

fn word(s: orgscope::scenario::impact::Standing) -> &'static str {
    match s {
        orgscope::scenario::impact::Standing::Allowed => "allowed",
        orgscope::scenario::impact::Standing::Conditional => "conditional",
    }
}

fn lines(i: &Impact) -> BTreeSet<Line> {
    let mut out = BTreeSet::new();
    for a in &i.accounts {
        for p in &a.principals {
            for x in &p.gained {
                out.insert((
                    p.principal.clone(),
                    x.action.clone(),
                    x.resource.clone(),
                    None,
                    Some(word(x.standing)),
                ));
            }
            for x in &p.lost {
                out.insert((
                    p.principal.clone(),
                    x.action.clone(),
                    x.resource.clone(),
                    Some(word(x.standing)),
                    None,
                ));
            }
            for x in &p.changed {
                out.insert((
                    p.principal.clone(),
                    x.action.clone(),
                    x.resource.clone(),
                    Some(word(x.before)),
                    Some(word(x.after)),
                ));
            }
        }
    }
    out
}

/// The incremental diff of `after` (changed in memory from `org`) equals the questions
/// asked before and after on `scratch` (the changed org built anew), and the full
/// path's diff; its lines.
fn agrees(
    org: &Org,
    after: &Org,
    scratch: &Org,
    options: &ImpactOptions,
    what: &str,
) -> BTreeSet<Line> {
    let inc = impact(org, after, &[], options).unwrap();
    let got = lines(&inc);
    assert_eq!(got, reference(org, scratch, &inc), "{what}");
    let full = ImpactOptions {
        full: true,
        ..options.clone()
    };
    assert_eq!(
        inc,
        impact(org, after, &[], &full).unwrap(),
        "the full path differs; {what}"
    );
    got
}

#[test]
fn incremental_diff_equals_the_questions_asked_from_scratch() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut nonempty = 0;
    for (round, seed) in [3u64, 11].iter().enumerate() {
        let org = orgscope::org::generate::generate_org(4, *seed);
        for k in 0..4 {
            let mut changes = Vec::new();
            for n in 0..(1 + rng.next() % 3) as usize {
                changes.extend(change(&org, &mut rng, round * 100 + k * 10 + n));
            }
            let scenario = Scenario {
                description: None,
                changes,
            };
            let after = match orgscope::scenario::apply(&org, &scenario) {
                Ok(a) => a,
                // Two random changes can conflict (the same account moved twice to
                // where it is): that is a refusal, not a diff to check.
                Err(e) => {
                    eprintln!("skipped: {e}");
                    continue;
                }
            };
            // The changed org written out and read anew: built from scratch.
            let text = orgscope::org::export::to_native_text(&after);
            let scratch = orgscope::org::load_str("scratch.json", &text)
                .0
                .expect("the changed org loads");
            let options = ImpactOptions {
                actions: Some(ACTIONS.iter().map(|s| s.to_string()).collect()),
                ..ImpactOptions::default()
            };
            let got = agrees(
                &org,
                &after,
                &scratch,
                &options,
                &format!("seed {seed}, scenario {scenario:#?}"),
            );
            // `can` says the same of every line.
            for (p, action, resource, before, after_s) in got.iter().take(8) {
                let ask = Ask {
                    action: action.clone(),
                    resource: resource.clone(),
                    ..Ask::default()
                };
                let allowed = |org: &Org| {
                    analysis::can(org, p, &ask)
                        .map(|a| a.decision == orgscope::engine::Decision::Allowed)
                        .unwrap_or(false)
                };
                assert_eq!(
                    allowed(&org),
                    *before == Some("allowed"),
                    "{p} {action} {resource} before"
                );
                assert_eq!(
                    allowed(&scratch),
                    *after_s == Some("allowed"),
                    "{p} {action} {resource} after"
                );
            }
            if !got.is_empty() {
                nonempty += 1;
            }
        }
    }
    eprintln!("{nonempty} scenarios changed something");
    assert!(
        nonempty >= 4,
        "too few scenarios changed anything ({nonempty}) to test the agreement"
    );
}

/// The changed org keeps every document the scenario did not change: the same text,
/// byte for byte, and the same compiled policy (it is not compiled again). The diff
/// finds what changed by that text, so a document written anew must not differ.
#[test]
fn applying_keeps_the_documents_it_does_not_change() {
    let org = orgscope::org::load_builtin_acme();
    let scenario = Scenario {
        description: None,
        changes: vec![Change::Attach {
            kind: OrgPolicyKind::Scp,
            policy: "DenyAll".into(),
            target: "Dev".into(),
        }],
    };
    let after = orgscope::scenario::apply(&org, &scenario).unwrap();
    let mut kept = 0;
    for p in org.policies() {
        let Some(arn) = &p.arn else { continue };
        let policy = |o: &Org| match o.by_arn(arn) {
            Some(orgscope::org::Entity::Policy(x)) => x,
            other => panic!("{arn}: {other:?}"),
        };
        let (bp, ap) = (policy(&org), policy(&after));
        assert_eq!(org.doc(bp).text, after.doc(ap).text, "{arn}");
        assert!(
            std::sync::Arc::ptr_eq(org.compiled(bp), after.compiled(ap)),
            "{arn} was compiled again"
        );
        kept += 1;
    }
    assert!(kept > 5, "too few policies with an ARN to check ({kept})");
}

/// A document edited to the same policy laid out differently changes nothing: no
/// action is asked (the default action set comes from changed documents) and no line
/// is given. Its text differs, so only the canonical comparison can say so.
#[test]
fn a_document_laid_out_anew_is_not_a_change() {
    let org = orgscope::org::load_builtin_acme();
    assert!(matches!(
        org.by_name("DenyLeaveOrganization"),
        orgscope::org::NameLookup::Unique(_)
    ));
    let same = r#"{"Statement":[{"Resource":"*","Action":"organizations:LeaveOrganization","Effect":"Deny","Sid":"DenyLeave"}],"Version":"2012-10-17"}"#;
    let edit = |text: &str| Scenario {
        description: None,
        changes: vec![Change::EditOrgPolicy {
            kind: OrgPolicyKind::Scp,
            policy: "DenyLeaveOrganization".into(),
            document: Document::new(text),
        }],
    };
    let after = orgscope::scenario::apply(&org, &edit(same)).unwrap();
    let i = impact(&org, &after, &[], &ImpactOptions::default()).unwrap();
    assert!(i.actions.is_empty(), "asked {:?}", i.actions);
    assert!(i.is_empty());
    // The same edit with another action is a change, and asks that action.
    let other = same.replace("organizations:LeaveOrganization", "iam:CreateUser");
    let after = orgscope::scenario::apply(&org, &edit(&other)).unwrap();
    let i = impact(&org, &after, &[], &ImpactOptions::default()).unwrap();
    assert!(
        i.actions.contains(&"iam:CreateUser".to_string())
            && i.actions
                .contains(&"organizations:LeaveOrganization".to_string()),
        "asked {:?}",
        i.actions
    );
}

/// Every move of an account between the generated org's branches agrees with the
/// questions asked from scratch and with the full path: into the Sandbox allow-list
/// OU and out of it, between production (DataPerimeter RCP) and staging (none), into
/// a regulated OU and to the root. A move that changes an account's RCPs narrows the
/// re-decided principals of its resources to its own and those its resource policies
/// name (Organizations User Guide, "Resource control policies": an RCP only denies;
/// IAM User Guide, "Cross-account policy evaluation logic"): the base org first gives
/// a bucket of each moved account a policy naming another account, so that a
/// principal let in from elsewhere is among those the move can change.
#[test]
fn moves_between_deny_list_allow_list_and_rcp_branches_agree() {
    let actions: Vec<String> = ACTIONS
        .iter()
        .copied()
        .chain(["kms:Decrypt", "sqs:ReceiveMessage", "ec2:RunInstances"])
        .map(String::from)
        .collect();
    let options = ImpactOptions {
        actions: Some(actions),
        ..ImpactOptions::default()
    };
    let mut changed = 0;
    let mut elsewhere = 0;
    for seed in [3u64] {
        let generated = orgscope::org::generate::generate_org(12, seed);
        let ids: Vec<String> = generated
            .accounts()
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        // A policy on a bucket of every account, letting in the next account.
        let mut grants = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            let other = &ids[(i + 1) % ids.len()];
            let bucket = generated
                .resources()
                .iter()
                .find(|r| r.arn.contains(":s3:::") && &*generated.account(r.account).id == id);
            if let Some(b) = bucket {
                grants.push(Change::PutResourcePolicy {
                    resource: b.arn.to_string(),
                    account: None,
                    document: Document::new(format!(
                        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{other}:root"}}, "Action": ["s3:*", "kms:*", "sqs:*"], "Resource": ["{0}", "{0}/*"]}}]}}"#,
                        b.arn
                    )),
                });
            }
        }
        assert!(!grants.is_empty(), "the generated org has buckets");
        // An RCP on the first staging OU that refuses s3:PutObject to everyone: a
        // move in or out changes what the principals let in from elsewhere can do.
        let staging = generated
            .ous()
            .iter()
            .find(|o| o.name.starts_with("stag-"))
            .map(|o| o.id.to_string())
            .expect("a staging OU");
        grants.push(Change::CreateOrgPolicy {
            kind: OrgPolicyKind::Rcp,
            name: "DenyPutInStaging".into(),
            description: None,
            document: Document::new(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*"}]}"#,
            ),
        });
        grants.push(Change::Attach {
            kind: OrgPolicyKind::Rcp,
            policy: "DenyPutInStaging".into(),
            target: staging,
        });
        let org = orgscope::scenario::apply(
            &generated,
            &Scenario {
                description: None,
                changes: grants,
            },
        )
        .unwrap();
        let mgmt = org
            .management_account()
            .map(|a| org.account(a).id.to_string());
        let targets: Vec<String> = ["Sandbox", "prod-", "stag-", "regulated-"]
            .iter()
            .filter_map(|name| {
                org.ous()
                    .iter()
                    .find(|o| o.name.starts_with(name))
                    .map(|o| o.id.to_string())
            })
            .chain(["root".to_string()])
            .collect();
        assert_eq!(targets.len(), 5, "seed {seed}: {targets:?}");
        for account in org.accounts().iter().step_by(3) {
            if mgmt.as_deref() == Some(&*account.id) {
                continue;
            }
            for to in &targets {
                let scenario = Scenario {
                    description: None,
                    changes: vec![Change::MoveAccount {
                        account: account.id.to_string(),
                        to: to.clone(),
                    }],
                };
                // A move to where the account already is is refused.
                let Ok(after) = orgscope::scenario::apply(&org, &scenario) else {
                    continue;
                };
                let text = orgscope::org::export::to_native_text(&after);
                let scratch = orgscope::org::load_str("scratch.json", &text)
                    .0
                    .expect("the changed org loads");
                let got = agrees(
                    &org,
                    &after,
                    &scratch,
                    &options,
                    &format!("seed {seed}, {} to {to}", account.id),
                );
                changed += usize::from(!got.is_empty());
                // A line of another account's principal: on a resource of the moved
                // account, what the narrowing must keep.
                elsewhere += got
                    .iter()
                    .filter(|(p, ..)| !p.contains(&format!(":{}:", account.id)))
                    .count();
            }
        }
    }
    eprintln!("{changed} moves changed something, {elsewhere} lines of other accounts");
    assert!(changed >= 5, "too few moves changed anything: {changed}");
    assert!(elsewhere > 0, "no move changed another account's principal");
}

/// A boundary set, removed or replaced on a role changes what others may do to that
/// role where a policy reads `iam:PermissionsBoundary`: IAM sets the key on requests
/// that act on a user or role to the ARN of the boundary it has (Service Authorization
/// Reference, IAM, condition key `iam:PermissionsBoundary`; IAM User Guide,
/// "Permissions boundaries for IAM entities", delegating with a boundary condition).
/// The change is to the role, but the answer that changes is another principal's: the
/// diff must re-decide the role as a resource.
#[test]
fn a_boundary_change_on_a_role_changes_who_may_act_on_it_where_a_policy_reads_the_key() {
    let generated = orgscope::org::generate::generate_org(4, 3);
    // The management account: SCPs do not apply to it, so only the condition decides.
    let mgmt = generated
        .management_account()
        .expect("a management account");
    let id = generated.account(mgmt).id.to_string();
    let user = generated
        .users()
        .iter()
        .find(|u| u.account == mgmt)
        .expect("a user in the management account")
        .arn
        .to_string();
    let role = generated
        .roles()
        .iter()
        .find(|r| r.account == mgmt && !r.arn.contains("aws-service-role"))
        .expect("a role in the management account")
        .arn
        .to_string();
    let guarded = format!("arn:aws:iam::{id}:policy/Guarded");
    let managed = |name: &str| Change::PutManagedPolicy {
        account: id.clone(),
        name: name.into(),
        document: doc("Allow", "s3:GetObject", "*"),
    };
    let set = |name: &str| Change::SetBoundary {
        principal: role.clone(),
        policy: name.into(),
    };
    let attach_when_guarded = Change::PutInlinePolicy {
        principal: user.clone(),
        name: "AttachWhenGuarded".into(),
        document: Document::new(format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": "*", "Condition": {{"StringEquals": {{"iam:PermissionsBoundary": "{guarded}"}}}}}}]}}"#
        )),
    };
    let org = orgscope::scenario::apply(
        &generated,
        &Scenario {
            description: None,
            changes: vec![
                managed("Guarded"),
                managed("GuardedCopy"),
                attach_when_guarded,
            ],
        },
    )
    .unwrap();
    let guarded_org = orgscope::scenario::apply(
        &org,
        &Scenario {
            description: None,
            changes: vec![set("Guarded")],
        },
    )
    .unwrap();
    // (from, change, the user's standing on the role after): with no boundary the key
    // is absent, as the role fixes it (the user cannot send another value): denied;
    // with `Guarded` the user is allowed; with `GuardedCopy` (the same document,
    // another ARN) the key is set and does not match: denied.
    let cases = [
        (&org, set("Guarded"), Some("allowed")),
        (&guarded_org, set("GuardedCopy"), None),
        (
            &guarded_org,
            Change::RemoveBoundary {
                principal: role.clone(),
            },
            None,
        ),
    ];
    for (from, change, now) in cases {
        let scenario = Scenario {
            description: None,
            changes: vec![change],
        };
        let after = orgscope::scenario::apply(from, &scenario).unwrap();
        let text = orgscope::org::export::to_native_text(&after);
        let scratch = orgscope::org::load_str("scratch.json", &text)
            .0
            .expect("the changed org loads");
        let options = ImpactOptions {
            actions: Some(vec!["iam:AttachRolePolicy".into()]),
            ..ImpactOptions::default()
        };
        let got = agrees(from, &after, &scratch, &options, &format!("{scenario:#?}"));
        let line = got
            .iter()
            .find(|(p, a, r, ..)| *p == user && a == "iam:AttachRolePolicy" && *r == role)
            .unwrap_or_else(|| panic!("no line for the user on the role: {got:#?}"));
        assert_eq!(line.4, now, "{scenario:#?}");
    }
}
