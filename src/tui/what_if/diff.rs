//! A diff ([`Impact`]) and the expectations it breaks, for the what-if view: in
//! sections (the expectations, each account, the principals outside the org), each
//! holding folds (a principal, an outside principal, a broken expectation) that show
//! a one-line summary until opened. Each gained or lost answer keeps the question
//! that explains it (Enter asks it of the org before and after).

use std::collections::{BTreeMap, HashSet};

use crate::catalog::Catalog;
use crate::scenario::expect::Outcome;
use crate::scenario::impact::{Impact, PrincipalImpact, Standing};
use crate::tui::query::answer::{Spans, Tone, spans};
use crate::tui::words::{plural, thousands};

/// A question one row answers: `can PRINCIPAL ACTION RESOURCE KEY=VALUE...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explain {
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// `key=value` for each condition the row's conditional side holds under (its
    /// `when`), so that the question asked is the one the row answers.
    pub context: Vec<String>,
}

/// The `when` of a row as context pairs; a value not worked out, or one with a
/// space (the query line splits on them), is left out.
fn context_of(w: &[crate::analysis::who_can::Condition]) -> Vec<String> {
    w.iter()
        .filter_map(|c| {
            let v = c.value.as_deref()?;
            (!v.contains(char::is_whitespace)).then(|| format!("{}={v}", c.key))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub spans: Spans,
    pub explain: Option<Explain>,
    /// The row's text in lower case, for the filter.
    text: String,
}

impl Row {
    fn new(spans: Spans, explain: Option<Explain>) -> Row {
        let text = spans
            .iter()
            .map(|(_, s)| s.as_str())
            .collect::<String>()
            .to_lowercase();
        Row {
            spans,
            explain,
            text,
        }
    }

    fn matches(&self, filter: &str) -> bool {
        filter.is_empty() || self.text.contains(filter)
    }
}

/// One principal (or broken expectation): a summary, and its lines when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub summary: Row,
    pub lines: Vec<Row>,
}

/// An account, the expectations, or the principals outside the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: Row,
    pub folds: Vec<Fold>,
}

/// Where a fold is: its section and its place there.
pub type FoldId = (usize, usize);

/// What the view shows once the diff is done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DiffView {
    /// The summary: who changes, how many questions.
    pub header: Vec<Spans>,
    pub sections: Vec<Section>,
}

/// One row on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// The blank row between sections.
    Gap,
    Heading(usize),
    /// A fold's summary, and whether it is open.
    Summary(FoldId, bool),
    /// A fold's line.
    Line(FoldId, usize),
}

impl DiffView {
    /// A line of the header that says what the diff does not show.
    pub fn note(&mut self, text: &str) {
        self.header.push(spans([(Tone::Warn, text)]));
    }

    /// The rows on screen: the folds in `open` opened, and with a filter (lower
    /// case) only what contains it: a fold whose summary matches keeps all its
    /// lines, another only its matching lines, shown open.
    pub fn shown(&self, open: &HashSet<FoldId>, filter: &str) -> Vec<Shown> {
        let mut out = Vec::new();
        for (s, section) in self.sections.iter().enumerate() {
            let whole = !filter.is_empty() && section.heading.matches(filter);
            let mut rows = Vec::new();
            for (f, fold) in section.folds.iter().enumerate() {
                let id = (s, f);
                let all = whole || fold.summary.matches(filter);
                let lines: Vec<usize> = (0..fold.lines.len())
                    .filter(|&i| all || fold.lines[i].matches(filter))
                    .collect();
                if !all && lines.is_empty() {
                    continue;
                }
                let opened = open.contains(&id) || (!all && !filter.is_empty());
                rows.push(Shown::Summary(id, opened));
                if opened {
                    rows.extend(lines.into_iter().map(|i| Shown::Line(id, i)));
                }
            }
            if rows.is_empty() && !whole && !section.heading.matches(filter) {
                continue;
            }
            if !out.is_empty() {
                out.push(Shown::Gap);
            }
            out.push(Shown::Heading(s));
            out.extend(rows);
        }
        out
    }

