//! From the organization to one engine request: every policy the org says applies,
//! and the context AWS itself would add about the principal and the resource.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::AnalysisError;
use crate::engine::PolicySet;
use crate::org::{AccountIx, Entity, NameLookup, Org, PolicyIx, PrincipalIx};
use crate::policy::context::Key;
use crate::policy::request::Asked;
use crate::policy::{Arn, Context, Policy, Request};

/// A request asked of the organization.
#[derive(Debug, Clone, Default)]
pub struct Ask {
    pub action: String,
    pub resource: String,
    /// The resource's account where neither the org nor the ARN says.
    pub resource_account: Option<String>,
    pub context: Vec<(String, Vec<String>)>,
    /// A session policy passed when the role was assumed.
    pub session_policy: Option<Arc<Policy>>,
    /// The role session's name, when the question names one (a role-session ARN):
    /// policies that name that exact session then match it.
    pub session_name: Option<String>,
    /// The identity policies of a caller outside the organization, where the question
    /// gives them; with none, that caller's own side is assumed to allow.
    pub caller_policies: Vec<Arc<Policy>>,
}

impl Ask {
    /// Where this question's request lands in `org`.
    pub fn target<'o>(&self, org: &'o Org) -> Target<'o> {
        target(
            org,
            &self.action,
            &self.resource,
            self.resource_account.as_deref(),
        )
    }

    /// As [`Ask::target`], refusing a resource account that contradicts where the org
    /// holds the resource or the account its ARN names: the given account is for
    /// resources neither says (S3 buckets the org does not hold).
    ///
    /// A KMS alias is refused for the actions that act on a key: KMS resolves the
    /// alias and authorizes the request on the key it names (KMS Developer Guide,
    /// "Using aliases to control access to KMS keys"), so an answer about the alias's
    /// ARN could say Allowed where AWS denies.
    pub fn checked_target<'o>(&self, org: &'o Org) -> Result<Target<'o>, AnalysisError> {
        // A request names one action: a wildcard would match policies' patterns as
        // text, an answer about no request AWS could receive.
        if self.action.contains(['*', '?']) {
            return Err(AnalysisError::ActionPattern(self.action.clone()));
        }
        if let Some(alias) = kms_alias_for_a_key_action(&self.action, &self.resource) {
            return Err(AnalysisError::KmsAlias {
                action: self.action.clone(),
                alias: alias.to_string(),
            });
        }
        let tgt = self.target(org);
        if let Some(given) = self.resource_account.as_deref() {
            let known = match resource_holder(org, &self.action, &self.resource) {
                Some((_, a)) => Some((org.account(a).id.to_string(), "the org holds it in")),
                None => Arn::parse(&self.resource)
                    .map(|a| a.account().to_string())
                    .filter(|a| crate::policy::request::is_account_id(a))
                    .map(|a| (a, "its ARN names")),
            };
            if let Some((actual, how)) = known
                && actual != given
            {
                return Err(AnalysisError::ResourceAccountConflict {
                    given: given.to_string(),
                    how,
                    actual,
                });
            }
        }
        Ok(tgt)
    }
}

/// The alias of a KMS alias ARN, when `action` acts on a key and not on an alias
/// (only CreateAlias, DeleteAlias and UpdateAlias take an alias as their resource).
pub(crate) fn kms_alias_for_a_key_action<'r>(action: &str, resource: &'r str) -> Option<&'r str> {
    // Most resources are not aliases: found without parsing.
    if !resource.contains(":alias/") {
        return None;
    }
    let arn = Arn::parse(resource)?;
    if arn.service() != "kms" || !arn.resource().starts_with("alias/") {
        return None;
    }
    let types = &crate::catalog::Catalog::get()
        .action(action)?
        .resource_types;
    let takes = |name: &str| types.iter().any(|t| t.name == name);
    let alias = &resource[resource.len() - arn.resource().len()..];
    (takes("key") && !takes("alias")).then_some(alias)
}

/// The question as asked of `who`: a role-session ARN keeps its session name (a policy
/// may name that session) unless the question gives one.
pub fn with_session_of<'a>(who: &str, ask: &'a Ask) -> Cow<'a, Ask> {
    match session_name(who) {
        Some(name) if ask.session_name.is_none() => Cow::Owned(Ask {
            session_name: Some(name.to_string()),
            ..ask.clone()
        }),
        _ => Cow::Borrowed(ask),
    }
}

/// The session name of a role-session ARN (`arn:aws:sts::A:assumed-role/ROLE/NAME`).
pub fn session_name(arn: &str) -> Option<&str> {
    let parsed = Arn::parse(arn)?;
    if parsed.service() != "sts" {
        return None;
    }
    let rest = parsed.resource().strip_prefix("assumed-role/")?;
    let (_, name) = rest.split_once('/')?;
    let start = arn.len() - name.len();
    (!name.is_empty()).then(|| &arn[start..])
}

