//! Laying a scenario over the org in memory: the org is cloned (its tables are shared
//! behind `Arc`) and each change writes only the tables it touches.
//!
//! This path only ever succeeds. A change it cannot do exactly in memory, or one that
//! does not apply (a target not found, a name taken, a document that does not parse),
//! makes it give up, and [`super::apply::apply`] lays the whole scenario again by
//! [`super::apply::apply_by_reload`], the reference, which refuses with the exact error.
//! So the errors are the reload path's by construction, and `tests/scenario_apply_agree.rs`
//! holds the changed orgs equal.
//!
//! Every kind of change is done in memory: SCP and RCP attachments, creations, edits
//! and deletions; accounts and OUs moved, OUs created; inline and customer managed
//! policies put and deleted, managed policies attached and detached; boundaries; group
//! membership; trust policies; users and roles created; resource policies put and
//! deleted. Each edit records what it wrote ([`crate::org::Edits`]), so that the diff
//! compares only that. A deletion renumbers the policies after it, as
//! a load of the changed org numbers them. It still gives up where a case is rare or
//! a name is not plain to it (an ARN it does not hold verbatim, several policies of
//! one name, a new OU in an org that holds no FullAWSAccess record): the reload path
//! then decides.

use std::sync::Arc;

use serde_json::Value;

use super::change::{Change, Document, OrgPolicyKind, Scenario};
use crate::catalog::Catalog;
use crate::org::docs::policy_size;
use crate::org::{
    AccountIx, Doc, Entity, GroupIx, InlineOwner, Org, Ou, OuIx, Parent, PolicyIx, PolicyOrigin,
    PolicyRecord, PrincipalIx, Resource, ResourceKind, Role, User,
};
use crate::policy::{Policy, PolicyKind};

/// The changed org, or `None` where the reload path must decide.
pub fn apply_in_memory(org: &Org, scenario: &Scenario) -> Option<Org> {
    let mut out = org.clone();
    out.begin_edits();
    for change in &scenario.changes {
        change_in_memory(&mut out, change)?;
    }
    out.reindex();
    Some(out)
}

