//! The in-memory apply against the reference (the org written out, edited and loaded
//! anew): for random scenarios of every change kind on generated orgs, where the
//! in-memory path gives a changed org, the reload path gives one too, with the same
//! export and the same answers to who-can and can; and `apply` (which tries memory
//! first) gives exactly the reload path's result, errors included.

use orgscope::analysis::{self, Ask};
use orgscope::org::{Org, PolicyOrigin, export};
use orgscope::scenario::{
    Change, Document, ImpactOptions, OrgPolicyKind, Scenario, apply, apply_by_reload,
    apply_in_memory, impact,
};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const ACTIONS: [&str; 5] = [
    "s3:GetObject",
    "s3:PutObject",
    "iam:CreateUser",
    "sts:AssumeRole",
    "kms:ScheduleKeyDeletion",
];

fn doc(effect: &str, action: &str) -> Document {
    Document::new(format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "Action": "{action}", "Resource": "*"}}]}}"#
    ))
}

/// Names a change may use: the org's, some made up, some of the scenario's own.
struct Names {
    nodes: Vec<String>,
    scps: Vec<String>,
    rcps: Vec<String>,
    principals: Vec<String>,
    users: Vec<String>,
    groups: Vec<String>,
    roles: Vec<String>,
    accounts: Vec<String>,
    managed: Vec<String>,
    resources: Vec<String>,
    inline: Vec<String>,
    /// Customer managed policies as (account id, name), the scenario's own included.
    own_managed: Vec<(String, String)>,
    /// SCPs and RCPs the scenario made (deleting one applies while it is attached
    /// nowhere).
    made: Vec<(OrgPolicyKind, String)>,
}

fn names(org: &Org) -> Names {
    let mut nodes = vec![
        "root".to_string(),
        "Root".to_string(),
        "nowhere".to_string(),
    ];
    nodes.extend(org.ous().iter().map(|o| o.id.to_string()));
    nodes.extend(org.ous().iter().map(|o| o.name.to_string()));
    nodes.extend(org.accounts().iter().map(|a| a.id.to_string()));
    nodes.extend(org.accounts().iter().map(|a| a.name.to_string()));
    let (mut scps, mut rcps) = (
        vec!["FullAWSAccess".to_string(), "New0".to_string()],
        vec!["RCPFullAWSAccess".to_string(), "New1".to_string()],
    );
    let name_of =
        |p: &orgscope::org::PolicyRecord| org.docs()[p.doc.index()].policy.name().to_string();
    for p in org.policies() {
        let name = name_of(p);
        // By name, and now and then by id or ARN (a built-in's too).
        let also = [p.id.as_deref(), p.arn.as_deref()];
        let list = match p.origin {
            PolicyOrigin::Scp => &mut scps,
            PolicyOrigin::Rcp => &mut rcps,
            _ => continue,
        };
        list.push(name);
        list.extend(also.into_iter().flatten().map(String::from));
    }
    let users: Vec<String> = org.users().iter().map(|u| u.arn.to_string()).collect();
    let groups: Vec<String> = org.groups().iter().map(|g| g.arn.to_string()).collect();
    let roles: Vec<String> = org.roles().iter().map(|r| r.arn.to_string()).collect();
    let mut principals: Vec<String> = users.iter().chain(&groups).chain(&roles).cloned().collect();
    principals.extend(org.users().iter().take(3).map(|u| u.name().to_string()));
    principals.extend(org.roles().iter().take(3).map(|r| r.name().to_string()));
    principals.push("arn:aws:iam::999999999999:role/nobody".into());
    let mut inline = vec!["Extra".to_string(), "extra".to_string()];
    for p in org.policies() {
        if matches!(p.origin, PolicyOrigin::Inline(_)) && inline.len() < 8 {
            inline.push(name_of(p));
        }
    }
    Names {
        nodes,
        scps,
        rcps,
        principals,
        users,
        groups,
        roles,
        accounts: org.accounts().iter().map(|a| a.id.to_string()).collect(),
        managed: [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/AdministratorAccess",
            "Nope",
        ]
        .into_iter()
        .map(String::from)
        // Customer managed ones too, by name and by ARN.
        .chain(
            org.policies()
                .iter()
                .filter_map(|p| match p.origin {
                    PolicyOrigin::CustomerManaged(_) => Some(name_of(p)),
                    _ => None,
                })
                .take(3),
        )
        .chain(
            org.policies()
                .iter()
                .filter_map(|p| match p.origin {
                    PolicyOrigin::CustomerManaged(_) => p.arn.as_deref().map(String::from),
                    _ => None,
                })
                .take(2),
        )
        .collect(),
        resources: org
            .resources()
            .iter()
            .take(5)
            .map(|r| r.arn.to_string())
            .collect(),
        inline,
        own_managed: org
            .policies()
            .iter()
            .filter_map(|p| match p.origin {
                PolicyOrigin::CustomerManaged(a) => {
                    Some((org.account(a).id.to_string(), name_of(p)))
                }
                _ => None,
            })
            .collect(),
        made: Vec::new(),
    }
}