/// Who asks: an IAM user or role of the org, or the root user of one of its accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Principal(PrincipalIx),
    /// `arn:aws:iam::ACCOUNT:root`: all permissions in its own account, but governed
    /// by SCPs in a member account.
    Root(AccountIx),
}

/// Finds who asks: a user, role or role session as [`principal`] does, or an
/// account's root user by its ARN `arn:aws:iam::ACCOUNT:root`.
pub fn subject(org: &Org, text: &str) -> Result<Subject, AnalysisError> {
    if let Some(id) = text
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.strip_suffix(":root"))
    {
        return org
            .account_by_id(id)
            .map(Subject::Root)
            .ok_or_else(|| AnalysisError::UnknownPrincipal(text.to_string()));
    }
    principal(org, text).map(Subject::Principal)
}

/// Finds a principal by ARN (a user, a role, or a role-session ARN) or by a short
/// name that is unique in the org.
pub fn principal(org: &Org, text: &str) -> Result<PrincipalIx, AnalysisError> {
    if text.starts_with("arn:") {
        return org
            .principal_by_arn(text)
            .ok_or_else(|| AnalysisError::UnknownPrincipal(text.to_string()));
    }
    match org.by_name(text) {
        NameLookup::Unique(Entity::User(u)) => Ok(PrincipalIx::User(u)),
        NameLookup::Unique(Entity::Role(r)) => Ok(PrincipalIx::Role(r)),
        NameLookup::Ambiguous(hits) => {
            let arns: Vec<String> = hits
                .iter()
                .filter(|e| matches!(e, Entity::User(_) | Entity::Role(_)))
                .filter_map(|e| org.arn(*e).map(str::to_string))
                .collect();
            match arns.len() {
                0 => Err(AnalysisError::UnknownPrincipal(text.to_string())),
                1 => principal(org, &arns[0]),
                _ => Err(AnalysisError::AmbiguousPrincipal {
                    name: text.to_string(),
                    arns,
                }),
            }
        }
        _ => Err(AnalysisError::UnknownPrincipal(text.to_string())),
    }
}

/// Where the request lands: the resource's own policy (a role's trust policy for
/// `sts:AssumeRole*`, a bucket's policy for its objects) and its account.
#[derive(Debug, Clone)]
pub struct Target<'o> {
    pub policy: Option<&'o Policy>,
    /// The account the resource is in, where the org or the ARN says.
    pub account: Option<AccountIx>,
    pub account_id: Option<String>,
    /// The resource is an AWS managed KMS key of the org: its account's RCPs do not
    /// apply to it (KMS Developer Guide, "Resource control policies in AWS KMS").
    pub aws_managed_key: bool,
    /// The resource is in a bucket of the org with S3 Block Public Access
    /// `RestrictPublicBuckets` on (its own setting or its account's).
    pub restrict_public_buckets: bool,
    /// The resource is in a bucket of the org with S3 Block Public Access
    /// `BlockPublicAcls` on (its own setting or its account's).
    pub block_public_acls: bool,
}

/// Whether a role's trust policy is the resource policy of `action` on a role: the
/// actions that assume it, and those a session is tagged or named by.
pub fn resource_holder_is_trust(action: &str) -> bool {
    // Compared without a lower-cased copy: asked of every request on a role.
    action
        .get(..14)
        .is_some_and(|a| a.eq_ignore_ascii_case("sts:assumerole"))
        || action.eq_ignore_ascii_case("sts:tagsession")
        || action.eq_ignore_ascii_case("sts:setsourceidentity")
}

/// What the org holds for the resource of a request: its own policy (a role's trust
/// policy for the actions that assume it; a bucket's policy for its objects) and its
/// account; `None` when the org does not hold the resource.
pub fn resource_holder(
    org: &Org,
    action: &str,
    resource: &str,
) -> Option<(Option<PolicyIx>, AccountIx)> {
    resource_holder_for(org, resource_holder_is_trust(action), resource)
}

/// [`resource_holder`] for an action that lands on a role's trust policy
/// (`trust_action`) or not: all the action decides.
pub fn resource_holder_for(
    org: &Org,
    trust_action: bool,
    resource: &str,
) -> Option<(Option<PolicyIx>, AccountIx)> {
    let arn = Arn::parse(resource)?;
    if arn.service() == "iam" && arn.resource().starts_with("role/") && trust_action {
        return match org.by_arn(resource) {
            Some(Entity::Role(r)) => Some((org.role(r).trust, org.role(r).account)),
            _ => None,
        };
    }
    let found = org.resource_by_arn(resource).or_else(|| {
        // An S3 object is governed by its bucket's policy.
        let bucket = (arn.service() == "s3").then(|| arn.resource().split('/').next())??;
        org.resource_by_arn(&format!("arn:{}:s3:::{bucket}", arn.partition()))
    })?;
    let res = org.resource(found);
    Some((res.policy, res.account))
}

