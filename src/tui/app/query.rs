//! The query pane in the app: opening it, its keys, completion, running questions
//! (inline or on the query worker), their answers, and jumps from an answer to the
//! tree.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use crossterm::event::KeyEvent;

use super::popups::edit;
use super::{App, Asker, Effect, Focus, Popup};
use crate::org::Entity;
use crate::tui::commands::{Action, Context};
use crate::tui::details::Tab;
use crate::tui::history::Visit;
use crate::tui::layout::QueryParts;
use crate::tui::nodes::{Node, node_of};
use crate::tui::query::answer::{Jump, Tone, spans};
use crate::tui::query::build::plural;
use crate::tui::query::form::{Field, QueryKind};
use crate::tui::query::locate::granting;
use crate::tui::query::{Answered, Outcome, PaneFocus, QueryJob, Running, build};
use crate::tui::sanitize::clean;
use crate::tui::tree::Move;

impl App<'_> {
    /// Opens the pane on a question. Without arguments the fields keep what they
    /// held and take the selection (a user or role as the principal, a resource as
    /// the resource); with the palette's arguments they start afresh from them, and
    /// the question runs at once when they fill it.
    pub(super) fn open_query(&mut self, kind: QueryKind, args: Option<&str>) -> Option<Visit> {
        self.cancel_query();
        self.popup = Popup::Query;
        self.query.stop_completing();
        let org = self.org();
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
        let id = self.query.next_id();
        let org = self.org();
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
                let outcome = build::run(org, &query);
                self.answered(id, Arc::new(outcome));
            }
            Asker::Worker { jobs, awaited } => {
                awaited.progress.reset();
                awaited.id.store(id, Ordering::Release);
                if jobs.send(QueryJob { id, query }).is_err() {
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
    }

    fn answer_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
        let Some(action) = self.keymap.action(Context::Answer, &ev) else {
            return (None, None);
        };
        let Some(a) = self.query.answer.as_mut() else {
            self.query.focus = PaneFocus::Form;
            return (None, None);
        };
        let mv = |m| Some(m);
        let m = match action {
            Action::Up => mv(Move::Up),
            Action::Down => mv(Move::Down),
            Action::PageUp => mv(Move::PageUp),
            Action::PageDown => mv(Move::PageDown),
            Action::Top => mv(Move::Top),
            Action::Bottom => mv(Move::End),
            Action::Left => mv(Move::Left),
            Action::Right => mv(Move::Right),
            _ => None,
        };
        if let Some(m) = m {
            a.apply(m);
            return (None, None);
        }
        match action {
            Action::Accept => return (None, self.activate_row()),
            Action::Filter => self.query.focus = PaneFocus::Filter,
            Action::NextFocus => {
                self.query.focus = PaneFocus::Form;
                self.query.form.field = 0;
            }
            Action::PrevFocus => {
                self.query.focus = PaneFocus::Form;
                self.query.form.field = self.query.form.fields().len() - 1;
            }
            Action::Can | Action::WhoCan | Action::WhatCan | Action::Paths => {
                let row = a.selected_jump();
                self.ask_from_row(QueryKind::asked_by(action), row.as_ref());
            }
            Action::Copy => return (self.copy_row(), None),
            Action::Back | Action::Forward => {
                let forward = action == Action::Forward;
                if self.query.step_answer(forward) {
                    let (at, of) = self.query.answer_position();
                    self.say(format!("answer {at} of {of}"));
                } else {
                    self.say(if forward {
                        "no later answer"
                    } else {
                        "no earlier answer"
                    });
                }
            }
            Action::Help => {
                self.popup = Popup::Help(Context::Answer);
                self.help_scroll = 0;
            }
            Action::Cancel => self.popup = Popup::None,
            Action::Quit => self.quit = true,
            _ => {}
        }
        (None, None)
    }

    /// A question asked from an answer's row: the row's principal, action or
    /// resource in the form's fields, the others as they were; the form shows, for
    /// a look before Enter runs it.
    fn ask_from_row(&mut self, kind: QueryKind, row: Option<&Jump>) {
        let taken = row.map(|j| row_fields(self.org(), j)).unwrap_or_default();
        let form = &mut self.query.form;
        form.set_kind(kind);
        let mut first_taken = None;
        for (f, value) in taken {
            if kind.fields().contains(&f) {
                form.set(f, value);
                first_taken.get_or_insert(f);
            }
        }
        let focus = form
            .first_missing()
            .or(first_taken)
            .unwrap_or(kind.fields()[0]);
        form.focus(focus);
        self.query.focus = PaneFocus::Form;
        self.say(format!("{}: Enter runs it", kind.name()));
    }

    /// Enter on a row: jump where it points, or open or close it.
    pub(super) fn activate_row(&mut self) -> Option<Visit> {
        let a = self.query.answer.as_mut()?;
        match a.selected_jump() {
            Some(j) => self.jump(j),
            None => {
                a.toggle();
                None
            }
        }
    }

    /// Leaves the pane for the tree: a node selected, or a policy with one of its
    /// statements highlighted in the JSON tab.
    fn jump(&mut self, j: Jump) -> Option<Visit> {
        self.popup = Popup::None;
        match j {
            Jump::Context(pair) => {
                self.popup = Popup::Query;
                self.with_context(&pair);
                self.run_query()
            }
            Jump::Node(n) => self.go(n),
            Jump::Grant {
                principal,
                action,
                resource,
            } => match granting(self.org(), &principal, &action, &resource) {
                Some(m) => self.jump(Jump::Statement(m)),
                // Allowed only with context the grant needs: `can` says which.
                None => {
                    self.popup = Popup::Query;
                    let row = Jump::Grant {
                        principal,
                        action,
                        resource,
                    };
                    self.ask_from_row(QueryKind::Can, Some(&row));
                    self.say("no statement grants it without more context: Enter asks can, which says what it depends on");
                    None
                }
            },
            Jump::Tab(n, tab) => {
                self.tab = tab;
                let visit = self.go(n);
                self.set_focus(Focus::Details);
                visit
            }
            Jump::Statement(m) => {
                let org = self.org();
                let node = node_of(org, Entity::Policy(m.policy));
                self.tab = Tab::Json;
                let visit = self.go(node);
                // Marked once the node is selected: a highlight lasts only while its
                // node is (leaving the details pane redraws them before the move).
                self.mark = Some((node, m));
                self.set_focus(Focus::Details);
                let label = org
                    .compiled(m.policy)
                    .statements()
                    .get(m.statement)
                    .map_or_else(String::new, |s| s.label());
                self.say(format!(
                    "{} · {}   ([ goes back, a shows the answer)",
                    clean(org.policy_name(m.policy)),
                    clean(&label)
                ));
                visit
            }
        }
    }

    /// Puts `KEY=VALUE` in the context field, in place of the key's values if it had
    /// any.
    pub(super) fn with_context(&mut self, pair: &str) {
        let key = pair.split_once('=').map_or(pair, |(k, _)| k);
        let old = self.query.form.value(Field::Context).to_string();
        let mut kept: Vec<&str> = old
            .split_whitespace()
            .filter(|p| {
                !p.split_once('=')
                    .is_some_and(|(k, _)| k.eq_ignore_ascii_case(key))
            })
            .collect();
        kept.push(pair);
        self.query.form.set(Field::Context, kept.join(" "));
    }

    /// `y` on a row: the ARN of what it points to.
    fn copy_row(&mut self) -> Option<Effect> {
        let org = self.org();
        let arn = match self.query.answer.as_ref()?.selected_jump() {
            Some(Jump::Node(n) | Jump::Tab(n, _)) => n.entity().and_then(|e| org.arn(e)),
            Some(Jump::Statement(m)) => match node_of(org, Entity::Policy(m.policy)) {
                Node::Policy(p) => org.arn(Entity::Policy(p)),
                other => other.entity().and_then(|e| org.arn(e)),
            },
            Some(Jump::Context(_) | Jump::Grant { .. }) | None => None,
        };
        let Some(arn) = arn else {
            self.say("nothing to copy on this row");
            return None;
        };
        let safe = clean(arn);
        self.say(format!("copied {safe}"));
        Some(Effect::Copy(safe))
    }

    fn answer_filter_key(&mut self, ev: KeyEvent) {
        let Some(a) = self.query.answer.as_mut() else {
            self.query.focus = PaneFocus::Form;
            return;
        };
        match self.keymap.action(Context::AnswerFilter, &ev) {
            Some(Action::Accept) => self.query.focus = PaneFocus::Answer,
            Some(Action::Cancel) => {
                a.set_filter("");
                self.query.focus = PaneFocus::Answer;
            }
            Some(Action::NextItem) => a.apply(Move::Down),
            Some(Action::PrevItem) => a.apply(Move::Up),
            _ => {
                let mut text = a.filter.clone();
                if edit(&mut text, &ev) {
                    a.set_filter(&text);
                }
            }
        }
    }
}

/// What a row gives a question asked from it: a principal's ARN, a resource's, or a
/// grant's principal, action and resource.
fn row_fields(org: &crate::org::Org, row: &Jump) -> Vec<(Field, String)> {
    let arn = |n: Node| n.entity().and_then(|e| org.arn(e)).map(str::to_string);
    match row {
        Jump::Node(n @ (Node::User(_) | Node::Role(_)))
        | Jump::Tab(n @ (Node::User(_) | Node::Role(_)), _) => {
            arn(*n).map(|a| (Field::Principal, a)).into_iter().collect()
        }
        Jump::Node(n @ Node::Resource(_)) => {
            arn(*n).map(|a| (Field::Resource, a)).into_iter().collect()
        }
        Jump::Grant {
            principal,
            action,
            resource,
        } => vec![
            (Field::Principal, principal.clone()),
            (Field::Action, action.clone()),
            (Field::Resource, resource.clone()),
        ],
        _ => Vec::new(),
    }
}