/// One random change, of any kind; some do not apply.
fn change(n: &mut Names, rng: &mut Rng, i: usize) -> Change {
    let kind = if rng.next().is_multiple_of(3) {
        OrgPolicyKind::Rcp
    } else {
        OrgPolicyKind::Scp
    };
    let policies = match kind {
        OrgPolicyKind::Scp => n.scps.clone(),
        OrgPolicyKind::Rcp => n.rcps.clone(),
    };
    let action = *rng.pick(&ACTIONS);
    let effect = if rng.coin() { "Deny" } else { "Allow" };
    match rng.next() % 24 {
        0..=3 => Change::Attach {
            kind,
            policy: rng.pick(&policies).clone(),
            target: rng.pick(&n.nodes).clone(),
        },
        4..=5 => Change::Detach {
            kind,
            policy: rng.pick(&policies).clone(),
            target: rng.pick(&n.nodes).clone(),
        },
        6..=7 => {
            let name = format!("P{i}");
            match kind {
                OrgPolicyKind::Scp => n.scps.push(name.clone()),
                OrgPolicyKind::Rcp => n.rcps.push(name.clone()),
            }
            n.made.push((kind, name.clone()));
            Change::CreateOrgPolicy {
                kind,
                name,
                description: rng.coin().then(|| "made here".to_string()),
                document: doc(effect, action),
            }
        }
        8..=9 => Change::EditOrgPolicy {
            kind,
            policy: rng.pick(&policies).clone(),
            document: if rng.next().is_multiple_of(5) {
                Document::new("{\"Version\": \"2012-10-17\", \"Statement\": [")
            } else {
                doc(effect, action)
            },
        },
        10..=12 => Change::PutInlinePolicy {
            principal: rng.pick(&n.principals).clone(),
            name: rng.pick(&n.inline).clone(),
            document: doc(effect, action),
        },
        13 => match n.made.pop() {
            Some((kind, policy)) if rng.coin() => Change::DeleteOrgPolicy { kind, policy },
            _ => Change::DeleteOrgPolicy {
                kind,
                policy: rng.pick(&policies).clone(),
            },
        },
        14 => Change::MoveAccount {
            account: rng.pick(&n.accounts).clone(),
            to: rng.pick(&n.nodes).clone(),
        },
        15 => {
            let name = format!("Ou{i}");
            let parent = rng.pick(&n.nodes).clone();
            n.nodes.push(name.clone());
            Change::CreateOu { name, parent }
        }
        16 => Change::MoveOu {
            ou: rng.pick(&n.nodes).clone(),
            to: rng.pick(&n.nodes).clone(),
        },
        17 => {
            let (account, name) = match rng.next() % 3 {
                0 if !n.own_managed.is_empty() => rng.pick(&n.own_managed).clone(),
                _ => (rng.pick(&n.accounts).clone(), format!("M{i}")),
            };
            if rng.next().is_multiple_of(3) {
                Change::DeleteManagedPolicy { account, name }
            } else {
                n.own_managed.push((account.clone(), name.clone()));
                Change::PutManagedPolicy {
                    account,
                    // IAM names ignore case.
                    name: if rng.coin() {
                        name.to_lowercase()
                    } else {
                        name
                    },
                    document: doc(effect, action),
                }
            }
        }
        18 => Change::DeleteInlinePolicy {
            principal: rng.pick(&n.principals).clone(),
            name: rng.pick(&n.inline).clone(),
        },
        19 => {
            let principal = rng.pick(&n.principals).clone();
            let policy = rng.pick(&n.managed).clone();
            if rng.coin() {
                Change::AttachManagedPolicy { principal, policy }
            } else {
                Change::DetachManagedPolicy { principal, policy }
            }
        }
        20 => {
            let user = rng.pick(&n.users).clone();
            // Mostly a group of the user's own account, by ARN or by name.
            let account = user.split(':').nth(4).unwrap_or("").to_string();
            let own: Vec<String> = n
                .groups
                .iter()
                .filter(|g| g.split(':').nth(4) == Some(&*account))
                .cloned()
                .collect();
            let group = match rng.next() % 3 {
                0 if !own.is_empty() => rng.pick(&own).clone(),
                1 if !own.is_empty() => rng.pick(&own).rsplit('/').next().unwrap().to_lowercase(),
                _ => rng.pick(&n.groups).clone(),
            };
            if rng.coin() {
                Change::AddUserToGroup { user, group }
            } else {
                Change::RemoveUserFromGroup { user, group }
            }
        }
        21 => {
            let principal = if rng.coin() {
                rng.pick(&n.roles).clone()
            } else {
                rng.pick(&n.principals).clone()
            };
            if rng.coin() {
                Change::SetBoundary {
                    principal,
                    policy: rng.pick(&n.managed).clone(),
                }
            } else {
                Change::RemoveBoundary { principal }
            }
        }
        22 => match rng.next() % 3 {
            0 => Change::SetTrustPolicy {
                role: rng.pick(&n.roles).clone(),
                document: Document::new(
                    r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}"#,
                ),
            },
            1 => {
                let account = rng.pick(&n.accounts).clone();
                let name = format!("u{i}");
                n.principals
                    .push(format!("arn:aws:iam::{account}:user/{name}"));
                Change::CreateUser {
                    account,
                    name,
                    path: rng.coin().then(|| "/made/".to_string()),
                }
            }
            _ => Change::CreateRole {
                account: rng.pick(&n.accounts).clone(),
                name: format!("r{i}"),
                path: rng.coin().then(|| "/made/".to_string()),
                trust: Document::new(
                    r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
                ),
            },
        },
        _ => {
            if rng.coin() && !n.resources.is_empty() {
                Change::DeleteResourcePolicy {
                    resource: rng.pick(&n.resources).clone(),
                }
            } else {
                let resource = if rng.coin() && !n.resources.is_empty() {
                    rng.pick(&n.resources).clone()
                } else {
                    format!("arn:aws:s3:::agree-bucket-{}", rng.next() % 3)
                };
                Change::PutResourcePolicy {
                    account: (resource.contains("agree-") || rng.coin())
                        .then(|| rng.pick(&n.accounts).clone()),
                    resource,
                    document: Document::new(
                        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#,
                    ),
                }
            }
        }
    }
}

