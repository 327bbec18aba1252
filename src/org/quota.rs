//! AWS quotas that an organization can breach: reported as warnings, since AWS would
//! have refused the change but the model can still be explored.
//!
//! Sources: IAM User Guide, "IAM and AWS STS quotas"; AWS Organizations User Guide,
//! "Quotas and service limits for AWS Organizations".

/// Characters (whitespace excluded) in a customer managed policy.
pub const MANAGED_POLICY_SIZE: usize = 6_144;
/// Aggregate characters of a user's inline policies.
pub const USER_INLINE_SIZE: usize = 2_048;
/// Aggregate characters of a group's inline policies.
pub const GROUP_INLINE_SIZE: usize = 5_120;
/// Aggregate characters of a role's inline policies.
pub const ROLE_INLINE_SIZE: usize = 10_240;
/// Characters in a role trust policy (default; can be raised to 4,096).
pub const TRUST_POLICY_SIZE: usize = 2_048;
/// Characters in an SCP or an RCP.
pub const ORG_POLICY_SIZE: usize = 5_120;
/// Managed policies attached to one user, group or role (default; can be raised to 20).
pub const MANAGED_PER_PRINCIPAL: usize = 10;
/// The most managed policies any principal can have, even with a raised quota.
pub const MANAGED_PER_PRINCIPAL_MAX: usize = 20;
/// Groups one user can be in.
pub const GROUPS_PER_USER: usize = 10;
/// Tags on one user or role.
pub const TAGS_PER_PRINCIPAL: usize = 50;
/// SCPs (or RCPs) attached to one root, OU or account.
pub const ORG_POLICIES_PER_TARGET: usize = 5;
/// OUs nested under the root.
pub const OU_DEPTH: u32 = 5;
/// Per account (defaults).
pub const USERS_PER_ACCOUNT: usize = 5_000;
pub const GROUPS_PER_ACCOUNT: usize = 300;
pub const ROLES_PER_ACCOUNT: usize = 1_000;
pub const CUSTOMER_POLICIES_PER_ACCOUNT: usize = 1_500;

/// A warning when `size` is over `limit`.
pub fn size(what: &str, size: usize, limit: usize) -> Option<String> {
    (size > limit)
        .then(|| format!("{what} is {size} characters (whitespace excluded); AWS allows {limit}"))
}

/// A warning when `count` is over `limit`.
pub fn count(what: &str, count: usize, limit: usize, note: &str) -> Option<String> {
    (count > limit).then(|| format!("{count} {what}; AWS allows {limit}{note}"))
}

/// The managed-policy attachment warning for one principal.
pub fn managed_attachments(count: usize) -> Option<String> {
    if count > MANAGED_PER_PRINCIPAL_MAX {
        Some(format!(
            "{count} managed policies attached; AWS allows at most {MANAGED_PER_PRINCIPAL_MAX}"
        ))
    } else {
        self::count(
            "managed policies attached",
            count,
            MANAGED_PER_PRINCIPAL,
            " by default (up to 20 on request)",
        )
    }
}
