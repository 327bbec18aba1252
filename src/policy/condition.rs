//! Condition operators and their evaluation (IAM User Guide, "IAM JSON policy
//! elements: Condition operators" and "Multivalued context keys").

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use super::arn::{Arn, ArnPattern, ResourceRef};
use super::context::{Context, Key};
use super::pattern::Pattern;
use super::request::Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

use BaseOperator as B;

const ALL: [BaseOperator; 27] = [
    B::StringEquals,
    B::StringNotEquals,
    B::StringEqualsIgnoreCase,
    B::StringNotEqualsIgnoreCase,
    B::StringLike,
    B::StringNotLike,
    B::NumericEquals,
    B::NumericNotEquals,
    B::NumericLessThan,
    B::NumericLessThanEquals,
    B::NumericGreaterThan,
    B::NumericGreaterThanEquals,
    B::DateEquals,
    B::DateNotEquals,
    B::DateLessThan,
    B::DateLessThanEquals,
    B::DateGreaterThan,
    B::DateGreaterThanEquals,
    B::Bool,
    B::BinaryEquals,
    B::IpAddress,
    B::NotIpAddress,
    B::ArnEquals,
    B::ArnLike,
    B::ArnNotEquals,
    B::ArnNotLike,
    B::Null,
];

/// The kind of value an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl BaseOperator {
    pub fn name(self) -> &'static str {
        match self {
            B::StringEquals => "StringEquals",
            B::StringNotEquals => "StringNotEquals",
            B::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            B::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            B::StringLike => "StringLike",
            B::StringNotLike => "StringNotLike",
            B::NumericEquals => "NumericEquals",
            B::NumericNotEquals => "NumericNotEquals",
            B::NumericLessThan => "NumericLessThan",
            B::NumericLessThanEquals => "NumericLessThanEquals",
            B::NumericGreaterThan => "NumericGreaterThan",
            B::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            B::DateEquals => "DateEquals",
            B::DateNotEquals => "DateNotEquals",
            B::DateLessThan => "DateLessThan",
            B::DateLessThanEquals => "DateLessThanEquals",
            B::DateGreaterThan => "DateGreaterThan",
            B::DateGreaterThanEquals => "DateGreaterThanEquals",
            B::Bool => "Bool",
            B::BinaryEquals => "BinaryEquals",
            B::IpAddress => "IpAddress",
            B::NotIpAddress => "NotIpAddress",
            B::ArnEquals => "ArnEquals",
            B::ArnLike => "ArnLike",
            B::ArnNotEquals => "ArnNotEquals",
            B::ArnNotLike => "ArnNotLike",
            B::Null => "Null",
        }
    }

    pub fn kind(self) -> ValueKind {
        match self {
            B::StringEquals
            | B::StringNotEquals
            | B::StringEqualsIgnoreCase
            | B::StringNotEqualsIgnoreCase
            | B::StringLike
            | B::StringNotLike => ValueKind::String,
            B::NumericEquals
            | B::NumericNotEquals
            | B::NumericLessThan
            | B::NumericLessThanEquals
            | B::NumericGreaterThan
            | B::NumericGreaterThanEquals => ValueKind::Numeric,
            B::DateEquals
            | B::DateNotEquals
            | B::DateLessThan
            | B::DateLessThanEquals
            | B::DateGreaterThan
            | B::DateGreaterThanEquals => ValueKind::Date,
            B::Bool => ValueKind::Bool,
            B::BinaryEquals => ValueKind::Binary,
            B::IpAddress | B::NotIpAddress => ValueKind::Ip,
            B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => ValueKind::Arn,
            B::Null => ValueKind::Null,
        }
    }

    /// Negated operators hold when no value matches, and when the key is absent.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            B::StringNotEquals
                | B::StringNotEqualsIgnoreCase
                | B::StringNotLike
                | B::NumericNotEquals
                | B::DateNotEquals
                | B::NotIpAddress
                | B::ArnNotEquals
                | B::ArnNotLike
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    None,
    ForAllValues,
    ForAnyValue,
}

/// A full operator: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub base: BaseOperator,
    pub set: SetQualifier,
    pub if_exists: bool,
}

impl FromStr for Operator {
    type Err = String;

