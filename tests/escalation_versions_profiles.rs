//! Escalation through policy versions and EC2 instance profiles, on
//! `tests/paths/versions-and-profiles.json` and on a cut of a real export
//! (`tests/fixtures/escalation/`): each technique found with its steps, each step
//! allowed by `can` on its exact resource with the context the step sets, and a
//! principal a guardrail stops not reported.

#[path = "common/escalation.rs"]
mod escalation;

use escalation::{arn, assert_allowed, assert_denied, paths, reach};
use orgscope::org::Org;

fn org() -> Org {
    escalation::load("tests/paths/versions-and-profiles.json")
}

/// `iam:SetDefaultPolicyVersion` to a version that allows everything, then a policy
/// written to oneself under it (IAM User Guide, "Versioning IAM policies"; Rhino
/// Security Labs' method 2, "SetExistingDefaultPolicyVersion"). The version is named.
#[test]
fn setting_an_older_default_version_makes_a_user_admin() {
    let org = org();
    let me = arn("user", "version-setter");
    let a = paths(&org, &me);
    assert!(a.admin, "{:#?}", a.escalations);
    let e = &a.escalations[0];
    assert_eq!(e.via, "iam:SetDefaultPolicyVersion+iam:PutUserPolicy");
    assert_eq!(e.steps[0].resource, arn("policy", "Versioned"));
    assert_eq!(e.steps[0].version.as_deref(), Some("v1"));
    assert_eq!(e.steps[1].resource, me);
    // Each step as `can` decides it on the org as it is: the version switch is
    // allowed, the write is not (the default version grants none).
    assert_allowed(
        &org,
        &me,
        "iam:SetDefaultPolicyVersion",
        &arn("policy", "Versioned"),
        &[],
    );
    assert_denied(&org, &me, "iam:PutUserPolicy", &me, &[]);
    // Version v2 (s3:* only) is no way up: only v1 is reported.
    assert!(
        a.escalations
            .iter()
            .all(|e| e.steps[0].version.as_deref() != Some("v2")),
        "{:#?}",
        a.escalations
    );
}

/// A permissions boundary that allows only the version switch caps the write that
/// would follow it (IAM User Guide, "Permissions boundaries for IAM entities").
#[test]
fn a_boundary_silences_the_version_switch() {
    let org = org();
    let me = arn("user", "version-bounded");
    assert_allowed(
        &org,
        &me,
        "iam:SetDefaultPolicyVersion",
        &arn("policy", "Versioned"),
        &[],
    );
    let a = paths(&org, &me);
    assert!(!a.admin);
    assert!(a.escalations.is_empty(), "{:#?}", a.escalations);
}

/// A version that grants no way to write a policy raises nothing this search calls
/// admin.
#[test]
fn a_version_without_iam_writes_is_no_escalation() {
    let org = org();
    let a = paths(&org, &arn("user", "version-narrow"));
    assert!(!a.admin);
    assert!(a.escalations.is_empty(), "{:#?}", a.escalations);
}

/// `iam:PassRole` and `ec2:RunInstances` with the role's instance profile (PMapper's
/// EC2 edge checker; Rhino Security Labs' method 3): the launch is asked with
/// `ec2:InstanceProfile` naming the profile the org holds for the role.
#[test]
fn launching_an_instance_with_the_roles_profile_reaches_it() {
    let org = org();
    let me = arn("user", "launcher");
    let a = paths(&org, &me);
    let web = reach(&a, &arn("role", "web")).expect("web is reached");
    let hop = &web.edges[0];
    assert_eq!(hop.via, "iam:PassRole+ec2:RunInstances");
    assert_allowed(
        &org,
        &me,
        "iam:PassRole",
        &arn("role", "web"),
        &[("iam:PassedToService", "ec2.amazonaws.com")],
    );
    assert_allowed(
        &org,
        &me,
        "ec2:RunInstances",
        &hop.steps[1].resource,
        &[("ec2:InstanceProfile", &arn("instance-profile", "web"))],
    );
    assert!(web.admin);
    // A role whose profiles the org knows to be none needs one made first:
    // `launcher` may not create one, so it gets there only through `web` (admin).
    let batch = reach(&a, &arn("role", "batch")).expect("batch through web");
    assert_eq!(batch.edges.len(), 2, "{:#?}", batch.edges);
    assert_eq!(batch.edges[0].to, arn("role", "web"));
}

/// Launching without the profile, then associating it with the instance
/// (`ec2:AssociateIamInstanceProfile`, `ec2:NewInstanceProfile`), where launching
/// with it is denied.
#[test]
fn associating_the_profile_reaches_the_role_when_launching_with_it_is_denied() {
    let org = org();
    let me = arn("user", "associator");
    let profile = arn("instance-profile", "web");
    let a = paths(&org, &me);
    let web = reach(&a, &arn("role", "web")).expect("web is reached");
    let hop = &web.edges[0];
    assert_eq!(
        hop.via,
        "iam:PassRole+ec2:RunInstances+ec2:AssociateIamInstanceProfile"
    );
    let instances = &hop.steps[1].resource;
    assert_denied(
        &org,
        &me,
        "ec2:RunInstances",
        instances,
        &[("ec2:InstanceProfile", &profile)],
    );
    assert_allowed(&org, &me, "ec2:RunInstances", instances, &[]);
    assert_allowed(
        &org,
        &me,
        "ec2:AssociateIamInstanceProfile",
        &hop.steps[2].resource,
        &[("ec2:NewInstanceProfile", &profile)],
    );
}