fn change_in_memory(org: &mut Org, c: &Change) -> Option<()> {
    match c {
        Change::Attach {
            kind,
            policy,
            target,
        } => {
            let (p, node) = attachment(org, *kind, policy, target)?;
            let list = org.org_policies_mut(node, *kind == OrgPolicyKind::Rcp);
            if list.contains(&p) {
                return None;
            }
            list.push(p);
        }
        Change::Detach {
            kind,
            policy,
            target,
        } => {
            let (p, node) = attachment(org, *kind, policy, target)?;
            let builtin = org.policy_name(p) == kind.builtin();
            let list = org.org_policies_mut(node, *kind == OrgPolicyKind::Rcp);
            let at = list.iter().position(|&x| x == p)?;
            if (*kind == OrgPolicyKind::Rcp && builtin)
                || (*kind == OrgPolicyKind::Scp && list.len() == 1)
            {
                return None;
            }
            list.remove(at);
        }
        Change::CreateOrgPolicy {
            kind,
            name,
            description,
            document,
        } => {
            org.info().id.as_ref()?;
            if taken(org, *kind, name) {
                return None;
            }
            let doc = compile(org, document, kind.policy_kind(), name, name)?;
            org.push_policy(PolicyRecord {
                origin: match kind {
                    OrgPolicyKind::Scp => PolicyOrigin::Scp,
                    OrgPolicyKind::Rcp => PolicyOrigin::Rcp,
                },
                arn: None,
                id: None,
                description: description.as_deref().map(Into::into),
                version: None,
                doc,
                other_versions: Vec::new(),
            });
        }
        Change::EditOrgPolicy {
            kind,
            policy,
            document,
        } => {
            let p = org_policy(org, *kind, policy)?;
            let name = org.policy_name(p).to_string();
            if name == kind.builtin() {
                return None;
            }
            let doc = compile(org, document, kind.policy_kind(), &name, &name)?;
            org.set_policy_doc(p, doc);
        }
        Change::PutInlinePolicy {
            principal,
            name,
            document,
        } => {
            let owner = principal_of(org, principal)?;
            let held = inline_of(org, owner)
                .iter()
                .copied()
                .find(|&p| org.policy_name(p).eq_ignore_ascii_case(name));
            // A policy replaced keeps its name as it was written (IAM names ignore case).
            let key = held.map_or(name.clone(), |p| org.policy_name(p).to_string());
            let doc = compile(org, document, PolicyKind::Identity, name, &key)?;
            match held {
                Some(p) => org.set_policy_doc(p, doc),
                None => {
                    let p = org.push_policy(PolicyRecord {
                        origin: PolicyOrigin::Inline(owner),
                        arn: None,
                        id: None,
                        description: None,
                        version: None,
                        doc,
                        other_versions: Vec::new(),
                    });
                    org.inline_mut(owner).push(p);
                }
            }
        }
        Change::MoveAccount { account, to } => {
            org.info().id.as_ref()?;
            let a = account_named(org, account)?;
            let dest = match node(org, to)? {
                Entity::Root => Parent::Root,
                Entity::Ou(o) => Parent::Ou(o),
                _ => return None,
            };
            if org.account(a).parent == dest {
                return None;
            }
            org.move_account(a, dest);
        }
        Change::AttachManagedPolicy { principal, policy } => {
            let owner = principal_of(org, principal)?;
            let p = managed_named(org, owner_account(org, owner), policy)?;
            let list = org.managed_mut(owner);
            if list.contains(&p) {
                return None;
            }
            list.push(p);
        }
        Change::DetachManagedPolicy { principal, policy } => {
            let owner = principal_of(org, principal)?;
            let p = managed_named(org, owner_account(org, owner), policy)?;
            let list = org.managed_mut(owner);
            let at = list.iter().position(|&x| x == p)?;
            list.remove(at);
        }
        Change::SetBoundary { principal, policy } => {
            let who = user_or_role(principal_of(org, principal)?)?;
            let p = managed_named(org, org.principal_account(who), policy)?;
            org.set_boundary(who, Some(p));
        }
        Change::RemoveBoundary { principal } => {
            let who = user_or_role(principal_of(org, principal)?)?;
            org.boundary(who)?;
            org.set_boundary(who, None);
        }
        Change::AddUserToGroup { user, group } | Change::RemoveUserFromGroup { user, group } => {
            let InlineOwner::User(u) = principal_of(org, user)? else {
                return None;
            };
            let g = group_of(org, org.user(u).account, group)?;
            let member = org.user(u).groups.contains(&g);
            let add = matches!(c, Change::AddUserToGroup { .. });
            if add == member {
                return None;
            }
            org.set_member(u, g, add);
        }
        Change::DeleteOrgPolicy { kind, policy } => {
            let p = org_policy(org, *kind, policy)?;
            if org.policy_name(p) == kind.builtin() || attached_anywhere(org, p) {
                return None;
            }
            org.remove_policy(p);
        }
        Change::CreateOu { name, parent } => {
            let dest = parent_node(org, parent)?;
            let siblings = match dest {
                Parent::Root => &org.root().ous,
                Parent::Ou(o) => &org.ou(o).ous,
            };
            if siblings.iter().any(|&o| *org.ou(o).name == **name) {
                return None;
            }
            // A new OU holds AWS's default policies, as the reload path's loader
            // attaches them where a node lists none.
            let default = |kind: OrgPolicyKind| -> Option<Vec<PolicyIx>> {
                if !enabled(org, kind) {
                    return Some(Vec::new());
                }
                let mut hits = (0..org.policies().len())
                    .map(PolicyIx::new)
                    .filter(|&p| is_kind(org, p, kind) && org.policy_name(p) == kind.builtin());
                let one = hits.next()?;
                hits.next().is_none().then(|| vec![one])
            };
            let (scps, rcps) = (default(OrgPolicyKind::Scp)?, default(OrgPolicyKind::Rcp)?);
            let id = super::apply::new_ou_id(name, |id| org.ou_by_id(id).is_some());
            let depth = match dest {
                Parent::Root => 1,
                Parent::Ou(o) => org.ou(o).depth + 1,
            };
            org.push_ou(Ou {
                id: id.into(),
                name: name.as_str().into(),
                parent: dest,
                scps,
                rcps,
                ous: Vec::new(),
                accounts: Vec::new(),
                depth,
            });
        }
        Change::MoveOu { ou, to } => {
            let Entity::Ou(o) = node(org, ou)? else {
                return None;
            };
            let dest = parent_node(org, to)?;
            if org.ou(o).parent == dest || under(org, dest, o) {
                return None;
            }
            org.move_ou(o, dest);
        }
        Change::PutManagedPolicy {
            account,
            name,
            document,
        } => {
            let a = account_named(org, account)?;
            let held = one(org
                .account(a)
                .policies
                .iter()
                .copied()
                .filter(|&p| org.policy_name(p).eq_ignore_ascii_case(name)))?;
            match held {
                // A new default version: the name, path and other versions stay.
                Some(p) => {
                    let key = org.policy_name(p).to_string();
                    let doc = compile(org, document, PolicyKind::Identity, name, &key)?;
                    org.set_policy_doc(p, doc);
                }
                None => {
                    if !crate::org::is_iam_name(name) || name.len() > 128 {
                        return None;
                    }
                    let arn = iam_arn(org, a, "policy", "/", name);
                    if org.by_arn(&arn).is_some() {
                        return None;
                    }
                    let doc = compile(org, document, PolicyKind::Identity, name, name)?;
                    org.push_customer_policy(
                        a,
                        PolicyRecord {
                            origin: PolicyOrigin::CustomerManaged(a),
                            arn: Some(arn.into()),
                            id: None,
                            description: None,
                            version: None,
                            doc,
                            other_versions: Vec::new(),
                        },
                    );
                }
            }
        }
        Change::DeleteManagedPolicy { account, name } => {
            let a = account_named(org, account)?;
            let acct = org.account(a);
            let p = one(acct
                .policies
                .iter()
                .copied()
                .filter(|&p| org.policy_name(p).eq_ignore_ascii_case(name)))??;
            // Refused while anything of the account holds it (the reload path names them).
            let users = acct.users.iter().map(|&u| org.user(u));
            let held = users
                .clone()
                .any(|u| u.managed.contains(&p) || u.boundary == Some(p))
                || acct
                    .groups
                    .iter()
                    .any(|&g| org.group(g).managed.contains(&p))
                || acct.roles.iter().any(|&r| {
                    let r = org.role(r);
                    r.managed.contains(&p) || r.boundary == Some(p)
                });
            if held {
                return None;
            }
            org.remove_policy(p);
        }
        Change::DeleteInlinePolicy { principal, name } => {
            let owner = principal_of(org, principal)?;
            let p = one(inline_of(org, owner)
                .iter()
                .copied()
                .filter(|&p| org.policy_name(p).eq_ignore_ascii_case(name)))??;
            org.remove_policy(p);
        }
        Change::SetTrustPolicy { role, document } => {
            let InlineOwner::Role(r) = principal_of(org, role)? else {
                return None;
            };
            let doc = compile(org, document, PolicyKind::Resource, TRUST, TRUST)?;
            let current = org.role(r).trust;
            put_side_policy(org, Entity::Role(r), PolicyOrigin::Trust(r), current, doc);
        }
        Change::CreateUser {
            account,
            name,
            path,
        }
        | Change::CreateRole {
            account,
            name,
            path,
            ..
        } => {
            let a = account_named(org, account)?;
            let acct = org.account(a);
            let user = matches!(c, Change::CreateUser { .. });
            let taken = if user {
                acct.users
                    .iter()
                    .any(|&u| org.user(u).name().eq_ignore_ascii_case(name))
            } else {
                acct.roles
                    .iter()
                    .any(|&r| org.role(r).name().eq_ignore_ascii_case(name))
            };
            let path = path.as_deref().unwrap_or("/");
            if taken
                || !crate::org::is_iam_name(name)
                || name.len() > 64
                || crate::org::check_iam_path(path).is_err()
            {
                return None;
            }
            let arn: Arc<str> =
                iam_arn(org, a, if user { "user" } else { "role" }, path, name).into();
            if org.by_arn(&arn).is_some() {
                return None;
            }
            match c {
                Change::CreateRole { trust, .. } => {
                    let doc = compile(org, trust, PolicyKind::Resource, TRUST, TRUST)?;
                    let r = org.push_role(Role::new(arn, a));
                    put_side_policy(org, Entity::Role(r), PolicyOrigin::Trust(r), None, doc);
                }
                _ => {
                    org.push_user(User::new(arn, a));
                }
            }
        }
        Change::PutResourcePolicy {
            resource,
            account,
            document,
        } => {
            let arn = crate::policy::Arn::parse(resource)?;
            let given = match account.as_deref() {
                Some(g) => Some(account_named(org, g)?),
                None => None,
            };
            let held = match org.by_arn(resource) {
                Some(Entity::Resource(r)) => Some(r),
                Some(_) => return None,
                None => None,
            };
            let kind = ResourceKind::of_arn(resource);
            // A change that does not apply here goes to the reload path whole, so the
            // document may be compiled before the checks.
            let doc = compile(
                org,
                document,
                PolicyKind::Resource,
                "resource policy",
                kind.policy_name(),
            )?;
            match held {
                Some(r) => {
                    if given.is_some_and(|g| g != org.resource(r).account) {
                        return None;
                    }
                    let current = org.resource(r).policy;
                    let origin = PolicyOrigin::Resource(r);
                    put_side_policy(org, Entity::Resource(r), origin, current, doc);
                }
                None => {
                    let from_arn = if arn.account().is_empty() {
                        None
                    } else {
                        Some(account_named(org, arn.account())?)
                    };
                    let a = match (from_arn, given) {
                        (Some(x), Some(y)) if x != y => return None,
                        (Some(x), _) | (None, Some(x)) => x,
                        (None, None) => return None,
                    };
                    // The loader refuses an ARN naming another account than its own.
                    if !arn.account().is_empty() && arn.account() != &*org.account(a).id {
                        return None;
                    }
                    let r = org.push_resource(Resource {
                        arn: resource.as_str().into(),
                        account: a,
                        kind,
                        policy: None,
                        aws_managed: false,
                        public_access_block: None,
                    });
                    put_side_policy(
                        org,
                        Entity::Resource(r),
                        PolicyOrigin::Resource(r),
                        None,
                        doc,
                    );
                }
            }
        }
        Change::DeleteResourcePolicy { resource } => {
            let Some(Entity::Resource(r)) = org.by_arn(resource) else {
                return None;
            };
            // The policy goes; the resource, in its account, stays.
            let p = org.resource(r).policy?;
            org.remove_policy(p);
            org.set_side_policy(Entity::Resource(r), None);
        }
    }
    Some(())
}

