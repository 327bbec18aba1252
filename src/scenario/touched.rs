//! What a scenario touches, found by comparing the org before and after (not by
//! reading the changes: the comparison sees every consequence, an OU move's effect on
//! the accounts below it included). An org changed in memory records what its edits
//! wrote ([`crate::org::Edits`]): then only those entities are compared.
//!
//! A request's answer can change only if a policy that applies to it changed, or the
//! org paths its conditions read did. So the answer for principal P, action A and
//! resource R can change only when
//! - A is matched by a statement of a changed policy (see [`Touched::docs`]), and
//! - P is touched (its identity policies, boundary or SCP levels changed, or its
//!   account moved), or R is touched (its own policy, or the RCP levels or place of
//!   its account changed).

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::levels::{LevelPair, Levels};
use crate::org::{AccountIx, Entity, Org, PolicyIx, PrincipalIx};
use crate::policy::Policy;

#[derive(Default)]
pub struct Touched {
    /// The policies whose statements may decide differently: changed documents (both
    /// versions), a re-bounded principal's identity policies, the policies that read
    /// the org paths of an account that moved.
    pub docs: Vec<Arc<Policy>>,
    /// The policies of the SCP and RCP levels that changed: an action they match can
    /// change only where some account's levels decide it differently (`level_pairs`).
    pub level_docs: Vec<Arc<Policy>>,
    /// The SCP levels, then the RCP levels, of each account whose levels changed,
    /// before and after, each distinct pair once.
    pub scp_pairs: Vec<LevelPair>,
    pub rcp_pairs: Vec<LevelPair>,
    /// Each account (by id) whose RCP levels changed: its pair in `rcp_pairs`.
    pub rcp_pair_of: HashMap<String, usize>,
    /// Accounts (by id) that moved, and the policies (in `docs` too) that read the org
    /// paths a move changes.
    pub moved: HashSet<String>,
    pub path_docs: Vec<Arc<Policy>>,
    /// Accounts (by id) whose principals' SCP levels or org paths changed.
    pub principal_accounts: HashSet<String>,
    /// Principals (by ARN) whose identity policies or boundary changed, or that are new.
    pub principals: HashSet<String>,
    /// Accounts (by id) whose resources' RCP levels or org paths changed.
    pub resource_accounts: HashSet<String>,
    /// Resources and roles (by ARN) whose own policy (or trust policy) changed.
    pub resources: HashSet<String>,
    /// Users and roles (by ARN) whose boundary changed to another policy, where some
    /// policy reads `iam:PermissionsBoundary`: IAM requests acting on them carry that
    /// key, so others' answers on them can change (see [`Touched::own_side_changed`]).
    pub rebounded: HashSet<String>,
}

impl Touched {
    /// Whether the resource's own side of a request for `action` changed: its own
    /// policy (a bucket's for its objects, a role's trust policy), or, for the IAM
    /// actions whose requests carry `iam:PermissionsBoundary`, the boundary of the
    /// user or role acted on. Then every principal is re-decided on it.
    pub fn own_side_changed(&self, action: &str, resource: &str) -> bool {
        self.own_policy_changed(resource)
            || (!self.rebounded.is_empty()
                && self.rebounded.contains(resource)
                && crate::analysis::assemble::carries_entity_boundary(action))
    }

    /// Whether the resource's own policy changed (a bucket's for its objects, a role's
    /// trust policy), whatever the action.
    pub fn own_policy_changed(&self, resource: &str) -> bool {
        // Most diffs change no resource's policy: asked for every ARN of the org.
        if self.resources.is_empty() {
            return false;
        }
        self.resources.contains(resource)
            || resource.split_once('/').is_some_and(|(bucket, _)| {
                resource.contains(":s3:::") && self.resources.contains(bucket)
            })
    }
}

/// A document as canonical JSON (keys sorted): two documents with the same canonical
/// form are the same policy whatever their layout.
fn canonical(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| v.to_string())
        .unwrap_or_else(|_| text.to_string())
}

