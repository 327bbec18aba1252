//! The questions of an in-memory diff worth looking at, found through an index built
//! once per org instead of by walking every ARN of the org for each action.
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
//! What a template matches and the buckets of each list depend only on the org before
//! the change: they are kept per org (by its stamp) and shared by every diff from it,
//! so the second diff of a session pays only for its own questions. Lists whose
//! templates match the same ARNs share one set of buckets (five lists name `role`).
//! What a diff adds is its own: the ARNs of a touched side, and the parts of buckets
//! that only the changed policies name (`BUCKET/incoming/*`).
//!
//! Only for edits in memory, where both orgs hold the same resources with the same
//! resource-side policies (a changed resource policy is a touched ARN, always looked
//! at). The reload path keeps walking every ARN.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::impact::{Held, Narrower, ResourceArns, narrower_object_patterns, type_templates};
use super::touched::Touched;
use crate::org::hash::FxBuild;
use crate::org::{Entity, Org};
use crate::policy::{Effect, NamedPrincipal, Policy};

type FxMap<K, V> = HashMap<K, V, FxBuild>;

/// An ARN an action acts on: an entity's, or a form of a bucket's objects (`BUCKET/*`,
/// or a narrower pattern a statement names).
#[derive(Clone)]
enum Hit {
    Entity(Entity),
    Objects(Box<str>),
}

/// What one resource type's ARN template matches in one org.
#[derive(Default)]
struct TemplateHits {
    /// The entities whose ARN fits it.
    direct: Vec<Entity>,
    /// The buckets that do not fit it but whose objects (`BUCKET/*`) do, each with its
    /// object forms.
    objects: Vec<(Entity, Vec<Box<str>>)>,
    /// Whether one of `direct` is a role: then an action that lands on a role's trust
    /// policy finds another policy on it than one that does not.
    roles: bool,
}

impl TemplateHits {
    fn is_empty(&self) -> bool {
        self.direct.is_empty() && self.objects.is_empty()
    }
}

/// The ARNs of one list of resource types, bucketed for one kind of action (one that
/// lands on a role's trust policy or not).
#[derive(Default)]
struct Buckets {
    /// Every ARN matched (the count is the diff's `questions` for the action).
    arns: Vec<Hit>,
    /// Looked at for every action: no known account, a policy whose Allow names
    /// everyone (`*`, NotPrincipal).
    always: Vec<u32>,
    /// By the account that holds them (or that their ARN names).
    by_account: FxMap<Box<str>, Vec<u32>>,
    /// By an account their policy's Allow statements name (other than their own).
    by_named: FxMap<Box<str>, Vec<u32>>,
    /// An ARN could not be told apart from another (an object form `BUCKET/*` that is
    /// also an ARN of the org): every ARN is looked at.
    every: bool,
    /// The buckets (by ARN) whose objects are among `arns`.
    object_buckets: HashSet<Box<str>, FxBuild>,
}

/// Which lists of resource types share their buckets: the templates of the list that
/// match something in the org, and whether the action lands on a role's trust policy
/// (only told apart where a role is matched). Most lists of one service's types reduce
/// to one template; a role's ARN is matched once, not once per list naming `role`.
type ListKey = (Vec<Arc<str>>, bool);

/// One org's index: what each template matches and the buckets of each list, built
/// when first asked for and shared by every diff from that org (found by the org's
/// stamp, which an edit in memory renews). Nothing a scenario changes is in it.
struct OrgIndex {
    stamp: u64,
    narrower: Arc<Narrower>,
    templates: Mutex<FxMap<Arc<str>, Arc<TemplateHits>>>,
    lists: Mutex<FxMap<ListKey, Arc<Buckets>>>,
    /// Each action key's list, once found.
    by_action: Mutex<FxMap<KeyId, Arc<Buckets>>>,
}

/// The indexes of the orgs diffed last (a TUI diffs from one org again and again).
static INDEXES: Mutex<Vec<Arc<OrgIndex>>> = Mutex::new(Vec::new());
const KEPT: usize = 2;

