//! One org at a time: while a scenario is active the app shows the org it makes (the
//! tree, the details, the searches, the marks), else the org as loaded. Switching
//! carries what the user was looking at over by id or ARN (see
//! [`crate::tui::org_map`]): the selection (or its nearest ancestor still there),
//! the open nodes, history, the highlighted statement and the answers' jumps.

use std::sync::{Arc, OnceLock};

use super::{App, Popup, Target};
use crate::tui::nodes::{Node, OrgRef, OrgTree};
use crate::tui::org_map;
use crate::tui::query::complete::Candidates;
use crate::tui::search::Matches;
use crate::tui::tree::Tree;

impl<'a> App<'a> {
    /// Shows the org the scenario makes while one is active, else the loaded one,
    /// and marks what the changes touch in it. While a changed org is being
    /// rebuilt, the one shown stays.
    pub(super) fn show_scenario_org(&mut self) {
        let want = match (&self.what_if.changed, self.what_if.active()) {
            (_, false) => OrgRef::Loaded(self.loaded),
            (Some(c), true) => OrgRef::Changed(c.clone()),
            (None, true) => return,
        };
        let same = match (self.src.shown(), &want) {
            (OrgRef::Loaded(_), OrgRef::Loaded(_)) => true,
            (OrgRef::Changed(a), OrgRef::Changed(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        if !same {
            let old = std::mem::replace(&mut self.src, OrgTree::of(want));
            self.carry_over(&old);
            self.findings_follow_shown();
        }
        self.what_if.touched = if self.what_if.active() {
            self.what_if.changes.touched(self.src.org())
        } else {
            Default::default()
        };
    }

    /// What was shown of `old` shown again in the org now shown.
    fn carry_over(&mut self, old: &OrgTree<'_>) {
        // A question still being computed is about the org that was shown: its
        // answer would name that org's nodes. It is stopped, to ask again.
        if let Some(kind) = self.query.running.as_ref().map(|r| r.kind.name()) {
            self.cancel_query();
            self.warn(format!(
                "{kind} stopped: the organization shown changed while it ran (Enter asks it again)"
            ));
        }
        let (from, to) = (old.org(), self.src.org());
        let near = |n: Node| org_map::nearest(old, to, n);
        self.view_gen += 1;

        // The tree: the same nodes open, the same one selected, where it is now.
        let open: std::collections::HashSet<Node> = self
            .tree
            .open_ids()
            .filter_map(|n| org_map::node(from, to, n))
            .collect();
        let selected = near(self.selected());
        let height = self.tree.height();
        self.tree = Tree::opened(&self.src, |n| open.contains(&n));
        self.tree.set_height(height);
        self.tree.reveal(&self.src, selected);
        self.history.map(|(n, tab)| (near(n), tab));
        self.mark = self
            .mark
            .and_then(|(_, m)| org_map::statement(from, to, m))
            .map(|m| {
                (
                    crate::tui::nodes::node_of(to, crate::org::Entity::Policy(m.policy)),
                    m,
                )
            });
        self.detail.key = None;
        if self.menu.take().is_some() && self.popup == Popup::ChangeMenu {
            self.popup = Popup::None;
        }

        // Answers: their jumps go where the same things are now.
        let q = &mut self.query;
        for a in q
            .answer
            .iter_mut()
            .chain(&mut q.earlier)
            .chain(&mut q.later)
        {
            a.map_jumps(|j| org_map::jump(from, to, j));
        }

        // Searches: a new index, built when first needed; what is typed is searched
        // again there.
        self.index = Arc::new(OnceLock::new());
        if let super::Searcher::Inline(s) = &mut self.searcher {
            **s = Default::default();
        }
        self.filter = Matches::default();
        self.palette.matches = Matches::default();
        if matches!(self.query.candidates, Candidates::Org(_)) {
            self.query.candidates = Candidates::None;
            self.query.selected = None;
        }
        match self.popup {
            Popup::Filter => self.search(Target::Filter, self.filter_input.clone(), None),
            Popup::Palette => {
                if let Some((q, tags)) = self.palette_query() {
                    let q = q.to_string();
                    self.search(Target::Palette, q, Some(tags));
                }
            }
            Popup::Query if self.query.completing => self.refresh_candidates(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{acme, app, node_named, press};
    use super::*;
    use crate::tui::nodes::Folder;
    use crate::tui::tree::TreeSource;

    /// The names on the selected node's path, from the top.
    fn path(a: &App<'_>) -> Vec<String> {
        a.breadcrumbs()
            .into_iter()
            .map(|n| a.src.name(n).to_string())
            .collect()
    }

    /// The tree's rows as `depth name`.
    fn rows(a: &App<'_>) -> Vec<String> {
        a.tree
            .rows()
            .iter()
            .map(|r| format!("{} {}", r.depth, a.src.name(r.id)))
            .collect()
    }

    #[test]
    fn a_moved_account_shows_under_its_new_ou_selected_and_back_on_undo() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:account space text:web-dev enter");
        assert_eq!(path(&a), ["Root", "Workloads", "Dev", "web-dev"]);
        press(&mut a, "m text:move enter text:Sandbox enter");
        assert_eq!(a.what_if.changes.done().len(), 1, "{:?}", a.status);
        let changed = a.what_if.changed.clone().unwrap();
        assert!(std::ptr::eq(a.org(), &*changed), "the changed org is shown");
        // The selection followed the account to its new place, which the tree shows.
        assert_eq!(path(&a), ["Root", "Sandbox", "web-dev"]);
        let r = rows(&a);
        let sandbox = r
            .iter()
            .position(|x| x == "1 Sandbox")
            .expect("Sandbox open");
        assert!(r[sandbox + 1..].contains(&"2 web-dev".to_string()), "{r:?}");
        assert!(
            !r.contains(&"3 web-dev".to_string()),
            "not under Dev: {r:?}"
        );
        let Node::Account(acc) = a.selected() else {
            panic!("an account is selected")
        };
        assert!(a.what_if.touched.contains(&Node::Account(acc)));
        // The details read the changed org: the account's SCPs now come from Sandbox.
        press(&mut a, "3");
        let text: Vec<String> = a.detail.lines.iter().map(|l| l.to_string()).collect();
        assert!(
            text.iter().any(|l| l.contains("SandboxAllowList")),
            "{text:#?}"
        );
        assert!(
            !text
                .iter()
                .any(|l| l.contains("DenyOutsideApprovedRegions")),
            "Workloads' SCP no longer applies: {text:#?}"
        );

        // Undone: the loaded org again, the account back in Dev, still selected.
        press(&mut a, "u");
        assert!(std::ptr::eq(a.org(), &org));
        assert_eq!(path(&a), ["Root", "Workloads", "Dev", "web-dev"]);
        assert!(a.what_if.touched.is_empty());
    }

    #[test]
    fn a_created_ou_is_in_the_tree_and_found_and_its_selection_falls_back_on_undo() {
        let org = acme();
        let mut a = app(&org);
        press(
            &mut a,
            ": text:ou space text:Workloads enter m text:create enter text:Lab enter",
        );
        assert_eq!(a.what_if.changes.done().len(), 1, "{:?}", a.status);
        press(&mut a, "right");
        assert!(rows(&a).contains(&"2 Lab".to_string()), "{:?}", rows(&a));
        // The palette searches the changed org.
        press(&mut a, ": text:ou space text:Lab enter");
        assert_eq!(path(&a), ["Root", "Workloads", "Lab"]);
        let lab = a.selected();
        assert!(a.what_if.touched.contains(&lab), "✎ on the OU created");
        // Undone: the OU is gone; its nearest ancestor is selected.
        press(&mut a, "u");
        assert_eq!(path(&a), ["Root", "Workloads"]);
        assert!(!rows(&a).iter().any(|r| r.ends_with(" Lab")));
        press(&mut a, ": text:ou space text:Lab enter");
        assert_eq!(path(&a), ["Root", "Workloads"], "no Lab to find");
    }

    #[test]
    fn history_and_open_folders_follow_the_switch() {
        let org = acme();
        let mut a = app(&org);
        press(&mut a, ": text:user space text:dana enter");
        let dana = a.selected();
        press(&mut a, ": text:ou space text:Prod enter");
        // A change that renumbers nothing dana needs, from Prod's menu.
        press(&mut a, "m text:create enter text:Lab enter");
        assert!(a.what_if.active());
        let Node::Folder(acc, Folder::Users) = a.src.parent(node_named(&a, "dana")).unwrap() else {
            panic!("dana is in a users folder")
        };
        assert!(a.tree.is_expanded(Node::Folder(acc, Folder::Users)));
        // `[` goes back to dana, in the org shown.
        press(&mut a, "[");
        assert_eq!(a.selected(), node_named(&a, "dana"));
        assert_eq!(a.src.name(a.selected()), a.src.name(dana));
    }

    #[test]
    fn a_question_running_when_the_org_shown_changes_is_stopped() {
        let org = acme();
        let mut a = app(&org);
        let (tx, _rx) = std::sync::mpsc::channel();
        a.query_in_background(tx);
        press(
            &mut a,
            ": text:user space text:dana enter m text:remove enter enter",
        );
        assert!(a.what_if.active());
        press(&mut a, "c");
        press(&mut a, "text:dana tab text:s3:GetObject tab text:* enter");
        assert!(a.query.running.is_some(), "{:?}", a.status);
        a.undo(true);
        assert!(
            a.query.running.is_none(),
            "its answer would name the other org's nodes"
        );
    }
}
