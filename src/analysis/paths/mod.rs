//! Which roles can a principal reach by assuming roles, across accounts, and who can
//! reach a role? An edge P -> R exists when the engine allows P `sts:AssumeRole` on R:
//! R's trust policy and P's side (identity policies, boundary, SCPs) both allow, as
//! AWS requires (IAM User Guide, "Granting a user permissions to switch roles";
//! "Cross-account policy evaluation logic").
//!
//! An index of trust and identity policies ([`AssumeIndex`]; inward, [`CallerSide`])
//! narrows the hops worth asking about; the engine decides each of them ([`hop`]).
//! The graph is discovered around the principal asked about, then searched once for
//! every shortest path. `tests/paths_agree.rs` holds the answers equal to a search
//! over every hop of the org.

pub mod escalation;
mod hop;
pub mod json;
mod search;
mod shared_text;

use std::sync::Arc;

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use rayon::prelude::*;
use serde::Serialize;

pub use escalation::{Edge, Step, edges_between, is_admin, self_edges};
pub use hop::hop;
use search::{Hops, Shortest, discover, need_text};
pub use shared_text::SharedText;

use super::AnalysisError;
use super::assemble::principal;
use super::watch::Watch;
use crate::org::assume_index::{AssumeIndex, CallerSide};
use crate::org::{Org, PrincipalIx, RoleIx};

/// One hop of a path: who obtains whose permissions, and how.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HopStep {
    pub from: String,
    pub to: String,
    /// The technique: `sts:AssumeRole`, `iam:CreateAccessKey`,
    /// `iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction`, ...
    pub via: String,
    /// The requests it takes, each allowed by the engine.
    pub steps: Vec<Step>,
    pub needs: Vec<String>,
}

/// One principal reached (a role, or a user whose keys or password can be taken),
/// and the chain of principals that reaches it. A whole-org answer holds hundreds of
/// thousands: the hops are shared with every reach whose chain passes them, and the
/// start principal's and the accounts' names are shared text.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    /// The principal reached (named `role` as most are).
    pub role: String,
    /// `role` or `user`.
    pub kind: &'static str,
    /// The role's account.
    pub account: SharedText,
    pub account_name: SharedText,
    /// The principal the path starts from, and its account.
    pub from: SharedText,
    pub from_account: SharedText,
    pub from_account_name: SharedText,
    /// From the start principal to the role, every ARN on the way.
    pub path: Vec<String>,
    /// Each hop of `path`, with the technique it takes.
    pub edges: Vec<Arc<HopStep>>,
    /// The principal reached can give itself any permission (see
    /// [`escalation::self_edges`]).
    pub admin: bool,
    /// Context the hops need that the question did not give (`aws:multifactorauthpresent=true`).
    pub needs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathsAnswer {
    pub from: String,
    /// The start principal can give itself any permission, with no context beyond
    /// the question's.
    pub admin: bool,
    /// Every way the start principal can raise its own permissions.
    pub escalations: Vec<Edge>,
    /// Every role reachable, nearest first.
    pub reachable: Vec<Reach>,
    /// The shortest path to the requested target, if reachable.
    pub to: Option<Reach>,
    /// Whether a target was asked for (and so whether `to` missing means unreachable).
    pub target_asked: bool,
    /// The nearest principal reached that can give itself any permission.
    pub nearest_admin: Option<Reach>,
}

/// What the reaches of one answer share: each hop of the shortest-path tree, built
/// once (its technique moved out of the graph), and each account's id and name.
struct Shares {
    hops: Vec<Option<Arc<HopStep>>>,
    accounts: Vec<(SharedText, SharedText)>,
}

impl Shares {
    /// Takes the technique of every hop of `tree` out of `h`'s graph.
    fn new(org: &Org, h: &mut Hops, tree: &Shortest) -> Shares {
        let mut hops: Vec<Option<Arc<HopStep>>> = vec![None; h.graph.edge_count()];
        for n in h.graph.node_indices() {
            let Some(e) = tree.via(n) else { continue };
            let (a, b) = h.graph.edge_endpoints(e).unwrap_or((h.root, h.root));
            let (from, to) = (h.graph[a], h.graph[b]);
            let w = std::mem::replace(&mut h.graph[e], Edge::taken());
            hops[e.index()] = Some(Arc::new(HopStep {
                from: org.principal_arn(from).to_string(),
                to: org.principal_arn(to).to_string(),
                needs: w.needs.iter().map(need_text).collect(),
                via: w.via,
                steps: w.steps,
            }));
        }
        let accounts = org
            .accounts()
            .iter()
            .map(|a| (SharedText::from(&*a.id), SharedText::from(&*a.name)))
            .collect();
        Shares { hops, accounts }
    }
}

