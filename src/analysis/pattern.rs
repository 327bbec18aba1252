//! Can principal P do action A on every resource a pattern covers
//! (`arn:aws:s3:::payroll/*`, `*`)? The answer is about a set: allowed on every
//! resource it covers, on some of them, or on none.
//!
//! The resources a pattern covers are the ARNs of the action's resource types (the
//! AWS catalog's templates) that match it: those the org holds, and those it does
//! not. A request's decision depends on its resource only through which `Resource`
//! and `NotResource` patterns of the policies match it, which resource the org holds
//! there (its policy), and its account. So the covered set splits into classes of
//! resources that every policy treats alike; each class is found exactly, as a
//! region of the patterns' regular languages, with one ARN standing for it, and each
//! ARN is asked of [`super::can`]: the answer is exactly `can`'s on each class.
//!
//! IAM matches ARNs segment by segment (IAM User Guide, "IAM JSON policy elements:
//! Resource"), and so do the regions here: each segment's classes are found on their
//! own and combined.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::Serialize;

use super::AnalysisError;
use super::assemble::Ask;
use crate::engine::Decision;
use crate::org::Org;

/// Whether `resource` asks about a set of resources: it holds a wildcard, and it is
/// not the `*` of an action that acts on no particular resource (that `*` is the one
/// resource AWS authorizes such an action against).
pub fn is_pattern(action: &str, resource: &str) -> bool {
    if !resource.contains(['*', '?']) {
        return false;
    }
    if resource == "*" {
        return crate::catalog::Catalog::get()
            .action(action)
            .is_some_and(|a| !a.resource_types.is_empty());
    }
    true
}

/// The answer about a pattern.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PatternAnswer {
    pub principal: String,
    pub action: String,
    /// The pattern asked.
    pub resource: String,
    /// `allowedOnEvery`, `allowedOnSome` or `allowedOnNone`.
    pub outcome: Outcome,
    /// One resource covered where it is allowed (for `allowedOnSome` and
    /// `allowedOnEvery`), with what decides it.
    pub allowed_example: Option<Example>,
    /// One resource covered where it is denied (for `allowedOnSome` and
    /// `allowedOnNone`).
    pub denied_example: Option<Example>,
    /// One resource for each class of resources the policies treat alike, with its
    /// decision: every resource of a class has the same.
    pub classes: Vec<Example>,
    /// What the answer takes for granted: resources left out and why.
    pub assumptions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    AllowedOnEvery,
    AllowedOnSome,
    AllowedOnNone,
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Outcome::AllowedOnEvery => "AllowedOnEvery",
            Outcome::AllowedOnSome => "AllowedOnSome",
            Outcome::AllowedOnNone => "AllowedOnNone",
        })
    }
}

/// One resource standing for its class.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub resource: String,
    /// The org holds it (or its bucket), with its own policy.
    pub held: bool,
    pub decision: Decision,
    /// `can`'s sentence for it.
    pub summary: String,
}

/// At most this many states per segment are explored, and this many classes
/// combined; beyond, the question is refused rather than answered from a part.
const MAX_STATES: usize = 200_000;
const MAX_CLASSES: usize = 4_000;

