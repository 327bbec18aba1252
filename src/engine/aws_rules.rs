//! Rules AWS applies whatever the policies say: things AWS owns that no customer can
//! change, and S3 Block Public Access. Each is an implicit deny with its own layer in
//! the explanation, [`Layer::Aws`](super::Layer::Aws), naming the rule.
//!
//! Where the documentation does not list every refused action, the list errs on the
//! side of refusing: orgscope must never report Allowed where AWS could deny.

use std::fmt;

use serde::Serialize;

use crate::policy::{Effect, NamedPrincipal, Request, Statement};

/// One of AWS's own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AwsRule {
    /// `arn:aws:iam::aws:policy/...`: AWS writes, versions and deletes its managed
    /// policies; customers only attach them.
    ManagedPolicy,
    /// A role under `/aws-reserved/sso.amazonaws.com/` (`AWSReservedSSO_...`): IAM
    /// Identity Center creates it from a permission set and alone changes it.
    IdentityCenterRole,
    /// Another role under `/aws-reserved/`: reserved for AWS.
    ReservedRole,
    /// A role under `/aws-service-role/`: only its service changes or deletes it.
    ServiceLinkedRole,
    /// A KMS alias under `alias/aws/`: reserved for AWS managed keys.
    KmsAwsAlias,
    /// S3 Block Public Access, `RestrictPublicBuckets`, on a bucket whose policy is
    /// public: the policy grants nothing to anyone outside the bucket owner's account,
    /// and its public statements grant nothing at all.
    BlockPublicAccess,
    /// S3 Block Public Access, `BlockPublicAcls`, on the bucket or its account: a
    /// request that sets a public ACL (a canned `public-read`, `public-read-write` or
    /// `authenticated-read`, or a grant to the AllUsers or AuthenticatedUsers group)
    /// fails.
    BlockPublicAcls,
    /// An account's root user calling `sts:AssumeRole`: STS refuses root credentials
    /// whatever the trust policy says.
    RootAssumeRole,
    /// `iam:PassRole` on a role of another account than the caller's: a role can be
    /// passed only to a service in its own account, whatever the policies say.
    CrossAccountPassRole,
    /// What temporary credentials cannot call: a role session cannot call
    /// `sts:GetFederationToken` or `sts:GetSessionToken`; a federated user
    /// (`GetFederationToken`) cannot call IAM operations, nor STS operations other than
    /// `sts:GetCallerIdentity`.
    TemporaryCredentials,
}

