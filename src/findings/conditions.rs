//! Conditions that can never all hold: a statement whose `Condition` block asks one
//! key for values no request can carry at once (`StringEquals` `a` and `StringEquals`
//! `b`, `NumericLessThan` 5 and `NumericGreaterThan` 10, `Null` true with a test of
//! the key's value). Such a statement never applies: an Allow grants nothing, a Deny
//! protects nothing.
//!
//! Sources: IAM User Guide, "IAM JSON policy elements: Condition operators" (AND
//! across operators and keys, OR across a key's values; a negated operator matches a
//! key the request lacks, `...IfExists` matches an absent key, others do not; `Null`
//! tests only presence) and "AWS global condition context keys" (which keys are
//! multivalued, which are always in the request). The analysis says "never" only
//! where it is certain: a key read with set operators (`ForAllValues:`,
//! `ForAnyValue:`), through a policy variable, with ARN or binary operators, or with
//! operators of two data types is left alone, as are values it cannot parse.

use std::collections::BTreeMap;

use ipnet::IpNet;
use serde_json::Value;

/// Global keys the AWS page lists as multivalued: a single-valued operator on them
/// matches when any value does, so two such tests do not contradict each other.
const MULTIVALUED: &[&str] = &[
    "aws:calledvia",
    "aws:principalorgpaths",
    "aws:principalservicenameslist",
    "aws:resourceorgpaths",
    "aws:sourceorgpaths",
    "aws:tagkeys",
    "aws:vpceorgpaths",
];

/// Keys the AWS page says every request carries ("included in the request context for
/// all requests", "always included"): `Null` true on them never holds.
const ALWAYS_PRESENT: &[&str] = &[
    "aws:currenttime",
    "aws:epochtime",
    "aws:principalaccount",
    "aws:principaltype",
    "aws:userid",
];

/// Why a statement's conditions can never all hold, naming the key; `None` when some
/// request can meet them (or the analysis cannot tell).
pub(super) fn never_met(statement: &Value) -> Option<String> {
    let ops = statement.get("Condition")?.as_object()?;
    let mut by_key: BTreeMap<String, (String, Vec<Test>)> = BTreeMap::new();
    let mut skipped: Vec<String> = Vec::new();
    for (op, block) in ops {
        let Some(block) = block.as_object() else {
            continue;
        };
        let parsed = Op::parse(op);
        for (key, values) in block {
            let lower = key.to_ascii_lowercase();
            let values: Option<Vec<String>> = match values {
                Value::Array(a) => a.iter().map(scalar).collect(),
                v => scalar(v).map(|s| vec![s]),
            };
            match (&parsed, values) {
                (Some(op), Some(values)) if !values.iter().any(|v| v.contains("${")) => {
                    by_key
                        .entry(lower)
                        .or_insert_with(|| (key.clone(), Vec::new()))
                        .1
                        .push(Test { op: *op, values });
                }
                _ => skipped.push(lower),
            }
        }
    }
    for (lower, (key, tests)) in &by_key {
        if skipped.contains(lower) || MULTIVALUED.contains(&lower.as_str()) {
            continue;
        }
        if let Some(why) = key_never_met(lower, tests) {
            return Some(format!("`{key}`: {why}"));
        }
    }
    None
}

/// A scalar condition value as text (`true`, `5` and `"5"` alike).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Equals,
    EqualsIgnoreCase,
    Like,
    NotEquals,
    NotEqualsIgnoreCase,
    NotLike,
    NumEquals,
    NumNotEquals,
    Less,
    LessEquals,
    Greater,
    GreaterEquals,
    Bool,
    Ip,
    NotIp,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Text,
    Number,
    Date,
    Bool,
    Ip,
    Presence,
}

#[derive(Debug, Clone, Copy)]
struct Op {
    kind: Kind,
    family: Family,
    if_exists: bool,
}

