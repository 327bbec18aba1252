//! The in-app policy editor: `ratatui-textarea` for the typing, the project's own
//! policy parser for the checking, after each key, with the error's line and column.

use ratatui_textarea::TextArea;

use super::menu::EditTarget;
use crate::policy::{Policy, PolicyError};

pub struct Editor {
    pub target: EditTarget,
    /// What the policy is called, for the title.
    pub title: String,
    pub area: TextArea<'static>,
    /// The parser's verdict on the text as it is now.
    pub check: Result<(), PolicyError>,
    /// The text as it was opened: saving it unchanged makes no change.
    pub original: String,
}

impl Editor {
    pub fn new(target: EditTarget, title: String, text: &str) -> Editor {
        let text = &dedent(&inert_json(text));
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut e = Editor {
            target,
            title,
            area: TextArea::new(if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            }),
            check: Ok(()),
            original: text.to_string(),
        };
        e.recheck();
        // A document opened with a mistake (an edit from `$EDITOR` refused) opens
        // at the mistake.
        if let Err(PolicyError {
            position: Some((line, column)),
            ..
        }) = &e.check
        {
            let at = |n: usize| u16::try_from(n.saturating_sub(1)).unwrap_or(u16::MAX);
            e.area
                .move_cursor(ratatui_textarea::CursorMove::Jump(at(*line), at(*column)));
        }
        e
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    /// Parses the text as the change will.
    pub fn recheck(&mut self) {
        self.check = check(&self.target, &self.text());
    }

    /// Whether the text is the one it was opened with.
    pub fn unchanged(&self) -> bool {
        self.text().trim() == self.original.trim()
    }
}

/// A document the editor can draw without sending anything but text to the terminal:
/// a character the UI would escape (a control, a bidi override) is written as the JSON
/// escape `\u202e`, which reads as the same character inside a string (and is no
/// more valid than it was outside one); tabs become spaces, carriage returns go.
pub fn inert_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push_str("  "),
            '\r' => {}
            c => {
                let one = c.to_string();
                if crate::tui::sanitize::sanitize(&one) == one {
                    out.push(c);
                } else {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                }
            }
        }
    }
    out
}

/// A document cut out of a bigger file (an org file's policy) keeps that file's
/// indentation after its first line: the lines after it lose what they all share
/// (JSON does not read the whitespace between its tokens).
pub fn dedent(text: &str) -> String {
    let mut lines = text.lines();
    let Some(first) = lines.next() else {
        return text.to_string();
    };
    let rest: Vec<&str> = lines.collect();
    let common = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    if common == 0 {
        return text.to_string();
    }
    let mut out = first.to_string();
    for l in rest {
        out.push('\n');
        out.push_str(l.get(common..).unwrap_or("").trim_end_matches(' '));
    }
    out
}

/// The parser's verdict on a document for a target.
pub fn check(target: &EditTarget, text: &str) -> Result<(), PolicyError> {
    Policy::parse(target.policy_kind(), "edited", text).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::OrgPolicyKind;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    #[test]
    fn hostile_characters_are_opened_as_json_escapes_of_the_same_value() {
        // A bidi override is valid JSON inside a string: the escape keeps its value.
        let text = "{\"Sid\": \"a\u{202e}b\"}\r\n\t";
        let inert = inert_json(text);
        assert!(
            !inert.contains('\u{202e}') && !inert.contains('\r'),
            "{inert:?}"
        );
        let was: serde_json::Value = serde_json::from_str(text).unwrap();
        let now: serde_json::Value = serde_json::from_str(&inert).unwrap();
        assert_eq!(was, now);
        // A raw escape sequence (not JSON at all) never reaches the terminal.
        let inert = inert_json("{\"Sid\": \"\u{1b}]0;pwned\u{7}\"}");
        assert!(!inert.chars().any(char::is_control), "{inert:?}");
        assert!(inert.contains("\\u001b"), "{inert:?}");
    }

    #[test]
    fn typing_is_checked_with_the_line_and_column_of_the_mistake() {
        let target = EditTarget::OrgPolicy {
            kind: OrgPolicyKind::Scp,
            policy: "DenyAll".into(),
        };
        let good = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}";
        let mut e = Editor::new(target, "DenyAll".into(), good);
        assert!(e.check.is_ok(), "{:?}", e.check);
        assert!(e.unchanged());
        // A stray character at the end of line 2.
        e.area
            .move_cursor(ratatui_textarea::CursorMove::Jump(1, 26));
        e.area
            .input(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        e.recheck();
        let err = e.check.as_ref().unwrap_err();
        assert_eq!(err.position.map(|(l, _)| l), Some(2), "{err}");
        assert!(!e.unchanged());
    }

    #[test]
    fn a_deleted_comma_is_placed_in_its_statement_not_at_an_unknown_path() {
        let target = EditTarget::OrgPolicy {
            kind: OrgPolicyKind::Scp,
            policy: "DenyAll".into(),
        };
        let good = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]\n}";
        let mut e = Editor::new(target, "DenyAll".into(), good);
        assert!(e.check.is_ok(), "{:?}", e.check);
        // Delete the comma after "Deny" (line 3).
        let comma = good.lines().nth(2).unwrap().find(',').unwrap();
        e.area.move_cursor(ratatui_textarea::CursorMove::Jump(
            2,
            u16::try_from(comma + 1).unwrap(),
        ));
        e.area
            .input(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
        e.recheck();
        let err = e.check.as_ref().unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "line 3 column {}, at Statement[0]: expected `,` or `}}` after the value of `Effect`",
                comma + 2
            )
        );
    }

    #[test]
    fn a_document_cut_from_an_org_file_opens_without_the_files_indentation() {
        let text = "{\n        \"Version\": \"2012-10-17\",\n        \"Statement\": []\n      }";
        assert_eq!(
            dedent(text),
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}"
        );
        // Already flush: as it was.
        let flush = "{\n  \"Statement\": []\n}";
        assert_eq!(dedent(flush), flush);
        let target = EditTarget::OrgPolicy {
            kind: OrgPolicyKind::Scp,
            policy: "DenyAll".into(),
        };
        let e = Editor::new(target, "DenyAll".into(), text);
        assert_eq!(e.area.lines()[3], "}");
        assert!(e.unchanged() && e.check.is_ok());
    }
}
