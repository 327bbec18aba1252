//! Judging a step: from what the learner did in the app (an [`Event`]) and what the
//! engine answers, never from text the learner typed. A wrong move is told why.

use crate::analysis::{Ask, CanAnswer, Filter, PathsAnswer, WhatCanAnswer, WhoCanAnswer};
use crate::catalog::glob;
use crate::engine::{Decision, Explanation, Layer};
use crate::org::{Entity, Org};
use crate::scenario::Scenario;

use super::format::{Expect, LayerKind, Question, QuestionKind, Step, StepKind, decision_words};
use super::load::resolve_node;

/// What the learner did.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// Selected a node of the tree.
    Selected(Entity),
    /// Asked `can` and got this answer (from the engine, in the app).
    AskedCan(&'a CanAnswer),
    /// Asked `who-can` and got this answer.
    AskedWhoCan(&'a WhoCanAnswer),
    /// Asked `what-can` with this filter and got this answer.
    AskedWhatCan(&'a WhatCanAnswer, &'a Filter),
    /// Asked which roles a principal reaches (`paths` from it).
    AskedPaths(&'a PathsAnswer),
    /// Made a what-if change: the organization as it now is (the app's org, as
    /// loaded, is the one before).
    Changed(&'a Org),
    /// Predicted a decision and, for a denial, the layer that decides.
    Predicted(Decision, Option<LayerKind>),
    /// Went on past a step that only asks to be read.
    Continued,
}

/// The judgment of one move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgment {
    /// Not this step's business (moving around, another kind of move).
    Ignored,
    /// The step is done.
    Right,
    /// Told apart from a right move, with why it is wrong.
    Wrong(String),
}

/// The question of a step as the engine takes it.
pub fn ask_of(q: &Question) -> Ask {
    let mut context: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in &q.context {
        context.push((k.clone(), vec![v.clone()]));
    }
    Ask {
        action: q.action.clone(),
        resource: q.resource.clone(),
        context,
        ..Ask::default()
    }
}

/// The engine's answer to a `can` question of a lesson.
pub fn answer_can(org: &Org, q: &Question) -> Result<CanAnswer, String> {
    let who = q.who.as_deref().ok_or("a `can` question needs `who`")?;
    crate::analysis::can(org, who, &ask_of(q)).map_err(|e| e.to_string())
}

/// The engine's answer to a `who-can` question of a lesson.
pub fn answer_who_can(org: &Org, q: &Question) -> Result<WhoCanAnswer, String> {
    crate::analysis::who_can_covering(org, &ask_of(q), crate::analysis::Watch::NONE)
        .map_err(|e| e.to_string())
}

/// An engine answer to any question of a lesson, owned (boxed: the answers differ
/// much in size, and few are kept at once).
#[derive(Debug, Clone)]
pub enum Answered {
    Can(Box<CanAnswer>),
    WhoCan(Box<WhoCanAnswer>),
    WhatCan(Box<WhatCanAnswer>),
    Paths(Box<PathsAnswer>),
}

impl Answered {
    pub fn as_answer(&self) -> Answer<'_> {
        match self {
            Answered::Can(a) => Answer::Can(a),
            Answered::WhoCan(a) => Answer::WhoCan(a),
            Answered::WhatCan(a) => Answer::WhatCan(a),
            Answered::Paths(a) => Answer::Paths(a),
        }
    }

    /// What the answer says, comparable: two orgs that give the same gist give the
    /// same answer to the question.
    fn gist(&self) -> String {
        let mut parts: Vec<String> = match self {
            Answered::Can(a) => vec![format!(
                "{:?} {:?}",
                a.explanation.decision, a.explanation.blocked_by
            )],
            Answered::WhoCan(a) => a
                .allowed
                .iter()
                .chain(&a.root_users)
                .map(|h| format!("{} {:?}", h.principal, h.when))
                .collect(),
            Answered::WhatCan(a) => a
                .grants
                .iter()
                .map(|g| format!("{} {:?} {:?}", g.action, g.resources, g.needs))
                .collect(),
            Answered::Paths(a) => a
                .reachable
                .iter()
                .map(|r| format!("{} {:?}", r.role, r.needs))
                .collect(),
        };
        parts.sort();
        parts.join("\n")
    }

    /// One sentence for the pane, once the step is done.
    pub fn summary(&self, org: &Org) -> String {
        match self {
            Answered::Can(a) => a.summary.clone(),
            Answered::WhoCan(a) => format!(
                "{} principal(s) can do {} on {}.",
                a.allowed.len() + a.root_users.len(),
                a.action,
                a.resource
            ),
            Answered::WhatCan(a) => format!(
                "{} can do {} action(s) in {} service(s).",
                short(&a.principal),
                a.grants.len(),
                a.summary.len()
            ),
            Answered::Paths(a) => {
                let names: Vec<String> = a
                    .reachable
                    .iter()
                    .map(|r| format!("{} in {}", short(&r.role), r.account_name))
                    .collect();
                let _ = org;
                if names.is_empty() {
                    format!("{} reaches no role.", short(&a.from))
                } else {
                    format!(
                        "{} reaches {} role(s): {}.",
                        short(&a.from),
                        names.len(),
                        names.join(", ")
                    )
                }
            }
        }
    }
}

/// The context of a question, as the engine takes it.
fn context_of(q: &Question) -> Vec<(String, Vec<String>)> {
    ask_of(q).context
}

/// The engine's answer to any question of a lesson.
pub fn answer(org: &Org, q: &Question) -> Result<Answered, String> {
    let who = || {
        q.who
            .as_deref()
            .ok_or(format!("a `{}` question needs `who`", q.kind.name()))
    };
    match q.kind {
        QuestionKind::Can => answer_can(org, q).map(|a| Answered::Can(Box::new(a))),
        QuestionKind::WhoCan => answer_who_can(org, q).map(|a| Answered::WhoCan(Box::new(a))),
        QuestionKind::WhatCan => {
            crate::analysis::what_can(org, who()?, &Filter::default(), &context_of(q))
                .map(|a| Answered::WhatCan(Box::new(a)))
                .map_err(|e| e.to_string())
        }
        QuestionKind::Paths => crate::analysis::paths(org, who()?, None, &context_of(q))
            .map(|a| Answered::Paths(Box::new(a)))
            .map_err(|e| e.to_string()),
    }
}

/// Whether a question's answer on `org` is the one stated.
pub fn holds(org: &Org, q: &Question, e: &Expect) -> Result<(), String> {
    answer(org, q).and_then(|a| agrees(org, q, e, a.as_answer()))
}

/// The layer whose statement decided: the blocking layer of a denial.
pub fn deciding_layer(x: &Explanation) -> Option<Layer> {
    x.blocked_by
}

/// Judges one move against a step of a lesson on `org`.
pub fn judge(org: &Org, step: &Step, event: Event<'_>) -> Judgment {
    match (step.kind(), event) {
        (StepKind::Read, Event::Continued) => Judgment::Right,
        (StepKind::Select, Event::Selected(got)) => {
            let Some(Ok(want)) = step.select.as_deref().map(|n| resolve_node(org, n)) else {
                return Judgment::Ignored;
            };
            if got == want {
                Judgment::Right
            } else if std::mem::discriminant(&got) == std::mem::discriminant(&want) {
                Judgment::Wrong(wrong_node(org, got, want))
            } else {
                // A node of another kind is a step on the way (the OU above the
                // account asked for), not an answer.
                Judgment::Ignored
            }
        }
        (
            StepKind::Ask,
            Event::AskedCan(_)
            | Event::AskedWhoCan(_)
            | Event::AskedWhatCan(..)
            | Event::AskedPaths(_),
        ) => {
            let Some(q) = &step.ask else {
                return Judgment::Ignored;
            };
            judge_asked(org, q, step.expect.as_ref(), event)
        }
        (StepKind::Predict, Event::Predicted(d, layer)) => {
            let Some(q) = &step.predict else {
                return Judgment::Ignored;
            };
            match answer_can(org, q) {
                Ok(a) => judge_prediction(org, &a, d, layer),
                Err(e) => Judgment::Wrong(format!("the question cannot be asked: {e}")),
            }
        }
        (StepKind::Change, Event::Changed(after)) => judge_change(org, after, step),
        _ => Judgment::Ignored,
    }
}

/// The kind of question a move asked.
fn asked_kind(event: Event<'_>) -> Option<QuestionKind> {
    match event {
        Event::AskedCan(_) => Some(QuestionKind::Can),
        Event::AskedWhoCan(_) => Some(QuestionKind::WhoCan),
        Event::AskedWhatCan(..) => Some(QuestionKind::WhatCan),
        Event::AskedPaths(_) => Some(QuestionKind::Paths),
        _ => None,
    }
}

/// What a step's question asks, with the key that asks it.
fn asks_words(q: &Question) -> String {
    let who = q.who.as_deref().unwrap_or("someone");
    match q.kind {
        QuestionKind::Can => format!("whether {who} can (c)"),
        QuestionKind::WhoCan => "who can (w)".to_string(),
        QuestionKind::WhatCan => format!("what {who} can do (W)"),
        QuestionKind::Paths => format!("which roles {who} can reach (p)"),
    }
}

fn asked_words(k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Can => "whether one principal can",
        QuestionKind::WhoCan => "who can",
        QuestionKind::WhatCan => "what one principal can do",
        QuestionKind::Paths => "which roles one can reach",
    }
}

