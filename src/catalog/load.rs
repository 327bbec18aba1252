//! Parsing the embedded assets into the catalog's tables. The assets are generated
//! and checked by `scripts/regen-assets.py` and by the tests, so a malformed asset is
//! a build defect: it panics, naming the asset.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::{
    AccessLevel, Action, Catalog, ConditionKeyDef, ManagedPolicies, ManagedPolicy, OrgPolicies,
    OrgPolicy, ResourceDef, ResourceType, Service,
};
use crate::policy::PolicyKind;

const IAM_CATALOG: &str = include_str!("../../assets/iam-catalog.json");
const MANAGED_POLICIES: &str = include_str!("../../assets/managed-policies.json");
const ORG_POLICIES: &str = include_str!("../../assets/org-policies.json");

#[derive(Deserialize)]
struct RawCatalog {
    /// Prefixes are borrowed from the embedded text: one copy for all their actions.
    #[serde(borrow)]
    services: BTreeMap<&'static str, RawService>,
}

#[derive(Deserialize)]
struct RawService {
    name: String,
    rcp: bool,
    actions: BTreeMap<String, RawAction>,
    resources: BTreeMap<String, RawResource>,
    keys: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawResource {
    arn: String,
    #[serde(default)]
    keys: Vec<String>,
}

/// `[level, [resource type ("name*" = required)], [condition keys],
/// {resource type: [condition keys]}]`, trailing empty elements omitted.
struct RawAction {
    level: AccessLevel,
    resource_types: Vec<String>,
    condition_keys: Vec<String>,
    resource_keys: BTreeMap<String, Vec<String>>,
}

impl<'de> Deserialize<'de> for RawAction {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawAction, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawAction;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("[level, resource types, condition keys, resource condition keys]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawAction, A::Error> {
                let level: String = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let level = level.parse().map_err(de::Error::custom)?;
                let action = RawAction {
                    level,
                    resource_types: seq.next_element()?.unwrap_or_default(),
                    condition_keys: seq.next_element()?.unwrap_or_default(),
                    resource_keys: seq.next_element()?.unwrap_or_default(),
                };
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::invalid_length(5, &self));
                }
                Ok(action)
            }
        }
        d.deserialize_seq(V)
    }
}

pub(super) fn catalog() -> Catalog {
    let raw: RawCatalog = serde_json::from_str(IAM_CATALOG)
        .unwrap_or_else(|e| panic!("assets/iam-catalog.json is malformed: {e}"));
    let n_actions = raw.services.values().map(|s| s.actions.len()).sum();
    let mut services = Vec::with_capacity(raw.services.len());
    let mut actions: Vec<Action> = Vec::with_capacity(n_actions);
    // BTreeMaps iterate in key order: services by prefix, actions by name.
    for (prefix, s) in raw.services {
        let start = actions.len();
        for (name, a) in s.actions {
            let mut resource_keys = a.resource_keys;
            let resource_types = a
                .resource_types
                .into_iter()
                .map(|rt| {
                    let (name, required) = match rt.strip_suffix('*') {
                        Some(n) => (n.to_string(), true),
                        None => (rt, false),
                    };
                    let condition_keys = resource_keys.remove(&name).unwrap_or_default();
                    ResourceType {
                        name,
                        required,
                        condition_keys,
                    }
                })
                .collect();
            actions.push(Action {
                service: prefix,
                name,
                level: a.level,
                resource_types,
                condition_keys: a.condition_keys,
            });
        }
        services.push(Service {
            prefix,
            name: s.name,
            rcp_supported: s.rcp,
            resources: s
                .resources
                .into_iter()
                .map(|(name, r)| ResourceDef {
                    name,
                    arn: r.arn,
                    condition_keys: r.keys,
                })
                .collect(),
            condition_keys: s
                .keys
                .into_iter()
                .map(|(name, kind)| ConditionKeyDef { name, kind })
                .collect(),
            actions: start..actions.len(),
        });
    }
    let service_index = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.prefix, i))
        .collect();
    let action_index = actions
        .iter()
        .enumerate()
        .map(|(i, a)| (a.full_name().to_ascii_lowercase().into_boxed_str(), i))
        .collect();
    Catalog {
        services,
        service_index,
        actions,
        action_index,
        managed: Default::default(),
        org: Default::default(),
        names: Default::default(),
    }
}

#[derive(Deserialize)]
struct RawManaged {
    policies: Vec<ManagedPolicy>,
}

pub(super) fn managed_policies() -> ManagedPolicies {
    let raw: RawManaged = serde_json::from_str(MANAGED_POLICIES)
        .unwrap_or_else(|e| panic!("assets/managed-policies.json is malformed: {e}"));
    let mut index = HashMap::with_capacity(raw.policies.len() * 2);
    for (i, p) in raw.policies.iter().enumerate() {
        index.insert(p.name.to_ascii_lowercase().into_boxed_str(), i);
        if let Some((_, rest)) = p.arn.strip_prefix("arn:").and_then(|r| r.split_once(':')) {
            index.insert(rest.to_ascii_lowercase().into_boxed_str(), i);
        }
    }
    ManagedPolicies {
        list: raw.policies,
        index,
    }
}

#[derive(Deserialize)]
struct RawOrg {
    policies: BTreeMap<String, RawOrgPolicy>,
}

#[derive(Deserialize)]
struct RawOrgPolicy {
    id: Option<String>,
    arn: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    description: Option<String>,
    content: serde_json::Value,
}

pub(super) fn org_policies() -> OrgPolicies {
    let raw: RawOrg = serde_json::from_str(ORG_POLICIES)
        .unwrap_or_else(|e| panic!("assets/org-policies.json is malformed: {e}"));
    let mut list = Vec::new();
    let mut index = HashMap::new();
    for (name, p) in raw.policies {
        let kind = match p.kind.as_str() {
            "SERVICE_CONTROL_POLICY" => PolicyKind::Scp,
            "RESOURCE_CONTROL_POLICY" => PolicyKind::Rcp,
            other => panic!("assets/org-policies.json: unexpected policy type {other}"),
        };
        let i = list.len();
        for key in [Some(&name), p.id.as_ref(), p.arn.as_ref()]
            .into_iter()
            .flatten()
        {
            index.insert(key.to_ascii_lowercase().into_boxed_str(), i);
        }
        list.push(OrgPolicy {
            name,
            id: p.id,
            arn: p.arn,
            kind,
            description: p.description,
            content: p.content,
        });
    }
    OrgPolicies { list, index }
}
