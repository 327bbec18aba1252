//! Mouse: a click selects (a second click on the selection opens or closes it), the
//! wheel scrolls what is under it.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

use super::{App, Focus, Popup};
use crate::tui::details::Tab;
use crate::tui::history::Visit;
use crate::tui::layout::{contains, tab_at};
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