/// Judges a question asked in the app against an `ask` step: the same kind, the
/// same principal and request, and the answer the lesson states.
fn judge_asked(org: &Org, q: &Question, expect: Option<&Expect>, event: Event<'_>) -> Judgment {
    let Some(kind) = asked_kind(event) else {
        return Judgment::Ignored;
    };
    if kind != q.kind {
        return Judgment::Wrong(format!(
            "this step asks {}, not {}",
            asks_words(q),
            asked_words(kind)
        ));
    }
    let (differs_why, answer) = match event {
        Event::AskedCan(a) => (differs_can(org, q, a), Answer::Can(a)),
        Event::AskedWhoCan(a) => (differs(q, &a.action, &a.resource), Answer::WhoCan(a)),
        Event::AskedWhatCan(a, filter) => (
            differs_who(org, q, &a.principal).or_else(|| filter_hides(q, expect, filter)),
            Answer::WhatCan(a),
        ),
        Event::AskedPaths(a) => (differs_who(org, q, &a.from), Answer::Paths(a)),
        _ => return Judgment::Ignored,
    };
    if let Some(why) = differs_why {
        return Judgment::Wrong(why);
    }
    // The right question, and the answer the lesson means: asked without the
    // context the lesson gives, the engine may answer another question.
    match expect.map(|e| agrees(org, q, e, answer)) {
        Some(Err(why)) => Judgment::Wrong(format!(
            "that is the question, but {why}; ask it with {}",
            context_words(q)
        )),
        _ => Judgment::Right,
    }
}

