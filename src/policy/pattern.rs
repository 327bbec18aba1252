//! Wildcard patterns with policy variables: the matcher behind actions, resource
//! ARNs and string conditions.
//!
//! A pattern is a list of tokens. `*` matches any run of characters (it crosses `/`
//! and `:`), `?` exactly one character. A variable (`${aws:username}`) is replaced by
//! the request's value and matched literally, never as a wildcard.

use super::context::{Context, Key};

/// One piece of a compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    Lit(Box<str>),
    Star,
    Quest,
    Var(Variable),
}

/// `${key}` or `${key, 'default'}`; the key is stored lower-cased because context
/// keys are case-insensitive.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Variable {
    pub key: Key,
    pub default: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pattern {
    tokens: Vec<Token>,
    /// Whether `*` and `?` are wildcards (StringLike, actions, ARNs) or plain text
    /// (StringEquals).
    wild: bool,
    /// The common shapes, matched without walking tokens.
    shape: Shape,
    /// Whether a token is a variable: only then can the pattern be unresolvable.
    vars: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Any,
    Exact(Box<str>),
    Prefix(Box<str>),
    General,
}

/// Where wildcards and variables are honoured while compiling a pattern.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    pub wildcards: bool,
    /// Only policies with `"Version": "2012-10-17"` substitute variables.
    pub variables: bool,
}

impl Pattern {
    pub fn compile(text: &str, syntax: Syntax) -> Pattern {
        let mut tokens = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if syntax.variables
                && rest.starts_with("${")
                && let Some((var, used)) = parse_variable(rest)
            {
                rest = &rest[used..];
                match var {
                    Parsed::Literal(ch) => lit.push(ch),
                    Parsed::Var(v) => {
                        flush(&mut lit, &mut tokens);
                        tokens.push(Token::Var(v));
                    }
                }
                continue;
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if syntax.wildcards => {
                    flush(&mut lit, &mut tokens);
                    // Consecutive stars are one star.
                    if tokens.last() != Some(&Token::Star) {
                        tokens.push(Token::Star);
                    }
                }
                '?' if syntax.wildcards => {
                    flush(&mut lit, &mut tokens);
                    tokens.push(Token::Quest);
                }
                _ => lit.push(c),
            }
        }
        flush(&mut lit, &mut tokens);
        let shape = match tokens.as_slice() {
            [Token::Star] => Shape::Any,
            [] => Shape::Exact("".into()),
            [Token::Lit(s)] => Shape::Exact(s.clone()),
            [Token::Lit(s), Token::Star] => Shape::Prefix(s.clone()),
            _ => Shape::General,
        };
        let vars = tokens.iter().any(|t| matches!(t, Token::Var(_)));
        Pattern {
            tokens,
            wild: syntax.wildcards,
            shape,
            vars,
        }
    }

    /// The pattern's tokens, for a matcher that reads them across ARN segments.
    pub(crate) fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Whether the pattern's last token is `*`.
    pub(crate) fn ends_with_star(&self) -> bool {
        self.tokens.last() == Some(&Token::Star)
    }

    /// Whether the pattern holds a policy variable.
    #[inline]
    pub fn has_variables(&self) -> bool {
        self.vars
    }

    /// The keys of the variables the request gives no value for and that have no
    /// default.
    pub fn unresolved_keys<'p>(&'p self, ctx: &'p Context) -> impl Iterator<Item = Key> + 'p {
        self.tokens.iter().filter_map(move |t| match t {
            Token::Var(v) if resolve(v, ctx).is_none() => Some(v.key),
            _ => None,
        })
    }

    /// The first variable the request gives no single value for and that has no
    /// default, as written (`${aws:username}`); `None` when every one resolves.
    pub fn unresolved(&self, ctx: &Context) -> Option<String> {
        if !self.vars {
            return None;
        }
        self.tokens.iter().find_map(|t| match t {
            Token::Var(v) if resolve(v, ctx).is_none() => {
                Some(format!("${{{}}}", v.key.spelling()))
            }
            _ => None,
        })
    }

    /// Whether `text` matches. `fold_case` compares ASCII letters case-insensitively
    /// (actions, StringEqualsIgnoreCase). A variable the context cannot resolve (absent,
    /// or multivalued) with no default makes the pattern match nothing, as AWS
    /// documents for policy variables with no value.
    #[inline]
    pub fn matches(&self, text: &str, ctx: &Context, fold_case: bool) -> bool {
        let same = |a: &[u8], b: &[u8]| {
            if fold_case {
                a.eq_ignore_ascii_case(b)
            } else {
                bytes_eq(a, b)
            }
        };
        match &self.shape {
            Shape::Any => true,
            Shape::Exact(s) => same(text.as_bytes(), s.as_bytes()),
            Shape::Prefix(p) => {
                text.len() >= p.len() && same(&text.as_bytes()[..p.len()], p.as_bytes())
            }
            Shape::General => self.walk(text, ctx, fold_case),
        }
    }

    fn walk(&self, text: &str, ctx: &Context, fold_case: bool) -> bool {
        let toks = &self.tokens;
        let bytes = text.as_bytes();
        let (mut ti, mut pos) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        loop {
            if ti < toks.len() {
                let advanced = match &toks[ti] {
                    Token::Star => {
                        star = Some((ti + 1, pos));
                        ti += 1;
                        continue;
                    }
                    Token::Quest => match text[pos..].chars().next() {
                        Some(c) => {
                            pos += c.len_utf8();
                            true
                        }
                        None => false,
                    },
                    Token::Lit(s) => eat(bytes, &mut pos, s.as_bytes(), fold_case),
                    Token::Var(v) => match resolve(v, ctx) {
                        Some(value) => eat(bytes, &mut pos, value.as_bytes(), fold_case),
                        None => return false,
                    },
                };
                if advanced {
                    ti += 1;
                    continue;
                }
            } else if pos == bytes.len() {
                return true;
            }
            // Mismatch: let the last star swallow one more character and retry.
            match star {
                Some((sti, spos)) if spos < bytes.len() => {
                    let step = text[spos..].chars().next().map_or(1, char::len_utf8);
                    star = Some((sti, spos + step));
                    ti = sti;
                    pos = spos + step;
                }
                _ => return false,
            }
        }
    }
}

