//! A flattened, virtualised tree: the rows currently visible (expanded), the
//! selection and the scroll window. No terminal here: the model is tested on its own,
//! as gitui tests its `filetreelist`.
//!
//! Children are asked of a [`TreeSource`] only when a node is expanded, and spliced into
//! the flat row list in place: a key press never rebuilds the whole list, and an
//! organization of 5,000 accounts and 250,000 principals costs only the rows that are
//! open.

use std::collections::HashSet;
use std::hash::Hash;

/// Where the nodes come from.
pub trait TreeSource {
    type Id: Copy + Eq + Hash + std::fmt::Debug;
    /// The top-level nodes.
    fn roots(&self) -> Vec<Self::Id>;
    /// A node's children, in display order; called on expand only.
    fn children(&self, id: Self::Id) -> Vec<Self::Id>;
    /// Whether the node can be expanded (cheap: called for every row added).
    fn has_children(&self, id: Self::Id) -> bool;
    /// The node whose children include `id`; `None` for roots and for nodes that do
    /// not appear in the tree.
    fn parent(&self, id: Self::Id) -> Option<Self::Id>;
}

/// A selection move, as gitui's `MoveSelection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    /// Collapse, or go to the parent.
    Left,
    /// Expand, or go to the first child.
    Right,
    Top,
    End,
    PageUp,
    PageDown,
    /// Several rows at once (mouse wheel), negative for up.
    By(isize),
}

/// One visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<Id> {
    pub id: Id,
    pub depth: u16,
    pub expandable: bool,
    pub expanded: bool,
}

/// The tree's visible rows, its selection and scroll window.
#[derive(Debug, Clone)]
pub struct Tree<Id> {
    rows: Vec<Row<Id>>,
    /// Nodes open, including those hidden under a collapsed ancestor (so that
    /// re-opening an ancestor restores what was open beneath it).
    expanded: HashSet<Id>,
    selected: usize,
    offset: usize,
    height: usize,
}

impl<Id: Copy + Eq + Hash + std::fmt::Debug> Tree<Id> {
    /// The roots, all collapsed, the first selected.
    pub fn new<S: TreeSource<Id = Id>>(src: &S) -> Tree<Id> {
        let rows = src
            .roots()
            .into_iter()
            .map(|id| Row {
                id,
                depth: 0,
                expandable: src.has_children(id),
                expanded: false,
            })
            .collect();
        Tree {
            rows,
            expanded: HashSet::new(),
            selected: 0,
            offset: 0,
            height: 1,
        }
    }

    /// Every node open, the first selected: for trees built whole (an answer). One
    /// pass, however many rows.
    pub fn expanded<S: TreeSource<Id = Id>>(src: &S) -> Tree<Id> {
        Tree::opened(src, |_| true)
    }

    /// As [`Tree::expanded`], but only the nodes `open` says start open. A node
    /// under a closed one keeps its word: opening the closed one shows it open or
    /// closed as `open` said.
    pub fn opened<S: TreeSource<Id = Id>>(src: &S, open: impl Fn(Id) -> bool) -> Tree<Id> {
        let mut t = Tree {
            rows: Vec::new(),
            expanded: HashSet::new(),
            selected: 0,
            offset: 0,
            height: 1,
        };
        // (node, depth, whether its row shows)
        let mut stack: Vec<(Id, u16, bool)> = src
            .roots()
            .into_iter()
            .rev()
            .map(|id| (id, 0, true))
            .collect();
        while let Some((id, depth, shown)) = stack.pop() {
            let expandable = src.has_children(id);
            let expanded = expandable && open(id);
            if shown {
                t.rows.push(Row {
                    id,
                    depth,
                    expandable,
                    expanded,
                });
            }
            if expanded {
                t.expanded.insert(id);
            }
            if expandable {
                let under = shown && expanded;
                stack.extend(
                    src.children(id)
                        .into_iter()
                        .rev()
                        .map(|c| (c, depth + 1, under)),
                );
            }
        }
        t
    }

