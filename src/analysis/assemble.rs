//! From the organization to one engine request: every policy the org says applies,
//! and the context AWS itself would add about the principal and the resource.

use std::sync::Arc;

use super::AnalysisError;
use crate::engine::PolicySet;
use crate::org::{AccountIx, Entity, NameLookup, Org, PrincipalIx};
use crate::policy::context::Key;
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
}

pub fn target<'o>(
    org: &'o Org,
    action: &str,
    resource: &str,
    given_account: Option<&str>,
) -> Target<'o> {
    let arn = Arn::parse(resource);
    let mut policy = None;
    let mut account = None;
    if let Some(arn) = &arn {
        let assume = action.to_ascii_lowercase();
        let trust_action = assume.starts_with("sts:assumerole")
            || assume == "sts:tagsession"
            || assume == "sts:setsourceidentity";
        if arn.service() == "iam" && arn.resource().starts_with("role/") && trust_action {
            if let Some(Entity::Role(r)) = org.by_arn(resource) {
                let role = org.role(r);
                policy = role.trust.map(|p| &**org.compiled(p));
                account = Some(role.account);
            }
        } else {
            let found = org.resource_by_arn(resource).or_else(|| {
                // An S3 object is governed by its bucket's policy.
                let bucket =
                    (arn.service() == "s3").then(|| arn.resource().split('/').next())??;
                org.resource_by_arn(&format!("arn:{}:s3:::{bucket}", arn.partition()))
            });
            if let Some(r) = found {
                let res = org.resource(r);
                policy = res.policy.map(|p| &**org.compiled(p));
                account = Some(res.account);
            }
        }
    }
    if let Some(given) = given_account {
        account = org.account_by_id(given);
        return Target {
            policy,
            account,
            account_id: Some(given.to_string()),
        };
    }
    let from_arn = arn
        .as_ref()
        .map(|a| a.account())
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
    }
}

/// Everything the engine needs for one principal and one request.
pub struct Assembled<'o> {
    pub request: Request,
    pub set: PolicySet<'o>,
}

/// Assembles the request of `p` and the policies that apply to it.
pub fn assemble<'o>(
    org: &'o Org,
    p: PrincipalIx,
    ask: &'o Ask,
) -> Result<Assembled<'o>, AnalysisError> {
    let tgt = ask.target(org);
    assemble_for(org, p, ask, &tgt)
}

/// As [`assemble`], with the target already resolved (once for many principals).
pub fn assemble_for<'o>(
    org: &'o Org,
    p: PrincipalIx,
    ask: &'o Ask,
    tgt: &Target<'o>,
) -> Result<Assembled<'o>, AnalysisError> {
    let account = org.principal_account(p);
    let mut shared = Shared::new(org, ask, tgt, Some(account));
    let request = request_shared(org, p, ask, tgt, &shared)?;
    // `shared` does not outlive this call: the set owns its levels.
    let scps = shared.scps[account.index()].take().unwrap_or_default();
    let rcps = std::mem::take(&mut shared.rcps);
    Ok(Assembled {
        request,
        set: PolicySet {
            scps: scps.into(),
            rcps: rcps.into(),
            ..identity_set(org, p, ask, tgt)
        },
    })
}

/// A principal's own policies and the resource's; no SCP or RCP levels.
fn identity_set<'o>(org: &'o Org, p: PrincipalIx, ask: &'o Ask, tgt: &Target<'o>) -> PolicySet<'o> {
    PolicySet {
        identity: org
            .identity_policies(p)
            .map(|x| &**org.compiled(x))
            .collect(),
        boundary: org.boundary(p).map(|x| &**org.compiled(x)),
        session: ask.session_policy.as_deref(),
        resource: tgt.policy,
        ..Default::default()
    }
}

/// What every principal of one question shares, computed once: the context the
/// question gives, the SCP levels and org path of each account, the RCP levels of
/// the resource's account.
pub struct Shared<'o> {
    context: Context,
    scps: Vec<Option<Vec<Vec<&'o Policy>>>>,
    rcps: Vec<Vec<&'o Policy>>,
    /// The resource account `rcps` and `resource_org_path` are for.
    rcps_account: Option<AccountIx>,
    org_paths: Vec<Option<String>>,
    resource_org_path: Option<String>,
    keys: OrgKeys,
}

