//! An answer as a tree of rows: each row a few pieces of text with a tone (the
//! view picks the colours), and where Enter on it goes. Built off the UI thread from
//! the analysis' answer ([`super::build`]); drawn through [`crate::tui::tree::Tree`],
//! which opens, closes and scrolls it like the org tree.
//!
//! Text taken from the org is sanitized when a row is built: rows are inert.

use super::form::QueryKind;
use super::locate::Mark;
use crate::tui::details::Tab;
use crate::tui::nodes::Node;
use crate::tui::sanitize::clean;
use crate::tui::tree::TreeSource;

/// What a piece of text is, for the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    Text,
    Dim,
    Heading,
    Good,
    Warn,
    Bad,
    /// Names that are keys: Sids, context keys, services.
    Key,
    Root,
    Ou,
    Account,
    User,
    Role,
    Policy,
    Resource,
}

/// One row's text.
pub type Spans = Vec<(Tone, String)>;

/// Where Enter on a row goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Jump {
    Node(Node),
    /// A node with one of its tabs open: the SCPs/RCPs of an OU for an SCP layer.
    Tab(Node, Tab),
    /// The policy's node, its JSON tab, the statement highlighted.
    Statement(Mark),
    /// The same question again with this `KEY=VALUE` in the context.
    Context(String),
    /// A what-can grant: the statement that grants it, found when Enter asks
    /// ([`super::locate::granting`]).
    Grant {
        principal: String,
        action: String,
        resource: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub spans: Spans,
    pub jump: Option<Jump>,
    /// Whether its rows show at first (a layer that only allows starts closed).
    pub open: bool,
    parent: Option<u32>,
    children: Vec<u32>,
}

impl Item {
    /// The row's text, as matched by the filter.
    pub fn text(&self) -> String {
        self.spans.iter().map(|(_, s)| s.as_str()).collect()
    }
}

/// An answer: lines above the tree, and the tree.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerTree {
    pub kind: QueryKind,
    /// The decision or the counts, and the question; never scrolled away.
    pub header: Vec<Spans>,
    items: Vec<Item>,
    roots: Vec<u32>,
    /// The row to select first (the layer that blocked).
    pub focus: Option<u32>,
    /// `KEY=VALUE` pairs the answer says matter, offered by the context field.
    pub context_hints: Vec<String>,
}

/// A row's pieces: untrusted text is sanitized here.
pub fn spans<const N: usize>(parts: [(Tone, &str); N]) -> Spans {
    parts
        .into_iter()
        .filter(|(_, s)| !s.is_empty())
        .map(|(t, s)| (t, clean(s)))
        .collect()
}

impl AnswerTree {
    pub fn new(kind: QueryKind) -> AnswerTree {
        AnswerTree {
            kind,
            ..AnswerTree::default()
        }
    }

    /// Adds a row under `parent` (at the top when `None`); returns its id.
    pub fn add(&mut self, parent: Option<u32>, spans: Spans, jump: Option<Jump>) -> u32 {
        let id = self.items.len() as u32;
        self.items.push(Item {
            spans,
            jump,
            open: true,
            parent,
            children: Vec::new(),
        });
        match parent {
            Some(p) => self.items[p as usize].children.push(id),
            None => self.roots.push(id),
        }
        id
    }

    /// Changes or drops every row's jump (an answer of another org than the tree's).
    pub fn map_jumps(&mut self, mut f: impl FnMut(Jump) -> Option<Jump>) {
        for item in &mut self.items {
            item.jump = item.jump.take().and_then(&mut f);
        }
    }

    /// Adds `other`'s rows under `parent`, as they are.
    pub fn graft(&mut self, parent: u32, other: &AnswerTree) {
        let base = self.items.len() as u32;
        for item in &other.items {
            let mut item = item.clone();
            item.parent = Some(item.parent.map_or(parent, |p| p + base));
            item.children = item.children.iter().map(|c| c + base).collect();
            self.items.push(item);
        }
        let roots = other.roots.iter().map(|r| r + base);
        self.items[parent as usize].children.extend(roots);
    }

