//! `iam:PermissionsBoundary` on a request that acts on an existing user or role is
//! that entity's boundary (Service Authorization Reference, IAM: "Filters access if the
//! specified policy is set as permissions boundary on the IAM entity (user or role)"):
//! the caller cannot choose it. who-can said "allowed under conditions, when
//! iam:PermissionsBoundary=..." for a role that has no boundary, where `can` says
//! denied with any context.

#[path = "common/acme.rs"]
mod acme;

use orgscope::analysis::{self, Ask};
use orgscope::engine::Decision;

fn on(role: &str) -> Ask {
    Ask {
        action: "iam:AttachRolePolicy".into(),
        resource: format!("arn:aws:iam::777777777777:role/{role}"),
        ..Ask::default()
    }
}

#[test]
fn the_boundary_key_is_the_target_roles_and_who_can_agrees_with_can() {
    let org = acme::acme_with("attach-only-to-bounded-roles.json");
    let pat = "arn:aws:iam::777777777777:user/pat";
    for (role, expected) in [
        ("DevDeploy", Decision::ImplicitlyDenied),
        ("Bounded", Decision::Allowed),
    ] {
        let ask = on(role);
        assert_eq!(
            analysis::can(&org, pat, &ask).unwrap().decision,
            expected,
            "{role}"
        );
        let who = analysis::who_can(&org, &ask).unwrap();
        let allowed = who.allowed.iter().any(|h| h.principal == pat);
        let conditional = who.conditional.iter().find(|h| h.principal == pat);
        assert_eq!(allowed, expected == Decision::Allowed, "{role}: {who:#?}");
        assert!(conditional.is_none(), "{role}: {conditional:?}");
    }
}
