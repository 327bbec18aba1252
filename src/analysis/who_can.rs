//! Who can do action A on resource R? Every principal of the org, evaluated in
//! parallel; those that depend on context; the near misses (blocked only by an SCP or
//! a boundary); and whoever outside the org the resource's policy lets in.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::AnalysisError;
use super::assemble::{Ask, Shared, Subject, Target};
use super::letting_in;
use crate::engine::{self, Decision, Layer};
use crate::org::{AccountIx, Org, PrincipalIx};
use crate::policy::request::Asked;
use crate::policy::{Context, NamedPrincipal, Policy, Request};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhoCanAnswer {
    pub action: String,
    pub resource: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    /// Allowed with the context given.
    pub allowed: Vec<Hit>,
    /// Not allowed with the context given, allowed for some value of a key the
    /// policies read (e.g. `aws:MultiFactorAuthPresent`).
    pub conditional: Vec<Hit>,
    /// Denied only by an SCP or a permissions boundary: without that layer, allowed;
    /// and no value of a key the request lacks lets them in (those are conditional).
    pub near_misses: Vec<NearMiss>,
    /// Account root users allowed with the context given (all permissions in their
    /// own account unless an SCP or RCP denies; elsewhere only where a resource policy
    /// lets them in). Root users allowed only under conditions are in `conditional`,
    /// with `kind` "root"; they are never near misses (an SCP is all that holds a
    /// member account's root user, so every one would be).
    pub root_users: Vec<Hit>,
    /// Principals outside the org that the resource's policy names.
    pub outside: Vec<Outsider>,
    /// Who an S3 ACL could let in is not listed: orgscope does not read ACLs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acls: Option<String>,
    /// What the answer cannot tell, said beside it: a Deny of the resource's policy
    /// naming a canonical user, which orgscope cannot map to an account. (Not `notes`:
    /// the command line adds the question's notes under that name.)
    pub caveats: Vec<String>,
    /// How many principals were evaluated.
    pub evaluated: usize,
    /// The resource's account is unknown (an S3 ARN the org does not hold): each
    /// principal was evaluated as if the resource were in its own account.
    pub resource_account_assumed: bool,
    /// For a resource pattern: the resources asked, one for each class of the covered
    /// resources that the org's policies treat alike (empty for one resource).
    pub covered: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    pub principal: String,
    /// `user`, `role` or `root` (an account's root user).
    pub kind: &'static str,
    pub account: String,
    pub account_name: String,
    /// For conditional hits: the key values under which it is allowed (empty for
    /// the others).
    pub when: Vec<Condition>,
    /// For a resource pattern: the covered resource where it stands so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    pub key: String,
    /// `None`: some value of the key, not worked out (too many to try together).
    pub value: Option<String>,
}

/// `aws:securetransport=true`, or `aws:sourcevpc=(some value)` when unresolved.
impl std::fmt::Display for Condition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = self.value.as_deref().unwrap_or("(some value)");
        write!(f, "{}={value}", self.key)
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NearMiss {
    pub principal: String,
    /// `user` or `role`.
    pub kind: &'static str,
    pub account: String,
    pub account_name: String,
    pub blocked_by: Layer,
    /// For an SCP level: the root, OU or account it is attached to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_at: Option<crate::engine::LevelNode>,
    /// The policies of that layer whose statements blocked (denies), if any.
    pub policies: Vec<String>,
    /// For a resource pattern: the covered resource where it stands so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outsider {
    /// `everyone`, `account`, `arn`, `service`, `federated`, `canonicalUser`.
    pub kind: &'static str,
    pub who: String,
    pub policy: String,
    pub statement: String,
    /// Whether the statement carries conditions that narrow it.
    pub conditional: bool,
    /// The resource side alone (the policy and the RCPs), with the caller's own
    /// account assumed to allow; `None` where orgscope cannot evaluate the caller
    /// (services, federated providers).
    pub resource_side: Option<Decision>,
    /// The layer that keeps the resource side shut, where it does: an RCP, the
    /// policy itself, or S3 Block Public Access (`{"layer": "aws", "rule":
    /// "blockPublicAccess"}`), which shuts a public bucket policy to everyone outside
    /// the owner's account but AWS services.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Layer>,
    /// When the resource side does not allow with the context given: key values
    /// that let it through (empty otherwise).
    pub when: Vec<Condition>,
    /// For a resource pattern: the covered resource whose policy names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// The statement's place in the policy (two statements may share a Sid).
    #[serde(skip)]
    pub statement_index: usize,
}

