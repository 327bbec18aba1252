//! What if, in the UI: changes made from the tree ([`menu`], [`editor`]), kept as a
//! scenario with undo and redo ([`Changes`]), laid over the org and diffed on the
//! what-if worker ([`worker`]), and shown as rows ([`diff`]).
//!
//! The loaded org stays borrowed by the app (`App<'a>`); the changed org is owned
//! here, behind an `Arc` shared with the workers, and rebuilt when the scenario
//! changes. While a scenario is active the app shows the changed org (see
//! `App::show_scenario_org`), and the tree marks what the changes touch in it.

pub mod diff;
pub mod editor;
pub mod menu;
pub mod worker;

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::catalog::AccessLevel;
use crate::org::{Entity, NameLookup, Org};
use crate::scenario::expect::Expectation;
use crate::scenario::impact::Progress;
use crate::scenario::left_out::DEFAULT_LEVELS;
use crate::scenario::{Change, Scenario};
use crate::tui::nodes::{Node, node_of};

/// A value shared with a worker, compared by identity: messages carry it.
pub struct Shared<T>(pub Arc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Shared<T> {}

impl<T> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Shared(..)")
    }
}

/// One change of the scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub change: Change,
}

impl Entry {
    pub fn new(change: Change) -> Entry {
        Entry { change }
    }

    /// The nodes of `org` the change names (what it created included, once `org`
    /// is the changed one).
    pub fn nodes(&self, org: &Org) -> Vec<Node> {
        names(&self.change)
            .into_iter()
            .filter_map(|n| find(org, n))
            .collect()
    }
}

/// The names a change gives, for the tree's marks.
fn names(c: &Change) -> Vec<&str> {
    match c {
        Change::Attach { policy, target, .. } | Change::Detach { policy, target, .. } => {
            vec![policy, target]
        }
        Change::CreateOrgPolicy { name, .. } => vec![name],
        Change::EditOrgPolicy { policy, .. } | Change::DeleteOrgPolicy { policy, .. } => {
            vec![policy]
        }
        Change::MoveAccount { account, to } => vec![account, to],
        Change::CreateOu { name, parent } => vec![name, parent],
        Change::MoveOu { ou, to } => vec![ou, to],
        Change::PutManagedPolicy { account, name, .. } => vec![account, name],
        // The policy is gone from the changed org: its account is marked.
        Change::DeleteManagedPolicy { account, .. } => vec![account],
        Change::PutInlinePolicy { principal, .. }
        | Change::DeleteInlinePolicy { principal, .. } => {
            vec![principal]
        }
        Change::AttachManagedPolicy { principal, policy }
        | Change::DetachManagedPolicy { principal, policy }
        | Change::SetBoundary { principal, policy } => vec![principal, policy],
        Change::RemoveBoundary { principal } => vec![principal],
        Change::AddUserToGroup { user, group } | Change::RemoveUserFromGroup { user, group } => {
            vec![user, group]
        }
        Change::SetTrustPolicy { role, .. } => vec![role],
        Change::CreateUser { account, name, .. } | Change::CreateRole { account, name, .. } => {
            vec![account, name]
        }
        Change::PutResourcePolicy { resource, .. } | Change::DeleteResourcePolicy { resource } => {
            vec![resource]
        }
    }
    .into_iter()
    .map(String::as_str)
    .collect()
}

/// The node a change's name finds in the loaded org: an ARN, an id or a unique name.
fn find(org: &Org, name: &str) -> Option<Node> {
    if name.eq_ignore_ascii_case("root") {
        return Some(Node::Root);
    }
    let e = org
        .by_arn(name)
        .or_else(|| org.account_by_id(name).map(Entity::Account))
        .or_else(|| org.ou_by_id(name).map(Entity::Ou))
        .or_else(|| match org.by_name(name) {
            NameLookup::Unique(e) => Some(e),
            _ => None,
        })?;
    Some(node_of(org, e))
}

/// The scenario's changes, with the ones undone kept for redo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    done: Vec<Entry>,
    /// The changes undone, the next to redo last.
    undone: Vec<Entry>,
}

impl Changes {
    /// A new change: what was undone can no longer be redone.
    pub fn push(&mut self, e: Entry) {
        self.done.push(e);
        self.undone.clear();
    }