impl AwsRule {
    /// Why the request is refused, as explanations say it.
    pub fn reason(self) -> &'static str {
        match self {
            AwsRule::ManagedPolicy => {
                "AWS owns this policy: AWS managed policies cannot be created, versioned, deleted or tagged by customers"
            }
            AwsRule::IdentityCenterRole => {
                "AWS owns this role: IAM Identity Center manages it, and only changes made to its permission set reach it"
            }
            AwsRule::ReservedRole => {
                "AWS owns this role: roles under /aws-reserved/ are managed by AWS, not by IAM principals"
            }
            AwsRule::ServiceLinkedRole => {
                "AWS owns this role: a service-linked role is changed only by its service (delete it with iam:DeleteServiceLinkedRole)"
            }
            AwsRule::KmsAwsAlias => {
                "AWS owns this alias: aliases under alias/aws/ belong to AWS managed keys and cannot be created, changed or deleted"
            }
            AwsRule::BlockPublicAccess => {
                "S3 Block Public Access (RestrictPublicBuckets) is on and the bucket policy is public: it grants nothing to callers outside the bucket owner's account, and its public statements grant nothing"
            }
            AwsRule::BlockPublicAcls => {
                "S3 Block Public Access (BlockPublicAcls) is on and the request sets a public ACL (one that grants to AllUsers or AuthenticatedUsers): S3 refuses it"
            }
            AwsRule::RootAssumeRole => {
                "the root user cannot assume roles: STS refuses a root user's credentials"
            }
            AwsRule::CrossAccountPassRole => {
                "a role can be passed only to a service of its own account: iam:PassRole on another account's role is refused whatever the policies say"
            }
            AwsRule::TemporaryCredentials => {
                "temporary credentials cannot make this call: a role session cannot call GetFederationToken or GetSessionToken, and a federated user cannot call IAM operations or STS operations other than GetCallerIdentity"
            }
        }
    }

    /// The AWS documentation page the rule comes from.
    pub fn doc(self) -> &'static str {
        match self {
            AwsRule::ManagedPolicy => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies"
            }
            AwsRule::IdentityCenterRole | AwsRule::ReservedRole => {
                "https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html"
            }
            AwsRule::ServiceLinkedRole => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html"
            }
            AwsRule::KmsAwsAlias => {
                "https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html"
            }
            AwsRule::BlockPublicAccess | AwsRule::BlockPublicAcls => {
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html"
            }
            AwsRule::RootAssumeRole => {
                "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html"
            }
            AwsRule::CrossAccountPassRole => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"
            }
            AwsRule::TemporaryCredentials => {
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html#stsapi_comparison"
            }
        }
    }

    /// The rule as a layer's label in tables: `AWS rule: IAM Identity Center role`.
    pub fn label(self) -> &'static str {
        match self {
            AwsRule::ManagedPolicy => "AWS rule: AWS managed policy",
            AwsRule::IdentityCenterRole => "AWS rule: IAM Identity Center role",
            AwsRule::ReservedRole => "AWS rule: AWS reserved role",
            AwsRule::ServiceLinkedRole => "AWS rule: service-linked role",
            AwsRule::KmsAwsAlias => "AWS rule: AWS managed key alias",
            AwsRule::BlockPublicAccess => "S3 Block Public Access",
            AwsRule::BlockPublicAcls => "S3 Block Public Access: public ACL",
            AwsRule::RootAssumeRole => "AWS rule: root user assuming a role",
            AwsRule::CrossAccountPassRole => "AWS rule: passing another account's role",
            AwsRule::TemporaryCredentials => "AWS rule: temporary credentials",
        }
    }

    /// What AWS keeps, in the plural: `IAM Identity Center roles`.
    pub fn kept(self) -> &'static str {
        match self {
            AwsRule::ManagedPolicy => "AWS managed policies",
            AwsRule::IdentityCenterRole => "IAM Identity Center roles",
            AwsRule::ReservedRole => "AWS reserved roles",
            AwsRule::ServiceLinkedRole => "service-linked roles",
            AwsRule::KmsAwsAlias => "alias/aws/ KMS aliases",
            AwsRule::BlockPublicAccess => "public bucket policies under Block Public Access",
            AwsRule::BlockPublicAcls => "buckets whose Block Public Access refuses public ACLs",
            AwsRule::RootAssumeRole => "roles, to a root user",
            AwsRule::CrossAccountPassRole => "roles of other accounts, to iam:PassRole",
            AwsRule::TemporaryCredentials => {
                "token requests from role sessions, IAM and STS calls from federated users"
            }
        }
    }

    /// The rule's name in JSON: `identityCenterRole`.
    pub fn name(self) -> &'static str {
        match self {
            AwsRule::ManagedPolicy => "managedPolicy",
            AwsRule::IdentityCenterRole => "identityCenterRole",
            AwsRule::ReservedRole => "reservedRole",
            AwsRule::ServiceLinkedRole => "serviceLinkedRole",
            AwsRule::KmsAwsAlias => "kmsAwsAlias",
            AwsRule::BlockPublicAccess => "blockPublicAccess",
            AwsRule::BlockPublicAcls => "blockPublicAcls",
            AwsRule::RootAssumeRole => "rootAssumeRole",
            AwsRule::CrossAccountPassRole => "crossAccountPassRole",
            AwsRule::TemporaryCredentials => "temporaryCredentials",
        }
    }
}

