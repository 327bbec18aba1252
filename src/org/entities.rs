//! The things an organization holds: plain data, linked by typed indices.
//!
//! Principals, groups and resources keep only their ARN; name and path are slices of
//! it, so a large organization costs one allocation per principal for its identity.

use std::sync::Arc;

use jiff::Timestamp;
use smallvec::SmallVec;

use super::ids::{AccountIx, GroupIx, OuIx, Parent, PolicyIx, ResourceIx, RoleIx, UserIx};
use crate::policy::Policy;

/// The organization itself: what `describe-organization` says.
#[derive(Debug, Clone, Default)]
pub struct OrgInfo {
    /// `o-...`; `None` for standalone accounts (a lone authorization-details file).
    pub id: Option<Box<str>>,
    pub management_account: Option<AccountIx>,
    /// `aws`, `aws-us-gov`, `aws-cn`.
    pub partition: Box<str>,
    /// Whether SCPs are enabled on the root; when not, no SCP applies anywhere.
    pub scps_enabled: bool,
    /// Whether RCPs are enabled on the root; when not, no RCP applies anywhere.
    pub rcps_enabled: bool,
    /// What the organization is, in a sentence (native files only).
    pub description: Option<Box<str>>,
}

/// The root of the organization tree.
#[derive(Debug, Clone, Default)]
pub struct Root {
    /// `r-...`
    pub id: Box<str>,
    pub name: Box<str>,
    pub scps: Vec<PolicyIx>,
    pub rcps: Vec<PolicyIx>,
    pub ous: Vec<OuIx>,
    pub accounts: Vec<AccountIx>,
}

/// An organizational unit.
#[derive(Debug, Clone)]
pub struct Ou {
    /// `ou-...`
    pub id: Box<str>,
    pub name: Box<str>,
    pub parent: Parent,
    pub scps: Vec<PolicyIx>,
    pub rcps: Vec<PolicyIx>,
    pub ous: Vec<OuIx>,
    pub accounts: Vec<AccountIx>,
    /// 1 for an OU directly under the root.
    pub depth: u32,
}

/// An AWS account and the IAM inside it.
#[derive(Debug, Clone)]
pub struct Account {
    /// The 12-digit account ID.
    pub id: Box<str>,
    pub name: Box<str>,
    pub email: Option<Box<str>>,
    /// `ACTIVE`, `SUSPENDED`, ... as Organizations reports it.
    pub status: Option<Box<str>>,
    pub parent: Parent,
    pub scps: Vec<PolicyIx>,
    pub rcps: Vec<PolicyIx>,
    pub users: Vec<UserIx>,
    pub groups: Vec<GroupIx>,
    pub roles: Vec<RoleIx>,
    /// Customer managed policies.
    pub policies: Vec<PolicyIx>,
    pub resources: Vec<ResourceIx>,
    /// The root user's credentials, from the credential report's `<root_account>` row.
    pub root_user: Option<Credentials>,
    /// The account's S3 Block Public Access settings (`aws s3control
    /// get-public-access-block`), where known.
    pub public_access_block: Option<PublicAccessBlock>,
}

/// S3 Block Public Access settings, of a bucket or of an account (S3 User Guide,
/// "Blocking public access to your Amazon S3 storage"). Of the four, only
/// `RestrictPublicBuckets` changes who can reach a bucket through its policy; the
/// others refuse writes of public ACLs and policies, or ignore ACLs, which orgscope
/// does not evaluate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

/// A tag on a principal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    pub key: Box<str>,
    pub value: Box<str>,
}

/// How a user (or the root user) signs in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credentials {
    /// At least one MFA device is active.
    pub mfa: bool,
    /// MFA device serial numbers or ARNs, when known.
    pub mfa_devices: Vec<Box<str>>,
    /// A console password exists.
    pub password: Option<Password>,
    pub access_keys: Vec<AccessKey>,
}

/// A console password.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Password {
    pub last_used: Option<Timestamp>,
    pub last_changed: Option<Timestamp>,
}

