//! How a decision depends on context the request did not give: for every condition
//! key that a statement covering the request reads and the request lacks, the
//! decision with the key absent and with each value worth trying.

use super::{Decision, PolicySet, evaluate};
use crate::policy::Request;
use crate::policy::context::Key;

/// One context key the decision may depend on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Dependency {
    /// As AWS spells it (`aws:SecureTransport`); AWS compares keys ignoring case.
    pub key: String,
    /// The decision for each tried value, the key absent first, the other keys the
    /// request lacks left absent.
    pub outcomes: Vec<ValueOutcome>,
    /// Whether some value of this key changes the decision, for some values of the
    /// other lacking keys (a Deny on one key can hide another key's part).
    pub matters: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ValueOutcome {
    /// `None`: the key absent.
    pub value: Option<String>,
    pub decision: Decision,
}

/// The value tried for a policy variable's key the request lacks.
const VARIABLE_SAMPLE: &str = "some-other-value";

/// Beyond this many combinations of lacking keys, each key is varied alone.
const MAX_COMBINATIONS: usize = 4096;

/// The keys the request lacks that the applicable statements read, each with the
/// decisions it leads to, one key varied at a time; `matters` also looks at every
/// combination of the other keys (bounded).
pub fn dependencies(req: &Request, set: &PolicySet) -> Vec<Dependency> {
    let samples = samples(req, set, None);
    finish(req, set, samples)
}

/// Beyond this many assignments of several lacking keys together, the search gives
/// up and reports the keys unresolved: some values of them may let the request in.
const MAX_JOINT: usize = 512;

/// Key values, among those worth trying for the keys the request lacks, that turn
/// `decision` (the request's own, already known to the caller) into Allowed: one key
/// alone if one does, else several together (an SCP that denies outside a region and
/// an Allow that needs MFA). Empty when none does. A value of `None` means the search
/// was too large to finish: with some value of that key the request may be allowed.
///
/// Only keys that can lift the denial are tried alone: a Deny's keys when the request
/// is explicitly denied (the Deny must stop matching), an Allow's when it is
/// implicitly denied (a Deny never grants). Together, an explicit deny also tries the
/// Allows' keys, as lifting the Deny may leave an Allow to satisfy.
///
/// The values are tried on `req` itself, which comes back as it came.
pub fn first_allowing_context(
    req: &mut Request,
    set: &PolicySet,
    decision: Decision,
) -> Vec<(String, Option<String>)> {
    search(req, set, decision, false, &|_, _| false)
}

/// As [`first_allowing_context`], never trying a value `refused` rules out: one the
/// caller cannot give a key (a caller outside the organization never has its
/// organization's id as `aws:PrincipalOrgID`).
pub fn first_allowing_context_but(
    req: &mut Request,
    set: &PolicySet,
    decision: Decision,
    refused: &dyn Fn(&Key, &str) -> bool,
) -> Vec<(String, Option<String>)> {
    search(req, set, decision, false, refused)
}

/// As [`first_allowing_context`], with every key that alone lets the request in
/// (what-can's "needs"), not only the first.
pub fn allowing_values(
    req: &mut Request,
    set: &PolicySet,
    decision: Decision,
) -> Vec<(String, Option<String>)> {
    search(req, set, decision, true, &|_, _| false)
}

fn search(
    req: &mut Request,
    set: &PolicySet,
    decision: Decision,
    every_single: bool,
    refused: &dyn Fn(&Key, &str) -> bool,
) -> Vec<(String, Option<String>)> {
    let effect = match decision {
        Decision::Allowed => return Vec::new(),
        Decision::ExplicitlyDenied => crate::policy::Effect::Deny,
        Decision::ImplicitlyDenied => crate::policy::Effect::Allow,
    };
    // What AWS owns is refused whatever the context: no value lets it in; nor does
    // any lift Block Public Access's refusal of the public ACL the request sets.
    if super::aws_rules::owned(req).is_some()
        || super::aws_rules::root_assumes_role(req)
        || super::aws_rules::passes_other_accounts_role(req)
        || super::aws_rules::temporary_credentials_refuse(req)
        || super::aws_rules::refuses_public_acl(req, set.block_public_acls)
    {
        return Vec::new();
    }
    // Most requests read no key they lack: that is found without allocating. Without
    // such a key no value can lift the denial, alone or with others.
    let reads_lacking_key = set.policies().any(|p| {
        p.statements().iter().any(|s| {
            s.effect == effect
                && s.conditions.iter().any(|c| {
                    req.context.get_key(&c.key_lower).is_none()
                        || !c.unresolved_keys(&req.context).is_empty()
                })
                && s.covers(req)
        })
    });
    if !reads_lacking_key {
        return Vec::new();
    }
    // Each key set in turn on the request, and taken out again.
    let mut found = Vec::new();
    let alone = without(samples(req, set, Some(effect)), refused);
    for (key, values) in &alone {
        for v in values {
            req.context
                .insert_key(*key, smallvec::smallvec![(*v).into()]);
            if evaluate(req, set) == Decision::Allowed {
                found.push((key.spelling().to_string(), Some(v.to_string())));
                break;
            }
        }
        req.context.remove_key(key);
        if !every_single && !found.is_empty() {
            return found;
        }
    }
    if !found.is_empty() {
        return found;
    }
    let together = match effect {
        crate::policy::Effect::Deny => without(samples(req, set, None), refused),
        crate::policy::Effect::Allow => alone,
    };
    let found = jointly(req, set, &together);
    for (key, _) in &together {
        req.context.remove_key(key);
    }
    found
}

