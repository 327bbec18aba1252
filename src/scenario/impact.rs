//! Who gains and who loses what: the questions a scenario can change, asked of the
//! org before and after through `analysis::who_can`, and the answers compared.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use super::candidates::{Candidates, KeyId, key_id};
use super::touched::{Touched, touched};
use crate::analysis::who_can::{Condition, Outsider};
use crate::analysis::{self, Among, AnalysisError, Ask, WhoCanAnswer};
use crate::catalog::{AccessLevel, Catalog};
use crate::engine::Decision;
use crate::org::{AccountIx, Entity, Org, Parent, PrincipalIx};
use crate::policy::arn::ArnPattern;
use crate::policy::{Context, Effect, NamedPrincipal, Policy, Request};

/// What to ask: which actions, which principals.
#[derive(Debug, Clone, Default)]
pub struct ImpactOptions {
    /// Actions or patterns (`s3:Put*`); `None`: every action a changed statement can
    /// match.
    pub actions: Option<Vec<String>>,
    /// Access levels kept; `None`: Write and Permissions management for the default
    /// actions, every level for actions given.
    pub levels: Option<Vec<AccessLevel>>,
    /// The root, OUs, accounts (the principals under them) or principals (ARN or
    /// unique name); empty: the whole org.
    pub scope: Vec<String>,
    /// Context given to every question, as `--context` gives it.
    pub context: Vec<(String, Vec<String>)>,
    /// Re-decide every principal on every question instead of only what the
    /// scenario touches: the reference the incremental path is tested against.
    pub full: bool,
    /// Counts the questions asked and stops the diff when cancelled (the TUI computes
    /// a diff off the UI thread and drops it when the scenario changes).
    pub progress: Option<Arc<Progress>>,
}

/// How far a diff has got, readable from another thread; cancelling it makes
/// [`impact`] return [`AnalysisError::Cancelled`] at the next question.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// Questions asked so far, and how many there are (0 until the actions are known).
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Counts `n` questions as asked, or stops the diff, counting nothing, once
    /// cancelled: the actions run in parallel, and each would count one more.
    fn step_by(&self, n: usize) -> Result<(), AnalysisError> {
        if self.is_cancelled() {
            return Err(AnalysisError::Cancelled);
        }
        self.done.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }
}

