//! Problems found while reading an organization, with where they are.
//!
//! Loaders record a [`Problem`] against a file and a JSON path as they go; positions
//! are worked out once at the end ([`Problems::resolve`]), from a byte offset when the
//! loader knew one, else by walking the file's JSON to the path. Most problems cost
//! nothing until they are reported.

use std::fmt;
use std::path::PathBuf;

/// How bad a finding is: errors stop a load, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub file: PathBuf,
    /// `accounts[2].users.alice.groups[0]`; empty for the file as a whole.
    pub json_path: String,
    /// 1-based; 0 when the problem has no place in the file (a missing file).
    pub line: usize,
    /// 1-based byte column; 0 with `line` 0.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}: {}", self.severity, self.message)?;
        if !self.json_path.is_empty() {
            write!(f, " (at {})", self.json_path)?;
        }
        Ok(())
    }
}

/// Everything found in one input: errors first, then warnings, each in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }
    /// No errors and no warnings.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// One finding per line: `file:line:column: error: message (at json.path)`.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    Key(Box<str>),
    Index(usize),
}

/// A path into a JSON document, built only when something is reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct JsonPath(pub Vec<Seg>);

pub(crate) trait IntoSeg {
    fn into_seg(self) -> Seg;
}
impl IntoSeg for &str {
    fn into_seg(self) -> Seg {
        Seg::Key(self.into())
    }
}
impl IntoSeg for &String {
    fn into_seg(self) -> Seg {
        Seg::Key(self.as_str().into())
    }
}
impl IntoSeg for &std::borrow::Cow<'_, str> {
    fn into_seg(self) -> Seg {
        Seg::Key(self.as_ref().into())
    }
}
impl IntoSeg for &super::de::Str<'_> {
    fn into_seg(self) -> Seg {
        Seg::Key((**self).into())
    }
}
impl IntoSeg for usize {
    fn into_seg(self) -> Seg {
        Seg::Index(self)
    }
}

/// `jpath!["accounts", 3, "users", name]`
macro_rules! jpath {
    ($($seg:expr),* $(,)?) => {
        $crate::org::report::JsonPath(vec![$($crate::org::report::IntoSeg::into_seg($seg)),*])
    };
}
pub(crate) use jpath;

impl JsonPath {
    pub fn with(&self, seg: impl IntoSeg) -> JsonPath {
        let mut p = self.clone();
        p.0.push(seg.into_seg());
        p
    }

    /// From serde_path_to_error's path.
    pub fn from_serde(path: &serde_path_to_error::Path) -> JsonPath {
        use serde_path_to_error::Segment;
        JsonPath(
            path.iter()
                .filter_map(|s| match s {
                    Segment::Seq { index } => Some(Seg::Index(*index)),
                    Segment::Map { key } => Some(Seg::Key(key.as_str().into())),
                    Segment::Enum { variant } => Some(Seg::Key(variant.as_str().into())),
                    Segment::Unknown => None,
                })
                .collect(),
        )
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Index(n) => write!(f, "[{n}]")?,
                Seg::Key(k) if is_plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => write!(f, "[{}]", serde_json::Value::String(k.to_string()))?,
            }
        }
        Ok(())
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$' | b'@' | b'+' | b'=')
        })
}

/// An index into the loader's list of files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FileId(pub u32);

/// Where in its file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum At {
    /// Find the path in the file.
    Path,
    /// A byte offset into the file.
    Offset(usize),
    /// Already known (serde_json's own errors).
    LineColumn(usize, usize),
    /// The file as a whole.
    Nowhere,
}

#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub severity: Severity,
    pub file: FileId,
    pub path: JsonPath,
    /// Appended to the displayed path: a policy's own path below the document.
    pub inner: String,
    pub at: At,
    pub message: String,
}

/// Problems as they are found, and the files they are in.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub files: Vec<PathBuf>,
    pub list: Vec<Problem>,
}

impl Problems {
    pub fn file(&mut self, path: impl Into<PathBuf>) -> FileId {
        self.files.push(path.into());
        FileId(self.files.len() as u32 - 1)
    }

    pub fn push(
        &mut self,
        severity: Severity,
        file: FileId,
        path: JsonPath,
        message: impl Into<String>,
    ) {
        self.list.push(Problem {
            severity,
            file,
            path,
            inner: String::new(),
            at: At::Path,
            message: message.into(),
        });
    }

    pub fn error(&mut self, file: FileId, path: JsonPath, message: impl Into<String>) {
        self.push(Severity::Error, file, path, message);
    }

