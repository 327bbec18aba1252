//! What if in the app: the change menu, the editors, undo and redo, applying the
//! scenario and diffing it (inline, or on the what-if worker), saving it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::Instant;

use crossterm::event::KeyEvent;

use super::popups::edit;
use super::{App, Changer, Effect, Popup};
use crate::org::{Entity, Org};
use crate::scenario::expect::{self, Expectation};
use crate::scenario::impact::Progress;
use crate::scenario::{Change, Scenario};
use crate::tui::commands::{Action, Context};
use crate::tui::history::Visit;
use crate::tui::nodes::Node;
use crate::tui::query::form::QueryKind;
use crate::tui::sanitize::sanitize;
use crate::tui::what_if::diff::{DiffView, Shown};
use crate::tui::what_if::editor::{self, Editor};
use crate::tui::what_if::menu::{self, EditTarget, Offer};
use crate::tui::what_if::worker::{self, DiffJob, Job};
use crate::tui::what_if::{Applying, DiffRun, Entry, LevelPicker, MenuState, MenuStep};

/// The scope of a diff for a node: what `ImpactOptions.scope` takes, and its label.
pub fn scope_of(org: &Org, node: Node) -> (Vec<String>, String) {
    let account = |a: crate::org::AccountIx| {
        let acc = org.account(a);
        (vec![acc.id.to_string()], format!("account {}", acc.name))
    };
    match node {
        Node::Ou(o) => (
            vec![org.ou(o).id.to_string()],
            format!("OU {}", org.ou(o).name),
        ),
        Node::Account(a) | Node::Folder(a, _) => account(a),
        Node::User(u) => (
            vec![org.user(u).arn.to_string()],
            format!("user {}", org.user(u).name()),
        ),
        Node::Role(r) => (
            vec![org.role(r).arn.to_string()],
            format!("role {}", org.role(r).name()),
        ),
        n => match n.entity().and_then(|e| org.account_of(e)) {
            Some(a) if !matches!(n.entity(), Some(Entity::Root)) => account(a),
            _ => (Vec::new(), "the whole organization".into()),
        },
    }
}

/// What an edit target is, for the editor's title: `SCP DenyAll`, `trust policy of
/// arn:...`.
fn target_name(t: &EditTarget) -> String {
    match t {
        EditTarget::OrgPolicy { kind, policy } => format!("{} {policy}", kind.label()),
        EditTarget::NewOrgPolicy { kind, name, .. } => format!("new {} {name}", kind.label()),
        EditTarget::Managed { name, .. } => format!("managed policy {name}"),
        EditTarget::Inline { principal, name } => format!("inline policy {name} of {principal}"),
        EditTarget::Trust { role } => format!("trust policy of {role}"),
        EditTarget::Resource { resource, .. } => format!("policy of {resource}"),
    }
}