/// How a principal stands on one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Standing {
    Allowed,
    /// Allowed only for some values of keys the question does not give.
    Conditional,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Access {
    pub action: String,
    pub resource: String,
    /// How it stood (lost) or stands (gained).
    pub standing: Standing,
    /// For a conditional standing: the key values under which it is allowed.
    pub when: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Shift {
    pub action: String,
    pub resource: String,
    pub before: Standing,
    pub after: Standing,
    /// The conditional side's key values.
    pub when: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrincipalImpact {
    pub principal: String,
    pub gained: Vec<Access>,
    pub lost: Vec<Access>,
    /// Between allowed and allowed only under conditions.
    pub changed: Vec<Shift>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountImpact {
    pub account: String,
    pub account_name: String,
    pub principals: Vec<PrincipalImpact>,
}

/// A principal outside the org whose access through a resource or trust policy changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutsideChange {
    pub action: String,
    pub resource: String,
    /// As who-can's `outside`: everyone, account, arn, service, federated, canonicalUser.
    pub kind: String,
    pub who: String,
    /// `gained`, `lost` or `changed`.
    pub change: &'static str,
    /// `allowed`, `conditional`, `named` (a service or provider, whose side orgscope
    /// cannot evaluate) or `denied` (named, but the resource side refuses); null where
    /// the policy does not name it.
    pub before: Option<&'static str>,
    pub after: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    /// The scenario's changes, one line each.
    pub changes: Vec<String>,
    /// The actions asked, sorted.
    pub actions: Vec<String>,
    /// How many (action, resource) questions were asked of each org.
    pub questions: usize,
    /// Principals of the org whose answer changes, by account (sorted by name).
    pub accounts: Vec<AccountImpact>,
    pub outside: Vec<OutsideChange>,
}

impl Impact {
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty() && self.outside.is_empty()
    }
}

/// The diff of `after` (the org as a scenario changes it) against `before`.
pub fn impact(
    before: &Org,
    after: &Org,
    changes: &[String],
    options: &ImpactOptions,
) -> Result<Impact, AnalysisError> {
    let t = touched(before, after);
    let (actions, probes): (Vec<String>, Vec<Option<&Probe>>) =
        action_set(&t, options)?.into_iter().unzip();
    let keys: Vec<KeyId> = actions
        .iter()
        .zip(&probes)
        .map(|(a, p)| key_id(a, p.map(|p| p.position)))
        .collect();
    let scope = Scope::new(after, before, &options.scope)?;
    let mut questions = 0;
    // principal -> account, and the lines per principal.
    let mut per: BTreeMap<String, PrincipalImpact> = BTreeMap::new();
    let mut outside = Vec::new();
    let plan = (Plan::new(before, &t), Plan::new(after, &t));
    // Edits in memory that write no resource side: a resource's policy and account
    // are the same in both orgs, looked up once.
    let same_sides = after.edits_since(before).is_some_and(|e| e.same_sides());
    // In memory, only the ARNs an index says can give a line are looked at; the
    // others are counted.
    let mut index = (!options.full && same_sides).then(|| Candidates::new(before, &t));
    let mut listed: Vec<Vec<String>> = Vec::new();
    let counts: Vec<usize> = match index.as_mut() {
        Some(ix) => {
            ix.prepare(&actions, &keys);
            actions
                .iter()
                .zip(&keys)
                .map(|(a, &k)| ix.count(a, k))
                .collect()
        }
        None => {
            let arns = ResourceArns::new(before, after);
            listed = actions.iter().map(|a| arns.for_action(a)).collect();
            listed.iter().map(Vec::len).collect()
        }
    };
    if let Some(p) = &options.progress {
        p.start(counts.iter().sum());
    }
    // The accounts (by id) with a principal or root user re-decided in either org.
    let redecided: HashSet<&str> = [(before, &plan.0), (after, &plan.1)]
        .into_iter()
        .flat_map(|(org, plan)| {
            plan.principals
                .iter()
                .map(|&p| org.principal_account(p))
                .chain(plan.roots.iter().copied())
                .map(|a| &*org.account(a).id)
        })
        .collect();
    // What each action asks, found in order (the index keeps its memo); the
    // questions are then asked action by action in parallel, each action's lines
    // kept apart and merged in the actions' order: the same diff as one by one.
    let listed: Vec<Option<Vec<String>>> = if listed.is_empty() {
        actions.iter().map(|_| None).collect()
    } else {
        listed.into_iter().map(Some).collect()
    };
    // The action alone, to match statements' Action elements against: the catalog's,
    // made once per process, or built once per action for everything below that
    // matches it.
    type Work<'a> = (
        &'a String,
        Option<Cow<'static, Request>>,
        usize,
        Vec<String>,
        HashSet<&'a str>,
    );
    let work: Vec<Work> = actions
        .par_iter()
        .zip(probes)
        .zip(&keys)
        .zip(counts)
        .zip(listed)
        .map(|((((action, known), &key), count), listed)| {
            let probe = match known {
                Some(p) => p.req.as_ref().map(Cow::Borrowed),
                None => Request::new("anonymous", action, "*", None, Context::default())
                    .ok()
                    .map(Cow::Owned),
            };
            let resource_accounts = resource_accounts_for(&t, probe.as_deref());
            let resources = match (&index, listed) {
                (Some(ix), _) => {
                    let accounts = redecided.iter().chain(&resource_accounts).copied();
                    ix.for_action(action, key, accounts)
                }
                (None, listed) => listed.unwrap_or_default(),
            };
            (action, probe, count, resources, resource_accounts)
        })
        .collect();
    let in_memory = index.is_some();
    let per_action: Vec<ActionLines> = work
        .into_par_iter()
        // What a question leaves for the next on each worker: the principals' account
        // data of each org (mostly the same principals, whatever the action) and the
        // request with no principal (each question is asked before, then after).
        .map_init(
            analysis::Reuse::default,
            |reuse, (action, probe, count, resources, resource_accounts)| {
                let mut lines = ActionLines {
                    questions: count,
                    ..ActionLines::default()
                };
                let reach = if options.full {
                    None
                } else {
                    Some((
                        plan.0.reach(before, probe.as_deref()),
                        plan.1.reach(after, probe.as_deref()),
                    ))
                };
                let quiet = if in_memory {
                    None
                } else {
                    reach.as_ref().map(|(rb, ra)| {
                        Quiet::new(before, after, action, &t, &resource_accounts, [rb, ra])
                    })
                };
                // The questions the index leaves out count as done once those looked at are.
                let skipped = count.saturating_sub(resources.len());
                for resource in resources {
                    if let Some(p) = &options.progress {
                        p.step_by(1)?;
                    }
                    if quiet.as_ref().is_some_and(|q| q.holds(&resource)) {
                        continue;
                    }
                    let (among_b, among_a, whole) = match &reach {
                        None => (None, None, true),
                        Some((rb, ra)) => {
                            let hb = Held::new(before, action, &resource);
                            let ha = if same_sides {
                                hb.clone()
                            } else {
                                Held::new(after, action, &resource)
                            };
                            if resource_touched(&t, &resource_accounts, &hb, &ha, action, &resource)
                            {
                                // Only its account's RCPs or place changed: its account's
                                // principals and those its policy lets in, else everyone.
                                let narrowed = (!t.own_side_changed(action, &resource))
                                    .then(|| {
                                        Some((
                                            rb.among_resource_account(
                                                before,
                                                probe.as_deref(),
                                                &hb,
                                            )?,
                                            ra.among_resource_account(
                                                after,
                                                probe.as_deref(),
                                                &ha,
                                            )?,
                                        ))
                                    })
                                    .flatten();
                                match narrowed {
                                    Some((b, a)) => (Some(b), Some(a), true),
                                    None => (None, None, true),
                                }
                            } else {
                                let (b, a) = (
                                    rb.among(before, probe.as_deref(), &hb),
                                    ra.among(after, probe.as_deref(), &ha),
                                );
                                if b.0.is_empty()
                                    && b.1.is_empty()
                                    && a.0.is_empty()
                                    && a.1.is_empty()
                                {
                                    continue;
                                }
                                (Some(b), Some(a), false)
                            }
                        }
                    };
                    let ask = Ask {
                        action: action.clone(),
                        resource: resource.clone(),
                        context: options.context.clone(),
                        ..Ask::default()
                    };
                    // `None`: a side with nobody to re-decide, whose answer lists nobody, is
                    // not asked (a wide grant to one role re-decides it only after), unless
                    // its outsiders are compared.
                    fn ask_one<'o>(
                        org: &'o Org,
                        ask: &Ask,
                        among: &Option<(Vec<PrincipalIx>, Vec<AccountIx>)>,
                        whole: bool,
                        reuse: &mut analysis::Reuse<'o>,
                    ) -> Result<Option<WhoCanAnswer>, AnalysisError> {
                        match among {
                            None => analysis::who_can(org, ask).map(Some),
                            Some((p, r)) if p.is_empty() && r.is_empty() && !whole => Ok(None),
                            Some((principals, roots)) => analysis::who_can_among_reusing(
                                org,
                                ask,
                                Among::Only { principals, roots },
                                analysis::Watch::NONE,
                                reuse,
                            )
                            .map(Some),
                        }
                    }
                    let (b, a) = match (
                        ask_one(before, &ask, &among_b, whole, reuse),
                        ask_one(after, &ask, &among_a, whole, reuse),
                    ) {
                        (Ok(b), Ok(a)) => (b, a),
                        // A question neither org can ask (an alias for a key action): skip it.
                        // What refuses a question is its action and resource, the same in
                        // both orgs: a side not asked would have been refused too.
                        (Err(_), Err(_) | Ok(None)) | (Ok(None), Err(_)) => continue,
                        (Err(e), _) | (_, Err(e)) => return Err(e),
                    };
                    compare(
                        b.as_ref(),
                        a.as_ref(),
                        action,
                        &resource,
                        &scope,
                        &mut lines.per,
                    );
                    // Outsiders depend only on the resource side, which the incremental path
                    // leaves alone.
                    if whole && let (Some(b), Some(a)) = (&b, &a) {
                        lines
                            .outside
                            .extend(compare_outside(b, a, action, &resource));
                    }
                }
                if let Some(p) = &options.progress {
                    p.step_by(skipped)?;
                }
                Ok(lines)
            },
        )
        .collect::<Result<_, AnalysisError>>()?;
    for lines in per_action {
        questions += lines.questions;
        outside.extend(lines.outside);
        for (p, x) in lines.per {
            match per.entry(p) {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(x);
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    let o = o.get_mut();
                    o.gained.extend(x.gained);
                    o.lost.extend(x.lost);
                    o.changed.extend(x.changed);
                }
            }
        }
    }
    Ok(Impact {
        changes: changes.to_vec(),
        actions,
        questions,
        accounts: group(after, before, per),
        outside,
    })
}

/// What one action's questions found: its lines per principal, its outsiders, and
/// how many questions it counts.
#[derive(Default)]
struct ActionLines {
    per: BTreeMap<String, PrincipalImpact>,
    outside: Vec<OutsideChange>,
    questions: usize,
}

/// Each principal's standing in a who-can answer, root users included (nobody's in a
/// question not asked).
fn standings(w: Option<&WhoCanAnswer>) -> HashMap<&str, (Standing, &[Condition])> {
    let mut m = HashMap::new();
    let Some(w) = w else {
        return m;
    };
    for h in w.allowed.iter().chain(&w.root_users) {
        m.insert(h.principal.as_str(), (Standing::Allowed, &h.when[..]));
    }
    for h in &w.conditional {
        m.insert(h.principal.as_str(), (Standing::Conditional, &h.when[..]));
    }
    m
}