    /// The row a shown row stands for (`None` for a gap).
    pub fn row(&self, shown: Shown) -> Option<&Row> {
        match shown {
            Shown::Gap => None,
            Shown::Heading(s) => Some(&self.sections[s].heading),
            Shown::Summary((s, f), _) => Some(&self.sections[s].folds[f].summary),
            Shown::Line((s, f), i) => Some(&self.sections[s].folds[f].lines[i]),
        }
    }

    /// Every fold, for the first view: open when it is the only one (nothing to
    /// choose between), else closed.
    pub fn first_open(&self) -> HashSet<FoldId> {
        let all: Vec<FoldId> = self
            .sections
            .iter()
            .enumerate()
            .flat_map(|(s, sec)| (0..sec.folds.len()).map(move |f| (s, f)))
            .collect();
        if all.len() == 1 {
            all.into_iter().collect()
        } else {
            HashSet::new()
        }
    }
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

/// `Write 9,012 · Permissions management 310`, then the three services most
/// affected: what a principal's changes are mostly about.
fn most_affected<'x>(actions: impl Iterator<Item = &'x str>) -> String {
    let catalog = Catalog::get();
    let mut levels: BTreeMap<&str, usize> = BTreeMap::new();
    let mut services: BTreeMap<&str, usize> = BTreeMap::new();
    // Each action once, as the summary counts them.
    let actions: std::collections::BTreeSet<&str> = actions.collect();
    for a in actions {
        if let Some(level) = catalog.action(a).map(|x| x.level.as_str()) {
            *levels.entry(level).or_default() += 1;
        }
        let service = a.split_once(':').map_or(a, |(s, _)| s);
        *services.entry(service).or_default() += 1;
    }
    let top = |m: BTreeMap<&str, usize>, n: usize| {
        let mut v: Vec<(&str, usize)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let more = v.len().saturating_sub(n);
        let mut parts: Vec<String> = v
            .into_iter()
            .take(n)
            .map(|(k, c)| format!("{k} {}", thousands(c)))
            .collect();
        if more > 0 {
            parts.push(format!("{more} more"));
        }
        parts.join(", ")
    };
    let (l, s) = (top(levels, 5), top(services, 3));
    match (l.is_empty(), s.is_empty()) {
        (true, _) => s,
        (false, true) => l,
        (false, false) => format!("{l} · {s}"),
    }
}

/// `loses 11,203 actions, 4 conditional → allowed`: what one principal's diff
/// amounts to.
pub fn summary(p: &PrincipalImpact) -> String {
    // Actions, not answers: one action may be asked on several resources.
    let count = |xs: &[crate::scenario::impact::Access]| {
        let n = xs.iter().map(|x| &x.action).collect::<HashSet<_>>().len();
        plural(n, "action", "actions")
    };
    let mut parts = Vec::new();
    if !p.gained.is_empty() {
        parts.push(format!("gains {}", count(&p.gained)));
    }
    if !p.lost.is_empty() {
        // Lost that were only allowed under conditions (a region, a tag) say so.
        let was: Vec<_> = p
            .lost
            .iter()
            .filter(|x| x.standing == Standing::Conditional)
            .cloned()
            .collect();
        let under = if was.is_empty() {
            String::new()
        } else {
            format!(
                " ({} under conditions)",
                count(&was).split(' ').next().unwrap_or_default()
            )
        };
        parts.push(format!("loses {}{under}", count(&p.lost)));
    }
    let up = p
        .changed
        .iter()
        .filter(|c| c.after == Standing::Allowed)
        .count();
    let down = p.changed.len() - up;
    if up > 0 {
        parts.push(format!("{} conditional → allowed", thousands(up)));
    }
    if down > 0 {
        parts.push(format!("{} allowed → conditional", thousands(down)));
    }
    parts.join(", ")
}

/// The principal as its account's section shows it: `role/WebApp` for an ARN of
/// that account, else as it is.
fn short<'x>(principal: &'x str, account: &str) -> &'x str {
    principal
        .strip_prefix("arn:")
        .and_then(|r| r.split_once(":iam::"))
        .and_then(|(_, r)| r.strip_prefix(account))
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or(principal)
}

