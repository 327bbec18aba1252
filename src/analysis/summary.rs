//! One plain sentence that opens an answer: what decided it, named with the org's
//! names ("Denied: the SCP DenyLeaveOrg on OU Workloads explicitly denies it, whatever
//! any policy allows").

use crate::engine::{AwsRule, Decision, Explanation, Layer, LayerReport, Outcome};
use crate::org::{AccountIx, Org};

use super::layers::level_name;

/// The sentence for `x`, asked by a principal of `principal_account` of a resource in
/// `resource_account` (where known); `principal_account` is `None` for a caller the
/// org does not hold.
pub fn summary(
    org: &Org,
    principal_account: Option<AccountIx>,
    resource_account: Option<AccountIx>,
    x: &Explanation,
) -> String {
    // The root reads "the root" inside a sentence.
    let node = |account: Option<AccountIx>, level: usize| match level_name(org, account, level) {
        n if n == "root" => "the root".to_string(),
        n => n,
    };
    // "the SCP DenyLeaveOrg on OU Workloads", "the identity policy PowerUserAccess".
    let policy_in = |layer: Layer, policy: &str| match layer {
        Layer::Scp(l) => format!("the SCP {policy} on {}", node(principal_account, l)),
        Layer::Rcp(l) => format!("the RCP {policy} on {}", node(resource_account, l)),
        Layer::Endpoint => format!("the VPC endpoint policy {policy}"),
        // A resource's policy is named by its kind ("secret policy"): not "the
        // resource policy secret policy".
        Layer::Resource if policy.ends_with(" policy") => format!("the {policy}"),
        Layer::Resource => format!("the resource policy {policy}"),
        Layer::Identity => format!("the identity policy {policy}"),
        Layer::Boundary => format!("the permissions boundary {policy}"),
        Layer::Session => format!("the session policy {policy}"),
        Layer::Aws(_) => format!("the policy {policy}"),
    };
    let first = |l: &LayerReport, effect: &str| {
        l.statements
            .iter()
            .find(|s| s.effect == effect)
            .map(|s| (s.policy.clone(), s.statement.clone()))
    };
    match x.decision {
        Decision::ExplicitlyDenied => {
            let deny = x
                .blocked_by
                .and_then(|b| x.layer(b))
                .and_then(|l| first(l, "Deny").map(|(p, s)| (l.layer, p, s)));
            match deny {
                Some((layer, policy, sid)) => format!(
                    "Denied: {} explicitly denies it (statement {sid}), whatever any policy allows.",
                    policy_in(layer, &policy)
                ),
                None => {
                    "Denied: a policy explicitly denies it, whatever any policy allows.".to_string()
                }
            }
        }
        Decision::ImplicitlyDenied => match x.blocked_by {
            Some(Layer::Aws(AwsRule::BlockPublicAccess)) => {
                "Denied: S3 Block Public Access (RestrictPublicBuckets) is on and the bucket \
                 policy is public, so the policy grants nothing to callers outside the bucket \
                 owner's account and its public statements grant nothing (implicit deny)."
                    .to_string()
            }
            Some(Layer::Aws(rule)) => format!(
                "Denied: {}, whatever any policy allows (implicit deny).",
                rule.reason()
            ),
            Some(Layer::Scp(l)) => format!(
                "Denied: no SCP on {} allows it, and every level from the root down to the \
                 account must (implicit deny).",
                node(principal_account, l)
            ),
            Some(Layer::Rcp(l)) => format!(
                "Denied: no RCP on {} allows it (implicit deny).",
                node(resource_account, l)
            ),
            Some(Layer::Boundary) => {
                "Denied: the permissions boundary does not allow it, whatever the identity \
                 policies allow (implicit deny)."
                    .to_string()
            }
            Some(Layer::Session) => {
                "Denied: the session policy does not allow it, whatever the identity policies \
                 allow (implicit deny)."
                    .to_string()
            }
            Some(Layer::Resource) => match resource_account {
                Some(r) if principal_account.is_none() => format!(
                    "Denied: the resource's policy in account {} does not let this caller \
                     in, and for a caller outside the account it must (implicit deny).",
                    org.account(r).name
                ),
                Some(r) if Some(r) != principal_account => format!(
                    "Denied: the resource is in another account, {}, whose side does not let \
                     this principal in: across accounts the resource's policy and the \
                     principal's own policies must both allow (implicit deny).",
                    org.account(r).name
                ),
                _ => "Denied: the resource's own policy must allow it here (a role's trust \
                      policy, a KMS key policy) and does not (implicit deny)."
                    .to_string(),
            },
            Some(Layer::Endpoint) => {
                "Denied: the VPC endpoint policy does not allow it (implicit deny).".to_string()
            }
            Some(Layer::Identity) | None => {
                "Denied: no identity policy allows it and no resource policy grants it \
                 (implicit deny)."
                    .to_string()
            }
        },
        Decision::Allowed => {
            let granted = [Layer::Identity, Layer::Resource]
                .into_iter()
                .filter_map(|l| x.layer(l))
                .filter(|l| l.outcome == Outcome::Allowed)
                .find_map(|l| first(l, "Allow").map(|(p, s)| (l.layer, p, s)));
            match granted {
                Some((layer, policy, sid)) => format!(
                    "Allowed: {} allows it (statement {sid}), and no policy denies it.",
                    policy_in(layer, &policy)
                ),
                None => match x.notes.first() {
                    Some(note) => format!("Allowed: {note}."),
                    None => "Allowed: no policy denies it.".to_string(),
                },
            }
        }
    }
}