pub fn target<'o>(
    org: &'o Org,
    action: &str,
    resource: &str,
    given_account: Option<&str>,
) -> Target<'o> {
    target_of(org, action, resource, org.by_arn(resource), given_account)
}

/// [`target`], given what `org.by_arn(resource)` says.
pub(crate) fn target_of<'o>(
    org: &'o Org,
    action: &str,
    resource: &str,
    entity: Option<Entity>,
    given_account: Option<&str>,
) -> Target<'o> {
    // What `resource_holder`, `Org::resource_by_arn` and `Org::bucket_of` would say,
    // from one borrowed parse and one lookup of each ARN: the escalation search asks
    // this once per request.
    let segments = Arn::segments(resource);
    let own = match entity {
        Some(Entity::Resource(r)) => Some(r),
        _ => None,
    };
    // An S3 object is governed by its bucket's policy.
    let bucket = segments
        .filter(|[_, service, ..]| *service == "s3")
        .and_then(|[partition, _, _, _, res]| {
            let name = res.split('/').next()?;
            org.resource_by_arn(&format!("arn:{partition}:s3:::{name}"))
        });
    let trust_of_role = segments
        .is_some_and(|[_, service, _, _, res]| service == "iam" && res.starts_with("role/"))
        && resource_holder_is_trust(action);
    let holder = if trust_of_role {
        match entity {
            Some(Entity::Role(r)) => Some((org.role(r).trust, org.role(r).account)),
            _ => None,
        }
    } else {
        segments.and(own.or(bucket)).map(|r| {
            let res = org.resource(r);
            (res.policy, res.account)
        })
    };
    let policy = holder.and_then(|(p, _)| p).map(|p| &**org.compiled(p));
    let aws_managed_key = own.is_some_and(|r| org.resource(r).aws_managed);
    let restrict_public_buckets = bucket.is_some_and(|r| org.restricts_public_buckets(r));
    let block_public_acls =
        bucket.is_some_and(|r| super::public_access::bucket_blocks_public_acls(org, r));
    let mut account = holder.map(|(_, a)| a);
    if let Some(given) = given_account {
        account = org.account_by_id(given);
        return Target {
            policy,
            account,
            account_id: Some(given.to_string()),
            aws_managed_key,
            restrict_public_buckets,
            block_public_acls,
        };
    }
    let from_arn = segments
        .map(|[_, _, _, account, _]| account)
        .filter(|a| crate::policy::request::is_account_id(a));
    if account.is_none() {
        account = from_arn.and_then(|id| org.account_by_id(id));
    }
    let account_id = account
        .map(|a| org.account(a).id.to_string())
        .or_else(|| from_arn.map(str::to_string));
    Target {
        policy,
        account,
        account_id,
        aws_managed_key,
        restrict_public_buckets,
        block_public_acls,
    }
}

/// Everything the engine needs for one principal and one request.
pub struct Assembled<'o> {
    pub request: Request,
    pub set: PolicySet<'o>,
}

impl Subject {
    /// The account the subject belongs to.
    pub fn account(self, org: &Org) -> AccountIx {
        match self {
            Subject::Principal(p) => org.principal_account(p),
            Subject::Root(a) => a,
        }
    }
}

/// Assembles the request of `s` and the policies that apply to it.
pub fn assemble<'o>(
    org: &'o Org,
    s: Subject,
    ask: &'o Ask,
) -> Result<Assembled<'o>, AnalysisError> {
    let tgt = ask.checked_target(org)?;
    let account = s.account(org);
    let mut shared = Shared::new(org, ask, &tgt, Some(account));
    let request = shared.request(org, s, ask, &tgt)?;
    // `shared` does not outlive this call: the set owns its levels.
    let scps = shared.scps.remove(account).unwrap_or_default();
    let rcps = shared.rcps_for(account).to_vec();
    Ok(Assembled {
        request,
        set: PolicySet {
            scps: scps.into(),
            rcps: rcps.into(),
            ..own_set(org, s, ask, &tgt)
        },
    })
}

