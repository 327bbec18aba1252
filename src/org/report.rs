//! Problems found while reading an organization, with where they are.
//!
//! Loaders record a [`Problem`] against a file and a JSON path as they go; positions
//! are worked out once at the end ([`Problems::resolve`]), from a byte offset when the
//! loader knew one, else by walking the file's JSON to the path. Most problems cost
//! nothing until they are reported.

use std::fmt;
use std::path::PathBuf;

use super::locate::{LineIndex, locate_all};

/// How bad a finding is: errors stop a load, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
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

/// One problem, located (`orgscope validate --format json` prints it as is).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
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

#[cfg(test)]
mod tests {
    use super::*;

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
