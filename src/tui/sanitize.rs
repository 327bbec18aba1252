//! Untrusted text made safe for the terminal.
//!
//! Names, tags, Sids, descriptions and documents come from files that anyone may have
//! written. A raw ESC, BEL or C1 control reaching the terminal can retitle the window,
//! clear the screen, or worse; a bidi override can make a name read as another. Every
//! string taken from an org file goes through [`sanitize`] before it is drawn: such
//! characters become visible, inert escapes (`\x1b`, `\u{202e}`).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character must not reach the terminal as is.
fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c,
            // Bidi embeddings, overrides and isolates: they reorder what follows.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            // Line and paragraph separators break a row in some terminals.
            | '\u{2028}' | '\u{2029}'
            // The byte order mark and the interlinear annotation controls.
            | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// `text` with every control character, C1 control and bidi override replaced by a
/// visible escape: `\x1b` for ESC, `\n` for a newline, `\u{202e}` for others beyond
/// ASCII. Borrowed when nothing needs replacing, which is nearly always.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(is_unsafe) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if !is_unsafe(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// [`sanitize`] into an owned string, for spans that outlive the source.
pub fn clean(text: &str) -> String {
    sanitize(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("prod-app · ünïcode ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        let hostile = "evil\x1b]0;pwned\x07name\x1b[2J";
        let s = sanitize(hostile);
        assert_eq!(s, "evil\\x1b]0;pwned\\x07name\\x1b[2J");
        assert!(!s.chars().any(|c| c.is_control()));
    }

    #[test]
    fn c1_controls_del_and_bidi_are_inert() {
        assert_eq!(sanitize("a\u{9b}2Jb"), "a\\x9b2Jb");
        assert_eq!(sanitize("x\u{7f}"), "x\\x7f");
        assert_eq!(sanitize("admin\u{202e}txt.exe"), "admin\\u{202e}txt.exe");
        assert_eq!(sanitize("a\tb\nc\r"), "a\\tb\\nc\\r");
    }

    #[test]
    fn nothing_unsafe_survives_any_input() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let s = sanitize(&c.to_string()).into_owned();
            assert!(!s.chars().any(is_unsafe), "{c:?} -> {s:?}");
        }
    }
}