/// Every principal of the org that can do `ask`.
pub fn who_can(org: &Org, ask: &Ask) -> Result<WhoCanAnswer, AnalysisError> {
    who_can_until(org, ask, super::Watch::NONE)
}

/// As [`who_can`], counting principals in `watch`'s progress and giving up (with
/// [`AnalysisError::Cancelled`]) as soon as its stop says so.
pub fn who_can_until(
    org: &Org,
    ask: &Ask,
    watch: super::Watch<'_>,
) -> Result<WhoCanAnswer, AnalysisError> {
    who_can_among(org, ask, Among::All, watch)
}

/// The principals a who-can evaluates: all of them, or only some (what-if re-decides
/// only what a change can touch; the others' answers are the same as before).
#[derive(Debug, Clone, Copy)]
pub enum Among<'a> {
    All,
    Only {
        principals: &'a [PrincipalIx],
        /// The accounts whose root users are evaluated.
        roots: &'a [AccountIx],
    },
}

/// As [`who_can_until`], over the principals `among` names; the answer lists only
/// them (and, as always, whoever outside the org the resource's policy names).
pub fn who_can_among(
    org: &Org,
    ask: &Ask,
    among: Among<'_>,
    watch: super::Watch<'_>,
) -> Result<WhoCanAnswer, AnalysisError> {
    who_can_among_reusing(org, ask, among, watch, &mut Reuse::default())
}

/// What one question over some principals ([`Among::Only`]) leaves for the next: the
/// per-account data of its principals' accounts (SCP levels, org paths) for each of
/// the last two orgs asked, reused where the next question of that org asks of the
/// same accounts with the same context (each checks the org's stamp); and the
/// parsed action and resource and the request with no principal, which depend on
/// nothing but the action and resource (a what-if may ask a question of the org
/// before and after).
#[derive(Default)]
pub struct Reuse<'o> {
    shared: Vec<Shared<'o>>,
    asked: Option<Arc<Asked>>,
    probe: Option<Request>,
}

