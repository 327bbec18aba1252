//! Can principal P do action A on every resource a pattern covers
//! (`arn:aws:s3:::payroll/*`, `*`)? The answer is about a set: allowed on every
//! resource it covers, on some of them, or on none.
//!
//! The resources a pattern covers are the ARNs of the action's resource types (the
//! AWS catalog's templates) that match it: those the org holds, and those it does
//! not. Each resource the org holds by ARN (a role for the actions that assume it, a
//! bucket, a key) is decided on its own. For the rest, a request's decision depends on
//! its resource only through which `Resource` and `NotResource` patterns of the
//! policies match it, which bucket holds it (its policy), and its account; so they
//! split into classes of resources that every policy treats alike, each found exactly
//! as a region of the patterns' regular languages, per class of accounts that decide
//! alike, with one ARN standing for it. Every resource is decided as [`super::can`]
//! decides it, through the engine's fast path; only the examples are explained.
//!
//! IAM matches ARNs segment by segment (IAM User Guide, "IAM JSON policy elements:
//! Resource"), and so do the regions here: a wildcard takes no `:` but in the
//! resource part.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use std::sync::Arc;

use rayon::prelude::*;

use super::AnalysisError;
use super::assemble::Ask;
use crate::engine::Decision;
use crate::org::Org;

/// Whether `resource` asks about a set of resources: it holds a wildcard, and it is
/// not the `*` of an action that acts on no particular resource (that `*` is the one
/// resource AWS authorizes such an action against).
pub fn is_pattern(action: &str, resource: &str) -> bool {
    if !resource.contains(['*', '?']) {
        return false;
    }
    if resource == "*" {
        return crate::catalog::Catalog::get()
            .action(action)
            .is_some_and(|a| !a.resource_types.is_empty());
    }
    true
}

/// The answer about a pattern.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatternAnswer {
    pub principal: String,
    pub action: String,
    /// The pattern asked.
    pub resource: String,
    /// `allowedOnEvery`, `allowedOnSome` or `allowedOnNone`.
    pub outcome: Outcome,
    /// One resource covered where it is allowed (for `allowedOnSome` and
    /// `allowedOnEvery`), with what decides it.
    pub allowed_example: Option<Example>,
    /// One resource covered where it is denied (for `allowedOnSome` and
    /// `allowedOnNone`).
    pub denied_example: Option<Example>,
    /// One resource for each class of resources the policies treat alike, with its
    /// decision: every resource of a class has the same.
    pub classes: Vec<Example>,
    /// What the answer takes for granted: resources left out and why.
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    AllowedOnEvery,
    AllowedOnSome,
    AllowedOnNone,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::AllowedOnEvery => "AllowedOnEvery",
            Outcome::AllowedOnSome => "AllowedOnSome",
            Outcome::AllowedOnNone => "AllowedOnNone",
        })
    }
}

/// One resource standing for its class.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub resource: String,
    /// The org holds it (or its bucket), with its own policy.
    pub held: bool,
    pub decision: Decision,
    /// How many classes this one stands for: held resources of the same decision,
    /// deciding layer and resource policy are shown once.
    pub alike: usize,
    /// `can`'s sentence for it, for the allowed and denied examples (the others are
    /// decided without an explanation: ask `can` on the resource for one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// At most this many states per search are explored, and this many classes of
/// resources the org does not hold kept; beyond, the question is refused rather than
/// answered from a part.
const MAX_STATES: usize = 200_000;
const MAX_CLASSES: usize = 20_000;

/// The patterns of the resources AWS owns whatever the policies say (see
/// [`crate::engine::aws_owned`]): a class never mixes them with others.
const AWS_OWNED_PATTERNS: &[&str] = &[
    "arn:*:iam::aws:policy/*",
    "arn:*:iam::*:role/aws-reserved/*",
    "arn:*:iam::*:role/aws-reserved/sso.amazonaws.com/*",
    "arn:*:iam::*:role/aws-service-role/*",
    "arn:*:kms:*:*:alias/aws/*",
];

/// One resource to decide, standing for itself (a resource the org holds) or for a
/// class of resources (a region of the policies' patterns).
struct Unit {
    resource: String,
    held: bool,
    /// A resource the org holds, named by its ARN: units of the same decision and
    /// resource policy are shown as one class.
    literal: bool,
    /// For a literal unit, its resource policy's document (the address of the
    /// compiled policy: roles share their trust policy's text), found once.
    policy: Option<usize>,
}

/// What the light decision path gives for one resource: no explanation.
struct Decided {
    principal: String,
    decision: Decision,
    blocked_by: Option<crate::engine::Layer>,
    resource_account: Option<String>,
    resource_account_assumed: bool,
    assumptions: Vec<String>,
}

/// The asked pattern, and the ARN shapes of the action's resource types (any ARN for
/// an action the catalog gives none).
fn asked_and_shapes(ask: &Ask, partition: &str) -> Result<(Glob, Vec<Glob>), AnalysisError> {
    let asked = arn_glob(&ask.resource, partition)
        .ok_or_else(|| AnalysisError::NotAResourcePattern(ask.resource.clone()))?;
    let t = templates(&ask.action, partition);
    let shapes = if t.is_empty() {
        vec![Glob(vec![Tok::Star { colon: true }])]
    } else {
        t
    };
    Ok((asked, shapes))
}

/// A request for `action` on `*` with no principal: statements are matched against it
/// for their action alone. `None` for an action that is no `service:Action`.
pub fn action_probe(action: &str) -> Option<crate::policy::Request> {
    crate::policy::Request::new(
        "anonymous",
        action,
        "*",
        None,
        crate::policy::Context::default(),
    )
    .ok()
}

