//! The answer in the app: its keys, Enter on a row (a jump, a grant's statement),
//! questions asked from a row, copying a row's ARN, the answer's filter.

use crossterm::event::KeyEvent;

use super::popups::edit;
use super::{App, Effect, Focus, Popup};
use crate::org::Entity;
use crate::tui::commands::{Action, Context};
use crate::tui::details::Tab;
use crate::tui::history::Visit;
use crate::tui::nodes::{Node, node_of};
use crate::tui::query::PaneFocus;
use crate::tui::query::answer::Jump;
use crate::tui::query::form::{Field, QueryKind, parse_context, principal_text};
use crate::tui::query::locate::granting;
use crate::tui::sanitize::clean;
use crate::tui::tree::Move;

impl App<'_> {
    pub(super) fn answer_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
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
    pub(super) fn ask_from_row(&mut self, kind: QueryKind, row: Option<&Jump>) {
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
    pub(super) fn jump(&mut self, j: Jump) -> Option<Visit> {
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
            } => match granting(
                self.org(),
                &principal,
                &action,
                &resource,
                &self.asked_context(),
            ) {
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
                let shown = self.shown();
                let org = shown.get();
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

    /// The context the shown answer was asked with.
    fn asked_context(&self) -> Vec<(String, Vec<String>)> {
        let asked = self
            .query
            .answer
            .as_ref()
            .map_or("", |a| a.asked.value(Field::Context));
        parse_context(asked).unwrap_or_default()
    }

    /// Puts `KEY=VALUE` in the context field, in place of the key's values if it had
    /// any.
    /// Sets `pairs` (`key=value`, several separated by spaces) in the form's
    /// context, replacing the values those keys had.
    pub(super) fn with_context(&mut self, pairs: &str) {
        let new: Vec<&str> = pairs.split_whitespace().collect();
        let key = |p: &str| p.split_once('=').map_or(p, |(k, _)| k).to_ascii_lowercase();
        let replaced: Vec<String> = new.iter().map(|p| key(p)).collect();
        let old = self.query.form.value(Field::Context).to_string();
        let mut kept: Vec<&str> = old
            .split_whitespace()
            .filter(|p| !replaced.contains(&key(p)))
            .collect();
        kept.extend(new);
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

    pub(super) fn answer_filter_key(&mut self, ev: KeyEvent) {
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
    // A principal as the form writes it: its name when that is unique.
    let who = |e: Entity| principal_text(org, e);
    match row {
        Jump::Node(n @ (Node::User(_) | Node::Role(_)))
        | Jump::Tab(n @ (Node::User(_) | Node::Role(_)), _) => n
            .entity()
            .map(|e| (Field::Principal, who(e)))
            .into_iter()
            .collect(),
        Jump::Node(n @ Node::Resource(_)) => n
            .entity()
            .and_then(|e| org.arn(e))
            .map(|a| (Field::Resource, a.to_string()))
            .into_iter()
            .collect(),
        Jump::Grant {
            principal,
            action,
            resource,
        } => {
            let principal = match org.principal_by_arn(principal) {
                Some(crate::org::PrincipalIx::User(u)) => who(Entity::User(u)),
                Some(crate::org::PrincipalIx::Role(r)) => who(Entity::Role(r)),
                None => principal.clone(),
            };
            vec![
                (Field::Principal, principal),
                (Field::Action, action.clone()),
                (Field::Resource, resource.clone()),
            ]
        }
        _ => Vec::new(),
    }
}
