//! Mouse: a click selects (a second click on the selection opens or closes it), the
//! wheel scrolls what is under it; in the query pane, a click also focuses a field,
//! takes a completion or picks a question.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::{App, Focus, Popup};
use crate::tui::details::Tab;
use crate::tui::history::Visit;
use crate::tui::layout::{contains, tab_at};
use crate::tui::query::PaneFocus;
use crate::tui::query::form::QueryKind;
use crate::tui::tree::Move;

/// Rows the wheel moves.
const WHEEL: isize = 3;

impl App<'_> {
    pub(super) fn on_mouse(&mut self, ev: MouseEvent) -> Option<Visit> {
        let (col, row) = (ev.column, ev.row);
        let wheel = match ev.kind {
            MouseEventKind::ScrollDown => WHEEL,
            MouseEventKind::ScrollUp => -WHEEL,
            MouseEventKind::Down(MouseButton::Left) => 0,
            _ => return None,
        };
        match self.popup {
            Popup::Help(_) => {
                if wheel != 0 {
                    self.help_scroll = self.help_scroll.saturating_add_signed(wheel);
                } else if !contains(self.areas.help(), col, row) {
                    self.close_help();
                }
                return None;
            }
            Popup::Filter | Popup::Palette => return self.finder_mouse(wheel, col, row),
            Popup::Query => return self.query_mouse(wheel, col, row),
            Popup::Findings => {
                let area = crate::tui::findings_view::area(&self.areas);
                if wheel != 0 {
                    self.findings.step(wheel);
                } else if !contains(area, col, row) {
                    self.popup = Popup::None;
                } else if let Some(i) =
                    crate::tui::findings_view::finding_at(area, &self.findings, row)
                {
                    // As in the problems list: a click selects, a second goes there.
                    if i == self.findings.selected {
                        return self.go_to_finding();
                    }
                    self.findings.selected = i;
                }
                return None;
            }
            Popup::Problems => {
                if wheel != 0 {
                    self.problems.step(wheel.signum());
                } else if !contains(self.areas.help(), col, row) {
                    self.popup = Popup::None;
                } else if let Some(i) = crate::tui::view::problems::problem_at(self, row) {
                    // A click selects a problem; a second click on it goes there, as
                    // Enter does.
                    if i == self.problems.selected {
                        return self.go_to_problem();
                    }
                    self.problems.selected = i;
                }
                return None;
            }
            // The what-if popups: the wheel moves through their rows.
            Popup::ChangeMenu | Popup::Editor | Popup::Scenario | Popup::WhatIf => {
                if wheel != 0 {
                    self.what_if_wheel(wheel);
                }
                return None;
            }
            Popup::None => {}
        }
        if let Some(area) = self.areas.tree_rows()
            && contains(area, col, row)
        {
            self.set_focus(Focus::Tree);
            if wheel != 0 {
                self.tree.apply(&self.src, Move::By(wheel));
                return Some(Visit::Step);
            }
            let index = self.tree.offset() + usize::from(row - area.y);
            if index == self.tree.selected_index() {
                self.tree.toggle(&self.src);
            } else {
                self.tree.select_index(index);
            }
            return Some(Visit::Jump);
        }
        if let Some(tabs) = self.areas.tab_row()
            && contains(tabs, col, row)
            && wheel == 0
        {
            let titles = self.tab_titles();
            if let Some(i) = tab_at(&titles, tabs.x, col) {
                self.tab = Tab::ALL[i];
                self.set_focus(Focus::Details);
            }
            return None;
        }
        if let Some(area) = self.areas.details
            && contains(area, col, row)
        {
            if wheel != 0 {
                self.scroll_detail(wheel);
            } else {
                self.set_focus(Focus::Details);
            }
        }
        None
    }

    /// The tab titles as drawn: `1 Overview`, ...
    pub fn tab_titles(&self) -> Vec<String> {
        let node = self.selected();
        Tab::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {}", i + 1, t.title(node)))
            .collect()
    }
}

impl App<'_> {
    /// The mouse over the pane: a click focuses a field, takes a completion, selects
    /// a row (a second click on it is Enter) or picks a question; the wheel scrolls.
    pub(super) fn query_mouse(&mut self, wheel: isize, col: u16, row: u16) -> Option<Visit> {
        if self.query.running.is_some() {
            return None;
        }
        let parts = self.query_parts();
        let completing = self.query.completing && self.query.focus == PaneFocus::Form;
        if wheel != 0 {
            if completing {
                for _ in 0..wheel.unsigned_abs() {
                    self.query.select_candidate(wheel > 0);
                }
            } else if let Some(a) = self.query.answer.as_mut() {
                a.apply(Move::By(wheel));
            }
            return None;
        }
        if contains(parts.kinds, col, row) {
            let titles: Vec<String> = QueryKind::ALL
                .iter()
                .map(|k| k.name().to_string())
                .collect();
            if let Some(i) = tab_at(&titles, parts.kinds.x + 1, col) {
                self.query.stop_completing();
                self.query.form.set_kind(QueryKind::ALL[i]);
                self.query.focus = PaneFocus::Form;
                self.fit_answer();
            }
            return None;
        }
        if contains(parts.fields, col, row) {
            self.query.stop_completing();
            self.query.form.field = if self.form_folded() {
                0
            } else {
                usize::from(row - parts.fields.y)
            };
            self.query.focus = PaneFocus::Form;
            self.fit_answer();
            return None;
        }
        if completing {
            let list = parts.candidates();
            if contains(list, col, row) {
                let first = crate::tui::view::list_offset(
                    self.query.selected.unwrap_or(0),
                    list.height as usize,
                );
                let i = first + usize::from(row - list.y);
                if i < self.query.candidates.len() {
                    self.take_candidate(i);
                }
            }
            return None;
        }
        if self.shown_answer().is_some() && contains(parts.rows, col, row) {
            let a = self.query.answer.as_ref()?;
            // The row drawn on that line (the selected row may take several).
            let (_, rows) =
                crate::tui::view::answer::row_lines(self, a, parts.rows.width, parts.rows.height);
            let &index = rows.get(usize::from(row - parts.rows.y))?;
            let a = self.query.answer.as_mut()?;
            let again = index == a.view.selected_index() && self.query.focus == PaneFocus::Answer;
            self.query.focus = PaneFocus::Answer;
            if again {
                return self.activate_row();
            }
            a.view.select_index(index);
        }
        None
    }
}
