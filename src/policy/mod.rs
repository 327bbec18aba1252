//! The IAM policy language: read a document once, compile it into matchers, and
//! match statements against requests without allocating.

pub mod arn;
pub mod condition;
pub mod context;
pub mod error;
mod miss;
pub(crate) use miss::unreliable_deny;
mod pattern;
pub(crate) use pattern::split_arn;
pub mod principal;
mod raw;
pub mod request;

use std::sync::Arc;

use serde::de::DeserializeSeed;

pub use arn::Arn;
pub use condition::{Condition, Operator};
pub use context::Context;
pub use error::PolicyError;
pub use principal::{Principal, PrincipalMatch};
pub use raw::{Effect, PolicyKind, Version};
pub use request::{Request, RequestError};

use arn::{ArnPattern, ResourceRef};
pub use pattern::{Wildcard, substitute_variables};

/// The partition, service, region, account and resource segments of an ARN pattern
/// (`${...}` variables kept whole); `None` when the text is not shaped like an ARN.
pub fn arn_segments_of_pattern(text: &str) -> Option<[&str; 5]> {
    let parts = pattern::split_arn(text, 6);
    (parts.len() == 6 && parts[0] == "arn")
        .then(|| [parts[1], parts[2], parts[3], parts[4], parts[5]])
}
use pattern::{Pattern, Syntax};
use principal::PrincipalEntry;
use raw::{PolicySeed, RawPolicy, RawPrincipal, RawStatement};

/// A compiled policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    name: Arc<str>,
    kind: PolicyKind,
    version: Option<Version>,
    id: Option<String>,
    statements: Vec<Statement>,
}

