//! The `/` fuzzy filter: every name, id and ARN of the org, scored with
//! nucleo-matcher.
//!
//! Typing usually extends the query, and a longer query only ever matches a subset of
//! what the shorter one matched (the pattern is plain fuzzy words, AND-ed, with no
//! negation), so each key re-scores only the previous matches. The first keys score
//! everything, split across cores.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

/// Everything that can be found: an id, a tag (its kind, to search one kind only)
/// and the text it is found by.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex<Id> {
    items: Vec<(Id, Box<str>)>,
    tags: Vec<u8>,
}

impl<Id: Copy + Send + Sync> SearchIndex<Id> {
    pub fn new(items: Vec<(Id, u8, Box<str>)>) -> SearchIndex<Id> {
        let tags = items.iter().map(|(_, t, _)| *t).collect();
        SearchIndex {
            items: items.into_iter().map(|(id, _, text)| (id, text)).collect(),
            tags,
        }
    }

    pub fn tag(&self, item: u32) -> u8 {
        self.tags[item as usize]
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn id(&self, item: u32) -> Id {
        self.items[item as usize].0
    }

    pub fn text(&self, item: u32) -> &str {
        &self.items[item as usize].1
    }

    /// The positions (in characters) of `query`'s match in an item's text, for
    /// highlighting.
    pub fn match_positions(&self, item: u32, query: &str) -> Vec<u32> {
        let pattern = pattern(query);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut indices = Vec::new();
        pattern.indices(
            Utf32Str::new(self.text(item), &mut buf),
            &mut matcher,
            &mut indices,
        );
        indices.sort_unstable();
        indices.dedup();
        indices
    }
}

fn pattern(query: &str) -> Pattern {
    Pattern::new(
        query,
        CaseMatching::Smart,
        Normalization::Smart,
        AtomKind::Fuzzy,
    )
}

/// One match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub item: u32,
    pub score: u32,
}

/// The filter's state: the query, what it matched, the best matches in order and the
/// selected one.
#[derive(Debug, Clone, Default)]
pub struct Search {
    query: String,
    /// The tag searched, or all.
    only: Option<u8>,
    /// Every item the query matched (all items when the query is empty: `None`).
    matched: Option<Vec<u32>>,
    /// The best matches, best first.
    best: Vec<Hit>,
    /// How many matched in all.
    total: usize,
    selected: usize,
}

/// How many matches are kept in order for the list.
pub const SHOWN: usize = 200;

impl Search {
    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn best(&self) -> &[Hit] {
        &self.best
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_hit(&self) -> Option<Hit> {
        self.best.get(self.selected).copied()
    }

    /// Forgets the query and matches.
    pub fn clear(&mut self) {
        *self = Search::default();
    }

    /// Moves the selection among the best matches, wrapping around.
    pub fn select_next(&mut self, forward: bool) {
        let n = self.best.len();
        if n > 0 {
            self.selected = if forward {
                (self.selected + 1) % n
            } else {
                (self.selected + n - 1) % n
            };
        }
    }

    /// Runs a new query, narrowing the previous matches when it extends the previous
    /// query; `only` limits the search to items of one tag.
    pub fn set_query<Id: Copy + Send + Sync>(
        &mut self,
        index: &SearchIndex<Id>,
        query: &str,
        only: Option<u8>,
    ) {
        let narrowing = query.starts_with(self.query.as_str())
            && !self.query.trim().is_empty()
            && only == self.only;
        self.query = query.to_string();
        self.only = only;
        self.selected = 0;
        let wanted = |item: u32| only.is_none_or(|t| index.tag(item) == t);
        if query.trim().is_empty() {
            self.matched = None;
            let all = (0..index.len() as u32).filter(|&i| wanted(i));
            self.best = all
                .clone()
                .take(SHOWN)
                .map(|item| Hit { item, score: 0 })
                .collect();
            self.total = if only.is_some() {
                all.count()
            } else {
                index.len()
            };
            return;
        }
        let pattern = pattern(query);
        let score = |matcher: &mut Matcher, buf: &mut Vec<char>, item: u32| {
            if !wanted(item) {
                return None;
            }
            pattern
                .score(Utf32Str::new(index.text(item), buf), matcher)
                .map(|score| Hit { item, score })
        };
        let init = || (Matcher::new(Config::DEFAULT), Vec::new());
        let mut hits: Vec<Hit> = match (&self.matched, narrowing) {
            (Some(prev), true) if prev.len() < 20_000 => {
                let (mut m, mut b) = init();
                prev.iter()
                    .filter_map(|&i| score(&mut m, &mut b, i))
                    .collect()
            }
            (Some(prev), true) => prev
                .par_iter()
                .with_min_len(4096)
                .map_init(init, |(m, b), &i| score(m, b, i))
                .flatten_iter()
                .collect(),
            _ => (0..index.len() as u32)
                .into_par_iter()
                .with_min_len(4096)
                .map_init(init, |(m, b), i| score(m, b, i))
                .flatten_iter()
                .collect(),
        };
        self.total = hits.len();
        self.matched = Some(hits.iter().map(|h| h.item).collect());
        // Best first; among equals, shorter text (the name itself) first, then the
        // index's order.
        let order = |a: &Hit, b: &Hit| {
            b.score
                .cmp(&a.score)
                .then_with(|| index.text(a.item).len().cmp(&index.text(b.item).len()))
                .then_with(|| a.item.cmp(&b.item))
        };
        if hits.len() > SHOWN {
            hits.select_nth_unstable_by(SHOWN, order);
            hits.truncate(SHOWN);
        }
        hits.sort_unstable_by(order);
        self.best = hits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex<u32> {
        let names = [
            "prod-app 111122223333",
            "dev-app 444455556666",
            "Deploy arn:aws:iam::111122223333:role/Deploy",
            "DeployBot arn:aws:iam::444455556666:user/ci/DeployBot",
            "FullAWSAccess p-FullAWSAccess",
            "Security",
        ];
        SearchIndex::new(
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u32, (i % 2) as u8, (*n).into()))
                .collect(),
        )
    }