fn compare(
    b: Option<&WhoCanAnswer>,
    a: Option<&WhoCanAnswer>,
    action: &str,
    resource: &str,
    scope: &Scope,
    per: &mut BTreeMap<String, PrincipalImpact>,
) {
    let (sb, sa) = (standings(b), standings(a));
    let keys: BTreeSet<&str> = sb.keys().chain(sa.keys()).copied().collect();
    for p in keys {
        if !scope.holds(p) {
            continue;
        }
        let entry = || PrincipalImpact {
            principal: p.to_string(),
            gained: Vec::new(),
            lost: Vec::new(),
            changed: Vec::new(),
        };
        let access = |(standing, when): (Standing, &[Condition])| Access {
            action: action.to_string(),
            resource: resource.to_string(),
            standing,
            when: when.to_vec(),
        };
        match (sb.get(p).copied(), sa.get(p).copied()) {
            (None, Some(x)) => per
                .entry(p.to_string())
                .or_insert_with(entry)
                .gained
                .push(access(x)),
            (Some(x), None) => per
                .entry(p.to_string())
                .or_insert_with(entry)
                .lost
                .push(access(x)),
            (Some((sb, wb)), Some((sa, wa))) if sb != sa => {
                let when = if sa == Standing::Conditional { wa } else { wb };
                per.entry(p.to_string())
                    .or_insert_with(entry)
                    .changed
                    .push(Shift {
                        action: action.to_string(),
                        resource: resource.to_string(),
                        before: sb,
                        after: sa,
                        when: when.to_vec(),
                    });
            }
            _ => {}
        }
    }
}

fn outsider_state(o: &Outsider) -> &'static str {
    match o.resource_side {
        Some(Decision::Allowed) => "allowed",
        Some(_) if !o.when.is_empty() => "conditional",
        Some(_) => "denied",
        None => "named",
    }
}

fn compare_outside(
    b: &WhoCanAnswer,
    a: &WhoCanAnswer,
    action: &str,
    resource: &str,
) -> Vec<OutsideChange> {
    // The best standing per (kind, who): several statements may name one caller.
    fn states(w: &WhoCanAnswer) -> BTreeMap<(&'static str, &str), &'static str> {
        let rank = |s: &str| {
            ["denied", "named", "conditional", "allowed"]
                .iter()
                .position(|x| *x == s)
        };
        let mut m: BTreeMap<(&'static str, &str), &'static str> = BTreeMap::new();
        for o in &w.outside {
            let s = outsider_state(o);
            let e = m.entry((o.kind, o.who.as_str())).or_insert(s);
            if rank(s) > rank(e) {
                *e = s;
            }
        }
        m
    }
    let (sb, sa) = (states(b), states(a));
    let keys: BTreeSet<(&'static str, &str)> = sb.keys().chain(sa.keys()).copied().collect();
    let reaches = |s: Option<&&str>| s.is_some_and(|s| *s != "denied");
    keys.into_iter()
        .filter_map(|k| {
            let (before, after) = (sb.get(&k), sa.get(&k));
            if before == after {
                return None;
            }
            let change = match (reaches(before), reaches(after)) {
                (false, true) => "gained",
                (true, false) => "lost",
                _ => "changed",
            };
            Some(OutsideChange {
                action: action.to_string(),
                resource: resource.to_string(),
                kind: k.0.to_string(),
                who: k.1.to_string(),
                change,
                before: before.copied(),
                after: after.copied(),
            })
        })
        .collect()
}

/// Principals by account, accounts by name, using the changed org's names (an
/// account that exists only before keeps its old name).
fn group(after: &Org, before: &Org, per: BTreeMap<String, PrincipalImpact>) -> Vec<AccountImpact> {
    let mut by: BTreeMap<(String, String), Vec<PrincipalImpact>> = BTreeMap::new();
    for (arn, p) in per {
        let id = crate::policy::Arn::parse(&arn)
            .map(|a| a.account().to_string())
            .unwrap_or_default();
        let name = [after, before]
            .iter()
            .find_map(|o| o.account_by_id(&id).map(|a| o.account(a).name.to_string()))
            .unwrap_or_default();
        by.entry((name, id)).or_default().push(p);
    }
    by.into_iter()
        .map(|((account_name, account), principals)| AccountImpact {
            account,
            account_name,
            principals,
        })
        .collect()
}

// ---- the actions ----------------------------------------------------------------------

/// A catalog action as a diff asks it: its full name, level and place in the catalog,
/// and the request with no principal to match statements against.
pub(super) struct Probe {
    full: String,
    level: AccessLevel,
    position: usize,
    req: Option<Request>,
}

/// Every catalog action's [`Probe`], in the catalog's order, and their places sorted
/// by full name (the order of a diff's actions): made once per process, as a wide
/// grant's diff asks some 12,000 of them.
struct Probes {
    list: Vec<Probe>,
    by_name: Vec<usize>,
}

fn probes() -> &'static Probes {
    static PROBES: OnceLock<Probes> = OnceLock::new();
    PROBES.get_or_init(|| {
        let list: Vec<Probe> = Catalog::get()
            .actions()
            .enumerate()
            .map(|(position, a)| {
                let full = a.full_name();
                let req = Request::new("anonymous", &full, "*", None, Context::default()).ok();
                Probe {
                    full,
                    level: a.level,
                    position,
                    req,
                }
            })
            .collect();
        let mut by_name: Vec<usize> = (0..list.len()).collect();
        by_name.sort_by(|&a, &b| list[a].full.cmp(&list[b].full));
        Probes { list, by_name }
    })
}

/// The actions a statement of these policies can match, from the catalog.
pub fn matched_actions(docs: &[std::sync::Arc<Policy>]) -> BTreeSet<String> {
    matched_actions_at(docs, |_| true)
        .into_iter()
        .map(|p| p.full.clone())
        .collect()
}

/// The catalog's actions in the order of their full names, those of the access levels
/// `wanted` keeps, each with `keep`, in parallel.
fn catalog_actions(
    wanted: impl Fn(AccessLevel) -> bool + Sync,
    keep: impl Fn(&Request) -> bool + Sync,
) -> Vec<&'static Probe> {
    let probes = probes();
    probes
        .by_name
        .par_iter()
        .map(|&i| &probes.list[i])
        .filter(|p| wanted(p.level) && p.req.as_ref().is_some_and(&keep))
        .collect()
}

/// [`matched_actions`] of the access levels `wanted` keeps (looked at first: it is
/// cheaper than matching), sorted by full name.
fn matched_actions_at(
    docs: &[std::sync::Arc<Policy>],
    wanted: impl Fn(AccessLevel) -> bool + Sync,
) -> Vec<&'static Probe> {
    catalog_actions(wanted, |req| {
        docs.iter()
            .any(|d| d.statements().iter().any(|s| s.covers_action(req)))
    })
}

