//! The organization as a tree: what each node is, its children, parent, label and
//! count badge. Reads the org model only.
//!
//! ```text
//! Root ─ OU ─ OU ─ account ─ Users / Groups / Roles / Policies / Resources ─ item
//!      ─ account ...
//! Organization policies ─ SCPs / RCPs / AWS managed ─ policy
//! ```
//! Inline, trust and resource policies live inside their owner: they have no row of
//! their own, and jumping to one selects the owner.

use crate::org::{
    AccountIx, Entity, GroupIx, InlineOwner, Org, OuIx, Parent, PolicyIx, PolicyOrigin, ResourceIx,
    RoleIx, UserIx,
};

use std::sync::Arc;

use super::tree::TreeSource;

/// The folders under an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Folder {
    Users,
    Groups,
    Roles,
    Policies,
    Resources,
}

impl Folder {
    pub const ALL: [Folder; 5] = [
        Folder::Users,
        Folder::Groups,
        Folder::Roles,
        Folder::Policies,
        Folder::Resources,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Folder::Users => "Users",
            Folder::Groups => "Groups",
            Folder::Roles => "Roles",
            Folder::Policies => "Policies",
            Folder::Resources => "Resources",
        }
    }
}

/// The folders of organization-wide policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyFolder {
    Scps,
    Rcps,
    AwsManaged,
}

impl PolicyFolder {
    pub const ALL: [PolicyFolder; 3] = [
        PolicyFolder::Scps,
        PolicyFolder::Rcps,
        PolicyFolder::AwsManaged,
    ];

    pub fn title(self) -> &'static str {
        match self {
            PolicyFolder::Scps => "Service control policies",
            PolicyFolder::Rcps => "Resource control policies",
            PolicyFolder::AwsManaged => "AWS managed policies",
        }
    }
}

/// A row of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Node {
    Root,
    Ou(OuIx),
    Account(AccountIx),
    Folder(AccountIx, Folder),
    User(UserIx),
    Group(GroupIx),
    Role(RoleIx),
    Policy(PolicyIx),
    Resource(ResourceIx),
    /// The top-level node of SCPs, RCPs and AWS managed policies.
    OrgPolicies,
    PolicyFolder(PolicyFolder),
}

/// What kind of thing a node is, for colours and for the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Root,
    Ou,
    Account,
    Folder,
    User,
    Group,
    Role,
    Policy,
    Resource,
}

impl Kind {
    /// The search index's tag for this kind.
    pub fn tag(self) -> u8 {
        self as u8
    }
}

impl Node {
    pub fn kind(self) -> Kind {
        match self {
            Node::Root => Kind::Root,
            Node::Ou(_) => Kind::Ou,
            Node::Account(_) => Kind::Account,
            Node::Folder(..) | Node::OrgPolicies | Node::PolicyFolder(_) => Kind::Folder,
            Node::User(_) => Kind::User,
            Node::Group(_) => Kind::Group,
            Node::Role(_) => Kind::Role,
            Node::Policy(_) => Kind::Policy,
            Node::Resource(_) => Kind::Resource,
        }
    }

    /// The org entity this node shows, if it is one.
    pub fn entity(self) -> Option<Entity> {
        Some(match self {
            Node::Root => Entity::Root,
            Node::Ou(o) => Entity::Ou(o),
            Node::Account(a) => Entity::Account(a),
            Node::User(u) => Entity::User(u),
            Node::Group(g) => Entity::Group(g),
            Node::Role(r) => Entity::Role(r),
            Node::Policy(p) => Entity::Policy(p),
            Node::Resource(r) => Entity::Resource(r),
            Node::Folder(..) | Node::OrgPolicies | Node::PolicyFolder(_) => return None,
        })
    }
}

/// The org a tree shows: the one loaded (borrowed for the app's life), or one a
/// scenario changed (shared with the workers).
#[derive(Debug, Clone)]
pub enum OrgRef<'a> {
    Loaded(&'a Org),
    Changed(Arc<Org>),
}

