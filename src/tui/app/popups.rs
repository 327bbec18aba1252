//! The popups: the `/` filter, the `:` palette and the `?` help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Focus, Popup, Target};
use crate::org::NameLookup;
use crate::tui::commands::{Action, Context, PALETTE};
use crate::tui::history::Visit;
use crate::tui::layout::contains;
use crate::tui::nodes::Node;
use crate::tui::palette::{self, Palette, arg_kind, matching_commands, resolve};
use crate::tui::query::complete::{self, Source, item_name};
use crate::tui::query::form::{Field, QueryKind, principal_text};
use crate::tui::sanitize::{clean, sanitize};
use crate::tui::search::{Matches, tags};

/// Typing in a one-line input; whether the text changed.
pub(super) fn edit(input: &mut String, ev: &KeyEvent) -> bool {
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    match ev.code {
        KeyCode::Char('u') if ctrl => {
            let changed = !input.is_empty();
            input.clear();
            changed
        }
        KeyCode::Char('w') if ctrl => {
            let keep = input
                .trim_end()
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
            let changed = keep != input.len();
            input.truncate(keep);
            changed
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
        self.ensure_index();
        self.filter_input.clear();
        self.filter = Matches::default();
    }

    pub(super) fn open_palette(&mut self) {
        self.popup = Popup::Palette;
        self.ensure_index();
        self.palette = Palette::default();
    }

    pub(super) fn filter_key(&mut self, ev: KeyEvent) -> Option<Visit> {
        match self.keymap.action(Context::Filter, &ev) {
            Some(Action::NextItem) => self.filter.select_next(true),
            Some(Action::PrevItem) => self.filter.select_next(false),
            Some(Action::Cancel) => self.popup = Popup::None,
            Some(Action::Accept) => return self.accept_filter(),
            _ => {
                if edit(&mut self.filter_input, &ev) {
                    self.search(Target::Filter, self.filter_input.clone(), None);
                }
            }
        }
        None
    }

    fn accept_filter(&mut self) -> Option<Visit> {
        let hit = self
            .filter
            .selected_hit()
            .filter(|_| !self.searching(Target::Filter));
        let (Some(hit), Some(index)) = (hit, self.index_if_built()) else {
            self.say(match () {
                _ if self.filter_input.trim().is_empty() => "type a name, id or ARN",
                _ if self.searching(Target::Filter) => "still searching",
                _ => "no match",
            });
            return None;
        };
        let node = index.id(hit.item);
        self.popup = Popup::None;
        self.go(node)
    }

    /// Jumps to a node from a popup: the tree gets the focus.
    pub(super) fn go(&mut self, node: Node) -> Option<Visit> {
        self.set_focus(Focus::Tree);
        if self.jump_to(node) {
            Some(Visit::Jump)
        } else {
            self.warn("that is not in the tree");
            None
        }
    }

    /// The palette's argument and the tags of the kind it names (a bit set), when
    /// the typed command takes one and a space follows it.
    /// For a question, the word being typed when its field takes names of the org
    /// (`:can da`: the principal).
    pub fn palette_query(&self) -> Option<(&str, u32)> {
        let p = palette::parse(&self.palette.input);
        let cmd = resolve(p.word)?;
        if let Some(q) = QueryKind::from_name(cmd.name) {
            let (field, word, _) = palette::question_slot(q, p.arg?)?;
            return match complete::source(field) {
                Source::Org(tags) => Some((word, tags)),
                _ => None,
            };
        }
        let kind = arg_kind(cmd)?;
        Some((p.arg?, tags(&[kind.tag()])))
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
            self.palette.matches.select_next(forward);
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

    /// Searches names for the argument after an edit.
    fn refresh_palette(&mut self) {
        match self.palette_query() {
            Some((arg, tag)) => {
                let arg = arg.to_string();
                self.search(Target::Palette, arg, Some(tag));
            }
            None => {
                self.palette.matches = Matches::default();
                self.palette.selected = 0;
            }
        }
    }

    /// The node of the selected argument candidate, when the list is current.
    fn palette_pick(&self) -> Option<Node> {
        if self.searching(Target::Palette) {
            return None;
        }
        let hit = self.palette.matches.selected_hit()?;
        Some(self.index_if_built()?.id(hit.item))
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
            Some(args) => match resolve(p.word).and_then(|c| QueryKind::from_name(c.name)) {
                Some(kind) => {
                    let Some((field, word, at)) = palette::question_slot(kind, args) else {
                        return;
                    };
                    let Some(value) = self.palette_value(field, word) else {
                        return;
                    };
                    let before = &args[..at];
                    self.palette.input = format!("{} {before}{value} ", p.word);
                }
                None => {
                    let Some(node) = self.palette_pick() else {
                        return;
                    };
                    self.palette.input = format!("{} {}", p.word, clean(self.src.name(node)));
                }
            },
        }
        self.refresh_palette();
    }

    /// What Tab puts for a question's word: the selected name of the org as the
    /// field takes it, or the best action or service of the catalog.
    fn palette_value(&mut self, field: Field, word: &str) -> Option<String> {
        let org = self.org();
        match complete::source(field) {
            Source::Org(_) => {
                let node = self.palette_pick()?;
                let e = node.entity()?;
                Some(match (field, node) {
                    (Field::ResourceAccount, Node::Account(a)) => org.account(a).id.to_string(),
                    (Field::Resource, _) => org
                        .arn(e)
                        .map_or_else(|| org.name(e).into(), str::to_string),
                    _ => principal_text(org, e),
                })
            }
            Source::Actions => {
                let m = self.query.catalogs.find_action(word);
                let best = m.best.first()?.item;
                Some(item_name(self.query.catalogs.actions(), best).to_string())
            }
            Source::Services => {
                let m = self.query.catalogs.find_service(word);
                let best = m.best.first()?.item;
                Some(item_name(self.query.catalogs.services(), best).to_string())
            }
            Source::ContextKeys | Source::Files => None,
        }
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
                sanitize(p.word),
                names.join(", ")
            ));
            return None;
        };
        if let Some(kind) = QueryKind::from_name(cmd.name) {
            return self.open_query(kind, p.arg);
        }
        if let Some(done) = self.palette_what_if(cmd.name, p.arg) {
            return done;
        }
        if cmd.name == "learn" {
            self.popup = Popup::None;
            self.palette_learn(p.arg.map(str::trim).filter(|a| !a.is_empty()));
            return None;
        }
        if cmd.name == "practice" {
            self.popup = Popup::None;
            self.palette_practice(p.arg.map(str::trim).filter(|a| !a.is_empty()));
            return None;
        }
        let Some(kind) = arg_kind(cmd) else {
            match cmd.name {
                "quit" => self.quit = true,
                "problems" => {
                    self.popup = Popup::None;
                    self.open_problems();
                }
                "findings" => self.open_findings(),
                "help" => {
                    self.popup = Popup::Help(match self.focus {
                        Focus::Tree => Context::Tree,
                        Focus::Details => Context::Details,
                    });
                    self.help_scroll = 0;
                }
                _ => {
                    self.popup = Popup::None;
                    return self.go(Node::Root);
                }
            }
            return None;
        };
        let Some(arg) = p.arg.map(str::trim) else {
            // `:role` then Enter: ready for the name.
            self.palette.input = format!("{} ", cmd.name);
            self.refresh_palette();
            return None;
        };
        // An exact name wins over the best fuzzy match.
        let exact = match self.org().by_name(arg) {
            NameLookup::Unique(e) => vec![e],
            NameLookup::Ambiguous(es) => es,
            NameLookup::NotFound => Vec::new(),
        }
        .into_iter()
        .map(|e| self.src.node_of(e))
        .find(|n| n.kind() == kind);
        match exact.or_else(|| self.palette_pick()) {
            Some(node) => {
                self.popup = Popup::None;
                self.go(node)
            }
            None if self.searching(Target::Palette) => {
                self.say("still searching");
                None
            }
            None => {
                self.warn(format!("no {} matches `{}`", cmd.name, sanitize(arg)));
                None
            }
        }
    }

    pub(super) fn help_key(&mut self, ev: KeyEvent) {
        match self.keymap.action(Context::Help, &ev) {
            Some(Action::Cancel | Action::Help) => self.close_help(),
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

    /// Closes the help, back to the query pane when it was opened from there.
    pub(super) fn close_help(&mut self) {
        self.popup = match self.popup {
            Popup::Help(
                Context::Query | Context::QueryRunning | Context::Answer | Context::AnswerFilter,
            ) => Popup::Query,
            Popup::Help(Context::Problems) => Popup::Problems,
            Popup::Help(Context::Scenario) => Popup::Scenario,
            Popup::Help(Context::WhatIf) => Popup::WhatIf,
            Popup::Help(Context::Findings | Context::FindingsFilter) => Popup::Findings,
            _ => Popup::None,
        };
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
        let list = if filter {
            &mut self.filter
        } else {
            &mut self.palette.matches
        };
        let first = crate::tui::view::list_offset(list.selected, rows.height as usize);
        if first + i >= list.best.len() || (!filter && self.palette_query().is_none()) {
            return None;
        }
        if filter {
            self.filter.selected = first + i;
            self.accept_filter()
        } else {
            self.palette.matches.selected = first + i;
            let node = self.palette_pick()?;
            self.popup = Popup::None;
            self.go(node)
        }
    }
}
