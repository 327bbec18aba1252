//! Keys in the tree and details panes.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::{App, Effect, Focus, Popup};
use crate::tui::commands::{Action, Context};
use crate::tui::details::Tab;
use crate::tui::history::Visit;
use crate::tui::query::form::QueryKind;
use crate::tui::tree::Move;

impl App<'_> {
    pub(super) fn on_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
        if ev.kind == KeyEventKind::Release {
            return (None, None);
        }
        // A status line lasts until the next key.
        self.status = None;
        match self.popup {
            Popup::Filter => (None, self.filter_key(ev)),
            Popup::Palette => (None, self.palette_key(ev)),
            Popup::Help(_) => {
                self.help_key(ev);
                (None, None)
            }
            Popup::Query => self.query_key(ev),
            Popup::Problems => (None, self.problems_key(ev)),
            Popup::ChangeMenu => {
                self.menu_key(ev);
                (None, None)
            }
            Popup::Editor => (self.editor_key(ev), None),
            Popup::Scenario => {
                self.scenario_key(ev);
                (None, None)
            }
            Popup::WhatIf => self.what_if_key(ev),
            Popup::Findings => (None, self.findings_key(ev)),
            Popup::None if self.lesson_focused() => {
                self.lesson_key(ev);
                (None, None)
            }
            Popup::None => self.pane_key(ev),
        }
    }

    fn pane_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
        let ctx = self.context();
        let Some(action) = self.keymap.action(ctx, &ev) else {
            return (None, None);
        };
        if let Some(visit) = self.common_action(action, ctx) {
            return visit;
        }
        match ctx {
            Context::Details => {
                self.details_action(action);
                (None, None)
            }
            _ => (None, self.tree_action(action)),
        }
    }

    /// What works the same in both panes; `None` when the action is the pane's own.
    fn common_action(
        &mut self,
        action: Action,
        ctx: Context,
    ) -> Option<(Option<Effect>, Option<Visit>)> {
        let nothing = Some((None, None));
        match action {
            Action::Quit => {
                self.quit = true;
                nothing
            }
            Action::Copy => Some((self.copy_selected(), None)),
            Action::Filter => {
                self.open_filter();
                nothing
            }
            Action::Palette => {
                self.open_palette();
                nothing
            }
            Action::Help => {
                self.popup = Popup::Help(ctx);
                self.help_scroll = 0;
                nothing
            }
            Action::Can | Action::WhoCan | Action::WhatCan | Action::Paths => {
                let kind = QueryKind::asked_by(action);
                Some((None, self.open_query(kind, None)))
            }
            Action::LastAnswer => {
                self.reopen_query();
                nothing
            }
            Action::Problems => {
                self.open_problems();
                nothing
            }
            Action::Findings => {
                self.open_findings();
                nothing
            }
            Action::Lesson => {
                self.toggle_lesson_focus();
                nothing
            }
            Action::Change => {
                self.open_menu();
                nothing
            }
            Action::EditExternal => Some((self.edit_selected_externally(), None)),
            Action::Undo => {
                self.undo(true);
                nothing
            }
            Action::Redo => {
                self.undo(false);
                nothing
            }
            Action::ScenarioPane => {
                self.open_scenario_pane();
                nothing
            }
            Action::WhatIf => {
                self.open_what_if();
                nothing
            }
            Action::Back => Some((None, self.travel(false))),
            Action::Forward => Some((None, self.travel(true))),
            Action::NextFocus => {
                match self.focus {
                    Focus::Tree => self.set_focus(Focus::Details),
                    Focus::Details if self.tab == Tab::Json => {
                        self.tab = Tab::Overview;
                        self.set_focus(Focus::Tree);
                    }
                    Focus::Details => self.tab = Tab::ALL[self.tab.index() + 1],
                }
                nothing
            }
            Action::PrevFocus => {
                match self.focus {
                    Focus::Tree => {
                        self.tab = Tab::Json;
                        self.set_focus(Focus::Details);
                    }
                    Focus::Details if self.tab == Tab::Overview => self.set_focus(Focus::Tree),
                    Focus::Details => self.tab = Tab::ALL[self.tab.index() - 1],
                }
                nothing
            }
            Action::TabOverview
            | Action::TabPolicies
            | Action::TabOrgPolicies
            | Action::TabRelated
            | Action::TabJson => {
                self.tab = match action {
                    Action::TabOverview => Tab::Overview,
                    Action::TabPolicies => Tab::Policies,
                    Action::TabOrgPolicies => Tab::OrgPolicies,
                    Action::TabRelated => Tab::Related,
                    _ => Tab::Json,
                };
                // On a narrow screen the tab shows only with the details pane.
                if self.areas.details.is_none() {
                    self.set_focus(Focus::Details);
                }
                nothing
            }
            _ => None,
        }
    }

    fn tree_action(&mut self, action: Action) -> Option<Visit> {
        let m = match action {
            Action::Up => Move::Up,
            Action::Down => Move::Down,
            Action::Left => Move::Left,
            // Esc goes back up the tree, closing nothing.
            Action::Cancel => {
                let path = self.tree.selected_path();
                if path.len() > 1 {
                    let parent = path[path.len() - 2];
                    self.jump_to(parent);
                }
                return Some(Visit::Step);
            }
            Action::Right => Move::Right,
            Action::Top => Move::Top,
            Action::Bottom => Move::End,
            Action::PageUp => Move::PageUp,
            Action::PageDown => Move::PageDown,
            Action::Toggle => {
                self.tree.toggle(&self.src);
                return Some(Visit::Step);
            }
            _ => return None,
        };
        self.tree.apply(&self.src, m);
        Some(Visit::Step)
    }

    fn details_action(&mut self, action: Action) {
        let page = self
            .areas
            .detail_rows()
            .map_or(1, |r| r.height.max(2) as isize - 1);
        match action {
            Action::Up => self.scroll_detail(-1),
            Action::Down => self.scroll_detail(1),
            Action::PageUp => self.scroll_detail(-page),
            Action::PageDown => self.scroll_detail(page),
            Action::Top => self.detail.scroll = 0,
            Action::Bottom => self.scroll_detail(isize::MAX / 2),
            Action::Left | Action::Cancel => self.set_focus(Focus::Tree),
            _ => {}
        }
    }
}
