//! Callers the organization does not hold: a principal of another account (a partner's
//! role), an AWS service principal (`lambda.amazonaws.com`), an anonymous caller.
//! orgscope answers the org's side of such a request: the resource's policy (a bucket
//! policy, a role's trust policy, a key policy) and the RCPs of the resource's account.
//! The caller's own side (its identity policies, boundary and SCPs) is not in the org:
//! it is assumed to allow unless the question gives its identity policies. A Deny of
//! the org's side denies whatever that side holds (IAM User Guide, "Cross-account policy
//! evaluation logic": both sides must allow, and any explicit deny denies).

use std::sync::Arc;

use super::AnalysisError;
use super::assemble::{Ask, Target, compiled_levels, org_path};
use super::who_can::Condition;
use crate::engine::{Decision, PolicySet};
use crate::org::Org;
use crate::policy::{Context, Policy, PolicyKind, Principal, Request};

/// Who asks, from outside the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outside {
    /// A principal of an account that is not in the org (a user, role, role session,
    /// federated user or root user).
    Account(String),
    /// An AWS service principal calling on its own.
    Service(String),
    /// An unsigned request.
    Anonymous,
}

impl Outside {
    /// `outside`, `service` or `anonymous`: the `caller` of a `can` answer.
    pub fn kind(&self) -> &'static str {
        match self {
            Outside::Account(_) => "outside",
            Outside::Service(_) => "service",
            Outside::Anonymous => "anonymous",
        }
    }

    /// The caller as the engine's request names it.
    pub fn principal(&self) -> &str {
        match self {
            Outside::Account(arn) | Outside::Service(arn) => arn,
            Outside::Anonymous => "anonymous",
        }
    }
}

/// The caller `text` names when the org does not hold it: a principal ARN whose
/// account is not one of the org's, a service principal, or `anonymous`. A principal
/// ARN of one of the org's own accounts is not an outsider (the org would hold it).
pub fn outside_caller(org: &Org, text: &str) -> Option<Outside> {
    match Principal::parse(text).ok()? {
        Principal::Anonymous => Some(Outside::Anonymous),
        Principal::Service { name } => Some(Outside::Service(name)),
        p => {
            let account = p.account()?;
            org.account_by_id(account)
                .is_none()
                .then(|| Outside::Account(text.to_string()))
        }
    }
}

/// The name of a role that stands for any IAM principal of an account a policy names:
/// parentheses cannot appear in a role name (IAM, CreateRole, RoleName `[\w+=,.@-]+`),
/// so no policy names it, as none can name every principal of the account one by one.
pub const ANY_PRINCIPAL: &str = "(a-principal-of-the-account)";

/// The name of the policy that stands for an outside account's own side when the
/// question does not give its identity policies.
pub const ASSUMED_SIDE: &str = "(the caller's own account: unknown, assumed to allow)";

fn assumed_side() -> &'static Policy {
    static SIDE: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    SIDE.get_or_init(|| {
        Policy::parse(
            PolicyKind::Identity,
            ASSUMED_SIDE,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        )
        .expect("the assumed side is a valid policy")
    })
}

/// One outside caller's request and the policies that apply to it.
pub struct OutsideRequest<'o> {
    pub request: Request,
    pub set: PolicySet<'o>,
    /// What was assumed about the caller's side, in plain sentences.
    pub assumptions: Vec<String>,
}

