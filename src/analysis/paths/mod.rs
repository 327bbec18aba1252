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
//!
//! A principal that can give itself any permission (its best self-edge) goes on from
//! there: the graph holds it a second time, raised, whose hops are decided under the
//! policy it gave itself ([`escalation::Raised`]); a reach shows the raising with the
//! hop after it (`iam:AttachUserPolicy (admin to itself), then sts:AssumeRole`).

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
use escalation::{Prefilter, Raised};
pub use hop::hop;
use search::{Hops, Joined, Node, Shortest, Worth, discover, need_text};
pub use shared_text::SharedText;

use super::AnalysisError;
use super::assemble::principal;
use super::watch::Watch;
use crate::org::assume_index::{AssumeIndex, CallerSide};
use crate::org::hash::FxMap;
use crate::org::{Org, PrincipalIx, RoleIx};

/// One hop of a path: who obtains whose permissions, and how.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HopStep {
    /// The org's own copies of the two ARNs (a whole-org answer holds a hop for each
    /// principal reached).
    pub from: SharedText,
    pub to: SharedText,
    /// The technique: `sts:AssumeRole`, `iam:CreateAccessKey`,
    /// `iam:PassRole+lambda:CreateFunction+lambda:InvokeFunction`, ...
    pub via: String,
    /// The requests it takes, each allowed by the engine.
    pub steps: Vec<Step>,
    pub needs: Vec<String>,
    /// How many of `steps`, first, raise `from`'s own permissions (it gives itself
    /// every permission, then takes the hop with them): `via` then reads
    /// `iam:AttachUserPolicy (admin to itself), then sts:AssumeRole`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raised_steps: Option<usize>,
}