    /// Starts a row closed.
    pub fn close(&mut self, id: u32) {
        self.items[id as usize].open = false;
    }

    pub fn item(&self, id: u32) -> &Item {
        &self.items[id as usize]
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The rows that contain `query` (case-insensitive), with their ancestors (to
    /// keep their place) and their descendants (a matching group keeps its rows).
    pub fn filtered(&self, query: &str) -> AnswerTree {
        let q = query.trim().to_lowercase();
        let mut out = AnswerTree {
            kind: self.kind,
            header: self.header.clone(),
            context_hints: self.context_hints.clone(),
            ..AnswerTree::default()
        };
        if q.is_empty() {
            return self.clone();
        }
        let n = self.items.len();
        let mut keep = vec![false; n];
        // Items come before their children, so one pass down marks descendants and
        // one pass up marks ancestors.
        let mut hit = vec![false; n];
        for i in 0..n {
            let item = &self.items[i];
            hit[i] = item.text().to_lowercase().contains(&q)
                || item.parent.is_some_and(|p| hit[p as usize]);
        }
        for i in (0..n).rev() {
            if hit[i] {
                keep[i] = true;
            }
            if keep[i]
                && let Some(p) = self.items[i].parent
            {
                keep[p as usize] = true;
            }
        }
        let mut new_id = vec![u32::MAX; n];
        for i in 0..n {
            if !keep[i] {
                continue;
            }
            let item = &self.items[i];
            let parent = item.parent.map(|p| new_id[p as usize]);
            new_id[i] = out.add(parent, item.spans.clone(), item.jump.clone());
        }
        out.focus = self
            .focus
            .map(|f| new_id[f as usize])
            .filter(|&f| f != u32::MAX);
        out
    }
}

impl TreeSource for AnswerTree {
    type Id = u32;

    fn roots(&self) -> Vec<u32> {
        self.roots.clone()
    }

    fn children(&self, id: u32) -> Vec<u32> {
        self.items[id as usize].children.clone()
    }

    fn has_children(&self, id: u32) -> bool {
        !self.items[id as usize].children.is_empty()
    }

    fn parent(&self, id: u32) -> Option<u32> {
        self.items[id as usize].parent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> AnswerTree {
        let mut t = AnswerTree::new(QueryKind::WhatCan);
        let s3 = t.add(None, spans([(Tone::Heading, "s3")]), None);
        t.add(Some(s3), spans([(Tone::Text, "s3:GetObject")]), None);
        t.add(Some(s3), spans([(Tone::Text, "s3:PutObject")]), None);
        let ec2 = t.add(None, spans([(Tone::Heading, "ec2")]), None);
        t.add(Some(ec2), spans([(Tone::Text, "ec2:RunInstances")]), None);
        t
    }

    fn texts(t: &AnswerTree) -> Vec<String> {
        (0..t.len() as u32).map(|i| t.item(i).text()).collect()
    }

    #[test]
    fn filtering_keeps_ancestors_and_descendants() {
        let t = sample();
        assert_eq!(texts(&t.filtered("put")), ["s3", "s3:PutObject"]);
        assert_eq!(
            texts(&t.filtered("S3")),
            ["s3", "s3:GetObject", "s3:PutObject"]
        );
        assert_eq!(texts(&t.filtered("ec2")), ["ec2", "ec2:RunInstances"]);
        assert!(t.filtered("zzz").is_empty());
        assert_eq!(t.filtered(" "), t);
        let f = t.filtered("run");
        assert_eq!(f.roots(), [0]);
        assert_eq!(f.children(0), [1]);
        assert_eq!(f.parent(1), Some(0));
    }

    #[test]
    fn rows_are_sanitized() {
        let s = spans([(Tone::Text, "evil\x1b]0;x\x07"), (Tone::Dim, "")]);
        assert_eq!(s, [(Tone::Text, "evil\\x1b]0;x\\x07".to_string())]);
    }
}