fn principal_fold(p: &PrincipalImpact, account: &str) -> Fold {
    let actions = p
        .gained
        .iter()
        .chain(&p.lost)
        .map(|x| x.action.as_str())
        .chain(p.changed.iter().map(|x| x.action.as_str()));
    let summary = Row::new(
        spans([
            (Tone::User, short(&p.principal, account)),
            (Tone::Warn, &format!("  {}", summary(p))),
            (Tone::Dim, &format!("  · {}", most_affected(actions))),
        ]),
        None,
    );
    let explain = |action: &str, resource: &str, w: &[crate::analysis::who_can::Condition]| {
        Some(Explain {
            principal: p.principal.clone(),
            action: action.to_string(),
            resource: resource.to_string(),
            context: context_of(w),
        })
    };
    let mut lines = Vec::new();
    for x in &p.gained {
        lines.push(Row::new(
            spans([
                (Tone::Good, "+ "),
                (Tone::Key, &x.action),
                (Tone::Text, &format!("  {}  ", x.resource)),
                (
                    Tone::Good,
                    &format!("{}{}", standing(x.standing), when(&x.when)),
                ),
            ]),
            explain(&x.action, &x.resource, &x.when),
        ));
    }
    for x in &p.lost {
        lines.push(Row::new(
            spans([
                (Tone::Bad, "- "),
                (Tone::Key, &x.action),
                (Tone::Text, &format!("  {}  ", x.resource)),
                (
                    Tone::Bad,
                    &format!("was {}{}", standing(x.standing), when(&x.when)),
                ),
            ]),
            explain(&x.action, &x.resource, &x.when),
        ));
    }
    for x in &p.changed {
        lines.push(Row::new(
            spans([
                (Tone::Warn, "~ "),
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
            explain(&x.action, &x.resource, &x.when),
        ));
    }
    Fold { summary, lines }
}

/// The view of a diff, and the expectations the scenario breaks: those that hold
/// on the org and fail on the changed org (`before` and `after` in the same order).
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
            "asked {}, {} of each org · → ← open, fold · / filter · Enter: a line before and after",
            plural(impact.actions.len(), "action", "actions"),
            plural(impact.questions, "question", "questions"),
        ),
    )]));
    if let Some((before, after)) = expectations {
        out.sections.push(expectations_section(before, after));
    }
    for a in &impact.accounts {
        out.sections.push(Section {
            heading: Row::new(
                spans([
                    (Tone::Account, &a.account_name),
                    (Tone::Dim, &format!(" ({})", a.account)),
                    (
                        Tone::Dim,
                        &format!(
                            "  {}",
                            plural(a.principals.len(), "principal", "principals")
                        ),
                    ),
                ]),
                None,
            ),
            folds: a
                .principals
                .iter()
                .map(|p| principal_fold(p, &a.account))
                .collect(),
        });
    }
    if !impact.outside.is_empty() {
        out.sections.push(outside_section(impact));
    }
    out
}