/// As [`who_can_among`], keeping in `reuse` what the next question of `org` over
/// the same accounts can reuse (what-if asks thousands of questions of one
/// principal). The same answer as [`who_can_among`].
pub fn who_can_among_reusing<'o>(
    org: &'o Org,
    ask: &Ask,
    among: Among<'_>,
    watch: super::Watch<'_>,
    reuse: &mut Reuse<'o>,
) -> Result<WhoCanAnswer, AnalysisError> {
    // The action and resource, validated and parsed once: every principal's request
    // shares them.
    let asked = match reuse.asked.take() {
        Some(a) if a.is(&ask.action, &ask.resource) => a,
        _ => Arc::new(Asked::new(&ask.action, &ask.resource)?),
    };
    let tgt = ask.checked_target(org)?;
    // The prefilter reads every document of the org: worth it only over many
    // principals (it is sound, so leaving it out changes no answer).
    let few = matches!(among, Among::Only { principals, .. } if principals.len() < 256);
    // The request with no principal, which statements are matched against before any
    // principal is evaluated: made only where something reads it (the prefilter, the
    // resource's policy). What-if asks thousands of questions on resources without one.
    let probe = if few && tgt.policy.is_none() {
        None
    } else {
        Some(match reuse.probe.take() {
            Some(p) if Arc::ptr_eq(p.asked(), &asked) => p,
            _ => Request::asking(asked.clone(), "anonymous", None, Context::default())?,
        })
    };
    let prefilter = probe
        .as_ref()
        .filter(|_| !few)
        .map(|p| Prefilter::new(org, p, &tgt));
    // The per-account state (SCP levels, org paths) only for the accounts asked about:
    // what-if asks of a few principals on thousands of questions.
    let fresh;
    let shared: &Shared<'o> = match among {
        Among::All => {
            fresh = Shared::new(org, ask, &tgt, None);
            &fresh
        }
        Among::Only { principals, roots } => {
            let accounts: Vec<AccountIx> = principals
                .iter()
                .map(|&p| org.principal_account(p))
                .chain(roots.iter().copied())
                .collect();
            let kept = reuse
                .shared
                .iter_mut()
                .position(|s| s.reuse_for(org, ask, &tgt, &accounts, Some(asked.clone())));
            let at = match kept {
                Some(i) => i,
                None => {
                    let built =
                        Shared::for_accounts_asking(org, ask, &tgt, accounts, Some(asked.clone()));
                    // The oldest goes: a what-if alternates between two orgs.
                    if reuse.shared.len() >= 2 {
                        reuse.shared.remove(0);
                    }
                    reuse.shared.push(built);
                    reuse.shared.len() - 1
                }
            };
            &reuse.shared[at]
        }
    };
    let principals: Vec<PrincipalIx> = match among {
        Among::All => (0..org.users().len())
            .map(|i| PrincipalIx::User(crate::org::UserIx::new(i)))
            .chain((0..org.roles().len()).map(|i| PrincipalIx::Role(crate::org::RoleIx::new(i))))
            .collect(),
        Among::Only { principals, .. } => principals.to_vec(),
    };
    watch.begin(principals.len());
    let mut results: Vec<(Subject, Outcome)> = principals
        .par_iter()
        .enumerate()
        .filter_map(|(i, &p)| {
            // Counted by the thousand: one shared counter touched per principal
            // would cost more than the evaluation saved by the prefilter.
            if i % 1024 == 1023 {
                watch.advance(1024);
            }
            if watch.stopped() || prefilter.as_ref().is_some_and(|f| !f.may_allow(org, p)) {
                return None;
            }
            let s = Subject::Principal(p);
            Some((s, evaluate(org, s, ask, &tgt, shared).ok()?))
        })
        .collect();
    watch.advance(principals.len() % 1024);
    if watch.stopped() {
        return Err(AnalysisError::Cancelled);
    }
    // Root users are sorted like everyone else: allowed, conditional, near misses.
    let roots: Vec<AccountIx> = match among {
        Among::All => (0..org.accounts().len()).map(AccountIx::new).collect(),
        Among::Only { roots, .. } => roots.to_vec(),
    };
    results.par_extend(roots.into_par_iter().filter_map(|a| {
        let s = Subject::Root(a);
        Some((s, evaluate(org, s, ask, &tgt, shared).ok()?))
    }));
    let evaluated = results.len();
    results.retain(|(_, r)| !matches!(r, Outcome::No));
    let sessions = named_sessions(org, ask, &tgt, shared, among, &results);
    // By account name, then ARN, sorted on what the org holds (each key looked up
    // once): the strings of the answer are made once, already in order.
    let rank = account_ranks(org, results.iter().map(|(s, _)| s.account(org)));
    let root_arns: HashMap<AccountIx, String> = results
        .iter()
        .filter_map(|(s, _)| match s {
            Subject::Root(a) => Some((
                *a,
                format!(
                    "arn:{}:iam::{}:root",
                    org.info().partition,
                    org.account(*a).id
                ),
            )),
            Subject::Principal(_) => None,
        })
        .collect();
    let arn_of = |s: Subject| match s {
        Subject::Principal(p) => org.principal_arn(p),
        Subject::Root(a) => root_arns[&a].as_str(),
    };
    let mut keyed: Vec<(u32, &str, Subject, Outcome)> = results
        .into_iter()
        .map(|(s, r)| (rank[&s.account(org)], arn_of(s), s, r))
        .collect();
    keyed.par_sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let entries: Vec<Entry> = keyed
        .into_par_iter()
        .map(|(_, arn, s, r)| {
            let account = org.account(s.account(org));
            let kind = match s {
                Subject::Principal(PrincipalIx::User(_)) => "user",
                Subject::Principal(PrincipalIx::Role(_)) => "role",
                Subject::Root(_) => "root",
            };
            let hit = |when| Hit {
                principal: arn.to_string(),
                kind,
                account: account.id.to_string(),
                account_name: account.name.to_string(),
                when,
                on: None,
            };
            match r {
                Outcome::Allowed if kind == "root" => Entry::Root(hit(Vec::new())),
                Outcome::Allowed => Entry::Allowed(hit(Vec::new())),
                Outcome::Conditional(when) => Entry::Conditional(hit(when)),
                // An SCP is all that holds a member account's root user back, so every
                // root user would be a near miss of whatever an SCP denies: noise.
                Outcome::NearMiss(..) if kind == "root" => Entry::No,
                Outcome::NearMiss(layer, policies) => Entry::NearMiss(NearMiss {
                    principal: arn.to_string(),
                    kind,
                    account: account.id.to_string(),
                    account_name: account.name.to_string(),
                    blocked_by: layer,
                    blocked_at: layer
                        .level()
                        .map(|l| super::layers::level_node(org, s.account(org), l)),
                    policies,
                    on: None,
                }),
                Outcome::No => Entry::No,
            }
        })
        .collect();
    let mut answer = WhoCanAnswer {
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        resource_account: tgt.account_id.clone(),
        allowed: Vec::new(),
        conditional: Vec::new(),
        near_misses: Vec::new(),
        root_users: Vec::new(),
        // Only a resource policy names outsiders.
        outside: probe
            .as_ref()
            .map_or_else(Vec::new, |p| outsiders(org, ask, &tgt, p)),
        acls: super::public_access::who_can_acl_note(
            org,
            &ask.action,
            &ask.resource,
            engine::public_acl_in(&Context::from_pairs(ask.context.iter().cloned())),
        ),
        evaluated,
        resource_account_assumed: tgt.account_id.is_none(),
        covered: Vec::new(),
        caveats: probe
            .as_ref()
            .and_then(|p| canonical_user_deny(&tgt, p))
            .into_iter()
            .chain(super::kms_grants::who_can_note(&ask.action, &ask.resource))
            .collect(),
    };
    for e in entries {
        match e {
            Entry::Allowed(h) => answer.allowed.push(h),
            Entry::Root(h) => answer.root_users.push(h),
            Entry::Conditional(h) => answer.conditional.push(h),
            Entry::NearMiss(n) => answer.near_misses.push(n),
            Entry::No => {}
        }
    }
    // After the principals: a session is one way in among its role's.
    answer.allowed.extend(sessions);
    reuse.asked = Some(asked);
    reuse.probe = probe;
    Ok(answer)
}

