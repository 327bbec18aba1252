//! ARNs in requests and ARN patterns in policies.
//!
//! AWS matches `Resource` and the `Arn*` condition operators segment by segment
//! (partition, service, region, account, resource), each segment with its own `*` and
//! `?`; in the resource segment `*` also crosses `/` and `:` (IAM User Guide, "IAM JSON
//! policy elements: Resource" and "Condition operators: ARN").

use super::context::Context;
use super::pattern::{Pattern, Syntax, Token, resolve, split_arn};

/// A parsed ARN: `arn:partition:service:region:account:resource`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn {
    raw: Box<str>,
    /// Byte ranges of partition, service, region, account and resource in `raw`.
    parts: [(u32, u32); 5],
}

impl Arn {
    /// Parses an ARN; `None` when the text is not `arn:` followed by five more
    /// colon-separated segments.
    pub fn parse(text: &str) -> Option<Arn> {
        Some(Arn {
            parts: Arn::ranges(text)?,
            raw: text.into(),
        })
    }

    /// The five segments of an ARN, borrowed, for a caller that keeps none of them
    /// whole (a principal keeps only its account and name).
    pub fn segments(text: &str) -> Option<[&str; 5]> {
        let r = Arn::ranges(text)?;
        Some(r.map(|(a, b)| &text[a as usize..b as usize]))
    }

    fn ranges(text: &str) -> Option<[(u32, u32); 5]> {
        let mut parts = [(0u32, 0u32); 5];
        let rest = text.strip_prefix("arn:")?;
        let mut start = 4usize;
        let mut iter = rest.splitn(5, ':');
        for slot in parts.iter_mut() {
            let seg = iter.next()?;
            *slot = (start as u32, (start + seg.len()) as u32);
            start += seg.len() + 1;
        }
        Some(parts)
    }

    fn part(&self, i: usize) -> &str {
        let (a, b) = self.parts[i];
        &self.raw[a as usize..b as usize]
    }
    pub fn as_str(&self) -> &str {
        &self.raw
    }
    pub fn partition(&self) -> &str {
        self.part(0)
    }
    pub fn service(&self) -> &str {
        self.part(1)
    }
    pub fn region(&self) -> &str {
        self.part(2)
    }
    pub fn account(&self) -> &str {
        self.part(3)
    }
    pub fn resource(&self) -> &str {
        self.part(4)
    }
}

/// A `Resource` entry or an `Arn*` condition value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArnPattern {
    /// `*`: every resource.
    Any,
    /// Five segment patterns after the literal `arn` prefix.
    Segments(Box<[Pattern; 5]>),
    /// Text that is not shaped like an ARN, matched as one wildcard pattern so that a
    /// statement is never silently dropped.
    Whole(Pattern),
}

impl ArnPattern {
    pub fn compile(text: &str, variables: bool) -> ArnPattern {
        let syntax = Syntax {
            wildcards: true,
            variables,
        };
        if text == "*" {
            return ArnPattern::Any;
        }
        let parts = split_arn(text, 6);
        if parts.len() == 6 && parts[0] == "arn" {
            let seg = |i: usize| Pattern::compile(parts[i], syntax);
            return ArnPattern::Segments(Box::new([seg(1), seg(2), seg(3), seg(4), seg(5)]));
        }
        ArnPattern::Whole(Pattern::compile(text, syntax))
    }

    /// Whether the pattern is text with fewer than six `:` segments (not `*`, not a
    /// policy variable standing for a whole ARN).
    pub fn is_short(&self) -> bool {
        matches!(self, ArnPattern::Whole(p) if !p.has_variables())
    }

    /// Whether a segment holds a policy variable.
    pub fn has_variables(&self) -> bool {
        match self {
            ArnPattern::Any => false,
            ArnPattern::Segments(segs) => segs.iter().any(Pattern::has_variables),
            ArnPattern::Whole(p) => p.has_variables(),
        }
    }

