//! Who can do action A on some resource a pattern covers (`arn:aws:s3:::payroll/*`,
//! or `*` for an action that acts on resources)? A request names one resource, so a
//! pattern is a set of questions: a principal is allowed when it is allowed on one of
//! them at least, and the answer says on which.
//!
//! The covered resources are cut into classes that every policy of the org treats
//! alike ([`super::pattern::org_classes`]), and who-can is asked on one resource of
//! each. Policy variables (`user/${aws:username}`) make a class depend on who asks:
//! each principal a variable pattern may concern is asked again on its own filled-in
//! resources. Asking only the literal text instead (`payroll/*` as one object named
//! `*`) misses every statement narrower than the pattern, a wrong "nobody".

use std::collections::HashMap;

use super::AnalysisError;
use super::assemble::Ask;
use super::pattern;
use super::who_can::{self, Among, Hit, NearMiss, Outsider, WhoCanAnswer};
use crate::engine::Decision;
use crate::org::{Org, PrincipalIx};

/// As [`who_can::who_can_until`], over every resource the pattern `ask.resource`
/// covers; a question on one resource is asked as it is.
pub fn who_can_covering(
    org: &Org,
    ask: &Ask,
    watch: super::Watch<'_>,
) -> Result<WhoCanAnswer, AnalysisError> {
    if !pattern::is_pattern(&ask.action, &ask.resource) {
        return who_can::who_can_until(org, ask, watch);
    }
    let classes = pattern::org_classes(org, ask)?;
    let mut merged = Merged::default();
    for resource in &classes {
        let one = Ask {
            resource: resource.clone(),
            ..ask.clone()
        };
        let answer = match held_candidates(org, &ask.action, resource) {
            Some((principals, roots)) => {
                let among = Among::Only {
                    principals: &principals,
                    roots: &roots,
                };
                who_can::who_can_among(org, &one, among, watch)?
            }
            None => who_can::who_can_until(org, &one, watch)?,
        };
        merged.add(answer, resource);
    }
    for (p, resources) in variable_questions(org, ask)? {
        for resource in resources {
            let one = Ask {
                resource: resource.clone(),
                ..ask.clone()
            };
            let principals = [p];
            let among = Among::Only {
                principals: &principals,
                roots: &[],
            };
            merged.add(
                who_can::who_can_among(org, &one, among, super::Watch::NONE)?,
                &resource,
            );
        }
        if watch.stopped() {
            return Err(AnalysisError::Cancelled);
        }
    }
    Ok(merged.answer(ask, classes))
}

/// For a resource the org holds, the principals and root users a request on it may
/// let in: those of its account, and those of the accounts its policy's Allow
/// statements for the action name; across accounts both the resource's policy and the
/// caller's own must allow (IAM User Guide, "Cross-account policy evaluation logic").
/// `None` where anyone may be let in (everyone, `NotPrincipal`, an ARN naming no
/// account of its own) or the resource is not held: then every principal is asked.
fn held_candidates(
    org: &Org,
    action: &str,
    resource: &str,
) -> Option<(Vec<PrincipalIx>, Vec<crate::org::AccountIx>)> {
    use crate::policy::NamedPrincipal;
    let (policy, home) = super::assemble::resource_holder(org, action, resource)?;
    let mut accounts = vec![home];
    if let Some(policy) = policy {
        let probe = crate::policy::Request::new(
            "anonymous",
            action,
            resource,
            None,
            crate::policy::Context::default(),
        )
        .ok()?;
        for s in org.compiled(policy).statements() {
            if s.effect != crate::policy::Effect::Allow || !s.covers_action(&probe) {
                continue;
            }
            let (negated, named) = s.named_principals()?;
            if negated {
                return None;
            }
            for n in named {
                let id = match n {
                    NamedPrincipal::Everyone => return None,
                    NamedPrincipal::Account(a) => a,
                    NamedPrincipal::Arn(arn) => match crate::policy::Arn::parse(arn) {
                        Some(parsed) if crate::policy::request::is_account_id(parsed.account()) => {
                            // Borrowed from the statement, which outlives the loop.
                            let at = arn.find(parsed.account())?;
                            &arn[at..at + 12]
                        }
                        _ => return None,
                    },
                    // Services, identity providers and canonical users are no
                    // principal of the org: they are in the answer's outsiders.
                    _ => continue,
                };
                if let Some(a) = org.account_by_id(id) {
                    accounts.push(a);
                }
            }
        }
    }
    accounts.sort_unstable();
    accounts.dedup();
    let principals = accounts
        .iter()
        .flat_map(|&a| {
            let acc = org.account(a);
            acc.users
                .iter()
                .map(|&u| PrincipalIx::User(u))
                .chain(acc.roles.iter().map(|&r| PrincipalIx::Role(r)))
        })
        .collect();
    Some((principals, accounts))
}

