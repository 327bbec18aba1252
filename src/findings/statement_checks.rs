//! Policy checks on what a statement names and on how a document's statements relate:
//! unknown global condition keys, resource ARNs no resource type of the service has,
//! statements that can never match, statements another statement makes useless.
//! Each is reported only when it is certain from the catalog: where it cannot tell
//! (wildcards, policy variables, actions it does not know), it says nothing.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::Value;

use super::Severity;
use super::policy_checks::{Check, condition_keys, strings};
use crate::catalog::Catalog;

/// The global keys of [`global_keys.txt`], lower case; a trailing `/` keeps a prefix.
fn global_keys() -> &'static HashSet<String> {
    static KEYS: OnceLock<HashSet<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let catalog = Catalog::get();
        let listed = include_str!("global_keys.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_ascii_lowercase);
        // `aws:` keys the service authorization reference lists under a service.
        let from_services = catalog
            .services()
            .filter_map(|p| catalog.service_info(p))
            .flat_map(|s| s.condition_keys.iter().map(|k| k.name.as_str()))
            .chain(catalog.actions().flat_map(|a| a.all_condition_keys()))
            .filter(|k| k.len() > 4 && k[..4].eq_ignore_ascii_case("aws:"))
            .map(|k| match k.find(['$', '<', '/']) {
                Some(at) if k[at..].starts_with('/') => k[..=at].to_ascii_lowercase(),
                Some(at) => k[..at].to_ascii_lowercase(),
                None => k.to_ascii_lowercase(),
            });
        listed.chain(from_services).collect()
    })
}

/// Whether the AWS page lists `key` among the global keys, cross-service keys
/// (`ec2:SourceInstanceArn`, `lambda:SourceFunctionArn`...) included: those are in
/// requests to every service, whatever the key's own service lists.
pub(super) fn on_global_keys_page(key: &str) -> bool {
    global_keys().contains(&key.to_ascii_lowercase())
}

/// Whether `key` is an `aws:` key that is no global condition key (keys are
/// case-insensitive: IAM User Guide, "AWS global condition context keys").
pub(super) fn unknown_global_key(key: &str) -> bool {
    if key.len() < 4 || !key[..4].eq_ignore_ascii_case("aws:") {
        return false;
    }
    let key = key.to_ascii_lowercase();
    let keys = global_keys();
    if keys.contains(&key) {
        return false;
    }
    // A tag key: `aws:PrincipalTag/team` matches `aws:principaltag/`.
    match key.find('/') {
        Some(at) => !keys.contains(&key[..=at]),
        None => true,
    }
}

/// The ARN templates of the catalog by the ARN's service segment, each template's
/// resource part (after the account) split at its first `/` or `:`; `None` for a
/// template whose resource part starts with a variable (it matches any text).
fn arn_types() -> &'static HashMap<String, Vec<Option<String>>> {
    static TYPES: OnceLock<HashMap<String, Vec<Option<String>>>> = OnceLock::new();
    TYPES.get_or_init(|| {
        let catalog = Catalog::get();
        let mut out: HashMap<String, Vec<Option<String>>> = HashMap::new();
        for s in catalog.services().filter_map(|p| catalog.service_info(p)) {
            for r in &s.resources {
                let Some((service, resource)) = arn_parts(&r.arn) else {
                    continue;
                };
                out.entry(service.to_ascii_lowercase())
                    .or_default()
                    .push(resource_type(resource));
            }
        }
        out
    })
}

/// An ARN's service segment and its resource part.
fn arn_parts(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let _partition = parts.next()?;
    let service = parts.next()?;
    let _region = parts.next()?;
    let _account = parts.next()?;
    Some((service, parts.next()?))
}

/// The resource part's leading token (before its first `/` or `:`), lower case; `None`
/// when it starts with a variable or a wildcard (it could be anything).
fn resource_type(resource: &str) -> Option<String> {
    let token = resource.split(['/', ':']).next().unwrap_or("");
    (!token.contains(['$', '*', '?'])).then(|| token.to_ascii_lowercase())
}

