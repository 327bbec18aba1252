//! `orgscope simulate`: raw requests against explicitly given policies.
//!
//! The input format is a contract (docs/simulate.md in the README): one case, an
//! array of cases, `{"defaults", "cases"}`, or JSON lines. Every case is read on its
//! own so that a bad case yields an error line while the others go on. Positions in
//! errors are those of the input text, also for policies nested deep in a case.

mod input;

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::engine::{self, Decision, Explanation, Layer, PolicySet};
use crate::policy::{Policy, PolicyKind, Principal, Request};

pub use input::InputError;
use input::{CaseError, Located};

/// A case ready to evaluate: its request and its policies, compiled.
#[derive(Debug, Clone)]
pub struct PreparedCase {
    pub request: Request,
    pub identity: Vec<Arc<Policy>>,
    pub boundary: Option<Arc<Policy>>,
    pub session: Option<Arc<Policy>>,
    pub scps: Vec<Vec<Arc<Policy>>>,
    pub rcps: Vec<Vec<Arc<Policy>>>,
    pub resource: Option<Arc<Policy>>,
    pub endpoint: Option<Arc<Policy>>,
    /// S3 Block Public Access `RestrictPublicBuckets` on the bucket.
    pub restrict_public_buckets: bool,
    /// S3 Block Public Access `BlockPublicAcls` on the bucket (or its account).
    pub block_public_acls: bool,
    /// The request names a set of resources (`request.resourcePattern`): answered per
    /// class of the resources it covers.
    pub pattern: bool,
    /// The principal is a role-session ARN and the context does not give
    /// aws:PrincipalArn: the role's ARN was taken at the path `/`, as the session ARN
    /// does not show the role's path.
    pub role_path_assumed: bool,
}

impl PreparedCase {
    /// Borrows the policies as the engine wants them; build it once per case and
    /// reuse it to evaluate many times.
    pub fn policy_set(&self) -> PolicySet<'_> {
        PolicySet {
            identity: self.identity.iter().map(|p| &**p).collect(),
            boundary: self.boundary.as_deref(),
            session: self.session.as_deref(),
            scps: borrow_levels(&self.scps).into(),
            rcps: borrow_levels(&self.rcps).into(),
            resource: self.resource.as_deref(),
            endpoint: self.endpoint.as_deref(),
            // Not part of the case format: a case's RCP levels always apply.
            aws_managed_key: false,
            restrict_public_buckets: self.restrict_public_buckets,
            block_public_acls: self.block_public_acls,
        }
    }
}

fn borrow_levels(levels: &[Vec<Arc<Policy>>]) -> Vec<Vec<&Policy>> {
    levels
        .iter()
        .map(|l| l.iter().map(|p| &**p).collect())
        .collect()
}

/// One case of the input: its id and either the case or why it cannot be evaluated.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub prepared: Result<PreparedCase, String>,
}

/// Reads every case of an input. Only an input that is not readable at all (not
/// JSON, or not one of the accepted shapes) is an error; a bad case is a `Case`
/// whose `prepared` holds the message.
pub fn read_cases(text: &str, jsonl: bool) -> Result<Vec<Case>, InputError> {
    let raw = input::split(text, jsonl)?;
    let mut compiler = Compiler::default();
    Ok(raw
        .into_iter()
        .map(|c| {
            let prepared = c
                .fields
                .and_then(|f| compiler.prepare(&f))
                .map_err(|e| e.to_string());
            Case { id: c.id, prepared }
        })
        .collect())
}

/// One output line of `simulate`.
#[derive(Debug, Serialize)]
pub struct OutputLine<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(rename = "blockedBy", skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Layer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
    /// With `--explain` (a list, maybe empty): context keys the request lacks that
    /// would change the decision.
    #[serde(rename = "dependsOn", skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<engine::Dependency>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<std::borrow::Cow<'a, str>>,
    /// For a resource pattern (`arn:aws:s3:::payroll/*`): `allowedOnEvery`,
    /// `allowedOnSome` or `allowedOnNone` resource it covers, in place of `decision`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<crate::analysis::pattern::Outcome>,
    /// For a resource pattern: one resource of each class the policies treat alike,
    /// with its decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<Vec<PatternClass>>,
    /// With a decision (a list, maybe empty): what may be wrong with the request though
    /// it was answered (an action the catalog does not know); left for the front end
    /// to fill, as `orgscope simulate` does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<String>>,
}

impl<'a> OutputLine<'a> {
    /// The line of a case that cannot be evaluated.
    pub fn error(id: &'a str, message: &'a str) -> OutputLine<'a> {
        OutputLine {
            id,
            decision: None,
            blocked_by: None,
            explanation: None,
            depends_on: None,
            outcome: None,
            classes: None,
            error: Some(message.into()),
            notes: None,
        }
    }
}

/// One resource standing for a class of the resources a pattern covers.
#[derive(Debug, Clone, Serialize)]
pub struct PatternClass {
    pub resource: String,
    pub decision: Decision,
    #[serde(rename = "blockedBy", skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Layer>,
}