/// A reach: `path` runs from its first principal to the principal it reaches, `end`.
fn reach(
    org: &Org,
    h: &Hops,
    shares: &Shares,
    end: PrincipalIx,
    (path, edges): (Vec<NodeIndex>, Vec<EdgeIndex>),
    admin: bool,
) -> Reach {
    let start = path.first().map_or(h.graph[h.root], |&n| h.graph[n]);
    let (account, account_name) = shares.accounts[org.principal_account(end).index()].clone();
    let (from_account, from_account_name) =
        shares.accounts[org.principal_account(start).index()].clone();
    let hops: Vec<Arc<HopStep>> = edges
        .iter()
        .filter_map(|&e| shares.hops[e.index()].clone())
        .collect();
    let mut needs: Vec<String> = hops.iter().flat_map(|x| x.needs.iter().cloned()).collect();
    needs.sort();
    needs.dedup();
    Reach {
        role: org.principal_arn(end).to_string(),
        kind: match end {
            PrincipalIx::Role(_) => "role",
            PrincipalIx::User(_) => "user",
        },
        account,
        account_name,
        from: SharedText::from(principal_arc(org, start)),
        from_account,
        from_account_name,
        path: path
            .iter()
            .map(|n| org.principal_arn(h.graph[*n]).to_string())
            .collect(),
        edges: hops,
        admin,
        needs,
    }
}

/// The org's own shared copy of a principal's ARN.
fn principal_arc(org: &Org, p: PrincipalIx) -> Arc<str> {
    match p {
        PrincipalIx::User(u) => org.user(u).arn.clone(),
        PrincipalIx::Role(r) => org.role(r).arn.clone(),
    }
}

/// Every role `from` can reach, the path to `to`, and the nearest admin role.
pub fn paths(
    org: &Org,
    from: &str,
    to: Option<&str>,
    context: &[(String, Vec<String>)],
) -> Result<PathsAnswer, AnalysisError> {
    paths_until(org, from, to, context, Watch::NONE)
}

/// As [`paths`], counting the hops decided in `watch`'s progress and giving up (with
/// [`AnalysisError::Cancelled`]) when it says stop.
pub fn paths_until(
    org: &Org,
    from: &str,
    to: Option<&str>,
    context: &[(String, Vec<String>)],
    watch: Watch<'_>,
) -> Result<PathsAnswer, AnalysisError> {
    let start = principal(org, from)?;
    // A target is a role, or a user whose keys or password can be taken.
    let target = to.map(|t| principal(org, t)).transpose()?;
    let index = AssumeIndex::new(org);
    let out_of = |at: &[PrincipalIx], worth: &dyn Fn(PrincipalIx) -> bool| {
        // Roles that trust `*` are narrowed once for the whole step.
        let everyone: Vec<RoleIx> = index
            .everyone()
            .iter()
            .copied()
            .filter(|&r| worth(PrincipalIx::Role(r)))
            .collect();
        at.iter()
            .flat_map(|&p| {
                index
                    .roles_for_among(org, p, &everyone, |r| worth(PrincipalIx::Role(r)))
                    .into_iter()
                    .map(move |r| (p, r))
            })
            .collect()
    };
    let pre = escalation::Prefilter::new(org);
    let escalate_out = |at: &[PrincipalIx], worth: &dyn Fn(PrincipalIx) -> bool| {
        // By account: the principals worth reaching in an account are looked up once
        // for all the callers of that account, not once per caller.
        let mut callers: Vec<PrincipalIx> =
            at.iter().copied().filter(|&p| pre.may(org, p)).collect();
        callers.sort_by_key(|&p| (org.principal_account(p), p));
        let mut pairs: Vec<(PrincipalIx, PrincipalIx)> = Vec::new();
        for run in callers.chunk_by(|&a, &b| org.principal_account(a) == org.principal_account(b)) {
            let targets: Vec<PrincipalIx> = pre.by_account[org.principal_account(run[0]).index()]
                .iter()
                .copied()
                .filter(|&q| worth(q) && !escalation::aws_owned(org, q))
                .collect();
            for &p in run {
                pairs.extend(targets.iter().filter(|&&q| q != p).map(|&q| (p, q)));
            }
        }
        decide_escalations(org, &pre, &pairs, context)
    };
    let mut h = discover(
        org,
        start,
        Direction::Outgoing,
        &out_of,
        &escalate_out,
        context,
        watch,
    )
    .ok_or(AnalysisError::Cancelled)?;
    let tree = Shortest::new(&h, Direction::Outgoing);
    let ends: Vec<(NodeIndex, PrincipalIx)> = h
        .graph
        .node_indices()
        .filter(|&n| n != h.root && tree.reached(n))
        .map(|n| (n, h.graph[n]))
        .collect();
    // Admin checks are the engine's too, a few requests a principal: in parallel.
    watch.grow(ends.len());
    let admins: Vec<bool> = escalation::in_batches(
        org,
        context,
        &ends,
        |&(_, p)| p,
        |batch, &(_, p)| !watch.stopped() && pre.is_admin_in(batch, p),
    );
    watch.advance(ends.len());
    if watch.stopped() {
        return Err(AnalysisError::Cancelled);
    }
    let shares = Shares::new(org, &mut h, &tree);
    let mut reachable: Vec<Reach> = ends
        .par_iter()
        .zip(admins)
        .map(|(&(n, p), admin)| reach(org, &h, &shares, p, tree.path(&h, n), admin))
        .collect();
    // ARNs are unique: an unstable sort gives the same order.
    reachable.par_sort_unstable_by(|a, b| (a.path.len(), &a.role).cmp(&(b.path.len(), &b.role)));
    let to = target.and_then(|t| {
        let arn = org.principal_arn(t);
        reachable.iter().find(|x| x.role == arn).cloned()
    });
    let escalations = pre.self_edges(org, start, context);
    Ok(PathsAnswer {
        from: org.principal_arn(start).to_string(),
        admin: escalations.iter().any(|e| e.needs.is_empty()),
        escalations,
        nearest_admin: reachable.iter().find(|r| r.admin).cloned(),
        target_asked: target.is_some(),
        to,
        reachable,
    })
}

