//! `who-can`: who is allowed, by account; who would be under some condition; who an
//! SCP or a boundary alone stops; root users; outsiders the resource policy names.

use super::{conditions, decision_tone, plural, principal, resource_account, thousands};
use crate::analysis::{Subject, WhoCanAnswer};
use crate::org::{Entity, Org};
use crate::tui::nodes::{Node, node_of};
use crate::tui::query::answer::{AnswerTree, Jump, Tone, spans};
use crate::tui::query::form::QueryKind;
use crate::tui::query::locate::{Mark, Scope, layer_label, resource_policy};

pub fn who_can(org: &Org, a: &WhoCanAnswer) -> AnswerTree {
    // The question shows in the form above.
    let mut t = AnswerTree::new(QueryKind::WhoCan);
    let mut counts = vec![
        (Tone::Good, plural(a.allowed.len(), "allowed", "allowed")),
        (Tone::Dim, " · ".into()),
        (
            Tone::Warn,
            plural(a.conditional.len(), "conditional", "conditional"),
        ),
        (Tone::Dim, " · ".into()),
        (
            Tone::Text,
            plural(a.near_misses.len(), "near miss", "near misses"),
        ),
        (Tone::Dim, " · ".into()),
        (
            Tone::Text,
            plural(a.root_users.len(), "root user", "root users"),
        ),
    ];
    if !a.outside.is_empty() {
        counts.push((Tone::Dim, " · ".into()));
        counts.push((Tone::Bad, format!("{} outside", a.outside.len())));
    }
    counts.push((
        Tone::Dim,
        format!(
            "   ({} evaluated)",
            plural(a.evaluated, "principal", "principals")
        ),
    ));
    t.header.push(counts);
    if let Some(acct) = &a.resource_account {
        t.header.push(resource_account(org, acct));
    }
    if a.resource_account_assumed {
        t.header.push(spans([(
            Tone::Warn,
            "the resource's account is unknown: each principal was evaluated as if it were in its own account",
        )]));
    }
    let heading =
        |t: &mut AnswerTree, text: String| t.add(None, spans([(Tone::Heading, &text)]), None);
    if a.allowed.is_empty() {
        heading(&mut t, "Allowed: nobody in the organization".into());
    } else {
        let head = heading(&mut t, format!("Allowed ({})", thousands(a.allowed.len())));
        let mut group: Option<(&str, u32)> = None;
        for (i, h) in a.allowed.iter().enumerate() {
            let parent = match group {
                Some((acct, id)) if acct == h.account => id,
                _ => {
                    // The hits come sorted by account: a group is a run.
                    let n = a.allowed[i..]
                        .iter()
                        .take_while(|x| x.account == h.account)
                        .count();
                    let id = t.add(
                        Some(head),
                        spans([
                            (Tone::Account, &h.account_name),
                            (Tone::Dim, &format!(" {}  ({})", h.account, thousands(n))),
                        ]),
                        org.account_by_id(&h.account)
                            .map(|i| Jump::Node(Node::Account(i))),
                    );
                    group = Some((&h.account, id));
                    id
                }
            };
            let (row, jump) = principal(org, &h.principal, Vec::new());
            t.add(Some(parent), row, jump);
        }
    }
    if !a.conditional.is_empty() {
        let head = heading(
            &mut t,
            format!(
                "Allowed only under conditions ({})",
                thousands(a.conditional.len())
            ),
        );
        for h in &a.conditional {
            let when = spans([(Tone::Warn, &format!("  when {}", conditions(&h.when)))]);
            let (row, jump) = principal(org, &h.principal, when);
            t.add(Some(head), row, jump);
            t.context_hints.extend(
                h.when
                    .iter()
                    .filter_map(|c| c.value.as_ref().map(|v| format!("{}={v}", c.key))),
            );
        }
    }
    if !a.near_misses.is_empty() {
        let head = heading(
            &mut t,
            format!(
                "Blocked only by an SCP or a boundary ({})",
                a.near_misses.len()
            ),
        );
        for n in &a.near_misses {
            let by = match org.principal_by_arn(&n.principal) {
                Some(p) => layer_label(
                    org,
                    &Scope {
                        subject: Subject::Principal(p),
                        action: &a.action,
                        resource: &a.resource,
                        resource_account: None,
                    },
                    n.blocked_by,
                ),
                None => n.blocked_by.to_string(),
            };
            let extra = spans([
                (Tone::Dim, "  by "),
                (Tone::Bad, &by),
                (Tone::Dim, " "),
                (Tone::Policy, &n.policies.join(", ")),
            ]);
            let (row, jump) = principal(org, &n.principal, extra);
            t.add(Some(head), row, jump);
        }
    }
    if !a.root_users.is_empty() {
        let head = heading(
            &mut t,
            format!("Account root users ({})", thousands(a.root_users.len())),
        );
        for h in &a.root_users {
            t.add(
                Some(head),
                spans([
                    (Tone::User, &h.principal),
                    (Tone::Dim, "  "),
                    (Tone::Account, &h.account_name),
                ]),
                org.account_by_id(&h.account)
                    .map(|i| Jump::Node(Node::Account(i))),
            );
        }
    }
    if !a.outside.is_empty() {
        let head = heading(
            &mut t,
            format!(
                "Outside the organization, named by the resource's policy ({})",
                a.outside.len()
            ),
        );
        let policy = resource_policy(org, &a.action, &a.resource);
        for o in &a.outside {
            let side = match o.resource_side {
                Some(d) if o.when.is_empty() => (decision_tone(d), format!("resource side: {d}")),
                Some(_) => (
                    Tone::Warn,
                    format!("resource side: Allowed when {}", conditions(&o.when)),
                ),
                None => (Tone::Dim, "not evaluated".to_string()),
            };
            let jump = policy.map(|p| {
                org.compiled(p)
                    .statements()
                    .iter()
                    .find(|s| s.label() == o.statement)
                    .map_or(Jump::Node(node_of(org, Entity::Policy(p))), |s| {
                        Jump::Statement(Mark {
                            policy: p,
                            statement: s.index,
                        })
                    })
            });
            t.add(
                Some(head),
                spans([
                    (Tone::Dim, &format!("{} ", o.kind)),
                    (Tone::Bad, &o.who),
                    (Tone::Dim, "  "),
                    (Tone::Policy, &o.policy),
                    (Tone::Dim, " · "),
                    (Tone::Key, &o.statement),
                    (
                        Tone::Warn,
                        if o.conditional {
                            " (with conditions)"
                        } else {
                            ""
                        },
                    ),
                    (Tone::Dim, "  "),
                    (side.0, &side.1),
                ]),
                jump,
            );
        }
    }
    t.context_hints.sort();
    t.context_hints.dedup();
    t
}