/// One principal reached (a role, or a user whose keys or password can be taken),
/// and the chain of principals that reaches it. A whole-org answer holds hundreds of
/// thousands: the hops are shared with every reach whose chain passes them, and the
/// start principal's and the accounts' names are shared text.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    /// The principal reached (named `role` as most are).
    pub role: SharedText,
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
    pub path: Vec<SharedText>,
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
        let mut from_raised: Vec<(EdgeIndex, NodeIndex)> = Vec::new();
        let mut taken: Vec<(EdgeIndex, Node, Node, Edge)> = Vec::new();
        for n in h.graph.node_indices() {
            let Some(e) = tree.via(n) else { continue };
            let (a, b) = h.graph.edge_endpoints(e).unwrap_or((h.root, h.root));
            let (from, to) = (h.graph[a], h.graph[b]);
            if from.raised.is_some() {
                from_raised.push((e, a));
            }
            taken.push((
                e,
                from,
                to,
                std::mem::replace(&mut h.graph[e], Edge::taken()),
            ));
        }
        // Built in parallel: a whole-org answer has a hop for each principal reached.
        let built: Vec<(EdgeIndex, Arc<HopStep>)> = taken
            .into_par_iter()
            .map(|(e, from, to, w)| {
                let hop = HopStep {
                    from: principal_arc(org, from.p).into(),
                    to: principal_arc(org, to.p).into(),
                    needs: w.needs.iter().map(need_text).collect(),
                    via: w.via,
                    steps: w.steps,
                    raised_steps: None,
                };
                (e, Arc::new(hop))
            })
            .collect();
        for (e, hop) in built {
            hops[e.index()] = Some(hop);
        }
        // A hop out of a raised principal is shown with the self-edge that raised it
        // (the hop before it on every path through it).
        for (e, a) in from_raised {
            let raise = h
                .plain_node(h.graph[a].p)
                .and_then(|p| h.graph.find_edge(p, a))
                .and_then(|s| hops[s.index()].clone());
            let (Some(raise), Some(hop)) = (raise, hops[e.index()].clone()) else {
                continue;
            };
            let mut needs = raise.needs.clone();
            needs.extend(
                hop.needs
                    .iter()
                    .filter(|n| !raise.needs.contains(n))
                    .cloned(),
            );
            hops[e.index()] = Some(Arc::new(HopStep {
                from: hop.from.clone(),
                to: hop.to.clone(),
                via: format!("{} (admin to itself), then {}", raise.via, hop.via),
                steps: raise.steps.iter().chain(&hop.steps).cloned().collect(),
                needs,
                raised_steps: Some(raise.steps.len()),
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
    // A raised principal is the principal itself: its self-edge is shown with the hop
    // after it.
    let path: Vec<NodeIndex> = path
        .into_iter()
        .filter(|&n| h.graph[n].raised.is_none())
        .collect();
    let edges: Vec<EdgeIndex> = edges
        .into_iter()
        .filter(|&e| {
            h.graph
                .edge_endpoints(e)
                .is_none_or(|(_, b)| h.graph[b].raised.is_none())
        })
        .collect();
    let start = path.first().map_or(h.graph[h.root].p, |&n| h.graph[n].p);
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
        role: principal_arc(org, end).into(),
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
            .map(|n| principal_arc(org, h.graph[*n].p).into())
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
    let out_of = |at: &[Node], worth: &Worth<'_>| {
        let keep = |r: RoleIx| worth(PrincipalIx::Role(r), false);
        // Roles that trust `*` are narrowed once for the whole step.
        let everyone: Vec<RoleIx> = index
            .everyone()
            .iter()
            .copied()
            .filter(|&r| keep(r))
            .collect();
        // In parallel: a whole-org search expands hundreds of thousands at once.
        at.par_iter()
            .flat_map_iter(|&n| {
                // A raised principal's own policy allows `sts:AssumeRole` anywhere.
                let roles = match n.raised {
                    None => index.roles_for_among(org, n.p, &everyone, keep),
                    Some(_) => index.roles_for_among_as(org, n.p, &everyone, keep, true),
                };
                roles.into_iter().map(move |r| (n, r))
            })
            .collect()
    };
    let pre = Prefilter::new(org);
    let escalate_out = |at: &[Node], worth: &Worth<'_>, joined: &Joined<'_>| {
        // By account: the principals worth reaching in an account are looked up once
        // for all the callers of that account, not once per caller.
        let mut callers: Vec<PrincipalIx> = at
            .par_iter()
            .filter(|n| n.raised.is_none() && pre.may(org, n.p))
            .map(|n| n.p)
            .collect();
        callers.sort_by_key(|&p| (org.principal_account(p), p));
        let mut pairs: Vec<(PrincipalIx, PrincipalIx)> = Vec::new();
        for run in callers.chunk_by(|&a, &b| org.principal_account(a) == org.principal_account(b)) {
            let targets = escalation_targets(org, &pre, run[0], worth);
            for &p in run {
                pairs.extend(
                    targets
                        .iter()
                        .filter(|&&q| q != p && !joined(Node::plain(p), Node::plain(q)))
                        .map(|&q| (p, q)),
                );
            }
        }
        let mut out = decide_escalations(org, &pre, &pairs, context);
        // Each principal that can raise its own permissions, then what it reaches so.
        let plain: Vec<PrincipalIx> = at
            .iter()
            .filter(|n| n.raised.is_none() && worth(n.p, true))
            .map(|n| n.p)
            .collect();
        out.extend(
            raise_each(org, &pre, &plain, context)
                .into_iter()
                .map(|(p, e, r)| (Node::plain(p), Node { p, raised: Some(r) }, e)),
        );
        // The targets of each account looked up once for all its raised callers.
        let mut targets: FxMap<crate::org::AccountIx, Vec<PrincipalIx>> = FxMap::default();
        let mut raised: Vec<(PrincipalIx, PrincipalIx, Raised)> = Vec::new();
        for (p, r) in at.iter().filter_map(|n| Some((n.p, n.raised?))) {
            let of_account = targets
                .entry(org.principal_account(p))
                .or_insert_with(|| escalation_targets(org, &pre, p, worth));
            raised.extend(
                of_account
                    .iter()
                    .filter(|&&q| q != p && !joined(Node { p, raised: Some(r) }, Node::plain(q)))
                    .map(|&q| (p, q, r)),
            );
        }
        out.extend(decide_raised(org, &pre, &raised, context));
        out
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
        .filter(|&n| n != h.root && tree.reached(n) && h.graph[n].raised.is_none())
        .map(|n| (n, h.graph[n].p))
        .collect();
    // Every principal reached was asked whether it can raise its own permissions (its
    // self-edge into its raised node): admin-level when it can with no context.
    let admins: Vec<bool> = ends
        .iter()
        .map(|&(n, p)| {
            h.node_of(p, true)
                .and_then(|r| h.graph.find_edge(n, r))
                .is_some_and(|e| h.graph[e].needs.is_empty())
        })
        .collect();
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

/// The principals of `p`'s account worth reaching by escalation from it (`p` among
/// them): AWS-owned roles cannot be taken.
fn escalation_targets(
    org: &Org,
    pre: &Prefilter,
    p: PrincipalIx,
    worth: &Worth<'_>,
) -> Vec<PrincipalIx> {
    pre.by_account[org.principal_account(p).index()]
        .iter()
        .copied()
        .filter(|&q| worth(q, false) && !escalation::aws_owned(org, q))
        .collect()
}

/// The self-edge each of `ps` raises its permissions by, for those that can, decided
/// in parallel.
fn raise_each(
    org: &Org,
    pre: &Prefilter,
    ps: &[PrincipalIx],
    context: &[(String, Vec<String>)],
) -> Vec<(PrincipalIx, Edge, Raised)> {
    let ps: Vec<PrincipalIx> = ps
        .par_iter()
        .copied()
        .filter(|&p| pre.may_self(org, p))
        .collect();
    escalation::in_batches(
        org,
        context,
        &ps,
        |&p| p,
        |batch, &p| pre.raise(batch, p).map(|(e, r)| (p, e, r)),
    )
    .into_iter()
    .flatten()
    .collect()
}

/// By principal, the self-edge it raises its permissions by, for those of `ps` that
/// can.
fn raised_of(
    org: &Org,
    pre: &Prefilter,
    ps: impl Iterator<Item = PrincipalIx>,
    context: &[(String, Vec<String>)],
) -> std::collections::HashMap<PrincipalIx, (Edge, Raised)> {
    let mut ps: Vec<PrincipalIx> = ps.collect();
    ps.sort_unstable();
    ps.dedup();
    raise_each(org, pre, &ps, context)
        .into_iter()
        .map(|(p, e, r)| (p, (e, r)))
        .collect()
}

/// The best escalation edge of each pair `(p, q)`, `p` raised as it says, decided in
/// parallel.
fn decide_raised(
    org: &Org,
    pre: &Prefilter,
    pairs: &[(PrincipalIx, PrincipalIx, Raised)],
    context: &[(String, Vec<String>)],
) -> Vec<(Node, Node, Edge)> {
    escalation::in_batches(
        org,
        context,
        pairs,
        |&(p, _, _)| p,
        |batch, &(p, q, r)| {
            pre.best_between_raised(batch, p, q, r)
                .map(|e| (Node { p, raised: Some(r) }, Node::plain(q), e))
        },
    )
    .into_iter()
    .flatten()
    .collect()
}

/// The best escalation edge of each pair `(p, q)`, decided in parallel, as an edge
/// between the two principals as the org holds them.
fn decide_escalations(
    org: &Org,
    pre: &escalation::Prefilter,
    pairs: &[(PrincipalIx, PrincipalIx)],
    context: &[(String, Vec<String>)],
) -> Vec<(Node, Node, Edge)> {
    escalation::in_batches(
        org,
        context,
        pairs,
        |&(p, _)| p,
        |batch, &(p, q)| {
            pre.best_between(batch, p, q)
                .map(|e| (Node::plain(p), Node::plain(q), e))
        },
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
    let pre = Prefilter::new(org);
    let into = |at: &[Node], worth: &Worth<'_>| {
        let roles: Vec<RoleIx> = at
            .iter()
            .filter(|n| n.raised.is_none())
            .filter_map(|n| match n.p {
                PrincipalIx::Role(t) => Some(t),
                PrincipalIx::User(_) => None,
            })
            .collect();
        let mut out: Vec<(Node, RoleIx)> = roles
            .iter()
            .flat_map(|&t| {
                side.callers_where(org, t, |p| worth(p, false))
                    .into_iter()
                    .map(move |p| (Node::plain(p), t))
            })
            .collect();
        // Callers once they raised their own permissions: the trust policy alone
        // decides whom it may let in.
        let raisable: Vec<(PrincipalIx, RoleIx)> = roles
            .iter()
            .flat_map(|&t| {
                side.callers_allowed_where(org, t, |p| worth(p, true) && pre.may_self(org, p))
                    .into_iter()
                    .map(move |p| (p, t))
            })
            .collect();
        let raised = raised_of(org, &pre, raisable.iter().map(|&(p, _)| p), context);
        out.extend(raisable.into_iter().filter_map(|(p, t)| {
            let r = raised.get(&p)?;
            Some((
                Node {
                    p,
                    raised: Some(r.1),
                },
                t,
            ))
        }));
        out
    };
    let escalate_in = |at: &[Node], worth: &Worth<'_>, joined: &Joined<'_>| {
        let pre = &pre;
        let targets: Vec<PrincipalIx> = at
            .iter()
            .filter(|n| n.raised.is_none())
            .map(|n| n.p)
            .collect();
        let in_account = |q: PrincipalIx, raised: bool| {
            pre.by_account[org.principal_account(q).index()]
                .iter()
                .copied()
                .filter(move |&p| {
                    p != q
                        && worth(p, raised)
                        && if raised {
                            pre.may_self(org, p)
                        } else {
                            pre.may(org, p)
                        }
                })
                .map(move |p| (p, q))
        };
        let pairs: Vec<(PrincipalIx, PrincipalIx)> = targets
            .iter()
            .flat_map(|&q| in_account(q, false))
            .filter(|&(p, q)| !joined(Node::plain(p), Node::plain(q)))
            .collect();
        let mut out = decide_escalations(org, pre, &pairs, context);
        let raisable: Vec<(PrincipalIx, PrincipalIx)> = targets
            .iter()
            .filter(|&&q| !escalation::aws_owned(org, q))
            .flat_map(|&q| in_account(q, true))
            .collect();
        let raised = raised_of(org, pre, raisable.iter().map(|&(p, _)| p), context);
        let pairs: Vec<(PrincipalIx, PrincipalIx, Raised)> = raisable
            .into_iter()
            .filter_map(|(p, q)| Some((p, q, raised.get(&p)?.1)))
            .filter(|&(p, q, r)| !joined(Node { p, raised: Some(r) }, Node::plain(q)))
            .collect();
        out.extend(decide_raised(org, pre, &pairs, context));
        // Into a raised principal: its own self-edge.
        let selves: Vec<PrincipalIx> = at
            .iter()
            .filter(|n| n.raised.is_some() && worth(n.p, false))
            .map(|n| n.p)
            .collect();
        out.extend(
            raise_each(org, pre, &selves, context)
                .into_iter()
                .map(|(p, e, r)| (Node::plain(p), Node { p, raised: Some(r) }, e)),
        );
        out
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
        .filter(|&n| n != h.root && tree.reached(n) && h.graph[n].raised.is_none())
        .map(|n| {
            let r = reach(org, &h, &shares, root, tree.path(&h, n), false);
            (r.path.len(), h.graph[n].p, r)
        })
        .collect();
    found.sort_by_key(|(len, p, _)| (*len, *p));
    let out: Vec<Reach> = found.into_iter().map(|(_, _, r)| r).collect();
    Ok(out)
}