impl Op {
    /// An operator this analysis reasons about; `None` for set operators, ARN and
    /// binary operators and names it does not know.
    fn parse(name: &str) -> Option<Op> {
        if name.contains(':') {
            return None;
        }
        let (base, if_exists) = match name.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (name, false),
        };
        let (kind, family) = match base {
            "StringEquals" => (Kind::Equals, Family::Text),
            "StringEqualsIgnoreCase" => (Kind::EqualsIgnoreCase, Family::Text),
            "StringLike" => (Kind::Like, Family::Text),
            "StringNotEquals" => (Kind::NotEquals, Family::Text),
            "StringNotEqualsIgnoreCase" => (Kind::NotEqualsIgnoreCase, Family::Text),
            "StringNotLike" => (Kind::NotLike, Family::Text),
            "Bool" => (Kind::Bool, Family::Bool),
            "IpAddress" => (Kind::Ip, Family::Ip),
            "NotIpAddress" => (Kind::NotIp, Family::Ip),
            "Null" if !if_exists => (Kind::Null, Family::Presence),
            _ => {
                let (rest, family) = if let Some(r) = base.strip_prefix("Numeric") {
                    (r, Family::Number)
                } else if let Some(r) = base.strip_prefix("Date") {
                    (r, Family::Date)
                } else {
                    return None;
                };
                let kind = match rest {
                    "Equals" => Kind::NumEquals,
                    "NotEquals" => Kind::NumNotEquals,
                    "LessThan" => Kind::Less,
                    "LessThanEquals" => Kind::LessEquals,
                    "GreaterThan" => Kind::Greater,
                    "GreaterThanEquals" => Kind::GreaterEquals,
                    _ => return None,
                };
                (kind, family)
            }
        };
        Some(Op {
            kind,
            family,
            if_exists,
        })
    }

    /// A negated operator matches a request that lacks the key.
    fn negated(self) -> bool {
        matches!(
            self.kind,
            Kind::NotEquals
                | Kind::NotEqualsIgnoreCase
                | Kind::NotLike
                | Kind::NumNotEquals
                | Kind::NotIp
        )
    }
}

#[derive(Debug, Clone)]
struct Test {
    op: Op,
    values: Vec<String>,
}

/// Why no request meets every test of one key: neither without the key nor with any
/// value of it.
fn key_never_met(lower: &str, tests: &[Test]) -> Option<String> {
    let mut null: Option<bool> = None;
    for t in tests.iter().filter(|t| t.op.kind == Kind::Null) {
        let wants: Vec<bool> = t
            .values
            .iter()
            .filter_map(|v| parse_bool(v))
            .collect::<Vec<_>>();
        if wants.len() != t.values.len() {
            return None;
        }
        // `Null` with both true and false holds either way.
        if wants.iter().all(|&w| w) {
            null = Some(true);
        } else if wants.iter().all(|&w| !w) {
            null = Some(false);
        }
    }
    let values: Vec<&Test> = tests.iter().filter(|t| t.op.kind != Kind::Null).collect();
    // Without the key: `Null` false fails, and so does every operator that is neither
    // negated nor `...IfExists`.
    let absent_ok = null != Some(false)
        && !ALWAYS_PRESENT.contains(&lower)
        && values.iter().all(|t| t.op.negated() || t.op.if_exists);
    if absent_ok {
        return None;
    }
    if null == Some(true) {
        return Some(if ALWAYS_PRESENT.contains(&lower) {
            "`Null` true asks for the key to be absent, and every request carries it".into()
        } else {
            "`Null` true asks for the key to be absent, and another test needs its value".into()
        });
    }
    let family = values.first()?.op.family;
    if values.iter().any(|t| t.op.family != family) {
        return None;
    }
    let contradiction = match family {
        Family::Text => text_never_met(&values),
        Family::Number => numbers_never_met(&values, parse_number),
        Family::Date => numbers_never_met(&values, parse_date),
        Family::Bool => bool_never_met(&values),
        Family::Ip => ip_never_met(&values),
        Family::Presence => false,
    };
    contradiction.then(|| {
        let tests: Vec<String> = values
            .iter()
            .map(|t| {
                let name = format!("{:?}", t.op.kind);
                format!("{} {}", name, t.values.join("|"))
            })
            .collect();
        format!("no value meets all of its tests ({})", tests.join("; "))
    })
}

