//! Runs a question through `analysis` and turns its answer into rows. Runs on the
//! query worker: neither the analysis nor building a who-can answer of a quarter of a
//! million principals holds up a frame.

use std::collections::BTreeMap;

use super::answer::{AnswerTree, Jump, Spans, Tone, spans};
use super::form::{Query, QueryKind};
use super::locate::{Scope, layer_label, layer_node, locate};
use crate::analysis::{
    self, CanAnswer, PathsAnswer, Reach, Subject, WhatCanAnswer, WhoCanAnswer, who_can::Condition,
};
use crate::engine::{Decision, Layer, Outcome};
use crate::org::{Entity, Org, PrincipalIx};
use crate::tui::nodes::{Node, node_of};

/// Asks `analysis` and builds the answer's rows; the error in words.
pub fn run(org: &Org, query: &Query) -> Result<AnswerTree, String> {
    let err = |e: analysis::AnalysisError| e.to_string();
    Ok(match query {
        Query::Can { principal, ask } => {
            let a = analysis::can(org, principal, ask).map_err(err)?;
            let subject = analysis::subject(org, principal).map_err(err)?;
            can(org, subject, &a)
        }
        Query::WhoCan { ask } => who_can(org, &analysis::who_can(org, ask).map_err(err)?),
        Query::WhatCan {
            principal,
            filter,
            context,
        } => what_can(
            org,
            &analysis::what_can(org, principal, filter, context).map_err(err)?,
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
fn principal(org: &Org, arn: &str, extra: Spans) -> (Spans, Option<Jump>) {
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
fn conditions(when: &[Condition]) -> String {
    when.iter()
        .map(|c| format!("{}={}", c.key, c.value.as_deref().unwrap_or("(absent)")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &str, many: &str) -> String {
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

// ---- can -----------------------------------------------------------------------

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "allows",
        Outcome::Denied => "DENIES",
        Outcome::NoAllow => "no allow",
        Outcome::NotNeeded => "not needed",
        Outcome::Absent => "none",
        Outcome::Exempt => "exempt",
    }
}

/// The width of the layer column.
const LAYER: usize = 30;

pub fn can(org: &Org, subject: Subject, a: &CanAnswer) -> AnswerTree {
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
        let name = org
            .account_by_id(acct)
            .map(|i| format!(" ({})", org.account(i).name))
            .unwrap_or_default();
        let assumed = if a.resource_account_assumed {
            "  (assumed: the ARN names no account)"
        } else {
            ""
        };
        t.header.push(spans([
            (Tone::Dim, "resource account "),
            (Tone::Text, &format!("{acct}{name}")),
            (Tone::Warn, assumed),
        ]));
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
                if let Some(v) = &o.value {
                    t.context_hints.push(format!("{}={v}", d.key));
                }
            }
            t.add(Some(head), row, None);
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
            Outcome::Denied => Tone::Bad,
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
            (tone, outcome_word(l.outcome)),
        ]);
        if blocking {
            row.push((Tone::Bad, "  ◀ blocks".into()));
        }
        let id = t.add(
            Some(layers),
            row,
            layer_node(org, &scope, l.layer).map(Jump::Node),
        );
        if blocking {
            t.focus = Some(id);
        }
        // An organization layer that only allows (FullAWSAccess, mostly) starts
        // closed: the statements that decide are elsewhere.
        let org_layer = matches!(l.layer, Layer::Scp(_) | Layer::Rcp(_));
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
        if let Some(note) = &l.note {
            t.add(Some(id), spans([(Tone::Dim, note)]), None);
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

// ---- who-can -------------------------------------------------------------------

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
        let policy = super::locate::resource_policy(org, &a.action, &a.resource);
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
                        Jump::Statement(super::locate::Mark {
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

// ---- what-can ------------------------------------------------------------------

pub fn what_can(org: &Org, a: &WhatCanAnswer, filter: &analysis::Filter) -> AnswerTree {
    let mut t = AnswerTree::new(QueryKind::WhatCan);
    let mut first = spans([(Tone::Text, &a.principal), (Tone::Dim, " can do ")]);
    first.push((Tone::Good, plural(a.grants.len(), "action", "actions")));
    let only: Vec<String> = filter
        .service
        .iter()
        .cloned()
        .chain(filter.level.map(|l| l.to_string()))
        .collect();
    if !only.is_empty() {
        first.extend(spans([(
            Tone::Dim,
            &format!("  (only {})", only.join(", ")),
        )]));
    }
    t.header.push(first);
    t.header.push(spans([(
        Tone::Dim,
        "each action evaluated through SCPs, boundary and resource policies; / filters",
    )]));
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
    let mut by_service: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in a.grants.iter().enumerate() {
        let service = g.action.split(':').next().unwrap_or("");
        by_service.entry(service).or_default().push(i);
    }
    let action_w = a
        .grants
        .iter()
        .map(|g| g.action.len())
        .max()
        .unwrap_or(0)
        .min(48);
    for (service, list) in by_service {
        let group = t.add(
            Some(grants),
            spans([
                (Tone::Key, service),
                (Tone::Dim, &format!("  ({})", list.len())),
            ]),
            None,
        );
        for i in list {
            let g = &a.grants[i];
            let jump = match g.resources.as_slice() {
                [one] => org.by_arn(one).map(|e| Jump::Node(node_of(org, e))),
                _ => None,
            };
            let needs = if g.needs.is_empty() {
                String::new()
            } else {
                format!("  needs {}", g.needs.join(", "))
            };
            t.add(
                Some(group),
                spans([
                    (Tone::Text, &format!("{:<action_w$}  ", g.action)),
                    (Tone::Dim, &format!("{:<22}  ", g.level.to_string())),
                    (Tone::Resource, &g.resources.join(" ")),
                    (Tone::Warn, &needs),
                ]),
                jump,
            );
        }
    }
    t
}

// ---- paths ---------------------------------------------------------------------

/// `dana → SecurityAuditor → SecurityAudit`: each ARN by its name.
fn chain(org: &Org, path: &[String]) -> Spans {
    let mut out = Vec::new();
    for (i, arn) in path.iter().enumerate() {
        if i > 0 {
            out.push((Tone::Dim, " → ".to_string()));
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
        plural(a.reachable.len(), "role", "roles"),
    ));
    t.header.push(first);
    match &a.nearest_admin {
        Some(admin) => {
            let mut line = spans([(Tone::Dim, "nearest admin-level role: ")]);
            line.extend(chain(org, &admin.path));
            t.header.push(line);
        }
        None => t
            .header
            .push(spans([(Tone::Dim, "no admin-level role within reach")])),
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
                t.add(Some(head), chain(org, &to.path), jump);
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
            &format!("Reachable roles, nearest first ({})", a.reachable.len()),
        )]),
        None,
    );
    for r in &a.reachable {
        let (row, jump) = reach_row(org, r);
        let id = t.add(Some(head), row, jump);
        t.add(Some(id), chain(org, &r.path), jump);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Ask;
    use crate::org::load_builtin_acme;
    use crate::tui::tree::TreeSource;

    fn text(t: &AnswerTree, id: u32) -> String {
        t.item(id).text()
    }

    fn all(t: &AnswerTree) -> Vec<String> {
        (0..t.len() as u32).map(|i| text(t, i)).collect()
    }

    #[test]
    fn a_denied_can_names_the_blocking_layer_and_its_statement() {
        let org = load_builtin_acme();
        let q = Query::Can {
            principal: "eve".into(),
            ask: Ask {
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::acme-public-website/index.html".into(),
                ..Ask::default()
            },
        };
        let t = run(&org, &q).unwrap();
        let head: String = t.header[0].iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(head, "✗ ExplicitlyDenied  blocked by RCP root");
        let focus = t.focus.expect("the blocking layer is focused");
        assert!(
            text(&t, focus).starts_with("RCP root"),
            "{}",
            text(&t, focus)
        );
        let deny = t
            .children(focus)
            .into_iter()
            .find(|&c| text(&t, c).starts_with("Deny"))
            .unwrap();
        let Some(Jump::Statement(m)) = t.item(deny).jump else {
            panic!("a statement jump")
        };
        assert_eq!(org.policy_name(m.policy), "EnforceSecureTransport");
        assert!(
            all(&t)
                .iter()
                .any(|r| r.contains("aws:securetransport: (absent) → ExplicitlyDenied"))
        );
        assert!(
            t.context_hints
                .contains(&"aws:securetransport=true".to_string())
        );
    }

    #[test]
    fn who_can_groups_by_account() {
        let org = load_builtin_acme();
        let q = Query::WhoCan {
            ask: Ask {
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::acme-public-website/index.html".into(),
                ..Ask::default()
            },
        };
        let t = run(&org, &q).unwrap();
        let rows = all(&t);
        assert_eq!(rows[0], "Allowed (1)");
        assert!(rows[1].starts_with("web-prod 666666666666"), "{}", rows[1]);
        assert!(
            rows.iter()
                .any(|r| r.starts_with("Allowed only under conditions (4)"))
        );
        assert!(
            rows.iter()
                .any(|r| r.contains("carol") && r.contains("when aws:securetransport=true"))
        );
        assert!(rows.iter().any(|r| r.starts_with("everyone *")));
    }

    #[test]
    fn errors_are_words() {
        let org = load_builtin_acme();
        let q = Query::Paths {
            from: "nobody".into(),
            to: None,
            context: Vec::new(),
        };
        assert!(
            run(&org, &q)
                .unwrap_err()
                .contains("no user or role `nobody`")
        );
    }
}