    fn ids(s: &Search, ix: &SearchIndex<u32>) -> Vec<u32> {
        s.best().iter().map(|h| ix.id(h.item)).collect()
    }

    #[test]
    fn an_empty_query_lists_everything() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "", None);
        assert_eq!(s.total(), 6);
        assert_eq!(ids(&s, &ix), [0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn fuzzy_words_match_names_ids_and_arns() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "deploy", None);
        assert_eq!(ids(&s, &ix)[..2], [2, 3], "shorter first among equals");
        s.set_query(&ix, "fullaws", None);
        assert_eq!(ids(&s, &ix), [4]);
        s.set_query(&ix, "4444 bot", None);
        assert_eq!(ids(&s, &ix), [3], "words AND-ed");
        s.set_query(&ix, "role/depl", None);
        assert_eq!(ids(&s, &ix), [2]);
        s.set_query(&ix, "zzz", None);
        assert_eq!(s.total(), 0);
        assert_eq!(s.selected_hit(), None);
    }

    #[test]
    fn narrowing_and_widening_agree_with_a_fresh_search() {
        let ix = index();
        let mut typed = Search::default();
        for q in ["d", "de", "dep", "depl", "dep", "d", "", "a", "ap", "app"] {
            typed.set_query(&ix, q, None);
            let mut fresh = Search::default();
            fresh.set_query(&ix, q, None);
            assert_eq!(ids(&typed, &ix), ids(&fresh, &ix), "{q}");
        }
    }

    #[test]
    fn a_tag_limits_the_search() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "deploy", Some(1));
        assert_eq!(ids(&s, &ix), [3]);
        s.set_query(&ix, "deploy", None);
        assert_eq!(ids(&s, &ix).len(), 2, "a change of tag is no narrowing");
        s.set_query(&ix, "", Some(0));
        assert_eq!(ids(&s, &ix), [0, 2, 4]);
        assert_eq!(s.total(), 3);
    }

    #[test]
    fn selection_wraps_and_positions_highlight() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "app", None);
        assert_eq!(s.best().len(), 2);
        s.select_next(true);
        s.select_next(true);
        assert_eq!(s.selected(), 0);
        s.select_next(false);
        assert_eq!(s.selected(), 1);
        assert_eq!(ix.match_positions(0, "app"), [5, 6, 7]);
    }

    #[test]
    fn many_items_are_scored_across_cores() {
        let items: Vec<(u32, u8, Box<str>)> = (0..50_000u32)
            .map(|i| {
                (
                    i,
                    0,
                    format!("role-{i:05} arn:aws:iam::{i:012}:role/r{i}").into(),
                )
            })
            .collect();
        let ix = SearchIndex::new(items);
        let mut s = Search::default();
        s.set_query(&ix, "r", None);
        assert_eq!(s.total(), 50_000);
        assert_eq!(s.best().len(), SHOWN);
        s.set_query(&ix, "role-04999", None);
        assert!(s.total() >= 11);
        assert_eq!(ix.id(s.best()[0].item), 4999);
    }
}
