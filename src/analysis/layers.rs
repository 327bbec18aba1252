//! Naming the engine's layers with the org's names: an SCP or RCP level is the root,
//! an OU or the account it is attached to.

use crate::engine::Layer;
use crate::org::{AccountIx, Org, OuIx};

/// What an SCP or RCP level of an account stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelOwner {
    Root,
    Ou(OuIx),
    Account(AccountIx),
}

/// Level 0 is the root, then each OU from the root down, then the account.
pub fn level_owner(org: &Org, account: AccountIx, level: usize) -> LevelOwner {
    let ous = org.ancestors(account);
    match level {
        0 => LevelOwner::Root,
        l if l <= ous.len() => LevelOwner::Ou(ous[l - 1]),
        _ => LevelOwner::Account(account),
    }
}

/// What an SCP or RCP level of `account` stands for: `root`, `OU Workloads`,
/// `account web-prod`; `level 2` where the account is not known.
pub fn level_name(org: &Org, account: Option<AccountIx>, level: usize) -> String {
    match account.map(|a| level_owner(org, a, level)) {
        Some(LevelOwner::Root) => "root".to_string(),
        Some(LevelOwner::Ou(o)) => format!("OU {}", org.ou(o).name),
        Some(LevelOwner::Account(a)) => format!("account {}", org.account(a).name),
        None => format!("level {level}"),
    }
}

/// A layer as a person reads it: `SCP OU Workloads`, `RCP root`, `permissions
/// boundary`. The accounts are the principal's (SCPs) and the resource's (RCPs).
pub fn layer_label(
    org: &Org,
    principal_account: Option<AccountIx>,
    resource_account: Option<AccountIx>,
    layer: Layer,
) -> String {
    let level = |account, l| level_name(org, account, l);
    match layer {
        Layer::Scp(l) => format!("SCP {}", level(principal_account, l)),
        Layer::Rcp(l) => format!("RCP {}", level(resource_account, l)),
        Layer::Endpoint => "VPC endpoint policy".to_string(),
        Layer::Resource => "resource policy".to_string(),
        Layer::Identity => "identity policies".to_string(),
        Layer::Boundary => "permissions boundary".to_string(),
        Layer::Session => "session policy".to_string(),
        Layer::Aws(rule) => rule.label().to_string(),
    }
}

/// The node a level stands for, as explanations name it in JSON.
pub fn level_node(org: &Org, account: AccountIx, level: usize) -> crate::engine::LevelNode {
    let (kind, id, name) = match level_owner(org, account, level) {
        LevelOwner::Root => ("root", &*org.root().id, "Root"),
        LevelOwner::Ou(o) => ("ou", &*org.ou(o).id, &*org.ou(o).name),
        LevelOwner::Account(a) => ("account", &*org.account(a).id, &*org.account(a).name),
    };
    crate::engine::LevelNode {
        kind,
        id: id.to_string(),
        name: name.to_string(),
    }
}

/// Names an explanation's parts with the org's records: each SCP level by the node
/// of the principal's account it is attached to, each RCP level by the node of the
/// resource's account, and each matched statement's policy by its ARN, id or holder.
pub(crate) fn annotate(
    org: &Org,
    subject: Option<super::Subject>,
    resource_account: Option<AccountIx>,
    resource_policy: Option<crate::org::PolicyIx>,
    x: &mut crate::engine::Explanation,
) {
    use crate::org::{InlineOwner, PolicyIx, PolicyOrigin};
    // `None`: a caller the org does not hold, whose own policies are not the org's.
    let account = subject.map(|s| s.account(org));
    let own: Vec<PolicyIx> = match subject {
        Some(super::Subject::Principal(p)) => org.identity_policies(p).collect(),
        _ => Vec::new(),
    };
    let boundary = match subject {
        Some(super::Subject::Principal(p)) => org.boundary(p),
        _ => None,
    };
    for l in &mut x.layers {
        let candidates: &[PolicyIx] = match (l.layer, account) {
            (Layer::Scp(n), Some(account)) => {
                l.attached_to = Some(level_node(org, account, n));
                org.scp_levels(account).get(n).map_or(&[], Vec::as_slice)
            }
            (Layer::Scp(_), None) => &[],
            (Layer::Rcp(n), _) => match resource_account {
                Some(r) => {
                    l.attached_to = Some(level_node(org, r, n));
                    org.rcp_levels(r).get(n).map_or(&[], Vec::as_slice)
                }
                None => &[],
            },
            (Layer::Identity, _) => &own,
            (Layer::Boundary, _) => boundary.as_slice(),
            (Layer::Resource, _) => resource_policy.as_slice(),
            (Layer::Endpoint | Layer::Session | Layer::Aws(_), _) => &[],
        };
        let skipped = l.skipped.iter_mut().map(|k| &mut k.statement);
        for m in l.statements.iter_mut().chain(skipped) {
            let Some(&ix) = candidates.iter().find(|&&c| org.policy_name(c) == m.policy) else {
                continue;
            };
            let rec = org.policy(ix);
            let arn_of = |e| org.arn(e).map(str::to_string);
            let (kind, holder) = match rec.origin {
                PolicyOrigin::AwsManaged => ("awsManaged", None),
                PolicyOrigin::CustomerManaged(_) => ("customerManaged", None),
                PolicyOrigin::Inline(InlineOwner::User(u)) => {
                    ("inline", arn_of(crate::org::Entity::User(u)))
                }
                PolicyOrigin::Inline(InlineOwner::Group(g)) => {
                    ("inline", arn_of(crate::org::Entity::Group(g)))
                }
                PolicyOrigin::Inline(InlineOwner::Role(r)) => {
                    ("inline", arn_of(crate::org::Entity::Role(r)))
                }
                PolicyOrigin::Scp => ("scp", None),
                PolicyOrigin::Rcp => ("rcp", None),
                PolicyOrigin::Trust(r) => ("trust", arn_of(crate::org::Entity::Role(r))),
                PolicyOrigin::Resource(r) => ("resource", Some(org.resource(r).arn.to_string())),
            };
            m.source = Some(crate::engine::PolicySource {
                kind,
                arn: rec.arn.as_deref().map(str::to_string),
                id: rec.id.as_deref().map(str::to_string),
                holder,
            });
        }
    }
}
