//! A lesson being played: which step, the hints shown, what the learner predicted,
//! the feedback to a wrong move and the explanation of a step done. The TUI feeds it
//! [`Event`]s and draws it; it judges nothing itself.

use crate::engine::Decision;
use crate::org::Org;

use super::check::{self, Event, Judgment};
use super::format::{LayerKind, Step, StepKind};
use super::load::Lesson;
use super::progress::{LessonProgress, Score};

/// Where the learner is in the current step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The step waits for its move.
    Doing,
    /// A prediction of a denial waits for its layer.
    PickLayer(Decision),
    /// The step is done: its explanation shows; Enter goes on.
    Done {
        /// A prediction that was wrong (the step is still over: the answer is shown).
        missed: bool,
    },
    /// Every step is done.
    Finished,
}

#[derive(Debug, Clone)]
pub struct Player {
    pub lesson: Lesson,
    pub step: usize,
    pub phase: Phase,
    /// How many hints of the step show.
    pub hints: usize,
    /// Why the last move was wrong.
    pub feedback: Option<String>,
    /// The engine's sentence on the step's question, once done.
    pub answer: Option<String>,
    pub predictions: Score,
}

impl Player {
    /// Starts `lesson`, resuming where `progress` says.
    pub fn new(lesson: Lesson, progress: &LessonProgress) -> Player {
        let last = lesson.steps().len();
        let step = progress.step.min(last);
        let mut p = Player {
            lesson,
            step,
            phase: Phase::Doing,
            hints: 0,
            feedback: None,
            answer: None,
            predictions: progress.predictions,
        };
        if step >= last {
            p.phase = Phase::Finished;
        }
        p
    }

    pub fn current(&self) -> Option<&Step> {
        self.lesson.steps().get(self.step)
    }

    /// Shows one more hint; false when there is none left.
    pub fn hint(&mut self) -> bool {
        let n = self.current().map_or(0, |s| hints(s).len());
        if self.hints < n {
            self.hints += 1;
            true
        } else {
            false
        }
    }

    /// The hints to show now.
    pub fn shown_hints(&self) -> Vec<String> {
        self.current().map_or(Vec::new(), |s| {
            let mut all = hints(s);
            all.truncate(self.hints);
            all
        })
    }

    /// Takes a move; returns its judgment (ignored while a step's explanation shows).
    pub fn on(&mut self, org: &Org, event: Event<'_>) -> Judgment {
        if self.phase != Phase::Doing {
            return Judgment::Ignored;
        }
        let Some(step) = self.current().cloned() else {
            return Judgment::Ignored;
        };
        let j = check::judge(org, &step, event);
        // A change's answer is the changed organization's.
        let org = match event {
            Event::Changed(after) => after,
            _ => org,
        };
        match &j {
            Judgment::Right => {
                if step.kind() == StepKind::Predict {
                    self.predictions.right += 1;
                }
                self.feedback = None;
                self.done(org, &step, false);
            }
            Judgment::Wrong(why) => {
                self.feedback = Some(why.clone());
                if step.kind() == StepKind::Predict {
                    // A prediction is made once: the answer is now shown.
                    self.predictions.wrong += 1;
                    self.done(org, &step, true);
                }
            }
            Judgment::Ignored => {}
        }
        j
    }

    /// A predicted decision: a denial then waits for its layer.
    pub fn predict(&mut self, org: &Org, d: Decision) -> Judgment {
        if self.current().map(Step::kind) != Some(StepKind::Predict) || self.phase != Phase::Doing {
            return Judgment::Ignored;
        }
        if d == Decision::Allowed {
            self.on(org, Event::Predicted(d, None))
        } else {
            self.phase = Phase::PickLayer(d);
            Judgment::Ignored
        }
    }

    /// The layer of a predicted denial.
    pub fn predict_layer(&mut self, org: &Org, layer: LayerKind) -> Judgment {
        let Phase::PickLayer(d) = self.phase else {
            return Judgment::Ignored;
        };
        self.phase = Phase::Doing;
        self.on(org, Event::Predicted(d, Some(layer)))
    }

    fn done(&mut self, org: &Org, step: &Step, missed: bool) {
        self.answer = step.question().and_then(|q| match q.kind {
            super::format::QuestionKind::Can => check::answer_can(org, q).ok().map(|a| {
                let deciding: Vec<String> = check::deciding_statements(&a.explanation)
                    .take(3)
                    .map(|s| format!("{} / {} ({})", s.policy, s.statement, s.effect))
                    .collect();
                let mut text = a.summary.clone();
                if !deciding.is_empty() {
                    text.push_str(&format!(" Deciding: {}.", deciding.join("; ")));
                }
                // Whose configuration it is, in the shared responsibility model's terms.
                if let Some(l) = check::deciding_layer(&a.explanation) {
                    let k = LayerKind::of(l);
                    // "the identity policies are", "an SCP is".
                    let verb = if k.words().ends_with('s') {
                        "are"
                    } else {
                        "is"
                    };
                    text.push_str(&format!(
                        " {} {verb} configured by {}.",
                        capitalized(k.words()),
                        k.owner()
                    ));
                }
                text
            }),
            super::format::QuestionKind::WhoCan => None,
            super::format::QuestionKind::WhatCan | super::format::QuestionKind::Paths => {
                check::answer(org, q).ok().map(|a| a.summary(org))
            }
        });
        self.phase = Phase::Done { missed };
    }

    /// Goes on to the next step (from a step done, or past a step to read).
    pub fn next(&mut self, org: &Org) {
        match self.phase {
            Phase::Doing if self.current().map(Step::kind) == Some(StepKind::Read) => {
                self.on(org, Event::Continued);
                self.advance();
            }
            Phase::Done { .. } => self.advance(),
            _ => {}
        }
    }

    fn advance(&mut self) {
        self.step += 1;
        self.hints = 0;
        self.feedback = None;
        self.answer = None;
        self.phase = if self.step >= self.lesson.steps().len() {
            Phase::Finished
        } else {
            Phase::Doing
        };
    }

    /// Back to the first step.
    pub fn reset(&mut self) {
        self.step = 0;
        self.hints = 0;
        self.feedback = None;
        self.answer = None;
        self.predictions = Score::default();
        self.phase = Phase::Doing;
    }

    /// What to save: a step done resumes at the next one.
    pub fn progress(&self) -> LessonProgress {
        let step = match self.phase {
            Phase::Done { .. } => self.step + 1,
            _ => self.step,
        };
        LessonProgress {
            step,
            done: step >= self.lesson.steps().len(),
            predictions: self.predictions,
        }
    }
}

/// A step's hints: the lesson's, then for a change step its own solution.
fn hints(step: &Step) -> Vec<String> {
    let mut all = step.hints.clone();
    if step.kind() == StepKind::Change
        && let Ok(s) = check::solution(step)
    {
        let changes: Vec<String> = s.changes.iter().map(ToString::to_string).collect();
        all.push(format!("One change that does it: {}.", changes.join("; ")));
    }
    all
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
