//! What accounts' SCPs leave allowed, decided by the engine over the AWS catalog
//! (see [`super::scp_reach`]): accounts whose SCPs allow every action (no guardrail
//! at all), accounts where they allow almost nothing, and allow-list SCPs that leave
//! out a service the account's principals are granted (AWS Organizations User Guide,
//! "SCP evaluation": every level from the root down must allow an action; "Strategies
//! for using SCPs": an allow-list lists what may be used).

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::policy_checks::strings;
use super::{Category, Finding, Severity};
use crate::catalog::Catalog;
use crate::org::{AccountIx, DocIx, Org, PolicyIx, PolicyOrigin, PrincipalIx};

/// Below this share of the catalog's actions (in thousandths), an account's SCPs
/// "allow almost nothing".
const ALMOST_NOTHING_PER_MILLE: usize = 10;

/// A policy granting actions of more services than this is a job-function grant
/// (ReadOnlyAccess, ViewOnlyAccess...), not evidence that a service is needed.
const WIDE_GRANT_SERVICES: usize = 20;

/// At most this many principals or services are named in a message.
const NAMED: usize = 5;

pub(super) fn find(org: &Org, out: &mut Vec<Finding>) {
    let reaches = super::scp_reach::reaches(org);
    let mut texts: HashMap<DocIx, DocFacts> = HashMap::new();
    let mut facts = |p: PolicyIx| -> DocFacts {
        texts
            .entry(org.policy(p).doc)
            .or_insert_with(|| DocFacts::of(&org.doc(p).text))
            .clone()
    };
    let mut granted: HashMap<DocIx, Option<Vec<&'static str>>> = HashMap::new();
    for (i, a) in org.accounts().iter().enumerate() {
        let ix = AccountIx::new(i);
        let Some(reach) = &reaches[i] else { continue };
        let levels = org.scp_levels(ix);
        let account_finding = |rule, severity| {
            let mut f = Finding::new(rule, Category::Organization, severity, &a.id);
            f.node_name = a.name.to_string();
            f.account = Some(a.id.to_string());
            f
        };
        let level_facts: Vec<Vec<DocFacts>> = levels
            .iter()
            .map(|l| l.iter().map(|&p| facts(p)).collect())
            .collect();
        let every_level_allows_all = level_facts
            .iter()
            .all(|l| l.iter().any(|d| d.allows_everything));
        let live_deny = level_facts.iter().flatten().any(|d| d.live_deny);
        if every_level_allows_all && !live_deny && reach.allowed == reach.total {
            let mut f = account_finding("org.scp-allows-everything", Severity::Low);
            f.message = if levels.iter().flatten().all(|&p| aws_full_access(org, p)) {
                format!(
                    "account {} is governed by FullAWSAccess alone: its SCPs allow every action",
                    a.name
                )
            } else {
                format!(
                    "the SCPs of account {} allow every action and deny none: no Deny of theirs can apply",
                    a.name
                )
            };
            f.why = "without an SCP of the organization's own, nothing caps what the account's principals can be granted, the org's security services included";
            f.fix = "attach guardrail SCPs above it (deny leaving the organization, disabling security services, unused regions)";
            out.push(f);
        }
        if reach.reachable() * 1000 < reach.total * ALMOST_NOTHING_PER_MILLE {
            let mut f = account_finding("org.scp-allows-almost-nothing", Severity::Low);
            let services: Vec<&str> = reach.services.keys().copied().collect();
            f.message = format!(
                "the SCPs of account {} allow {} of the catalog's {} actions{}{} (asked for a role they do not name)",
                a.name,
                reach.reachable(),
                reach.total,
                if reach.conditional > 0 {
                    format!(" ({} only with some context)", reach.conditional)
                } else {
                    String::new()
                },
                if services.is_empty() {
                    String::new()
                } else {
                    format!(", in {}", named_list(&services, "service"))
                }
            );
            f.why = "principals there can do almost nothing, whatever their policies grant: right for a closed or suspended account, a mistake anywhere else (an Allow detached at some level, a Deny too wide)";
            f.fix = "attach FullAWSAccess (or the allow-list the account needs) at every level from the root down to the account";
            out.push(f);
        }
        // An allow-list: some level allows no `*`.
        let allow_list = level_facts
            .iter()
            .any(|l| !l.iter().any(|d| d.allows_star_action));
        if !allow_list {
            continue;
        }
        let mut needed: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let principals = a
            .users
            .iter()
            .map(|&u| PrincipalIx::User(u))
            .chain(a.roles.iter().map(|&r| PrincipalIx::Role(r)));
        for p in principals {
            let arn = org.principal_arn(p);
            // SCPs do not apply to service-linked roles.
            if arn.contains(":role/aws-service-role/") {
                continue;
            }
            let mut services: Vec<&'static str> = Vec::new();
            for policy in org.identity_policies(p) {
                let doc = org.policy(policy).doc;
                let grants = granted
                    .entry(doc)
                    .or_insert_with(|| granted_services(&org.doc(policy).text));
                // An AWS managed policy bundles the services around its own
                // (AmazonEC2FullAccess grants autoscaling, elasticloadbalancing,
                // cloudwatch...): only one about a single service shows a need.
                let aws_managed = matches!(org.policy(policy).origin, PolicyOrigin::AwsManaged);
                if let Some(g) = grants
                    && (!aws_managed || g.len() == 1)
                {
                    services.extend(g.iter().copied());
                }
            }
            services.sort_unstable();
            services.dedup();
            for s in services {
                if !reach.services.contains_key(s) {
                    needed
                        .entry(s)
                        .or_default()
                        .push(arn.rsplit('/').next().unwrap_or(arn).to_string());
                }
            }
        }
        for (service, mut who) in needed {
            who.sort();
            who.dedup();
            let mut f = account_finding("org.allow-list-missing-service", Severity::Low);
            f.subject = Some(service.to_string());
            let names: Vec<&str> = who.iter().map(String::as_str).collect();
            f.message = format!(
                "the allow-list SCPs of account {} allow no {service} action, yet policies of {} grant {service} actions",
                a.name,
                named_list(&names, "principal")
            );
            f.why = "an allow-list that leaves out a service the account's principals are granted refuses them every call to it: their workload fails, or they ask for a wider exception";
            f.fix = "add the service's actions the workload needs to the allow-list SCP at the level that lacks them, or remove the grant if it is not needed";
            out.push(f);
        }
    }
}