/// The principals whose answer a policy variable in a Resource pattern may change, each
/// with the resources of the pattern its own values fill in. Only principals that may
/// be allowed at all: an identity policy of theirs allows the action on some resource,
/// or a resource policy of the org does.
fn variable_questions(
    org: &Org,
    ask: &Ask,
) -> Result<Vec<(PrincipalIx, Vec<String>)>, AnalysisError> {
    let action = &ask.action;
    // Patterns every principal may meet: SCPs, RCPs, resource and trust policies.
    let mut shared_docs: Vec<&crate::policy::Policy> = Vec::new();
    for a in 0..org.accounts().len() {
        let a = crate::org::AccountIx::new(a);
        for &x in org.scp_levels(a).iter().chain(org.rcp_levels(a)).flatten() {
            shared_docs.push(org.compiled(x));
        }
    }
    shared_docs.extend(
        org.resources()
            .iter()
            .filter_map(|r| r.policy)
            .map(|x| &**org.compiled(x)),
    );
    shared_docs.extend(
        org.roles()
            .iter()
            .filter_map(|r| r.trust)
            .map(|x| &**org.compiled(x)),
    );
    shared_docs.sort_by_key(|p| *p as *const _ as usize);
    shared_docs.dedup_by_key(|p| *p as *const _ as usize);
    let shared = pattern::variable_patterns(action, shared_docs.iter().copied());
    let resource_grants = org
        .resources()
        .iter()
        .filter_map(|r| r.policy)
        .chain(org.roles().iter().filter_map(|r| r.trust))
        .any(|x| allows_action(org.compiled(x), action));
    let principals = (0..org.users().len())
        .map(|i| PrincipalIx::User(crate::org::UserIx::new(i)))
        .chain((0..org.roles().len()).map(|i| PrincipalIx::Role(crate::org::RoleIx::new(i))));
    let org_patterns = pattern::org_patterns(org, ask);
    let mut covers: HashMap<Vec<String>, Vec<String>> = HashMap::new();
    let mut out = Vec::new();
    for p in principals {
        let own_docs: Vec<&crate::policy::Policy> = org
            .identity_policies(p)
            .chain(org.boundary(p))
            .map(|x| &**org.compiled(x))
            .collect();
        if !resource_grants && !own_docs.iter().any(|d| allows_action(d, action)) {
            continue;
        }
        let mut patterns = pattern::variable_patterns(action, own_docs.iter().copied());
        patterns.extend(shared.iter().cloned());
        if patterns.is_empty() {
            continue;
        }
        let mut filled: Vec<String> = patterns.iter().flat_map(|t| fill(org, p, ask, t)).collect();
        filled.sort();
        filled.dedup();
        if filled.is_empty() {
            continue;
        }
        // Principals giving the same values share their resources: found once.
        let resources = match covers.get(&filled) {
            Some(r) => r.clone(),
            None => {
                // Cut by the org's patterns too: a Deny on part of a filled-in
                // pattern must not hide the part that is allowed.
                let mut cut = filled.clone();
                cut.extend(
                    org_patterns
                        .iter()
                        .filter(|o| {
                            !o.contains("${") && filled.iter().any(|f| pattern::may_meet(o, f))
                        })
                        .cloned(),
                );
                let found = pattern::cover(&ask.resource, action, &org.info().partition, cut, &[])?;
                // Only the resources inside a filled-in pattern: the others are the
                // org's classes, asked already.
                let inside: Vec<String> = found
                    .into_iter()
                    .filter(|r| {
                        filled
                            .iter()
                            .any(|f| crate::policy::Wildcard::new(f).matches(r))
                    })
                    .collect();
                covers.insert(filled, inside.clone());
                inside
            }
        };
        if !resources.is_empty() {
            out.push((p, resources));
        }
    }
    Ok(out)
}