/// One org's documents, compared with the other org's by the cheapest test that
/// decides: the same compiled policy (the changed org shares what did not change),
/// then the same text, and only then the canonical form, computed once per document
/// and only for documents whose text differs.
struct Side<'o> {
    org: &'o Org,
    canon: Vec<OnceCell<String>>,
}

/// A document on one side: its compiled policy, text, and place in that side's table.
#[derive(Clone, Copy)]
struct DocRef<'o> {
    side: &'o Side<'o>,
    ix: usize,
}

impl<'o> DocRef<'o> {
    fn doc(&self) -> &'o crate::org::Doc {
        &self.side.org.docs()[self.ix]
    }
    fn text(&self) -> &'o str {
        &self.doc().text
    }
    fn canon(&self) -> &'o str {
        self.side.canon[self.ix].get_or_init(|| canonical(self.text()))
    }
    fn same(&self, other: &DocRef<'_>) -> bool {
        Arc::ptr_eq(&self.doc().policy, &other.doc().policy)
            || self.text() == other.text()
            || self.canon() == other.canon()
    }
}

/// Whether two lists of documents hold the same documents, in any order.
fn same_docs(b: &[DocRef<'_>], a: &[DocRef<'_>]) -> bool {
    if b.len() != a.len() {
        return false;
    }
    if b.iter().zip(a).all(|(x, y)| x.same(y)) {
        return true;
    }
    let sorted = |v: &[DocRef<'_>], f: fn(&DocRef<'_>) -> String| {
        let mut t: Vec<String> = v.iter().map(f).collect();
        t.sort_unstable();
        t
    };
    sorted(b, |d| d.text().to_string()) == sorted(a, |d| d.text().to_string())
        || sorted(b, |d| d.canon().to_string()) == sorted(a, |d| d.canon().to_string())
}

