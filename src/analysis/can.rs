//! Can principal P do action A on resource R? The engine's answer with everything the
//! org says about P and R, the explanation, and the context it depends on.

use serde::Serialize;

use super::AnalysisError;
use super::assemble::{Ask, Subject, assemble, assemble_root, subject};
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
    let (a, arn) = match subject(org, who)? {
        Subject::Principal(p) => (assemble(org, p, ask)?, org.principal_arn(p).to_string()),
        Subject::Root(account) => {
            let a = assemble_root(org, account, ask)?;
            let arn = a.request.principal().to_string();
            (a, arn)
        }
    };
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