impl fmt::Display for AwsRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Changing an AWS managed policy (IAM User Guide, "AWS managed policies": "You
/// cannot change the permissions defined in AWS managed policies").
const MANAGED_POLICY_ACTIONS: &[&str] = &[
    "createpolicy",
    "createpolicyversion",
    "deletepolicy",
    "deletepolicyversion",
    "setdefaultpolicyversion",
    "tagpolicy",
    "untagpolicy",
];

/// Changing, deleting or passing a role IAM Identity Center owns (IAM Identity Center
/// User Guide, "IAM roles created by IAM Identity Center"; IAM refuses with "Cannot
/// perform the operation on the protected role"). Creating a role on that path is
/// refused too.
const RESERVED_ROLE_ACTIONS: &[&str] = &[
    "attachrolepolicy",
    "createrole",
    "deleterole",
    "deleterolepermissionsboundary",
    "deleterolepolicy",
    "detachrolepolicy",
    "passrole",
    "putrolepermissionsboundary",
    "putrolepolicy",
    "tagrole",
    "untagrole",
    "updateassumerolepolicy",
    "updaterole",
    "updateroledescription",
];

/// Changing a service-linked role (IAM User Guide, "Using service-linked roles": its
/// permissions and trust policy are the service's, deleting goes through
/// `iam:DeleteServiceLinkedRole`, creating through `iam:CreateServiceLinkedRole`; only
/// its description may be edited). `UpdateRole` (which also sets the maximum session
/// duration) and tagging are refused as the safe side: the documentation lists only
/// the description as editable.
const SERVICE_LINKED_ROLE_ACTIONS: &[&str] = &[
    "attachrolepolicy",
    "createrole",
    "deleterole",
    "deleterolepermissionsboundary",
    "deleterolepolicy",
    "detachrolepolicy",
    "putrolepermissionsboundary",
    "putrolepolicy",
    "tagrole",
    "untagrole",
    "updateassumerolepolicy",
    "updaterole",
];

/// Aliases under `alias/aws/` (KMS Developer Guide, "Aliases in AWS KMS" and
/// "Controlling access to aliases": names that begin with `alias/aws/` are reserved
/// for AWS managed keys).
const KMS_ALIAS_ACTIONS: &[&str] = &["createalias", "deletealias", "updatealias"];

/// The rule of AWS that refuses this request whatever the policies say, if any. Only
/// IAM and KMS requests are looked at; the rest costs one comparison.
#[inline]
/// An account's root user assuming a role: "You cannot call AssumeRole with the
/// AWS account root user credentials" (STS API Reference, AssumeRole).
pub fn root_assumes_role(req: &Request) -> bool {
    matches!(req.principal(), crate::policy::Principal::Root { .. })
        && req
            .resource_arn()
            .is_some_and(|a| a.service() == "iam" && a.resource().starts_with("role/"))
        && req.action_name_lower().starts_with("assumerole")
}

/// `iam:PassRole` on a role of another account than the caller's: "You can only use
/// the PassRole permission to pass an IAM role to a service that shares the same AWS
/// account" (IAM User Guide, "Grant a user permissions to pass a role to an AWS
/// service"). A caller without an account (anonymous, a service) is not looked at.
pub fn passes_other_accounts_role(req: &Request) -> bool {
    req.action_lower() == "iam:passrole"
        && req.resource_arn().is_some_and(|a| {
            a.service() == "iam"
                && a.resource().starts_with("role/")
                && req
                    .principal()
                    .account()
                    .is_some_and(|acct| acct != a.account())
        })
}

/// A call temporary credentials cannot make, whatever the policies say (IAM User
/// Guide, "Compare AWS STS credentials", "Restrictions on resulting temporary
/// credentials"): credentials from `AssumeRole` (and `AssumeRoleWithSAML`,
/// `AssumeRoleWithWebIdentity`) "cannot call `GetFederationToken` or
/// `GetSessionToken`"; those from `GetFederationToken` "cannot call IAM operations
/// using the AWS CLI or AWS API" and "cannot call AWS STS operations except
/// `GetCallerIdentity`" (which needs no permission, and is answered before).
pub fn temporary_credentials_refuse(req: &Request) -> bool {
    use crate::policy::Principal;
    match req.principal() {
        Principal::RoleSession { .. } => matches!(
            req.action_lower(),
            "sts:getfederationtoken" | "sts:getsessiontoken"
        ),
        Principal::FederatedUser { .. } => match req.service_lower() {
            "iam" => true,
            "sts" => req.action_lower() != "sts:getcalleridentity",
            _ => false,
        },
        _ => false,
    }
}

pub fn owned(req: &Request) -> Option<AwsRule> {
    let arn = req.resource_arn()?;
    owned_by(
        req.service_lower(),
        req.action_name_lower(),
        arn.service(),
        arn.account(),
        arn.resource(),
    )
}

/// [`owned`] for `action` on the ARN whose service, account and resource part these
/// are.
pub fn owned_at(
    action: &str,
    arn_service: &str,
    arn_account: &str,
    resource: &str,
) -> Option<AwsRule> {
    // Lower-cased on the stack: the escalation search asks this of every request.
    let mut buf = [0u8; 96];
    let owned;
    let lower: &str = match buf.get_mut(..action.len()) {
        Some(b) => {
            b.copy_from_slice(action.as_bytes());
            b.make_ascii_lowercase();
            std::str::from_utf8(b).ok()?
        }
        None => {
            owned = action.to_ascii_lowercase();
            &owned
        }
    };
    let (service, name) = lower.split_once(':')?;
    owned_by(service, name, arn_service, arn_account, resource)
}

fn owned_by(
    service: &str,
    action: &str,
    arn_service: &str,
    arn_account: &str,
    resource: &str,
) -> Option<AwsRule> {
    if service != "iam" && service != "kms" {
        return None;
    }
    match service {
        "iam" if arn_service == "iam" => {
            if arn_account == "aws" && resource.starts_with("policy/") {
                return MANAGED_POLICY_ACTIONS
                    .contains(&action)
                    .then_some(AwsRule::ManagedPolicy);
            }
            let path = resource.strip_prefix("role/")?;
            if let Some(rest) = path.strip_prefix("aws-reserved/") {
                let rule = if rest.starts_with("sso.amazonaws.com/") {
                    AwsRule::IdentityCenterRole
                } else {
                    AwsRule::ReservedRole
                };
                return RESERVED_ROLE_ACTIONS.contains(&action).then_some(rule);
            }
            if path.starts_with("aws-service-role/") {
                return SERVICE_LINKED_ROLE_ACTIONS
                    .contains(&action)
                    .then_some(AwsRule::ServiceLinkedRole);
            }
            None
        }
        "kms" if arn_service == "kms" && resource.starts_with("alias/aws/") => KMS_ALIAS_ACTIONS
            .contains(&action)
            .then_some(AwsRule::KmsAwsAlias),
        _ => None,
    }
}

/// The rules of AWS that refuse `action` (`service:Action`) on some of the resources a
/// granted resource pattern covers (`*`, `arn:aws:iam::111122223333:role/*`): a grant
/// on such a pattern does not reach what AWS owns. What-can lists them beside the
/// grant. Each rule is tried on a resource it owns, made of the pattern's own
/// partition, region and account where the pattern names them.
pub fn refused_within(action: &str, pattern: &str) -> Vec<AwsRule> {
    use crate::policy::arn::{Arn, ArnPattern, ResourceRef};
    let Some((service, name)) = action.split_once(':') else {
        return Vec::new();
    };
    let (service, name) = (service.to_ascii_lowercase(), name.to_ascii_lowercase());
    let segs = crate::policy::arn_segments_of_pattern(pattern);
    let literal = |i: usize, default: &str| -> String {
        match segs.as_ref().map(|s| s[i]) {
            Some(s) if !s.is_empty() && !s.contains(['*', '?', '$']) => s.to_string(),
            _ => default.to_string(),
        }
    };
    let partition = literal(0, "aws");
    let region = literal(2, "us-east-1");
    let account = literal(3, "111122223333");
    let owned_by: &[(AwsRule, &str, &[&str])] = &[
        (AwsRule::ManagedPolicy, "iam", MANAGED_POLICY_ACTIONS),
        (AwsRule::IdentityCenterRole, "iam", RESERVED_ROLE_ACTIONS),
        (
            AwsRule::ServiceLinkedRole,
            "iam",
            SERVICE_LINKED_ROLE_ACTIONS,
        ),
        (AwsRule::KmsAwsAlias, "kms", KMS_ALIAS_ACTIONS),
    ];
    let compiled = ArnPattern::compile(pattern, false);
    let ctx = crate::policy::Context::default();
    owned_by
        .iter()
        .filter(|(_, svc, actions)| *svc == service && actions.contains(&name.as_str()))
        .filter_map(|&(rule, _, _)| {
            let sample = match rule {
                AwsRule::ManagedPolicy => format!("arn:{partition}:iam::aws:policy/AWSManaged"),
                AwsRule::IdentityCenterRole => format!(
                    "arn:{partition}:iam::{account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Example_0123456789abcdef"
                ),
                AwsRule::ServiceLinkedRole => format!(
                    "arn:{partition}:iam::{account}:role/aws-service-role/example.amazonaws.com/AWSServiceRoleForExample"
                ),
                AwsRule::KmsAwsAlias => {
                    format!("arn:{partition}:kms:{region}:{account}:alias/aws/example")
                }
                _ => return None,
            };
            let arn = Arn::parse(&sample)?;
            compiled
                .matches(&ResourceRef::Arn(&arn), &ctx)
                .then_some(rule)
        })
        .collect()
}

/// The S3 actions whose requests may carry an ACL, which `BlockPublicAcls` refuses
/// when the ACL is public (S3 User Guide, "Blocking public access to your Amazon S3
/// storage", "Block public access settings": PUT Bucket acl and PUT Object acl, PUT
/// Object, and PUT Bucket under the account's setting). `s3:PutObject` also
/// authorizes CopyObject and CreateMultipartUpload, which take the same ACL headers.
pub const ACL_SETTING_ACTIONS: &[&str] = &[
    "createbucket",
    "putbucketacl",
    "putobject",
    "putobjectacl",
    "putobjectversionacl",
];

/// The canned ACLs S3 counts as public: they grant to AllUsers or AuthenticatedUsers
/// (S3 User Guide, "The meaning of public", ACLs; "Canned ACL").
const PUBLIC_CANNED_ACLS: &[&str] = &["public-read", "public-read-write", "authenticated-read"];

/// The grantee groups that make an ACL public (S3 User Guide, "The meaning of
/// public": an ACL is public if it grants any permission to AllUsers or
/// AuthenticatedUsers), as the end of their URI, lower-cased.
const PUBLIC_GROUPS: &[&str] = &[
    "acs.amazonaws.com/groups/global/allusers",
    "acs.amazonaws.com/groups/global/authenticatedusers",
];

/// The condition keys that carry a request's ACL headers (S3 User Guide, "Amazon S3
/// condition key examples"; Service Authorization Reference, Amazon S3).
pub const ACL_KEYS: &[&str] = &[
    "s3:x-amz-acl",
    "s3:x-amz-grant-read",
    "s3:x-amz-grant-write",
    "s3:x-amz-grant-read-acp",
    "s3:x-amz-grant-write-acp",
    "s3:x-amz-grant-full-control",
];

fn acl_keys() -> &'static [crate::policy::context::Key] {
    static KEYS: std::sync::OnceLock<Vec<crate::policy::context::Key>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        ACL_KEYS
            .iter()
            .map(|k| crate::policy::context::Key::new(k))
            .collect()
    })
}