fn holds(list: &[DocRef<'_>], d: &DocRef<'_>) -> bool {
    list.iter().any(|x| x.same(d))
}

impl<'o> Side<'o> {
    fn new(org: &'o Org) -> Side<'o> {
        Side {
            org,
            canon: (0..org.docs().len()).map(|_| OnceCell::new()).collect(),
        }
    }
    fn doc(&'o self, p: PolicyIx) -> DocRef<'o> {
        DocRef {
            side: self,
            ix: self.org.policy(p).doc.index(),
        }
    }
    fn level(&'o self, level: &[PolicyIx]) -> Vec<DocRef<'o>> {
        level.iter().map(|&p| self.doc(p)).collect()
    }
    fn identity(&'o self, p: PrincipalIx) -> Vec<DocRef<'o>> {
        self.org.identity_policies(p).map(|x| self.doc(x)).collect()
    }
    fn path(&self, a: AccountIx) -> Vec<&str> {
        self.org
            .ancestors(a)
            .iter()
            .map(|&o| &*self.org.ou(o).id)
            .collect()
    }
}

/// An org's principals and resource sides by account, each account's sorted by ARN,
/// built as asked: pairing the entities of two orgs account by account reads each
/// ARN near the others of its account, where a lookup in the whole org's ARN index
/// would miss the cache for each of them.
struct ByAccount<'o, T> {
    org: &'o Org,
    lists: Vec<OnceCell<Vec<(&'o str, T)>>>,
    list: fn(&'o Org, AccountIx) -> Vec<(&'o str, T)>,
}

impl<'o, T: Copy> ByAccount<'o, T> {
    fn new(org: &'o Org, list: fn(&'o Org, AccountIx) -> Vec<(&'o str, T)>) -> Self {
        ByAccount {
            org,
            lists: (0..org.accounts().len()).map(|_| OnceCell::new()).collect(),
            list,
        }
    }

    /// The entity with this ARN in the account of this id; `None` when that account
    /// does not list it.
    fn find(&self, account_id: &str, hint: AccountIx, arn: &str) -> Option<T> {
        let same =
            hint.index() < self.org.accounts().len() && *self.org.account(hint).id == *account_id;
        let a = if same {
            hint
        } else {
            self.org.account_by_id(account_id)?
        };
        let list = self.lists[a.index()].get_or_init(|| {
            let mut v = (self.list)(self.org, a);
            v.sort_unstable_by(|x, y| x.0.cmp(y.0));
            v
        });
        let at = list.binary_search_by(|x| x.0.cmp(arn)).ok()?;
        Some(list[at].1)
    }
}

fn principals_of(org: &Org, a: AccountIx) -> Vec<(&str, PrincipalIx)> {
    let acct = org.account(a);
    acct.users
        .iter()
        .map(|&u| PrincipalIx::User(u))
        .chain(acct.roles.iter().map(|&r| PrincipalIx::Role(r)))
        .map(|p| (org.principal_arn(p), p))
        .collect()
}

fn resource_sides_of(org: &Org, a: AccountIx) -> Vec<(&str, Option<PolicyIx>)> {
    let acct = org.account(a);
    acct.resources
        .iter()
        .map(|&r| (&*org.resource(r).arn, org.resource(r).policy))
        .chain(
            acct.roles
                .iter()
                .map(|&r| (&*org.role(r).arn, org.role(r).trust)),
        )
        .collect()
}

/// The principal of `org` with this ARN (`hint`'s, when it has that ARN).
fn principal_by_arn(org: &Org, arn: &str, hint: PrincipalIx) -> Option<PrincipalIx> {
    if let Some(p) = same_place_principal(org, arn, hint) {
        return Some(p);
    }
    match org.by_arn(arn) {
        Some(Entity::User(u)) => Some(PrincipalIx::User(u)),
        Some(Entity::Role(r)) => Some(PrincipalIx::Role(r)),
        _ => None,
    }
}

/// The principal at `hint`'s place in `org`, when it has this ARN.
fn same_place_principal(org: &Org, arn: &str, hint: PrincipalIx) -> Option<PrincipalIx> {
    let fits = match hint {
        PrincipalIx::User(u) => u.index() < org.users().len(),
        PrincipalIx::Role(r) => r.index() < org.roles().len(),
    };
    (fits && org.principal_arn(hint) == arn).then_some(hint)
}

/// The policy of the `k`th entry of [`resource_side`] in `org`, when it has this ARN.
fn same_place_side(org: &Org, k: usize, arn: &str) -> Option<Option<PolicyIx>> {
    let resources = org.resources();
    let (side_arn, policy) = match resources.get(k) {
        Some(r) => (&*r.arn, r.policy),
        None => {
            let r = org.roles().get(k - resources.len())?;
            (&*r.arn, r.trust)
        }
    };
    (side_arn == arn).then_some(policy)
}

/// An order for principals (users, then roles), to drop duplicates.
/// The policies of both orgs whose document reads a key containing `needle` (lower
/// case). The text is enough unless an escape could spell the key.
fn reading<'o>(sides: &[&Side<'o>], needle: &str) -> Vec<(&'o Org, PolicyIx)> {
    let reads = |text: &str| text.to_ascii_lowercase().contains(needle);
    let mut out = Vec::new();
    for &side in sides {
        let org = side.org;
        let docs: Vec<bool> = (0..org.docs().len())
            .map(|ix| {
                let d = DocRef { side, ix };
                reads(d.text()) || (d.text().contains('\\') && reads(d.canon()))
            })
            .collect();
        for (i, rec) in org.policies().iter().enumerate() {
            if docs[rec.doc.index()] {
                out.push((org, PolicyIx::new(i)));
            }
        }
    }
    out
}

fn boundary_arn(org: &Org, p: Option<PrincipalIx>) -> Option<&str> {
    p.and_then(|p| org.boundary(p))
        .and_then(|x| org.policy(x).arn.as_deref())
}

fn principal_key(p: PrincipalIx) -> (u8, usize) {
    match p {
        PrincipalIx::User(u) => (0, u.index()),
        PrincipalIx::Role(r) => (1, r.index()),
    }
}

fn every_principal(org: &Org) -> impl Iterator<Item = PrincipalIx> + '_ {
    (0..org.users().len())
        .map(|i| PrincipalIx::User(crate::org::UserIx::new(i)))
        .chain((0..org.roles().len()).map(|i| PrincipalIx::Role(crate::org::RoleIx::new(i))))
}

/// Each resource's policy and each role's trust policy, by ARN: what a request to it
/// meets on the resource side.
fn resource_side(org: &Org) -> impl Iterator<Item = (&str, Option<PolicyIx>, AccountIx)> + '_ {
    org.resources()
        .iter()
        .map(|r| (&*r.arn, r.policy, r.account))
        .chain(org.roles().iter().map(|r| (&*r.arn, r.trust, r.account)))
}

/// The resource policy or trust policy of `arn` in `org`: `None` when the org holds
/// no such resource or role.
fn resource_policy(org: &Org, arn: &str) -> Option<Option<PolicyIx>> {
    match org.by_arn(arn) {
        Some(Entity::Role(r)) => Some(org.role(r).trust),
        Some(Entity::Resource(r)) => Some(org.resource(r).policy),
        _ => None,
    }
}

/// The distinct (before, after) levels of the accounts whose levels changed: accounts
/// under one OU mostly share theirs.
#[derive(Default)]
struct LevelPairs {
    seen: HashMap<Vec<Vec<*const Policy>>, usize>,
    pairs: Vec<LevelPair>,
}

impl LevelPairs {
    /// The pair's place in the list.
    fn add(
        &mut self,
        before: &Org,
        lb: &[Vec<PolicyIx>],
        after: &Org,
        la: &[Vec<PolicyIx>],
    ) -> usize {
        let compiled = |org: &Org, levels: &[Vec<PolicyIx>]| -> Levels {
            levels
                .iter()
                .map(|l| l.iter().map(|&p| org.compiled(p).clone()).collect())
                .collect()
        };
        let (b, a) = (compiled(before, lb), compiled(after, la));
        // The two sides apart: a marker level between them (no policy has a null address).
        let key: Vec<Vec<*const Policy>> = b
            .iter()
            .map(|l| l.iter().map(Arc::as_ptr).collect())
            .chain(std::iter::once(vec![std::ptr::null()]))
            .chain(a.iter().map(|l| l.iter().map(Arc::as_ptr).collect()))
            .collect();
        *self.seen.entry(key).or_insert_with(|| {
            self.pairs.push((b, a));
            self.pairs.len() - 1
        })
    }
}

/// Collects the documents of changed policies, once each.
struct Docs<'a> {
    seen: HashSet<*const Policy>,
    out: &'a mut Vec<Arc<Policy>>,
}

