//! Errors in policy documents, with where they are.

use std::fmt;

/// A policy that cannot be read: what is wrong, at which JSON path and, when the
/// policy came from text, at which line and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// `Statement[1].Condition` style; empty for the document itself.
    pub path: String,
    /// 1-based line and column in the text the policy was read from.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.path.is_empty(), self.position) {
            (true, None) => {}
            (false, None) => write!(f, "at {}: ", self.path)?,
            (true, Some((l, c))) => write!(f, "line {l} column {c}: ")?,
            (false, Some((l, c))) => write!(f, "line {l} column {c}, at {}: ", self.path)?,
        }
        f.write_str(&self.message)
    }
}

impl PolicyError {
    /// From a serde_json error tracked by serde_path_to_error.
    pub fn from_json(err: serde_path_to_error::Error<serde_json::Error>) -> PolicyError {
        let path = json_path(err.path());
        let inner = err.into_inner();
        let position = (inner.line() > 0).then(|| (inner.line(), inner.column()));
        PolicyError {
            path,
            position,
            message: strip_position(&inner.to_string()),
        }
    }

    /// From a serde_json error with no path (the text around the document).
    pub fn from_plain_json(inner: serde_json::Error) -> PolicyError {
        PolicyError {
            path: String::new(),
            position: (inner.line() > 0).then(|| (inner.line(), inner.column())),
            message: strip_position(&inner.to_string()),
        }
    }
}

/// serde_path_to_error's path as `Statement[0].Condition.StringEquals`; `.` alone
/// (the root) becomes empty.
pub fn json_path(path: &serde_path_to_error::Path) -> String {
    let s = path.to_string();
    if s == "." { String::new() } else { s }
}

/// serde_json appends " at line L column C" to its messages; we report the position
/// separately.
pub fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}
