//! The lesson player: a pane beside the tree and the details that shows the current
//! step of a lesson, its hints, and after each move the judgment and the
//! explanation. It only feeds [`crate::learn::Player`] what the learner did (the node
//! selected, the question asked, the prediction made) and draws it: judging is the
//! learn module's, deciding is the engine's.

pub mod practice;
pub mod view;

use crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Focus, Popup};
use super::commands::{Action, Context};
use super::nodes::Node;
use super::query::form::{Form, Query};
use crate::analysis::CanAnswer;
use crate::engine::Decision;
use crate::learn::check::{Event, Judgment};
use crate::learn::player::Phase;
use crate::learn::{LayerKind, Lesson, Player, Progress, Step, StepKind};
use crate::org::Org;
use crate::scenario::Scenario;
use practice::{PracticePane, PracticePhase};

/// Practice, and what lessons ask of the runtime.
#[derive(Debug, Clone, Default)]
pub struct Learning {
    /// Practice questions in the lesson pane's place.
    pub practice: Option<PracticePane>,
    /// Which lesson organization the app holds ([`Lesson::org_key`]), when the
    /// runtime knows it.
    pub org_key: Option<String>,
    /// A lesson to open on its own organization: the app quits and the runtime
    /// starts it again on that organization (the app borrows its org for its life).
    pub open: Option<Lesson>,
}

/// The built-in acme organization's id: lessons written for `acme` open on it.
const ACME_ORG_ID: &str = "o-acme0example";

/// A lesson being played in the app.
#[derive(Debug, Clone)]
pub struct LessonPane {
    pub player: Player,
    /// The pane has the keyboard.
    pub focused: bool,
    pub scroll: usize,
    /// The last move's judgment, for the pane: right, or wrong with why.
    pub last: Option<Judgment>,
    /// Progress could not be saved: why (shown once in the status line).
    pub save_error: Option<String>,
    /// Progress is kept (off in tests that must not write).
    pub keep_progress: bool,
    /// The step's question was answered on the organization as a what-if scenario
    /// changes it: the answer before the changes, shown beside the engine's.
    pub before: Option<String>,
}

impl LessonPane {
    pub fn new(player: Player, keep_progress: bool) -> LessonPane {
        LessonPane {
            player,
            // The lesson starts with its first step in front of the learner.
            focused: true,
            scroll: 0,
            last: None,
            save_error: None,
            keep_progress,
            before: None,
        }
    }

    /// The app's what-if scenario changed: `before` is the organization as loaded,
    /// `after` as `scenario` changes it. A step asking for a change is judged on
    /// `after` (any change that gives the stated answer counts); other steps ignore
    /// it, and so does an empty scenario (every change undone).
    pub fn scenario_changed(&mut self, before: &Org, after: &Org, scenario: &Scenario) -> Judgment {
        if scenario.changes.is_empty() {
            return Judgment::Ignored;
        }
        let j = self.player.on(before, Event::Changed(after));
        match &j {
            Judgment::Ignored => return j,
            Judgment::Right => self.focused = true,
            Judgment::Wrong(_) => {}
        }
        self.scroll = 0;
        self.last = Some(j.clone());
        j
    }
}

