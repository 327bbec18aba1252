//! Escalation through a tag change, on `tests/paths/retag.json` (the target's tag
//! changed) and `tests/paths/retag-self.json` (the caller's own): a guardrail or a
//! grant that reads a tag (`aws:ResourceTag`, `iam:ResourceTag`, `aws:PrincipalTag`)
//! is got past by changing the tag first, where the caller may (IAM User Guide,
//! "Controlling access to AWS resources using tags": whoever may tag or untag a
//! resource decides what tag-based policies say of it; "IAM condition keys":
//! `aws:TagKeys`, `aws:RequestTag/${TagKey}` on `iam:TagRole`, `iam:UntagRole`,
//! `iam:TagUser`, `iam:UntagUser`). Each edge shows the tag step first; the tag step
//! is allowed on the org as it is, the steps after it on the org as the change leaves
//! it; and principals the change is closed to are not reported.

#[path = "common/escalation.rs"]
mod escalation;

use escalation::{
    allowed_with, arn, assert_allowed, assert_denied, is_tag_step, reach, retagged, tag_context,
};
use orgscope::analysis::PathsAnswer;
use orgscope::analysis::paths::Step;
use orgscope::org::Org;
use orgscope::org::assume_index::all_principals;
use orgscope::scenario::{Change, Document, Scenario};

fn org() -> Org {
    escalation::load("tests/paths/retag.json")
}

fn org_self() -> Org {
    escalation::load("tests/paths/retag-self.json")
}

fn paths(org: &Org, name: &str) -> PathsAnswer {
    escalation::paths(org, &arn("user", name))
}

/// The one hop from the start to `to`, its technique and steps.
fn hop<'a>(a: &'a PathsAnswer, to: &str) -> Option<(&'a str, &'a [Step])> {
    let r = reach(a, to)?;
    let e = r.edges.first()?;
    (r.edges.len() == 1).then_some((e.via.as_str(), &e.steps[..]))
}

/// An SCP denies rewriting the trust of roles tagged `protected=yes`
/// (`aws:ResourceTag/protected`); the caller may untag roles, and nothing guards
/// the key: untagging the role first opens it (IAM User Guide, "Controlling access
/// to AWS resources using tags": an SCP that protects by tag must also deny
/// changing that tag).
#[test]
fn untagging_a_protected_role_opens_its_trust() {
    let org = org();
    let me = arn("user", "untagger");
    let vault = arn("role", "vault");
    let a = paths(&org, "untagger");
    let (via, steps) = hop(&a, &vault).expect("vault reached");
    assert_eq!(via, "iam:UntagRole+iam:UpdateAssumeRolePolicy");
    assert_eq!(steps[0].action, "iam:UntagRole");
    assert_eq!(steps[0].resource, vault);
    assert_eq!(steps[0].tag_key.as_deref(), Some("protected"));
    assert_eq!(steps[0].tag_value, None);
    assert_eq!(steps[1].action, "iam:UpdateAssumeRolePolicy");
    assert_eq!(steps[2].action, "sts:AssumeRole");
    // As the org is, the rewrite is denied; untagging is allowed; untagged, it is not.
    assert_denied(&org, &me, "iam:UpdateAssumeRolePolicy", &vault, &[]);
    assert_allowed(
        &org,
        &me,
        "iam:UntagRole",
        &vault,
        &[("aws:TagKeys", "protected")],
    );
    let changed = retagged(&org, &steps[0]);
    assert_allowed(&changed, &me, "iam:UpdateAssumeRolePolicy", &vault, &[]);
    // The JSON shows the tag key on the tag step.
    let v = serde_json::to_value(&steps[0]).unwrap();
    assert_eq!(v["tagKey"], "protected");
    assert!(v.get("tagValue").is_none());
}

/// A Deny on `iam:UntagRole` whose `aws:TagKeys` names the key guards it (IAM User
/// Guide, "Controlling access during AWS requests", `aws:TagKeys` with
/// `ForAnyValue`): no edge to the protected role.
#[test]
fn a_deny_on_untagging_the_key_keeps_the_role_protected() {
    let org = org();
    let a = paths(&org, "untag-guarded");
    assert!(
        reach(&a, &arn("role", "vault")).is_none(),
        "{:#?}",
        a.reachable
    );
    // The others, unprotected, are still reached.
    assert!(reach(&a, &arn("role", "blue-app")).is_some());
    assert_denied(
        &org,
        &arn("user", "untag-guarded"),
        "iam:UntagRole",
        &arn("role", "vault"),
        &[("aws:TagKeys", "protected")],
    );
}

/// The SCP denies on the tag and the caller may not untag (no `iam:UntagRole`):
/// no edge (an SCP's Deny applies to every principal of the account: Organizations
/// User Guide, "Service control policies").
#[test]
fn without_untagging_the_role_stays_protected() {
    let org = org();
    let a = paths(&org, "no-untag");
    assert!(
        reach(&a, &arn("role", "vault")).is_none(),
        "{:#?}",
        a.reachable
    );
}