/// Answers `who` on every resource the pattern `ask.resource` covers.
///
/// The covered set is cut into resources the org holds, each decided on its own, and
/// classes of resources it does not hold: for each class of accounts that decide
/// alike (see [`account_classes`]), the regions of the policies' Resource patterns,
/// one resource each. Each is decided by the engine as [`super::can`] decides it,
/// without the explanation, which only the examples get.
pub fn can_pattern(org: &Org, who: &str, ask: &Ask) -> Result<PatternAnswer, AnalysisError> {
    if ask.action.contains(['*', '?']) {
        return Err(AnalysisError::ActionPattern(ask.action.clone()));
    }
    let ask = &*super::assemble::with_session_of(who, ask);
    let partition = org.info().partition.clone();
    let (asked, shapes) = asked_and_shapes(ask, &partition)?;
    let subject = super::assemble::subject(org, who).ok();
    let common = common_patterns(org, subject, ask);
    let mut units = held_units(org, ask, &asked, &shapes, &common)?;
    let mut assumptions = Vec::new();
    let (not_held, outside) = not_held_units(org, ask, subject, &asked, &shapes, &common)?;
    units.extend(not_held);
    if outside {
        assumptions.push(
            "resources in accounts outside the organization are left out: orgscope does not \
             know their policies"
                .to_string(),
        );
    }
    if common.iter().any(|p| p.contains("${")) {
        assumptions.push(
            "a policy variable in a Resource pattern was taken as any text while finding \
             the classes; each resource shown was decided with the variable resolved"
                .to_string(),
        );
    }
    units.sort_by(|a, b| a.resource.cmp(&b.resource));
    units.dedup_by(|a, b| a.resource == b.resource);
    let decided: Vec<Result<Decided, AnalysisError>> = units
        .par_iter()
        .map(|u| {
            let one = Ask {
                resource: u.resource.clone(),
                ..ask.clone()
            };
            decide_one(org, who, subject, &one)
        })
        .collect();
    let mut principal = who.to_string();
    // Held resources named by ARN, shown as one class per decision, deciding layer
    // and resource policy, with how many they are.
    let mut groups: HashMap<(String, Option<usize>), usize> = HashMap::new();
    let mut classes: Vec<Example> = Vec::new();
    for (u, d) in units.into_iter().zip(decided) {
        let d = match d {
            Ok(d) => d,
            // The principal itself is unknown: the question is wrong, not the class.
            Err(
                e @ (AnalysisError::UnknownPrincipal(_)
                | AnalysisError::AmbiguousPrincipal { .. }
                | AnalysisError::CallerPoliciesInOrg(_)
                | AnalysisError::Request(crate::policy::RequestError::Principal(_))),
            ) => return Err(e),
            Err(e) => {
                assumptions.push(format!("`{}` is left out: {e}", u.resource));
                continue;
            }
        };
        principal = d.principal;
        if d.resource_account_assumed
            && !assumptions
                .iter()
                .any(|s| s.starts_with("resources whose ARN names no account"))
        {
            assumptions.push(format!(
                "resources whose ARN names no account and that the org does not hold \
                 (such as `{}`) were taken to be in the principal's account, {}; \
                 give --resource-account for another",
                u.resource,
                d.resource_account.as_deref().unwrap_or("unknown")
            ));
        }
        for s in d.assumptions {
            if !assumptions.contains(&s) {
                assumptions.push(s);
            }
        }
        if u.literal {
            let policy = u.policy;
            let decided_by = format!("{} {:?}", d.decision, d.blocked_by);
            match groups.entry((decided_by, policy)) {
                std::collections::hash_map::Entry::Occupied(e) => {
                    classes[*e.get()].alike += 1;
                    continue;
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(classes.len());
                }
            }
        }
        classes.push(Example {
            resource: u.resource,
            held: u.held,
            decision: d.decision,
            alike: 1,
            summary: None,
        });
    }
    if classes.is_empty() {
        return Err(AnalysisError::PatternCoversNothing(ask.resource.clone()));
    }
    // Held resources first: they are what a reader knows.
    classes.sort_by(|a, b| b.held.cmp(&a.held).then(a.resource.cmp(&b.resource)));
    let allowed = classes.iter().position(|c| c.decision == Decision::Allowed);
    let denied = classes.iter().position(|c| c.decision != Decision::Allowed);
    // Only the examples are explained: `can`'s own sentence for them.
    for i in allowed.iter().chain(denied.iter()) {
        let one = Ask {
            resource: classes[*i].resource.clone(),
            ..ask.clone()
        };
        let full = super::can(org, who, &one)?;
        classes[*i].summary = Some(full.summary);
        // What the example's explanation says orgscope did not evaluate (S3 ACLs), or
        // left to a Block Public Access setting it does not know.
        for note in full.explanation.notes {
            let acl =
                note.starts_with("S3 ACLs") || note.starts_with("the request sets a public ACL");
            if acl && !assumptions.contains(&note) {
                assumptions.push(note);
            }
        }
    }
    let outcome = match (allowed, denied) {
        (Some(_), None) => Outcome::AllowedOnEvery,
        (Some(_), Some(_)) => Outcome::AllowedOnSome,
        _ => Outcome::AllowedOnNone,
    };
    Ok(PatternAnswer {
        principal,
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        outcome,
        allowed_example: allowed.map(|i| classes[i].clone()),
        denied_example: denied.map(|i| classes[i].clone()),
        classes,
        assumptions,
    })
}

