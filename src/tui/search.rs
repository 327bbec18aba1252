//! The `/` filter and the palette's name completion: every name, id and ARN of the
//! org, matched with nucleo-matcher.
//!
//! Each query word must match an item, either fuzzily in its name or as a substring
//! of the rest of its text (ids, account, ARN): fuzzy matching across long ARNs finds
//! everything and ranks nothing, and costs five times more.
//!
//! Typing usually extends the query, and a longer query only ever matches a subset of
//! what the shorter one matched (the words are AND-ed, with no negation), so each key
//! re-scores only the previous matches. A first key scores everything, split across
//! cores. On a large org this still takes tens of milliseconds, so the UI runs it on a
//! worker thread ([`crate::tui::worker`]) and draws in the meantime.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;

/// Everything that can be found: an id, a tag (its kind, to search one kind only), a
/// name and the rest of the text it is found by.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex<Id> {
    ids: Vec<Id>,
    tags: Vec<u8>,
    /// `name  rest`, and where the name ends (in bytes).
    texts: Vec<(Box<str>, u32)>,
}

/// What separates the name from the rest in an item's text.
const SEP: &str = "  ";

impl<Id: Copy + Send + Sync> SearchIndex<Id> {
    /// Items as `(id, tag, name, rest)`.
    pub fn new(items: Vec<(Id, u8, String, String)>) -> SearchIndex<Id> {
        let mut ix = SearchIndex {
            ids: Vec::with_capacity(items.len()),
            tags: Vec::with_capacity(items.len()),
            texts: Vec::with_capacity(items.len()),
        };
        for (id, tag, mut name, rest) in items {
            let name_len = name.len() as u32;
            if !rest.is_empty() {
                name.push_str(SEP);
                name.push_str(&rest);
            }
            ix.ids.push(id);
            ix.tags.push(tag);
            ix.texts.push((name.into_boxed_str(), name_len));
        }
        ix
    }

