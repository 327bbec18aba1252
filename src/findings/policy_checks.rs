//! Policy checks, graded as IAM Access Analyzer's policy validation grades them:
//! what a statement's text says that is risky or wrong, whatever it is attached to.
//! AWS managed policies are left out: no customer can change them.

use std::collections::HashMap;

use serde_json::Value;

use super::{Category, Finding, Grade, Severity};
use crate::catalog::Catalog;
use crate::org::{DocIx, Entity, InlineOwner, Org, PolicyIx, PolicyOrigin, quota};

pub(super) fn find(org: &Org, out: &mut Vec<Finding>) {
    let mut by_doc: HashMap<DocIx, Vec<(String, usize, Check)>> = HashMap::new();
    for i in 0..org.policies().len() {
        let p = PolicyIx::new(i);
        let rec = org.policy(p);
        let (node, account) = match rec.origin {
            PolicyOrigin::AwsManaged => continue,
            PolicyOrigin::CustomerManaged(a) => (rec.arn.as_deref().map(str::to_string), Some(a)),
            PolicyOrigin::Inline(owner) => {
                let e = match owner {
                    InlineOwner::User(u) => Entity::User(u),
                    InlineOwner::Group(g) => Entity::Group(g),
                    InlineOwner::Role(r) => Entity::Role(r),
                };
                (org.arn(e).map(str::to_string), org.account_of(e))
            }
            PolicyOrigin::Scp | PolicyOrigin::Rcp => (
                rec.arn.as_deref().or(rec.id.as_deref()).map(str::to_string),
                None,
            ),
            PolicyOrigin::Trust(r) => {
                (Some(org.role(r).arn.to_string()), Some(org.role(r).account))
            }
            PolicyOrigin::Resource(r) => (
                Some(org.resource(r).arn.to_string()),
                Some(org.resource(r).account),
            ),
        };
        // FullAWSAccess and RCPFullAWSAccess are AWS's own.
        if rec
            .arn
            .as_deref()
            .is_some_and(|a| a.contains("::aws:policy/"))
        {
            continue;
        }
        let name = org.policy_name(p).to_string();
        let node = node.unwrap_or_else(|| name.clone());
        let account = account.map(|a| org.account(a).id.to_string());
        let doc = org.doc(p);
        let make = |rule, severity, statement: Option<(String, usize)>| {
            let mut f = Finding::new(rule, Category::PolicyCheck, severity, &node);
            f.node_name = name.clone();
            f.account = account.clone();
            f.policy = Some(name.clone());
            if let Some((label, k)) = statement {
                f.statement = Some(label);
                f.statement_index = Some(k);
            }
            f.policy_ix = Some(p);
            f
        };
        // Many records share one document: its statements are read once.
        let checks = by_doc
            .entry(rec.doc)
            .or_insert_with(|| document_checks(&doc.text));
        // SCPs and RCPs grant nothing: only their text's mistakes matter.
        let guardrail = matches!(rec.origin, PolicyOrigin::Scp | PolicyOrigin::Rcp);
        for (label, k, c) in checks.iter() {
            if guardrail
                && !matches!(
                    c.rule,
                    "policy.unknown-action"
                        | "policy.unknown-condition-key"
                        | "policy.unknown-global-key"
                        | "policy.unknown-arn"
                        | "policy.never-matches"
                        | "policy.shadowed"
                        | "policy.dead-deny"
                        | "policy.deny-never-applies"
                        | "policy.deny-unsupported-tag-key"
                        | "policy.allow-never-applies"
                )
            {
                continue;
            }
            let mut x = make(c.rule, c.severity, Some((label.clone(), *k)));
            x.subject = c.subject().map(str::to_string);
            x.message = c.message.clone();
            x.why = c.why;
            x.fix = c.fix;
            out.push(x);
        }
        if let Some(limit) = size_limit(rec.origin)
            && doc.size * 10 >= limit * 9
        {
            let mut f = make("policy.size-near-quota", Severity::Low, None);
            f.message = format!(
                "{name} uses {} of the {limit} characters AWS allows",
                doc.size
            );
            f.why = "a policy at its size quota cannot take another statement when one is needed";
            f.fix = "merge statements that share their resources, or split the policy in two";
            out.push(f);
        }
    }
}