/// Drops the kept indexes: the next diff from any org builds its own (what the first
/// diff of a session costs; the benches measure it so).
pub fn forget_indexes() {
    INDEXES.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

fn index_of(org: &Org) -> Arc<OrgIndex> {
    let stamp = org.stamp();
    let mut kept = INDEXES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = kept.iter().position(|x| x.stamp == stamp) {
        let x = kept.remove(i);
        kept.push(x.clone());
        return x;
    }
    let x = Arc::new(OrgIndex {
        stamp,
        narrower: Arc::new(narrower_object_patterns(
            org.docs().iter().map(|d| &*d.policy),
        )),
        templates: Mutex::default(),
        lists: Mutex::default(),
        by_action: Mutex::default(),
    });
    if kept.len() >= KEPT {
        kept.remove(0);
    }
    kept.push(x.clone());
    x
}

/// The memo key of an action's buckets: its service and resource type names, and
/// whether it lands on a role's trust policy.
type ActionKey = (&'static str, Vec<&'static str>, bool);

fn action_key(action: &str) -> ActionKey {
    let (service, names) = super::impact::resource_template_key(action);
    (
        service,
        names,
        crate::analysis::assemble::resource_holder_is_trust(action),
    )
}

/// An [`ActionKey`] as a number: actions with the same key share one. A diff of a
/// wide grant looks up some 12,000 actions' buckets several times; numbered once per
/// process, a look-up is an integer's, not the catalog's and a vector's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct KeyId(u32);

/// The number of every catalog action's key (by its place in the catalog), and those
/// of an action the catalog does not know (not landing on a trust policy, landing).
struct KeyIds {
    catalog: Vec<KeyId>,
    unknown: [KeyId; 2],
}

fn key_ids() -> &'static KeyIds {
    static IDS: std::sync::OnceLock<KeyIds> = std::sync::OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids: FxMap<ActionKey, KeyId> = FxMap::default();
        let mut number = |key: ActionKey| {
            let next = KeyId(ids.len() as u32);
            *ids.entry(key).or_insert(next)
        };
        let catalog = crate::catalog::Catalog::get()
            .actions()
            .map(|a| number(action_key(&a.full_name())))
            .collect();
        let unknown = [
            number(("", Vec::new(), false)),
            number(("", Vec::new(), true)),
        ];
        KeyIds { catalog, unknown }
    })
}

/// The key number of `action`, at `position` in the catalog (as
/// [`crate::catalog::Catalog::action_position`] finds it), if the catalog knows it.
pub(super) fn key_id(action: &str, position: Option<usize>) -> KeyId {
    let ids = key_ids();
    match position {
        Some(i) => ids.catalog[i],
        None => {
            ids.unknown[usize::from(crate::analysis::assemble::resource_holder_is_trust(action))]
        }
    }
}

/// An action's buckets in one diff, with what the diff adds to them.
struct Entry {
    buckets: Arc<Buckets>,
    /// ARNs of a touched side (a re-bounded user or role, a changed resource policy):
    /// looked at for every action.
    touched: Vec<u32>,
    /// Object forms that only the changed policies name (`BUCKET/incoming/*` in a
    /// new statement), of buckets whose objects the action acts on: looked at for
    /// every action.
    added: Vec<String>,
}