    /// Operator names are matched exactly, as IAM does; an unknown name is an error,
    /// never silently ignored.
    fn from_str(s: &str) -> Result<Operator, String> {
        let unknown = || {
            format!(
                "unknown condition operator `{s}`; expected one of {}, optionally with the suffix IfExists (not Null) and the prefix ForAllValues: or ForAnyValue:",
                ALL.iter().map(|o| o.name()).collect::<Vec<_>>().join(", ")
            )
        };
        let (set, rest) = if let Some(r) = s.strip_prefix("ForAllValues:") {
            (SetQualifier::ForAllValues, r)
        } else if let Some(r) = s.strip_prefix("ForAnyValue:") {
            (SetQualifier::ForAnyValue, r)
        } else {
            (SetQualifier::None, s)
        };
        let (if_exists, name) = match rest.strip_suffix("IfExists") {
            Some(n) => (true, n),
            None => (false, rest),
        };
        let base = ALL
            .iter()
            .copied()
            .find(|o| o.name() == name)
            .ok_or_else(unknown)?;
        if if_exists && base == B::Null {
            return Err(format!("`{s}`: Null has no IfExists form"));
        }
        Ok(Operator {
            base,
            set,
            if_exists,
        })
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.set {
            SetQualifier::None => {}
            SetQualifier::ForAllValues => f.write_str("ForAllValues:")?,
            SetQualifier::ForAnyValue => f.write_str("ForAnyValue:")?,
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

/// Policy-side values, parsed once for their operator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Values {
    Strings(Vec<Pattern>),
    Numbers(Vec<f64>),
    /// Nanoseconds since the epoch.
    Dates(Vec<i128>),
    Bools(Vec<bool>),
    Binary(Vec<Box<str>>),
    Ips(Vec<IpNet>),
    Arns(Vec<ArnPattern>),
    /// `Null`: true = the key must be absent, false = present.
    Null(Vec<bool>),
}

/// One key test of a condition block.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    /// The key as written in the policy (for explanations).
    pub key: Box<str>,
    pub(crate) key_lower: Key,
    pub(crate) values: Values,
    /// The values as written, for explanations.
    pub raw_values: Vec<String>,
    /// The values worth trying when the key is missing ([`Condition::sample_values`]),
    /// worked out once: who-can tries them for many principals.
    pub(crate) samples: Box<[Box<str>]>,
    /// Whether a value holds a policy variable, worked out once: only then can the
    /// condition be unresolvable.
    pub(crate) has_variables: bool,
}

impl Condition {
    pub fn evaluate(&self, ctx: &Context) -> bool {
        self.holds(ctx, false)
    }

    /// Whether AWS's documentation says this condition's key cannot be relied on for
    /// the request: the role's tags (`aws:ResourceTag/...`, `iam:ResourceTag/...`) for
    /// `iam:PassRole` ("Do not try to control who can pass a role by tagging the role
    /// and then using the ResourceTag condition key in a policy with the iam:PassRole
    /// action. This approach does not have reliable results": IAM User Guide, "Grant a
    /// user permissions to pass a role to an AWS service").
    ///
    /// Also a key AWS sets on every request of this caller whose value the request
    /// does not give ([`Condition::set_but_unknown`]): AWS decides on a value orgscope
    /// does not know. A `Null` test on it is not unreliable: the key is there.
    pub fn unreliable_for(&self, req: &Request) -> bool {
        let k = self.key_lower.as_str();
        (req.action_lower() == "iam:passrole"
            && (k.starts_with("aws:resourcetag/") || k.starts_with("iam:resourcetag/")))
            || (!matches!(self.values, Values::Null(_)) && self.set_but_unknown(req))
    }

