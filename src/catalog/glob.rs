//! The `*`/`?` matching IAM uses for action names, ASCII case-insensitive. The policy
//! module's matcher also handles variables; actions take none, so this one stays small
//! and allocation-free.

/// Whether `text` matches `pattern`: `*` any run of characters (possibly empty), `?`
/// exactly one. Linear backtracking on the last `*`, no recursion.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was and the text position it is currently absorbing up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            // `?` matches one character: skip a whole UTF-8 sequence.
            let len = if p[pi] == b'?' { utf8_len(t[ti]) } else { 1 };
            pi += 1;
            ti += len;
        } else if let Some((sp, st)) = star {
            let next = st + utf8_len(t[st]);
            star = Some((sp, next));
            pi = sp + 1;
            ti = next;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Whether the pattern has wildcards at all (else it names one action).
pub(crate) fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?'])
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards() {
        assert!(matches("*", ""));
        assert!(matches("*", "GetObject"));
        assert!(matches("get*", "GetObject"));
        assert!(matches("Get*", "get"));
        assert!(matches("*Object", "GetObject"));
        assert!(matches("G?tObject", "GETOBJECT"));
        assert!(matches("*t*t", "GetObject"));
        assert!(matches("Describe?nstances", "DescribeInstances"));
        assert!(!matches("Describe?nstances", "DescribeNstances"));
        assert!(!matches("Get", "GetObject"));
        assert!(!matches("?", ""));
        assert!(!matches("Get*x", "GetObject"));
        assert!(matches("**a**", "banana"));
        assert!(matches("a?c", "a\u{e9}c"));
    }
}
