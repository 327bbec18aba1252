//! What a scenario touches, found by comparing the org before and after (not by
//! reading the changes: the comparison sees every consequence, an OU move's effect on
//! the accounts below it included).
//!
//! A request's answer can change only if a policy that applies to it changed, or the
//! org paths its conditions read did. So the answer for principal P, action A and
//! resource R can change only when
//! - A is matched by a statement of a changed policy (see [`Touched::docs`]), and
//! - P is touched (its identity policies, boundary or SCP levels changed, or its
//!   account moved), or R is touched (its own policy, or the RCP levels or place of
//!   its account changed).

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::org::{AccountIx, Org, PolicyIx, PrincipalIx};
use crate::policy::Policy;

#[derive(Default)]
pub struct Touched {
    /// The policies whose statements may decide differently: changed documents (both
    /// versions), the levels that changed, a re-bounded principal's identity policies.
    pub docs: Vec<Arc<Policy>>,
    /// Accounts (by id) whose principals' SCP levels or org paths changed.
    pub principal_accounts: HashSet<String>,
    /// Principals (by ARN) whose identity policies or boundary changed, or that are new.
    pub principals: HashSet<String>,
    /// Accounts (by id) whose resources' RCP levels or org paths changed.
    pub resource_accounts: HashSet<String>,
    /// Resources and roles (by ARN) whose own policy (or trust policy) changed.
    pub resources: HashSet<String>,
}

/// Each document of an org as canonical JSON (keys sorted): the rebuilt org writes
/// its documents anew, so text alone would differ where nothing changed.
fn canon(org: &Org) -> Vec<String> {
    org.docs()
        .iter()
        .map(|d| {
            serde_json::from_str::<serde_json::Value>(&d.text)
                .map(|v| v.to_string())
                .unwrap_or_else(|_| d.text.to_string())
        })
        .collect()
}

struct Side<'o> {
    org: &'o Org,
    canon: Vec<String>,
}