/// Evaluates one case into its output line.
pub fn evaluate(case: &Case, explain: bool) -> OutputLine<'_> {
    match &case.prepared {
        Err(e) => OutputLine::error(&case.id, e),
        // `request.resourcePattern`: a set. `request.resource` stays one resource, as
        // cases have always written it (an object may be named `*`).
        Ok(p)
            if p.pattern
                && crate::analysis::pattern::is_pattern(
                    p.request.action(),
                    p.request.resource(),
                ) =>
        {
            match pattern_classes(p) {
                Ok(classes) => {
                    use crate::analysis::pattern::Outcome;
                    let allowed = classes.iter().any(|c| c.decision == Decision::Allowed);
                    let denied = classes.iter().any(|c| c.decision != Decision::Allowed);
                    OutputLine {
                        outcome: Some(match (allowed, denied) {
                            (true, false) => Outcome::AllowedOnEvery,
                            (true, true) => Outcome::AllowedOnSome,
                            _ => Outcome::AllowedOnNone,
                        }),
                        classes: Some(classes),
                        notes: Some(Vec::new()),
                        error: None,
                        ..OutputLine::error(&case.id, "")
                    }
                }
                Err(e) => OutputLine {
                    error: Some(format!("at $.request.resourcePattern: {e}").into()),
                    ..OutputLine::error(&case.id, "")
                },
            }
        }
        Ok(p) => {
            let set = p.policy_set();
            let (decision, blocked_by, explanation, depends_on) = if explain {
                let x = engine::explain(&p.request, &set);
                let deps = engine::dependencies(&p.request, &set);
                (
                    x.decision,
                    x.blocked_by,
                    Some(x),
                    Some(deps.into_iter().filter(|d| d.matters).collect()),
                )
            } else {
                let (d, b) = engine::decide(&p.request, &set);
                (d, b, None, None)
            };
            OutputLine {
                id: &case.id,
                decision: Some(decision),
                blocked_by,
                explanation,
                depends_on,
                outcome: None,
                classes: None,
                error: None,
                notes: Some(
                    role_path_note(p, &set)
                        .into_iter()
                        .chain(service_linked_note(p))
                        .collect(),
                ),
            }
        }
    }
}

/// For a role session given by its session ARN, when a statement about the action
/// reads aws:PrincipalArn: the role's ARN was taken at the path `/` (the session ARN
/// does not show the path); a role under another path is answered by giving its ARN
/// as aws:PrincipalArn in the context.
fn role_path_note(p: &PreparedCase, set: &PolicySet) -> Option<String> {
    if !p.role_path_assumed {
        return None;
    }
    let reads = set
        .policies()
        .flat_map(|pol| pol.statements())
        .any(|st| st.reads_key_for(&p.request, "aws:principalarn"));
    let arn = p.request.principal().principal_arn()?;
    reads.then(|| {
        format!(
            "aws:PrincipalArn was taken as {arn}: a session ARN does not show its role's path; if the role has one (role/team/NAME), give its ARN as aws:PrincipalArn in the context"
        )
    })
}

/// For a session of a role named like a service-linked role (`AWSServiceRoleFor...`)
/// given by its session ARN, where SCPs or RCPs are given: it was taken as
/// service-linked by its name, and so exempt from them; only the role's path
/// (/aws-service-role/, given as aws:PrincipalArn) shows it is.
fn service_linked_note(p: &PreparedCase) -> Option<String> {
    (p.role_path_assumed
        && p.request.principal().is_service_linked_role()
        && (!p.scps.is_empty() || !p.rcps.is_empty()))
    .then(|| {
        "taken as a service-linked role by its name, exempt from SCPs and RCPs: a session ARN does not show the role's path; give the role's ARN as aws:PrincipalArn (a service-linked role is under /aws-service-role/)".to_string()
    })
}

/// One resource for each class of the resources the case's pattern covers, as cut
/// by the case's policies (see [`crate::analysis::pattern`]), each decided by the
/// engine with the case's principal, context and resource account.
fn pattern_classes(p: &PreparedCase) -> Result<Vec<PatternClass>, crate::analysis::AnalysisError> {
    use crate::analysis::pattern;
    let req = &p.request;
    let set = p.policy_set();
    let policies = set.policies();
    let principal = req.principal().to_string();
    let values = vec![
        principal
            .rsplit(['/', ':'])
            .next()
            .unwrap_or_default()
            .to_string(),
    ];
    let patterns =
        pattern::with_values(pattern::statement_patterns(req.action(), policies), &values);
    // The account the case gives (or the pattern names) and the principal's, each a
    // class of its own; any other account is one more.
    let given = (!req.resource_account_assumed())
        .then(|| req.resource_account().map(str::to_string))
        .flatten();
    let mut accounts: Vec<String> = given.iter().cloned().collect();
    accounts.extend(req.principal().account().map(str::to_string));
    let literal_accounts: Vec<String> = patterns
        .iter()
        .filter_map(|p| crate::policy::Arn::parse(p).map(|a| a.account().to_string()))
        .filter(|a| crate::policy::request::is_account_id(a))
        .chain(accounts.iter().cloned())
        .collect();
    let other = (0u64..)
        .map(|n| format!("{n:012}"))
        .find(|a| !literal_accounts.contains(a))
        .unwrap_or_default();
    let mut ctx = req.context.clone();
    ctx.remove_key(&crate::policy::context::Key::new("aws:ResourceAccount"));
    let pattern_account = crate::policy::Arn::parse(req.resource())
        .map(|a| a.account().to_string())
        .filter(|a| crate::policy::request::is_account_id(a));
    let account_given = given.filter(|g| Some(g) != pattern_account.as_ref());
    let mut out = Vec::new();
    for w in pattern::cover(req.resource(), req.action(), "aws", patterns, &accounts)? {
        // A made-up account text stands for every other account: a real id for it.
        let w = match w.splitn(6, ':').collect::<Vec<_>>().as_slice() {
            [arn, part, svc, region, acct, rest]
                if !acct.is_empty() && !crate::policy::request::is_account_id(acct) =>
            {
                format!("{arn}:{part}:{svc}:{region}:{other}:{rest}")
            }
            _ => w,
        };
        let Ok(one) = Request::new(
            &principal,
            req.action(),
            &w,
            account_given.as_deref(),
            ctx.clone(),
        ) else {
            continue;
        };
        let (decision, blocked_by) = engine::decide(&one, &set);
        out.push(PatternClass {
            resource: w,
            decision,
            blocked_by,
        });
    }
    out.dedup_by(|a, b| a.resource == b.resource);
    Ok(out)
}