/// Answers `who` on every resource the pattern `ask.resource` covers.
pub fn can_pattern(org: &Org, who: &str, ask: &Ask) -> Result<PatternAnswer, AnalysisError> {
    if ask.action.contains(['*', '?']) {
        return Err(AnalysisError::ActionPattern(ask.action.clone()));
    }
    let mut values: Vec<String> = ask.context.iter().flat_map(|(_, v)| v.clone()).collect();
    values.push(who.rsplit(['/', ':']).next().unwrap_or(who).to_string());
    let mut patterns = with_values(policy_patterns(org, ask), &values);
    patterns.extend(held_patterns(org, &ask.action));
    let accounts: Vec<String> = org.accounts().iter().map(|a| a.id.to_string()).collect();
    let mut assumptions = Vec::new();
    let mut witnesses: Vec<String> = Vec::new();
    let mut outside_accounts = false;
    for w in cover(
        &ask.resource,
        &ask.action,
        &org.info().partition,
        patterns.clone(),
        &accounts,
    )? {
        let account = w.split(':').nth(4).unwrap_or_default();
        // A resource in an account outside the org: its policies are not known.
        if !account.is_empty() && !accounts.iter().any(|a| a == account) {
            outside_accounts = true;
            continue;
        }
        witnesses.push(w);
    }
    if outside_accounts {
        assumptions.push(
            "resources in accounts outside the organization are left out: orgscope does not \
             know their policies"
                .to_string(),
        );
    }
    if patterns.iter().any(|p| p.contains("${")) {
        assumptions.push(
            "a policy variable in a Resource pattern was taken as any text while finding \
             the classes; each resource shown was decided with the variable resolved"
                .to_string(),
        );
    }
    witnesses.sort();
    witnesses.dedup();
    let mut classes = Vec::new();
    let mut principal = who.to_string();
    for w in witnesses {
        let one = Ask {
            resource: w.clone(),
            ..ask.clone()
        };
        match super::can(org, who, &one) {
            Ok(a) => {
                principal = a.principal.clone();
                if a.resource_account_assumed {
                    let note = format!(
                        "resources whose ARN names no account and that the org does not hold \
                         (such as `{w}`) were taken to be in the principal's account, {}; \
                         give --resource-account for another",
                        a.resource_account.as_deref().unwrap_or("unknown")
                    );
                    if !assumptions
                        .iter()
                        .any(|s| s.starts_with("resources whose ARN names no account"))
                    {
                        assumptions.push(note);
                    }
                }
                for s in &a.assumptions {
                    if !assumptions.contains(s) {
                        assumptions.push(s.clone());
                    }
                }
                classes.push(Example {
                    held: super::assemble::resource_holder(org, &ask.action, &w).is_some(),
                    resource: w,
                    decision: a.decision,
                    summary: a.summary,
                });
            }
            // The principal itself is unknown: the question is wrong, not the class.
            Err(
                e @ (AnalysisError::UnknownPrincipal(_)
                | AnalysisError::AmbiguousPrincipal { .. }
                | AnalysisError::CallerPoliciesInOrg(_)
                | AnalysisError::Request(crate::policy::RequestError::Principal(_))),
            ) => {
                return Err(e);
            }
            Err(e) => assumptions.push(format!("`{w}` is left out: {e}")),
        }
    }
    if classes.is_empty() {
        return Err(AnalysisError::PatternCoversNothing(ask.resource.clone()));
    }
    // Held resources first: they are what a reader knows.
    classes.sort_by(|a, b| b.held.cmp(&a.held).then(a.resource.cmp(&b.resource)));
    let allowed = classes
        .iter()
        .find(|c| c.decision == Decision::Allowed)
        .cloned();
    let denied = classes
        .iter()
        .find(|c| c.decision != Decision::Allowed)
        .cloned();
    let outcome = match (&allowed, &denied) {
        (Some(_), None) => Outcome::AllowedOnEvery,
        (Some(_), Some(_)) => Outcome::AllowedOnSome,
        _ => Outcome::AllowedOnNone,
    };
    Ok(PatternAnswer {
        principal,
        action: ask.action.clone(),
        resource: ask.resource.clone(),
        outcome,
        allowed_example: allowed,
        denied_example: denied,
        classes,
        assumptions,
    })
}