    /// Whether this condition's key is one AWS sets on every request of the caller
    /// while the request does not give its value: `aws:userid` for an IAM user or a
    /// role session (a unique id only the account knows: IAM User Guide, "AWS global
    /// condition context keys", aws:userid, "included in the request context for all
    /// requests"), `aws:PrincipalServiceNamesList` for a service principal ("contains
    /// an unordered list of all service principal names associated with the Regional
    /// instance of the service", a list the docs do not give).
    pub fn set_but_unknown(&self, req: &Request) -> bool {
        use super::principal::Principal;
        // Interned keys: an integer compare, on the path of every condition evaluated.
        let k = super::request::keys();
        let always = if self.key_lower == k.userid {
            matches!(
                req.principal(),
                Principal::User { .. } | Principal::RoleSession { .. }
            )
        } else if self.key_lower == k.principal_service_names_list {
            matches!(req.principal(), Principal::Service { .. })
        } else {
            false
        };
        always
            && req
                .context
                .get_key(&self.key_lower)
                .is_none_or(<[_]>::is_empty)
    }

    /// [`Condition::holds`] for a request: a condition AWS does not evaluate reliably
    /// for it ([`Condition::unreliable_for`]) takes the side that never reports Allowed
    /// where AWS could deny: it holds in a Deny and fails in an Allow, whatever the
    /// request's values.
    #[inline]
    pub fn holds_for(&self, req: &Request, deny: bool) -> bool {
        if self.unreliable_for(req) {
            return deny;
        }
        if let Values::Null(expect_absent) = &self.values
            && self.set_but_unknown(req)
        {
            // AWS sets the key: it is present, whatever its value.
            return expect_absent.iter().any(|b| !*b);
        }
        self.holds(&req.context, deny)
    }

    /// Whether the condition holds, for a statement that denies (`deny`) or allows.
    ///
    /// A variable with no value and no default (IAM User Guide, "IAM policy elements:
    /// Variables and tags", "Policy variables with no value"): its value is
    /// "effectively null"; StringEquals or StringLike do not match it, and inverted
    /// operators (StringNotEquals, StringNotLike) do. The same page also says that such
    /// a variable "might cause the entire statement to be invalid", and that
    /// `...IfExists` prevents it. Where the two readings differ, each effect takes the
    /// side that never reports Allowed where AWS could deny: in an Allow the condition
    /// fails; in a Deny the null value matches nothing (so an inverted operator holds,
    /// and another value of the key may still match), and an IfExists condition holds.
    #[inline]
    pub fn holds(&self, ctx: &Context, deny: bool) -> bool {
        if self.has_variables
            && self.unresolved(ctx).is_some()
            && (!deny || self.operator.if_exists)
        {
            return deny;
        }
        // Where AWS's documentation leaves two readings of the condition open, each
        // effect takes the side that never reports Allowed where AWS could deny: when
        // the readings differ, the condition holds in a Deny and fails in an Allow.
        //
        // A short ARN pattern (fewer than six `:` segments) in an `Arn*` condition: AWS
        // checks "each of the six colon-delimited components" separately (IAM User
        // Guide, "IAM JSON policy elements: Condition operators", "Amazon Resource Name
        // (ARN) condition operators") and does not say how a pattern with fewer
        // compares: read as one wildcard string, or as matching nothing. And a `*`
        // ending a segment of an `Arn*` value: the Resource page says it "can expand
        // to match beyond the colon boundaries" (IAM User Guide, "IAM JSON policy
        // elements: Resource"), the condition page does not say it: read both ways.
        let arn_reads: &[ArnRead] = match (self.has_short_arn_pattern(), self.has_crossing_arn()) {
            (false, false) => &[ArnRead::Segments],
            (true, false) => &[ArnRead::Segments, ArnRead::NoShort],
            (false, true) => &[ArnRead::Segments, ArnRead::Across],
            (true, true) => &[ArnRead::Segments, ArnRead::NoShort, ArnRead::Across],
        };
        let plain = Reading {
            set: self.operator.set,
            absent: false,
        };
        let mut first = None;
        for reading in std::iter::once(plain).chain(self.other_reading(ctx)) {
            for &arn_read in arn_reads {
                let h = self.holds_given(ctx, arn_read, reading);
                match first {
                    None => first = Some(h),
                    Some(f) if f != h => return deny,
                    Some(_) => {}
                }
            }
        }
        first.unwrap_or(deny)
    }

