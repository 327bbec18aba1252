//! Untrusted text made inert: names, tags and Sids come from files and may hold
//! escape sequences; printed raw they could retitle, clear or reprogram the terminal.

/// Control characters (C0 but newline and tab, DEL, C1) shown as visible escapes
/// (`\x1b`, `\u{9b}`), so no byte of the input can start a terminal sequence.
pub fn inert(s: &str) -> String {
    if !s.chars().any(is_dangerous) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_dangerous(c) {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        // Bidirectional overrides can make text read differently from what it is.
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible_text() {
        assert_eq!(inert("a\x1b]0;pwned\x07b"), "a\\x1b]0;pwned\\x07b");
        assert_eq!(inert("\x1b[2J"), "\\x1b[2J");
        assert_eq!(inert("\u{9b}31m"), "\\x9b31m");
        assert_eq!(inert("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(inert("plain\ttext\n"), "plain\ttext\n");
    }
}
