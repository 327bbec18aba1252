//! The escalation search decides a caller's request once for every user or role its
//! policies cannot tell apart, and reuses the decision. These tests hold it to the
//! principals the policies can tell apart, by name (an SCP on `role/security-*`, a
//! Deny on one user), by tag (`aws:ResourceTag/protected`) and by policy variable
//! (`${aws:username}`), on `tests/paths/reuse.json`; each step is checked with `can`.
//! It also takes a caller's first technique as allowed towards every target of one
//! class (tags, boundary, path, kind) once allowed towards one of them, with no
//! statement naming the target: `tests/paths/classes.json` holds targets told apart
//! by a tag's value and by their boundary alone; `tests/paths/tag_reads.json`, users
//! told apart by a tag only where a statement on the techniques' actions reads it.
//! Towards users, what every technique came to (the one taken, or none) is taken
//! by class too.
//! Debug builds (the tests') also decide every reused request again and compare.

#[path = "common/escalation.rs"]
mod escalation;

use escalation::{allowed, allowed_with, assert_steps_allowed, is_tag_step, retagged, tag_context};
use orgscope::analysis::{self, PathsAnswer};
use orgscope::org::Org;

fn arn(kind: &str, name: &str) -> String {
    format!("arn:aws:iam::222222222222:{kind}/{name}")
}

fn org() -> Org {
    escalation::load("tests/paths/reuse.json")
}

/// `(kind, name, via)` as `reached` gives them: the principal's ARN and the technique.
fn by_via(list: &[(&str, &str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, n, via)| (arn(k, n), via.to_string()))
        .collect()
}

fn reached(a: &PathsAnswer) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = a
        .reachable
        .iter()
        .map(|r| {
            let last = r.edges.last().expect("a reach has its hops");
            (r.role.to_string(), last.via.clone())
        })
        .collect();
    out.sort();
    out
}

/// An SCP Deny on `role/security-*` and on anything tagged `protected=yes` keeps
/// those roles and that user from an admin of the account (Organizations User
/// Guide, "SCP evaluation": a Deny at any level denies); its own Deny on one user's
/// keys leaves that user's login profile (IAM User Guide, "Policy evaluation logic").
/// The SCP does not deny changing the tag, so the admin untags the protected role
/// and user first (IAM User Guide, "Controlling access to AWS resources using
/// tags"): reached only through the untag, never by a decision reused from an
/// untagged principal.
#[test]
fn an_admin_reaches_only_what_the_guardrails_leave() {
    let org = org();
    let admin = arn("user", "admin");
    let a = analysis::paths(&org, &admin, None, &[]).unwrap();
    let want = by_via(&[
        ("role", "app-1", "iam:UpdateAssumeRolePolicy"),
        ("role", "app-2", "iam:UpdateAssumeRolePolicy"),
        ("role", "vault", "iam:UntagRole+iam:UpdateAssumeRolePolicy"),
        ("user", "dev", "iam:CreateAccessKey"),
        ("user", "dev-helper", "iam:CreateAccessKey"),
        ("user", "guarded", "iam:UntagUser+iam:CreateAccessKey"),
        ("user", "keyless", "iam:CreateLoginProfile"),
        ("user", "plain", "iam:CreateAccessKey"),
    ]);
    assert_eq!(reached(&a), want);
    for r in &a.reachable {
        let hop = r.edges.last().expect("one hop from the admin");
        // The first step of each; the AssumeRole under the rewritten trust is the
        // search's own (the trust is not rewritten in the org). After a tag step,
        // the step after it on the org with the tag changed.
        let first = &hop.steps[0];
        if is_tag_step(first) {
            assert!(allowed_with(
                &org,
                &admin,
                &first.action,
                &first.resource,
                tag_context(first)
            ));
            assert_steps_allowed(&retagged(&org, first), &admin, &hop.steps[1..2]);
        } else {
            assert_steps_allowed(&org, &admin, &hop.steps[..1]);
        }
    }
    for (kind, name, action) in [
        ("role", "security-audit", "iam:UpdateAssumeRolePolicy"),
        ("role", "security-admin", "iam:UpdateAssumeRolePolicy"),
        ("role", "vault", "iam:UpdateAssumeRolePolicy"),
        ("user", "guarded", "iam:CreateAccessKey"),
        ("user", "guarded", "iam:CreateLoginProfile"),
        ("user", "keyless", "iam:CreateAccessKey"),
    ] {
        assert!(
            !allowed(&org, &admin, action, &arn(kind, name), &[]),
            "{action} {name}"
        );
    }
}

