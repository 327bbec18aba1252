//! Where a finding's statement is in the input: the file, line and column, and its
//! JSON path, from where the loader found the policy's document.

use serde::Serialize;

use crate::org::locate::{LineIndex, locate_all};
use crate::org::report::{JsonPath, Seg};
use crate::org::{Org, PolicyIx};

/// A statement's (or a document's) place in the file it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub file: String,
    /// 1-based line and byte column in the file.
    pub line: usize,
    pub column: usize,
    pub json_path: String,
    /// Where the document is JSON text in a string (an SCP's `Content`, a bucket
    /// policy): the file position is the string's, and this is the statement's line
    /// and column in the document the string holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_document: Option<LineColumn>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Location {
    /// `file:line:column`, and the place in the document where it is in a string.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)?;
        if let Some(d) = self.in_document {
            write!(
                f,
                " (a document in a string: line {} column {} of it)",
                d.line, d.column
            )?;
        }
        Ok(())
    }
}

/// Where statement `k` of policy `p` is (the document itself with `k` `None`); `None`
/// where the policy was not read from a file (a shorthand, a changed org).
pub(super) fn of_statement(org: &Org, p: PolicyIx, k: Option<usize>) -> Option<Location> {
    let src = org.policy_source(p)?;
    let text = &org.doc(p).text;
    let found = match k {
        None => Some((0, String::new())),
        Some(k) => {
            let listed = JsonPath(vec![Seg::Key("Statement".into()), Seg::Index(k)]);
            let alone = JsonPath(vec![Seg::Key("Statement".into())]);
            match locate_all(text, &[&listed, &alone])[..] {
                [Some(o), _] => Some((o, format!(".Statement[{k}]"))),
                // `Statement` an object: the one statement.
                [None, Some(o)] if k == 0 && text[o..].starts_with('{') => {
                    Some((o, ".Statement".to_string()))
                }
                _ => None,
            }
        }
    };
    let (offset, inner) = found?;
    let (line, column) = LineIndex::new(text).position(offset);
    let mut at = Location {
        file: src.file.to_string(),
        line: src.line,
        column: src.column,
        json_path: src.json_path.clone(),
        in_document: None,
    };
    if src.embedded {
        at.in_document = Some(LineColumn { line, column });
    } else {
        at.json_path.push_str(&inner);
        if line == 1 {
            at.column += column - 1;
        } else {
            at.line += line - 1;
            at.column = column;
        }
    }
    Some(at)
}

/// The index of the statement a finding names by `label`: `Statement[i]`, or the
/// statement with that Sid (IAM User Guide, "IAM JSON policy elements: Sid": unique
/// within a policy).
pub(super) fn statement_index(doc: &serde_json::Value, label: &str) -> Option<usize> {
    if let Some(i) = label
        .strip_prefix("Statement[")
        .and_then(|r| r.strip_suffix(']'))
        .and_then(|i| i.parse().ok())
    {
        return Some(i);
    }
    super::statements(doc)
        .iter()
        .position(|s| s.get("Sid").and_then(serde_json::Value::as_str) == Some(label))
}
