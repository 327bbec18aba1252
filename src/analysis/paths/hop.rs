//! One hop of the assume-role graph, decided by the engine, as `can` would decide it.

use rayon::prelude::*;

use super::super::assemble::{Ask, Assembled, Shared, Subject, assemble, assemble_shared};
use super::super::letting_in;
use super::super::watch::Watch;
use super::super::who_can::Condition;
use super::search::Node;
use crate::engine::{self, Decision};
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
    let when = letting_in(None, &mut a.request, &a.set, decision);
    (!when.is_empty()).then_some(when)
}

/// How many hops one task decides with the same shared data: small enough that the
/// first layer (one principal, thousands of roles) still spreads over every core.
const CHUNK: usize = 128;

/// [`hop`] for many pairs `(p, r)`, in their order, in parallel; a raised `p` asks
/// under the policies it gave itself. Pairs are taken by
/// the caller's account, so what a request shares with the others of that account
/// (SCP levels, org path, context keys) is built once per chunk of [`CHUNK`], not
/// once per hop; the decision is the same (`assemble` is `assemble_shared` over data
/// built for one request). Each chunk counts in `watch`; when it says stop, the rest
/// are abandoned (their answers are `None`).
pub(super) fn hops(
    org: &Org,
    pairs: &[(Node, RoleIx)],
    context: &[(String, Vec<String>)],
    watch: Watch<'_>,
) -> Vec<Option<Vec<Condition>>> {
    let key = |i: usize| {
        let (p, r) = pairs[i];
        (org.principal_account(p.p), org.role(r).account, r, p.p)
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
    pairs: &[(Node, RoleIx)],
    chunk: &[usize],
    context: &[(String, Vec<String>)],
) -> Vec<(usize, Option<Vec<Condition>>)> {
    let asks: Vec<Ask> = chunk
        .iter()
        .map(|&i| assume(org, pairs[i].1, context))
        .collect();
    let account = org.principal_account(pairs[chunk[0]].0.p);
    // An AssumeRole whose target cannot be asked is no hop (`assemble` refuses it):
    // the same target for every role ARN, so none of the chunk is.
    let Ok(first) = asks[0].checked_target(org) else {
        return chunk.iter().map(|&i| (i, None)).collect();
    };
    let mut shared = Shared::new(org, &asks[0], &first, Some(account));
    chunk
        .iter()
        .zip(&asks)
        .map(|(&i, ask)| {
            let (Node { p, raised }, r) = pairs[i];
            if p == PrincipalIx::Role(r) {
                return (i, None);
            }
            // As `assemble` does: a request whose target cannot be asked is no hop.
            let Ok(tgt) = ask.checked_target(org) else {
                return (i, None);
            };
            shared.retarget(org, &tgt);
            let Ok(mut a) = assemble_shared(org, Subject::Principal(p), ask, &tgt, &shared) else {
                return (i, None);
            };
            if let Some(raised) = raised {
                raised.apply(org, &mut a.set);
            }
            (i, decide(a))
        })
        .collect()
}