/// The name every trust policy is parsed and held under.
const TRUST: &str = "trust policy";

/// The record of a trust or resource policy.
/// Writes `doc` as a role's trust policy or a resource's policy: a new document for
/// the one it has (`current`), or its first.
fn put_side_policy(
    org: &mut Org,
    owner: Entity,
    origin: PolicyOrigin,
    current: Option<PolicyIx>,
    doc: crate::org::DocIx,
) {
    match current {
        Some(p) => org.set_policy_doc(p, doc),
        None => {
            let p = org.push_policy(side_record(origin, doc));
            org.set_side_policy(owner, p);
        }
    }
}

fn side_record(origin: PolicyOrigin, doc: crate::org::DocIx) -> PolicyRecord {
    PolicyRecord {
        origin,
        arn: None,
        id: None,
        description: None,
        version: None,
        doc,
        other_versions: Vec::new(),
    }
}

/// `Some(None)` for no item, `Some(Some(x))` for one, `None` for several.
fn one<T>(mut items: impl Iterator<Item = T>) -> Option<Option<T>> {
    match (items.next(), items.next()) {
        (None, _) => Some(None),
        (Some(x), None) => Some(Some(x)),
        _ => None,
    }
}

/// An IAM ARN as the loader makes it.
fn iam_arn(org: &Org, a: AccountIx, what: &str, path: &str, name: &str) -> String {
    format!(
        "arn:{}:iam::{}:{what}{path}{name}",
        org.info().partition,
        org.account(a).id
    )
}