/// A principal as a `Principal` element names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedPrincipal<'a> {
    /// `"*"` or `{"AWS": "*"}`.
    Everyone,
    /// A 12-digit account id, or the account's root ARN.
    Account(&'a str),
    /// A user, role, session or federated-user ARN.
    Arn(&'a str),
    Service(&'a str),
    Federated(&'a str),
    CanonicalUser(&'a str),
}

/// A compiled statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    /// Position in the policy's `Statement` list.
    pub index: usize,
    pub effect: Effect,
    actions: Actions,
    resources: Option<Arc<Resources>>,
    principals: Option<Principals>,
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq)]
struct Actions {
    negated: bool,
    /// Patterns that may match any service (`*`, a wildcard in the service) first,
    /// then the others grouped by service, so that a request looks only at its own
    /// service's patterns (AWS managed policies list hundreds).
    patterns: Vec<ActionPattern>,
    /// How many patterns lead the list and may match any service.
    any: usize,
    /// (interned service id, start, end) of each service's patterns, by id.
    by_service: Vec<(u32, usize, usize)>,
}

impl Actions {
    fn new(negated: bool, mut patterns: Vec<ActionPattern>) -> Actions {
        let service_id = |p: &ActionPattern| match p {
            ActionPattern::Service { service, .. } => Some(service.id()),
            ActionPattern::All | ActionPattern::Whole(_) => None,
        };
        patterns.sort_by_key(|p| service_id(p).map_or((0, 0), |id| (1, id)));
        let any = patterns
            .iter()
            .take_while(|p| service_id(p).is_none())
            .count();
        let mut by_service: Vec<(u32, usize, usize)> = Vec::new();
        for (i, p) in patterns.iter().enumerate().skip(any) {
            let id = service_id(p).unwrap_or_default();
            match by_service.last_mut() {
                Some(last) if last.0 == id => last.2 = i + 1,
                _ => by_service.push((id, i, i + 1)),
            }
        }
        Actions {
            negated,
            patterns,
            any,
            by_service,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum ActionPattern {
    All,
    /// A literal service prefix (interned, lower-cased) and a pattern for the action
    /// name.
    Service {
        service: context::Key,
        name: Pattern,
    },
    Whole(Pattern),
}

#[derive(Debug, Clone, PartialEq)]
struct Resources {
    negated: bool,
    /// Whether a pattern holds a policy variable.
    has_variables: bool,
    /// Whether a `*` ends a segment before the resource in some pattern.
    crossing: bool,
    patterns: Vec<ArnPattern>,
    /// As written, for reports.
    text: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Principals {
    negated: bool,
    entries: Vec<PrincipalEntry>,
}

/// What one policy says about one request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Some statement with `Effect: Deny` matched.
    pub deny: bool,
    /// The strongest way an `Allow` statement matched; for policies without a
    /// `Principal` element (identity, boundary, session, SCP) a matching Allow is
    /// [`PrincipalMatch::Session`], the strongest.
    pub allow: Option<PrincipalMatch>,
}

impl Policy {
    /// Reads a policy from JSON text; errors carry the JSON path and line:column.
    pub fn parse(kind: PolicyKind, name: &str, text: &str) -> Result<Policy, PolicyError> {
        let mut jd = serde_json::Deserializer::from_str(text);
        let mut track = serde_path_to_error::Track::new();
        let raw = PolicySeed(kind)
            .deserialize(serde_path_to_error::Deserializer::new(&mut jd, &mut track))
            .map_err(|e| {
                PolicyError::from_json(serde_path_to_error::Error::new(track.path(), e), text)
            })?;
        jd.end().map_err(PolicyError::from_plain_json)?;
        Ok(Policy::compile(kind, name, raw))
    }

    /// Reads a policy from an already parsed JSON value; errors carry the JSON path.
    pub fn from_value(
        kind: PolicyKind,
        name: &str,
        value: &serde_json::Value,
    ) -> Result<Policy, PolicyError> {
        let mut track = serde_path_to_error::Track::new();
        let raw = PolicySeed(kind)
            .deserialize(serde_path_to_error::Deserializer::new(value, &mut track))
            .map_err(|e| PolicyError {
                path: error::json_path(&track.path()),
                position: None,
                message: e.to_string(),
            })?;
        Ok(Policy::compile(kind, name, raw))
    }

    /// A policy with no statement: it allows and denies nothing. What an
    /// organization opened despite its errors holds in place of a document that did
    /// not parse (the document's text is kept beside it, and the error reported).
    pub fn unreadable(kind: PolicyKind, name: &str) -> Policy {
        Policy {
            name: name.into(),
            kind,
            version: None,
            id: None,
            statements: Vec::new(),
        }
    }

    fn compile(kind: PolicyKind, name: &str, raw: RawPolicy) -> Policy {
        let variables = raw.version == Some(Version::V2012_10_17);
        let statements = raw
            .statements
            .into_iter()
            .enumerate()
            .map(|(index, s)| compile_statement(index, s, variables))
            .collect();
        Policy {
            name: name.into(),
            kind,
            version: raw.version,
            id: raw.id,
            statements,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }
    pub fn version(&self) -> Option<Version> {
        self.version
    }
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The statements that `req`'s action matches whose Resource element does not
    /// cover every resource alike: the only part of this policy that can say
    /// something else about `req` on another resource.
    pub fn resource_readers<'a>(&'a self, req: &'a Request) -> impl Iterator<Item = &'a Statement> {
        self.statements
            .iter()
            .filter(|s| !s.covers_every_resource() && s.matches_action(req))
    }

    /// A copy under another name and kind (the same document attached elsewhere).
    pub fn renamed(&self, kind: PolicyKind, name: &str) -> Policy {
        Policy {
            name: name.into(),
            kind,
            ..self.clone()
        }
    }

    /// Evaluates every statement; `on_match` sees each statement that applies.
    #[inline]
    pub fn evaluate(&self, req: &Request, on_match: impl FnMut(&Statement)) -> Verdict {
        self.evaluate_for(req, false, on_match)
    }

    /// As [`Policy::evaluate`], knowing whether the caller has a permissions
    /// boundary, which changes how `NotPrincipal` treats it.
    #[inline]
    pub fn evaluate_for(
        &self,
        req: &Request,
        caller_has_boundary: bool,
        on_match: impl FnMut(&Statement),
    ) -> Verdict {
        self.evaluate_where(req, caller_has_boundary, |_| true, on_match)
    }

    /// As [`Policy::evaluate_for`], with only the statements `keep` accepts (S3 Block
    /// Public Access takes a bucket policy's public grants away).
    #[inline]
    pub fn evaluate_where(
        &self,
        req: &Request,
        caller_has_boundary: bool,
        keep: impl Fn(&Statement) -> bool,
        mut on_match: impl FnMut(&Statement),
    ) -> Verdict {
        let mut v = Verdict::default();
        let uses_principal = !matches!(
            self.kind,
            PolicyKind::Identity | PolicyKind::Boundary | PolicyKind::Session | PolicyKind::Scp
        );
        for s in &self.statements {
            if !s.matches_action(req) || !s.matches_resource(req) || !keep(s) {
                continue;
            }
            let who = if uses_principal {
                match s.principal_match(req.principal(), self.kind, caller_has_boundary) {
                    Some(m) => m,
                    None => continue,
                }
            } else {
                PrincipalMatch::Session
            };
            let deny = s.effect == Effect::Deny;
            if !s.conditions.iter().all(|c| c.holds_for(req, deny)) {
                continue;
            }
            on_match(s);
            match s.effect {
                Effect::Deny => v.deny = true,
                Effect::Allow => v.allow = v.allow.max(Some(who)),
            }
        }
        v
    }
}

impl Statement {
    /// The statement's Sid, or its position when it has none.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(s) if !s.is_empty() => s.clone(),
            _ => format!("Statement[{}]", self.index),
        }
    }

    /// Whether the statement names the request's action and reads `key` (lower case):
    /// in a condition, or as a policy variable in its resources or condition values.
    pub fn reads_key_for(&self, req: &Request, key: &str) -> bool {
        if !self.matches_action(req) {
            return false;
        }
        let variable = format!("${{{}}}", key.to_ascii_lowercase());
        let holds = |text: &str| text.to_ascii_lowercase().contains(&variable);
        self.conditions
            .iter()
            .any(|c| c.key.eq_ignore_ascii_case(key) || c.raw_values.iter().any(|v| holds(v)))
            || self
                .resources
                .as_ref()
                .is_some_and(|r| r.text.iter().any(|t| holds(t)))
    }

    fn matches_action(&self, req: &Request) -> bool {
        let a = &self.actions;
        let hit = a.patterns[..a.any].iter().any(|p| p.matches(req))
            || match a
                .by_service
                .binary_search_by_key(&req.service_key().id(), |e| e.0)
            {
                Ok(i) => {
                    let (_, start, end) = a.by_service[i];
                    a.patterns[start..end].iter().any(|p| p.matches(req))
                }
                Err(_) => false,
            };
        hit != a.negated
    }
}

impl ActionPattern {
    #[inline]
    fn matches(&self, req: &Request) -> bool {
        match self {
            ActionPattern::All => true,
            // Both sides are lower-cased (and services interned) once, at compile
            // time and in the request.
            ActionPattern::Service { service, name } => {
                service == req.service_key()
                    && name.matches(req.action_name_lower(), &req.context, false)
            }
            ActionPattern::Whole(p) => p.matches(req.action_lower(), &req.context, false),
        }
    }
}

impl Statement {
    /// Whether this statement covers every resource alike: no Resource element (a
    /// resource policy's own resource) or one that lists `*`.
    fn covers_every_resource(&self) -> bool {
        self.resources
            .as_ref()
            .is_none_or(|r| !r.negated && r.text.iter().any(|t| t == "*"))
    }

    fn matches_resource(&self, req: &Request) -> bool {
        match &self.resources {
            // No Resource element: the policy's own resource (trust and key policies).
            None => true,
            Some(r) => {
                // A pattern whose variable has no value "will not match any resource"
                // (IAM User Guide, "Variables and tags", "Policy variables with no
                // value"): a Deny's NotResource then covers every resource. The page
                // also says such a variable "might" make the statement invalid: an
                // Allow's NotResource grants nothing, as an Allow never reports
                // Allowed where AWS could deny.
                if r.negated
                    && self.effect == Effect::Allow
                    && r.has_variables
                    && self.unresolved_resource(req).is_some()
                {
                    return false;
                }
                resource_hit(self.effect, r, &req.resource_ref(), &req.context)
            }
        }
    }

    /// Whether the Resource element matches `resource`, for a statement whose
    /// patterns hold no policy variable; `None` where they hold one (the match then
    /// depends on the request's context).
    pub fn matches_resource_alone(&self, resource: &Arn) -> Option<bool> {
        self.resource_element().matches_alone(resource)
    }

    /// The Resource element with the effect that reads it, shared with the statement.
    pub fn resource_element(&self) -> ResourceElement {
        ResourceElement {
            effect: self.effect,
            resources: self.resources.clone(),
        }
    }

    /// Whether a Resource element's pattern holds a policy variable.
    pub fn resource_has_variables(&self) -> bool {
        self.resources.as_ref().is_some_and(|r| r.has_variables)
    }

    /// The first variable of the `Resource`/`NotResource` patterns the request cannot
    /// resolve, as written.
    fn unresolved_resource(&self, req: &Request) -> Option<String> {
        let r = self.resources.as_ref()?;
        if !r.has_variables {
            return None;
        }
        r.patterns.iter().find_map(|p| p.unresolved(&req.context))
    }

    /// How the `Principal`/`NotPrincipal` element names the caller, for a policy that
    /// has one. Where AWS's rules leave room, this errs so that an Allow applies less
    /// and a Deny applies more.
    fn principal_match(
        &self,
        caller: &Principal,
        kind: PolicyKind,
        caller_has_boundary: bool,
    ) -> Option<PrincipalMatch> {
        let deny = self.effect == Effect::Deny;
        let Some(p) = &self.principals else {
            // Endpoint policies may omit Principal: everyone. Elsewhere a missing
            // Principal grants nobody but still denies.
            return (deny || matches!(kind, PolicyKind::Endpoint | PolicyKind::Any))
                .then_some(PrincipalMatch::Broad);
        };
        if !p.negated {
            return p.entries.iter().filter_map(|e| e.matches(caller)).max();
        }
        // NotPrincipal (IAM User Guide, "NotPrincipal"). With Deny, a caller escapes
        // only when every identity it acts as is listed: a user's ARN and its account;
        // a role session's ARN, its role's ARN and its account. A principal with a
        // permissions boundary never escapes ("Permissions boundaries": a Deny with
        // NotPrincipal always denies it). With Allow, any entry that relates to the
        // caller (account, role or exact ARN) leaves it out.
        let excluded = if deny {
            !caller_has_boundary
                && (p.entries.contains(&PrincipalEntry::Everyone)
                    || principal::fully_listed(&p.entries, caller))
        } else {
            p.entries.iter().any(|e| e.matches(caller).is_some())
        };
        (!excluded).then_some(PrincipalMatch::Broad)
    }

    /// Who the `Principal` (or, when the flag is true, `NotPrincipal`) element names;
    /// `None` when the statement has neither.
    pub fn named_principals(&self) -> Option<(bool, Vec<NamedPrincipal<'_>>)> {
        let p = self.principals.as_ref()?;
        let named = p
            .entries
            .iter()
            .map(|e| match e {
                PrincipalEntry::Everyone => NamedPrincipal::Everyone,
                PrincipalEntry::Account(a) => NamedPrincipal::Account(a),
                PrincipalEntry::Arn(a) => NamedPrincipal::Arn(a),
                PrincipalEntry::Other(o) => match o.split_once(':') {
                    Some(("Service", v)) => NamedPrincipal::Service(v),
                    Some(("Federated", v)) => NamedPrincipal::Federated(v),
                    Some((_, v)) => NamedPrincipal::CanonicalUser(v),
                    None => NamedPrincipal::CanonicalUser(o),
                },
            })
            .collect();
        Some((p.negated, named))
    }

    /// The `Resource` (flag false) or `NotResource` (flag true) patterns as written;
    /// `None` when the statement has neither (trust and key policies).
    pub fn resource_patterns(&self) -> Option<(bool, &[String])> {
        self.resources
            .as_ref()
            .map(|r| (r.negated, r.text.as_slice()))
    }

    /// The tags of the request's resource the statement reads, lower-cased: as a
    /// condition key (`aws:ResourceTag/<tag>`, `iam:ResourceTag/<tag>`) or as a policy
    /// variable in a condition value or a Resource (`${aws:ResourceTag/<tag>}`). Empty
    /// for most statements; `None` when it reads one whose name is made with another
    /// variable, which could be any tag.
    pub fn resource_tags_read(&self) -> Option<Vec<String>> {
        let mut tags = Vec::new();
        let values = self.conditions.iter().flat_map(|c| c.raw_values.iter());
        let resources = self.resource_patterns().map_or(&[][..], |(_, r)| r);
        let keys = self.conditions.iter().map(|c| c.key_lower).chain(
            values
                .chain(resources)
                .flat_map(|t| pattern::variable_keys(t)),
        );
        for key in keys {
            let key = key.as_str();
            let Some(tag) = ["aws:resourcetag/", "iam:resourcetag/"]
                .iter()
                .find_map(|prefix| key.strip_prefix(prefix))
            else {
                continue;
            };
            if tag.contains(['$', '{', '}']) {
                return None;
            }
            tags.push(tag.to_string());
        }
        Some(tags)
    }

    /// How many patterns the `Action`/`NotAction` element holds.
    pub fn action_pattern_count(&self) -> usize {
        self.actions.patterns.len()
    }

    /// The service (lower-cased prefix) pattern `i` is limited to; `None`: any.
    pub fn action_pattern_service(&self, i: usize) -> Option<&str> {
        match &self.actions.patterns[i] {
            ActionPattern::Service { service, .. } => Some(service.as_str()),
            ActionPattern::All | ActionPattern::Whole(_) => None,
        }
    }

    /// Whether pattern `i` alone matches the request's action (before `NotAction`
    /// negation).
    pub fn action_pattern_matches(&self, i: usize, req: &Request) -> bool {
        self.actions.patterns[i].matches(req)
    }

    /// Whether the statement's action element covers the request's action.
    pub fn covers_action(&self, req: &Request) -> bool {
        self.matches_action(req)
    }

    /// [`Statement::covers_action`] for an action named `service:Name`, without a
    /// request; `false` for a name without a service.
    pub fn covers_action_named(&self, action: &str) -> bool {
        let lower = action.to_ascii_lowercase();
        let Some((service, name)) = lower.split_once(':') else {
            return false;
        };
        let service = context::Key::new(service);
        let none = Context::default();
        let a = &self.actions;
        let hit = a.patterns.iter().any(|p| match p {
            ActionPattern::All => true,
            ActionPattern::Service {
                service: s,
                name: n,
            } => *s == service && n.matches(name, &none, false),
            ActionPattern::Whole(p) => p.matches(&lower, &none, false),
        });
        hit != a.negated
    }

    /// Whether the statement's action and resource elements cover the request (its
    /// principal and conditions aside).
    pub fn covers(&self, req: &Request) -> bool {
        self.matches_action(req) && self.matches_resource(req)
    }

    pub fn is_negated_action(&self) -> bool {
        self.actions.negated
    }
}

/// A statement's Resource element and its effect: all that matching a resource
/// alone reads ([`Statement::matches_resource_alone`]). Shared with the statement,
/// so that keeping one is a reference count, not a copy of its patterns.
#[derive(Debug, Clone)]
pub struct ResourceElement {
    effect: Effect,
    resources: Option<Arc<Resources>>,
}

impl ResourceElement {
    /// Whether the element matches `resource`; `None` where its patterns hold a
    /// policy variable (the match then depends on the request's context).
    pub fn matches_alone(&self, resource: &Arn) -> Option<bool> {
        match &self.resources {
            None => Some(true),
            Some(r) if r.has_variables => None,
            Some(r) => Some(resource_hit(
                self.effect,
                r,
                &ResourceRef::Arn(resource),
                &Context::default(),
            )),
        }
    }
}

impl PartialEq for ResourceElement {
    fn eq(&self, other: &ResourceElement) -> bool {
        self.effect == other.effect
            && match (&self.resources, &other.resources) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}

/// Whether a Resource element (of a statement of `effect`) matches `target`.
fn resource_hit(
    effect: Effect,
    r: &Resources,
    target: &ResourceRef<'_>,
    context: &Context,
) -> bool {
    // A `*` that ends a segment "can expand to match beyond the colon boundaries" (IAM
    // User Guide, "IAM JSON policy elements: Resource"): a Deny's Resource and an
    // Allow's NotResource take it so, as it makes them cover more; an Allow's Resource
    // and a Deny's NotResource keep each wildcard in its segment, so an Allow never
    // reports Allowed where AWS could deny.
    let wide = r.crossing && (effect == Effect::Deny) != r.negated;
    let hit = if wide {
        r.patterns.iter().any(|p| p.matches_across(target, context))
    } else {
        r.patterns.iter().any(|p| p.matches(target, context))
    };
    hit != r.negated
}

fn compile_statement(index: usize, s: RawStatement, variables: bool) -> Statement {
    let (negated, actions) = s.action;
    let actions = Actions::new(negated, actions.iter().map(|a| compile_action(a)).collect());
    let resources = s.resource.map(|(negated, rs)| {
        let patterns: Vec<ArnPattern> = rs
            .iter()
            .map(|r| ArnPattern::compile(r, variables))
            .collect();
        Arc::new(Resources {
            negated,
            has_variables: patterns.iter().any(ArnPattern::has_variables),
            crossing: patterns.iter().any(ArnPattern::has_crossing_star),
            patterns,
            text: rs,
        })
    });
    let principals = s.principal.map(|(negated, p)| Principals {
        negated,
        entries: match p {
            RawPrincipal::Star => vec![PrincipalEntry::Everyone],
            RawPrincipal::Map(m) => m
                .into_iter()
                .flat_map(|(ty, values)| {
                    values.into_iter().map(move |v| {
                        if ty == "AWS" {
                            PrincipalEntry::from_aws(&v)
                        } else {
                            PrincipalEntry::Other(format!("{ty}:{v}").into())
                        }
                    })
                })
                .collect(),
        },
    });
    let conditions = s
        .conditions
        .into_iter()
        .map(|c| {
            let values = c.parsed.unwrap_or_else(|| {
                let like = matches!(
                    c.operator.base,
                    condition::BaseOperator::StringLike | condition::BaseOperator::StringNotLike
                );
                match c.operator.base.kind() {
                    condition::ValueKind::Arn => condition::Values::Arns(
                        c.raw
                            .iter()
                            .map(|v| ArnPattern::compile(v, variables))
                            .collect(),
                    ),
                    _ => condition::Values::Strings(
                        c.raw
                            .iter()
                            .map(|v| {
                                Pattern::compile(
                                    v,
                                    Syntax {
                                        wildcards: like,
                                        variables,
                                    },
                                )
                            })
                            .collect(),
                    ),
                }
            });
            Condition {
                operator: c.operator,
                key_lower: context::Key::new(&c.key),
                key: c.key.into(),
                samples: Condition::make_samples(&values, &c.raw),
                has_variables: Condition::values_have_variables(&values),
                values,
                raw_values: c.raw,
            }
        })
        .collect();
    Statement {
        sid: s.sid,
        index,
        effect: s.effect,
        actions,
        resources,
        principals,
        conditions,
    }
}

/// Actions take no variables; `*` and `?` are wildcards, compared case-insensitively.
fn compile_action(text: &str) -> ActionPattern {
    let syntax = Syntax {
        wildcards: true,
        variables: false,
    };
    if text == "*" {
        return ActionPattern::All;
    }
    match text.split_once(':') {
        Some((svc, name)) if !svc.contains(['*', '?']) => ActionPattern::Service {
            service: context::Key::new(svc),
            name: Pattern::compile(&name.to_ascii_lowercase(), syntax),
        },
        _ => ActionPattern::Whole(Pattern::compile(&text.to_ascii_lowercase(), syntax)),
    }
}

/// Reads a policy nested in a larger JSON document, so that its errors carry the
/// outer document's path and position.
pub struct PolicyDocSeed<'n> {
    pub kind: PolicyKind,
    pub name: &'n str,
}

impl<'de> DeserializeSeed<'de> for PolicyDocSeed<'_> {
    type Value = Policy;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Policy, D::Error> {
        let raw = PolicySeed(self.kind).deserialize(d)?;
        Ok(Policy::compile(self.kind, self.name, raw))
    }
}

#[cfg(test)]
mod tests;