/// The decision `can` gives on one resource, through the engine's fast path: the
/// same assembly, no explanation. `subject` is `who` as the org holds it, found once
/// for every resource.
fn decide_one(
    org: &Org,
    who: &str,
    subject: Option<super::assemble::Subject>,
    ask: &Ask,
) -> Result<Decided, AnalysisError> {
    let found = match subject {
        Some(s) => Ok(s),
        None => super::assemble::subject(org, who),
    };
    let s = match found {
        Ok(s) => s,
        Err(e @ AnalysisError::UnknownPrincipal(_)) => {
            return match super::outside::outside_caller(org, who) {
                Some(caller) => {
                    let tgt = ask.checked_target(org)?;
                    let a = super::outside::assemble_outside(org, &caller, ask, &tgt)?;
                    let (decision, blocked_by) = crate::engine::decide(&a.request, &a.set);
                    Ok(Decided {
                        principal: a.request.principal().to_string(),
                        decision,
                        blocked_by,
                        resource_account: a.request.resource_account().map(str::to_string),
                        resource_account_assumed: a.request.resource_account_assumed(),
                        assumptions: a.assumptions,
                    })
                }
                None if who.starts_with("arn:") => match crate::policy::Principal::parse(who) {
                    Err(bad) => Err(AnalysisError::Request(bad.into())),
                    Ok(_) => Err(e),
                },
                None => Err(e),
            };
        }
        Err(e) => return Err(e),
    };
    let a = super::assemble::assemble(org, s, ask)?;
    if !ask.caller_policies.is_empty() {
        return Err(AnalysisError::CallerPoliciesInOrg(
            a.request.principal().to_string(),
        ));
    }
    let (decision, blocked_by) = crate::engine::decide(&a.request, &a.set);
    Ok(Decided {
        principal: a.request.principal().to_string(),
        decision,
        blocked_by,
        resource_account: a.request.resource_account().map(str::to_string),
        resource_account_assumed: a.request.resource_account_assumed(),
        assumptions: Vec::new(),
    })
}

/// The Resource patterns every resource's request may meet, whatever its own policy:
/// the subject's identity policies and boundary, the question's policies, every SCP
/// and RCP of the org, and the patterns of what AWS owns; with policy variables also
/// filled with the values the principal gives them.
fn common_patterns(org: &Org, subject: Option<super::assemble::Subject>, ask: &Ask) -> Vec<String> {
    let mut levels: Vec<crate::org::PolicyIx> = Vec::new();
    for a in 0..org.accounts().len() {
        let a = crate::org::AccountIx::new(a);
        levels.extend(org.scp_levels(a).iter().flatten());
        levels.extend(org.rcp_levels(a).iter().flatten());
    }
    let mut values: Vec<String> = ask.context.iter().flat_map(|(_, v)| v.clone()).collect();
    if let Some(super::assemble::Subject::Principal(p)) = subject {
        levels.extend(org.identity_policies(p));
        levels.extend(org.boundary(p));
        let tags = match p {
            crate::org::PrincipalIx::User(u) => &org.user(u).tags,
            crate::org::PrincipalIx::Role(r) => &org.role(r).tags,
        };
        values.extend(tags.iter().map(|t| t.value.to_string()));
        values.push(org.account(org.principal_account(p)).id.to_string());
        let arn = org.principal_arn(p);
        values.push(arn.rsplit(['/', ':']).next().unwrap_or(arn).to_string());
    }
    if let Some(super::assemble::Subject::Root(a)) = subject {
        values.push(org.account(a).id.to_string());
    }
    levels.sort_unstable_by_key(|p| p.index());
    levels.dedup();
    let given = ask.session_policy.iter().chain(ask.caller_policies.iter());
    let policies = levels.iter().map(|&p| &**org.compiled(p));
    let mut out = with_values(
        statement_patterns(&ask.action, policies.chain(given.map(|p| &**p))),
        &values,
    );
    out.extend(AWS_OWNED_PATTERNS.iter().map(|p| p.to_string()));
    out.sort();
    out.dedup();
    out
}

/// The org's resources the pattern covers: each one named by ARN (a role for the
/// actions that assume it, a bucket, a key, a queue...) is a unit of its own; a
/// bucket's objects are cut along the policies' patterns and its own policy's.
fn held_units(
    org: &Org,
    ask: &Ask,
    asked: &Glob,
    shapes: &[Glob],
    common: &[String],
) -> Result<Vec<Unit>, AnalysisError> {
    let covered = |arn: &str| asked.matches(arn) && shapes.iter().any(|t| t.matches(arn));
    let mut literals: Vec<&str> = org.resources().iter().map(|r| &*r.arn).collect();
    literals.extend(org.roles().iter().map(|r| &*r.arn));
    // Tagged users and roles: their tags reach the request (assemble::target_tags),
    // so each is decided on its own.
    literals.extend(
        org.users()
            .iter()
            .filter(|u| !u.tags.is_empty())
            .map(|u| &*u.arn),
    );
    let mut units: Vec<Unit> = literals
        .into_iter()
        .filter(|arn| covered(arn))
        .filter_map(|arn| {
            let tagged = || !super::assemble::target_tags(org, &ask.action, arn).is_empty();
            let policy = match super::assemble::resource_holder(org, &ask.action, arn) {
                Some((policy, _)) => policy,
                None if tagged() => None,
                None => return None,
            };
            Some(Unit {
                resource: arn.to_string(),
                held: true,
                literal: true,
                policy: policy.map(|p| Arc::as_ptr(org.compiled(p)) as usize),
            })
        })
        .collect();
    let buckets: Vec<&crate::org::Resource> = org
        .resources()
        .iter()
        .filter(|r| r.kind == crate::org::ResourceKind::S3Bucket)
        .collect();
    let found: Vec<Result<Vec<String>, AnalysisError>> = buckets
        .par_iter()
        .map(|b| {
            let prefix = format!("{}/", b.arn);
            // Patterns that match none of the bucket's objects cannot cut them; and
            // where the asked one is such, nothing of the bucket is covered.
            let objects_pattern = format!("{prefix}*");
            if !may_meet(&ask.resource, &objects_pattern) {
                return Ok(Vec::new());
            }
            let Some(objects) = arn_glob(&format!("{prefix}*"), "*") else {
                return Ok(Vec::new());
            };
            let own = b.policy.map(|p| &**org.compiled(p));
            let mut optional: Vec<String> = common
                .iter()
                .filter(|p| may_meet(p, &objects_pattern))
                .cloned()
                .collect();
            optional.extend(with_values(
                statement_patterns(&ask.action, own),
                &[b.arn.to_string()],
            ));
            let optional = globs(&optional);
            let mut out = Vec::new();
            for shape in shapes {
                let required = [asked.clone(), shape.clone(), objects.clone()];
                let found = regions(&required, &optional, &prefix, MAX_STATES)
                    .ok_or_else(|| AnalysisError::PatternTooLarge(ask.resource.clone()))?;
                out.extend(found.into_iter().map(|(_, text)| text));
            }
            Ok(out)
        })
        .collect();
    for texts in found {
        units.extend(texts?.into_iter().map(|resource| Unit {
            resource,
            held: true,
            literal: false,
            policy: None,
        }));
    }
    Ok(units)
}