/// Whether the request is one that may set an ACL (see [`ACL_SETTING_ACTIONS`]).
#[inline]
pub fn may_set_acl(req: &Request) -> bool {
    req.service_lower() == "s3" && ACL_SETTING_ACTIONS.contains(&req.action_name_lower())
}

/// What the request's context says of the ACL it sets: `None` when it gives none of
/// the ACL keys, else whether the ACL is public. A grant header names its grantees
/// as `uri="http://acs.amazonaws.com/groups/global/AllUsers"` (a list, maybe): a
/// public group anywhere in it makes the ACL public, whatever the scheme or quotes.
pub fn public_acl(req: &Request) -> Option<bool> {
    public_acl_in(&req.context)
}

/// As [`public_acl`], of a context.
pub fn public_acl_in(context: &crate::policy::Context) -> Option<bool> {
    let mut given = false;
    for (i, key) in acl_keys().iter().enumerate() {
        let Some(values) = context.get_key(key) else {
            continue;
        };
        given = true;
        let public = values.iter().any(|v| {
            let v = v.trim().to_ascii_lowercase();
            if i == 0 {
                PUBLIC_CANNED_ACLS.contains(&v.as_str())
            } else {
                PUBLIC_GROUPS.iter().any(|g| v.contains(g))
            }
        });
        if public {
            return Some(true);
        }
    }
    given.then_some(false)
}

