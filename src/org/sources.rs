//! Where each policy's document is in the file it was read from, so that a finding
//! can point at its statement by file, line and column. Loading notes only the byte
//! offset of each document (and its JSON path); lines are counted once per file at
//! the end, in one pass over the documents in file order.

use std::sync::Arc;

use super::docs::DocOrigin;
use super::ids::{DocIx, PolicyIx};
use super::report::{FileId, JsonPath};

/// Where a policy's document starts in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    /// The file, as given to the loader.
    pub file: Arc<str>,
    /// The document's JSON path in the file (`accounts[4].policies.X.document`).
    pub json_path: String,
    /// 1-based line and byte column of the document's first character.
    pub line: usize,
    pub column: usize,
    /// The document is JSON text held in a string (an SCP's `Content`, a bucket
    /// policy, URL-encoded IAM output): positions inside it are the decoded text's.
    pub embedded: bool,
    /// The document it was recorded for: an edit that replaces the document (a what
    /// if) leaves the source behind.
    pub(crate) doc: DocIx,
}

/// Policy sources, sorted by policy index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    files: Vec<Arc<str>>,
    list: Vec<(PolicyIx, Seen)>,
}

impl Sources {
    /// Forgets policy `p` and numbers the later ones one less, as the policy table
    /// does when a what-if deletes `p`.
    pub(crate) fn remove(&mut self, p: PolicyIx) {
        self.list.retain(|(q, _)| *q != p);
        for (q, _) in &mut self.list {
            if *q > p {
                q.0 -= 1;
            }
        }
    }

    pub fn get(&self, p: PolicyIx, doc: DocIx) -> Option<PolicySource> {
        let i = self.list.binary_search_by_key(&p, |(q, _)| *q).ok()?;
        let s = &self.list[i].1;
        (s.doc == doc).then(|| PolicySource {
            file: self
                .files
                .get(s.file.0 as usize)
                .cloned()
                .unwrap_or_default(),
            json_path: s.path.to_string(),
            line: s.line as usize,
            column: s.column as usize,
            embedded: s.embedded,
            doc,
        })
    }
}

/// A document as a loader read it: its byte offset until lines are counted, then
/// its line and column.
#[derive(Debug, Clone)]
struct Seen {
    doc: DocIx,
    file: FileId,
    offset: usize,
    line: u32,
    column: u32,
    embedded: bool,
    path: JsonPath,
}

/// What the builder notes while loading.
#[derive(Default)]
pub(crate) struct Collect {
    last: Option<Seen>,
    taken: Vec<(PolicyIx, Seen)>,
}

impl Collect {
    /// A document was read at `path` in `file` (nothing for one the loader made up).
    pub fn seen(&mut self, doc: DocIx, file: FileId, origin: DocOrigin, path: JsonPath) {
        let (offset, embedded) = match origin {
            DocOrigin::Verbatim(o) => (o, false),
            DocOrigin::Decoded(o) => (o, true),
            DocOrigin::Synthetic => {
                self.last = None;
                return;
            }
        };
        self.last = Some(Seen {
            doc,
            file,
            offset,
            line: 0,
            column: 0,
            embedded,
            path,
        });
    }

    /// A policy record was made with `doc`: the document just read, if it is that.
    pub fn taken(&mut self, p: PolicyIx, doc: DocIx) {
        if let Some(s) = self.last.take_if(|s| s.doc == doc) {
            self.taken.push((p, s));
        }
    }

    /// Lines and columns, counted in each file's text (`text`); `files` names them.
    pub fn finish<'t>(
        mut self,
        files: &[std::path::PathBuf],
        text: impl Fn(FileId) -> Option<&'t str>,
    ) -> Sources {
        self.taken
            .sort_unstable_by_key(|(_, s)| (s.file.0, s.offset));
        for group in self.taken.chunk_by_mut(|a, b| a.1.file == b.1.file) {
            let Some(text) = text(group[0].1.file) else {
                continue;
            };
            // Lines counted from one document to the next.
            let (mut at, mut line, mut line_start) = (0usize, 1usize, 0usize);
            for (_, s) in group.iter_mut() {
                let Some(between) = text.as_bytes().get(at..s.offset) else {
                    continue;
                };
                if let Some(last) = between.iter().rposition(|&b| b == b'\n') {
                    line += between.iter().filter(|&&b| b == b'\n').count();
                    line_start = at + last + 1;
                }
                at = s.offset;
                s.line = u32::try_from(line).unwrap_or(u32::MAX);
                s.column = u32::try_from(s.offset - line_start + 1).unwrap_or(u32::MAX);
            }
        }
        // Those of a file not given (none is, today) have no line: left out.
        self.taken.retain(|(_, s)| s.line > 0);
        self.taken.sort_unstable_by_key(|(p, _)| *p);
        Sources {
            files: files
                .iter()
                .map(|f| f.display().to_string().into())
                .collect(),
            list: self.taken,
        }
    }
}