/// As [`assemble`], from what every subject of one question shares: the levels are
/// borrowed, not rebuilt.
pub fn assemble_shared<'o, 's>(
    org: &'o Org,
    s: Subject,
    ask: &'o Ask,
    tgt: &Target<'o>,
    shared: &'s Shared<'o>,
) -> Result<Assembled<'s>, AnalysisError>
where
    'o: 's,
{
    let request = shared.request(org, s, ask, tgt)?;
    let account = s.account(org);
    // Checked in release too: without its account's levels a subject would be decided
    // without SCPs.
    assert!(
        shared.accounts.binary_search(&account).is_ok(),
        "a subject of an account the shared data leaves out"
    );
    let scps: &'s [Vec<&'o Policy>] = shared.scps.get(account).map_or(&[], Vec::as_slice);
    Ok(Assembled {
        request,
        set: PolicySet {
            scps: std::borrow::Cow::Borrowed(scps),
            rcps: std::borrow::Cow::Borrowed(shared.rcps_for(account)),
            ..own_set(org, s, ask, tgt)
        },
    })
}

/// The subject's own policies (none for a root user: it needs no identity policy in
/// its account), the session policy and the resource's; no SCP or RCP levels.
fn own_set<'o>(org: &'o Org, s: Subject, ask: &'o Ask, tgt: &Target<'o>) -> PolicySet<'o> {
    let (identity, boundary) = match s {
        Subject::Principal(p) => (
            org.identity_policies(p)
                .map(|x| &**org.compiled(x))
                .collect(),
            org.boundary(p).map(|x| &**org.compiled(x)),
        ),
        Subject::Root(_) => (Vec::new(), None),
    };
    PolicySet {
        identity,
        boundary,
        session: ask.session_policy.as_deref(),
        resource: tgt.policy,
        aws_managed_key: tgt.aws_managed_key,
        restrict_public_buckets: tgt.restrict_public_buckets,
        // A bucket the org does not hold is taken to be in the resource's account, or
        // the subject's (as the request takes it); `s3:CreateBucket` makes it there.
        // A pattern (what-can's `*`) stands for buckets of any account: what-can
        // names the rule beside the grant instead.
        block_public_acls: tgt.block_public_acls
            || (!ask.resource.contains(['*', '?'])
                && super::public_access::account_blocks_public_acls(
                    org,
                    tgt.account.unwrap_or_else(|| s.account(org)),
                )),
        ..Default::default()
    }
}

/// What every subject of one question shares, computed once: the context the
/// question gives, the SCP levels and org path of the accounts asked about, the RCP
/// levels of the resource's account.
pub struct Shared<'o> {
    context: Context,
    accounts: Vec<AccountIx>,
    scps: PerAccount<Vec<Vec<&'o Policy>>>,
    /// The resource's account and its RCP levels and org path, where the question
    /// says which account it is.
    resource: ResourceSide<'o>,
    org_paths: PerAccount<String>,
    keys: OrgKeys,
    /// The question's action and resource, parsed once for every subject's request
    /// (`None` when they do not parse: each request then says why).
    asked: Option<Arc<Asked>>,
    /// The org it was built from ([`Org::stamp`]): only that org may reuse it.
    stamp: u64,
}

/// The resource's side of the organization: its account's RCP levels and org path.
enum ResourceSide<'o> {
    /// The resource's account is known: in the org (`Some`) or outside it (`None`:
    /// no RCPs apply, AWS applies an org's RCPs only to its own accounts' resources).
    Known {
        account: Option<AccountIx>,
        rcps: Vec<Vec<&'o Policy>>,
        org_path: Option<String>,
    },
    /// Neither the org, the ARN nor the question names the account (`*`, an S3 ARN
    /// the org does not hold): as the engine takes `aws:ResourceAccount`, each subject's
    /// own account is assumed, so its own account's RCPs apply. Leaving RCPs out would
    /// answer Allowed where the RCPs of the account assumed deny (RCP guide: RCPs apply
    /// to every request to the account's resources).
    Assumed {
        rcps: PerAccount<Vec<Vec<&'o Policy>>>,
    },
}

/// Values for some accounts, by account (kept sorted: built in account order).
struct PerAccount<T>(Vec<(AccountIx, T)>);

impl<T> PerAccount<T> {
    fn get(&self, a: AccountIx) -> Option<&T> {
        self.0
            .binary_search_by_key(&a, |(k, _)| *k)
            .ok()
            .map(|i| &self.0[i].1)
    }

    fn remove(&mut self, a: AccountIx) -> Option<T> {
        let i = self.0.binary_search_by_key(&a, |(k, _)| *k).ok()?;
        Some(self.0.remove(i).1)
    }
}

#[derive(Clone, Copy)]
struct OrgKeys {
    org_id: Key,
    org_paths: Key,
    resource_org_id: Key,
    resource_org_paths: Key,
    userid: Key,
    principal_arn: Key,
}