/// `samples` without the values `refused` rules out, and without keys left with none.
fn without<'s>(
    mut samples: Vec<(Key, Vec<&'s str>)>,
    refused: &dyn Fn(&Key, &str) -> bool,
) -> Vec<(Key, Vec<&'s str>)> {
    for (key, values) in &mut samples {
        values.retain(|v| !refused(key, v));
    }
    samples.retain(|(_, values)| !values.is_empty());
    samples
}

/// Every assignment of two or more of `keys` (each absent or one of its values), until
/// one is allowed: its values; or, past [`MAX_JOINT`] assignments, every key
/// unresolved. `r` comes in without any of the keys.
fn jointly(
    r: &mut Request,
    set: &PolicySet,
    keys: &[(Key, Vec<&str>)],
) -> Vec<(String, Option<String>)> {
    if keys.len() < 2 {
        return Vec::new();
    }
    let sizes: Vec<usize> = keys.iter().map(|(_, v)| v.len() + 1).collect();
    let total = sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
    if total.is_none_or(|t| t > MAX_JOINT) {
        return keys
            .iter()
            .map(|(k, _)| (k.spelling().to_string(), None))
            .collect();
    }
    let mut choice = vec![0usize; keys.len()];
    loop {
        // The next assignment, odometer style; all absent is the request itself.
        let mut i = 0;
        loop {
            if i == choice.len() {
                return Vec::new();
            }
            choice[i] += 1;
            if choice[i] < sizes[i] {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
        // One key alone was tried already.
        if choice.iter().filter(|&&c| c > 0).count() < 2 {
            continue;
        }
        for ((key, values), &c) in keys.iter().zip(&choice) {
            match c {
                0 => r.context.remove_key(key),
                c => r
                    .context
                    .insert_key(*key, smallvec::smallvec![values[c - 1].into()]),
            }
        }
        if evaluate(r, set) == Decision::Allowed {
            return keys
                .iter()
                .zip(&choice)
                .filter(|(_, c)| **c > 0)
                .map(|((k, values), &c)| {
                    (k.spelling().to_string(), Some(values[c - 1].to_string()))
                })
                .collect();
        }
    }
}

/// The keys the request lacks that covering statements (of one effect, if given) read,
/// each with the values worth trying.
fn samples<'s>(
    req: &Request,
    set: &'s PolicySet<'_>,
    effect: Option<crate::policy::Effect>,
) -> Vec<(Key, Vec<&'s str>)> {
    let mut samples: Vec<(Key, Vec<&'s str>)> = Vec::new();
    for policy in set.policies() {
        for s in policy
            .statements()
            .iter()
            .filter(|s| effect.is_none_or(|e| s.effect == e) && s.covers(req))
        {
            for c in &s.conditions {
                // A variable the request gives no value for is context it lacks too:
                // with a value the condition can hold (IAM User Guide, "Variables and
                // tags"). One value that matches no literal is tried.
                for key in c.unresolved_keys(&req.context) {
                    match samples.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, v)) => v.push(VARIABLE_SAMPLE),
                        None => samples.push((key, vec![VARIABLE_SAMPLE])),
                    }
                }
                if req.context.get_key(&c.key_lower).is_some() {
                    continue;
                }
                let key = c.key_lower;
                let values = c.sample_values().iter().map(|v| &**v);
                match samples.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, v)) => v.extend(values),
                    None => samples.push((key, values.collect())),
                }
            }
        }
    }
    // Under S3 Block Public Access, a public ACL would be refused whatever the
    // policies say: a request that may set one and gives no ACL is tried with one.
    if effect.is_none()
        && set.block_public_acls
        && super::aws_rules::may_set_acl(req)
        && super::aws_rules::public_acl(req).is_none()
    {
        let key = Key::new(super::aws_rules::ACL_KEYS[0]);
        match samples.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(PUBLIC_ACL_SAMPLE),
            None => samples.push((key, vec![PUBLIC_ACL_SAMPLE])),
        }
    }
    for (_, values) in &mut samples {
        values.sort();
        values.dedup();
    }
    samples
}

/// The public ACL tried where Block Public Access refuses public ACLs.
const PUBLIC_ACL_SAMPLE: &str = "public-read";