/// Whether an SCP or RCP is attached to the root, an OU or an account.
fn attached_anywhere(org: &Org, p: PolicyIx) -> bool {
    let root = org.root();
    root.scps.contains(&p)
        || root.rcps.contains(&p)
        || org
            .ous()
            .iter()
            .any(|o| o.scps.contains(&p) || o.rcps.contains(&p))
        || org
            .accounts()
            .iter()
            .any(|a| a.scps.contains(&p) || a.rcps.contains(&p))
}

/// The root or an OU: where accounts and OUs move.
fn parent_node(org: &Org, text: &str) -> Option<Parent> {
    match node(org, text)? {
        Entity::Root => Some(Parent::Root),
        Entity::Ou(o) => Some(Parent::Ou(o)),
        _ => None,
    }
}

/// Whether `p` is the OU `o` or below it.
fn under(org: &Org, p: Parent, o: OuIx) -> bool {
    let mut cur = p;
    while let Parent::Ou(x) = cur {
        if x == o {
            return true;
        }
        cur = org.ou(x).parent;
    }
    false
}

/// The org policy and the node of an attach or detach, where its kind is enabled.
fn attachment(
    org: &Org,
    kind: OrgPolicyKind,
    policy: &str,
    target: &str,
) -> Option<(PolicyIx, Entity)> {
    let p = org_policy(org, kind, policy)?;
    let node = node(org, target)?;
    enabled(org, kind).then_some((p, node))
}

