//! Why a statement that names the request's action did not apply to it: the element
//! or the condition that failed, with the value compared. Explanations show these
//! beside the statements that matched, so that a Deny skipped by its exception or an
//! Allow held back by a missing MFA key can be read, not guessed.

use super::condition::Condition;
use super::{Policy, PolicyKind, Request, Statement};
use crate::policy::context::Context;

impl Policy {
    /// The statements whose action element covers the request but that did not apply
    /// to it, each with why (the first element or condition that failed).
    pub fn misses(&self, req: &Request, caller_has_boundary: bool) -> Vec<(&Statement, String)> {
        let uses_principal = !matches!(
            self.kind,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Scp
        );
        self.statements
            .iter()
            .filter(|s| s.matches_action(req))
            .filter_map(|s| {
                let why = if !s.matches_resource(req) {
                    resource_miss(s, req)
                } else if uses_principal
                    && s.principal_match(req.principal(), self.kind, caller_has_boundary)
                        .is_none()
                {
                    principal_miss(s, req)
                } else {
                    let deny = s.effect == super::Effect::Deny;
                    let c = s.conditions.iter().find(|c| !c.holds_for(req, deny))?;
                    if c.unreliable_for(req) {
                        unreliable_miss(c, req)
                    } else {
                        condition_miss(c, &req.context)
                    }
                };
                Some((s, why))
            })
            .collect()
    }
}

fn resource_miss(s: &Statement, req: &Request) -> String {
    let Some(r) = &s.resources else {
        return String::new();
    };
    let listed = r.text.join(", ");
    if let Some(var) = s.unresolved_resource(req) {
        let element = if r.negated { "NotResource" } else { "Resource" };
        return format!(
            "its {element} [{listed}] uses {var}, which the request gives no value for: AWS cannot resolve it, so the statement does not apply"
        );
    }
    if r.negated {
        format!("its NotResource [{listed}] excludes {}", req.resource())
    } else {
        format!("its Resource [{listed}] does not cover {}", req.resource())
    }
}

fn principal_miss(s: &Statement, req: &Request) -> String {
    match &s.principals {
        None => "it has no Principal, so it grants nobody".to_string(),
        Some(p) if p.negated => format!("its NotPrincipal leaves out {}", req.principal()),
        Some(_) => format!("its Principal does not name {}", req.principal()),
    }
}

/// A condition AWS does not evaluate reliably for the request, in an Allow.
fn unreliable_miss(c: &Condition, req: &Request) -> String {
    if c.set_but_unknown(req) {
        return format!(
            "its condition {} {} [{}] is taken not to hold: AWS sets {} on every request of {}, and the request's context does not give its value",
            c.operator,
            c.key,
            c.raw_values.join(", "),
            c.key,
            req.principal(),
        );
    }
    format!(
        "its condition {} {} [{}] is taken not to hold: AWS warns that the role's tags do not reliably control {} (IAM User Guide, \"Grant a user permissions to pass a role to an AWS service\"), so an Allow resting on them is not counted",
        c.operator,
        c.key,
        c.raw_values.join(", "),
        req.action()
    )
}

/// Why a Deny whose condition AWS does not evaluate reliably for the request applies.
pub(crate) fn unreliable_deny(c: &Condition, req: &Request) -> String {
    let test = format!("{} {} [{}]", c.operator, c.key, c.raw_values.join(", "));
    if c.set_but_unknown(req) {
        format!(
            "its condition {test} is taken to hold: AWS sets {} on every request of {}, and the request's context does not give its value (give it to decide)",
            c.key,
            req.principal(),
        )
    } else {
        format!(
            "its condition {test} is taken to hold: AWS warns that the role's tags do not reliably control {} (IAM User Guide, \"Grant a user permissions to pass a role to an AWS service\")",
            req.action()
        )
    }
}

/// `StringEquals aws:RequestedRegion [eu-west-1] does not hold: the request's
/// aws:RequestedRegion is us-east-1`.
pub(crate) fn condition_miss(c: &Condition, ctx: &Context) -> String {
    let test = format!("{} {} [{}]", c.operator, c.key, c.raw_values.join(", "));
    if let Some(var) = c.unresolved(ctx) {
        return format!(
            "its condition {test} does not hold: the request gives no value for {var} and it has no default, and a value that is effectively null matches nothing"
        );
    }
    match ctx.get_key(&c.key_lower).filter(|v| !v.is_empty()) {
        None => format!(
            "its condition {test} does not hold: the request has no {}",
            c.key
        ),
        Some(values) => {
            let why = c
                .open_reading(ctx)
                .map(|r| {
                    format!("; {r}, and an Allow takes the reading under which it does not hold")
                })
                .unwrap_or_default();
            let values: Vec<&str> = values.iter().map(|v| &**v).collect();
            format!(
                "its condition {test} does not hold: the request's {} is {}{why}",
                c.key,
                values.join(", ")
            )
        }
    }
}