/// A what-can filter that hides actions the step names: the answer cannot show them.
fn filter_hides(q: &Question, expect: Option<&Expect>, filter: &Filter) -> Option<String> {
    let named: Vec<&String> = expect
        .map(|e| e.includes.iter().chain(&e.excludes).collect())
        .unwrap_or_default();
    if filter.level.is_some() {
        return Some(format!(
            "you filtered by access level; this step asks what {} can do: ask without a level",
            q.who.as_deref().unwrap_or("?")
        ));
    }
    let service = filter.service.as_deref()?;
    let hidden: Vec<&str> = named
        .iter()
        .filter(|p| {
            let svc = p.split(':').next().unwrap_or("");
            !glob::matches(svc, service) || !p.contains(':')
        })
        .map(|p| p.as_str())
        .collect();
    if hidden.is_empty() {
        None
    } else {
        Some(format!(
            "you filtered on the service {service}, which hides {}: ask without the filter",
            hidden.join(", ")
        ))
    }
}

/// Judges a what-if change against a `change` step: the step's question asked of
/// the org as changed (`after`) must have the stated answer, and every guard
/// (`keep`) must still hold. Any change that does it counts. A wrong change is told
/// apart: one that leaves the answer as it was, one that moves it elsewhere, one
/// that gets there by breaking a guard.
pub fn judge_change(before: &Org, after: &Org, step: &Step) -> Judgment {
    let (Some(q), Some(e)) = (&step.change, &step.expect) else {
        return Judgment::Ignored;
    };
    let now = match answer(after, q) {
        Ok(a) => a,
        Err(e) => {
            return Judgment::Wrong(format!("after your change the question fails: {e}"));
        }
    };
    if let Err(why) = agrees(after, q, e, now.as_answer()) {
        let unchanged = answer(before, q).is_ok_and(|b| b.gist() == now.gist());
        return Judgment::Wrong(if unchanged {
            format!("your change does not change the answer: {why}")
        } else {
            format!("the answer changed, but not to the one asked for: {why}")
        });
    }
    for g in &step.keep {
        if let Err(why) = holds(after, &g.ask, &g.expect) {
            return Judgment::Wrong(format!(
                "that answers the question, but breaks what must stay as it is ({} must stay {}): {why}",
                question_words(&g.ask),
                expect_words(&g.expect)
            ));
        }
    }
    Judgment::Right
}