    /// The second reading of a condition over the request's values, where AWS's
    /// documentation leaves one open (IAM User Guide, "Single-valued vs. multivalued
    /// context keys", "Multivalued context key examples"):
    /// - a plain operator (no `ForAllValues:`/`ForAnyValue:`) on a key the request
    ///   gives several values: "multivalued context keys require a condition set
    ///   operator", and the page does not say what a plain one does. Read as
    ///   ForAnyValue (a positive operator holds when one value matches) and as
    ///   ForAllValues (a negated one holds when no value matches), and the other way;
    /// - a set operator or `Null` on a key whose values are all empty strings: the
    ///   page counts "context keys with empty values" with missing ones (a null data
    ///   set), so also read as if the key were absent.
    fn other_reading(&self, ctx: &Context) -> Option<Reading> {
        let values = ctx.get_key(&self.key_lower).filter(|v| !v.is_empty())?;
        let op = self.operator;
        let null_set = values.iter().all(|v| v.is_empty());
        if null_set && (op.set != SetQualifier::None || op.base == B::Null) {
            return Some(Reading {
                set: op.set,
                absent: true,
            });
        }
        if values.len() > 1 && op.set == SetQualifier::None && op.base != B::Null {
            let set = if op.base.is_negated() {
                SetQualifier::ForAnyValue
            } else {
                SetQualifier::ForAllValues
            };
            return Some(Reading { set, absent: false });
        }
        None
    }

    /// Why the request's values leave AWS's reading of the condition open, if they
    /// do ([`Condition::holds`] then takes the side that denies).
    pub fn open_reading(&self, ctx: &Context) -> Option<&'static str> {
        self.other_reading(ctx).map(|r| {
            if r.absent {
                "AWS counts a key whose values are empty with a missing one"
            } else {
                "a plain operator on several values may be read as ForAnyValue or as ForAllValues (AWS documents only set operators for them)"
            }
        })
    }

    /// Whether an `Arn*` condition value has a `*` ending a segment before the
    /// resource.
    fn has_crossing_arn(&self) -> bool {
        matches!(&self.values, Values::Arns(ps) if ps.iter().any(ArnPattern::has_crossing_star))
    }

    /// Whether an `Arn*` condition value is a pattern with fewer than six segments
    /// (not `*`).
    fn has_short_arn_pattern(&self) -> bool {
        matches!(&self.values, Values::Arns(ps) if ps.iter().any(ArnPattern::is_short))
    }

    /// Whether the condition holds for a present or absent key, a short ARN pattern
    /// matched as `arn_read` says, under one
    /// reading of its values.
    fn holds_given(&self, ctx: &Context, arn_read: ArnRead, reading: Reading) -> bool {
        let op = Operator {
            set: reading.set,
            ..self.operator
        };
        let present = ctx
            .get_key(&self.key_lower)
            .filter(|v| !v.is_empty() && !reading.absent);
        let Some(values) = present else {
            // Key absent (IAM User Guide, condition operators, "...IfExists" and
            // "Null"; multivalued keys: ForAllValues holds on an empty set).
            return match &self.values {
                Values::Null(expect_absent) => expect_absent.iter().any(|b| *b),
                _ => match op.set {
                    SetQualifier::ForAllValues => true,
                    SetQualifier::ForAnyValue => op.if_exists,
                    SetQualifier::None => op.if_exists || op.base.is_negated(),
                },
            };
        };
        if let Values::Null(expect_absent) = &self.values {
            return expect_absent.iter().any(|b| !*b);
        }
        let negated = op.base.is_negated();
        // One context value against the policy values: OR across values; a negated
        // operator holds when none matches.
        let single = |v: &str| self.any_positive_match(v, ctx, arn_read) != negated;
        match op.set {
            SetQualifier::None if negated => !values
                .iter()
                .any(|v| self.any_positive_match(v, ctx, arn_read)),
            SetQualifier::None | SetQualifier::ForAnyValue => values.iter().any(|v| single(v)),
            SetQualifier::ForAllValues => values.iter().all(|v| single(v)),
        }
    }

    /// The first policy variable among the values the request cannot resolve (no
    /// single value, no default), as written.
    pub fn unresolved(&self, ctx: &Context) -> Option<String> {
        if !self.has_variables {
            return None;
        }
        match &self.values {
            Values::Strings(ps) => ps.iter().find_map(|p| p.unresolved(ctx)),
            Values::Arns(ps) => ps.iter().find_map(|p| p.unresolved(ctx)),
            _ => None,
        }
    }

