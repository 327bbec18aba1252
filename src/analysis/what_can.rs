//! What can principal P do? Every action of the AWS catalog that P's identity
//! policies allow, each evaluated through the full engine (SCPs, boundary, ...) on
//! the resources the granting statements name, grouped by service and access level.
//!
//! A statement's resource pattern is evaluated as a resource itself (`arn:aws:s3:::
//! app-*` stands for the objects it covers); a Deny that covers only part of an
//! allowed pattern is named beside the grant (`denied_within`), decided on one resource
//! of that part. Resources the org holds with a policy of their own are decided one by
//! one where that policy matters (see `beyond_patterns`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::AnalysisError;
use super::assemble::{Ask, Shared, Subject, assemble_shared, principal};
use crate::catalog::{AccessLevel, Catalog};
use crate::engine::{self, Decision};
use crate::org::{Org, PrincipalIx};
use crate::policy::{Context, Effect, Request, Wildcard};

/// Which actions to look at.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub service: Option<String>,
    pub level: Option<AccessLevel>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatCanAnswer {
    pub principal: String,
    /// Per service, per access level, how many actions are allowed.
    pub summary: BTreeMap<String, BTreeMap<String, usize>>,
    pub grants: Vec<Grant>,
    /// What the answer cannot see that could allow more than it lists: S3 ACLs and KMS
    /// grants, which the exports do not hold (only where the filter asks of S3 or KMS).
    pub caveats: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub action: String,
    pub level: AccessLevel,
    /// Resource patterns on which it is allowed.
    pub resources: Vec<String>,
    /// Context keys the grant needs (allowed only for some of their values).
    pub needs: Vec<String>,
    /// Rules of AWS that refuse the action on part of what the resource patterns
    /// cover (`identityCenterRole` for `iam:AttachRolePolicy` on `*`): the grant
    /// does not reach what AWS owns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<engine::AwsRule>,
    /// Resource patterns within `resources` that a Deny takes back (`arn:aws:s3:::
    /// secret/*` under `*`): the grant does not reach them, as `can` says of each.
    #[serde(rename = "deniedWithin", skip_serializing_if = "Vec::is_empty")]
    pub denied_within: Vec<String>,
}

pub fn what_can(
    org: &Org,
    who: &str,
    filter: &Filter,
    context: &[(String, Vec<String>)],
) -> Result<WhatCanAnswer, AnalysisError> {
    what_can_until(org, who, filter, context, super::Watch::NONE)
}

/// As [`what_can`], counting actions in `watch`'s progress and giving up (with
/// [`AnalysisError::Cancelled`]) as soon as its stop says so.
pub fn what_can_until(
    org: &Org,
    who: &str,
    filter: &Filter,
    context: &[(String, Vec<String>)],
    watch: super::Watch<'_>,
) -> Result<WhatCanAnswer, AnalysisError> {
    let p = principal(org, who)?;
    if let Some(s) = &filter.service
        && Catalog::get().service(&s.to_ascii_lowercase()).is_none()
    {
        return Err(AnalysisError::UnknownService(s.clone()));
    }
    what_can_ix(org, p, filter, context, watch).ok_or(AnalysisError::Cancelled)
}