impl App<'_> {
    /// Hands applying and diffing to the what-if worker (see [`worker::serve`]).
    pub fn what_if_in_background(&mut self, jobs: Sender<Job>) {
        self.changer = Changer::Worker(jobs);
    }

    /// Starts with a scenario already applied (`--scenario FILE`).
    pub fn start_scenario(&mut self, scenario: Scenario, changed: Arc<Org>) {
        for c in scenario.changes {
            self.what_if.changes.push(Entry::new(c));
        }
        self.what_if.changed_scenario();
        self.what_if.changed = Some(changed);
        self.show_scenario_org();
    }

    /// Guardrails checked in the what-if view (`--expect FILE`, `:expect FILE`).
    pub fn set_expectations(&mut self, file: PathBuf, list: Vec<Expectation>) {
        self.what_if.expectations = Arc::new(list);
        self.what_if.expect_file = Some(file);
        self.what_if.cancel_diff();
        self.what_if.shown = None;
    }

    // ---- making changes ------------------------------------------------------------

    pub(super) fn open_menu(&mut self) {
        let node = self.selected();
        let offers = menu::offers(&self.src, node);
        if offers.is_empty() {
            self.say(
                "no change is made here: select the root, an OU, an account, a user, group or role, a policy or a resource",
            );
            return;
        }
        self.menu = Some(MenuState {
            node,
            step: MenuStep::Offers(offers),
            filter: String::new(),
            selected: 0,
        });
        self.popup = Popup::ChangeMenu;
    }

    pub(super) fn menu_key(&mut self, ev: KeyEvent) {
        let Some(m) = self.menu.as_mut() else {
            self.popup = Popup::None;
            return;
        };
        // A letter is typed (a filter, a name): `j` and `k` too, which elsewhere move.
        let plain = !ev.modifiers.intersects(
            crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
        );
        if plain && matches!(ev.code, crossterm::event::KeyCode::Char(_)) {
            if edit(&mut m.filter, &ev) {
                m.selected = 0;
            }
            return;
        }
        match self.keymap.action(Context::ChangeMenu, &ev) {
            Some(Action::Down | Action::NextItem) => m.select(true),
            Some(Action::Up | Action::PrevItem) => m.select(false),
            Some(Action::Cancel) => {
                self.menu = None;
                self.popup = Popup::None;
            }
            Some(Action::Accept) => self.menu_accept(),
            _ => {
                if edit(&mut m.filter, &ev) {
                    m.selected = 0;
                }
            }
        }
    }

    fn menu_accept(&mut self) {
        let Some(m) = self.menu.clone() else {
            return;
        };
        if let MenuStep::Name(offer) = &m.step {
            if m.filter.trim().is_empty() {
                self.warn("type the name first");
                return;
            }
            if let Some(why) = menu::name_refusal(self.org(), m.node, offer, &m.filter) {
                self.warn(why);
                return;
            }
            self.menu = None;
            self.popup = Popup::None;
            if let Some((target, title, text)) =
                menu::new_document(self.org(), m.node, offer, &m.filter)
            {
                self.open_editor(target, title, &text);
                // A new document: keeping the first text as it is still makes it.
                if let Some(e) = self.editor.as_mut() {
                    e.original.clear();
                }
                self.say("write the policy: Ctrl-s keeps it, Ctrl-o continues in $EDITOR, Esc discards it");
                return;
            }
            if let Some(c) = menu::create(self.org(), m.node, offer, &m.filter) {
                self.propose(c);
            }
            return;
        }
        let Some(&(i, _)) = m.rows().get(m.selected) else {
            self.say("nothing matches");
            return;
        };
        let shown = self.shown();
        let org = shown.get();
        match m.step {
            MenuStep::Offers(items) => {
                let item = &items[i];
                if let Some(why) = menu::refusal(org, m.node, &item.offer) {
                    self.warn(why);
                    return;
                }
                if let Offer::Edit(target) = &item.offer {
                    self.menu = None;
                    let text = item.text.clone().unwrap_or_default();
                    self.open_editor(target.clone(), target_name(target), &text);
                    return;
                }
                if menu::takes_name(&item.offer) {
                    self.menu = Some(MenuState {
                        node: m.node,
                        step: MenuStep::Name(item.offer.clone()),
                        filter: String::new(),
                        selected: 0,
                    });
                    return;
                }
                if !menu::needs_choice(&item.offer) {
                    self.menu = None;
                    self.popup = Popup::None;
                    if let Some(c) = menu::change(org, m.node, &item.offer, None) {
                        self.propose(c);
                    }
                    return;
                }
                let choices = menu::choices(&self.src, m.node, &item.offer);
                if choices.is_empty() {
                    self.warn(format!("nothing to choose from to {}", item.label));
                    return;
                }
                self.menu = Some(MenuState {
                    node: m.node,
                    step: MenuStep::Choose(item.offer.clone(), choices),
                    filter: String::new(),
                    selected: 0,
                });
            }
            MenuStep::Name(_) => {}
            // A new resource's kind chosen: its name or ARN is typed next.
            MenuStep::Choose(Offer::NewResourcePolicy, choices) => {
                let kind = menu::resource_kind_of_key(&choices[i].value);
                self.menu = Some(MenuState {
                    node: m.node,
                    step: MenuStep::Name(Offer::NewResourcePolicyNamed(kind)),
                    filter: String::new(),
                    selected: 0,
                });
            }
            MenuStep::Choose(offer, choices) => {
                self.menu = None;
                self.popup = Popup::None;
                if let Some(c) = menu::change(org, m.node, &offer, Some(&choices[i])) {
                    self.propose(c);
                }
            }
        }
    }

    fn open_editor(&mut self, target: EditTarget, title: String, text: &str) {
        self.editor = Some(Editor::new(target, title, text));
        self.popup = Popup::Editor;
    }

    pub(super) fn editor_key(&mut self, ev: KeyEvent) -> Option<Effect> {
        let Some(e) = self.editor.as_mut() else {
            self.popup = Popup::None;
            return None;
        };
        match self.keymap.action(Context::Editor, &ev) {
            // The text as it is, to `$EDITOR`; what it leaves is checked on return.
            Some(Action::EditorExternal) => {
                let e = self.editor.take()?;
                self.popup = Popup::None;
                let text = e.text();
                self.external = Some(e.target);
                return Some(Effect::Edit(text));
            }
            Some(Action::Cancel) => {
                self.editor = None;
                self.popup = Popup::None;
                self.say("edit discarded: no change made");
            }
            Some(Action::SaveEdit) => match &e.check {
                Err(err) => {
                    let why = format!("refused: the policy does not parse: {err}");
                    self.warn(why);
                }
                Ok(()) if e.unchanged() => {
                    self.editor = None;
                    self.popup = Popup::None;
                    self.say("the policy is unchanged: no change made");
                }
                Ok(()) => {
                    let changes = e.target.changes(&e.text());
                    self.editor = None;
                    self.popup = Popup::None;
                    self.propose_all(changes);
                }
            },
            _ => {
                if e.area.input(ev) {
                    e.recheck();
                }
            }
        }
        None
    }

    /// `e`: the selected policy (or the node's first document) in `$EDITOR`.
    pub(super) fn edit_selected_externally(&mut self) -> Option<Effect> {
        let node = self.selected();
        let item = menu::offers(&self.src, node)
            .into_iter()
            .find(|i| matches!(i.offer, Offer::Edit(_)));
        let Some(menu::Item {
            offer: Offer::Edit(target),
            text,
            ..
        }) = item
        else {
            self.say(match node {
                Node::Policy(_) => "AWS managed policies are AWS's to edit: attach another instead",
                _ => "no policy to edit here: select a policy, a role, a user or group with inline policies, or a resource with a policy",
            });
            return None;
        };
        self.external = Some(target);
        Some(Effect::Edit(text.unwrap_or_default()))
    }

    /// `$EDITOR` closed: the text is checked, and refused with why (in the in-app
    /// editor, to fix there).
    pub(super) fn edited(&mut self, result: Result<String, String>) {
        let Some(target) = self.external.take() else {
            return;
        };
        match result {
            Err(e) => self.warn(format!("the editor failed: {e}")),
            Ok(text) => match editor::check(&target, &text) {
                Err(err) => {
                    let title = format!("{} (from $EDITOR)", target_name(&target));
                    self.open_editor(target, title, &text);
                    self.warn(format!("refused: the policy does not parse: {err}"));
                }
                Ok(()) => self.propose_all(target.changes(&text)),
            },
        }
    }

    /// A new change: kept once the scenario with it applies.
    pub(super) fn propose(&mut self, change: Change) {
        self.propose_all(vec![change]);
    }

    /// New changes, in order (a policy created, then attached): kept together once
    /// the scenario with them applies, each undone on its own.
    pub(super) fn propose_all(&mut self, changes: Vec<Change>) {
        if self.what_if.applying.is_some() {
            self.warn("still applying the last change: try again in a moment");
            return;
        }
        let mut scenario = self.what_if.changes.scenario();
        scenario.changes.extend(changes.iter().cloned());
        let entries = changes.into_iter().map(Entry::new).collect();
        self.apply(scenario, Applying::Propose(entries));
    }

    /// `u` (or `Ctrl-r` for redo).
    pub(super) fn undo(&mut self, back: bool) {
        if self.what_if.applying.is_some() {
            self.warn("still applying the last change: try again in a moment");
            return;
        }
        let c = &mut self.what_if.changes;
        let moved = if back { c.undo() } else { c.redo() };
        if !moved {
            self.say(if back {
                "nothing to undo"
            } else {
                "nothing to redo"
            });
            return;
        }
        self.say(format!(
            "{}: {} left",
            if back { "undone" } else { "redone" },
            crate::tui::words::plural(self.what_if.changes.done().len(), "change", "changes")
        ));
        self.what_if.changed_scenario();
        if self.what_if.changes.is_empty() {
            self.after_apply();
            return;
        }
        let scenario = self.what_if.changes.scenario();
        self.apply(scenario, Applying::Rebuild);
    }

    fn apply(&mut self, scenario: Scenario, why: Applying) {
        let id = self.what_if.next_id();
        self.what_if.applying = Some((id, why));
        match &self.changer {
            Changer::Inline => {
                let result = worker::applied(self.loaded(), &scenario);
                self.applied(id, &result);
            }
            Changer::Worker(tx) => {
                let proposed = matches!(self.what_if.applying, Some((_, Applying::Propose(_))));
                if tx.send(Job::Apply { id, scenario }).is_err() {
                    self.what_if.applying = None;
                    self.warn("the what-if worker is gone");
                } else if proposed {
                    // An undo or redo keeps saying what it did: the panes show the
                    // work under way.
                    self.say("what if: laying the changes over the organization…");
                }
            }
        }
    }

    /// The changed org, or why the scenario does not apply.
    pub(super) fn applied(&mut self, id: u64, result: &Result<Arc<Org>, String>) {
        let Some((_, why)) = self.what_if.applying.take_if(|(i, _)| *i == id) else {
            return;
        };
        match (why, result) {
            (Applying::Propose(entries), Ok(org)) => {
                let op = entries
                    .iter()
                    .map(|e| e.change.op())
                    .collect::<Vec<_>>()
                    .join(" and ");
                for entry in entries {
                    self.what_if.changes.push(entry);
                }
                self.what_if.changed_scenario();
                self.what_if.changed = Some(org.clone());
                self.say(format!(
                    "what if: {op} made ({}) · d diff · s list · u undo",
                    crate::tui::words::plural(
                        self.what_if.changes.done().len(),
                        "change",
                        "changes"
                    )
                ));
            }
            (Applying::Propose(_), Err(e)) => {
                self.warn(format!("refused: {e}"));
                return;
            }
            (Applying::Rebuild, Ok(org)) => self.what_if.changed = Some(org.clone()),
            (Applying::Rebuild, Err(e)) => {
                self.warn(format!("the scenario no longer applies: {e}"));
                return;
            }
        }
        self.after_apply();
    }

    /// With a new changed org (or none left): the app shows it, the diff shown is
    /// computed again, and a lesson's change step is judged on it.
    fn after_apply(&mut self) {
        self.show_scenario_org();
        if self.popup == Popup::WhatIf {
            self.start_diff();
        }
        if self.lesson.is_some()
            && let Some(changed) = self.what_if.changed.clone()
        {
            let scenario = self.what_if.changes.scenario();
            self.lesson_scenario_changed(&changed, &scenario);
        }
    }

    // ---- the what-if view ---------------------------------------------------------

    pub(super) fn open_scenario_pane(&mut self) {
        self.popup = Popup::Scenario;
        self.what_if.pane_selected = 0;
    }

    pub(super) fn open_what_if(&mut self) {
        self.popup = Popup::WhatIf;
        self.start_diff();
    }

    /// Starts the diff for the selected node, dropping one running.
    fn start_diff(&mut self) {
        self.what_if.cancel_diff();
        self.what_if.shown = None;
        self.what_if.reset_view();
        let (scope, label) = scope_of(self.org(), self.selected());
        let Some(after) = self.what_if.changed.clone() else {
            if self.what_if.applying.is_none() {
                self.what_if.shown = Some((
                    label,
                    Err(
                        "no change yet: make one with m on a node (or start with --scenario FILE)"
                            .into(),
                    ),
                ));
            }
            return;
        };
        let id = self.what_if.next_id();
        let job = DiffJob {
            id,
            after,
            changes: self
                .what_if
                .changes
                .done()
                .iter()
                .map(|e| e.change.to_string())
                .collect(),
            scope,
            progress: Arc::new(Progress::default()),
            expectations: self.what_if.expectations.clone(),
            levels: self.what_if.levels.clone(),
            actions: self.what_if.actions.clone(),
        };
        self.what_if.running = Some(DiffRun {
            id,
            progress: job.progress.clone(),
            started: Instant::now(),
            scope: label,
        });
        match &self.changer {
            Changer::Inline => {
                let result = worker::diffed(self.loaded(), &job);
                self.diffed(id, &result);
            }
            Changer::Worker(tx) => {
                if tx.send(Job::Diff(job)).is_err() {
                    self.what_if.running = None;
                    self.warn("the what-if worker is gone");
                }
            }
        }
    }

    /// `v`'s picker: space (or a level's number) checks a level, `a` all, Enter
    /// asks them, Esc leaves the levels as they were.
    fn level_picker_key(&mut self, ev: KeyEvent) {
        use crossterm::event::KeyCode;
        let Some(p) = self.what_if.level_picker.as_mut() else {
            return;
        };
        let n = p.chosen.len();
        match ev.code {
            KeyCode::Char(' ' | 'x') => p.chosen[p.selected] = !p.chosen[p.selected],
            KeyCode::Char(c @ '1'..='5') => {
                let i = usize::from(c as u8 - b'1');
                p.chosen[i] = !p.chosen[i];
                p.selected = i;
            }
            KeyCode::Char('a') => p.toggle_all(),
            _ => match self.keymap.action(Context::WhatIf, &ev) {
                Some(Action::Down | Action::NextItem) => p.selected = (p.selected + 1) % n,
                Some(Action::Up | Action::PrevItem) => p.selected = (p.selected + n - 1) % n,
                Some(Action::Cancel) => self.what_if.level_picker = None,
                Some(Action::Accept) => {
                    if !p.chosen.contains(&true) {
                        self.warn("check one level at least (space), or Esc");
                        return;
                    }
                    let levels = p.levels();
                    self.what_if.level_picker = None;
                    self.say(format!(
                        "what if: {}",
                        levels.as_deref().map_or_else(
                            || "Write and Permissions management asked (the default)".into(),
                            worker::levels_asked
                        )
                    ));
                    self.what_if.levels = levels;
                    self.start_diff();
                }
                _ => {}
            },
        }
    }

    pub(super) fn diffed(&mut self, id: u64, result: &Result<DiffView, String>) {
        let Some(run) = self.what_if.running.take_if(|r| r.id == id) else {
            return;
        };
        self.what_if.reset_view();
        if let Ok(v) = result {
            self.what_if.open = v.first_open();
        }
        self.what_if.shown = Some((run.scope, result.clone()));
    }

    fn diff_rows(&self) -> usize {
        self.what_if.shown_rows().len()
    }

    /// The rows the what-if view shows at once.
    pub fn what_if_page(&self) -> usize {
        usize::from(self.areas.query().height.saturating_sub(6)).max(1)
    }

    pub(super) fn what_if_key(&mut self, ev: KeyEvent) -> (Option<Effect>, Option<Visit>) {
        if self.what_if.editing {
            self.what_if_filter_key(ev);
            return (None, None);
        }
        if self.what_if.level_picker.is_some() {
            self.level_picker_key(ev);
            return (None, None);
        }
        let n = self.diff_rows();
        let page = self.what_if_page();
        let w = &mut self.what_if;
        match self.keymap.action(Context::WhatIf, &ev) {
            Some(Action::Down) => w.selected = (w.selected + 1).min(n.saturating_sub(1)),
            Some(Action::Up) => w.selected = w.selected.saturating_sub(1),
            Some(Action::PageDown) => w.selected = (w.selected + page).min(n.saturating_sub(1)),
            Some(Action::PageUp) => w.selected = w.selected.saturating_sub(page),
            Some(Action::Top) => w.selected = 0,
            Some(Action::Bottom) => w.selected = n.saturating_sub(1),
            Some(Action::Right) => {
                self.fold_selected(Some(true));
            }
            Some(Action::Left) => {
                self.fold_selected(Some(false));
            }
            Some(Action::Filter) => w.editing = true,
            Some(Action::WhatIfLevels) => {
                w.level_picker = Some(LevelPicker::new(w.levels.as_deref()));
                return (None, None);
            }
            Some(Action::Undo) => self.undo(true),
            Some(Action::Redo) => self.undo(false),
            Some(Action::ScenarioPane) => self.open_scenario_pane(),
            Some(Action::Help) => self.popup = Popup::Help(Context::WhatIf),
            Some(Action::Quit) => self.quit = true,
            Some(Action::Cancel) => {
                self.what_if.cancel_diff();
                self.popup = Popup::None;
            }
            Some(Action::Accept) => {
                if self.fold_selected(None) {
                    return (None, None);
                }
                return (None, self.explain_selected());
            }
            _ => {}
        }
        self.keep_diff_in_view();
        (None, None)
    }

    fn keep_diff_in_view(&mut self) {
        let n = self.diff_rows();
        let page = self.what_if_page();
        let w = &mut self.what_if;
        w.selected = w.selected.min(n.saturating_sub(1));
        if w.selected < w.scroll {
            w.scroll = w.selected;
        } else if w.selected >= w.scroll + page {
            w.scroll = w.selected + 1 - page;
        }
    }

    /// Opens (`Some(true)`), folds (`Some(false)`) or toggles (`None`) the fold of
    /// the selected row; folding from one of its lines selects its summary. False
    /// when the row is no fold's summary and nothing was done (Enter then explains).
    fn fold_selected(&mut self, open: Option<bool>) -> bool {
        let rows = self.what_if.shown_rows();
        let w = &mut self.what_if;
        let filtered = !w.filter.is_empty();
        let done = match (rows.get(w.selected).copied(), open) {
            (Some(Shown::Summary(id, opened)), want) => {
                let want = want.unwrap_or(!opened);
                if want == opened {
                    return true;
                }
                if want {
                    w.open.insert(id);
                } else {
                    w.open.remove(&id);
                    if filtered {
                        // A filtered fold shows open: the filter goes so it can fold.
                        w.filter.clear();
                    }
                }
                Some(id)
            }
            (Some(Shown::Line(id, _)), Some(false)) => {
                w.open.remove(&id);
                w.filter.clear();
                Some(id)
            }
            _ => None,
        };
        let Some(id) = done else {
            return false;
        };
        // The fold's summary stays selected wherever the rows moved.
        let rows = self.what_if.shown_rows();
        if let Some(at) = rows
            .iter()
            .position(|r| matches!(r, Shown::Summary(x, _) if *x == id))
        {
            self.what_if.selected = at;
        }
        self.keep_diff_in_view();
        true
    }

    /// The filter line: what is typed narrows the diff at once.
    fn what_if_filter_key(&mut self, ev: KeyEvent) {
        let w = &mut self.what_if;
        match self.keymap.action(Context::AnswerFilter, &ev) {
            Some(Action::Accept) => w.editing = false,
            Some(Action::Cancel) => {
                w.editing = false;
                w.filter.clear();
                w.selected = 0;
            }
            Some(Action::NextItem) => w.selected += 1,
            Some(Action::PrevItem) => w.selected = w.selected.saturating_sub(1),
            _ => {
                if edit(&mut w.filter, &ev) {
                    w.selected = 0;
                }
            }
        }
        self.keep_diff_in_view();
    }

    /// Enter on a diff line: its question, asked of the org before and after.
    fn explain_selected(&mut self) -> Option<Visit> {
        let rows = self.what_if.shown_rows();
        let Some((_, Ok(view))) = &self.what_if.shown else {
            return None;
        };
        let Some(x) = rows
            .get(self.what_if.selected)
            .and_then(|r| view.row(*r))
            .and_then(|r| r.explain.clone())
        else {
            self.say("this line has no question: open a principal (→) and choose a + - or ~ line");
            return None;
        };
        let mut args = format!("{} {} {}", x.principal, x.action, x.resource);
        for pair in &x.context {
            args.push(' ');
            args.push_str(pair);
        }
        self.what_if.back_to_view = true;
        self.open_query(QueryKind::Can, Some(&args))
    }

    pub(super) fn scenario_key(&mut self, ev: KeyEvent) {
        let n = self.what_if.changes.done().len() + self.what_if.changes.undone().count();
        let w = &mut self.what_if;
        match self.keymap.action(Context::Scenario, &ev) {
            Some(Action::Down) => w.pane_selected = (w.pane_selected + 1).min(n.saturating_sub(1)),
            Some(Action::Up) => w.pane_selected = w.pane_selected.saturating_sub(1),
            Some(Action::Top | Action::PageUp) => w.pane_selected = 0,
            Some(Action::Bottom | Action::PageDown) => w.pane_selected = n.saturating_sub(1),
            Some(Action::Undo) => self.undo(true),
            Some(Action::Redo) => self.undo(false),
            Some(Action::WhatIf) => self.open_what_if(),
            Some(Action::Help) => self.popup = Popup::Help(Context::Scenario),
            Some(Action::Quit) => self.quit = true,
            Some(Action::Cancel) => self.popup = Popup::None,
            _ => {}
        }
    }

    pub(super) fn what_if_wheel(&mut self, wheel: isize) {
        match self.popup {
            Popup::WhatIf => {
                let n = self.diff_rows();
                let w = &mut self.what_if;
                w.selected = w
                    .selected
                    .saturating_add_signed(wheel)
                    .min(n.saturating_sub(1));
                self.keep_diff_in_view();
            }
            Popup::ChangeMenu => {
                if let Some(m) = self.menu.as_mut() {
                    m.select(wheel > 0);
                }
            }
            _ => {}
        }
    }

    // ---- the palette's commands ---------------------------------------------------

    /// `:w FILE`, `:expect FILE`, `:scenario`, `:what-if`; `None` for another command.
    pub(super) fn palette_what_if(
        &mut self,
        name: &str,
        arg: Option<&str>,
    ) -> Option<Option<Visit>> {
        let arg = arg.map(str::trim).filter(|a| !a.is_empty());
        match name {
            "w" => {
                self.popup = Popup::None;
                match arg {
                    Some(path) => self.save_scenario(Path::new(path)),
                    None => self.warn("give the file to write: :w FILE"),
                }
            }
            "expect" => {
                self.popup = Popup::None;
                match arg {
                    Some(path) => self.load_expectations(Path::new(path)),
                    None => self.warn("give the expectations file: :expect FILE"),
                }
            }
            "scenario" => self.open_scenario_pane(),
            "what-if" => {
                self.what_if.actions = arg.map(|a| {
                    a.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                });
                self.open_what_if();
            }
            _ => return None,
        }
        Some(None)
    }

    /// Writes the scenario to a new file, atomically, never over the org's files.
    pub(super) fn save_scenario(&mut self, path: &Path) {
        if self.what_if.changes.is_empty() {
            self.warn("no change to save: make one with m first");
            return;
        }
        let inputs: Vec<&Path> = self.inputs.iter().map(PathBuf::as_path).collect();
        let scenario = self.what_if.changes.scenario();
        match crate::scenario::save(&scenario, path, &inputs) {
            Ok(_) => self.say(format!(
                "saved {} to {}",
                crate::tui::words::plural(scenario.changes.len(), "change", "changes"),
                sanitize(&path.display().to_string())
            )),
            Err(e) => self.warn(format!("not saved: {e}")),
        }
    }

    pub(super) fn load_expectations(&mut self, path: &Path) {
        let shown = path.display().to_string();
        let text = match crate::text_file::read(path) {
            Ok(t) => t,
            Err(e) => {
                self.warn(format!("cannot read {}: {e}", sanitize(&shown)));
                return;
            }
        };
        match expect::parse(&shown, &text) {
            Ok(list) => {
                let n = list.len();
                self.set_expectations(path.to_path_buf(), list);
                self.say(format!(
                    "{} loaded: the what-if view (d) checks them",
                    crate::tui::words::plural(n, "expectation", "expectations")
                ));
            }
            Err(e) => self.warn(format!("{e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{acme, app, press};
    use super::*;
    use crate::catalog::AccessLevel;
    use crate::tui::what_if::diff::{DiffView, Row};

    fn shown<'x>(a: &'x App<'_>) -> &'x DiffView {
        match &a.what_if.shown {
            Some((_, Ok(v))) => v,
            other => panic!("no diff shown: {other:?}"),
        }
    }

    /// The diff's rows on screen (the gaps left out), in order.
    fn rows<'x>(a: &'x App<'_>) -> Vec<&'x Row> {
        let v = shown(a);
        a.what_if
            .shown_rows()
            .into_iter()
            .filter_map(|r| v.row(r))
            .collect()
    }

    fn texts(a: &App<'_>) -> Vec<String> {
        rows(a)
            .iter()
            .map(|r| r.spans.iter().map(|(_, s)| s.as_str()).collect())
            .collect()
    }

    /// The answer shown: its header's lines, and its row with the answer before
    /// the scenario.
    fn header_and_before(a: &App<'_>) -> (Vec<String>, String) {
        let answer = a.shown_answer().expect("an answer");
        let header = answer
            .full
            .header
            .iter()
            .map(|l| l.iter().map(|(_, s)| s.as_str()).collect())
            .collect();
        let before = (0..answer.full.len() as u32)
            .map(|i| answer.full.item(i).text())
            .find(|t| t.starts_with("before the scenario"))
            .expect("the answer before beside it");
        (header, before)
    }

    #[test]
    fn a_change_from_the_menu_is_kept_diffed_undone_and_redone() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:user space text:dana enter");
        let Node::User(dana) = a.selected() else {
            panic!("dana is not selected")
        };
        press(&mut a, "m text:remove enter");
        assert_eq!(a.popup, Popup::ChangeMenu, "{:?}", a.status);
        press(&mut a, "text:SecurityAuditors enter");
        assert_eq!(a.popup, Popup::None);
        let want = Change::RemoveUserFromGroup {
            user: org.user(dana).arn.to_string(),
            group: "SecurityAuditors".into(),
        };
        let done: Vec<&Change> = a.what_if.changes.done().iter().map(|e| &e.change).collect();
        assert_eq!(done, [&want]);
        assert!(a.what_if.touched.contains(&Node::User(dana)));
        let changed = a.what_if.changed.clone().expect("the changed org");
        assert!(changed.user(dana).groups.is_empty(), "dana left her group");
        assert_eq!(
            org.user(dana).groups.len(),
            1,
            "the loaded org is as it was"
        );

        // The diff for dana: she loses assuming the SecurityAuditor role, a line
        // that explains itself.
        press(&mut a, "d");
        assert_eq!(a.popup, Popup::WhatIf);
        let row = rows(&a)
            .into_iter()
            .find(|r| {
                r.explain
                    .as_ref()
                    .is_some_and(|x| x.action == "sts:AssumeRole")
            })
            .expect("sts:AssumeRole lost");
        assert!(
            row.spans.iter().any(|(_, s)| s.contains("was allowed")),
            "{row:?}"
        );

        // Enter on it: the question, asked before and after; Esc comes back.
        let at = a
            .what_if
            .shown_rows()
            .into_iter()
            .position(|r| shown(&a).row(r) == Some(row))
            .unwrap();
        a.what_if.selected = at;
        press(&mut a, "enter");
        assert_eq!(a.popup, Popup::Query);
        assert!(a.shown_answer().is_some());
        press(&mut a, "esc");
        assert_eq!(a.popup, Popup::WhatIf);

        press(&mut a, "u");
        assert!(a.what_if.changes.is_empty());
        assert!(a.what_if.touched.is_empty());
        assert!(matches!(&a.what_if.shown, Some((_, Err(e))) if e.contains("no change yet")));
        press(&mut a, "ctrl-r");
        assert_eq!(a.what_if.changes.done().len(), 1);
        assert!(!rows(&a).is_empty(), "the diff is back");
    }

    /// A line that was allowed only under conditions opens its question asked with
    /// those conditions: the answer before is the allowed one the line says was
    /// lost, not the plain request (which the root's RCP EnforceSecureTransport
    /// denies without aws:SecureTransport, before and after alike).
    #[test]
    fn a_conditional_line_is_explained_under_its_conditions() {
        let org = acme();
        let mut a = app(&org);
        a.propose(Change::Attach {
            kind: crate::scenario::OrgPolicyKind::Scp,
            policy: "DenyAll".into(),
            target: "Prod".into(),
        });
        press(&mut a, "d");
        // Open PaymentsApp's fold: → on its summary.
        a.what_if.selected = texts(&a)
            .iter()
            .position(|t| t.contains("role/PaymentsApp"))
            .expect("PaymentsApp's summary");
        press(&mut a, "right");
        let row = rows(&a)
            .into_iter()
            .find(|r| {
                r.explain
                    .as_ref()
                    .is_some_and(|x| x.principal.ends_with(":role/PaymentsApp"))
            })
            .expect("PaymentsApp loses an action")
            .clone();
        let x = row.explain.clone().unwrap();
        assert!(
            x.context.contains(&"aws:SecureTransport=true".to_string()),
            "{x:?}"
        );
        let at = a
            .what_if
            .shown_rows()
            .into_iter()
            .position(|r| shown(&a).row(r) == Some(&row))
            .unwrap();
        a.what_if.selected = at;
        press(&mut a, "enter");
        let (header, before) = header_and_before(&a);
        assert!(header[1].contains("Denied"), "after: {header:?}");
        assert!(before.contains("Allowed"), "{before}");
    }

    #[test]
    fn a_question_while_a_scenario_is_active_answers_for_the_changed_org_and_says_so() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:user space text:dana enter m text:remove enter enter",
        );
        assert!(a.what_if.active());
        press(
            &mut a,
            ": text:can space text:dana space text:sts:AssumeRole space text:arn:aws:iam::222222222222:role/SecurityAuditor enter",
        );
        let (header, before) = header_and_before(&a);
        assert!(header[0].contains("what if"), "{header:?}");
        assert!(header[1].contains("Denied"), "after: {header:?}");
        assert!(before.contains("Allowed"), "{before}");
    }

    #[test]
    fn an_edit_that_does_not_parse_is_refused_with_its_place() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:policy space text:DenyAll enter m");
        press(&mut a, "text:edit enter");
        assert_eq!(a.popup, Popup::Editor);
        assert!(a.editor.as_ref().unwrap().check.is_ok());
        press(&mut a, "text:x");
        let err = a.editor.as_ref().unwrap().check.clone().unwrap_err();
        assert_eq!(err.position, Some((1, 1)), "{err}");
        press(&mut a, "ctrl-s");
        let status = a.status.clone().unwrap();
        assert!(
            status.warn && status.text.contains("line 1 column 1"),
            "{status:?}"
        );
        assert_eq!(a.popup, Popup::Editor, "the editor stays open to fix it");
        press(&mut a, "esc");
        assert_eq!(a.popup, Popup::None);
        assert!(a.what_if.changes.is_empty());
    }

    #[test]
    fn an_edited_policy_becomes_a_change_and_an_aws_managed_one_is_refused() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:policy space text:DenyAll enter");
        let Some(Effect::Edit(text)) = a.edit_selected_externally() else {
            panic!("no edit effect")
        };
        assert!(text.contains("DenyEverything"));
        let changed = text.replace("\"Deny\"", "\"Allow\"");
        a.update(super::super::Msg::Edited(Ok(changed.clone())));
        let done: Vec<&Change> = a.what_if.changes.done().iter().map(|e| &e.change).collect();
        assert_eq!(
            done,
            [&Change::EditOrgPolicy {
                kind: crate::scenario::OrgPolicyKind::Scp,
                policy: "DenyAll".into(),
                document: crate::scenario::Document::new(changed),
            }]
        );
        press(&mut a, ": text:policy space text:AdministratorAccess enter");
        assert!(a.edit_selected_externally().is_none());
        assert!(a.status.unwrap().text.contains("AWS managed"));
    }

    #[test]
    fn the_scenario_is_saved_to_a_new_file_and_never_over_an_input() {
        let org = acme();
        let mut a = app(&org);
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("org.json");
        std::fs::write(&input, "{}").unwrap();
        a.inputs = vec![input.clone()];
        press(
            &mut a,
            ": text:user space text:dana enter m text:remove enter enter",
        );
        a.save_scenario(&input);
        assert!(a.status.clone().unwrap().warn);
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "{}");
        let out = dir.path().join("s.json");
        a.save_scenario(&out);
        assert!(!a.status.clone().unwrap().warn, "{:?}", a.status);
        let file = crate::scenario::ScenarioFile::load(&out).unwrap();
        assert_eq!(file.scenario, a.what_if.changes.scenario());
    }

    #[test]
    fn the_what_if_view_says_which_expectations_the_scenario_breaks() {
        let org = acme();
        let mut a = app(&org);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("guardrails.txt");
        std::fs::write(
            &file,
            "# dana audits through her group's role\n\
             user dana can sts:AssumeRole on arn:aws:iam::222222222222:role/SecurityAuditor\n\
             nobody outside the organization can s3:GetObject on arn:aws:s3:::payroll/*\n",
        )
        .unwrap();
        press(
            &mut a,
            &format!(": text:expect space text:{} enter", file.display()),
        );
        assert_eq!(a.what_if.expectations.len(), 2, "{:?}", a.status);
        press(
            &mut a,
            ": text:user space text:dana enter m text:remove enter enter d",
        );
        let rows = texts(&a);
        assert!(
            rows[0].contains("1 broken by the scenario; 1 of 2 fail"),
            "{rows:?}"
        );
        assert!(
            rows[1].contains("line 2") && rows[1].contains("user dana can"),
            "{rows:?}"
        );
        // A file that is not expectations is refused with its place.
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, "dana might do things\n").unwrap();
        press(&mut a, "esc");
        press(
            &mut a,
            &format!(": text:expect space text:{} enter", bad.display()),
        );
        let status = a.status.clone().unwrap();
        assert!(status.warn && status.text.contains("bad.txt"), "{status:?}");
        assert_eq!(a.what_if.expectations.len(), 2, "the loaded ones stay");
    }

    /// The default levels (Write, Permissions management) leave out a bucket
    /// opened to everyone for s3:GetObject: the view says what it did not ask and
    /// that `v` asks every level, which shows the outsiders gaining the objects.
    /// A bucket with no policy is given one from its account's menu: the kind
    /// chosen, the name typed, a first document that opens nothing (the account's
    /// own root: IAM User Guide, "Policy evaluation logic", same-account access
    /// still needs an identity policy), then written over to let everyone read
    /// (a resource policy naming `*` allows anonymous requests): the diff says the
    /// whole internet gains the objects.
    #[test]
    fn a_policy_is_put_on_a_new_bucket_from_its_account_and_the_diff_shows_what_it_opens() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:account space text:web-dev enter");
        let Node::Account(web_dev) = a.selected() else {
            panic!("web-dev is not selected: {:?}", a.status)
        };
        let id = org.account(web_dev).id.to_string();
        press(&mut a, "m text:resource enter");
        assert!(
            matches!(&a.menu.as_ref().unwrap().step, MenuStep::Choose(Offer::NewResourcePolicy, c) if c.len() == 7),
            "{:?}",
            a.menu
        );
        // A name that is not one: refused, and the menu stays to type another.
        press(&mut a, "text:S3 enter");
        press(&mut a, "text:two space text:words enter");
        assert!(a.status.as_ref().is_some_and(|s| s.warn), "{:?}", a.status);
        assert_eq!(a.popup, Popup::ChangeMenu);
        // A bucket that has a policy: edit that one instead.
        let m = a.menu.as_mut().unwrap();
        m.filter.clear();
        press(&mut a, "text:acme-public-website enter");
        let why = a.status.clone().unwrap().text;
        assert!(why.contains("has a policy already"), "{why}");
        a.menu.as_mut().unwrap().filter.clear();
        press(&mut a, "text:acme-new-drop enter");
        assert_eq!(a.popup, Popup::Editor, "{:?}", a.status);
        let e = a.editor.as_ref().unwrap();
        assert_eq!(
            e.target,
            EditTarget::Resource {
                resource: "arn:aws:s3:::acme-new-drop".into(),
                account: id.clone()
            }
        );
        assert!(e.check.is_ok(), "the first document parses: {:?}", e.check);
        assert!(
            e.text().contains(&format!("arn:aws:iam::{id}:root")),
            "{}",
            e.text()
        );

        let public = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-new-drop/*"}]}"#;
        let e = a.editor.as_mut().unwrap();
        e.area = ratatui_textarea::TextArea::new(vec![public.to_string()]);
        e.recheck();
        press(&mut a, "ctrl-s");
        let done: Vec<&Change> = a.what_if.changes.done().iter().map(|e| &e.change).collect();
        assert_eq!(
            done,
            [&Change::PutResourcePolicy {
                resource: "arn:aws:s3:::acme-new-drop".into(),
                account: Some(id),
                document: crate::scenario::Document::new(public),
            }],
            "{:?}",
            a.status
        );
        press(&mut a, ": text:what-if space text:s3:GetObject enter");
        assert_eq!(a.popup, Popup::WhatIf, "{:?}", a.status);
        let all = texts(&a).join("\n");
        assert!(
            all.contains("everyone *  gains 1 answer")
                && all.contains("+ s3:GetObject  arn:aws:s3:::acme-new-drop/*"),
            "{all}"
        );
    }

    /// The change menu's line takes every letter: `j` and `k` (which move in lists)
    /// are typed into a filter and a name, as the arrows still move.
    #[test]
    fn the_menu_line_takes_j_and_k_as_letters() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:account space text:web-dev enter");
        press(&mut a, "m text:resource enter text:key");
        let m = a.menu.as_ref().unwrap();
        assert_eq!(m.filter, "key");
        assert_eq!(m.rows().len(), 1, "{:?}", m.rows());
        press(
            &mut a,
            "esc m text:resource enter down down enter text:jobs enter",
        );
        let e = a.editor.as_ref().expect("the editor");
        assert!(
            matches!(&e.target, EditTarget::Resource { resource, .. } if resource.ends_with(":jobs")),
            "{:?}",
            e.target
        );
    }

    #[test]
    fn the_levels_left_out_are_said_and_v_asks_them() {
        let org = acme();
        let mut a = app(&org);
        a.propose(Change::PutResourcePolicy {
            resource: "arn:aws:s3:::acme-data-dev-lake".into(),
            account: None,
            document: crate::scenario::Document::new(
                r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::acme-data-dev-lake/*"}]}"#,
            ),
        });
        assert_eq!(a.what_if.changes.done().len(), 1, "{:?}", a.status);
        press(&mut a, "d");
        let header = |a: &App<'_>| -> String {
            shown(a)
                .header
                .iter()
                .flat_map(|l| l.iter().map(|(_, s)| s.as_str()))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let h = header(&a);
        assert!(h.contains("no change"), "{h}");
        assert!(
            h.contains("Read: s3:GetObject") && h.contains("v asks the"),
            "{h}"
        );
        // `v` picks the levels: it opens on the default ones.
        press(&mut a, "v");
        let picker = a.what_if.level_picker.clone().expect("the level picker");
        assert_eq!(picker.chosen, [false, false, true, true, false]);
        press(&mut a, "a enter");
        let h = header(&a);
        assert!(h.contains("every access level asked"), "{h}");
        assert!(h.contains("outside the org"), "{h}");
        let all = texts(&a).join("\n");
        assert!(all.contains("gains 1 action  · Read 1 · s3 1"), "{all}");
        // Read alone: the header names it, and the outsiders still gain.
        press(&mut a, "v a 2 enter");
        assert_eq!(a.what_if.levels, Some(vec![AccessLevel::Read]));
        let h = header(&a);
        assert!(h.contains("levels asked: Read (v picks others)"), "{h}");
        assert!(h.contains("outside the org"), "{h}");
        // Write alone: s3:GetObject is not asked, and nothing changes.
        press(&mut a, "v 2 3 enter");
        let h = header(&a);
        assert!(h.contains("levels asked: Write"), "{h}");
        assert!(!h.contains("outside the org"), "{h}");
        // None checked is refused; Esc leaves the levels as they were.
        press(&mut a, "v 3 enter");
        assert!(a.status.as_ref().is_some_and(|s| s.warn), "{:?}", a.status);
        assert!(a.what_if.level_picker.is_some());
        press(&mut a, "esc");
        assert!(a.what_if.level_picker.is_none());
        assert_eq!(a.popup, Popup::WhatIf);
        assert_eq!(a.what_if.levels, Some(vec![AccessLevel::Write]));
        // Back to the default: its note again.
        press(&mut a, "v down down down space enter");
        assert_eq!(a.what_if.levels, None, "{:?}", a.what_if.level_picker);
        assert!(header(&a).contains("v asks the"));

        // `:what-if ACTIONS` asks those (as --actions), every level of them; alone,
        // the default set again.
        press(&mut a, "esc : text:what-if space text:s3:GetObject enter");
        assert_eq!(a.popup, Popup::WhatIf, "{:?}", a.status);
        let h = header(&a);
        assert!(
            h.contains("asked for s3:GetObject") && h.contains("asked 1 action,"),
            "{h}"
        );
        assert!(h.contains("outside the org"), "{h}");
        press(&mut a, "esc : text:what-if enter");
        assert!(header(&a).contains("v asks the"));
    }

    #[test]
    fn keys_unfold_fold_and_filter_the_diff() {
        let org = acme();
        let mut a = app(&org);
        let view =
            crate::tui::what_if::diff::rows(&crate::tui::what_if::diff::tests::impact(), None);
        a.what_if.shown = Some(("OU Prod".into(), Ok(view)));
        a.popup = Popup::WhatIf;
        assert_eq!(texts(&a).len(), 6, "folded: {:?}", texts(&a));
        // → on the role's summary opens it; Enter on a summary folds it again.
        press(&mut a, "down right");
        assert_eq!(texts(&a).len(), 6 + 5);
        press(&mut a, "enter");
        assert_eq!(texts(&a).len(), 6);
        assert_eq!(a.popup, Popup::WhatIf, "Enter on a summary asks nothing");
        // ← on one of its lines folds it and selects its summary.
        press(&mut a, "right down down");
        assert!(texts(&a)[a.what_if.selected].starts_with("- ec2:RunInstances"));
        press(&mut a, "left");
        assert_eq!(texts(&a).len(), 6);
        assert!(texts(&a)[a.what_if.selected].starts_with("role/Deployer"));
        // `/` filters as it is typed; Enter keeps it, Esc in the filter clears it.
        press(&mut a, "/ text:iam:put");
        assert_eq!(a.context(), Context::AnswerFilter);
        assert_eq!(texts(&a).len(), 3, "{:?}", texts(&a));
        press(&mut a, "enter");
        assert_eq!(a.context(), Context::WhatIf);
        assert_eq!(a.what_if.filter, "iam:put");
        press(&mut a, "/ esc");
        assert!(a.what_if.filter.is_empty());
        assert_eq!(texts(&a).len(), 6);
    }

    /// The statement jumps of the shown answer: the row's text and where it goes.
    fn statement_jumps(a: &App<'_>) -> Vec<(String, crate::tui::query::locate::Mark)> {
        let t = &a.shown_answer().expect("an answer").full;
        (0..t.len() as u32)
            .filter_map(|i| match &t.item(i).jump {
                Some(crate::tui::query::answer::Jump::Statement(m)) => Some((t.item(i).text(), *m)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_statement_in_an_answer_about_the_changed_org_opens_in_the_org_shown() {
        let org = acme();
        let mut a = app(&org);
        let ask = ": text:can space text:eve space text:s3:GetObject space text:arn:aws:s3:::acme-public-website/index.html enter";
        press(
            &mut a,
            ": text:user space text:dana enter m text:remove enter enter",
        );
        let changed = a.what_if.changed.clone().expect("the changed org");
        assert!(std::ptr::eq(a.org(), &*changed), "the app shows it");
        press(&mut a, ask);
        let jumps = statement_jumps(&a);
        let (_, m) = jumps
            .iter()
            .find(|(t, _)| t.contains("DenyPlainHttp"))
            .unwrap_or_else(|| panic!("the RCP's statement keeps its jump: {jumps:?}"));
        // The mark is the changed org's: its policy and statement there.
        assert_eq!(changed.policy_name(m.policy), "EnforceSecureTransport");
        let st = &changed.compiled(m.policy).statements()[m.statement];
        assert_eq!(st.sid.as_deref(), Some("DenyPlainHttp"));
        select_jump(&mut a, *m);
        press(&mut a, "enter");
        assert_eq!(a.popup, Popup::None);
        assert_eq!(a.mark.map(|(_, x)| x), Some(*m));
        assert_eq!(a.selected(), Node::Policy(m.policy));

        // The RCP edited by the scenario: the answer's statement is the new one; the
        // answer before the scenario names the old one, which the org shown no
        // longer holds: no other statement is highlighted in its place.
        press(
            &mut a,
            ": text:policy space text:EnforceSecureTransport enter",
        );
        let Some(Effect::Edit(text)) = a.edit_selected_externally() else {
            panic!("no edit effect")
        };
        let edited = text.replace("DenyPlainHttp", "DenyHttp");
        assert_ne!(edited, text);
        a.update(super::super::Msg::Edited(Ok(edited)));
        assert_eq!(a.what_if.changes.done().len(), 2, "{:?}", a.status);
        press(&mut a, ask);
        let jumps = statement_jumps(&a);
        let shown = a.org();
        assert!(
            jumps.iter().any(|(t, m)| t.contains("DenyHttp")
                && shown.compiled(m.policy).statements()[m.statement]
                    .sid
                    .as_deref()
                    == Some("DenyHttp")),
            "{jumps:?}"
        );
        assert!(
            !jumps.iter().any(|(t, _)| t.contains("DenyPlainHttp")),
            "{jumps:?}"
        );
    }

    /// Selects the answer's row that jumps to `m`.
    fn select_jump(a: &mut App<'_>, m: crate::tui::query::locate::Mark) {
        let ans = a.query.answer.as_mut().unwrap();
        let at = ans
            .view
            .rows()
            .iter()
            .position(|r| {
                ans.tree().item(r.id).jump == Some(crate::tui::query::answer::Jump::Statement(m))
            })
            .unwrap_or_else(|| panic!("no row shown jumps to {m:?}"));
        ans.view.select_index(at);
    }

    #[test]
    fn an_ou_is_created_from_the_menu_with_the_name_typed() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:ou space text:Workloads enter m text:create enter",
        );
        assert!(
            matches!(a.menu.as_ref().map(|m| &m.step), Some(MenuStep::Name(_))),
            "{:?}",
            a.status
        );
        press(&mut a, "enter");
        assert!(a.status.clone().unwrap().warn, "no name: refused");
        assert_eq!(a.popup, Popup::ChangeMenu);
        press(&mut a, "text:Lab enter");
        assert_eq!(a.popup, Popup::None);
        let done: Vec<&Change> = a.what_if.changes.done().iter().map(|e| &e.change).collect();
        assert_eq!(
            done,
            [&Change::CreateOu {
                name: "Lab".into(),
                parent: "Workloads".into()
            }]
        );
        let changed = a.what_if.changed.clone().unwrap();
        assert!(matches!(
            changed.by_name("Lab"),
            crate::org::NameLookup::Unique(Entity::Ou(_))
        ));
    }

    fn done(a: &App<'_>) -> Vec<Change> {
        a.what_if
            .changes
            .done()
            .iter()
            .map(|e| e.change.clone())
            .collect()
    }

    #[test]
    fn an_scp_is_created_and_attached_where_the_menu_was_opened() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:ou space text:Prod enter m text:SCP space text:attached space text:here enter",
        );
        assert!(
            matches!(a.menu.as_ref().map(|m| &m.step), Some(MenuStep::Name(_))),
            "{:?}",
            a.status
        );
        press(&mut a, "text:DenyDeletes enter");
        assert_eq!(a.popup, Popup::Editor, "{:?}", a.status);
        // The first text is a template that parses; kept as it is, it is the policy.
        assert!(a.editor.as_ref().unwrap().check.is_ok());
        press(&mut a, "ctrl-s");
        let made = done(&a);
        assert_eq!(made.len(), 2, "{:?}", a.status);
        assert!(
            matches!(&made[0], Change::CreateOrgPolicy { kind: crate::scenario::OrgPolicyKind::Scp, name, .. } if name == "DenyDeletes")
        );
        assert_eq!(
            made[1],
            Change::Attach {
                kind: crate::scenario::OrgPolicyKind::Scp,
                policy: "DenyDeletes".into(),
                target: "Prod".into()
            }
        );
        // The changed org, shown: Prod holds the new SCP.
        let shown = a.org();
        let Node::Ou(prod) = a.selected() else {
            panic!("Prod stays selected")
        };
        let names: Vec<&str> = shown
            .ou(prod)
            .scps
            .iter()
            .map(|&p| shown.policy_name(p))
            .collect();
        assert!(names.contains(&"DenyDeletes"), "{names:?}");
        // Each change is undone on its own.
        press(&mut a, "u");
        assert_eq!(done(&a).len(), 1);
    }

    #[test]
    fn an_rcp_attached_nowhere_is_written_in_the_external_editor() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:account space text:web-dev enter m text:RCP space text:attached space text:nowhere enter text:OnlyTls enter",
        );
        assert_eq!(a.popup, Popup::Editor, "{:?}", a.status);
        let effects = press(&mut a, "ctrl-o");
        let [Effect::Edit(text)] = effects.as_slice() else {
            panic!("no $EDITOR effect: {effects:?}")
        };
        assert!(text.contains("aws:SecureTransport"), "{text}");
        assert_eq!(a.popup, Popup::None);
        // What $EDITOR leaves is checked: an SCP-shaped RCP (no Principal) is refused
        // and opens in the in-app editor at its place.
        a.update(super::super::Msg::Edited(Ok(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}"#.into(),
        )));
        assert_eq!(a.popup, Popup::Editor);
        assert!(a.status.clone().unwrap().warn);
        assert!(done(&a).is_empty());
        press(&mut a, "esc");
        // A good one is the one change, attached nowhere.
        press(
            &mut a,
            ": text:account space text:web-dev enter m text:RCP space text:attached space text:nowhere enter text:OnlyTls enter ctrl-o",
        );
        a.update(super::super::Msg::Edited(Ok(text.clone())));
        let made = done(&a);
        assert!(
            matches!(made.as_slice(), [Change::CreateOrgPolicy { kind: crate::scenario::OrgPolicyKind::Rcp, name, .. }] if name == "OnlyTls"),
            "{made:?} {:?}",
            a.status
        );
    }

    #[test]
    fn an_inline_policy_is_added_to_a_principal_and_an_existing_name_is_refused() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:role space text:WebApp enter m text:add space text:an space text:inline enter",
        );
        press(&mut a, "text:webappaccess enter");
        let status = a.status.clone().unwrap();
        assert!(
            status.warn && status.text.contains("inline policy WebAppAccess already"),
            "{status:?}"
        );
        assert_eq!(a.popup, Popup::ChangeMenu, "the name can be typed again");
        press(&mut a, "ctrl-u esc");
        press(
            &mut a,
            "m text:add space text:an space text:inline enter text:ReadLogs enter",
        );
        assert_eq!(a.popup, Popup::Editor, "{:?}", a.status);
        press(&mut a, "ctrl-s");
        let made = done(&a);
        let [
            Change::PutInlinePolicy {
                principal, name, ..
            },
        ] = made.as_slice()
        else {
            panic!("{made:?} {:?}", a.status)
        };
        assert_eq!(name, "ReadLogs");
        assert!(principal.ends_with(":role/WebApp"), "{principal}");
        let shown = a.org();
        let Node::Role(r) = a.selected() else {
            panic!("the role stays selected")
        };
        let inline: Vec<&str> = shown
            .role(r)
            .inline
            .iter()
            .map(|&p| shown.policy_name(p))
            .collect();
        assert_eq!(inline.len(), 2, "{inline:?}");
        assert!(inline.contains(&"ReadLogs"), "{inline:?}");
    }

    /// On an account: a customer managed policy created (its name typed, then its
    /// document written), a name the account already uses refused (it would be a
    /// new version of that one); the new policy can then be attached to a principal.
    #[test]
    fn a_managed_policy_is_created_in_an_account_and_an_existing_name_is_refused() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:account space text:web-prod enter m text:create space text:a space text:managed enter",
        );
        press(&mut a, "text:webopseverything enter");
        let status = a.status.clone().unwrap();
        assert!(
            status.warn
                && status
                    .text
                    .contains("managed policy WebOpsEverything already"),
            "{status:?}"
        );
        press(&mut a, "ctrl-u text:ReadLogs enter");
        assert_eq!(a.popup, Popup::Editor, "{:?}", a.status);
        press(&mut a, "ctrl-s");
        let made = done(&a);
        let [Change::PutManagedPolicy { account, name, .. }] = made.as_slice() else {
            panic!("{made:?} {:?}", a.status)
        };
        assert_eq!(
            (account.as_str(), name.as_str()),
            ("666666666666", "ReadLogs")
        );
        // Attached from WebApp's menu, where the account's managed policies are offered.
        press(
            &mut a,
            ": text:role space text:WebApp enter m text:attach space text:a space text:managed enter",
        );
        press(&mut a, "text:ReadLogs enter");
        assert_eq!(done(&a).len(), 2, "{:?}", a.status);
    }

    #[test]
    fn a_managed_policy_is_deleted_only_once_detached() {
        let org = acme();
        let mut a = app(&org);
        let delete = ": text:policy space text:PaymentsDataAccess enter m text:delete enter";
        press(&mut a, delete);
        let status = a.status.clone().unwrap();
        assert!(
            status.warn && status.text.contains("attached to role PaymentsApp"),
            "{status:?}"
        );
        assert!(done(&a).is_empty());
        press(
            &mut a,
            ": text:role space text:PaymentsApp enter m text:detach space text:a space text:managed enter text:PaymentsDataAccess enter",
        );
        assert_eq!(done(&a).len(), 1, "{:?}", a.status);
        press(&mut a, delete);
        assert_eq!(
            done(&a)[1],
            Change::DeleteManagedPolicy {
                account: "555555555555".into(),
                name: "PaymentsDataAccess".into()
            },
            "{:?}",
            a.status
        );
        // The policy is gone from the org shown; its folder is selected instead.
        assert!(matches!(
            a.org().by_name("PaymentsDataAccess"),
            crate::org::NameLookup::NotFound
        ));
        assert!(matches!(
            a.selected(),
            Node::Folder(_, crate::tui::nodes::Folder::Policies)
        ));
    }
}
