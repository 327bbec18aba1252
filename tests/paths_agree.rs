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
//!
//! A principal that can give itself any permission goes on from there: the graph
//! holds it twice, as the org has it and raised (`ARN#raised`, joined by its best
//! self-edge), and the raised one's hops are decided on the org changed as the
//! escalation changes it (a policy allowing everything put on the principal, its
//! boundary removed, the group joined; `scenario::apply`), independently of the
//! search's own raising of the policy set.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use orgscope::analysis::assemble::Ask;
use orgscope::analysis::can::can;
use orgscope::analysis::paths::{Edge, edges_between, hop, is_admin, self_edges};
use orgscope::analysis::{self, Reach};
use orgscope::org::assume_index::{AssumeIndex, all_principals};
use orgscope::org::{Org, PrincipalIx};
use orgscope::scenario::{Change, Document, Scenario};

#[path = "common/escalation.rs"]
mod escalation;
use escalation::{is_tag_step, retagged, tag_context};

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
    /// By the raised node's name, the org as the raising changed it.
    raised_orgs: BTreeMap<String, Org>,
}

/// The name of `arn`'s raised node.
fn raised(arn: &str) -> String {
    format!("{arn}#raised")
}

/// The self-edge a principal raises its permissions by: the cheapest; among equals,
/// one that lifts its boundary, then one that writes its own policy, then one that
/// joins a group; then the first.
fn raising(edges: Vec<Edge>) -> Option<Edge> {
    // A tag step first: the technique is the one after it.
    let first = |e: &Edge| {
        let at = usize::from(is_tag_step(&e.steps[0]));
        e.steps[at].action.clone()
    };
    let class = |e: &Edge| match first(e).as_str() {
        a if a.ends_with("PermissionsBoundary") => 0,
        "iam:AddUserToGroup" => 2,
        _ => 1,
    };
    edges.into_iter().min_by_key(|e| (e.cost(), class(e)))
}

/// The org once `p` raised its permissions by `e`: a policy allowing everything on
/// it, and what the technique leaves (no boundary, the group joined, the version made
/// the default kept beside the policy it was a version of).
fn raised_org(org: &Org, p: PrincipalIx, e: &Edge) -> Org {
    // Raised through a tag change first: the org with the tag changed, then raised by
    // the technique after it.
    if is_tag_step(&e.steps[0]) {
        let changed = retagged(org, &e.steps[0]);
        let rest = Edge {
            via: e.via.clone(),
            steps: e.steps[1..].to_vec(),
            needs: e.needs.clone(),
        };
        let pc = changed.principal_by_arn(org.principal_arn(p)).unwrap();
        return raised_org(&changed, pc, &rest);
    }
    let arn = org.principal_arn(p).to_string();
    let mut changes = vec![Change::PutInlinePolicy {
        principal: arn.clone(),
        name: "orgscope-raised".to_string(),
        document: Document::new(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        ),
    }];
    let first = &e.steps[0];
    match first.action.as_str() {
        a if a.ends_with("PermissionsBoundary") => changes.push(Change::RemoveBoundary {
            principal: arn.clone(),
        }),
        "iam:AddUserToGroup" => changes.push(Change::AddUserToGroup {
            user: arn.clone(),
            group: first.resource.clone(),
        }),
        "iam:SetDefaultPolicyVersion" => {
            let x = org
                .identity_policies(p)
                .find(|&x| org.policy(x).arn.as_deref() == Some(first.resource.as_str()))
                .unwrap();
            let v = org
                .policy(x)
                .other_versions
                .iter()
                .find(|v| Some(&*v.id) == first.version.as_deref())
                .unwrap();
            changes.push(Change::PutInlinePolicy {
                principal: arn.clone(),
                name: "orgscope-version".to_string(),
                document: Document::new(org.docs()[v.doc.index()].text.to_string()),
            });
        }
        _ => {}
    }
    orgscope::scenario::apply(
        org,
        &Scenario {
            description: None,
            changes,
        },
    )
    .unwrap()
}

impl Exhaustive {
    fn new(org: &Org, ctx: &Context) -> Exhaustive {
        let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
        let mut via = BTreeMap::new();
        let mut raised_orgs = BTreeMap::new();
        let all: Vec<PrincipalIx> = all_principals(org).collect();
        let mut add = |from: String, to: String, e: Edge| {
            edges
                .entry(from.clone())
                .or_default()
                .insert(to.clone(), e.needs.iter().map(need).collect());
            via.insert((from, to), e.via);
        };
        for &p in &all {
            for &q in &all {
                let Some(best) = best_hop(org, p, q, ctx) else {
                    continue;
                };
                let (pa, qa) = (org.principal_arn(p), org.principal_arn(q));
                add(pa.to_string(), qa.to_string(), best);
            }
            // Raised, it goes on from the org changed as it changed it.
            let Some(e) = raising(self_edges(org, p, ctx)) else {
                continue;
            };
            let pa = org.principal_arn(p).to_string();
            let changed = raised_org(org, p, &e);
            let pc = changed.principal_by_arn(&pa).unwrap();
            add(pa.clone(), raised(&pa), e);
            for &q in &all {
                let qa = org.principal_arn(q);
                let qc = changed.principal_by_arn(qa).unwrap();
                if let Some(best) = best_hop(&changed, pc, qc, ctx) {
                    add(raised(&pa), qa.to_string(), best);
                }
            }
            raised_orgs.insert(raised(&pa), changed);
        }
        Exhaustive {
            edges,
            via,
            raised_orgs,
        }
    }