/// `iam:CreateAccessKey` on `user/${aws:username}-*`: for dev, only the users whose
/// name begins with `dev-` (IAM User Guide, "IAM policy elements: Variables and tags").
#[test]
fn a_grant_by_policy_variable_reaches_only_the_users_it_names() {
    let org = org();
    let dev = arn("user", "dev");
    let a = analysis::paths(&org, &dev, None, &[]).unwrap();
    assert_eq!(
        reached(&a),
        vec![(arn("user", "dev-helper"), "iam:CreateAccessKey".to_string())]
    );
}

/// Targets the guardrails tell apart only by a tag's value (`aws:ResourceTag/team`)
/// or by their boundary (`iam:PermissionsBoundary`), each SCP on `Resource: *`
/// (Organizations User Guide, "SCP evaluation": a Deny at any level denies; IAM
/// User Guide, "Controlling access to AWS resources using tags"; Service
/// Authorization Reference, IAM condition keys). The search takes the first
/// technique towards a target as allowed when it was allowed towards a target of
/// the same tags, boundary, path and kind; a red user or a fenced role after the
/// blue and open ones must still be decided, and refused. Tag changes are denied, so
/// no untag reaches them.
#[test]
fn targets_told_apart_by_tag_value_or_boundary_are_decided_apart() {
    let org = escalation::load("tests/paths/classes.json");
    let admin = arn("user", "admin");
    let a = analysis::paths(&org, &admin, None, &[]).unwrap();
    let want = by_via(&[
        ("role", "open-1", "iam:UpdateAssumeRolePolicy"),
        ("role", "open-2", "iam:UpdateAssumeRolePolicy"),
        ("role", "open-3", "iam:UpdateAssumeRolePolicy"),
        ("user", "blue-1", "iam:CreateAccessKey"),
        ("user", "blue-2", "iam:CreateAccessKey"),
        ("user", "blue-3", "iam:CreateAccessKey"),
        ("user", "plain-1", "iam:CreateAccessKey"),
        ("user", "plain-2", "iam:CreateAccessKey"),
    ]);
    assert_eq!(reached(&a), want);
    for r in &a.reachable {
        let hop = r.edges.last().expect("one hop from the admin");
        assert_steps_allowed(&org, &admin, &hop.steps[..1]);
    }
    for (kind, name, action) in [
        ("user", "red-1", "iam:CreateAccessKey"),
        ("user", "red-2", "iam:CreateLoginProfile"),
        ("role", "red-role", "iam:UpdateAssumeRolePolicy"),
        ("role", "fenced-1", "iam:UpdateAssumeRolePolicy"),
        ("role", "fenced-2", "iam:UpdateAssumeRolePolicy"),
    ] {
        assert!(
            !allowed(&org, &admin, action, &arn(kind, name), &[]),
            "{action} {name}"
        );
    }
}

/// A tag tells targets apart only where a statement on the technique's actions reads
/// it: here the lead's own policy, through the variable `${aws:ResourceTag/team}`
/// (IAM User Guide, "IAM policy elements: Variables and tags"), so the lead takes
/// its own team's users and no other. The SCP that reads the same tag on Secrets
/// Manager does not bear on the IAM actions: the admin takes every user, red or
/// blue, each hop checked with `can`.
#[test]
fn a_tag_tells_targets_apart_only_where_the_techniques_actions_read_it() {
    let org = escalation::load("tests/paths/tag_reads.json");
    let lead = arn("user", "lead");
    let a = analysis::paths(&org, &lead, None, &[]).unwrap();
    let want = by_via(&[
        ("user", "blue-1", "iam:CreateAccessKey"),
        ("user", "blue-2", "iam:CreateAccessKey"),
    ]);
    assert_eq!(reached(&a), want);
    for name in ["red-1", "red-2", "admin"] {
        assert!(!allowed(
            &org,
            &lead,
            "iam:CreateAccessKey",
            &arn("user", name),
            &[]
        ));
    }
    let admin = arn("user", "admin");
    let a = analysis::paths(&org, &admin, None, &[]).unwrap();
    let users = ["blue-1", "blue-2", "lead", "red-1", "red-2"];
    let want: Vec<(&str, &str, &str)> = users
        .iter()
        .map(|u| ("user", *u, "iam:CreateAccessKey"))
        .collect();
    assert_eq!(reached(&a), by_via(&want));
    for r in &a.reachable {
        assert_steps_allowed(&org, &admin, &r.edges.last().expect("one hop").steps);
    }
}
