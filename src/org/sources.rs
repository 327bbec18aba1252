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

/// Policy sources by policy index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources(Vec<Option<Arc<PolicySource>>>);

impl Sources {
    pub fn get(&self, p: PolicyIx, doc: DocIx) -> Option<&PolicySource> {
        self.0.get(p.index())?.as_deref().filter(|s| s.doc == doc)
    }
}

/// A document as a loader read it, before a policy takes it.
struct Seen {
    doc: DocIx,
    file: FileId,
    offset: usize,
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
            embedded,
            path,
        });
    }

    /// A policy record was made with `doc`: the document just read, if it is that.
    pub fn taken(&mut self, p: PolicyIx, doc: DocIx) {
        if self.last.as_ref().is_some_and(|s| s.doc == doc) {
            self.taken
                .push((p, self.last.take().unwrap_or_else(|| unreachable!())));
        }
    }

    /// Lines and columns, counted in each file's text (`text`), for `policies` records.
    pub fn finish<'t>(
        mut self,
        policies: usize,
        files: &[std::path::PathBuf],
        text: impl Fn(FileId) -> Option<&'t str>,
    ) -> Sources {
        let mut out: Vec<Option<Arc<PolicySource>>> = vec![None; policies];
        self.taken
            .sort_unstable_by_key(|(_, s)| (s.file.0, s.offset));
        for group in self.taken.chunk_by(|a, b| a.1.file == b.1.file) {
            let file_id = group[0].1.file;
            let (Some(text), Some(name)) = (text(file_id), files.get(file_id.0 as usize)) else {
                continue;
            };
            let name: Arc<str> = name.display().to_string().into();
            // Lines counted from one document to the next.
            let (mut at, mut line, mut line_start) = (0usize, 1usize, 0usize);
            for (p, s) in group {
                let Some(between) = text.as_bytes().get(at..s.offset) else {
                    continue;
                };
                let newlines = between.iter().filter(|&&b| b == b'\n').count();
                if let Some(last) = between.iter().rposition(|&b| b == b'\n') {
                    line += newlines;
                    line_start = at + last + 1;
                }
                at = s.offset;
                if let Some(slot) = out.get_mut(p.index()) {
                    *slot = Some(Arc::new(PolicySource {
                        file: name.clone(),
                        json_path: s.path.to_string(),
                        line,
                        column: s.offset - line_start + 1,
                        embedded: s.embedded,
                        doc: s.doc,
                    }));
                }
            }
        }
        Sources(out)
    }
}