    /// Takes back the last change; false when there is none.
    pub fn undo(&mut self) -> bool {
        match self.done.pop() {
            Some(e) => {
                self.undone.push(e);
                true
            }
            None => false,
        }
    }

    /// Makes the last change undone again; false when there is none.
    pub fn redo(&mut self) -> bool {
        match self.undone.pop() {
            Some(e) => {
                self.done.push(e);
                true
            }
            None => false,
        }
    }

    pub fn done(&self) -> &[Entry] {
        &self.done
    }

    /// The changes undone, the next to redo first.
    pub fn undone(&self) -> impl Iterator<Item = &Entry> {
        self.undone.iter().rev()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    /// The scenario the changes make.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            description: None,
            changes: self.done.iter().map(|e| e.change.clone()).collect(),
        }
    }

    /// With one more change.
    pub fn with(&self, c: &Change) -> Scenario {
        let mut s = self.scenario();
        s.changes.push(c.clone());
        s
    }

    /// The nodes of `org` the changes touch.
    pub fn touched(&self, org: &Org) -> HashSet<Node> {
        self.done.iter().flat_map(|e| e.nodes(org)).collect()
    }
}

/// What an apply on the worker is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applying {
    /// New changes, kept when they apply.
    Propose(Vec<Entry>),
    /// The scenario as undo, redo or a load left it.
    Rebuild,
}

/// A diff on its way.
#[derive(Debug, Clone)]
pub struct DiffRun {
    pub id: u64,
    pub progress: Arc<Progress>,
    pub started: Instant,
    /// The scope's label, for the view's title.
    pub scope: String,
}

/// The change menu: first the changes offered on a node, then the choices of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuStep {
    Offers(Vec<menu::Item>),
    Choose(menu::Offer, Vec<menu::Choice>),
    /// A name typed (the filter line) for what the offer creates.
    Name(menu::Offer),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuState {
    pub node: Node,
    pub step: MenuStep,
    /// Typed to narrow the list.
    pub filter: String,
    /// The selected row among those the filter keeps.
    pub selected: usize,
}

impl MenuState {
    /// The rows the filter keeps: their place in the step's list and their label.
    pub fn rows(&self) -> Vec<(usize, &str)> {
        let f = self.filter.to_lowercase();
        let labels: Vec<&str> = match &self.step {
            MenuStep::Offers(items) => items.iter().map(|i| i.label.as_str()).collect(),
            MenuStep::Choose(_, choices) => choices.iter().map(|c| c.label.as_str()).collect(),
            MenuStep::Name(_) => Vec::new(),
        };
        labels
            .into_iter()
            .enumerate()
            .filter(|(_, l)| l.to_lowercase().contains(&f))
            .collect()
    }

    pub fn select(&mut self, forward: bool) {
        let n = self.rows().len();
        if n > 0 {
            self.selected = if forward {
                (self.selected + 1) % n
            } else {
                (self.selected + n - 1) % n
            };
        }
    }
}

/// `v`: the access levels to ask, one check box each, in AWS's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelPicker {
    pub chosen: [bool; 5],
    pub selected: usize,
}

impl LevelPicker {
    /// Opens on the levels asked now.
    pub fn new(levels: Option<&[AccessLevel]>) -> LevelPicker {
        let asked = levels.unwrap_or(&DEFAULT_LEVELS);
        LevelPicker {
            chosen: AccessLevel::ALL.map(|l| asked.contains(&l)),
            selected: 0,
        }
    }

    /// The levels checked; `None` when they are the default ones.
    pub fn levels(&self) -> Option<Vec<AccessLevel>> {
        let chosen: Vec<AccessLevel> = AccessLevel::ALL
            .into_iter()
            .zip(self.chosen)
            .filter_map(|(l, on)| on.then_some(l))
            .collect();
        (chosen != DEFAULT_LEVELS).then_some(chosen)
    }

    /// All checked, or none when all were.
    pub fn toggle_all(&mut self) {
        let all = self.chosen.iter().all(|&c| c);
        self.chosen = [!all; 5];
    }
}