/// A user's keys behind `iam:ResourceTag/protected` (IAM User Guide, "IAM condition
/// keys": `iam:ResourceTag/${TagKey}` on a user): untag the user, then create its
/// keys.
#[test]
fn untagging_a_protected_user_opens_its_keys() {
    let org = org();
    let me = arn("user", "key-untagger");
    let target = arn("user", "vault-user");
    let a = paths(&org, "key-untagger");
    let (via, steps) = hop(&a, &target).expect("vault-user reached");
    assert_eq!(via, "iam:UntagUser+iam:CreateAccessKey");
    assert_eq!(steps[0].action, "iam:UntagUser");
    assert_eq!(steps[0].tag_key.as_deref(), Some("protected"));
    assert_denied(&org, &me, "iam:CreateAccessKey", &target, &[]);
    let changed = retagged(&org, &steps[0]);
    assert_allowed(&changed, &me, "iam:CreateAccessKey", &target, &[]);
}

/// A grant on roles tagged `team=red` only; the caller may tag roles with any
/// value: tagging the role `team=red` first opens it (IAM User Guide, "Controlling
/// access to AWS resources using tags", `aws:ResourceTag`).
#[test]
fn tagging_a_role_into_a_grant_opens_its_trust() {
    let org = org();
    let me = arn("user", "tagger");
    let blue = arn("role", "blue-app");
    let a = paths(&org, "tagger");
    let (via, steps) = hop(&a, &blue).expect("blue-app reached");
    assert_eq!(via, "iam:TagRole+iam:UpdateAssumeRolePolicy");
    assert_eq!(steps[0].action, "iam:TagRole");
    assert_eq!(steps[0].tag_key.as_deref(), Some("team"));
    assert_eq!(steps[0].tag_value.as_deref(), Some("red"));
    assert_denied(&org, &me, "iam:UpdateAssumeRolePolicy", &blue, &[]);
    assert_allowed(
        &org,
        &me,
        "iam:TagRole",
        &blue,
        &[("aws:TagKeys", "team"), ("aws:RequestTag/team", "red")],
    );
    let v = serde_json::to_value(&steps[0]).unwrap();
    assert_eq!(v["tagValue"], "red");
    // The protected role would need two changes (tag it red, untag it): not reached.
    assert!(reach(&a, &arn("role", "vault")).is_none());
}

/// The caller may tag roles only with `team=green` (`aws:RequestTag/team`: IAM User
/// Guide, "Controlling access during AWS requests"): it cannot give the value the
/// grant asks for, and no edge is reported.
#[test]
fn a_tag_grant_limited_to_another_value_opens_nothing() {
    let org = org();
    let me = arn("user", "tag-limited");
    let a = paths(&org, "tag-limited");
    assert!(a.reachable.is_empty(), "{:#?}", a.reachable);
    assert_denied(
        &org,
        &me,
        "iam:TagRole",
        &arn("role", "blue-app"),
        &[("aws:TagKeys", "team"), ("aws:RequestTag/team", "red")],
    );
}

/// An ABAC grant: the role's `team` tag must equal the caller's
/// (`${aws:PrincipalTag/team}`). A user that may tag itself takes the role's team
/// first (IAM User Guide, "Controlling access for IAM principals": an IAM user's
/// tags are its principal tags on its later requests).
#[test]
fn a_user_tagging_itself_into_an_abac_grant() {
    let org = org_self();
    let me = arn("user", "self-tagger");
    let ops = arn("role", "ops-app");
    let a = paths(&org, "self-tagger");
    let (via, steps) = hop(&a, &ops).expect("ops-app reached");
    assert_eq!(via, "iam:TagUser+iam:UpdateAssumeRolePolicy");
    assert_eq!(steps[0].action, "iam:TagUser");
    assert_eq!(steps[0].resource, me);
    assert_eq!(steps[0].tag_key.as_deref(), Some("team"));
    assert_eq!(steps[0].tag_value.as_deref(), Some("ops"));
    assert_denied(&org, &me, "iam:UpdateAssumeRolePolicy", &ops, &[]);
    let changed = retagged(&org, &steps[0]);
    assert_allowed(&changed, &me, "iam:UpdateAssumeRolePolicy", &ops, &[]);
    // Same team already: no tag change.
    let (via, _) = hop(&a, &arn("role", "self-tag-role")).expect("same team");
    assert_eq!(via, "iam:UpdateAssumeRolePolicy");
}

/// A role with the same grant and `iam:TagRole` on itself is given no edge: a
/// session's principal tags are set when the role is assumed (IAM User Guide,
/// "Passing session tags in AWS STS"), and whether retagging the role reaches a
/// running session is not documented, so no edge rests on it.
#[test]
fn a_role_does_not_tag_its_own_session() {
    let org = org_self();
    let role = arn("role", "self-tag-role");
    let a = escalation::paths(&org, &role);
    assert!(a.reachable.is_empty(), "{:#?}", a.reachable);
    assert!(a.escalations.is_empty(), "{:#?}", a.escalations);
}