/// A deny conditioned on the instance profile (both keys) silences both ways.
#[test]
fn a_condition_on_the_profile_silences_the_ec2_techniques() {
    let org = org();
    let a = paths(&org, &arn("user", "launcher-guarded"));
    assert!(a.reachable.is_empty(), "{:#?}", a.reachable);
}

/// A role with no instance profile: `iam:CreateInstanceProfile`,
/// `iam:AddRoleToInstanceProfile`, then passing the role to the instance launched
/// with the new profile (PMapper's EC2 edge checker asks the same of a role without a
/// profile).
#[test]
fn a_role_without_a_profile_is_reached_by_making_one() {
    let org = org();
    let me = arn("user", "profile-maker");
    let a = paths(&org, &me);
    let batch = reach(&a, &arn("role", "batch")).expect("batch is reached");
    let hop = &batch.edges[0];
    assert_eq!(
        hop.via,
        "iam:CreateInstanceProfile+iam:AddRoleToInstanceProfile+iam:PassRole+ec2:RunInstances"
    );
    let made = &hop.steps[0].resource;
    assert_allowed(&org, &me, "iam:CreateInstanceProfile", made, &[]);
    assert_allowed(&org, &me, "iam:AddRoleToInstanceProfile", made, &[]);
    assert_allowed(
        &org,
        &me,
        "ec2:RunInstances",
        &hop.steps[3].resource,
        &[("ec2:InstanceProfile", made)],
    );
}

/// The native format keeps both through an export and a load.
#[test]
fn versions_and_profiles_survive_a_round_trip() {
    let org = org();
    let text = orgscope::org::export::to_native_text(&org);
    let again = orgscope::org::load_str("exported.json", &text).0.unwrap();
    let profiles = |o: &Org| {
        o.roles()
            .iter()
            .map(|r| {
                r.instance_profiles
                    .as_ref()
                    .map(|l| l.iter().map(|p| p.arn.to_string()).collect::<Vec<_>>())
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(profiles(&org), profiles(&again));
    let versions = |o: &Org| {
        o.policies()
            .iter()
            .map(|p| {
                p.other_versions
                    .iter()
                    .map(|v| {
                        let text = &o.docs()[v.doc.index()].text;
                        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
                        (v.id.to_string(), doc)
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
    };
    assert_eq!(versions(&org).len(), 2);
    assert_eq!(versions(&org), versions(&again));
}

/// A bad instance profile ARN is an error naming its place.
#[test]
fn an_instance_profile_of_another_account_is_an_error_at_its_place() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/paths/versions-and-profiles.json"),
    )
    .unwrap()
    .replace(
        "arn:aws:iam::111111111111:instance-profile/web",
        "arn:aws:iam::222222222222:instance-profile/web",
    );
    let (org, report) = orgscope::org::load_str("bad.json", &text);
    assert!(org.is_none());
    let err = report.to_string();
    assert!(
        err.contains("accounts[0].roles.web.instance_profiles[0]")
            && err.contains("is not an instance profile of account 111111111111"),
        "{err}"
    );
}

fn export_org() -> Org {
    escalation::load("tests/fixtures/escalation/cloudsplaining-privesc-2-3.json")
}

/// The real dump's `privesc3-CreateEC2WithExistingInstanceProfile-user` reaches the
/// role its `InstanceProfileList` puts in `privesc-high-priv-service-profile`.
#[test]
fn the_exports_privesc3_user_launches_the_high_priv_role() {
    let org = export_org();
    let acct = "200611803367";
    let me = format!("arn:aws:iam::{acct}:user/privesc3-CreateEC2WithExistingInstanceProfile-user");
    let role = format!("arn:aws:iam::{acct}:role/privesc-high-priv-service-role");
    let a = paths(&org, &me);
    let r = reach(&a, &role).expect("the high-priv role is reached");
    assert_eq!(r.edges[0].via, "iam:PassRole+ec2:RunInstances");
    assert_allowed(
        &org,
        &me,
        "ec2:RunInstances",
        &r.edges[0].steps[1].resource,
        &[(
            "ec2:InstanceProfile",
            &format!("arn:aws:iam::{acct}:instance-profile/privesc-high-priv-service-profile"),
        )],
    );
}

/// The dump's `privesc2-SetExistingDefaultPolicyVersion-user`, with the admin version
/// its policy is built for (the dump lists only the default; see SOURCES.md).
#[test]
fn the_exports_privesc2_user_sets_an_admin_version() {
    let org = export_org();
    let me = "arn:aws:iam::200611803367:user/privesc2-SetExistingDefaultPolicyVersion-user";
    let a = paths(&org, me);
    assert!(a.admin, "{:#?}", a.escalations);
    assert_eq!(
        a.escalations[0].via,
        "iam:SetDefaultPolicyVersion+iam:PutUserPolicy"
    );
    assert_eq!(a.escalations[0].steps[0].version.as_deref(), Some("v2"));
}

/// The table names the version the technique makes the default.
#[test]
fn the_table_names_the_version() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/paths/versions-and-profiles.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_orgscope"))
        .args(["paths", file.to_str().unwrap(), "--from", "version-setter"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "iam:SetDefaultPolicyVersion on {} (to version v1), then iam:PutUserPolicy on {}",
            arn("policy", "Versioned"),
            arn("user", "version-setter")
        )),
        "{text}"
    );
}