impl<'o> Side<'o> {
    fn new(org: &'o Org) -> Side<'o> {
        Side {
            org,
            canon: canon(org),
        }
    }
    fn text(&self, p: PolicyIx) -> &str {
        &self.canon[self.org.policy(p).doc.index()]
    }
    fn levels(&self, levels: &[Vec<PolicyIx>]) -> Vec<Vec<&str>> {
        levels
            .iter()
            .map(|l| {
                let mut v: Vec<&str> = l.iter().map(|&p| self.text(p)).collect();
                v.sort_unstable();
                v
            })
            .collect()
    }
    fn identity(&self, p: PrincipalIx) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .org
            .identity_policies(p)
            .map(|x| self.text(x))
            .collect();
        v.sort_unstable();
        v
    }
    fn path(&self, a: AccountIx) -> Vec<&str> {
        self.org
            .ancestors(a)
            .iter()
            .map(|&o| &*self.org.ou(o).id)
            .collect()
    }
    fn principals(&self) -> BTreeMap<&'o str, PrincipalIx> {
        let o = self.org;
        (0..o.users().len())
            .map(|i| PrincipalIx::User(crate::org::UserIx::new(i)))
            .chain((0..o.roles().len()).map(|i| PrincipalIx::Role(crate::org::RoleIx::new(i))))
            .map(|p| (o.principal_arn(p), p))
            .collect()
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
    let (b, a) = (Side::new(before), Side::new(after));
    let mut t = Touched::default();
    let mut docs = Docs {
        seen: HashSet::new(),
        out: &mut t.docs,
    };
    let mut moved = false;
    // The tree: SCP and RCP levels, and where each account sits.
    for (i, acct) in after.accounts().iter().enumerate() {
        let ai = AccountIx::new(i);
        let Some(bi) = before.account_by_id(&acct.id) else {
            continue;
        };
        if b.path(bi) != a.path(ai) {
            moved = true;
            t.principal_accounts.insert(acct.id.to_string());
            t.resource_accounts.insert(acct.id.to_string());
        }
        for rcp in [false, true] {
            let (lb, la) = if rcp {
                (before.rcp_levels(bi), after.rcp_levels(ai))
            } else {
                (before.scp_levels(bi), after.scp_levels(ai))
            };
            let (tb, ta) = (b.levels(lb), a.levels(la));
            if tb == ta {
                continue;
            }
            if rcp {
                t.resource_accounts.insert(acct.id.to_string());
            } else {
                t.principal_accounts.insert(acct.id.to_string());
            }
            // Same depth: a level decides an action from the statements that match
            // it, so only the policies added to or taken from a level count. Another
            // depth: every policy of every level (a level no statement matches denies).
            let same_depth = lb.len() == la.len();
            for k in 0..lb.len().max(la.len()) {
                let (kb, ka) = (lb.get(k), la.get(k));
                for &p in kb.into_iter().flatten() {
                    if !same_depth || !ta[k].contains(&b.text(p)) {
                        docs.add(before, p);
                    }
                }
                for &p in ka.into_iter().flatten() {
                    if !same_depth || !tb[k].contains(&a.text(p)) {
                        docs.add(after, p);
                    }
                }
            }
        }
    }
    // Principals: identity policies and boundary.
    let bp = b.principals();
    for (arn, &pa) in &a.principals() {
        let old = bp.get(arn).copied();
        let same_identity = old.is_some_and(|pb| b.identity(pb) == a.identity(pa));
        let boundary_b = old.and_then(|pb| before.boundary(pb)).map(|x| b.text(x));
        let boundary_a = after.boundary(pa).map(|x| a.text(x));
        let same_boundary = old.is_some() && boundary_b == boundary_a;
        if same_identity && same_boundary {
            continue;
        }
        t.principals.insert(arn.to_string());
        let identity_too = !same_boundary;
        for x in after.identity_policies(pa).chain(after.boundary(pa)) {
            let changed = match old {
                None => true,
                Some(pb) => !b.identity(pb).contains(&a.text(x)) || identity_too,
            };
            if changed || Some(x) == after.boundary(pa) {
                docs.add(after, x);
            }
        }
        if let Some(pb) = old {
            let now = a.identity(pa);
            for x in before.identity_policies(pb).chain(before.boundary(pb)) {
                if !now.contains(&b.text(x)) || identity_too {
                    docs.add(before, x);
                }
            }
        }
    }
    // Resource policies and trust policies.
    let res_b: BTreeMap<&str, Option<PolicyIx>> = before
        .resources()
        .iter()
        .map(|r| (&*r.arn, r.policy))
        .chain(before.roles().iter().map(|r| (&*r.arn, r.trust)))
        .collect();
    let res_a: BTreeMap<&str, Option<PolicyIx>> = after
        .resources()
        .iter()
        .map(|r| (&*r.arn, r.policy))
        .chain(after.roles().iter().map(|r| (&*r.arn, r.trust)))
        .collect();
    for arn in res_b.keys().chain(res_a.keys()) {
        let pb = res_b.get(arn).copied().flatten();
        let pa = res_a.get(arn).copied().flatten();
        if pb.map(|x| b.text(x)) == pa.map(|x| a.text(x))
            && res_b.contains_key(arn) == res_a.contains_key(arn)
        {
            continue;
        }
        t.resources.insert(arn.to_string());
        if let Some(x) = pb {
            docs.add(before, x);
        }
        if let Some(x) = pa {
            docs.add(after, x);
        }
    }
    // An account that moved changes the org paths that conditions may read
    // (aws:PrincipalOrgPaths, aws:ResourceOrgPaths): every policy that reads them.
    if moved {
        for (org, side) in [(before, &b), (after, &a)] {
            for (i, rec) in org.policies().iter().enumerate() {
                if side.canon[rec.doc.index()]
                    .to_ascii_lowercase()
                    .contains("orgpaths")
                {
                    docs.add(org, PolicyIx::new(i));
                }
            }
        }
    }
    t
}
