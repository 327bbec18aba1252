//! Questions asked of real authorization details (tests/fixtures/audit, cut from
//! public samples), whose answers follow by hand from their policies.

use std::path::Path;

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;

const ACCOUNT: &str = "200611803367";

fn org() -> orgscope::org::Org {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit/cloudsplaining-sso-session.json");
    orgscope::org::load(&path).unwrap()
}

fn assume_fn1() -> Ask {
    Ask {
        action: "sts:AssumeRole".into(),
        resource: format!("arn:aws:iam::{ACCOUNT}:role/fn1-privesc3-partial-role"),
        ..Ask::default()
    }
}

fn session(name: &str) -> String {
    format!(
        "arn:aws:sts::{ACCOUNT}:assumed-role/AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc/{name}"
    )
}

/// The trust policy names one session of the Identity Center role by its ARN: that
/// session may assume the role (IAM User Guide, "AWS JSON policy elements:
/// Principal", role session principals; a role's trust policy must allow,
/// "Roles terms and concepts").
#[test]
fn a_trust_policy_naming_one_session_lets_only_that_session_in() {
    let org = org();
    let elad = analysis::can(&org, &session("elad@codsec.io"), &assume_fn1()).unwrap();
    assert_eq!(elad.decision, Decision::Allowed, "{}", elad.summary);
    let bob = analysis::can(&org, &session("bob"), &assume_fn1()).unwrap();
    assert_eq!(bob.decision, Decision::ImplicitlyDenied, "{}", bob.summary);
}

/// Asked of the role itself (a session whose name is not known), the answer is the
/// one for sessions the trust policy does not name, and says which session it names
/// and that this session is allowed: "Denied" alone would hide it.
#[test]
fn asked_of_the_role_the_answer_names_the_session_a_policy_lets_in() {
    let org = org();
    let a = analysis::can(
        &org,
        "AWSReservedSSO_AdministratorAccess_dc6414f7f2ab04fc",
        &assume_fn1(),
    )
    .unwrap();
    assert_eq!(a.decision, Decision::ImplicitlyDenied, "{}", a.summary);
    let named = format!(
        "a policy names the session {} of this role: that session is Allowed",
        session("elad@codsec.io")
    );
    assert!(
        a.explanation.notes.iter().any(|n| n.starts_with(&named)),
        "{:#?}",
        a.explanation.notes
    );
    // Asked of a session, there is nothing more to say.
    let bob = analysis::can(&org, &session("bob"), &assume_fn1()).unwrap();
    assert!(
        !bob.explanation
            .notes
            .iter()
            .any(|n| n.contains("names the session")),
        "{:#?}",
        bob.explanation.notes
    );
}

/// who-can lists the session the trust policy names (kind "session"), allowed as
/// `can` with its session ARN says, though its role, asked about as a session of
/// another name, is not: "nobody can assume it" would hide the way in.
#[test]
fn who_can_lists_the_session_a_trust_policy_lets_in() {
    let org = org();
    let who = analysis::who_can(&org, &assume_fn1()).unwrap();
    let sessions: Vec<(&str, &str)> = who
        .allowed
        .iter()
        .filter(|h| h.kind == "session")
        .map(|h| (h.principal.as_str(), h.account.as_str()))
        .collect();
    assert_eq!(
        sessions,
        vec![(session("elad@codsec.io").as_str(), ACCOUNT)],
        "{:#?}",
        who.allowed
    );
    for h in &who.allowed {
        let can = analysis::can(&org, &h.principal, &assume_fn1()).unwrap();
        assert_eq!(can.decision, Decision::Allowed, "{}", h.principal);
    }
}

