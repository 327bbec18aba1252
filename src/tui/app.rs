//! The app, as The Elm Architecture has it: a state ([`App`]), messages ([`Msg`]) and
//! one `update` that turns a message into a new state and, rarely, an [`Effect`] for
//! the runtime (copying to the clipboard). The view draws from `&App` only.

mod answer;
mod complete;
mod findings;
mod keys;
mod mouse;
mod popups;
mod problems;
mod query;
mod shown_org;
mod what_if;

use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};

use crossterm::event::{KeyEvent, MouseEvent};
use jiff::Timestamp;
use ratatui::text::Line;

use super::commands::Context;
use super::config::Settings;
use super::details::{self, DetailCtx, Tab};
use super::history::{History, Visit};
use super::keymap::Keymap;
use super::layout::Areas;
use super::nodes::{Node, OrgRef, OrgTree};
use super::palette::Palette;
use super::problems::Problems;
use super::query::build::plural;
use super::query::locate::Mark;
use super::query::{Awaited, Outcome, PaneFocus, QueryJob, QueryPane};
use super::search::{Matches, Search, SearchIndex};
use super::theme::Theme;
use super::tree::{Tree, TreeSource};
use super::what_if::editor::Editor;
use super::what_if::menu::EditTarget;
use super::what_if::worker::Job as WhatIfJob;
use super::what_if::{MenuState, Shared, WhatIf, diff::DiffView};
use crate::org::Org;

/// What happens to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// A search finished (on the worker thread), on the index of the org shown
    /// then (by its [`App`]'s view number).
    Found(Target, u64, Matches),
    /// A question of the query pane was answered (on the query worker), by number.
    Answered(u64, Arc<Outcome>),
    /// Time passes while a question runs (for its progress line).
    Tick,
    /// The organization's findings, computed (on the findings worker).
    Findings(Arc<Vec<crate::findings::Finding>>),
    /// The findings of the org a scenario makes (on a thread of their own).
    ScenarioFindings(Shared<Org>, Arc<Vec<crate::findings::Finding>>),
    /// The terminal is gone.
    Quit,
    /// The what-if worker laid a scenario over the org (by number).
    Applied(u64, Shared<Result<Arc<Org>, String>>),
    /// The what-if worker's diff (by number).
    Diffed(u64, Shared<Result<DiffView, String>>),
    /// `$EDITOR` was closed: the text it left, or why there is none.
    Edited(Result<String, String>),
}

/// Which list a search feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Filter,
    Palette,
    /// Completion of a query field.
    Query,
}

/// A search for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchJob {
    pub target: Target,
    pub query: String,
    /// The tags searched, a bit set ([`super::search::tags`]).
    pub only: Option<u32>,
    /// The org shown: its number, its index (built by whoever needs it first) and,
    /// for a changed org, the org to build it from (`None`: the loaded one).
    pub view: u64,
    pub index: Shared<OnceLock<SearchIndex<Node>>>,
    pub changed: Option<Shared<Org>>,
}

/// Where searches run.
enum Searcher {
    /// On the UI thread (tests, small orgs): one search per list.
    Inline(Box<[Search; 3]>),
    /// On a worker thread; results come back as [`Msg::Found`].
    Worker(Sender<SearchJob>),
}

impl Target {
    /// The list's place among the searches.
    pub fn slot(self) -> usize {
        match self {
            Target::Filter => 0,
            Target::Palette => 1,
            Target::Query => 2,
        }
    }
}

/// Where the query pane's questions run.
enum Asker {
    /// On the UI thread, at once (tests).
    Inline,
    /// On the query worker; answers come back as [`Msg::Answered`]. `awaited` says
    /// which question the app waits for, and how far the worker is with it.
    Worker {
        jobs: Sender<QueryJob>,
        awaited: Arc<Awaited>,
    },
}

/// What the runtime does for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Give the terminal to `$EDITOR` on this text; [`Msg::Edited`] brings it back.
    Edit(String),
}

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Details,
}

