//! Who may assume which role, as far as the policies' text says: an index that only
//! narrows the candidates of an `sts:AssumeRole` question. The engine still decides
//! every hop; this index must never leave out a principal the engine could let in.
//!
//! Two sides, as AWS evaluates an AssumeRole (IAM User Guide, "Policy evaluation logic";
//! "Cross-account policy evaluation logic"):
//!
//! - the role's trust policy must name the caller in an Allow: by its ARN, by its
//!   account (root or id), by `*`, or by leaving it out of a `NotPrincipal`. Service,
//!   federated and canonical-user principals never name an IAM user or role.
//! - the caller's identity policies must allow `sts:AssumeRole`, except in its own
//!   account when the trust policy names it more narrowly than its account (its ARN,
//!   `*`): that Allow alone grants (the engine's `grant`, `PrincipalMatch` above
//!   `Account`). Naming the account delegates to the account's identity policies, and
//!   across accounts both sides must allow.

use std::collections::HashMap;

use super::{AccountIx, DocIx, Org, PolicyIx, PrincipalIx, RoleIx};
use crate::policy::{Effect, NamedPrincipal, Policy, Request};

/// Whom one trust document names in its Allow statements.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TrustNames {
    /// Accounts named by id or root ARN: every principal of them, through their
    /// identity policies.
    pub accounts: Vec<AccountIx>,
    /// Users and roles named by ARN (a role whatever its path, as the engine matches
    /// a role session by account and role name).
    pub principals: Vec<PrincipalIx>,
    /// `*`, an Allow with `NotPrincipal`, or an Allow with no principal at all: anyone
    /// may be let in (conditions, such as `aws:PrincipalOrgID`, are the engine's).
    pub everyone: bool,
}

impl TrustNames {
    fn of(org: &Org, trust: &Policy) -> TrustNames {
        let mut names = TrustNames::default();
        for s in trust.statements() {
            if s.effect != Effect::Allow {
                continue;
            }
            match s.named_principals() {
                // With Allow, NotPrincipal names everyone but those listed. A trust
                // policy Allow without Principal grants nobody in the engine; taken as
                // everyone here, as the index may only widen.
                Some((true, _)) | None => names.everyone = true,
                Some((false, named)) => {
                    for n in named {
                        match n {
                            NamedPrincipal::Everyone => names.everyone = true,
                            NamedPrincipal::Account(id) => {
                                names.accounts.extend(org.account_by_id(id));
                            }
                            NamedPrincipal::Arn(arn) => names.principals.extend(named_by(org, arn)),
                            // Services, federated and canonical users are not IAM
                            // principals of the org.
                            NamedPrincipal::Service(_)
                            | NamedPrincipal::Federated(_)
                            | NamedPrincipal::CanonicalUser(_) => {}
                        }
                    }
                }
            }
        }
        names.accounts.sort();
        names.accounts.dedup();
        names.principals.sort();
        names.principals.dedup();
        names
    }

    /// Whether these names may let `p` in, and how: `Some(true)` by something narrower
    /// than its account (ARN, `*`), `Some(false)` only by its account, `None` not at all.
    pub fn names(&self, org: &Org, p: PrincipalIx) -> Option<bool> {
        if self.everyone || self.principals.binary_search(&p).is_ok() {
            Some(true)
        } else if self
            .accounts
            .binary_search(&org.principal_account(p))
            .is_ok()
        {
            Some(false)
        } else {
            None
        }
    }
}