/// S3 Block Public Access `BlockPublicAcls` (`on`: the bucket's setting or its
/// account's) refuses this request: it may set an ACL and its context sets a public
/// one. The rest costs one comparison.
#[inline]
pub fn refuses_public_acl(req: &Request, on: bool) -> bool {
    on && may_set_acl(req) && public_acl(req) == Some(true)
}

/// Condition keys that, fixed to values without wildcards by a positive operator,
/// make an Allow statement non-public (S3 User Guide, "Blocking public access to your
/// Amazon S3 storage", "The meaning of public"). Lower-cased.
const FIXING_KEYS: &[&str] = &[
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
];

/// Whether an Allow statement of a bucket policy is public, as S3 decides it ("The
/// meaning of public"): it is not when its `Principal` names only fixed principals
/// (accounts, ARNs, services, with no wildcard), or when a condition fixes one of the
/// keys above (or `aws:SourceIp` to a CIDR block). Anything orgscope is unsure of
/// (`NotPrincipal`, wildcards in values, `...IfExists`, set operators, a very wide
/// CIDR) counts as public: under `RestrictPublicBuckets` that can only refuse more.
pub fn is_public(s: &Statement) -> bool {
    if s.effect != Effect::Allow {
        return false;
    }
    let fixed_principal = match s.named_principals() {
        Some((false, named)) => named.iter().all(|n| match n {
            NamedPrincipal::Everyone => false,
            NamedPrincipal::Account(a) => !a.contains(['*', '?']),
            NamedPrincipal::Arn(a) => !a.contains(['*', '?']),
            NamedPrincipal::Service(_) => true,
            NamedPrincipal::Federated(_) | NamedPrincipal::CanonicalUser(_) => true,
        }),
        // NotPrincipal with Allow, or no Principal: not a fixed set of principals.
        _ => false,
    };
    if fixed_principal {
        return false;
    }
    !s.conditions.iter().any(fixes)
}

