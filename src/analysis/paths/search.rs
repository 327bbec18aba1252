//! The assume-role graph around one principal: discovered outward from it (the roles
//! it reaches) or inward to it (the principals that reach a role), nearest principals
//! first, the hops out of (or into) all principals of one cost decided by the engine
//! in parallel; then searched once for every shortest path.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::super::watch::Watch;
use super::escalation::{Edge, Raised};
use super::hop::hops;
use crate::org::hash::{FxMap, FxSet};
use crate::org::{Org, PrincipalIx, RoleIx};

/// A node of the search: a principal as the org holds it, or the same principal once
/// it raised its own permissions (`raised`, by its best self-edge): from there it
/// reaches what its new policy lets it, every hop still decided by the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Node {
    pub p: PrincipalIx,
    pub raised: Option<Raised>,
}

impl Node {
    pub fn plain(p: PrincipalIx) -> Node {
        Node { p, raised: None }
    }
}

/// Whether a node is worth reaching: the principal, and whether raised.
pub type Worth<'a> = dyn Fn(PrincipalIx, bool) -> bool + Sync + 'a;

/// The part of the escalation graph discovered around `root`. An edge P -> Q: P may
/// obtain Q's permissions (assume Q, or one of the escalation techniques); its
/// weight, how, and the context it needs (empty when none). Between two principals
/// only the best edge is kept: the cheapest, assume-role first, then the order of
/// [`super::escalation::edges_between`].
pub struct Hops {
    pub graph: DiGraph<Node, Edge>,
    pub root: NodeIndex,
    /// Each principal's node, by [`Hops::slot`]: a whole-org search finds hundreds of
    /// thousands, looked up again for every hop asked about.
    node: Vec<Option<NodeIndex>>,
    users: usize,
    roles: usize,
}

impl Hops {
    /// A principal raises its permissions in one way only (its best self-edge): one
    /// raised node each, after the plain ones.
    fn slot(&self, p: PrincipalIx, raised: bool) -> usize {
        let plain = match p {
            PrincipalIx::User(u) => u.index(),
            PrincipalIx::Role(r) => self.users + r.index(),
        };
        if raised {
            self.users + self.roles + plain
        } else {
            plain
        }
    }

    pub fn node_of(&self, p: PrincipalIx, raised: bool) -> Option<NodeIndex> {
        self.node[self.slot(p, raised)]
    }

    /// The graph node of a principal as the org holds it.
    pub fn plain_node(&self, p: PrincipalIx) -> Option<NodeIndex> {
        self.node_of(p, false)
    }

    fn node(&mut self, x: Node) -> (NodeIndex, bool) {
        let slot = self.slot(x.p, x.raised.is_some());
        if let Some(n) = self.node[slot] {
            return (n, false);
        }
        let n = self.graph.add_node(x);
        self.node[slot] = Some(n);
        (n, true)
    }
}

/// The hops worth asking about out of the principals of one step (outgoing), or into
/// its roles (incoming), given which principals at the other end are worth it (not
/// yet known as near); a superset of them is fine.
pub type Expand<'a> = dyn Fn(&[Node], &Worth<'_>) -> Vec<(Node, RoleIx)> + 'a;

/// The escalation edges (other than assume-role) out of the principals of one step
/// (outgoing) or into them (incoming), already decided, given which principals at
/// the other end are worth it.
/// Self-edges, from a principal to its raised node, are among them.
pub type Escalate<'a> = dyn Fn(&[Node], &Worth<'_>, &Joined<'_>) -> Vec<(Node, Node, Edge)> + 'a;

/// Whether a pair (from, to) is already joined by an assume-role hop that needs no
/// context: no escalation of that pair can cost less ([`Edge::cost`]), and of a pair's
/// edges only the cheaper is kept (the first on a tie), so it is not decided.
pub type Joined<'a> = dyn Fn(Node, Node) -> bool + 'a;

