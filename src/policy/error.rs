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
    /// From a serde_json error tracked by serde_path_to_error, reading `text`.
    ///
    /// A syntax error between an object's members (a missing `,`, a trailing comma)
    /// comes before the next key is known: serde_path_to_error ends the path with
    /// an unknown segment. The path then stops at the object, and the message names
    /// the member it follows, found in the text.
    pub fn from_json(
        err: serde_path_to_error::Error<serde_json::Error>,
        text: &str,
    ) -> PolicyError {
        let between_members = err
            .path()
            .iter()
            .any(|s| matches!(s, serde_path_to_error::Segment::Unknown));
        let path = json_path(err.path());
        let inner = err.into_inner();
        let position = (inner.line() > 0).then(|| (inner.line(), inner.column()));
        let mut message = strip_position(&inner.to_string());
        if let Some(offset) = position
            .filter(|_| between_members)
            .and_then(|(line, column)| byte_offset(text, line, column))
        {
            message.push_str(&syntax_place(text, offset).after());
        }
        PolicyError {
            path,
            position,
            message,
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
/// (the root) becomes empty. The path stops before a segment serde_path_to_error
/// could not name (it writes `?`): what follows it is not known.
pub fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Unknown => break,
            Segment::Seq { .. } => {}
            _ if !out.is_empty() => out.push('.'),
            _ => {}
        }
        out.push_str(&seg.to_string());
    }
    out
}

/// The byte offset of serde_json's 1-based line and (byte) column.
fn byte_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    Some((start + column.saturating_sub(1)).min(text.len()))
}

/// One step into a JSON text: an object's key or an array's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Where a syntax error stands in a JSON text: the path of the innermost container
/// open there and, in an object, the last key read in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyntaxPlace {
    pub path: Vec<Step>,
    pub after_key: Option<String>,
}

impl SyntaxPlace {
    /// `Statement[0].Condition` style, as serde_path_to_error writes paths.
    pub fn path_text(&self) -> String {
        let mut out = String::new();
        for step in &self.path {
            match step {
                Step::Index(i) => out.push_str(&format!("[{i}]")),
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => out.push_str(&format!(".{k}")),
            }
        }
        out
    }

    /// The words to add to a syntax error's message.
    pub fn after(&self) -> String {
        match &self.after_key {
            Some(key) => format!(" after the value of `{key}`"),
            None => String::new(),
        }
    }
}

/// Reads the JSON `text` up to `offset`, which a JSON reader reached without error
/// (where it stopped at a syntax error), and says where that is.
pub fn syntax_place(text: &str, offset: usize) -> SyntaxPlace {
    enum Open {
        /// An array and how many commas it has had: the index of its current item.
        Array(usize),
        /// An object and the last key read in it.
        Object(Option<String>),
    }
    // Each open container with the step that led into it.
    let mut open: Vec<(Option<Step>, Open)> = Vec::new();
    let mut expect_key = false;
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'{' || b == b'[' {
            let step = match open.last() {
                Some((_, Open::Array(n))) => Some(Step::Index(*n)),
                Some((_, Open::Object(key))) => key.clone().map(Step::Key),
                None => None,
            };
            let new = if b == b'{' {
                Open::Object(None)
            } else {
                Open::Array(0)
            };
            open.push((step, new));
            expect_key = b == b'{';
        } else if b == b'}' || b == b']' {
            open.pop();
            expect_key = false;
        } else if b == b',' {
            match open.last_mut() {
                Some((_, Open::Array(n))) => *n += 1,
                Some((_, Open::Object(_))) => expect_key = true,
                None => {}
            }
        } else if b == b'"' {
            let start = i + 1;
            i = start;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            if let (true, true, Some((_, Open::Object(key)))) =
                (expect_key, i < bytes.len(), open.last_mut())
            {
                *key = Some(text[start..i].to_string());
            }
            expect_key = false;
        }
        i += 1;
    }
    let after_key = match open.last() {
        Some((_, Open::Object(key))) => key.clone(),
        _ => None,
    };
    SyntaxPlace {
        path: open.into_iter().filter_map(|(step, _)| step).collect(),
        after_key,
    }
}