/// A step's own solution as a scenario: its `solution` tables read as a scenario
/// file's `changes`.
pub fn solution(step: &Step) -> Result<Scenario, String> {
    let text = serde_json::to_string_pretty(&serde_json::json!({ "changes": step.solution }))
        .map_err(|e| e.to_string())?;
    crate::scenario::ScenarioFile::from_text(std::path::Path::new("solution"), text)
        .map(|f| f.scenario)
        .map_err(|e| e.to_string())
}

/// "can ci-legacy do s3:PutObject on arn:aws:s3:::site/index.html".
pub fn question_words(q: &Question) -> String {
    let who = q.who.as_deref().unwrap_or("?");
    match q.kind {
        QuestionKind::Can => format!("can {who} do {} on {}", q.action, q.resource),
        QuestionKind::WhoCan => format!("who can do {} on {}", q.action, q.resource),
        QuestionKind::WhatCan => format!("what {who} can do"),
        QuestionKind::Paths => format!("which roles {who} can reach"),
    }
}

/// "allowed", "explicitly denied by an SCP", "listing X, not Y".
pub fn expect_words(e: &Expect) -> String {
    if let Some(d) = e.decision {
        let mut s = decision_words(d.0).to_string();
        if let Some(l) = e.layer {
            s.push_str(&format!(" by {}", l.words()));
        }
        return s;
    }
    let mut parts = Vec::new();
    if !e.includes.is_empty() {
        parts.push(format!("listing {}", e.includes.join(", ")));
    }
    if !e.excludes.is_empty() {
        parts.push(format!("not listing {}", e.excludes.join(", ")));
    }
    parts.join(" and ")
}

/// Judges a prediction against the engine's answer.
pub fn judge_prediction(
    org: &Org,
    a: &CanAnswer,
    d: Decision,
    layer: Option<LayerKind>,
) -> Judgment {
    let truth = a.explanation.decision;
    let truth_layer = deciding_layer(&a.explanation).map(LayerKind::of);
    let _ = org;
    if d != truth {
        return Judgment::Wrong(format!(
            "you predicted {}, but it is {}",
            decision_words(d),
            decision_words(truth),
        ));
    }
    match (layer, truth_layer) {
        (Some(l), Some(t)) if l != t => Judgment::Wrong(format!(
            "{} is right, but it is decided by {}, not by {}",
            decision_words(d),
            t.words(),
            l.words(),
        )),
        _ => Judgment::Right,
    }
}

/// What a lesson's step and an asked `can` question differ in, if anything.
fn differs_can(org: &Org, q: &Question, a: &CanAnswer) -> Option<String> {
    let want = q.who.as_deref().and_then(|w| {
        match crate::analysis::subject(org, w) {
            Ok(s) => Some(subject_arn(org, s)),
            // A caller outside the organization, by its ARN.
            Err(_) => w.starts_with("arn:").then(|| w.to_string()),
        }
    });
    if want.as_deref() != Some(a.principal.as_str()) {
        return Some(format!(
            "you asked about {}; this step is about {}",
            short(&a.principal),
            q.who.as_deref().unwrap_or("?")
        ));
    }
    differs(q, &a.action, &a.resource)
}

/// A what-can or paths question asked about another principal.
fn differs_who(org: &Org, q: &Question, asked: &str) -> Option<String> {
    let want = q
        .who
        .as_deref()
        .and_then(|w| crate::analysis::subject(org, w).ok())
        .map(|s| subject_arn(org, s));
    (want.as_deref() != Some(asked)).then(|| {
        format!(
            "you asked about {}; this step is about {}",
            short(asked),
            q.who.as_deref().unwrap_or("?")
        )
    })
}

fn subject_arn(org: &Org, s: crate::analysis::Subject) -> String {
    match s {
        crate::analysis::Subject::Principal(p) => org.principal_arn(p).to_string(),
        crate::analysis::Subject::Root(a) => format!("arn:aws:iam::{}:root", org.account(a).id),
    }
}