/// who-can for each sample action on `*` and on a resource of the org, and can for a
/// few principals, as JSON: what a user would read.
fn answers(org: &Org, principals: &[String], resources: &[String]) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for action in ACTIONS {
        for resource in std::iter::once("*".to_string()).chain(resources.iter().take(3).cloned()) {
            let ask = Ask {
                action: action.to_string(),
                resource,
                ..Ask::default()
            };
            out.push(match analysis::who_can(org, &ask) {
                Ok(a) => serde_json::to_value(a).unwrap(),
                Err(e) => serde_json::Value::String(e.to_string()),
            });
            for p in principals {
                out.push(match analysis::can(org, p, &ask) {
                    Ok(a) => serde_json::to_value(a).unwrap(),
                    Err(e) => serde_json::Value::String(e.to_string()),
                });
            }
        }
    }
    out
}

#[test]
fn the_in_memory_apply_builds_the_org_the_reload_builds() {
    let (mut in_memory, mut failed, mut total, mut moves_in_memory) = (0, 0, 0, 0);
    // Each op applied in memory, and scenarios only the reload path applied.
    let mut ops_in_memory = std::collections::BTreeMap::<&str, usize>::new();
    let mut reload_only = Vec::new();
    for seed in 1..=4u64 {
        let org = orgscope::org::generate::generate_org(4, seed);
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        for round in 0..64 {
            let mut n = names(&org);
            let len = 1 + (rng.next() % 2) as usize;
            let scenario = Scenario {
                description: None,
                changes: (0..len).map(|i| change(&mut n, &mut rng, i)).collect(),
            };
            total += 1;
            let reload = apply_by_reload(&org, &scenario);
            // `apply` answers exactly as the reference, errors included.
            match (&apply(&org, &scenario), &reload) {
                (Ok(a), Ok(b)) => assert_eq!(export::to_native(a), export::to_native(b)),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!(
                    "seed {seed} round {round}: apply {:?}, reload {:?}; {scenario:#?}",
                    a.as_ref().err(),
                    b.as_ref().err()
                ),
            }
            let Some(mem) = apply_in_memory(&org, &scenario) else {
                failed += reload.is_err() as usize;
                if reload.is_ok() {
                    reload_only.push(format!("{scenario:?}"));
                }
                continue;
            };
            in_memory += 1;
            moves_in_memory += usize::from(
                scenario
                    .changes
                    .iter()
                    .any(|c| matches!(c, Change::MoveAccount { .. })),
            );
            for c in &scenario.changes {
                *ops_in_memory.entry(c.op()).or_default() += 1;
            }
            let reload = reload.unwrap_or_else(|e| {
                panic!("seed {seed} round {round}: in memory applied, reload refused: {e}; {scenario:#?}")
            });
            assert_eq!(
                export::to_native(&mem),
                export::to_native(&reload),
                "seed {seed} round {round}: {scenario:#?}"
            );
            // The loaded org is left as it was.
            assert_eq!(
                export::to_native(&org),
                export::to_native(&apply_by_reload(&org, &Scenario::default()).unwrap())
            );
            // The diff, which on the in-memory org compares only what the edits wrote,
            // equals the diff on the reloaded org, which compares everything.
            let options = ImpactOptions {
                actions: Some(ACTIONS.iter().map(|a| a.to_string()).collect()),
                ..ImpactOptions::default()
            };
            assert_eq!(
                impact(&org, &mem, &[], &options).unwrap(),
                impact(&org, &reload, &[], &options).unwrap(),
                "seed {seed} round {round}: {scenario:#?}"
            );
            let principals: Vec<String> = n.principals.iter().step_by(7).take(3).cloned().collect();
            // The resources and roles whose policies changed are asked about first.
            let mut asked: Vec<String> = scenario
                .changes
                .iter()
                .filter_map(|c| match c {
                    Change::PutResourcePolicy { resource, .. }
                    | Change::DeleteResourcePolicy { resource } => Some(resource.clone()),
                    Change::SetTrustPolicy { role, .. } => Some(role.clone()),
                    _ => None,
                })
                .collect();
            asked.extend(n.resources.iter().cloned());
            assert_eq!(
                answers(&mem, &principals, &asked),
                answers(&reload, &principals, &asked),
                "seed {seed} round {round}: {scenario:#?}"
            );
        }
    }
    eprintln!("{in_memory} of {total} in memory ({moves_in_memory} with a move), {failed} refused");
    eprintln!("in memory: {ops_in_memory:?}");
    assert!(moves_in_memory >= 3, "{moves_in_memory} moves in memory");
    // Every kind is applied in memory, and the reload path applies nothing the
    // in-memory one gives up on.
    // (The deletions, which apply only to what nothing holds, are taken one by one
    // in `the_rest_of_the_kinds_are_changed_in_memory`.)
    for op in [
        "set_trust_policy",
        "put_resource_policy",
        "delete_resource_policy",
        "put_managed_policy",
        "create_user",
        "create_role",
        "create_ou",
        "move_ou",
    ] {
        assert!(
            ops_in_memory.get(op).is_some_and(|&k| k >= 2),
            "{op}: {ops_in_memory:?}"
        );
    }
    assert!(reload_only.is_empty(), "only by reload: {reload_only:#?}");
    // The sample exercises both paths and refusals.
    assert!(in_memory >= total / 5, "{in_memory} of {total} in memory");
    assert!(failed >= total / 10, "{failed} of {total} refused");
}