/// What is open over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Popup {
    None,
    Filter,
    Palette,
    /// Help for the context it was opened from.
    Help(Context),
    /// The query pane.
    Query,
    /// The problems the organization was opened with.
    Problems,
    /// What if: the changes offered on the selected node.
    ChangeMenu,
    /// What if: the in-app policy editor.
    Editor,
    /// What if: the scenario's changes.
    Scenario,
    /// What if: the diff for the selected node.
    WhatIf,
    /// The organization's findings.
    Findings,
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub warn: bool,
}

/// The details pane's content for one node and tab, built when either changes.
#[derive(Debug, Clone, Default)]
pub struct Detail {
    /// The node, tab, width and highlighted statement the lines were built for.
    pub key: Option<(Node, Tab, u16, Option<Mark>)>,
    pub lines: Vec<Line<'static>>,
    pub scroll: usize,
}

/// The whole state of the UI.
pub struct App<'a> {
    /// The org shown: the one loaded, or the one the scenario makes while one is
    /// active (see [`App::show_scenario_org`]). The tree, details, searches and
    /// marks all read this one.
    pub src: OrgTree<'a>,
    /// The org as loaded.
    loaded: &'a Org,
    /// Counts the switches between the loaded and the changed org: searches started
    /// on another org's index are dropped.
    view_gen: u64,
    pub tree: Tree<Node>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub focus: Focus,
    pub tab: Tab,
    pub popup: Popup,
    /// Places visited, each with the tab it was left on.
    pub history: History<(Node, Tab)>,
    pub detail: Detail,
    /// Built on the first `/` or `:` (inline), or at startup by the worker.
    index: Arc<OnceLock<SearchIndex<Node>>>,
    searcher: Searcher,
    /// What is typed in the filter.
    pub filter_input: String,
    /// The filter's matches: for `filter_input` once the search has run.
    pub filter: Matches,
    pub palette: Palette,
    pub query: QueryPane,
    asker: Asker,
    /// The findings the organization was loaded with (see [`App::set_problems`]).
    pub problems: Problems,
    /// The organization's findings (see [`super::findings`]).
    pub findings: super::findings::FindingsList,
    /// The statement an answer jumped to, highlighted in the JSON tab of this node.
    pub mark: Option<(Node, Mark)>,
    pub help_scroll: usize,
    pub status: Option<Status>,
    pub areas: Areas,
    /// Ages (keys, last use) are counted to this time.
    pub now: Timestamp,
    /// The lesson being played, in its pane (see [`super::learn`]).
    pub lesson: Option<super::learn::LessonPane>,
    /// `:learn` alone: the lessons listed in the lesson pane's place.
    pub lesson_list: bool,
    /// Practice, and what lessons ask of the runtime (see [`super::learn`]).
    pub learn: super::learn::Learning,
    /// What if: the scenario, the changed org, the diff.
    pub what_if: WhatIf,
    changer: Changer,
    pub menu: Option<MenuState>,
    pub editor: Option<Editor>,
    /// The document handed to `$EDITOR`, awaited.
    external: Option<EditTarget>,
    /// The files the org was read from: saving never writes over them.
    pub inputs: Vec<std::path::PathBuf>,
    pub quit: bool,
}

/// Where scenarios are applied and diffed.
enum Changer {
    /// On the UI thread, at once (tests).
    Inline,
    /// On the what-if worker; results come back as [`Msg::Applied`] and
    /// [`Msg::Diffed`].
    Worker(Sender<WhatIfJob>),
}