struct OrgKeys {
    org_id: Key,
    org_paths: Key,
    resource_org_id: Key,
    resource_org_paths: Key,
}

impl<'o> Shared<'o> {
    /// For `only`: one account's data; for `None`: every account's.
    pub fn new(org: &'o Org, ask: &Ask, tgt: &Target<'o>, only: Option<AccountIx>) -> Shared<'o> {
        let levels = |ls: &[Vec<crate::org::PolicyIx>]| compiled_levels(org, ls);
        let n = org.accounts().len();
        let wanted = |i: usize| only.is_none_or(|a| a.index() == i);
        let in_org = org.info().id.is_some();
        Shared {
            context: Context::from_pairs(
                ask.context
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.iter().cloned())),
            ),
            scps: (0..n)
                .map(|i| wanted(i).then(|| levels(org.scp_levels(AccountIx::new(i)))))
                .collect(),
            rcps: tgt
                .account
                .map(|a| levels(org.rcp_levels(a)))
                .unwrap_or_default(),
            org_paths: (0..n)
                .map(|i| (wanted(i) && in_org).then(|| org_path(org, AccountIx::new(i))))
                .collect(),
            rcps_account: tgt.account,
            resource_org_path: tgt.account.filter(|_| in_org).map(|a| org_path(org, a)),
            keys: OrgKeys {
                org_id: Key::new("aws:PrincipalOrgID"),
                org_paths: Key::new("aws:PrincipalOrgPaths"),
                resource_org_id: Key::new("aws:ResourceOrgID"),
                resource_org_paths: Key::new("aws:ResourceOrgPaths"),
            },
        }
    }
}

impl<'o> Shared<'o> {
    /// Points the resource side (RCP levels, resource org path) at another target;
    /// nothing is recomputed when its account is the same.
    pub fn retarget(&mut self, org: &'o Org, tgt: &Target<'o>) {
        if self.rcps_account == tgt.account {
            return;
        }
        self.rcps_account = tgt.account;
        self.rcps = tgt
            .account
            .map(|a| compiled_levels(org, org.rcp_levels(a)))
            .unwrap_or_default();
        self.resource_org_path = tgt
            .account
            .filter(|_| org.info().id.is_some())
            .map(|a| org_path(org, a));
    }
}

/// Assembles one principal's request from what the question shares.
pub fn assemble_shared<'o, 's>(
    org: &'o Org,
    p: PrincipalIx,
    ask: &'o Ask,
    tgt: &Target<'o>,
    shared: &'s Shared<'o>,
) -> Result<Assembled<'s>, AnalysisError>
where
    'o: 's,
{
    let request = request_shared(org, p, ask, tgt, shared)?;
    let account = org.principal_account(p);
    let scps: &'s [Vec<&'o Policy>] = shared.scps[account.index()].as_deref().unwrap_or(&[]);
    Ok(Assembled {
        request,
        set: PolicySet {
            scps: std::borrow::Cow::Borrowed(scps),
            rcps: std::borrow::Cow::Borrowed(&shared.rcps),
            ..identity_set(org, p, ask, tgt)
        },
    })
}

impl Shared<'_> {
    /// The organization's keys for a principal of `account`. Only members of an
    /// organization have them (a lone account has no org id).
    fn add_org_keys(&self, org: &Org, account: AccountIx, ctx: &mut Context) {
        let Some(id) = &org.info().id else {
            return;
        };
        let k = &self.keys;
        ctx.insert_default_key(&k.org_id, id);
        if let Some(path) = &self.org_paths[account.index()] {
            ctx.insert_default_key(&k.org_paths, path);
        }
        if let Some(path) = &self.resource_org_path {
            ctx.insert_default_key(&k.resource_org_id, id);
            ctx.insert_default_key(&k.resource_org_paths, path);
        }
    }
}