/// Agreement: every edge any principal of the org takes through a tag change, its
/// tag step allowed by `can` on the org as it is (with `aws:TagKeys` and
/// `aws:RequestTag`), and each later step allowed by `can` on the org with the tag
/// changed in the model (the assume step after a trust rewrite: on that org with the
/// trust policy rewritten to name the caller).
#[test]
fn every_edge_through_a_tag_change_holds_on_the_changed_org() {
    // untagger (vault), key-untagger and vault (vault-user), tagger (3 roles), and
    // the hops of the paths through them.
    assert!(agreement(&org()) >= 6);
    // self-tagger (2 roles), self-untagger (itself).
    assert!(agreement(&org_self()) >= 3);
}

/// A tag grant the search does not follow: the role's `team` tag is read as a
/// principal tag in this org (the ABAC grant), and the search goes on from a role
/// it reaches with the tags the org holds; tagging the role would leave that
/// answer resting on a tag the role no longer has, so no edge tags it.
#[test]
fn a_tag_read_as_a_principal_tag_is_not_changed_on_a_target() {
    let org = org_self();
    let a = paths(&org, "team-tagger");
    assert!(a.reachable.is_empty(), "{:#?}", a.reachable);
    // The same grant is followed in an org that reads `team` only on the resource.
    assert!(reach(&paths(&self::org(), "tagger"), &arn("role", "blue-app")).is_some());
}

/// Every edge any principal of `org` takes through a tag change, checked; how many.
fn agreement(org: &Org) -> usize {
    let org = org.clone();
    let mut checked = 0;
    for p in all_principals(&org) {
        let from = org.principal_arn(p).to_string();
        let a = escalation::paths(&org, &from);
        let mut edges: Vec<(String, String, Vec<Step>)> = a
            .escalations
            .iter()
            .map(|e| (from.clone(), e.via.clone(), e.steps.clone()))
            .collect();
        for r in &a.reachable {
            // A hop after a raising is asked on the org as the raising left it:
            // `paths_agree` checks those; the raising itself is its principal's
            // self-edge, checked with its escalations.
            for e in r.edges.iter().filter(|e| e.raised_steps.is_none()) {
                edges.push((e.from.to_string(), e.via.clone(), e.steps.clone()));
            }
        }
        for (who, via, steps) in edges {
            let Some(tag) = steps.first().filter(|s| is_tag_step(s)) else {
                continue;
            };
            assert!(via.starts_with(&format!("{}+", tag.action)), "{via}");
            assert!(
                allowed_with(&org, &who, &tag.action, &tag.resource, tag_context(tag)),
                "{who}: {via}: the tag step is not allowed"
            );
            let changed = retagged(&org, tag);
            let own = &via[tag.action.len() + 1..];
            for (i, s) in steps.iter().enumerate().skip(1) {
                assert!(!is_tag_step(s), "one tag change per edge");
                let on = if own == "iam:UpdateAssumeRolePolicy" && i == 2 {
                    let trust = format!(
                        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{who}"}},"Action":"sts:AssumeRole"}}]}}"#
                    );
                    orgscope::scenario::apply(
                        &changed,
                        &Scenario {
                            description: None,
                            changes: vec![Change::SetTrustPolicy {
                                role: s.resource.clone(),
                                document: Document::new(trust),
                            }],
                        },
                    )
                    .unwrap()
                } else {
                    changed.clone()
                };
                assert!(
                    allowed_with(&on, &who, &s.action, &s.resource, Vec::new()),
                    "{who}: {via}: {} on {} is not allowed once the tag changed",
                    s.action,
                    s.resource
                );
            }
            // And only because of it: a tag change is tried for a technique that
            // fails as the org is, so one of its steps is denied there.
            let denied = steps.iter().enumerate().skip(1).any(|(i, s)| {
                let rewritten = own == "iam:UpdateAssumeRolePolicy" && i == 2;
                !rewritten && !allowed_with(&org, &who, &s.action, &s.resource, Vec::new())
            });
            assert!(denied, "{who}: {via}: allowed without the tag change");
            checked += 1;
        }
    }
    checked
}

/// A user the SCP protects from writing its own policy (`iam:PutUserPolicy` on
/// `aws:ResourceTag/protected`) that may untag itself: admin-level through the
/// untag, and it goes on from there raised (its tag removed).
#[test]
fn a_protected_user_untagging_itself_is_admin() {
    let org = org_self();
    let me = arn("user", "self-untagger");
    let a = paths(&org, "self-untagger");
    assert!(a.admin, "{:#?}", a.escalations);
    let e = &a.escalations[0];
    assert_eq!(e.via, "iam:UntagUser+iam:PutUserPolicy");
    assert_eq!(e.steps[0].resource, me);
    assert_denied(&org, &me, "iam:PutUserPolicy", &me, &[]);
    assert_allowed(
        &retagged(&org, &e.steps[0]),
        &me,
        "iam:PutUserPolicy",
        &me,
        &[],
    );
    // Raised, it goes on: the protected role, by untagging it too.
    let (via, _) = reach(&a, &arn("role", "vault"))
        .map(|r| (r.edges[0].via.as_str(), ()))
        .expect("vault reached once raised");
    assert!(
        via.ends_with("iam:UntagRole+iam:UpdateAssumeRolePolicy"),
        "{via}"
    );
}
