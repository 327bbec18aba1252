//! The search goes on from a principal that can give itself any permission: once it
//! wrote or attached a policy allowing everything to itself, it reaches what that
//! policy lets it reach (every role whose trust policy names it or its account, the
//! users and roles of its account by the escalation techniques), its SCPs and its
//! permissions boundary still capping it (IAM User Guide, "Policy evaluation logic":
//! an identity policy's Allow is still bounded by SCPs and the boundary; "Permissions
//! boundaries for IAM entities"). Each hop after the raising is checked here with
//! `can` on the org changed as the raising changes it (`scenario::apply`).

#[path = "common/escalation.rs"]
mod escalation;

use escalation::{allowed, reach};
use orgscope::analysis::{self, PathsAnswer, Reach};
use orgscope::org::Org;
use orgscope::scenario::{Change, Document, OrgPolicyKind, Scenario};

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fn export_org() -> Org {
    escalation::load("sample-orgs/cloudsplaining-export")
}

fn changed(org: &Org, changes: Vec<Change>) -> Org {
    orgscope::scenario::apply(
        org,
        &Scenario {
            description: None,
            changes,
        },
    )
    .unwrap()
}

/// `from` with a policy allowing everything of its own: what the raising leaves.
fn raised(org: &Org, from: &str) -> Org {
    changed(
        org,
        vec![Change::PutInlinePolicy {
            principal: from.to_string(),
            name: "raised".to_string(),
            document: Document::new(ALLOW_ALL),
        }],
    )
}

/// The hop into `r` raises its caller first: `via` says how, then what; the raising
/// steps are allowed by `can` on `org`, the rest on `after` (the org once raised).
#[track_caller]
fn assert_raised_hop(org: &Org, after: &Org, r: &Reach, raise: &str, then: &str) {
    let hop = r.edges.last().unwrap();
    assert_eq!(hop.via, format!("{raise} (admin to itself), then {then}"));
    let k = hop.raised_steps.expect("the hop raises its caller");
    assert_eq!(hop.steps[0].action, raise);
    assert_eq!(
        hop.steps[0].resource, hop.from,
        "the raising acts on itself"
    );
    for s in &hop.steps[..k] {
        assert!(
            allowed(org, &hop.from, &s.action, &s.resource, &[]),
            "{s:?}"
        );
    }
    for s in &hop.steps[k..] {
        if then == "iam:UpdateAssumeRolePolicy" && s.action == "sts:AssumeRole" {
            continue; // asked under the rewritten trust: no request `can` can ask
        }
        assert!(
            allowed(after, &hop.from, &s.action, &s.resource, &[]),
            "{s:?}"
        );
        // Not before the raising: the hop is the raising's doing.
        if then != "iam:UpdateAssumeRolePolicy" {
            assert!(
                !allowed(org, &hop.from, &s.action, &s.resource, &[]),
                "{s:?} is allowed without raising"
            );
        }
    }
}

/// The export's `privesc7-AttachUserPolicy-user` was marked admin but reached
/// nothing; it now reaches, through the policy it attaches to itself, the role that
/// trusts its account and the account's users (their keys).
#[test]
fn the_exports_attach_user_policy_user_goes_on_once_admin() {
    let org = export_org();
    let me = "arn:aws:iam::200611803367:user/privesc7-AttachUserPolicy-user";
    let a: PathsAnswer = escalation::paths(&org, me);
    assert!(a.admin);
    assert!(a.reachable.len() > 50, "{}", a.reachable.len());
    let after = raised(&org, me);
    let role = "arn:aws:iam::200611803367:role/privesc-permissive-role-trust";
    let r = reach(&a, role).expect("the role trusting the account is reached");
    assert_eq!(r.path, [me, role]);
    assert_raised_hop(&org, &after, r, "iam:AttachUserPolicy", "sts:AssumeRole");
    let user = "arn:aws:iam::200611803367:user/fn1-privesc3-partial-user";
    let r = reach(&a, user).expect("a user of the account is reached");
    assert_raised_hop(
        &org,
        &after,
        r,
        "iam:AttachUserPolicy",
        "iam:CreateAccessKey",
    );
    // Asked the other way, the same hop.
    let inward = analysis::who_reaches(&org, role, &[]).unwrap();
    let r = inward
        .iter()
        .find(|r| r.path[0] == me)
        .expect("who reaches the role names the user");
    assert_eq!(
        r.edges[0].via,
        "iam:AttachUserPolicy (admin to itself), then sts:AssumeRole"
    );
}

