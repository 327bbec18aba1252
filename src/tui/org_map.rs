//! From one org to another: the loaded org and the one a scenario makes number their
//! entities apart (a created OU, a deleted policy, a rebuilt org), so a node, a
//! statement or an answer's jump is carried over by what names it (an OU's or
//! account's id, an ARN, an inline policy's owner and name), never by its number.

use crate::org::{Entity, InlineOwner, Org, PolicyIx, PolicyOrigin};

use super::nodes::{Node, OrgTree, node_of};
use super::query::answer::Jump;
use super::query::locate::Mark;

/// The entity of `to` that is `e` of `from`.
pub fn entity(from: &Org, to: &Org, e: Entity) -> Option<Entity> {
    match e {
        Entity::Root => Some(Entity::Root),
        Entity::Ou(o) => to.ou_by_id(&from.ou(o).id).map(Entity::Ou),
        Entity::Account(a) => to.account_by_id(&from.account(a).id).map(Entity::Account),
        Entity::Policy(p) => policy(from, to, p).map(Entity::Policy),
        _ => to.by_arn(from.arn(e)?),
    }
}

/// The node of `to` that shows what `n` shows in `from`.
pub fn node(from: &Org, to: &Org, n: Node) -> Option<Node> {
    match n {
        Node::OrgPolicies | Node::PolicyFolder(_) => Some(n),
        Node::Folder(a, f) => match entity(from, to, Entity::Account(a))? {
            Entity::Account(a) => Some(Node::Folder(a, f)),
            _ => None,
        },
        n => Some(node_of(to, entity(from, to, n.entity()?)?)),
    }
}

/// `n`'s node in `to`, or that of its nearest ancestor there (the root at worst):
/// where a selection goes when the org shown changes under it.
pub fn nearest(from: &OrgTree<'_>, to: &Org, n: Node) -> Node {
    from.path(n)
        .into_iter()
        .rev()
        .find_map(|p| node(from.org(), to, p))
        .unwrap_or(Node::Root)
}

/// The policy of `to` that is `p` of `from`: by ARN; an inline policy by its owner
/// and name; a trust or resource policy by its owner; an SCP or RCP without an ARN
/// by its id, else its name.
pub fn policy(from: &Org, to: &Org, p: PolicyIx) -> Option<PolicyIx> {
    let record = &from.policies()[p.index()];
    let owner = |e: Entity| entity(from, to, e);
    Some(match record.origin {
        _ if record.arn.is_some() => match to.by_arn(record.arn.as_deref()?)? {
            Entity::Policy(p) => p,
            _ => return None,
        },
        PolicyOrigin::Inline(o) => {
            let inline = match (
                o,
                owner(match o {
                    InlineOwner::User(u) => Entity::User(u),
                    InlineOwner::Group(g) => Entity::Group(g),
                    InlineOwner::Role(r) => Entity::Role(r),
                })?,
            ) {
                (InlineOwner::User(_), Entity::User(u)) => &to.user(u).inline,
                (InlineOwner::Group(_), Entity::Group(g)) => &to.group(g).inline,
                (InlineOwner::Role(_), Entity::Role(r)) => &to.role(r).inline,
                _ => return None,
            };
            let name = from.policy_name(p);
            *inline.iter().find(|&&q| to.policy_name(q) == name)?
        }
        PolicyOrigin::Scp | PolicyOrigin::Rcp => {
            let name = from.policy_name(p);
            let i = to.policies().iter().enumerate().position(|(i, q)| {
                q.origin == record.origin
                    && match &record.id {
                        Some(id) => q.id.as_ref() == Some(id),
                        None => q.id.is_none() && to.policy_name(PolicyIx::new(i)) == name,
                    }
            })?;
            PolicyIx::new(i)
        }
        PolicyOrigin::Trust(r) => match owner(Entity::Role(r))? {
            Entity::Role(r) => to.role(r).trust?,
            _ => return None,
        },
        PolicyOrigin::Resource(r) => match owner(Entity::Resource(r))? {
            Entity::Resource(r) => to.resource(r).policy?,
            _ => return None,
        },
        _ => return None,
    })
}

/// The statement of `to` that `m` points at in `from`: the same policy holding the
/// same statement at the same place. A statement the scenario changed or moved has
/// none: no other statement is highlighted in its place.
pub fn statement(from: &Org, to: &Org, m: Mark) -> Option<Mark> {
    let p = policy(from, to, m.policy)?;
    let was = from.compiled(m.policy).statements().get(m.statement)?;
    let now = to.compiled(p).statements().get(m.statement)?;
    (was == now).then_some(Mark {
        policy: p,
        statement: m.statement,
    })
}

/// An answer's jump, carried from `from` to `to`; dropped where it cannot be (a
/// what-can grant is found when Enter asks, on the org shown then: it stays only
/// while that org is the one the answer was about).
pub fn jump(from: &Org, to: &Org, j: Jump) -> Option<Jump> {
    match j {
        Jump::Node(n) => node(from, to, n).map(Jump::Node),
        Jump::Tab(n, tab) => node(from, to, n).map(|n| Jump::Tab(n, tab)),
        Jump::Context(c) => Some(Jump::Context(c)),
        Jump::Statement(m) => statement(from, to, m).map(Jump::Statement),
        Jump::Grant { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::NameLookup;

    fn find(org: &Org, name: &str) -> Entity {
        match org.by_name(name) {
            NameLookup::Unique(e) => e,
            _ => panic!("{name} is not unique"),
        }
    }

    #[test]
    fn nodes_and_statements_are_carried_by_id_and_arn_not_by_number() {
        let org = crate::org::load_builtin_acme();
        // An org rebuilt by a scenario: an OU more, and DenyAll's statement edited.
        let scenario = crate::scenario::Scenario {
            description: None,
            changes: vec![
                crate::scenario::Change::CreateOu {
                    name: "Lab".into(),
                    parent: "root".into(),
                },
                crate::scenario::Change::EditOrgPolicy {
                    kind: crate::scenario::OrgPolicyKind::Scp,
                    policy: "DenyAll".into(),
                    document: crate::scenario::Document::new(
                        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#,
                    ),
                },
            ],
        };
        let changed = crate::scenario::apply(&org, &scenario).expect("applies");
        let Entity::User(dana) = find(&org, "dana") else {
            panic!("dana is a user")
        };
        let Some(Node::User(u)) = node(&org, &changed, Node::User(dana)) else {
            panic!("dana is in the changed org")
        };
        assert_eq!(changed.user(u).arn, org.user(dana).arn);
        // The OU only the changed org holds has no node in the loaded one; its
        // nearest ancestor there is the root.
        let lab = node_of(&changed, find(&changed, "Lab"));
        assert_eq!(node(&changed, &org, lab), None);
        assert_eq!(nearest(&OrgTree::new(&changed), &org, lab), Node::Root);
        // An unchanged SCP's statement maps to the same statement; an edited one's
        // to none (no other statement is highlighted in its place).
        let mark = |name: &str| {
            let Entity::Policy(p) = find(&org, name) else {
                panic!("{name} is a policy")
            };
            Mark {
                policy: p,
                statement: 0,
            }
        };
        let there = statement(&org, &changed, mark("ProdGuardrails")).expect("the same statement");
        assert_eq!(changed.policy_name(there.policy), "ProdGuardrails");
        assert_eq!(statement(&org, &changed, mark("DenyAll")), None);
        assert!(policy(&org, &changed, mark("DenyAll").policy).is_some());
    }
}
