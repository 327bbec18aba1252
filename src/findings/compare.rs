//! What a scenario does to the findings: those it adds, removes and changes, matched
//! by their stable ids (the CLI's `findings --scenario --compare` and the TUI's list
//! while a scenario is active).

use std::collections::{HashMap, HashSet};

use super::{Finding, Severity};

/// What a scenario does to the findings, matched by their stable ids.
pub struct Diff<'a> {
    pub added: Vec<&'a Finding>,
    pub removed: Vec<&'a Finding>,
    /// The same finding (id) with another message or severity: before, after.
    pub changed: Vec<(&'a Finding, &'a Finding)>,
    pub unchanged: usize,
}

impl<'a> Diff<'a> {
    pub fn new(before: &'a [Finding], after: &'a [Finding]) -> Diff<'a> {
        let old: HashMap<&str, &Finding> = before.iter().map(|f| (f.id.as_str(), f)).collect();
        let new: HashSet<&str> = after.iter().map(|f| f.id.as_str()).collect();
        let mut d = Diff {
            added: Vec::new(),
            removed: before
                .iter()
                .filter(|f| !new.contains(f.id.as_str()))
                .collect(),
            changed: Vec::new(),
            unchanged: 0,
        };
        for f in after {
            match old.get(f.id.as_str()) {
                None => d.added.push(f),
                Some(b) if b.message != f.message || b.severity != f.severity => {
                    d.changed.push((b, f));
                }
                Some(_) => d.unchanged += 1,
            }
        }
        d
    }

    /// Whether the scenario brings a finding at or above `s`: a new one, or one whose
    /// severity rises to it.
    pub fn adds_at(&self, s: Severity) -> bool {
        self.added.iter().any(|f| f.severity >= s)
            || self
                .changed
                .iter()
                .any(|(b, a)| a.severity >= s && a.severity > b.severity)
    }
}
