//! Policy documents: decoded from whatever form an export holds them in, deduplicated,
//! and compiled once each, in parallel.
//!
//! A large organization repeats the same few documents in thousands of places (the same
//! customer managed policy in every account, the same trust policy on every role), so
//! documents are keyed by (kind, name, text) and each distinct one is parsed once.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::value::RawValue;
use smallvec::SmallVec;

use super::entities::Doc;
use super::hash::{FxHasher, FxMap};
use super::ids::DocIx;
use super::locate::LineIndex;
use super::report::{At, FileId, JsonPath, Problem, Severity};
use crate::policy::{Policy, PolicyError, PolicyKind};

/// How a document's text relates to the file it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocOrigin {
    /// The text is a slice of the file starting at this byte offset.
    Verbatim(usize),
    /// The text was decoded from a JSON string starting at this byte offset.
    Decoded(usize),
    /// Made up by the loader (a trust shorthand, the catalog).
    Synthetic,
}

/// A document's text, ready to intern.
#[derive(Debug, Clone)]
pub(crate) struct DocSource<'a> {
    pub text: Cow<'a, str>,
    pub origin: DocOrigin,
}

/// Where a document was first seen, to report its errors.
#[derive(Debug, Clone)]
pub(crate) struct DocSite {
    pub file: FileId,
    pub path: JsonPath,
    pub origin: DocOrigin,
}

/// The byte offset of `part` in `whole`, when `part` is a slice of it.
pub(crate) fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let (w, p) = (whole.as_ptr() as usize, part.as_ptr() as usize);
    (p >= w && p + part.len() <= w + whole.len()).then(|| p - w)
}

/// Reads a policy document held as a JSON object, as JSON text in a string (SCP
/// `Content`, bucket and key policies) or as URL-encoded JSON (raw IAM API output).
pub(crate) fn decode_document<'a>(
    raw: &'a RawValue,
    file_text: &str,
) -> Result<DocSource<'a>, String> {
    let text = raw.get();
    let offset = offset_in(file_text, text);
    match text.as_bytes().first() {
        Some(b'{') => Ok(DocSource {
            text: Cow::Borrowed(text),
            origin: offset.map_or(DocOrigin::Synthetic, DocOrigin::Verbatim),
        }),
        Some(b'"') => {
            let s: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
            let origin = offset.map_or(DocOrigin::Synthetic, DocOrigin::Decoded);
            let trimmed = s.trim_start();
            if trimmed.starts_with('{') {
                return Ok(DocSource {
                    text: Cow::Owned(s),
                    origin,
                });
            }
            if trimmed.starts_with("%7B") || trimmed.starts_with("%7b") {
                let decoded = percent_decode(trimmed)
                    .ok_or("the URL-encoded policy document is not valid UTF-8")?;
                return Ok(DocSource {
                    text: Cow::Owned(decoded),
                    origin,
                });
            }
            Err(format!(
                "a policy document must be a JSON object, JSON text in a string or URL-encoded JSON; found the string `{}`",
                preview(&s)
            ))
        }
        _ => Err(format!(
            "a policy document must be a JSON object, JSON text in a string or URL-encoded JSON; found `{}`",
            preview(text)
        )),
    }
}

fn preview(s: &str) -> String {
    let mut p: String = s.chars().take(40).collect();
    if p.len() < s.len() {
        p.push('…');
    }
    p.escape_debug().to_string()
}

