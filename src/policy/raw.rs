//! Reading policy JSON. Every check that can fail runs while the JSON is read, so
//! serde_json knows the line and column and serde_path_to_error the JSON path.
//! What depends on `Version` (variables) is compiled afterwards and cannot fail.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::condition::{Operator, ValueKind, Values, parse_bool, parse_cidr, parse_date};

/// What a policy is used as; it decides which elements a statement must or must not
/// have (IAM User Guide, "IAM JSON policy element reference"; AWS Organizations User
/// Guide, "SCP syntax" and "RCP syntax").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role (also AWS managed policies).
    Identity,
    /// A permissions boundary: an identity policy used as a ceiling.
    Boundary,
    /// A session policy passed when assuming a role or federating.
    Session,
    /// A service control policy.
    Scp,
    /// A resource control policy: every statement names `Principal` and `Resource`.
    Rcp,
    /// A resource's own policy: bucket, key, queue, role trust policy.
    Resource,
    /// A VPC endpoint policy.
    Endpoint,
    /// Unknown use: only the grammar is checked.
    Any,
}

impl PolicyKind {
    pub fn describe(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity policy",
            PolicyKind::Boundary => "a permissions boundary",
            PolicyKind::Session => "a session policy",
            PolicyKind::Scp => "an SCP",
            PolicyKind::Rcp => "an RCP",
            PolicyKind::Resource => "a resource policy",
            PolicyKind::Endpoint => "a VPC endpoint policy",
            PolicyKind::Any => "a policy",
        }
    }

    fn forbids_principal(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Scp
        )
    }
    fn requires_principal(self) -> bool {
        matches!(self, PolicyKind::Rcp | PolicyKind::Resource)
    }
    fn requires_resource(self) -> bool {
        matches!(
            self,
            PolicyKind::Identity
                | PolicyKind::Boundary
                | PolicyKind::Session
                | PolicyKind::Scp
                | PolicyKind::Rcp
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2012_10_17,
    V2008_10_17,
}

pub(crate) struct RawPolicy {
    pub version: Option<Version>,
    pub id: Option<String>,
    pub statements: Vec<RawStatement>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

pub(crate) struct RawStatement {
    pub sid: Option<String>,
    pub effect: Effect,
    /// (negated = NotAction, values)
    pub action: (bool, Vec<String>),
    pub resource: Option<(bool, Vec<String>)>,
    pub principal: Option<(bool, RawPrincipal)>,
    pub conditions: Vec<RawCondition>,
}

pub(crate) enum RawPrincipal {
    Star,
    /// (type: AWS, Service, Federated or CanonicalUser; values)
    Map(Vec<(String, Vec<String>)>),
}

pub(crate) struct RawCondition {
    pub operator: Operator,
    pub key: String,
    pub raw: Vec<String>,
    /// Parsed now for every kind but String and Arn, which wait for `Version`.
    pub parsed: Option<Values>,
}

impl<'de> de::Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Version, D::Error> {
        let v = String::deserialize(d)?;
        match v.as_str() {
            "2012-10-17" => Ok(Version::V2012_10_17),
            "2008-10-17" => Ok(Version::V2008_10_17),
            _ => Err(de::Error::custom(format!(
                "unsupported `Version` `{v}`; expected \"2012-10-17\" or \"2008-10-17\""
            ))),
        }
    }
}

impl<'de> de::Deserialize<'de> for Effect {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Effect, D::Error> {
        let e = String::deserialize(d)?;
        match e.as_str() {
            "Allow" => Ok(Effect::Allow),
            "Deny" => Ok(Effect::Deny),
            _ => Err(de::Error::custom(format!(
                "`Effect` must be \"Allow\" or \"Deny\", not `{e}`"
            ))),
        }
    }
}

pub(crate) struct PolicySeed(pub PolicyKind);

impl<'de> DeserializeSeed<'de> for PolicySeed {
    type Value = RawPolicy;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawPolicy, D::Error> {
        d.deserialize_map(PolicyVisitor(self.0))
    }
}

struct PolicyVisitor(PolicyKind);

impl<'de> Visitor<'de> for PolicyVisitor {
    type Value = RawPolicy;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a policy document: an object with `Version` and `Statement`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPolicy, A::Error> {
        let (mut version, mut id, mut statements) = (None, None, None);
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<String>()? {
            seen.check::<A::Error>(&key)?;
            match key.as_str() {
                // Typed values fail inside `next_value`, so the error's path names them.
                "Version" => version = Some(map.next_value::<Version>()?),
                "Id" => id = Some(map.next_value::<String>()?),
                "Statement" => statements = Some(map.next_value_seed(StatementsSeed(self.0))?),
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown element `{other}` in a policy; expected `Version`, `Id` or `Statement`"
                    )));
                }
            }
        }
        let statements =
            statements.ok_or_else(|| de::Error::custom("a policy needs a `Statement` element"))?;
        Ok(RawPolicy {
            version,
            id,
            statements,
        })
    }
}