/// The actions a policy of a changed SCP or RCP level matches, where some account's
/// levels decide them differently before and after (src/scenario/levels.rs): moving
/// an account under FullAWSAccess everywhere to another depth asks none of the
/// actions FullAWSAccess matches, only those a policy on one path but not the other
/// can decide. Only those of the access levels `wanted` keeps.
fn level_actions(t: &Touched, wanted: impl Fn(AccessLevel) -> bool + Sync) -> Vec<&'static Probe> {
    if t.level_docs.is_empty() {
        return Vec::new();
    }
    let differs = |pairs: &[super::levels::LevelPair], req: &Request| {
        pairs.iter().any(|p| !super::levels::decide_alike(p, req))
    };
    catalog_actions(wanted, |req| {
        let matched = t
            .level_docs
            .iter()
            .any(|d| d.statements().iter().any(|s| s.covers_action(req)));
        matched && (differs(&t.scp_pairs, req) || differs(&t.rcp_pairs, req))
    })
}

/// The actions a diff asks, sorted: each by full name, with its probe where the
/// catalog knows it.
fn action_set(
    t: &Touched,
    options: &ImpactOptions,
) -> Result<Vec<(String, Option<&'static Probe>)>, AnalysisError> {
    let catalog = Catalog::get();
    let default_levels = [AccessLevel::Write, AccessLevel::PermissionsManagement];
    let (candidates, levels): (BTreeSet<String>, Option<&[AccessLevel]>) = match &options.actions {
        Some(list) => {
            let mut set = BTreeSet::new();
            for pattern in list {
                if pattern.contains(['*', '?']) {
                    set.extend(catalog.expand(pattern).into_iter().map(|a| a.full_name()));
                } else {
                    // An action the catalog does not know is still asked (the CLI notes it).
                    set.insert(
                        catalog
                            .action(pattern)
                            .map_or_else(|| pattern.clone(), |a| a.full_name()),
                    );
                }
            }
            (set, options.levels.as_deref())
        }
        None => {
            // Both lists are of the catalog's actions of these levels, sorted by name.
            let levels = options.levels.as_deref().unwrap_or(&default_levels);
            let wanted = |l: AccessLevel| levels.contains(&l);
            let mut set = matched_actions_at(&t.docs, wanted);
            set.extend(level_actions(t, wanted));
            set.sort_by(|a, b| a.full.cmp(&b.full));
            set.dedup_by(|a, b| std::ptr::eq(*a, *b));
            return Ok(set.into_iter().map(|p| (p.full.clone(), Some(p))).collect());
        }
    };
    let probes = probes();
    Ok(candidates
        .into_iter()
        .map(|a| {
            let probe = catalog.action_position(&a).map(|i| &probes.list[i]);
            (a, probe)
        })
        .filter(|(_, probe)| match (levels, probe) {
            (Some(levels), Some(p)) => levels.contains(&p.level),
            _ => true,
        })
        .collect())
}

// ---- the resources --------------------------------------------------------------------

/// The ARN templates of the resource types an action acts on, each variable made a
/// wildcard; empty: it acts on `*` (or the catalog does not know it).
pub(super) fn type_templates(action: &str) -> Vec<String> {
    let catalog = Catalog::get();
    let Some(a) = catalog.action(action) else {
        return Vec::new();
    };
    let Some(service) = catalog.service_info(a.service) else {
        return Vec::new();
    };
    a.resource_types
        .iter()
        .filter_map(|t| service.resources.iter().find(|d| d.name == t.name))
        .map(|d| variables_as_wildcards(&d.arn))
        .collect()
}

/// The ARN patterns of these templates; empty: the action acts on `*`.
fn compile_templates(templates: &[String]) -> Vec<crate::policy::arn::ArnPattern> {
    templates
        .iter()
        .map(|t| crate::policy::arn::ArnPattern::compile(t, false))
        .collect()
}

/// The services named by these templates; `None` when one names no literal service
/// (then every ARN is matched).
fn type_services(templates: &[String]) -> Option<BTreeSet<String>> {
    templates
        .iter()
        .map(|template| {
            let parts: Vec<&str> = template.splitn(6, ':').collect();
            let name = parts
                .get(2)
                .filter(|_| parts.len() == 6 && parts[0] == "arn")?;
            (!name.contains(['*', '?'])).then(|| name.to_string())
        })
        .collect()
}

/// `arn:${Partition}:s3:::${BucketName}` as the pattern `arn:*:s3:::*`.
fn variables_as_wildcards(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = rest[start..]
            .find('}')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The org's own resources an action acts on, in either org: resources with a policy,
/// roles, users and groups; a bucket stands for its objects as `BUCKET/*`. `*` when
/// the action acts on none of them.
pub fn resources_for(before: &Org, after: &Org, action: &str) -> Vec<String> {
    ResourceArns::new(before, after).for_action(action)
}

/// Every ARN of both orgs, each once, grouped by service: an action's resource types
/// name their service literally and ARN segments match case-sensitively, so an action
/// is matched against its own service's ARNs only, and of those only the ones whose
/// resource starts as one of its types' does (`user/`, `key/`) are parsed and matched:
/// not every ARN of the org for each action.
pub struct ResourceArns<'o> {
    /// The orgs whose ARNs count (each indexes its own by service, once).
    orgs: Vec<&'o Org>,
    /// Per bucket ARN, the object patterns narrower than `BUCKET/*` that a statement
    /// of either org names (`BUCKET/reports/*`), asked as objects of their own.
    narrower: Arc<Narrower>,
}

/// Per bucket ARN, object patterns narrower than `BUCKET/*` (see
/// [`narrower_object_patterns`]).
pub(super) type Narrower = HashMap<String, Vec<String>>;

impl<'o> ResourceArns<'o> {
    /// One org's ARNs, with the narrower object patterns already found.
    pub(super) fn one(org: &'o Org, narrower: Arc<Narrower>) -> ResourceArns<'o> {
        ResourceArns {
            narrower,
            orgs: vec![org],
        }
    }

    pub fn new(before: &'o Org, after: &'o Org) -> ResourceArns<'o> {
        // Edits in memory that add or remove no entity: the changed org has the same ARNs.
        let orgs = if after.edits_since(before).is_some_and(|e| e.same_entities()) {
            vec![before]
        } else {
            vec![before, after]
        };
        ResourceArns {
            narrower: Arc::new(narrower_object_patterns(
                [before, after]
                    .iter()
                    .flat_map(|o| o.docs())
                    .map(|d| &*d.policy),
            )),
            orgs,
        }
    }