impl OrgRef<'_> {
    pub fn get(&self) -> &Org {
        match self {
            OrgRef::Loaded(o) => o,
            OrgRef::Changed(o) => o,
        }
    }
}

/// The org, seen as a tree. Holds the few lists the model does not keep (the
/// organization-wide policies by kind), computed once.
#[derive(Debug)]
pub struct OrgTree<'a> {
    org: OrgRef<'a>,
    scps: Vec<PolicyIx>,
    rcps: Vec<PolicyIx>,
    aws_managed: Vec<PolicyIx>,
}

impl<'a> OrgTree<'a> {
    pub fn new(org: &'a Org) -> OrgTree<'a> {
        OrgTree::of(OrgRef::Loaded(org))
    }

    /// The tree of a loaded or changed org.
    pub fn of(shown: OrgRef<'a>) -> OrgTree<'a> {
        let org = shown.get();
        let (mut scps, mut rcps, mut aws_managed) = (Vec::new(), Vec::new(), Vec::new());
        for (i, p) in org.policies().iter().enumerate() {
            let ix = PolicyIx::new(i);
            match p.origin {
                PolicyOrigin::Scp => scps.push(ix),
                PolicyOrigin::Rcp => rcps.push(ix),
                PolicyOrigin::AwsManaged => aws_managed.push(ix),
                _ => {}
            }
        }
        aws_managed.sort_by(|a, b| org.policy_name(*a).cmp(org.policy_name(*b)));
        OrgTree {
            org: shown,
            scps,
            rcps,
            aws_managed,
        }
    }

    /// The org shown.
    pub fn org(&self) -> &Org {
        self.org.get()
    }

    /// Which org this is: the loaded one or a changed one.
    pub fn shown(&self) -> &OrgRef<'a> {
        &self.org
    }

    pub fn org_policies(&self, f: PolicyFolder) -> &[PolicyIx] {
        match f {
            PolicyFolder::Scps => &self.scps,
            PolicyFolder::Rcps => &self.rcps,
            PolicyFolder::AwsManaged => &self.aws_managed,
        }
    }

    fn folder_len(&self, a: AccountIx, f: Folder) -> usize {
        let acc = self.org().account(a);
        match f {
            Folder::Users => acc.users.len(),
            Folder::Groups => acc.groups.len(),
            Folder::Roles => acc.roles.len(),
            Folder::Policies => acc.policies.len(),
            Folder::Resources => acc.resources.len(),
        }
    }

    /// The node that shows an entity: inline, trust and resource policies show in
    /// their owner.
    pub fn node_of(&self, e: Entity) -> Node {
        node_of(self.org(), e)
    }

    /// A node's name as shown (unsanitized: the view sanitizes).
    pub fn name(&self, n: Node) -> &str {
        match n {
            Node::Folder(_, f) => f.title(),
            Node::OrgPolicies => "Organization policies",
            Node::PolicyFolder(f) => f.title(),
            n => n.entity().map_or("", |e| self.org().name(e)),
        }
    }

    /// Secondary text after the name: an account's id, a policy's kind.
    pub fn detail(&self, n: Node) -> Option<&str> {
        match n {
            Node::Root => Some(&self.org().root().id),
            Node::Ou(o) => Some(&self.org().ou(o).id),
            Node::Account(a) => Some(&self.org().account(a).id),
            _ => None,
        }
    }

    /// What a collapsed node holds: `2 OUs · 14 accounts`.
    pub fn badge(&self, n: Node) -> Option<String> {
        let plural = super::words::plural;
        let join = |parts: Vec<String>| (!parts.is_empty()).then(|| parts.join(" · "));
        match n {
            Node::Root => {
                let r = self.org().root();
                join(count_parts(
                    &[
                        (r.ous.len(), "OU", "OUs"),
                        (r.accounts.len(), "account", "accounts"),
                    ],
                    plural,
                ))
            }
            Node::Ou(o) => {
                let o = self.org().ou(o);
                join(count_parts(
                    &[
                        (o.ous.len(), "OU", "OUs"),
                        (o.accounts.len(), "account", "accounts"),
                    ],
                    plural,
                ))
            }
            Node::Account(a) => {
                // The principals say most in little room; the rest when there are none.
                let c = |f| self.folder_len(a, f);
                let principals = count_parts(
                    &[
                        (c(Folder::Users), "user", "users"),
                        (c(Folder::Roles), "role", "roles"),
                    ],
                    plural,
                );
                if principals.is_empty() {
                    join(count_parts(
                        &[
                            (c(Folder::Groups), "group", "groups"),
                            (c(Folder::Policies), "policy", "policies"),
                            (c(Folder::Resources), "resource", "resources"),
                        ],
                        plural,
                    ))
                } else {
                    join(principals)
                }
            }
            Node::Folder(a, f) => Some(super::words::thousands(self.folder_len(a, f))),
            Node::OrgPolicies => Some(super::words::thousands(
                PolicyFolder::ALL
                    .iter()
                    .map(|f| self.org_policies(*f).len())
                    .sum::<usize>(),
            )),
            Node::PolicyFolder(f) => Some(super::words::thousands(self.org_policies(f).len())),
            Node::Group(g) => Some(plural(
                self.org().group(g).members.len(),
                "member",
                "members",
            )),
            _ => None,
        }
    }

    /// The nodes from the top of the tree down to `n`.
    pub fn path(&self, n: Node) -> Vec<Node> {
        let mut path = vec![n];
        let mut cur = n;
        while let Some(p) = self.parent(cur) {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }
}

/// The node that shows an entity: inline, trust and resource policies show in their
/// owner.
pub fn node_of(org: &Org, e: Entity) -> Node {
    match e {
        Entity::Root => Node::Root,
        Entity::Ou(o) => Node::Ou(o),
        Entity::Account(a) => Node::Account(a),
        Entity::User(u) => Node::User(u),
        Entity::Group(g) => Node::Group(g),
        Entity::Role(r) => Node::Role(r),
        Entity::Resource(r) => Node::Resource(r),
        Entity::Policy(p) => match org.policy(p).origin {
            PolicyOrigin::Inline(InlineOwner::User(u)) => Node::User(u),
            PolicyOrigin::Inline(InlineOwner::Group(g)) => Node::Group(g),
            PolicyOrigin::Inline(InlineOwner::Role(r)) | PolicyOrigin::Trust(r) => Node::Role(r),
            PolicyOrigin::Resource(r) => Node::Resource(r),
            _ => Node::Policy(p),
        },
    }
}

/// `3 users, 1 group`: the counts that are not zero, or `nothing`.
pub fn counts(parts: &[(usize, &str, &str)]) -> String {
    let v = count_parts(parts, super::words::plural);
    if v.is_empty() {
        "nothing".to_string()
    } else {
        v.join(", ")
    }
}

fn count_parts(
    parts: &[(usize, &str, &str)],
    plural: impl Fn(usize, &str, &str) -> String,
) -> Vec<String> {
    parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| plural(*n, one, many))
        .collect()
}

fn parent_node(p: Parent) -> Node {
    match p {
        Parent::Root => Node::Root,
        Parent::Ou(o) => Node::Ou(o),
    }
}

impl TreeSource for OrgTree<'_> {
    type Id = Node;