/// Up to [`NAMED`] names, then how many more.
fn named_list(names: &[&str], what: &str) -> String {
    let shown = names
        .iter()
        .take(NAMED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if names.len() > NAMED {
        format!(
            "{} {what}{}: {shown} and {} more",
            names.len(),
            plural(names.len()),
            names.len() - NAMED
        )
    } else {
        format!("{} {what}{}: {shown}", names.len(), plural(names.len()))
    }
}

/// What an SCP's text says, for the account-wide rules.
#[derive(Debug, Clone, Default)]
struct DocFacts {
    /// An unconditional Allow of every action on every resource.
    allows_everything: bool,
    /// An Allow whose actions include `*` (with or without conditions): the level
    /// is not an allow-list.
    allows_star_action: bool,
    /// A Deny statement that can apply to some request: not one whose conditions
    /// never hold, nor one whose actions match nothing the catalog knows.
    live_deny: bool,
}

impl DocFacts {
    fn of(text: &str) -> DocFacts {
        let Ok(doc) = serde_json::from_str::<Value>(text) else {
            // Unreadable: assume it denies, never that it allows.
            return DocFacts {
                live_deny: true,
                ..DocFacts::default()
            };
        };
        let mut out = DocFacts::default();
        let catalog = Catalog::get();
        for s in super::statements(&doc) {
            let actions = strings(s.get("Action"));
            let star = actions.iter().any(|a| *a == "*" || *a == "*:*");
            match s.get("Effect").and_then(Value::as_str) {
                Some("Allow") => {
                    out.allows_star_action |= star;
                    let plain = ["Condition", "NotResource", "NotAction", "NotPrincipal"]
                        .iter()
                        .all(|k| s.get(k).is_none());
                    out.allows_everything |=
                        star && plain && strings(s.get("Resource")).contains(&"*");
                }
                Some("Deny") => {
                    let matches_nothing = s.get("NotAction").is_none()
                        && !actions.is_empty()
                        && actions
                            .iter()
                            .all(|a| *a != "*" && catalog.expand(a).is_empty());
                    if super::conditions::never_met(s).is_none() && !matches_nothing {
                        out.live_deny = true;
                    }
                }
                _ => out.live_deny = true,
            }
        }
        out
    }
}

/// The services whose actions an identity policy's Allow statements name (not `*`,
/// not `NotAction`); `None` for a job-function grant of many services.
fn granted_services(text: &str) -> Option<Vec<&'static str>> {
    let doc = serde_json::from_str::<Value>(text).ok()?;
    let catalog = Catalog::get();
    let mut out: Vec<&'static str> = Vec::new();
    for s in super::statements(&doc) {
        if s.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        for a in strings(s.get("Action")) {
            let Some((prefix, _)) = a.split_once(':') else {
                continue;
            };
            if prefix.contains(['*', '?']) {
                continue;
            }
            if let Some(info) = catalog.service_info(&prefix.to_ascii_lowercase())
                && !catalog.expand(a).is_empty()
            {
                out.push(info.prefix);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    (out.len() <= WIDE_GRANT_SERVICES).then_some(out)
}

/// AWS's own FullAWSAccess SCP: it allows everything and denies nothing.
fn aws_full_access(org: &Org, p: PolicyIx) -> bool {
    let rec = org.policy(p);
    rec.arn
        .as_deref()
        .is_some_and(|a| a.ends_with("::aws:policy/service_control_policy/p-FullAWSAccess"))
        || rec.id.as_deref() == Some("p-FullAWSAccess")
}