/// `pattern` with its policy variables filled in as `p` fills them: its user name, its
/// account, its tags' values (IAM User Guide, "IAM policy elements: Variables and
/// tags"); none where `p` gives a variable no value (the statement then matches
/// nothing of it). A variable read from the request (the question's context, or keys
/// not listed here) takes each value the principal or the question gives, a superset
/// of what it can be.
fn fill(org: &Org, p: PrincipalIx, ask: &Ask, pattern: &str) -> Vec<String> {
    let tags = match p {
        PrincipalIx::User(u) => &org.user(u).tags,
        PrincipalIx::Role(r) => &org.role(r).tags,
    };
    let mut out = vec![String::new()];
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + len];
        let key = name
            .split(',')
            .next()
            .unwrap_or(name)
            .trim()
            .to_ascii_lowercase();
        let values: Vec<String> = if key == "aws:username" {
            match p {
                PrincipalIx::User(u) => vec![org.user(u).name().to_string()],
                PrincipalIx::Role(_) => Vec::new(),
            }
        } else if key == "aws:principalaccount" {
            vec![org.account(org.principal_account(p)).id.to_string()]
        } else if let Some(tag) = key.strip_prefix("aws:principaltag/") {
            tags.iter()
                .filter(|t| t.key.to_ascii_lowercase() == tag)
                .map(|t| t.value.to_string())
                .collect()
        } else {
            values_of(org, p, ask)
        };
        // `${key, 'default'}`: the default where the key has no value.
        let values = match name.split_once(',') {
            Some((_, default)) if values.is_empty() => {
                vec![default.trim().trim_matches('\'').to_string()]
            }
            _ => values,
        };
        let head = &rest[..start];
        out = out
            .iter()
            .flat_map(|o| values.iter().map(move |v| format!("{o}{head}{v}")))
            .collect();
        rest = &rest[start + len + 1..];
    }
    out.into_iter().map(|o| format!("{o}{rest}")).collect()
}

/// Whether an Allow statement of `policy` covers `action` (any resource).
fn allows_action(policy: &crate::policy::Policy, action: &str) -> bool {
    let Some(probe) = pattern::action_probe(action) else {
        return true;
    };
    policy
        .statements()
        .iter()
        .any(|s| s.effect == crate::policy::Effect::Allow && s.covers_action(&probe))
}

/// The values a principal gives policy variables: its name, its account, its tags'
/// values, and the question's context values.
fn values_of(org: &Org, p: PrincipalIx, ask: &Ask) -> Vec<String> {
    let mut values: Vec<String> = ask.context.iter().flat_map(|(_, v)| v.clone()).collect();
    let tags = match p {
        PrincipalIx::User(u) => &org.user(u).tags,
        PrincipalIx::Role(r) => &org.role(r).tags,
    };
    values.extend(tags.iter().map(|t| t.value.to_string()));
    values.push(org.account(org.principal_account(p)).id.to_string());
    let arn = org.principal_arn(p);
    values.push(arn.rsplit(['/', ':']).next().unwrap_or(arn).to_string());
    values
}

/// The answers on each resource, kept per principal at its best: allowed, then
/// conditional, then a near miss; each with the resource where it stands so.
#[derive(Default)]
struct Merged {
    first: Option<WhoCanAnswer>,
    hits: HashMap<String, (u8, Standing)>,
    outside: HashMap<(String, String, String, String), Outsider>,
    evaluated: usize,
    assumed: bool,
    caveats: Vec<String>,
    accounts: Vec<Option<String>>,
}

enum Standing {
    Allowed(Hit),
    Root(Hit),
    Conditional(Hit),
    NearMiss(NearMiss),
}

