//! "Did you mean ...?": the names nearest to one that names nothing, for the errors
//! and notes that answer a misspelt action or account.

/// The candidates nearest to `wanted`, ignoring case: those at the smallest edit
/// distance (optimal string alignment: two letters swapped count once), when that
/// distance is small for the length (a quarter of it, at least 1, at most 3); where
/// none is that near, those that contain `wanted` (3 characters or more). At most
/// `limit`, nearest first, then alphabetically; no duplicates.
pub fn nearest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Vec<&'a str> {
    let list: Vec<Entry<&'a str>> = candidates.into_iter().map(Entry::new).collect();
    pick(wanted, &list, &list, limit)
        .into_iter()
        .map(|e| e.given)
        .collect()
}

/// Candidates kept lower-cased and by length, for a list asked often (the catalog's
/// action names): [`Index::nearest`] answers as [`nearest`] would over the same list,
/// but measures the distance only to the names whose length is within reach.
#[derive(Debug, Default)]
pub struct Index {
    /// By length in characters.
    entries: Vec<Entry<Box<str>>>,
}

impl Index {
    pub fn new<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Index {
        let mut entries: Vec<Entry<Box<str>>> = candidates
            .into_iter()
            .map(|c| Entry::new(Box::from(c)))
            .collect();
        entries.sort_unstable_by(|a, b| (a.chars, &a.given).cmp(&(b.chars, &b.given)));
        entries.dedup_by(|a, b| a.given == b.given);
        Index { entries }
    }

    /// As [`nearest`] over the candidates the index was made of.
    pub fn nearest(&self, wanted: &str, limit: usize) -> Vec<&str> {
        let len = wanted.trim().to_lowercase().chars().count();
        let max = max_distance(len);
        // The names as long as `len` give or take `max` (for the distance), and those
        // at least as long (for containing it).
        let from = |n: usize| self.entries.partition_point(|e| e.chars < n);
        let longer = &self.entries[from(len)..];
        let window = &self.entries[from(len.saturating_sub(max))..from(len + max + 1)];
        pick(wanted, window, longer, limit)
            .into_iter()
            .map(|e| &*e.given)
            .collect()
    }
}

/// A candidate as given, lower-cased, its length in characters and how many of each
/// letter it has.
#[derive(Debug)]
struct Entry<S> {
    given: S,
    lower: String,
    chars: usize,
    letters: Letters,
}

impl<S: AsRef<str>> Entry<S> {
    fn new(given: S) -> Entry<S> {
        let lower = given.as_ref().to_lowercase();
        let chars = lower.chars().count();
        let letters = Letters::of(&lower);
        Entry {
            given,
            lower,
            chars,
            letters,
        }
    }
}

/// How many of each letter `a` to `z` a name has, and of anything else (saturating).
#[derive(Debug, Clone, Copy)]
struct Letters([u8; 27]);

impl Letters {
    fn of(lower: &str) -> Letters {
        let mut n = [0u8; 27];
        for c in lower.chars() {
            let i = if c.is_ascii_lowercase() {
                usize::from(c as u8 - b'a')
            } else {
                26
            };
            n[i] = n[i].saturating_add(1);
        }
        Letters(n)
    }

    /// A lower bound of the edit distance between two names with these letters: an
    /// insertion or a deletion changes one count by one, a substitution one up and
    /// one down, a swap none; so it takes at least as many edits as the larger of the
    /// letters one has more of and those the other has more of.
    fn distance_at_least(&self, other: &Letters) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (a, b) in self.0.iter().zip(&other.0) {
            if a > b {
                more += usize::from(a - b);
            } else {
                fewer += usize::from(b - a);
            }
        }
        more.max(fewer)
    }
}

/// How far a name of `len` characters may be from what was meant.
fn max_distance(len: usize) -> usize {
    (len / 4).clamp(1, 3)
}