/// One resource for each class of the resources `resource` (a pattern) covers for
/// `action`: of the action's resource types (the catalog's ARN templates, with the
/// partition `partition`), cut by `patterns` (the policies' Resource patterns and the
/// resources held) and by `accounts`. An account no pattern and no account of
/// `accounts` names is shown as a made-up text (not twelve digits).
pub fn cover(
    resource: &str,
    action: &str,
    partition: &str,
    mut patterns: Vec<String>,
    accounts: &[String],
) -> Result<Vec<String>, AnalysisError> {
    let asked = arn_glob(resource, partition)
        .ok_or_else(|| AnalysisError::NotAResourcePattern(resource.to_string()))?;
    patterns.sort();
    patterns.dedup();
    let mut optional: Vec<Glob> = patterns
        .iter()
        .filter_map(|p| arn_glob(p, "*"))
        .filter(|g| g.0 != [Tok::Star { colon: true }])
        .collect();
    // The org's accounts cut the covered set too: each account has its own SCPs and
    // RCPs, and an account outside the org is told apart.
    optional.extend(
        accounts
            .iter()
            .filter_map(|a| arn_glob(&format!("arn:*:*:*:{a}:*"), "*")),
    );
    optional.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    optional.dedup();
    let templates = templates(action, partition);
    let shapes: Vec<Option<Glob>> = if templates.is_empty() {
        vec![None]
    } else {
        templates.into_iter().map(Some).collect()
    };
    let mut out = Vec::new();
    for template in shapes {
        let mut required = vec![asked.clone()];
        required.extend(template);
        let found = regions(&required, &optional, MAX_STATES)
            .ok_or_else(|| AnalysisError::PatternTooLarge(resource.to_string()))?;
        out.extend(found.into_iter().map(|(_, text)| text));
    }
    if out.len() > MAX_CLASSES {
        return Err(AnalysisError::PatternTooLarge(resource.to_string()));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The Resource and NotResource patterns of the statements of `policies` that may
/// apply to `action`.
pub fn statement_patterns<'p>(
    action: &str,
    policies: impl IntoIterator<Item = &'p crate::policy::Policy>,
) -> Vec<String> {
    let Ok(probe) = crate::policy::Request::new(
        "anonymous",
        action,
        "*",
        None,
        crate::policy::Context::default(),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for policy in policies {
        for s in policy.statements() {
            if !s.covers_action(&probe) {
                continue;
            }
            if let Some((_, rs)) = s.resource_patterns() {
                out.extend(rs.iter().filter(|r| *r != "*").cloned());
            }
        }
    }
    out
}

/// An ARN pattern as one pattern over the whole ARN: in the partition, service,
/// region and account a wildcard stays inside its segment (never takes a `:`), in the
/// resource it takes anything; `*` alone is every ARN. `None` when the text is not
/// shaped like an ARN.
fn arn_glob(text: &str, partition: &str) -> Option<Glob> {
    if text == "*" {
        return Some(Glob(vec![Tok::Star { colon: true }]));
    }
    let parts = crate::policy::split_arn(text, 6);
    if parts.len() != 6 || parts[0] != "arn" {
        return None;
    }
    let mut toks: Vec<Tok> = "arn:".chars().map(Tok::Lit).collect();
    for (i, seg) in parts[1..].iter().enumerate() {
        if i > 0 {
            toks.push(Tok::Lit(':'));
        }
        // Templates name the partition as a variable: the org's own.
        let seg = if i == 0 && seg.starts_with("${") {
            partition
        } else {
            seg
        };
        Glob::push_tokens(&mut toks, seg, i == 4);
    }
    Some(Glob(toks))
}

/// The ARN templates of the action's resource types, as patterns.
fn templates(action: &str, partition: &str) -> Vec<Glob> {
    let catalog = crate::catalog::Catalog::get();
    let Some(a) = catalog.action(action) else {
        return Vec::new();
    };
    let Some(service) = catalog.service_info(a.service) else {
        return Vec::new();
    };
    a.resource_types
        .iter()
        .filter_map(|t| service.resources.iter().find(|d| d.name == t.name))
        .filter_map(|d| arn_glob(&named_parts(&d.arn, partition), partition))
        .collect()
}

/// A template with its partition the org's and every other variable part
/// (`${BucketName}`, `${Account}`) one or more characters: AWS names no resource
/// with an empty name.
fn named_parts(template: &str, partition: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 2..start + end];
        out.push_str(if name == "Partition" { partition } else { "?*" });
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The Resource and NotResource patterns of every statement of the org (and of the
/// question's own policies) that may apply to the action: the lines the covered set
/// is cut along.
fn policy_patterns(org: &Org, ask: &Ask) -> Vec<String> {
    let given = ask.session_policy.iter().chain(ask.caller_policies.iter());
    let docs = org.docs().iter().map(|d| &*d.policy);
    statement_patterns(&ask.action, docs.chain(given.map(|p| &**p)))
}

/// Patterns with policy variables, also with the values the principal may give them:
/// its name (`${aws:username}`) and the question's context values, so that the
/// principal's own part (`home/alice/*`) is a class of its own.
pub fn with_values(patterns: Vec<String>, values: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(patterns.len());
    for p in patterns {
        if p.contains("${") {
            for v in values {
                out.push(replace_variables(&p, v));
            }
        }
        out.push(p);
    }
    out
}

fn replace_variables(pattern: &str, value: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push_str(value);
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The resources the org holds, each its own class (its own policy, its own
/// account): a bucket's objects under `bucket/*`; the roles, for the actions that
/// assume them (their trust policy). A held ARN is taken as a pattern: AWS names no
/// resource with `*` or `?`, so it matches only itself.
fn held_patterns(org: &Org, action: &str) -> Vec<String> {
    let service = action
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut out = Vec::new();
    for r in org.resources() {
        let Some(arn) = crate::policy::Arn::parse(&r.arn) else {
            continue;
        };
        if arn.service() == "s3" {
            out.push(format!("{}/*", r.arn));
        }
        out.push(r.arn.to_string());
    }
    if service == "sts" || service == "iam" {
        out.extend(org.roles().iter().map(|r| r.arn.to_string()));
    }
    out
}

/// A pattern over an ARN: literal characters, `*` (any run) and `?` (one), each
/// wildcard either free to take a `:` (the resource segment) or not; a policy
/// variable is taken as `*` (any value it may have).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Glob(Vec<Tok>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Star { colon: bool },
    Quest { colon: bool },
}

impl Glob {
    /// Appends the tokens of one segment's text.
    fn push_tokens(toks: &mut Vec<Tok>, text: &str, colon: bool) {
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("${")
                && let Some(end) = rest.find('}')
            {
                if toks.last() != Some(&Tok::Star { colon }) {
                    toks.push(Tok::Star { colon });
                }
                rest = &rest[end + 1..];
                continue;
            }
            rest = &rest[c.len_utf8()..];
            match c {
                '*' if toks.last() == Some(&Tok::Star { colon }) => {}
                '*' => toks.push(Tok::Star { colon }),
                '?' => toks.push(Tok::Quest { colon }),
                c => toks.push(Tok::Lit(c)),
            }
        }
    }

    fn literals(&self) -> impl Iterator<Item = char> + '_ {
        self.0.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    }

    /// The positions reachable without reading a character.
    fn close(&self, set: &mut Vec<u16>) {
        let mut i = 0;
        while i < set.len() {
            let p = set[i] as usize;
            if matches!(self.0.get(p), Some(Tok::Star { .. })) && !set.contains(&(p as u16 + 1)) {
                set.push(p as u16 + 1);
            }
            i += 1;
        }
        set.sort_unstable();
        set.dedup();
    }

    fn start(&self) -> Vec<u16> {
        let mut s = vec![0];
        self.close(&mut s);
        s
    }

    fn step(&self, set: &[u16], c: char) -> Vec<u16> {
        let mut next = Vec::new();
        for &p in set {
            match self.0.get(p as usize) {
                Some(Tok::Lit(x)) if *x == c => next.push(p + 1),
                Some(Tok::Quest { colon }) if *colon || c != ':' => next.push(p + 1),
                Some(Tok::Star { colon }) if *colon || c != ':' => next.push(p),
                _ => {}
            }
        }
        self.close(&mut next);
        next
    }

    fn accepts(&self, set: &[u16]) -> bool {
        set.contains(&(self.0.len() as u16))
    }
}

/// A state of the search: where each required pattern is, and where each optional
/// pattern still alive is (a pattern that can no longer match is dropped).
type State = (Vec<Vec<u16>>, Vec<(u32, Vec<u16>)>);

/// Every combination of `optional` patterns matched and not matched that some text
/// matching all of `required` realizes, each with the shortest such text (as the
/// sorted indices of the optional patterns it matches). One character that no
/// pattern names stands for every other: patterns can tell it apart only with `*` and
/// `?`, which take any (but `:`, named by every ARN pattern). `None` when more than
/// `cap` states would be explored.
fn regions(required: &[Glob], optional: &[Glob], cap: usize) -> Option<Vec<(Vec<u32>, String)>> {
    let mut alphabet: Vec<char> = required
        .iter()
        .chain(optional)
        .flat_map(Glob::literals)
        .collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let fresh = "xzqjkvwXZQJKVWYabcdefghilmnoprstuyABCDEFGHILMNOPRSTU0123456789"
        .chars()
        .find(|c| !alphabet.contains(c))
        .unwrap_or('~');
    // Tried first: the texts found read as made up, not as a name a policy gives.
    alphabet.insert(0, fresh);
    let start: State = (
        required.iter().map(Glob::start).collect(),
        optional
            .iter()
            .enumerate()
            .map(|(i, g)| (i as u32, g.start()))
            .collect(),
    );
    let mut seen: HashSet<State> = HashSet::new();
    let mut found: HashMap<Vec<u32>, String> = HashMap::new();
    let mut order: Vec<Vec<u32>> = Vec::new();
    let mut queue = VecDeque::new();
    seen.insert(start.clone());
    queue.push_back((start, String::new()));
    while let Some(((req, opt), text)) = queue.pop_front() {
        if required.iter().zip(&req).all(|(g, s)| g.accepts(s)) {
            let bits: Vec<u32> = opt
                .iter()
                .filter(|(i, s)| optional[*i as usize].accepts(s))
                .map(|(i, _)| *i)
                .collect();
            if let std::collections::hash_map::Entry::Vacant(e) = found.entry(bits) {
                order.push(e.key().clone());
                e.insert(text.clone());
            }
        }
        for &c in &alphabet {
            let next_req: Vec<Vec<u16>> = required
                .iter()
                .zip(&req)
                .map(|(g, s)| g.step(s, c))
                .collect();
            if next_req.iter().any(Vec::is_empty) {
                continue;
            }
            let next_opt: Vec<(u32, Vec<u16>)> = opt
                .iter()
                .filter_map(|(i, s)| {
                    let n = optional[*i as usize].step(s, c);
                    (!n.is_empty()).then_some((*i, n))
                })
                .collect();
            let next = (next_req, next_opt);
            if seen.contains(&next) {
                continue;
            }
            if seen.len() >= cap {
                return None;
            }
            seen.insert(next.clone());
            let mut t = text.clone();
            t.push(c);
            queue.push_back((next, t));
        }
    }
    Some(
        order
            .into_iter()
            .map(|bits| {
                let text = found.remove(&bits).unwrap_or_default();
                (bits, text)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Glob {
        arn_glob(s, "aws").unwrap()
    }

    #[test]
    fn regions_cut_the_asked_pattern_along_the_policies() {
        // `payroll/*` cut by `payroll/public/*`: inside and outside it.
        let r = regions(
            &[g("arn:aws:s3:::payroll/*")],
            &[g("arn:aws:s3:::payroll/public/*")],
            10_000,
        )
        .unwrap();
        let bits: HashSet<Vec<u32>> = r.iter().map(|(b, _)| b.clone()).collect();
        assert_eq!(bits, HashSet::from([vec![0], vec![]]));
        for (b, text) in &r {
            assert!(text.starts_with("arn:aws:s3:::payroll/"));
            assert_eq!(
                text.starts_with("arn:aws:s3:::payroll/public/"),
                !b.is_empty(),
                "{text}"
            );
        }
        // A pattern that covers the asked one leaves one region.
        let r = regions(
            &[g("arn:aws:s3:::payroll/*")],
            &[g("arn:aws:s3:::pay*")],
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, vec![0]);
        // Disjoint: never matched.
        let r = regions(
            &[g("arn:aws:s3:::payroll/*")],
            &[g("arn:aws:s3:::other/*")],
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 1);
        assert!(r[0].0.is_empty());
    }

    #[test]
    fn a_wildcard_stays_in_its_segment_but_the_resource() {
        // IAM User Guide, "IAM JSON policy elements: Resource": `*` in the account
        // segment does not reach into the resource; in the resource it crosses `:`.
        let r = regions(
            &[g("arn:aws:sqs:*:*:*")],
            &[g("arn:aws:sqs:*:1*:*")],
            10_000,
        )
        .unwrap();
        for (b, text) in &r {
            let account = text.split(':').nth(4).unwrap();
            assert_eq!(!b.is_empty(), account.starts_with('1'), "{text}");
        }
        assert_eq!(r.len(), 2);
        let r = regions(
            &[g("arn:aws:lambda:*:*:function:*")],
            &[g("arn:aws:lambda:*:*:function:f:*")],
            10_000,
        )
        .unwrap();
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn a_fresh_character_stands_for_every_other() {
        let r = regions(&[g("arn:aws:s3:::a?c")], &[g("arn:aws:s3:::abc")], 10_000).unwrap();
        assert_eq!(r.len(), 2);
        assert!(
            r.iter()
                .any(|(b, t)| !b.is_empty() && t == "arn:aws:s3:::abc")
        );
        assert!(
            r.iter()
                .any(|(b, t)| b.is_empty() && t.len() == "arn:aws:s3:::abc".len())
        );
    }
}