impl Merged {
    fn add(&mut self, answer: WhoCanAnswer, resource: &str) {
        let on = Some(resource.to_string());
        let mut keep = |rank: u8, arn: &str, s: Standing| match self.hits.get(arn) {
            Some((r, _)) if *r <= rank => {}
            _ => {
                self.hits.insert(arn.to_string(), (rank, s));
            }
        };
        let placed = |h: &Hit| Hit {
            on: Some(in_account(resource, &h.account)),
            ..h.clone()
        };
        for h in &answer.allowed {
            keep(0, &h.principal, Standing::Allowed(placed(h)));
        }
        for h in &answer.root_users {
            keep(0, &h.principal, Standing::Root(placed(h)));
        }
        for h in &answer.conditional {
            keep(1, &h.principal, Standing::Conditional(placed(h)));
        }
        for n in &answer.near_misses {
            let placed = NearMiss {
                on: Some(in_account(resource, &n.account)),
                ..n.clone()
            };
            keep(2, &n.principal, Standing::NearMiss(placed));
        }
        for o in &answer.outside {
            let key = (
                o.kind.to_string(),
                o.who.clone(),
                o.policy.clone(),
                o.statement.clone(),
            );
            let o = Outsider {
                on: on.clone(),
                ..o.clone()
            };
            let better = self
                .outside
                .get(&key)
                .is_none_or(|old| outsider_rank(&o) < outsider_rank(old));
            if better {
                self.outside.insert(key, o);
            }
        }
        for n in &answer.caveats {
            if !self.caveats.contains(n) {
                self.caveats.push(n.clone());
            }
        }
        self.evaluated = self.evaluated.max(answer.evaluated);
        self.assumed |= answer.resource_account_assumed;
        self.accounts.push(answer.resource_account.clone());
        if self.first.is_none() {
            self.first = Some(answer);
        }
    }

    fn answer(self, ask: &Ask, classes: Vec<String>) -> WhoCanAnswer {
        let mut accounts = self.accounts;
        accounts.dedup();
        let mut answer = WhoCanAnswer {
            action: ask.action.clone(),
            resource: ask.resource.clone(),
            resource_account: match accounts.as_slice() {
                [one] => one.clone(),
                _ => None,
            },
            allowed: Vec::new(),
            conditional: Vec::new(),
            near_misses: Vec::new(),
            root_users: Vec::new(),
            outside: Vec::new(),
            acls: self.first.and_then(|f| f.acls),
            caveats: self.caveats,
            evaluated: self.evaluated,
            resource_account_assumed: self.assumed,
            covered: classes,
        };
        for (_, s) in self.hits.into_values() {
            match s {
                Standing::Allowed(h) => answer.allowed.push(h),
                Standing::Root(h) => answer.root_users.push(h),
                Standing::Conditional(h) => answer.conditional.push(h),
                Standing::NearMiss(n) => answer.near_misses.push(n),
            }
        }
        let order = |h: &Hit| {
            (
                h.account_name.clone(),
                h.account.clone(),
                h.principal.clone(),
            )
        };
        answer.allowed.sort_by_key(order);
        answer.root_users.sort_by_key(order);
        answer.conditional.sort_by_key(order);
        answer.near_misses.sort_by_key(|n| {
            (
                n.account_name.clone(),
                n.account.clone(),
                n.principal.clone(),
            )
        });
        let mut outside: Vec<Outsider> = self.outside.into_values().collect();
        outside.sort_by(|a, b| {
            (a.kind, &a.who, &a.policy, &a.statement).cmp(&(
                b.kind,
                &b.who,
                &b.policy,
                &b.statement,
            ))
        });
        answer.outside = outside;
        answer
    }
}

/// `resource` as the principal of `account` was asked about it: a class's made-up
/// account text (not twelve digits) stands for each principal's own account.
fn in_account(resource: &str, account: &str) -> String {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    match parts.as_slice() {
        [arn, partition, service, region, acct, rest]
            if !acct.is_empty() && !crate::policy::request::is_account_id(acct) =>
        {
            format!("{arn}:{partition}:{service}:{region}:{account}:{rest}")
        }
        _ => resource.to_string(),
    }
}

/// Allowed first, then let in under some values, then the rest.
fn outsider_rank(o: &Outsider) -> u8 {
    match o.resource_side {
        Some(Decision::Allowed) => 0,
        Some(_) if !o.when.is_empty() => 1,
        None => 2,
        Some(_) => 3,
    }
}