/// One resource for each class of the covered resources the org does not hold, and
/// whether the pattern also covers accounts outside the organization (left out).
fn not_held_units(
    org: &Org,
    ask: &Ask,
    subject: Option<super::assemble::Subject>,
    asked: &Glob,
    shapes: &[Glob],
    common: &[String],
) -> Result<(Vec<Unit>, bool), AnalysisError> {
    let segment = |text: &str| -> String {
        if text == "*" {
            "*".to_string()
        } else {
            crate::policy::split_arn(text, 6)
                .get(4)
                .map_or_else(String::new, |s| s.to_string())
        }
    };
    let asked_account = segment(&ask.resource);
    let classes = account_classes(org, ask, subject, &asked_account, common);
    let held = |text: &str| super::assemble::resource_holder(org, &ask.action, text).is_some();
    // Each run: the regions in one account (or in none, for ARNs that name none),
    // with the held resources that turn up as a region's resource taken out of it.
    let run = |pin: &str, members: &[String]| -> Result<Vec<String>, AnalysisError> {
        let mut optional: Vec<String> = common.to_vec();
        let base = optional.len();
        let pin_glob = arn_glob(&format!("arn:*:*:*:{pin}:*"), "*")
            .ok_or_else(|| AnalysisError::NotAResourcePattern(ask.resource.clone()))?;
        loop {
            let globs_now = globs(&optional);
            let mut out = Vec::new();
            let mut more: Vec<String> = Vec::new();
            for shape in shapes {
                let required = [asked.clone(), shape.clone(), pin_glob.clone()];
                let found = regions(&required, &globs_now, "", MAX_STATES)
                    .ok_or_else(|| AnalysisError::PatternTooLarge(ask.resource.clone()))?;
                for (bits, text) in found {
                    // Inside a held resource's own pattern: held, decided on its own.
                    if bits.iter().any(|&b| b as usize >= base) {
                        continue;
                    }
                    if !held(&text) {
                        out.push(text);
                        continue;
                    }
                    // The same region in another account of the class, not held there.
                    let other = members
                        .iter()
                        .map(|m| with_account(&text, m))
                        .find(|t| !held(t));
                    match other {
                        Some(t) => out.push(t),
                        None => more.push(held_pattern(&text)),
                    }
                }
            }
            if more.is_empty() {
                return Ok(out);
            }
            // Never answered from a part: the regions left out would be unknown.
            if optional.len() > base + MAX_CLASSES {
                return Err(AnalysisError::PatternTooLarge(ask.resource.clone()));
            }
            optional.extend(more);
        }
    };
    let mut texts = run("", &[])?;
    for members in &classes {
        texts.extend(run(&members[0], members)?);
        if texts.len() > MAX_CLASSES {
            return Err(AnalysisError::PatternTooLarge(ask.resource.clone()));
        }
    }
    let outside = shapes.iter().any(|t| !t.account_empty_only())
        && (asked_account.contains(['*', '?'])
            || (!asked_account.is_empty() && org.account_by_id(&asked_account).is_none()));
    let units = texts
        .into_iter()
        .map(|resource| Unit {
            resource,
            held: false,
            literal: false,
            policy: None,
        })
        .collect();
    Ok((units, outside))
}

/// The org's accounts the pattern's account segment covers, in classes that decide
/// alike for a resource the org does not hold: the same RCP levels, the principal's
/// own account or not, the same answer to every pattern's account segment, and the
/// same account id or org path where a policy reads `aws:ResourceAccount` or
/// `aws:ResourceOrgPaths` (IAM User Guide, "AWS global condition context keys").
/// Each class lists its account ids, the first standing for the others.
fn account_classes(
    org: &Org,
    ask: &Ask,
    subject: Option<super::assemble::Subject>,
    asked_account: &str,
    common: &[String],
) -> Vec<Vec<String>> {
    let given = ask.session_policy.is_some() || !ask.caller_policies.is_empty();
    let reads = |key: &str| {
        given
            || ask.context.iter().any(|(k, _)| k.eq_ignore_ascii_case(key))
            || org.docs().iter().any(|d| {
                d.text
                    .to_ascii_lowercase()
                    .contains(&key.to_ascii_lowercase())
            })
    };
    let reads_account = reads("aws:ResourceAccount");
    let reads_path = reads("aws:ResourceOrgPaths");
    let own = subject.map(|s| s.account(org));
    let asked = segment_glob(asked_account);
    let mut segments: Vec<Glob> = common
        .iter()
        .filter_map(|p| {
            crate::policy::split_arn(p, 6)
                .get(4)
                .map(|s| segment_glob(s))
        })
        .collect();
    segments.dedup();
    let mut classes: HashMap<_, Vec<String>> = HashMap::new();
    let mut order = Vec::new();
    for (i, account) in org.accounts().iter().enumerate() {
        let ix = crate::org::AccountIx::new(i);
        let id = account.id.to_string();
        if !asked.matches(&id) {
            continue;
        }
        let key = (
            own == Some(ix),
            org.rcp_levels(ix).to_vec(),
            reads_account.then(|| id.clone()),
            reads_path.then(|| super::assemble::org_path(org, ix)),
            segments
                .iter()
                .map(|g| g.matches(&id))
                .collect::<Vec<bool>>(),
        );
        let members = classes.entry(key).or_insert_with_key(|k| {
            order.push(k.clone());
            Vec::new()
        });
        members.push(id);
    }
    order
        .into_iter()
        .filter_map(|k| classes.remove(&k))
        .collect()
}