impl OrgKeys {
    /// Interned once: what-if and the escalation search build a `Shared` per question.
    fn get() -> OrgKeys {
        static KEYS: std::sync::OnceLock<OrgKeys> = std::sync::OnceLock::new();
        *KEYS.get_or_init(|| OrgKeys {
            org_id: Key::new("aws:PrincipalOrgID"),
            org_paths: Key::new("aws:PrincipalOrgPaths"),
            resource_org_id: Key::new("aws:ResourceOrgID"),
            resource_org_paths: Key::new("aws:ResourceOrgPaths"),
            userid: Key::new("aws:userid"),
            principal_arn: Key::new("aws:PrincipalArn"),
        })
    }
}

impl<'o> Shared<'o> {
    /// For `only`: one account's data; for `None`: every account's.
    pub fn new(org: &'o Org, ask: &Ask, tgt: &Target<'o>, only: Option<AccountIx>) -> Shared<'o> {
        match only {
            Some(a) => Self::for_accounts(org, ask, tgt, [a]),
            None => {
                Self::for_accounts(org, ask, tgt, (0..org.accounts().len()).map(AccountIx::new))
            }
        }
    }

    /// The data of these accounts only: every subject asked about must be of one of
    /// them (a subject of another account would be assembled without its SCPs).
    pub fn for_accounts(
        org: &'o Org,
        ask: &Ask,
        tgt: &Target<'o>,
        accounts: impl IntoIterator<Item = AccountIx>,
    ) -> Shared<'o> {
        let asked = Asked::new(&ask.action, &ask.resource).ok().map(Arc::new);
        Self::for_accounts_asking(org, ask, tgt, accounts, asked)
    }

    /// As [`Shared::for_accounts`], with the question's action and resource already
    /// parsed (`asked` must be what `Asked::new` makes of them, or `None` when it fails).
    pub(crate) fn for_accounts_asking(
        org: &'o Org,
        ask: &Ask,
        tgt: &Target<'o>,
        accounts: impl IntoIterator<Item = AccountIx>,
        asked: Option<Arc<Asked>>,
    ) -> Shared<'o> {
        let mut accounts: Vec<AccountIx> = accounts.into_iter().collect();
        accounts.sort_unstable();
        accounts.dedup();
        let in_org = org.info().id.is_some();
        let mut shared = Shared {
            context: Context::from_pairs(
                ask.context
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.iter().cloned())),
            ),
            scps: PerAccount(
                accounts
                    .iter()
                    .map(|&a| (a, compiled_levels(org, org.scp_levels(a))))
                    .collect(),
            ),
            resource: ResourceSide::Known {
                account: None,
                rcps: Vec::new(),
                org_path: None,
            },
            org_paths: PerAccount(
                accounts
                    .iter()
                    .filter(|_| in_org)
                    .map(|&a| (a, org_path(org, a)))
                    .collect(),
            ),
            keys: OrgKeys::get(),
            asked,
            accounts,
            stamp: org.stamp(),
        };
        shared.point_at(org, tgt);
        shared
    }

    /// Makes this the shared data of another question of the same org, over the same
    /// accounts and context: the per-account data (SCP levels, org paths) is kept, the
    /// question's own (`asked`, as [`Shared::for_accounts_asking`] takes it) and its
    /// resource side are replaced. `false`, and nothing changed, where the org, the
    /// accounts or the context differ: then build a new one. What-if asks thousands
    /// of questions of the same few principals.
    pub(crate) fn reuse_for(
        &mut self,
        org: &'o Org,
        ask: &Ask,
        tgt: &Target<'o>,
        accounts: &[AccountIx],
        asked: Option<Arc<Asked>>,
    ) -> bool {
        let mut accounts = accounts.to_vec();
        accounts.sort_unstable();
        accounts.dedup();
        let context = Context::from_pairs(
            ask.context
                .iter()
                .map(|(k, v)| (k.as_str(), v.iter().cloned())),
        );
        if self.stamp != org.stamp() || self.accounts != accounts || self.context != context {
            return false;
        }
        self.asked = asked;
        self.retarget(org, tgt);
        true
    }

    /// Points the resource side (RCP levels, resource org path) at another target;
    /// nothing is recomputed when its account is the same.
    pub fn retarget(&mut self, org: &'o Org, tgt: &Target<'o>) {
        let same = match &self.resource {
            ResourceSide::Known { account, .. } => {
                tgt.account_id.is_some() && *account == tgt.account
            }
            ResourceSide::Assumed { .. } => tgt.account_id.is_none(),
        };
        if !same {
            self.point_at(org, tgt);
        }
    }

    fn point_at(&mut self, org: &'o Org, tgt: &Target<'o>) {
        self.resource = if tgt.account_id.is_none() {
            ResourceSide::Assumed {
                rcps: PerAccount(
                    self.accounts
                        .iter()
                        .map(|&a| (a, compiled_levels(org, org.rcp_levels(a))))
                        .collect(),
                ),
            }
        } else {
            ResourceSide::Known {
                account: tgt.account,
                rcps: tgt
                    .account
                    .map(|a| compiled_levels(org, org.rcp_levels(a)))
                    .unwrap_or_default(),
                org_path: tgt
                    .account
                    .filter(|_| org.info().id.is_some())
                    .map(|a| org_path(org, a)),
            }
        };
    }

    /// The RCP levels that govern a request of a subject of `account`.
    fn rcps_for(&self, account: AccountIx) -> &[Vec<&'o Policy>] {
        match &self.resource {
            ResourceSide::Known { rcps, .. } => rcps,
            ResourceSide::Assumed { rcps } => rcps.get(account).map_or(&[], Vec::as_slice),
        }
    }

    /// One subject's request: the question's context, the principal's tags, the
    /// organization's keys. A role acts as a session; with a session name, as that
    /// exact session.
    fn request(
        &self,
        org: &Org,
        s: Subject,
        ask: &Ask,
        tgt: &Target<'_>,
    ) -> Result<Request, AnalysisError> {
        let mut ctx = self.context.clone_with_room(16);
        let tags: &[crate::org::Tag] = match s {
            Subject::Principal(PrincipalIx::User(u)) => &org.user(u).tags,
            Subject::Principal(PrincipalIx::Role(r)) => &org.role(r).tags,
            Subject::Root(_) => &[],
        };
        for t in tags {
            ctx.insert_default_key(&principal_tag_key(&t.key), &t.value);
        }
        self.add_org_keys(org, s.account(org), &mut ctx);
        for (key, value) in target_keys(org, ask) {
            ctx.insert_default_key(&key, value);
        }
        // aws:userid from the unique ids the org knows (IAM User Guide, "Principal key
        // values"): a user's id; a role session's `role-id:session-name`. AWS sets it on
        // every session's request, so a role asked about without a session name is not
        // a request without the key: it is a session whose name no policy names (as
        // `named_session_notes` in can.rs reads it). Taking the key as absent skipped a
        // `Deny ... NotResource .../${aws:userid}/*` and answered Allowed where every
        // session is denied.
        let userid = match (s, &ask.session_name) {
            (Subject::Principal(PrincipalIx::User(u)), _) => {
                org.user(u).id.as_deref().map(Cow::Borrowed)
            }
            (Subject::Principal(PrincipalIx::Role(r)), name) => {
                org.role(r).id.as_deref().map(|id| {
                    Cow::Owned(format!(
                        "{id}:{}",
                        name.as_deref().unwrap_or(UNNAMED_SESSION)
                    ))
                })
            }
            _ => None,
        };
        if let Some(id) = userid {
            ctx.insert_default_key(&self.keys.userid, &id);
        }
        let partition = &org.info().partition;
        let owned;
        let principal = match (s, &ask.session_name) {
            (Subject::Principal(PrincipalIx::Role(r)), Some(name)) => {
                let role = org.role(r);
                // A session's aws:PrincipalArn is its role's ARN, path included (IAM
                // User Guide, "AWS global condition context keys", aws:PrincipalArn);
                // the session ARN below does not show the path.
                ctx.insert_default_key(
                    &self.keys.principal_arn,
                    org.principal_arn(PrincipalIx::Role(r)),
                );
                owned = format!(
                    "arn:{partition}:sts::{}:assumed-role/{}/{name}",
                    org.account(role.account).id,
                    role.name()
                );
                owned.as_str()
            }
            (Subject::Principal(p), _) => org.principal_arn(p),
            (Subject::Root(a), _) => {
                owned = format!("arn:{partition}:iam::{}:root", org.account(a).id);
                owned.as_str()
            }
        };
        let account = tgt.account_id.as_deref();
        // what-can shares this data across actions: only the question's own is reused.
        let mut request = match &self.asked {
            Some(asked) if asked.is(&ask.action, &ask.resource) => {
                Request::asking(asked.clone(), principal, account, ctx)?
            }
            _ => Request::new(principal, &ask.action, &ask.resource, account, ctx)?,
        };
        // Service-linked roles live under /aws-service-role/ (IAM User Guide, "Using
        // service-linked roles"); the org knows the path a session ARN leaves out.
        if let Subject::Principal(PrincipalIx::Role(r)) = s {
            request.set_service_linked(org.role(r).is_service_linked());
        }
        Ok(request)
    }

    /// The organization's keys for a subject of `account`. Only members of an
    /// organization have them (a lone account has no org id).
    fn add_org_keys(&self, org: &Org, account: AccountIx, ctx: &mut Context) {
        let Some(id) = &org.info().id else {
            return;
        };
        let k = &self.keys;
        ctx.insert_default_key(&k.org_id, id);
        if let Some(path) = self.org_paths.get(account) {
            ctx.insert_default_key(&k.org_paths, path);
        }
        let resource_path = match &self.resource {
            ResourceSide::Known { org_path, .. } => org_path.as_ref(),
            // The resource is taken to be in the subject's own account.
            ResourceSide::Assumed { .. } => self.org_paths.get(account),
        };
        if let Some(path) = resource_path {
            ctx.insert_default_key(&k.resource_org_id, id);
            ctx.insert_default_key(&k.resource_org_paths, path);
        }
    }
}

