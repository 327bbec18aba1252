//! The questions of an in-memory diff worth looking at, found through an index built
//! once per diff instead of by walking every ARN of the org for each action.
//!
//! A diff asks each action over every ARN of the org it acts on (that count is the
//! diff's `questions`), but a question can give a line only where [`Reach::among`]
//! (impact.rs) finds someone to re-decide: in the resource's own account, a principal
//! or root user the plan re-decides; in another account, one the resource's policy
//! lets in. Across accounts both sides must allow (IAM User Guide, "Cross-account policy
//! evaluation logic"), so a resource held in an account with no one re-decided, whose
//! policy's Allow statements name none of the re-decided accounts and no wildcard, gives
//! nobody to re-decide, in either org. Such ARNs are counted, not looked at: the ARNs
//! an action acts on are matched once per list of resource types (not once per
//! action), and sorted into buckets by the account that holds them and the accounts
//! their policy names; an action looks only at the buckets of the accounts it
//! re-decides, and at the ARNs that always need looking at (no known account, a
//! touched policy, a policy naming everyone).
//!
//! Only for edits in memory, where both orgs hold the same resources with the same
//! resource-side policies (a changed resource policy is a touched ARN, always looked
//! at). The reload path keeps walking every ARN.

use std::collections::HashMap;

use super::impact::{Held, ResourceArns, resource_template_key};
use super::touched::Touched;
use crate::org::hash::FxBuild;
use crate::org::{Entity, Org};
use crate::policy::{Effect, NamedPrincipal, Policy};

type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// The ARNs of one list of resource types, bucketed for one kind of action (one that
/// lands on a role's trust policy or not).
#[derive(Default)]
struct Buckets<'o> {
    /// Every ARN matched (the count is the diff's `questions` for the action).
    arns: Vec<std::borrow::Cow<'o, str>>,
    /// Looked at for every action: no known account, a touched policy, a policy whose
    /// Allow names everyone (`*`, NotPrincipal).
    always: Vec<u32>,
    /// By the account that holds them (or that their ARN names).
    by_account: FxMap<&'o str, Vec<u32>>,
    /// By an account their policy's Allow statements name (other than their own).
    by_named: FxMap<String, Vec<u32>>,
    /// An ARN could not be told apart from another (an object form `BUCKET/*` that is
    /// also an ARN of the org): every ARN is looked at.
    every: bool,
}

/// The memo key of an action's buckets: its service and resource type names, and
/// whether it lands on a role's trust policy.
fn bucket_key(action: &str) -> (&'static str, Vec<&'static str>, bool) {
    let (service, names) = resource_template_key(action);
    (
        service,
        names,
        crate::analysis::assemble::resource_holder_is_trust(action),
    )
}

/// The index for one diff (in memory: one org's ARNs and resource sides stand for both).
pub(super) struct Candidates<'o> {
    org: &'o Org,
    arns: ResourceArns<'o>,
    t: &'o Touched,
    /// Keyed by the action's service and resource type names, and whether the action
    /// lands on a role's trust policy.
    memo: FxMap<(&'static str, Vec<&'static str>, bool), Buckets<'o>>,
}

/// The accounts a policy's Allow statements name, whatever their actions: a superset of
/// what `resource_allows` (impact.rs) finds for one action.
#[derive(Clone, Default)]
struct Named {
    everyone: bool,
    accounts: Vec<String>,
}

fn named_by(policy: &Policy) -> Named {
    let mut out = Named::default();
    for s in policy.statements() {
        if s.effect != Effect::Allow {
            continue;
        }
        match s.named_principals() {
            Some((false, list)) => {
                for n in list {
                    match n {
                        NamedPrincipal::Account(a) => out.accounts.push(a.to_string()),
                        NamedPrincipal::Arn(arn) => {
                            if let Some(x) = crate::policy::Arn::parse(arn) {
                                out.accounts.push(x.account().to_string());
                            }
                        }
                        NamedPrincipal::Everyone => out.everyone = true,
                        _ => {}
                    }
                }
            }
            Some((true, _)) => out.everyone = true,
            None => {}
        }
    }
    out.accounts.sort_unstable();
    out.accounts.dedup();
    out
}

