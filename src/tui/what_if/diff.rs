//! A diff ([`Impact`]) and the expectations it breaks, as rows for the what-if
//! view: one row per line, each gained or lost answer with the question that
//! explains it (Enter asks it of the org before and after).

use crate::scenario::expect::Outcome;
use crate::scenario::impact::{Impact, Standing};
use crate::tui::query::answer::{Spans, Tone, spans};
use crate::tui::words::plural;

/// A question one row answers: `can PRINCIPAL ACTION RESOURCE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explain {
    pub principal: String,
    pub action: String,
    pub resource: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub spans: Spans,
    pub explain: Option<Explain>,
}

/// What the view shows once the diff is done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiffView {
    /// The summary: who changes, how many questions.
    pub header: Vec<Spans>,
    pub rows: Vec<Row>,
}

fn standing(s: Standing) -> &'static str {
    match s {
        Standing::Allowed => "allowed",
        Standing::Conditional => "conditional",
    }
}

fn when(w: &[crate::analysis::who_can::Condition]) -> String {
    if w.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = w.iter().map(ToString::to_string).collect();
    format!(" (when {})", parts.join(", "))
}

/// The rows of a diff, and the expectations the scenario breaks: those that hold on
/// the org and fail on the changed org (`before` and `after` in the same order).
pub fn rows(impact: &Impact, expectations: Option<(&[Outcome], &[Outcome])>) -> DiffView {
    let mut out = DiffView::default();
    let principals: usize = impact.accounts.iter().map(|a| a.principals.len()).sum();
    out.header.push(if impact.is_empty() {
        spans([(
            Tone::Good,
            "no change: nobody gains or loses any of these actions",
        )])
    } else {
        spans([(
            Tone::Warn,
            &format!(
                "{} in {} change{}",
                plural(principals, "principal", "principals"),
                plural(impact.accounts.len(), "account", "accounts"),
                if impact.outside.is_empty() {
                    String::new()
                } else {
                    format!(", and {} outside the org", impact.outside.len())
                }
            ),
        )])
    });
    out.header.push(spans([(
        Tone::Dim,
        &format!(
            "asked {}, {} of each org · Enter: a line's answer before and after",
            plural(impact.actions.len(), "action", "actions"),
            plural(impact.questions, "question", "questions"),
        ),
    )]));
    let mut push = |spans: Spans, explain: Option<Explain>| out.rows.push(Row { spans, explain });
    if let Some((before, after)) = expectations {
        let broken: Vec<(&Outcome, &Outcome)> = before
            .iter()
            .zip(after)
            .filter(|(b, a)| b.holds && !a.holds)
            .collect();
        let failing = after.iter().filter(|a| !a.holds).count();
        let tone = if broken.is_empty() {
            Tone::Good
        } else {
            Tone::Bad
        };
        push(
            spans([
                (Tone::Heading, "Expectations  "),
                (
                    tone,
                    &format!(
                        "{} broken by the scenario; {} of {} fail with it",
                        broken.len(),
                        failing,
                        after.len()
                    ),
                ),
            ]),
            None,
        );
        for (_, a) in broken {
            push(
                spans([
                    (Tone::Bad, "  ✗ "),
                    (Tone::Dim, &format!("line {}: ", a.line)),
                    (Tone::Text, &a.expectation),
                ]),
                None,
            );
            for b in a.breaking.iter().take(20) {
                push(
                    spans([
                        (Tone::Dim, "      broken by "),
                        (Tone::Text, &b.principal),
                        (Tone::Dim, &format!("  {}", b.standing)),
                    ]),
                    None,
                );
            }
        }
    }
    for (n, a) in impact.accounts.iter().enumerate() {
        if n > 0 {
            push(Vec::new(), None);
        }
        push(
            spans([
                (Tone::Account, &a.account_name),
                (Tone::Dim, &format!(" ({})", a.account)),
            ]),
            None,
        );
        for p in &a.principals {
            push(
                spans([(Tone::Text, "  "), (Tone::User, &p.principal)]),
                None,
            );
            let explain = |action: &str, resource: &str| {
                Some(Explain {
                    principal: p.principal.clone(),
                    action: action.to_string(),
                    resource: resource.to_string(),
                })
            };
            for x in &p.gained {
                push(
                    spans([
                        (Tone::Good, "    + "),
                        (Tone::Key, &x.action),
                        (Tone::Text, &format!("  {}  ", x.resource)),
                        (
                            Tone::Good,
                            &format!("{}{}", standing(x.standing), when(&x.when)),
                        ),
                    ]),
                    explain(&x.action, &x.resource),
                );
            }
            for x in &p.lost {
                push(
                    spans([
                        (Tone::Bad, "    - "),
                        (Tone::Key, &x.action),
                        (Tone::Text, &format!("  {}  ", x.resource)),
                        (
                            Tone::Bad,
                            &format!("was {}{}", standing(x.standing), when(&x.when)),
                        ),
                    ]),
                    explain(&x.action, &x.resource),
                );
            }
            for x in &p.changed {
                push(
                    spans([
                        (Tone::Warn, "    ~ "),
                        (Tone::Key, &x.action),
                        (Tone::Text, &format!("  {}  ", x.resource)),
                        (
                            Tone::Warn,
                            &format!(
                                "{} → {}{}",
                                standing(x.before),
                                standing(x.after),
                                when(&x.when)
                            ),
                        ),
                    ]),
                    explain(&x.action, &x.resource),
                );
            }
        }
    }
    if !impact.outside.is_empty() {
        push(spans([(Tone::Heading, "Outside the organization")]), None);
        for o in &impact.outside {
            let (mark, tone) = match o.change {
                "gained" => ("+", Tone::Good),
                "lost" => ("-", Tone::Bad),
                _ => ("~", Tone::Warn),
            };
            push(
                spans([
                    (tone, &format!("  {mark} ")),
                    (Tone::Text, &format!("{} {}  ", o.kind, o.who)),
                    (Tone::Key, &o.action),
                    (Tone::Text, &format!("  {}  ", o.resource)),
                    (
                        tone,
                        &format!(
                            "{} → {}",
                            o.before.unwrap_or("not named"),
                            o.after.unwrap_or("not named")
                        ),
                    ),
                ]),
                None,
            );
        }
    }
    out
}
