//! What an auditor looks at first: findings over the whole organization, each with a
//! severity, the node and policy it is about, why it matters and how to fix it.
//! Findings about access (external access) are decided by the engine through
//! `analysis`, so that the org's own guardrails (RCPs, conditions) silence them.

pub mod compare;
mod conditions;
mod escalation;
mod external;
mod identity;
mod location;
mod organization;
mod policy_checks;
pub mod sarif;
mod scp_findings;
mod scp_reach;
mod statement_checks;

use serde::Serialize;

pub use location::{LineColumn, Location};

use crate::org::{Org, PolicyIx};

/// How much a finding matters; ordered from the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn word(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// `low`, `medium`, `high` or `critical`, case-insensitive.
    pub fn parse(text: &str) -> Option<Severity> {
        [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ]
        .into_iter()
        .find(|s| s.word().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// How IAM Access Analyzer's policy validation grades a policy check (IAM User Guide,
/// "IAM policy validation check reference": each check's "Finding type"), under its
/// API names. Orgscope's own checks, which Access Analyzer does not make, take the
/// grade of the kind it gives: a security risk, a statement that does not work as
/// meant, or an improvement that changes no permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Grade {
    /// Part of the policy is invalid: it does not do what it says.
    Error,
    /// The policy allows access AWS considers a security risk.
    SecurityWarning,
    /// Not a best practice, or likely not working as intended.
    Warning,
    /// An improvement that does not change the permissions.
    Suggestion,
}

impl Grade {
    /// As Access Analyzer's console writes it.
    pub fn words(self) -> &'static str {
        match self {
            Grade::Error => "error",
            Grade::SecurityWarning => "security warning",
            Grade::Warning => "warning",
            Grade::Suggestion => "suggestion",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// The kind of question a finding answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Category {
    ExternalAccess,
    PolicyCheck,
    Identity,
    Organization,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable across runs on the same org: the rule, the node and the statement (what a
    /// baseline file lists to silence it).
    pub id: String,
    /// The rule, such as `policy.pass-role-any`.
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// Policy checks only: Access Analyzer's grade for the check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// The ARN or id of what the finding is about (a principal, a resource, an
    /// account, a policy), and its name.
    pub node: String,
    pub node_name: String,
    /// The account it is in, where it is in one.
    pub account: Option<String>,
    /// The policy and statement (Sid or `Statement[i]`) it points at, where one does.
    pub policy: Option<String>,
    pub statement: Option<String>,
    /// The statement's place in the policy's `Statement` list (0-based), where the
    /// finding names one: two statements may share a Sid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_index: Option<usize>,
    /// Where a statement has several findings of one rule (two misspelt actions),
    /// the one this is about: part of the id, so that each keeps its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Where the statement (or the policy) is in the input files, where it was read
    /// from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The policy it points at, to locate the statement.
    #[serde(skip)]
    policy_ix: Option<PolicyIx>,
    /// What was found, with the org's names.
    pub message: String,
    /// Why it matters, in one sentence.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

impl Finding {
    fn new(rule: &'static str, category: Category, severity: Severity, node: &str) -> Finding {
        Finding {
            id: String::new(),
            rule,
            category,
            severity,
            grade: None,
            node: node.to_string(),
            node_name: String::new(),
            account: None,
            policy: None,
            statement: None,
            statement_index: None,
            subject: None,
            location: None,
            policy_ix: None,
            message: String::new(),
            why: "",
            fix: "",
        }
    }
}

impl Finding {
    /// The policy it points at, in the org it was computed for.
    pub fn policy_index(&self) -> Option<PolicyIx> {
        self.policy_ix
    }

    /// The statement it points at, by its index in the policy's document: found as
    /// its `location` is, so that what a viewer highlights is what the location names.
    pub fn statement_index(&self, org: &Org) -> Option<usize> {
        if self.statement_index.is_some() {
            return self.statement_index;
        }
        let p = self.policy_ix?;
        let doc = serde_json::from_str(&org.doc(p).text).ok()?;
        location::statement_index(&doc, self.statement.as_deref()?)
    }
}

/// Each finding's place in the input, from its policy and statement (by its index
/// where the check gave one, else by its label); and whether its statement shares its
/// Sid with an earlier one, which its id must then tell apart.
fn locate(org: &Org, all: &mut [Finding]) -> Vec<bool> {
    let mut parsed: std::collections::HashMap<PolicyIx, Option<serde_json::Value>> =
        std::collections::HashMap::new();
    let mut repeated = vec![false; all.len()];
    for (f, repeated) in all.iter_mut().zip(&mut repeated) {
        let Some(p) = f.policy_ix else { continue };
        let k = match &f.statement {
            None => None,
            Some(label) => {
                let doc = parsed
                    .entry(p)
                    .or_insert_with(|| serde_json::from_str(&org.doc(p).text).ok());
                let first = doc
                    .as_ref()
                    .and_then(|d| location::statement_index(d, label));
                match f.statement_index.or(first) {
                    Some(k) => {
                        *repeated = first.is_some_and(|i| i != k);
                        f.statement_index = Some(k);
                        Some(k)
                    }
                    None => continue,
                }
            }
        };
        f.location = location::of_statement(org, p, k);
    }
    repeated
}

/// A policy document's statements: `Statement` is an object or a list of them.
fn statements(doc: &serde_json::Value) -> Vec<&serde_json::Value> {
    match doc.get("Statement") {
        Some(serde_json::Value::Array(a)) => a.iter().collect(),
        Some(s @ serde_json::Value::Object(_)) => vec![s],
        _ => Vec::new(),
    }
}

/// Which findings to report.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only findings at or above this severity.
    pub min_severity: Option<Severity>,
    /// Only findings in these accounts (a subtree's accounts); `None`: everywhere.
    pub accounts: Option<Vec<crate::org::AccountIx>>,
    /// Treat credentials as old or unused from this many days (90 by default).
    pub stale_days: Option<i64>,
    /// "Now", for credential ages; the current time by default.
    pub now: Option<jiff::Timestamp>,
}

/// The steps [`findings_with`] goes through, in order, as a progress line names them.
pub const STEPS: [&str; 5] = [
    "policy checks",
    "identity hygiene",
    "organization",
    "external access",
    "privilege escalation",
];

/// Every finding over `org`, most severe first, then by rule and node; each with
/// its stable id.
pub fn findings(org: &Org, opts: &Options) -> Vec<Finding> {
    findings_with(org, opts, &mut |_| {}, &|| false).unwrap_or_default()
}

/// As [`findings`], telling `step` which of [`STEPS`] starts before it does (for a
/// progress line); `None` once `stopped` says stop (a UI closing: a large org takes
/// seconds). The long steps ask it often (per resource, per chunk of principals), so
/// a stop ends the run within moments, not at the end of a step.
pub fn findings_with(
    org: &Org,
    opts: &Options,
    step: &mut dyn FnMut(usize),
    stopped: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Finding>> {
    let mut all = Vec::new();
    for i in 0..STEPS.len() {
        if stopped() {
            return None;
        }
        step(i);
        match i {
            0 => policy_checks::find(org, &mut all),
            1 => identity::find(org, opts, &mut all),
            2 => organization::find(org, &mut all),
            3 => external::find(org, &mut all, stopped)?,
            _ => escalation::find(org, &mut all, stopped)?,
        }
    }
    let repeated = locate(org, &mut all);
    for (f, repeated) in all.iter_mut().zip(repeated) {
        if f.category == Category::PolicyCheck {
            f.grade = Some(policy_checks::grade(f.rule));
        }
        // A statement whose Sid an earlier one has: its index tells it apart, and the
        // first keeps the id it always had (baselines list it).
        let place = match (repeated, f.statement_index) {
            (true, Some(k)) => format!("#{k}"),
            _ => String::new(),
        };
        f.id = format!(
            "{}:{}:{}:{}{place}",
            f.rule,
            f.node,
            f.policy.as_deref().unwrap_or(""),
            f.statement.as_deref().unwrap_or("")
        );
        if let Some(subject) = &f.subject {
            f.id = format!("{}:{subject}", f.id);
        }
    }
    let in_scope = |f: &Finding| match &opts.accounts {
        None => true,
        Some(accounts) => f
            .account
            .as_deref()
            .is_some_and(|id| accounts.iter().any(|&a| &*org.account(a).id == id)),
    };
    all.retain(|f| opts.min_severity.is_none_or(|m| f.severity >= m) && in_scope(f));
    all.sort_by(|a, b| {
        (b.severity, a.rule, &a.node, &a.id).cmp(&(a.severity, b.rule, &b.node, &b.id))
    });
    all.dedup_by(|a, b| a.id == b.id);
    Some(all)
}
