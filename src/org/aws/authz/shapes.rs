//! `get-account-authorization-details` as the AWS CLI prints it (the SDK model in
//! ../shared/data/shapes), read leniently: unknown fields are ignored, lists may be
//! absent, null or a single object.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::org::de::{Obj, OneOrMany, Str};

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AuthDetails<'a> {
    #[serde(default, borrow)]
    pub user_detail_list: OneOrMany<Obj<UserDetail<'a>>>,
    #[serde(default, borrow)]
    pub group_detail_list: OneOrMany<Obj<GroupDetail<'a>>>,
    #[serde(default, borrow)]
    pub role_detail_list: OneOrMany<Obj<RoleDetail<'a>>>,
    #[serde(default, borrow)]
    pub policies: OneOrMany<Obj<PolicyDetail<'a>>>,
    #[serde(default)]
    pub is_truncated: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct UserDetail<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(borrow)]
    pub user_name: Str<'a>,
    #[serde(default, borrow)]
    pub user_id: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
    #[serde(default)]
    pub create_date: crate::org::time::Time,
    #[serde(default, borrow)]
    pub user_policy_list: OneOrMany<Obj<InlineDetail<'a>>>,
    #[serde(default, borrow)]
    pub group_list: OneOrMany<Str<'a>>,
    #[serde(default, borrow)]
    pub attached_managed_policies: OneOrMany<Obj<AttachedDetail<'a>>>,
    #[serde(default, borrow)]
    pub permissions_boundary: Option<Obj<BoundaryDetail<'a>>>,
    #[serde(default, borrow)]
    pub tags: OneOrMany<Obj<TagDetail<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct GroupDetail<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(borrow)]
    pub group_name: Str<'a>,
    #[serde(default, borrow)]
    pub group_id: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
    #[serde(default)]
    pub create_date: crate::org::time::Time,
    #[serde(default, borrow)]
    pub group_policy_list: OneOrMany<Obj<InlineDetail<'a>>>,
    #[serde(default, borrow)]
    pub attached_managed_policies: OneOrMany<Obj<AttachedDetail<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RoleDetail<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(borrow)]
    pub role_name: Str<'a>,
    #[serde(default, borrow)]
    pub role_id: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
    #[serde(default)]
    pub create_date: crate::org::time::Time,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    #[serde(default, borrow)]
    pub assume_role_policy_document: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub role_policy_list: OneOrMany<Obj<InlineDetail<'a>>>,
    #[serde(default, borrow)]
    pub attached_managed_policies: OneOrMany<Obj<AttachedDetail<'a>>>,
    #[serde(default, borrow)]
    pub permissions_boundary: Option<Obj<BoundaryDetail<'a>>>,
    #[serde(default, borrow)]
    pub tags: OneOrMany<Obj<TagDetail<'a>>>,
    #[serde(default, borrow)]
    pub role_last_used: Option<Obj<RoleLastUsedDetail<'a>>>,
    /// Absent (`None`) where the tool that wrote the file left it out: not known.
    #[serde(default, borrow)]
    pub instance_profile_list: Option<OneOrMany<Obj<InstanceProfileDetail<'a>>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InstanceProfileDetail<'a> {
    #[serde(borrow)]
    pub instance_profile_name: Str<'a>,
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct PolicyDetail<'a> {
    #[serde(borrow)]
    pub policy_name: Str<'a>,
    #[serde(default, borrow)]
    pub policy_id: Option<Str<'a>>,
    #[serde(borrow)]
    pub arn: Str<'a>,
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub default_version_id: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub policy_version_list: OneOrMany<Obj<VersionDetail<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct VersionDetail<'a> {
    #[serde(default, borrow)]
    pub document: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub version_id: Option<Str<'a>>,
    #[serde(default)]
    pub is_default_version: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct InlineDetail<'a> {
    #[serde(borrow)]
    pub policy_name: Str<'a>,
    #[serde(default, borrow)]
    pub policy_document: Option<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AttachedDetail<'a> {
    #[serde(borrow)]
    pub policy_arn: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct BoundaryDetail<'a> {
    #[serde(default, borrow)]
    pub permissions_boundary_arn: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct TagDetail<'a> {
    #[serde(borrow)]
    pub key: Str<'a>,
    #[serde(default, borrow)]
    pub value: Str<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RoleLastUsedDetail<'a> {
    #[serde(default)]
    pub last_used_date: crate::org::time::Time,
    #[serde(default, borrow)]
    pub region: Option<Str<'a>>,
}