/// [`nearest`]'s choice: the nearest of `window` (which holds every candidate within
/// reach of the length), or else those of `longer` that contain `wanted`.
fn pick<'e, S: AsRef<str>>(
    wanted: &str,
    window: &'e [Entry<S>],
    longer: &'e [Entry<S>],
    limit: usize,
) -> Vec<&'e Entry<S>> {
    let wanted = wanted.trim().to_lowercase();
    let len = wanted.chars().count();
    let max = max_distance(len);
    let letters = Letters::of(&wanted);
    let mut close: Vec<(usize, &Entry<S>)> = Vec::new();
    for c in window {
        // Cheap bounds first: most names are too long, too short or too unlike.
        if c.chars.abs_diff(len) > max || c.letters.distance_at_least(&letters) > max {
            continue;
        }
        // Equal: not misspelt, the caller looked it up some other way (an exact case).
        let d = if c.lower == wanted {
            0
        } else {
            strsim::osa_distance(&c.lower, &wanted)
        };
        if d <= max {
            close.push((d, c));
        }
    }
    let mut out: Vec<&Entry<S>> = if close.is_empty() {
        let mut containing: Vec<&Entry<S>> = if len >= 3 {
            longer
                .iter()
                .filter(|c| c.lower.contains(&wanted))
                .collect()
        } else {
            Vec::new()
        };
        containing.sort_unstable_by(|a, b| a.given.as_ref().cmp(b.given.as_ref()));
        containing
    } else {
        let best = close.iter().map(|&(d, _)| d).min().unwrap_or(0);
        let mut v: Vec<&Entry<S>> = close
            .into_iter()
            .filter(|&(d, _)| d == best)
            .map(|(_, c)| c)
            .collect();
        v.sort_unstable_by(|a, b| a.given.as_ref().cmp(b.given.as_ref()));
        v
    };
    out.dedup_by(|a, b| a.given.as_ref() == b.given.as_ref());
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::{Index, nearest};

    #[test]
    fn the_nearest_names_come_first_and_far_ones_never() {
        let names = ["GetObject", "GetObjectAcl", "PutObject", "ListBucket"];
        assert_eq!(nearest("GetObjct", names, 5), ["GetObject"]);
        assert_eq!(
            nearest("getobjcet", names, 5),
            ["GetObject"],
            "a swap, any case"
        );
        assert_eq!(nearest("PutObjct", names, 5), ["PutObject"]);
        assert!(nearest("DeleteBucketPolicy", names, 5).is_empty());
        // Nothing near: names that contain it.
        let accounts = ["web-prod", "payments-prod", "security", "web-prod"];
        assert_eq!(nearest("prod", accounts, 5), ["payments-prod", "web-prod"]);
        assert_eq!(nearest("web-prd", accounts, 5), ["web-prod"]);
        assert_eq!(nearest("prod", accounts, 1), ["payments-prod"], "the limit");
        assert!(
            nearest("xy", accounts, 5).is_empty(),
            "too short to contain"
        );
    }

    /// The index answers as the plain search does, over lists of names that differ
    /// in length, case and repetition.
    #[test]
    fn the_index_answers_as_the_plain_search() {
        let names = [
            "GetObject",
            "GetObjectAcl",
            "PutObject",
            "ListBucket",
            "getobject",
            "Get",
            "GetObjectTagging",
            "DeleteObject",
            "web-prod",
            "payments-prod",
            "é-prod",
            "ListBucket",
            "CreateBucket",
            "PutObjectAcl",
            "x",
        ];
        let index = Index::new(names);
        for wanted in [
            "GetObjct",
            "getobjcet",
            "GetObject",
            "PutObjct",
            "prod",
            "web-prd",
            "xy",
            "x",
            "ListBuckets",
            "Bucket",
            "object",
            "É-prod",
            "  getobject ",
            "",
            "Zzzzzzzzzzzz",
            "GetObjectAc",
            "DeleteObjectTagging",
        ] {
            for limit in [1, 3, 20] {
                assert_eq!(
                    index.nearest(wanted, limit),
                    nearest(wanted, names, limit),
                    "{wanted:?}, limit {limit}"
                );
            }
        }
    }
}
