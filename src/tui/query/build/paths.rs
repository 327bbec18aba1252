//! `paths`: the principals within reach, nearest first, each with its chain and the
//! technique of each hop (assume-role or an escalation).

use super::{plural, principal};
use crate::analysis::paths::SharedText;
use crate::analysis::{PathsAnswer, Reach};
use crate::org::{Org, PrincipalIx};
use crate::tui::query::answer::{AnswerTree, Jump, Spans, Tone, spans};
use crate::tui::query::form::QueryKind;

/// `dana →[sts:AssumeRole] SecurityAuditor →[iam:CreateAccessKey] ops`: each ARN by
/// its name, each hop by its technique.
fn chain(org: &Org, r: &Reach) -> Spans {
    let mut out = Vec::new();
    for (i, arn) in r.path.iter().enumerate() {
        if i > 0 {
            let via = r.edges.get(i - 1).map_or("", |e| e.via.as_str());
            out.extend(spans([(Tone::Dim, &format!(" →[{via}] "))]));
        }
        let (tone, name) = match org.principal_by_arn(arn) {
            Some(PrincipalIx::User(u)) => (Tone::User, org.user(u).name()),
            Some(PrincipalIx::Role(r)) => (Tone::Role, org.role(r).name()),
            None => (Tone::Text, arn.as_str()),
        };
        out.extend(spans([(tone, name)]));
    }
    out
}

fn reach_row(org: &Org, r: &Reach) -> (Spans, Option<Jump>) {
    let mut extra = spans([(
        Tone::Dim,
        &format!("  in {} ({})", r.account_name, r.account),
    )]);
    if r.admin {
        extra.push((Tone::Bad, "  admin".into()));
    }
    if !r.needs.is_empty() {
        extra.extend(spans([(
            Tone::Warn,
            &format!("  needs {}", r.needs.join(", ")),
        )]));
    }
    principal(org, &r.role, extra)
}

pub fn paths(org: &Org, a: &PathsAnswer) -> AnswerTree {
    let mut t = AnswerTree::new(QueryKind::Paths);
    let mut first = spans([(Tone::Text, &a.from), (Tone::Dim, " can reach ")]);
    first.push((
        if a.reachable.is_empty() {
            Tone::Dim
        } else {
            Tone::Good
        },
        plural(a.reachable.len(), "principal", "principals"),
    ));
    t.header.push(first);
    if !a.escalations.is_empty() {
        t.header.push(spans([
            (Tone::Text, a.from.as_str()),
            (
                if a.admin { Tone::Bad } else { Tone::Warn },
                if a.admin {
                    " can give itself any permission"
                } else {
                    " can give itself any permission, with context not given"
                },
            ),
        ]));
        let head = t.add(
            None,
            spans([(Tone::Heading, "Raising its own permissions")]),
            None,
        );
        for e in &a.escalations {
            let mut row = Vec::new();
            for (i, x) in e.steps.iter().enumerate() {
                if i > 0 {
                    row.extend(spans([(Tone::Dim, ", then ")]));
                }
                row.extend(spans([(Tone::Text, x.action.as_str())]));
                if let Some(tag) = x.tag_text() {
                    row.extend(spans([(Tone::Dim, " of tag "), (Tone::Text, tag.as_str())]));
                }
                row.extend(spans([
                    (Tone::Dim, " on "),
                    (Tone::Text, x.resource.as_str()),
                ]));
            }
            if !e.needs.is_empty() {
                let needs: Vec<String> = e.needs.iter().map(|c| c.to_string()).collect();
                row.extend(spans([(
                    Tone::Warn,
                    &format!("  needs {}", needs.join(", ")),
                )]));
            }
            t.add(Some(head), row, None);
        }
    }
    match &a.nearest_admin {
        Some(admin) => {
            let mut line = spans([(Tone::Dim, "nearest admin-level principal: ")]);
            line.extend(chain(org, admin));
            t.header.push(line);
        }
        None => t.header.push(spans([(
            Tone::Dim,
            "no admin-level principal within reach",
        )])),
    }
    if a.target_asked {
        match &a.to {
            Some(to) => {
                let head = t.add(
                    None,
                    spans([(Tone::Heading, "Shortest path to the target")]),
                    None,
                );
                let (_, jump) = principal(org, &to.role, Vec::new());
                t.add(Some(head), chain(org, to), jump);
            }
            None => {
                t.add(
                    None,
                    spans([(Tone::Bad, "The target cannot be reached")]),
                    None,
                );
            }
        }
    }
    let head = t.add(
        None,
        spans([(
            Tone::Heading,
            &format!(
                "Reachable principals, nearest first ({})",
                super::thousands(a.reachable.len())
            ),
        )]),
        None,
    );
    for r in &a.reachable {
        let (row, jump) = reach_row(org, r);
        let id = t.add(Some(head), row, jump.clone());
        t.add(Some(id), chain(org, r), jump);
    }
    t
}

/// Who reaches a role: every principal with its shortest chain, nearest first.
pub fn reaches(org: &Org, role: &str, found: &[Reach]) -> AnswerTree {
    let mut t = AnswerTree::new(QueryKind::Paths);
    let target = match org
        .principal_by_arn(role)
        .or_else(|| match org.by_name(role) {
            crate::org::NameLookup::Unique(crate::org::Entity::Role(r)) => {
                Some(PrincipalIx::Role(r))
            }
            _ => None,
        }) {
        Some(PrincipalIx::Role(r)) => spans([(Tone::Role, org.role(r).name())]),
        _ => spans([(Tone::Text, role)]),
    };
    let mut first = vec![(
        if found.is_empty() {
            Tone::Dim
        } else {
            Tone::Warn
        },
        plural(found.len(), "principal", "principals"),
    )];
    first.extend(spans([(Tone::Dim, " can reach ")]));
    first.extend(target);
    t.header.push(first);
    t.header.push(spans([(
        Tone::Dim,
        "by assuming roles or escalating (keys, passwords, passed roles, trust), each with its shortest chain",
    )]));
    if found.is_empty() {
        t.add(
            None,
            spans([(Tone::Heading, "Nobody in the organization")]),
            None,
        );
        return t;
    }
    let head = t.add(
        None,
        spans([(
            Tone::Heading,
            &format!(
                "Who reaches it, nearest first ({})",
                super::thousands(found.len())
            ),
        )]),
        None,
    );
    for r in found {
        let who = r.path.first().map_or("", SharedText::as_str);
        // The account of who reaches it, not of the role reached.
        let mut extra = spans([(
            Tone::Dim,
            &format!("  in {} ({})", r.from_account_name, r.from_account),
        )]);
        if !r.needs.is_empty() {
            extra.extend(spans([(
                Tone::Warn,
                &format!("  needs {}", r.needs.join(", ")),
            )]));
        }
        let (row, jump) = principal(org, who, extra);
        let id = t.add(Some(head), row, jump.clone());
        t.add(Some(id), chain(org, r), jump);
        t.close(id);
    }
    t
}