    /// The keys of the variables the request cannot resolve.
    pub fn unresolved_keys(&self, ctx: &Context) -> Vec<super::context::Key> {
        match self {
            ArnPattern::Any => Vec::new(),
            ArnPattern::Segments(segs) => {
                segs.iter().flat_map(|p| p.unresolved_keys(ctx)).collect()
            }
            ArnPattern::Whole(p) => p.unresolved_keys(ctx).collect(),
        }
    }

    /// The first variable the request cannot resolve, as written.
    pub fn unresolved(&self, ctx: &Context) -> Option<String> {
        match self {
            ArnPattern::Any => None,
            ArnPattern::Segments(segs) => segs.iter().find_map(|p| p.unresolved(ctx)),
            ArnPattern::Whole(p) => p.unresolved(ctx),
        }
    }

    /// Whether a `*` ends one of the partition, service, region or account segments:
    /// only then can [`ArnPattern::matches_across`] match more than
    /// [`ArnPattern::matches`].
    pub fn has_crossing_star(&self) -> bool {
        matches!(self, ArnPattern::Segments(segs) if segs[..4].iter().any(Pattern::ends_with_star))
    }

    /// As [`ArnPattern::matches`], with a `*` that ends a segment also matching
    /// across the colons after it: "If the `*` wildcard is the last character of a
    /// resource ARN segment, it can expand to match beyond the colon boundaries" (IAM
    /// User Guide, "IAM JSON policy elements: Resource", "Using wildcards in resource
    /// ARNs"). `arn:aws:lambda:*:function:*`, its account left out, then covers
    /// `arn:aws:lambda:us-east-1:111122223333:function:f`. Another `*` or `?` stays
    /// in its segment.
    pub fn matches_across(&self, target: &ResourceRef<'_>, ctx: &Context) -> bool {
        match (self, target) {
            (ArnPattern::Segments(segs), ResourceRef::Arn(arn)) => {
                self.matches(target, ctx)
                    || (self.has_crossing_star() && across(segs, 0, 0, &arn.as_str()[4..], ctx))
            }
            _ => self.matches(target, ctx),
        }
    }

    pub fn matches(&self, target: &ResourceRef<'_>, ctx: &Context) -> bool {
        match (self, target) {
            (ArnPattern::Any, _) => true,
            (ArnPattern::Segments(segs), ResourceRef::Arn(arn)) => {
                (0..5).all(|i| segs[i].matches(arn.part(i), ctx, false))
            }
            (ArnPattern::Segments(_), ResourceRef::Text(_)) => false,
            (ArnPattern::Whole(p), t) => p.matches(t.as_str(), ctx, false),
        }
    }
}

/// Whether segment patterns `segs[seg..]`, from token `ti` of `segs[seg]`, match
/// `text` (the ARN after `arn:`) from byte `pos`, a `*` that ends a segment (or any
/// `*` in the resource) crossing colons. ARNs are short and patterns hold few stars:
/// plain backtracking.
fn across(segs: &[Pattern; 5], seg: usize, ti: usize, text: &str, ctx: &Context) -> bool {
    let rest_of = |pos: usize| &text[pos..];
    let toks = segs[seg].tokens();
    let Some(tok) = toks.get(ti) else {
        if seg == 4 {
            return text.is_empty();
        }
        return match text.strip_prefix(':') {
            Some(after) => across(segs, seg + 1, 0, after, ctx),
            None => false,
        };
    };
    match tok {
        Token::Lit(l) => text
            .strip_prefix(&**l)
            .is_some_and(|after| across(segs, seg, ti + 1, after, ctx)),
        Token::Var(v) => resolve(v, ctx).is_some_and(|value| {
            text.strip_prefix(value)
                .is_some_and(|after| across(segs, seg, ti + 1, after, ctx))
        }),
        Token::Quest => text.chars().next().is_some_and(|c| {
            (seg == 4 || c != ':') && across(segs, seg, ti + 1, rest_of(c.len_utf8()), ctx)
        }),
        Token::Star => {
            let crossing = seg == 4 || ti + 1 == toks.len();
            let mut end = 0;
            loop {
                if across(segs, seg, ti + 1, rest_of(end), ctx) {
                    return true;
                }
                match rest_of(end).chars().next() {
                    Some(c) if crossing || c != ':' => end += c.len_utf8(),
                    _ => return false,
                }
            }
        }
    }
}

