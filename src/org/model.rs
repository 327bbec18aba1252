//! [`Org`]: the loaded organization, its indexes and its graph. Immutable once built;
//! analyses borrow it.

use std::sync::{Arc, OnceLock};

use smallvec::SmallVec;

use super::entities::*;
use super::graph::{AttachKind, Attachment, Counts, Edge, OrgGraph};
use super::hash::{FxMap, hash_bytes};
use super::ids::*;
use crate::policy::Policy;

/// What the builder hands over.
pub(crate) struct Parts {
    pub info: OrgInfo,
    pub root: Root,
    pub ous: Vec<Ou>,
    pub accounts: Vec<Account>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    pub roles: Vec<Role>,
    pub policies: Vec<PolicyRecord>,
    pub resources: Vec<Resource>,
    pub docs: Vec<Doc>,
    pub arn_owner: FxMap<Arc<str>, Entity>,
    pub account_by_id: FxMap<Box<str>, AccountIx>,
    pub ou_by_id: FxMap<Box<str>, OuIx>,
    pub sources: super::sources::Sources,
}

/// The answer to a lookup by short name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameLookup {
    NotFound,
    Unique(Entity),
    /// Several entities share the name: ask by ARN or id.
    Ambiguous(Vec<Entity>),
}

/// How big an organization is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub ous: usize,
    pub accounts: usize,
    pub users: usize,
    pub groups: usize,
    pub roles: usize,
    pub policies: usize,
    /// Distinct compiled documents (shared by identical policies).
    pub documents: usize,
    pub resources: usize,
    pub graph_nodes: usize,
    pub graph_edges: usize,
}

/// An AWS organization: its tree, the IAM in each account, every policy compiled once,
/// with indexes by ARN and name, and precomputed SCP/RCP levels per account.
///
/// The big tables sit behind `Arc`, so a clone is cheap and a what-if change copies
/// only the tables it writes (`Arc::make_mut`); the graph and the attachments, which
/// only the TUI and findings read, are built on first use.
#[derive(Debug, Clone)]
pub struct Org {
    info: OrgInfo,
    root: Root,
    ous: Arc<Vec<Ou>>,
    accounts: Arc<Vec<Account>>,
    users: Arc<Vec<User>>,
    groups: Arc<Vec<Group>>,
    roles: Arc<Vec<Role>>,
    policies: Arc<Vec<PolicyRecord>>,
    resources: Arc<Vec<Resource>>,
    docs: Arc<Vec<Doc>>,
    by_arn: Arc<FxMap<Arc<str>, Entity>>,
    /// Exact-name hash -> entities with a name of that hash.
    by_name: Arc<FxMap<u64, SmallVec<[Entity; 1]>>>,
    account_by_id: Arc<FxMap<Box<str>, AccountIx>>,
    ou_by_id: Arc<FxMap<Box<str>, OuIx>>,
    /// Per account: its OUs from the root down.
    ancestors: Arc<Vec<Vec<OuIx>>>,
    scp_levels: Arc<Vec<Vec<Vec<PolicyIx>>>>,
    rcp_levels: Arc<Vec<Vec<Vec<PolicyIx>>>>,
    links: Arc<OnceLock<Links>>,
    /// Entities named by ARN, by the ARN's service: built when first asked for.
    by_service: Arc<OnceLock<ByService>>,
    /// The statements that read a tag of the request's resource: built when first
    /// asked for.
    resource_tag_reads: Arc<OnceLock<Vec<ResourceTagRead>>>,
    /// Tells this org's contents apart from any other's: a new one per load and per
    /// in-memory edit (a clone, being the same, keeps it).
    stamp: u64,
    /// What in-memory edits wrote since the org of stamp `base`.
    edits: Option<Arc<Edits>>,
    /// Where each policy's document is in the files read.
    sources: Arc<super::sources::Sources>,
}

/// A statement that reads tags of the request's resource.
#[derive(Debug)]
pub struct ResourceTagRead {
    pub doc: DocIx,
    /// Its place in the document's statements.
    pub statement: usize,
    /// The tags it reads, lower-cased; `None`: any.
    pub tags: Option<Vec<String>>,
}

/// What a what-if's in-memory edits wrote, relative to the org they started from, so
/// that the diff compares only that (src/scenario/touched.rs). Written by the edit
/// methods themselves, so nothing written escapes it.
#[derive(Debug, Clone, Default)]
pub struct Edits {
    /// The stamp of the org the edits started from.
    base: u64,
    /// SCP or RCP attachments or documents: the levels may differ anywhere.
    pub tree: bool,
    /// The principals whose identity policies were written (a group's: its members).
    pub principals: Vec<PrincipalIx>,
    /// Resources and roles (by ARN) whose own policy or trust policy was written, or
    /// that were added or removed.
    pub resources: Vec<Arc<str>>,
    /// Users, roles or resources were added or removed: the ARNs differ.
    pub entities: bool,
    /// Something else was written: compare everything.
    pub everything: bool,
}

impl Edits {
    /// Whether every resource and role has the same policy (or trust policy) and
    /// account, and the orgs have the same ARNs: a question's resource side is then
    /// the same in both.
    pub fn same_sides(&self) -> bool {
        !self.everything && self.resources.is_empty() && !self.entities
    }

    /// Whether the orgs hold the same users, roles and resources.
    pub fn same_entities(&self) -> bool {
        !self.everything && !self.entities
    }
}

fn new_stamp() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Resources, roles, users and groups by their ARN's service, each with the byte
/// offset of its ARN's resource segment.
pub(crate) type ByService = FxMap<Box<str>, Vec<(Entity, u32)>>;

/// The graph and each policy's attachments: derived from the tables, built when first
/// asked for.
#[derive(Debug, Default)]
struct Links {
    attachments: Vec<Vec<Attachment>>,
    graph: OrgGraph,
}