/// serde_json appends " at line L column C" to its messages; we report the position
/// separately.
pub fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::{Policy, PolicyKind};

    fn err(text: &str) -> String {
        Policy::parse(PolicyKind::Identity, "p", text)
            .unwrap_err()
            .to_string()
    }

    // The JSON grammar (RFC 8259) separates an object's members with `,`; serde_json
    // refuses a missing one before it reads the next key, which serde_path_to_error
    // cannot name: the path stops at the object and the member before is said.
    #[test]
    fn a_missing_comma_is_placed_in_its_statement_after_the_member_before_it() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\" \"Action\": \"s3:*\", \"Resource\": \"*\"}]\n}";
        assert_eq!(
            err(text),
            "line 3 column 36, at Statement[0]: expected `,` or `}` after the value of `Effect`"
        );
        // Inside a condition block, the path goes down to the operator.
        let text = r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"aws:x": ["a", "b"] "aws:y": "c"}}}}"#;
        assert_eq!(
            err(text),
            "line 1 column 118, at Statement.Condition.StringEquals: expected `,` or `}` after the value of `aws:x`"
        );
    }

    #[test]
    fn at_the_top_of_the_document_no_path_is_shown() {
        assert_eq!(
            err(r#"{"Version": "2012-10-17" "Statement": []}"#),
            "line 1 column 26: expected `,` or `}` after the value of `Version`"
        );
        // Before the first key there is no member to name.
        assert_eq!(err("{,}"), "line 1 column 2: key must be a string");
    }

    #[test]
    fn a_trailing_comma_names_the_last_member() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",}]}"#;
        assert_eq!(
            err(text),
            "line 1 column 91, at Statement[0]: trailing comma after the value of `Resource`"
        );
    }

    #[test]
    fn the_member_before_is_found_past_strings_holding_json_punctuation() {
        // Braces, brackets, commas and escaped quotes inside strings are not structure.
        let text = r#"{"Statement": [{"Sid": "a{[\"b,", "Effect": "Allow", "Action": ["x:{"] "Resource": "*"}]}"#;
        assert_eq!(
            err(text),
            "line 1 column 72, at Statement[0]: expected `,` or `}` after the value of `Action`"
        );
    }

    #[test]
    fn a_known_path_is_kept_whole() {
        // A mistake inside a value: serde_path_to_error names every segment.
        let e =
            err(r#"{"Statement": [{"Effect": "Allow", "Action": ["a" "b"], "Resource": "*"}]}"#);
        assert_eq!(
            e,
            "line 1 column 51, at Statement[0].Action: expected `,` or `]`"
        );
    }

    #[test]
    fn the_place_of_a_syntax_error_is_the_path_of_the_open_containers() {
        use super::{Step, syntax_place};
        let text =
            r#"{"Statement": [{"Effect": "Allow"}, {"Condition": {"StringEquals": {"k": [1, 2"#;
        let place = syntax_place(text, text.len());
        assert_eq!(place.path_text(), "Statement[1].Condition.StringEquals.k");
        assert_eq!(place.after_key, None, "in an array");
        let cut = text.find("[1").unwrap();
        let place = syntax_place(text, cut);
        assert_eq!(
            place.path,
            vec![
                Step::Key("Statement".into()),
                Step::Index(1),
                Step::Key("Condition".into()),
                Step::Key("StringEquals".into()),
            ]
        );
        assert_eq!(place.after(), " after the value of `k`");
        // A value string is not a key; nor is a string holding `,` or `{`.
        let text = r#"{"a": "x,{", "b""#;
        assert_eq!(
            syntax_place(text, text.len()).after_key.as_deref(),
            Some("b")
        );
        assert_eq!(syntax_place(text, 10).after_key.as_deref(), Some("a"));
    }
}