/// What a pattern is matched against: a parsed ARN, or plain text (`*`, or a value
/// that is not an ARN).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ResourceRef<'a> {
    Arn(&'a Arn),
    Text(&'a str),
}

impl ResourceRef<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            ResourceRef::Arn(a) => a.as_str(),
            ResourceRef::Text(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, arn: &str) -> bool {
        let ctx = Context::default();
        let p = ArnPattern::compile(pattern, true);
        match Arn::parse(arn) {
            Some(a) => p.matches(&ResourceRef::Arn(&a), &ctx),
            None => p.matches(&ResourceRef::Text(arn), &ctx),
        }
    }

    #[test]
    fn parses_segments() {
        let a = Arn::parse("arn:aws:lambda:us-east-1:111122223333:function:f:prod").unwrap();
        assert_eq!(a.service(), "lambda");
        assert_eq!(a.account(), "111122223333");
        assert_eq!(a.resource(), "function:f:prod");
        let s3 = Arn::parse("arn:aws:s3:::bucket/key").unwrap();
        assert_eq!(
            (s3.region(), s3.account(), s3.resource()),
            ("", "", "bucket/key")
        );
        assert!(Arn::parse("arn:aws:s3").is_none());
        assert!(Arn::parse("*").is_none());
    }

    #[test]
    fn segment_wildcards_stay_in_their_segment() {
        assert!(m(
            "arn:aws:dynamodb:*:111122223333:table/app-*",
            "arn:aws:dynamodb:eu-west-1:111122223333:table/app-users"
        ));
        assert!(!m(
            "arn:aws:dynamodb:*:111122223333:table/app-*",
            "arn:aws:dynamodb:eu-west-1:444455556666:table/app-users"
        ));
        // A `*` in the account segment does not swallow part of the resource.
        assert!(!m("arn:aws:s3:*:*:b", "arn:aws:s3:::a:b"));
        // In the resource segment `*` crosses `/` and `:`.
        assert!(m("arn:aws:s3:::app-*", "arn:aws:s3:::app-logs/2024/a.txt"));
        assert!(m(
            "arn:aws:lambda:*:*:function:*",
            "arn:aws:lambda:r:1:function:f:alias"
        ));
        assert!(m("*", "anything"));
    }

    fn across(pattern: &str, arn: &str) -> bool {
        let p = ArnPattern::compile(pattern, true);
        let a = Arn::parse(arn).unwrap();
        p.matches_across(&ResourceRef::Arn(&a), &Context::default())
    }

    #[test]
    fn a_star_ending_a_segment_crosses_colons_when_asked() {
        let f = "arn:aws:lambda:us-east-1:111122223333:function:f";
        // The account segment left out: `function` stands in the account segment.
        assert!(!m("arn:aws:lambda:*:function:*", f));
        assert!(across("arn:aws:lambda:*:function:*", f));
        assert!(across("arn:aws:lambda:*:function:f", f));
        assert!(!across("arn:aws:lambda:*:function:g", f));
        // A star inside a segment (not its last character) stays there.
        assert!(!across("arn:aws:lambda:u*1:function:*", f));
        // A `?` never takes a colon outside the resource.
        assert!(!across(
            "arn:aws:lambda:us-east-?111122223333:function:f",
            f
        ));
        // Whatever crosses, the account named still has to be there.
        assert!(!across("arn:aws:lambda:*:444455556666:function:*", f));
        assert!(across("arn:aws:s3:*:*:b", "arn:aws:s3:::a:b"));
    }

    #[test]
    fn arns_are_case_sensitive() {
        assert!(!m("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket"));
    }

    #[test]
    fn non_arn_resource_only_matches_whole_patterns() {
        assert!(!m("arn:aws:s3:::*", "*"));
        assert!(m("*", "*"));
    }
}
