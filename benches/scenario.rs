//! What if on the generated 5,000-account organization: applying a scenario (in
//! memory, and by the reference path that builds the changed org anew) and the impact
//! diff for an SCP attached to the OU that holds about a fifth of the accounts, for one
//! role's inline policy, for one account moved one level deeper, and for it moved
//! into the staging OU beside its own and into the Sandbox allow-list OU; and applying
//! a trust policy edit and a bucket policy made public.
//!
//! `cargo bench --bench scenario`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use orgscope::org::{self, Org, Parent};
use orgscope::scenario::{
    Change, Document, ImpactOptions, OrgPolicyKind, Scenario, apply, apply_by_reload, impact,
};

/// The OU whose subtree holds the number of accounts closest to a fifth of them.
fn fifth_ou(org: &Org) -> (String, usize) {
    let target = org.accounts().len() / 5;
    let paths: Vec<Vec<usize>> = org
        .accounts()
        .iter()
        .map(|a| {
            let ix = org.account_by_id(&a.id).unwrap();
            org.ancestors(ix).iter().map(|o| o.index()).collect()
        })
        .collect();
    org.ous()
        .iter()
        .enumerate()
        .map(|(i, o)| {
            (
                o.id.to_string(),
                paths.iter().filter(|p| p.contains(&i)).count(),
            )
        })
        .min_by_key(|(_, n)| n.abs_diff(target))
        .unwrap()
}

fn deny_scp(ou: &str) -> Scenario {
    Scenario {
        description: None,
        changes: vec![
            Change::CreateOrgPolicy {
                kind: OrgPolicyKind::Scp,
                name: "DenyKeyDeletion".into(),
                description: None,
                document: Document::new(
                    r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}"#,
                ),
            },
            Change::Attach {
                kind: OrgPolicyKind::Scp,
                policy: "DenyKeyDeletion".into(),
                target: ou.into(),
            },
        ],
    }
}

fn inline(role: &str) -> Scenario {
    Scenario {
        description: None,
        changes: vec![Change::PutInlinePolicy {
            principal: role.into(),
            name: "Extra".into(),
            document: Document::new(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:CreateUser", "Resource": "*"}]}"#,
            ),
        }],
    }
}

/// An AWS managed policy the org holds, attached to `role` too (a change to one
/// principal's policy, done in memory).
fn attach_managed(org: &Org, role: &str) -> Scenario {
    let policy = org
        .policies()
        .iter()
        .filter(|p| p.origin == org::PolicyOrigin::AwsManaged)
        .filter_map(|p| p.arn.as_deref())
        .find(|arn| arn.ends_with("/AdministratorAccess"))
        .or_else(|| {
            org.policies()
                .iter()
                .filter(|p| p.origin == org::PolicyOrigin::AwsManaged)
                .find_map(|p| p.arn.as_deref())
        })
        .expect("an AWS managed policy in the generated org");
    Scenario {
        description: None,
        changes: vec![Change::AttachManagedPolicy {
            principal: role.into(),
            policy: policy.to_string(),
        }],
    }
}

/// Account 10 moved from its production OU into the regulated OU below it: one level
/// deeper, under FullAWSAccess everywhere plus the regulated OU's SCP.
fn move_deeper(org: &Org) -> Scenario {
    let account = &org.accounts()[10];
    let Parent::Ou(from) = account.parent else {
        panic!("account 10 sits under the root");
    };
    let to = org.ou(from).ous.first().expect("an OU below account 10's");
    Scenario {
        description: None,
        changes: vec![Change::MoveAccount {
            account: account.id.to_string(),
            to: org.ou(*to).id.to_string(),
        }],
    }
}

