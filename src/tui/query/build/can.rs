//! `can`: the decision, what would change it, and each layer with its statements.

use super::{decision_text, decision_tone, resource_account};
use crate::analysis::{CanAnswer, Subject};
use crate::engine::{Layer, Outcome};
use crate::org::Org;
use crate::tui::details::Tab;
use crate::tui::query::answer::{AnswerTree, Jump, Tone, spans};
use crate::tui::query::form::QueryKind;
use crate::tui::query::locate::{Scope, layer_label, layer_node, locate};

/// The width of the layer column.
const LAYER: usize = 30;

/// The answer to `can`; `session_policy` is the file the session policy was read
/// from, if any.
/// `subject` is `None` for a caller the org does not hold.
pub fn can(
    org: &Org,
    subject: Option<Subject>,
    a: &CanAnswer,
    session_policy: Option<&str>,
) -> AnswerTree {
    let mut t = AnswerTree::new(QueryKind::Can);
    let x = &a.explanation;
    let scope = Scope {
        subject,
        action: &a.action,
        resource: &a.resource,
        resource_account: a
            .resource_account
            .as_deref()
            .and_then(|id| org.account_by_id(id)),
    };
    let mut first = vec![(decision_tone(a.decision), decision_text(a.decision))];
    if let Some(layer) = x.blocked_by {
        first.push((Tone::Dim, "  blocked by ".into()));
        first.extend(spans([(Tone::Bad, &layer_label(org, &scope, layer))]));
    }
    t.header.push(first);
    t.header.push(spans([
        (Tone::Text, &a.principal),
        (Tone::Dim, "  "),
        (Tone::Key, &a.action),
        (Tone::Dim, "  "),
        (Tone::Text, &a.resource),
    ]));
    if let Some(acct) = &a.resource_account {
        let assumed = if a.resource_account_assumed {
            "  (assumed: the ARN names no account)"
        } else {
            ""
        };
        let mut line = resource_account(org, acct);
        line.extend(spans([(Tone::Warn, assumed)]));
        t.header.push(line);
    }
    if let Some(path) = session_policy {
        t.header.push(spans([
            (Tone::Dim, "session policy "),
            (Tone::Text, path.trim()),
        ]));
    }
    t.header.push(spans([(Tone::Text, &a.summary)]));
    // What was assumed about a caller the org does not hold.
    for assumed in &a.assumptions {
        t.header
            .push(spans([(Tone::Warn, "assumed: "), (Tone::Text, assumed)]));
    }
    // What would change the answer first: it is what to try next.
    let deps: Vec<_> = a.depends_on.iter().filter(|d| d.matters).collect();
    if !deps.is_empty() {
        let head = t.add(
            None,
            spans([(Tone::Heading, "This depends on context not given")]),
            None,
        );
        for d in deps {
            let mut row = spans([(Tone::Key, &d.key), (Tone::Dim, ": ")]);
            for (i, o) in d.outcomes.iter().enumerate() {
                if i > 0 {
                    row.push((Tone::Dim, ", ".into()));
                }
                row.extend(spans([
                    (Tone::Text, o.value.as_deref().unwrap_or("(absent)")),
                    (Tone::Dim, " → "),
                    (decision_tone(o.decision), &o.decision.to_string()),
                ]));
            }
            let key_row = t.add(Some(head), row, None);
            // Each value, to ask again with it.
            for o in &d.outcomes {
                let Some(v) = &o.value else { continue };
                let pair = format!("{}={v}", d.key);
                t.context_hints.push(pair.clone());
                t.add(
                    Some(key_row),
                    spans([
                        (Tone::Dim, "ask with "),
                        (Tone::Key, &pair),
                        (Tone::Dim, " → "),
                        (decision_tone(o.decision), &o.decision.to_string()),
                    ]),
                    Some(Jump::Context(pair)),
                );
            }
            t.close(key_row);
        }
    }
    // Keys that change the answer only together (an SCP's region and an RCP's TLS).
    let together: Vec<_> = a.changes.iter().filter(|c| c.when.len() > 1).collect();
    if !together.is_empty() {
        let head = t.add(
            None,
            spans([(Tone::Heading, "Keys that change the answer only together")]),
            None,
        );
        for c in together {
            let pairs: Vec<String> = c.when.iter().map(ToString::to_string).collect();
            let all = pairs.join(" ");
            t.context_hints.push(all.clone());
            t.add(
                Some(head),
                spans([
                    (Tone::Dim, "ask with "),
                    (Tone::Key, &pairs.join(", ")),
                    (Tone::Dim, " → "),
                    (decision_tone(c.decision), &c.decision.to_string()),
                ]),
                Some(Jump::Context(all)),
            );
        }
    }
    let layers = t.add(
        None,
        spans([(Tone::Heading, "Layer by layer, in AWS's order")]),
        None,
    );
    for l in &x.layers {
        let label = layer_label(org, &scope, l.layer);
        let blocking = x.blocked_by == Some(l.layer);
        let tone = match l.outcome {
            Outcome::Allowed => Tone::Good,
            Outcome::Denied | Outcome::Refused => Tone::Bad,
            Outcome::NoAllow if blocking => Tone::Bad,
            Outcome::NoAllow => Tone::Warn,
            Outcome::NotNeeded | Outcome::Absent | Outcome::Exempt => Tone::Dim,
        };
        let name_tone = if l.outcome == Outcome::Absent {
            Tone::Dim
        } else {
            Tone::Text
        };
        let mut row = spans([
            (name_tone, &format!("{label:<LAYER$} ")),
            (tone, l.outcome.word()),
        ]);
        if blocking {
            row.push((Tone::Bad, "  ◀ blocks".into()));
        }
        let id = t.add(
            Some(layers),
            row,
            layer_node(org, &scope, l.layer).map(|n| Jump::Tab(n, layer_tab(l.layer))),
        );
        if blocking {
            t.focus = Some(id);
        }
        // An organization layer that only allows (FullAWSAccess, mostly) starts
        // closed: the statements that decide are elsewhere.
        let org_layer = matches!(l.layer, Layer::Scp(_) | Layer::Rcp(_));
        // Its statements that did not apply show when it is opened.
        let denies = l.statements.iter().any(|m| m.effect == "Deny");
        if org_layer && !blocking && !denies {
            t.close(id);
        }
        for m in &l.statements {
            let effect = if m.effect == "Deny" {
                Tone::Bad
            } else {
                Tone::Good
            };
            let jump = locate(org, &scope, l.layer, m).map(Jump::Statement);
            t.add(
                Some(id),
                spans([
                    (effect, &format!("{:<5} ", m.effect)),
                    (Tone::Key, &m.statement),
                    (Tone::Dim, "  in "),
                    (Tone::Policy, &m.policy),
                ]),
                jump,
            );
        }
        for k in &l.skipped {
            let m = &k.statement;
            let jump = locate(org, &scope, l.layer, m).map(Jump::Statement);
            t.add(
                Some(id),
                spans([
                    (Tone::Dim, "skipped "),
                    (Tone::Dim, &format!("{} ", m.effect)),
                    (Tone::Key, &m.statement),
                    (Tone::Dim, "  in "),
                    (Tone::Policy, &m.policy),
                    (Tone::Dim, ": "),
                    (Tone::Text, &k.why),
                ]),
                jump,
            );
        }
        if let Some(note) = &l.note {
            t.add(Some(id), spans([(Tone::Dim, note)]), None);
        }
        // Where to read the rule that decided (the JSON links every layer).
        if blocking {
            t.add(
                Some(id),
                spans([(Tone::Dim, "AWS documentation: "), (Tone::Dim, l.doc)]),
                None,
            );
        }
    }
    if !x.notes.is_empty() {
        let notes = t.add(None, spans([(Tone::Heading, "Notes")]), None);
        for n in &x.notes {
            t.add(Some(notes), spans([(Tone::Text, n)]), None);
        }
    }
    t
}

