//! Can principal P do action A on resource R? The engine's answer with everything the
//! org says about P and R, the explanation, and the context it depends on.

use serde::Serialize;

use super::AnalysisError;
use super::assemble::Subject;
use super::assemble::{Ask, assemble, subject};
use super::who_can::Condition;
use crate::engine::{self, Decision, Dependency, Explanation, Layer};
use crate::org::Org;
use crate::policy::{NamedPrincipal, Principal};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CanAnswer {
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_account: Option<String>,
    /// The resource's account was not known and taken to be the principal's.
    pub resource_account_assumed: bool,
    /// Who asks: `org` (a principal the org holds, or an account's root user),
    /// `outside` (a principal of an account not in the org), `service` (an AWS service
    /// principal) or `anonymous`.
    pub caller: &'static str,
    /// What was assumed about a caller the org does not hold (its own account's
    /// policies); empty for the org's own principals.
    pub assumptions: Vec<String>,
    pub decision: Decision,
    /// One plain sentence: what decided it, with the org's names.
    pub summary: String,
    pub explanation: Explanation,
    /// Context keys not given that the applicable statements read, with the decision
    /// for each value tried.
    pub depends_on: Vec<Dependency>,
    /// The values of keys not given that change the decision, alone or only together
    /// (an SCP that wants a region and an RCP that wants TLS), each minimal.
    pub changes: Vec<Change>,
}

/// Values of keys the question did not give, and the decision they lead to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub when: Vec<Condition>,
    pub decision: Decision,
}

/// At most this many changes are listed: the fewest keys first.
const MAX_CHANGES: usize = 24;

/// Answers one question. `who` is an ARN (a user, role, role session, or an
/// account's root user) or a unique short name.
pub fn can(org: &Org, who: &str, ask: &Ask) -> Result<CanAnswer, AnalysisError> {
    let ask = &*super::assemble::with_session_of(who, ask);
    let s = match subject(org, who) {
        Ok(s) => s,
        // A principal of another account, an AWS service, an anonymous caller: the
        // org's side of the request is answered.
        Err(e @ AnalysisError::UnknownPrincipal(_)) => {
            return match super::outside::outside_caller(org, who) {
                Some(caller) => can_outside(org, &caller, ask),
                // An ARN that names no principal at all: say what is wrong with it.
                None if who.starts_with("arn:") => match crate::policy::Principal::parse(who) {
                    Err(bad) => Err(AnalysisError::Request(bad.into())),
                    Ok(_) => Err(e),
                },
                None => Err(e),
            };
        }
        Err(e) => return Err(e),
    };
    let a = assemble(org, s, ask)?;
    if !ask.caller_policies.is_empty() {
        return Err(AnalysisError::CallerPoliciesInOrg(
            a.request.principal().to_string(),
        ));
    }
    let arn = a.request.principal().to_string();
    let mut explanation = engine::explain(&a.request, &a.set);
    let resource_account = a
        .request
        .resource_account()
        .and_then(|id| org.account_by_id(id));
    let resource_policy =
        super::assemble::resource_holder(org, &ask.action, &ask.resource).and_then(|(p, _)| p);
    super::layers::annotate(
        org,
        Some(s),
        resource_account,
        resource_policy,
        &mut explanation,
    );
    let unread = unread_grants(
        org,
        ask,
        &explanation,
        super::public_access::AclAsked {
            acl: engine::public_acl(&a.request),
            blocked: a.set.block_public_acls,
        },
    );
    explanation.notes.extend(unread);
    let given = |k: &str| ask.context.iter().any(|(g, _)| g.eq_ignore_ascii_case(k));
    if let Some(b) = super::assemble::target_boundary(org, ask)
        && !given("iam:PermissionsBoundary")
    {
        explanation.notes.push(format!(
            "iam:PermissionsBoundary is {b}: the boundary of the user or role acted on, as IAM sets it on this request"
        ));
    }
    explanation.notes.extend(time_note(&a, &given));
    if explanation.decision == Decision::Allowed {
        explanation
            .notes
            .extend(canonical_user_deny_note(&a.request, &a.set));
    }
    explanation
        .notes
        .extend(named_session_notes(org, s, ask, &a, explanation.decision)?);
    explanation.notes.extend(unnamed_session_note(&a));
    let mut summary =
        super::summary::summary(org, Some(s.account(org)), resource_account, &explanation);
    // An Allowed that rests on a guessed account says so where it is read first: in
    // another account the resource's own policy must allow too, and AWS could deny.
    if explanation.decision == Decision::Allowed
        && a.request.resource_account_assumed()
        && let Some(acct) = a.request.resource_account()
    {
        summary.push_str(&format!(
            " This holds if the resource is in account {acct}, as assumed; \
             in another account its resource policy must allow too."
        ));
    }
    let depends_on = engine::dependencies(&a.request, &a.set);
    let changes = changes(&a.request, &a.set);
    Ok(CanAnswer {
        principal: arn,
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        resource_account: a.request.resource_account().map(str::to_string),
        resource_account_assumed: a.request.resource_account_assumed(),
        caller: "org",
        assumptions: Vec::new(),
        decision: explanation.decision,
        summary,
        explanation,
        depends_on,
        changes,
    })
}