/// `%7B%22Version%22...` -> `{"Version"...`. Like Python's `unquote` (which the AWS CLI
/// uses): `+` stays `+`, a `%` not followed by two hex digits stays as it is.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Characters other than whitespace outside strings: what AWS counts against a
/// policy's size quota.
pub(crate) fn policy_size(text: &str) -> usize {
    let mut in_string = false;
    let mut escaped = false;
    let mut n = 0;
    for c in text.chars() {
        if in_string {
            n += 1;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !c.is_whitespace() {
            n += 1;
            in_string = c == '"';
        }
    }
    n
}

struct Entry {
    kind: PolicyKind,
    name: Arc<str>,
    text: Arc<str>,
    size: usize,
    site: DocSite,
}

/// Distinct documents, in the order first seen.
#[derive(Default)]
pub(crate) struct DocTable {
    buckets: FxMap<u64, SmallVec<[DocIx; 1]>>,
    entries: Vec<Entry>,
}

impl DocTable {
    /// The document with this kind, name and text, added if new; `site` is asked for
    /// only then.
    pub fn intern(
        &mut self,
        kind: PolicyKind,
        name: &str,
        text: &str,
        site: impl FnOnce() -> DocSite,
    ) -> DocIx {
        let mut h = FxHasher::default();
        kind.hash(&mut h);
        name.hash(&mut h);
        text.hash(&mut h);
        let bucket = self.buckets.entry(h.finish()).or_default();
        for &d in bucket.iter() {
            let e = &self.entries[d.index()];
            if e.kind == kind && *e.name == *name && *e.text == *text {
                return d;
            }
        }
        let d = DocIx::new(self.entries.len());
        bucket.push(d);
        self.entries.push(Entry {
            kind,
            name: name.into(),
            text: text.into(),
            size: policy_size(text),
            site: site(),
        });
        d
    }

    pub fn size(&self, d: DocIx) -> usize {
        self.entries[d.index()].size
    }

    pub fn name(&self, d: DocIx) -> &str {
        &self.entries[d.index()].name
    }

    /// Compiles every document (in parallel); the ones that fail become problems at
    /// the place they were first seen, and empty policies that keep their text (a
    /// load that refuses errors never builds them into an org).
    ///
    /// A document with the same kind, name and text as one of `known`'s shares its
    /// compiled policy instead.
    pub fn compile(self, known: Option<KnownDocs>) -> (Vec<Doc>, Vec<Problem>) {
        let known = known.unwrap_or_default();
        let results: Vec<Result<Arc<Policy>, PolicyError>> = self
            .entries
            .par_iter()
            .map(|e| match known.get(e.kind, &e.name, &e.text) {
                Some(policy) => Ok(Arc::clone(policy)),
                None => Policy::parse(e.kind, &e.name, &e.text).map(Arc::new),
            })
            .collect();
        let mut docs = Vec::with_capacity(results.len());
        let mut problems = Vec::new();
        for (e, r) in self.entries.into_iter().zip(results) {
            match r {
                Ok(policy) => docs.push(Doc {
                    policy,
                    text: e.text,
                    size: e.size,
                    unreadable: None,
                }),
                Err(err) => {
                    problems.push(located(&e.site, &e.text, &err, e.kind));
                    docs.push(Doc {
                        policy: Arc::new(Policy::unreadable(e.kind, &e.name)),
                        text: e.text,
                        size: e.size,
                        unreadable: Some(err.message.as_str().into()),
                    });
                }
            }
        }
        (docs, problems)
    }
}

/// An org's compiled documents by text (then kind and name), to compile again only
/// what a changed copy of the org adds; unreadable ones are left out.
#[derive(Default)]
pub(crate) struct KnownDocs(FxMap<Arc<str>, SmallVec<[Arc<Policy>; 1]>>);

impl KnownDocs {
    pub fn of(org: &super::Org) -> KnownDocs {
        let mut m: FxMap<Arc<str>, SmallVec<[Arc<Policy>; 1]>> = FxMap::default();
        for d in org.docs().iter().filter(|d| d.unreadable.is_none()) {
            m.entry(d.text.clone()).or_default().push(d.policy.clone());
        }
        KnownDocs(m)
    }

    fn get(&self, kind: PolicyKind, name: &str, text: &str) -> Option<&Arc<Policy>> {
        self.0
            .get(text)?
            .iter()
            .find(|p| p.kind() == kind && p.name() == name)
    }
}

/// A policy error as a problem in the file the document came from.
fn located(site: &DocSite, text: &str, err: &PolicyError, kind: PolicyKind) -> Problem {
    let what = kind.describe();
    let what = what
        .strip_prefix("an ")
        .or_else(|| what.strip_prefix("a "))
        .unwrap_or(what);
    let mut message = format!("invalid {what}: {}", err.message);
    let at = match (site.origin, err.position) {
        (DocOrigin::Verbatim(off), Some((l, c))) => match LineIndex::new(text).offset(l, c) {
            Some(o) => At::Offset(off + o.min(text.len())),
            None => At::Offset(off),
        },
        (DocOrigin::Verbatim(off), None) => At::Offset(off),
        (DocOrigin::Decoded(off), pos) => {
            if let Some((l, c)) = pos {
                message.push_str(&format!(" (in the decoded document, line {l} column {c})"));
            }
            At::Offset(off)
        }
        (DocOrigin::Synthetic, pos) => {
            if let Some((l, c)) = pos {
                message.push_str(&format!(" (in the document, line {l} column {c})"));
            }
            At::Path
        }
    };
    // serde_path_to_error writes `?` for a place it cannot name (a syntax error).
    let inner = err
        .path
        .split('.')
        .filter(|s| *s != "?")
        .collect::<Vec<_>>()
        .join(".");
    Problem {
        severity: Severity::Error,
        file: site.file,
        path: site.path.clone(),
        inner,
        at,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_form_of_document() {
        let file = r#"[{"Version":"2012-10-17"}, "{\"Version\":\"2012-10-17\"}", "%7B%22Version%22%3A%222012-10-17%22%7D", 3, "nope"]"#;
        let raws: Vec<&RawValue> = serde_json::from_str(file).unwrap();
        let want = r#"{"Version":"2012-10-17"}"#;
        let d0 = decode_document(raws[0], file).unwrap();
        assert_eq!(d0.text, want);
        assert_eq!(d0.origin, DocOrigin::Verbatim(1));
        assert_eq!(decode_document(raws[1], file).unwrap().text, want);
        let d2 = decode_document(raws[2], file).unwrap();
        assert_eq!(d2.text, want);
        assert!(matches!(d2.origin, DocOrigin::Decoded(_)));
        assert!(
            decode_document(raws[3], file)
                .unwrap_err()
                .contains("found `3`")
        );
        assert!(
            decode_document(raws[4], file)
                .unwrap_err()
                .contains("the string `nope`")
        );
    }

    #[test]
    fn percent_decoding_keeps_what_is_not_an_escape() {
        assert_eq!(percent_decode("a%20b+c%2"), Some("a b+c%2".into()));
        assert_eq!(percent_decode("%zz%4"), Some("%zz%4".into()));
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn sizes_ignore_whitespace_outside_strings() {
        assert_eq!(policy_size("{ \"a b\" : 1 }"), "{\"a b\":1}".len());
    }

    #[test]
    fn identical_documents_are_interned_once() {
        let mut t = DocTable::default();
        let site = || DocSite {
            file: FileId(0),
            path: JsonPath::default(),
            origin: DocOrigin::Synthetic,
        };
        let a = t.intern(PolicyKind::Identity, "p", "{}", site);
        let b = t.intern(PolicyKind::Identity, "p", "{}", site);
        let c = t.intern(PolicyKind::Boundary, "p", "{}", site);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(t.entries.len(), 2);
    }
}
