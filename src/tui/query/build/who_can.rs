//! `who-can`: who is allowed, by account; who would be under some condition; who an
//! SCP or a boundary alone stops; root users; outsiders the resource policy names.

use super::{conditions, decision_tone, plural, principal, resource_account, thousands};
use crate::analysis::{Subject, WhoCanAnswer};
use crate::org::{Entity, Org};
use crate::tui::nodes::{Node, node_of};
use crate::tui::query::answer::{AnswerTree, Jump, Tone, spans};
use crate::tui::query::form::QueryKind;
use crate::tui::query::locate::{Mark, Scope, layer_label, resource_policy};

/// `  on RESOURCE`, for an answer about a pattern: where the principal stands so.
fn on(resource: &Option<String>) -> crate::tui::query::answer::Spans {
    match resource {
        Some(r) => spans([(Tone::Dim, &format!("  on {r}"))]),
        None => Vec::new(),
    }
}

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
        counts.push((Tone::Bad, format!("{} outside", thousands(a.outside.len()))));
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
    if !a.covered.is_empty() {
        t.header.push(spans([(
            Tone::Warn,
            &format!(
                "a pattern: asked on {}, one per class the policies treat alike; each principal shown on one",
                plural(a.covered.len(), "covered resource", "covered resources")
            ),
        )]));
    } else if a.resource_account_assumed {
        t.header.push(spans([(
            Tone::Warn,
            "the resource's account is unknown: each principal was evaluated as if it were in its own account",
        )]));
    }
    for n in &a.caveats {
        t.header.push(spans([(Tone::Warn, &format!("note: {n}"))]));
    }
    let heading =
        |t: &mut AnswerTree, text: String| t.add(None, spans([(Tone::Heading, &text)]), None);
    if a.allowed.is_empty() {
        heading(&mut t, "Allowed: nobody in the organization".into());
    } else {
        let head = heading(&mut t, format!("Allowed ({})", thousands(a.allowed.len())));
        let parents = by_account(&mut t, org, head, &a.allowed, |h| {
            (&h.account, &h.account_name)
        });
        for (h, parent) in a.allowed.iter().zip(parents) {
            let (row, jump) = principal(org, &h.principal, on(&h.on));
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
        let parents = by_account(&mut t, org, head, &a.conditional, |h| {
            (&h.account, &h.account_name)
        });
        for (h, parent) in a.conditional.iter().zip(parents) {
            let mut when = spans([(Tone::Warn, &format!("  when {}", conditions(&h.when)))]);
            when.extend(on(&h.on));
            let (row, jump) = principal(org, &h.principal, when);
            t.add(Some(parent), row, jump);
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
        let parents = by_account(&mut t, org, head, &a.near_misses, |n| {
            (&n.account, &n.account_name)
        });
        for (n, parent) in a.near_misses.iter().zip(parents) {
            let by = match org.principal_by_arn(&n.principal) {
                Some(p) => layer_label(
                    org,
                    &Scope {
                        subject: Some(Subject::Principal(p)),
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
            t.add(Some(parent), row, jump);
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
                Some(d) if o.when.is_empty() => {
                    let by = match o.blocked_by {
                        Some(crate::engine::Layer::Aws(rule)) => format!(" ({})", rule.reason()),
                        _ => String::new(),
                    };
                    (decision_tone(d), format!("resource side: {d}{by}"))
                }
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

/// A row per account under `head`, for items that come sorted by account (a group is
/// a run): the row each item goes under, in order.
fn by_account<T>(
    t: &mut AnswerTree,
    org: &Org,
    head: u32,
    items: &[T],
    account: impl Fn(&T) -> (&str, &str),
) -> Vec<u32> {
    let mut parents = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        let (id, name) = account(&items[i]);
        let n = items[i..].iter().take_while(|x| account(x).0 == id).count();
        let row = t.add(
            Some(head),
            spans([
                (Tone::Account, name),
                (Tone::Dim, &format!(" {id}  ({})", thousands(n))),
            ]),
            org.account_by_id(id).map(|a| Jump::Node(Node::Account(a))),
        );
        parents.extend(std::iter::repeat_n(row, n));
        i += n;
    }
    parents
}