fn name_hash(name: &str) -> u64 {
    hash_bytes(name.as_bytes())
}

impl Org {
    pub(crate) fn assemble(p: Parts) -> Org {
        let mut org = Org {
            info: p.info,
            root: p.root,
            ous: Arc::new(p.ous),
            accounts: Arc::new(p.accounts),
            users: Arc::new(p.users),
            groups: Arc::new(p.groups),
            roles: Arc::new(p.roles),
            policies: Arc::new(p.policies),
            resources: Arc::new(p.resources),
            docs: Arc::new(p.docs),
            by_arn: Arc::new(p.arn_owner),
            by_name: Arc::default(),
            account_by_id: Arc::new(p.account_by_id),
            ou_by_id: Arc::new(p.ou_by_id),
            ancestors: Arc::default(),
            scp_levels: Arc::default(),
            rcp_levels: Arc::default(),
            links: Arc::default(),
            by_service: Arc::default(),
            resource_tag_reads: Arc::default(),
            stamp: new_stamp(),
            edits: None,
            sources: Arc::new(p.sources),
        };
        org.index_levels();
        org.index_arns_and_names();
        org
    }

    fn links(&self) -> &Links {
        self.links.get_or_init(|| self.build_links())
    }

    fn index_levels(&mut self) {
        let mgmt = self.info.management_account;
        let standalone = self.info.id.is_none();
        let (mut ancestors, mut scp_levels, mut rcp_levels) = (Vec::new(), Vec::new(), Vec::new());
        for (i, a) in self.accounts.iter().enumerate() {
            let mut chain = Vec::new();
            let mut cur = a.parent;
            while let Parent::Ou(o) = cur {
                chain.push(o);
                cur = self.ous[o.index()].parent;
            }
            chain.reverse();
            let exempt = standalone || mgmt == Some(AccountIx::new(i));
            let levels = |rcp: bool| -> Vec<Vec<PolicyIx>> {
                let enabled = if rcp {
                    self.info.rcps_enabled
                } else {
                    self.info.scps_enabled
                };
                if exempt || !enabled {
                    return Vec::new();
                }
                let pick =
                    |r: &Vec<PolicyIx>, s: &Vec<PolicyIx>| if rcp { r.clone() } else { s.clone() };
                let mut out = Vec::with_capacity(chain.len() + 2);
                out.push(pick(&self.root.rcps, &self.root.scps));
                out.extend(chain.iter().map(|o| {
                    let ou = &self.ous[o.index()];
                    pick(&ou.rcps, &ou.scps)
                }));
                out.push(pick(&a.rcps, &a.scps));
                out
            };
            scp_levels.push(levels(false));
            rcp_levels.push(levels(true));
            ancestors.push(chain);
        }
        self.ancestors = Arc::new(ancestors);
        self.scp_levels = Arc::new(scp_levels);
        self.rcp_levels = Arc::new(rcp_levels);
    }

