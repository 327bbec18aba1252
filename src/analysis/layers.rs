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

/// A layer as a person reads it: `SCP OU Workloads`, `RCP root`, `permissions
/// boundary`. The accounts are the principal's (SCPs) and the resource's (RCPs).
pub fn layer_label(
    org: &Org,
    principal_account: Option<AccountIx>,
    resource_account: Option<AccountIx>,
    layer: Layer,
) -> String {
    let level = |account: Option<AccountIx>, l: usize| match account.map(|a| level_owner(org, a, l))
    {
        Some(LevelOwner::Root) => "root".to_string(),
        Some(LevelOwner::Ou(o)) => format!("OU {}", org.ou(o).name),
        Some(LevelOwner::Account(a)) => format!("account {}", org.account(a).name),
        None => format!("level {l}"),
    };
    match layer {
        Layer::Scp(l) => format!("SCP {}", level(principal_account, l)),
        Layer::Rcp(l) => format!("RCP {}", level(resource_account, l)),
        Layer::Endpoint => "VPC endpoint policy".to_string(),
        Layer::Resource => "resource policy".to_string(),
        Layer::Identity => "identity policies".to_string(),
        Layer::Boundary => "permissions boundary".to_string(),
        Layer::Session => "session policy".to_string(),
    }
}
