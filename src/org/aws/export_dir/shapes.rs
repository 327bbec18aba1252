//! The output shapes of the AWS CLI calls an export directory holds (from the SDK
//! models in ../shared/data/shapes), read leniently: unknown fields are ignored.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::org::de::{Obj, OneOrMany, Str};
use crate::org::time::Time;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DescribeOrganization<'a> {
    #[serde(borrow)]
    pub organization: Obj<OrganizationShape<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct OrganizationShape<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub feature_set: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub master_account_id: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListRoots<'a> {
    #[serde(default, borrow)]
    pub roots: OneOrMany<Obj<RootShape<'a>>>,
    #[serde(default, borrow)]
    pub next_token: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct RootShape<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(default, borrow)]
    pub name: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub policy_types: OneOrMany<Obj<PolicyTypeShape<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyTypeShape<'a> {
    #[serde(borrow)]
    pub r#type: Str<'a>,
    #[serde(default, borrow)]
    pub status: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListOus<'a> {
    #[serde(default, borrow)]
    pub organizational_units: OneOrMany<Obj<OuShape<'a>>>,
    #[serde(default, borrow)]
    pub next_token: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct OuShape<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(default, borrow)]
    pub name: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListAccounts<'a> {
    #[serde(default, borrow)]
    pub accounts: OneOrMany<Obj<AccountShape<'a>>>,
    #[serde(default, borrow)]
    pub next_token: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AccountShape<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(default, borrow)]
    pub name: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub email: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub status: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub state: Option<Str<'a>>,
    #[serde(default)]
    #[allow(dead_code)] // read to check its form; not kept
    pub joined_timestamp: Time,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListPolicies<'a> {
    #[serde(default, borrow)]
    pub policies: OneOrMany<Obj<PolicySummaryShape<'a>>>,
    #[serde(default, borrow)]
    pub next_token: Option<Str<'a>>,
}

#[derive(Deserialize, Clone)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicySummaryShape<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub r#type: Option<Str<'a>>,
    #[serde(default)]
    pub aws_managed: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct DescribePolicy<'a> {
    #[serde(borrow)]
    pub policy: Obj<PolicyShape<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PolicyShape<'a> {
    #[serde(borrow)]
    pub policy_summary: Obj<PolicySummaryShape<'a>>,
    #[serde(default, borrow)]
    pub content: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListTargets<'a> {
    #[serde(default, borrow)]
    pub targets: OneOrMany<Obj<TargetShape<'a>>>,
    #[serde(default, borrow)]
    pub next_token: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct TargetShape<'a> {
    #[serde(borrow)]
    pub target_id: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct CredentialReportShape<'a> {
    #[serde(borrow)]
    pub content: Str<'a>,
}

/// Any of the resource-policy outputs: `get-bucket-policy`, `get-key-policy`
/// (`Policy`), `get-queue-attributes`, `get-topic-attributes` (`Attributes.Policy`),
/// `get-resource-policy` (`ResourcePolicy`), `lambda get-policy` (`Policy`), or
/// `{"Arn": ..., "Policy": ...}`.
#[derive(Deserialize)]
pub(super) struct ResourceShape<'a> {
    #[serde(default, borrow, rename = "Policy")]
    pub policy: Option<&'a RawValue>,
    #[serde(default, borrow, rename = "ResourcePolicy")]
    pub resource_policy: Option<&'a RawValue>,
    #[serde(default, borrow, rename = "Attributes")]
    pub attributes: Option<Obj<AttributesShape<'a>>>,
    #[serde(default, borrow, rename = "Arn", alias = "ARN", alias = "ResourceArn")]
    pub arn: Option<Str<'a>>,
}

#[derive(Deserialize)]
pub(super) struct AttributesShape<'a> {
    #[serde(default, borrow, rename = "Policy")]
    pub policy: Option<&'a RawValue>,
    #[serde(default, borrow, rename = "TopicArn")]
    pub topic_arn: Option<Str<'a>>,
    #[serde(default, borrow, rename = "QueueArn")]
    pub queue_arn: Option<Str<'a>>,
}

/// `aws kms list-aliases`: which key each alias points to.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ListAliases<'a> {
    #[serde(default, borrow)]
    pub aliases: OneOrMany<Obj<AliasShape<'a>>>,
    #[serde(default, borrow)]
    pub next_token: Option<Str<'a>>,
    /// The raw API's paging flag (`NextMarker` holds the rest).
    #[serde(default)]
    pub truncated: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AliasShape<'a> {
    #[serde(borrow)]
    pub alias_name: Str<'a>,
    /// Absent for an AWS managed alias whose key the service has not created yet.
    #[serde(default, borrow)]
    pub target_key_id: Option<Str<'a>>,
}

/// `aws s3api get-public-access-block --bucket B` and `aws s3control
/// get-public-access-block --account-id A`: `{"PublicAccessBlockConfiguration":
/// {...}}`. A setting left out is off.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GetPublicAccessBlock {
    pub public_access_block_configuration: Obj<PublicAccessBlockShape>,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "PascalCase")]
pub(super) struct PublicAccessBlockShape {
    #[serde(default)]
    pub block_public_acls: bool,
    #[serde(default)]
    pub ignore_public_acls: bool,
    #[serde(default)]
    pub block_public_policy: bool,
    #[serde(default)]
    pub restrict_public_buckets: bool,
}

impl From<PublicAccessBlockShape> for crate::org::PublicAccessBlock {
    fn from(s: PublicAccessBlockShape) -> Self {
        crate::org::PublicAccessBlock {
            block_public_acls: s.block_public_acls,
            ignore_public_acls: s.ignore_public_acls,
            block_public_policy: s.block_public_policy,
            restrict_public_buckets: s.restrict_public_buckets,
        }
    }
}