/// One change to the tree: an account moved (to an OU or the root, perhaps one made for
/// it), an OU moved, an SCP or RCP of the org attached or detached. Some do not apply.
fn tree_change(org: &Org, rng: &mut Rng, i: usize) -> Vec<Change> {
    let n = names(org);
    let ous: Vec<String> = org.ous().iter().map(|o| o.id.to_string()).collect();
    let account = rng.pick(&n.accounts).clone();
    let kind = if rng.next().is_multiple_of(3) {
        OrgPolicyKind::Rcp
    } else {
        OrgPolicyKind::Scp
    };
    let policies = match kind {
        OrgPolicyKind::Scp => &n.scps,
        OrgPolicyKind::Rcp => &n.rcps,
    };
    match rng.next() % 6 {
        0 | 1 => vec![Change::MoveAccount {
            account,
            to: if rng.next().is_multiple_of(4) {
                "root".to_string()
            } else {
                rng.pick(&ous).clone()
            },
        }],
        2 => {
            let name = format!("Fresh{i}");
            vec![
                Change::CreateOu {
                    name: name.clone(),
                    parent: rng.pick(&ous).clone(),
                },
                Change::Attach {
                    kind: OrgPolicyKind::Scp,
                    policy: "FullAWSAccess".into(),
                    target: name.clone(),
                },
                Change::MoveAccount { account, to: name },
            ]
        }
        3 => vec![Change::MoveOu {
            ou: rng.pick(&ous).clone(),
            to: rng.pick(&ous).clone(),
        }],
        4 => vec![Change::Attach {
            kind,
            policy: rng.pick(policies).clone(),
            target: rng.pick(&n.nodes).clone(),
        }],
        _ => vec![Change::Detach {
            kind,
            policy: rng.pick(policies).clone(),
            target: rng.pick(&n.nodes).clone(),
        }],
    }
}

