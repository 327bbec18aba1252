//! The filter's index over the org: every name, id and ARN, one searchable line per
//! thing, the name first.

use super::nodes::{Node, OrgTree};
use super::sanitize::sanitize;
use super::search::SearchIndex;
use crate::org::{AccountIx, GroupIx, OuIx, PolicyIx, PolicyOrigin, ResourceIx, RoleIx, UserIx};

/// Builds the index: the root, OUs, accounts, users, groups, roles, managed
/// policies, SCPs, RCPs and resources. Inline, trust and resource policies are
/// found through their owner.
pub fn build(tree: &OrgTree<'_>) -> SearchIndex<Node> {
    let org = tree.org();
    let mut items: Vec<(Node, u8, String, String)> = Vec::with_capacity(
        1 + org.ous().len()
            + org.accounts().len()
            + org.users().len()
            + org.groups().len()
            + org.roles().len()
            + org.resources().len(),
    );
    // The name, then the other words it is found by.
    let mut push = |node: Node, name: &str, rest: &[&str]| {
        let mut text = String::with_capacity(rest.iter().map(|p| p.len() + 2).sum());
        for p in rest.iter().filter(|p| !p.is_empty()) {
            if !text.is_empty() {
                text.push_str("  ");
            }
            text.push_str(&sanitize(p));
        }
        items.push((node, node.kind().tag(), sanitize(name).into_owned(), text));
    };
    let account_name = |a: AccountIx| -> &str { &org.account(a).name };
    let root = org.root();
    push(
        Node::Root,
        &root.name,
        &[&root.id, org.info().id.as_deref().unwrap_or("")],
    );
    for (i, o) in org.ous().iter().enumerate() {
        push(Node::Ou(OuIx::new(i)), &o.name, &[&o.id]);
    }
    for (i, a) in org.accounts().iter().enumerate() {
        push(
            Node::Account(AccountIx::new(i)),
            &a.name,
            &[&a.id, a.email.as_deref().unwrap_or("")],
        );
    }
    for (i, u) in org.users().iter().enumerate() {
        let id = u.id.as_deref().unwrap_or("");
        push(
            Node::User(UserIx::new(i)),
            u.name(),
            &[account_name(u.account), &u.arn, id],
        );
    }
    for (i, g) in org.groups().iter().enumerate() {
        let id = g.id.as_deref().unwrap_or("");
        push(
            Node::Group(GroupIx::new(i)),
            g.name(),
            &[account_name(g.account), &g.arn, id],
        );
    }
    for (i, r) in org.roles().iter().enumerate() {
        let id = r.id.as_deref().unwrap_or("");
        push(
            Node::Role(RoleIx::new(i)),
            r.name(),
            &[account_name(r.account), &r.arn, id],
        );
    }
    for (i, p) in org.policies().iter().enumerate() {
        let ix = PolicyIx::new(i);
        let account = match p.origin {
            PolicyOrigin::CustomerManaged(a) => account_name(a),
            PolicyOrigin::AwsManaged | PolicyOrigin::Scp | PolicyOrigin::Rcp => "",
            _ => continue,
        };
        let arn = p.arn.as_deref().unwrap_or("");
        let id = p.id.as_deref().unwrap_or("");
        push(Node::Policy(ix), org.policy_name(ix), &[account, arn, id]);
    }
    for (i, r) in org.resources().iter().enumerate() {
        push(
            Node::Resource(ResourceIx::new(i)),
            r.name(),
            &[account_name(r.account), &r.arn],
        );
    }
    SearchIndex::new(items)
}