    /// The nodes open, whether their rows show or not.
    pub fn open_ids(&self) -> impl Iterator<Item = Id> + '_ {
        self.expanded.iter().copied()
    }

    /// Every visible row, top to bottom.
    pub fn rows(&self) -> &[Row<Id>] {
        &self.rows
    }

    /// The rows inside the scroll window: all that a view draws.
    pub fn window(&self) -> &[Row<Id>] {
        let end = (self.offset + self.height).min(self.rows.len());
        &self.rows[self.offset.min(end)..end]
    }

    /// The first row of the scroll window.
    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<Id> {
        self.rows.get(self.selected).map(|r| r.id)
    }

    pub fn is_expanded(&self, id: Id) -> bool {
        self.expanded.contains(&id)
    }

    /// Sets how many rows the view shows, keeping the selection in sight.
    pub fn set_height(&mut self, height: usize) {
        self.height = height.max(1);
        self.keep_in_view();
    }

    pub fn height(&self) -> usize {
        self.height
    }

    fn keep_in_view(&mut self) {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.height {
            self.offset = self.selected + 1 - self.height;
        }
        let max_offset = self.rows.len().saturating_sub(self.height);
        self.offset = self.offset.min(max_offset);
    }

    /// Selects a visible row by index (a mouse click); false when out of range.
    pub fn select_index(&mut self, index: usize) -> bool {
        if index >= self.rows.len() {
            return false;
        }
        self.selected = index;
        self.keep_in_view();
        true
    }

    /// Moves the selection; returns whether anything changed.
    pub fn apply<S: TreeSource<Id = Id>>(&mut self, src: &S, m: Move) -> bool {
        if self.rows.is_empty() {
            return false;
        }
        let last = self.rows.len() - 1;
        let page = self.height.saturating_sub(1).max(1);
        let before = (self.selected, self.rows.len());
        match m {
            Move::Up => self.selected = self.selected.saturating_sub(1),
            Move::Down => self.selected = (self.selected + 1).min(last),
            Move::Top => self.selected = 0,
            Move::End => self.selected = last,
            Move::PageUp => self.selected = self.selected.saturating_sub(page),
            Move::PageDown => self.selected = (self.selected + page).min(last),
            Move::By(n) => self.selected = self.selected.saturating_add_signed(n).min(last),
            Move::Left => {
                let row = self.rows[self.selected];
                if row.expanded {
                    self.collapse_at(self.selected);
                } else if let Some(p) = self.parent_index(self.selected) {
                    self.selected = p;
                }
            }
            Move::Right => {
                let row = self.rows[self.selected];
                if row.expandable && !row.expanded {
                    self.expand_at(src, self.selected);
                } else if row.expanded && self.selected < last {
                    self.selected += 1;
                }
            }
        }
        self.keep_in_view();
        before != (self.selected, self.rows.len())
    }

    /// Opens a closed node or closes an open one (Enter).
    pub fn toggle<S: TreeSource<Id = Id>>(&mut self, src: &S) -> bool {
        let Some(row) = self.rows.get(self.selected).copied() else {
            return false;
        };
        if row.expanded {
            self.collapse_at(self.selected);
        } else if row.expandable {
            self.expand_at(src, self.selected);
        } else {
            return false;
        }
        self.keep_in_view();
        true
    }

    /// The row of the node's parent: the nearest row above with a smaller depth.
    fn parent_index(&self, index: usize) -> Option<usize> {
        let depth = self.rows[index].depth;
        (0..index).rev().find(|&i| self.rows[i].depth < depth)
    }

    /// One past the last row of the subtree under `index`.
    fn subtree_end(&self, index: usize) -> usize {
        let depth = self.rows[index].depth;
        self.rows[index + 1..]
            .iter()
            .position(|r| r.depth <= depth)
            .map_or(self.rows.len(), |p| index + 1 + p)
    }

    fn expand_at<S: TreeSource<Id = Id>>(&mut self, src: &S, index: usize) {
        let row = self.rows[index];
        if row.expanded || !row.expandable {
            return;
        }
        self.rows[index].expanded = true;
        self.expanded.insert(row.id);
        let mut new_rows = Vec::new();
        self.flatten_children(src, row.id, row.depth + 1, &mut new_rows);
        if self.selected > index {
            self.selected += new_rows.len();
        }
        self.rows.splice(index + 1..index + 1, new_rows);
    }

    /// The rows under an open node, re-opening what was open beneath it before.
    fn flatten_children<S: TreeSource<Id = Id>>(
        &self,
        src: &S,
        id: Id,
        depth: u16,
        out: &mut Vec<Row<Id>>,
    ) {
        for child in src.children(id) {
            let expandable = src.has_children(child);
            let expanded = expandable && self.expanded.contains(&child);
            out.push(Row {
                id: child,
                depth,
                expandable,
                expanded,
            });
            if expanded {
                self.flatten_children(src, child, depth + 1, out);
            }
        }
    }

    fn collapse_at(&mut self, index: usize) {
        let end = self.subtree_end(index);
        self.rows.drain(index + 1..end);
        self.rows[index].expanded = false;
        self.expanded.remove(&self.rows[index].id);
        if self.selected > index && self.selected < end {
            self.selected = index;
        } else if self.selected >= end {
            self.selected -= end - index - 1;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(1));
    }

    /// Opens a node's ancestors and selects it; false when the node is not in the
    /// tree.
    pub fn reveal<S: TreeSource<Id = Id>>(&mut self, src: &S, id: Id) -> bool {
        let mut chain = vec![id];
        let mut cur = id;
        while let Some(p) = src.parent(cur) {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        // chain[0] is a root: find it among the rows of depth 0.
        let Some(mut index) = self
            .rows
            .iter()
            .position(|r| r.depth == 0 && r.id == chain[0])
        else {
            return false;
        };
        for &next in &chain[1..] {
            self.expand_at(src, index);
            let end = self.subtree_end(index);
            let depth = self.rows[index].depth + 1;
            match (index + 1..end).find(|&i| self.rows[i].depth == depth && self.rows[i].id == next)
            {
                Some(i) => index = i,
                None => return false,
            }
        }
        self.selected = index;
        self.keep_in_view();
        // Put a revealed node a little way down rather than on the very edge.
        if self.selected >= self.offset + self.height.saturating_sub(2) && self.height > 4 {
            let max_offset = self.rows.len().saturating_sub(self.height);
            self.offset = (self.selected.saturating_sub(self.height / 3)).min(max_offset);
        }
        true
    }

    /// The selected node's ancestors' ids, root first (for breadcrumbs).
    pub fn selected_path(&self) -> Vec<Id> {
        let mut path = Vec::new();
        let mut i = self.selected;
        if self.rows.is_empty() {
            return path;
        }
        path.push(self.rows[i].id);
        while let Some(p) = self.parent_index(i) {
            path.push(self.rows[p].id);
            i = p;
        }
        path.reverse();
        path
    }
}

#[cfg(test)]
mod tests;
