//! Which roles can a principal reach by assuming roles, across accounts? An edge
//! P -> R exists when the engine allows P `sts:AssumeRole` on R: R's trust policy
//! and P's side (identity policies, boundary, SCPs) both allow, as AWS requires
//! (IAM User Guide, "Granting a user permissions to switch roles"; "Cross-account
//! policy evaluation logic"). The graph is discovered from the start principal
//! outward, one breadth-first layer at a time, into a petgraph graph.

use std::collections::{HashMap, VecDeque};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use super::assemble::{Ask, Subject, assemble, principal};
use super::who_can::Condition;
use super::{AnalysisError, letting_in};
use crate::engine::{self, Decision};
use crate::org::{AccountIx, Org, PrincipalIx, RoleIx};
use crate::policy::{Effect, NamedPrincipal};

/// Who each role's trust policy names, indexed for the search.
struct TrustIndex {
    by_principal: HashMap<PrincipalIx, Vec<RoleIx>>,
    by_account: HashMap<AccountIx, Vec<RoleIx>>,
    everyone: Vec<RoleIx>,
}

impl TrustIndex {
    fn new(org: &Org) -> TrustIndex {
        let mut ix = TrustIndex {
            by_principal: HashMap::new(),
            by_account: HashMap::new(),
            everyone: Vec::new(),
        };
        for (i, role) in org.roles().iter().enumerate() {
            let r = RoleIx::new(i);
            let Some(trust) = role.trust else { continue };
            for s in org.compiled(trust).statements() {
                if s.effect != Effect::Allow {
                    continue;
                }
                match s.named_principals() {
                    // NotPrincipal with Allow names everyone but the listed ones.
                    Some((true, _)) => ix.everyone.push(r),
                    Some((false, named)) => {
                        for n in named {
                            match n {
                                NamedPrincipal::Everyone => ix.everyone.push(r),
                                NamedPrincipal::Account(a) => {
                                    if let Some(a) = org.account_by_id(a) {
                                        ix.by_account.entry(a).or_default().push(r);
                                    }
                                }
                                NamedPrincipal::Arn(arn) => {
                                    if let Some(p) = org.principal_by_arn(arn) {
                                        ix.by_principal.entry(p).or_default().push(r);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    None => {}
                }
            }
        }
        ix
    }

    /// Roles whose trust policy may let `p` in (the engine decides).
    fn candidates(&self, org: &Org, p: PrincipalIx) -> Vec<RoleIx> {
        let mut out: Vec<RoleIx> = self.everyone.clone();
        out.extend(self.by_principal.get(&p).into_iter().flatten());
        out.extend(
            self.by_account
                .get(&org.principal_account(p))
                .into_iter()
                .flatten(),
        );
        out.sort();
        out.dedup();
        out
    }
}

/// Whether `p` may assume `r`, by the engine: `Some([])` allowed, `Some(conditions)`
/// allowed only with a context value the question did not give (MFA, an external
/// id, ...), `None` not allowed.
fn can_assume(
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

/// A role that can rewrite its own permissions is as good as an administrator:
/// `iam:PutRolePolicy` or `iam:AttachRolePolicy` on itself.
pub fn is_admin(org: &Org, r: RoleIx) -> bool {
    let role = org.role(r).arn.to_string();
    ["iam:PutRolePolicy", "iam:AttachRolePolicy"]
        .iter()
        .any(|action| {
            let ask = Ask {
                action: action.to_string(),
                resource: role.clone(),
                ..Ask::default()
            };
            assemble(org, Subject::Principal(PrincipalIx::Role(r)), &ask)
                .is_ok_and(|a| engine::evaluate(&a.request, &a.set) == Decision::Allowed)
        })
}

/// One role reached, and the chain of principals that reaches it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reach {
    pub role: String,
    /// The role's account.
    pub account: String,
    pub account_name: String,
    /// The principal the path starts from, and its account.
    pub from: String,
    pub from_account: String,
    pub from_account_name: String,
    /// From the start principal to the role, every ARN on the way.
    pub path: Vec<String>,
    pub admin: bool,
    /// Context the hops need that the question did not give (`aws:multifactorauthpresent=true`).
    pub needs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PathsAnswer {
    pub from: String,
    /// Every role reachable, nearest first.
    pub reachable: Vec<Reach>,
    /// The shortest path to the requested target, if reachable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Reach>,
    /// Whether a target was asked for (and so whether `to` missing means unreachable).
    pub target_asked: bool,
    /// The nearest reachable role with admin-level rights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_admin: Option<Reach>,
}

/// The assume-role graph discovered from one principal.
pub struct Discovered {
    /// Edges carry the context a hop needs; empty when it needs none.
    pub graph: DiGraph<PrincipalIx, Vec<Condition>>,
    pub start: NodeIndex,
    node: HashMap<PrincipalIx, NodeIndex>,
}

impl Discovered {
    fn node(&mut self, p: PrincipalIx) -> (NodeIndex, bool) {
        if let Some(&n) = self.node.get(&p) {
            return (n, false);
        }
        let n = self.graph.add_node(p);
        self.node.insert(p, n);
        (n, true)
    }
}

/// Breadth-first discovery of every role `from` can reach.
pub fn discover(org: &Org, from: PrincipalIx, context: &[(String, Vec<String>)]) -> Discovered {
    let trust = TrustIndex::new(org);
    let mut d = Discovered {
        graph: DiGraph::new(),
        start: NodeIndex::new(0),
        node: HashMap::new(),
    };
    d.start = d.node(from).0;
    let mut queue = VecDeque::from([from]);
    while let Some(p) = queue.pop_front() {
        let pn = d.node[&p];
        for r in trust.candidates(org, p) {
            let Some(needs) = can_assume(org, p, r, context) else {
                continue;
            };
            let (rn, new) = d.node(PrincipalIx::Role(r));
            d.graph.update_edge(pn, rn, needs);
            if new {
                queue.push_back(PrincipalIx::Role(r));
            }
        }
    }
    d
}

/// Shortest path from the start to `to`: fewest hops, a hop that needs context the
/// question did not give counting as many.
fn shortest(d: &Discovered, to: NodeIndex) -> Option<Vec<NodeIndex>> {
    let cost = |e: petgraph::graph::EdgeReference<'_, Vec<Condition>>| {
        if e.weight().is_empty() { 1u32 } else { 100 }
    };
    let (_, path) = petgraph::algo::astar(&d.graph, d.start, |n| n == to, cost, |_| 0)?;
    Some(path)
}

fn reach(org: &Org, d: &Discovered, path: &[NodeIndex], admin: bool) -> Reach {
    let last = d.graph[*path.last().unwrap_or(&d.start)];
    let account = org.account(org.principal_account(last));
    let start = d.graph[d.start];
    let from_account = org.account(org.principal_account(start));
    Reach {
        role: org.principal_arn(last).to_string(),
        account: account.id.to_string(),
        account_name: account.name.to_string(),
        from: org.principal_arn(start).to_string(),
        from_account: from_account.id.to_string(),
        from_account_name: from_account.name.to_string(),
        path: path
            .iter()
            .map(|n| org.principal_arn(d.graph[*n]).to_string())
            .collect(),
        admin,
        needs: path_needs(d, path),
    }
}

/// The conditions of the hops of a path, each once.
fn path_needs(d: &Discovered, path: &[NodeIndex]) -> Vec<String> {
    let mut needs: Vec<String> = path
        .windows(2)
        .filter_map(|w| d.graph.find_edge(w[0], w[1]))
        .flat_map(|e| d.graph[e].iter())
        .map(|c| format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)")))
        .collect();
    needs.sort();
    needs.dedup();
    needs
}

/// Every role `from` can reach, the path to `to`, and the nearest admin role.
pub fn paths(
    org: &Org,
    from: &str,
    to: Option<&str>,
    context: &[(String, Vec<String>)],
) -> Result<PathsAnswer, AnalysisError> {
    let start = principal(org, from)?;
    let target = match to {
        Some(t) => match principal(org, t)? {
            PrincipalIx::Role(r) => Some(r),
            PrincipalIx::User(_) => return Err(AnalysisError::NotARole(t.to_string())),
        },
        None => None,
    };
    let d = discover(org, start, context);
    let mut reachable: Vec<(usize, Reach)> = Vec::new();
    for n in d.graph.node_indices().filter(|&n| n != d.start) {
        let Some(path) = shortest(&d, n) else {
            continue;
        };
        let PrincipalIx::Role(r) = d.graph[n] else {
            continue;
        };
        reachable.push((path.len(), reach(org, &d, &path, is_admin(org, r))));
    }
    reachable.sort_by(|a, b| (a.0, &a.1.role).cmp(&(b.0, &b.1.role)));
    let reachable: Vec<Reach> = reachable.into_iter().map(|(_, r)| r).collect();
    let to = target.and_then(|r| {
        let role = org.role(r).arn.to_string();
        reachable.iter().find(|x| x.role == role).cloned()
    });
    Ok(PathsAnswer {
        from: org.principal_arn(start).to_string(),
        nearest_admin: reachable.iter().find(|r| r.admin).cloned(),
        target_asked: target.is_some(),
        to,
        reachable,
    })
}

/// Every principal of the org that can reach `role`, directly or through other roles,
/// with its shortest chain.
pub fn who_reaches(
    org: &Org,
    role: &str,
    context: &[(String, Vec<String>)],
) -> Result<Vec<Reach>, AnalysisError> {
    let r = match principal(org, role)? {
        PrincipalIx::Role(r) => r,
        PrincipalIx::User(_) => return Err(AnalysisError::NotARole(role.to_string())),
    };
    // Reverse search: who can assume the roles found so far.
    let everyone: Vec<PrincipalIx> = (0..org.users().len())
        .map(|i| PrincipalIx::User(crate::org::UserIx::new(i)))
        .chain((0..org.roles().len()).map(|i| PrincipalIx::Role(RoleIx::new(i))))
        .collect();
    let mut next_hop: HashMap<PrincipalIx, (PrincipalIx, Vec<Condition>)> = HashMap::new();
    let mut queue = VecDeque::from([PrincipalIx::Role(r)]);
    let mut order = Vec::new();
    while let Some(target) = queue.pop_front() {
        let PrincipalIx::Role(tr) = target else {
            continue;
        };
        for &p in callers(org, tr, &everyone).iter() {
            if p == PrincipalIx::Role(r) || next_hop.contains_key(&p) {
                continue;
            }
            let Some(needs) = can_assume(org, p, tr, context) else {
                continue;
            };
            next_hop.insert(p, (target, needs));
            order.push(p);
            queue.push_back(p);
        }
    }
    Ok(order
        .into_iter()
        .map(|p| {
            let mut path = vec![org.principal_arn(p).to_string()];
            let mut needs = Vec::new();
            let mut at = p;
            while let Some((n, conditions)) = next_hop.get(&at) {
                path.push(org.principal_arn(*n).to_string());
                needs.extend(
                    conditions
                        .iter()
                        .map(|c| format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)"))),
                );
                at = *n;
            }
            needs.sort();
            needs.dedup();
            let account = org.account(org.role(r).account);
            let from_account = org.account(org.principal_account(p));
            Reach {
                role: org.role(r).arn.to_string(),
                account: account.id.to_string(),
                account_name: account.name.to_string(),
                from: org.principal_arn(p).to_string(),
                from_account: from_account.id.to_string(),
                from_account_name: from_account.name.to_string(),
                path,
                admin: false,
                needs,
            }
        })
        .collect())
}

/// The principals a role's trust policy may let in: named ones, every principal of a
/// named account, everyone when it names `*`.
fn callers(org: &Org, r: RoleIx, everyone: &[PrincipalIx]) -> Vec<PrincipalIx> {
    let Some(trust) = org.role(r).trust else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for s in org.compiled(trust).statements() {
        if s.effect != Effect::Allow {
            continue;
        }
        match s.named_principals() {
            Some((true, _)) => return everyone.to_vec(),
            Some((false, named)) => {
                for n in named {
                    match n {
                        NamedPrincipal::Everyone => return everyone.to_vec(),
                        NamedPrincipal::Account(a) => {
                            if let Some(a) = org.account_by_id(a) {
                                let acc = org.account(a);
                                out.extend(acc.users.iter().map(|&u| PrincipalIx::User(u)));
                                out.extend(acc.roles.iter().map(|&r| PrincipalIx::Role(r)));
                            }
                        }
                        NamedPrincipal::Arn(arn) => {
                            if let Some(p) = org.principal_by_arn(arn) {
                                out.push(p);
                            }
                        }
                        _ => {}
                    }
                }
            }
            None => {}
        }
    }
    out
}