/// Equality of short byte strings without a call into libc's `memcmp`: ARN
/// segments and action names are a few bytes long, and this is the hot loop.
#[inline]
fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn eat(text: &[u8], pos: &mut usize, lit: &[u8], fold_case: bool) -> bool {
    let end = *pos + lit.len();
    if end > text.len() {
        return false;
    }
    let window = &text[*pos..end];
    let same = if fold_case {
        window.eq_ignore_ascii_case(lit)
    } else {
        bytes_eq(window, lit)
    };
    if same {
        *pos = end;
    }
    same
}

/// The value a variable stands for in this request, if it has exactly one.
pub(crate) fn resolve<'c>(v: &'c Variable, ctx: &'c Context) -> Option<&'c str> {
    match ctx.get_key(&v.key) {
        Some([one]) => Some(one),
        _ => v.default.as_deref(),
    }
}

fn flush(lit: &mut String, tokens: &mut Vec<Token>) {
    if !lit.is_empty() {
        tokens.push(Token::Lit(std::mem::take(lit).into_boxed_str()));
    }
}

enum Parsed {
    Literal(char),
    Var(Variable),
}

/// Parses `${...}` at the start of `s`; returns what it is and how many bytes it used.
/// Text that does not close is left as literal text.
fn parse_variable(s: &str) -> Option<(Parsed, usize)> {
    let close = s.find('}')?;
    let inner = &s[2..close];
    let used = close + 1;
    match inner {
        "*" => return Some((Parsed::Literal('*'), used)),
        "?" => return Some((Parsed::Literal('?'), used)),
        "$" => return Some((Parsed::Literal('$'), used)),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, rest)) => {
            let rest = rest.trim();
            let default = rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\''))?;
            (key.trim(), Some(default.into()))
        }
        None => (inner.trim(), None),
    };
    if key.is_empty() || key.contains(char::is_whitespace) {
        return None;
    }
    Some((
        Parsed::Var(Variable {
            key: Key::new(key),
            default,
        }),
        used,
    ))
}

/// A wildcard pattern without policy variables (`*` any run, `?` one character),
/// compiled once: how an answer's resource pattern, its variables already filled in,
/// covers an ARN (what-can's allowed patterns and the Denies within them).
#[derive(Debug, Clone)]
pub struct Wildcard(Pattern);

impl Wildcard {
    pub fn new(text: &str) -> Wildcard {
        let syntax = Syntax {
            wildcards: true,
            variables: false,
        };
        Wildcard(Pattern::compile(text, syntax))
    }

    /// Whether `text` matches, case-sensitively (as resource ARNs are compared).
    pub fn matches(&self, text: &str) -> bool {
        self.0.matches(text, &Context::default(), false)
    }
}

