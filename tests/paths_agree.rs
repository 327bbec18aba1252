//! `paths` and `paths --to` (who reaches a role) against an exhaustive search: every
//! pair (principal, role) of the org decided by the engine with no index, and the
//! shortest paths over that graph found here, independently. The fast search indexes
//! trust and identity policies to ask about fewer hops; an index that dropped a hop
//! the engine allows would hide a path to an administrator, so the two must agree on
//! which roles are reached (and who reaches them), how far, what each hop needs, and
//! which principals are admin-level. Escalation edges (keys, login profiles, passed
//! roles, rewritten trust) are part of the graph: every pair of principals is asked
//! about every technique with no prefilter, and every edge the fast search reports
//! is decided again, step by step, through `can`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use orgscope::analysis::assemble::Ask;
use orgscope::analysis::can::can;
use orgscope::analysis::paths::{Edge, edges_between, hop, is_admin};
use orgscope::analysis::{self, Reach};
use orgscope::org::assume_index::{AssumeIndex, all_principals};
use orgscope::org::{Org, PrincipalIx};

type Context = Vec<(String, Vec<String>)>;

fn context(pairs: &[(&str, &str)]) -> Context {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
        .collect()
}

/// The whole graph, every hop asked of the engine: by ARN, from each principal, the
/// principals whose permissions it may obtain, what the best hop needs (`key=value`)
/// and its technique. Between two principals the best hop is the cheapest,
/// assume-role first, then the escalations in their order.
struct Exhaustive {
    edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    via: BTreeMap<(String, String), String>,
}

impl Exhaustive {
    fn new(org: &Org, ctx: &Context) -> Exhaustive {
        let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        let mut via = BTreeMap::new();
        let all: Vec<PrincipalIx> = all_principals(org).collect();
        for &p in &all {
            for &q in &all {
                let mut found: Vec<Edge> = Vec::new();
                if let PrincipalIx::Role(r) = q
                    && let Some(needs) = hop(org, p, r, ctx)
                {
                    found.push(Edge::assume(&org.role(r).arn, needs));
                }
                found.extend(edges_between(org, p, q, ctx));
                let Some(best) = orgscope::analysis::paths::escalation::best(found) else {
                    continue;
                };
                let (pa, qa) = (org.principal_arn(p), org.principal_arn(q));
                edges
                    .entry(pa.to_string())
                    .or_default()
                    .insert(qa.to_string(), best.needs.iter().map(need).collect());
                via.insert((pa.to_string(), qa.to_string()), best.via);
            }
        }
        Exhaustive { edges, via }
    }

    fn hop_cost(needs: &BTreeSet<String>) -> u32 {
        if needs.is_empty() { 1 } else { 100 }
    }

    /// Cheapest cost from `from` to every node it reaches (forward), or from every
    /// node that reaches `from` to it (backward).
    fn costs(&self, from: &str, forward: bool) -> BTreeMap<String, u32> {
        let mut reverse: BTreeMap<&str, Vec<(&str, u32)>> = BTreeMap::new();
        if !forward {
            for (p, out) in &self.edges {
                for (r, needs) in out {
                    reverse
                        .entry(r.as_str())
                        .or_default()
                        .push((p.as_str(), Self::hop_cost(needs)));
                }
            }
        }
        let mut cost: BTreeMap<String, u32> = BTreeMap::from([(from.to_string(), 0)]);
        let mut heap = BinaryHeap::from([Reverse((0u32, from.to_string()))]);
        while let Some(Reverse((c, u))) = heap.pop() {
            if c > cost[&u] {
                continue;
            }
            let next: Vec<(&str, u32)> = if forward {
                self.edges
                    .get(&u)
                    .into_iter()
                    .flatten()
                    .map(|(r, n)| (r.as_str(), Self::hop_cost(n)))
                    .collect()
            } else {
                reverse.get(u.as_str()).cloned().unwrap_or_default()
            };
            for (v, w) in next {
                let nc = c + w;
                if cost.get(v).is_none_or(|&old| nc < old) {
                    cost.insert(v.to_string(), nc);
                    heap.push(Reverse((nc, v.to_string())));
                }
            }
        }
        cost.remove(from);
        cost
    }

