//! Runs a question through `analysis` and turns its answer into rows, one file per
//! question. Runs on the query worker: neither the analysis nor building a who-can
//! answer of a quarter of a million principals holds up a frame.

mod can;
mod paths;
mod what_can;
mod who_can;

pub use can::can;
pub use paths::paths;
pub use what_can::what_can;
pub use who_can::who_can;

use super::answer::{AnswerTree, Jump, Spans, Tone, spans};
use super::form::Query;
use crate::analysis::{self, who_can::Condition};
use crate::engine::Decision;
use crate::org::{Org, PrincipalIx};
use crate::tui::nodes::Node;

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
    Ok(match query {
        Query::Can { principal, ask } => {
            let a = analysis::can(org, principal, ask).map_err(err)?;
            let subject = analysis::subject(org, principal).map_err(err)?;
            can(org, subject, &a)
        }
        Query::WhoCan { ask } => {
            who_can(org, &analysis::who_can_until(org, ask, watch).map_err(err)?)
        }
        Query::WhatCan {
            principal,
            filter,
            context,
        } => what_can(
            org,
            &analysis::what_can_until(org, principal, filter, context, watch).map_err(err)?,
            filter,
        ),
        Query::Paths { from, to, context } => paths(
            org,
            &analysis::paths(org, from, to.as_deref(), context).map_err(err)?,
        ),
    })
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

/// `aws:securetransport=true, ...`.
pub(super) fn conditions(when: &[Condition]) -> String {
    when.iter()
        .map(|c| format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)")))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `254,460`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests;