/// Account 10 moved out of its production OU into `to` (by OU id): the staging OU
/// beside it (leaves ProdGuardrails and the DataPerimeter RCP) or the Sandbox
/// allow-list OU (every action its allow-list leaves out is lost).
fn move_to(org: &Org, to: &str) -> Scenario {
    Scenario {
        description: None,
        changes: vec![Change::MoveAccount {
            account: org.accounts()[10].id.to_string(),
            to: to.into(),
        }],
    }
}

/// The staging OU beside account 10's production OU.
fn staging_beside(org: &Org) -> String {
    let Parent::Ou(from) = org.accounts()[10].parent else {
        panic!("account 10 sits under the root");
    };
    let Parent::Ou(bu) = org.ou(from).parent else {
        panic!("account 10's OU sits under the root");
    };
    org.ou(bu)
        .ous
        .iter()
        .map(|&o| org.ou(o))
        .find(|o| o.name.starts_with("stag-"))
        .expect("a staging OU beside the production one")
        .id
        .to_string()
}

/// Moves that change the account's SCPs and RCPs: what the diff costs follows the
/// actions they change, not the org.
fn moves_between_branches(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let options = ImpactOptions::default();
    let staging = move_to(&org, &staging_beside(&org));
    let sandbox = move_to(&org, "ou-gen0-sandbox0");
    let staging_after = apply(&org, &staging).unwrap();
    let sandbox_after = apply(&org, &sandbox).unwrap();
    for (name, after) in [("staging", &staging_after), ("sandbox", &sandbox_after)] {
        let i = impact(&org, after, &[], &options).unwrap();
        let lines: usize = i
            .accounts
            .iter()
            .flat_map(|a| &a.principals)
            .map(|p| p.gained.len() + p.lost.len() + p.changed.len())
            .sum();
        eprintln!(
            "move to {name}: {} actions, {} questions, {lines} lines",
            i.actions.len(),
            i.questions
        );
    }
    let mut g = c.benchmark_group("what_if_moves_5000_accounts");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    g.bench_function("impact_move_to_staging", |b| {
        b.iter(|| impact(&org, &staging_after, &[], black_box(&options)).unwrap())
    });
    g.bench_function("impact_move_to_sandbox", |b| {
        b.iter(|| impact(&org, &sandbox_after, &[], black_box(&options)).unwrap())
    });
    g.finish();
}