    pub fn warn(&mut self, file: FileId, path: JsonPath, message: impl Into<String>) {
        self.push(Severity::Warning, file, path, message);
    }

    /// A problem with the file as a whole (missing, unreadable).
    pub fn file_error(&mut self, file: FileId, message: impl Into<String>) {
        self.list.push(Problem {
            severity: Severity::Error,
            file,
            path: JsonPath::default(),
            inner: String::new(),
            at: At::Nowhere,
            message: message.into(),
        });
    }

    /// A serde_json error tracked by serde_path_to_error: syntax or type.
    pub fn json_error(&mut self, file: FileId, err: super::de::JsonError) {
        let path = err.path;
        let inner = err.error;
        let at = if inner.line() > 0 {
            At::LineColumn(inner.line(), inner.column())
        } else {
            At::Path
        };
        self.list.push(Problem {
            severity: Severity::Error,
            file,
            path,
            inner: String::new(),
            at,
            message: json_message(&inner),
        });
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|p| p.severity == Severity::Error)
    }

    /// Locates every problem; `text(file)` gives a file's text when it is JSON.
    pub fn resolve<'t>(self, text: impl Fn(FileId) -> Option<&'t str>) -> Report {
        let mut findings = Vec::with_capacity(self.list.len());
        let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); self.files.len()];
        for (i, p) in self.list.iter().enumerate() {
            if let Some(v) = by_file.get_mut(p.file.0 as usize) {
                v.push(i);
            }
        }
        let mut positions: Vec<(usize, usize)> = vec![(0, 0); self.list.len()];
        for (file, problems) in by_file.iter().enumerate() {
            let Some(text) = text(FileId(file as u32)).filter(|_| !problems.is_empty()) else {
                continue;
            };
            let lines = LineIndex::new(text);
            let wanted: Vec<&JsonPath> = problems
                .iter()
                .filter(|&&i| self.list[i].at == At::Path)
                .map(|&i| &self.list[i].path)
                .collect();
            let mut found = locate_all(text, &wanted).into_iter();
            for &i in problems {
                positions[i] = match self.list[i].at {
                    At::Path => found.next().flatten().map_or((0, 0), |o| lines.position(o)),
                    At::Offset(o) => lines.position(o),
                    At::LineColumn(l, c) => (l, c.max(1)),
                    At::Nowhere => (0, 0),
                };
            }
        }
        for (p, (line, column)) in self.list.into_iter().zip(positions) {
            let mut json_path = p.path.to_string();
            if !p.inner.is_empty() {
                if !json_path.is_empty() && !p.inner.starts_with('[') {
                    json_path.push('.');
                }
                json_path.push_str(&p.inner);
            }
            findings.push(Finding {
                severity: p.severity,
                file: self
                    .files
                    .get(p.file.0 as usize)
                    .cloned()
                    .unwrap_or_default(),
                json_path,
                line,
                column,
                message: p.message,
            });
        }
        // Errors first; within a severity, keep the order the loader found them in.
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        Report { findings }
    }
}

/// serde_json's message without its trailing " at line L column C".
pub(crate) fn json_message(e: &serde_json::Error) -> String {
    crate::policy::error::strip_position(&e.to_string())
}

/// Line starts of a text, for offset -> (line, column).
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// 1-based line and byte column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, offset - self.starts[line - 1] + 1)
    }

    /// The byte offset of a 1-based line and column.
    pub fn offset(&self, line: usize, column: usize) -> Option<usize> {
        self.starts
            .get(line.checked_sub(1)?)
            .map(|s| s + column.saturating_sub(1))
    }
}

/// Finds the byte offsets of the values at many paths in one walk over the text.
/// Paths that are not there (or text that is not JSON) give `None`.
pub(crate) fn locate_all(text: &str, paths: &[&JsonPath]) -> Vec<Option<usize>> {
    let mut out = vec![None; paths.len()];
    if paths.is_empty() {
        return out;
    }
    let mut trie = Trie::default();
    for (i, p) in paths.iter().enumerate() {
        trie.insert(&p.0, i);
    }
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    s.walk(&trie, 0, &mut out);
    out
}

#[derive(Default)]
struct Trie {
    nodes: Vec<TrieNode>,
}

#[derive(Default)]
struct TrieNode {
    children: Vec<(Seg, usize)>,
    wanted: Vec<usize>,
}