/// The context keys a request takes from the IAM user or role it acts on: its tags
/// ([`target_tags`]) and its boundary ([`target_boundary`]).
pub(crate) fn target_keys<'o>(org: &'o Org, ask: &Ask) -> Vec<(Key, &'o str)> {
    if !ask.resource.contains(":iam::") {
        return Vec::new();
    }
    target_keys_of(org, &ask.action, org.by_arn(&ask.resource))
}

/// [`target_keys`], given what `org.by_arn` says of the resource.
pub(crate) fn target_keys_of<'o>(
    org: &'o Org,
    action: &str,
    entity: Option<Entity>,
) -> Vec<(Key, &'o str)> {
    let p = match entity {
        Some(Entity::User(u)) => PrincipalIx::User(u),
        Some(Entity::Role(r)) => PrincipalIx::Role(r),
        _ => return Vec::new(),
    };
    let mut keys = entity_tags(org, action, p);
    if carries_entity_boundary(action)
        && let Some(boundary) = org.boundary(p).and_then(|b| org.policy(b).arn.as_deref())
    {
        keys.push((boundary_key(), boundary));
    }
    keys
}

fn boundary_key() -> Key {
    static KEY: std::sync::OnceLock<Key> = std::sync::OnceLock::new();
    *KEY.get_or_init(|| Key::new("iam:PermissionsBoundary"))
}

