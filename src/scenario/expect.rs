//! Guardrail expectations: what must always be true, checked on an org or on the org
//! as a scenario changes it, like a test suite for permissions (docs/scenarios.md).
//!
//! ```text
//! # one expectation a line
//! nobody outside account security can cloudtrail:StopLogging on *
//! nobody outside the organization can s3:GetObject on arn:aws:s3:::payroll/*
//! role WebDeployer can s3:PutObject on arn:aws:s3:::acme-public-website/*
//! user dana cannot iam:CreateUser on *
//! ```
//!
//! Each is asked of `analysis::who_can`, so "can" means what who-can calls allowed,
//! and "cannot" means neither allowed nor allowed under some context (conditional): a
//! guardrail holds only where no request can get through.

use serde::{Deserialize, Serialize};

use super::error::Located;
use crate::analysis::{self, AnalysisError, Ask, WhoCanAnswer};
use crate::org::Org;

/// Who an expectation is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "name")]
pub enum Who {
    /// Nobody, inside the org or out.
    Nobody,
    /// Nobody but the principals of this account (name or id).
    NobodyOutsideAccount(String),
    /// Nobody but the principals of the accounts under this OU (name or id).
    NobodyOutsideOu(String),
    /// No principal outside the organization (through resource and trust policies).
    NobodyOutsideOrganization,
    /// One principal: ARN or unique name; `user NAME` / `role NAME` say which kind.
    Principal(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Expectation {
    pub who: Who,
    /// `true`: the principal can; `false`: cannot (for `nobody`, always false).
    pub can: bool,
    pub action: String,
    pub resource: String,
    pub context: Vec<(String, Vec<String>)>,
    /// The line as written (the text form) or rebuilt from the JSON form.
    pub text: String,
    /// 1-based line in the file (the text form), or 0-based place in the list (JSON).
    pub line: usize,
}

/// An expectation's result.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub expectation: String,
    pub line: usize,
    pub holds: bool,
    /// The principals that break it, each with why.
    pub breaking: Vec<Breach>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Breach {
    pub principal: String,
    /// `allowed`, `conditional`, `named` (outside the org, not evaluable) or the
    /// decision that refused a `can`.
    pub standing: String,
    /// The statements that let it in (or the layer that refused), one per line.
    pub why: Vec<String>,
}

// ---- reading --------------------------------------------------------------------------

/// Reads the text form (a line each, `#` comments) or the JSON form
/// (`{"expectations": [...]}`), whichever `text` is.
pub fn parse(file: &str, text: &str) -> Result<Vec<Expectation>, Located> {
    if text.trim_start().starts_with('{') {
        return parse_json(file, text);
    }
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let column = raw.find(line).unwrap_or(0) + 1;
        let e = parse_line(line).map_err(|message| Located {
            file: Some(file.to_string()),
            position: Some((i + 1, column)),
            path: String::new(),
            message,
        })?;
        out.push(Expectation {
            text: line.to_string(),
            line: i + 1,
            ..e
        });
    }
    Ok(out)
}

const GRAMMAR: &str = "expected `nobody [outside account NAME | outside ou NAME | outside the organization] can ACTION on RESOURCE [with KEY=VALUE ...]` or `[user|role] PRINCIPAL can|cannot ACTION on RESOURCE [with KEY=VALUE ...]`";

fn parse_line(line: &str) -> Result<Expectation, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let verb = words
        .iter()
        .position(|w| *w == "can" || *w == "cannot")
        .ok_or_else(|| format!("no `can` or `cannot`; {GRAMMAR}"))?;
    let can = words[verb] == "can";
    let who = match &words[..verb] {
        ["nobody"] => Who::Nobody,
        ["nobody", "outside", "the", "organization"] | ["nobody", "outside", "the", "org"] => {
            Who::NobodyOutsideOrganization
        }
        ["nobody", "outside", "account", name] => Who::NobodyOutsideAccount(name.to_string()),
        ["nobody", "outside", "ou", name] | ["nobody", "outside", "OU", name] => {
            Who::NobodyOutsideOu(name.to_string())
        }
        ["nobody", ..] => {
            return Err(format!(
                "cannot read who `{}`; {GRAMMAR}",
                words[..verb].join(" ")
            ));
        }
        [kind @ ("user" | "role"), name] => Who::Principal(format!("{kind} {name}")),
        [name] => Who::Principal(name.to_string()),
        _ => {
            return Err(format!(
                "cannot read who `{}`; {GRAMMAR}",
                words[..verb].join(" ")
            ));
        }
    };
    if !matches!(who, Who::Principal(_)) && !can {
        return Err("`nobody ... cannot` says nothing: write `nobody ... can`".to_string());
    }
    let rest = &words[verb + 1..];
    let (action, resource, with) = match rest {
        [action, "on", resource, with @ ..] => (*action, *resource, with),
        _ => {
            return Err(format!(
                "expected `ACTION on RESOURCE` after `{}`; {GRAMMAR}",
                words[verb]
            ));
        }
    };
    let context = match with {
        [] => Vec::new(),
        ["with", pairs @ ..] if !pairs.is_empty() => {
            let pairs: Vec<String> = pairs
                .iter()
                .map(|s| s.trim_end_matches(',').to_string())
                .collect();
            context_pairs(&pairs)?
        }
        _ => {
            return Err(format!(
                "unexpected `{}` after the resource; {GRAMMAR}",
                with.join(" ")
            ));
        }
    };
    Ok(Expectation {
        who,
        can,
        action: action.to_string(),
        resource: resource.to_string(),
        context,
        text: line.to_string(),
        line: 0,
    })
}