/// Discovers every principal reachable from `root` (`Direction::Outgoing`: the roles
/// it can reach) or reaching it (`Direction::Incoming`: the principals that can reach
/// the role `root`), with every edge that can lie on a shortest path. `expand` gives
/// the hops worth asking about out of the principals of a step (outgoing) or into
/// its roles (incoming). `None` when `watch` stopped it.
///
/// Principals are expanded in order of their cost from the root, all those of one
/// cost together (their hops decided in parallel): a hop to a principal already
/// known at that cost or less cannot shorten any path, so it is not asked about.
/// Without this a dense graph (many roles that trust `*`) would have every reached
/// principal ask about every such role again.
pub fn discover(
    org: &Org,
    root: PrincipalIx,
    dir: Direction,
    expand: &Expand<'_>,
    escalate: &Escalate<'_>,
    context: &[(String, Vec<String>)],
    watch: Watch<'_>,
) -> Option<Hops> {
    let mut h = Hops {
        graph: DiGraph::new(),
        root: NodeIndex::new(0),
        node: vec![None; 2 * (org.users().len() + org.roles().len())],
        users: org.users().len(),
        roles: org.roles().len(),
    };
    h.root = h.node(Node::plain(root)).0;
    watch.begin(0);
    // The best cost known of each node found, by node index; the heap holds
    // (cost, node index): nodes found first come first among equals.
    let mut cost: Vec<u32> = vec![0];
    let mut heap = BinaryHeap::from([Reverse((0u32, 0usize))]);
    while let Some(&Reverse((c, _))) = heap.peek() {
        // Every node of the lowest cost: none of them can lower another's.
        let mut level = Vec::new();
        while let Some(&Reverse((k, n))) = heap.peek() {
            if k != c {
                break;
            }
            heap.pop();
            if cost[n] == c {
                level.push(n);
            }
        }
        level.sort_unstable();
        level.dedup();
        let worth =
            |p: PrincipalIx, raised: bool| h.node_of(p, raised).is_none_or(|n| cost[n.index()] > c);
        // The hops to decide: out of each principal of the level, or into each role,
        // to or from principals not yet known as near.
        let at: Vec<Node> = level.iter().map(|&n| h.graph[NodeIndex::new(n)]).collect();
        let pairs: Vec<(Node, RoleIx)> = expand(&at, &worth)
            .into_iter()
            .filter(|&(p, r)| match dir {
                Direction::Outgoing => worth(PrincipalIx::Role(r), false),
                Direction::Incoming => worth(p.p, p.raised.is_some()),
            })
            .collect();
        watch.grow(pairs.len());
        let decided = hops(org, &pairs, context, watch);
        if watch.stopped() {
            return None;
        }
        // The best edge between each pair: assume-role first, then the escalations.
        let mut found: Vec<(Node, Node, Edge)> = pairs
            .into_iter()
            .zip(decided)
            .filter_map(|((p, r), needs)| {
                let needs = needs?;
                Some((
                    p,
                    Node::plain(PrincipalIx::Role(r)),
                    Edge::assume(&org.role(r).arn, needs),
                ))
            })
            .collect();
        let joined: FxSet<(Node, Node)> = found
            .iter()
            .filter(|(_, _, e)| e.cost() == 1)
            .map(|&(p, q, _)| (p, q))
            .collect();
        let more = escalate(&at, &worth, &|p, q| joined.contains(&(p, q)));
        if watch.stopped() {
            return None;
        }
        // Only assume-role hops can meet an escalation of the same pair: `escalate`
        // gives each pair once.
        let at_pair: FxMap<(Node, Node), usize> = found
            .iter()
            .enumerate()
            .map(|(i, (p, q, _))| ((*p, *q), i))
            .collect();
        found.reserve(more.len());
        for (p, q, e) in more {
            match at_pair.get(&(p, q)) {
                Some(&i) => {
                    if e.cost() < found[i].2.cost() {
                        found[i].2 = e;
                    }
                }
                None => found.push((p, q, e)),
            }
        }
        h.graph.reserve_edges(found.len());
        for (p, q, e) in found {
            let (pn, _) = h.node(p);
            let (qn, _) = h.node(q);
            let next = match dir {
                Direction::Outgoing => qn,
                Direction::Incoming => pn,
            };
            let nc = c.saturating_add(e.cost());
            h.graph.add_edge(pn, qn, e);
            if next.index() == cost.len() {
                cost.push(u32::MAX);
            }
            if nc < cost[next.index()] {
                cost[next.index()] = nc;
                heap.push(Reverse((nc, next.index())));
            }
        }
    }
    Some(h)
}

/// Every shortest path to or from the root, found in one search (Dijkstra's): a hop
/// costs 1, or 100 when it needs context the question did not give ([`Edge::cost`]).
pub struct Shortest {
    cost: Vec<u32>,
    /// The edge each node is reached by (towards the root), `None` for the root and
    /// for nodes not reached.
    via: Vec<Option<EdgeIndex>>,
    dir: Direction,
}

impl Shortest {
    /// From the root along `dir` (outgoing: paths from the root; incoming: paths to
    /// it). Ties go to the node found first, so the answer is the same every time.
    pub fn new(h: &Hops, dir: Direction) -> Shortest {
        let n = h.graph.node_count();
        let mut s = Shortest {
            cost: vec![u32::MAX; n],
            via: vec![None; n],
            dir,
        };
        let mut heap = BinaryHeap::new();
        s.cost[h.root.index()] = 0;
        heap.push(Reverse((0u32, h.root.index())));
        while let Some(Reverse((c, u))) = heap.pop() {
            if c > s.cost[u] {
                continue;
            }
            for e in h.graph.edges_directed(NodeIndex::new(u), dir) {
                let v = match dir {
                    Direction::Outgoing => e.target(),
                    Direction::Incoming => e.source(),
                };
                let nc = c.saturating_add(e.weight().cost());
                if nc < s.cost[v.index()] {
                    s.cost[v.index()] = nc;
                    s.via[v.index()] = Some(e.id());
                    heap.push(Reverse((nc, v.index())));
                }
            }
        }
        s
    }

    /// The edge `n` is reached by (towards the root); `None` for the root and for
    /// nodes not reached.
    pub fn via(&self, n: NodeIndex) -> Option<EdgeIndex> {
        self.via[n.index()]
    }

    pub fn reached(&self, n: NodeIndex) -> bool {
        self.cost[n.index()] != u32::MAX
    }

    /// The path between the root and `n`, in the direction of the hops (from the root
    /// to `n` outgoing, from `n` to the root incoming): its nodes, and its edges.
    pub fn path(&self, h: &Hops, n: NodeIndex) -> (Vec<NodeIndex>, Vec<EdgeIndex>) {
        let (mut nodes, mut edges) = (vec![n], Vec::new());
        let mut at = n;
        while let Some(e) = self.via[at.index()] {
            let (a, b) = h.graph.edge_endpoints(e).unwrap_or((h.root, h.root));
            at = if self.dir == Direction::Outgoing {
                a
            } else {
                b
            };
            nodes.push(at);
            edges.push(e);
        }
        if self.dir == Direction::Outgoing {
            nodes.reverse();
            edges.reverse();
        }
        (nodes, edges)
    }
}

/// A condition as paths show it: `key=value`, `key=(absent)`.
pub fn need_text(c: &super::super::who_can::Condition) -> String {
    format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)"))
}