impl<'o> Candidates<'o> {
    pub(super) fn new(org: &'o Org, t: &'o Touched) -> Candidates<'o> {
        Candidates {
            org,
            arns: ResourceArns::one(org),
            t,
            memo: FxMap::default(),
        }
    }

    fn buckets(&mut self, action: &str) -> &Buckets<'o> {
        let key = bucket_key(action);
        if !self.memo.contains_key(&key) {
            let b = self.bucket(action, key.2, &mut FxMap::default());
            self.memo.insert(key.clone(), b);
        }
        &self.memo[&key]
    }

    /// Builds the buckets of every list of resource types the actions name, those
    /// lists in parallel: each walks its services' ARNs on its own.
    pub(super) fn prepare(&mut self, actions: &[String]) {
        use rayon::prelude::*;
        let mut wanted: FxMap<(&'static str, Vec<&'static str>, bool), &str> = FxMap::default();
        for a in actions {
            let key = bucket_key(a);
            if !self.memo.contains_key(&key) {
                wanted.entry(key).or_insert(a);
            }
        }
        let this = &*self;
        let built: Vec<_> = wanted
            .into_par_iter()
            .map(|(key, action)| {
                let b = this.bucket(action, key.2, &mut FxMap::default());
                (key, b)
            })
            .collect();
        self.memo.extend(built);
    }

    /// How many questions the action asks (the ARNs it acts on, or `*`).
    pub(super) fn count(&mut self, action: &str) -> usize {
        self.buckets(action).arns.len()
    }

    /// The ARNs of the action worth looking at when the principals and root users of
    /// `accounts` (by id) are re-decided, and those of accounts whose resource side
    /// changed: sorted as the diff lists them.
    pub(super) fn for_action<'a>(
        &mut self,
        action: &str,
        accounts: impl Iterator<Item = &'a str>,
    ) -> Vec<String> {
        let b = self.buckets(action);
        if b.every {
            return b.arns.iter().map(|a| a.to_string()).collect();
        }
        let mut picked: Vec<u32> = b.always.clone();
        for id in accounts {
            picked.extend(b.by_account.get(id).into_iter().flatten());
            picked.extend(b.by_named.get(id).into_iter().flatten());
        }
        let mut out: Vec<&str> = picked.iter().map(|&i| &*b.arns[i as usize]).collect();
        out.sort_unstable();
        out.dedup();
        out.into_iter().map(str::to_string).collect()
    }

    /// `named`: what each policy's Allow statements name, found once per policy.
    fn bucket(&self, action: &str, trust: bool, named: &mut FxMap<usize, Named>) -> Buckets<'o> {
        let org = self.org;
        let matched = self.arns.matched(action);
        let mut b = Buckets::default();
        if matched.is_empty() {
            b.arns.push("*".into());
            b.always.push(0);
            return b;
        }
        for m in matched {
            let i = b.arns.len() as u32;
            // An object form that is also an ARN of the org would be counted twice.
            if m.entity.is_none() && org.by_arn(&m.text).is_some() {
                b.every = true;
            }
            let (policy, account) = self.target(&m, action, trust);
            // A user or role whose boundary changed is looked at for every action too
            // (only the IAM actions that carry its boundary need it; few are).
            let touched = self.t.own_policy_changed(&m.text)
                || (!self.t.rebounded.is_empty() && self.t.rebounded.contains(&*m.text));
            b.arns.push(m.text);
            let Some(account) = account.filter(|_| !touched) else {
                b.always.push(i);
                continue;
            };
            b.by_account.entry(account).or_default().push(i);
            if let Some(p) = policy {
                let named = named
                    .entry(p as *const Policy as usize)
                    .or_insert_with(|| named_by(p));
                if named.everyone {
                    b.always.push(i);
                }
                for a in named.accounts.iter().filter(|a| *a != account) {
                    b.by_named.entry(a.clone()).or_default().push(i);
                }
            }
        }
        b
    }

    /// The policy and account of what holds the ARN, as [`Held::new`] finds them, read
    /// straight from the entity where that is certain (ARNs name one thing in an org).
    fn target(
        &self,
        m: &super::impact::Matched<'o>,
        action: &str,
        trust: bool,
    ) -> (Option<&'o Policy>, Option<&'o str>) {
        let org = self.org;
        let role_arn = m.service == "iam" && m.resource.starts_with("role/");
        let arn_account = Some(m.account).filter(|a| crate::policy::request::is_account_id(a));
        match m.entity {
            Some(Entity::Resource(r)) if !(trust && role_arn) => {
                let res = org.resource(r);
                (
                    res.policy.map(|p| &**org.compiled(p)),
                    Some(&*org.account(res.account).id),
                )
            }
            Some(Entity::Role(r)) if trust && role_arn => {
                let role = org.role(r);
                (
                    role.trust.map(|p| &**org.compiled(p)),
                    Some(&*org.account(role.account).id),
                )
            }
            // Not a resource, not an S3 ARN (an object's bucket), not a trust
            // policy: nothing holds it, its ARN's account is taken.
            Some(Entity::Role(_) | Entity::User(_) | Entity::Group(_))
                if m.service != "s3" && !(trust && role_arn) =>
            {
                (None, arn_account)
            }
            _ => {
                let held = Held::new(org, action, &m.text);
                let account = held.account_id.as_deref().map(|id| {
                    org.account_by_id(id)
                        .map(|a| &*org.account(a).id)
                        .or(arn_account.filter(|a| *a == id))
                });
                (held.policy, account.flatten())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The target read from the entity is the one [`Held::new`] finds, for every ARN
    /// of acme and of a generated org, for actions on roles (trust and not), users,
    /// buckets, objects, keys and queues.
    #[test]
    fn targets_read_from_entities_are_those_held_finds() {
        let t = Touched::default();
        let mut checked = 0;
        for org in [
            crate::org::load_builtin_acme(),
            crate::org::generate::generate_org(3, 5),
        ] {
            let c = Candidates::new(&org, &t);
            for action in [
                "sts:AssumeRole",
                "iam:DeleteRole",
                "iam:CreateUser",
                "s3:PutObject",
                "s3:DeleteBucket",
                "kms:Decrypt",
                "sqs:SendMessage",
                "iam:AddUserToGroup",
            ] {
                let trust = crate::analysis::assemble::resource_holder_is_trust(action);
                for m in c.arns.matched(action) {
                    let (policy, account) = c.target(&m, action, trust);
                    let held = Held::new(&org, action, &m.text);
                    assert_eq!(account, held.account_id.as_deref(), "{action} {}", m.text);
                    assert_eq!(
                        policy.map(|p| p as *const Policy),
                        held.policy.map(|p| p as *const Policy),
                        "{action} {}",
                        m.text
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }
}