    fn roots(&self) -> Vec<Node> {
        let mut roots = vec![Node::Root];
        if PolicyFolder::ALL
            .iter()
            .any(|f| !self.org_policies(*f).is_empty())
        {
            roots.push(Node::OrgPolicies);
        }
        roots
    }

    fn children(&self, n: Node) -> Vec<Node> {
        let org = self.org();
        match n {
            Node::Root => {
                let r = org.root();
                r.ous
                    .iter()
                    .map(|&o| Node::Ou(o))
                    .chain(r.accounts.iter().map(|&a| Node::Account(a)))
                    .collect()
            }
            Node::Ou(o) => {
                let o = org.ou(o);
                o.ous
                    .iter()
                    .map(|&o| Node::Ou(o))
                    .chain(o.accounts.iter().map(|&a| Node::Account(a)))
                    .collect()
            }
            Node::Account(a) => Folder::ALL
                .iter()
                .filter(|&&f| self.folder_len(a, f) > 0)
                .map(|&f| Node::Folder(a, f))
                .collect(),
            Node::Folder(a, f) => {
                let acc = org.account(a);
                match f {
                    Folder::Users => acc.users.iter().map(|&u| Node::User(u)).collect(),
                    Folder::Groups => acc.groups.iter().map(|&g| Node::Group(g)).collect(),
                    Folder::Roles => acc.roles.iter().map(|&r| Node::Role(r)).collect(),
                    Folder::Policies => acc.policies.iter().map(|&p| Node::Policy(p)).collect(),
                    Folder::Resources => acc.resources.iter().map(|&r| Node::Resource(r)).collect(),
                }
            }
            Node::OrgPolicies => PolicyFolder::ALL
                .iter()
                .filter(|&&f| !self.org_policies(f).is_empty())
                .map(|&f| Node::PolicyFolder(f))
                .collect(),
            Node::PolicyFolder(f) => self
                .org_policies(f)
                .iter()
                .map(|&p| Node::Policy(p))
                .collect(),
            Node::User(_)
            | Node::Group(_)
            | Node::Role(_)
            | Node::Policy(_)
            | Node::Resource(_) => Vec::new(),
        }
    }