/// The org's principals an ARN in a `Principal` element may name: a user or role of
/// its account by name (whatever the path written), or the role of a session ARN.
/// Wider than the engine's exact match on purpose: the engine decides.
fn named_by(org: &Org, arn: &str) -> Vec<PrincipalIx> {
    let Some(parsed) = crate::policy::Arn::parse(arn) else {
        return Vec::new();
    };
    let Some(account) = org.account_by_id(parsed.account()) else {
        return Vec::new();
    };
    let res = parsed.resource();
    let acc = org.account(account);
    let (service, res) = (parsed.service(), res);
    let last = res.rsplit('/').next().unwrap_or(res);
    match service {
        "iam" if res.starts_with("role/") => acc
            .roles
            .iter()
            .filter(|&&r| org.role(r).name() == last)
            .map(|&r| PrincipalIx::Role(r))
            .collect(),
        "iam" if res.starts_with("user/") => acc
            .users
            .iter()
            .filter(|&&u| org.user(u).name() == last)
            .map(|&u| PrincipalIx::User(u))
            .collect(),
        "sts" => match res
            .strip_prefix("assumed-role/")
            .and_then(|r| r.split('/').next())
        {
            Some(role) => acc
                .roles
                .iter()
                .filter(|&&r| org.role(r).name() == role)
                .map(|&r| PrincipalIx::Role(r))
                .collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Trust policies indexed by whom they name, and identity documents by whether they
/// may allow `sts:AssumeRole`. Built in one pass over the roles; trust documents that
/// several roles share (the same text) are read once.
pub struct AssumeIndex {
    /// Each distinct trust document's names, and the roles that hold it.
    trusts: Vec<(TrustNames, Vec<RoleIx>)>,
    /// Per role: its trust document's entry in `trusts` (`None`: no trust policy).
    trust_of: Vec<Option<u32>>,
    /// Per account: roles whose trust names the account.
    by_account: Vec<Vec<RoleIx>>,
    /// Per user or role named by ARN: roles whose trust names it.
    by_principal: HashMap<PrincipalIx, Vec<RoleIx>>,
    /// Roles whose trust may let anyone in.
    everyone: Vec<RoleIx>,
    side: CallerSide,
}

/// The caller's side alone: identity documents by whether an Allow statement's action
/// covers `sts:AssumeRole` (resource and conditions aside, which only narrow it).
/// Enough for a search inward to a role, which reads only the trust policies of the
/// roles on its way: cheaper than indexing every trust policy of the org.
pub struct CallerSide {
    doc_assumes: Vec<bool>,
}

impl CallerSide {
    pub fn new(org: &Org) -> CallerSide {
        CallerSide {
            doc_assumes: docs_allowing(
                org,
                "sts:AssumeRole",
                "arn:aws:iam::000000000000:role/probe",
            ),
        }
    }

    /// Whether any identity policy of `p` has an Allow whose action covers
    /// `sts:AssumeRole`. False means `p` can assume only a role of its own account
    /// whose trust names it more narrowly than its account.
    pub fn may_call(&self, org: &Org, p: PrincipalIx) -> bool {
        org.identity_policies(p)
            .any(|x: PolicyIx| self.doc_assumes[org.policy(x).doc.index()])
    }

    /// The principals that might assume `r`, sorted, `r` itself left out: every
    /// principal the engine could let assume `r` is among them.
    pub fn callers(&self, org: &Org, r: RoleIx) -> Vec<PrincipalIx> {
        self.callers_where(org, r, |_| true)
    }

    /// [`CallerSide::callers`] kept to those `wanted` wants (asked first: cheap).
    pub fn callers_where(
        &self,
        org: &Org,
        r: RoleIx,
        wanted: impl Fn(PrincipalIx) -> bool,
    ) -> Vec<PrincipalIx> {
        match org.role(r).trust {
            Some(trust) => {
                let names = TrustNames::of(org, org.compiled(trust));
                self.callers_named(org, r, &names, wanted)
            }
            None => Vec::new(),
        }
    }

    /// [`CallerSide::callers_where`] as if every caller's identity policies allowed
    /// `sts:AssumeRole` (callers that gave themselves every permission): the
    /// principals `r`'s trust policy names in any way.
    pub fn callers_allowed_where(
        &self,
        org: &Org,
        r: RoleIx,
        wanted: impl Fn(PrincipalIx) -> bool,
    ) -> Vec<PrincipalIx> {
        match org.role(r).trust {
            Some(trust) => {
                let names = TrustNames::of(org, org.compiled(trust));
                callers_named_by(org, r, &names, wanted, |_| true)
            }
            None => Vec::new(),
        }
    }

    /// [`CallerSide::callers_where`] of `r`, whose trust policy names `names`.
    fn callers_named(
        &self,
        org: &Org,
        r: RoleIx,
        names: &TrustNames,
        wanted: impl Fn(PrincipalIx) -> bool,
    ) -> Vec<PrincipalIx> {
        callers_named_by(org, r, names, wanted, |p| self.may_call(org, p))
    }
}

/// The principals `names` (`r`'s trust) may let assume `r`, kept to those `wanted`
/// wants, `may_call` saying whose identity policies may allow `sts:AssumeRole`.
fn callers_named_by(
    org: &Org,
    r: RoleIx,
    names: &TrustNames,
    wanted: impl Fn(PrincipalIx) -> bool,
    may_call: impl Fn(PrincipalIx) -> bool,
) -> Vec<PrincipalIx> {
    let home = org.role(r).account;
    let keep = |p: PrincipalIx| {
        p != PrincipalIx::Role(r)
            && wanted(p)
            && match names.names(org, p) {
                Some(true) => org.principal_account(p) == home || may_call(p),
                Some(false) => may_call(p),
                None => false,
            }
    };
    let mut out: Vec<PrincipalIx> = if names.everyone {
        all_principals(org).filter(|&p| keep(p)).collect()
    } else {
        let in_accounts = names.accounts.iter().flat_map(|&a| {
            let acc = org.account(a);
            acc.users
                .iter()
                .map(|&u| PrincipalIx::User(u))
                .chain(acc.roles.iter().map(|&r| PrincipalIx::Role(r)))
        });
        names
            .principals
            .iter()
            .copied()
            .chain(in_accounts)
            .filter(|&p| keep(p))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

impl AssumeIndex {
    pub fn new(org: &Org) -> AssumeIndex {
        let mut by_doc: HashMap<DocIx, u32> = HashMap::new();
        let mut trusts: Vec<(TrustNames, Vec<RoleIx>)> = Vec::new();
        let mut trust_of = Vec::with_capacity(org.roles().len());
        for (i, role) in org.roles().iter().enumerate() {
            let r = RoleIx::new(i);
            let Some(trust) = role.trust else {
                trust_of.push(None);
                continue;
            };
            let doc = org.policy(trust).doc;
            let at = *by_doc.entry(doc).or_insert_with(|| {
                trusts.push((TrustNames::of(org, org.compiled(trust)), Vec::new()));
                (trusts.len() - 1) as u32
            });
            trusts[at as usize].1.push(r);
            trust_of.push(Some(at));
        }
        let mut ix = AssumeIndex {
            by_account: vec![Vec::new(); org.accounts().len()],
            by_principal: HashMap::new(),
            everyone: Vec::new(),
            side: CallerSide::new(org),
            trusts: Vec::new(),
            trust_of,
        };
        for (names, roles) in &trusts {
            if names.everyone {
                ix.everyone.extend(roles);
            }
            for a in &names.accounts {
                ix.by_account[a.index()].extend(roles);
            }
            for p in &names.principals {
                ix.by_principal.entry(*p).or_default().extend(roles);
            }
        }
        ix.trusts = trusts;
        ix
    }

    /// The roles `p` might assume, sorted, `p` itself left out: every role the engine
    /// could let `p` assume is among them.
    pub fn roles_for(&self, org: &Org, p: PrincipalIx) -> Vec<RoleIx> {
        self.roles_for_among(org, p, &self.everyone, |_| true)
    }

    /// Roles whose trust may let anyone in: a search narrows them once for many
    /// principals ([`AssumeIndex::roles_for_among`]).
    pub fn everyone(&self) -> &[RoleIx] {
        &self.everyone
    }

    /// [`AssumeIndex::roles_for`] kept to those `keep` wants, given `everyone`: the
    /// roles of [`AssumeIndex::everyone`] that `keep` wants (or more). With many roles
    /// that trust `*`, a search filters them once a step, not once a principal.
    pub fn roles_for_among(
        &self,
        org: &Org,
        p: PrincipalIx,
        everyone: &[RoleIx],
        keep: impl Fn(RoleIx) -> bool,
    ) -> Vec<RoleIx> {
        self.roles_for_among_as(org, p, everyone, keep, self.side.may_call(org, p))
    }

    /// [`AssumeIndex::roles_for_among`], `may_call` saying whether `p`'s identity
    /// policies may allow `sts:AssumeRole` (true for a principal that gave itself
    /// every permission).
    pub fn roles_for_among_as(
        &self,
        org: &Org,
        p: PrincipalIx,
        everyone: &[RoleIx],
        keep: impl Fn(RoleIx) -> bool,
        may_call: bool,
    ) -> Vec<RoleIx> {
        let account = org.principal_account(p);
        let narrow = everyone
            .iter()
            .chain(self.by_principal.get(&p).into_iter().flatten());
        let mut out: Vec<RoleIx> = if may_call {
            narrow
                .chain(&self.by_account[account.index()])
                .copied()
                .filter(|&r| keep(r))
                .collect()
        } else {
            // Only the trust policy can grant: in `p`'s own account, naming it.
            narrow
                .copied()
                .filter(|&r| org.role(r).account == account && keep(r))
                .collect()
        };
        out.sort_unstable();
        out.dedup();
        out.retain(|&r| PrincipalIx::Role(r) != p);
        out
    }

    /// As [`CallerSide::callers`], from the trust policies indexed here.
    pub fn callers(&self, org: &Org, r: RoleIx) -> Vec<PrincipalIx> {
        match self.trust_of[r.index()] {
            Some(at) => self
                .side
                .callers_named(org, r, &self.trusts[at as usize].0, |_| true),
            None => Vec::new(),
        }
    }

    /// The caller's side of the index.
    pub fn caller_side(&self) -> &CallerSide {
        &self.side
    }
}

/// Every user and role of the org.
pub fn all_principals(org: &Org) -> impl Iterator<Item = PrincipalIx> + '_ {
    (0..org.users().len())
        .map(|i| PrincipalIx::User(super::UserIx::new(i)))
        .chain((0..org.roles().len()).map(|i| PrincipalIx::Role(RoleIx::new(i))))
}

/// Per document of the org: whether an Allow statement's action covers `action`. The
/// action element alone decides it (action patterns take no policy variables); the
/// resource only names a well-formed request.
pub fn docs_allowing(org: &Org, action: &str, resource: &str) -> Vec<bool> {
    let probe = Request::new(
        "arn:aws:iam::000000000000:user/probe",
        action,
        resource,
        Some("000000000000"),
        Default::default(),
    );
    let Ok(probe) = probe else {
        // A request that cannot be built: every document counts.
        return vec![true; org.docs().len()];
    };
    org.docs()
        .iter()
        .map(|d| {
            d.policy
                .statements()
                .iter()
                .any(|s| s.effect == Effect::Allow && s.covers_action(&probe))
        })
        .collect()
}