pub fn what_can_ix(
    org: &Org,
    p: PrincipalIx,
    filter: &Filter,
    context: &[(String, Vec<String>)],
    watch: super::Watch<'_>,
) -> Option<WhatCanAnswer> {
    let catalog = Catalog::get();
    let arn = org.principal_arn(p);
    // Resources are taken from the Allow statements of the policies that must allow:
    // the identity policies and the boundary (a boundary may narrow `*` to one ARN).
    let granting: Vec<_> = org
        .identity_policies(p)
        .chain(org.boundary(p))
        .map(|x| org.compiled(x).clone())
        .collect();
    // The principal's own context, to turn `${aws:username}` into its name.
    let probe_ask = Ask {
        action: "sts:GetCallerIdentity".to_string(),
        resource: "*".to_string(),
        context: context.to_vec(),
        ..Ask::default()
    };
    // What every request of this principal shares, computed once.
    let probe_target = probe_ask.target(org);
    let mut shared = Shared::new(
        org,
        &probe_ask,
        &probe_target,
        Some(org.principal_account(p)),
    );
    let own_context = assemble_shared(
        org,
        Subject::Principal(p),
        &probe_ask,
        &probe_target,
        &shared,
    )
    .map(|a| a.request.context)
    .unwrap_or_default();
    // The resources each catalog action is granted on, statement by statement: a
    // statement is matched only against the actions of the services it names.
    let actions: Vec<&crate::catalog::Action> = catalog.actions().collect();
    let probes = catalog_probes();
    let wanted = |a: &crate::catalog::Action| {
        filter
            .service
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case(a.service))
            && filter.level.is_none_or(|l| l == a.level)
    };
    let mut per_action: Vec<Vec<String>> = vec![Vec::new(); actions.len()];
    for policy in &granting {
        for s in policy.statements() {
            if s.effect != Effect::Allow {
                continue;
            }
            // Pattern by pattern, each against its own service's actions only.
            let mut covered: Vec<usize> = if s.is_negated_action() {
                (0..actions.len())
                    .filter(|&i| probes[i].as_ref().is_some_and(|p| s.covers_action(p)))
                    .collect()
            } else {
                let mut hits = Vec::new();
                for k in 0..s.action_pattern_count() {
                    let all: Vec<usize>;
                    let candidates: &[usize] = match s.action_pattern_service(k) {
                        Some(svc) => catalog_service_indices(svc),
                        None => {
                            all = (0..actions.len()).collect();
                            &all
                        }
                    };
                    hits.extend(candidates.iter().copied().filter(|&i| {
                        probes[i]
                            .as_ref()
                            .is_some_and(|p| s.action_pattern_matches(k, p))
                    }));
                }
                hits
            };
            covered.sort_unstable();
            covered.dedup();
            for i in covered {
                if !wanted(actions[i]) {
                    continue;
                }
                match s.resource_patterns() {
                    Some((false, rs)) => per_action[i].extend(
                        rs.iter()
                            .filter_map(|r| crate::policy::substitute_variables(r, &own_context)),
                    ),
                    _ => per_action[i].push("*".to_string()),
                }
            }
        }
    }
    let beyond = beyond_patterns(org, p, &actions, probes, &wanted);
    let held_denies = held_denies(org, org.principal_account(p));
    let public_acl = engine::public_acl_in(&Context::from_pairs(context.iter().cloned()));
    let mut grants = Vec::new();
    watch.begin(actions.len());
    for ((action, mut resources), mut held) in actions.iter().zip(per_action).zip(beyond) {
        watch.advance(1);
        if watch.stopped() {
            return None;
        }
        let full = action.full_name();
        if resources.is_empty() && held.is_empty() {
            continue;
        }
        resources.sort();
        resources.dedup();
        held.sort();
        held.dedup();
        let n_patterns = resources.len();
        resources.extend(held);
        let mut allowed = Vec::new();
        // `allowed`, each compiled once.
        let mut allowed_globs = Vec::new();
        let mut needs = Vec::new();
        let mut cut_candidates: Vec<String> = Vec::new();
        let mut held_covered: Vec<String> = Vec::new();
        // Where the resource's own policy must allow (a role's trust policy, a key's
        // policy), a wildcard pattern has none: only the held resources it covers are
        // decided (`sts:AssumeRole` on `*` was listed as allowed, though no trust
        // policy had let the principal in).
        let trust = super::assemble::resource_holder_is_trust(&full);
        let key_action =
            action.service == "kms" && action.resource_types.iter().any(|t| t.name == "key");
        for (k, r) in resources.into_iter().enumerate() {
            // (An alias pattern names aliases, which have no policy of their own.)
            let names_keys = key_action && !r.contains(":alias/");
            if k < n_patterns && (trust || names_keys) && r.contains(['*', '?']) {
                continue;
            }
            // A held resource an allowed pattern covers is decided once more below, on
            // its own: it may sit in another account whose RCPs or policy deny (the
            // pattern is decided in the principal's account, which has neither), and is
            // then named in `denied_within`.
            if k >= n_patterns && allowed_globs.iter().any(|a: &Wildcard| a.matches(&r)) {
                held_covered.push(r);
                continue;
            }
            // A statement on an alias ARN never grants a key action: KMS authorizes it
            // on the key (see `Ask::checked_target`).
            if super::assemble::kms_alias_for_a_key_action(&full, &r).is_some() {
                continue;
            }
            // The question's context is in `shared` already.
            let ask = Ask {
                action: full.clone(),
                resource: r.clone(),
                ..Ask::default()
            };
            let tgt = ask.target(org);
            shared.retarget(org, &tgt);
            let Ok(mut a) = assemble_shared(org, Subject::Principal(p), &ask, &tgt, &shared) else {
                continue;
            };
            match engine::evaluate(&a.request, &a.set) {
                Decision::Allowed => {
                    if r.contains(['*', '?']) {
                        cut_candidates.extend(deny_patterns_within(&r, &a, &held_denies));
                    }
                    allowed_globs.push(Wildcard::new(&r));
                    allowed.push(r)
                }
                denied => {
                    let lets_in = engine::allowing_values(&mut a.request, &a.set, denied);
                    if !lets_in.is_empty() {
                        allowed_globs.push(Wildcard::new(&r));
                        allowed.push(r);
                        needs.extend(lets_in.into_iter().map(|(key, _)| key));
                    }
                }
            }
        }
        if allowed.is_empty() {
            continue;
        }
        // A Deny on part of an allowed pattern: decided on one resource of that part.
        cut_candidates.sort();
        cut_candidates.dedup();
        let mut denied_within = Vec::new();
        // A Deny's pattern is named where one resource of it is not allowed; a held
        // resource only where a Deny refuses it (a bucket's ARN for an object action is
        // no resource the grant stands for).
        let candidates = cut_candidates
            .into_iter()
            .map(|d| (d, false))
            .chain(held_covered.into_iter().map(|d| (d, true)));
        for (d, held) in candidates {
            let ask = Ask {
                action: full.clone(),
                resource: d.replace(['*', '?'], "x"),
                ..Ask::default()
            };
            let tgt = ask.target(org);
            shared.retarget(org, &tgt);
            if let Ok(a) = assemble_shared(org, Subject::Principal(p), &ask, &tgt, &shared) {
                let decision = engine::evaluate(&a.request, &a.set);
                let refused = if held {
                    decision == Decision::ExplicitlyDenied
                } else {
                    decision != Decision::Allowed
                };
                if refused {
                    denied_within.push(d);
                }
            }
        }
        denied_within.sort();
        denied_within.dedup();
        needs.sort();
        needs.dedup();
        let mut except: Vec<engine::AwsRule> = allowed
            .iter()
            .flat_map(|r| engine::refused_within(&full, r))
            .collect();
        // A public ACL the question's context sets is refused on the buckets where
        // S3 Block Public Access has BlockPublicAcls on.
        if public_acl == Some(true)
            && engine::ACL_SETTING_ACTIONS.contains(&action.name.to_ascii_lowercase().as_str())
            && action.service.eq_ignore_ascii_case("s3")
            && allowed
                .iter()
                .any(|r| super::public_access::pattern_reaches_blocked_bucket(org, r))
        {
            except.push(engine::AwsRule::BlockPublicAcls);
        }
        except.sort();
        except.dedup();
        grants.push(Grant {
            action: full,
            level: action.level,
            resources: allowed,
            needs,
            except,
            denied_within,
        });
    }
    let mut summary: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for g in &grants {
        let service = g.action.split(':').next().unwrap_or("").to_string();
        *summary
            .entry(service)
            .or_default()
            .entry(g.level.to_string())
            .or_default() += 1;
    }
    let asked = |service: &str, names: &[&str]| {
        names.iter().any(|n| {
            catalog
                .action(&format!("{service}:{n}"))
                .is_some_and(&wanted)
        })
    };
    let caveats = [
        super::public_access::what_can_acl_note(|names| asked("s3", names)),
        super::kms_grants::what_can_note(|names| asked("kms", names)),
    ]
    .into_iter()
    .flatten()
    .chain(canonical_user_notes(org, arn, &grants))
    .collect();
    Some(WhatCanAnswer {
        principal: arn.to_string(),
        summary,
        grants,
        caveats,
    })
}