/// The best escalation edge of each pair `(p, q)`, decided in parallel.
fn decide_escalations(
    org: &Org,
    pre: &escalation::Prefilter,
    pairs: &[(PrincipalIx, PrincipalIx)],
    context: &[(String, Vec<String>)],
) -> Vec<(PrincipalIx, PrincipalIx, Edge)> {
    escalation::in_batches(
        org,
        context,
        pairs,
        |&(p, _)| p,
        |batch, &(p, q)| pre.best_between(batch, p, q).map(|e| (p, q, e)),
    )
    .into_iter()
    .flatten()
    .collect()
}

/// Every principal of the org that can reach `role` (a role, or a user reached by
/// taking its keys or password), directly or through other principals, with its
/// shortest chain; nearest first.
pub fn who_reaches(
    org: &Org,
    role: &str,
    context: &[(String, Vec<String>)],
) -> Result<Vec<Reach>, AnalysisError> {
    who_reaches_until(org, role, context, Watch::NONE)
}

/// As [`who_reaches`], watched as [`paths_until`] is.
pub fn who_reaches_until(
    org: &Org,
    role: &str,
    context: &[(String, Vec<String>)],
    watch: Watch<'_>,
) -> Result<Vec<Reach>, AnalysisError> {
    let root = principal(org, role)?;
    // Inward, only the trust policies of the roles on the way are read.
    let side = CallerSide::new(org);
    let into = |at: &[PrincipalIx], worth: &dyn Fn(PrincipalIx) -> bool| {
        at.iter()
            .filter_map(|&x| match x {
                PrincipalIx::Role(t) => Some(t),
                PrincipalIx::User(_) => None,
            })
            .flat_map(|t| {
                side.callers_where(org, t, worth)
                    .into_iter()
                    .map(move |p| (p, t))
            })
            .collect()
    };
    let pre = escalation::Prefilter::new(org);
    let escalate_in = |at: &[PrincipalIx], worth: &dyn Fn(PrincipalIx) -> bool| {
        let pre = &pre;
        let pairs: Vec<(PrincipalIx, PrincipalIx)> = at
            .iter()
            .flat_map(|&q| {
                pre.by_account[org.principal_account(q).index()]
                    .iter()
                    .filter(move |&&p| p != q && worth(p) && pre.may(org, p))
                    .map(move |&p| (p, q))
            })
            .collect();
        decide_escalations(org, pre, &pairs, context)
    };
    let mut h = discover(
        org,
        root,
        Direction::Incoming,
        &into,
        &escalate_in,
        context,
        watch,
    )
    .ok_or(AnalysisError::Cancelled)?;
    let tree = Shortest::new(&h, Direction::Incoming);
    let shares = Shares::new(org, &mut h, &tree);
    // Nearest first; among equals users before roles, each in the org's order.
    let mut found: Vec<(usize, PrincipalIx, Reach)> = h
        .graph
        .node_indices()
        .filter(|&n| n != h.root && tree.reached(n))
        .map(|n| {
            let r = reach(org, &h, &shares, root, tree.path(&h, n), false);
            (r.path.len(), h.graph[n], r)
        })
        .collect();
    found.sort_by_key(|(len, p, _)| (*len, *p));
    let out: Vec<Reach> = found.into_iter().map(|(_, _, r)| r).collect();
    Ok(out)
}
