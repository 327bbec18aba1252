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
//! Done in memory: attaching and detaching SCPs and RCPs, creating and editing them,
//! putting an inline policy on an existing user, group or role, moving an account,
//! attaching and detaching a managed policy the org holds, setting and removing a
//! boundary, and adding a user to a group or taking it out. Every other kind falls
//! back (new OUs and OU moves change ids and depths; new entities change the name and
//! ARN indexes; new managed policies have versions and ARNs to keep exact).

use std::sync::Arc;

use serde_json::Value;

use super::change::{Change, Document, OrgPolicyKind, Scenario};
use crate::catalog::Catalog;
use crate::org::docs::policy_size;
use crate::org::{
    AccountIx, Doc, Entity, GroupIx, InlineOwner, Org, Parent, PolicyIx, PolicyOrigin,
    PolicyRecord, PrincipalIx,
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
        // Every other kind: the reload path (see the module comment).
        _ => return None,
    }
    Some(())
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