/// A segment's pattern (no `:` taken), as a pattern of its own.
fn segment_glob(text: &str) -> Glob {
    let mut toks = Vec::new();
    Glob::push_tokens(&mut toks, text, false);
    Glob(toks)
}

/// `text` (an ARN) with its account segment `account`.
fn with_account(text: &str, account: &str) -> String {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() < 6 {
        return text.to_string();
    }
    format!(
        "{}:{}:{}:{}:{account}:{}",
        parts[0], parts[1], parts[2], parts[3], parts[5]
    )
}

/// The pattern of what the org holds at `text`: a bucket's objects, or the resource.
fn held_pattern(text: &str) -> String {
    match crate::policy::Arn::parse(text) {
        Some(a) if a.service() == "s3" && a.resource().contains('/') => {
            let bucket = a.resource().split('/').next().unwrap_or_default();
            format!("arn:{}:s3:::{bucket}/*", a.partition())
        }
        _ => text.to_string(),
    }
}

/// Whether two ARN patterns may match a common ARN, judged from their literal starts
/// alone (up to the first wildcard or variable): false only when those differ, so a
/// pattern left out for it cuts nothing of the other's ARNs.
pub fn may_meet(a: &str, b: &str) -> bool {
    fn literal(p: &str) -> &str {
        let p = p.strip_prefix(CROSSING).unwrap_or(p);
        &p[..p.find(['*', '?', '$']).unwrap_or(p.len())]
    }
    let (a, b) = (literal(a), literal(b));
    a.starts_with(b) || b.starts_with(a)
}

/// Patterns as globs, index for index; one that is no ARN pattern matches nothing
/// (the empty pattern: every ARN has text).
fn globs(patterns: &[String]) -> Vec<Glob> {
    patterns
        .iter()
        .map(|p| arn_glob(p, "*").unwrap_or(Glob(Vec::new())))
        .collect()
}

