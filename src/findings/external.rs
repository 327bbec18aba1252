//! External and public access, as IAM Access Analyzer defines it: a resource (bucket,
//! key, queue, topic, secret, function, a role through its trust policy) that a
//! principal outside the organization, or anyone, can reach. Each grant is decided by
//! the engine on the resource's side (its policy and its account's RCPs), so that a
//! perimeter RCP or a fixing condition silences it.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Category, Finding, Severity};
use crate::analysis::Ask;
use crate::analysis::assemble::Target;
use crate::catalog::{AccessLevel, Catalog};
use crate::engine::Decision;
use crate::org::{Org, PolicyIx};
use crate::policy::{Arn, Context, Request};

/// At most this many actions of one statement are decided (the most powerful
/// access levels first): enough to show what an outsider gets.
const ACTIONS_PER_STATEMENT: usize = 40;

/// `None` when `stopped` says stop (checked before each resource and role).
pub(super) fn find(
    org: &Org,
    out: &mut Vec<Finding>,
    stopped: &(dyn Fn() -> bool + Sync),
) -> Option<()> {
    for r in org.resources() {
        if stopped() {
            return None;
        }
        if let Some(p) = r.policy {
            check(org, &r.arn, p, org.account(r.account).id.as_ref(), out);
        }
    }
    for role in org.roles() {
        if stopped() {
            return None;
        }
        if let Some(p) = role.trust {
            check(
                org,
                &role.arn,
                p,
                org.account(role.account).id.as_ref(),
                out,
            );
        }
    }
    Some(())
}

