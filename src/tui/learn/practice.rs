//! Practice in the lesson pane's place: questions drawn from the organization shown
//! ([`crate::learn::practice`]), one at a time, each answered on the organization
//! shown when it is predicted (the changed one while a what-if scenario is active). The learner predicts the decision
//! (and, for a denial, the deciding layer); the engine's answer follows with the
//! statement that decided it, and a score is kept.

use crate::engine::Decision;
use crate::learn::check::{self, Judgment};
use crate::learn::practice::{PracticeQuestion, questions};
use crate::learn::progress::Score;
use crate::learn::{LayerKind, Progress};
use crate::org::Org;

/// Where the learner is with the current question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticePhase {
    /// Waiting for a prediction.
    Asking,
    /// A denial predicted: which layer?
    PickLayer(Decision),
    /// Predicted: the engine's answer shows; Enter goes on.
    Answered(Judgment),
    /// Every question answered.
    Finished,
}

#[derive(Debug, Clone)]
pub struct PracticePane {
    pub questions: Vec<PracticeQuestion>,
    pub at: usize,
    pub phase: PracticePhase,
    /// This session's score.
    pub score: Score,
    pub count: usize,
    pub seed: u64,
    pub focused: bool,
    pub scroll: usize,
    /// The score is added to the saved progress (off in tests that must not write).
    pub keep_progress: bool,
    /// The current question was answered on the organization as a what-if scenario
    /// changes it: the answer before the changes, shown beside the engine's.
    pub before: Option<String>,
}

impl PracticePane {
    /// A session of `count` questions drawn from `org` with `seed`; none when the org
    /// gives no question (no principals, or no policy naming an action).
    pub fn new(org: &Org, count: usize, seed: u64, keep_progress: bool) -> Option<PracticePane> {
        let qs = questions(org, count.max(1), seed);
        (!qs.is_empty()).then(|| PracticePane {
            questions: qs,
            at: 0,
            phase: PracticePhase::Asking,
            score: Score::default(),
            count,
            seed,
            focused: true,
            scroll: 0,
            keep_progress,
            before: None,
        })
    }

    pub fn current(&self) -> Option<&PracticeQuestion> {
        self.questions.get(self.at)
    }

    /// A predicted decision; a denial then waits for its layer.
    pub fn predict(&mut self, org: &Org, d: Decision) -> Option<Judgment> {
        if self.phase != PracticePhase::Asking {
            return None;
        }
        if d == Decision::Allowed {
            self.judge(org, d, None)
        } else {
            self.phase = PracticePhase::PickLayer(d);
            None
        }
    }

    /// The layer of a predicted denial.
    pub fn predict_layer(&mut self, org: &Org, layer: LayerKind) -> Option<Judgment> {
        let PracticePhase::PickLayer(d) = self.phase else {
            return None;
        };
        self.judge(org, d, Some(layer))
    }

    /// Judged on the engine's answer on `org` now: the org shown may have changed
    /// since the question was drawn (a what-if change made, or undone).
    fn judge(&mut self, org: &Org, d: Decision, layer: Option<LayerKind>) -> Option<Judgment> {
        let q = self.questions.get_mut(self.at)?;
        let j = match q.answer_on(org) {
            Ok(a) => {
                q.answer = a;
                q.judge(org, d, layer)
            }
            Err(e) => Judgment::Wrong(format!("the question cannot be asked: {e}")),
        };
        match j {
            Judgment::Right => self.score.right += 1,
            Judgment::Wrong(_) => self.score.wrong += 1,
            Judgment::Ignored => return None,
        }
        self.phase = PracticePhase::Answered(j.clone());
        if self.keep_progress {
            let mut p = Progress::load();
            match j {
                Judgment::Right => p.practice.right += 1,
                _ => p.practice.wrong += 1,
            }
            // A score that cannot be saved is no reason to stop practising.
            let _ = p.save();
        }
        Some(j)
    }

    /// Enter: the next question, once this one is answered.
    pub fn next_question(&mut self) -> bool {
        if !matches!(self.phase, PracticePhase::Answered(_)) {
            return false;
        }
        self.at += 1;
        self.scroll = 0;
        self.before = None;
        self.phase = if self.at >= self.questions.len() {
            PracticePhase::Finished
        } else {
            PracticePhase::Asking
        };
        true
    }

    /// `R`: new questions (the next seed), the score from zero.
    pub fn restart(&mut self, org: &Org) {
        if let Some(p) = PracticePane::new(org, self.count, self.seed + 1, self.keep_progress) {
            *self = p;
        }
    }

    /// The engine's answer to the current question and the statements that decided
    /// it, once predicted.
    pub fn revealed(&self) -> Option<(String, Vec<String>)> {
        if !matches!(self.phase, PracticePhase::Answered(_)) {
            return None;
        }
        let q = self.current()?;
        let deciding = check::deciding_statements(&q.answer.explanation)
            .take(3)
            .map(|s| format!("{} / {} ({})", s.policy, s.statement, s.effect))
            .collect();
        Some((q.answer.summary.clone(), deciding))
    }
}