    /// A path's cost and needs, every hop checked to be an edge of the graph.
    fn walk(&self, name: &str, path: &[String]) -> (u32, Vec<String>) {
        let (mut cost, mut needs) = (0, BTreeSet::new());
        for w in path.windows(2) {
            let hop = self
                .edges
                .get(&w[0])
                .and_then(|out| out.get(&w[1]))
                .unwrap_or_else(|| {
                    panic!("{name}: {} -> {} is no hop the engine allows", w[0], w[1])
                });
            cost += Self::hop_cost(hop);
            needs.extend(hop.iter().cloned());
        }
        (cost, needs.into_iter().collect())
    }
}

fn need(c: &analysis::who_can::Condition) -> String {
    format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)"))
}

/// Checks one reach against the graph: a real path, as cheap as the cheapest, with
/// the needs of its hops.
fn check_reach(name: &str, all: &Exhaustive, best: &BTreeMap<String, u32>, end: &str, r: &Reach) {
    let (cost, needs) = all.walk(name, &r.path);
    assert_eq!(
        Some(&cost),
        best.get(end),
        "{name}: {:?} is not a shortest path",
        r.path
    );
    assert_eq!(needs, r.needs, "{name}: needs of {:?}", r.path);
    assert_eq!(
        r.edges.len() + 1,
        r.path.len(),
        "{name}: edges of {:?}",
        r.path
    );
    for (e, w) in r.edges.iter().zip(r.path.windows(2)) {
        assert_eq!(
            (&e.from, &e.to),
            (&w[0], &w[1]),
            "{name}: hop of {:?}",
            r.path
        );
        assert_eq!(
            Some(&e.via),
            all.via.get(&(w[0].clone(), w[1].clone())),
            "{name}: technique of {} -> {}",
            w[0],
            w[1]
        );
    }
}

/// Every step of every hop of `r` decided again through `can`: allowed, or allowed
/// with the context the hop says it needs. A rewritten trust policy is no request
/// `can` can ask, so the assume step after `iam:UpdateAssumeRolePolicy` is left to
/// the exhaustive check.
fn recheck(name: &str, org: &Org, ctx: &Context, r: &Reach) {
    for e in &r.edges {
        for (i, s) in e.steps.iter().enumerate() {
            if e.via == "iam:UpdateAssumeRolePolicy" && i == 1 {
                continue;
            }
            let mut context = ctx.clone();
            if e.via.starts_with("iam:PassRole+") && i == 0 {
                let service = match e.via.split('+').nth(1).and_then(|a| a.split(':').next()) {
                    Some("lambda") => "lambda.amazonaws.com",
                    Some("ec2") => "ec2.amazonaws.com",
                    Some("cloudformation") => "cloudformation.amazonaws.com",
                    Some("codebuild") => "codebuild.amazonaws.com",
                    Some("sagemaker") => "sagemaker.amazonaws.com",
                    Some("ecs") => "ecs-tasks.amazonaws.com",
                    Some("autoscaling") => "ec2.amazonaws.com",
                    _ => "glue.amazonaws.com",
                };
                context.push(("iam:PassedToService".to_string(), vec![service.to_string()]));
            }
            for n in &e.needs {
                let (k, v) = n.split_once('=').unwrap();
                if v != "(absent)" && !context.iter().any(|(x, _)| x.eq_ignore_ascii_case(k)) {
                    context.push((k.to_string(), vec![v.to_string()]));
                }
            }
            let ask = Ask {
                action: s.action.clone(),
                resource: s.resource.clone(),
                context,
                ..Ask::default()
            };
            let answer = can(org, &e.from, &ask).unwrap();
            assert_eq!(
                answer.decision,
                orgscope::engine::Decision::Allowed,
                "{name}: {} -> {} via {}: {} on {} is not allowed",
                e.from,
                e.to,
                e.via,
                s.action,
                s.resource
            );
        }
    }
}