/// The default actions of a change to the tree leave out those that every account's
/// SCP and RCP levels decide alike before and after (src/scenario/levels.rs): the diff
/// over them equals the diff over every action a policy of a changed level matches,
/// for random moves, new OUs, attachments and detachments on generated orgs and acme.
/// (Permissions-management actions, to keep the unpruned diff affordable.)
#[test]
fn the_default_actions_of_a_tree_change_miss_no_answer_that_changes() {
    use orgscope::catalog::{AccessLevel, Catalog};
    use orgscope::scenario::impact::matched_actions;
    use orgscope::scenario::touched::touched;
    let levels = vec![AccessLevel::PermissionsManagement];
    let (mut checked, mut pruned, mut nonempty, mut in_memory) = (0, 0, 0, 0);
    let orgs = [
        orgscope::org::generate::generate_org(5, 2),
        orgscope::org::generate::generate_org(6, 9),
        orgscope::org::load_builtin_acme(),
    ];
    for (k, org) in orgs.iter().enumerate() {
        let mut rng = Rng(0x7ee5_0000_0000_0001 + k as u64);
        for round in 0..16 {
            let scenario = Scenario {
                description: None,
                changes: tree_change(org, &mut rng, round),
            };
            let Ok(after) = apply(org, &scenario) else {
                continue;
            };
            // In memory where it can be: the same org and diff as the reference's.
            let reload = apply_by_reload(org, &scenario).unwrap();
            assert_eq!(export::to_native(&after), export::to_native(&reload));
            in_memory += usize::from(apply_in_memory(org, &scenario).is_some());
            let t = touched(org, &after);
            let every: Vec<String> =
                matched_actions(&[t.docs.clone(), t.level_docs.clone()].concat())
                    .into_iter()
                    .filter(|a| {
                        Catalog::get()
                            .action(a)
                            .is_some_and(|x| levels.contains(&x.level))
                    })
                    .collect();
            let default = impact(
                org,
                &after,
                &[],
                &ImpactOptions {
                    levels: Some(levels.clone()),
                    ..ImpactOptions::default()
                },
            )
            .unwrap();
            let unpruned = impact(
                org,
                &after,
                &[],
                &ImpactOptions {
                    actions: Some(every.clone()),
                    levels: Some(levels.clone()),
                    ..ImpactOptions::default()
                },
            )
            .unwrap();
            assert_eq!(
                (&default.accounts, &default.outside),
                (&unpruned.accounts, &unpruned.outside),
                "org {k} round {round}: {scenario:#?}"
            );
            let options = ImpactOptions {
                levels: Some(levels.clone()),
                ..ImpactOptions::default()
            };
            assert_eq!(
                default,
                impact(org, &reload, &[], &options).unwrap(),
                "org {k} round {round}: {scenario:#?}"
            );
            assert!(default.actions.iter().all(|a| every.contains(a)));
            checked += 1;
            pruned += usize::from(default.actions.len() < every.len());
            nonempty += usize::from(!default.accounts.is_empty());
        }
    }
    eprintln!("{checked} checked, {pruned} pruned, {nonempty} with a diff, {in_memory} in memory");
    // Not vacuous: actions were left out, diffs were found and kept, and the in-memory
    // path was taken.
    assert!(
        checked >= 12 && pruned >= 4 && nonempty >= 3 && in_memory >= 8,
        "{checked} {pruned} {nonempty} {in_memory}"
    );
}

