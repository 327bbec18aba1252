//! Runs a question through `analysis` and turns its answer into rows, one file per
//! question. Runs on the query worker: neither the analysis nor building a who-can
//! answer of a quarter of a million principals holds up a frame.

mod can;
mod compare;
mod paths;
mod what_can;
mod who_can;

pub use can::can;
pub use compare::compare;
pub use paths::{paths, reaches};
pub use what_can::what_can;
pub use who_can::who_can;

use super::answer::{AnswerTree, Jump, Spans, Tone, spans};
use super::form::Query;
use super::inputs;
use crate::analysis::{self, who_can::Condition};
use crate::engine::Decision;
use crate::org::{Org, PrincipalIx};
use crate::tui::nodes::Node;
pub use crate::tui::words::{plural, thousands};

/// Asks `analysis` and builds the answer's rows; the error in words.
pub fn run(org: &Org, query: &Query) -> Result<AnswerTree, String> {
    run_until(org, query, analysis::Watch::NONE)
}

/// As [`run`], watched: progress counted, and giving up when the stop says so (the
/// user cancelled).
pub fn run_until(
    org: &Org,
    query: &Query,
    watch: analysis::Watch<'_>,
) -> Result<AnswerTree, String> {
    let err = |e: analysis::AnalysisError| e.to_string();
    // The resource account as typed: an id, or an account's name.
    let resolved = |ask: &analysis::Ask| -> Result<analysis::Ask, String> {
        let mut ask = ask.clone();
        if let Some(text) = &ask.resource_account {
            ask.resource_account = Some(inputs::account_id(org, text)?);
        }
        Ok(ask)
    };
    Ok(match query {
        Query::Can {
            principal,
            ask,
            session_policy,
        } => {
            let mut ask = resolved(ask)?;
            if let Some(path) = session_policy {
                ask.session_policy = Some(inputs::session_policy(path)?);
            }
            if analysis::pattern::is_pattern(&ask.action, &ask.resource) {
                let a = analysis::pattern::can_pattern(org, principal, &ask).map_err(err)?;
                return Ok(can::pattern(&a));
            }
            let a = analysis::can(org, principal, &ask).map_err(err)?;
            // `None`: a caller the org does not hold, answered on the org's side.
            let subject = analysis::subject(org, principal).ok();
            noted(can(org, subject, &a, session_policy.as_deref()), &ask)
        }
        Query::WhoCan { ask } => noted(
            who_can(
                org,
                &analysis::who_can_covering(org, &resolved(ask)?, watch).map_err(err)?,
            ),
            ask,
        ),
        Query::WhatCan {
            principal,
            filter,
            context,
            compare: None,
        } => what_can(
            &analysis::what_can_until(org, principal, filter, context, watch).map_err(err)?,
            filter,
        ),
        Query::WhatCan {
            principal,
            filter,
            context,
            compare: Some(other),
        } => {
            // The second principal is checked first: a name that is wrong is told
            // before the first evaluation, not after.
            analysis::principal(org, other).map_err(err)?;
            let left =
                analysis::what_can_until(org, principal, filter, context, watch).map_err(err)?;
            let right =
                analysis::what_can_until(org, other, filter, context, watch).map_err(err)?;
            compare(org, &left, &right, filter)
        }
        Query::Paths {
            from: Some(from),
            to,
            context,
        } => paths(
            org,
            &analysis::paths_until(org, from, to.as_deref(), context, watch).map_err(err)?,
        ),
        Query::Paths {
            from: None,
            to: Some(to),
            context,
        } => reaches(
            org,
            to,
            &analysis::who_reaches_until(org, to, context, watch).map_err(err)?,
        ),
        Query::Paths {
            from: None,
            to: None,
            ..
        } => return Err("give a principal, or a role to see who reaches it".into()),
    })
}

/// A question asked while a scenario is active: answered for the changed org (the
/// one the app shows then), said so at the top, with the loaded org's answer beside
/// it in a row of its own. That answer's jumps are carried to the changed org by ARN
/// or id (see [`crate::tui::org_map`]), and dropped where they cannot be (a
/// statement the scenario changed, a grant found only when asked).
pub fn run_what_if(
    before: &Org,
    after: &Org,
    query: &Query,
    watch: analysis::Watch<'_>,
) -> Result<AnswerTree, String> {
    let mut now = run_until(after, query, watch)?;
    now.header.insert(
        0,
        spans([(
            Tone::Warn,
            "⚑ what if: answered for the organization as the scenario changes it (the answer before it is the last row)",
        )]),
    );
    let was = run(before, query);
    let summary = match &was {
        Ok(t) => t
            .header
            .first()
            .map(|l| l.iter().map(|(_, s)| s.as_str()).collect::<String>())
            .unwrap_or_default(),
        Err(e) => e.clone(),
    };
    let row = now.add(
        None,
        spans([
            (Tone::Heading, "before the scenario: "),
            (Tone::Text, &summary),
        ]),
        None,
    );
    if let Ok(mut t) = was {
        t.map_jumps(|j| crate::tui::org_map::jump(before, after, j));
        now.graft(row, &t);
    }
    now.close(row);
    Ok(now)
}

/// The answer with a warning line for what may be wrong with its question.
fn noted(mut t: AnswerTree, ask: &analysis::Ask) -> AnswerTree {
    for note in analysis::question_notes(&ask.action, &ask.resource) {
        t.header.push(spans([(Tone::Warn, &note)]));
    }
    t
}

/// The tone of a decision.
pub fn decision_tone(d: Decision) -> Tone {
    match d {
        Decision::Allowed => Tone::Good,
        Decision::ImplicitlyDenied => Tone::Warn,
        Decision::ExplicitlyDenied => Tone::Bad,
    }
}

/// The decision with a sign that reads without colour.
pub fn decision_text(d: Decision) -> String {
    let sign = if d == Decision::Allowed { "✓" } else { "✗" };
    format!("{sign} {d}")
}

fn principal_node(p: PrincipalIx) -> Node {
    match p {
        PrincipalIx::User(u) => Node::User(u),
        PrincipalIx::Role(r) => Node::Role(r),
    }
}

/// A principal's row: its name in its kind's colour, what `extra` says, then its
/// ARN (dim, last: it is long); and its node.
pub(super) fn principal(org: &Org, arn: &str, extra: Spans) -> (Spans, Option<Jump>) {
    match org.principal_by_arn(arn) {
        Some(p) => {
            let (tone, name) = match p {
                PrincipalIx::User(u) => (Tone::User, org.user(u).name()),
                PrincipalIx::Role(r) => (Tone::Role, org.role(r).name()),
            };
            let mut row = spans([(tone, name)]);
            row.extend(extra);
            row.extend(spans([(Tone::Dim, "  "), (Tone::Dim, arn)]));
            (row, Some(Jump::Node(principal_node(p))))
        }
        None => {
            let mut row = spans([(Tone::Text, arn)]);
            row.extend(extra);
            (row, None)
        }
    }
}

/// `resource account 222222222222 (security)`: the account the resource was
/// evaluated in, named when the org holds it.
pub(super) fn resource_account(org: &Org, id: &str) -> Spans {
    let name = org
        .account_by_id(id)
        .map(|i| format!(" ({})", org.account(i).name))
        .unwrap_or_default();
    spans([
        (Tone::Dim, "resource account "),
        (Tone::Text, &format!("{id}{name}")),
    ])
}

/// `aws:securetransport=true, ...`.
pub(super) fn conditions(when: &[Condition]) -> String {
    when.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
