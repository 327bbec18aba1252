//! The native file format, as serde reads it. Documented in docs/org-format.md; its
//! JSON Schema is assets/org-schema.json.
//!
//! Names are borrowed from the input and documents kept as raw JSON text, so a large
//! file is read in one pass with few allocations; documents are compiled later, once
//! per distinct text.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::org::de::{Entries, Obj, Str};
use crate::org::time::Time;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct File<'a> {
    #[serde(rename = "$schema", default)]
    pub _schema: Option<IgnoredAny>,
    #[serde(default, borrow)]
    pub organization: Option<Obj<OrgDef<'a>>>,
    #[serde(default, borrow)]
    pub root: Option<Obj<RootDef<'a>>>,
    #[serde(default, borrow)]
    pub scps: Entries<'a, Obj<OrgPolicyDef<'a>>>,
    #[serde(default, borrow)]
    pub rcps: Entries<'a, Obj<OrgPolicyDef<'a>>>,
    /// AWS managed policies whose document is not the built-in catalog's (an export's
    /// older version, a policy AWS has since deprecated), by ARN.
    #[serde(default, borrow)]
    pub aws_managed: Entries<'a, Obj<AwsManagedDef<'a>>>,
    #[serde(default, borrow)]
    pub ous: Vec<Obj<OuDef<'a>>>,
    #[serde(default, borrow)]
    pub accounts: Vec<Obj<AccountDef<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrgDef<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub management_account: Str<'a>,
    #[serde(default, borrow)]
    pub partition: Option<Str<'a>>,
    #[serde(default = "yes")]
    pub scps_enabled: bool,
    #[serde(default = "yes")]
    pub rcps_enabled: bool,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RootDef<'a> {
    #[serde(default, borrow)]
    pub id: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub name: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub scps: Option<Vec<Str<'a>>>,
    #[serde(default, borrow)]
    pub rcps: Option<Vec<Str<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OrgPolicyDef<'a> {
    #[serde(default, borrow)]
    pub id: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub arn: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    #[serde(borrow)]
    pub document: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AwsManagedDef<'a> {
    #[serde(default, borrow)]
    pub version: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    #[serde(borrow)]
    pub document: &'a RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OuDef<'a> {
    #[serde(default, borrow)]
    pub id: Option<Str<'a>>,
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(default, borrow)]
    pub parent: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub scps: Option<Vec<Str<'a>>>,
    #[serde(default, borrow)]
    pub rcps: Option<Vec<Str<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountDef<'a> {
    #[serde(borrow)]
    pub id: Str<'a>,
    #[serde(borrow)]
    pub name: Str<'a>,
    #[serde(default, borrow)]
    pub email: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub status: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub parent: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub scps: Option<Vec<Str<'a>>>,
    #[serde(default, borrow)]
    pub rcps: Option<Vec<Str<'a>>>,
    #[serde(default, borrow)]
    pub policies: Entries<'a, Obj<ManagedDef<'a>>>,
    #[serde(default, borrow)]
    pub groups: Entries<'a, Obj<GroupDef<'a>>>,
    #[serde(default, borrow)]
    pub users: Entries<'a, Obj<UserDef<'a>>>,
    #[serde(default, borrow)]
    pub roles: Entries<'a, Obj<RoleDef<'a>>>,
    #[serde(default, borrow)]
    pub resources: Entries<'a, Obj<ResourceDef<'a>>>,
    #[serde(default, borrow)]
    pub root_user: Option<Obj<CredentialsDef<'a>>>,
    /// `aws s3control get-public-access-block` for the account.
    #[serde(default)]
    pub public_access_block: Option<PublicAccessBlockDef>,
}

/// S3 Block Public Access settings; a setting left out is off, as in AWS.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct PublicAccessBlockDef {
    #[serde(default)]
    pub block_public_acls: bool,
    #[serde(default)]
    pub ignore_public_acls: bool,
    #[serde(default)]
    pub block_public_policy: bool,
    #[serde(default)]
    pub restrict_public_buckets: bool,
}