    pub fn tag(&self, item: u32) -> u8 {
        self.tags[item as usize]
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn id(&self, item: u32) -> Id {
        self.ids[item as usize]
    }

    /// The whole text: `name  rest`.
    pub fn text(&self, item: u32) -> &str {
        &self.texts[item as usize].0
    }

    fn parts(&self, item: u32) -> (&str, &str) {
        let (text, n) = &self.texts[item as usize];
        let n = *n as usize;
        (&text[..n], text.get(n + SEP.len()..).unwrap_or(""))
    }

    /// The positions (in characters of [`text`](Self::text)) that `query` matched,
    /// for highlighting. Drawing many rows, use one [`Highlighter`].
    pub fn match_positions(&self, item: u32, query: &str) -> Vec<u32> {
        Highlighter::new(query).positions(self, item)
    }

    /// Scores an item: every word must match; `None` when one does not.
    fn score(
        &self,
        item: u32,
        ws: &[Word],
        matcher: &mut Matcher,
        buf: &mut Vec<char>,
    ) -> Option<u32> {
        let (name, rest) = self.parts(item);
        let mut total = 0u32;
        for w in ws {
            let s = match w.fuzzy.score(Utf32Str::new(name, buf), matcher) {
                // A name match ranks above the same word found in an ARN.
                Some(s) => u32::from(s) * 2,
                None => u32::from(w.substring.score(Utf32Str::new(rest, buf), matcher)?),
            };
            total += s;
        }
        Some(total)
    }
}

/// Finds the matched positions of one query in many items, with one matcher (a
/// matcher's scratch space is costly to allocate).
pub struct Highlighter {
    words: Vec<Word>,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Highlighter {
    pub fn new(query: &str) -> Highlighter {
        Highlighter {
            words: words(query),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }

    /// The positions (in characters of the item's text) the query matched.
    pub fn positions<Id: Copy + Send + Sync>(
        &mut self,
        index: &SearchIndex<Id>,
        item: u32,
    ) -> Vec<u32> {
        let (name, rest) = index.parts(item);
        let rest_start = (name.chars().count() + SEP.len()) as u32;
        let mut out = Vec::new();
        for w in &self.words {
            let mut found = Vec::new();
            if w.fuzzy
                .indices(
                    Utf32Str::new(name, &mut self.buf),
                    &mut self.matcher,
                    &mut found,
                )
                .is_some()
            {
                out.extend(found);
            } else if w
                .substring
                .indices(
                    Utf32Str::new(rest, &mut self.buf),
                    &mut self.matcher,
                    &mut found,
                )
                .is_some()
            {
                out.extend(found.into_iter().map(|i| i + rest_start));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// One query word, as the two atoms it is matched with.
struct Word {
    fuzzy: Atom,
    substring: Atom,
}

fn words(query: &str) -> Vec<Word> {
    query
        .split_whitespace()
        .map(|w| Word {
            fuzzy: Atom::new(
                w,
                CaseMatching::Smart,
                Normalization::Smart,
                AtomKind::Fuzzy,
                false,
            ),
            substring: Atom::new(
                w,
                CaseMatching::Smart,
                Normalization::Smart,
                AtomKind::Substring,
                false,
            ),
        })
        .collect()
}

/// A bit set of tags, for [`Search::set_query`]: `tags(&[1, 3])`.
pub fn tags(tags: &[u8]) -> u32 {
    tags.iter().fold(0, |set, t| set | 1 << t)
}

/// One match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub item: u32,
    pub score: u32,
}

/// How many matches are kept in order for the list.
pub const SHOWN: usize = 200;

/// What a list shows of a search: the query it answers, the best matches in order,
/// how many matched, and the selected one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    pub query: String,
    /// The tags searched, as a bit set (bit `t` for tag `t`); `None` for all.
    pub only: Option<u32>,
    pub best: Vec<Hit>,
    pub total: usize,
    pub selected: usize,
}

impl Matches {
    pub fn selected_hit(&self) -> Option<Hit> {
        self.best.get(self.selected).copied()
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
}

/// A search that remembers what its last query matched, to narrow the next.
#[derive(Debug, Clone, Default)]
pub struct Search {
    matches: Matches,
    /// Every item the last query matched; `None` after an empty query (all items).
    matched: Option<Vec<u32>>,
}

impl Search {
    pub fn matches(&self) -> &Matches {
        &self.matches
    }

    /// Runs a query, narrowing the previous matches when it extends the previous
    /// query; `only` limits the search to items of some tags (a bit set, see
    /// [`tags`]).
    pub fn set_query<Id: Copy + Send + Sync>(
        &mut self,
        index: &SearchIndex<Id>,
        query: &str,
        only: Option<u32>,
    ) {
        let prev = &self.matches;
        let narrowing = query.starts_with(prev.query.as_str())
            && !prev.query.trim().is_empty()
            && only == prev.only;
        let wanted = |item: u32| only.is_none_or(|set| set & (1 << index.tag(item)) != 0);
        let mut m = Matches {
            query: query.to_string(),
            only,
            ..Matches::default()
        };
        if query.trim().is_empty() {
            self.matched = None;
            let all = (0..index.len() as u32).filter(|&i| wanted(i));
            m.best = all
                .clone()
                .take(SHOWN)
                .map(|item| Hit { item, score: 0 })
                .collect();
            m.total = if only.is_some() {
                all.count()
            } else {
                index.len()
            };
            self.matches = m;
            return;
        }
        let ws = words(query);
        let score = |matcher: &mut Matcher, buf: &mut Vec<char>, item: u32| {
            if !wanted(item) {
                return None;
            }
            index
                .score(item, &ws, matcher, buf)
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
        m.total = hits.len();
        self.matched = Some(hits.iter().map(|h| h.item).collect());
        // Best first; among equals, the shorter text (the name itself), then the
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
        m.best = hits;
        self.matches = m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex<u32> {
        let items = [
            ("prod-app", "111122223333"),
            ("dev-app", "444455556666"),
            ("Deploy", "prod-app  arn:aws:iam::111122223333:role/Deploy"),
            (
                "DeployBot",
                "dev-app  arn:aws:iam::444455556666:user/ci/DeployBot",
            ),
            ("FullAWSAccess", "p-FullAWSAccess"),
            ("Security", ""),
        ];
        SearchIndex::new(
            items
                .iter()
                .enumerate()
                .map(|(i, (n, r))| (i as u32, (i % 2) as u8, n.to_string(), r.to_string()))
                .collect(),
        )
    }

    fn ids(s: &Search, ix: &SearchIndex<u32>) -> Vec<u32> {
        s.matches().best.iter().map(|h| ix.id(h.item)).collect()
    }

    fn found(ix: &SearchIndex<u32>, q: &str) -> Vec<u32> {
        let mut s = Search::default();
        s.set_query(ix, q, None);
        ids(&s, ix)
    }

    #[test]
    fn an_empty_query_lists_everything() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "", None);
        assert_eq!(s.matches().total, 6);
        assert_eq!(ids(&s, &ix), [0, 1, 2, 3, 4, 5]);
        assert_eq!(ix.text(5), "Security", "no separator without a rest");
    }

    #[test]
    fn names_match_fuzzily_the_rest_as_substrings() {
        let ix = index();
        assert_eq!(
            found(&ix, "deploy")[..2],
            [2, 3],
            "shorter first among equals"
        );
        assert_eq!(found(&ix, "fullaws"), [4]);
        assert_eq!(found(&ix, "dply"), [2, 3], "fuzzy in the name");
        assert_eq!(
            found(&ix, "4444 bot"),
            [3],
            "words AND-ed: an id and a name"
        );
        assert_eq!(found(&ix, "role/depl"), [2], "part of an ARN");
        assert_eq!(
            found(&ix, "rle/dpl"),
            Vec::<u32>::new(),
            "ARNs are not fuzzy"
        );
        assert_eq!(found(&ix, "prod deploy"), [2], "the account and the name");
        assert_eq!(found(&ix, "zzz"), Vec::<u32>::new());
        // A name match ranks above the same word in an ARN.
        assert_eq!(found(&ix, "app")[..2], [1, 0]);
    }

    #[test]
    fn a_tag_limits_the_search() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "deploy", Some(tags(&[1])));
        assert_eq!(ids(&s, &ix), [3]);
        s.set_query(&ix, "deploy", None);
        assert_eq!(ids(&s, &ix).len(), 2, "a change of tag is no narrowing");
        s.set_query(&ix, "", Some(tags(&[0])));
        assert_eq!(ids(&s, &ix), [0, 2, 4]);
        assert_eq!(s.matches().total, 3);
        s.set_query(&ix, "", Some(tags(&[0, 1])));
        assert_eq!(s.matches().total, 6, "several tags");
    }

    #[test]
    fn narrowing_and_widening_agree_with_a_fresh_search() {
        let ix = index();
        let mut typed = Search::default();
        for q in [
            "d", "de", "dep", "depl", "dep", "d", "", "a", "ap", "app", "app ", "app 4", "app 44",
        ] {
            typed.set_query(&ix, q, None);
            assert_eq!(ids(&typed, &ix), found(&ix, q), "{q}");
        }
    }

    #[test]
    fn selection_wraps_and_positions_highlight() {
        let ix = index();
        let mut s = Search::default();
        s.set_query(&ix, "app", None);
        let mut m = s.matches().clone();
        assert_eq!(m.best.len(), 4);
        m.select_next(false);
        assert_eq!(m.selected, 3);
        m.select_next(true);
        assert_eq!(m.selected, 0);
        assert_eq!(ix.match_positions(0, "app"), [5, 6, 7]);
        // `prod-app  arn:...`: the rest starts after the name and the separator.
        assert_eq!(ix.match_positions(2, "role"), [44, 45, 46, 47]);
        assert_eq!(&ix.text(2)[44..48], "role");
    }

    #[test]
    fn many_items_are_scored_across_cores() {
        let items: Vec<(u32, u8, String, String)> = (0..50_000u32)
            .map(|i| {
                (
                    i,
                    0,
                    format!("role-{i:05}"),
                    format!("arn:aws:iam::{i:012}:role/r{i}"),
                )
            })
            .collect();
        let ix = SearchIndex::new(items);
        let mut s = Search::default();
        s.set_query(&ix, "r", None);
        assert_eq!(s.matches().total, 50_000);
        assert_eq!(s.matches().best.len(), SHOWN);
        s.set_query(&ix, "role-04999", None);
        assert_eq!(ix.id(s.matches().best[0].item), 4999);
    }
}