/// `aws:PrincipalTag/<tag>`, interned (see [`tag_key`]).
pub(crate) fn principal_tag_key(tag: &str) -> Key {
    tag_key("aws:PrincipalTag/", tag)
}

/// A tag's context key, `<prefix><tag>` (`aws:ResourceTag/team`), interned;
/// remembered per thread, as the same few tag keys come back for every principal of a
/// question and every request of the escalation search.
fn tag_key(prefix: &'static str, tag: &str) -> Key {
    thread_local! {
        static TAG_KEYS: std::cell::RefCell<HashMap<&'static str, HashMap<Box<str>, Key>>> =
            Default::default();
    }
    TAG_KEYS.with(|cache| {
        if let Some(k) = cache.borrow().get(prefix).and_then(|m| m.get(tag)) {
            return *k;
        }
        let k = Key::new(&format!("{prefix}{tag}"));
        cache
            .borrow_mut()
            .entry(prefix)
            .or_default()
            .insert(tag.into(), k);
        k
    })
}

/// SCP or RCP levels as the engine takes them: each level's compiled policies.
pub(crate) fn compiled_levels<'o>(
    org: &'o Org,
    levels: &[Vec<crate::org::PolicyIx>],
) -> Vec<Vec<&'o Policy>> {
    levels
        .iter()
        .map(|l| l.iter().map(|&x| &**org.compiled(x)).collect())
        .collect()
}

/// `o-id/r-id/ou-a/ou-b/`: the path AWS gives in `aws:PrincipalOrgPaths`.
pub(crate) fn org_path(org: &Org, a: AccountIx) -> String {
    let mut path = format!(
        "{}/{}/",
        org.info().id.as_deref().unwrap_or(""),
        org.root().id
    );
    for ou in org.ancestors(a) {
        path.push_str(&org.ou(*ou).id);
        path.push('/');
    }
    path
}

/// The tags of the IAM user or role a request acts on, as the keys AWS sets from them
/// (`aws:ResourceTag/<key>` and `iam:ResourceTag/<key>`): the keys of the `user` and
/// `role` resource types (Service Authorization Reference, IAM and STS, resource types),
/// for the actions that act on that resource type (`sts:AssumeRole` on a role, IAM
/// actions on users and roles). None where the org does not hold the resource.
pub(crate) fn target_tags<'o>(org: &'o Org, action: &str, resource: &str) -> Vec<(Key, &'o str)> {
    // Most resources are not IAM users or roles: found without a lookup.
    if !resource.contains(":iam::") {
        return Vec::new();
    }
    match org.by_arn(resource) {
        Some(Entity::User(u)) => entity_tags(org, action, PrincipalIx::User(u)),
        Some(Entity::Role(r)) => entity_tags(org, action, PrincipalIx::Role(r)),
        _ => Vec::new(),
    }
}