impl From<PublicAccessBlockDef> for crate::org::PublicAccessBlock {
    fn from(d: PublicAccessBlockDef) -> Self {
        crate::org::PublicAccessBlock {
            block_public_acls: d.block_public_acls,
            ignore_public_acls: d.ignore_public_acls,
            block_public_policy: d.block_public_policy,
            restrict_public_buckets: d.restrict_public_buckets,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ManagedDef<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    #[serde(borrow)]
    pub document: &'a RawValue,
    /// Versions other than the default (`document`), by version id (`v1`).
    #[serde(default, borrow)]
    pub other_versions: Entries<'a, &'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupDef<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub managed: Vec<Str<'a>>,
    #[serde(default, borrow)]
    pub inline: Entries<'a, &'a RawValue>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UserDef<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub id: Option<Str<'a>>,
    #[serde(default)]
    pub created: Time,
    #[serde(default, borrow)]
    pub groups: Vec<Str<'a>>,
    #[serde(default, borrow)]
    pub managed: Vec<Str<'a>>,
    #[serde(default, borrow)]
    pub inline: Entries<'a, &'a RawValue>,
    #[serde(default, borrow)]
    pub boundary: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub tags: Entries<'a, Str<'a>>,
    #[serde(default, borrow)]
    pub mfa: Mfa<'a>,
    #[serde(default)]
    pub password: PasswordDef,
    #[serde(default, borrow)]
    pub access_keys: Vec<Obj<AccessKeyDef<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RoleDef<'a> {
    #[serde(default, borrow)]
    pub path: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub id: Option<Str<'a>>,
    #[serde(default)]
    pub created: Time,
    #[serde(default, borrow)]
    pub description: Option<Str<'a>>,
    /// A trust policy document, or a list of principals that may assume the role.
    #[serde(borrow)]
    pub trust: &'a RawValue,
    #[serde(default, borrow)]
    pub managed: Vec<Str<'a>>,
    #[serde(default, borrow)]
    pub inline: Entries<'a, &'a RawValue>,
    #[serde(default, borrow)]
    pub boundary: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub tags: Entries<'a, Str<'a>>,
    #[serde(default, borrow)]
    pub last_used: LastUsedDef<'a>,
    #[serde(default)]
    pub max_session_duration: Option<u32>,
    /// The ARNs of the instance profiles holding the role; absent: not known.
    #[serde(default, borrow)]
    pub instance_profiles: Option<Vec<Str<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourceDef<'a> {
    /// Absent: the resource has no policy (a what-if deleted it); its account stays
    /// known.
    #[serde(default, borrow)]
    pub policy: Option<&'a RawValue>,
    /// An AWS managed KMS key (`alias/aws/<service>`); only a key may say so.
    #[serde(default)]
    pub aws_managed: bool,
    /// `aws s3api get-public-access-block` for a bucket; only a bucket may say so.
    #[serde(default)]
    pub public_access_block: Option<PublicAccessBlockDef>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct CredentialsDef<'a> {
    #[serde(default, borrow)]
    pub mfa: Mfa<'a>,
    #[serde(default)]
    pub password: PasswordDef,
    #[serde(default, borrow)]
    pub access_keys: Vec<Obj<AccessKeyDef<'a>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccessKeyDef<'a> {
    #[serde(default, borrow)]
    pub id: Option<Str<'a>>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub created: Time,
    #[serde(default)]
    pub last_used: Time,
    #[serde(default, borrow)]
    pub last_service: Option<Str<'a>>,
    #[serde(default, borrow)]
    pub last_region: Option<Str<'a>>,
}

/// `"mfa": true` or `"mfa": ["arn:aws:iam::111122223333:mfa/alice"]`.
#[derive(Debug, Default)]
pub(crate) struct Mfa<'a> {
    pub active: bool,
    pub devices: Vec<Str<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Mfa<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Mfa<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true, false, or a list of MFA device serial numbers")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Mfa<'a>, E> {
                Ok(Mfa {
                    active: v,
                    devices: Vec::new(),
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Mfa<'a>, A::Error> {
                let mut devices = Vec::new();
                while let Some(d) = seq.next_element::<Str<'a>>()? {
                    devices.push(d);
                }
                Ok(Mfa {
                    active: !devices.is_empty(),
                    devices,
                })
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `"password": true` or `{"last_used": ..., "last_changed": ...}`.
#[derive(Debug, Default)]
pub(crate) struct PasswordDef(pub Option<(Time, Time)>);

impl<'de> Deserialize<'de> for PasswordDef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Dates {
            #[serde(default)]
            last_used: Time,
            #[serde(default)]
            last_changed: Time,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PasswordDef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true, false, or an object with `last_used` and `last_changed`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<PasswordDef, E> {
                Ok(PasswordDef(v.then_some((Time(None), Time(None)))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PasswordDef, A::Error> {
                let d = Dates::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(PasswordDef(Some((d.last_used, d.last_changed))))
            }
        }
        d.deserialize_any(V)
    }
}

/// `"last_used": "2024-05-01"` or `{"date": "2024-05-01", "region": "eu-west-1"}`.
#[derive(Debug, Default)]
pub(crate) struct LastUsedDef<'a>(pub Option<(Time, Option<Str<'a>>)>);

impl<'de: 'a, 'a> Deserialize<'de> for LastUsedDef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Obj<'a> {
            #[serde(default)]
            date: Time,
            #[serde(default, borrow)]
            region: Option<Str<'a>>,
        }
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = LastUsedDef<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a timestamp or an object with `date` and `region`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let t = Time::deserialize(de::value::StrDeserializer::<E>::new(v))?;
                Ok(LastUsedDef(Some((t, None))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let o = Obj::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LastUsedDef(Some((o.date, o.region))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LastUsedDef(None))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}