fn fixes(c: &crate::policy::Condition) -> bool {
    use crate::policy::condition::{BaseOperator as B, SetQualifier};
    let op = c.operator;
    if op.if_exists || op.set != SetQualifier::None || c.raw_values.is_empty() {
        return false;
    }
    let key = c.key.to_ascii_lowercase();
    if key == "aws:sourceip" {
        return op.base == B::IpAddress && c.raw_values.iter().all(|v| narrow_cidr(v));
    }
    if key == "aws:userid" {
        // Fixed only outside the pattern "AROLEID:*" (any session of a role).
        return matches!(op.base, B::StringEquals | B::StringEqualsIgnoreCase)
            && c.raw_values.iter().all(|v| !wild(v));
    }
    FIXING_KEYS.contains(&key.as_str())
        && matches!(
            op.base,
            B::StringEquals | B::StringEqualsIgnoreCase | B::StringLike | B::ArnEquals | B::ArnLike
        )
        && c.raw_values.iter().all(|v| !wild(v))
}

fn wild(v: &str) -> bool {
    v.contains(['*', '?']) || v.contains("${")
}

/// A CIDR block that limits callers: at least /8 for IPv4, /32 for IPv6. A wider
/// block (`0.0.0.0/0`, `::/0`) leaves the policy public.
fn narrow_cidr(v: &str) -> bool {
    let v = v.trim();
    match v.split_once('/') {
        None => v.parse::<std::net::IpAddr>().is_ok(),
        Some((addr, len)) => match (addr.parse::<std::net::IpAddr>(), len.parse::<u8>()) {
            (Ok(std::net::IpAddr::V4(_)), Ok(n)) => n >= 8,
            (Ok(std::net::IpAddr::V6(_)), Ok(n)) => n >= 32,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Context, Policy, PolicyKind};

    fn rule(action: &str, resource: &str) -> Option<AwsRule> {
        let req = Request::new(
            "arn:aws:iam::111122223333:user/admin",
            action,
            resource,
            None,
            Context::default(),
        )
        .unwrap();
        let rule = owned(&req);
        // The escalation search's form, from the ARN's parts, must say the same.
        let [_, service, _, account, res] = crate::policy::Arn::segments(resource).unwrap();
        assert_eq!(
            owned_at(action, service, account, res),
            rule,
            "{action} {resource}"
        );
        rule
    }

    const SSO_ROLE: &str = "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    const SLR: &str = "arn:aws:iam::111122223333:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing";

    /// IAM User Guide, "AWS managed policies"
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
    /// customers cannot change them; attaching one is the customer's own business.
    #[test]
    fn aws_managed_policies_are_aws_s() {
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        for a in [
            "iam:CreatePolicyVersion",
            "iam:DeletePolicyVersion",
            "iam:DeletePolicy",
            "iam:SetDefaultPolicyVersion",
            "iam:TagPolicy",
            "iam:UntagPolicy",
        ] {
            assert_eq!(rule(a, admin), Some(AwsRule::ManagedPolicy), "{a}");
        }
        assert_eq!(rule("iam:GetPolicyVersion", admin), None);
        let own = "arn:aws:iam::111122223333:policy/Mine";
        assert_eq!(rule("iam:CreatePolicyVersion", own), None);
    }

    /// IAM Identity Center User Guide, "IAM roles created by IAM Identity Center"
    /// (https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html):
    /// the service manages the role; IAM refuses changes to it.
    #[test]
    fn identity_center_roles_are_refused_to_iam_principals() {
        for a in [
            "iam:AttachRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePolicy",
            "iam:DeleteRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePermissionsBoundary",
            "iam:UpdateRoleDescription",
            "iam:TagRole",
            "iam:DeleteRole",
            "iam:PassRole",
        ] {
            assert_eq!(rule(a, SSO_ROLE), Some(AwsRule::IdentityCenterRole), "{a}");
        }
        // Reading it, or assuming it (its trust policy decides), is not refused.
        assert_eq!(rule("iam:GetRole", SSO_ROLE), None);
        assert_eq!(rule("sts:AssumeRole", SSO_ROLE), None);
        let plain = "arn:aws:iam::111122223333:role/Admin";
        assert_eq!(rule("iam:AttachRolePolicy", plain), None);
    }

    /// IAM User Guide, "Using service-linked roles"
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html):
    /// only the service changes it; the description may be edited; deleting goes
    /// through iam:DeleteServiceLinkedRole.
    #[test]
    fn service_linked_roles_are_their_service_s() {
        for a in [
            "iam:AttachRolePolicy",
            "iam:PutRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:DeleteRole",
        ] {
            assert_eq!(rule(a, SLR), Some(AwsRule::ServiceLinkedRole), "{a}");
        }
        assert_eq!(rule("iam:UpdateRoleDescription", SLR), None);
        assert_eq!(rule("iam:DeleteServiceLinkedRole", SLR), None);
        // Some services take a service-linked role passed to them (Auto Scaling's
        // ServiceLinkedRoleARN): passing is left to the policies.
        assert_eq!(rule("iam:PassRole", SLR), None);
    }

    /// KMS Developer Guide, "Controlling access to aliases"
    /// (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html).
    #[test]
    fn kms_aliases_under_alias_aws_are_reserved() {
        let aws = "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3";
        for a in ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"] {
            assert_eq!(rule(a, aws), Some(AwsRule::KmsAwsAlias), "{a}");
        }
        let mine = "arn:aws:kms:eu-west-1:111122223333:alias/app";
        assert_eq!(rule("kms:DeleteAlias", mine), None);
        assert_eq!(rule("kms:ListAliases", aws), None);
    }

    /// What-can's view: a grant on `*` or on `role/*` does not reach the roles AWS
    /// owns; a grant on a named role of the customer's does.
    #[test]
    fn grants_on_patterns_name_what_aws_keeps() {
        assert_eq!(
            refused_within("iam:AttachRolePolicy", "*"),
            vec![AwsRule::IdentityCenterRole, AwsRule::ServiceLinkedRole]
        );
        assert_eq!(
            refused_within("iam:AttachRolePolicy", "arn:aws:iam::111122223333:role/*"),
            vec![AwsRule::IdentityCenterRole, AwsRule::ServiceLinkedRole]
        );
        assert!(
            refused_within("iam:AttachRolePolicy", "arn:aws:iam::111122223333:role/App").is_empty()
        );
        assert_eq!(
            refused_within("iam:PassRole", "*"),
            vec![AwsRule::IdentityCenterRole]
        );
        assert_eq!(
            refused_within("iam:CreatePolicyVersion", "*"),
            vec![AwsRule::ManagedPolicy]
        );
        assert_eq!(
            refused_within(
                "kms:DeleteAlias",
                "arn:aws:kms:eu-west-1:111122223333:alias/*"
            ),
            vec![AwsRule::KmsAwsAlias]
        );
        assert!(refused_within("s3:GetObject", "*").is_empty());
    }

    fn acl_request(action: &str, context: &[(&str, &str)]) -> Request {
        Request::new(
            "arn:aws:iam::111122223333:user/admin",
            action,
            "arn:aws:s3:::site/index.html",
            None,
            Context::from_pairs(context.iter().map(|(k, v)| (*k, vec![v.to_string()]))),
        )
        .unwrap()
    }

    /// S3 User Guide, "Blocking public access to your Amazon S3 storage"
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
    /// BlockPublicAcls makes PUT Bucket acl, PUT Object acl, PUT Object and (under the
    /// account's setting) PUT Bucket fail when the request sets a public ACL; "The
    /// meaning of public": an ACL granting anything to AllUsers or AuthenticatedUsers.
    #[test]
    fn block_public_acls_refuses_requests_that_set_a_public_acl() {
        for acl in ["public-read", "public-read-write", "authenticated-read"] {
            for action in [
                "s3:PutObject",
                "s3:PutObjectAcl",
                "s3:PutObjectVersionAcl",
                "s3:PutBucketAcl",
                "s3:CreateBucket",
            ] {
                let req = acl_request(action, &[("s3:x-amz-acl", acl)]);
                assert!(refuses_public_acl(&req, true), "{action} {acl}");
                // Off: nothing refused.
                assert!(!refuses_public_acl(&req, false), "{action} {acl}");
            }
        }
        for grant in [
            (
                "s3:x-amz-grant-read",
                r#"uri="http://acs.amazonaws.com/groups/global/AllUsers""#,
            ),
            (
                "s3:x-amz-grant-full-control",
                r#"id="abc", uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers""#,
            ),
            (
                "s3:x-amz-grant-write-acp",
                "uri=http://acs.amazonaws.com/groups/global/AllUsers",
            ),
        ] {
            let req = acl_request("s3:PutObject", &[grant]);
            assert!(refuses_public_acl(&req, true), "{grant:?}");
        }
        // Private and owner ACLs, grants to accounts or the log delivery group are not
        // public; a request with no ACL key sets no ACL orgscope can see.
        for not_public in [
            ("s3:x-amz-acl", "private"),
            ("s3:x-amz-acl", "bucket-owner-full-control"),
            ("s3:x-amz-acl", "log-delivery-write"),
            (
                "s3:x-amz-grant-read",
                r#"id="79a59df900b949e55d96a1e698fbaced""#,
            ),
            (
                "s3:x-amz-grant-write",
                r#"uri="http://acs.amazonaws.com/groups/s3/LogDelivery""#,
            ),
        ] {
            let req = acl_request("s3:PutObject", &[not_public]);
            assert_eq!(public_acl(&req), Some(false), "{not_public:?}");
            assert!(!refuses_public_acl(&req, true), "{not_public:?}");
        }
        assert_eq!(public_acl(&acl_request("s3:PutObject", &[])), None);
        // A request that sets no ACL is not refused, whatever its context says.
        let read = acl_request("s3:GetObject", &[("s3:x-amz-acl", "public-read")]);
        assert!(!refuses_public_acl(&read, true));
    }

    fn statement(json: &str) -> Policy {
        Policy::parse(
            PolicyKind::Resource,
            "bucket policy",
            &format!(r#"{{"Version":"2012-10-17","Statement":[{json}]}}"#),
        )
        .unwrap()
    }

    /// S3 User Guide, "Blocking public access to your Amazon S3 storage", "The meaning
    /// of public"
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status).
    #[test]
    fn the_meaning_of_public() {
        let public = |json: &str| is_public(&statement(json).statements()[0]);
        let any = r#""Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*""#;
        assert!(public(&format!("{{{any}}}")));
        for fixing in [
            r#"{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}"#,
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#,
            r#"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
            r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}}"#,
        ] {
            assert!(
                !public(&format!(r#"{{{any},"Condition":{fixing}}}"#)),
                "{fixing}"
            );
        }
        for not_fixing in [
            r#"{"StringLike":{"aws:PrincipalOrgID":"o-*"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            r#"{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}"#,
            r#"{"StringNotEquals":{"aws:PrincipalOrgID":"o-abc"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
        ] {
            assert!(
                public(&format!(r#"{{{any},"Condition":{not_fixing}}}"#)),
                "{not_fixing}"
            );
        }
        assert!(!public(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":"*"}"#
        ));
        assert!(!public(
            r#"{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"#
        ));
        assert!(public(
            r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"*"}"#
        ));
        assert!(public(
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":"*"}"#
        ));
        assert!(!public(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#
        ));
    }
}
