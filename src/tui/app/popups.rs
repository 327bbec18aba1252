//! The popups: the `/` filter, the `:` palette and the `?` help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Focus, Popup};
use crate::tui::commands::{Action, Context, PALETTE};
use crate::tui::history::Visit;
use crate::tui::layout::contains;
use crate::tui::nodes::Node;
use crate::tui::palette::{self, arg_kind, matching_commands, resolve};

/// Typing in a one-line input; whether the text changed.
fn edit(input: &mut String, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match ev.code {
        KeyCode::Char('u') if ctrl => {
            input.clear();
            true
        }
        KeyCode::Char('w') if ctrl => {
            let keep = input
                .trim_end()
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
            input.truncate(keep);
            true
        }
        KeyCode::Char(c)
            if !ctrl && !ev.modifiers.contains(KeyModifiers::ALT) && !c.is_control() =>
        {
            input.push(c);
            true
        }
        KeyCode::Backspace => input.pop().is_some(),
        _ => false,
    }
}

impl App<'_> {
    pub(super) fn open_filter(&mut self) {
        self.popup = Popup::Filter;
        self.index();
        self.filter.clear();
    }

    pub(super) fn open_palette(&mut self) {
        self.popup = Popup::Palette;
        self.index();
        self.palette = Default::default();
    }

    pub(super) fn filter_key(&mut self, ev: KeyEvent) -> Option<Visit> {
        match self.keymap.action(Context::Filter, &ev) {
            Some(Action::NextItem) => self.filter.select_next(true),
            Some(Action::PrevItem) => self.filter.select_next(false),
            Some(Action::Cancel) => self.popup = Popup::None,
            Some(Action::Accept) => return self.accept_filter(),
            _ => {
                let mut q = self.filter.query().to_string();
                if edit(&mut q, &ev) {
                    // The index is built when the filter opens.
                    let index = self.index.get().expect("index built on open");
                    self.filter.set_query(index, &q, None);
                }
            }
        }
        None
    }

    fn accept_filter(&mut self) -> Option<Visit> {
        let Some(hit) = self.filter.selected_hit() else {
            self.say(if self.filter.query().is_empty() {
                "type a name, id or ARN"
            } else {
                "no match"
            });
            return None;
        };
        let node = self.index().id(hit.item);
        self.popup = Popup::None;
        self.go(node)
    }

    /// Jumps to a node from a popup: the tree gets the focus.
    fn go(&mut self, node: Node) -> Option<Visit> {
        self.set_focus(Focus::Tree);
        if self.jump_to(node) {
            Some(Visit::Jump)
        } else {
            self.warn("that is not in the tree");
            None
        }
    }

    pub(super) fn palette_key(&mut self, ev: KeyEvent) -> Option<Visit> {
        match self.keymap.action(Context::Palette, &ev) {
            Some(Action::NextItem) => self.palette_select(true),
            Some(Action::PrevItem) => self.palette_select(false),
            Some(Action::Cancel) => self.popup = Popup::None,
            Some(Action::Complete) => self.complete(),
            Some(Action::Accept) => return self.run_palette(),
            _ => {
                if edit(&mut self.palette.input, &ev) {
                    self.refresh_palette();
                }
            }
        }
        None
    }

    fn palette_select(&mut self, forward: bool) {
        let p = palette::parse(&self.palette.input);
        if p.arg.is_some() {
            self.palette.search.select_next(forward);
        } else {
            let n = matching_commands(p.word).len();
            if n > 0 {
                let s = self.palette.selected;
                self.palette.selected = if forward {
                    (s + 1) % n
                } else {
                    (s + n - 1) % n
                };
            }
        }
    }

    /// Re-runs the argument search after an edit.
    fn refresh_palette(&mut self) {
        let input = self.palette.input.clone();
        let p = palette::parse(&input);
        match (p.arg, resolve(p.word).and_then(arg_kind)) {
            (Some(arg), Some(kind)) => {
                let index = self.index.get().expect("index built on open");
                self.palette.search.set_query(index, arg, Some(kind.tag()));
            }
            _ => {
                self.palette.search.clear();
                self.palette.selected = 0;
            }
        }
    }

    /// Tab: completes the command word, or the argument to the selected name.
    fn complete(&mut self) {
        let input = self.palette.input.clone();
        let p = palette::parse(&input);
        match p.arg {
            None => {
                let cmds = matching_commands(p.word);
                if let Some(c) = cmds.get(self.palette.selected.min(cmds.len().saturating_sub(1))) {
                    self.palette.input = format!("{} ", c.name);
                }
            }
            Some(_) => {
                let Some(hit) = self.palette.search.selected_hit() else {
                    return;
                };
                let node = self.index().id(hit.item);
                let name = crate::tui::sanitize::clean(self.src.name(node));
                self.palette.input = format!("{} {name}", p.word);
            }
        }
        self.refresh_palette();
    }

    fn run_palette(&mut self) -> Option<Visit> {
        let input = self.palette.input.clone();
        let p = palette::parse(&input);
        let cmd = match p.arg {
            Some(_) => resolve(p.word),
            // With no argument typed, Enter takes the selected command.
            None => matching_commands(p.word)
                .get(self.palette.selected)
                .copied(),
        };
        let Some(cmd) = cmd else {
            let names: Vec<&str> = PALETTE.iter().map(|c| c.name).collect();
            self.warn(format!(
                "unknown command `{}`; try {}",
                p.word,
                names.join(", ")
            ));
            return None;
        };
        match (cmd.name, arg_kind(cmd)) {
            ("quit", _) => {
                self.quit = true;
                None
            }
            ("help", _) => {
                self.popup = Popup::Help(match self.focus {
                    Focus::Tree => Context::Tree,
                    Focus::Details => Context::Details,
                });
                self.help_scroll = 0;
                None
            }
            ("root", _) => {
                self.popup = Popup::None;
                self.go(Node::Root)
            }
            (_, Some(kind)) => {
                let arg = p.arg.unwrap_or("").trim();
                if arg.is_empty() && p.arg.is_none() {
                    // `:role` then Enter: ready for the name.
                    self.palette.input = format!("{} ", cmd.name);
                    self.refresh_palette();
                    return None;
                }
                // An exact name wins over the fuzzy best match.
                let exact = match self.org().by_name(arg) {
                    crate::org::NameLookup::Unique(e) => Some(vec![e]),
                    crate::org::NameLookup::Ambiguous(es) => Some(es),
                    crate::org::NameLookup::NotFound => None,
                }
                .and_then(|es| {
                    es.into_iter()
                        .map(|e| self.src.node_of(e))
                        .find(|n| n.kind() == kind)
                });
                let fuzzy = self
                    .palette
                    .search
                    .selected_hit()
                    .map(|h| self.index().id(h.item));
                match exact.or(fuzzy) {
                    Some(node) => {
                        self.popup = Popup::None;
                        self.go(node)
                    }
                    None => {
                        self.warn(format!(
                            "no {} matches `{}`",
                            cmd.name,
                            crate::tui::sanitize::sanitize(arg)
                        ));
                        None
                    }
                }
            }
            _ => None,
        }
    }

    pub(super) fn help_key(&mut self, ev: KeyEvent) {
        match self.keymap.action(Context::Help, &ev) {
            Some(Action::Cancel | Action::Help) => self.popup = Popup::None,
            Some(Action::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
            Some(Action::Down) => self.help_scroll += 1,
            Some(Action::PageUp) => self.help_scroll = self.help_scroll.saturating_sub(10),
            Some(Action::PageDown) => self.help_scroll += 10,
            Some(Action::Top) => self.help_scroll = 0,
            Some(Action::Bottom) => self.help_scroll = usize::MAX / 2,
            _ => {}
        }
        self.help_scroll = self.help_scroll.min(self.help_len().saturating_sub(1));
    }

    /// How many lines the help has (the view builds the same lines).
    pub fn help_len(&self) -> usize {
        match self.popup {
            Popup::Help(ctx) => crate::tui::view::help_lines(self, ctx).len(),
            _ => 0,
        }
    }

    pub(super) fn finder_mouse(&mut self, wheel: isize, col: u16, row: u16) -> Option<Visit> {
        let filter = self.popup == Popup::Filter;
        if wheel != 0 {
            for _ in 0..wheel.unsigned_abs() {
                if filter {
                    self.filter.select_next(wheel > 0);
                } else {
                    self.palette_select(wheel > 0);
                }
            }
            return None;
        }
        if !contains(self.areas.finder(), col, row) {
            self.popup = Popup::None;
            return None;
        }
        let rows = self.areas.finder_rows();
        if !contains(rows, col, row) {
            return None;
        }
        let i = usize::from(row - rows.y);
        if filter {
            let first = crate::tui::view::list_offset(self.filter.selected(), rows.height as usize);
            if first + i < self.filter.best().len() {
                while self.filter.selected() != first + i {
                    self.filter.select_next(true);
                }
                return self.accept_filter();
            }
        }
        None
    }
}