/// A Deny of the resource's policy that covers the request and names a canonical user
/// (an S3 account id): orgscope cannot tell which account it is, so it never matches,
/// yet AWS denies that account's principals: those listed may be denied.
fn canonical_user_deny(tgt: &Target<'_>, probe: &Request) -> Option<String> {
    let st = super::canonical_user_deny(tgt.policy?, |st| st.covers_action(probe))?;
    Some(format!(
        "the resource policy's Deny {} names a canonical user, which orgscope cannot map to an account: the principals of that account are denied by AWS, even where listed here",
        st.label()
    ))
}

/// The sessions of the org's roles that the resource's policy names by their session
/// ARN (IAM User Guide, "AWS JSON policy elements: Principal", role session
/// principals), where that session is allowed and its role, asked about as a session
/// no policy names, is not: listed with `kind` "session" (a role's trust policy that
/// lets in one Identity Center session would otherwise show nobody). `can` with the
/// session ARN gives the same answer.
fn named_sessions(
    org: &Org,
    ask: &Ask,
    tgt: &Target<'_>,
    shared: &Shared<'_>,
    among: Among<'_>,
    results: &[(Subject, Outcome)],
) -> Vec<Hit> {
    let Some(policy) = tgt.policy else {
        return Vec::new();
    };
    let mut arns: Vec<&str> = Vec::new();
    for st in policy.statements() {
        let Some((false, named)) = st.named_principals() else {
            continue;
        };
        for n in named {
            if let NamedPrincipal::Arn(arn) = n
                && super::assemble::session_name(arn).is_some()
                && !arns.contains(&arn)
            {
                arns.push(arn);
            }
        }
    }
    let mut hits = Vec::new();
    for arn in arns {
        let Some(p @ PrincipalIx::Role(_)) = org.principal_by_arn(arn) else {
            continue;
        };
        let asked = match among {
            Among::All => true,
            Among::Only { principals, .. } => principals.contains(&p),
        };
        let s = Subject::Principal(p);
        let role_allowed = results
            .iter()
            .any(|(r, o)| *r == s && matches!(o, Outcome::Allowed));
        if !asked || role_allowed {
            continue;
        }
        let as_session = super::assemble::with_session_of(arn, ask);
        let Ok(a) = super::assemble::assemble_shared(org, s, &as_session, tgt, shared) else {
            continue;
        };
        if engine::evaluate(&a.request, &a.set) == Decision::Allowed {
            let account = org.account(org.principal_account(p));
            hits.push(Hit {
                principal: arn.to_string(),
                kind: "session",
                account: account.id.to_string(),
                account_name: account.name.to_string(),
                when: Vec::new(),
                on: None,
            });
        }
    }
    hits
}