/// The whole what-if state.
#[derive(Debug, Default)]
pub struct WhatIf {
    pub changes: Changes,
    /// The nodes the changes touch in the org shown (the tree marks them; the app
    /// sets them when it shows an org).
    pub touched: HashSet<Node>,
    /// The org as the scenario changes it; `None` without changes, or while it is
    /// being rebuilt.
    pub changed: Option<Arc<Org>>,
    /// An apply awaited: its number and what it is for.
    pub applying: Option<(u64, Applying)>,
    /// The diff running, and the last one done (for its scope).
    pub running: Option<DiffRun>,
    pub shown: Option<(String, Result<diff::DiffView, String>)>,
    /// The selected row of the diff (among those shown), and the first on screen.
    pub selected: usize,
    pub scroll: usize,
    /// The folds opened (a principal's answers).
    pub open: HashSet<diff::FoldId>,
    /// The filter (`/`): only the rows that contain it; typed while `editing`.
    pub filter: String,
    pub editing: bool,
    /// The scenario pane's selected change.
    pub pane_selected: usize,
    /// Guardrails, from `--expect` or `:expect`.
    pub expectations: Arc<Vec<Expectation>>,
    pub expect_file: Option<PathBuf>,
    /// The query pane was opened from a diff line: closing it shows the diff again.
    pub back_to_view: bool,
    /// The access levels the diff asks, chosen with `v`; `None`: the default
    /// (Write and Permissions management).
    pub levels: Option<Vec<AccessLevel>>,
    /// `v`'s picker, while it is open.
    pub level_picker: Option<LevelPicker>,
    /// `:what-if ACTIONS`: the actions or patterns asked instead of the default set.
    pub actions: Option<Vec<String>>,
    last_id: u64,
}

impl WhatIf {
    pub fn next_id(&mut self) -> u64 {
        self.last_id += 1;
        self.last_id
    }

    /// Whether questions are answered for a changed org.
    pub fn active(&self) -> bool {
        !self.changes.is_empty()
    }

    /// Stops the running diff: the scenario it was for has changed.
    pub fn cancel_diff(&mut self) {
        if let Some(r) = self.running.take() {
            r.progress.cancel();
        }
    }

    /// After a change to the scenario: the old org and diff gone.
    pub fn changed_scenario(&mut self) {
        self.changed = None;
        self.cancel_diff();
        self.shown = None;
        self.reset_view();
    }

    /// A new diff: at its top, folded, unfiltered.
    pub fn reset_view(&mut self) {
        self.selected = 0;
        self.scroll = 0;
        self.open.clear();
        self.filter.clear();
        self.editing = false;
    }

    /// The rows of the diff on screen.
    pub fn shown_rows(&self) -> Vec<diff::Shown> {
        match &self.shown {
            Some((_, Ok(v))) => v.shown(&self.open, &self.filter.to_lowercase()),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::OrgPolicyKind;

    fn attach(policy: &str) -> Entry {
        Entry {
            change: Change::Attach {
                kind: OrgPolicyKind::Scp,
                policy: policy.into(),
                target: "Prod".into(),
            },
        }
    }

    fn policies(c: &Changes) -> Vec<String> {
        c.scenario()
            .changes
            .iter()
            .map(|c| match c {
                Change::Attach { policy, .. } => policy.clone(),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn undo_and_redo_walk_the_changes_and_a_new_one_forgets_what_was_undone() {
        let mut c = Changes::default();
        assert!(!c.undo() && !c.redo());
        c.push(attach("A"));
        c.push(attach("B"));
        c.push(attach("C"));
        assert!(c.undo() && c.undo());
        assert_eq!(policies(&c), ["A"]);
        let next: Vec<&Change> = c.undone().map(|e| &e.change).collect();
        assert_eq!(next[0], &attach("B").change, "B is redone first");
        assert!(c.redo());
        assert_eq!(policies(&c), ["A", "B"]);
        c.push(attach("D"));
        assert!(!c.redo(), "C was forgotten by the new change");
        assert_eq!(policies(&c), ["A", "B", "D"]);
        assert!(c.undo() && c.undo() && c.undo() && !c.undo());
        assert!(c.is_empty());
        assert!(c.touched(&crate::org::load_builtin_acme()).is_empty());
    }

    #[test]
    fn a_change_marks_the_nodes_it_names() {
        let org = crate::org::load_builtin_acme();
        let e = Entry::new(Change::MoveAccount {
            account: "payments-prod".into(),
            to: "root".into(),
        });
        let a = org
            .accounts()
            .iter()
            .position(|a| &*a.name == "payments-prod")
            .map(crate::org::AccountIx::new)
            .unwrap();
        assert_eq!(e.nodes(&org), vec![Node::Account(a), Node::Root]);
    }
}
