//! Completion in the query form: the focused field's candidates, from the org
//! (through the search worker), the catalog, the context keys or the disk, and
//! taking one.

use super::{App, Target};
use crate::tui::nodes::Node;
use crate::tui::query::complete::{self, Candidates, Source, context_keys, item_name, last_word};
use crate::tui::query::form::{Field, principal_text};
use crate::tui::search::Matches;

impl App<'_> {
    /// Lists the focused field's candidates for what it holds.
    pub(super) fn refresh_candidates(&mut self) {
        let field = self.query.form.focused();
        let text = self.query.form.value(field).to_string();
        match complete::source(field) {
            Source::Org(tags) => {
                self.query.org_query = Some(text.clone());
                // Inline, this lands in `query_found` before returning.
                self.search(Target::Query, text, Some(tags));
                return;
            }
            Source::Actions => {
                let m = self.query.catalogs.find_action(text.trim());
                self.query.candidates = Candidates::Actions(m);
            }
            Source::Services => {
                let word = text.split_whitespace().next().unwrap_or("");
                let m = self.query.catalogs.find_service(word);
                self.query.candidates = Candidates::Services(m);
            }
            Source::ContextKeys => {
                let (_, word) = last_word(&text);
                let hints = self
                    .query
                    .answer
                    .as_ref()
                    .map_or(&[][..], |a| &a.full.context_hints[..]);
                let keys = context_keys(hints, self.query.form.value(Field::Action), word);
                self.query.candidates = Candidates::Keys(keys, word.to_string());
            }
            Source::Files => {
                let (paths, word) = complete::files(&text);
                self.query.candidates = Candidates::Files(paths, word);
            }
        }
        self.candidates_came();
    }

    /// The org search's matches for the focused field.
    pub(super) fn query_found(&mut self, m: Matches) {
        if !self.query.completing {
            return;
        }
        self.query.candidates = Candidates::Org(m);
        self.candidates_came();
    }

    fn candidates_came(&mut self) {
        let q = &mut self.query;
        if q.want_first && !q.candidates.is_empty() {
            q.selected = Some(0);
            q.want_first = false;
        }
        if q.selected.is_some_and(|i| i >= q.candidates.len()) {
            q.selected = None;
        }
    }

    /// Whether the org search has not answered what the field holds yet.
    pub(super) fn query_searching(&self) -> bool {
        let q = &self.query;
        q.completing
            && q.org_query.as_ref().is_some_and(
                |want| !matches!(&q.candidates, Candidates::Org(m) if &m.query == want),
            )
    }

    /// What a candidate puts in the field.
    fn candidate_value(&self, i: usize) -> Option<String> {
        let org = self.org();
        let field = self.query.form.focused();
        Some(match &self.query.candidates {
            Candidates::None => return None,
            Candidates::Org(m) => {
                let node = self.index_if_built()?.id(m.best.get(i)?.item);
                let e = node.entity()?;
                match (field, node) {
                    // The id: the one spelling no other account shares.
                    (Field::ResourceAccount, Node::Account(a)) => org.account(a).id.to_string(),
                    (Field::Resource, _) => org
                        .arn(e)
                        .map_or_else(|| org.name(e).into(), str::to_string),
                    _ => principal_text(org, e),
                }
            }
            Candidates::Actions(m) => {
                item_name(self.query.catalogs.actions(), m.best.get(i)?.item).to_string()
            }
            Candidates::Services(m) => {
                item_name(self.query.catalogs.services(), m.best.get(i)?.item).to_string()
            }
            Candidates::Keys(keys, _) | Candidates::Files(keys, _) => keys.get(i)?.clone(),
        })
    }

    /// Puts a candidate in the field: the whole field, the service word, or the
    /// context's last pair.
    pub(super) fn take_candidate(&mut self, i: usize) {
        let Some(value) = self.candidate_value(i) else {
            return;
        };
        let field = self.query.form.focused();
        let old = self.query.form.value(field).to_string();
        let new = match field {
            Field::Context => format!("{}{value}", last_word(&old).0),
            Field::Service => {
                let rest: Vec<&str> = old.split_whitespace().skip(1).collect();
                std::iter::once(value.as_str())
                    .chain(rest)
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            _ => value,
        };
        self.query.form.set(field, new);
        self.query.stop_completing();
        // A directory taken: its files next.
        if field == Field::SessionPolicy && self.query.form.value(field).ends_with('/') {
            self.query.completing = true;
            self.refresh_candidates();
        }
    }
}
