//! `what-can --compare`: two principals side by side, as groups: what only the
//! first can do, what only the second can, and (closed) what both can.
//!
//! A group of more than [`OPEN_UP_TO`] actions starts closed, and so do its
//! services when it has several: two principals with thousands of actions each
//! first show as three rows under their counts, to open one by one.

use std::collections::HashMap;

use super::what_can::grant_rows;
use super::{plural, principal, thousands};
use crate::analysis::{self, WhatCanAnswer, what_can::Grant};
use crate::org::{Org, PrincipalIx};
use crate::tui::query::answer::{AnswerTree, Spans, Tone, spans};
use crate::tui::query::form::QueryKind;

/// A principal's name in its kind's colour (its ARN when the org does not hold it).
fn name(org: &Org, arn: &str) -> Spans {
    match org.principal_by_arn(arn) {
        Some(PrincipalIx::User(u)) => spans([(Tone::User, org.user(u).name())]),
        Some(PrincipalIx::Role(r)) => spans([(Tone::Role, org.role(r).name())]),
        None => spans([(Tone::Text, arn)]),
    }
}

fn text(s: &Spans) -> String {
    s.iter().map(|(_, t)| t.as_str()).collect()
}

/// The most actions a group shows at first.
const OPEN_UP_TO: usize = 40;

/// Adds a group's grants; closes it, and its services, when it is large.
fn fill(t: &mut AnswerTree, group: u32, who: &str, grants: &[&Grant], open: bool) {
    let services = grant_rows(t, group, who, grants);
    if !open || grants.len() > OPEN_UP_TO {
        if !grants.is_empty() {
            t.close(group);
        }
        if services.len() > 1 {
            for s in services {
                t.close(s);
            }
        }
    }
}

/// Each action's grant, by name.
fn by_action(a: &WhatCanAnswer) -> HashMap<&str, &Grant> {
    a.grants.iter().map(|g| (g.action.as_str(), g)).collect()
}

/// The grants of these actions.
fn pick<'a>(ix: &HashMap<&str, &'a Grant>, names: &[String]) -> Vec<&'a Grant> {
    names
        .iter()
        .filter_map(|n| ix.get(n.as_str()).copied())
        .collect()
}

pub fn compare(
    org: &Org,
    left: &WhatCanAnswer,
    right: &WhatCanAnswer,
    filter: &analysis::Filter,
) -> AnswerTree {
    let c = analysis::compare(left, right);
    let mut t = AnswerTree::new(QueryKind::WhatCan);
    let (l, r) = (name(org, &left.principal), name(org, &right.principal));
    let (ln, rn) = (text(&l), text(&r));
    t.header.push(vec![
        (
            Tone::Good,
            format!("{} in both", plural(c.both, "action", "actions")),
        ),
        (Tone::Dim, " · ".into()),
        (
            Tone::Text,
            format!("{} only {ln}", thousands(c.only_left.len())),
        ),
        (Tone::Dim, " · ".into()),
        (
            Tone::Text,
            format!("{} only {rn}", thousands(c.only_right.len())),
        ),
    ]);
    let mut second = l.clone();
    second.extend(spans([(
        Tone::Dim,
        &format!(
            " can do {}, ",
            plural(left.grants.len(), "action", "actions")
        ),
    )]));
    second.extend(r.clone());
    second.extend(spans([(
        Tone::Dim,
        &format!(" {}", plural(right.grants.len(), "action", "actions")),
    )]));
    second.extend(super::what_can::filtered_by(filter));
    t.header.push(second);
    t.header.push(super::what_can::how_evaluated());
    let (li, ri) = (by_action(left), by_action(right));
    for (who, ix, names) in [
        (&left.principal, &li, &c.only_left),
        (&right.principal, &ri, &c.only_right),
    ] {
        let count = if names.is_empty() {
            ": nothing".to_string()
        } else {
            format!(" ({})", plural(names.len(), "action", "actions"))
        };
        let (row, jump) = principal(org, who, spans([(Tone::Heading, &count)]));
        let mut head = spans([(Tone::Heading, "Only ")]);
        head.extend(row);
        let id = t.add(None, head, jump);
        fill(&mut t, id, who, &pick(ix, names), true);
    }
    // What both can do, as the first has it (its resources may differ): closed, it
    // is mostly the common ground.
    let both: Vec<&Grant> = left
        .grants
        .iter()
        .filter(|g| ri.contains_key(g.action.as_str()))
        .collect();
    let head = t.add(
        None,
        spans([(
            Tone::Heading,
            &format!(
                "In both ({}; resources as {ln} has them)",
                plural(both.len(), "action", "actions")
            ),
        )]),
        None,
    );
    fill(&mut t, head, &left.principal, &both, false);
    t
}