    /// The ARNs (sorted) the action acts on; `*` when it acts on none of them.
    pub fn for_action(&self, action: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .matched(action)
            .into_iter()
            .map(|m| m.text.into_owned())
            .collect();
        if out.is_empty() {
            out.push("*".to_string());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The ARNs of each org the action acts on, unsorted (an ARN of both orgs twice),
    /// each with what holds it; a bucket that the action does not act on but whose
    /// objects it does stands as `BUCKET/*`.
    pub(super) fn matched(&self, action: &str) -> Vec<Matched<'o>> {
        self.matched_templates(&type_templates(action))
    }

    /// [`ResourceArns::matched`] for these resource type templates.
    pub(super) fn matched_templates(&self, templates: &[String]) -> Vec<Matched<'o>> {
        let patterns = compile_templates(templates);
        if patterns.is_empty() {
            return Vec::new();
        }
        let ctx = Context::default();
        // As `ArnPattern::matches` on the parsed ARN, without making one.
        let fits = |text: &str, segments: &[&str; 5]| {
            patterns.iter().any(|p| match p {
                ArnPattern::Any => true,
                ArnPattern::Segments(segs) => {
                    (0..5).all(|i| segs[i].matches(segments[i], &ctx, false))
                }
                ArnPattern::Whole(w) => w.matches(text, &ctx, false),
            })
        };
        // The services the patterns name; any service when one is not literal.
        let services = type_services(templates);
        let groups = self.orgs.iter().flat_map(|&org| {
            let index = org.by_service();
            let lists: Vec<&Vec<(Entity, u32)>> = match &services {
                Some(names) => names.iter().filter_map(|s| index.get(s.as_str())).collect(),
                None => index.values().collect(),
            };
            lists
                .into_iter()
                .flatten()
                .filter_map(move |&(e, at)| Some((e, org.arn(e)?, at as usize)))
        });
        let prefixes = type_prefixes(templates);
        let may_fit = |arn: &str, at: usize| {
            let resource = &arn[at..];
            // A bucket stands for its objects too (`BUCKET/*`): always matched.
            let bucket = arn[..at].ends_with(":s3:::") && !resource.contains('/');
            bucket
                || prefixes
                    .as_ref()
                    .is_none_or(|ps| ps.iter().any(|p| resource.starts_with(p.as_str())))
        };
        let mut out = Vec::new();
        for (e, text, at) in groups {
            if !may_fit(text, at) {
                continue;
            }
            let Some(segments) = crate::policy::Arn::segments(text) else {
                continue;
            };
            if fits(text, &segments) {
                out.push(Matched {
                    text: std::borrow::Cow::Borrowed(text),
                    entity: Some(e),
                    bucket: None,
                    service: segments[1],
                    resource: segments[4],
                });
            } else if text.contains(":s3:::") && !text.contains('/') {
                let objects = format!("{text}/*");
                if crate::policy::Arn::segments(&objects).is_some_and(|s| fits(&objects, &s)) {
                    let narrower = self.narrower.get(text).into_iter().flatten();
                    for objects in std::iter::once(objects).chain(narrower.cloned()) {
                        out.push(Matched {
                            text: std::borrow::Cow::Owned(objects),
                            entity: None,
                            bucket: Some(e),
                            service: "s3",
                            resource: "",
                        });
                    }
                }
            }
        }
        out
    }
}

/// Per bucket, the object patterns narrower than `BUCKET/*` that the statements of
/// `orgs` name, with the bucket written out (`arn:aws:s3:::payroll/reports/*`). A
/// request names one object: asked only as `BUCKET/*`, a statement about a part of the
/// bucket (a public `reports/*`, a grant or a Deny on one prefix) matched no question,
/// and a change to it showed nobody gaining or losing. Each such pattern's text is
/// asked as an object of its own: every statement whose pattern covers that part
/// matches it. Patterns with a wildcard in the bucket name or a policy variable are
/// left out (docs/scenarios.md, "Limits").
pub(super) fn narrower_object_patterns<'p>(
    policies: impl IntoIterator<Item = &'p Policy>,
) -> Narrower {
    let mut out = Narrower::new();
    for policy in policies {
        {
            for s in policy.statements() {
                let Some((_, patterns)) = s.resource_patterns() else {
                    continue;
                };
                for p in patterns {
                    let Some(rest) = p.split_once(":s3:::").map(|(_, r)| r) else {
                        continue;
                    };
                    let Some((bucket, key)) = rest.split_once('/') else {
                        continue;
                    };
                    if key == "*"
                        || p.contains("${")
                        || bucket.contains(['*', '?'])
                        || !p.starts_with("arn:")
                    {
                        continue;
                    }
                    let bucket_arn = p[..p.len() - key.len() - 1].to_string();
                    let list = out.entry(bucket_arn).or_default();
                    if !list.contains(p) {
                        list.push(p.clone());
                    }
                }
            }
        }
    }
    out
}

/// An ARN an action acts on: an entity's (borrowed, with its segments), or a bucket's
/// objects (`BUCKET/*`, made here: no entity, service `s3`, no account).
pub(super) struct Matched<'o> {
    pub text: std::borrow::Cow<'o, str>,
    pub entity: Option<Entity>,
    /// For a bucket's objects, the bucket.
    pub bucket: Option<Entity>,
    pub service: &'o str,
    pub resource: &'o str,
}

/// What decides the ARNs an action acts on: its service and resource type names (the
/// same for many actions: every `iam` action on a user).
pub(super) fn resource_template_key(action: &str) -> (&'static str, Vec<&'static str>) {
    match Catalog::get().action(action) {
        Some(a) => (
            a.service,
            a.resource_types.iter().map(|t| t.name.as_str()).collect(),
        ),
        None => ("", Vec::new()),
    }
}

/// The literal start of the resource segment of each of these templates (`user/` for
/// `arn:*:iam::*:user/*`): an ARN whose resource starts otherwise fits none. `None`
/// when a template is not an ARN of six parts (then nothing is filtered).
fn type_prefixes(templates: &[String]) -> Option<Vec<String>> {
    templates
        .iter()
        .map(|template| {
            let parts: Vec<&str> = template.splitn(6, ':').collect();
            let resource = parts.get(5).filter(|_| parts[0] == "arn")?;
            let literal = resource
                .find(['*', '?'])
                .map_or(*resource, |i| &resource[..i]);
            Some(literal.to_string())
        })
        .collect()
}

// ---- the scope ------------------------------------------------------------------------

/// Which principals the diff lists.
struct Scope {
    /// Account ids; `None`: every account.
    accounts: Option<BTreeSet<String>>,
    principals: BTreeSet<String>,
}

impl Scope {
    fn new(after: &Org, before: &Org, names: &[String]) -> Result<Scope, AnalysisError> {
        if names.is_empty() {
            return Ok(Scope {
                accounts: None,
                principals: BTreeSet::new(),
            });
        }
        let mut accounts = BTreeSet::new();
        let mut principals = BTreeSet::new();
        for name in names {
            let org = after;
            let node = if name.eq_ignore_ascii_case("root") {
                Some(Entity::Root)
            } else {
                match org.by_name(name) {
                    crate::org::NameLookup::Unique(
                        e @ (Entity::Root | Entity::Ou(_) | Entity::Account(_)),
                    ) => Some(e),
                    _ => org.ou_by_id(name).map(Entity::Ou),
                }
            };
            match node {
                Some(e) => {
                    for (i, a) in org.accounts().iter().enumerate() {
                        if under(org, crate::org::AccountIx::new(i), e) {
                            accounts.insert(a.id.to_string());
                        }
                    }
                }
                None => {
                    let p = analysis::principal(org, name)
                        .or_else(|_| analysis::principal(before, name))?;
                    let arn = match analysis::principal(org, name) {
                        Ok(_) => org.principal_arn(p),
                        Err(_) => before.principal_arn(p),
                    };
                    principals.insert(arn.to_string());
                }
            }
        }
        Ok(Scope {
            accounts: Some(accounts),
            principals,
        })
    }

