//! The query pane in the app: opening it, the form's keys, running questions
//! (inline or on the query worker) and taking their answers (the answer's own keys
//! are in `answer.rs`).

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use crossterm::event::KeyEvent;

use super::popups::edit;
use super::{App, Asker, Effect, Popup};
use crate::tui::commands::{Action, Context};
use crate::tui::history::Visit;
use crate::tui::layout::QueryParts;
use crate::tui::query::answer::{Tone, spans};
use crate::tui::query::build::plural;
use crate::tui::query::form::QueryKind;
use crate::tui::query::{Answered, Outcome, PaneFocus, QueryJob, Running, build};

impl App<'_> {
    /// Opens the pane on a question. Without arguments the fields keep what they
    /// held and take the selection (a user or role as the principal, a resource as
    /// the resource); with the palette's arguments they start afresh from them, and
    /// the question runs at once when they fill it.
    pub(super) fn open_query(&mut self, kind: QueryKind, args: Option<&str>) -> Option<Visit> {
        self.cancel_query();
        self.popup = Popup::Query;
        self.query.stop_completing();
        let shown = self.shown();
        let org = shown.get();
        let node = self.selected();
        let form = &mut self.query.form;
        form.set_kind(kind);
        match args.map(str::trim).filter(|a| !a.is_empty()) {
            Some(args) => {
                for &f in kind.fields() {
                    form.set(f, "");
                }
                form.prefill(org, node);
                match form.fill_args(args) {
                    Ok(()) if form.first_missing().is_none() => {
                        self.query.focus = PaneFocus::Form;
                        return self.run_query();
                    }
                    Ok(()) => {}
                    // The form shows what was read; the status line what was not.
                    Err(e) => {
                        let first = form.first_missing().unwrap_or(form.fields()[0]);
                        form.focus(first);
                        self.query.focus = PaneFocus::Form;
                        self.warn(e);
                        self.fit_answer();
                        return None;
                    }
                }
            }
            None => form.prefill(org, node),
        }
        let first = form.first_missing().unwrap_or(form.fields()[0]);
        form.focus(first);
        self.query.focus = PaneFocus::Form;
        self.fit_answer();
        None
    }

    /// Shows the pane as it was left.
    pub(super) fn reopen_query(&mut self) {
        self.popup = Popup::Query;
        if self.shown_answer().is_none() && self.query.focus != PaneFocus::Form {
            self.query.focus = PaneFocus::Form;
        }
        self.fit_answer();
    }

    /// The answer, when it answers the question the form shows.
    pub fn shown_answer(&self) -> Option<&Answered> {
        self.query
            .answer
            .as_ref()
            .filter(|a| a.full.kind == self.query.form.kind)
    }

    /// Whether the form shows as one line: while the answer has the keys, it gets
    /// the room.
    pub fn form_folded(&self) -> bool {
        self.query.focus != PaneFocus::Form && self.query.running.is_none()
    }

    /// Where the pane's parts are, for what it shows now.
    pub fn query_parts(&self) -> QueryParts {
        let fields = if self.form_folded() {
            1
        } else {
            self.query.form.fields().len() as u16
        };
        let width = crate::tui::layout::inner(self.areas.query()).width;
        let (header, filter) = match self.shown_answer() {
            // The header as wrapped, and a blank line under it.
            Some(a) if !self.query.completing && self.query.running.is_none() => (
                crate::tui::view::answer::header_lines(&self.theme, a, width).len() as u16 + 1,
                !a.filter.is_empty() || self.query.focus == PaneFocus::Filter,
            ),
            _ => (0, false),
        };
        self.areas.query_parts(fields, header, filter)
    }

    /// Gives the answer's tree the height of its rows.
    pub(super) fn fit_answer(&mut self) {
        let rows = self.query_parts().rows.height as usize;
        if let Some(a) = self.query.answer.as_mut() {
            a.view.set_height(rows);
        }
    }

    pub(super) fn query_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
        let out = self.query_pane_key(ev);
        // A question asked from the what-if view goes back there when closed.
        if self.popup == Popup::None && self.what_if.back_to_view {
            self.what_if.back_to_view = false;
            if self.keymap.action(self.context_of_query(), &ev) == Some(Action::Cancel)
                || self.keymap.action(Context::Answer, &ev) == Some(Action::Cancel)
            {
                self.popup = Popup::WhatIf;
            }
        }
        out
    }

    /// The query pane's context, whatever has the keyboard now.
    fn context_of_query(&self) -> Context {
        match self.query.focus {
            crate::tui::query::PaneFocus::Form => Context::Query,
            crate::tui::query::PaneFocus::Answer => Context::Answer,
            crate::tui::query::PaneFocus::Filter => Context::AnswerFilter,
        }
    }

    fn query_pane_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
        if self.query.running.is_some() {
            match self.keymap.action(Context::QueryRunning, &ev) {
                Some(Action::Cancel) => self.cancel_query(),
                Some(Action::Quit) => self.quit = true,
                _ => {}
            }
            return (None, None);
        }
        let out = match self.query.focus {
            PaneFocus::Form => (None, self.form_key(ev)),
            PaneFocus::Answer => self.answer_key(ev),
            PaneFocus::Filter => {
                self.answer_filter_key(ev);
                (None, None)
            }
        };
        self.fit_answer();
        out
    }

    fn form_key(&mut self, ev: KeyEvent) -> Option<Visit> {
        let q = &mut self.query;
        match self.keymap.action(Context::Query, &ev) {
            Some(Action::Accept) => match q.selected.filter(|_| q.completing) {
                Some(i) => self.take_candidate(i),
                None => return self.run_query(),
            },
            Some(Action::NextFocus) => {
                q.stop_completing();
                if !q.form.next_field(true) {
                    if self.shown_answer().is_some() {
                        self.query.focus = PaneFocus::Answer;
                    } else {
                        self.query.form.field = 0;
                    }
                }
            }
            Some(Action::PrevFocus) => {
                q.stop_completing();
                if !q.form.next_field(false) {
                    if self.shown_answer().is_some() {
                        self.query.focus = PaneFocus::Answer;
                    } else {
                        self.query.form.field = self.query.form.fields().len() - 1;
                    }
                }
            }
            Some(Action::NextItem) if !q.completing => {
                q.completing = true;
                q.want_first = true;
                self.refresh_candidates();
            }
            Some(Action::NextItem) => q.select_candidate(true),
            Some(Action::PrevItem) => q.select_candidate(false),
            Some(Action::Cancel) if q.completing => q.stop_completing(),
            Some(Action::Cancel) => self.popup = Popup::None,
            _ => {
                let field = q.form.focused();
                if edit(q.form.value_mut(field), &ev) {
                    q.completing = true;
                    q.selected = None;
                    self.refresh_candidates();
                }
            }
        }
        None
    }

    /// Runs the form's question: inline, or on the query worker.
    pub(super) fn run_query(&mut self) -> Option<Visit> {
        self.query.stop_completing();
        let query = match self.query.form.query() {
            Ok(q) => q,
            Err(e) => {
                if let Some(f) = self.query.form.first_missing() {
                    self.query.form.focus(f);
                }
                self.query.focus = PaneFocus::Form;
                self.warn(e);
                return None;
            }
        };
        if self.what_if.active() && self.what_if.changed.is_none() {
            self.warn(
                "the scenario is still being laid over the organization: ask again in a moment",
            );
            return None;
        }
        let changed = self
            .what_if
            .changed
            .clone()
            .filter(|_| self.what_if.active());
        let id = self.query.next_id();
        // The loaded org answers, or gives the answer before the scenario's.
        let org = self.loaded();
        self.query.error = None;
        self.query.running = Some(Running {
            id,
            asked: self.query.form.clone(),
            kind: query.kind(),
            started: Instant::now(),
            elapsed: Default::default(),
            principals: org.users().len() + org.roles().len(),
            done: None,
        });
        match &self.asker {
            Asker::Inline => {
                let outcome = match &changed {
                    Some(after) => {
                        build::run_what_if(org, after, &query, crate::analysis::Watch::NONE)
                    }
                    None => build::run(org, &query),
                };
                self.answered(id, Arc::new(outcome));
            }
            Asker::Worker { jobs, awaited } => {
                awaited.progress.reset();
                awaited.id.store(id, Ordering::Release);
                if jobs.send(QueryJob { id, query, changed }).is_err() {
                    self.query.running = None;
                    self.query.error = Some("the query worker is gone".into());
                }
            }
        }
        None
    }

    /// Drops the running question: its answer, when it comes, is thrown away.
    pub fn cancel_query(&mut self) {
        let Some(r) = self.query.running.take() else {
            return;
        };
        if let Asker::Worker { awaited, .. } = &self.asker {
            awaited.id.store(0, Ordering::Release);
        }
        self.say(format!(
            "{} cancelled after {:.1} s",
            r.kind.name(),
            r.started.elapsed().as_secs_f64()
        ));
        self.fit_answer();
    }

    /// Takes an answer, if it is the one awaited.
    pub(super) fn answered(&mut self, id: u64, outcome: Arc<Outcome>) {
        let Some(running) = self.query.running.take_if(|r| r.id == id) else {
            return;
        };
        if let Asker::Worker { awaited, .. } = &self.asker {
            awaited.id.store(0, Ordering::Release);
        }
        match Arc::unwrap_or_clone(outcome) {
            Ok(mut tree) => {
                self.lesson_answered(&running.asked);
                if self.problems.errors > 0 {
                    tree.header.push(spans([(
                        Tone::Warn,
                        &format!(
                            "⚠ the organization has {}: what {} is left out of this answer, which may be wrong either way (! lists them)",
                            plural(self.problems.errors, "error", "errors"),
                            if self.problems.errors == 1 { "it names" } else { "they name" }
                        ),
                    )]));
                }
                self.query
                    .keep_answer(Answered::new(Arc::new(tree), running.asked, 1));
                self.query.focus = PaneFocus::Answer;
            }
            Err(e) => {
                self.query.error = Some(e);
                self.query.focus = PaneFocus::Form;
            }
        }
        self.fit_answer();
    }

    /// Time passes: the progress line moves.
    pub(super) fn tick(&mut self) {
        if let Some(r) = self.query.running.as_mut() {
            r.elapsed = r.started.elapsed();
            if let Asker::Worker { awaited, .. } = &self.asker {
                r.done = awaited.progress.fraction();
            }
        }
    }

    /// Whether the runtime should tick (a question runs).
    pub fn busy(&self) -> bool {
        self.query.running.is_some()
            || self.what_if.running.is_some()
            || self.what_if.applying.is_some()
    }
}