impl App<'_> {
    /// Opens a lesson in the pane (the app's org must be the lesson's).
    pub fn start_lesson(&mut self, player: Player, keep_progress: bool) {
        self.learn.practice = None;
        self.lesson = Some(LessonPane::new(player, keep_progress));
        self.relayout();
        self.lesson_intro_status();
    }

    fn lesson_intro_status(&mut self) {
        if let Some(p) = &self.lesson {
            let l = &p.player.lesson.file;
            let text = format!(
                "lesson: {} ({} steps, about {} min) · L lesson pane · h hint",
                l.title,
                l.steps.len(),
                l.minutes
            );
            self.say(text);
        }
    }

    /// Opens practice in the lesson pane's place: `count` questions drawn from the
    /// app's organization with `seed`.
    pub fn start_practice(&mut self, count: usize, seed: u64, keep_progress: bool) {
        let Some(p) = PracticePane::new(self.org(), count, seed, keep_progress) else {
            self.warn("no practice questions: the organization has no principals or no policies naming actions");
            return;
        };
        self.lesson = None;
        self.lesson_list = false;
        let n = p.questions.len();
        self.learn.practice = Some(p);
        self.relayout();
        self.say(format!(
            "practice: {n} questions · a i e predict · Esc explores the tree · L back"
        ));
    }

    /// Whether the lesson pane shows (a lesson, the list of lessons, or practice).
    pub fn lesson_pane_shown(&self) -> bool {
        self.lesson.is_some() || self.lesson_list || self.learn.practice.is_some()
    }

    /// Whether the pane waits for a prediction (the hint bar shows a, i, e).
    pub fn predicting(&self) -> bool {
        let lesson = self.lesson.as_ref().is_some_and(|p| {
            p.player.phase == Phase::Doing
                && p.player.current().map(Step::kind) == Some(StepKind::Predict)
        });
        let practice = self
            .learn
            .practice
            .as_ref()
            .is_some_and(|p| p.phase == PracticePhase::Asking);
        lesson || practice
    }

    /// Whether the lesson pane has the keyboard.
    pub fn lesson_focused(&self) -> bool {
        self.popup == Popup::None
            && (self.lesson.as_ref().is_some_and(|l| l.focused)
                || self.learn.practice.as_ref().is_some_and(|p| p.focused))
    }

    /// The app's what-if scenario changed (the org as loaded is the one before):
    /// the lesson's change step is judged on `after`, progress kept, the learner told.
    pub fn lesson_scenario_changed(&mut self, after: &Org, scenario: &Scenario) {
        let org = self.loaded();
        let Some(pane) = &mut self.lesson else { return };
        let j = pane.scenario_changed(org, after, scenario);
        self.lesson_judged(j);
    }

    /// A node was selected: a move for a select step.
    pub(super) fn lesson_selected(&mut self, node: Node) {
        let Some(entity) = node.entity() else { return };
        self.lesson_event(Event::Selected(entity));
    }

    /// A question of the query pane was answered: the engine's answer, asked again
    /// here as `can` or who-can from the form as it was asked, is the move.
    pub(crate) fn lesson_answered(&mut self, asked: &Form) {
        // Only a step that asks a question takes one: the others need no answer.
        let asking = self.lesson.as_ref().is_some_and(|p| {
            p.player.phase == Phase::Doing
                && p.player.current().map(Step::kind) == Some(StepKind::Ask)
        });
        if !asking {
            return;
        }
        // Judged on the org the learner sees: the scenario's, while one is active.
        let shown = self.shown();
        let org = shown.get();
        match asked.query() {
            Ok(Query::Can { principal, ask, .. }) => {
                if let Ok(a) = crate::analysis::can(org, &principal, &ask) {
                    self.lesson_event(Event::AskedCan(&a));
                }
            }
            Ok(Query::WhoCan { ask }) => {
                if let Ok(a) = crate::analysis::who_can(org, &ask) {
                    self.lesson_event(Event::AskedWhoCan(&a));
                }
            }
            Ok(Query::WhatCan {
                principal,
                filter,
                context,
                ..
            }) => {
                if let Ok(a) = crate::analysis::what_can(org, &principal, &filter, &context) {
                    self.lesson_event(Event::AskedWhatCan(&a, &filter));
                }
            }
            Ok(Query::Paths {
                from: Some(from),
                to,
                context,
            }) => {
                if let Ok(a) = crate::analysis::paths(org, &from, to.as_deref(), &context) {
                    self.lesson_event(Event::AskedPaths(&a));
                }
            }
            // Who reaches a role: the other way round from what a paths step asks.
            Ok(Query::Paths { from: None, .. }) => {
                let step = self.lesson.as_ref().and_then(|p| p.player.current());
                if let Some(q) = step.and_then(|s| s.ask.as_ref())
                    && q.kind == crate::learn::format::QuestionKind::Paths
                {
                    let who = q.who.clone().unwrap_or_default();
                    self.lesson_judged(Judgment::Wrong(format!(
                        "you asked who reaches a role; this step asks which roles {who} can reach (p on {who})"
                    )));
                }
            }
            _ => {}
        }
    }

    /// A move, judged on the org the learner sees (the scenario's, while one is
    /// active: the entity and the answer in `event` are that org's).
    fn lesson_event(&mut self, event: Event<'_>) {
        let shown = self.shown();
        let org = shown.get();
        let asked = matches!(
            event,
            Event::AskedCan(_)
                | Event::AskedWhoCan(_)
                | Event::AskedWhatCan(..)
                | Event::AskedPaths(_)
        );
        let Some(pane) = &mut self.lesson else { return };
        let j = match pane.player.on(org, event) {
            // The answer seen is the scenario's: say so, and how to see the lesson's.
            Judgment::Wrong(why) if asked && self.what_if.active() => Judgment::Wrong(format!(
                "{why} (asked of the organization as your what-if changes make it: u undoes them)"
            )),
            j => j,
        };
        self.lesson_judged(j);
    }

    /// A prediction judged: with a what-if scenario active, the answer before the
    /// changes is kept to show beside the engine's.
    fn lesson_predicted(&mut self, j: Judgment) {
        if j != Judgment::Ignored {
            let before = self.before_changes(|org| {
                let p = &self.lesson.as_ref()?.player;
                let q = p.current()?.predict.as_ref()?;
                let after = crate::learn::check::answer_can(self.org(), q).ok()?;
                Some((crate::learn::check::answer_can(org, q), after))
            });
            if let Some(pane) = &mut self.lesson {
                pane.before = before;
            }
        }
        self.lesson_judged(j);
    }

    /// What a question answered on the changed org answered before the changes:
    /// `ask` gives its answer on the org passed (the loaded one) and on the org
    /// shown. None without a scenario.
    fn before_changes(
        &self,
        ask: impl FnOnce(&Org) -> Option<(Result<CanAnswer, String>, CanAnswer)>,
    ) -> Option<String> {
        if !self.what_if.active() {
            return None;
        }
        let (before, after) = ask(self.loaded())?;
        Some(match before {
            Ok(b)
                if b.decision == after.decision
                    && b.explanation.blocked_by == after.explanation.blocked_by =>
            {
                "the same before your what-if changes.".to_string()
            }
            Ok(b) => format!("before your what-if changes: {}", b.summary),
            Err(e) => format!("before your what-if changes it cannot be asked: {e}"),
        })
    }

    fn lesson_judged(&mut self, j: Judgment) {
        let Some(pane) = &mut self.lesson else { return };
        match &j {
            Judgment::Ignored => return,
            Judgment::Right => {
                pane.focused = true;
                pane.scroll = 0;
            }
            Judgment::Wrong(_) => pane.scroll = 0,
        }
        pane.last = Some(j.clone());
        self.save_lesson();
        match j {
            Judgment::Right => self.say("right: the step is done (Enter goes on)"),
            Judgment::Wrong(why) => self.warn(format!("not quite: {why}")),
            Judgment::Ignored => {}
        }
    }

    /// Saves where the lesson is; a failure is said once and the lesson goes on.
    fn save_lesson(&mut self) {
        let Some(pane) = &mut self.lesson else { return };
        if !pane.keep_progress {
            return;
        }
        let mut progress = Progress::load();
        *progress.lesson_mut(pane.player.lesson.id()) = pane.player.progress();
        if let Err(e) = progress.save()
            && pane.save_error.is_none()
        {
            let msg = format!("progress not saved: {e}");
            pane.save_error = Some(msg.clone());
            self.warn(msg);
        }
    }

    /// `L`: the lesson pane takes the keyboard, or gives it back; with no lesson,
    /// the list of lessons closes.
    pub(crate) fn toggle_lesson_focus(&mut self) {
        if let Some(p) = &mut self.learn.practice {
            p.focused = !p.focused;
            if !p.focused {
                self.set_focus(Focus::Tree);
            }
        } else if let Some(p) = &mut self.lesson {
            p.focused = !p.focused;
            if !p.focused {
                self.set_focus(Focus::Tree);
            }
        } else if self.lesson_list {
            self.lesson_list = false;
            self.relayout();
        } else {
            self.say("no lesson is open: :learn lists them");
        }
    }

    /// `:learn`: lists the lessons in the lesson pane's place; `:learn ID` opens one
    /// when this is the organization it is written for.
    pub(crate) fn palette_learn(&mut self, arg: Option<&str>) {
        let lessons = crate::learn::builtin();
        let Some(id) = arg else {
            self.learn.practice = None;
            self.lesson_list = true;
            self.relayout();
            self.say(":learn ID opens a lesson; L closes the list");
            return;
        };
        let lesson = match crate::learn::find(&lessons, id) {
            Ok(l) => l.clone(),
            Err(e) => {
                self.warn(e);
                return;
            }
        };
        if !self.holds_org_of(&lesson) {
            // Another organization: the runtime starts the app again on it.
            self.say(format!(
                "opening the lesson {} on its organization",
                lesson.id()
            ));
            self.learn.open = Some(lesson);
            self.quit = true;
            return;
        }
        let keep = self.lesson.as_ref().is_none_or(|p| p.keep_progress);
        let progress = if keep {
            Progress::load().lesson(lesson.id())
        } else {
            Default::default()
        };
        self.lesson_list = false;
        self.start_lesson(Player::new(lesson, &progress), keep);
    }

    /// Whether the app's organization is the one `lesson` is written on.
    fn holds_org_of(&self, lesson: &Lesson) -> bool {
        match &self.learn.org_key {
            Some(k) => *k == lesson.org_key(),
            // Opened on a file the runtime did not name: acme is known by its id.
            None => {
                lesson.file.org == "acme" && self.org().info().id.as_deref() == Some(ACME_ORG_ID)
            }
        }
    }

    /// `:practice [COUNT]`: practice questions drawn from this organization.
    pub(crate) fn palette_practice(&mut self, arg: Option<&str>) {
        let count = match arg.map(str::parse::<usize>) {
            None => 12,
            Some(Ok(n)) if n > 0 => n,
            Some(_) => {
                self.warn(":practice takes how many questions: :practice 20");
                return;
            }
        };
        let keep = self.lesson.as_ref().is_none_or(|p| p.keep_progress);
        self.start_practice(count, 1, keep);
    }

    /// Keys while practice has the keyboard.
    fn practice_key(&mut self, ev: KeyEvent) {
        // Practice questions are drawn from, and answered on, the org shown: the
        // changed one while a what-if scenario is active, as every question.
        let shown = self.shown();
        let org = shown.get();
        let Some(p) = &mut self.learn.practice else {
            return;
        };
        if matches!(p.phase, PracticePhase::PickLayer(_))
            && let KeyCode::Char(c @ '1'..='7') = ev.code
        {
            let j = p.predict_layer(org, LayerKind::ALL[c as usize - '1' as usize]);
            self.practice_judged(j);
            return;
        }
        let Some(action) = self.keymap.action(Context::Lesson, &ev) else {
            return;
        };
        let Some(p) = &mut self.learn.practice else {
            return;
        };
        match action {
            Action::PredictAllowed | Action::PredictImplicit | Action::PredictExplicit => {
                let d = match action {
                    Action::PredictAllowed => Decision::Allowed,
                    Action::PredictImplicit => Decision::ImplicitlyDenied,
                    _ => Decision::ExplicitlyDenied,
                };
                let j = p.predict(org, d);
                self.practice_judged(j);
            }
            Action::Accept => {
                if p.next_question() {
                    if p.phase == PracticePhase::Finished {
                        let s = p.score;
                        self.say(format!(
                            "practice done: {} right of {} · R for new questions",
                            s.right,
                            s.right + s.wrong
                        ));
                    }
                } else if p.phase == PracticePhase::Asking {
                    self.say("predict first: a allowed, i implicitly denied, e explicitly denied");
                }
            }
            Action::ResetLesson => {
                p.restart(org);
                self.say("new practice questions");
            }
            Action::Hint => self.say("practice has no hints: predict, and the engine shows why"),
            Action::Up => p.scroll = p.scroll.saturating_sub(1),
            Action::Down => p.scroll += 1,
            Action::Cancel | Action::Lesson | Action::NextFocus => {
                p.focused = false;
                self.set_focus(Focus::Tree);
            }
            Action::Help => {
                self.popup = Popup::Help(Context::Lesson);
                self.help_scroll = 0;
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    fn practice_judged(&mut self, j: Option<Judgment>) {
        if j.is_some() {
            let before = self.before_changes(|org| {
                let p = self.learn.practice.as_ref()?;
                Some((p.current()?.answer_on(org), p.current()?.answer.clone()))
            });
            if let Some(p) = &mut self.learn.practice {
                p.before = before;
            }
        }
        match j {
            Some(Judgment::Right) => self.say("right (Enter: the next question)"),
            Some(Judgment::Wrong(why)) => self.warn(format!("not quite: {why}")),
            _ => {}
        }
    }

    /// Keys while the lesson pane has the keyboard.
    pub(super) fn lesson_key(&mut self, ev: KeyEvent) {
        if self.learn.practice.is_some() {
            return self.practice_key(ev);
        }
        // Predictions are judged on the org the learner sees, as questions are: the
        // changed one while a what-if scenario is active (the pane says so, and shows
        // the answer before the changes beside the engine's).
        let shown = self.shown();
        let org = shown.get();
        // A denial's layer: 1 to 7, in the order the pane lists them.
        if let Some(pane) = &mut self.lesson
            && matches!(pane.player.phase, Phase::PickLayer(_))
            && let KeyCode::Char(c @ '1'..='7') = ev.code
        {
            let layer = LayerKind::ALL[c as usize - '1' as usize];
            let j = pane.player.predict_layer(org, layer);
            self.lesson_predicted(j);
            return;
        }
        let Some(action) = self.keymap.action(Context::Lesson, &ev) else {
            return;
        };
        let Some(pane) = &mut self.lesson else { return };
        match action {
            Action::Hint if !pane.player.hint() => self.say("no more hints for this step"),
            Action::Accept => {
                let before = pane.player.step;
                pane.player.next(org);
                if pane.player.step != before {
                    pane.last = None;
                    pane.before = None;
                    pane.scroll = 0;
                    self.save_lesson();
                    if self
                        .lesson
                        .as_ref()
                        .is_some_and(|p| p.player.phase == Phase::Finished)
                    {
                        self.say("lesson finished: q quits, :learn lists the others");
                    }
                } else if pane.player.phase == Phase::Doing {
                    if pane.player.current().map(Step::kind) == Some(StepKind::Change) {
                        let id = pane.player.lesson.id().to_string();
                        self.say(format!(
                            "make the change: Esc, select, m changes, e edits, u undoes (or `orgscope learn {id} --check --scenario FILE`; h for hints)"
                        ));
                    } else {
                        self.say(
                            "do the step in the app (Esc gives the tree the keyboard; h for a hint)",
                        );
                    }
                }
            }
            Action::PredictAllowed | Action::PredictImplicit | Action::PredictExplicit => {
                let d = match action {
                    Action::PredictAllowed => Decision::Allowed,
                    Action::PredictImplicit => Decision::ImplicitlyDenied,
                    _ => Decision::ExplicitlyDenied,
                };
                let j = pane.player.predict(org, d);
                self.lesson_predicted(j);
            }
            Action::ResetLesson => {
                pane.player.reset();
                pane.last = None;
                pane.before = None;
                pane.scroll = 0;
                self.save_lesson();
                self.say("lesson reset: back to its first step");
            }
            Action::Up => pane.scroll = pane.scroll.saturating_sub(1),
            Action::Down => pane.scroll += 1,
            Action::Cancel | Action::Lesson | Action::NextFocus => {
                pane.focused = false;
                self.set_focus(Focus::Tree);
            }
            Action::Help => {
                self.popup = Popup::Help(Context::Lesson);
                self.help_scroll = 0;
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
    }
}