fn what_if(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let (ou, n) = fifth_ou(&org);
    eprintln!("OU {ou} holds {n} of {} accounts", org.accounts().len());
    let role = org.role(org.accounts()[10].roles[0]).arn.to_string();
    let scp = deny_scp(&ou);
    let one = inline(&role);
    let scp_after = apply(&org, &scp).unwrap();
    let one_after = apply(&org, &one).unwrap();
    let managed = attach_managed(&org, &role);
    let managed_after = apply(&org, &managed).unwrap();
    eprintln!("managed: {:?}", managed.changes);
    let moved = move_deeper(&org);
    let moved_after = apply(&org, &moved).unwrap();
    eprintln!("move: {:?}", moved.changes);
    let options = ImpactOptions::default();
    let i = impact(&org, &scp_after, &[], &options).unwrap();
    eprintln!(
        "SCP diff: {} actions, {} questions, {} accounts changed",
        i.actions.len(),
        i.questions,
        i.accounts.len()
    );
    let i = impact(&org, &one_after, &[], &options).unwrap();
    eprintln!(
        "inline diff: {} actions, {} questions, {} accounts changed",
        i.actions.len(),
        i.questions,
        i.accounts.len()
    );

    let i = impact(&org, &moved_after, &[], &options).unwrap();
    eprintln!(
        "move diff: {} actions, {} questions, {} accounts changed",
        i.actions.len(),
        i.questions,
        i.accounts.len()
    );

    let mut g = c.benchmark_group("what_if_5000_accounts");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    g.bench_function("apply_scp_at_ou", |b| {
        b.iter(|| apply(&org, black_box(&scp)).unwrap())
    });
    g.bench_function("apply_one_role_inline", |b| {
        b.iter(|| apply(&org, black_box(&one)).unwrap())
    });
    // The reference path (export, edit, load anew), for before/after in one run.
    g.bench_function("apply_by_reload_scp_at_ou", |b| {
        b.iter(|| apply_by_reload(&org, black_box(&scp)).unwrap())
    });
    g.bench_function("org_clone", |b| b.iter(|| black_box(&org).clone()));
    g.bench_function("impact_scp_at_ou", |b| {
        b.iter(|| impact(&org, &scp_after, &[], black_box(&options)).unwrap())
    });
    g.bench_function("impact_one_role_inline", |b| {
        b.iter(|| impact(&org, &one_after, &[], black_box(&options)).unwrap())
    });
    g.bench_function("apply_one_role_managed", |b| {
        b.iter(|| apply(&org, black_box(&managed)).unwrap())
    });
    g.bench_function("apply_by_reload_one_role_managed", |b| {
        b.iter(|| apply_by_reload(&org, black_box(&managed)).unwrap())
    });
    g.bench_function("impact_one_role_managed", |b| {
        b.iter(|| impact(&org, &managed_after, &[], black_box(&options)).unwrap())
    });
    // The first diff from the org: it builds the org's index of ARNs too.
    g.bench_function("impact_one_role_managed_first", |b| {
        b.iter_batched(
            orgscope::scenario::forget_indexes,
            |()| impact(&org, &managed_after, &[], black_box(&options)).unwrap(),
            criterion::BatchSize::PerIteration,
        )
    });
    g.bench_function("apply_move_account", |b| {
        b.iter(|| apply(&org, black_box(&moved)).unwrap())
    });
    g.bench_function("apply_by_reload_move_account", |b| {
        b.iter(|| apply_by_reload(&org, black_box(&moved)).unwrap())
    });
    g.bench_function("impact_move_account", |b| {
        b.iter(|| impact(&org, &moved_after, &[], black_box(&options)).unwrap())
    });
    g.finish();
}

/// Changes to a resource side, once applied only by the reference path: a role's trust
/// policy opened to another account, and a bucket's policy made public; in memory
/// (`apply`) and by the reference path, for before/after in one run.
fn apply_resource_sides(c: &mut Criterion) {
    orgscope::tune_allocator();
    let org = org::generate::generate_org(5000, 1);
    let role = org.role(org.accounts()[10].roles[0]).arn.to_string();
    let bucket = org
        .resources()
        .iter()
        .find(|r| r.kind == org::ResourceKind::S3Bucket && r.policy.is_some())
        .expect("a bucket with a policy in the generated org")
        .arn
        .to_string();
    let trust = Scenario {
        description: None,
        changes: vec![Change::SetTrustPolicy {
            role: role.clone(),
            document: Document::new(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}"#,
            ),
        }],
    };
    let public = Scenario {
        description: None,
        changes: vec![Change::PutResourcePolicy {
            resource: bucket.clone(),
            account: None,
            document: Document::new(format!(
                r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "{bucket}/*"}}]}}"#
            )),
        }],
    };
    eprintln!("trust: {role}; bucket: {bucket}");
    let mut g = c.benchmark_group("what_if_5000_accounts");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    g.bench_function("apply_trust_policy", |b| {
        b.iter(|| apply(&org, black_box(&trust)).unwrap())
    });
    g.bench_function("apply_by_reload_trust_policy", |b| {
        b.iter(|| apply_by_reload(&org, black_box(&trust)).unwrap())
    });
    g.bench_function("apply_bucket_public", |b| {
        b.iter(|| apply(&org, black_box(&public)).unwrap())
    });
    g.bench_function("apply_by_reload_bucket_public", |b| {
        b.iter(|| apply_by_reload(&org, black_box(&public)).unwrap())
    });
    g.finish();
}

criterion_group!(
    benches,
    what_if,
    moves_between_branches,
    apply_resource_sides
);
criterion_main!(benches);