/// The index for one diff (in memory: one org's ARNs and resource sides stand for both).
pub(super) struct Candidates<'o> {
    org: &'o Org,
    index: Arc<OrgIndex>,
    t: &'o Touched,
    /// The narrower object patterns of the changed policies that the org's own
    /// policies do not name, per bucket ARN.
    added: Narrower,
    memo: FxMap<KeyId, Entry>,
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
    /// `org` is the org before the change; `t` what the change touched.
    pub(super) fn new(org: &'o Org, t: &'o Touched) -> Candidates<'o> {
        let index = index_of(org);
        // A statement of a changed policy about a part of a bucket (`incoming/*`) that
        // no policy of the org names asks that part as objects of its own, as the
        // full path does (it reads both orgs' policies).
        let mut added = narrower_object_patterns(t.docs.iter().chain(&t.level_docs).map(|p| &**p));
        for (bucket, forms) in added.iter_mut() {
            if let Some(known) = index.narrower.get(bucket) {
                forms.retain(|f| !known.contains(f));
            }
        }
        added.retain(|_, forms| !forms.is_empty());
        Candidates {
            org,
            index,
            t,
            added,
            memo: FxMap::default(),
        }
    }

    fn arns(&self) -> ResourceArns<'o> {
        ResourceArns::one(self.org, self.index.narrower.clone())
    }

    /// Finds what the templates not yet in the index match, in parallel.
    fn prepare_templates(&self, templates: impl IntoIterator<Item = String>) {
        use rayon::prelude::*;
        let missing: Vec<String> = {
            let known = self
                .index
                .templates
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let mut m: Vec<String> = templates
                .into_iter()
                .filter(|t| !known.contains_key(t.as_str()))
                .collect();
            m.sort_unstable();
            m.dedup();
            m
        };
        if missing.is_empty() {
            return;
        }
        let arns = self.arns();
        let built: Vec<(Arc<str>, Arc<TemplateHits>)> = missing
            .into_par_iter()
            .map(|t| {
                let hits = template_hits(&arns, &t);
                (Arc::from(t), Arc::new(hits))
            })
            .collect();
        let mut known = self
            .index
            .templates
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        known.extend(built);
    }

    /// The list key of an action (its templates must be in the index), and the hits
    /// of the templates it keeps.
    fn list_key(&self, action: &str, trust: bool) -> (ListKey, Vec<Arc<TemplateHits>>) {
        let known = self
            .index
            .templates
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let mut kept: Vec<(Arc<str>, Arc<TemplateHits>)> = type_templates(action)
            .iter()
            .filter_map(|t| known.get_key_value(t.as_str()))
            .filter(|(_, h)| !h.is_empty())
            .map(|(t, h)| (t.clone(), h.clone()))
            .collect();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        kept.dedup_by(|a, b| a.0 == b.0);
        let trust = trust && kept.iter().any(|(_, h)| h.roles);
        let (names, hits) = kept.into_iter().unzip();
        ((names, trust), hits)
    }

    /// Builds the buckets of every list of resource types the actions name that the
    /// index lacks, those lists in parallel, and each action's entry for this diff.
    /// `keys`: each action's [`key_id`].
    pub(super) fn prepare(&mut self, actions: &[String], keys: &[KeyId]) {
        use rayon::prelude::*;
        let mut wanted: FxMap<KeyId, &str> = FxMap::default();
        let mut known: Vec<(KeyId, Arc<Buckets>)> = Vec::new();
        {
            let by_action = self
                .index
                .by_action
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            for (a, &key) in actions.iter().zip(keys) {
                if self.memo.contains_key(&key) || wanted.contains_key(&key) {
                    continue;
                }
                match by_action.get(&key) {
                    Some(b) => known.push((key, b.clone())),
                    None => {
                        wanted.insert(key, a);
                    }
                }
            }
        }
        for (key, buckets) in known {
            if !self.memo.contains_key(&key) {
                let entry = self.entry_of(buckets);
                self.memo.insert(key, entry);
            }
        }
        if wanted.is_empty() {
            return;
        }
        self.prepare_templates(wanted.values().flat_map(|a| type_templates(a)));
        let keyed: Vec<(KeyId, ListKey, Vec<Arc<TemplateHits>>)> = wanted
            .into_iter()
            .map(|(key, action)| {
                let trust = crate::analysis::assemble::resource_holder_is_trust(action);
                let (list, hits) = self.list_key(action, trust);
                (key, list, hits)
            })
            .collect();
        let missing: Vec<(&ListKey, &Vec<Arc<TemplateHits>>)> = {
            let lists = self.index.lists.lock().unwrap_or_else(|e| e.into_inner());
            let mut seen = HashSet::new();
            keyed
                .iter()
                .filter(|(_, list, _)| !lists.contains_key(list) && seen.insert(list))
                .map(|(_, list, hits)| (list, hits))
                .collect()
        };
        let org = self.org;
        let built: Vec<(ListKey, Arc<Buckets>)> = missing
            .into_par_iter()
            .map(|(list, hits)| (list.clone(), Arc::new(bucket(org, hits, list.1))))
            .collect();
        let lists = {
            let mut lists = self.index.lists.lock().unwrap_or_else(|e| e.into_inner());
            lists.extend(built);
            keyed
                .into_iter()
                .map(|(key, list, _)| (key, lists[&list].clone()))
                .collect::<Vec<_>>()
        };
        self.index
            .by_action
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(lists.iter().map(|(k, b)| (*k, b.clone())));
        for (key, buckets) in lists {
            let entry = self.entry_of(buckets);
            self.memo.insert(key, entry);
        }
    }

    /// What this diff adds to a list's buckets.
    fn entry_of(&self, buckets: Arc<Buckets>) -> Entry {
        let t = self.t;
        let touched = if t.resources.is_empty() && t.rebounded.is_empty() {
            Vec::new()
        } else {
            (0..buckets.arns.len() as u32)
                .filter(|&i| {
                    let text = hit_text(self.org, &buckets.arns[i as usize]);
                    t.own_policy_changed(text) || t.rebounded.contains(text)
                })
                .collect()
        };
        let added = buckets
            .object_buckets
            .iter()
            .filter_map(|b| self.added.get(&**b))
            .flatten()
            .cloned()
            .collect();
        Entry {
            buckets,
            touched,
            added,
        }
    }

    fn entry(&mut self, action: &str, key: KeyId) -> &Entry {
        if !self.memo.contains_key(&key) {
            self.prepare(&[action.to_string()], &[key]);
        }
        &self.memo[&key]
    }

    /// How many questions the action asks (the ARNs it acts on, or `*`); `key`: its
    /// [`key_id`].
    pub(super) fn count(&mut self, action: &str, key: KeyId) -> usize {
        let e = self.entry(action, key);
        e.buckets.arns.len() + e.added.len()
    }

    /// The ARNs of the action worth looking at when the principals and root users of
    /// `accounts` (by id) are re-decided, and those of accounts whose resource side
    /// changed: sorted as the diff lists them.
    /// Only for an action [`Candidates::prepare`] or [`Candidates::count`] saw; any
    /// other is looked at on every ARN it acts on.
    pub(super) fn for_action<'a>(
        &self,
        action: &str,
        key: KeyId,
        accounts: impl Iterator<Item = &'a str>,
    ) -> Vec<String> {
        let org = self.org;
        let Some(e) = self.memo.get(&key) else {
            return self.arns().for_action(action);
        };
        let b = &e.buckets;
        // An added form that is an ARN of the org could not be told apart either.
        let every = b.every || e.added.iter().any(|a| org.by_arn(a).is_some());
        let mut out: Vec<&str> = if every {
            b.arns.iter().map(|h| hit_text(org, h)).collect()
        } else {
            let mut picked: Vec<u32> = b.always.iter().chain(&e.touched).copied().collect();
            for id in accounts {
                picked.extend(b.by_account.get(id).into_iter().flatten());
                picked.extend(b.by_named.get(id).into_iter().flatten());
            }
            picked
                .iter()
                .map(|&i| hit_text(org, &b.arns[i as usize]))
                .collect()
        };
        out.extend(e.added.iter().map(String::as_str));
        out.sort_unstable();
        out.dedup();
        out.into_iter().map(str::to_string).collect()
    }
}