enum Outcome {
    Allowed,
    Conditional(Vec<Condition>),
    NearMiss(Layer, Vec<String>),
    No,
}

/// An outcome as the answer lists it.
enum Entry {
    Allowed(Hit),
    Root(Hit),
    Conditional(Hit),
    NearMiss(NearMiss),
    No,
}

/// The place of each of these accounts when they are sorted by name (then id, for
/// accounts that share a name).
fn account_ranks(org: &Org, accounts: impl Iterator<Item = AccountIx>) -> HashMap<AccountIx, u32> {
    let mut order: Vec<AccountIx> = accounts.collect();
    order.sort_unstable();
    order.dedup();
    order.sort_unstable_by_key(|&a| (&*org.account(a).name, &*org.account(a).id));
    order
        .into_iter()
        .enumerate()
        .map(|(place, a)| (a, place as u32))
        .collect()
}

fn evaluate<'o>(
    org: &'o Org,
    s: Subject,
    ask: &'o Ask,
    tgt: &Target<'o>,
    shared: &Shared<'o>,
) -> Result<Outcome, AnalysisError> {
    let mut a = super::assemble::assemble_shared(org, s, ask, tgt, shared)?;
    let (decision, blocked) = engine::decide(&a.request, &a.set);
    if decision == Decision::Allowed {
        return Ok(Outcome::Allowed);
    }
    // Conditional: some value of a key the request lacks lets it through. This comes
    // before the near miss: a principal that a real request (with a region, say) can
    // get through is not blocked.
    let when = letting_in(Some(org), &mut a.request, &a.set, decision);
    if !when.is_empty() {
        return Ok(Outcome::Conditional(when));
    }
    // Near miss: the only obstacle is an SCP level or the boundary.
    if let Some(layer @ (Layer::Scp(_) | Layer::Boundary)) = blocked {
        let mut without = a.set.clone();
        match layer {
            Layer::Boundary => without.boundary = None,
            _ => without.scps = Default::default(),
        }
        if engine::evaluate(&a.request, &without) == Decision::Allowed {
            let x = engine::explain(&a.request, &a.set);
            let mut policies: Vec<String> = x
                .layer(layer)
                .map(|l| l.statements.iter().map(|s| s.policy.clone()).collect())
                .unwrap_or_default();
            policies.dedup();
            return Ok(Outcome::NearMiss(layer, policies));
        }
    }
    Ok(Outcome::No)
}