impl Docs<'_> {
    fn add(&mut self, org: &Org, p: PolicyIx) {
        let policy = org.compiled(p);
        if self.seen.insert(Arc::as_ptr(policy)) {
            self.out.push(policy.clone());
        }
    }
}

pub fn touched(before: &Org, after: &Org) -> Touched {
    // An org edited in memory from `before` says what it wrote: only that is compared
    // (the same comparisons, on fewer candidates). Otherwise every entity is.
    let edits = after.edits_since(before).filter(|e| !e.everything);
    let (b, a) = (Side::new(before), Side::new(after));
    let mut t = Touched::default();
    let mut docs = Docs {
        seen: HashSet::new(),
        out: &mut t.docs,
    };
    let mut level_docs = Docs {
        seen: HashSet::new(),
        out: &mut t.level_docs,
    };
    let mut pairs = [LevelPairs::default(), LevelPairs::default()];
    let mut moved = false;
    // The tree: SCP and RCP levels, and where each account sits.
    let tree_written = edits.is_none_or(|e| e.tree);
    for (i, acct) in after.accounts().iter().enumerate() {
        if !tree_written {
            break;
        }
        let ai = AccountIx::new(i);
        let same_place = i < before.accounts().len() && before.accounts()[i].id == acct.id;
        let Some(bi) = (if same_place {
            Some(ai)
        } else {
            before.account_by_id(&acct.id)
        }) else {
            continue;
        };
        if b.path(bi) != a.path(ai) {
            moved = true;
            t.moved.insert(acct.id.to_string());
            t.principal_accounts.insert(acct.id.to_string());
            t.resource_accounts.insert(acct.id.to_string());
        }
        for rcp in [false, true] {
            let (lb, la) = if rcp {
                (before.rcp_levels(bi), after.rcp_levels(ai))
            } else {
                (before.scp_levels(bi), after.scp_levels(ai))
            };
            let tb: Vec<Vec<DocRef>> = lb.iter().map(|l| b.level(l)).collect();
            let ta: Vec<Vec<DocRef>> = la.iter().map(|l| a.level(l)).collect();
            if tb.len() == ta.len() && tb.iter().zip(&ta).all(|(x, y)| same_docs(x, y)) {
                continue;
            }
            if rcp {
                t.resource_accounts.insert(acct.id.to_string());
            } else {
                t.principal_accounts.insert(acct.id.to_string());
            }
            let pair = pairs[usize::from(rcp)].add(before, lb, after, la);
            if rcp {
                t.rcp_pair_of.insert(acct.id.to_string(), pair);
            }
            // Same depth: a level decides an action from the statements that match
            // it, so only the policies added to or taken from a level count. Another
            // depth: every policy of every level (a level no statement matches denies).
            let same_depth = lb.len() == la.len();
            for k in 0..lb.len().max(la.len()) {
                let (kb, ka) = (lb.get(k), la.get(k));
                for &p in kb.into_iter().flatten() {
                    if !same_depth || !holds(&ta[k], &b.doc(p)) {
                        level_docs.add(before, p);
                    }
                }
                for &p in ka.into_iter().flatten() {
                    if !same_depth || !holds(&tb[k], &a.doc(p)) {
                        level_docs.add(after, p);
                    }
                }
            }
        }
    }
    let [scp_pairs, rcp_pairs] = pairs;
    t.scp_pairs = scp_pairs.pairs;
    t.rcp_pairs = rcp_pairs.pairs;
    // Principals: identity policies and boundary.
    let mut rebounded = Vec::new();
    let principals_b = ByAccount::new(before, principals_of);
    let candidates: Box<dyn Iterator<Item = PrincipalIx>> = match edits {
        Some(e) => {
            let mut v = e.principals.clone();
            v.sort_unstable_by_key(|&p| principal_key(p));
            v.dedup();
            Box::new(v.into_iter())
        }
        None => Box::new(every_principal(after)),
    };
    for pa in candidates {
        let arn = after.principal_arn(pa);
        let account = after.principal_account(pa);
        // The changed org keeps the loaded org's order: the same place holds the same
        // principal, found without a lookup unless the scenario added or removed some.
        let old = same_place_principal(before, arn, pa)
            .or_else(|| principals_b.find(&after.account(account).id, account, arn))
            .or_else(|| principal_by_arn(before, arn, pa));
        // The boundary's ARN is what `iam:PermissionsBoundary` reads: another policy
        // with the same document still changes it.
        if boundary_arn(before, old) != boundary_arn(after, Some(pa)) {
            rebounded.push(arn.to_string());
        }
        let boundary_b = old.and_then(|pb| before.boundary(pb)).map(|x| b.doc(x));
        let boundary_a = after.boundary(pa).map(|x| a.doc(x));
        let same_boundary = old.is_some()
            && match (&boundary_b, &boundary_a) {
                (Some(x), Some(y)) => x.same(y),
                (None, None) => true,
                _ => false,
            };
        // Most principals keep their policies in the same order: no list is built.
        let same_in_order = old.is_some_and(|pb| {
            let (mut x, mut y) = (before.identity_policies(pb), after.identity_policies(pa));
            loop {
                match (x.next(), y.next()) {
                    (None, None) => break true,
                    (Some(p), Some(q)) if b.doc(p).same(&a.doc(q)) => {}
                    _ => break false,
                }
            }
        });
        if same_in_order && same_boundary {
            continue;
        }
        let (ib, ia) = (old.map(|pb| b.identity(pb)), a.identity(pa));
        let same_identity = ib.as_ref().is_some_and(|ib| same_docs(ib, &ia));
        if same_identity && same_boundary {
            continue;
        }
        t.principals.insert(arn.to_string());
        let identity_too = !same_boundary;
        for x in after.identity_policies(pa).chain(after.boundary(pa)) {
            let changed = match &ib {
                None => true,
                Some(ib) => !holds(ib, &a.doc(x)) || identity_too,
            };
            if changed || Some(x) == after.boundary(pa) {
                docs.add(after, x);
            }
        }
        if let Some(pb) = old {
            for x in before.identity_policies(pb).chain(before.boundary(pb)) {
                if !holds(&ia, &b.doc(x)) || identity_too {
                    docs.add(before, x);
                }
            }
        }
    }
    // A boundary set, removed or replaced changes `iam:PermissionsBoundary` on requests
    // acting on that user or role: the policies that read the key decide them anew.
    if !rebounded.is_empty() {
        let reading = reading(&[&b, &a], "permissionsboundary");
        for &(org, p) in &reading {
            docs.add(org, p);
        }
        if !reading.is_empty() {
            t.rebounded = rebounded.into_iter().collect();
        }
    }
    // Resource policies and trust policies: each ARN of either org.
    let same_policy = |pb: Option<PolicyIx>, pa: Option<PolicyIx>| match (pb, pa) {
        (Some(x), Some(y)) => b.doc(x).same(&a.doc(y)),
        (None, None) => true,
        _ => false,
    };
    let (sides_b, sides_a) = (
        ByAccount::new(before, resource_sides_of),
        ByAccount::new(after, resource_sides_of),
    );
    // In memory, only the resources and roles whose policy the edits wrote.
    let sides = edits.is_none();
    for arn in edits.map(|e| &e.resources[..]).unwrap_or_default() {
        let (old, now) = (resource_policy(before, arn), resource_policy(after, arn));
        if old.is_none() && now.is_none() || old.zip(now).is_some_and(|(x, y)| same_policy(x, y)) {
            continue;
        }
        t.resources.insert(arn.to_string());
        if let Some(x) = old.flatten() {
            docs.add(before, x);
        }
        if let Some(x) = now.flatten() {
            docs.add(after, x);
        }
    }
    // `take_while`, not `filter`: a filter would still walk every role and resource.
    for (k, (arn, pa, account)) in resource_side(after).enumerate().take_while(|_| sides) {
        let old = same_place_side(before, k, arn)
            .or_else(|| sides_b.find(&after.account(account).id, account, arn))
            .or_else(|| resource_policy(before, arn));
        if old.is_some_and(|pb| same_policy(pb, pa)) {
            continue;
        }
        t.resources.insert(arn.to_string());
        if let Some(x) = old.flatten() {
            docs.add(before, x);
        }
        if let Some(x) = pa {
            docs.add(after, x);
        }
    }
    for (k, (arn, pb, account)) in resource_side(before).enumerate().take_while(|_| sides) {
        let now = same_place_side(after, k, arn)
            .or_else(|| sides_a.find(&before.account(account).id, account, arn))
            .or_else(|| resource_policy(after, arn));
        if now.is_none() {
            t.resources.insert(arn.to_string());
            if let Some(x) = pb {
                docs.add(before, x);
            }
        }
    }
    // An account that moved changes the org paths that conditions may read
    // (aws:PrincipalOrgPaths, aws:ResourceOrgPaths): every policy that reads them.
    // The text is enough unless an escape could spell the key.
    if moved {
        let mut path_docs = Docs {
            seen: HashSet::new(),
            out: &mut t.path_docs,
        };
        for (org, p) in reading(&[&b, &a], "orgpaths") {
            docs.add(org, p);
            path_docs.add(org, p);
        }
    }
    t
}