fn enabled(org: &Org, kind: OrgPolicyKind) -> bool {
    match kind {
        OrgPolicyKind::Scp => org.info().scps_enabled,
        OrgPolicyKind::Rcp => org.info().rcps_enabled,
    }
}

fn is_kind(org: &Org, p: PolicyIx, kind: OrgPolicyKind) -> bool {
    matches!(
        (org.policy(p).origin, kind),
        (PolicyOrigin::Scp, OrgPolicyKind::Scp) | (PolicyOrigin::Rcp, OrgPolicyKind::Rcp)
    )
}

/// The one SCP or RCP the text names by name, id or ARN; `None` when none or several
/// do (the reload path then decides, as it reads the definitions in its own order).
fn org_policy(org: &Org, kind: OrgPolicyKind, text: &str) -> Option<PolicyIx> {
    org.info().id.as_ref()?;
    let mut hits = (0..org.policies().len()).map(PolicyIx::new).filter(|&p| {
        let rec = org.policy(p);
        is_kind(org, p, kind)
            && (org.policy_name(p) == text
                || rec.id.as_deref() == Some(text)
                || rec.arn.as_deref() == Some(text))
    });
    let one = hits.next()?;
    if hits.next().is_some() {
        return None;
    }
    // A built-in policy is not among the definitions the reload path reads: it finds
    // it through the catalog, which must then name the same policy.
    let rec = org.policy(one);
    let name = org.policy_name(one);
    let builtin = rec.id.as_deref() == Some(&*format!("p-{name}"))
        && rec.description.as_deref() == Some("AWS managed");
    if builtin
        && Catalog::get()
            .org_policy_info(text)
            .is_none_or(|i| i.name != name || i.kind != kind.policy_kind())
    {
        return None;
    }
    Some(one)
}

/// Whether a new SCP or RCP may not take this name (the reload path says why).
fn taken(org: &Org, kind: OrgPolicyKind, name: &str) -> bool {
    let defined = (0..org.policies().len()).map(PolicyIx::new).any(|p| {
        let rec = org.policy(p);
        is_kind(org, p, kind)
            && (org.policy_name(p) == name
                || rec.id.as_deref() == Some(name)
                || rec.arn.as_deref() == Some(name))
    });
    defined
        || Catalog::get()
            .org_policy_info(name)
            .is_some_and(|i| i.kind == kind.policy_kind())
}

/// The root, an OU or an account, named as the reload path names them, when exactly
/// one matches.
fn node(org: &Org, text: &str) -> Option<Entity> {
    org.info().id.as_ref()?;
    let root = org.root();
    let root_name: &str = if root.name.is_empty() {
        "Root"
    } else {
        &root.name
    };
    if text.eq_ignore_ascii_case("root") || &*root.id == text || root_name == text {
        return Some(Entity::Root);
    }
    let mut hits = org
        .ous()
        .iter()
        .enumerate()
        .filter(|(_, o)| &*o.id == text || &*o.name == text)
        .map(|(i, _)| Entity::Ou(crate::org::OuIx::new(i)))
        .chain(
            org.accounts()
                .iter()
                .enumerate()
                .filter(|(_, a)| &*a.id == text || &*a.name == text)
                .map(|(i, _)| Entity::Account(crate::org::AccountIx::new(i))),
        );
    let one = hits.next()?;
    hits.next().is_none().then_some(one)
}

fn owner_account(org: &Org, owner: InlineOwner) -> AccountIx {
    match owner {
        InlineOwner::User(u) => org.user(u).account,
        InlineOwner::Group(g) => org.group(g).account,
        InlineOwner::Role(r) => org.role(r).account,
    }
}