    fn holds(&self, arn: &str) -> bool {
        let Some(accounts) = &self.accounts else {
            return true;
        };
        if self.principals.contains(arn) {
            return true;
        }
        crate::policy::Arn::parse(arn).is_some_and(|a| accounts.contains(a.account()))
    }
}

fn under(org: &Org, a: crate::org::AccountIx, node: Entity) -> bool {
    match node {
        Entity::Root => true,
        Entity::Account(x) => x == a,
        Entity::Ou(o) => {
            org.ancestors(a).contains(&o)
                || matches!(org.account(a).parent, Parent::Ou(p) if p == o)
        }
        _ => false,
    }
}

// ---- re-deciding only what a change touches ------------------------------------------

/// What the incremental path reads of a question's target: the policy of what holds
/// the resource and the resource's account id, found as `assemble::target` finds them
/// for a question that gives no resource account (without its S3 Block Public Access
/// and managed-key lookups, which who-can makes itself).
#[derive(Clone)]
pub(super) struct Held<'o> {
    pub(super) policy: Option<&'o Policy>,
    pub(super) account_id: Option<String>,
}

impl<'o> Held<'o> {
    pub(super) fn new(org: &'o Org, action: &str, resource: &str) -> Held<'o> {
        let trust = crate::analysis::assemble::resource_holder_is_trust(action);
        Held::with_trust(org, trust, resource)
    }

    /// [`Held::new`] for an action that lands on a role's trust policy (`trust`) or not:
    /// all the action decides.
    pub(super) fn with_trust(org: &'o Org, trust: bool, resource: &str) -> Held<'o> {
        let holder = crate::analysis::assemble::resource_holder_for(org, trust, resource);
        let policy = holder.and_then(|(p, _)| p).map(|p| &**org.compiled(p));
        let account_id = match holder {
            Some((_, a)) => Some(org.account(a).id.to_string()),
            None => crate::policy::Arn::parse(resource)
                .map(|a| a.account().to_string())
                .filter(|a| crate::policy::request::is_account_id(a)),
        };
        Held { policy, account_id }
    }
}

/// Whether the resource side of a question changed: the resource's own policy (a
/// bucket's for its objects, a role's trust policy), or its account's RCPs or place.
/// Then every principal is re-decided, and the outsiders compared.
fn resource_touched(
    t: &Touched,
    resource_accounts: &HashSet<&str>,
    before: &Held<'_>,
    after: &Held<'_>,
    action: &str,
    resource: &str,
) -> bool {
    if t.own_side_changed(action, resource) {
        return true;
    }
    [before, after].iter().any(|tgt| {
        tgt.account_id
            .as_ref()
            .is_some_and(|id| resource_accounts.contains(id.as_str()))
    })
}

/// The accounts whose resource side can decide this action differently: those whose
/// RCP levels do not decide it alike (src/scenario/levels.rs), and those that moved
/// where a policy reading the org paths matches it (`aws:ResourceOrgPaths`). A subset
/// of [`Touched::resource_accounts`]; an account left out has the same RCP verdict,
/// resource policies and condition keys for the action on both sides.
fn resource_accounts_for<'t>(t: &'t Touched, probe: Option<&Request>) -> HashSet<&'t str> {
    let Some(probe) = probe else {
        return t.resource_accounts.iter().map(String::as_str).collect();
    };
    let mut out: HashSet<&str> = t
        .rcp_pair_of
        .iter()
        .filter(|(_, ix)| !super::levels::decide_alike(&t.rcp_pairs[**ix], probe))
        .map(|(id, _)| id.as_str())
        .collect();
    let reads_paths = t
        .path_docs
        .iter()
        .any(|d| d.statements().iter().any(|s| s.covers_action(probe)));
    if reads_paths {
        out.extend(t.moved.iter().map(String::as_str));
    }
    out
}

/// The questions that can be skipped without their targets: a resource that the
/// orgs hold with no policy, or do not hold, in the account its ARN names, where the
/// scenario touched neither the resource nor its account's resource side, and that
/// account has no re-decided principal covering the action and no root user to
/// re-decide. For such a question [`Reach::among`] is empty in both orgs (the
/// resource side lets nobody in from another account, and its own account has no one
/// to re-decide), so the loop would skip it anyway, after two lookups of its target.
struct Quiet<'o> {
    /// The ARNs whose target is not (no policy, the ARN's account): resources with a
    /// policy or held in another account, and roles for the actions that assume them.
    exceptions: HashSet<&'o str, crate::org::hash::FxBuild>,
    /// The accounts (by id) with a covering principal or a root user to re-decide.
    hot: HashSet<&'o str, crate::org::hash::FxBuild>,
    resource_accounts: &'o HashSet<&'o str>,
    resources: &'o HashSet<String>,
}

impl<'o> Quiet<'o> {
    fn new(
        before: &'o Org,
        after: &'o Org,
        action: &str,
        t: &'o Touched,
        resource_accounts: &'o HashSet<&'o str>,
        reach: [&Reach<'_>; 2],
    ) -> Quiet<'o> {
        let lower = action.to_ascii_lowercase();
        // As `assemble::resource_holder`: these actions land on a role's trust policy.
        let trust_action = lower.starts_with("sts:assumerole")
            || lower == "sts:tagsession"
            || lower == "sts:setsourceidentity";
        let mut exceptions = HashSet::default();
        let mut hot = HashSet::default();
        // Edits in memory that write no resource side: the changed org's are the loaded one's.
        let same_sides = after.edits_since(before).is_some_and(|e| e.same_sides());
        for (k, (org, r)) in [before, after].into_iter().zip(reach).enumerate() {
            for res in org.resources().iter().filter(|_| k == 0 || !same_sides) {
                let in_own = crate::policy::Arn::parse(&res.arn)
                    .is_some_and(|a| a.account() == &*org.account(res.account).id);
                if res.policy.is_some() || !in_own {
                    exceptions.insert(&*res.arn);
                }
            }
            if trust_action && (k == 0 || !same_sides) {
                exceptions.extend(org.roles().iter().map(|r| &*r.arn));
            }
            // A user or role whose boundary changed, for the actions that read it.
            if k == 0 && crate::analysis::assemble::carries_entity_boundary(action) {
                exceptions.extend(t.rebounded.iter().map(String::as_str));
            }
            hot.extend(
                r.covering_by_account
                    .keys()
                    .chain(r.roots)
                    .map(|&a| &*org.account(a).id),
            );
        }
        Quiet {
            exceptions,
            hot,
            resource_accounts,
            resources: &t.resources,
        }
    }