/// Who an outside grant is to: the outsider's kind, who, and the statement (label and
/// place: two statements may share a Sid); mapped to the actions allowed and those
/// allowed with conditions any caller can meet.
type Grantee = (&'static str, String, String, usize);

fn check(org: &Org, arn: &str, policy: PolicyIx, account: &str, out: &mut Vec<Finding>) {
    let Some(parsed) = Arn::parse(arn) else {
        return;
    };
    let service = if parsed.service() == "iam" {
        "sts"
    } else {
        parsed.service()
    };
    let actions = granted_actions(org, policy, service);
    // Per grantee: actions allowed, actions allowed with keys any caller can set, and
    // those keys (`aws:SecureTransport=true`), named in the message.
    type Granted = (
        Vec<String>,
        Vec<String>,
        std::collections::BTreeSet<String>,
        std::collections::BTreeSet<String>,
    );
    let mut grants: BTreeMap<Grantee, Granted> = BTreeMap::new();
    let asked = actions.iter().flat_map(|a| {
        request_resources(org, arn, a, policy)
            .into_iter()
            .map(move |r| (a, r))
    });
    for (action, resource) in asked {
        let narrower = !resource.ends_with(ANY_OBJECT) && resource != arn;
        let ask = Ask {
            action: action.clone(),
            resource: resource.clone(),
            ..Ask::default()
        };
        let tgt: Target = ask.target(org);
        let Ok(probe) = Request::new("anonymous", action, &resource, None, Context::default())
        else {
            continue;
        };
        for o in crate::analysis::who_can::outsiders(org, &ask, &tgt, &probe) {
            if o.kind == "service" {
                // AWS services acting for the account: not external access.
                continue;
            }
            let entry = grants
                .entry((
                    o.kind,
                    o.who.clone(),
                    o.statement.clone(),
                    o.statement_index,
                ))
                .or_default();
            let let_in = match o.resource_side {
                Some(Decision::Allowed) | None => true,
                Some(_) => !o.when.is_empty() && !o.when.iter().any(|c| fixing(org, c)),
            };
            if narrower && let_in {
                entry.3.insert(resource.clone());
            }
            match o.resource_side {
                Some(Decision::Allowed) => entry.0.push(action.clone()),
                Some(_) if o.when.is_empty() => {}
                // Let in only with a key that keeps it inside the org (the caller's
                // account or org, the org's network): not external ("The meaning of
                // public" in the S3 User Guide lists these fixing keys).
                Some(_) if o.when.iter().any(|c| fixing(org, c)) => {}
                // Let in with keys any caller can set (TLS, a region): as open.
                Some(_) => {
                    entry.1.push(action.clone());
                    entry.2.extend(o.when.iter().map(|c| c.to_string()));
                }
                // Federated providers and canonical users: not evaluated, reported.
                None => entry.0.push(action.clone()),
            }
        }
    }
    let name = org.policy_name(policy).to_string();
    for ((kind, who, statement, k), (mut allowed, mut conditional, keys, on)) in grants {
        // An action asked on several objects of a bucket is listed once.
        allowed.sort();
        allowed.dedup();
        conditional.sort();
        conditional.dedup();
        conditional.retain(|a| !allowed.contains(a));
        if allowed.is_empty() && conditional.is_empty() {
            continue;
        }
        let public = kind == "everyone";
        // Users signing in through an identity provider of the org's own accounts.
        let own_idp = kind == "federated"
            && Arn::parse(&who).is_some_and(|a| org.account_by_id(a.account()).is_some());
        let severity = match (public, allowed.is_empty()) {
            (true, _) => Severity::Critical,
            (false, _) if own_idp => Severity::Medium,
            (false, _) => Severity::High,
        };
        let mut f = Finding::new(
            if public {
                "external.public"
            } else {
                "external.outside-org"
            },
            Category::ExternalAccess,
            severity,
            arn,
        );
        f.node_name = arn.rsplit([':', '/']).next().unwrap_or(arn).to_string();
        f.account = Some(account.to_string());
        f.policy = Some(name.clone());
        f.statement = Some(statement);
        f.statement_index = Some(k);
        f.policy_ix = Some(policy);
        let show = |list: &[String]| {
            let mut s = list.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
            if list.len() > 5 {
                s.push_str(&format!(" and {} more", list.len() - 5));
            }
            s
        };
        let whom = if public {
            "anyone".to_string()
        } else if own_idp {
            format!("users federated through {who}")
        } else {
            format!("{kind} {who}")
        };
        let whom = if own_idp {
            whom
        } else {
            format!("{whom} outside the organization")
        };
        let when = keys.into_iter().collect::<Vec<_>>().join(", ");
        f.message = match (allowed.is_empty(), conditional.is_empty()) {
            (false, true) => format!("{whom} can {}", show(&allowed)),
            (true, false) => format!(
                "{whom} can {} (when {when}: any caller can meet that)",
                show(&conditional)
            ),
            _ => format!(
                "{whom} can {}; also {} (when {when}: any caller can meet that)",
                show(&allowed),
                show(&conditional)
            ),
        };
        if !on.is_empty() {
            let on: Vec<String> = on.into_iter().collect();
            f.message.push_str(&format!(" on objects {}", show(&on)));
        }
        f.why = if public {
            "the resource's policy lets in anyone on the internet, and nothing on the resource's side stops them"
        } else {
            "a principal outside the organization reaches the resource through its policy"
        };
        f.fix = "name only the organization's principals, or add a condition such as aws:PrincipalOrgID; an RCP can enforce the perimeter for every resource";
        out.push(f);
    }
}

/// Whether a condition the caller must meet keeps an outsider out: a key that names
/// the caller's account, organization or network, with a value of the org's own (or
/// a value not worked out, taken as the org's: the side that does not over-report).
fn fixing(org: &Org, c: &crate::analysis::who_can::Condition) -> bool {
    const KEYS: &[&str] = &[
        "aws:principalaccount",
        "kms:calleraccount",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalarn",
        "aws:userid",
        "aws:sourcevpce",
        "aws:sourcevpc",
        "aws:sourceip",
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        // Only an AWS service calling for the account: not an outsider.
        "aws:principalisawsservice",
        "aws:principalservicename",
        "kms:viaservice",
    ];
    if !KEYS.contains(&c.key.to_ascii_lowercase().as_str()) {
        return false;
    }
    let Some(value) = &c.value else { return true };
    let ours = |id: &str| org.account_by_id(id).is_some();
    match c.key.to_ascii_lowercase().as_str() {
        "aws:principalaccount" | "kms:calleraccount" | "aws:sourceaccount" | "aws:sourceowner" => {
            ours(value)
        }
        "aws:principalorgid" | "aws:sourceorgid" => org.info().id.as_deref() == Some(value),
        "aws:principalarn" | "aws:sourcearn" => {
            Arn::parse(value).is_some_and(|a| ours(a.account()))
        }
        _ => true,
    }
}

/// The catalog actions of `service` that the policy's Allow statements with a
/// principal name, most powerful first, at most [`ACTIONS_PER_STATEMENT`] each.
fn granted_actions(org: &Org, policy: PolicyIx, service: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<Value>(&org.doc(policy).text) else {
        return Vec::new();
    };
    let statements = super::statements(&v);
    let catalog = Catalog::get();
    let rank = |l: AccessLevel| match l {
        AccessLevel::PermissionsManagement => 0,
        AccessLevel::Write => 1,
        AccessLevel::Read => 2,
        AccessLevel::List => 3,
        AccessLevel::Tagging => 4,
    };
    let mut out: Vec<String> = Vec::new();
    for s in statements {
        if s.get("Effect").and_then(Value::as_str) != Some("Allow")
            || (s.get("Principal").is_none() && s.get("NotPrincipal").is_none())
        {
            continue;
        }
        let patterns: Vec<&str> = match s.get("Action") {
            Some(Value::String(a)) => vec![a.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            // NotAction: every action of the service but those listed.
            _ => vec!["*"],
        };
        let mut found: Vec<&crate::catalog::Action> = patterns
            .iter()
            .flat_map(|p| catalog.expand(p))
            .filter(|a| a.service.eq_ignore_ascii_case(service))
            .collect();
        found.sort_by_key(|a| (rank(a.level), a.name.clone()));
        found.dedup_by(|a, b| a.name == b.name);
        out.extend(
            found
                .into_iter()
                .take(ACTIONS_PER_STATEMENT)
                .map(|a| a.full_name()),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// The object name standing for any object of a bucket that no statement names.
const ANY_OBJECT: &str = "/any-object";

/// The resources a request for `action` may name: for the actions that act on objects,
/// an object of the bucket and each narrower object pattern (`BUCKET/reports/*`) the
/// bucket's policy names, asked as an object of its own (a request names one object,
/// so a statement about one prefix opens that prefix); else the resource itself.
fn request_resources(org: &Org, arn: &str, action: &str, policy: PolicyIx) -> Vec<String> {
    let on_objects = Catalog::get()
        .action(action)
        .is_some_and(|a| a.resource_types.iter().any(|t| t.name == "object"));
    if !(arn.starts_with("arn:aws:s3:::") && !arn.contains('/') && on_objects) {
        return vec![arn.to_string()];
    }
    let prefix = format!("{arn}/");
    let mut out = vec![format!("{arn}{ANY_OBJECT}")];
    for s in org.compiled(policy).statements() {
        let Some((_, patterns)) = s.resource_patterns() else {
            continue;
        };
        out.extend(
            patterns
                .iter()
                .filter(|p| p.starts_with(&prefix) && *p != &format!("{prefix}*"))
                .filter(|p| !p.contains("${"))
                .cloned(),
        );
    }
    out.sort();
    out.dedup();
    out
}