/// The resource patterns of the Deny statements about the request's action (of every
/// policy of the request: identity, boundary, SCPs, RCPs, the resource's) that name
/// part of the allowed pattern `allowed`, variables filled in: the pattern, decided as
/// one resource, escapes them.
fn deny_patterns_within(
    allowed: &str,
    a: &super::assemble::Assembled,
    held: &[(String, &crate::policy::Statement)],
) -> Vec<String> {
    let mut out = Vec::new();
    let allowed_glob = Wildcard::new(allowed);
    // The Deny statements of the policies of resources the org holds (a bucket policy
    // denying all but one role): the pattern, decided as one resource, has none.
    for (d, st) in held {
        if d != allowed && allowed_glob.matches(d) && st.covers_action(&a.request) {
            out.push(d.clone());
        }
    }
    for st in a.set.policies().flat_map(|pol| pol.statements()) {
        if st.effect != Effect::Deny || !st.covers_action(&a.request) {
            continue;
        }
        let Some((false, patterns)) = st.resource_patterns() else {
            continue;
        };
        for d in patterns {
            if let Some(d) = crate::policy::substitute_variables(d, &a.request.context)
                && d != allowed
                && allowed_glob.matches(&d)
            {
                out.push(d);
            }
        }
    }
    out
}

/// The Deny statements of the policies of resources the org holds in `account`, each
/// with the resource pattern it denies on (its `Resource`, or the resource itself; a
/// trust policy's, its role). A pattern is decided in the principal's own account
/// (README, "A resource whose account nothing names"): that account's resources are
/// the ones it stands for.
fn held_denies(
    org: &Org,
    account: crate::org::AccountIx,
) -> Vec<(String, &crate::policy::Statement)> {
    let mut out = Vec::new();
    let trusts = org
        .roles()
        .iter()
        .filter(|r| r.account == account)
        .filter_map(|r| Some((&*r.arn, r.trust?)));
    let policies = org
        .resources()
        .iter()
        .filter(|r| r.account == account)
        .filter_map(|r| Some((&*r.arn, r.policy?)));
    for (arn, policy) in trusts.chain(policies) {
        for st in org.compiled(policy).statements() {
            if st.effect != Effect::Deny {
                continue;
            }
            match st.resource_patterns() {
                Some((false, rs)) => out.extend(
                    rs.iter()
                        .filter(|r| !r.contains("${"))
                        .map(|r| (r.clone(), st)),
                ),
                Some((true, _)) => {}
                None => out.push((arn.to_string(), st)),
            }
        }
    }
    out
}