/// [`target_tags`] of the user or role `p`.
fn entity_tags<'o>(org: &'o Org, action: &str, p: PrincipalIx) -> Vec<(Key, &'o str)> {
    let (tags, kind): (&[crate::org::Tag], &str) = match p {
        PrincipalIx::User(u) => (&org.user(u).tags, "user"),
        PrincipalIx::Role(r) => (&org.role(r).tags, "role"),
    };
    if tags.is_empty() {
        return Vec::new();
    }
    // The action looked up in the catalog once, not once per tag.
    tag_key_prefixes(action, kind)
        .flat_map(|prefix| {
            tags.iter()
                .map(move |t| (tag_key(prefix, &t.key), &*t.value))
        })
        .collect()
}

/// The prefixes of the tag keys (`aws:ResourceTag/`, `iam:ResourceTag/`) a request of
/// `action` on a user or role (`kind`: `user`, `role`) takes from it: those its
/// resource type lists, as the action's own service defines the type (IAM's or STS's
/// role); none when the action does not act on that type.
fn tag_key_prefixes(action: &str, kind: &str) -> impl Iterator<Item = &'static str> {
    let catalog = crate::catalog::Catalog::get();
    catalog
        .action(action)
        .filter(|a| a.resource_types.iter().any(|t| t.name == kind))
        .and_then(|a| catalog.service_info(a.service))
        .and_then(|s| s.resources.iter().find(|r| r.name == kind))
        .map_or(&[][..], |r| r.condition_keys.as_slice())
        .iter()
        .filter_map(|k| k.strip_suffix("${TagKey}"))
}

/// The context keys a request of `action` on the user or role `p` takes from its tag
/// `tag` ([`target_tags`] for that one tag, whatever its value): what a change of
/// that tag changes in the request.
pub(crate) fn entity_tag_keys(action: &str, p: PrincipalIx, tag: &str) -> Vec<Key> {
    let kind = match p {
        PrincipalIx::User(_) => "user",
        PrincipalIx::Role(_) => "role",
    };
    tag_key_prefixes(action, kind)
        .map(|prefix| tag_key(prefix, tag))
        .collect()
}

/// IAM actions on an existing user or role whose requests carry
/// `iam:PermissionsBoundary`: the boundary that user or role has (Service
/// Authorization Reference, IAM: "Filters access if the specified policy is set as
/// permissions boundary on the IAM entity"). Left out: CreateUser, CreateRole and
/// Put*PermissionsBoundary, where the request itself names the boundary it sets, so
/// the key is the question's to give.
const ON_ENTITY_BOUNDARY: &[&str] = &[
    "iam:attachrolepolicy",
    "iam:attachuserpolicy",
    "iam:deleterole",
    "iam:deleterolepermissionsboundary",
    "iam:deleterolepolicy",
    "iam:deleteuserpermissionsboundary",
    "iam:deleteuserpolicy",
    "iam:detachrolepolicy",
    "iam:detachuserpolicy",
    "iam:getrole",
    "iam:putrolepolicy",
    "iam:putuserpolicy",
    "iam:updateassumerolepolicy",
    "iam:updaterole",
    "iam:updateroledescription",
];

/// Whether requests for `action` carry `iam:PermissionsBoundary` set from the user or
/// role they act on (`ON_ENTITY_BOUNDARY`).
pub fn carries_entity_boundary(action: &str) -> bool {
    let bytes = action.as_bytes();
    bytes.len() >= 4
        && bytes[..4].eq_ignore_ascii_case(b"iam:")
        && ON_ENTITY_BOUNDARY
            .iter()
            .any(|a| a.eq_ignore_ascii_case(action))
}

/// The session name in `aws:userid` for a role asked about without one. Parentheses
/// cannot appear in a session name (STS AssumeRole, RoleSessionName: `[\w+=,.@-]*`), so
/// only a wildcard in a policy matches it, as it matches every session.
pub const UNNAMED_SESSION: &str = "(unnamed-session)";

/// The ARN of the boundary of the user or role an IAM request acts on, for
/// `iam:PermissionsBoundary`; `None` when the action does not carry the key, the
/// resource is not a user or role of the org, or it has no boundary (the key is then
/// absent, as IAM leaves it).
pub(crate) fn target_boundary<'o>(org: &'o Org, ask: &Ask) -> Option<&'o str> {
    if !carries_entity_boundary(&ask.action) {
        return None;
    }
    let p = match org.by_arn(&ask.resource)? {
        Entity::User(u) => PrincipalIx::User(u),
        Entity::Role(r) => PrincipalIx::Role(r),
        _ => return None,
    };
    org.policy(org.boundary(p)?).arn.as_deref()
}
