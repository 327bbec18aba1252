//! One hop of the assume-role graph, and whether a role is admin-level: each decided
//! by the engine, as `can` would decide it.

use super::super::assemble::{Ask, Subject, assemble};
use super::super::letting_in;
use super::super::who_can::Condition;
use crate::engine::{self, Decision};
use crate::org::assume_index::docs_allowing;
use crate::org::{Org, PrincipalIx, RoleIx};

/// Whether `p` may assume `r`, by the engine: `Some([])` allowed, `Some(conditions)`
/// allowed only with a context value the question did not give (MFA, an external
/// id, ...), `None` not allowed. A role does not assume itself here: a path never
/// needs it.
pub fn hop(
    org: &Org,
    p: PrincipalIx,
    r: RoleIx,
    context: &[(String, Vec<String>)],
) -> Option<Vec<Condition>> {
    if p == PrincipalIx::Role(r) {
        return None;
    }
    let ask = Ask {
        action: "sts:AssumeRole".to_string(),
        resource: org.role(r).arn.to_string(),
        context: context.to_vec(),
        ..Ask::default()
    };
    let mut a = assemble(org, Subject::Principal(p), &ask).ok()?;
    let decision = engine::evaluate(&a.request, &a.set);
    if decision == Decision::Allowed {
        return Some(Vec::new());
    }
    let when = letting_in(&mut a.request, &a.set, decision);
    (!when.is_empty()).then_some(when)
}

/// The actions that let a role rewrite its own permissions.
const ADMIN_ACTIONS: [&str; 2] = ["iam:PutRolePolicy", "iam:AttachRolePolicy"];

/// A role that can rewrite its own permissions is as good as an administrator:
/// `iam:PutRolePolicy` or `iam:AttachRolePolicy` on itself.
pub fn is_admin(org: &Org, r: RoleIx) -> bool {
    let role = org.role(r).arn.to_string();
    ADMIN_ACTIONS.iter().any(|action| {
        let ask = Ask {
            action: action.to_string(),
            resource: role.clone(),
            ..Ask::default()
        };
        assemble(org, Subject::Principal(PrincipalIx::Role(r)), &ask)
            .is_ok_and(|a| engine::evaluate(&a.request, &a.set) == Decision::Allowed)
    })
}

/// [`is_admin`] for many roles of one question: a role none of whose identity
/// documents has an Allow for either action is not admin without asking the engine.
/// Sound because nothing else can grant them: IAM roles have no resource policy for
/// IAM actions (the trust policy governs only `sts:` actions), so the engine needs
/// an identity Allow.
pub(super) struct AdminCheck {
    /// Per document: an Allow statement covers one of the actions.
    docs: Vec<bool>,
}

impl AdminCheck {
    pub(super) fn new(org: &Org) -> AdminCheck {
        let probe = "arn:aws:iam::000000000000:role/probe";
        let mut docs = docs_allowing(org, ADMIN_ACTIONS[0], probe);
        for (d, other) in docs
            .iter_mut()
            .zip(docs_allowing(org, ADMIN_ACTIONS[1], probe))
        {
            *d |= other;
        }
        AdminCheck { docs }
    }

    pub(super) fn is_admin(&self, org: &Org, r: RoleIx) -> bool {
        let p = PrincipalIx::Role(r);
        let may = org
            .identity_policies(p)
            .any(|x| self.docs[org.policy(x).doc.index()]);
        // A resource the org holds under the role's ARN would bring a resource policy.
        let held = org.resource_by_arn(&org.role(r).arn).is_some();
        (may || held) && is_admin(org, r)
    }
}