    fn holds(&self, resource: &str) -> bool {
        let Some([_, service, _, account, _]) = crate::policy::Arn::segments(resource) else {
            return false;
        };
        crate::policy::request::is_account_id(account)
            // An S3 object lands on its bucket's policy.
            && service != "s3"
            && !self.exceptions.contains(resource)
            && !self.resources.contains(resource)
            && !self.resource_accounts.contains(account)
            && !self.hot.contains(account)
    }
}

/// The principals of one org whose side of a question a scenario touched.
struct Plan {
    /// Every principal of the accounts whose SCP levels or place changed, and every
    /// principal whose own policies changed.
    principals: Vec<PrincipalIx>,
    roots: Vec<AccountIx>,
    /// The principals and root users of the accounts whose RCP levels changed: a
    /// resource whose account is unknown is taken to be in each principal's own.
    rcp_principals: Vec<PrincipalIx>,
    rcp_roots: Vec<AccountIx>,
    /// `principals` by account and `roots` as a set: what [`Plan::reach`] indexes for
    /// every action, made once.
    by_account: FxMap<AccountIx, Vec<PrincipalIx>>,
    root_set: FxSet<AccountIx>,
}

/// An order for principals (users, then roles), to drop duplicates.
fn principal_key(p: PrincipalIx) -> (u8, usize) {
    match p {
        PrincipalIx::User(u) => (0, u.index()),
        PrincipalIx::Role(r) => (1, r.index()),
    }
}

fn account_principals(org: &Org, a: AccountIx) -> impl Iterator<Item = PrincipalIx> + '_ {
    let acct = org.account(a);
    acct.users
        .iter()
        .map(|&u| PrincipalIx::User(u))
        .chain(acct.roles.iter().map(|&r| PrincipalIx::Role(r)))
}

impl Plan {
    fn new(org: &Org, t: &Touched) -> Plan {
        let accounts = |ids: &std::collections::HashSet<String>| -> Vec<AccountIx> {
            let mut v: Vec<AccountIx> = ids.iter().filter_map(|id| org.account_by_id(id)).collect();
            v.sort_unstable();
            v
        };
        let roots = accounts(&t.principal_accounts);
        let mut principals: Vec<PrincipalIx> = roots
            .iter()
            .flat_map(|&a| account_principals(org, a))
            .chain(
                t.principals
                    .iter()
                    .filter_map(|arn| org.principal_by_arn(arn)),
            )
            .collect();
        principals.sort_unstable_by_key(|&p| principal_key(p));
        principals.dedup();
        let rcp_roots = accounts(&t.resource_accounts);
        let rcp_principals = rcp_roots
            .iter()
            .flat_map(|&a| account_principals(org, a))
            .collect();
        let mut by_account: FxMap<AccountIx, Vec<PrincipalIx>> = FxMap::default();
        for &p in &principals {
            by_account
                .entry(org.principal_account(p))
                .or_default()
                .push(p);
        }
        Plan {
            root_set: roots.iter().copied().collect(),
            by_account,
            principals,
            roots,
            rcp_principals,
            rcp_roots,
        }
    }

    /// The plan indexed for one action (`probe`: the action alone, `None` when it does
    /// not parse): who of it has an identity policy whose Allow covers the action
    /// (without one, a principal can be let in only by a resource policy of its own
    /// account), by account.
    fn reach<'p>(&'p self, org: &Org, probe: Option<&Request>) -> Reach<'p> {
        let all = || self.principals.iter().chain(&self.rcp_principals).copied();
        let covering: FxSet<PrincipalIx> = match probe {
            // An action that does not parse: keep everyone (each request says why).
            None => all().collect(),
            Some(probe) => {
                let mut by_doc: FxMap<crate::org::PolicyIx, bool> = FxMap::default();
                let mut covers = |x: crate::org::PolicyIx| {
                    *by_doc.entry(x).or_insert_with(|| {
                        org.compiled(x)
                            .statements()
                            .iter()
                            .any(|s| s.effect == Effect::Allow && s.covers_action(probe))
                    })
                };
                all()
                    .filter(|&p| org.identity_policies(p).any(&mut covers))
                    .collect()
            }
        };
        let mut covering_by_account: FxMap<AccountIx, Vec<PrincipalIx>> = FxMap::default();
        for &p in &self.principals {
            if covering.contains(&p) {
                let a = org.principal_account(p);
                covering_by_account.entry(a).or_default().push(p);
            }
        }
        Reach {
            plan: self,
            covering,
            by_account: &self.by_account,
            covering_by_account,
            roots: &self.root_set,
        }
    }
}

/// A plan indexed for one action (see [`Plan::reach`]).
struct Reach<'p> {
    plan: &'p Plan,
    /// The principals of the plan (RCP ones included) whose identity policies cover
    /// the action.
    covering: FxSet<PrincipalIx>,
    /// The plan's principals (not the RCP ones) by account, and those of them that
    /// cover the action.
    by_account: &'p FxMap<AccountIx, Vec<PrincipalIx>>,
    covering_by_account: FxMap<AccountIx, Vec<PrincipalIx>>,
    roots: &'p FxSet<AccountIx>,
}

/// Fast hashes for the tables made per action (twice for each of a wide grant's
/// 12,000 actions): their keys are the org's own indexes.
type FxMap<K, V> = HashMap<K, V, crate::org::hash::FxBuild>;
type FxSet<K> = HashSet<K, crate::org::hash::FxBuild>;

impl Reach<'_> {
    /// The principals and root users to re-decide for a question whose resource side
    /// did not change. Left out are those who can be allowed in neither org, as who-can's
    /// own prefilter leaves them out: across accounts both sides must allow (IAM User
    /// Guide, "Cross-account policy evaluation logic"), so an identity policy must
    /// cover the action and the resource's policy must have an Allow for it; in the
    /// resource's account, one of them must. Found through the indexes: the resource's
    /// account's principals, and the covering ones of the accounts its policy lets in.
    fn among(
        &self,
        org: &Org,
        probe: Option<&Request>,
        tgt: &Held<'_>,
    ) -> (Vec<PrincipalIx>, Vec<AccountIx>) {
        let (resource_allows, named) = resource_allows(tgt, probe);
        let mut principals: Vec<PrincipalIx> = Vec::new();
        let mut roots: Vec<AccountIx> = Vec::new();
        match tgt.account_id.as_deref() {
            // Unknown resource account: each principal's own is assumed, so every
            // principal is in the resource's account.
            None => {
                let plan = self.plan;
                principals.extend(
                    plan.principals
                        .iter()
                        .chain(&plan.rcp_principals)
                        .copied()
                        .filter(|p| resource_allows || self.covering.contains(p)),
                );
                roots.extend(plan.roots.iter().chain(&plan.rcp_roots));
            }
            Some(id) => {
                let here = org.account_by_id(id);
                if let Some(a) = here {
                    if let Some(list) = self.by_account.get(&a) {
                        principals.extend(
                            list.iter()
                                .copied()
                                .filter(|p| resource_allows || self.covering.contains(p)),
                        );
                    }
                    if self.roots.contains(&a) {
                        roots.push(a);
                    }
                }
                if resource_allows {
                    let mut let_in = |a: AccountIx| {
                        if Some(a) == here {
                            return;
                        }
                        if let Some(list) = self.covering_by_account.get(&a) {
                            principals.extend(list);
                        }
                        if self.roots.contains(&a) {
                            roots.push(a);
                        }
                    };
                    match &named {
                        None => {
                            let mut accounts: Vec<AccountIx> = self
                                .covering_by_account
                                .keys()
                                .chain(self.roots)
                                .copied()
                                .collect();
                            accounts.sort_unstable();
                            accounts.dedup();
                            accounts.into_iter().for_each(&mut let_in);
                        }
                        Some(ids) => ids
                            .iter()
                            .filter_map(|id| org.account_by_id(id))
                            .for_each(&mut let_in),
                    }
                }
            }
        }
        principals.sort_unstable_by_key(|&p| principal_key(p));
        principals.dedup();
        roots.sort_unstable();
        roots.dedup();
        (principals, roots)
    }
}