/// Each principal-side kind done in memory, on acme: the in-memory org is made (no
/// reload), equals the reload one, and gives the same diff, one change at a time and
/// all together. (IAM: attaching a managed policy, group membership and permissions
/// boundaries change only the identity side of the principals concerned.)
#[test]
fn managed_policies_groups_and_boundaries_are_changed_in_memory() {
    let org = orgscope::org::load_builtin_acme();
    let s = |principal: &str| principal.to_string();
    let changes = vec![
        Change::AttachManagedPolicy {
            principal: s("WebApp"),
            policy: s("arn:aws:iam::aws:policy/AdministratorAccess"),
        },
        Change::DetachManagedPolicy {
            principal: s("PaymentsApp"),
            policy: s("paymentsdataaccess"),
        },
        Change::AttachManagedPolicy {
            principal: s("PaymentsDeployer"),
            policy: s("PaymentsDataAccess"),
        },
        Change::AddUserToGroup {
            user: s("frank"),
            group: s("Admins"),
        },
        Change::RemoveUserFromGroup {
            user: s("heidi"),
            group: s("admins"),
        },
        Change::SetBoundary {
            principal: s("PaymentsApp"),
            policy: s("DeployerBoundary"),
        },
        Change::RemoveBoundary {
            principal: s("PaymentsDeployer"),
        },
    ];
    let options = ImpactOptions {
        actions: Some(ACTIONS.iter().map(|a| a.to_string()).collect()),
        ..ImpactOptions::default()
    };
    // A group's policy changed after a user joins it reaches that user.
    let join_then_deny = vec![
        Change::AddUserToGroup {
            user: s("frank"),
            group: s("Admins"),
        },
        Change::PutInlinePolicy {
            principal: s("Admins"),
            name: s("NoPuts"),
            document: Document::new(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}"#,
            ),
        },
    ];
    let each = changes.iter().map(|c| vec![c.clone()]);
    for list in each.chain([changes.clone(), join_then_deny]) {
        let scenario = Scenario {
            description: None,
            changes: list,
        };
        let mem = apply_in_memory(&org, &scenario)
            .unwrap_or_else(|| panic!("not applied in memory: {scenario:#?}"));
        let reload = apply_by_reload(&org, &scenario).unwrap();
        assert_eq!(export::to_native(&mem), export::to_native(&reload));
        // Members are derived (the export writes the users' lists): the TUI and the
        // touched principals of a later group change read them.
        let members = |o: &Org| -> std::collections::BTreeMap<String, Vec<String>> {
            o.groups()
                .iter()
                .map(|g| {
                    let mut m: Vec<String> = g
                        .members
                        .iter()
                        .map(|&u| o.user(u).arn.to_string())
                        .collect();
                    m.sort();
                    (g.arn.to_string(), m)
                })
                .collect()
        };
        assert_eq!(members(&mem), members(&reload));
        let diff = impact(&org, &mem, &[], &options).unwrap();
        assert_eq!(diff, impact(&org, &reload, &[], &options).unwrap());
    }
    // A change that does not apply is left to the reload path, which names the fault.
    for wrong in [
        Change::DetachManagedPolicy {
            principal: s("WebApp"),
            policy: s("arn:aws:iam::aws:policy/AdministratorAccess"),
        },
        Change::AddUserToGroup {
            user: s("heidi"),
            group: s("Admins"),
        },
        Change::RemoveBoundary {
            principal: s("PaymentsApp"),
        },
        Change::SetBoundary {
            principal: s("Admins"),
            policy: s("DeployerBoundary"),
        },
    ] {
        let scenario = Scenario {
            description: None,
            changes: vec![wrong],
        };
        assert!(apply_in_memory(&org, &scenario).is_none(), "{scenario:#?}");
        assert!(apply(&org, &scenario).is_err());
    }
}