/// Rejects a key seen twice in one object: JSON readers disagree on which one wins.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn check<E: de::Error>(&mut self, key: &str) -> Result<(), E> {
        if self.0.iter().any(|k| k == key) {
            return Err(E::custom(format!("duplicate element `{key}`")));
        }
        self.0.push(key.to_string());
        Ok(())
    }
}

struct StatementsSeed(PolicyKind);

impl<'de> DeserializeSeed<'de> for StatementsSeed {
    type Value = Vec<RawStatement>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StatementsSeed {
    type Value = Vec<RawStatement>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a statement object or an array of statements")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(s) = seq.next_element_seed(StatementVisitor(self.0))? {
            out.push(s);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Ok(vec![StatementVisitor(self.0).visit_map(map)?])
    }
}

struct StatementVisitor(PolicyKind);

impl<'de> DeserializeSeed<'de> for StatementVisitor {
    type Value = RawStatement;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawStatement, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StatementVisitor {
    type Value = RawStatement;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a statement object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawStatement, A::Error> {
        let kind = self.0;
        let mut sid = None;
        let mut effect = None;
        let mut action: Option<(bool, Vec<String>)> = None;
        let mut resource: Option<(bool, Vec<String>)> = None;
        let mut principal: Option<(bool, RawPrincipal)> = None;
        let mut conditions = Vec::new();
        let mut seen = Seen::default();
        let both = |a: &str, b: &str| {
            de::Error::custom(format!("a statement cannot have both `{a}` and `{b}`"))
        };
        while let Some(key) = map.next_key::<String>()? {
            seen.check::<A::Error>(&key)?;
            match key.as_str() {
                "Sid" => sid = Some(map.next_value::<String>()?),
                "Effect" => effect = Some(map.next_value::<Effect>()?),
                "Action" | "NotAction" => {
                    if action.is_some() {
                        return Err(both("Action", "NotAction"));
                    }
                    action = Some((key == "NotAction", map.next_value::<StringList>()?.0));
                }
                "Resource" | "NotResource" => {
                    if resource.is_some() {
                        return Err(both("Resource", "NotResource"));
                    }
                    resource = Some((key == "NotResource", map.next_value::<StringList>()?.0));
                }
                "Principal" | "NotPrincipal" => {
                    if principal.is_some() {
                        return Err(both("Principal", "NotPrincipal"));
                    }
                    if kind.forbids_principal() {
                        return Err(de::Error::custom(format!(
                            "`{key}` is not allowed in {}",
                            kind.describe()
                        )));
                    }
                    principal = Some((key == "NotPrincipal", map.next_value::<RawPrincipal>()?));
                }
                "Condition" => conditions = map.next_value_seed(ConditionBlock)?,
                other => {
                    return Err(de::Error::custom(format!(
                        "unknown element `{other}` in a statement; expected one of Sid, Effect, Action, NotAction, Resource, NotResource, Principal, NotPrincipal, Condition"
                    )));
                }
            }
        }
        let effect = effect.ok_or_else(|| de::Error::custom("a statement needs `Effect`"))?;
        let action =
            action.ok_or_else(|| de::Error::custom("a statement needs `Action` or `NotAction`"))?;
        if resource.is_none() && kind.requires_resource() {
            return Err(de::Error::custom(format!(
                "a statement of {} needs `Resource` or `NotResource`",
                kind.describe()
            )));
        }
        if principal.is_none() && kind.requires_principal() {
            return Err(de::Error::custom(format!(
                "a statement of {} needs `Principal` or `NotPrincipal`",
                kind.describe()
            )));
        }
        Ok(RawStatement {
            sid,
            effect,
            action,
            resource,
            principal,
            conditions,
        })
    }
}

/// A string or an array of strings.
pub(crate) struct StringList(pub Vec<String>);

impl<'de> de::Deserialize<'de> for StringList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<StringList, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringList, E> {
                Ok(StringList(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(StringList(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> de::Deserialize<'de> for RawPrincipal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawPrincipal, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPrincipal;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("\"*\" or an object with AWS, Service, Federated or CanonicalUser")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPrincipal, E> {
                if v == "*" {
                    Ok(RawPrincipal::Star)
                } else {
                    Err(E::custom(format!(
                        "a principal given as a string must be \"*\", not `{v}`; name others as {{\"AWS\": \"{v}\"}}"
                    )))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPrincipal, A::Error> {
                let mut out = Vec::new();
                let mut seen = Seen::default();
                while let Some(key) = map.next_key::<String>()? {
                    seen.check::<A::Error>(&key)?;
                    if !matches!(
                        key.as_str(),
                        "AWS" | "Service" | "Federated" | "CanonicalUser"
                    ) {
                        return Err(de::Error::custom(format!(
                            "unknown principal type `{key}`; expected AWS, Service, Federated or CanonicalUser"
                        )));
                    }
                    let values = map.next_value::<StringList>()?.0;
                    out.push((key, values));
                }
                Ok(RawPrincipal::Map(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// `{"Operator": {"key": value(s), ...}, ...}`
struct ConditionBlock;

impl<'de> DeserializeSeed<'de> for ConditionBlock {
    type Value = Vec<RawCondition>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ConditionBlock {
    type Value = Vec<RawCondition>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object of condition operators")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut seen = Seen::default();
        while let Some(name) = map.next_key::<String>()? {
            seen.check::<A::Error>(&name)?;
            let operator: Operator = name.parse().map_err(de::Error::custom)?;
            out.extend(map.next_value_seed(KeyBlock(operator))?);
        }
        Ok(out)
    }
}

/// `{"key": value(s), ...}` under one operator.
struct KeyBlock(Operator);

impl<'de> DeserializeSeed<'de> for KeyBlock {
    type Value = Vec<RawCondition>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for KeyBlock {
    type Value = Vec<RawCondition>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "an object of condition keys and values under `{}`",
            self.0
        )
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut seen = Seen::default();
        while let Some(key) = map.next_key::<String>()? {
            seen.check::<A::Error>(&key)?;
            let raw = map.next_value::<ConditionValues>()?.0;
            let parsed = parse_values(self.0, &raw).map_err(de::Error::custom)?;
            out.push(RawCondition {
                operator: self.0,
                key,
                raw,
                parsed,
            });
        }
        Ok(out)
    }
}

/// A condition value or array of them: strings, numbers and booleans, all taken as
/// their string form, as AWS does.
struct ConditionValues(Vec<String>);

impl<'de> de::Deserialize<'de> for ConditionValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V {
            nested: bool,
        }
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                if self.nested {
                    f.write_str("a string, number or boolean")
                } else {
                    f.write_str("a string, number, boolean, or an array of them")
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(vec![v.to_string()])
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(vec![v.to_string()])
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(vec![v.to_string()])
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(vec![v.to_string()])
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(vec![v.to_string()])
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                if self.nested {
                    return Err(de::Error::invalid_type(de::Unexpected::Seq, &self));
                }
                let mut out = Vec::new();
                while let Some(v) = seq.next_element_seed(V { nested: true })? {
                    out.extend(v);
                }
                Ok(out)
            }
        }
        impl<'de> DeserializeSeed<'de> for V {
            type Value = Vec<String>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V { nested: false }).map(ConditionValues)
    }
}

/// Parses the values an operator compares; strings and ARNs wait for `Version`.
fn parse_values(op: Operator, raw: &[String]) -> Result<Option<Values>, String> {
    fn all<T>(
        raw: &[String],
        what: &str,
        op: Operator,
        f: impl Fn(&str) -> Option<T>,
    ) -> Result<Vec<T>, String> {
        raw.iter()
            .map(|v| f(v).ok_or_else(|| format!("`{v}` is not {what}, as `{op}` expects")))
            .collect()
    }
    Ok(Some(match op.base.kind() {
        ValueKind::String | ValueKind::Arn => return Ok(None),
        ValueKind::Numeric => Values::Numbers(all(raw, "a number", op, |v| v.trim().parse().ok())?),
        ValueKind::Date => Values::Dates(all(
            raw,
            "a date (ISO 8601 or epoch seconds)",
            op,
            parse_date,
        )?),
        ValueKind::Bool => Values::Bools(all(raw, "true or false", op, parse_bool)?),
        ValueKind::Null => Values::Null(all(raw, "true or false", op, parse_bool)?),
        ValueKind::Binary => Values::Binary(raw.iter().map(|s| s.as_str().into()).collect()),
        ValueKind::Ip => Values::Ips(all(raw, "an IP address or CIDR block", op, parse_cidr)?),
    }))
}