fn context_pairs(pairs: &[String]) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for pair in pairs {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}`: expected KEY=VALUE, e.g. aws:SourceIp=10.1.2.3"))?;
        match out.iter_mut().find(|(key, _)| key.eq_ignore_ascii_case(k)) {
            Some((_, values)) => values.push(v.to_string()),
            None => out.push((k.to_string(), vec![v.to_string()])),
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFile {
    #[serde(rename = "$schema")]
    _schema: Option<String>,
    expectations: Vec<JsonExpectation>,
}

/// `{"who": "role WebDeployer", "can": true, "action", "resource", "context"}`; `who`
/// is written as in the text form (`nobody outside account security`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonExpectation {
    who: String,
    can: bool,
    action: String,
    resource: String,
    #[serde(default)]
    context: std::collections::BTreeMap<String, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

fn parse_json(file: &str, text: &str) -> Result<Vec<Expectation>, Located> {
    let mut de = serde_json::Deserializer::from_str(text);
    let f: JsonFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = crate::org::report::JsonPath::from_serde(e.path()).to_string();
        let inner = e.into_inner();
        Located {
            file: Some(file.to_string()),
            position: (inner.line() > 0).then(|| (inner.line(), inner.column())),
            path,
            message: crate::policy::error::strip_position(&inner.to_string()),
        }
    })?;
    let lines = crate::org::locate::LineIndex::new(text);
    f.expectations
        .into_iter()
        .enumerate()
        .map(|(i, j)| {
            let line = format!(
                "{} {} {} on {}",
                j.who,
                if j.can { "can" } else { "cannot" },
                j.action,
                j.resource
            );
            let mut e = parse_line(&line).map_err(|message| {
                let path = crate::org::report::jpath!["expectations", i];
                Located {
                    file: Some(file.to_string()),
                    position: crate::org::locate::locate_all(text, &[&path])[0]
                        .map(|o| lines.position(o)),
                    path: path.to_string(),
                    message,
                }
            })?;
            e.context = j
                .context
                .into_iter()
                .map(|(k, v)| match v {
                    OneOrMany::One(s) => (k, vec![s]),
                    OneOrMany::Many(l) => (k, l),
                })
                .collect();
            e.line = i;
            Ok(e)
        })
        .collect()
}

// ---- checking -------------------------------------------------------------------------

/// Checks every expectation on `org`.
pub fn check(org: &Org, expectations: &[Expectation]) -> Result<Vec<Outcome>, AnalysisError> {
    expectations.iter().map(|e| check_one(org, e)).collect()
}

fn check_one(org: &Org, e: &Expectation) -> Result<Outcome, AnalysisError> {
    let ask = Ask {
        action: e.action.clone(),
        resource: e.resource.clone(),
        context: e.context.clone(),
        ..Ask::default()
    };
    let pattern = analysis::pattern::is_pattern(&ask.action, &ask.resource);
    // A `can` about one principal on a pattern holds when it is allowed on every
    // resource the pattern covers: `can`'s own answer about a pattern.
    if let (Who::Principal(name), true, true) = (&e.who, e.can, pattern) {
        let arn = principal_arn(org, name)?;
        let answer = analysis::pattern::can_pattern(org, &arn, &ask)?;
        let breaking = match (&answer.outcome, &answer.denied_example) {
            (analysis::pattern::Outcome::AllowedOnEvery, _) => Vec::new(),
            (outcome, example) => {
                let on = example.as_ref().map(|x| x.resource.clone());
                let mut b = breach(org, &arn, None, &ask, on.as_deref())?;
                b.standing = outcome.to_string();
                vec![b]
            }
        };
        return Ok(Outcome {
            expectation: e.text.clone(),
            line: e.line,
            holds: breaking.is_empty(),
            breaking,
        });
    }
    // Otherwise who-can's answer, over every resource a pattern covers: a guardrail
    // fails where one request on one of them gets through.
    let answer = analysis::who_can_covering(org, &ask, analysis::Watch::NONE)?;
    let breaking = match &e.who {
        Who::Principal(name) => {
            let arn = principal_arn(org, name)?;
            let (standing, on) = standing_of(&answer, &arn);
            let holds = if e.can {
                standing == Some("allowed")
            } else {
                standing.is_none()
            };
            if holds {
                Vec::new()
            } else {
                vec![breach(org, &arn, standing, &ask, on)?]
            }
        }
        who => {
            let inside = |account: &str| match who {
                Who::NobodyOutsideAccount(name) => account_matches(org, account, name),
                Who::NobodyOutsideOu(name) => under_ou(org, account, name),
                Who::NobodyOutsideOrganization => true,
                _ => false,
            };
            let mut out = Vec::new();
            if !matches!(who, Who::NobodyOutsideOrganization) {
                for h in answer
                    .allowed
                    .iter()
                    .chain(&answer.conditional)
                    .chain(&answer.root_users)
                {
                    if !inside(&h.account) {
                        let (standing, on) = standing_of(&answer, &h.principal);
                        out.push(breach(org, &h.principal, standing, &ask, on)?);
                    }
                }
            }
            for o in &answer.outside {
                let standing = match o.resource_side {
                    Some(crate::engine::Decision::Allowed) => "allowed",
                    Some(_) if !o.when.is_empty() => "conditional",
                    Some(_) => continue,
                    None => "named",
                };
                let on =
                    o.on.as_ref()
                        .map(|r| format!(" on {r}"))
                        .unwrap_or_default();
                out.push(Breach {
                    principal: format!("{} {}", o.kind, o.who),
                    standing: standing.to_string(),
                    why: vec![format!("named by {} {}{on}", o.policy, o.statement)],
                });
            }
            out
        }
    };
    Ok(Outcome {
        expectation: e.text.clone(),
        line: e.line,
        holds: breaking.is_empty(),
        breaking,
    })
}

/// Where `arn` stands in the answer, and on which covered resource (for a pattern).
fn standing_of<'w>(w: &'w WhoCanAnswer, arn: &str) -> (Option<&'static str>, Option<&'w str>) {
    let on = |h: &'w analysis::who_can::Hit| h.on.as_deref();
    if let Some(h) = w
        .allowed
        .iter()
        .chain(&w.root_users)
        .find(|h| h.principal == arn)
    {
        (Some("allowed"), on(h))
    } else if let Some(h) = w.conditional.iter().find(|h| h.principal == arn) {
        (Some("conditional"), on(h))
    } else {
        (None, None)
    }
}

/// Why a principal stands where it does: `can`'s explanation, its matched statements,
/// on `on` (the covered resource where it stands so, for a pattern).
fn breach(
    org: &Org,
    arn: &str,
    standing: Option<&str>,
    ask: &Ask,
    on: Option<&str>,
) -> Result<Breach, AnalysisError> {
    let one;
    let ask = match on {
        Some(resource) => {
            one = Ask {
                resource: resource.to_string(),
                ..ask.clone()
            };
            &one
        }
        None => ask,
    };
    let answer = analysis::can(org, arn, ask)?;
    let principal_account = match analysis::subject(org, arn)? {
        analysis::Subject::Principal(p) => Some(org.principal_account(p)),
        analysis::Subject::Root(a) => Some(a),
    };
    let resource_account = answer
        .resource_account
        .as_deref()
        .and_then(|id| org.account_by_id(id));
    let mut why: Vec<String> = on.iter().map(|r| format!("on {r}")).collect();
    for l in &answer.explanation.layers {
        if l.statements.is_empty() {
            continue;
        }
        let stmts: Vec<String> = l
            .statements
            .iter()
            .map(|m| format!("{} {} ({})", m.effect, m.statement, m.policy))
            .collect();
        why.push(format!(
            "{}: {} {}",
            analysis::layer_label(org, principal_account, resource_account, l.layer),
            l.outcome.word(),
            stmts.join("; ")
        ));
    }
    if let Some(layer) = answer.explanation.blocked_by {
        why.push(format!(
            "blocked by {}",
            analysis::layer_label(org, principal_account, resource_account, layer)
        ));
    }
    let standing = match standing {
        Some(s) => s.to_string(),
        None => answer.decision.to_string(),
    };
    Ok(Breach {
        principal: arn.to_string(),
        standing,
        why,
    })
}

fn principal_arn(org: &Org, name: &str) -> Result<String, AnalysisError> {
    let (kind, bare) = match name.split_once(' ') {
        Some((k @ ("user" | "role"), n)) => (Some(k), n),
        _ => (None, name),
    };
    if bare.starts_with("arn:") || kind.is_none() {
        return match analysis::subject(org, bare)? {
            analysis::Subject::Principal(p) => Ok(org.principal_arn(p).to_string()),
            analysis::Subject::Root(a) => Ok(format!("arn:aws:iam::{}:root", org.account(a).id)),
        };
    }
    let arns: Vec<String> = if kind == Some("user") {
        org.users()
            .iter()
            .filter(|u| u.name() == bare)
            .map(|u| u.arn.to_string())
            .collect()
    } else {
        org.roles()
            .iter()
            .filter(|r| r.name() == bare)
            .map(|r| r.arn.to_string())
            .collect()
    };
    match arns.len() {
        1 => Ok(arns[0].clone()),
        0 => Err(AnalysisError::UnknownPrincipal(name.to_string())),
        _ => Err(AnalysisError::AmbiguousPrincipal {
            name: name.to_string(),
            arns,
        }),
    }
}

fn account_matches(org: &Org, account_id: &str, name: &str) -> bool {
    org.account_by_id(account_id)
        .is_some_and(|a| &*org.account(a).id == name || &*org.account(a).name == name)
}

fn under_ou(org: &Org, account_id: &str, name: &str) -> bool {
    let Some(a) = org.account_by_id(account_id) else {
        return false;
    };
    org.ancestors(a)
        .iter()
        .any(|&o| &*org.ou(o).name == name || &*org.ou(o).id == name)
}

impl std::fmt::Display for Who {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Who::Nobody => f.write_str("nobody"),
            Who::NobodyOutsideAccount(n) => write!(f, "nobody outside account {n}"),
            Who::NobodyOutsideOu(n) => write!(f, "nobody outside ou {n}"),
            Who::NobodyOutsideOrganization => f.write_str("nobody outside the organization"),
            Who::Principal(p) => f.write_str(p),
        }
    }
}

/// Names in the expectations that the org does not have: an expectation about a
/// principal or account that is not there would hold (or fail) for the wrong reason.
pub fn unknown_names(org: &Org, expectations: &[Expectation]) -> Vec<String> {
    let mut out = Vec::new();
    for e in expectations {
        match &e.who {
            Who::NobodyOutsideAccount(n)
                if !org.accounts().iter().any(|a| &*a.name == n || &*a.id == n) =>
            {
                out.push(format!("line {}: no account `{n}`", e.line));
            }
            Who::NobodyOutsideOu(n) if !org.ous().iter().any(|o| &*o.name == n || &*o.id == n) => {
                out.push(format!("line {}: no OU `{n}`", e.line));
            }
            _ => {}
        }
    }
    out
}