fn agree(name: &str, org: &Org, ctx: &Context) {
    let all = Exhaustive::new(org, ctx);
    let index = AssumeIndex::new(org);
    // The index never leaves out a hop the engine allows.
    for (p, out) in &all.edges {
        let pi = org.principal_by_arn(p).unwrap();
        let roles = index.roles_for(org, pi);
        for r in out.keys() {
            if all.via[&(p.clone(), r.clone())] != "sts:AssumeRole" {
                continue;
            }
            let ri = match org.principal_by_arn(r).unwrap() {
                PrincipalIx::Role(ri) => ri,
                PrincipalIx::User(_) => unreachable!(),
            };
            assert!(roles.contains(&ri), "{name}: roles_for({p}) misses {r}");
            assert!(
                index.callers(org, ri).contains(&pi),
                "{name}: callers({r}) misses {p}"
            );
            assert!(
                index.caller_side().callers(org, ri).contains(&pi),
                "{name}: the caller side's callers({r}) misses {p}"
            );
        }
    }
    let mut compared = 0;
    for p in all_principals(org) {
        let from = org.principal_arn(p);
        let best = all.costs(from, true);
        let answer = analysis::paths(org, from, None, ctx).unwrap();
        let got: BTreeSet<&str> = answer.reachable.iter().map(|r| r.role.as_str()).collect();
        let want: BTreeSet<&str> = best.keys().map(String::as_str).collect();
        assert_eq!(got, want, "{name}: principals reached from {from}");
        assert_eq!(answer.admin, is_admin(org, p, ctx), "{name}: admin {from}");
        for r in &answer.reachable {
            assert_eq!(r.path.first().map(String::as_str), Some(from));
            assert_eq!(r.path.last(), Some(&r.role));
            check_reach(name, &all, &best, &r.role, r);
            recheck(name, org, ctx, r);
            let ri = org.principal_by_arn(&r.role).unwrap();
            assert_eq!(r.admin, is_admin(org, ri, ctx), "{name}: admin {}", r.role);
            compared += 1;
        }
        assert_eq!(
            answer.nearest_admin.as_ref().map(|r| &r.role),
            answer.reachable.iter().find(|r| r.admin).map(|r| &r.role)
        );
    }
    for role in org.roles() {
        let to = role.arn.to_string();
        let best = all.costs(&to, false);
        let reaches = analysis::who_reaches(org, &to, ctx).unwrap();
        let got: BTreeSet<&str> = reaches.iter().map(|r| r.path[0].as_str()).collect();
        let want: BTreeSet<&str> = best.keys().map(String::as_str).collect();
        assert_eq!(got, want, "{name}: principals reaching {to}");
        for r in &reaches {
            assert_eq!(r.role, to);
            assert_eq!(r.path.last(), Some(&to));
            check_reach(name, &all, &best, &r.path[0], r);
            recheck(name, org, ctx, r);
            compared += 1;
        }
    }
    let hops: usize = all.edges.values().map(BTreeMap::len).sum();
    let escalations = all.via.values().filter(|v| *v != "sts:AssumeRole").count();
    eprintln!(
        "{name}: {hops} hops in the org ({escalations} by escalation), {compared} paths compared"
    );
    assert!(hops > 0);
}

fn eu() -> Context {
    context(&[
        ("aws:RequestedRegion", "eu-west-1"),
        ("aws:SecureTransport", "true"),
    ])
}

#[test]
fn paths_agree_with_every_hop_on_acme() {
    let acme = orgscope::org::load_builtin_acme();
    agree("acme", &acme, &eu());
    agree("acme, no context", &acme, &Vec::new());
}

#[test]
fn paths_agree_with_every_hop_on_the_export_sample() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-orgs/cloudsplaining-export");
    agree(
        "cloudsplaining-export",
        &orgscope::org::load(&dir).unwrap(),
        &eu(),
    );
}

#[test]
fn paths_agree_with_every_hop_on_a_generated_org() {
    // Account-wide trusts, a hub role named by ARN, a CI role named across accounts.
    agree(
        "generated",
        &orgscope::org::generate::generate_org(8, 11),
        &eu(),
    );
}

#[test]
fn paths_agree_with_every_hop_on_every_trust_form() {
    let file =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/paths/trust-forms.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("trust forms", &org, &eu());
    agree("trust forms, no context", &org, &Vec::new());
}

#[test]
fn paths_agree_with_every_hop_on_the_escalation_techniques() {
    // Boundaries lifted, roles passed to ECS tasks and Auto Scaling groups, keys taken.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/paths/escalation-techniques.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("escalation techniques", &org, &eu());
    agree("escalation techniques, no context", &org, &Vec::new());
}