/// A text with its policy variables replaced by their values in `ctx` (escapes
/// `${*}` `${?}` `${$}` become the plain character); `None` when a variable has no
/// single value and no default. Used to turn a statement's resource pattern into the
/// resource it stands for, for one principal.
pub fn substitute_variables(text: &str, ctx: &Context) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match parse_variable(rest) {
            Some((Parsed::Literal(c), used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            Some((Parsed::Var(v), used)) => {
                out.push_str(resolve(&v, ctx)?);
                rest = &rest[used..];
            }
            None => {
                out.push_str("${");
                rest = &rest[2..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The keys of the policy variables in `text` (`${aws:username}` gives
/// `aws:username`), as [`substitute_variables`] reads them.
pub(crate) fn variable_keys(text: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        rest = &rest[i..];
        match parse_variable(rest) {
            Some((Parsed::Var(v), used)) => {
                keys.push(v.key);
                rest = &rest[used..];
            }
            Some((Parsed::Literal(_), used)) => rest = &rest[used..],
            None => rest = &rest[2..],
        }
    }
    keys
}

/// Splits an ARN-like text on `:` into at most `n` parts, ignoring colons inside
/// `${...}` variables (`${aws:username}` holds one).
pub(crate) fn split_arn(text: &str, n: usize) -> Vec<&str> {
    let mut parts = Vec::with_capacity(n);
    let (mut start, mut depth) = (0, 0u32);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && parts.len() + 1 < n {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    const WILD: Syntax = Syntax {
        wildcards: true,
        variables: true,
    };

    fn m(pattern: &str, text: &str) -> bool {
        Pattern::compile(pattern, WILD).matches(text, &Context::default(), false)
    }

    #[test]
    fn star_and_question() {
        assert!(m("*", ""));
        assert!(m("*", "anything/at:all"));
        assert!(m("a*c", "abbbc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "acb"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*a*b*", "xxaxxbxx"));
        assert!(!m("*a*b*", "xxbxxaxx"));
        assert!(m("app-*/*", "app-logs/2024/01/x.txt"));
        assert!(m("??", "éa"));
        assert!(!m("abc", "abcd"));
    }

    #[test]
    fn case_folding_is_opt_in() {
        let p = Pattern::compile("s3:get*", WILD);
        assert!(p.matches("S3:GetObject", &Context::default(), true));
        assert!(!p.matches("S3:GetObject", &Context::default(), false));
    }

    #[test]
    fn variables_resolve_literally() {
        let ctx = Context::from_pairs([("aws:username", vec!["a*".to_string()])]);
        let p = Pattern::compile("home/${aws:username}/*", WILD);
        assert!(p.matches("home/a*/file", &ctx, false));
        // The value's `*` is not a wildcard.
        assert!(!p.matches("home/alice/file", &ctx, false));
    }

    #[test]
    fn missing_variable_matches_nothing_unless_defaulted() {
        let ctx = Context::default();
        assert!(!Pattern::compile("${aws:username}", WILD).matches("", &ctx, false));
        let d = Pattern::compile("team-${aws:PrincipalTag/team, 'none'}", WILD);
        assert!(d.matches("team-none", &ctx, false));
    }

    #[test]
    fn escapes_are_literal_characters() {
        let p = Pattern::compile("a${*}b${?}${$}", WILD);
        assert!(p.matches("a*b?$", &Context::default(), false));
        assert!(!p.matches("axb?$", &Context::default(), false));
    }

    #[test]
    fn variables_off_means_literal_text() {
        let p = Pattern::compile(
            "${aws:username}",
            Syntax {
                wildcards: true,
                variables: false,
            },
        );
        assert!(p.matches("${aws:username}", &Context::default(), false));
    }

    #[test]
    fn substitution_fills_variables_and_escapes() {
        let ctx = Context::from_pairs([("aws:username", vec!["grace".to_string()])]);
        let sub = |t| substitute_variables(t, &ctx);
        assert_eq!(
            sub("arn:aws:iam::1:user/${aws:username}").as_deref(),
            Some("arn:aws:iam::1:user/grace")
        );
        assert_eq!(sub("a${*}b${?}c${$}").as_deref(), Some("a*b?c$"));
        assert_eq!(
            sub("x/${aws:PrincipalTag/team, 'none'}/y").as_deref(),
            Some("x/none/y")
        );
        assert_eq!(sub("x/${aws:PrincipalTag/team}"), None);
    }

    #[test]
    fn split_arn_skips_variable_colons() {
        assert_eq!(
            split_arn("arn:aws:s3:::home/${aws:username}/*", 6),
            vec!["arn", "aws", "s3", "", "", "home/${aws:username}/*"]
        );
        assert_eq!(
            split_arn("arn:aws:lambda:r:1:function:f:alias", 6),
            vec!["arn", "aws", "lambda", "r", "1", "function:f:alias"]
        );
        assert_eq!(split_arn("*", 6), vec!["*"]);
    }
}