    fn index_arns_and_names(&mut self) {
        let mut names: Vec<(&str, Entity)> = Vec::new();
        for (i, a) in self.accounts.iter().enumerate() {
            names.push((&a.name, Entity::Account(AccountIx::new(i))));
            names.push((&a.id, Entity::Account(AccountIx::new(i))));
        }
        for (i, o) in self.ous.iter().enumerate() {
            names.push((&o.name, Entity::Ou(OuIx::new(i))));
            names.push((&o.id, Entity::Ou(OuIx::new(i))));
        }
        names.push((&self.root.id, Entity::Root));
        names.extend(
            self.users
                .iter()
                .enumerate()
                .map(|(i, u)| (u.name(), Entity::User(UserIx::new(i)))),
        );
        names.extend(
            self.groups
                .iter()
                .enumerate()
                .map(|(i, g)| (g.name(), Entity::Group(GroupIx::new(i)))),
        );
        names.extend(
            self.roles
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name(), Entity::Role(RoleIx::new(i)))),
        );
        for (i, p) in self.policies.iter().enumerate() {
            if matches!(
                p.origin,
                PolicyOrigin::AwsManaged
                    | PolicyOrigin::CustomerManaged(_)
                    | PolicyOrigin::Scp
                    | PolicyOrigin::Rcp
            ) {
                names.push((
                    self.docs[p.doc.index()].policy.name(),
                    Entity::Policy(PolicyIx::new(i)),
                ));
            }
        }
        names.extend(
            self.resources
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name(), Entity::Resource(ResourceIx::new(i)))),
        );
        let mut by_name: FxMap<u64, SmallVec<[Entity; 1]>> =
            FxMap::with_capacity_and_hasher(names.len(), Default::default());
        for (name, e) in names {
            let v = by_name.entry(name_hash(name)).or_default();
            // An account named by its own id is one entity, not two.
            if v.last() != Some(&e) {
                v.push(e);
            }
        }
        self.by_name = Arc::new(by_name);
        // Managed policies, SCPs and RCPs by ARN (principals and resources are in
        // already).
        let by_arn = Arc::make_mut(&mut self.by_arn);
        for (i, p) in self.policies.iter().enumerate() {
            if let Some(arn) = &p.arn {
                by_arn
                    .entry(arn.clone())
                    .or_insert(Entity::Policy(PolicyIx::new(i)));
            }
        }
    }

    fn build_links(&self) -> Links {
        let counts = Counts {
            ous: self.ous.len(),
            accounts: self.accounts.len(),
            users: self.users.len(),
            groups: self.groups.len(),
            roles: self.roles.len(),
            policies: self.policies.len(),
            resources: self.resources.len(),
        };
        let estimate = self.ous.len()
            + self.accounts.len() * 2
            + self.users.len() * 4
            + self.roles.len() * 4
            + self.groups.len() * 3
            + self.resources.len() * 2;
        let mut g = OrgGraph::with_nodes(&counts, estimate);
        let mut att: Vec<Vec<Attachment>> = vec![Vec::new(); self.policies.len()];
        let mut attach = |g: &mut OrgGraph, target: Entity, p: PolicyIx, how: AttachKind| {
            g.link(target, Entity::Policy(p), Edge::Attached(how));
            att[p.index()].push(Attachment { target, how });
        };
        let org_policies = |g: &mut OrgGraph,
                            att: &mut dyn FnMut(&mut OrgGraph, Entity, PolicyIx, AttachKind),
                            target: Entity,
                            scps: &[PolicyIx],
                            rcps: &[PolicyIx]| {
            for &p in scps {
                att(g, target, p, AttachKind::Scp);
            }
            for &p in rcps {
                att(g, target, p, AttachKind::Rcp);
            }
        };
        org_policies(
            &mut g,
            &mut attach,
            Entity::Root,
            &self.root.scps,
            &self.root.rcps,
        );
        for (i, o) in self.ous.iter().enumerate() {
            let e = Entity::Ou(OuIx::new(i));
            g.link(o.parent.into(), e, Edge::Contains);
            org_policies(&mut g, &mut attach, e, &o.scps, &o.rcps);
        }
        for (i, a) in self.accounts.iter().enumerate() {
            let e = Entity::Account(AccountIx::new(i));
            g.link(a.parent.into(), e, Edge::Contains);
            org_policies(&mut g, &mut attach, e, &a.scps, &a.rcps);
            for &p in &a.policies {
                g.link(e, Entity::Policy(p), Edge::Contains);
            }
            for &u in &a.users {
                g.link(e, Entity::User(u), Edge::Contains);
            }
            for &x in &a.groups {
                g.link(e, Entity::Group(x), Edge::Contains);
            }
            for &r in &a.roles {
                g.link(e, Entity::Role(r), Edge::Contains);
            }
            for &r in &a.resources {
                g.link(e, Entity::Resource(r), Edge::Contains);
            }
        }
        for (i, u) in self.users.iter().enumerate() {
            let e = Entity::User(UserIx::new(i));
            for &x in &u.groups {
                g.link(e, Entity::Group(x), Edge::MemberOf);
            }
            for &p in &u.managed {
                attach(&mut g, e, p, AttachKind::Managed);
            }
            for &p in &u.inline {
                attach(&mut g, e, p, AttachKind::Inline);
            }
            if let Some(p) = u.boundary {
                attach(&mut g, e, p, AttachKind::Boundary);
            }
        }
        for (i, x) in self.groups.iter().enumerate() {
            let e = Entity::Group(GroupIx::new(i));
            for &p in &x.managed {
                attach(&mut g, e, p, AttachKind::Managed);
            }
            for &p in &x.inline {
                attach(&mut g, e, p, AttachKind::Inline);
            }
        }
        for (i, r) in self.roles.iter().enumerate() {
            let e = Entity::Role(RoleIx::new(i));
            if let Some(p) = r.trust {
                attach(&mut g, e, p, AttachKind::Trust);
            }
            for &p in &r.managed {
                attach(&mut g, e, p, AttachKind::Managed);
            }
            for &p in &r.inline {
                attach(&mut g, e, p, AttachKind::Inline);
            }
            if let Some(p) = r.boundary {
                attach(&mut g, e, p, AttachKind::Boundary);
            }
        }
        for (i, r) in self.resources.iter().enumerate() {
            if let Some(p) = r.policy {
                attach(
                    &mut g,
                    Entity::Resource(ResourceIx::new(i)),
                    p,
                    AttachKind::ResourcePolicy,
                );
            }
        }
        Links {
            attachments: att,
            graph: g,
        }
    }

    // ---- what-if edits (src/scenario/in_memory.rs) ------------------------------------
    // Each copies only the table it writes; `reindex` then recomputes what derives from
    // the tree and drops the graph, built again when next asked for.

    /// Starts recording edits: this org becomes another one, derived from what it was.
    pub(crate) fn begin_edits(&mut self) {
        self.edits = Some(Arc::new(Edits {
            base: self.stamp,
            ..Edits::default()
        }));
        self.stamp = new_stamp();
    }

    fn record(&mut self, f: impl FnOnce(&mut Edits)) {
        if let Some(e) = &mut self.edits {
            f(Arc::make_mut(e));
        }
    }

    fn record_owner(&mut self, owner: InlineOwner) {
        let who: Vec<PrincipalIx> = match owner {
            InlineOwner::User(u) => vec![PrincipalIx::User(u)],
            InlineOwner::Role(r) => vec![PrincipalIx::Role(r)],
            InlineOwner::Group(g) => self.groups[g.index()]
                .members
                .iter()
                .map(|&u| PrincipalIx::User(u))
                .collect(),
        };
        self.record(|e| e.principals.extend(who));
    }

    /// Tells this org's contents apart from any other org's (a clone keeps it; an
    /// edit in memory makes a new one): what caches of an org are keyed by.
    pub(crate) fn stamp(&self) -> u64 {
        self.stamp
    }

    /// What in-memory edits wrote to make this org from `before`; `None` when this
    /// org was not made so from `before`.
    pub fn edits_since(&self, before: &Org) -> Option<&Edits> {
        self.edits.as_deref().filter(|e| e.base == before.stamp)
    }

    /// Adds a compiled document.
    pub(crate) fn push_doc(&mut self, doc: Doc) -> super::ids::DocIx {
        self.resource_tag_reads = Arc::default();
        let docs = Arc::make_mut(&mut self.docs);
        docs.push(doc);
        super::ids::DocIx::new(docs.len() - 1)
    }

    /// Adds a policy record, indexed by ARN and, for a named kind, by name.
    pub(crate) fn push_policy(&mut self, rec: PolicyRecord) -> PolicyIx {
        let ix = PolicyIx::new(self.policies.len());
        if let Some(arn) = &rec.arn {
            Arc::make_mut(&mut self.by_arn)
                .entry(arn.clone())
                .or_insert(Entity::Policy(ix));
        }
        let named = matches!(
            rec.origin,
            PolicyOrigin::AwsManaged
                | PolicyOrigin::CustomerManaged(_)
                | PolicyOrigin::Scp
                | PolicyOrigin::Rcp
        );
        let name = self.docs[rec.doc.index()].policy.name().to_string();
        Arc::make_mut(&mut self.policies).push(rec);
        if named {
            Arc::make_mut(&mut self.by_name)
                .entry(name_hash(&name))
                .or_default()
                .push(Entity::Policy(ix));
        }
        ix
    }

    /// Gives a policy another document (the name stays).
    pub(crate) fn set_policy_doc(&mut self, p: PolicyIx, doc: super::ids::DocIx) {
        Arc::make_mut(&mut self.policies)[p.index()].doc = doc;
        match self.policies[p.index()].origin {
            PolicyOrigin::Scp | PolicyOrigin::Rcp => self.record(|e| e.tree = true),
            PolicyOrigin::Inline(owner) => self.record_owner(owner),
            PolicyOrigin::Trust(r) => self.record_side(Entity::Role(r)),
            PolicyOrigin::Resource(r) => self.record_side(Entity::Resource(r)),
            PolicyOrigin::AwsManaged | PolicyOrigin::CustomerManaged(_) => {
                let who = self.holders(p);
                self.record(|e| e.principals.extend(who));
            }
        }
    }

    /// The resource or role whose policy (or trust policy) was written.
    fn record_side(&mut self, e: Entity) {
        if let Some(arn) = self.arn(e).map(Arc::<str>::from) {
            self.record(|x| x.resources.push(arn));
        }
    }

    /// The principals a managed policy governs: those it is attached to (through a
    /// group too) or that it bounds.
    fn holders(&self, p: PolicyIx) -> Vec<PrincipalIx> {
        let mut who: Vec<PrincipalIx> = Vec::new();
        for (i, u) in self.users.iter().enumerate() {
            if u.managed.contains(&p) || u.boundary == Some(p) {
                who.push(PrincipalIx::User(UserIx::new(i)));
            }
        }
        for (i, r) in self.roles.iter().enumerate() {
            if r.managed.contains(&p) || r.boundary == Some(p) {
                who.push(PrincipalIx::Role(RoleIx::new(i)));
            }
        }
        for g in self.groups.iter().filter(|g| g.managed.contains(&p)) {
            who.extend(g.members.iter().map(|&u| PrincipalIx::User(u)));
        }
        who
    }

    /// Sets (or, for a resource, removes) a role's trust policy or a resource's policy.
    pub(crate) fn set_side_policy(&mut self, side: Entity, p: impl Into<Option<PolicyIx>>) {
        let p = p.into();
        match side {
            Entity::Role(r) => Arc::make_mut(&mut self.roles)[r.index()].trust = p,
            Entity::Resource(r) => Arc::make_mut(&mut self.resources)[r.index()].policy = p,
            _ => return,
        }
        self.record_side(side);
    }

    /// Adds an entity to the ARN and name indexes.
    fn index_new(&mut self, arn: Option<Arc<str>>, names: &[&str], e: Entity) {
        if let Some(arn) = arn {
            Arc::make_mut(&mut self.by_arn).insert(arn, e);
        }
        let by_name = Arc::make_mut(&mut self.by_name);
        for name in names {
            let v = by_name.entry(name_hash(name)).or_default();
            if v.last() != Some(&e) {
                v.push(e);
            }
        }
    }

    /// Adds a resource (at the end of its account's list, as a load would).
    pub(crate) fn push_resource(&mut self, res: Resource) -> ResourceIx {
        let ix = ResourceIx::new(self.resources.len());
        let (arn, name, account) = (res.arn.clone(), res.name().to_string(), res.account);
        Arc::make_mut(&mut self.resources).push(res);
        Arc::make_mut(&mut self.accounts)[account.index()]
            .resources
            .push(ix);
        self.index_new(Some(arn), &[&name], Entity::Resource(ix));
        self.record_side(Entity::Resource(ix));
        self.record(|e| e.entities = true);
        ix
    }

    /// Adds a user to its account.
    pub(crate) fn push_user(&mut self, user: User) -> UserIx {
        let ix = UserIx::new(self.users.len());
        let (arn, account) = (user.arn.clone(), user.account);
        let name = user.name().to_string();
        Arc::make_mut(&mut self.users).push(user);
        Arc::make_mut(&mut self.accounts)[account.index()]
            .users
            .push(ix);
        self.index_new(Some(arn), &[&name], Entity::User(ix));
        self.record(|e| {
            e.principals.push(PrincipalIx::User(ix));
            e.entities = true;
        });
        ix
    }

    /// Adds a role to its account; its trust policy is set apart ([`Self::set_side_policy`]).
    pub(crate) fn push_role(&mut self, role: Role) -> RoleIx {
        let ix = RoleIx::new(self.roles.len());
        let (arn, account) = (role.arn.clone(), role.account);
        let name = role.name().to_string();
        Arc::make_mut(&mut self.roles).push(role);
        Arc::make_mut(&mut self.accounts)[account.index()]
            .roles
            .push(ix);
        self.index_new(Some(arn), &[&name], Entity::Role(ix));
        self.record(|e| {
            e.principals.push(PrincipalIx::Role(ix));
            e.entities = true;
        });
        self.record_side(Entity::Role(ix));
        ix
    }

    /// Adds a customer managed policy to its account (attached nowhere yet).
    pub(crate) fn push_customer_policy(
        &mut self,
        account: AccountIx,
        rec: PolicyRecord,
    ) -> PolicyIx {
        let p = self.push_policy(rec);
        Arc::make_mut(&mut self.accounts)[account.index()]
            .policies
            .push(p);
        p
    }

    /// Adds an OU with no account or OU under it yet (last among its parent's OUs, as
    /// a load lists them in OU order).
    pub(crate) fn push_ou(&mut self, ou: Ou) -> OuIx {
        let ix = OuIx::new(self.ous.len());
        let (id, name, parent) = (ou.id.clone(), ou.name.to_string(), ou.parent);
        Arc::make_mut(&mut self.ous).push(ou);
        self.ou_children_mut(parent).push(ix);
        Arc::make_mut(&mut self.ou_by_id).insert(id.clone(), ix);
        self.index_new(None, &[&name, &id], Entity::Ou(ix));
        self.record(|e| e.tree = true);
        ix
    }

    /// Moves an OU (and all below it) under the root or another OU; the depths below
    /// follow.
    pub(crate) fn move_ou(&mut self, o: OuIx, to: Parent) {
        self.record(|e| e.tree = true);
        let from = self.ous[o.index()].parent;
        self.ou_children_mut(from).retain(|&x| x != o);
        let list = self.ou_children_mut(to);
        let at = list.partition_point(|&x| x < o);
        list.insert(at, o);
        let ous = Arc::make_mut(&mut self.ous);
        ous[o.index()].parent = to;
        let mut stack = vec![o];
        while let Some(x) = stack.pop() {
            ous[x.index()].depth = match ous[x.index()].parent {
                Parent::Root => 1,
                Parent::Ou(p) => ous[p.index()].depth + 1,
            };
            stack.extend(ous[x.index()].ous.iter().copied());
        }
    }

    fn ou_children_mut(&mut self, p: Parent) -> &mut Vec<OuIx> {
        match p {
            Parent::Root => &mut self.root.ous,
            Parent::Ou(o) => &mut Arc::make_mut(&mut self.ous)[o.index()].ous,
        }
    }

    /// Deletes policy `p`, numbering the policies after it one less, as a load of the
    /// changed org numbers them. Every table that holds a policy index is rewritten:
    /// rare changes (a deleted SCP, managed, inline or resource policy) pay for it.
    pub(crate) fn remove_policy(&mut self, p: PolicyIx) {
        if let PolicyOrigin::Inline(owner) = self.policies[p.index()].origin {
            self.record_owner(owner);
        }
        let fp = |q: PolicyIx| PolicyIx(q.0 - u32::from(q.0 > p.0));
        macro_rules! fix {
            ($list:expr) => {{
                $list.retain(|q| *q != p);
                for q in $list.iter_mut() {
                    *q = fp(*q);
                }
            }};
        }
        let fix_opt = |o: &mut Option<PolicyIx>| {
            *o = o.filter(|&q| q != p).map(fp);
        };
        fix!(self.root.scps);
        fix!(self.root.rcps);
        for o in Arc::make_mut(&mut self.ous) {
            fix!(o.scps);
            fix!(o.rcps);
        }
        for a in Arc::make_mut(&mut self.accounts) {
            fix!(a.scps);
            fix!(a.rcps);
            fix!(a.policies);
        }
        for u in Arc::make_mut(&mut self.users) {
            fix!(u.managed);
            fix!(u.inline);
            fix_opt(&mut u.boundary);
        }
        for g in Arc::make_mut(&mut self.groups) {
            fix!(g.managed);
            fix!(g.inline);
        }
        for r in Arc::make_mut(&mut self.roles) {
            fix!(r.managed);
            fix!(r.inline);
            fix_opt(&mut r.trust);
            fix_opt(&mut r.boundary);
        }
        Arc::make_mut(&mut self.policies).remove(p.index());
        for res in Arc::make_mut(&mut self.resources) {
            fix_opt(&mut res.policy);
        }
        let gone = |e: &Entity| *e == Entity::Policy(p);
        let fe = |e: &mut Entity| {
            if let Entity::Policy(q) = e {
                *q = fp(*q);
            }
        };
        let by_arn = Arc::make_mut(&mut self.by_arn);
        by_arn.retain(|_, e| !gone(e));
        by_arn.values_mut().for_each(fe);
        let by_name = Arc::make_mut(&mut self.by_name);
        for v in by_name.values_mut() {
            v.retain(|e| !gone(e));
            v.iter_mut().for_each(fe);
        }
        by_name.retain(|_, v| !v.is_empty());
        Arc::make_mut(&mut self.sources).remove(p);
    }

    /// The SCPs (or RCPs) attached to the root, an OU or an account.
    pub(crate) fn org_policies_mut(&mut self, node: Entity, rcp: bool) -> &mut Vec<PolicyIx> {
        self.record(|e| e.tree = true);
        let (scps, rcps) = match node {
            Entity::Ou(o) => {
                let ou = &mut Arc::make_mut(&mut self.ous)[o.index()];
                (&mut ou.scps, &mut ou.rcps)
            }
            Entity::Account(a) => {
                let acct = &mut Arc::make_mut(&mut self.accounts)[a.index()];
                (&mut acct.scps, &mut acct.rcps)
            }
            _ => (&mut self.root.scps, &mut self.root.rcps),
        };
        if rcp { rcps } else { scps }
    }

    /// Moves an account under the root or an OU. Each parent's list of accounts stays
    /// in account order, as the builder makes it (src/org/builder/checks.rs).
    pub(crate) fn move_account(&mut self, a: AccountIx, to: Parent) {
        self.record(|e| e.tree = true);
        let from = self.accounts[a.index()].parent;
        self.children_mut(from).retain(|&x| x != a);
        let list = self.children_mut(to);
        let at = list.partition_point(|&x| x < a);
        list.insert(at, a);
        Arc::make_mut(&mut self.accounts)[a.index()].parent = to;
    }

    fn children_mut(&mut self, p: Parent) -> &mut Vec<AccountIx> {
        match p {
            Parent::Root => &mut self.root.accounts,
            Parent::Ou(o) => &mut Arc::make_mut(&mut self.ous)[o.index()].accounts,
        }
    }

    /// The inline policies of a user, group or role.
    pub(crate) fn inline_mut(&mut self, owner: InlineOwner) -> &mut SmallVec<[PolicyIx; 1]> {
        self.record_owner(owner);
        match owner {
            InlineOwner::User(u) => &mut Arc::make_mut(&mut self.users)[u.index()].inline,
            InlineOwner::Group(g) => &mut Arc::make_mut(&mut self.groups)[g.index()].inline,
            InlineOwner::Role(r) => &mut Arc::make_mut(&mut self.roles)[r.index()].inline,
        }
    }

    /// The managed policies attached to a user, group or role.
    pub(crate) fn managed_mut(&mut self, owner: InlineOwner) -> &mut SmallVec<[PolicyIx; 2]> {
        self.record_owner(owner);
        match owner {
            InlineOwner::User(u) => &mut Arc::make_mut(&mut self.users)[u.index()].managed,
            InlineOwner::Group(g) => &mut Arc::make_mut(&mut self.groups)[g.index()].managed,
            InlineOwner::Role(r) => &mut Arc::make_mut(&mut self.roles)[r.index()].managed,
        }
    }

    /// Sets or removes a user's or role's permissions boundary.
    pub(crate) fn set_boundary(&mut self, p: PrincipalIx, boundary: Option<PolicyIx>) {
        self.record(|e| e.principals.push(p));
        match p {
            PrincipalIx::User(u) => Arc::make_mut(&mut self.users)[u.index()].boundary = boundary,
            PrincipalIx::Role(r) => Arc::make_mut(&mut self.roles)[r.index()].boundary = boundary,
        }
    }

    /// This org with the tags of the user or role `p` replaced by `tags`: the org as
    /// a tag change (`iam:TagUser`, `iam:UntagRole`, ...) leaves it. Another org to
    /// every cache (a stamp of its own), with no in-memory edits recorded.
    pub fn with_tags(&self, p: PrincipalIx, tags: Vec<Tag>) -> Org {
        let mut org = self.clone();
        org.stamp = new_stamp();
        org.edits = None;
        match p {
            PrincipalIx::User(u) => Arc::make_mut(&mut org.users)[u.index()].tags = tags,
            PrincipalIx::Role(r) => Arc::make_mut(&mut org.roles)[r.index()].tags = tags,
        }
        org
    }

    /// Adds a user to a group (at the end of its list) or takes it out. A group's
    /// members stay in user order, as the builder makes them (src/org/builder/mod.rs).
    pub(crate) fn set_member(&mut self, u: UserIx, g: GroupIx, member: bool) {
        self.record(|e| e.principals.push(PrincipalIx::User(u)));
        let user = &mut Arc::make_mut(&mut self.users)[u.index()];
        let members = &mut Arc::make_mut(&mut self.groups)[g.index()].members;
        if member {
            user.groups.push(g);
            let at = members.partition_point(|&x| x < u);
            members.insert(at, u);
        } else {
            // One membership: the first, as the reload path removes it.
            if let Some(i) = user.groups.iter().position(|&x| x == g) {
                user.groups.remove(i);
            }
            if let Some(i) = members.iter().position(|&x| x == u) {
                members.remove(i);
            }
        }
    }

    /// After edits: the SCP and RCP levels again (cheap: a walk per account), and the
    /// graph and attachments left to be built when next asked for.
    pub(crate) fn reindex(&mut self) {
        self.index_levels();
        self.links = Arc::default();
        self.by_service = Arc::default();
        self.resource_tag_reads = Arc::default();
    }

    /// Every statement of the org's documents that reads a tag of the request's
    /// resource ([`crate::policy::Statement::resource_tags_read`]): few in most
    /// orgs, and only they can tell apart two users or roles by their tags.
    pub fn resource_tag_reads(&self) -> &[ResourceTagRead] {
        self.resource_tag_reads.get_or_init(|| {
            let mut reads = Vec::new();
            for (d, doc) in self.docs.iter().enumerate() {
                for (i, st) in doc.policy.statements().iter().enumerate() {
                    let tags = st.resource_tags_read();
                    if tags.as_ref().is_none_or(|t| !t.is_empty()) {
                        reads.push(ResourceTagRead {
                            doc: DocIx::new(d),
                            statement: i,
                            tags,
                        });
                    }
                }
            }
            reads
        })
    }

    /// The resources, roles, users and groups by their ARN's service (an ARN that
    /// does not parse is left out), built once and shared by clones: what-if matches
    /// an action's resource types against its own service's ARNs only.
    pub(crate) fn by_service(&self) -> &ByService {
        self.by_service.get_or_init(|| {
            let mut m: ByService = FxMap::default();
            let entities = (0..self.resources.len())
                .map(|i| Entity::Resource(ResourceIx::new(i)))
                .chain((0..self.roles.len()).map(|i| Entity::Role(RoleIx::new(i))))
                .chain((0..self.users.len()).map(|i| Entity::User(UserIx::new(i))))
                .chain((0..self.groups.len()).map(|i| Entity::Group(GroupIx::new(i))));
            for e in entities {
                let Some(arn) = self.arn(e) else { continue };
                let Some([_, service, _, _, resource]) = crate::policy::Arn::segments(arn) else {
                    continue;
                };
                let at = (arn.len() - resource.len()) as u32;
                match m.get_mut(service) {
                    Some(v) => v.push((e, at)),
                    None => {
                        m.insert(service.into(), vec![(e, at)]);
                    }
                }
            }
            m
        })
    }

    // ---- the tables -------------------------------------------------------------------

    pub fn info(&self) -> &OrgInfo {
        &self.info
    }
    pub fn root(&self) -> &Root {
        &self.root
    }
    pub fn ous(&self) -> &[Ou] {
        &self.ous
    }
    pub fn ou(&self, ix: OuIx) -> &Ou {
        &self.ous[ix.index()]
    }
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }
    pub fn account(&self, ix: AccountIx) -> &Account {
        &self.accounts[ix.index()]
    }
    pub fn users(&self) -> &[User] {
        &self.users
    }
    pub fn user(&self, ix: UserIx) -> &User {
        &self.users[ix.index()]
    }
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }
    pub fn group(&self, ix: GroupIx) -> &Group {
        &self.groups[ix.index()]
    }
    pub fn roles(&self) -> &[Role] {
        &self.roles
    }
    pub fn role(&self, ix: RoleIx) -> &Role {
        &self.roles[ix.index()]
    }
    pub fn policies(&self) -> &[PolicyRecord] {
        &self.policies
    }
    pub fn policy(&self, ix: PolicyIx) -> &PolicyRecord {
        &self.policies[ix.index()]
    }
    /// Where a policy's document is in the file it was read from, if it was read
    /// from one (and still has that document).
    pub fn policy_source(&self, ix: PolicyIx) -> Option<super::sources::PolicySource> {
        self.sources.get(ix, self.policies.get(ix.index())?.doc)
    }
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    pub fn resource(&self, ix: ResourceIx) -> &Resource {
        &self.resources[ix.index()]
    }
    /// Distinct compiled documents.
    pub fn docs(&self) -> &[Doc] {
        &self.docs
    }

    /// A policy's compiled document, shared with identical policies.
    pub fn compiled(&self, ix: PolicyIx) -> &Arc<Policy> {
        &self.docs[self.policies[ix.index()].doc.index()].policy
    }

    /// A policy's document record (text and size).
    pub fn doc(&self, ix: PolicyIx) -> &Doc {
        &self.docs[self.policies[ix.index()].doc.index()]
    }

    /// A policy's name: the managed policy, SCP or inline policy name, `trust policy`,
    /// or the kind of resource policy (`bucket policy`).
    pub fn policy_name(&self, ix: PolicyIx) -> &str {
        self.compiled(ix).name()
    }

    pub fn management_account(&self) -> Option<AccountIx> {
        self.info.management_account
    }

    pub fn stats(&self) -> Stats {
        Stats {
            ous: self.ous.len(),
            accounts: self.accounts.len(),
            users: self.users.len(),
            groups: self.groups.len(),
            roles: self.roles.len(),
            policies: self.policies.len(),
            documents: self.docs.len(),
            resources: self.resources.len(),
            graph_nodes: self.graph().node_count(),
            graph_edges: self.graph().edge_count(),
        }
    }

    pub fn graph(&self) -> &OrgGraph {
        &self.links().graph
    }

    // ---- lookups --------------------------------------------------------------------------

    /// An account by its 12-digit id.
    pub fn account_by_id(&self, id: &str) -> Option<AccountIx> {
        self.account_by_id.get(id).copied()
    }

    pub fn ou_by_id(&self, id: &str) -> Option<OuIx> {
        self.ou_by_id.get(id).copied()
    }

    /// Users, groups, roles, managed policies, SCPs, RCPs and resources by ARN.
    pub fn by_arn(&self, arn: &str) -> Option<Entity> {
        self.by_arn.get(arn).copied()
    }

    /// A user or role by its IAM ARN, or a role by a session ARN
    /// (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`).
    pub fn principal_by_arn(&self, arn: &str) -> Option<PrincipalIx> {
        match self.by_arn(arn) {
            Some(Entity::User(u)) => return Some(PrincipalIx::User(u)),
            Some(Entity::Role(r)) => return Some(PrincipalIx::Role(r)),
            Some(_) => return None,
            None => {}
        }
        let parsed = crate::policy::Arn::parse(arn)?;
        let name = parsed
            .resource()
            .strip_prefix("assumed-role/")?
            .split('/')
            .next()?;
        if parsed.service() != "sts" {
            return None;
        }
        let account = self.account_by_id(parsed.account())?;
        self.accounts[account.index()]
            .roles
            .iter()
            .find(|&&r| self.roles[r.index()].name() == name)
            .map(|&r| PrincipalIx::Role(r))
    }

    /// A resource by ARN.
    /// Whether S3 Block Public Access `RestrictPublicBuckets` is on for a bucket: its
    /// own setting or its account's (either suffices, S3 User Guide, "Blocking public
    /// access to your Amazon S3 storage": "Amazon S3 applies the most restrictive
    /// combination of the bucket-level and account-level settings").
    pub fn restricts_public_buckets(&self, r: ResourceIx) -> bool {
        let res = self.resource(r);
        let own = res
            .public_access_block
            .is_some_and(|b| b.restrict_public_buckets);
        let account = self
            .account(res.account)
            .public_access_block
            .is_some_and(|b| b.restrict_public_buckets);
        res.kind == crate::org::ResourceKind::S3Bucket && (own || account)
    }

    /// The bucket of the org an S3 ARN (a bucket's or an object's) is in.
    pub fn bucket_of(&self, arn: &str) -> Option<ResourceIx> {
        let parsed = crate::policy::Arn::parse(arn)?;
        if parsed.service() != "s3" {
            return None;
        }
        let bucket = parsed.resource().split('/').next()?;
        self.resource_by_arn(&format!("arn:{}:s3:::{bucket}", parsed.partition()))
    }

    pub fn resource_by_arn(&self, arn: &str) -> Option<ResourceIx> {
        match self.by_arn(arn) {
            Some(Entity::Resource(r)) => Some(r),
            _ => None,
        }
    }

    /// Anything by its short name: account name or id, OU name or id, user, group,
    /// role, managed policy, SCP, RCP or resource name.
    pub fn by_name(&self, name: &str) -> NameLookup {
        let Some(candidates) = self.by_name.get(&name_hash(name)) else {
            return NameLookup::NotFound;
        };
        let hits: Vec<Entity> = candidates
            .iter()
            .copied()
            .filter(|&e| self.names_of(e).contains(&name))
            .collect();
        match hits.len() {
            0 => NameLookup::NotFound,
            1 => NameLookup::Unique(hits[0]),
            _ => NameLookup::Ambiguous(hits),
        }
    }

    fn names_of(&self, e: Entity) -> SmallVec<[&str; 2]> {
        let mut v = SmallVec::new();
        match e {
            Entity::Root => v.push(&*self.root.id),
            Entity::Ou(o) => {
                v.push(&*self.ous[o.index()].name);
                v.push(&*self.ous[o.index()].id);
            }
            Entity::Account(a) => {
                v.push(&*self.accounts[a.index()].name);
                v.push(&*self.accounts[a.index()].id);
            }
            _ => v.push(self.name(e)),
        }
        v
    }

    /// A display name for anything.
    pub fn name(&self, e: Entity) -> &str {
        match e {
            Entity::Root => &self.root.name,
            Entity::Ou(o) => &self.ous[o.index()].name,
            Entity::Account(a) => &self.accounts[a.index()].name,
            Entity::User(u) => self.users[u.index()].name(),
            Entity::Group(g) => self.groups[g.index()].name(),
            Entity::Role(r) => self.roles[r.index()].name(),
            Entity::Policy(p) => self.policy_name(p),
            Entity::Resource(r) => self.resources[r.index()].name(),
        }
    }

    /// The ARN of anything that has one.
    pub fn arn(&self, e: Entity) -> Option<&str> {
        match e {
            Entity::User(u) => Some(&self.users[u.index()].arn),
            Entity::Group(g) => Some(&self.groups[g.index()].arn),
            Entity::Role(r) => Some(&self.roles[r.index()].arn),
            Entity::Policy(p) => self.policies[p.index()].arn.as_deref(),
            Entity::Resource(r) => Some(&self.resources[r.index()].arn),
            Entity::Root | Entity::Ou(_) | Entity::Account(_) => None,
        }
    }

    /// The account an entity lives in.
    pub fn account_of(&self, e: Entity) -> Option<AccountIx> {
        match e {
            Entity::Account(a) => Some(a),
            Entity::User(u) => Some(self.users[u.index()].account),
            Entity::Group(g) => Some(self.groups[g.index()].account),
            Entity::Role(r) => Some(self.roles[r.index()].account),
            Entity::Resource(r) => Some(self.resources[r.index()].account),
            Entity::Policy(p) => match self.policies[p.index()].origin {
                PolicyOrigin::CustomerManaged(a) => Some(a),
                PolicyOrigin::Inline(InlineOwner::User(u)) => Some(self.users[u.index()].account),
                PolicyOrigin::Inline(InlineOwner::Group(g)) => Some(self.groups[g.index()].account),
                PolicyOrigin::Inline(InlineOwner::Role(r)) | PolicyOrigin::Trust(r) => {
                    Some(self.roles[r.index()].account)
                }
                PolicyOrigin::Resource(r) => Some(self.resources[r.index()].account),
                PolicyOrigin::AwsManaged | PolicyOrigin::Scp | PolicyOrigin::Rcp => None,
            },
            Entity::Root | Entity::Ou(_) => None,
        }
    }

    // ---- what the engine needs ------------------------------------------------------

    /// An account's OUs, from the one under the root down to its parent.
    pub fn ancestors(&self, a: AccountIx) -> &[OuIx] {
        &self.ancestors[a.index()]
    }

    /// The SCPs that govern principals of an account, one level per node from the root
    /// down to the account. Empty when SCPs do not apply: the management account,
    /// standalone accounts, or SCPs not enabled.
    pub fn scp_levels(&self, a: AccountIx) -> &[Vec<PolicyIx>] {
        &self.scp_levels[a.index()]
    }

    /// The RCPs that govern an account's resources, root to account; empty for the
    /// management account and standalone accounts. RCPFullAWSAccess is listed where it
    /// is attached and is in effect everywhere.
    pub fn rcp_levels(&self, a: AccountIx) -> &[Vec<PolicyIx>] {
        &self.rcp_levels[a.index()]
    }

    /// Where a policy is attached.
    pub fn attachments(&self, p: PolicyIx) -> &[Attachment] {
        &self.links().attachments[p.index()]
    }

    /// A principal's identity policies: a user's inline, managed and groups' policies,
    /// or a role's inline and managed policies.
    pub fn identity_policies(&self, p: PrincipalIx) -> impl Iterator<Item = PolicyIx> + '_ {
        // Slices, not a list: who-can asks this for every principal of the org.
        let (inline, managed, groups): (&[PolicyIx], &[PolicyIx], &[GroupIx]) = match p {
            PrincipalIx::User(u) => {
                let u = &self.users[u.index()];
                (&u.inline, &u.managed, &u.groups)
            }
            PrincipalIx::Role(r) => {
                let r = &self.roles[r.index()];
                (&r.inline, &r.managed, &[])
            }
        };
        inline
            .iter()
            .chain(managed)
            .copied()
            .chain(groups.iter().flat_map(|g| {
                let g = &self.groups[g.index()];
                g.inline.iter().chain(&g.managed).copied()
            }))
    }

    /// A principal's permissions boundary.
    pub fn boundary(&self, p: PrincipalIx) -> Option<PolicyIx> {
        match p {
            PrincipalIx::User(u) => self.users[u.index()].boundary,
            PrincipalIx::Role(r) => self.roles[r.index()].boundary,
        }
    }

    pub fn principal_account(&self, p: PrincipalIx) -> AccountIx {
        match p {
            PrincipalIx::User(u) => self.users[u.index()].account,
            PrincipalIx::Role(r) => self.roles[r.index()].account,
        }
    }

    pub fn principal_arn(&self, p: PrincipalIx) -> &str {
        match p {
            PrincipalIx::User(u) => &self.users[u.index()].arn,
            PrincipalIx::Role(r) => &self.roles[r.index()].arn,
        }
    }
}
