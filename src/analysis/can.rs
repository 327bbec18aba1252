//! Can principal P do action A on resource R? The engine's answer with everything the
//! org says about P and R, the explanation, and the context it depends on.

use serde::Serialize;

use super::AnalysisError;
use super::assemble::{Ask, assemble, subject};
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
    pub explanation: Explanation,
    /// Context keys not given that the applicable statements read, with the decision
    /// for each value tried.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Dependency>,
}

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
    let a = assemble(org, subject(org, who)?, ask)?;
    let arn = a.request.principal().to_string();
    let explanation = engine::explain(&a.request, &a.set);
    let depends_on = engine::dependencies(&a.request, &a.set);
    Ok(CanAnswer {
        principal: arn,
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        resource_account: a.request.resource_account().map(str::to_string),
        resource_account_assumed: a.request.resource_account_assumed(),
        decision: explanation.decision,
        explanation,
        depends_on,
    })
}