fn user_or_role(owner: InlineOwner) -> Option<PrincipalIx> {
    match owner {
        InlineOwner::User(u) => Some(PrincipalIx::User(u)),
        InlineOwner::Role(r) => Some(PrincipalIx::Role(r)),
        InlineOwner::Group(_) => None,
    }
}

/// A managed policy as a principal of `account` refers to it, as the reload path
/// reads it: an AWS managed one by its exact ARN, when the org holds it already; a
/// customer managed one of that account by a name only one of its policies has
/// (IAM names ignore case). Anything else (an ARN of a customer managed policy, a
/// policy not found) is the reload path's to decide.
fn managed_named(org: &Org, account: AccountIx, text: &str) -> Option<PolicyIx> {
    if text.contains(":iam::aws:policy/") {
        return match org.by_arn(text)? {
            Entity::Policy(p) if org.policy(p).origin == PolicyOrigin::AwsManaged => Some(p),
            _ => None,
        };
    }
    if crate::policy::Arn::parse(text).is_some() {
        return None;
    }
    let mut hits = org
        .account(account)
        .policies
        .iter()
        .copied()
        .filter(|&p| org.policy_name(p).eq_ignore_ascii_case(text));
    let one = hits.next()?;
    hits.next().is_none().then_some(one)
}

/// A group of the user's account by name (IAM names ignore case) or exact ARN.
fn group_of(org: &Org, account: AccountIx, text: &str) -> Option<GroupIx> {
    if crate::policy::Arn::parse(text).is_some() {
        return match org.by_arn(text)? {
            Entity::Group(g) if org.group(g).account == account => Some(g),
            _ => None,
        };
    }
    let mut hits = org
        .account(account)
        .groups
        .iter()
        .copied()
        .filter(|&g| org.group(g).name().eq_ignore_ascii_case(text));
    let one = hits.next()?;
    hits.next().is_none().then_some(one)
}

/// The one account with this id or name.
fn account_named(org: &Org, text: &str) -> Option<AccountIx> {
    let mut hits = org
        .accounts()
        .iter()
        .enumerate()
        .filter(|(_, a)| &*a.id == text || &*a.name == text)
        .map(|(i, _)| AccountIx::new(i));
    let one = hits.next()?;
    hits.next().is_none().then_some(one)
}

/// A user, group or role by its exact ARN, or by a name only one of them has.
fn principal_of(org: &Org, text: &str) -> Option<InlineOwner> {
    let owner = |e: Entity| match e {
        Entity::User(u) => Some(InlineOwner::User(u)),
        Entity::Group(g) => Some(InlineOwner::Group(g)),
        Entity::Role(r) => Some(InlineOwner::Role(r)),
        _ => None,
    };
    if crate::policy::Arn::parse(text).is_some() {
        return org.by_arn(text).and_then(owner);
    }
    let hits: Vec<InlineOwner> = match org.by_name(text) {
        crate::org::NameLookup::Unique(e) => owner(e).into_iter().collect(),
        crate::org::NameLookup::Ambiguous(es) => es.into_iter().filter_map(owner).collect(),
        crate::org::NameLookup::NotFound => Vec::new(),
    };
    match hits.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

fn inline_of(org: &Org, owner: InlineOwner) -> &[PolicyIx] {
    match owner {
        InlineOwner::User(u) => &org.user(u).inline,
        InlineOwner::Group(g) => &org.group(g).inline,
        InlineOwner::Role(r) => &org.role(r).inline,
    }
}

/// The document checked as the reload path checks it (parsed under the name the change
/// gives), then compiled under the name it is held by, with the text the reload path
/// would hold: the document's JSON value written compactly.
fn compile(
    org: &mut Org,
    doc: &Document,
    kind: PolicyKind,
    given: &str,
    held: &str,
) -> Option<crate::org::DocIx> {
    let checked = Policy::parse(kind, given, doc.text()).ok()?;
    let value: Value = serde_json::from_str(doc.text()).ok()?;
    let text = serde_json::to_string(&value).ok()?;
    let policy = if given == held && text == doc.text() {
        checked
    } else {
        Policy::parse(kind, held, &text).ok()?
    };
    Some(org.push_doc(Doc {
        policy: Arc::new(policy),
        size: policy_size(&text),
        text: text.into(),
        unreadable: None,
    }))
}