/// A role session's `aws:PrincipalArn` is its role's ARN with the role's path (IAM
/// User Guide, "AWS global condition context keys", aws:PrincipalArn), though the
/// session ARN does not show the path: a Deny on `role/team/*` reaches the session.
#[test]
fn a_session_keeps_its_role_path_in_principal_arn() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit/role-path-principal-arn.json");
    let org = orgscope::org::load(&path).unwrap();
    let ask = |action: &str| Ask {
        action: action.into(),
        resource: "arn:aws:s3:::bucket/key".into(),
        ..Ask::default()
    };
    for who in [
        "arn:aws:iam::111122223333:role/team/Builder",
        "arn:aws:sts::111122223333:assumed-role/Builder/ci",
    ] {
        let delete = analysis::can(&org, who, &ask("s3:DeleteObject")).unwrap();
        assert_eq!(
            delete.decision,
            Decision::ExplicitlyDenied,
            "{who}: {}",
            delete.summary
        );
        let get = analysis::can(&org, who, &ask("s3:GetObject")).unwrap();
        assert_eq!(get.decision, Decision::Allowed, "{who}: {}", get.summary);
    }
}

/// The tags of the role a request acts on are in its context as
/// `aws:ResourceTag/<key>` and `iam:ResourceTag/<key>` (Service Authorization
/// Reference, IAM, resource type `role`; IAM User Guide, "Controlling access to AWS
/// resources using tags"): a Deny on `protected=true` keeps the user off the tagged
/// role only.
#[test]
fn the_tags_of_the_role_acted_on_reach_the_conditions() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/role-resource-tags.json");
    let org = orgscope::org::load(&path).unwrap();
    for action in ["iam:AttachRolePolicy", "iam:DeleteRole", "sts:AssumeRole"] {
        for (role, want) in [
            ("Guarded", Decision::ExplicitlyDenied),
            ("Open", Decision::Allowed),
        ] {
            let ask = Ask {
                action: action.into(),
                resource: format!("arn:aws:iam::111122223333:role/{role}"),
                ..Ask::default()
            };
            let a = analysis::can(&org, "alice", &ask).unwrap();
            assert_eq!(a.decision, want, "{action} on {role}: {}", a.summary);
        }
    }
}

/// Asked over a pattern, a tagged role is a class of its own: the pattern's answer
/// agrees with the one for the role alone.
#[test]
fn a_pattern_question_decides_tagged_roles_on_their_own() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/role-resource-tags.json");
    let org = orgscope::org::load(&path).unwrap();
    let ask = Ask {
        action: "iam:AttachRolePolicy".into(),
        resource: "arn:aws:iam::111122223333:role/*".into(),
        ..Ask::default()
    };
    let a = orgscope::analysis::pattern::can_pattern(&org, "alice", &ask).unwrap();
    let of = |arn: &str| {
        a.classes
            .iter()
            .find(|c| c.resource == arn)
            .map(|c| c.decision)
    };
    assert_eq!(
        of("arn:aws:iam::111122223333:role/Guarded"),
        Some(Decision::ExplicitlyDenied)
    );
    assert_eq!(
        of("arn:aws:iam::111122223333:role/Open"),
        Some(Decision::Allowed)
    );
}

/// SCPs do not affect service-linked roles (Organizations User Guide, "Service
/// control policies"), and a service-linked role's ARN carries the path
/// `/aws-service-role/<service>/` (IAM User Guide, "Using service-linked roles"): a
/// customer role at `/` named like one is governed, by role ARN or by session ARN,
/// whose path the session ARN does not show but the org knows.
#[test]
fn only_roles_under_the_service_role_path_escape_scps() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit/service-linked-by-path.json");
    let org = orgscope::org::load(&path).unwrap();
    let ask = Ask {
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::bucket/key".into(),
        ..Ask::default()
    };
    for (who, want) in [
        (
            "arn:aws:iam::222222222222:role/AWSServiceRoleForFake",
            Decision::ExplicitlyDenied,
        ),
        (
            "arn:aws:sts::222222222222:assumed-role/AWSServiceRoleForFake/s",
            Decision::ExplicitlyDenied,
        ),
        (
            "arn:aws:iam::222222222222:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            Decision::Allowed,
        ),
        (
            "arn:aws:sts::222222222222:assumed-role/AWSServiceRoleForConfig/s",
            Decision::Allowed,
        ),
    ] {
        let a = analysis::can(&org, who, &ask).unwrap();
        assert_eq!(a.decision, want, "{who}: {}", a.summary);
    }
}