fn differs(q: &Question, action: &str, resource: &str) -> Option<String> {
    if !q.action.eq_ignore_ascii_case(action) {
        return Some(format!(
            "you asked about {action}; this step asks about {}",
            q.action
        ));
    }
    if q.resource != resource {
        return Some(format!(
            "you asked about the resource {resource}; this step asks about {}",
            q.resource
        ));
    }
    None
}

/// `aws:SecureTransport=true aws:RequestedRegion=eu-west-1`, or "no context".
fn context_words(q: &Question) -> String {
    if q.context.is_empty() {
        return "no context keys".to_string();
    }
    q.context
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn short(arn: &str) -> &str {
    arn.rsplit(['/', ':']).next().unwrap_or(arn)
}

/// Why the node selected is not the one asked for, from where both sit in the org:
/// "that SCP is attached to Workloads, but dana's account is under Security".
pub fn wrong_node(org: &Org, got: Entity, want: Entity) -> String {
    let name = |e: Entity| org.name(e).to_string();
    let kind = |e: Entity| match e {
        Entity::Root => "the root",
        Entity::Ou(_) => "an OU",
        Entity::Account(_) => "an account",
        Entity::User(_) => "a user",
        Entity::Group(_) => "a group",
        Entity::Role(_) => "a role",
        Entity::Policy(_) => "a policy",
        Entity::Resource(_) => "a resource",
    };
    let attached = |e: Entity| -> Vec<String> {
        match e {
            Entity::Policy(p) => org
                .attachments(p)
                .iter()
                .map(|a| org.name(a.target).to_string())
                .collect(),
            _ => Vec::new(),
        }
    };
    // "in account web-dev under OU Dev"; an account itself: "under OU Dev".
    let place = |e: Entity| -> Option<String> {
        let a = org.account_of(e)?;
        let under = match org.ancestors(a).last() {
            Some(&ou) => format!("under OU {}", org.ou(ou).name),
            None => "directly under the root".to_string(),
        };
        Some(match e {
            Entity::Account(_) => under,
            _ => format!("in account {} {under}", org.account(a).name),
        })
    };
    // FullAWSAccess sits on every node: a few names say enough.
    let listed = |v: &[String]| -> String {
        match v.len() {
            0..=4 => v.join(", "),
            n => format!("{} and {} more", v[..3].join(", "), n - 3),
        }
    };
    let got_at = attached(got);
    let want_at = attached(want);
    if !got_at.is_empty() && !want_at.is_empty() && got_at != want_at {
        return format!(
            "{} is attached to {}, but the one this step asks for is attached to {}",
            name(got),
            listed(&got_at),
            listed(&want_at)
        );
    }
    match (place(got), place(want)) {
        (Some(g), Some(w)) if g != w => format!(
            "{} is {g}; the {} this step asks for is {w}",
            name(got),
            &kind(want)[kind(want).find(' ').map_or(0, |i| i + 1)..]
        ),
        _ => format!(
            "that is {} {}; this step asks for {} {}",
            kind(got),
            name(got),
            kind(want),
            name(want)
        ),
    }
}

/// Judges a what-if: the question asked of the org as changed (any org value: the
/// scenario module's overlay once it lands, or an org built with the change). Any
/// change that gives the stated answer counts, not one scripted change.
pub fn judge_changed(changed: &Org, q: &Question, expect: &Expect) -> Judgment {
    match answer(changed, q) {
        Ok(a) => match agrees(changed, q, expect, a.as_answer()) {
            Ok(()) => Judgment::Right,
            Err(why) => Judgment::Wrong(format!("after your change, {why}")),
        },
        Err(e) => Judgment::Wrong(format!("after your change the question fails: {e}")),
    }
}

/// An engine answer to a lesson's question.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    Can(&'a CanAnswer),
    WhoCan(&'a WhoCanAnswer),
    WhatCan(&'a WhatCanAnswer),
    Paths(&'a PathsAnswer),
}

/// Whether the engine's answer is what the lesson says, and if not, how it differs.
pub fn agrees(
    org: &Org,
    q: &Question,
    e: &super::format::Expect,
    answer: Answer<'_>,
) -> Result<(), String> {
    match answer {
        Answer::Can(a) => {
            let x = &a.explanation;
            if let Some(d) = e.decision
                && d.0 != x.decision
            {
                return Err(format!(
                    "the engine says {}, not {} ({})",
                    decision_words(x.decision),
                    decision_words(d.0),
                    a.summary
                ));
            }
            if let Some(l) = e.layer {
                let got = deciding_layer(x).map(LayerKind::of);
                if got != Some(l) {
                    return Err(format!(
                        "the deciding layer is {}, not {} ({})",
                        got.map_or("none".to_string(), |g| g.to_string()),
                        l,
                        a.summary
                    ));
                }
            }
            if let Some(sid) = &e.statement {
                let found = deciding_statements(x).any(|s| &s.statement == sid);
                if !found {
                    return Err(format!("no deciding statement is `{sid}` ({})", a.summary));
                }
            }
            Ok(())
        }
        Answer::WhoCan(a) => {
            let allowed = |p: &str| -> bool {
                let arn = crate::analysis::subject(org, p)
                    .map(|s| subject_arn(org, s))
                    .unwrap_or_default();
                a.allowed
                    .iter()
                    .chain(&a.root_users)
                    .any(|h| h.principal == arn && h.when.is_empty())
            };
            for p in &e.includes {
                if !allowed(p) {
                    return Err(format!("{p} is not among those who can {}", q.action));
                }
            }
            // Allowed for some value of a key the question lacks is not "cannot":
            // never report a denial where AWS could allow.
            let conditional = |p: &str| -> bool {
                let arn = crate::analysis::subject(org, p)
                    .map(|s| subject_arn(org, s))
                    .unwrap_or_default();
                a.conditional.iter().any(|h| h.principal == arn)
            };
            for p in &e.excludes {
                if allowed(p) {
                    return Err(format!("{p} is among those who can {}", q.action));
                }
                if conditional(p) {
                    return Err(format!(
                        "{p} can {} on a condition the question does not settle",
                        q.action
                    ));
                }
            }
            Ok(())
        }
        Answer::WhatCan(a) => {
            let who = short(&a.principal);
            for p in &e.includes {
                // Allowed only on a condition the question does not give is not
                // allowed: never report Allowed where AWS could deny.
                if !a
                    .grants
                    .iter()
                    .any(|g| g.needs.is_empty() && glob::matches(p, &g.action))
                {
                    return Err(format!(
                        "{who} cannot do {p}: it is not among what it can do"
                    ));
                }
            }
            for p in &e.excludes {
                // Allowed on some condition counts as allowed here.
                if let Some(g) = a.grants.iter().find(|g| glob::matches(p, &g.action)) {
                    return Err(format!(
                        "{who} can still do {} (on {})",
                        g.action,
                        g.resources.join(", ")
                    ));
                }
            }
            Ok(())
        }
        Answer::Paths(a) => {
            let from = short(&a.from);
            let reached = |p: &str| {
                let arn = crate::analysis::subject(org, p)
                    .map(|s| subject_arn(org, s))
                    .unwrap_or_default();
                a.reachable.iter().find(|r| r.role == arn)
            };
            for p in &e.includes {
                if !reached(p).is_some_and(|r| r.needs.is_empty()) {
                    return Err(format!("{p} is not among the roles {from} can reach"));
                }
            }
            for p in &e.excludes {
                if let Some(r) = reached(p) {
                    let path: Vec<&str> = r.path.iter().map(|x| short(x)).collect();
                    return Err(format!(
                        "{p} is among the roles {from} can reach ({})",
                        path.join(" → ")
                    ));
                }
            }
            Ok(())
        }
    }
}

/// The statements that decide: the Denies of the blocking layer of an explicit deny;
/// the Allows that granted an allowed request (in the resource policy or the
/// identity policies, the layers that grant: SCPs, RCPs and boundaries only let
/// through); none for an implicit deny, which is the absence of an Allow.
pub fn deciding_statements(
    x: &Explanation,
) -> impl Iterator<Item = &crate::engine::MatchedStatement> {
    let d = x.decision;
    x.layers
        .iter()
        .filter(move |l| match d {
            Decision::ExplicitlyDenied => Some(l.layer) == x.blocked_by,
            Decision::Allowed => matches!(l.layer, Layer::Resource | Layer::Identity),
            Decision::ImplicitlyDenied => false,
        })
        .flat_map(|l| l.statements.iter())
        .filter(move |s| {
            s.effect
                == if d == Decision::ExplicitlyDenied {
                    "Deny"
                } else {
                    "Allow"
                }
        })
}