    fn has_children(&self, n: Node) -> bool {
        match n {
            Node::Root => {
                let r = self.org().root();
                !r.ous.is_empty() || !r.accounts.is_empty()
            }
            Node::Ou(o) => {
                let o = self.org().ou(o);
                !o.ous.is_empty() || !o.accounts.is_empty()
            }
            Node::Account(a) => Folder::ALL.iter().any(|&f| self.folder_len(a, f) > 0),
            Node::Folder(a, f) => self.folder_len(a, f) > 0,
            Node::OrgPolicies => true,
            Node::PolicyFolder(f) => !self.org_policies(f).is_empty(),
            Node::User(_)
            | Node::Group(_)
            | Node::Role(_)
            | Node::Policy(_)
            | Node::Resource(_) => false,
        }
    }

    fn parent(&self, n: Node) -> Option<Node> {
        let org = self.org();
        Some(match n {
            Node::Root | Node::OrgPolicies => return None,
            Node::Ou(o) => parent_node(org.ou(o).parent),
            Node::Account(a) => parent_node(org.account(a).parent),
            Node::Folder(a, _) => Node::Account(a),
            Node::User(u) => Node::Folder(org.user(u).account, Folder::Users),
            Node::Group(g) => Node::Folder(org.group(g).account, Folder::Groups),
            Node::Role(r) => Node::Folder(org.role(r).account, Folder::Roles),
            Node::Resource(r) => Node::Folder(org.resource(r).account, Folder::Resources),
            Node::Policy(p) => match org.policy(p).origin {
                PolicyOrigin::CustomerManaged(a) => Node::Folder(a, Folder::Policies),
                PolicyOrigin::Scp => Node::PolicyFolder(PolicyFolder::Scps),
                PolicyOrigin::Rcp => Node::PolicyFolder(PolicyFolder::Rcps),
                PolicyOrigin::AwsManaged => Node::PolicyFolder(PolicyFolder::AwsManaged),
                // Shown inside their owner, not as rows.
                PolicyOrigin::Inline(_) | PolicyOrigin::Trust(_) | PolicyOrigin::Resource(_) => {
                    return None;
                }
            },
            Node::PolicyFolder(_) => Node::OrgPolicies,
        })
    }
}