impl<'a> App<'a> {
    /// The app on an org, with the root open, for a screen of `width` x `height`.
    pub fn new(org: &'a Org, settings: Settings, width: u16, height: u16) -> App<'a> {
        let src = OrgTree::new(org);
        let mut tree = Tree::new(&src);
        tree.toggle(&src);
        let mut problems = Problems::default();
        problems.add(settings.warnings);
        let status = (!problems.is_empty()).then(|| Status {
            text: format!(
                "the config file has {}: the rest applies (! lists {})",
                plural(problems.findings.len(), "mistake", "mistakes"),
                if problems.findings.len() == 1 {
                    "it"
                } else {
                    "them"
                }
            ),
            warn: true,
        });
        let mut app = App {
            src,
            loaded: org,
            view_gen: 0,
            tree,
            keymap: settings.keymap,
            theme: settings.theme,
            focus: Focus::Tree,
            tab: Tab::Overview,
            popup: Popup::None,
            history: History::new((Node::Root, Tab::Overview)),
            detail: Detail::default(),
            index: Arc::new(OnceLock::new()),
            searcher: Searcher::Inline(Box::default()),
            filter_input: String::new(),
            filter: Matches::default(),
            palette: Palette::default(),
            query: QueryPane::default(),
            asker: Asker::Inline,
            problems,
            findings: Default::default(),
            mark: None,
            help_scroll: 0,
            status,
            areas: Areas::default(),
            now: Timestamp::now(),
            lesson: None,
            lesson_list: false,
            learn: Default::default(),
            what_if: WhatIf::default(),
            changer: Changer::Inline,
            menu: None,
            editor: None,
            external: None,
            inputs: Vec::new(),
            quit: false,
        };
        app.resize(width, height);
        app
    }

    /// The org shown: the one the scenario makes while one is active, else the one
    /// loaded.
    pub fn org(&self) -> &Org {
        self.src.org()
    }

    /// The org shown, held apart from the app (to read it while the app changes).
    pub fn shown(&self) -> OrgRef<'a> {
        self.src.shown().clone()
    }