    fn is_raised(name: &str) -> bool {
        name.ends_with("#raised")
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

    /// A path's nodes in the graph: a hop that raises its caller first passes
    /// through the caller's raised node.
    fn nodes(r: &Reach) -> Vec<String> {
        let mut out = vec![r.path[0].to_string()];
        for (e, w) in r.edges.iter().zip(r.path.windows(2)) {
            if e.raised_steps.is_some() {
                out.push(raised(&w[0]));
            }
            out.push(w[1].to_string());
        }
        out
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

/// The best hop from `p` to `q`: assume-role first, then the escalations in order.
fn best_hop(org: &Org, p: PrincipalIx, q: PrincipalIx, ctx: &Context) -> Option<Edge> {
    let mut found: Vec<Edge> = Vec::new();
    if let PrincipalIx::Role(r) = q
        && let Some(needs) = hop(org, p, r, ctx)
    {
        found.push(Edge::assume(&org.role(r).arn, needs));
    }
    found.extend(edges_between(org, p, q, ctx));
    orgscope::analysis::paths::escalation::best(found)
}

fn need(c: &analysis::who_can::Condition) -> String {
    format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)"))
}

/// Checks one reach against the graph: a real path, as cheap as the cheapest, with
/// the needs of its hops.
fn check_reach(name: &str, all: &Exhaustive, best: &BTreeMap<String, u32>, end: &str, r: &Reach) {
    let (cost, needs) = all.walk(name, &Exhaustive::nodes(r));
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
        let want = match e.raised_steps {
            None => all.via.get(&(w[0].to_string(), w[1].to_string())).cloned(),
            Some(_) => {
                let up = &all.via[&(w[0].to_string(), raised(&w[0]))];
                let on = &all.via[&(raised(&w[0]), w[1].to_string())];
                Some(format!("{up} (admin to itself), then {on}"))
            }
        };
        assert_eq!(
            Some(&e.via),
            want.as_ref(),
            "{name}: technique of {} -> {}",
            w[0],
            w[1]
        );
    }
}

/// Every step of every hop of `r` decided again through `can`: allowed, or allowed
/// with the context the hop says it needs. A rewritten trust policy is no request
/// `can` can ask, so the assume step after `iam:UpdateAssumeRolePolicy` is left to
/// the exhaustive check. A hop that first raises its caller's permissions is
/// asked, after the raising, on the org as the raising changed it; a raising of more
/// than one step (a boundary lifted, a version made the default) asks its later steps
/// under changed policies, checked by the self-edge tests (`escalation_*.rs`).
fn recheck(name: &str, org: &Org, all: &Exhaustive, ctx: &Context, r: &Reach) {
    for e in &r.edges {
        let k = e.raised_steps.unwrap_or(0);
        let (up, own) = match e.raised_steps {
            Some(_) => {
                let (up, own) = e.via.split_once(" (admin to itself), then ").unwrap();
                (up, own)
            }
            None => ("", e.via.as_str()),
        };
        // The hop's own steps start with a tag step: it is asked on the org as it is
        // (with the context IAM sets on it), the steps after it on the org with the
        // tag changed.
        let base = if k > 0 {
            &all.raised_orgs[&raised(&e.from)]
        } else {
            org
        };
        let tagged = e.steps.get(k).filter(|s| is_tag_step(s));
        let changed = tagged.map(|t| retagged(base, t));
        let own = match tagged {
            Some(t) => own.strip_prefix(&format!("{}+", t.action)).unwrap(),
            None => own,
        };
        for (i, s) in e.steps.iter().enumerate() {
            let (org, via, i) = if i < k {
                if k > 1 {
                    continue;
                }
                (org, up, i)
            } else if let Some(t) = tagged {
                if i == k {
                    let mut context = ctx.clone();
                    context.extend(tag_context(t));
                    let ask = Ask {
                        action: s.action.clone(),
                        resource: s.resource.clone(),
                        context,
                        ..Ask::default()
                    };
                    let answer = can(base, &e.from, &ask).unwrap();
                    assert_eq!(
                        answer.decision,
                        orgscope::engine::Decision::Allowed,
                        "{name}: {} -> {} via {}: the tag step is not allowed",
                        e.from,
                        e.to,
                        e.via
                    );
                    continue;
                }
                (changed.as_ref().unwrap(), own, i - k - 1)
            } else if k > 0 {
                (base, own, i - k)
            } else {
                (org, own, i)
            };
            if via == "iam:UpdateAssumeRolePolicy" && i == 1 {
                continue;
            }
            let mut context = ctx.clone();
            if via.starts_with("iam:PassRole+") && i == 0 {
                let service = match via.split('+').nth(1).and_then(|a| a.split(':').next()) {
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
        if Exhaustive::is_raised(p) {
            continue;
        }
        let pi = org.principal_by_arn(p).unwrap();
        let roles = index.roles_for(org, pi);
        for r in out.keys() {
            if Exhaustive::is_raised(r) || all.via[&(p.clone(), r.clone())] != "sts:AssumeRole" {
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
        let want: BTreeSet<&str> = best
            .keys()
            .map(String::as_str)
            .filter(|n| !Exhaustive::is_raised(n))
            .collect();
        assert_eq!(got, want, "{name}: principals reached from {from}");
        assert_eq!(answer.admin, is_admin(org, p, ctx), "{name}: admin {from}");
        for r in &answer.reachable {
            assert_eq!(r.path.first().map(|a| a.as_str()), Some(from));
            assert_eq!(r.path.last(), Some(&r.role));
            check_reach(name, &all, &best, &r.role, r);
            recheck(name, org, &all, ctx, r);
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
        let want: BTreeSet<&str> = best
            .keys()
            .map(String::as_str)
            .filter(|n| !Exhaustive::is_raised(n))
            .collect();
        assert_eq!(got, want, "{name}: principals reaching {to}");
        for r in &reaches {
            assert_eq!(r.role, to);
            assert_eq!(r.path.last().map(|a| a.as_str()), Some(to.as_str()));
            check_reach(name, &all, &best, &r.path[0], r);
            recheck(name, org, &all, ctx, r);
            compared += 1;
        }
    }
    let hops: usize = all.edges.values().map(BTreeMap::len).sum();
    let escalations = all.via.values().filter(|v| *v != "sts:AssumeRole").count();
    let raised_hops: usize = all
        .edges
        .iter()
        .filter(|(p, _)| Exhaustive::is_raised(p))
        .map(|(_, out)| out.len())
        .sum();
    eprintln!(
        "{name}: {hops} hops in the org ({escalations} by escalation, {raised_hops} out of {} raised principals), {compared} paths compared",
        all.raised_orgs.len()
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

#[test]
fn paths_agree_with_every_hop_on_tag_changes() {
    // Edges that untag or tag their target, or the caller itself, first.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/paths/retag.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("tag changes", &org, &eu());
    agree("tag changes, no context", &org, &Vec::new());
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/paths/retag-self.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("own tag changes", &org, &eu());
}

#[test]
fn paths_agree_with_every_hop_on_targets_told_apart_by_tag_or_boundary() {
    // Targets alike but for a tag's value or their boundary, which an SCP reads.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/paths/classes.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("target classes", &org, &eu());
}

#[test]
fn paths_agree_with_every_hop_where_a_tag_is_read_by_a_variable_or_on_another_service() {
    // Users told apart by a tag the lead's policy reads through a variable, and alike
    // for an SCP that reads it on Secrets Manager only.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/paths/tag_reads.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("tag reads", &org, &eu());
}

#[test]
fn paths_agree_with_every_hop_on_versions_and_profiles() {
    // A principal raised by making another version of its policy the default goes on
    // with that version's document beside its own.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/paths/versions-and-profiles.json");
    let org = orgscope::org::load(&file).unwrap();
    agree("versions and profiles", &org, &eu());
}

#[test]
fn paths_agree_with_every_hop_on_acme_with_a_bounded_admin() {
    // `ci-legacy` under a boundary without `sts:*`, trusted by a role of another
    // account: raised by lifting its boundary, it goes on to that role.
    let acme = orgscope::org::load_builtin_acme();
    let changes = vec![
        Change::CreateRole {
            account: "444444444444".to_string(),
            name: "WebReader".to_string(),
            path: None,
            trust: Document::new(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::666666666666:user/ci-legacy"},"Action":"sts:AssumeRole"}]}"#,
            ),
        },
        Change::PutManagedPolicy {
            account: "666666666666".to_string(),
            name: "CiBoundary".to_string(),
            document: Document::new(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","s3:*"],"Resource":"*"}]}"#,
            ),
        },
        Change::SetBoundary {
            principal: "arn:aws:iam::666666666666:user/ci-legacy".to_string(),
            policy: "arn:aws:iam::666666666666:policy/CiBoundary".to_string(),
        },
    ];
    let org = orgscope::scenario::apply(
        &acme,
        &Scenario {
            description: None,
            changes,
        },
    )
    .unwrap();
    agree("acme, bounded ci-legacy", &org, &eu());
}