/// Why a `Resource` ARN can name no resource AWS has (IAM Access Analyzer policy
/// validation, "Error – Invalid ARN service" / "Invalid ARN resource"); `None` when it
/// can, or when wildcards or variables leave it open.
pub(super) fn unknown_arn(arn: &str) -> Option<String> {
    // A variable may hold `:`, so the segments cannot be told apart.
    if arn.contains('$') {
        return None;
    }
    let (service, resource) = arn_parts(arn)?;
    if service.contains(['*', '?']) {
        return None;
    }
    let Some(types) = arn_types().get(&service.to_ascii_lowercase()) else {
        // A service the catalog knows by its prefix but lists no ARN for: it cannot tell.
        if Catalog::get()
            .service_info(&service.to_ascii_lowercase())
            .is_some()
        {
            return None;
        }
        return Some(format!(
            "`{arn}`: the AWS catalog knows no service with the ARN service `{service}`"
        ));
    };
    if types.iter().any(Option::is_none) {
        return None;
    }
    let token = resource_type(resource).filter(|t| !t.is_empty())?;
    if types.iter().flatten().any(|t| *t == token) {
        return None;
    }
    let mut known: Vec<&str> = types.iter().flatten().map(String::as_str).collect();
    known.sort_unstable();
    known.dedup();
    Some(format!(
        "`{arn}`: the AWS catalog lists no resource type `{}` for `{service}` (it lists {})",
        resource.split(['/', ':']).next().unwrap_or(""),
        known.join(", ")
    ))
}

/// The ARN services the resources of an action's service have (`None`: not certain,
/// as for actions the catalog does not know or that take no resource type).
fn action_arn_services(pattern: &str) -> Option<HashSet<String>> {
    let catalog = Catalog::get();
    let actions = catalog.expand(pattern);
    if actions.is_empty() || actions.iter().any(|a| a.resource_types.is_empty()) {
        return None;
    }
    let mut out = HashSet::new();
    for a in actions {
        let service = catalog.service_info(a.service)?;
        // A resource type another service defines (Connect's actions on
        // connect-campaigns' campaigns): its ARN service is not known here.
        let own = |t: &str| service.resources.iter().any(|r| r.name == t);
        if !a.resource_types.iter().all(|t| own(&t.name)) {
            return None;
        }
        for r in &service.resources {
            let (s, _) = arn_parts(&r.arn)?;
            if s.contains('$') {
                return None;
            }
            out.insert(s.to_ascii_lowercase());
        }
    }
    Some(out)
}

/// The checks of one statement's names.
pub(super) fn check_names(s: &Value, out: &mut Vec<Check>) {
    for key in condition_keys(s) {
        if unknown_global_key(key) {
            out.push(Check {
                rule: "policy.unknown-global-key",
                severity: Severity::Medium,
                message: format!("`{key}` is not a global condition key AWS lists"),
                why: "a condition on a key no request carries is never met (or always met with IfExists or a negated operator), so the statement does not do what it says",
                fix: "spell the key as \"AWS global condition context keys\" in the IAM User Guide lists it (aws:SourceIp, aws:PrincipalOrgID...)",
            });
        }
    }
    let resources = strings(s.get("Resource"));
    for r in &resources {
        if let Some(message) = unknown_arn(r) {
            out.push(Check {
                rule: "policy.unknown-arn",
                severity: Severity::Medium,
                message,
                why: "an ARN that names no resource type of its service matches no request, so the statement does not do what it says",
                fix: "write the ARN as the service authorization reference gives it for the resource type",
            });
        }
    }
    if let Some(message) = never_matches(s, &resources) {
        out.push(Check {
            rule: "policy.never-matches",
            severity: Severity::Medium,
            message,
            why: "a statement that matches no request grants or denies nothing, so the policy does not do what it says",
            fix: "name resources of the actions' services, or the actions the resources take",
        });
    }
}

/// A statement whose every resource is an ARN of a service none of its actions acts on.
fn never_matches(s: &Value, resources: &[&str]) -> Option<String> {
    let actions = strings(s.get("Action"));
    if actions.is_empty() || resources.is_empty() || s.get("NotAction").is_some() {
        return None;
    }
    let mut reachable = HashSet::new();
    for a in &actions {
        reachable.extend(action_arn_services(a)?);
    }
    for r in resources {
        let (service, _) = arn_parts(r)?;
        if service.contains(['$', '*', '?']) || reachable.contains(&service.to_ascii_lowercase()) {
            return None;
        }
    }
    Some(format!(
        "its actions ({}) act on no resource of its resources' services ({})",
        actions.join(", "),
        resources.join(", ")
    ))
}

/// The statements of a document that another statement makes useless: an Allow (or a
/// Deny) whose every action and resource an unconditional Allow (Deny) of the same
/// document already covers (IAM User Guide, "Policy evaluation logic": statements of
/// one effect combine as a union, so the covered one adds nothing). By index, with the
/// index of the one that covers it.
pub(super) fn shadowed(statements: &[&Value]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, a) in statements.iter().enumerate() {
        let covering = statements.iter().enumerate().find(|(j, b)| {
            *j != i
                && covers(b, a)
                // Two statements that cover each other: the later one is the useless one.
                && !(covers(a, b) && *j > i)
        });
        if let Some((j, _)) = covering {
            out.push((i, j));
        }
    }
    out
}

