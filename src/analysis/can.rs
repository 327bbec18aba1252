//! Can principal P do action A on resource R? The engine's answer with everything the
//! org says about P and R, the explanation, and the context it depends on.

use serde::Serialize;

use super::AnalysisError;
use super::assemble::{Ask, assemble, subject};
use super::who_can::Condition;
use crate::engine::{self, Decision, Dependency, Explanation};
use crate::org::Org;

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
    // A role-session ARN keeps its session name: a policy may name that session.
    let with_session;
    let ask = match super::assemble::session_name(who) {
        Some(name) if ask.session_name.is_none() => {
            with_session = Ask {
                session_name: Some(name.to_string()),
                ..ask.clone()
            };
            &with_session
        }
        _ => ask,
    };
    let s = subject(org, who)?;
    let a = assemble(org, s, ask)?;
    let arn = a.request.principal().to_string();
    let mut explanation = engine::explain(&a.request, &a.set);
    let resource_account = a
        .request
        .resource_account()
        .and_then(|id| org.account_by_id(id));
    let resource_policy =
        super::assemble::resource_holder(org, &ask.action, &ask.resource).and_then(|(p, _)| p);
    super::layers::annotate(org, s, resource_account, resource_policy, &mut explanation);
    let summary = super::summary::summary(org, s.account(org), resource_account, &explanation);
    let depends_on = engine::dependencies(&a.request, &a.set);
    let changes = engine::changing_assignments(&a.request, &a.set)
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
        .collect();
    Ok(CanAnswer {
        principal: arn,
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        resource_account: a.request.resource_account().map(str::to_string),
        resource_account_assumed: a.request.resource_account_assumed(),
        decision: explanation.decision,
        summary,
        explanation,
        depends_on,
        changes,
    })
}