/// Resources the org holds that a grant may reach though the pattern that names them
/// does not, per catalog action (index-aligned with `actions`), each decided by the
/// engine like the patterns: the held resources whose policy names the principal, its
/// account or everyone in an Allow about the action. A role's trust policy for the
/// actions that assume it (`arn:aws:iam::*:role/SecurityAudit`, decided as a pattern,
/// names no role and no trust policy let it in: AssumeRole was never listed), a key's
/// policy, a bucket's (a same-account resource policy grants on its own, IAM User
/// Guide, "Policy evaluation for requests within a single account").
fn beyond_patterns(
    org: &Org,
    p: PrincipalIx,
    actions: &[&crate::catalog::Action],
    probes: &[Option<Request>],
    wanted: &dyn Fn(&crate::catalog::Action) -> bool,
) -> Vec<Vec<String>> {
    use crate::policy::NamedPrincipal;
    let mut out: Vec<Vec<String>> = vec![Vec::new(); actions.len()];
    let me = org.principal_arn(p);
    let my_account = &*org.account(org.principal_account(p)).id;
    // The Allow statements of a policy that name the principal, its account or everyone:
    // a resource whose policy names none of them decides as the pattern that covers it
    // (a trust or key policy lets nobody else in; a bucket's adds no grant), but for its
    // Denies (`held_denies`).
    let naming = |policy: crate::org::PolicyIx| -> Vec<&crate::policy::Statement> {
        org.compiled(policy)
            .statements()
            .iter()
            .filter(|st| {
                st.effect == Effect::Allow
                    && st.named_principals().is_some_and(|(negated, named)| {
                        !negated
                            && named.iter().any(|n| match n {
                                NamedPrincipal::Everyone => true,
                                NamedPrincipal::Account(a) => *a == my_account,
                                NamedPrincipal::Arn(a) => *a == me,
                                _ => false,
                            })
                    })
            })
            .collect()
    };
    // (resource ARN as a request names it, service of the actions it answers, the
    // statements naming the principal, whether it is a role's trust policy).
    let mut held: Vec<(String, &str, Vec<&crate::policy::Statement>, bool)> = Vec::new();
    for r in org.roles() {
        let Some(t) = r.trust else { continue };
        let named = naming(t);
        if !named.is_empty() {
            held.push((r.arn.to_string(), "sts", named, true));
        }
    }
    for r in org.resources() {
        let Some(policy) = r.policy else { continue };
        let named = naming(policy);
        if named.is_empty() {
            continue;
        }
        let Some(arn) = crate::policy::Arn::parse(&r.arn) else {
            continue;
        };
        let service = catalog_prefix(arn.service());
        // An object of a bucket is governed by the bucket's policy; a request names one
        // object, so each narrower object pattern a naming statement holds
        // (`BUCKET/reports/*`) is asked as objects of their own: asked only as
        // `BUCKET/*`, a grant on one prefix was never listed.
        if service == "s3" && !arn.resource().contains('/') {
            let prefix = format!("{}/", r.arn);
            let mut objects = vec![format!("{prefix}*")];
            for st in &named {
                let Some((false, patterns)) = st.resource_patterns() else {
                    continue;
                };
                objects.extend(
                    patterns
                        .iter()
                        .filter(|t| t.starts_with(&prefix) && !t.contains("${"))
                        .cloned(),
                );
            }
            objects.sort();
            objects.dedup();
            for o in objects {
                held.push((o, service, named.clone(), false));
            }
        }
        held.push((r.arn.to_string(), service, named, false));
    }
    for (arn, service, named, trust) in &held {
        for &i in catalog_service_indices(service) {
            let action = actions[i];
            if !wanted(action) {
                continue;
            }
            let Some(probe) = probes[i].as_ref() else {
                continue;
            };
            if *trust == super::assemble::resource_holder_is_trust(&action.full_name())
                && named.iter().any(|st| st.covers_action(probe))
            {
                out[i].push(arn.clone());
            }
        }
    }
    out
}