/// The kinds that once took the reload path, each on acme, one at a time and all
/// together: the in-memory org is made (no reload), equals the reload one, answers
/// who-can and can alike on the resources and roles changed, and gives the same diff
/// (which then re-decides the changed resource or trust policy for everyone: IAM User
/// Guide, "Policy evaluation logic": a resource-based policy is evaluated with the
/// identity-based policies of every caller, so a change to it may change any of them).
#[test]
fn the_rest_of_the_kinds_are_changed_in_memory() {
    let org = orgscope::org::load_builtin_acme();
    let s = |x: &str| x.to_string();
    let public = |action: &str| {
        Document::new(format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": "*", "Action": "{action}", "Resource": "*"}}]}}"#
        ))
    };
    let trust_to = |principal: &str| {
        Document::new(format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": "sts:AssumeRole"}}]}}"#
        ))
    };
    let scenarios: Vec<Vec<Change>> = vec![
        // A trust policy opened to another account.
        vec![Change::SetTrustPolicy {
            role: s("WebApp"),
            document: trust_to("arn:aws:iam::999999999999:root"),
        }],
        // A bucket policy made public; a new bucket with a policy; one removed.
        vec![Change::PutResourcePolicy {
            resource: s("arn:aws:s3:::acme-payments-data"),
            account: None,
            document: public("s3:GetObject"),
        }],
        vec![Change::PutResourcePolicy {
            resource: s("arn:aws:s3:::acme-brand-new"),
            account: Some(s("web-prod")),
            document: public("s3:PutObject"),
        }],
        vec![Change::DeleteResourcePolicy {
            resource: s("arn:aws:s3:::acme-public-website"),
        }],
        vec![Change::DeleteResourcePolicy {
            resource: s(
                "arn:aws:kms:eu-west-1:555555555555:key/9a7e0000-0000-4000-8000-000000000002",
            ),
        }],
        // A new default version of a managed policy held by roles; a new policy
        // attached; one made and deleted.
        vec![Change::PutManagedPolicy {
            account: s("payments-prod"),
            name: s("paymentsdataaccess"),
            document: doc("Allow", "s3:*"),
        }],
        vec![
            Change::PutManagedPolicy {
                account: s("666666666666"),
                name: s("Fresh"),
                document: doc("Allow", "iam:CreateUser"),
            },
            Change::AttachManagedPolicy {
                principal: s("WebApp"),
                policy: s("fresh"),
            },
        ],
        vec![
            Change::PutManagedPolicy {
                account: s("web-prod"),
                name: s("Gone"),
                document: doc("Allow", "s3:PutObject"),
            },
            Change::DeleteManagedPolicy {
                account: s("web-prod"),
                name: s("gone"),
            },
        ],
        vec![
            Change::CreateOrgPolicy {
                kind: OrgPolicyKind::Scp,
                name: s("Temp"),
                description: None,
                document: doc("Deny", "s3:PutObject"),
            },
            Change::DeleteOrgPolicy {
                kind: OrgPolicyKind::Scp,
                policy: s("Temp"),
            },
        ],
        vec![Change::DeleteInlinePolicy {
            principal: s("WebApp"),
            name: s("webappaccess"),
        }],
        // New principals, then given something.
        vec![
            Change::CreateUser {
                account: s("web-dev"),
                name: s("ivan"),
                path: Some(s("/contractors/")),
            },
            Change::AddUserToGroup {
                user: s("ivan"),
                group: s("Admins"),
            },
        ],
        vec![
            Change::CreateRole {
                account: s("web-dev"),
                name: s("Builder"),
                path: None,
                trust: trust_to("arn:aws:iam::444455556666:root"),
            },
            Change::PutInlinePolicy {
                principal: s("Builder"),
                name: s("Build"),
                document: doc("Allow", "s3:PutObject"),
            },
        ],
        // A new OU, an account moved into it, an OU moved.
        vec![
            Change::CreateOu {
                name: s("Lab"),
                parent: s("Workloads"),
            },
            Change::Attach {
                kind: OrgPolicyKind::Scp,
                policy: s("DenyAll"),
                target: s("Lab"),
            },
            Change::MoveAccount {
                account: s("sandbox-alice"),
                to: s("Lab"),
            },
        ],
        vec![Change::MoveOu {
            ou: s("Payments"),
            to: s("Sandbox"),
        }],
    ];
    let options = ImpactOptions {
        actions: Some(ACTIONS.iter().map(|a| a.to_string()).collect()),
        ..ImpactOptions::default()
    };
    let principals = [
        s("arn:aws:iam::666666666666:role/WebApp"),
        s("arn:aws:iam::555555555555:role/PaymentsApp"),
        s("frank"),
    ];
    let asked = [
        s("arn:aws:s3:::acme-payments-data/x"),
        s("arn:aws:iam::666666666666:role/WebApp"),
        s("arn:aws:s3:::acme-brand-new/x"),
    ];
    let all: Vec<Change> = scenarios.iter().flatten().cloned().collect();
    let mut diffs = 0;
    for list in scenarios.into_iter().chain([all]) {
        let scenario = Scenario {
            description: None,
            changes: list,
        };
        let mem = apply_in_memory(&org, &scenario)
            .unwrap_or_else(|| panic!("not applied in memory: {scenario:#?}"));
        let reload = apply_by_reload(&org, &scenario).unwrap();
        assert_eq!(
            export::to_native(&mem),
            export::to_native(&reload),
            "{scenario:#?}"
        );
        assert_eq!(
            answers(&mem, &principals, &asked),
            answers(&reload, &principals, &asked),
            "{scenario:#?}"
        );
        let diff = impact(&org, &mem, &[], &options).unwrap();
        assert_eq!(
            diff,
            impact(&org, &reload, &[], &options).unwrap(),
            "{scenario:#?}"
        );
        diffs += usize::from(!diff.accounts.is_empty() || !diff.outside.is_empty());
    }
    // Not vacuous: most of these change someone's answer.
    assert!(diffs >= 8, "{diffs} diffs");
    // Deleting a bucket's policy leaves the bucket in its account (S3 API Reference,
    // DeleteBucketPolicy deletes the policy of the bucket, not the bucket). With no
    // bucket policy, a principal of another account is not granted access (IAM User
    // Guide, "Cross-account policy evaluation logic": the resource-based policy must
    // allow it), so only the bucket's own account's principals may read it; a bucket
    // taken out of the org would have its account guessed from the caller's.
    let scenario = Scenario {
        description: None,
        changes: vec![Change::DeleteResourcePolicy {
            resource: s("arn:aws:s3:::acme-public-website"),
        }],
    };
    for changed in [
        apply_in_memory(&org, &scenario).unwrap(),
        apply_by_reload(&org, &scenario).unwrap(),
    ] {
        let r = changed
            .resource_by_arn("arn:aws:s3:::acme-public-website")
            .expect("the bucket stays");
        assert_eq!(
            &*changed.account(changed.resource(r).account).id,
            "666666666666"
        );
        assert!(changed.resource(r).policy.is_none());
        let ask = Ask {
            action: s("s3:GetObject"),
            resource: s("arn:aws:s3:::acme-public-website/index.html"),
            ..Ask::default()
        };
        let who = analysis::who_can(&changed, &ask).unwrap();
        assert_eq!(who.resource_account.as_deref(), Some("666666666666"));
        let readers: Vec<&str> = who
            .allowed
            .iter()
            .chain(&who.conditional)
            .map(|h| h.principal.as_str())
            .collect();
        assert!(!readers.is_empty());
        assert!(
            readers.iter().all(|p| p.contains(":666666666666:")),
            "{readers:?}"
        );
    }
    // A change that does not apply is left to the reload path, which names the fault.
    for wrong in [
        Change::DeleteOrgPolicy {
            kind: OrgPolicyKind::Scp,
            policy: s("DenyAll"),
        },
        Change::DeleteManagedPolicy {
            account: s("payments-prod"),
            name: s("PaymentsDataAccess"),
        },
        Change::DeleteResourcePolicy {
            resource: s("arn:aws:s3:::no-such-bucket"),
        },
        Change::CreateUser {
            account: s("web-dev"),
            name: s("FRANK"),
            path: None,
        },
        Change::CreateRole {
            account: s("web-dev"),
            name: s("bad name"),
            path: None,
            trust: trust_to("*"),
        },
        Change::MoveOu {
            ou: s("Workloads"),
            to: s("Payments"),
        },
        Change::CreateOu {
            name: s("Prod"),
            parent: s("Workloads"),
        },
        Change::PutResourcePolicy {
            resource: s("arn:aws:s3:::acme-payments-data"),
            account: Some(s("web-prod")),
            document: public("s3:GetObject"),
        },
        Change::SetTrustPolicy {
            role: s("frank"),
            document: trust_to("*"),
        },
    ] {
        let scenario = Scenario {
            description: None,
            changes: vec![wrong],
        };
        assert!(apply_in_memory(&org, &scenario).is_none(), "{scenario:#?}");
        assert!(apply(&org, &scenario).is_err(), "{scenario:#?}");
    }
}
