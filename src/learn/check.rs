//! Judging a step: from what the learner did in the app (an [`Event`]) and what the
//! engine answers, never from text the learner typed. A wrong move is told why.

use crate::analysis::{Ask, CanAnswer, WhoCanAnswer};
use crate::engine::{Decision, Explanation, Layer};
use crate::org::{Entity, Org};

use super::format::{LayerKind, Question, QuestionKind, Step, StepKind, decision_words};
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
    crate::analysis::who_can(org, &ask_of(q)).map_err(|e| e.to_string())
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
        (StepKind::Ask, Event::AskedCan(a)) => {
            let Some(q) = &step.ask else {
                return Judgment::Ignored;
            };
            if q.kind != QuestionKind::Can {
                return Judgment::Wrong(
                    "this step asks who can (w), not whether one principal can".to_string(),
                );
            }
            if let Some(why) = differs_can(org, q, a) {
                return Judgment::Wrong(why);
            }
            // The right question, and the answer the lesson means: asked without the
            // context the lesson gives, the engine may answer another question.
            match step
                .expect
                .as_ref()
                .map(|e| agrees(org, q, e, Answer::Can(a)))
            {
                Some(Err(why)) => Judgment::Wrong(format!(
                    "that is the question, but {why}; ask it with {}",
                    context_words(q)
                )),
                _ => Judgment::Right,
            }
        }
        (StepKind::Ask, Event::AskedWhoCan(a)) => {
            let Some(q) = &step.ask else {
                return Judgment::Ignored;
            };
            if q.kind != QuestionKind::WhoCan {
                return Judgment::Wrong(format!(
                    "this step asks whether {} can (c), not who can",
                    q.who.as_deref().unwrap_or("someone")
                ));
            }
            if let Some(why) = differs(q, &a.action, &a.resource) {
                return Judgment::Wrong(why);
            }
            match step
                .expect
                .as_ref()
                .map(|e| agrees(org, q, e, Answer::WhoCan(a)))
            {
                Some(Err(why)) => Judgment::Wrong(format!(
                    "that is the question, but {why}; ask it with {}",
                    context_words(q)
                )),
                _ => Judgment::Right,
            }
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
        _ => Judgment::Ignored,
    }
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
    let want = q
        .who
        .as_deref()
        .and_then(|w| crate::analysis::subject(org, w).ok())
        .map(|s| subject_arn(org, s));
    if want.as_deref() != Some(a.principal.as_str()) {
        return Some(format!(
            "you asked about {}; this step is about {}",
            short(&a.principal),
            q.who.as_deref().unwrap_or("?")
        ));
    }
    differs(q, &a.action, &a.resource)
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
    let place = |e: Entity| -> Option<String> {
        let a = org.account_of(e)?;
        Some(match org.ancestors(a).last() {
            Some(&ou) => format!(
                "account {} under OU {}",
                org.account(a).name,
                org.ou(ou).name
            ),
            None => format!("account {}", org.account(a).name),
        })
    };
    let got_at = attached(got);
    let want_at = attached(want);
    if !got_at.is_empty() && !want_at.is_empty() && got_at != want_at {
        return format!(
            "{} is attached to {}, but the one this step asks for is attached to {}",
            name(got),
            got_at.join(", "),
            want_at.join(", ")
        );
    }
    match (place(got), place(want)) {
        (Some(g), Some(w)) if g != w => format!(
            "{} is in {g}; the {} this step asks for is in {w}",
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
pub fn judge_changed(changed: &Org, q: &Question, expect: &super::format::Expect) -> Judgment {
    match q.kind {
        QuestionKind::Can => match answer_can(changed, q) {
            Ok(a) => match agrees(changed, q, expect, Answer::Can(&a)) {
                Ok(()) => Judgment::Right,
                Err(why) => Judgment::Wrong(format!("after your change, {why}")),
            },
            Err(e) => Judgment::Wrong(format!("after your change the question fails: {e}")),
        },
        QuestionKind::WhoCan => match answer_who_can(changed, q) {
            Ok(a) => match agrees(changed, q, expect, Answer::WhoCan(&a)) {
                Ok(()) => Judgment::Right,
                Err(why) => Judgment::Wrong(format!("after your change, {why}")),
            },
            Err(e) => Judgment::Wrong(format!("after your change the question fails: {e}")),
        },
    }
}

/// An engine answer to a lesson's question.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    Can(&'a CanAnswer),
    WhoCan(&'a WhoCanAnswer),
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
            for p in &e.excludes {
                if allowed(p) {
                    return Err(format!("{p} is among those who can {}", q.action));
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