fn expectations_section(before: &[Outcome], after: &[Outcome]) -> Section {
    let broken: Vec<&Outcome> = before
        .iter()
        .zip(after)
        .filter(|(b, a)| b.holds && !a.holds)
        .map(|(_, a)| a)
        .collect();
    let failing = after.iter().filter(|a| !a.holds).count();
    let tone = if broken.is_empty() {
        Tone::Good
    } else {
        Tone::Bad
    };
    let heading = Row::new(
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
    let folds = broken
        .into_iter()
        .map(|a| Fold {
            summary: Row::new(
                spans([
                    (Tone::Bad, "✗ "),
                    (Tone::Dim, &format!("line {}: ", a.line)),
                    (Tone::Text, &a.expectation),
                    (
                        Tone::Dim,
                        &format!(
                            "  broken by {}",
                            plural(a.breaking.len(), "principal", "principals")
                        ),
                    ),
                ]),
                None,
            ),
            lines: a
                .breaking
                .iter()
                .map(|b| {
                    Row::new(
                        spans([
                            (Tone::Dim, "broken by "),
                            (Tone::Text, &b.principal),
                            (Tone::Dim, &format!("  {}", b.standing)),
                        ]),
                        None,
                    )
                })
                .collect(),
        })
        .collect();
    Section { heading, folds }
}

/// The principals outside the org, one fold each (who, and how they are named).
fn outside_section(impact: &Impact) -> Section {
    let mut by_who: BTreeMap<(&str, &str), Vec<&crate::scenario::impact::OutsideChange>> =
        BTreeMap::new();
    for o in &impact.outside {
        by_who.entry((&o.kind, &o.who)).or_default().push(o);
    }
    let folds = by_who
        .into_iter()
        .map(|((kind, who), changes)| {
            let count = |c: &str| changes.iter().filter(|o| o.change == c).count();
            let parts: Vec<String> = [
                ("gains", count("gained")),
                ("loses", count("lost")),
                ("changes", count("changed")),
            ]
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(w, n)| format!("{w} {}", plural(n, "answer", "answers")))
            .collect();
            let summary = Row::new(
                spans([
                    (Tone::User, &format!("{kind} {who}")),
                    (Tone::Warn, &format!("  {}", parts.join(", "))),
                    (
                        Tone::Dim,
                        &format!(
                            "  · {}",
                            most_affected(changes.iter().map(|o| o.action.as_str()))
                        ),
                    ),
                ]),
                None,
            );
            let lines = changes
                .iter()
                .map(|o| {
                    let (mark, tone) = match o.change {
                        "gained" => ("+ ", Tone::Good),
                        "lost" => ("- ", Tone::Bad),
                        _ => ("~ ", Tone::Warn),
                    };
                    Row::new(
                        spans([
                            (tone, mark),
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
                    )
                })
                .collect();
            Fold { summary, lines }
        })
        .collect();
    Section {
        heading: Row::new(spans([(Tone::Heading, "Outside the organization")]), None),
        folds,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario::impact::{Access, AccountImpact, OutsideChange, Shift};

    fn access(action: &str, standing: Standing) -> Access {
        Access {
            action: action.into(),
            resource: "*".into(),
            standing,
            when: Vec::new(),
        }
    }

    /// Two accounts: a role that loses three actions (one on two resources) and
    /// gains one, a user whose two actions become unconditional; someone outside.
    pub(crate) fn impact() -> Impact {
        let mut on_two = access("s3:PutObject", Standing::Allowed);
        on_two.resource = "arn:aws:s3:::b/*".into();
        let role = PrincipalImpact {
            principal: "arn:aws:iam::111122223333:role/Deployer".into(),
            gained: vec![access("sqs:SendMessage", Standing::Conditional)],
            lost: vec![
                access("ec2:RunInstances", Standing::Allowed),
                access("iam:PutRolePolicy", Standing::Allowed),
                access("s3:PutObject", Standing::Allowed),
                on_two,
            ],
            changed: Vec::new(),
        };
        let shift = |action: &str| Shift {
            action: action.into(),
            resource: "*".into(),
            before: Standing::Conditional,
            after: Standing::Allowed,
            when: Vec::new(),
        };
        let user = PrincipalImpact {
            principal: "arn:aws:iam::444455556666:user/erin".into(),
            gained: Vec::new(),
            lost: Vec::new(),
            changed: vec![shift("ec2:StopInstances"), shift("ec2:StartInstances")],
        };
        Impact {
            changes: vec!["attach_scp".into()],
            actions: vec!["ec2:RunInstances".into()],
            questions: 9,
            accounts: vec![
                AccountImpact {
                    account: "111122223333".into(),
                    account_name: "prod".into(),
                    principals: vec![role],
                },
                AccountImpact {
                    account: "444455556666".into(),
                    account_name: "dev".into(),
                    principals: vec![user],
                },
            ],
            outside: vec![OutsideChange {
                action: "s3:GetObject".into(),
                resource: "arn:aws:s3:::b/*".into(),
                kind: "account".into(),
                who: "999988887777".into(),
                change: "lost",
                before: Some("allowed"),
                after: None,
            }],
        }
    }

    fn text(v: &DiffView, rows: &[Shown]) -> Vec<String> {
        rows.iter()
            .map(|r| {
                v.row(*r).map_or(String::new(), |row| {
                    row.spans.iter().map(|(_, s)| s.as_str()).collect()
                })
            })
            .collect()
    }

    #[test]
    fn each_principal_folds_to_a_summary_of_what_it_gains_and_loses() {
        let v = rows(&impact(), None);
        assert!(v.first_open().is_empty(), "three folds: all start folded");
        let shown = v.shown(&HashSet::new(), "");
        assert_eq!(
            text(&v, &shown),
            [
                "prod (111122223333)  1 principal",
                // Actions, not answers: s3:PutObject on two resources counts once.
                "role/Deployer  gains 1 action, loses 3 actions  · Write 3, Permissions management 1 · ec2 1, iam 1, s3 1, 1 more",
                "",
                "dev (444455556666)  1 principal",
                "user/erin  2 conditional → allowed  · Write 2 · ec2 2",
                "",
                "Outside the organization",
                "account 999988887777  loses 1 answer  · Read 1 · s3 1",
            ]
        );
        assert!(matches!(shown[1], Shown::Summary((0, 0), false)));
    }

    #[test]
    fn an_opened_fold_shows_its_lines_each_with_its_question() {
        let v = rows(&impact(), None);
        let open: HashSet<FoldId> = [(0, 0)].into();
        let shown = v.shown(&open, "");
        let t = text(&v, &shown);
        assert_eq!(t.len(), 8 + 5);
        assert_eq!(t[2], "+ sqs:SendMessage  *  conditional");
        assert_eq!(t[3], "- ec2:RunInstances  *  was allowed");
        let x = v.row(shown[3]).unwrap().explain.clone().unwrap();
        assert_eq!(
            (x.principal.as_str(), x.action.as_str(), x.resource.as_str()),
            (
                "arn:aws:iam::111122223333:role/Deployer",
                "ec2:RunInstances",
                "*"
            )
        );
        assert!(matches!(shown[1], Shown::Summary((0, 0), true)));
        assert!(v.row(shown[1]).unwrap().explain.is_none());
    }

    #[test]
    fn the_filter_keeps_matching_lines_shown_open_and_whole_folds_whose_summary_matches() {
        let v = rows(&impact(), None);
        // A line matches: its fold shows open with that line only, under its account.
        let shown = v.shown(&HashSet::new(), "iam:put");
        assert_eq!(
            text(&v, &shown),
            [
                "prod (111122223333)  1 principal",
                "role/Deployer  gains 1 action, loses 3 actions  · Write 3, Permissions management 1 · ec2 1, iam 1, s3 1, 1 more",
                "- iam:PutRolePolicy  *  was allowed",
            ]
        );
        // The summary matches: the fold as it is (folded).
        let shown = v.shown(&HashSet::new(), "user/erin");
        assert_eq!(text(&v, &shown).len(), 2);
        assert!(matches!(shown[1], Shown::Summary((1, 0), false)));
        // An account's heading: its whole section.
        assert_eq!(v.shown(&HashSet::new(), "444455556666").len(), 2);
        assert!(v.shown(&HashSet::new(), "nothing like this").is_empty());
    }

    #[test]
    fn a_lone_principal_starts_open() {
        let mut i = impact();
        i.accounts.truncate(1);
        i.outside.clear();
        let v = rows(&i, None);
        assert_eq!(v.first_open(), [(0, 0)].into());
    }

    #[test]
    fn the_summary_says_how_many_lost_actions_were_only_allowed_under_conditions() {
        let mut i = impact();
        let p = &mut i.accounts[0].principals[0];
        p.lost[0].standing = Standing::Conditional;
        assert_eq!(
            summary(p),
            "gains 1 action, loses 3 actions (1 under conditions)"
        );
    }
}