impl Reach<'_> {
    /// The principals and root users to re-decide for a question whose resource's
    /// own policy is unchanged but whose account's RCPs or place changed: those of
    /// [`Reach::among`], every principal and the root user of the resource's account,
    /// and those of the accounts its policy names in an Allow for the action. Anyone
    /// else is in another account that the resource's policy does not let in: across
    /// accounts both the identity and the resource side must allow (IAM User Guide,
    /// "Cross-account policy evaluation logic"), so they are denied in both orgs
    /// whatever the RCPs say (an RCP only denies: Organizations User Guide, "Resource
    /// control policies"). `None` (ask everyone) when the resource's account is
    /// unknown or its policy lets in any account (`*`, NotPrincipal).
    fn among_resource_account(
        &self,
        org: &Org,
        probe: Option<&Request>,
        tgt: &Held<'_>,
    ) -> Option<(Vec<PrincipalIx>, Vec<AccountIx>)> {
        let here = org.account_by_id(tgt.account_id.as_deref()?)?;
        let (allows, named) = resource_allows(tgt, probe);
        let mut accounts = vec![here];
        if allows {
            accounts.extend(named?.iter().filter_map(|id| org.account_by_id(id)));
        }
        let (mut principals, mut roots) = self.among(org, probe, tgt);
        principals.extend(accounts.iter().flat_map(|&a| account_principals(org, a)));
        roots.extend(&accounts);
        principals.sort_unstable_by_key(|&p| principal_key(p));
        principals.dedup();
        roots.sort_unstable();
        roots.dedup();
        Some((principals, roots))
    }
}

/// Whether the resource's policy has an Allow for the action, and the accounts it
/// names there (`None`: any, as `*` or NotPrincipal).
fn resource_allows(tgt: &Held<'_>, probe: Option<&Request>) -> (bool, Option<HashSet<String>>) {
    let Some(policy) = tgt.policy else {
        return (false, Some(HashSet::new()));
    };
    // An action that does not parse: anyone (each request says why).
    let Some(probe) = probe else {
        return (true, None);
    };
    let mut allows = false;
    let mut named: Option<HashSet<String>> = Some(HashSet::new());
    for s in policy.statements() {
        if s.effect != Effect::Allow || !s.covers_action(probe) {
            continue;
        }
        allows = true;
        match s.named_principals() {
            Some((false, list)) => {
                for n in list {
                    let account = match n {
                        NamedPrincipal::Account(a) => Some(a.to_string()),
                        NamedPrincipal::Arn(arn) => {
                            crate::policy::Arn::parse(arn).map(|x| x.account().to_string())
                        }
                        NamedPrincipal::Everyone => {
                            named = None;
                            None
                        }
                        _ => None,
                    };
                    if let (Some(set), Some(a)) = (&mut named, account) {
                        set.insert(a);
                    }
                }
            }
            Some((true, _)) => named = None,
            None => {}
        }
    }
    (allows, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matching as it was before the ARNs were grouped by service: every ARN of
    /// both orgs against every pattern of the action.
    fn every_arn_matched(before: &Org, after: &Org, action: &str) -> Vec<String> {
        let patterns = compile_templates(&type_templates(action));
        if patterns.is_empty() {
            return vec!["*".to_string()];
        }
        let ctx = Context::default();
        let fits = |arn: &str| {
            crate::policy::Arn::parse(arn).is_some_and(|parsed| {
                let r = crate::policy::arn::ResourceRef::Arn(&parsed);
                patterns.iter().any(|p| p.matches(&r, &ctx))
            })
        };
        let narrower = narrower_object_patterns(
            [before, after]
                .iter()
                .flat_map(|o| o.docs())
                .map(|d| &*d.policy),
        );
        let mut out = Vec::new();
        for org in [before, after] {
            let arns = org
                .resources()
                .iter()
                .map(|r| &*r.arn)
                .chain(org.roles().iter().map(|r| &*r.arn))
                .chain(org.users().iter().map(|u| &*u.arn))
                .chain(org.groups().iter().map(|g| &*g.arn));
            for arn in arns {
                if fits(arn) {
                    out.push(arn.to_string());
                } else if arn.starts_with("arn:") && arn.contains(":s3:::") && !arn.contains('/') {
                    let objects = format!("{arn}/*");
                    if fits(&objects) {
                        out.push(objects);
                        out.extend(narrower.get(arn).into_iter().flatten().cloned());
                    }
                }
            }
        }
        if out.is_empty() {
            out.push("*".to_string());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Each catalog action is found at its own place by its full name, and the names
    /// sort strictly: the default actions are the probes' own, each with its own level,
    /// as the catalog's look-up by name would give them.
    #[test]
    fn every_catalog_action_is_found_at_its_place_by_its_full_name() {
        let probes = probes();
        for p in &probes.list {
            let found = Catalog::get().action_position(&p.full);
            assert_eq!(found, Some(p.position), "{}", p.full);
        }
        let names = &probes.by_name;
        assert!(
            names
                .windows(2)
                .all(|w| probes.list[w[0]].full < probes.list[w[1]].full)
        );
    }

    /// Grouping by service drops no ARN an action's resource types match, for every
    /// action of the catalog, over two different orgs (the union of both is asked).
    #[test]
    fn resources_by_service_are_every_arn_the_action_acts_on() {
        let acme = crate::org::load_builtin_acme();
        let generated = crate::org::generate::generate_org(2, 7);
        let arns = ResourceArns::new(&acme, &generated);
        let mut acting_on_some = 0;
        for action in Catalog::get().actions() {
            let name = format!("{}:{}", action.service, action.name);
            let expected = every_arn_matched(&acme, &generated, &name);
            acting_on_some += usize::from(expected != ["*"]);
            assert_eq!(arns.for_action(&name), expected, "{name}");
        }
        // The comparison is not vacuous: many actions act on the orgs' resources.
        assert!(acting_on_some > 100, "{acting_on_some}");
    }
}