/// `aws:PrincipalTag/<tag>`, interned; remembered per thread, as the same few tag
/// keys come back for every principal of a question.
fn principal_tag_key(tag: &str) -> Key {
    thread_local! {
        static TAG_KEYS: std::cell::RefCell<std::collections::HashMap<Box<str>, Key>> =
            Default::default();
    }
    TAG_KEYS.with(|cache| {
        if let Some(k) = cache.borrow().get(tag) {
            return *k;
        }
        let k = Key::new(&format!("aws:PrincipalTag/{tag}"));
        cache.borrow_mut().insert(tag.into(), k);
        k
    })
}

/// One principal's request: the question's context, the principal's tags and org.
fn request_shared(
    org: &Org,
    p: PrincipalIx,
    ask: &Ask,
    tgt: &Target<'_>,
    shared: &Shared<'_>,
) -> Result<Request, AnalysisError> {
    let account = org.principal_account(p);
    let mut ctx = shared.context.clone_with_room(16);
    let tags = match p {
        PrincipalIx::User(u) => &org.user(u).tags,
        PrincipalIx::Role(r) => &org.role(r).tags,
    };
    for t in tags {
        ctx.insert_default_key(&principal_tag_key(&t.key), &t.value);
    }
    shared.add_org_keys(org, account, &mut ctx);
    // A role acts as a session; with a session name, as that exact session.
    let session;
    let principal = match (p, &ask.session_name) {
        (PrincipalIx::Role(r), Some(name)) => {
            let role = org.role(r);
            session = format!(
                "arn:{}:sts::{}:assumed-role/{}/{name}",
                org.info().partition,
                org.account(role.account).id,
                role.name()
            );
            session.as_str()
        }
        _ => org.principal_arn(p),
    };
    Ok(Request::new(
        principal,
        &ask.action,
        &ask.resource,
        tgt.account_id.as_deref(),
        ctx,
    )?)
}

/// The request of an account's root user: no identity policies, no boundary; the
/// account's SCP levels (none for the management account).
pub fn assemble_root<'o>(
    org: &'o Org,
    account: AccountIx,
    ask: &'o Ask,
) -> Result<Assembled<'o>, AnalysisError> {
    let tgt = ask.target(org);
    let mut shared = Shared::new(org, ask, &tgt, Some(account));
    let request = root_request(org, account, ask, &tgt, &shared)?;
    // `shared` does not outlive this call: the set owns its levels.
    let set = PolicySet {
        scps: shared.scps[account.index()]
            .take()
            .unwrap_or_default()
            .into(),
        rcps: std::mem::take(&mut shared.rcps).into(),
        resource: tgt.policy,
        session: ask.session_policy.as_deref(),
        ..Default::default()
    };
    Ok(Assembled { request, set })
}

fn root_request(
    org: &Org,
    account: AccountIx,
    ask: &Ask,
    tgt: &Target<'_>,
    shared: &Shared<'_>,
) -> Result<Request, AnalysisError> {
    let mut ctx = shared.context.clone_with_room(16);
    shared.add_org_keys(org, account, &mut ctx);
    let arn = format!(
        "arn:{}:iam::{}:root",
        org.info().partition,
        org.account(account).id
    );
    Ok(Request::new(
        &arn,
        &ask.action,
        &ask.resource,
        tgt.account_id.as_deref(),
        ctx,
    )?)
}

/// As [`assemble_root`], from what a question shares (every account's root user).
pub fn assemble_root_shared<'o, 's>(
    org: &'o Org,
    account: AccountIx,
    ask: &'o Ask,
    tgt: &Target<'o>,
    shared: &'s Shared<'o>,
) -> Result<Assembled<'s>, AnalysisError>
where
    'o: 's,
{
    let request = root_request(org, account, ask, tgt, shared)?;
    let scps: &'s [Vec<&'o Policy>] = shared.scps[account.index()].as_deref().unwrap_or(&[]);
    let set = PolicySet {
        scps: std::borrow::Cow::Borrowed(scps),
        rcps: std::borrow::Cow::Borrowed(&shared.rcps),
        resource: tgt.policy,
        session: ask.session_policy.as_deref(),
        ..Default::default()
    };
    Ok(Assembled { request, set })
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
fn org_path(org: &Org, a: AccountIx) -> String {
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