    /// The org as loaded, whatever the scenario.
    pub fn loaded(&self) -> &'a Org {
        self.loaded
    }

    pub fn selected(&self) -> Node {
        self.tree.selected().unwrap_or(Node::Root)
    }

    /// Where the keyboard is now.
    pub fn context(&self) -> Context {
        match self.popup {
            Popup::Filter => Context::Filter,
            Popup::Palette => Context::Palette,
            Popup::Help(_) => Context::Help,
            Popup::Problems => Context::Problems,
            Popup::ChangeMenu => Context::ChangeMenu,
            Popup::Editor => Context::Editor,
            Popup::Scenario => Context::Scenario,
            Popup::WhatIf if self.what_if.editing => Context::AnswerFilter,
            Popup::WhatIf => Context::WhatIf,
            Popup::Findings if self.findings.editing => Context::FindingsFilter,
            Popup::Findings => Context::Findings,
            Popup::Query => match self.query.focus {
                _ if self.query.running.is_some() => Context::QueryRunning,
                PaneFocus::Form => Context::Query,
                PaneFocus::Answer => Context::Answer,
                PaneFocus::Filter => Context::AnswerFilter,
            },
            Popup::None if self.lesson_focused() => Context::Lesson,
            Popup::None => match self.focus {
                Focus::Tree => Context::Tree,
                Focus::Details => Context::Details,
            },
        }
    }

    /// Hands searches to a worker thread (see [`super::worker`]), which also builds
    /// the index it shares with the app.
    pub fn search_in_background(
        &mut self,
        jobs: Sender<SearchJob>,
    ) -> Arc<OnceLock<SearchIndex<Node>>> {
        self.searcher = Searcher::Worker(jobs);
        self.index.clone()
    }

    /// Hands the query pane's questions to the query worker (see
    /// [`super::query::serve`]); returns the number of the question awaited, which
    /// the worker reads, and where it counts its progress.
    pub fn query_in_background(&mut self, jobs: Sender<QueryJob>) -> Arc<Awaited> {
        let awaited = Arc::new(Awaited::default());
        self.asker = Asker::Worker {
            jobs,
            awaited: awaited.clone(),
        };
        awaited
    }

    /// Builds the index now when searches run inline; a worker builds it itself.
    fn ensure_index(&self) {
        if let Searcher::Inline(_) = self.searcher {
            self.index
                .get_or_init(|| super::org_index::build(&self.src));
        }
    }

    /// Runs a search, or sends it to the worker.
    pub(super) fn search(&mut self, target: Target, query: String, only: Option<u32>) {
        match &mut self.searcher {
            Searcher::Worker(tx) => {
                let _ = tx.send(SearchJob {
                    target,
                    query,
                    only,
                    view: self.view_gen,
                    index: Shared(self.index.clone()),
                    changed: match self.src.shown() {
                        OrgRef::Loaded(_) => None,
                        OrgRef::Changed(o) => Some(Shared(o.clone())),
                    },
                });
            }
            Searcher::Inline(searches) => {
                let index = self
                    .index
                    .get_or_init(|| super::org_index::build(&self.src));
                let search = &mut searches[target.slot()];
                search.set_query(index, &query, only);
                let m = search.matches().clone();
                self.found(target, m);
            }
        }
    }

    /// Takes a search's matches if they answer what is typed now.
    fn found(&mut self, target: Target, m: Matches) {
        match target {
            Target::Filter if m.query == self.filter_input => self.filter = m,
            Target::Palette if Some(m.query.as_str()) == self.palette_query().map(|(q, _)| q) => {
                self.palette.matches = m;
            }
            Target::Query if self.query.org_query.as_deref() == Some(m.query.as_str()) => {
                self.query_found(m);
            }
            _ => {}
        }
    }

    /// Whether the list lags behind what is typed (a search is running).
    pub fn searching(&self, target: Target) -> bool {
        match target {
            Target::Filter => self.filter.query != self.filter_input,
            Target::Palette => self
                .palette_query()
                .is_some_and(|(q, _)| q != self.palette.matches.query),
            Target::Query => self.query_searching(),
        }
    }

    /// The index if it is built already (the view never builds it).
    pub fn index_if_built(&self) -> Option<&SearchIndex<Node>> {
        self.index.get()
    }

    /// One message in, the new state out.
    pub fn update(&mut self, msg: Msg) -> Option<Effect> {
        let before = (self.selected(), self.tab);
        let (effect, visit) = match msg {
            Msg::Key(ev) => self.on_key(ev),
            Msg::Mouse(ev) => (None, self.on_mouse(ev)),
            Msg::Resize(w, h) => {
                self.resize(w, h);
                (None, None)
            }
            Msg::Found(target, view, m) => {
                // Matches on another org's index name other nodes.
                if view == self.view_gen {
                    self.found(target, m);
                }
                (None, None)
            }
            Msg::Answered(id, outcome) => {
                self.answered(id, outcome);
                (None, None)
            }
            Msg::Tick => {
                self.tick();
                self.findings_tick();
                (None, None)
            }
            Msg::Findings(all) => {
                self.findings_done(all);
                (None, None)
            }
            Msg::ScenarioFindings(org, all) => {
                self.scenario_findings_done(&org.0, all);
                (None, None)
            }
            Msg::Quit => {
                self.quit = true;
                (None, None)
            }
            Msg::Applied(id, result) => {
                self.applied(id, &result.0);
                (None, None)
            }
            Msg::Diffed(id, result) => {
                self.diffed(id, &result.0);
                (None, None)
            }
            Msg::Edited(result) => {
                self.edited(result);
                (None, None)
            }
        };
        let after = self.selected();
        if after != before.0 {
            self.lesson_selected(after);
        }
        if after != before.0
            && let Some(how) = visit
        {
            // The place left keeps the tab it was left on, for `[` to show again.
            self.history.set_current(before);
            self.history.visit((after, self.tab), how);
        }
        self.refresh_detail();
        effect
    }

    /// Lays the screen out again at its size (a pane came or went).
    pub(super) fn relayout(&mut self) {
        self.resize(self.areas.screen.width, self.areas.screen.height);
    }

    fn resize(&mut self, width: u16, height: u16) {
        self.areas = Areas::new(width, height, self.focus == Focus::Details);
        if self.lesson_pane_shown() {
            self.areas = self.areas.with_lesson();
        }
        if let Some(rows) = self.areas.tree_rows() {
            self.tree.set_height(rows.height as usize);
        }
        self.fit_answer();
        self.refresh_detail();
    }

    pub(super) fn set_focus(&mut self, focus: Focus) {
        if self.focus != focus {
            self.focus = focus;
            // The narrow layout shows only the focused pane.
            self.resize(self.areas.screen.width, self.areas.screen.height);
        }
    }

    /// Rebuilds the details when the node, tab or highlighted statement changed, and
    /// only then.
    fn refresh_detail(&mut self) {
        // A highlight lasts while its node is selected.
        if self.mark.is_some_and(|(n, _)| n != self.selected()) {
            self.mark = None;
        }
        if self.areas.details.is_none() {
            return;
        }
        let width = self.areas.detail_rows().map_or(0, |r| r.width);
        let mark = self.mark.map(|(_, m)| m);
        let key = (self.selected(), self.tab, width, mark);
        if self.detail.key != Some(key) {
            let cx = DetailCtx {
                tree: &self.src,
                theme: &self.theme,
                now: self.now,
            };
            let (mut lines, anchor) =
                details::build_marked(&cx, key.0, key.1, usize::from(width), mark);
            if key.1 == Tab::Overview {
                lines.extend(super::findings_view::node_section(
                    &self.theme,
                    self.org(),
                    &self.findings,
                    key.0,
                    usize::from(width),
                ));
            }
            self.detail.lines = lines;
            let moved = self
                .detail
                .key
                .is_none_or(|(n, t, _, m)| (n, t, m) != (key.0, key.1, key.3));
            let rows = self.areas.detail_rows().map_or(1, |r| r.height as usize);
            match anchor {
                // A statement jumped to: from its policy's heading when that shows
                // enough of it, else from a line above it.
                Some(a) if moved && a.statement - a.heading < rows / 2 => {
                    self.detail.scroll = a.heading;
                }
                Some(a) if moved => self.detail.scroll = a.statement.saturating_sub(2),
                // A new width keeps the place; a new node or tab starts at the top.
                _ if moved => self.detail.scroll = 0,
                _ => {}
            }
            self.detail.key = Some(key);
        }
        self.detail.scroll = self.detail.scroll.min(self.max_detail_scroll());
    }

    fn max_detail_scroll(&self) -> usize {
        let rows = self.areas.detail_rows().map_or(1, |r| r.height as usize);
        self.detail.lines.len().saturating_sub(rows)
    }

    pub(super) fn scroll_detail(&mut self, delta: isize) {
        self.detail.scroll = self
            .detail
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_detail_scroll());
    }

    /// Selects a node anywhere in the org, opening the tree down to it.
    pub fn jump_to(&mut self, node: Node) -> bool {
        self.tree.reveal(&self.src, node)
    }

    /// The breadcrumbs: the selected node's path from the top.
    pub fn breadcrumbs(&self) -> Vec<Node> {
        self.src.path(self.selected())
    }

    /// Back or forward through history.
    fn travel(&mut self, forward: bool) -> Option<Visit> {
        self.history.set_current((self.selected(), self.tab));
        let target = if forward {
            self.history.forward()
        } else {
            self.history.back()
        };
        match target {
            Some((n, tab)) => {
                self.jump_to(n);
                self.tab = tab;
            }
            None => self.say(if forward {
                "nothing further forward"
            } else {
                "nothing further back"
            }),
        }
        // History moves are not themselves recorded.
        None
    }

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            warn: false,
        });
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            warn: true,
        });
    }

    /// The ARN of the selected node, or its id when it has no ARN.
    fn copy_selected(&mut self) -> Option<Effect> {
        let node = self.selected();
        let org = self.org();
        let text: Option<(&str, String)> = match node.entity() {
            Some(e) => match org.arn(e) {
                Some(arn) => Some(("ARN", arn.to_string())),
                None => self.src.detail(node).map(|id| ("id", id.to_string())),
            },
            None => None,
        };
        let Some((what, text)) = text else {
            self.say("nothing to copy here");
            return None;
        };
        let safe = super::sanitize::sanitize(&text).into_owned();
        if safe != text {
            self.warn(format!(
                "copied the {what} with its control characters made visible: {safe}"
            ));
        } else {
            self.say(format!("copied {safe}"));
        }
        Some(Effect::Copy(safe))
    }

    /// A node's children in the tree (for the view's badges).
    pub fn has_children(&self, n: Node) -> bool {
        self.src.has_children(n)
    }

    /// The keymap's first key for an action, as shown.
    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }
}

#[cfg(test)]
mod query_tests;
#[cfg(test)]
mod tests;