/// A service prefix as a `'static` text: the catalog's own, where it knows the service.
fn catalog_prefix(service: &str) -> &'static str {
    Catalog::get()
        .service_info(service)
        .map_or("", |s| s.prefix)
}

/// A request for every catalog action (index-aligned with `Catalog::actions`), built
/// once per process: statements match actions through requests.
fn catalog_probes() -> &'static [Option<Request>] {
    static PROBES: std::sync::OnceLock<Vec<Option<Request>>> = std::sync::OnceLock::new();
    PROBES.get_or_init(|| {
        Catalog::get()
            .actions()
            .map(|a| Request::new("anonymous", &a.full_name(), "*", None, Context::default()).ok())
            .collect()
    })
}

/// The positions in `Catalog::actions` of one service's actions.
fn catalog_service_indices(service: &str) -> &'static [usize] {
    static BY_SERVICE: std::sync::OnceLock<std::collections::HashMap<String, Vec<usize>>> =
        std::sync::OnceLock::new();
    let map = BY_SERVICE.get_or_init(|| {
        let mut m: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
        for (i, a) in Catalog::get().actions().enumerate() {
            m.entry(a.service.to_ascii_lowercase()).or_default().push(i);
        }
        m
    });
    map.get(service).map(Vec::as_slice).unwrap_or(&[])
}