fn hit_text<'o>(org: &'o Org, hit: &'o Hit) -> &'o str {
    match hit {
        Hit::Entity(e) => org.arn(*e).unwrap_or_default(),
        Hit::Objects(text) => text,
    }
}

/// What one template matches, as [`ResourceArns::matched`] finds it.
fn template_hits(arns: &ResourceArns<'_>, template: &str) -> TemplateHits {
    let mut out = TemplateHits::default();
    for m in arns.matched_templates(&[template.to_string()]) {
        match (m.entity, m.bucket) {
            (Some(e), _) => {
                out.roles |= m.service == "iam" && m.resource.starts_with("role/");
                out.direct.push(e);
            }
            (None, Some(bucket)) => match out.objects.last_mut() {
                Some((b, forms)) if *b == bucket => forms.push(m.text.into()),
                _ => out.objects.push((bucket, vec![m.text.into()])),
            },
            (None, None) => {}
        }
    }
    out
}

/// The ARNs of a list of templates, as [`ResourceArns::matched`] finds them for the
/// list: an entity that fits one template is matched; a bucket that fits none but
/// whose objects fit one stands for its objects.
fn union(hits: &[Arc<TemplateHits>]) -> Vec<Hit> {
    if let [one] = hits {
        return one
            .direct
            .iter()
            .map(|&e| Hit::Entity(e))
            .chain(
                one.objects
                    .iter()
                    .flat_map(|(_, forms)| forms.iter().map(|f| Hit::Objects(f.clone()))),
            )
            .collect();
    }
    let mut direct: HashSet<Entity, FxBuild> = HashSet::default();
    let mut out = Vec::new();
    for h in hits {
        for &e in &h.direct {
            if direct.insert(e) {
                out.push(Hit::Entity(e));
            }
        }
    }
    let mut buckets: HashSet<Entity, FxBuild> = HashSet::default();
    for h in hits {
        for (bucket, forms) in &h.objects {
            if !direct.contains(bucket) && buckets.insert(*bucket) {
                out.extend(forms.iter().map(|f| Hit::Objects(f.clone())));
            }
        }
    }
    out
}