/// The size quota that applies to a policy of this origin (IAM and Organizations
/// quotas; whitespace not counted).
fn size_limit(origin: PolicyOrigin) -> Option<usize> {
    Some(match origin {
        PolicyOrigin::CustomerManaged(_) => quota::MANAGED_POLICY_SIZE,
        PolicyOrigin::Inline(InlineOwner::User(_)) => quota::USER_INLINE_SIZE,
        PolicyOrigin::Inline(InlineOwner::Group(_)) => quota::GROUP_INLINE_SIZE,
        PolicyOrigin::Inline(InlineOwner::Role(_)) => quota::ROLE_INLINE_SIZE,
        PolicyOrigin::Trust(_) => quota::TRUST_POLICY_SIZE,
        PolicyOrigin::Scp | PolicyOrigin::Rcp => quota::ORG_POLICY_SIZE,
        PolicyOrigin::AwsManaged | PolicyOrigin::Resource(_) => return None,
    })
}

/// What each statement of a document's text shows, by the statement's Sid or
/// `Statement[i]`, and its index (two statements may share a Sid).
fn document_checks(text: &str) -> Vec<(String, usize, Check)> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let statements = super::statements(&value);
    let label = |k: usize| {
        statements[k]
            .get("Sid")
            .and_then(Value::as_str)
            .filter(|sid| !sid.is_empty())
            .map_or_else(|| format!("Statement[{k}]"), str::to_string)
    };
    let shadowed: Vec<(String, usize, Check)> = super::statement_checks::shadowed(&statements)
        .into_iter()
        .map(|(k, by)| {
            (
                label(k),
                k,
                Check {
                    rule: "policy.shadowed",
                    severity: Severity::Low,
                    message: format!(
                        "{} adds nothing: {} has the same effect, no condition, and covers all its actions and resources",
                        label(k),
                        label(by)
                    ),
                    why: "a statement another one already covers is dead weight, and a later edit to it changes nothing, which misleads whoever makes it",
                    fix: "remove the covered statement, or narrow the one that covers it",
                },
            )
        })
        .collect();
    let mut out: Vec<(String, usize, Check)> = statements
        .iter()
        .enumerate()
        .flat_map(|(k, s)| {
            let label = label(k);
            check_statement(s)
                .into_iter()
                .map(move |c| (label.clone(), k, c))
        })
        .collect();
    out.extend(shadowed);
    out
}

/// What one statement's text shows. A message that starts with a name in backticks
/// (`` `s3:GetObjct` ...``) is about that name: a statement may have several such
/// findings of one rule, told apart by it.
#[derive(Clone)]
pub(super) struct Check {
    pub(super) rule: &'static str,
    pub(super) severity: Severity,
    pub(super) message: String,
    pub(super) why: &'static str,
    pub(super) fix: &'static str,
}

impl Check {
    fn subject(&self) -> Option<&str> {
        let rest = self.message.strip_prefix('`')?;
        rest.split_once('`').map(|(name, _)| name)
    }
}

/// Access Analyzer's grade for each policy check (IAM User Guide, "IAM policy
/// validation check reference"). A check Access Analyzer does not make takes the
/// grade of its kind (see [`Grade`]); a rule not listed is a warning.
pub(super) fn grade(rule: &str) -> Grade {
    match rule {
        // "Error – Invalid action", "Error – Invalid service condition key".
        "policy.unknown-action" | "policy.unknown-condition-key" => Grade::Error,
        // "Error – Invalid global condition key", "Error – Invalid ARN resource",
        // "Error – Invalid ARN service".
        "policy.unknown-global-key" | "policy.unknown-arn" => Grade::Error,
        // A statement that can never apply is not working as meant; one another
        // statement already covers is only redundant ("Suggestion – Redundant
        // statement").
        "policy.never-matches" | "policy.allow-never-applies" => Grade::Warning,
        "policy.shadowed" => Grade::Suggestion,
        // "Security warning – Pass role with star in resource", "Security warning –
        // Allow with NotPrincipal"; a grant of everything is the widest such risk.
        // A Deny that never applies leaves open what it was written to close: the
        // risk Access Analyzer grades a security warning ("Security warning – Deny
        // with unsupported tag condition key for service" is of this kind).
        "policy.pass-role-any"
        | "policy.allow-not-principal"
        | "policy.admin"
        | "policy.deny-never-applies"
        | "policy.deny-unsupported-tag-key" => Grade::SecurityWarning,
        // Not working as meant (a Deny that lets access keys through) or against
        // best practice (grants that widen as AWS adds actions and resources).
        "policy.dead-deny" | "policy.allow-not-action" | "policy.allow-not-resource" => {
            Grade::Warning
        }
        // Still within the quota ("Error – Policy size exceeds identity policy
        // quota" is past it): room to improve, no permission changed.
        "policy.size-near-quota" => Grade::Suggestion,
        _ => Grade::Warning,
    }
}

