//! From an explanation back to the org: which node a layer is attached to, its name
//! as a person reads it (`SCP OU Workloads`), and which policy and statement a
//! matched statement is, so that Enter can jump to it.
//!
//! The engine names a matched statement by its policy's name and its Sid (or
//! `Statement[i]`); names are unique only within a layer, so each layer's policies
//! are found as the evaluation found them, then matched by name.

use crate::analysis::Subject;
use crate::engine::{Layer, MatchedStatement};
use crate::org::{AccountIx, Entity, Org, PolicyIx, PrincipalIx};
use crate::tui::nodes::{Node, node_of};

/// A statement of a policy: where Enter on a matched statement goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mark {
    pub policy: PolicyIx,
    /// The statement's position in the policy's `Statement` list.
    pub statement: usize,
}

/// What one `can` question was about.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'q> {
    /// `None`: a caller the org does not hold (another account's principal, an AWS
    /// service), with no SCP levels or identity policies of the org's.
    pub subject: Option<Subject>,
    pub action: &'q str,
    pub resource: &'q str,
    pub resource_account: Option<AccountIx>,
}

impl Scope<'_> {
    fn principal(&self) -> Option<PrincipalIx> {
        match self.subject {
            Some(Subject::Principal(p)) => Some(p),
            _ => None,
        }
    }

    fn principal_account(&self, org: &Org) -> Option<AccountIx> {
        match self.subject? {
            Subject::Principal(p) => Some(org.principal_account(p)),
            Subject::Root(a) => Some(a),
        }
    }
}

/// The node an SCP or RCP level stands for: the root, an OU, or the account.
fn level_node(org: &Org, account: AccountIx, level: usize) -> Node {
    match crate::analysis::level_owner(org, account, level) {
        crate::analysis::LevelOwner::Root => Node::Root,
        crate::analysis::LevelOwner::Ou(o) => Node::Ou(o),
        crate::analysis::LevelOwner::Account(a) => Node::Account(a),
    }
}

/// Where a layer's policies are: the node of an SCP or RCP level, the principal
/// (identity), its boundary policy, the resource.
pub fn layer_node(org: &Org, scope: &Scope<'_>, layer: Layer) -> Option<Node> {
    let tree_node = |e: Entity| node_of(org, e);
    match layer {
        Layer::Scp(l) => scope.principal_account(org).map(|a| level_node(org, a, l)),
        Layer::Rcp(l) => scope.resource_account.map(|a| level_node(org, a, l)),
        Layer::Identity => scope.principal().map(|p| match p {
            PrincipalIx::User(u) => Node::User(u),
            PrincipalIx::Role(r) => Node::Role(r),
        }),
        Layer::Boundary => scope
            .principal()
            .and_then(|p| org.boundary(p))
            .map(|b| tree_node(Entity::Policy(b))),
        Layer::Resource => {
            resource_policy(org, scope.action, scope.resource).map(|p| tree_node(Entity::Policy(p)))
        }
        Layer::Endpoint | Layer::Session | Layer::Aws(_) => None,
    }
}

/// A layer's name as a person reads it: SCP and RCP levels by the node they are
/// attached to (`SCP OU Workloads`).
pub fn layer_label(org: &Org, scope: &Scope<'_>, layer: Layer) -> String {
    crate::analysis::layer_label(
        org,
        scope.principal_account(org),
        scope.resource_account,
        layer,
    )
}

/// The policies a layer evaluated, as the analysis assembled them.
fn layer_policies(org: &Org, scope: &Scope<'_>, layer: Layer) -> Vec<PolicyIx> {
    match layer {
        Layer::Scp(l) => scope
            .principal_account(org)
            .and_then(|a| org.scp_levels(a).get(l).cloned())
            .unwrap_or_default(),
        Layer::Rcp(l) => scope
            .resource_account
            .and_then(|a| org.rcp_levels(a).get(l).cloned())
            .unwrap_or_default(),
        Layer::Identity => scope
            .principal()
            .map(|p| org.identity_policies(p).collect())
            .unwrap_or_default(),
        Layer::Boundary => scope
            .principal()
            .and_then(|p| org.boundary(p))
            .into_iter()
            .collect(),
        Layer::Resource => resource_policy(org, scope.action, scope.resource)
            .into_iter()
            .collect(),
        Layer::Endpoint | Layer::Session | Layer::Aws(_) => Vec::new(),
    }
}