/// Compiles policies, each distinct (kind, text) once: the defaults' policies and the
/// policies repeated across cases are shared.
#[derive(Default)]
struct Compiler<'t> {
    cache: HashMap<(PolicyKind, &'t str), Arc<Policy>>,
}

impl<'t> Compiler<'t> {
    fn prepare(&mut self, f: &input::Fields<'t>) -> Result<PreparedCase, CaseError> {
        let request = f.request()?;
        let one = |c: &mut Self, field: &str, kind| -> Result<Option<Arc<Policy>>, CaseError> {
            match f.get(field) {
                Some(v) if !v.is_null() => c.policy(v, kind).map(Some),
                _ => Ok(None),
            }
        };
        let boundary = one(self, "permissionsBoundary", PolicyKind::Boundary)?;
        let session = one(self, "sessionPolicy", PolicyKind::Session)?;
        let resource = one(self, "resourcePolicy", PolicyKind::Resource)?;
        let endpoint = one(self, "vpcEndpointPolicy", PolicyKind::Endpoint)?;
        let identity = match f.get("identityPolicies") {
            Some(v) => v
                .array()?
                .iter()
                .map(|p| self.policy(p, PolicyKind::Identity))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        let scps = self.levels(f, "scps", PolicyKind::Scp)?;
        let rcps = self.levels(f, "rcps", PolicyKind::Rcp)?;
        let restrict_public_buckets = match f.get("restrictPublicBuckets") {
            Some(v) if !v.is_null() => v.boolean()?,
            _ => false,
        };
        let block_public_acls = match f.get("blockPublicAcls") {
            Some(v) if !v.is_null() => v.boolean()?,
            _ => false,
        };
        let role_path_assumed = matches!(
            request.principal(),
            Principal::RoleSession {
                session_arn: Some(_),
                ..
            }
        ) && !f.gives_context_key("aws:PrincipalArn");
        Ok(PreparedCase {
            role_path_assumed,
            restrict_public_buckets,
            block_public_acls,
            pattern: f.is_pattern(),
            request,
            identity,
            boundary,
            session,
            scps,
            rcps,
            resource,
            endpoint,
        })
    }

    fn levels(
        &mut self,
        f: &input::Fields<'t>,
        field: &str,
        kind: PolicyKind,
    ) -> Result<Vec<Vec<Arc<Policy>>>, CaseError> {
        let Some(v) = f.get(field).filter(|v| !v.is_null()) else {
            return Ok(Vec::new());
        };
        v.array()?
            .iter()
            .map(|level| {
                level
                    .array()?
                    .iter()
                    .map(|p| self.policy(p, kind))
                    .collect()
            })
            .collect()
    }

    /// A policy: a document, or `{"name", "policy"}`. Default names say where the
    /// policy came from, so that explanations can point at it.
    fn policy(&mut self, v: &Located<'t>, kind: PolicyKind) -> Result<Arc<Policy>, CaseError> {
        let (name, doc) = v.named_policy()?;
        let name = name.unwrap_or_else(|| v.path.trim_start_matches("$.").to_string());
        let key = (kind, doc.raw.get());
        if let Some(p) = self.cache.get(&key) {
            return Ok(if p.name() == name {
                p.clone()
            } else {
                Arc::new(p.renamed(kind, &name))
            });
        }
        let policy = Policy::parse(kind, &name, doc.raw.get()).map_err(|e| CaseError {
            pos: e.position.map(|(l, c)| doc.pos.offset(l, c)),
            path: if e.path.is_empty() {
                doc.path.clone()
            } else {
                format!("{}.{}", doc.path, e.path)
            },
            message: e.message,
        })?;
        let policy = Arc::new(policy);
        self.cache.insert(key, policy.clone());
        Ok(policy)
    }
}