pub(super) fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn check_statement(s: &Value) -> Vec<Check> {
    let mut out = Vec::new();
    let allow = s.get("Effect").and_then(Value::as_str) == Some("Allow");
    let actions = strings(s.get("Action"));
    let resources = strings(s.get("Resource"));
    let conditioned = s
        .get("Condition")
        .and_then(Value::as_object)
        .is_some_and(|c| !c.is_empty());
    let catalog = Catalog::get();
    super::statement_checks::check_names(s, &mut out);
    for a in actions.iter().chain(strings(s.get("NotAction")).iter()) {
        if *a != "*" && catalog.expand(a).is_empty() {
            let near = catalog.nearest_actions(a, 3);
            out.push(Check {
                rule: "policy.unknown-action",
                severity: Severity::Medium,
                message: if near.is_empty() {
                    format!("`{a}` matches no action the AWS catalog knows")
                } else {
                    format!(
                        "`{a}` matches no action the AWS catalog knows; did you mean {}?",
                        near.join(", ")
                    )
                },
                why: "a misspelt action grants or denies nothing, so the statement does not do what it says",
                fix: "spell the action as the service authorization reference lists it",
            });
        }
    }
    for key in condition_keys(s) {
        if let Some(service) = unknown_service_key(catalog, key) {
            out.push(Check {
                rule: "policy.unknown-condition-key",
                severity: Severity::Medium,
                message: format!(
                    "`{key}` is not a condition key the AWS catalog lists for {service}"
                ),
                why: "a condition on a key the service never sets is never met (or always met with IfExists or a negated operator), so the statement does not do what it says",
                fix: "spell the key as the service authorization reference lists it for the service",
            });
        }
    }
    if !allow && denies_only_with_mfa_false(s) {
        out.push(Check {
            rule: "policy.dead-deny",
            severity: Severity::Medium,
            message: "denies only when aws:MultiFactorAuthPresent is false (Bool): requests signed with long-term access keys carry no such key, so it never denies them".to_string(),
            why: "a deny meant to require MFA lets access keys through: the key is absent, not false, and Bool does not match an absent key",
            fix: "use BoolIfExists with aws:MultiFactorAuthPresent false (or Null with true), which also matches requests without the key",
        });
    }
    if let Some(why) = super::conditions::never_met(s) {
        out.push(if allow {
            Check {
                rule: "policy.allow-never-applies",
                severity: Severity::Medium,
                message: format!("its conditions can never all hold, so it allows nothing: {why}"),
                why: "an Allow whose conditions contradict each other grants nothing, so whoever relies on it is refused",
                fix: "keep one test per key, or the values the key can take at once",
            }
        } else {
            Check {
                rule: "policy.deny-never-applies",
                severity: Severity::Medium,
                message: format!("its conditions can never all hold, so it denies nothing: {why}"),
                why: "a Deny whose conditions contradict each other protects nothing, though it looks like a guardrail",
                fix: "keep one test per key, or the values the key can take at once",
            }
        });
    }
    if !allow
        && !out.iter().any(|c| c.rule == "policy.deny-never-applies")
        && let Some((key, actions, total)) = super::conditions::deny_tag_keys_unsupported(s)
    {
        let mut services: Vec<&str> = actions.iter().map(|a| a.service).collect();
        services.dedup();
        let shown: Vec<&str> = services.iter().take(5).copied().collect();
        out.push(Check {
            rule: "policy.deny-unsupported-tag-key",
            severity: Severity::Medium,
            message: format!(
                "`{key}` is in no request of {} of its {total} actions ({}{}): the Deny never applies to them",
                actions.len(),
                shown.join(", "),
                if services.len() > shown.len() {
                    format!(" and {} more services", services.len() - shown.len())
                } else {
                    String::new()
                }
            ),
            why: "a Deny that needs a tag key the action's requests never carry does not deny that action, so what it was written to protect stays open",
            fix: "limit the Deny to actions that support the key, or use a negated or ...IfExists operator so that an absent key also denies",
        });
    }
    if !allow {
        return out;
    }
    let any_resource = resources.contains(&"*");
    if actions.iter().any(|a| *a == "*" || *a == "*:*") && any_resource {
        // A condition (MFA, a network) narrows when, not what: still an admin grant.
        out.push(Check {
            rule: "policy.admin",
            severity: if conditioned {
                Severity::Medium
            } else {
                Severity::High
            },
            message: if conditioned {
                "allows every action on every resource, under its conditions".to_string()
            } else {
                "allows every action on every resource".to_string()
            },
            why: "whoever holds it is an administrator: it can grant itself anything else",
            fix: "grant the actions and resources the job needs, or keep it for a break-glass role",
        });
    } else if any_resource
        && actions.iter().any(|a| {
            catalog
                .expand(a)
                .iter()
                .any(|x| x.full_name() == "iam:PassRole")
        })
    {
        out.push(Check {
            rule: "policy.pass-role-any",
            severity: Severity::High,
            message: "allows iam:PassRole on every role".to_string(),
            why: "passing any role to a service lets the holder act with that role's permissions, an administrator's included",
            fix: "name the roles it may pass in Resource, and limit iam:PassedToService",
        });
    }
    if s.get("NotAction").is_some() {
        out.push(Check {
            rule: "policy.allow-not-action",
            severity: Severity::Medium,
            message: "allows every action but the ones it lists (NotAction)".to_string(),
            why: "an Allow with NotAction grants every action AWS adds later too",
            fix: "list the actions to allow in Action instead",
        });
    }
    if s.get("NotResource").is_some() {
        out.push(Check {
            rule: "policy.allow-not-resource",
            severity: Severity::Medium,
            message: "allows on every resource but the ones it lists (NotResource)".to_string(),
            why: "an Allow with NotResource grants on every resource created later too",
            fix: "list the resources to allow in Resource instead",
        });
    }
    if s.get("NotPrincipal").is_some() {
        out.push(Check {
            rule: "policy.allow-not-principal",
            severity: Severity::High,
            message: "allows everyone but the principals it lists (NotPrincipal)".to_string(),
            why: "an Allow with NotPrincipal lets in every principal of every account, anonymous callers included",
            fix: "name the principals to allow in Principal",
        });
    }
    out
}