    /// The keys of the policy variables among the values that the request cannot
    /// resolve: context the decision depends on, as the condition's own key does.
    pub fn unresolved_keys(&self, ctx: &Context) -> Vec<Key> {
        if !self.has_variables {
            return Vec::new();
        }
        match &self.values {
            Values::Strings(ps) => ps.iter().flat_map(|p| p.unresolved_keys(ctx)).collect(),
            Values::Arns(ps) => ps.iter().flat_map(|p| p.unresolved_keys(ctx)).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the values hold a policy variable.
    pub(crate) fn values_have_variables(values: &Values) -> bool {
        match values {
            Values::Strings(ps) => ps.iter().any(Pattern::has_variables),
            Values::Arns(ps) => ps.iter().any(ArnPattern::has_variables),
            _ => false,
        }
    }

    /// Whether the un-negated form of the operator matches `v` against any policy value
    /// (`Arn*` values as `arn_read` says).
    fn any_positive_match(&self, v: &str, ctx: &Context, arn_read: ArnRead) -> bool {
        match &self.values {
            Values::Strings(ps) => {
                let fold = matches!(
                    self.operator.base,
                    B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase
                );
                ps.iter().any(|p| p.matches(v, ctx, fold))
            }
            Values::Numbers(ns) => match v.trim().parse::<f64>() {
                Ok(x) => ns.iter().any(|n| compare(self.operator.base, x, *n)),
                Err(_) => false,
            },
            Values::Dates(ds) => match parse_date(v) {
                Some(x) => ds.iter().any(|d| compare(self.operator.base, x, *d)),
                None => false,
            },
            Values::Bools(bs) => match parse_bool(v) {
                Some(x) => bs.contains(&x),
                None => false,
            },
            Values::Binary(bs) => bs.iter().any(|b| **b == *v),
            Values::Ips(nets) => match parse_ip(v) {
                Some(ip) => nets.iter().any(|n| n.contains(&ip)),
                None => false,
            },
            Values::Arns(ps) => {
                let arn = Arn::parse(v);
                let target = match &arn {
                    Some(a) => ResourceRef::Arn(a),
                    None => ResourceRef::Text(v),
                };
                ps.iter()
                    .filter(|p| arn_read != ArnRead::NoShort || !p.is_short())
                    .any(|p| match arn_read {
                        ArnRead::Across => p.matches_across(&target, ctx),
                        ArnRead::Segments | ArnRead::NoShort => p.matches(&target, ctx),
                    })
            }
            Values::Null(_) => false,
        }
    }

    /// Values of the key worth trying when the request does not give it: each value
    /// the condition names (wildcards filled in), its neighbours for comparisons, and
    /// one value that matches none. Used to show how a decision depends on context.
    pub fn sample_values(&self) -> &[Box<str>] {
        &self.samples
    }

    /// Works out [`Condition::sample_values`] when the policy is compiled.
    pub(crate) fn make_samples(values: &Values, raw_values: &[String]) -> Box<[Box<str>]> {
        let fill = |v: &String| (!v.contains("${")).then(|| v.replace(['*', '?'], "x"));
        let mut out: Vec<String> = match values {
            Values::Strings(_) | Values::Arns(_) | Values::Binary(_) => {
                let mut v: Vec<String> = raw_values.iter().filter_map(fill).collect();
                v.push("some-other-value".to_string());
                v
            }
            Values::Numbers(ns) => ns
                .iter()
                .flat_map(|n| [n - 1.0, *n, n + 1.0])
                .map(|n| n.to_string())
                .collect(),
            Values::Dates(_) => raw_values.to_vec(),
            Values::Bools(_) => vec!["true".to_string(), "false".to_string()],
            Values::Ips(nets) => {
                let mut v: Vec<String> = nets.iter().map(|n| n.addr().to_string()).collect();
                v.push("192.0.2.1".to_string());
                v
            }
            Values::Null(_) => vec!["present".to_string()],
        };
        out.dedup();
        out.into_iter().map(String::into_boxed_str).collect()
    }
}

/// How `Arn*` condition values are matched: each wildcard in its segment, a short
/// pattern as one wildcard text (`Segments`) or matching nothing (`NoShort`), or a `*`
/// ending a segment reaching across the colons (`Across`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArnRead {
    Segments,
    NoShort,
    Across,
}

/// One way of reading a condition over the request's values: with this set operator,
/// and with the key taken as absent or not.
#[derive(Debug, Clone, Copy)]
struct Reading {
    set: SetQualifier,
    absent: bool,
}

/// `context OP policy` for the ordering operators (the un-negated form of NotEquals).
fn compare<T: PartialOrd>(op: BaseOperator, ctx: T, policy: T) -> bool {
    match op {
        B::NumericLessThan | B::DateLessThan => ctx < policy,
        B::NumericLessThanEquals | B::DateLessThanEquals => ctx <= policy,
        B::NumericGreaterThan | B::DateGreaterThan => ctx > policy,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => ctx >= policy,
        _ => ctx == policy,
    }
}

pub(crate) fn parse_bool(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

pub(crate) fn parse_ip(v: &str) -> Option<IpAddr> {
    v.trim().parse::<IpAddr>().ok()
}

/// A CIDR block, or a bare address taken as a single host.
pub(crate) fn parse_cidr(v: &str) -> Option<IpNet> {
    let v = v.trim();
    v.parse::<IpNet>()
        .ok()
        .or_else(|| v.parse::<IpAddr>().ok().map(IpNet::from))
}

/// Dates as AWS accepts them in conditions: ISO 8601 (with or without time, offset
/// or fraction; no offset means UTC) or seconds since the epoch.
pub(crate) fn parse_date(v: &str) -> Option<i128> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<i64>() {
        return Some(secs as i128 * 1_000_000_000);
    }
    if let Ok(ts) = v.parse::<jiff::Timestamp>() {
        return Some(ts.as_nanosecond());
    }
    if let Ok(dt) = v.parse::<jiff::civil::DateTime>() {
        return utc_nanos(dt);
    }
    if let Ok(d) = v.parse::<jiff::civil::Date>() {
        return utc_nanos(d.to_datetime(jiff::civil::Time::midnight()));
    }
    None
}

fn utc_nanos(dt: jiff::civil::DateTime) -> Option<i128> {
    jiff::tz::TimeZone::UTC
        .to_timestamp(dt)
        .ok()
        .map(|t| t.as_nanosecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operator_names_parse_with_prefixes_and_suffix() {
        let op: Operator = "ForAllValues:StringLikeIfExists".parse().unwrap();
        assert_eq!(op.base, B::StringLike);
        assert_eq!(op.set, SetQualifier::ForAllValues);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAllValues:StringLikeIfExists");
        for o in ALL {
            assert_eq!(o.name().parse::<Operator>().unwrap().base, o);
        }
    }

    #[test]
    fn unknown_operators_are_errors() {
        let e = "StringEqual".parse::<Operator>().unwrap_err();
        assert!(
            e.contains("unknown condition operator `StringEqual`"),
            "{e}"
        );
        assert!("stringequals".parse::<Operator>().is_err());
        assert!("NullIfExists".parse::<Operator>().is_err());
        assert!("ForEveryValue:StringEquals".parse::<Operator>().is_err());
    }

    #[test]
    fn dates_in_every_documented_form() {
        let z = parse_date("2020-01-01T00:00:00Z").unwrap();
        assert_eq!(parse_date("2020-01-01"), Some(z));
        assert_eq!(parse_date("2020-01-01T00:00:00"), Some(z));
        assert_eq!(parse_date("1577836800"), Some(z));
        assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), Some(z));
        assert!(parse_date("2020-01-01T00:00:00.5Z").unwrap() > z);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn cidrs_and_hosts() {
        assert!(
            parse_cidr("10.0.0.0/8")
                .unwrap()
                .contains(&parse_ip("10.1.2.3").unwrap())
        );
        assert!(
            parse_cidr("2001:db8::/32")
                .unwrap()
                .contains(&parse_ip("2001:db8::1").unwrap())
        );
        assert!(
            parse_cidr("192.0.2.7")
                .unwrap()
                .contains(&parse_ip("192.0.2.7").unwrap())
        );
        assert!(parse_cidr("10.0.0.0/33").is_none());
    }
}