/// One resource for each class of the resources `resource` (a pattern) covers for
/// `action`: of the action's resource types (the catalog's ARN templates, with the
/// partition `partition`), cut by `patterns` (the policies' Resource patterns and the
/// resources held) and by `accounts`. An account no pattern and no account of
/// `accounts` names is shown as a made-up text (not twelve digits).
pub fn cover(
    resource: &str,
    action: &str,
    partition: &str,
    mut patterns: Vec<String>,
    accounts: &[String],
) -> Result<Vec<String>, AnalysisError> {
    let asked = arn_glob(resource, partition)
        .ok_or_else(|| AnalysisError::NotAResourcePattern(resource.to_string()))?;
    patterns.sort();
    patterns.dedup();
    let mut optional: Vec<Glob> = patterns
        .iter()
        .filter(|p| may_meet(p, resource))
        .filter_map(|p| arn_glob(p, "*"))
        .filter(|g| g.0 != [Tok::Star { colon: true }])
        .collect();
    // The org's accounts cut the covered set too: each account has its own SCPs and
    // RCPs, and an account outside the org is told apart.
    optional.extend(
        accounts
            .iter()
            .filter_map(|a| arn_glob(&format!("arn:*:*:*:{a}:*"), "*")),
    );
    optional.sort_by_cached_key(|g| format!("{g:?}"));
    optional.dedup();
    let templates = templates(action, partition);
    let shapes: Vec<Option<Glob>> = if templates.is_empty() {
        vec![None]
    } else {
        templates.into_iter().map(Some).collect()
    };
    let mut out = Vec::new();
    for template in shapes {
        let mut required = vec![asked.clone()];
        required.extend(template);
        let found = regions(&required, &optional, "", MAX_STATES)
            .ok_or_else(|| AnalysisError::PatternTooLarge(resource.to_string()))?;
        out.extend(found.into_iter().map(|(_, text)| text));
    }
    if out.len() > MAX_CLASSES {
        return Err(AnalysisError::PatternTooLarge(resource.to_string()));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The Resource and NotResource patterns of the statements of `policies` that may
/// apply to `action`.
pub fn statement_patterns<'p>(
    action: &str,
    policies: impl IntoIterator<Item = &'p crate::policy::Policy>,
) -> Vec<String> {
    let Some(probe) = action_probe(action) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for policy in policies {
        for s in policy.statements() {
            if !s.covers_action(&probe) {
                continue;
            }
            if let Some((negated, rs)) = s.resource_patterns() {
                out.extend(rs.iter().filter(|r| *r != "*").cloned());
                // A Deny's Resource and an Allow's NotResource reach across colons
                // where a `*` ends a segment: that reach is a class boundary too.
                if (s.effect == crate::policy::Effect::Deny) != negated {
                    out.extend(
                        rs.iter()
                            .filter(|r| crossing_glob(r).is_some())
                            .map(|r| format!("{CROSSING}{r}")),
                    );
                }
            }
        }
    }
    out
}

/// An ARN pattern as one pattern over the whole ARN: in the partition, service,
/// region and account a wildcard stays inside its segment (never takes a `:`), in the
/// resource it takes anything; `*` alone is every ARN. `None` when the text is not
/// shaped like an ARN.
fn arn_glob(text: &str, partition: &str) -> Option<Glob> {
    if let Some(pattern) = text.strip_prefix(CROSSING) {
        return crossing_glob(pattern);
    }
    if text == "*" {
        return Some(Glob(vec![Tok::Star { colon: true }]));
    }
    let parts = crate::policy::split_arn(text, 6);
    if parts.len() != 6 || parts[0] != "arn" {
        return None;
    }
    let mut toks: Vec<Tok> = "arn:".chars().map(Tok::Lit).collect();
    for (i, seg) in parts[1..].iter().enumerate() {
        if i > 0 {
            toks.push(Tok::Lit(':'));
        }
        // Templates name the partition as a variable: the org's own.
        let seg = if i == 0 && seg.starts_with("${") {
            partition
        } else {
            seg
        };
        Glob::push_tokens(&mut toks, seg, i == 4);
    }
    Some(Glob(toks))
}

/// Marks a pattern of [`statement_patterns`] to be read as [`crossing_glob`] reads it.
const CROSSING: &str = "\u{1}crossing:";

/// The pattern as a Deny's Resource (or an Allow's NotResource) is matched: a `*`
/// that ends a segment also takes colons (IAM User Guide, "IAM JSON policy elements:
/// Resource"; [`crate::policy::arn`]). `None` when that changes nothing. A class
/// boundary beside the pattern's own, so that the resources it covers only so are
/// decided apart.
fn crossing_glob(text: &str) -> Option<Glob> {
    let parts = crate::policy::split_arn(text, 6);
    if parts.len() != 6 || parts[0] != "arn" {
        return None;
    }
    let mut toks: Vec<Tok> = "arn:".chars().map(Tok::Lit).collect();
    let mut crossed = false;
    for (i, seg) in parts[1..].iter().enumerate() {
        if i > 0 {
            toks.push(Tok::Lit(':'));
        }
        Glob::push_tokens(&mut toks, seg, i == 4);
        if i < 4
            && seg.ends_with('*')
            && !seg.ends_with("${*}")
            && let Some(last) = toks.last_mut()
        {
            *last = Tok::Star { colon: true };
            crossed = true;
        }
    }
    crossed.then_some(Glob(toks))
}

/// The ARN templates of the action's resource types, as patterns.
fn templates(action: &str, partition: &str) -> Vec<Glob> {
    let catalog = crate::catalog::Catalog::get();
    let Some(a) = catalog.action(action) else {
        return Vec::new();
    };
    let Some(service) = catalog.service_info(a.service) else {
        return Vec::new();
    };
    a.resource_types
        .iter()
        .filter_map(|t| service.resources.iter().find(|d| d.name == t.name))
        .filter_map(|d| arn_glob(&named_parts(&d.arn, partition), partition))
        .collect()
}

/// A template with its partition the org's and every other variable part
/// (`${BucketName}`, `${Account}`) one or more characters: AWS names no resource
/// with an empty name.
fn named_parts(template: &str, partition: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + end];
        out.push_str(if name == "Partition" { partition } else { "?*" });
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Patterns with policy variables, also with the values the principal may give them:
/// its name (`${aws:username}`) and the question's context values, so that the
/// principal's own part (`home/alice/*`) is a class of its own.
pub fn with_values(patterns: Vec<String>, values: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(patterns.len());
    for p in patterns {
        if p.contains("${") {
            for v in values {
                out.push(replace_variables(&p, v));
            }
        }
        out.push(p);
    }
    out
}

fn replace_variables(pattern: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str(value);
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A pattern over an ARN: literal characters, `*` (any run) and `?` (one), each
/// wildcard either free to take a `:` (the resource segment) or not; a policy
/// variable is taken as `*` (any value it may have).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Glob(Vec<Tok>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star { colon: bool },
    Quest { colon: bool },
}

impl Glob {
    /// Appends the tokens of one segment's text.
    fn push_tokens(toks: &mut Vec<Tok>, text: &str, colon: bool) {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("${")
                && let Some(end) = rest.find('}')
            {
                if toks.last() != Some(&Tok::Star { colon }) {
                    toks.push(Tok::Star { colon });
                }
                rest = &rest[end + 1..];
                continue;
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if toks.last() == Some(&Tok::Star { colon }) => {}
                '*' => toks.push(Tok::Star { colon }),
                '?' => toks.push(Tok::Quest { colon }),
                c => toks.push(Tok::Lit(c)),
            }
        }
    }

    /// Whether the pattern matches the whole of `text`. Called on every ARN the org
    /// holds: `*` answers at once, and the others step two buffers in turn.
    fn matches(&self, text: &str) -> bool {
        if self.0 == [Tok::Star { colon: true }] {
            return true;
        }
        let mut set = self.start();
        let mut next = Vec::with_capacity(set.capacity().max(4));
        for c in text.chars() {
            self.step_into(&set, c, &mut next);
            if next.is_empty() {
                return false;
            }
            std::mem::swap(&mut set, &mut next);
        }
        self.accepts(&set)
    }

    /// Whether the ARNs it matches all have an empty account segment (S3's).
    fn account_empty_only(&self) -> bool {
        let mut colons = 0;
        let mut prev_colon = false;
        for t in &self.0 {
            match t {
                Tok::Lit(':') => {
                    colons += 1;
                    if colons == 5 {
                        return prev_colon;
                    }
                    prev_colon = true;
                }
                Tok::Star { colon: true } | Tok::Quest { colon: true } => return false,
                _ => prev_colon = false,
            }
        }
        false
    }

    fn literals(&self) -> impl Iterator<Item = char> + '_ {
        self.0.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    /// The positions reachable without reading a character.
    fn close(&self, set: &mut Vec<u16>) {
        let mut i = 0;
        while i < set.len() {
            let p = set[i] as usize;
            if matches!(self.0.get(p), Some(Tok::Star { .. })) && !set.contains(&(p as u16 + 1)) {
                set.push(p as u16 + 1);
            }
            i += 1;
        }
        set.sort_unstable();
        set.dedup();
    }

    fn start(&self) -> Vec<u16> {
        let mut s = vec![0];
        self.close(&mut s);
        s
    }

    fn step(&self, set: &[u16], c: char) -> Vec<u16> {
        let mut next = Vec::new();
        self.step_into(set, c, &mut next);
        next
    }

    /// The positions after reading `c` from `set`, into `next` (emptied first).
    fn step_into(&self, set: &[u16], c: char, next: &mut Vec<u16>) {
        next.clear();
        for &p in set {
            match self.0.get(p as usize) {
                Some(Tok::Lit(x)) if *x == c => next.push(p + 1),
                Some(Tok::Quest { colon }) if *colon || c != ':' => next.push(p + 1),
                Some(Tok::Star { colon }) if *colon || c != ':' => next.push(p),
                _ => {}
            }
        }
        self.close(next);
    }

    fn accepts(&self, set: &[u16]) -> bool {
        set.contains(&(self.0.len() as u16))
    }
}