/// A Deny whose condition is `Bool` (not `BoolIfExists`) on `aws:MultiFactorAuthPresent`
/// `false`: the key is absent from requests signed with long-term access keys, and a
/// condition on an absent key is not met (IAM User Guide, "AWS global condition
/// context keys", aws:MultiFactorAuthPresent).
fn denies_only_with_mfa_false(s: &Value) -> bool {
    let Some(ops) = s.get("Condition").and_then(Value::as_object) else {
        return false;
    };
    ops.iter().any(|(op, block)| {
        op.eq_ignore_ascii_case("Bool")
            && block.as_object().is_some_and(|b| {
                b.iter().any(|(k, v)| {
                    k.eq_ignore_ascii_case("aws:MultiFactorAuthPresent")
                        && match v {
                            Value::String(x) => x.eq_ignore_ascii_case("false"),
                            Value::Bool(false) => true,
                            Value::Array(a) => a.iter().any(|x| {
                                x.as_str().is_some_and(|x| x.eq_ignore_ascii_case("false"))
                                    || *x == Value::Bool(false)
                            }),
                            _ => false,
                        }
                })
            })
    })
}

/// The condition keys a statement tests, once each, as written.
pub(super) fn condition_keys(s: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = s
        .get("Condition")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|ops| ops.values())
        .filter_map(Value::as_object)
        .flat_map(|block| block.keys().map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The service's name when `key` (`service:Name`) names a service the catalog knows
/// and is none of its condition keys (IAM Access Analyzer policy validation, "Error –
/// Invalid service condition key"). Global keys (`aws:`) and the keys of identity
/// providers (`saml:`, `accounts.google.com:`...) are not services' and are left alone.
fn unknown_service_key(catalog: &Catalog, key: &str) -> Option<String> {
    let (prefix, _) = key.split_once(':')?;
    let service = catalog.service_info(&prefix.to_ascii_lowercase())?;
    if super::statement_checks::on_global_keys_page(key) {
        return None;
    }
    let key = key.to_ascii_lowercase();
    // A key with a part of its own (`s3:ExistingObjectTag/<key>`,
    // `secretsmanager:ResourceTag/tag-key`,
    // `kms:EncryptionContext:${EncryptionContextKey}`) matches whatever fills it.
    let known = service_keys(service.prefix)
        .iter()
        .any(|k| match k.find(['<', '$', '/']) {
            Some(at) => key.starts_with(&k[..at]),
            None => key == *k,
        });
    (!known).then(|| service.name.clone())
}

/// A service's condition keys, lower case: its own list and its actions' (read from
/// the catalog once, as a large org has many documents to check).
fn service_keys(prefix: &str) -> &'static [String] {
    static KEYS: std::sync::OnceLock<HashMap<&'static str, Vec<String>>> =
        std::sync::OnceLock::new();
    let all = KEYS.get_or_init(|| {
        let catalog = Catalog::get();
        catalog
            .services()
            .filter_map(|p| catalog.service_info(p))
            .map(|service| {
                let actions = catalog.service(service.prefix).unwrap_or_default();
                let mut keys: Vec<String> = service
                    .condition_keys
                    .iter()
                    .map(|c| c.name.as_str())
                    .chain(actions.iter().flat_map(|a| a.all_condition_keys()))
                    .map(str::to_ascii_lowercase)
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                (service.prefix, keys)
            })
            .collect()
    });
    all.get(prefix).map_or(&[], Vec::as_slice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(statement: &str) -> Vec<&'static str> {
        let v: Value = serde_json::from_str(statement).unwrap();
        check_statement(&v).into_iter().map(|c| c.rule).collect()
    }

    /// IAM Access Analyzer policy validation, "Security warning – Pass role with star
    /// in resource"; "Error – Invalid action"; "Security warning – Allow with NotPrincipal".
    #[test]
    fn statements_are_graded() {
        assert_eq!(
            rules(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#),
            ["policy.pass-role-any"]
        );
        assert_eq!(
            rules(
                r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::1:role/x"}"#
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            rules(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#),
            ["policy.admin"]
        );
        // A condition narrows when, not what: still admin (and PassRole is part of it).
        assert_eq!(
            rules(
                r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#
            ),
            ["policy.admin"]
        );
        assert_eq!(
            rules(r#"{"Effect":"Deny","Action":"s3:GetObjct","Resource":"*"}"#),
            ["policy.unknown-action"]
        );
        assert_eq!(
            rules(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#),
            ["policy.allow-not-action"]
        );
        assert_eq!(
            rules(
                r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"s3:GetObject","Resource":"*"}"#
            ),
            ["policy.allow-not-principal"]
        );
        // A misspelt service condition key (IAM Access Analyzer policy validation,
        // "Error – Invalid service condition key"); the service's own keys, a tag key
        // and the keys of global or federated sources are not flagged.
        assert_eq!(
            rules(
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encrypton":"aws:kms"}}}"#
            ),
            ["policy.unknown-condition-key"]
        );
        assert!(
            rules(
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms","s3:ExistingObjectTag/team":"a","aws:PrincipalTag/team":"a","saml:aud":"x","token.actions.githubusercontent.com:sub":"x","iam:PassedToService":"ec2.amazonaws.com","sts:ExternalId":"x"}}}"#
            )
            .is_empty()
        );
        // A Deny meant to require MFA that access keys pass (IAM User Guide, "AWS
        // global condition context keys", aws:MultiFactorAuthPresent: use
        // BoolIfExists); with BoolIfExists, or as an Allow, it is not flagged.
        assert_eq!(
            rules(
                r#"{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#
            ),
            ["policy.dead-deny"]
        );
        assert!(
            rules(
                r#"{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}"#
            )
            .is_empty()
        );
        assert!(
            rules(
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#
            )
            .is_empty()
        );
        // A Deny with NotAction is the usual guardrail: not flagged.
        assert!(rules(r#"{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}"#).is_empty());
    }

    /// AWS's own policies are the best spelt: over every AWS managed policy, the
    /// condition-key check flags only the one key the catalog does not list.
    #[test]
    fn aws_managed_policies_use_known_condition_keys() {
        let c = Catalog::get();
        let mut flagged: Vec<String> = c
            .managed_policies()
            .flat_map(|p| super::super::statements(&p.document))
            .flat_map(condition_keys)
            .filter(|k| unknown_service_key(c, k).is_some())
            .map(str::to_string)
            .collect();
        flagged.sort();
        flagged.dedup();
        assert_eq!(flagged, ["lakeformation:GlueARN"]);
    }
}
