//! Policy documents pretty-printed and split into tokens for highlighting.
//!
//! A small tokenizer rather than `serde_json::Value`: it keeps the keys in the order
//! the author wrote them (Effect before Action, as everyone reads policies), and it
//! never fails: text that is not JSON comes out as it is, line by line.

use std::ops::Range;

use super::sanitize::sanitize;

/// What a piece of text is, for the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Key,
    Str,
    Num,
    /// `true`, `false`, `null`.
    Lit,
    Punct,
    /// Indentation and anything unrecognised.
    Plain,
}

/// One display line: pieces of text with their kind.
pub type JsonLine = Vec<(Tok, String)>;

#[derive(Debug, Clone, PartialEq)]
enum Lex<'a> {
    Open(char),
    Close(char),
    Colon,
    Comma,
    Str(&'a str),
    Num(&'a str),
    Lit(&'a str),
    Junk(&'a str),
}

fn lex(text: &str) -> Vec<Lex<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'{' | b'[' => out.push(Lex::Open(c as char)),
            b'}' | b']' => out.push(Lex::Close(c as char)),
            b':' => out.push(Lex::Colon),
            b',' => out.push(Lex::Comma),
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.push(Lex::Str(&text[start..i]));
                continue;
            }
            b'-' | b'0'..=b'9' => {
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                out.push(Lex::Num(&text[start..i]));
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                // A `//` comment (seen in the wild in SCPs): kept whole, to the line end.
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                out.push(Lex::Junk(&text[start..i]));
                continue;
            }
            _ => {
                while i < b.len()
                    && !matches!(
                        b[i],
                        b' ' | b'\t'
                            | b'\n'
                            | b'\r'
                            | b'{'
                            | b'}'
                            | b'['
                            | b']'
                            | b':'
                            | b','
                            | b'"'
                    )
                {
                    i += 1;
                }
                // Never split a character: the loop stops only at ASCII bytes.
                let word = &text[start..i];
                out.push(if matches!(word, "true" | "false" | "null") {
                    Lex::Lit(word)
                } else {
                    Lex::Junk(word)
                });
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `text` pretty-printed with two-space indents, one token kind per piece. Strings
/// are sanitized.
pub fn highlight(text: &str) -> Vec<JsonLine> {
    let toks = lex(text);
    let mut lines: Vec<JsonLine> = Vec::new();
    let mut line: JsonLine = Vec::new();
    let mut depth = 0usize;
    let newline = |lines: &mut Vec<JsonLine>, line: &mut JsonLine, depth: usize| {
        lines.push(std::mem::take(line));
        if depth > 0 {
            line.push((Tok::Plain, "  ".repeat(depth)));
        }
    };
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Lex::Open(c) => {
                let close = if *c == '{' { '}' } else { ']' };
                if toks.get(i + 1) == Some(&Lex::Close(close)) {
                    line.push((Tok::Punct, format!("{c}{close}")));
                    i += 1;
                } else {
                    line.push((Tok::Punct, c.to_string()));
                    depth += 1;
                    newline(&mut lines, &mut line, depth);
                }
            }
            Lex::Close(c) => {
                depth = depth.saturating_sub(1);
                if line.iter().any(|(t, _)| *t != Tok::Plain) {
                    newline(&mut lines, &mut line, depth);
                } else {
                    line.clear();
                    if depth > 0 {
                        line.push((Tok::Plain, "  ".repeat(depth)));
                    }
                }
                line.push((Tok::Punct, c.to_string()));
            }
            Lex::Colon => line.push((Tok::Punct, ": ".into())),
            Lex::Comma => {
                line.push((Tok::Punct, ",".into()));
                newline(&mut lines, &mut line, depth);
            }
            Lex::Str(s) => {
                let kind = if toks.get(i + 1) == Some(&Lex::Colon) {
                    Tok::Key
                } else {
                    Tok::Str
                };
                line.push((kind, sanitize(s).into_owned()));
            }
            Lex::Num(s) => line.push((Tok::Num, (*s).into())),
            Lex::Lit(s) => line.push((Tok::Lit, (*s).into())),
            Lex::Junk(s) => {
                if i > 0 && !matches!(toks[i - 1], Lex::Open(_) | Lex::Comma) && line.len() > 1 {
                    line.push((Tok::Plain, " ".into()));
                }
                line.push((Tok::Plain, sanitize(s).into_owned()));
                if s.starts_with("//") {
                    newline(&mut lines, &mut line, depth);
                }
            }
        }
        i += 1;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A line's indentation (in spaces) and its first token that is not indentation.
fn head(l: &JsonLine) -> (usize, Option<&(Tok, String)>) {
    let indent = l
        .first()
        .filter(|(t, _)| *t == Tok::Plain)
        .map_or(0, |(_, s)| s.len() - s.trim_start().len());
    (
        indent,
        l.iter()
            .find(|(t, s)| *t != Tok::Plain || !s.trim().is_empty()),
    )
}

/// The lines of each statement of a pretty-printed policy, in order: the elements
/// of its top-level `Statement` array, or the one object when `Statement` is an
/// object. Empty when the text has no such key (not a policy, or not JSON).
pub fn statement_lines(lines: &[JsonLine]) -> Vec<Range<usize>> {
    let Some(start) = lines.iter().position(|l| {
        let (indent, first) = head(l);
        indent == 2 && first.is_some_and(|(t, s)| *t == Tok::Key && s == "\"Statement\"")
    }) else {
        return Vec::new();
    };
    let opens = |l: &JsonLine, c: char| {
        l.last()
            .is_some_and(|(t, s)| *t == Tok::Punct && s.starts_with(c))
    };
    let closes_at = |from: usize, indent: usize, c: char| {
        (from..lines.len()).find(|&i| {
            let (n, first) = head(&lines[i]);
            n == indent && first.is_some_and(|(t, s)| *t == Tok::Punct && s.starts_with(c))
        })
    };
    let line = &lines[start];
    if opens(line, '{') {
        // One statement, written as an object.
        return closes_at(start + 1, 2, '}')
            .map(|end| start..end + 1)
            .into_iter()
            .collect();
    }
    if !opens(line, '[') {
        return Vec::new();
    }
    let end = closes_at(start + 1, 2, ']').unwrap_or(lines.len());
    let mut out = Vec::new();
    let mut i = start + 1;
    while i < end {
        let (n, first) = head(&lines[i]);
        match first {
            // `{}`: an empty statement on one line.
            Some((Tok::Punct, s)) if n == 4 && s.starts_with("{}") => out.push(i..i + 1),
            Some((Tok::Punct, s)) if n == 4 && s.starts_with('{') => {
                let close = closes_at(i + 1, 4, '}').unwrap_or(end).min(end);
                out.push(i..close + 1);
                i = close;
            }
            // Anything else in the array (a string, a number) is still an element.
            Some(_) if n == 4 => out.push(i..i + 1),
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[JsonLine]) -> String {
        lines
            .iter()
            .map(|l| l.iter().map(|(_, s)| s.as_str()).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn compact_text_is_pretty_printed_in_written_order() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*"],"Resource":"*","Condition":{}}]}"#;
        let lines = highlight(text);
        assert_eq!(
            plain(&lines),
            r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:Get*"
      ],
      "Resource": "*",
      "Condition": {}
    }
  ]
}"#
        );
        assert_eq!(lines[1][1], (Tok::Key, "\"Version\"".into()));
        assert_eq!(lines[1][3], (Tok::Str, "\"2012-10-17\"".into()));
    }

    #[test]
    fn numbers_literals_and_escapes() {
        let lines = highlight(r#"{"a": -1.5e3, "b": [true, null], "c": "q\"x\\"}"#);
        let toks: Vec<Tok> = lines.iter().flatten().map(|(t, _)| *t).collect();
        assert!(toks.contains(&Tok::Num) && toks.contains(&Tok::Lit));
        assert!(plain(&lines).contains(r#""c": "q\"x\\""#));
    }

    #[test]
    fn raw_control_characters_are_made_inert() {
        let lines = highlight("{\"Sid\": \"x\x1b]0;pwned\x07\x1b[2J\"}");
        let text = plain(&lines);
        assert!(text.contains(r"\x1b]0;pwned\x07\x1b[2J"), "{text}");
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn text_that_is_not_json_still_shows() {
        let lines = highlight("// a comment\n{\"a\": 1}");
        assert!(plain(&lines).contains("// a comment"));
        assert!(highlight("").is_empty());
        // Unterminated string: no panic, text kept.
        assert!(plain(&highlight("{\"abc")).contains("\"abc"));
    }

    #[test]
    fn statements_are_found_by_their_lines() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{},{"Sid":"C","Effect":"Deny","NotAction":["iam:*"],"Resource":"*","Condition":{"Bool":{"aws:x":"true"}}}]}"#;
        let lines = highlight(text);
        let ranges = statement_lines(&lines);
        assert_eq!(ranges.len(), 3);
        let body = |r: &Range<usize>| plain(&lines[r.clone()]);
        assert!(body(&ranges[0]).contains("\"Sid\": \"A\""));
        assert!(body(&ranges[0]).trim_end().ends_with("},"));
        assert_eq!(body(&ranges[1]).trim(), "{},");
        assert!(body(&ranges[2]).contains("\"Sid\": \"C\"") && body(&ranges[2]).contains("aws:x"));
        assert!(body(&ranges[2]).trim_end().ends_with('}'));
        // One statement as an object.
        let lines = highlight(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#);
        let ranges = statement_lines(&lines);
        assert_eq!(ranges.len(), 1);
        assert!(plain(&lines[ranges[0].clone()]).contains("\"Action\": \"*\""));
        // Not a policy.
        assert!(statement_lines(&highlight("// nothing\n[1, 2]")).is_empty());
        assert!(statement_lines(&highlight("")).is_empty());
    }
}