/// The JSON says how many steps of a hop raise its caller.
#[test]
fn the_json_hop_counts_the_raising_steps() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-orgs/cloudsplaining-export");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args([
            "paths",
            dir.to_str().unwrap(),
            "--from",
            "arn:aws:iam::200611803367:user/privesc7-AttachUserPolicy-user",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hop = v["reachable"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role"] == "arn:aws:iam::200611803367:role/privesc-permissive-role-trust")
        .map(|r| &r["hop"])
        .unwrap();
    assert_eq!(hop["raisedSteps"], 1);
    assert_eq!(hop["steps"][0]["action"], "iam:AttachUserPolicy");
    assert_eq!(hop["steps"][1]["action"], "sts:AssumeRole");
}

const CI: &str = "arn:aws:iam::666666666666:user/ci-legacy";
const REMOTE: &str = "arn:aws:iam::444444444444:role/WebReader";

/// acme with a role of another account that trusts `ci-legacy` by its ARN: across
/// accounts its own policies must allow too, and its `iam:*, s3:*, ec2:*, lambda:*`
/// has no `sts:AssumeRole`, so only once it gave itself everything can it assume the
/// role (no other principal is let in: the raising is the only way).
fn acme_with_remote_role(more: Vec<Change>) -> Org {
    let mut changes = vec![Change::CreateRole {
        account: "444444444444".to_string(),
        name: "WebReader".to_string(),
        path: None,
        trust: Document::new(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::666666666666:user/ci-legacy"},"Action":"sts:AssumeRole"}]}"#,
        ),
    }];
    changes.extend(more);
    changed(&orgscope::org::load_builtin_acme(), changes)
}

#[test]
fn acme_ci_legacy_assumes_a_remote_role_once_admin() {
    let org = acme_with_remote_role(Vec::new());
    assert!(!allowed(&org, CI, "sts:AssumeRole", REMOTE, &[]));
    let a = escalation::paths(&org, CI);
    let r = reach(&a, REMOTE).expect("reached once raised");
    assert_eq!(r.path, [CI, REMOTE]);
    assert_raised_hop(
        &org,
        &raised(&org, CI),
        r,
        "iam:PutUserPolicy",
        "sts:AssumeRole",
    );
}

/// An SCP on `ci-legacy`'s account denying `sts:AssumeRole` still applies once it
/// raised its own permissions: the role is not reached.
#[test]
fn an_scp_still_caps_a_raised_principal() {
    let org = acme_with_remote_role(vec![
        Change::CreateOrgPolicy {
            kind: OrgPolicyKind::Scp,
            name: "NoAssume".to_string(),
            description: None,
            document: Document::new(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}"#,
            ),
        },
        Change::Attach {
            kind: OrgPolicyKind::Scp,
            policy: "NoAssume".to_string(),
            target: "666666666666".to_string(),
        },
    ]);
    let a = escalation::paths(&org, CI);
    assert!(a.admin);
    assert!(reach(&a, REMOTE).is_none(), "{:#?}", reach(&a, REMOTE));
}

/// A boundary without `sts:*` caps the policy the user attaches to itself; it
/// reaches the role only by deleting the boundary first, and not when an SCP forbids
/// touching boundaries.
#[test]
fn a_boundary_caps_a_raised_principal_unless_it_lifts_it() {
    let boundary = vec![
        Change::PutManagedPolicy {
            account: "666666666666".to_string(),
            name: "CiBoundary".to_string(),
            document: Document::new(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","s3:*"],"Resource":"*"}]}"#,
            ),
        },
        Change::SetBoundary {
            principal: CI.to_string(),
            policy: "arn:aws:iam::666666666666:policy/CiBoundary".to_string(),
        },
    ];
    let org = acme_with_remote_role(boundary.clone());
    let a = escalation::paths(&org, CI);
    let r = reach(&a, REMOTE).expect("reached by lifting the boundary");
    let hop = r.edges.last().unwrap();
    assert_eq!(
        hop.via,
        "iam:DeleteUserPermissionsBoundary+iam:PutUserPolicy (admin to itself), then sts:AssumeRole"
    );
    assert_eq!(hop.raised_steps, Some(2));

    let mut guarded = boundary;
    guarded.extend([
        Change::CreateOrgPolicy {
            kind: OrgPolicyKind::Scp,
            name: "KeepBoundaries".to_string(),
            description: None,
            document: Document::new(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iam:DeleteUserPermissionsBoundary","iam:PutUserPermissionsBoundary"],"Resource":"*"}]}"#,
            ),
        },
        Change::Attach {
            kind: OrgPolicyKind::Scp,
            policy: "KeepBoundaries".to_string(),
            target: "666666666666".to_string(),
        },
    ]);
    let org = acme_with_remote_role(guarded);
    let a = escalation::paths(&org, CI);
    assert!(a.admin, "it still attaches policies to itself");
    assert!(
        reach(&a, REMOTE).is_none(),
        "the boundary caps what it attaches: {:#?}",
        reach(&a, REMOTE)
    );
}