/// An access key: its age is `now - created`.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessKey {
    /// `AKIA...`, when known (the credential report does not give it).
    pub id: Option<Box<str>>,
    pub active: bool,
    pub created: Option<Timestamp>,
    pub last_used: Option<Timestamp>,
    pub last_service: Option<Box<str>>,
    pub last_region: Option<Box<str>>,
}

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    /// `arn:aws:iam::ACCOUNT:user/path/name`
    pub arn: Arc<str>,
    pub account: AccountIx,
    /// `AIDA...`
    pub id: Option<Box<str>>,
    pub created: Option<Timestamp>,
    pub groups: SmallVec<[GroupIx; 2]>,
    pub managed: SmallVec<[PolicyIx; 2]>,
    pub inline: SmallVec<[PolicyIx; 1]>,
    pub boundary: Option<PolicyIx>,
    pub tags: Vec<Tag>,
    pub credentials: Credentials,
}

impl User {
    /// A user with nothing attached yet, as CreateUser makes one.
    pub fn new(arn: Arc<str>, account: AccountIx) -> User {
        User {
            arn,
            account,
            id: None,
            created: None,
            groups: Default::default(),
            managed: Default::default(),
            inline: Default::default(),
            boundary: None,
            tags: Vec::new(),
            credentials: Credentials::default(),
        }
    }
}

/// An IAM group.
#[derive(Debug, Clone)]
pub struct Group {
    /// `arn:aws:iam::ACCOUNT:group/path/name`
    pub arn: Arc<str>,
    pub account: AccountIx,
    pub id: Option<Box<str>>,
    pub created: Option<Timestamp>,
    pub managed: SmallVec<[PolicyIx; 2]>,
    pub inline: SmallVec<[PolicyIx; 1]>,
    /// Computed from the users' group lists (AWS exports list membership only there).
    pub members: Vec<UserIx>,
}

/// When a role was last used; no date (an export's empty `RoleLastUsed {}`): never
/// used within IAM's tracking window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LastUsed {
    pub date: Option<Timestamp>,
    pub region: Option<Box<str>>,
}

/// An IAM role. At request time it acts as a session,
/// `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`.
#[derive(Debug, Clone)]
pub struct Role {
    /// `arn:aws:iam::ACCOUNT:role/path/name`
    pub arn: Arc<str>,
    pub account: AccountIx,
    pub id: Option<Box<str>>,
    pub created: Option<Timestamp>,
    pub description: Option<Box<str>>,
    /// Who may assume the role (a resource policy on the role).
    pub trust: Option<PolicyIx>,
    pub managed: SmallVec<[PolicyIx; 2]>,
    pub inline: SmallVec<[PolicyIx; 1]>,
    pub boundary: Option<PolicyIx>,
    pub tags: Vec<Tag>,
    pub last_used: Option<LastUsed>,
    pub max_session_duration: Option<u32>,
    /// The instance profiles holding the role (an export's `InstanceProfileList`);
    /// `None` where the input does not say (the native format without the field).
    pub instance_profiles: Option<Vec<InstanceProfile>>,
}

impl Role {
    /// A role with nothing attached yet (its trust policy is set apart).
    pub fn new(arn: Arc<str>, account: AccountIx) -> Role {
        Role {
            arn,
            account,
            id: None,
            created: None,
            description: None,
            trust: None,
            managed: Default::default(),
            inline: Default::default(),
            boundary: None,
            tags: Vec::new(),
            last_used: None,
            max_session_duration: None,
            instance_profiles: None,
        }
    }
}

/// An EC2 instance profile: what an instance runs a role through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceProfile {
    /// `arn:aws:iam::ACCOUNT:instance-profile/path/name`
    pub arn: Arc<str>,
}