/// Assembles the request of an outside caller: the org's side of it (the resource's
/// policy and its account's RCPs), the caller's identity policies where the question
/// gives them (`ask.caller_policies`), else an Allow of everything standing for them.
///
/// The resource must be on the org's side: when neither the caller nor the resource's
/// account is in the org, orgscope knows nothing of the request and refuses it.
pub fn assemble_outside<'o>(
    org: &'o Org,
    caller: &Outside,
    ask: &'o Ask,
    tgt: &Target<'o>,
) -> Result<OutsideRequest<'o>, AnalysisError> {
    let Some(account) = tgt.account else {
        return Err(AnalysisError::NeitherInOrg {
            principal: caller.principal().to_string(),
            resource: ask.resource.clone(),
        });
    };
    let mut ctx = Context::from_pairs(
        ask.context
            .iter()
            .map(|(k, v)| (k.as_str(), v.iter().cloned())),
    );
    // The resource's organization (IAM User Guide, "AWS global condition context
    // keys": aws:ResourceOrgID, aws:ResourceOrgPaths); the caller's organization, if
    // any, is not known, so aws:PrincipalOrgID is left unset.
    if let Some(id) = &org.info().id {
        ctx.insert_default("aws:ResourceOrgID", id);
        ctx.insert_default("aws:ResourceOrgPaths", &org_path(org, account));
    }
    let request = Request::new(
        caller.principal(),
        &ask.action,
        &ask.resource,
        tgt.account_id.as_deref(),
        ctx,
    )?;
    let mut assumptions = Vec::new();
    let identity: Vec<&'o Policy> = match caller {
        Outside::Account(arn) => {
            let acct = Principal::parse(arn)
                .ok()
                .and_then(|p| p.account().map(str::to_string))
                .unwrap_or_default();
            if ask.caller_policies.is_empty() {
                assumptions.push(format!(
                    "account {acct} is not in the organization: its identity policies, \
                     permissions boundary and SCPs are unknown and assumed to allow \
                     (give its identity policies with --identity-policy)"
                ));
                vec![assumed_side()]
            } else {
                assumptions.push(format!(
                    "account {acct} is not in the organization: the identity policies given \
                     stand for the caller's; its permissions boundary and SCPs are unknown \
                     and assumed to allow"
                ));
                ask.caller_policies.iter().map(|p| &**p).collect()
            }
        }
        Outside::Service(name) => {
            assumptions.push(format!(
                "{name} is an AWS service principal: it has no identity policies and no \
                 SCP governs it, so only the resource's policy can let it in"
            ));
            Vec::new()
        }
        Outside::Anonymous => Vec::new(),
    };
    let set = PolicySet {
        identity,
        session: ask.session_policy.as_deref(),
        rcps: compiled_levels(org, org.rcp_levels(account)).into(),
        resource: tgt.policy,
        aws_managed_key: tgt.aws_managed_key,
        restrict_public_buckets: tgt.restrict_public_buckets,
        block_public_acls: tgt.block_public_acls
            || super::public_access::account_blocks_public_acls(org, account),
        ..Default::default()
    };
    Ok(OutsideRequest {
        request,
        set,
        assumptions,
    })
}

/// The org's side for an outside caller as who-can lists it: the decision with the
/// context given and, when it does not allow, the key values that let it through.
/// `None` where orgscope cannot evaluate the caller.
pub(crate) fn resource_side(
    org: &Org,
    ask: &Ask,
    tgt: &Target,
    caller: &Outside,
) -> Option<(Decision, Option<crate::engine::Layer>, Vec<Condition>)> {
    // The org's side alone: the caller's own policies are not asked for here.
    let plain;
    let ask = if ask.caller_policies.is_empty() {
        ask
    } else {
        plain = Ask {
            caller_policies: Vec::new(),
            ..ask.clone()
        };
        &plain
    };
    let mut a = assemble_outside(org, caller, ask, tgt).ok()?;
    let (decision, blocked_by) = crate::engine::decide(&a.request, &a.set);
    let when = if decision == Decision::Allowed {
        Vec::new()
    } else {
        let refused = |key: &crate::policy::context::Key, value: &str| {
            cannot_give(org, caller, key.spelling(), value)
        };
        crate::engine::first_allowing_context_but(&mut a.request, &a.set, decision, &refused)
            .into_iter()
            .map(|(key, value)| Condition { key, value })
            .collect()
    };
    Some((decision, blocked_by, when))
}

/// Whether `caller`, outside the organization, can never send `key` with `value`, so
/// that a resource side let in only by it stays shut to that caller. A principal of
/// another account never carries the organization's id or paths, one of its accounts,
/// or one of their principals' ARNs (IAM User Guide, "AWS global condition context
/// keys": aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalAccount,
/// aws:PrincipalArn), nor calls as an AWS service (aws:PrincipalIsAWSService); an
/// anonymous request carries none of the principal keys at all.
fn cannot_give(org: &Org, caller: &Outside, key: &str, value: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let principal_key = matches!(
        key.as_str(),
        "aws:principalorgid"
            | "aws:principalorgpaths"
            | "aws:principalaccount"
            | "aws:principalarn"
            | "kms:calleraccount"
            | "aws:userid"
            | "aws:username"
            | "aws:principalisawsservice"
            | "aws:principalservicename"
    ) || key.starts_with("aws:principaltag/");
    match caller {
        Outside::Anonymous => principal_key,
        Outside::Account(_) => {
            let ours = |id: &str| org.account_by_id(id).is_some();
            let org_id = org.info().id.as_deref();
            match key.as_str() {
                "aws:principalorgid" => org_id == Some(value),
                "aws:principalorgpaths" => org_id.is_some_and(|id| value.starts_with(id)),
                "aws:principalaccount" | "kms:calleraccount" => ours(value),
                "aws:principalarn" => {
                    crate::policy::Arn::parse(value).is_some_and(|a| ours(a.account()))
                }
                // Only an AWS service principal calls as a service (a caller of its
                // own kind here, not an outsider).
                "aws:principalisawsservice" => value.eq_ignore_ascii_case("true"),
                "aws:principalservicename" => true,
                _ => false,
            }
        }
        Outside::Service(_) => false,
    }
}

/// Reads identity policies given for an outside caller.
pub fn parse_caller_policy(name: &str, text: &str) -> Result<Arc<Policy>, String> {
    Policy::parse(PolicyKind::Identity, name, text)
        .map(Arc::new)
        .map_err(|e| e.to_string())
}
