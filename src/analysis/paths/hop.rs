//! One hop of the assume-role graph, and whether a role is admin-level: each decided
//! by the engine, as `can` would decide it.

use rayon::prelude::*;

use super::super::assemble::{Ask, Assembled, Shared, Subject, assemble, assemble_shared};
use super::super::letting_in;
use super::super::watch::Watch;
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
    let ask = assume(org, r, context);
    decide(assemble(org, Subject::Principal(p), &ask).ok()?)
}

fn assume(org: &Org, r: RoleIx, context: &[(String, Vec<String>)]) -> Ask {
    Ask {
        action: "sts:AssumeRole".to_string(),
        resource: org.role(r).arn.to_string(),
        context: context.to_vec(),
        ..Ask::default()
    }
}

/// The engine's decision on an assembled AssumeRole, as [`hop`] gives it.
fn decide(mut a: Assembled<'_>) -> Option<Vec<Condition>> {
    let decision = engine::evaluate(&a.request, &a.set);
    if decision == Decision::Allowed {
        return Some(Vec::new());
    }
    let when = letting_in(&mut a.request, &a.set, decision);
    (!when.is_empty()).then_some(when)
}

/// How many hops one task decides with the same shared data: small enough that the
/// first layer (one principal, thousands of roles) still spreads over every core.
const CHUNK: usize = 128;

/// [`hop`] for many pairs `(p, r)`, in their order, in parallel. Pairs are taken by
/// the caller's account, so what a request shares with the others of that account
/// (SCP levels, org path, context keys) is built once per chunk of [`CHUNK`], not
/// once per hop; the decision is the same (`assemble` is `assemble_shared` over data
/// built for one request). Each chunk counts in `watch`; when it says stop, the rest
/// are abandoned (their answers are `None`).
pub(super) fn hops(
    org: &Org,
    pairs: &[(PrincipalIx, RoleIx)],
    context: &[(String, Vec<String>)],
    watch: Watch<'_>,
) -> Vec<Option<Vec<Condition>>> {
    let key = |i: usize| {
        let (p, r) = pairs[i];
        (org.principal_account(p), org.role(r).account, r, p)
    };
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_unstable_by_key(|&i| key(i));
    let chunks: Vec<&[usize]> = order
        .chunk_by(|&a, &b| key(a).0 == key(b).0)
        .flat_map(|run| run.chunks(CHUNK))
        .collect();
    let decided: Vec<(usize, Option<Vec<Condition>>)> = chunks
        .par_iter()
        .flat_map_iter(|chunk| {
            if watch.stopped() {
                return Vec::new();
            }
            let decided = decide_chunk(org, pairs, chunk, context);
            watch.advance(chunk.len());
            decided
        })
        .collect();
    let mut out = vec![None; pairs.len()];
    for (i, d) in decided {
        out[i] = d;
    }
    out
}

/// The pairs `chunk` (indexes into `pairs`) whose callers share one account.
fn decide_chunk(
    org: &Org,
    pairs: &[(PrincipalIx, RoleIx)],
    chunk: &[usize],
    context: &[(String, Vec<String>)],
) -> Vec<(usize, Option<Vec<Condition>>)> {
    let asks: Vec<Ask> = chunk
        .iter()
        .map(|&i| assume(org, pairs[i].1, context))
        .collect();
    let account = org.principal_account(pairs[chunk[0]].0);
    let Ok(first) = asks[0].checked_target(org) else {
        return chunk
            .iter()
            .map(|&i| (i, hop(org, pairs[i].0, pairs[i].1, context)))
            .collect();
    };
    let mut shared = Shared::new(org, &asks[0], &first, Some(account));
    chunk
        .iter()
        .zip(&asks)
        .map(|(&i, ask)| {
            let (p, r) = pairs[i];
            if p == PrincipalIx::Role(r) {
                return (i, None);
            }
            // As `assemble` does: a request whose target cannot be asked is no hop.
            let Ok(tgt) = ask.checked_target(org) else {
                return (i, None);
            };
            shared.retarget(org, &tgt);
            let a = assemble_shared(org, Subject::Principal(p), ask, &tgt, &shared);
            (i, a.ok().and_then(decide))
        })
        .collect()
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