/// The tab that shows a layer's policies on its node.
fn layer_tab(layer: Layer) -> Tab {
    match layer {
        Layer::Scp(_) | Layer::Rcp(_) => Tab::OrgPolicies,
        Layer::Identity => Tab::Policies,
        _ => Tab::Json,
    }
}

/// The answer to `can` on a resource pattern: allowed on every, some or none of the
/// resources it covers, one resource of each class the policies treat alike.
pub fn pattern(a: &crate::analysis::pattern::PatternAnswer) -> AnswerTree {
    use crate::analysis::pattern::Outcome as Covered;
    let mut t = AnswerTree::new(QueryKind::Can);
    let (tone, text) = match a.outcome {
        Covered::AllowedOnEvery => (Tone::Good, "✓ allowed on every resource it covers"),
        Covered::AllowedOnSome => (Tone::Warn, "~ allowed on some of the resources it covers"),
        Covered::AllowedOnNone => (Tone::Bad, "✗ allowed on none of the resources it covers"),
    };
    t.header.push(spans([(tone, text)]));
    t.header.push(spans([
        (Tone::Text, &a.principal),
        (Tone::Dim, "  "),
        (Tone::Key, &a.action),
        (Tone::Dim, "  "),
        (Tone::Text, &a.resource),
    ]));
    for (label, example) in [
        ("allowed on ", &a.allowed_example),
        ("denied on ", &a.denied_example),
    ] {
        if let Some(e) = example {
            t.header.push(spans([
                (Tone::Dim, label),
                (Tone::Text, &e.resource),
                (Tone::Dim, ": "),
                (Tone::Text, e.summary.as_deref().unwrap_or_default()),
            ]));
        }
    }
    for assumed in &a.assumptions {
        t.header
            .push(spans([(Tone::Warn, "assumed: "), (Tone::Text, assumed)]));
    }
    let head = t.add(
        None,
        spans([(
            Tone::Heading,
            "Classes of resources the policies treat alike, one each",
        )]),
        None,
    );
    for c in &a.classes {
        let row = t.add(
            Some(head),
            spans([
                (decision_tone(c.decision), &decision_text(c.decision)),
                (Tone::Dim, "  "),
                (Tone::Text, &c.resource),
                (Tone::Dim, if c.held { "  (held)" } else { "" }),
            ]),
            None,
        );
        if let Some(summary) = &c.summary {
            t.add(Some(row), spans([(Tone::Dim, summary)]), None);
        }
        if c.alike > 1 {
            let more = format!("and {} more held resources decided alike", c.alike - 1);
            t.add(Some(row), spans([(Tone::Dim, &more)]), None);
        }
    }
    t
}