/// A state of the search: where each required pattern is, and where each optional
/// pattern still alive is (a pattern that can no longer match is dropped).
type State = (Vec<Vec<u16>>, Vec<(u32, Vec<u16>)>);

/// Every combination of `optional` patterns matched and not matched that some text
/// matching all of `required` realizes, each with the shortest such text (as the
/// sorted indices of the optional patterns it matches). One character that no
/// pattern names stands for every other: patterns can tell it apart only with `*` and
/// `?`, which take any (but `:`, named by every ARN pattern). Every text begins with
/// `prefix`, read first without a search. `None` when more than `cap` states would be
/// explored.
fn regions(
    required: &[Glob],
    optional: &[Glob],
    prefix: &str,
    cap: usize,
) -> Option<Vec<(Vec<u32>, String)>> {
    let mut alphabet: Vec<char> = required
        .iter()
        .chain(optional)
        .flat_map(Glob::literals)
        .collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let fresh = "xzqjkvwXZQJKVWYabcdefghilmnoprstuyABCDEFGHILMNOPRSTU0123456789"
        .chars()
        .find(|c| !alphabet.contains(c))
        .unwrap_or('~');
    // Tried first: the texts found read as made up, not as a name a policy gives.
    alphabet.insert(0, fresh);
    let mut start: State = (
        required.iter().map(Glob::start).collect(),
        optional
            .iter()
            .enumerate()
            .map(|(i, g)| (i as u32, g.start()))
            .collect(),
    );
    for c in prefix.chars() {
        for (g, s) in required.iter().zip(start.0.iter_mut()) {
            *s = g.step(s, c);
            if s.is_empty() {
                return Some(Vec::new());
            }
        }
        start.1 = start
            .1
            .into_iter()
            .filter_map(|(i, s)| {
                let n = optional[i as usize].step(&s, c);
                (!n.is_empty()).then_some((i, n))
            })
            .collect();
    }
    let mut seen: HashSet<State> = HashSet::new();
    let mut found: HashMap<Vec<u32>, String> = HashMap::new();
    let mut order: Vec<Vec<u32>> = Vec::new();
    let mut queue = VecDeque::new();
    seen.insert(start.clone());
    queue.push_back((start, prefix.to_string()));
    while let Some(((req, opt), text)) = queue.pop_front() {
        if required.iter().zip(&req).all(|(g, s)| g.accepts(s)) {
            let bits: Vec<u32> = opt
                .iter()
                .filter(|(i, s)| optional[*i as usize].accepts(s))
                .map(|(i, _)| *i)
                .collect();
            if let std::collections::hash_map::Entry::Vacant(e) = found.entry(bits) {
                order.push(e.key().clone());
                e.insert(text.clone());
            }
        }
        for &c in &alphabet {
            let next_req: Vec<Vec<u16>> = required
                .iter()
                .zip(&req)
                .map(|(g, s)| g.step(s, c))
                .collect();
            if next_req.iter().any(Vec::is_empty) {
                continue;
            }
            let next_opt: Vec<(u32, Vec<u16>)> = opt
                .iter()
                .filter_map(|(i, s)| {
                    let n = optional[*i as usize].step(s, c);
                    (!n.is_empty()).then_some((*i, n))
                })
                .collect();
            let next = (next_req, next_opt);
            if seen.contains(&next) {
                continue;
            }
            if seen.len() >= cap {
                return None;
            }
            seen.insert(next.clone());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    Some(
        order
            .into_iter()
            .map(|bits| {
                let text = found.remove(&bits).unwrap_or_default();
                (bits, text)
            })
            .collect(),
    )
}

/// One resource for each class of the resources `ask.resource` (a pattern) covers, as
/// every policy of the org cuts them (for who-can, which asks of every principal at
/// once): each resource the org holds by ARN, a bucket's objects cut along every
/// pattern, and the classes of the rest. A class's resource whose ARN names no account
/// is shown with a made-up account text, which who-can takes as each principal's own
/// account. Policy variables are taken as any text here: [`variable_patterns`] gives
/// the patterns to fill in per principal.
pub fn org_classes(org: &Org, ask: &Ask) -> Result<Vec<String>, AnalysisError> {
    if ask.action.contains(['*', '?']) {
        return Err(AnalysisError::ActionPattern(ask.action.clone()));
    }
    let partition = org.info().partition.clone();
    let (asked, shapes) = asked_and_shapes(ask, &partition)?;
    let common = org_patterns(org, ask);
    // A user or role held only for its tags is a class of its own only where a policy
    // may read its tags for this action; otherwise it is like any other of its region.
    let tags_read = reads_resource_tags(org, ask);
    let mut out: Vec<String> = held_units(org, ask, &asked, &shapes, &common)?
        .into_iter()
        .filter(|u| {
            tags_read
                || !u.literal
                || super::assemble::resource_holder(org, &ask.action, &u.resource).is_some()
        })
        .map(|u| u.resource)
        .collect();
    out.extend(cover(&ask.resource, &ask.action, &partition, common, &[])?);
    if out.len() > MAX_CLASSES {
        return Err(AnalysisError::PatternTooLarge(ask.resource.clone()));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Whether a statement of the org (or of the question) that may apply to `ask.action`
/// reads a resource's tags (`aws:ResourceTag/...`, `iam:ResourceTag/...`), in a
/// condition key or value or in a Resource pattern.
fn reads_resource_tags(org: &Org, ask: &Ask) -> bool {
    let Some(probe) = action_probe(&ask.action) else {
        return true;
    };
    let given = ask.session_policy.iter().chain(ask.caller_policies.iter());
    let tagged = |t: &str| t.to_ascii_lowercase().contains("resourcetag");
    org.docs()
        .iter()
        .map(|d| &*d.policy)
        .chain(given.map(|p| &**p))
        .flat_map(|p| p.statements())
        .filter(|s| s.covers_action(&probe))
        .any(|s| {
            s.conditions
                .iter()
                .any(|c| tagged(&c.key) || c.raw_values.iter().any(|v| tagged(v)))
                || s.resource_patterns()
                    .is_some_and(|(_, rs)| rs.iter().any(|r| tagged(r)))
        })
}

/// The Resource and NotResource patterns of every policy of the org (and of the
/// question) that may apply to `ask.action`, with those of what AWS owns.
pub fn org_patterns(org: &Org, ask: &Ask) -> Vec<String> {
    let given = ask.session_policy.iter().chain(ask.caller_policies.iter());
    let policies = org.docs().iter().map(|d| &*d.policy);
    let mut common = statement_patterns(&ask.action, policies.chain(given.map(|p| &**p)));
    common.extend(AWS_OWNED_PATTERNS.iter().map(|p| p.to_string()));
    common.sort();
    common.dedup();
    common
}

/// The Resource patterns with a policy variable among `policies`' statements that may
/// apply to `action`: the classes they cut depend on who asks.
pub fn variable_patterns<'p>(
    action: &str,
    policies: impl IntoIterator<Item = &'p crate::policy::Policy>,
) -> Vec<String> {
    let mut out: Vec<String> = statement_patterns(action, policies)
        .into_iter()
        .filter(|p| p.contains("${"))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Glob {
        arn_glob(s, "aws").unwrap()
    }

    #[test]
    fn regions_cut_the_asked_pattern_along_the_policies() {
        // `payroll/*` cut by `payroll/public/*`: inside and outside it.
        let r = regions(
            &[g("arn:aws:s3:::payroll/*")],
            &[g("arn:aws:s3:::payroll/public/*")],
            "",
            10_000,
        )
        .unwrap();
        let bits: HashSet<Vec<u32>> = r.iter().map(|(b, _)| b.clone()).collect();
        assert_eq!(bits, HashSet::from([vec![0], vec![]]));
        for (b, text) in &r {
            assert!(text.starts_with("arn:aws:s3:::payroll/"));
            assert_eq!(
                text.starts_with("arn:aws:s3:::payroll/public/"),
                !b.is_empty(),
                "{text}"
            );
        }
        // A pattern that covers the asked one leaves one region.
        let r = regions(
            &[g("arn:aws:s3:::payroll/*")],
            &[g("arn:aws:s3:::pay*")],
            "",
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, vec![0]);
        // Disjoint: never matched.
        let r = regions(
            &[g("arn:aws:s3:::payroll/*")],
            &[g("arn:aws:s3:::other/*")],
            "",
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 1);
        assert!(r[0].0.is_empty());
    }

    #[test]
    fn a_wildcard_stays_in_its_segment_but_the_resource() {
        // IAM User Guide, "IAM JSON policy elements: Resource": `*` in the account
        // segment does not reach into the resource; in the resource it crosses `:`.
        let r = regions(
            &[g("arn:aws:sqs:*:*:*")],
            &[g("arn:aws:sqs:*:1*:*")],
            "",
            10_000,
        )
        .unwrap();
        for (b, text) in &r {
            let account = text.split(':').nth(4).unwrap();
            assert_eq!(!b.is_empty(), account.starts_with('1'), "{text}");
        }
        assert_eq!(r.len(), 2);
        let r = regions(
            &[g("arn:aws:lambda:*:*:function:*")],
            &[g("arn:aws:lambda:*:*:function:f:*")],
            "",
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn a_fresh_character_stands_for_every_other() {
        let r = regions(
            &[g("arn:aws:s3:::a?c")],
            &[g("arn:aws:s3:::abc")],
            "",
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 2);
        assert!(
            r.iter()
                .any(|(b, t)| !b.is_empty() && t == "arn:aws:s3:::abc")
        );
        assert!(
            r.iter()
                .any(|(b, t)| b.is_empty() && t.len() == "arn:aws:s3:::abc".len())
        );
    }
}