/// Where a policy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyOrigin {
    /// `arn:aws:iam::aws:policy/...`, shared by every account.
    AwsManaged,
    CustomerManaged(AccountIx),
    /// Embedded in one user, group or role.
    Inline(InlineOwner),
    Scp,
    Rcp,
    /// A role's trust policy.
    Trust(RoleIx),
    /// A resource's own policy.
    Resource(ResourceIx),
}

/// The holder of an inline policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineOwner {
    User(UserIx),
    Group(GroupIx),
    Role(RoleIx),
}

/// One policy of the organization. Its document is compiled once and shared with
/// every other policy of the same kind, name and text (see [`Doc`]).
#[derive(Debug, Clone)]
pub struct PolicyRecord {
    pub origin: PolicyOrigin,
    /// Managed policies, SCPs and RCPs.
    pub arn: Option<Arc<str>>,
    /// `ANPA...` or `p-...`
    pub id: Option<Box<str>>,
    pub description: Option<Box<str>>,
    /// The default version of a managed policy (`v3`).
    pub version: Option<Box<str>>,
    pub doc: super::ids::DocIx,
    /// A customer managed policy's versions other than the default (an export's
    /// `PolicyVersionList`): `iam:SetDefaultPolicyVersion` can make one the default.
    pub other_versions: Vec<PolicyVersion>,
}

/// A version of a managed policy that is not its default.
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    /// `v1`
    pub id: Box<str>,
    pub doc: super::ids::DocIx,
}

/// A distinct policy document: its source text and the policy compiled from it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub policy: Arc<Policy>,
    /// The JSON text as read (or as expanded from a shorthand).
    pub text: Arc<str>,
    /// Characters other than whitespace: what AWS counts against size quotas.
    pub size: usize,
    /// The document did not parse: `policy` is empty (see
    /// [`crate::org::load_partial`]), and this says why.
    pub unreadable: Option<Arc<str>>,
}

/// What a resource is, from its ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    S3Bucket,
    KmsKey,
    SqsQueue,
    SnsTopic,
    Secret,
    LambdaFunction,
    Other,
}

impl ResourceKind {
    /// Classifies an ARN: `arn:aws:s3:::bucket`, `arn:aws:kms:r:a:key/id`, ...
    pub fn of_arn(arn: &str) -> ResourceKind {
        let mut parts = arn.splitn(6, ':');
        let service = parts.nth(2).unwrap_or("");
        let resource = parts.nth(2).unwrap_or("");
        match service {
            "s3" if !resource.contains('/') => ResourceKind::S3Bucket,
            "kms" if resource.starts_with("key/") => ResourceKind::KmsKey,
            "sqs" => ResourceKind::SqsQueue,
            "sns" => ResourceKind::SnsTopic,
            "secretsmanager" => ResourceKind::Secret,
            "lambda" => ResourceKind::LambdaFunction,
            _ => ResourceKind::Other,
        }
    }

    /// What it is, in words: `S3 bucket`, `KMS key`.
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::S3Bucket => "S3 bucket",
            ResourceKind::KmsKey => "KMS key",
            ResourceKind::SqsQueue => "SQS queue",
            ResourceKind::SnsTopic => "SNS topic",
            ResourceKind::Secret => "Secrets Manager secret",
            ResourceKind::LambdaFunction => "Lambda function",
            ResourceKind::Other => "resource",
        }
    }

    /// The name AWS gives this kind of policy, used as the compiled policy's name.
    pub fn policy_name(self) -> &'static str {
        match self {
            ResourceKind::S3Bucket => "bucket policy",
            ResourceKind::KmsKey => "key policy",
            ResourceKind::SqsQueue => "queue policy",
            ResourceKind::SnsTopic => "topic policy",
            ResourceKind::Secret => "secret policy",
            ResourceKind::LambdaFunction => "function policy",
            ResourceKind::Other => "resource policy",
        }
    }

    /// AWS's size limit for this kind of resource policy, in characters.
    pub fn size_quota(self) -> Option<usize> {
        match self {
            ResourceKind::S3Bucket => Some(20_480),
            ResourceKind::KmsKey => Some(32_768),
            ResourceKind::SqsQueue => Some(8_192),
            ResourceKind::SnsTopic => Some(30_720),
            ResourceKind::Secret => Some(20_480),
            ResourceKind::LambdaFunction => Some(20_480),
            ResourceKind::Other => None,
        }
    }
}