/// Which principals can possibly be allowed, decided without evaluating them (sound:
/// a principal left out can be neither allowed, nor conditional, nor a near miss).
/// In the resource's account: one with an identity policy whose Allow covers the
/// action, or anyone when the resource policy allows. Across accounts both sides must
/// allow (IAM User Guide, "Cross-account policy evaluation logic"): the resource
/// policy must name the principal's account (or a principal in it, or everyone), and an
/// identity policy must cover the action.
struct Prefilter {
    /// The resource's account id; `None` when unknown (then each principal is taken
    /// to be in its own account).
    resource_account: Option<String>,
    /// The resource policy has an Allow that covers the request.
    resource_grants: bool,
    /// The accounts whose principals that Allow may name; `None`: any (`*`,
    /// `NotPrincipal`).
    named_accounts: Option<std::collections::HashSet<String>>,
    /// Per policy of the org: it has an Allow statement covering the action.
    allows: Vec<bool>,
    /// The action needs no permission (`sts:GetCallerIdentity`): every principal
    /// may be allowed, whatever its policies hold.
    everyone: bool,
}

impl Prefilter {
    fn new(org: &Org, probe: &Request, tgt: &Target) -> Prefilter {
        let doc_allows: Vec<bool> = org
            .docs()
            .iter()
            .map(|d| any_allow_covers(&d.policy, probe))
            .collect();
        let mut named_accounts = Some(std::collections::HashSet::new());
        let mut resource_grants = false;
        for s in tgt.policy.iter().flat_map(|p| p.statements()) {
            if s.effect != crate::policy::Effect::Allow || !s.covers_action(probe) {
                continue;
            }
            resource_grants = true;
            match s.named_principals() {
                Some((false, named)) => {
                    for n in named {
                        match n {
                            NamedPrincipal::Everyone => named_accounts = None,
                            NamedPrincipal::Account(a) => {
                                if let Some(set) = &mut named_accounts {
                                    set.insert(a.to_string());
                                }
                            }
                            NamedPrincipal::Arn(arn) => {
                                if let (Some(set), Some(parsed)) =
                                    (&mut named_accounts, crate::policy::Arn::parse(arn))
                                {
                                    set.insert(parsed.account().to_string());
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Some((true, _)) => named_accounts = None,
                // A resource policy statement without Principal grants nobody.
                None => {}
            }
        }
        Prefilter {
            everyone: probe.action_lower() == "sts:getcalleridentity",
            resource_account: tgt.account_id.clone(),
            resource_grants,
            named_accounts,
            allows: org
                .policies()
                .iter()
                .map(|r| doc_allows[r.doc.index()])
                .collect(),
        }
    }

    fn may_allow(&self, org: &Org, p: PrincipalIx) -> bool {
        if self.everyone {
            return true;
        }
        let account = &*org.account(org.principal_account(p)).id;
        let identity = || org.identity_policies(p).any(|x| self.allows[x.index()]);
        match &self.resource_account {
            Some(r) if r != account => {
                self.resource_grants
                    && self
                        .named_accounts
                        .as_ref()
                        .is_none_or(|set| set.contains(account))
                    && identity()
            }
            _ => self.resource_grants || identity(),
        }
    }
}

/// Whether an Allow of the policy may cover the request. The resource is checked
/// only where the statement's resource patterns hold no policy variable: a variable
/// depends on the principal, which the probe does not have, so such a statement is
/// kept.
fn any_allow_covers(policy: &Policy, probe: &Request) -> bool {
    policy.statements().iter().any(|s| {
        let variables = s
            .resource_patterns()
            .is_some_and(|(_, rs)| rs.iter().any(|r| r.contains("${")));
        s.effect == crate::policy::Effect::Allow
            && s.covers_action(probe)
            && (variables || s.covers(probe))
    })
}

/// Principals outside the org named by Allow statements of the resource's policy that
/// cover the request.
pub(crate) fn outsiders(org: &Org, ask: &Ask, tgt: &Target, probe: &Request) -> Vec<Outsider> {
    let Some(policy) = tgt.policy else {
        return Vec::new();
    };
    let in_org = |account: &str| org.account_by_id(account).is_some();
    let mut out = Vec::new();
    for (k, s) in policy.statements().iter().enumerate() {
        if s.effect != crate::policy::Effect::Allow || !s.covers(probe) {
            continue;
        }
        let Some((false, named)) = s.named_principals() else {
            continue;
        };
        for n in named {
            use super::outside::Outside;
            let (kind, who, caller) = match n {
                NamedPrincipal::Everyone => ("everyone", "*".to_string(), Some(Outside::Anonymous)),
                NamedPrincipal::Account(a) if !in_org(a) => (
                    "account",
                    a.to_string(),
                    Some(Outside::Account(format!("arn:aws:iam::{a}:root"))),
                ),
                NamedPrincipal::Arn(arn) => match crate::policy::Arn::parse(arn) {
                    Some(parsed) if !in_org(parsed.account()) => (
                        "arn",
                        arn.to_string(),
                        // An ARN the engine cannot take as a caller (a malformed
                        // account) is listed, not evaluated.
                        crate::policy::Principal::parse(arn)
                            .ok()
                            .map(|_| Outside::Account(arn.to_string())),
                    ),
                    _ => continue,
                },
                NamedPrincipal::Service(v) => (
                    "service",
                    v.to_string(),
                    crate::policy::principal::is_service_principal(v)
                        .then(|| Outside::Service(v.to_string())),
                ),
                NamedPrincipal::Federated(v) => ("federated", v.to_string(), None),
                NamedPrincipal::CanonicalUser(v) => ("canonicalUser", v.to_string(), None),
                NamedPrincipal::Account(_) => continue,
            };
            let mut side = caller.and_then(|c| super::outside::resource_side(org, ask, tgt, &c));
            // A policy naming an account lets in every principal of it, not only its
            // root user, which AWS refuses some actions (it cannot assume a role): the
            // account is listed with the better answer of its root user and of an IAM
            // principal no policy names, so access through it is never left out.
            if let (NamedPrincipal::Account(a), Some((d, ..))) = (&n, &side)
                && *d != Decision::Allowed
            {
                let member = super::outside::Outside::Account(format!(
                    "arn:aws:iam::{a}:role/{}",
                    super::outside::ANY_PRINCIPAL
                ));
                let other = super::outside::resource_side(org, ask, tgt, &member);
                if other.as_ref().is_some_and(|o| {
                    o.0 == Decision::Allowed
                        || (!o.2.is_empty() && side.as_ref().is_some_and(|s| s.2.is_empty()))
                }) {
                    side = other;
                }
            }
            let (resource_side, blocked_by, when) = match side {
                Some((d, blocked, when)) => (Some(d), blocked, when),
                None => (None, None, Vec::new()),
            };
            out.push(Outsider {
                kind,
                who,
                policy: policy.name().to_string(),
                statement: s.label(),
                conditional: !s.conditions.is_empty(),
                resource_side,
                blocked_by,
                when,
                on: None,
                statement_index: k,
            });
        }
    }
    out
}