fn finish(req: &Request, set: &PolicySet, samples: Vec<(Key, Vec<&str>)>) -> Vec<Dependency> {
    let matters = matters(req, set, &samples);
    samples
        .into_iter()
        .zip(matters)
        .map(|((key, values), matters)| {
            let mut outcomes = vec![ValueOutcome {
                value: None,
                decision: evaluate(req, set),
            }];
            for v in values {
                let mut r = req.clone();
                r.context.insert_key(key, smallvec::smallvec![v.into()]);
                outcomes.push(ValueOutcome {
                    decision: evaluate(&r, set),
                    value: Some(v.to_string()),
                });
            }
            let varies = outcomes.windows(2).any(|w| w[0].decision != w[1].decision);
            Dependency {
                key: key.spelling().to_string(),
                outcomes,
                matters: matters || varies,
            }
        })
        .collect()
}

/// Values of keys the request lacks that change its decision: each a minimal
/// assignment (no part of it changes the decision the same way), with the decision
/// it leads to; keys together where only together they change it (a region an SCP
/// wants and TLS an RCP wants). Empty when the assignments to try are too many
/// ([`MAX_COMBINATIONS`]); the one-key outcomes of [`dependencies`] still show.
pub fn changing_assignments(req: &Request, set: &PolicySet) -> Vec<Assignment> {
    let samples = samples(req, set, None);
    let sizes: Vec<usize> = samples.iter().map(|(_, v)| v.len() + 1).collect();
    let total = sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
    if samples.is_empty() || total.is_none_or(|t| t > MAX_COMBINATIONS) {
        return Vec::new();
    }
    let base = evaluate(req, set);
    let mut changed: Vec<(Vec<usize>, Decision)> = Vec::new();
    let mut choice = vec![0usize; samples.len()];
    loop {
        // Next assignment, odometer style; all absent is the request itself.
        let mut i = 0;
        loop {
            if i == choice.len() {
                return minimal(changed, &samples);
            }
            choice[i] += 1;
            if choice[i] < sizes[i] {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
        let mut r = req.clone();
        for ((key, values), &c) in samples.iter().zip(&choice) {
            if c > 0 {
                r.context
                    .insert_key(*key, smallvec::smallvec![values[c - 1].into()]);
            }
        }
        let d = evaluate(&r, set);
        if d != base {
            changed.push((choice.clone(), d));
        }
    }
}

/// Some values of lacking keys, and the decision they lead to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assignment {
    /// Key (as AWS spells it) and value, in the order the keys were found.
    pub when: Vec<(String, String)>,
    pub decision: Decision,
}

/// The assignments of which no part changes the decision the same way, fewest keys
/// first.
fn minimal(changed: Vec<(Vec<usize>, Decision)>, samples: &[(Key, Vec<&str>)]) -> Vec<Assignment> {
    let part_of = |a: &[usize], b: &[usize]| a.iter().zip(b).all(|(&x, &y)| x == 0 || x == y);
    let mut kept: Vec<&(Vec<usize>, Decision)> = changed
        .iter()
        .filter(|(c, d)| {
            !changed
                .iter()
                .any(|(o, od)| od == d && o != c && part_of(o, c))
        })
        .collect();
    kept.sort_by_key(|(c, _)| c.iter().filter(|&&x| x > 0).count());
    kept.into_iter()
        .map(|(c, d)| Assignment {
            when: samples
                .iter()
                .zip(c)
                .filter(|(_, x)| **x > 0)
                .map(|((k, values), &x)| (k.spelling().to_string(), values[x - 1].to_string()))
                .collect(),
            decision: *d,
        })
        .collect()
}

/// For each key, whether changing it alone changes the decision in some assignment
/// of the other keys (each absent or one of its values). Skipped (all false) when the
/// assignments are too many; the one-at-a-time outcomes still show.
fn matters(req: &Request, set: &PolicySet, samples: &[(Key, Vec<&str>)]) -> Vec<bool> {
    let mut found = vec![false; samples.len()];
    let sizes: Vec<usize> = samples.iter().map(|(_, v)| v.len() + 1).collect();
    let total = sizes.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
    if total.is_none_or(|t| t > MAX_COMBINATIONS) {
        return found;
    }
    let decide = |choice: &[usize]| {
        let mut r = req.clone();
        for ((key, values), &c) in samples.iter().zip(choice) {
            if c > 0 {
                r.context
                    .insert_key(*key, smallvec::smallvec![values[c - 1].into()]);
            }
        }
        evaluate(&r, set)
    };
    let mut choice = vec![0usize; samples.len()];
    loop {
        let base = decide(&choice);
        for k in 0..samples.len() {
            if found[k] || choice[k] != 0 {
                continue;
            }
            for c in 1..sizes[k] {
                let mut other = choice.clone();
                other[k] = c;
                if decide(&other) != base {
                    found[k] = true;
                    break;
                }
            }
        }
        // Next assignment, odometer style.
        let mut i = 0;
        loop {
            if i == choice.len() {
                return found;
            }
            choice[i] += 1;
            if choice[i] < sizes[i] {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}