impl Trie {
    fn insert(&mut self, path: &[Seg], id: usize) {
        if self.nodes.is_empty() {
            self.nodes.push(TrieNode::default());
        }
        let mut node = 0;
        for seg in path {
            node = match self.nodes[node].children.iter().find(|(s, _)| s == seg) {
                Some(&(_, n)) => n,
                None => {
                    self.nodes.push(TrieNode::default());
                    let n = self.nodes.len() - 1;
                    self.nodes[node].children.push((seg.clone(), n));
                    n
                }
            };
        }
        self.nodes[node].wanted.push(id);
    }
}

/// A forgiving JSON scanner: it never fails, it stops.
struct Scanner<'t> {
    b: &'t [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// At a value: records it for the paths that end here and descends where needed.
    fn walk(&mut self, trie: &Trie, node: usize, out: &mut [Option<usize>]) {
        for &w in &trie.nodes[node].wanted {
            out[w] = Some(self.i);
        }
        let children = &trie.nodes[node].children;
        if children.is_empty() {
            self.skip_value();
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        // `}` or malformed.
                        self.i += usize::from(self.peek() == Some(b'}'));
                        return;
                    }
                    let start = self.i;
                    self.skip_string();
                    let key = unescape(&self.b[start..self.i]);
                    self.ws();
                    if self.peek() != Some(b':') {
                        return;
                    }
                    self.i += 1;
                    self.ws();
                    let child = key.and_then(|k| {
                        children
                            .iter()
                            .find(|(s, _)| matches!(s, Seg::Key(x) if **x == *k))
                            .map(|c| c.1)
                    });
                    match child {
                        Some(c) => self.walk(trie, c, out),
                        None => self.skip_value(),
                    }
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    if matches!(self.peek(), Some(b']') | None) {
                        self.i += 1;
                        return;
                    }
                    match children.iter().find(|(s, _)| *s == Seg::Index(n)) {
                        Some(&(_, c)) => self.walk(trie, c, out),
                        None => self.skip_value(),
                    }
                    n += 1;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            _ => self.skip_value(),
        }
    }

    fn skip_string(&mut self) {
        self.i += 1;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return,
                _ => {}
            }
        }
    }

    fn skip_value(&mut self) {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b'"') => self.skip_string(),
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.i += 1;
                    continue;
                }
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.i += 1;
                }
                Some(b',' | b':') if depth > 0 => {
                    self.i += 1;
                    continue;
                }
                Some(b',' | b':') => return,
                Some(_) => {
                    while let Some(c) = self.peek() {
                        if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b':') {
                            break;
                        }
                        self.i += 1;
                    }
                }
            }
            if depth == 0 {
                return;
            }
        }
    }
}

fn unescape(quoted: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(quoted).ok()?;
    if !s.contains('\\') {
        return s.get(1..s.len().checked_sub(1)?).map(str::to_string);
    }
    serde_json::from_str(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_values_by_path() {
        let text = "{\n  \"a\": [1, {\"b\": \"x\"}],\n  \"c\\u0064\": {\"e\": true}\n}";
        let lines = LineIndex::new(text);
        let p1 = jpath!["a", 1, "b"];
        let p2 = jpath!["cd", "e"];
        let p3 = jpath!["a", 5];
        let p4 = jpath!["a"];
        let found = locate_all(text, &[&p1, &p2, &p3, &p4]);
        assert_eq!(found[0].map(|o| lines.position(o)), Some((2, 18)));
        assert_eq!(found[1].map(|o| lines.position(o)), Some((3, 20)));
        assert_eq!(found[2], None);
        assert_eq!(found[3].map(|o| lines.position(o)), Some((2, 8)));
    }

    #[test]
    fn locating_in_broken_text_stops_without_panicking() {
        let p = jpath!["a", 0, "b"];
        for text in [
            "",
            "{",
            "{\"a\"",
            "{\"a\": [",
            "{\"a\": [{\"b\"",
            "[[[[",
            "\"",
            "{\"a\": [1,,]}",
        ] {
            let _ = locate_all(text, &[&p]);
        }
    }

    #[test]
    fn paths_display_like_serde_path_to_error() {
        assert_eq!(
            jpath!["accounts", 2, "users", "alice"].to_string(),
            "accounts[2].users.alice"
        );
        assert_eq!(
            jpath!["resources", "arn:aws:s3:::b", "policy"].to_string(),
            "resources[\"arn:aws:s3:::b\"].policy"
        );
    }

    #[test]
    fn findings_print_one_per_line() {
        let f = Finding {
            severity: Severity::Error,
            file: "org.json".into(),
            json_path: "accounts[0].id".into(),
            line: 3,
            column: 9,
            message: "bad".into(),
        };
        assert_eq!(
            f.to_string(),
            "org.json:3:9: error: bad (at accounts[0].id)"
        );
    }
}