fn parse_bool(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// `*` any run of characters, `?` one (IAM User Guide, "String condition operators":
/// StringLike is case-sensitive).
fn glob(pattern: &str, text: &str) -> bool {
    crate::policy::Wildcard::new(pattern).matches(text)
}

fn text_holds(t: &Test, v: &str) -> bool {
    let any = |f: &dyn Fn(&str) -> bool| t.values.iter().any(|x| f(x));
    match t.op.kind {
        Kind::Equals => any(&|x| x == v),
        Kind::EqualsIgnoreCase => any(&|x| x.eq_ignore_ascii_case(v)),
        Kind::Like => any(&|x| glob(x, v)),
        Kind::NotEquals => !any(&|x| x == v),
        Kind::NotEqualsIgnoreCase => !any(&|x| x.eq_ignore_ascii_case(v)),
        Kind::NotLike => !any(&|x| glob(x, v)),
        _ => true,
    }
}

/// Certain only where one test lists every value the key may take (`StringEquals`,
/// or `StringLike` with no wildcard): each is tried against all the tests.
fn text_never_met(tests: &[&Test]) -> bool {
    let finite = tests.iter().find(|t| match t.op.kind {
        Kind::Equals => true,
        Kind::Like => t.values.iter().all(|v| !v.contains(['*', '?'])),
        _ => false,
    });
    let Some(finite) = finite else {
        return false;
    };
    !finite
        .values
        .iter()
        .any(|v| tests.iter().all(|t| text_holds(t, v)))
}

fn parse_number(v: &str) -> Option<f64> {
    v.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A date as the engine reads it (IAM User Guide, "Date condition operators").
fn parse_date(v: &str) -> Option<f64> {
    crate::policy::condition::parse_date(v).map(|n| n as f64)
}

/// The numbers (or dates) that meet every test form an interval minus some points;
/// empty is certain when the bounds cross, or when every listed equal value fails.
fn numbers_never_met(tests: &[&Test], parse: fn(&str) -> Option<f64>) -> bool {
    let mut parsed: Vec<(Kind, Vec<f64>)> = Vec::new();
    for t in tests {
        let Some(values) = t
            .values
            .iter()
            .map(|v| parse(v))
            .collect::<Option<Vec<_>>>()
        else {
            return false;
        };
        if values.is_empty() {
            return false;
        }
        parsed.push((t.op.kind, values));
    }
    let holds = |kind: Kind, values: &[f64], x: f64| match kind {
        Kind::NumEquals => values.contains(&x),
        Kind::NumNotEquals => !values.contains(&x),
        Kind::Less => values.iter().any(|&v| x < v),
        Kind::LessEquals => values.iter().any(|&v| x <= v),
        Kind::Greater => values.iter().any(|&v| x > v),
        Kind::GreaterEquals => values.iter().any(|&v| x >= v),
        _ => true,
    };
    if let Some((_, equal)) = parsed.iter().find(|(k, _)| *k == Kind::NumEquals) {
        return !equal
            .iter()
            .any(|&x| parsed.iter().all(|(k, v)| holds(*k, v, x)));
    }
    // Lower bound (value, inclusive) and upper bound: OR across values keeps the
    // loosest of each test, AND across tests the tightest.
    let mut low: Option<(f64, bool)> = None;
    let mut high: Option<(f64, bool)> = None;
    for (kind, values) in &parsed {
        let max = values.iter().copied().fold(f64::MIN, f64::max);
        let min = values.iter().copied().fold(f64::MAX, f64::min);
        match kind {
            Kind::Less | Kind::LessEquals => {
                let b = (max, *kind == Kind::LessEquals);
                if high.is_none_or(|h| b.0 < h.0 || (b.0 == h.0 && !b.1)) {
                    high = Some(b);
                }
            }
            Kind::Greater | Kind::GreaterEquals => {
                let b = (min, *kind == Kind::GreaterEquals);
                if low.is_none_or(|l| b.0 > l.0 || (b.0 == l.0 && !b.1)) {
                    low = Some(b);
                }
            }
            _ => {}
        }
    }
    let (Some((lo, lo_in)), Some((hi, hi_in))) = (low, high) else {
        return false;
    };
    if lo > hi {
        return true;
    }
    if lo == hi {
        // One point at most: it must be in both bounds and not excluded.
        return !(lo_in
            && hi_in
            && parsed
                .iter()
                .all(|(k, v)| *k != Kind::NumNotEquals || !v.contains(&lo)));
    }
    false
}

fn bool_never_met(tests: &[&Test]) -> bool {
    ["true", "false"].iter().all(|v| {
        !tests
            .iter()
            .all(|t| t.values.iter().any(|x| x.eq_ignore_ascii_case(v)))
    }) && tests
        .iter()
        .all(|t| t.values.iter().all(|x| parse_bool(x).is_some()))
}

/// Addresses in every `IpAddress` list and in no `NotIpAddress` range: certain to be
/// none when the lists' ranges do not overlap, or one excluded range holds them all.
fn ip_never_met(tests: &[&Test]) -> bool {
    let nets = |t: &Test| -> Option<Vec<IpNet>> {
        t.values
            .iter()
            .map(|v| crate::policy::condition::parse_cidr(v))
            .collect()
    };
    let mut within: Option<Vec<IpNet>> = None;
    let mut outside: Vec<IpNet> = Vec::new();
    for t in tests {
        let Some(n) = nets(t) else {
            return false;
        };
        if t.op.kind == Kind::NotIp {
            outside.extend(n);
            continue;
        }
        within = Some(match within {
            None => n,
            Some(w) => w
                .iter()
                .flat_map(|a| {
                    n.iter().filter_map(move |b| {
                        if a.contains(b) {
                            Some(*b)
                        } else if b.contains(a) {
                            Some(*a)
                        } else {
                            None
                        }
                    })
                })
                .collect(),
        });
    }
    match within {
        None => false,
        Some(w) => w.iter().all(|a| outside.iter().any(|o| o.contains(a))),
    }
}

/// The tag keys AWS sets only for the actions that support them (the service
/// authorization reference lists them per action), as their lower-case prefix.
const TAG_KEYS: &[&str] = &["aws:resourcetag/", "aws:requesttag/", "aws:tagkeys"];

/// For a Deny whose condition needs a tag key present (an operator neither negated
/// nor `...IfExists`, `ForAllValues:` aside), the statement's actions that do not
/// support that key: the key is absent from their requests, so the Deny never applies
/// to them (IAM Access Analyzer policy validation, "Security warning – Deny with
/// unsupported tag condition key for service"). With the key and the actions.
pub(super) fn deny_tag_keys_unsupported(
    statement: &Value,
) -> Option<(String, Vec<&'static crate::catalog::Action>, usize)> {
    let ops = statement.get("Condition")?.as_object()?;
    let catalog = crate::catalog::Catalog::get();
    for (op, block) in ops {
        let base = op.strip_prefix("ForAnyValue:").unwrap_or(op);
        let needs_key = !op.starts_with("ForAllValues:")
            && !base.ends_with("IfExists")
            && matches!(
                base,
                "StringEquals" | "StringEqualsIgnoreCase" | "StringLike" | "ArnEquals" | "ArnLike"
            );
        if !needs_key {
            continue;
        }
        for key in block.as_object()?.keys() {
            let lower = key.to_ascii_lowercase();
            let Some(family) = TAG_KEYS.iter().find(|t| lower.starts_with(**t)) else {
                continue;
            };
            let mut actions: Vec<&'static crate::catalog::Action> = Vec::new();
            for a in super::policy_checks::strings(statement.get("Action")) {
                actions.extend(catalog.expand(a));
            }
            actions.sort_by_key(|a| (a.service, a.name.as_str()));
            actions.dedup_by_key(|a| (a.service, a.name.as_str()));
            let total = actions.len();
            actions.retain(|a| {
                !a.all_condition_keys()
                    .iter()
                    .any(|k| k.to_ascii_lowercase().starts_with(family))
            });
            if !actions.is_empty() {
                return Some((key.clone(), actions, total));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn never(condition: Value) -> Option<String> {
        never_met(
            &json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": condition}),
        )
    }

    /// IAM User Guide, "IAM JSON policy elements: Condition operators": tests of one
    /// key are ANDed; a single-valued key cannot equal two values at once.
    #[test]
    fn two_values_of_one_single_valued_key_never_hold_together() {
        assert!(
            never(json!({"StringEquals": {"aws:PrincipalTag/team": "a"},
                "StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "b"}}))
            .is_some()
        );
        assert!(
            never(
                json!({"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]}})
            )
            .is_some()
        );
        // An overlap: us-east-1 meets both.
        assert!(
            never(
                json!({"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-east-1"]},
                "StringLike": {"aws:RequestedRegion": "us-*"}})
            )
            .is_none()
        );
        // A multivalued key may hold both values.
        assert!(
            never(json!({"StringEquals": {"aws:TagKeys": "a"},
                "StringEqualsIgnoreCase": {"aws:TagKeys": "b"}}))
            .is_none()
        );
        // Set operators are left alone.
        assert!(
            never(
                json!({"ForAnyValue:StringEquals": {"aws:PrincipalTag/team": "a"},
                "StringEquals": {"aws:PrincipalTag/team": "b"}})
            )
            .is_none()
        );
    }

    /// "Numeric condition operators", "Date condition operators": bounds that cross.
    #[test]
    fn crossing_bounds_never_hold() {
        assert!(
            never(json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "5"},
                "NumericGreaterThan": {"aws:MultiFactorAuthAge": "10"}}))
            .is_some()
        );
        assert!(
            never(json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "10"},
                "NumericGreaterThan": {"aws:MultiFactorAuthAge": "5"}}))
            .is_none()
        );
        assert!(
            never(json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "5"},
                "NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": "5"}}))
            .is_some()
        );
        assert!(
            never(
                json!({"DateLessThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                "DateGreaterThan": {"aws:CurrentTime": "2021-01-01"}})
            )
            .is_some()
        );
        assert!(
            never(
                json!({"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                "DateLessThan": {"aws:CurrentTime": "2021-01-01"}})
            )
            .is_none()
        );
    }

    /// "Condition operator to check existence of condition keys": `Null` true means
    /// absent, which a value test (not IfExists, not negated) cannot accept; keys every
    /// request carries are never absent.
    #[test]
    fn null_true_with_a_value_test_never_holds() {
        assert!(
            never(json!({"Null": {"aws:SourceVpce": "true"},
                "StringEquals": {"aws:SourceVpce": "vpce-1"}}))
            .is_some()
        );
        // IfExists and negated operators accept the absent key.
        assert!(
            never(json!({"Null": {"aws:SourceVpce": "true"},
                "StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}}))
            .is_none()
        );
        assert!(
            never(json!({"Null": {"aws:SourceVpce": "true"},
                "StringNotEquals": {"aws:SourceVpce": "vpce-1"}}))
            .is_none()
        );
        assert!(never(json!({"Null": {"aws:PrincipalAccount": "true"}})).is_some());
        assert!(never(json!({"Null": {"aws:SourceVpce": "true"}})).is_none());
    }

    /// "IP address condition operators": ranges that do not overlap, or one excluded.
    #[test]
    fn disjoint_address_ranges_never_hold() {
        assert!(
            never(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                "NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}))
            .is_some()
        );
        assert!(
            never(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                "NotIpAddress": {"aws:SourceIp": "10.1.0.0/16"}}))
            .is_none()
        );
        assert!(
            never(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                "IpAddressIfExists": {"aws:SourceIp": "192.0.2.0/24"}}))
            .is_some()
        );
        assert!(
            never(json!({"Bool": {"aws:SecureTransport": "true"},
                "BoolIfExists": {"aws:SecureTransport": "false"}}))
            .is_some()
        );
        // Policy variables are not reasoned about.
        assert!(
            never(json!({"StringEquals": {"aws:PrincipalTag/a": "x"},
                "StringNotEquals": {"aws:PrincipalTag/a": "${aws:username}"}}))
            .is_none()
        );
    }

    /// AWS's own policies work as written: over every AWS managed policy, no
    /// statement's conditions are found never to hold.
    #[test]
    fn no_aws_managed_policy_has_conditions_that_never_hold() {
        let catalog = crate::catalog::Catalog::get();
        let mut flagged = Vec::new();
        for p in catalog.managed_policies() {
            for s in super::super::statements(&p.document) {
                if let Some(why) = never_met(s) {
                    flagged.push(format!("{}: {why}", p.name));
                }
            }
        }
        assert!(flagged.is_empty(), "{flagged:#?}");
    }
}