/// The buckets of a list's ARNs; `trust`: for an action that lands on a role's trust
/// policy.
fn bucket(org: &Org, hits: &[Arc<TemplateHits>], trust: bool) -> Buckets {
    let mut b = Buckets {
        arns: union(hits),
        ..Buckets::default()
    };
    if b.arns.is_empty() {
        b.arns.push(Hit::Objects("*".into()));
        b.always.push(0);
        return b;
    }
    // What each policy's Allow statements name, found once per policy.
    let mut named: FxMap<usize, Named> = FxMap::default();
    for (i, hit) in b.arns.iter().enumerate() {
        let i = i as u32;
        let (entity, text) = match hit {
            Hit::Entity(e) => (Some(*e), org.arn(*e).unwrap_or_default()),
            Hit::Objects(text) => {
                // An object form that is also an ARN of the org would be counted twice.
                if org.by_arn(text).is_some() {
                    b.every = true;
                }
                if let Some((bucket, _)) = text.split_once('/') {
                    b.object_buckets.insert(bucket.into());
                }
                (None, &**text)
            }
        };
        let (policy, account) = target(org, entity, text, trust);
        let Some(account) = account else {
            b.always.push(i);
            continue;
        };
        match b.by_account.get_mut(account) {
            Some(v) => v.push(i),
            None => {
                b.by_account.insert(account.into(), vec![i]);
            }
        }
        if let Some(p) = policy {
            let named = named
                .entry(p as *const Policy as usize)
                .or_insert_with(|| named_by(p));
            if named.everyone {
                b.always.push(i);
            }
            for a in named.accounts.iter().filter(|a| *a != account) {
                match b.by_named.get_mut(a.as_str()) {
                    Some(v) => v.push(i),
                    None => {
                        b.by_named.insert(a.as_str().into(), vec![i]);
                    }
                }
            }
        }
    }
    b
}

/// The policy and account of what holds the ARN, as [`Held::new`] finds them, read
/// straight from the entity where that is certain (ARNs name one thing in an org).
/// `entity`: the entity whose ARN `text` is; `None` for a bucket's objects.
fn target<'a>(
    org: &'a Org,
    entity: Option<Entity>,
    text: &'a str,
    trust: bool,
) -> (Option<&'a Policy>, Option<&'a str>) {
    let segments = crate::policy::Arn::segments(text);
    let (service, account, resource) = match (entity, segments) {
        (Some(_), Some([_, service, _, account, resource])) => (service, account, resource),
        _ => ("s3", "", ""),
    };
    let role_arn = service == "iam" && resource.starts_with("role/");
    let arn_account = Some(account).filter(|a| crate::policy::request::is_account_id(a));
    match entity {
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
            if service != "s3" && !(trust && role_arn) =>
        {
            (None, arn_account)
        }
        _ => {
            let held = Held::with_trust(org, trust, text);
            let account = held.account_id.as_deref().and_then(|id| {
                org.account_by_id(id)
                    .map(|a| &*org.account(a).id)
                    .or(arn_account.filter(|a| *a == id))
            });
            (held.policy, account)
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
            let arns = c.arns();
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
                for m in arns.matched(action) {
                    let (policy, account) = target(&org, m.entity, &m.text, trust);
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

#[cfg(test)]
mod list_tests {
    use super::*;

    /// The ARNs of a list, shared between the lists whose templates match the same
    /// things, are the ones [`ResourceArns::for_action`] finds for each action: every
    /// catalog action over acme (buckets with narrower object patterns) and a generated
    /// org (roles, users, groups, keys, queues), diffed twice from one index.
    #[test]
    fn shared_lists_match_what_each_action_matches() {
        let t = Touched::default();
        let catalog = crate::catalog::Catalog::get();
        let actions: Vec<String> = catalog.actions().map(|a| a.full_name()).collect();
        assert!(actions.len() > 10_000, "{}", actions.len());
        for org in [
            crate::org::load_builtin_acme(),
            crate::org::generate::generate_org(3, 5),
        ] {
            let reference = ResourceArns::new(&org, &org);
            let keys: Vec<KeyId> = actions
                .iter()
                .map(|a| key_id(a, catalog.action_position(a)))
                .collect();
            for round in 0..2 {
                let mut c = Candidates::new(&org, &t);
                c.prepare(&actions, &keys);
                for (a, &key) in actions.iter().zip(&keys) {
                    let want = reference.for_action(a);
                    let e = c.entry(a, key);
                    let mut got: Vec<String> = e
                        .buckets
                        .arns
                        .iter()
                        .map(|h| hit_text(&org, h).to_string())
                        .collect();
                    got.sort_unstable();
                    assert_eq!(got, want, "{a} (round {round})");
                    assert_eq!(c.count(a, key), want.len(), "{a}");
                }
            }
        }
    }
}
