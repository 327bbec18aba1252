//! The lesson player: a pane beside the tree and the details that shows the current
//! step of a lesson, its hints, and after each move the judgment and the
//! explanation. It only feeds [`crate::learn::Player`] what the learner did (the node
//! selected, the question asked, the prediction made) and draws it: judging is the
//! learn module's, deciding is the engine's.

pub mod view;

use crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Focus, Popup};
use super::commands::{Action, Context};
use super::nodes::Node;
use super::query::form::{Form, Query};
use crate::engine::Decision;
use crate::learn::check::{Event, Judgment};
use crate::learn::player::Phase;
use crate::learn::{LayerKind, Player, Progress};

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
        }
    }
}

impl App<'_> {
    /// Opens a lesson in the pane (the app's org must be the lesson's).
    pub fn start_lesson(&mut self, player: Player, keep_progress: bool) {
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

    /// Whether the lesson pane has the keyboard.
    pub fn lesson_focused(&self) -> bool {
        self.popup == Popup::None && self.lesson.as_ref().is_some_and(|l| l.focused)
    }

    /// A node was selected: a move for a select step.
    pub(super) fn lesson_selected(&mut self, node: Node) {
        let Some(entity) = node.entity() else { return };
        self.lesson_event(Event::Selected(entity));
    }

    /// A question of the query pane was answered: the engine's answer, asked again
    /// here as `can` or who-can from the form as it was asked, is the move.
    pub(crate) fn lesson_answered(&mut self, asked: &Form) {
        if self.lesson.is_none() {
            return;
        }
        let org = self.org();
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
            _ => {}
        }
    }

    fn lesson_event(&mut self, event: Event<'_>) {
        let org = self.org();
        let Some(pane) = &mut self.lesson else { return };
        let j = pane.player.on(org, event);
        self.lesson_judged(j);
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
        if let Some(p) = &mut self.lesson {
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
        let acme = self.org().info().id.as_deref() == Some(ACME_ORG_ID);
        if lesson.file.org != "acme" || !acme {
            self.warn(format!(
                "the lesson {} is written for the organization {}: run `orgscope learn {}`",
                lesson.id(),
                lesson.file.org,
                lesson.id()
            ));
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

    /// Keys while the lesson pane has the keyboard.
    pub(super) fn lesson_key(&mut self, ev: KeyEvent) {
        let org = self.org();
        // A denial's layer: 1 to 7, in the order the pane lists them.
        if let Some(pane) = &mut self.lesson
            && matches!(pane.player.phase, Phase::PickLayer(_))
            && let KeyCode::Char(c @ '1'..='7') = ev.code
        {
            let layer = LayerKind::ALL[c as usize - '1' as usize];
            let j = pane.player.predict_layer(org, layer);
            self.lesson_judged(j);
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
                    self.say(
                        "do the step in the app (Esc gives the tree the keyboard; h for a hint)",
                    );
                }
            }
            Action::PredictAllowed | Action::PredictImplicit | Action::PredictExplicit => {
                let d = match action {
                    Action::PredictAllowed => Decision::Allowed,
                    Action::PredictImplicit => Decision::ImplicitlyDenied,
                    _ => Decision::ExplicitlyDenied,
                };
                let j = pane.player.predict(org, d);
                self.lesson_judged(j);
            }
            Action::ResetLesson => {
                pane.player.reset();
                pane.last = None;
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
