//! Questions over the whole organization: can, who-can, what-can, assume-role paths.
//! The org only assembles requests; every decision is the engine's.

pub mod assemble;
pub mod can;
pub mod kms_grants;
pub mod layers;
pub mod notes;
pub mod outside;
pub mod paths;
pub mod pattern;
pub mod public_access;
pub mod summary;
pub mod watch;
pub mod what_can;
pub mod who_can;
pub mod who_can_pattern;

pub use assemble::{Ask, Subject, principal, subject};
pub use can::{CanAnswer, can};
pub use layers::{LevelOwner, layer_label, level_owner};
pub use notes::question_notes;
pub use paths::{PathsAnswer, Reach, paths, paths_until, who_reaches, who_reaches_until};
pub use public_access::block_public_access;
pub use watch::{Progress, Stop, Watch, never};
pub use what_can::{Comparison, Filter, WhatCanAnswer, compare, what_can, what_can_until};
pub use who_can::{
    Among, Reuse, WhoCanAnswer, who_can, who_can_among, who_can_among_reusing, who_can_until,
};
pub use who_can_pattern::who_can_covering;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error("no user or role `{0}` in the organization; give its ARN or a unique name")]
    UnknownPrincipal(String),
    #[error("`{name}` names several principals; give one of their ARNs: {}", arns.join(", "))]
    AmbiguousPrincipal { name: String, arns: Vec<String> },
    #[error(transparent)]
    Request(#[from] crate::policy::RequestError),
    #[error("the resource account given, {given}, is not the resource's: {how} account {actual}")]
    ResourceAccountConflict {
        given: String,
        how: &'static str,
        actual: String,
    },
    #[error(
        "KMS authorizes `{action}` on the key that `{alias}` names, not on the alias: give the key's ARN (policies can test the alias with kms:RequestAlias)"
    )]
    KmsAlias { action: String, alias: String },
    #[error(
        "`{0}` is a pattern: a request names one action, such as `s3:GetObject` (what-can --service lists a principal's actions)"
    )]
    ActionPattern(String),
    #[error("no service `{0}` in the AWS catalog; give a service prefix such as `s3` or `iam`")]
    UnknownService(String),
    #[error(
        "neither `{principal}` nor the resource `{resource}` is in the organization: orgscope knows neither side of the request (for an S3 ARN the org does not hold, give --resource-account with one of the org's accounts)"
    )]
    NeitherInOrg { principal: String, resource: String },
    #[error(
        "identity policies are given only for a caller outside the organization; the organization holds `{0}`'s own"
    )]
    CallerPoliciesInOrg(String),
    #[error(
        "`{0}` is not a resource pattern; expected `*` or an ARN with `*` or `?`, such as `arn:aws:s3:::payroll/*`"
    )]
    NotAResourcePattern(String),
    #[error(
        "`{0}` cuts into too many classes of resources to answer for all of them; give a narrower pattern"
    )]
    PatternTooLarge(String),
    #[error(
        "`{0}` covers no resource orgscope can answer for: none of the action's resource types in the organization's accounts"
    )]
    PatternCoversNothing(String),
    #[error("cancelled")]
    Cancelled,
}

/// The first Deny statement of `policy` that `covers` keeps and that names a canonical
/// user (an S3 account id): orgscope cannot map it to an account, so it never matches,
/// yet AWS denies that account's principals. `can` and who-can say so beside the answer.
pub(crate) fn canonical_user_deny(
    policy: &crate::policy::Policy,
    covers: impl Fn(&crate::policy::Statement) -> bool,
) -> Option<&crate::policy::Statement> {
    policy.statements().iter().find(|st| {
        st.effect == crate::policy::Effect::Deny
            && covers(st)
            && st.named_principals().is_some_and(|(negated, named)| {
                !negated
                    && named
                        .iter()
                        .any(|n| matches!(n, crate::policy::NamedPrincipal::CanonicalUser(_)))
            })
    })
}

/// Values of keys the request lacks that turn its `decision` into Allowed (see
/// [`crate::engine::first_allowing_context`]); empty when none does. `org`, where
/// given, tells which keys the request's resource fixes.
pub(crate) fn letting_in(
    org: Option<&crate::org::Org>,
    req: &mut crate::policy::Request,
    set: &crate::engine::PolicySet,
    decision: crate::engine::Decision,
) -> Vec<who_can::Condition> {
    // An IAM request on a user or role of the org carries that entity's boundary as
    // `iam:PermissionsBoundary` (Service Authorization Reference, IAM condition keys):
    // set or absent, it is not the caller's to choose.
    let fixed_boundary = assemble::carries_entity_boundary(req.action())
        && org.is_some_and(|org| {
            matches!(
                org.by_arn(req.resource()),
                Some(crate::org::Entity::User(_) | crate::org::Entity::Role(_))
            )
        });
    let refused = |key: &crate::policy::context::Key, _: &str| {
        fixed_boundary
            && key
                .spelling()
                .eq_ignore_ascii_case("iam:PermissionsBoundary")
    };
    crate::engine::first_allowing_context_but(req, set, decision, &refused)
        .into_iter()
        .map(|(key, value)| who_can::Condition { key, value })
        .collect()
}