/// A resource with a policy.
#[derive(Debug, Clone)]
pub struct Resource {
    pub arn: Arc<str>,
    pub account: AccountIx,
    pub kind: ResourceKind,
    pub policy: Option<PolicyIx>,
    /// An AWS managed KMS key (alias `alias/aws/<service>`): RCPs do not apply to it
    /// (KMS Developer Guide, "Resource control policies in AWS KMS"). Only ever set
    /// on a [`ResourceKind::KmsKey`].
    pub aws_managed: bool,
    /// The bucket's own S3 Block Public Access settings (`aws s3api
    /// get-public-access-block`), where known. Only ever set on an
    /// [`ResourceKind::S3Bucket`].
    pub public_access_block: Option<PublicAccessBlock>,
}

/// The resource part of an IAM ARN (`user/path/name`), split into path and name.
fn path_and_name(arn: &str) -> (&str, &str) {
    let resource = arn.splitn(6, ':').nth(5).unwrap_or("");
    let body = resource.split_once('/').map_or("", |(_, rest)| rest);
    match body.rfind('/') {
        // `/path/` keeps its slashes, as IAM writes it.
        Some(i) => (
            &resource[resource.len() - body.len() - 1..resource.len() - body.len() + i + 1],
            &body[i + 1..],
        ),
        None => ("/", body),
    }
}

macro_rules! named_by_arn {
    ($($t:ty),*) => {$(
        impl $t {
            /// The name: the ARN's last segment.
            pub fn name(&self) -> &str {
                path_and_name(&self.arn).1
            }
            /// The IAM path, `/` or `/division/team/`.
            pub fn path(&self) -> &str {
                path_and_name(&self.arn).0
            }
        }
    )*};
}

named_by_arn!(User, Group, Role);

impl Role {
    /// Service-linked roles (`/aws-service-role/` path) are exempt from SCPs and RCPs.
    pub fn is_service_linked(&self) -> bool {
        self.path().starts_with("/aws-service-role/")
    }
}

impl Resource {
    /// A short name: the bucket, key id, queue, topic, secret or function name.
    pub fn name(&self) -> &str {
        let resource = self.arn.splitn(6, ':').nth(5).unwrap_or(&self.arn);
        resource.rsplit(['/', ':']).next().unwrap_or(resource)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_names_come_from_the_arn() {
        assert_eq!(
            path_and_name("arn:aws:iam::111111111111:user/alice"),
            ("/", "alice")
        );
        assert_eq!(
            path_and_name(
                "arn:aws:iam::111111111111:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForSSM"
            ),
            (
                "/aws-service-role/ssm.amazonaws.com/",
                "AWSServiceRoleForSSM"
            )
        );
        assert_eq!(
            path_and_name("arn:aws:iam::111111111111:group/eng/Admins"),
            ("/eng/", "Admins")
        );
    }

    #[test]
    fn resource_kinds_come_from_the_arn() {
        assert_eq!(
            ResourceKind::of_arn("arn:aws:s3:::logs"),
            ResourceKind::S3Bucket
        );
        assert_eq!(
            ResourceKind::of_arn("arn:aws:s3:::logs/key"),
            ResourceKind::Other
        );
        assert_eq!(
            ResourceKind::of_arn("arn:aws:kms:us-east-1:111111111111:key/abc"),
            ResourceKind::KmsKey
        );
        assert_eq!(
            ResourceKind::of_arn("arn:aws:sqs:us-east-1:111111111111:q"),
            ResourceKind::SqsQueue
        );
        assert_eq!(
            ResourceKind::of_arn("arn:aws:ec2:us-east-1:111111111111:vpc/v"),
            ResourceKind::Other
        );
    }
}