/// Whether statement `b` covers every request `a` matches, with the same effect.
fn covers(b: &Value, a: &Value) -> bool {
    let effect = |s: &Value| s.get("Effect").and_then(Value::as_str).map(str::to_string);
    let plain = |s: &Value| {
        ["NotAction", "NotResource", "NotPrincipal", "Principal"]
            .iter()
            .all(|k| s.get(k).is_none())
    };
    if effect(a).is_none()
        || effect(a) != effect(b)
        || !plain(a)
        || !plain(b)
        || b.get("Condition")
            .and_then(Value::as_object)
            .is_some_and(|c| !c.is_empty())
    {
        return false;
    }
    let (a_actions, b_actions) = (strings(a.get("Action")), strings(b.get("Action")));
    let (a_res, b_res) = (strings(a.get("Resource")), strings(b.get("Resource")));
    if a_actions.is_empty() || a_res.is_empty() {
        return false;
    }
    let catalog = Catalog::get();
    let actions_covered = a_actions.iter().all(|p| {
        if b_actions
            .iter()
            .any(|q| *q == "*" || q.eq_ignore_ascii_case(p))
        {
            return true;
        }
        let expanded = catalog.expand(p);
        !expanded.is_empty()
            && expanded.iter().all(|x| {
                let name = x.full_name();
                b_actions
                    .iter()
                    .any(|q| crate::catalog::glob::matches(q, &name))
            })
    });
    actions_covered
        && a_res
            .iter()
            .all(|r| b_res.iter().any(|q| resource_covers(q, r)))
}