/// Two principals side by side: what only the first can do, what only the second
/// can, and what both can.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    pub left: String,
    pub right: String,
    pub only_left: Vec<String>,
    pub only_right: Vec<String>,
    pub both: usize,
}

pub fn compare(left: &WhatCanAnswer, right: &WhatCanAnswer) -> Comparison {
    let l: std::collections::BTreeSet<&str> =
        left.grants.iter().map(|g| g.action.as_str()).collect();
    let r: std::collections::BTreeSet<&str> =
        right.grants.iter().map(|g| g.action.as_str()).collect();
    Comparison {
        left: left.principal.clone(),
        right: right.principal.clone(),
        only_left: l.difference(&r).map(|s| s.to_string()).collect(),
        only_right: r.difference(&l).map(|s| s.to_string()).collect(),
        both: l.intersection(&r).count(),
    }
}

/// A bucket policy's Deny naming a canonical user (an S3 account id) that covers a
/// grant listed, on a bucket the grant's resources reach: orgscope cannot tell which
/// account the id is, so the Deny never matches, yet if it is the principal's account
/// AWS denies (as `can` and who-can say beside their answers). One note per Deny.
fn canonical_user_notes(org: &Org, arn: &str, grants: &[Grant]) -> Vec<String> {
    let mut notes = Vec::new();
    for r in org.resources() {
        let Some(x) = r
            .policy
            .filter(|_| r.kind == crate::org::ResourceKind::S3Bucket)
        else {
            continue;
        };
        let policy = org.compiled(x);
        // Nearly no bucket policy names a canonical user: looked for first.
        if super::canonical_user_deny(policy, |_| true).is_none() {
            continue;
        }
        let bucket = r.arn.rsplit(':').next().unwrap_or("");
        let reaching: Vec<&Grant> = grants
            .iter()
            .filter(|g| {
                g.resources
                    .iter()
                    .any(|p| super::public_access::pattern_reaches_bucket(p, bucket))
            })
            .collect();
        if reaching.is_empty() {
            continue;
        }
        // The Deny's action decides; its Resource is not read, so a Deny on another
        // part of the bucket is noted too: a caveat on the side of saying more.
        let covered = |st: &crate::policy::Statement, g: &Grant| {
            Request::new(arn, &g.action, &r.arn, None, Context::default())
                .is_ok_and(|req| st.covers_action(&req))
        };
        if let Some(st) =
            super::canonical_user_deny(policy, |st| reaching.iter().any(|g| covered(st, g)))
        {
            let actions: Vec<&str> = reaching
                .iter()
                .filter(|g| covered(st, g))
                .map(|g| g.action.as_str())
                .collect();
            notes.push(format!(
                "the bucket policy of {}: its Deny {} names a canonical user, which orgscope cannot map to an account: if it is this principal's account, AWS denies {} there, though listed here",
                r.arn,
                st.label(),
                actions.join(", ")
            ));
        }
    }
    notes
}