/// The policy and statement a matched statement is.
pub fn locate(org: &Org, scope: &Scope<'_>, layer: Layer, m: &MatchedStatement) -> Option<Mark> {
    layer_policies(org, scope, layer)
        .into_iter()
        .filter(|&p| org.policy_name(p) == m.policy)
        .find_map(|p| {
            let statement = org
                .compiled(p)
                .statements()
                .iter()
                .find(|s| s.label() == m.statement)?
                .index;
            Some(Mark {
                policy: p,
                statement,
            })
        })
}

/// The statement that grants `principal` the action on the resource, as `can`
/// finds it: the first Allow of its identity policies, else of the resource policy.
/// `context` is what the what-can question was asked with. `None` when no Allow
/// matches without more context.
pub fn granting(
    org: &Org,
    principal: &str,
    action: &str,
    resource: &str,
    context: &[(String, Vec<String>)],
) -> Option<Mark> {
    let ask = crate::analysis::Ask {
        action: action.into(),
        resource: resource.into(),
        context: context.to_vec(),
        ..crate::analysis::Ask::default()
    };
    let a = crate::analysis::can(org, principal, &ask).ok()?;
    let scope = Scope {
        subject: crate::analysis::subject(org, principal).ok(),
        action: &a.action,
        resource: &a.resource,
        resource_account: a
            .resource_account
            .as_deref()
            .and_then(|id| org.account_by_id(id)),
    };
    [Layer::Identity, Layer::Resource]
        .into_iter()
        .find_map(|layer| {
            let l = a.explanation.layers.iter().find(|l| l.layer == layer)?;
            l.statements
                .iter()
                .filter(|m| m.effect == "Allow")
                .find_map(|m| locate(org, &scope, layer, m))
        })
}

/// The resource's own policy, as the analysis finds it.
pub fn resource_policy(org: &Org, action: &str, resource: &str) -> Option<PolicyIx> {
    crate::analysis::assemble::resource_holder(org, action, resource)?.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Ask, can, subject};
    use crate::org::load_builtin_acme;

    fn scope_of<'q>(org: &Org, who: &str, a: &'q crate::analysis::CanAnswer) -> Scope<'q> {
        Scope {
            subject: Some(subject(org, who).unwrap()),
            action: &a.action,
            resource: &a.resource,
            resource_account: a
                .resource_account
                .as_deref()
                .and_then(|id| org.account_by_id(id)),
        }
    }

    #[test]
    fn every_matched_statement_is_found() {
        let org = load_builtin_acme();
        for (who, action, resource) in [
            (
                "dana",
                "sts:AssumeRole",
                "arn:aws:iam::222222222222:role/SecurityAuditor",
            ),
            (
                "eve",
                "s3:GetObject",
                "arn:aws:s3:::acme-public-website/index.html",
            ),
            ("frank", "iam:CreateUser", "*"),
        ] {
            let ask = Ask {
                action: action.into(),
                resource: resource.into(),
                ..Ask::default()
            };
            let a = can(&org, who, &ask).unwrap();
            let scope = scope_of(&org, who, &a);
            for l in &a.explanation.layers {
                for m in &l.statements {
                    let mark = locate(&org, &scope, l.layer, m)
                        .unwrap_or_else(|| panic!("{who} {action}: {m:?} in {:?}", l.layer));
                    assert_eq!(org.policy_name(mark.policy), m.policy);
                    assert_eq!(
                        org.compiled(mark.policy).statements()[mark.statement].label(),
                        m.statement
                    );
                }
            }
        }
    }

    #[test]
    fn layers_are_named_and_placed_by_their_node() {
        let org = load_builtin_acme();
        let ask = Ask {
            action: "s3:GetObject".into(),
            resource: "arn:aws:s3:::acme-public-website/index.html".into(),
            ..Ask::default()
        };
        let a = can(&org, "eve", &ask).unwrap();
        let scope = scope_of(&org, "eve", &a);
        assert_eq!(a.explanation.blocked_by, Some(Layer::Rcp(0)));
        assert_eq!(layer_label(&org, &scope, Layer::Rcp(0)), "RCP root");
        assert_eq!(layer_label(&org, &scope, Layer::Rcp(1)), "RCP OU Workloads");
        assert_eq!(
            layer_label(&org, &scope, Layer::Scp(2)),
            "SCP account security"
        );
        assert_eq!(layer_node(&org, &scope, Layer::Rcp(0)), Some(Node::Root));
        assert!(matches!(
            layer_node(&org, &scope, Layer::Resource),
            Some(Node::Resource(_))
        ));
        assert!(matches!(
            layer_node(&org, &scope, Layer::Identity),
            Some(Node::User(_))
        ));
    }
}
