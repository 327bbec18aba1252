//! The organization as a petgraph graph: nodes for the root, OUs, accounts,
//! principals, groups, policies and resources; edges for containment, attachment,
//! group membership and boundaries.
//!
//! Nodes are added table by table, so an entity's node index is its table offset plus
//! its index: no map from entity to node is needed.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use super::ids::*;

/// How a policy is attached to what holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttachKind {
    Scp,
    Rcp,
    Managed,
    Inline,
    Boundary,
    /// A role's trust policy.
    Trust,
    /// A resource's own policy.
    ResourcePolicy,
}

/// A graph edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edge {
    /// Root -> OU -> OU -> account -> user, group, role, resource, customer managed policy.
    Contains,
    /// User -> group.
    MemberOf,
    /// Holder -> policy.
    Attached(AttachKind),
}

/// Where a policy is attached: the reverse question an auditor asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attachment {
    pub target: Entity,
    pub how: AttachKind,
}

type MakeEntity = fn(usize) -> Entity;

/// Table offsets of each kind of node.
#[derive(Debug, Clone, Copy, Default)]
struct Offsets {
    ous: u32,
    accounts: u32,
    users: u32,
    groups: u32,
    roles: u32,
    policies: u32,
    resources: u32,
    end: u32,
}

/// The graph and the way between entities and nodes.
#[derive(Debug, Clone, Default)]
pub struct OrgGraph {
    graph: DiGraph<Entity, Edge>,
    offsets: Offsets,
}

/// How many of each kind of node.
pub(crate) struct Counts {
    pub ous: usize,
    pub accounts: usize,
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
    pub policies: usize,
    pub resources: usize,
}

impl OrgGraph {
    /// A graph with every node and no edges yet.
    pub(crate) fn with_nodes(c: &Counts, edges: usize) -> OrgGraph {
        let mut o = Offsets {
            ous: 1,
            ..Offsets::default()
        };
        o.accounts = o.ous + c.ous as u32;
        o.users = o.accounts + c.accounts as u32;
        o.groups = o.users + c.users as u32;
        o.roles = o.groups + c.groups as u32;
        o.policies = o.roles + c.roles as u32;
        o.resources = o.policies + c.policies as u32;
        o.end = o.resources + c.resources as u32;
        let mut graph = DiGraph::with_capacity(o.end as usize, edges);
        graph.add_node(Entity::Root);
        let tables: [(usize, MakeEntity); 7] = [
            (c.ous, |i| Entity::Ou(OuIx::new(i))),
            (c.accounts, |i| Entity::Account(AccountIx::new(i))),
            (c.users, |i| Entity::User(UserIx::new(i))),
            (c.groups, |i| Entity::Group(GroupIx::new(i))),
            (c.roles, |i| Entity::Role(RoleIx::new(i))),
            (c.policies, |i| Entity::Policy(PolicyIx::new(i))),
            (c.resources, |i| Entity::Resource(ResourceIx::new(i))),
        ];
        for (n, make) in tables {
            for i in 0..n {
                graph.add_node(make(i));
            }
        }
        OrgGraph { graph, offsets: o }
    }

    pub(crate) fn link(&mut self, from: Entity, to: Entity, e: Edge) {
        let (a, b) = (self.node(from), self.node(to));
        self.graph.add_edge(a, b, e);
    }

    /// The node that stands for an entity.
    pub fn node(&self, e: Entity) -> NodeIndex {
        let o = &self.offsets;
        NodeIndex::new(match e {
            Entity::Root => 0,
            Entity::Ou(x) => (o.ous + x.0) as usize,
            Entity::Account(x) => (o.accounts + x.0) as usize,
            Entity::User(x) => (o.users + x.0) as usize,
            Entity::Group(x) => (o.groups + x.0) as usize,
            Entity::Role(x) => (o.roles + x.0) as usize,
            Entity::Policy(x) => (o.policies + x.0) as usize,
            Entity::Resource(x) => (o.resources + x.0) as usize,
        })
    }

    /// The entity a node stands for.
    pub fn entity(&self, n: NodeIndex) -> Option<Entity> {
        self.graph.node_weight(n).copied()
    }

    /// The petgraph graph, for algorithms (paths, reachability).
    pub fn graph(&self) -> &DiGraph<Entity, Edge> {
        &self.graph
    }

    /// Edges out of an entity: what it contains, is member of, or has attached.
    pub fn outgoing(&self, e: Entity) -> impl Iterator<Item = (Entity, Edge)> + '_ {
        self.graph
            .edges_directed(self.node(e), Direction::Outgoing)
            .map(|r| (self.graph[r.target()], *r.weight()))
    }

    /// Edges into an entity: its container, its members, what it is attached to.
    pub fn incoming(&self, e: Entity) -> impl Iterator<Item = (Entity, Edge)> + '_ {
        self.graph
            .edges_directed(self.node(e), Direction::Incoming)
            .map(|r| (self.graph[r.source()], *r.weight()))
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