/// Whether resource pattern `b` matches every resource `a` does, case-sensitively as
/// ARNs match: `*`, the same text, or `prefix*` before a literal `a` with that prefix.
fn resource_covers(b: &str, a: &str) -> bool {
    if b == "*" || b == a {
        return true;
    }
    if a.contains(['*', '?', '$']) || b.contains(['?', '$']) {
        return false;
    }
    match b.strip_suffix('*') {
        Some(prefix) => !prefix.contains('*') && a.starts_with(prefix),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shadowed_in(doc: &str) -> Vec<(usize, usize)> {
        let v: Value = serde_json::from_str(doc).unwrap();
        shadowed(&super::super::statements(&v))
    }

    /// IAM User Guide, "AWS global condition context keys": keys are case-insensitive;
    /// a misspelt one is flagged, the page's keys (any case, tag keys) are not.
    /// The same page lists cross-service keys with a service's prefix: they are
    /// global, not the service's own, and so never "unknown" keys of it.
    #[test]
    fn cross_service_keys_of_the_page_are_global() {
        for k in [
            "ec2:SourceInstanceArn",
            "ec2:RoleDelivery",
            "lambda:SourceFunctionArn",
            "glue:RoleAssumedBy",
            "aws:SignInSessionArn",
            "aws:ViaAWSMCPService",
        ] {
            assert!(on_global_keys_page(k), "{k}");
            assert!(!unknown_global_key(k), "{k}");
        }
        assert!(!on_global_keys_page("ec2:SourceInstanceArns"));
    }

    #[test]
    fn global_keys_are_known_whatever_their_case() {
        for k in [
            "aws:SourceIp",
            "AWS:SOURCEIP",
            "aws:PrincipalOrgID",
            "aws:PrincipalTag/team",
            "aws:ResourceTag/Cost Center",
            "aws:username",
            "aws:CalledViaLast",
        ] {
            assert!(!unknown_global_key(k), "{k}");
        }
        for k in [
            "aws:SourceIPs",
            "aws:PrincipalOrgId2",
            "aws:PrincipleTag/team",
        ] {
            assert!(unknown_global_key(k), "{k}");
        }
        // Not a global key at all: left to the service-key check.
        assert!(!unknown_global_key("s3:prefix"));
    }

    /// IAM Access Analyzer policy validation, "Error – Invalid ARN service" and
    /// "Error – Invalid ARN resource".
    #[test]
    fn arns_are_checked_against_the_services_resource_types() {
        assert!(unknown_arn("arn:aws:iam::111122223333:rol/admin").is_some());
        assert!(unknown_arn("arn:aws:s4:::bucket").is_some());
        for ok in [
            "arn:aws:iam::111122223333:role/admin",
            "arn:aws:s3:::bucket/key",
            "arn:aws:lambda:us-east-1:111122223333:function:f",
            "arn:aws:sns:us-east-1:111122223333:topic",
            "arn:aws:iam::111122223333:${aws:username}",
            "arn:aws:*:*:*:*",
            "*",
        ] {
            assert_eq!(unknown_arn(ok), None, "{ok}");
        }
    }

    /// IAM User Guide, "IAM JSON policy elements: Resource": a request's resource is
    /// the ARN of the action's service; an s3 action never matches a DynamoDB table.
    #[test]
    fn a_statement_on_another_services_resources_never_matches() {
        let v: Value = serde_json::from_str(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:dynamodb:us-east-1:1:table/t"}"#,
        )
        .unwrap();
        let mut out = Vec::new();
        check_names(&v, &mut out);
        assert_eq!(
            out.iter().map(|c| c.rule).collect::<Vec<_>>(),
            ["policy.never-matches"]
        );
        // The same action on its own service's resource, or AssumeRole (sts) on an
        // IAM role: they match.
        for ok in [
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
            r#"{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::1:role/r"}"#,
            r#"{"Effect":"Allow","Action":["s3:GetObject","dynamodb:GetItem"],"Resource":"arn:aws:dynamodb:us-east-1:1:table/t"}"#,
        ] {
            let v: Value = serde_json::from_str(ok).unwrap();
            let mut out = Vec::new();
            check_names(&v, &mut out);
            assert!(out.is_empty(), "{ok}");
        }
    }

    /// IAM User Guide, "Policy evaluation logic": Allows combine as a union, so an
    /// Allow inside an unconditional Allow adds nothing; a conditional one covers
    /// nothing for sure, and a statement reaching further is not covered.
    #[test]
    fn statements_covered_by_another_are_shadowed() {
        assert_eq!(
            shadowed_in(
                r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},
                {"Effect":"Allow","Action":["s3:GetObject","s3:Put*"],"Resource":"arn:aws:s3:::b/logs/x","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
            ),
            [(1, 0)]
        );
        // Identical statements: the later one is useless.
        assert_eq!(
            shadowed_in(
                r#"{"Statement":[{"Effect":"Deny","Action":"iam:*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#
            ),
            [(1, 0)]
        );
        for open in [
            // The covering one has a condition.
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
            // Another effect.
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#,
            // More resources, another case (ARNs match case-sensitively), more actions.
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"},{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::B/x"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        ] {
            assert!(
                shadowed_in(open).iter().all(|&(i, _)| i != 1),
                "{open}: {:?}",
                shadowed_in(open)
            );
        }
    }

    /// AWS's own policies are the best written: over every AWS managed policy, the
    /// checks flag only what the service authorization reference (the catalog) does not
    /// list: resource types absent from it (CloudFormation transforms, WAF change
    /// tokens, Backup recovery points...), two spelt otherwise than it spells them
    /// (`connector-profile`, `endpointconfig`), and two actions on another service's
    /// resources. No global key and no ARN service is flagged.
    #[test]
    fn aws_managed_policies_are_flagged_only_where_the_reference_disagrees() {
        let c = Catalog::get();
        let mut flagged: Vec<String> = Vec::new();
        for p in c.managed_policies() {
            for s in super::super::statements(&p.document) {
                let mut out = Vec::new();
                check_names(s, &mut out);
                flagged.extend(out.into_iter().map(|c| {
                    format!(
                        "{} {}",
                        c.rule,
                        c.message.split('`').nth(1).unwrap_or(&c.message)
                    )
                }));
            }
        }
        flagged.sort();
        flagged.dedup();
        let never = |a: &str, r: &str| {
            format!(
                "policy.never-matches its actions ({a}) act on no resource of its resources' services ({r})"
            )
        };
        let mut expected: Vec<String> = [
            "arn:aws:appflow:*:*:connector-profile/*",
            "arn:aws:autoscaling:*:*:scalingPolicy:*:resource/dynamodb/table/*",
            "arn:aws:backup:*:*:recovery-point:*",
            "arn:aws:bedrock-agentcore:*:*:credential-provider/*",
            "arn:aws:cloudformation:*:*:transform/*",
            "arn:aws:cloudformation:*:aws:transform/CodeStar*",
            "arn:aws:redshift-serverless:*:*:snapshotcopyconfiguration/*",
            "arn:aws:sagemaker:*:*:endpointconfig/*",
            "arn:aws:waf-regional:*:*:changetoken/*",
            "arn:aws:waf:*:*:changetoken/*",
            "arn:aws:waf::*:changetoken/*",
        ]
        .iter()
        .map(|a| format!("policy.unknown-arn {a}"))
        .chain([
            never(
                "connect:GetMetricDataV2",
                "arn:aws:connect-campaigns:*:*:campaign/*",
            ),
            never("ssm:DeregisterManagedInstance", "arn:aws:eks:*:*:cluster/*"),
        ])
        .collect();
        expected.sort();
        assert_eq!(flagged, expected);
    }
}