/// For a role asked about without a session name: the sessions of that role a
/// policy of the request names by their ARN (IAM User Guide, "AWS JSON policy
/// elements: Principal", role session principals), each with the decision it gets
/// where that differs. The answer is about a session whose name is not known; a
/// trust or bucket policy that names one session by its ARN lets that session in (or
/// keeps it out) all the same.
fn named_session_notes(
    org: &Org,
    s: Subject,
    ask: &Ask,
    asked: &super::assemble::Assembled,
    decision: Decision,
) -> Result<Vec<String>, AnalysisError> {
    let (request, set) = (&asked.request, &asked.set);
    let Principal::RoleSession {
        account,
        role_name,
        session_arn: None,
        ..
    } = request.principal()
    else {
        return Ok(Vec::new());
    };
    let policies = set
        .resource
        .iter()
        .chain(&set.endpoint)
        .chain(set.rcps.iter().flatten());
    let mut sessions: Vec<&str> = Vec::new();
    for p in policies {
        for st in p.statements() {
            let Some((_, named)) = st.named_principals() else {
                continue;
            };
            for n in named {
                let NamedPrincipal::Arn(arn) = n else {
                    continue;
                };
                let of_this_role = matches!(
                    Principal::parse(arn),
                    Ok(Principal::RoleSession { account: a, role_name: r, .. })
                        if a == *account && r == *role_name
                );
                if let Some(name) = super::assemble::session_name(arn).filter(|_| of_this_role)
                    && !sessions.contains(&name)
                {
                    sessions.push(name);
                }
            }
        }
    }
    let mut notes = Vec::new();
    for name in sessions {
        let as_session = Ask {
            session_name: Some(name.to_string()),
            ..ask.clone()
        };
        let b = assemble(org, s, &as_session)?;
        let d = engine::evaluate(&b.request, &b.set);
        if d != decision {
            notes.push(format!(
                "a policy names the session {} of this role: that session is {d} (this answer is for a session of another name)",
                b.request.principal()
            ));
        }
    }
    Ok(notes)
}

/// For a role asked about without a session name, when a statement about the action
/// reads the session's `aws:userid` (`role-id:session-name`, IAM User Guide,
/// "Principal key values"): says which value it was decided with, and how to ask for
/// one session, whose answer may differ.
fn unnamed_session_note(asked: &super::assemble::Assembled) -> Option<String> {
    let key = crate::policy::context::Key::new("aws:userid");
    let userid = asked.request.context.get_key(&key)?.first()?;
    if !userid.ends_with(super::assemble::UNNAMED_SESSION) {
        return None;
    }
    let reads = asked
        .set
        .policies()
        .flat_map(|p| p.statements())
        .any(|st| st.reads_key_for(&asked.request, "aws:userid"));
    reads.then(|| {
        format!(
            "the policies read aws:userid, which AWS sets to role-id:session-name: this answer is for a session whose name no policy names ({userid}); a session of another name may be answered otherwise: ask with its session ARN (arn:aws:sts::ACCOUNT:assumed-role/ROLE/NAME)"
        )
    })
}

/// When a statement about the action reads the time of the request and the question
/// did not give it: which time it was decided at (AWS sets it on every request).
fn time_note(asked: &super::assemble::Assembled, given: &dyn Fn(&str) -> bool) -> Option<String> {
    let reads = |key: &str| {
        !given(key)
            && asked
                .set
                .policies()
                .flat_map(|p| p.statements())
                .any(|st| st.reads_key_for(&asked.request, key))
    };
    let (now, epoch) = crate::policy::request::asked_at();
    if reads("aws:CurrentTime") {
        Some(format!(
            "aws:CurrentTime is {now}, the time of asking, as AWS sets it on each request; give -c aws:CurrentTime=... to ask for another time"
        ))
    } else if reads("aws:EpochTime") {
        Some(format!(
            "aws:EpochTime is {epoch}, the time of asking, as AWS sets it on each request; give -c aws:EpochTime=... to ask for another time"
        ))
    } else {
        None
    }
}

/// A Deny of the resource's policy that covers the request and names a canonical user
/// (an S3 account id): orgscope cannot tell which account it is, so it never matches
/// the caller, yet if it is the caller's account AWS denies. An Allowed says so.
fn canonical_user_deny_note(
    request: &crate::policy::Request,
    set: &engine::PolicySet,
) -> Option<String> {
    let st = super::canonical_user_deny(set.resource?, |st| st.covers(request))?;
    Some(format!(
        "the resource policy's Deny {} names a canonical user, which orgscope cannot map to an account: if it is the caller's account, AWS denies",
        st.label()
    ))
}

