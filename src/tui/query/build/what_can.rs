//! `what-can`: a summary by service and access level, then every grant.

use std::collections::BTreeMap;

use super::{plural, thousands};
use crate::analysis::{self, WhatCanAnswer, what_can::Grant};
use crate::tui::query::answer::{AnswerTree, Jump, Spans, Tone, spans};
use crate::tui::query::form::QueryKind;

pub fn what_can(a: &WhatCanAnswer, filter: &analysis::Filter) -> AnswerTree {
    let mut t = AnswerTree::new(QueryKind::WhatCan);
    let mut first = spans([(Tone::Text, &a.principal), (Tone::Dim, " can do ")]);
    first.push((Tone::Good, plural(a.grants.len(), "action", "actions")));
    first.extend(filtered_by(filter));
    t.header.push(first);
    t.header.push(how_evaluated());
    for n in &a.caveats {
        t.header.push(spans([(Tone::Warn, &format!("note: {n}"))]));
    }
    if a.grants.is_empty() {
        t.add(None, spans([(Tone::Heading, "Nothing allowed")]), None);
        return t;
    }
    let head = t.add(
        None,
        spans([(
            Tone::Heading,
            &format!(
                "Summary by service and access level ({})",
                plural(a.summary.len(), "service", "services")
            ),
        )]),
        None,
    );
    let width = a.summary.keys().map(|s| s.len()).max().unwrap_or(0).min(28);
    for (service, levels) in &a.summary {
        let counts: Vec<String> = levels.iter().map(|(l, n)| format!("{l} {n}")).collect();
        t.add(
            Some(head),
            spans([
                (Tone::Key, &format!("{service:<width$}  ")),
                (Tone::Text, &counts.join(" · ")),
            ]),
            None,
        );
    }
    let grants = t.add(
        None,
        spans([(
            Tone::Heading,
            &format!("Grants ({})", thousands(a.grants.len())),
        )]),
        None,
    );
    let all: Vec<&Grant> = a.grants.iter().collect();
    grant_rows(&mut t, grants, &a.principal, &all);
    t
}

/// `principal`'s grants under `parent`, by service: each action with its access
/// level, the resources it is allowed on and the context it needs; Enter on one
/// shows the statement that grants it. Returns the services' rows.
pub(super) fn grant_rows(
    t: &mut AnswerTree,
    parent: u32,
    principal: &str,
    grants: &[&Grant],
) -> Vec<u32> {
    let mut groups = Vec::new();
    let mut by_service: BTreeMap<&str, Vec<&Grant>> = BTreeMap::new();
    for g in grants {
        let service = g.action.split(':').next().unwrap_or("");
        by_service.entry(service).or_default().push(g);
    }
    let action_w = grants
        .iter()
        .map(|g| g.action.len())
        .max()
        .unwrap_or(0)
        .min(48);
    for (service, list) in by_service {
        let group = t.add(
            Some(parent),
            spans([
                (Tone::Key, service),
                (Tone::Dim, &format!("  ({})", thousands(list.len()))),
            ]),
            None,
        );
        groups.push(group);
        for g in list {
            let jump = Some(Jump::Grant {
                principal: principal.to_string(),
                action: g.action.clone(),
                resource: g.resources.first().cloned().unwrap_or_else(|| "*".into()),
            });
            let needs = if g.needs.is_empty() {
                String::new()
            } else {
                format!("  needs {}", g.needs.join(", "))
            };
            let kept = if g.except.is_empty() {
                String::new()
            } else {
                let what: Vec<&str> = g.except.iter().map(|r| r.kept()).collect();
                format!("  not {}", what.join(", "))
            };
            t.add(
                Some(group),
                spans([
                    (Tone::Text, &format!("{:<action_w$}  ", g.action)),
                    (Tone::Dim, &format!("{:<22}  ", g.level.to_string())),
                    (Tone::Resource, &g.resources.join(" ")),
                    (Tone::Warn, &needs),
                    (Tone::Dim, &kept),
                ]),
                jump,
            );
        }
    }
    groups
}

/// `  (only s3, Write)`: the filter a what-can answer was asked with; nothing without.
pub(super) fn filtered_by(filter: &analysis::Filter) -> Spans {
    let only: Vec<String> = filter
        .service
        .iter()
        .cloned()
        .chain(filter.level.map(|l| l.to_string()))
        .collect();
    if only.is_empty() {
        return Vec::new();
    }
    spans([(Tone::Dim, &format!("  (only {})", only.join(", ")))])
}

/// The line under a what-can answer's header.
pub(super) fn how_evaluated() -> Spans {
    spans([(
        Tone::Dim,
        "each action evaluated through SCPs, boundary and resource policies; / filters",
    )])
}