/// The values of keys not given that change the decision, fewest keys first.
fn changes(request: &crate::policy::Request, set: &engine::PolicySet) -> Vec<Change> {
    engine::changing_assignments(request, set)
        .into_iter()
        .take(MAX_CHANGES)
        .map(|x| Change {
            when: x
                .when
                .into_iter()
                .map(|(key, value)| Condition {
                    key,
                    value: Some(value),
                })
                .collect(),
            decision: x.decision,
        })
        .collect()
}

/// The org's side of a request from a caller it does not hold (see
/// [`super::outside`]): the resource's policy and its account's RCPs decide; the
/// caller's own account is assumed to allow unless its identity policies are given.
fn can_outside(
    org: &Org,
    caller: &super::outside::Outside,
    ask: &Ask,
) -> Result<CanAnswer, AnalysisError> {
    let tgt = ask.checked_target(org)?;
    let a = super::outside::assemble_outside(org, caller, ask, &tgt)?;
    let mut explanation = engine::explain(&a.request, &a.set);
    let resource_policy =
        super::assemble::resource_holder(org, &ask.action, &ask.resource).and_then(|(p, _)| p);
    super::layers::annotate(org, None, tgt.account, resource_policy, &mut explanation);
    // The engine's note on missing SCP levels speaks of the org's accounts: the
    // caller's own account's SCPs are what the assumptions speak of.
    explanation
        .notes
        .retain(|n| !n.starts_with("no SCPs apply"));
    explanation.notes.extend(a.assumptions.iter().cloned());
    if explanation.decision == Decision::Allowed {
        explanation
            .notes
            .extend(canonical_user_deny_note(&a.request, &a.set));
    }
    let unread = unread_grants(
        org,
        ask,
        &explanation,
        super::public_access::AclAsked {
            acl: engine::public_acl(&a.request),
            blocked: a.set.block_public_acls,
        },
    );
    explanation.notes.extend(unread);
    if let super::outside::Outside::Service(name) = caller {
        for l in &mut explanation.layers {
            if l.layer == Layer::Resource && l.outcome == engine::Outcome::Allowed {
                l.note = Some(format!("names the service principal {name}"));
            }
        }
    }
    let mut summary = match explanation.decision {
        // The org's own sentence would credit the policy that stands for the caller's
        // side: the resource's side is what the org holds.
        Decision::Allowed => {
            let granted = explanation
                .layer(Layer::Resource)
                .and_then(|l| l.statements.iter().find(|s| s.effect == "Allow"));
            match granted {
                Some(m) => format!(
                    "Allowed on the organization's side: the resource's policy ({}) allows it \
                     (statement {}), and no RCP or resource policy denies it.",
                    m.policy, m.statement
                ),
                None => "Allowed on the organization's side: no RCP or resource policy \
                         denies it."
                    .to_string(),
            }
        }
        _ => super::summary::summary(org, None, tgt.account, &explanation),
    };
    if let super::outside::Outside::Account(_) = caller {
        let assumed = explanation.layer(Layer::Identity).is_some_and(|l| {
            l.statements
                .iter()
                .any(|m| m.policy == super::outside::ASSUMED_SIDE)
        }) || ask.caller_policies.is_empty();
        if assumed && explanation.decision != Decision::ExplicitlyDenied {
            summary.push_str(
                " The caller's own account is not in the organization: its policies and \
                 SCPs were assumed to allow.",
            );
        }
    }
    let depends_on = engine::dependencies(&a.request, &a.set);
    let changes = changes(&a.request, &a.set);
    Ok(CanAnswer {
        principal: a.request.principal().to_string(),
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        resource_account: a.request.resource_account().map(str::to_string),
        resource_account_assumed: a.request.resource_account_assumed(),
        caller: caller.kind(),
        assumptions: a.assumptions,
        decision: explanation.decision,
        summary,
        explanation,
        depends_on,
        changes,
    })
}

/// Notes on what could grant a request orgscope denies without reading it: S3 ACLs and
/// KMS grants (the exports hold neither).
fn unread_grants(
    org: &Org,
    ask: &Ask,
    explanation: &engine::Explanation,
    acl: super::public_access::AclAsked,
) -> Vec<String> {
    let (decision, blocked_by) = (explanation.decision, explanation.blocked_by);
    super::public_access::acl_note(org, &ask.action, &ask.resource, decision, blocked_by, acl)
        .into_iter()
        .chain(super::kms_grants::can_note(
            &ask.action,
            &ask.resource,
            decision,
            blocked_by,
        ))
        .collect()
}
